"""Issue 18's import journey, in real Chromium with axe-core on every page:
a training administrator uploads last year's spreadsheet of certificates,
sees exactly which row is wrong (its line and why), uploads the corrected
file, imports it, sees what was recorded and reads the compliance page:
who in each organisation is in date."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.training import selectors
from prevent_hub.training.models import Completion, Learner
from prevent_hub.training.tests.import_helpers import csv_bytes, row

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


@pytest.fixture
def courses(transactional_db):
    """The courses training's data migration loads (a transactional test
    before this one may have emptied the database)."""
    importlib.import_module("prevent_hub.training.migrations.0002_courses").load(apps, None)


SAM = {"name": "Sam Sample-Nurse", "email": "sam.nurse@example.test",
       "organisation": "Fictional Health Trust (demo)", "role": "School nurse"}


@with_reference_data
@pytest.mark.django_db(transaction=True)
def test_an_administrator_corrects_a_bad_row_and_imports_the_file(page, live_server, courses, tmp_path,
                                                                   settings):
    settings.MEDIA_ROOT = tmp_path
    signed_in(page, live_server, Role.TRAINING_ADMINISTRATOR, full_name="Robin Example-Administrator")
    page.goto("/staff/training/imports/")
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import training records")

    wrong = tmp_path / "certificates-2025.csv"
    wrong.write_bytes(csv_bytes(
        row(course="prevent-awareness", completed_on="2025-09-08"),
        row(**SAM, course="channel-awareness", completed_on="2025-31-01", certificate_reference=""),
        row(course="Prevent referrals", completed_on="2025-09-15", certificate_reference="HO-000002"),
        bom=True))
    page.get_by_label("Upload a CSV file").set_input_files(wrong)
    page.get_by_role("button", name="Upload and check the file").click()
    checked(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 3: The date completed is not a real date")
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the rows and upload the file again")
    expect(page.get_by_role("table")).to_contain_text("The date completed is not a real date")
    assert not Learner.objects.exists()

    page.get_by_role("link", name="Upload the corrected file").click()
    checked(page)
    corrected = tmp_path / "certificates-2025-corrected.csv"
    corrected.write_bytes(wrong.read_bytes().replace(b"2025-31-01", b"2025-01-31"))
    page.get_by_label("Upload a CSV file").set_input_files(corrected)
    page.get_by_role("button", name="Upload and check the file").click()
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the report, then import")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Completions to record")
    expect(page.get_by_role("list").filter(has_text="Fictional Health Trust (demo)")).to_be_visible()

    page.get_by_role("button", name="Import 3 rows").click()
    checked(page)
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator(".govuk-panel__body")).to_have_text("3 completions recorded")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Learners added")
    assert Completion.objects.count() == 3
    assert Learner.objects.count() == 2

    # The recent imports list both files, the first not imported.
    page.goto("/staff/training/imports/")
    checked(page)
    expect(page.get_by_role("table")).to_contain_text("certificates-2025-corrected.csv")
    expect(page.get_by_role("table")).to_contain_text("Not imported: rows to correct")

    # From the import, the compliance page: each school or trust, and who in it is out of date.
    page.go_back()
    checked(page)
    page.get_by_role("link", name="See who is in date on the compliance page").click()
    checked(page)
    table = page.get_by_role("table")
    for organisation in ("Fictional Health Trust (demo)", "Fictional Primary School (demo)"):
        expect(table.get_by_role("row").filter(has_text=organisation).get_by_role("cell").first).to_have_text("1")
    today = timezone.localdate()
    sam = Learner.objects.get(email="sam.nurse@example.test")
    page.get_by_role("link", name="Fictional Health Trust (demo)").click()
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fictional Health Trust (demo)")
    expect(page.get_by_role("row").filter(has_text="Sam Sample-Nurse")).to_contain_text(
        selectors.STANDING_LABELS[selectors.standing_of(sam, today)])
