"""Generated data posted to every form, public and staff.

Walks the whole URLconf for views that accept POST (the same walk as
tests/test_refusals_are_shown.py, whose COVERAGE says how each page is put in
the state where it shows its form, and tests/test_url_role_matrix.py, whose
SAMPLE_KWARGS give each URL's arguments). For every one, signed in (two
factors) as a user whose role may take the view's action, or as a visitor
for public pages, hypothesis posts generated data:

- the form's real field names, read from the page's own HTML form (what a
  browser would send), with generated values: hostile strings (HTML, SQL,
  path tricks, very long text, NUL and other control characters, unicode),
  wrong types (a list for a single value, text for a number, a choice the
  page did not offer), files with hostile names and contents;
- fields left out, and names the form does not have;
- the same data sent twice (a double submit).

Whatever is sent, the answer is never a server error (5xx), and when the
answer is the form again with errors (a refusal), nothing was stored: the row
count of every model is unchanged, except these, which record the refusal
rather than the input (REFUSAL_RECORDS): the audit trail (refusal and view
events, their chain and tally), the session (what the browser was doing),
rate-limit counters and sign-in failure logs.

A new POST URL fails `test_every_post_url_is_fuzzed` until it is fuzzed here
(it is, automatically, once it has sample URL arguments and a COVERAGE entry)
or exempted with a reason in NOT_FUZZED.

Bounded and deterministic for CI (FORM_FUZZ_MAX_EXAMPLES examples per URL,
derandomised); raise it locally, e.g. FORM_FUZZ_MAX_EXAMPLES=200
pytest tests/test_form_fuzz.py -k intake.
"""

import os
import string
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevent_hub.access.roles import Role

from .test_refusals_are_shown import (
    COVERAGE,
    GET_PAGES,
    POST_URLS,
    Button,
    Form,
    _intake_draft,
    _venue_booking,
    _venue_draft,
    client_for,
    path_for,
    role_for,
)

MAX_EXAMPLES = int(os.environ.get("FORM_FUZZ_MAX_EXAMPLES", "8"))



def _reset_link(user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user)}


# URL arguments and set-up for the POST URLs the refusal test exempts, which
# therefore have none there: (kwargs(user), setup(client, user) → POST values).
EXEMPT_SAMPLES = {
    "intake:concern-attachment-remove": (lambda user: {"attachment_id": 1}, _intake_draft("concern")),
    "intake:referral-attachment-remove": (lambda user: {"attachment_id": 1}, _intake_draft("referral")),
    "venue-hire:request-file-remove": (lambda user: {"file_id": 1}, _venue_draft),
    "venue-hire:request-speaker-remove": (lambda user: {"number": 1}, _venue_draft),
    "venue-hire:change-speaker-remove": (lambda user: {"number": 1}, _venue_booking()),
    "accounts:password-reset-confirm": (_reset_link, None),
}
# POST URLs not fuzzed here, and why (each still has its own tests).
NOT_FUZZED = {}

# Tables a refusal may add to: they record the refusal, not what was typed.
REFUSAL_RECORDS = {
    "audit.AuditEvent": "refusals and page views are audited (house rule 3)",
    "audit.AuditChainHead": "sealing those events into the hash chain",
    "audit.RefusalTally": "counts refusals for the auditors' screens",
    "sessions.Session": "the browser's session: drafts in progress, what was typed, sign-in state",
    "core.RateLimitCount": "every public submission counts towards its address's limit, refused or not",
    "axes.AccessAttempt": "a wrong password is a refusal that counts towards the lockout",
    "axes.AccessFailureLog": "the log of those failures",
    "axes.AccessAttemptExpiration": "when a lockout ends",
    "axes.AccessLog": "sign-in attempts",
}

FUZZED_URLS = [entry for entry in POST_URLS if entry[1] not in GET_PAGES and entry[1] not in NOT_FUZZED]

# Hostile strings: markup, SQL, template and path tricks, control characters,
# right-to-left and zero-width characters, emoji, lookalikes, huge numbers.
HOSTILE = [
    "",
    " ",
    "<script>alert('fictional')</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE referrals_referral; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(0)",
    "{{ request }}{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/dev/null",
    "file:///etc/passwd",
    "\x00",
    "Fictional\x00name",
    "\x01\x02\x07\x08\x0b\x0c\x1b[31m",
    "\r\nSet-Cookie: fictional=1",
    "\u202eevil\u202c",
    "zero\u200bwidth\ufeff",
    "Zoë Ñandú 測試 اختبار тест",
    "🙂🏴‍☠️👩🏽‍💻",
    "ＡＢＣ１２３",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "31/12/9999",
    "true",
    "null",
    "[]",
    "{}",
    "%00%2e%2e%2f",
    "A" * 20_000,
    "word " * 5_000,
]

# No surrogates: they cannot be sent as UTF-8 at all.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
# Control characters and NUL, which a keyboard rarely sends but a script can.
CONTROL = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=20)
# Ordinary, fictional answers, so that some posts get past a form's first
# checks and reach what it does with them.
PLAUSIBLE = st.sampled_from([
    "Fictional answer", "1", "12", "2026", "2026-01-01", "10:30", "fictional@test.example",
    "01632 960000", "ZZ99 1ZZ", "yes", "no", "on",
])
SCALAR = st.one_of(st.sampled_from(HOSTILE), PLAUSIBLE, TEXT, CONTROL,
                   st.integers().map(str), st.floats(allow_nan=True).map(str),
                   st.dates().map(str), st.sampled_from(string.punctuation))
FILE_NAMES = st.one_of(st.sampled_from([
    "../../evil.pdf", "fictional.pdf.exe", "con.pdf", "a" * 300 + ".pdf", "名前.pdf", "no-extension",
    ".htaccess", "fictional\x00.pdf", "<b>bold</b>.pdf", "fictional.svg", "fictional.html",
]), st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00/\\"), min_size=1,
             max_size=60))
FILE_CONTENTS = st.one_of(st.binary(max_size=2_000), st.sampled_from([
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"MZ\x90\x00fictional executable",
    b"PK\x03\x04fictional zip",
    b"\xef\xbb\xbfname,email\n=cmd|' /C calc'!A0,x@test.example\n",
]))


class Upload:
    """A file to post; built afresh for each request (an upload is read once)."""

    def __init__(self, name, content):
        self.name, self.content = name, content

    def build(self):
        return SimpleUploadedFile(self.name, self.content, "application/octet-stream")

    def __repr__(self):
        return f"Upload({self.name!r}, {len(self.content)} bytes)"


UPLOAD = st.builds(Upload, FILE_NAMES, FILE_CONTENTS)


@dataclass(frozen=True)
class Field:
    """A field of the page's form: `kind` is "choice" (radios and selects, a
    value must be one offered), "flag" (checkboxes, hidden values, buttons),
    "file" or "text"; `offered` the values the page offers."""

    kind: str
    offered: tuple = ()


def page_fields(html) -> dict:
    """The fields a browser would post from the page's forms, by name."""
    fields = {}
    soup = BeautifulSoup(html, "html5lib")
    for form in soup.find_all("form", method=lambda method: (method or "").lower() == "post"):
        if form.find_parent("dialog"):
            continue  # the session timeout's sign-out
        for element in form.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            kind = (element.get("type") or "").lower()
            known = fields.get(name, Field("text"))
            if element.name == "select":
                options = element.find_all("option")
                fields[name] = Field("choice", known.offered + tuple(
                    option.get("value", option.get_text()) for option in options))
            elif kind == "file":
                fields[name] = Field("file")
            elif kind == "radio":
                fields[name] = Field("choice", (*known.offered, element.get("value", "on")))
            elif kind in ("checkbox", "hidden", "submit") or element.name == "button":
                fields[name] = Field("choice" if known.kind == "choice" else "flag",
                                     (*known.offered, element.get("value", "on")))
            elif name not in fields:
                fields[name] = Field("text")
    return fields


def unoffered_choices(fields: dict, data: dict) -> list:
    """The radios and selects given a value the page did not offer: a form
    must refuse those (a ChoiceField accepts only its choices)."""
    unoffered = []
    for name, field in fields.items():
        value = data.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None  # what request.POST[name] gives
        if field.kind == "choice" and isinstance(value, str) and value.strip() and value not in field.offered:
            unoffered.append(name)
    return unoffered


def value_for(field: Field):
    """Generated values for one field: mostly hostile, sometimes what the page
    offers (so the form gets past its first checks), sometimes the wrong type."""
    if field.kind == "file":
        return st.one_of(UPLOAD, SCALAR)
    wrong_type = st.lists(SCALAR, min_size=2, max_size=3)
    if field.offered:
        return st.one_of(st.sampled_from(field.offered), SCALAR, wrong_type)
    return st.one_of(SCALAR, wrong_type)


def payloads(fields: dict, extra: dict):
    """A whole POST: each of the form's fields present or left out, the
    setup's values (a draft's id) usually kept, sometimes a name the form
    does not know."""
    optional = {name: value_for(field) for name, field in fields.items()}
    optional.update({name: st.one_of(st.just(value), SCALAR) for name, value in extra.items()})
    return st.fixed_dictionaries({}, optional=optional).flatmap(
        lambda data: st.one_of(st.just(data), st.dictionaries(
            st.sampled_from(["unknown", "id", "pk", "user", "owner", "status", "__proto__", "a[b]"]),
            SCALAR, max_size=2).map(lambda more: {**more, **data})))


def _encoded(data: dict) -> dict:
    return {name: (value.build() if isinstance(value, Upload) else
                   [item.build() if isinstance(item, Upload) else item for item in value]
                   if isinstance(value, list) else value)
            for name, value in data.items()}


COUNTED_MODELS = sorted(
    (model for model in apps.get_models() if model._meta.label not in REFUSAL_RECORDS and model._meta.managed
     and not model._meta.proxy),
    key=lambda model: model._meta.label)


def row_counts() -> dict:
    """The row count of every counted model, in one query."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        # Table names from the models, quoted: nothing here comes from input.
        f"SELECT {index}, COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608
        for index, model in enumerate(COUNTED_MODELS))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {COUNTED_MODELS[index]._meta.label: count for index, count in cursor.fetchall()}


def is_refusal(response) -> bool:
    """The form again with its errors (or a 4xx): the input was refused."""
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return False
    return BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary") is not None


def changed(before: dict, after: dict) -> dict:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


def prepare(route, name, entry):
    """A client signed in as someone who may use the form, the form's path,
    and the setup's POST values."""
    coverage = COVERAGE.get(name)
    second_factor = not (isinstance(coverage, Form) and not coverage.second_factor)
    role = role_for(entry.callback)
    if not second_factor:
        role = role or Role.PREVENT_COORDINATOR  # signed in, second factor still to come
    client, user = client_for(role, second_factor=second_factor)
    kwargs = coverage.kwargs if isinstance(coverage, Form | Button) else None
    setup = coverage.setup if isinstance(coverage, Form) else None
    if name in EXEMPT_SAMPLES:
        kwargs, setup = EXEMPT_SAMPLES[name]
    extra = setup(client, user) if setup else {}
    path = path_for(route, name, entry, user, kwargs)
    return client, path, extra


def test_every_post_url_is_fuzzed():
    names = {name for _, name, _ in POST_URLS} - set(GET_PAGES)
    fuzzed = {name for _, name, _ in FUZZED_URLS}
    assert names - fuzzed == set(NOT_FUZZED), "fuzz these POST URLs, or say in NOT_FUZZED why not"
    assert all(len(reason) > 30 for reason in NOT_FUZZED.values())
    assert set(EXEMPT_SAMPLES) <= names, set(EXEMPT_SAMPLES) - names
    assert len(fuzzed) > 100


def test_the_tables_left_out_of_the_count_exist_and_the_rest_are_counted():
    labels = {model._meta.label for model in apps.get_models()}
    assert set(REFUSAL_RECORDS) <= labels, set(REFUSAL_RECORDS) - labels
    assert {"referrals.Referral", "channel.ChannelCase", "complaints.Complaint", "accounts.User"} <= {
        model._meta.label for model in COUNTED_MODELS}


@pytest.mark.django_db
def test_the_row_count_sees_a_new_row():
    from prevent_hub.accounts.tests.factories import UserFactory

    before = row_counts()
    UserFactory()
    users = before["accounts.User"]
    assert changed(before, row_counts())["accounts.User"] == (users, users + 1)


def test_the_page_reader_finds_fields_choices_and_files():
    html = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="x">
      <input type="text" name="title"><textarea name="notes"></textarea>
      <input type="radio" name="outcome" value="yes"><input type="radio" name="outcome" value="no">
      <select name="team"><option value="">Choose</option><option value="7">Team</option></select>
      <input type="file" name="upload"><button name="action" value="save">Save</button></form>
      <form method="get"><input name="q"></form>"""
    fields = page_fields(html)
    assert fields == {"title": Field("text"), "notes": Field("text"),
                      "outcome": Field("choice", ("yes", "no")), "team": Field("choice", ("", "7")),
                      "upload": Field("file"), "action": Field("flag", ("save",))}
    assert unoffered_choices(fields, {"outcome": "maybe", "team": ["9", "7"], "action": "delete"}) == [
        "outcome"]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "entry"), FUZZED_URLS, ids=[n or r for r, n, _ in FUZZED_URLS])
def test_generated_posts_get_no_server_error_and_refusals_store_nothing(route, name, entry):
    client, path, extra = prepare(route, name, entry)
    page = client.get(path)
    fields = page_fields(page.content) if page.status_code == 200 else {}

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=payloads(fields, extra), twice=st.booleans())
    def post_generated(data, twice):
        for attempt in range(2 if twice else 1):
            before = row_counts()
            response = client.post(path, _encoded(data))
            assert response.status_code < 500, f"{name}: {response.status_code} for {data!r}"
            stored = changed(before, row_counts())
            if is_refusal(response):
                assert stored == {}, f"{name} refused {data!r} (attempt {attempt + 1}) but stored {stored}"
            elif unoffered := unoffered_choices(fields, data):
                assert stored == {}, f"{name} accepted {unoffered} not offered in {data!r}: stored {stored}"

    post_generated()
