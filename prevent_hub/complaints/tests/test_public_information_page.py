"""The public page about complaints (public:complaints) is the form's start
page: it promises the deadlines the settings set, starts the form, and
still says where else a complaint can go."""

import pytest
from django.test import Client
from django.urls import reverse

from prevent_hub.directory.models import Contact

from .public_helpers import main_text, soup

pytestmark = pytest.mark.django_db

PAGE = reverse("public:complaints")


def test_the_page_states_the_deadlines_from_the_settings(settings):
    page = main_text(Client().get(PAGE))
    assert "We will acknowledge your complaint within 3 working days and respond within 20 working days" \
        in page
    assert "set number of" not in page

    settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS, settings.COMPLAINT_RESPOND_WORKING_DAYS = 1, 15
    page = main_text(Client().get(PAGE))
    assert "We will acknowledge your complaint within 1 working day and respond within 15 working days" \
        in page
    assert "Acknowledge your complaint within 1 working day" in page
    assert "send you a full response within 15 working days" in page


def test_the_start_button_starts_the_form():
    button = soup(Client().get(PAGE)).find("main").find("a", class_="govuk-button--start")
    assert button is not None and button["href"] == reverse("complain:start")
    assert button.get_text(" ", strip=True) == "Make a complaint"


def test_the_page_still_explains_stacu_the_commissioner_the_ombudsman_and_consent():
    page = main_text(Client().get(PAGE))
    assert "cannot deal with complaints about Prevent policy itself, only with how the duty was put into " \
           "practice" in page
    assert "We will only pass your details on to StaCU or to the organisation concerned if you agree" in page
    for key in ("stacu", "independent-prevent-commissioner", "council-complaints", "lgsco"):
        assert Contact.objects.get(key=key).name in page, key
