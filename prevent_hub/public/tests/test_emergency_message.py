"""Every page about raising a concern says "call 999" before anything else."""

import pytest

from prevent_hub.directory.models import Contact

from .pages import CONCERN_PAGES, main_content, parse, text_of, url

pytestmark = pytest.mark.django_db


def emergency_warning(main):
    warning = main.find(class_="app-emergency")
    assert warning is not None, "the 999 message (public/_emergency.html) is missing"
    return warning


@pytest.mark.parametrize("name", CONCERN_PAGES)
def test_the_999_message_comes_before_the_first_h2(client, name):
    main = main_content(parse(client.get(url(name))))
    warning = emergency_warning(main)
    assert "govuk-warning-text" in warning["class"]
    assert "immediate danger" in text_of(warning)
    phone = warning.find("a", href="tel:999")
    assert phone is not None and text_of(phone) == "999"
    first_h2 = main.find("h2")
    assert first_h2 is not None
    assert first_h2 in warning.find_all_next("h2"), f"{name}: the 999 message is below an h2"
    # Near the top: directly after the page heading, before any other content.
    assert warning.find_previous(["h1", "p", "ul", "div"]) == main.find("h1")


@pytest.mark.parametrize("name", CONCERN_PAGES)
def test_the_number_comes_from_the_directory(client, name):
    Contact.objects.filter(key="emergency").update(phone="112")
    warning = emergency_warning(main_content(parse(client.get(url(name)))))
    assert warning.find("a", href="tel:112") is not None
    assert "999" not in text_of(warning)


@pytest.mark.parametrize("name", CONCERN_PAGES)
def test_the_message_survives_the_emergency_contact_being_switched_off(client, name):
    Contact.objects.filter(key="emergency").update(is_active=False)
    response = client.get(url(name))
    assert response.status_code == 200
    warning = emergency_warning(main_content(parse(response)))
    assert "call the emergency services" in text_of(warning)
    assert warning.find("a") is None


@pytest.mark.parametrize("name", ["venue-hire", "privacy", "cookies", "accessibility"])
def test_pages_that_are_not_about_concerns_do_not_need_it(client, name):
    # Not a rule, but a sign the include is used deliberately rather than everywhere.
    main = main_content(parse(client.get(url(name))))
    assert main.find(class_="app-emergency") is None
