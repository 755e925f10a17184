"""The practitioners' page sends professionals to this service's own referral
form first; the national form is there for those who cannot use it."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_our_referral_form_comes_before_the_national_form(client):
    html = client.get(reverse("public:practitioners")).content.decode()
    main = BeautifulSoup(html, "html5lib").select_one("main")
    links = [link["href"] for link in main.select("a")]
    ours = links.index(reverse("intake:referral-start"))
    national = next(index for index, href in enumerate(links) if "referral-form" in href)
    assert ours < national
