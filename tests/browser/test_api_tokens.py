"""A system administrator revokes a partner API token in real Chromium.
Every page on the way passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.api.tests.factories import ApiTokenFactory

from .conftest import checked, signed_in


@pytest.mark.django_db(transaction=True)
def test_see_the_api_tokens_and_revoke_one(page, live_server):
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR)
    partner = UserFactory(full_name="Test MASH System", email="mash@test.shireford.example")
    token = ApiTokenFactory(user=partner, name="MASH case system (fictional)")

    page.goto(reverse("administration:index"))
    page.get_by_role("link", name="API tokens").click()
    expect(page.locator("h1")).to_have_text("API tokens")
    expect(page.locator("table")).to_contain_text("mash@test.shireford.example")
    checked(page)

    page.get_by_role("link", name=f"Revoke token {token.prefix}").click()
    expect(page.locator("h1")).to_have_text("Revoke this API token")
    checked(page)

    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Token {token.prefix}… is revoked")
    expect(page.locator("table")).to_contain_text("Revoked")
    checked(page)
    token.refresh_from_db()
    assert token.revoked_at is not None
