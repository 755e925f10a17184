"""The council's own brand: its logo, name and copyright line; never the
crown, the royal coat of arms or "© Crown copyright", which are reserved for
services on GOV.UK."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.core import navigation

GOVUK_ONLY = ("govuk-footer__crown", "govuk-footer__copyright-logo", "govuk-logo", "Crown copyright",
              "crown-copyright")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["public:home", "public:get-help", "public:practitioners",
                                      "intake:concern-start", "accounts:sign-in"])
def test_public_pages_show_the_councils_brand_and_nothing_reserved_for_govuk(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    for reserved in GOVUK_ONLY:
        assert reserved not in html
    soup = BeautifulSoup(html, "html5lib")
    logo = soup.select_one(".govuk-generic-header img.app-council-logo")
    assert logo["alt"] == "Shireford County Council"
    assert "core/council-logo" in logo["src"]
    footer = soup.select_one(".govuk-footer__meta").get_text(" ", strip=True)
    assert footer.endswith("© Shireford County Council")


@pytest.mark.django_db
def test_staff_pages_too():
    client = Client()
    sign_in(client, UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    html = client.get(reverse("staff:home")).content.decode()
    assert "© Shireford County Council" in html
    for reserved in GOVUK_ONLY:
        assert reserved not in html


def test_another_council_configures_its_own(settings):
    settings.COUNCIL_NAME = "Example Borough Council"
    settings.COUNCIL_LOGO = "https://assets.example-borough.example/logo.svg"
    settings.COUNCIL_COPYRIGHT = "© Example Borough Council 2026"
    settings.COUNCIL_COPYRIGHT_URL = "https://www.example-borough.example/copyright"
    logo = navigation.council_logo()
    assert logo == ('<img class="app-council-logo" src="https://assets.example-borough.example/logo.svg" '
                    'alt="Example Borough Council">')
    assert navigation.footer()["organisationCopyright"] == {
        "text": "© Example Borough Council 2026", "href": "https://www.example-borough.example/copyright"}


def test_the_footer_links_the_copyright_line_when_there_is_a_page_for_it():
    from prevent_hub.govuk.components import render

    html = render("footer", {"organisationCopyright": {"text": "© A Council", "href": "https://a.example/c"}})
    soup = BeautifulSoup(html, "html5lib")
    link = soup.select_one(".govuk-footer__meta a[href='https://a.example/c']")
    assert link.get_text(strip=True) == "© A Council"
    assert "govuk-footer__copyright-logo" not in html and "govuk-footer__crown" not in html
