"""The signed-in person's name and address, however long, wrap at 320 CSS px
(WCAG 1.4.10) on the pages that show them, checked with axe-core."""

import pytest

from prevent_hub.access.roles import Role

from .conftest import checked, signed_in

pytestmark = pytest.mark.browser

LONG_NAME = "Maximiliana-Wilhelmina Featherstonehaugh-Cholmondeley-Demonstration"
LONG_EMAIL = "maximiliana.wilhelmina.featherstonehaugh-cholmondeley@demonstration-council.example"


@pytest.mark.django_db(transaction=True)
def test_a_very_long_signed_in_name_wraps_on_a_phone(page, live_server, reference_data):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name=LONG_NAME, email=LONG_EMAIL)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/staff/", "/staff/account/"):
        page.goto(live_server.url + path)
        assert LONG_NAME in page.content()
        checked(page)
