"""Contact details live in the contact directory, never in the page templates."""

import re
from pathlib import Path

import pytest

from prevent_hub.directory.defaults import DEFAULT_CONTACTS
from prevent_hub.directory.models import Contact

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = sorted(TEMPLATE_DIR.rglob("*.html"))

FORBIDDEN = {
    "web address": re.compile(r"https?://|\bwww\.", re.IGNORECASE),
    "mailto or tel link": re.compile(r"\b(?:mailto|tel):", re.IGNORECASE),
    "email address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    # UK numbers such as 0800 789 321, 01632 960 101, +44 20 7946 0000.
    "phone number": re.compile(
        r"(?<![\w.])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}(?:[\s-]?\d{3,4}){1,2}(?!\w)"
    ),
    # Short service numbers: 999, 112, 101, 111, 105.
    "short phone number": re.compile(r"(?<![\w.:/-])(?:999|112|101|111|105)(?!\w|\.\d|%)"),
    "long run of digits": re.compile(r"\d{5,}"),
}

CONTACT_TAG = re.compile(r"""\{%\s*contact(?:_phone|_link)?\s+["']([^"']+)["']""")


def used_keys() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for template in TEMPLATES:
        for key in CONTACT_TAG.findall(template.read_text()):
            keys.setdefault(key, set()).add(template.name)
    return keys


def test_templates_are_found():
    names = {template.name for template in TEMPLATES}
    assert {"home.html", "get_help.html", "_emergency.html"} <= names


@pytest.mark.parametrize(
    ("kind", "sample"),
    [
        ("phone number", "call 0800 789 321 now"),
        ("phone number", "ring 01632 960101"),
        ("phone number", "on +44 20 7946 0000"),
        ("phone number", "0808 800 5000"),
        ("short phone number", "call 999."),
        ("short phone number", "dial 101 for"),
        ("web address", 'href="https://act.campaign.gov.uk/"'),
        ("web address", "visit www.nspcc.org.uk"),
        ("email address", "write to prevent@shireford.example"),
        ("mailto or tel link", 'href="tel:999"'),
    ],
)
def test_the_scanner_catches_hard_coded_details(kind, sample):
    assert FORBIDDEN[kind].search(sample)


@pytest.mark.parametrize(
    "sample",
    [
        "Counter-Terrorism and Security Act 2015 (section 26)",
        "Sections 36 to 38",
        "WCAG version 2.2 at level AA",
        "prepared on 25 November 2026",
        "zoom in up to 400% without",
        "(No. 2) Accessibility Regulations 2018",
        "Article 6(1)(e) and Article 9(2)(g)",
        '<svg viewBox="0 0 33 40"><path d="M0 0h13l20 20-20 20H0l20-20z"></path></svg>',
        "about 6 months and 12 months later",
    ],
)
def test_the_scanner_leaves_ordinary_text_alone(sample):
    for kind, pattern in FORBIDDEN.items():
        assert not pattern.search(sample), f"{kind} wrongly matched in {sample!r}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_contact_details_are_typed_into_templates(template):
    source = template.read_text()
    for kind, pattern in FORBIDDEN.items():
        found = pattern.search(source)
        assert found is None, (
            f"{template.name}: {kind} {found.group(0)!r} is hard-coded; "
            "add it to the contact directory and use {% contact %} instead"
        )


def test_every_contact_key_used_is_a_default_contact():
    defaults = {entry["key"] for entry in DEFAULT_CONTACTS}
    used = used_keys()
    assert used, "no {% contact %} tags found: has the tag syntax changed?"
    unknown = {key: sorted(where) for key, where in used.items() if key not in defaults}
    assert not unknown, f"contact keys not in DEFAULT_CONTACTS: {unknown}"


@pytest.mark.django_db
def test_every_contact_key_used_is_in_the_migrated_database():
    in_db = set(Contact.objects.filter(is_active=True).values_list("key", flat=True))
    missing = sorted(set(used_keys()) - in_db)
    assert not missing, f"contacts used by pages but not installed by migrations: {missing}"
