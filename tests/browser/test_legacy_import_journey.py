"""Issue 19's legacy import, in real Chromium with axe-core on every page: a
Prevent coordinator uploads a spreadsheet of earlier referrals, sees which
row is wrong (its line and why), uploads the corrected file, imports it and
sees what was created, then finds an imported person left to identify."""


import pytest
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import ChannelCase
from prevent_hub.legacy_import.tests.factories import channel_row, csv_bytes, row
from prevent_hub.referrals.models import Referral

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_corrects_a_bad_row_and_imports_earlier_referrals(page, live_server,
                                                                        tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Robin Example-Coordinator")
    page.goto("/staff/referral-imports/")
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import referrals from earlier records")

    wrong = tmp_path / "earlier-referrals.csv"
    wrong.write_bytes(csv_bytes(
        row(),
        channel_row(external_reference="OLD-0002", given_name="Example", family_name="Person",
                    adopted_on="2023-05-31"),
        row(external_reference="OLD-0003", given_name="Sample", family_name="Example-Name",
            gateway_outcome="signposted"),
        bom=True))
    page.get_by_label("Upload a CSV file").set_input_files(wrong)
    page.get_by_role("button", name="Upload and check the file").click()
    checked(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Line 3: The date adopted must be on or after the date discussed at panel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the rows and upload the file again")
    assert not Referral.objects.exists()

    page.get_by_role("link", name="Upload the corrected file").click()
    checked(page)
    corrected = tmp_path / "earlier-referrals-corrected.csv"
    corrected.write_bytes(wrong.read_bytes().replace(b"2023-05-31", b"2023-06-01"))
    page.get_by_label("Upload a CSV file").set_input_files(corrected)
    page.get_by_role("button", name="Upload and check the file").click()
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the report, then import")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Referrals to import")

    page.get_by_role("button", name="Import 3 referrals").click()
    checked(page)
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator(".govuk-panel__body")).to_have_text("3 referrals imported")
    assert Referral.objects.count() == 3 and ChannelCase.objects.count() == 1

    page.goto("/staff/referral-imports/")
    checked(page)
    expect(page.get_by_role("table")).to_contain_text("Not imported: rows to correct")

    # The imported person is left to identify.
    referral = Referral.objects.get(external_reference="OLD-0001")
    page.goto(f"/staff/people/identify/{referral.reference}/")
    checked(page)
    expect(page.locator("main")).to_contain_text("nobody has confirmed yet")
