"""The get-help page offers every route in DOMAIN.md section 4, from the directory."""

import pytest

from prevent_hub.directory.models import Contact

from .pages import PAGE_NAMES, main_content, parse, text_of, url

pytestmark = pytest.mark.django_db

# (situation heading, contact keys that must appear under it)
ROUTES = [
    ("I think someone is in danger now", ["emergency"]),
    ("I have seen or heard something suspicious", ["anti-terrorist-hotline"]),
    ("I have found terrorist or extremist material online", ["report-online-material"]),
    ("I'm worried about a friend or family member", ["act-early"]),
    ("I'm worried about a child or young person", ["childrens-duty"]),
    ("I'm worried about an adult who may be at risk", ["adult-social-care"]),
    ("I'm worried about someone I work with or support", ["prevent-referral-form"]),
    ("I'm a parent or carer and want advice", ["nspcc-helpline"]),
    ("I want to complain about how Prevent was used", ["stacu"]),
]


def section_under(main, heading_text):
    """The elements between an h2 and the next h2."""
    heading = next(
        (h for h in main.find_all("h2") if text_of(h) == heading_text), None
    )
    assert heading is not None, f"no h2 {heading_text!r}"
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling)
    return parts


def section_text(parts):
    return " ".join(text_of(part) for part in parts)


def section_hrefs(parts):
    return {a["href"] for part in parts for a in part.find_all("a", href=True)}


@pytest.mark.parametrize(("heading", "keys"), ROUTES)
def test_each_situation_shows_its_route(client, heading, keys):
    main = main_content(parse(client.get(url("get-help"))))
    parts = section_under(main, heading)
    text, hrefs = section_text(parts), section_hrefs(parts)
    for key in keys:
        contact = Contact.objects.get(key=key)
        assert contact.name in text, f"{heading}: {contact.name} missing"
        if contact.phone:
            assert contact.phone in text
            assert contact.phone_href in hrefs
        if contact.web_address:
            assert contact.web_address in hrefs


def test_the_national_numbers_in_the_domain_brief_are_shown(client):
    text = text_of(main_content(parse(client.get(url("get-help")))))
    for number in ["999", "0800 789 321", "0808 800 5000"]:
        assert number in text


def test_professionals_are_told_to_check_with_their_dsl_first(client):
    main = main_content(parse(client.get(url("get-help"))))
    text = section_text(section_under(main, "I'm worried about someone I work with or support"))
    assert text.index("Designated Safeguarding Lead") < text.index("national Prevent referral form")
    assert "First Response Children's Duty" in text


def test_complaints_route_is_not_for_policy(client):
    main = main_content(parse(client.get(url("get-help"))))
    text = section_text(section_under(main, "I want to complain about how Prevent was used"))
    assert "cannot deal with complaints about Prevent policy" in text


def test_editing_a_contact_changes_the_page(client):
    Contact.objects.filter(key="act-early").update(
        hours="Every day, 7am to 11pm", phone="0800 000 1234"
    )
    main = main_content(parse(client.get(url("get-help"))))
    text = section_text(section_under(main, "I'm worried about a friend or family member"))
    assert "Every day, 7am to 11pm" in text
    assert "0800 000 1234" in text
    assert main.find("a", href="tel:08000001234") is not None


def test_a_switched_off_contact_disappears_without_an_error(client):
    name = Contact.objects.get(key="act-early").name
    Contact.objects.filter(key="act-early").update(is_active=False)
    response = client.get(url("get-help"))
    assert response.status_code == 200
    assert name not in text_of(main_content(parse(response)))


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_works_with_the_whole_directory_switched_off(client, name):
    Contact.objects.update(is_active=False)
    response = client.get(url(name))
    assert response.status_code == 200
    soup = parse(response)
    assert len(soup.find_all("h1")) == 1
    # No contact card is left behind with an empty heading.
    assert not main_content(soup).find_all(class_="app-contact-card")
