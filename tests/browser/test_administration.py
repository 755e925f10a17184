"""A system administrator's journey in real Chromium: create a user, change
their roles, deactivate them. Every page on the way passes axe-core."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import User
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.directory.defaults import DEFAULT_CONTACTS
from prevent_hub.directory.models import Contact

from .conftest import checked, signed_in, with_reference_data


@pytest.mark.django_db(transaction=True)
def test_create_a_user_change_their_roles_and_deactivate_them(page, live_server):
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")
    OrganisationFactory(name="Shireford College")

    page.goto(reverse("administration:index"))
    expect(page.locator("h1")).to_have_text("Administration")
    checked(page)

    page.get_by_role("link", name="Users").click()
    expect(page.locator("h1")).to_have_text("Users")
    checked(page)

    page.get_by_role("button", name="Create a user").click()
    expect(page.locator("h1")).to_have_text("Create a user")
    checked(page)

    # Sent half filled in: errors, and what was typed is still there.
    page.get_by_label("Full name").fill("Robin Newcomer")
    page.get_by_role("button", name="Create user").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    expect(page.get_by_label("Full name")).to_have_value("Robin Newcomer")
    assert page.title().startswith("Error:")
    checked(page)

    page.get_by_label("Email address").fill("robin.newcomer@test.shireford.example")
    page.get_by_label("Job title (optional)").fill("Designated safeguarding lead")
    page.get_by_label("Organisation", exact=True).select_option(label="Shireford College")
    page.get_by_label("Panel member").check()
    page.get_by_role("button", name="Create user").click()
    expect(page.locator("h1")).to_have_text("Robin Newcomer")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have emailed robin.newcomer@test.shireford.example")
    checked(page)

    page.get_by_role("link", name="Change roles").click()
    expect(page.locator("h1")).to_have_text("Change roles")
    expect(page.get_by_label("Panel member")).to_be_checked()
    checked(page)
    page.get_by_label("Channel panel chair").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Roles updated")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Channel panel chair, Panel member")
    checked(page)

    page.get_by_role("link", name="Deactivate this account").click()
    expect(page.locator("h1")).to_have_text("Deactivate this account")
    checked(page)
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a reason for deactivating the account")
    checked(page)
    page.get_by_label("Why are you deactivating this account?").fill("Left the college")
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been deactivated")
    expect(page.get_by_role("button", name="Reactivate account")).to_be_visible()
    checked(page)

    robin = User.objects.get(email="robin.newcomer@test.shireford.example")
    assert not robin.is_active
    assert set(robin.role_assignments.values_list("role", flat=True)) == {
        Role.PANEL_MEMBER, Role.CHANNEL_CHAIR}

    # Back on the list, filtered to deactivated accounts.
    page.goto(reverse("administration:users") + "?status=deactivated")
    expect(page.locator("main table")).to_contain_text("Robin Newcomer")
    checked(page)


@pytest.mark.django_db(transaction=True)
def test_organisation_and_contact_directory_pages_are_accessible(page, live_server):
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")
    OrganisationFactory(name="Shireford Police")
    # Loaded by a migration, but an earlier test that emptied the database may have removed it.
    act_early = next(entry for entry in DEFAULT_CONTACTS if entry["key"] == "act-early")
    Contact.objects.get_or_create(key="act-early", defaults=act_early)

    page.goto(reverse("administration:organisations"))
    checked(page)
    page.get_by_role("link", name="Shireford Police").click()
    expect(page.locator("h1")).to_have_text("Change organisation")
    checked(page)
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the organisation's name")
    checked(page)

    page.goto(reverse("administration:organisation-create"))
    checked(page)

    page.goto(reverse("administration:contacts"))
    checked(page)
    page.get_by_role("link", name="Change ACT Early support line").click()
    checked(page)
    page.get_by_label("Telephone (optional)").fill("0800 000 4321")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("ACT Early support line updated")
    checked(page)
    page.get_by_role("button", name="Mark as checked today for ACT Early support line").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as checked")
    checked(page)


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_change_how_long_complaints_are_kept(page, live_server):
    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")
    page.goto(reverse("administration:index"))
    page.get_by_role("link", name="Retention schedule").click()
    expect(page.locator("h1")).to_have_text("Retention schedule")
    checked(page)

    page.get_by_role("link", name="Change how long complaint records are kept").click()
    expect(page.locator("h1")).to_have_text("Change how long these records are kept")
    checked(page)
    page.get_by_label("How many months should these records be kept?").fill("eighty")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a whole number")
    expect(page.get_by_label("How many months should these records be kept?")).to_have_value("eighty")
    checked(page)

    next_year = timezone.localdate().year + 1
    page.get_by_label("How many months should these records be kept?").fill("84")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill(str(next_year))
    page.get_by_label("Why is the policy changing?").fill("Retention schedule reviewed (fictional)")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"From 1 April {next_year}, complaint records closing are kept 7 years from closure")
    checked(page)

    page.get_by_role("link", name="History of complaint").click()
    expect(page.locator("main")).to_contain_text("Retention schedule reviewed (fictional)")
    checked(page)
