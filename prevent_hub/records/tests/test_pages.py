"""Legal hold and retention run pages: placing and lifting holds (with
hostile input), refusals for roles without the action, the run list, a run's
report and its CSV (audited), and the preview."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent

from ..models import LegalHold, RetentionRun
from .factories import due_case, due_referral, hold_on

pytestmark = pytest.mark.django_db

DPO = Role.DATA_PROTECTION_OFFICER
NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def hold_data(reference, *, ends_on=NEXT_YEAR, **fields):
    return {"reference": reference, "kind": fields.pop("kind", "complaint"),
            "reason": fields.pop("reason", "Fictional complaint C-0042 about handling"),
            "ends_on-day": str(ends_on.day), "ends_on-month": str(ends_on.month),
            "ends_on-year": str(ends_on.year), **fields}


@pytest.mark.parametrize("role", [DPO, Role.PREVENT_COORDINATOR, Role.COMPLAINTS_OFFICER])
def test_those_who_manage_holds_place_one_on_a_case(staff_client, role):
    client = staff_client(role)
    case = due_case()
    response = client.post("/staff/records/holds/new/", hold_data(case.reference.lower()))
    hold = LegalHold.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/records/holds/{hold.pk}/"
    assert hold.case == case and hold.placed_by == client.user and hold.reference == case.reference
    event = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="records.legalhold").get()
    assert "Fictional" not in str(event.details)
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "Fictional complaint C-0042" in page


def test_a_hold_on_a_person_by_their_id(staff_client):
    referral = due_referral()
    staff_client(DPO).post("/staff/records/holds/new/", hold_data(str(referral.person_id)))
    assert LegalHold.objects.get().person_id == referral.person_id


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reference": ""}, "reference", "Enter the reference of the record to hold"),
    ({"reference": "PRV-1999-999999"}, "reference", "Enter the reference of a referral"),
    ({"reference": "<script>alert(1)</script>"}, "reference", "Enter the reference of a referral"),
    ({"reference": "9" * 60}, "reference", "40 characters or fewer"),
    ({"kind": ""}, "kind", "Select what the hold is for"),
    ({"kind": "forever"}, "kind", "Select what the hold is for"),
    ({"reason": ""}, "reason", "Enter why the record must be kept"),
    ({"reason": "   "}, "reason", "Enter why the record must be kept"),
    ({"reason": "x" * 2001}, "reason", "2,000 characters or fewer"),
    ({"ends_on-day": ""}, "ends_on", "must include a day"),
    ({"ends_on-day": "31", "ends_on-month": "2"}, "ends_on", "must be a real date"),
])
def test_hostile_or_missing_input_is_refused_and_kept(staff_client, data, field, message):
    case = due_case()
    sent = hold_data(**{"reference": case.reference, **data})
    response = staff_client(DPO).post("/staff/records/holds/new/", sent)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert LegalHold.objects.count() == 0
    # What was typed is still there (escaped).
    if sent["reason"].strip() and len(sent["reason"]) < 100:
        assert sent["reason"] in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("days", [0, -1, -400])
def test_an_end_date_not_in_the_future_is_refused(staff_client, days):
    case = due_case()
    ends_on = timezone.localdate() + datetime.timedelta(days=days)
    page = staff_client(DPO).post("/staff/records/holds/new/", hold_data(case.reference, ends_on=ends_on))
    assert "The date the hold ends must be in the future" in page.content.decode()
    assert LegalHold.objects.count() == 0


def test_an_end_date_too_far_ahead_is_refused(staff_client):
    case = due_case()
    ends_on = timezone.localdate() + datetime.timedelta(days=365 * 11)
    page = staff_client(DPO).post("/staff/records/holds/new/", hold_data(case.reference, ends_on=ends_on))
    assert "within 10 years" in page.content.decode()


def test_html_in_the_reason_is_shown_as_text(staff_client):
    case = due_case()
    client = staff_client(DPO)
    response = client.post("/staff/records/holds/new/",
                           hold_data(case.reference, reason="<b>Fictional</b> <script>x()</script>"))
    page = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;Fictional&lt;/b&gt;" in page and "<script>x()" not in page


def test_a_double_submit_places_one_hold(staff_client):
    case = due_case()
    client = staff_client(DPO)
    first = client.post("/staff/records/holds/new/", hold_data(case.reference))
    second = client.post("/staff/records/holds/new/", hold_data(case.reference))
    assert LegalHold.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_lifting_a_hold_needs_a_reason_and_then_it_holds_nothing(staff_client):
    referral = due_referral()
    hold = hold_on(referral=referral)
    client = staff_client(Role.PREVENT_COORDINATOR)
    url = f"/staff/records/holds/{hold.pk}/lift/"
    refused = client.post(url, {"lift_reason": ""})
    assert "Enter why the hold is no longer needed" in refused.content.decode()
    response = client.post(url, {"lift_reason": "Fictional: the complaint C-0042 closed"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == client.user and hold.lifted_at is not None
    again = client.post(url, {"lift_reason": "Fictional: again"})
    assert "already ended" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="records.legalhold",
                                     object_id=str(hold.pk)).count() == 1


def test_the_list_shows_active_and_ended_holds(staff_client):
    active = hold_on(referral=due_referral())
    ended = hold_on(case=due_case(), ends_on=timezone.localdate() - datetime.timedelta(days=1))
    page = staff_client(DPO).get("/staff/records/holds/").content.decode()
    active_part, ended_part = page.split('<h2 class="govuk-heading-m">Ended holds</h2>')
    assert active.reference in active_part and ended.reference in ended_part
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="records.legalhold").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PANEL_MEMBER, Role.SYSTEM_ADMINISTRATOR])
def test_roles_without_the_action_are_refused_holds(staff_client, role):
    hold = hold_on(referral=due_referral())
    client = staff_client(role)
    case = due_case()
    assert client.get("/staff/records/holds/").status_code == 403
    assert client.post("/staff/records/holds/new/", hold_data(case.reference)).status_code == 403
    assert client.post(f"/staff/records/holds/{hold.pk}/lift/", {"lift_reason": "x"}).status_code == 403
    assert LegalHold.objects.count() == 1 and LegalHold.objects.get().lifted_at is None


# Retention runs ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUDITOR, DPO])
def test_auditors_and_the_dpo_preview_and_read_a_run(staff_client, role):
    referral = due_referral()
    held = due_case()
    hold_on(case=held, kind="investigation")
    client = staff_client(role)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post("/staff/records/retention-runs/preview/",
                           {"as_of-day": day.day, "as_of-month": day.month, "as_of-year": day.year})
    run = RetentionRun.objects.get()
    assert response["Location"] == f"/staff/records/retention-runs/{run.pk}/"
    assert run.dry_run and run.run_by == client.user and run.as_of == day
    page = client.get(response["Location"]).content.decode()
    assert referral.reference in page and "Would be deleted" in page
    assert held.reference in page and "Investigation until" in page
    listing = client.get("/staff/records/retention-runs/").content.decode()
    assert f"/staff/records/retention-runs/{run.pk}/" in listing
    csv = client.get(f"/staff/records/retention-runs/{run.pk}/report.csv")
    body = b"".join(csv.streaming_content).decode()
    assert referral.reference in body and "Held" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="records.retentionrun",
                                     object_id=str(run.pk)).exists()
    assert referral.subject_given_name not in page + body


def test_a_bad_preview_date_is_refused(staff_client):
    response = staff_client(DPO).post("/staff/records/retention-runs/preview/",
                                      {"as_of-day": "40", "as_of-month": "1", "as_of-year": "2099"})
    assert "Preview as of must be a real date" in response.content.decode()
    assert RetentionRun.objects.count() == 0


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.COMPLAINTS_OFFICER,
                                  Role.SYSTEM_ADMINISTRATOR])
def test_roles_without_the_action_are_refused_runs(staff_client, role):
    client = staff_client(role)
    assert client.get("/staff/records/retention-runs/").status_code == 403
    assert client.post("/staff/records/retention-runs/preview/",
                       {"as_of-day": "1", "as_of-month": "1", "as_of-year": "2099"}).status_code == 403
    assert RetentionRun.objects.count() == 0
