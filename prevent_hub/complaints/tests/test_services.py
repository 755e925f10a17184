import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel.tests.factories import ChannelCaseFactory, team_member_add
from prevent_hub.complaints import services
from prevent_hub.complaints.letters import ESCALATION_HEADING
from prevent_hub.complaints.models import (
    Complaint,
    InvestigationNote,
    LetterKind,
    LetterTemplate,
    Reminder,
    Scope,
    Status,
)
from prevent_hub.complaints.selectors import overdue, response_overdue
from prevent_hub.complaints.tasks import complaint_reminders_send
from prevent_hub.core.models import BankHoliday
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import (
    answers,
    complaint_found,
    complaint_investigating,
    complaint_received,
    investigator,
    officer,
)

pytestmark = pytest.mark.django_db


def _triaged(complaint, scope, by, reasons="Fictional reasons for a test."):
    return services.complaint_triage(complaint=complaint, scope=scope, category="referral", reasons=reasons,
                                     acting_user=by)


# Receiving and deadlines ---------------------------------------------------------------


def test_an_online_complaint_gets_a_reference_deadlines_an_audit_event_and_an_acknowledgement_email(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_received()
    complaint.refresh_from_db()
    assert complaint.reference == f"CMP-{complaint.received_on:%Y}-{complaint.pk:06d}"
    assert complaint.status == Status.RECEIVED
    assert complaint.organisation_consent == "given"
    assert complaint.organisation_consent_on == complaint.received_on
    assert complaint.stacu_consent == "refused" and complaint.stacu_consent_on is None
    assert AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).exists()
    # The email is the acknowledgement: it names the dates and is kept as a letter.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert complaint.reference in email.subject and email.to == ["pat.parent@example.org"]
    respond_by = complaint.respond_by
    assert f"{respond_by.day} {respond_by:%B} {respond_by.year}" in email.body
    assert complaint.acknowledged_on == timezone.localdate()
    assert complaint.letters.get().kind == LetterKind.ACKNOWLEDGEMENT


def test_deadlines_skip_weekends_and_bank_holidays_across_the_year_end():
    # Tuesday 23 December 2025: Christmas Day, Boxing Day and New Year's Day
    # fall inside the clocks.
    acknowledge_by, respond_by = services.deadlines(datetime.date(2025, 12, 23))
    assert acknowledge_by == datetime.date(2025, 12, 30)
    assert respond_by == datetime.date(2026, 1, 23)


def test_deadlines_skip_easter_and_follow_the_settings(settings):
    # Thursday 2 April 2026: Good Friday and Easter Monday come next, and the
    # early May bank holiday before the response is due.
    assert services.deadlines(datetime.date(2026, 4, 2)) == (datetime.date(2026, 4, 9),
                                                             datetime.date(2026, 5, 5))
    settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS, settings.COMPLAINT_RESPOND_WORKING_DAYS = 5, 10
    assert services.deadlines(datetime.date(2026, 4, 2)) == (datetime.date(2026, 4, 13),
                                                             datetime.date(2026, 4, 20))


def test_a_bank_holiday_added_by_an_administrator_moves_new_deadlines():
    before = services.deadlines(datetime.date(2026, 6, 1))
    BankHoliday.objects.create(date=datetime.date(2026, 6, 2), title="Fictional extra holiday")
    after = services.deadlines(datetime.date(2026, 6, 1))
    assert after[0] == before[0] + datetime.timedelta(days=1)


def test_a_complaint_recorded_by_staff_keeps_the_day_it_arrived_and_waits_for_an_acknowledgement(
        django_capture_on_commit_callbacks):
    by = officer()
    arrived = timezone.localdate() - datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_received(source="post", received_on=arrived, acting_user=by, email="",
                                       contact_preference="post", address="3 Example Lane, Testford")
    assert complaint.received_on == arrived and complaint.recorded_by == by
    assert (complaint.acknowledge_by, complaint.respond_by) == services.deadlines(arrived)
    assert complaint.acknowledged_on is None and mail.outbox == []
    assert Complaint.objects.filter(overdue(timezone.localdate()), pk=complaint.pk).exists()
    subject, body = services.response_draft(complaint, LetterKind.ACKNOWLEDGEMENT, officer=by)
    letter = services.complaint_acknowledge(complaint=complaint, subject=subject, body=body, acting_user=by)
    complaint.refresh_from_db()
    assert complaint.acknowledged_on == timezone.localdate()
    # Asked to be written to: the letter is printed and posted, not emailed.
    assert not letter.emailed and mail.outbox == []
    with pytest.raises(ValidationError, match="already been acknowledged"):
        services.complaint_acknowledge(complaint=complaint, subject=subject, body=body, acting_user=by)


@pytest.mark.parametrize(("change", "field"), [
    ({"complainant_name": ""}, "complainant_name"),
    ({"contact_preference": "phone", "phone": ""}, "phone"),
    ({"contact_preference": "post", "address": ""}, "address"),
    ({"email": "not an address"}, "email"),
    ({"relationship": "other", "relationship_other": ""}, "relationship_other"),
    ({"relationship": "<script>"}, "relationship"),
    ({"happened_on": None, "happened_when": ""}, "happened_on"),
    ({"happened_on": "2026-01-01"}, "happened_on"),
    ({"what_happened": "x" * 10001}, "what_happened"),
    ({"organisation_consent": "maybe"}, "organisation_consent"),
])
def test_a_complaint_with_a_wrong_answer_is_refused_with_a_message_and_nothing_is_stored(change, field):
    with pytest.raises(ValidationError) as refused:
        services.complaint_submit(answers=answers(**change))
    assert field in refused.value.message_dict
    assert not Complaint.objects.exists()


def test_a_future_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.complaint_submit(answers=answers(happened_on=tomorrow), received_on=tomorrow)
    assert set(refused.value.message_dict) == {"happened_on", "received_on"}


def test_the_same_answers_sent_twice_make_one_complaint():
    first = services.complaint_submit(answers=answers(), submission_key="same")
    again = services.complaint_submit(answers=answers(), submission_key="same")
    assert first.pk == again.pk and Complaint.objects.count() == 1


# Triage, consent and sharing ---------------------------------------------------------------


def test_a_complaint_about_policy_needs_reasons_and_is_signposted_and_kept_six_years():
    by = officer()
    complaint = complaint_received()
    with pytest.raises(ValidationError) as refused:
        _triaged(complaint, Scope.POLICY, by, reasons="  ")
    assert "reasons" in refused.value.message_dict
    complaint = _triaged(complaint, Scope.POLICY, by, reasons="It asks for Prevent to be abolished.")
    assert complaint.status == Status.RECEIVED and complaint.owner == by
    subject, body = services.response_draft(complaint, LetterKind.SIGNPOSTED, officer=by)
    letter = services.complaint_signpost(complaint=complaint, subject=subject, body=body, acting_user=by)
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNPOSTED and complaint.closed_on == timezone.localdate()
    assert complaint.retain_until == complaint.closed_on.replace(year=complaint.closed_on.year + 6)
    assert "It asks for Prevent to be abolished." in letter.body and ESCALATION_HEADING in letter.body


def test_a_complaint_is_passed_on_only_with_consent_and_the_date_and_recipient_are_recorded():
    by = officer()
    complaint = _triaged(complaint_received(organisation_consent="refused"), Scope.BY_OTHER, by)
    subject, body = services.response_draft(complaint, LetterKind.PASSED_ON, officer=by)
    today = timezone.localdate()

    def pass_on(shared_on=today):
        return services.complaint_pass_on(complaint=complaint, recipient_name="Headteacher, Testford Example "
                                          "Academy", method="Secure email", shared_on=shared_on,
                                          subject=subject, body=body, acting_user=by)

    with pytest.raises(ValidationError, match="has not agreed"):
        pass_on()
    assert not complaint.sharings.exists()
    # The complainant agreed later, by telephone.
    services.consent_record(complaint=complaint, recipient="organisation", consent="given", given_on=today,
                            acting_user=by)
    with pytest.raises(ValidationError) as refused:
        pass_on(shared_on=today - datetime.timedelta(days=1))
    assert "shared_on" in refused.value.message_dict
    sharing = pass_on()
    complaint.refresh_from_db()
    assert sharing.shared_on == today and sharing.recipient_name.startswith("Headteacher")
    assert complaint.status == Status.PASSED_ON and complaint.responded_on == today
    assert complaint.organisation_consent_on == today
    # Consent cannot be changed once the complaint has been shared.
    with pytest.raises(ValidationError, match="already been shared"):
        services.consent_record(complaint=complaint, recipient="organisation", consent="refused",
                                given_on=None, acting_user=by)


def test_sharing_with_stacu_needs_its_own_consent():
    by = officer()
    complaint = complaint_received()  # agreed to the school, not to StaCU
    with pytest.raises(ValidationError, match="StaCU"):
        services.complaint_share_with_stacu(complaint=complaint, method="Online form",
                                            shared_on=timezone.localdate(), acting_user=by)
    services.consent_record(complaint=complaint, recipient="stacu", consent="given",
                            given_on=timezone.localdate(), acting_user=by)
    sharing = services.complaint_share_with_stacu(complaint=complaint, method="Online form",
                                                  shared_on=timezone.localdate(), acting_user=by)
    assert sharing.recipient == "stacu"
    with pytest.raises(ValidationError, match="already been shared"):
        services.complaint_share_with_stacu(complaint=complaint, method="Again",
                                            shared_on=timezone.localdate(), acting_user=by)


def test_only_a_complaint_about_another_organisation_is_passed_on():
    by = officer()
    complaint = complaint_investigating(by=by)
    with pytest.raises(ValidationError):
        services.complaint_pass_on(complaint=complaint, recipient_name="Someone", method="Email",
                                   shared_on=timezone.localdate(), subject="S", body="B", acting_user=by)


# Independence ---------------------------------------------------------------------------------


def test_someone_who_recorded_the_gateway_outcome_cannot_investigate_a_complaint_about_it():
    by, involved, independent = officer(), investigator(), investigator()
    referral = ReferralFactory(reference="PRV-2026-000777", gateway_recorded_by=involved)
    complaint = _triaged(complaint_received(), Scope.BY_US, by)
    services.complaint_link(complaint=complaint, reference="prv-2026-000777", acting_user=by)
    complaint.refresh_from_db()
    assert complaint.referral == referral and complaint.concerns_reference == "PRV-2026-000777"
    with pytest.raises(ValidationError) as refused:
        services.investigator_assign(complaint=complaint, investigator=involved, acting_user=by)
    assert "was involved in PRV-2026-000777" in refused.value.message_dict["investigator"][0]
    assert services.investigator_assign(complaint=complaint, investigator=independent,
                                        acting_user=by).investigator == independent


def test_linking_a_case_the_investigator_worked_on_is_refused():
    by, member = officer(), investigator()
    case = ChannelCaseFactory(reference="CH-2026-000555")
    team_member_add(case, member)
    complaint = complaint_investigating(by=by, investigated_by=member)
    with pytest.raises(ValidationError, match="give the complaint to someone else"):
        services.complaint_link(complaint=complaint, reference="CH-2026-000555", acting_user=by)
    complaint.refresh_from_db()
    assert complaint.case is None


def test_only_the_investigating_officer_records_findings():
    by = officer()
    complaint = complaint_investigating(by=by)
    point = complaint.points.get()
    for someone in (by, investigator()):
        with pytest.raises(ValidationError, match="Only the complaint's investigating officer"):
            services.finding_record(point=point, finding="upheld", reasons="Because", acting_user=someone)
    with pytest.raises(ValidationError) as refused:
        services.finding_record(point=point, finding="upheld", reasons="", acting_user=complaint.investigator)
    assert "reasons" in refused.value.message_dict


def test_an_investigator_must_hold_an_investigating_role():
    from prevent_hub.accounts.tests.factories import UserFactory

    by = officer()
    complaint = _triaged(complaint_received(), Scope.BY_US, by)
    with pytest.raises(ValidationError):
        services.investigator_assign(complaint=complaint, investigator=UserFactory(roles=["auditor"]),
                                     acting_user=by)


# Investigation and response ------------------------------------------------------------------


def test_notes_cannot_be_edited():
    complaint = complaint_investigating()
    note = services.note_add(complaint=complaint, text="Spoke to the headteacher.",
                             acting_user=complaint.investigator)
    note.text = "Changed afterwards"
    with pytest.raises(ValueError, match="cannot be edited"):
        note.save()
    assert InvestigationNote.objects.get(pk=note.pk).text == "Spoke to the headteacher."


def test_the_response_needs_a_finding_on_every_point_and_always_says_how_to_escalate():
    by = officer()
    complaint = complaint_investigating(by=by, points=("First point", "Second point"))
    assert services.response_refusal(complaint) == "Every point of complaint needs a finding first"
    first, second = complaint.points.all()
    services.finding_record(point=first, finding="upheld", reasons="We did not call.",
                            acting_user=complaint.investigator)
    services.finding_record(point=second, finding="not_upheld", reasons="The letter was sent.",
                            acting_user=complaint.investigator)
    services.conclusions_record(complaint=complaint, remedy="An apology.", lessons_learnt="Call first.",
                                acting_user=complaint.investigator)
    # The wording is edited to leave out how to escalate: the product adds it anyway.
    template = LetterTemplate.objects.get(kind=LetterKind.RESPONSE)
    services.letter_template_update(template=template, subject="Our response $reference",
                                    body="Dear $complainant_name\n\n$findings", acting_user=by)
    complaint.refresh_from_db()
    subject, body = services.response_draft(complaint, LetterKind.RESPONSE, officer=by)
    letter = services.response_send(complaint=complaint, subject=subject,
                                    body=body.split(ESCALATION_HEADING)[0], acting_user=by)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED and complaint.outcome == "partly_upheld"
    assert "Local Government and Social Care Ombudsman" in letter.body
    assert "Standards and Compliance Unit" in letter.body
    assert letter.body.count(ESCALATION_HEADING) == 1
    assert "First point" in letter.body and "Not upheld" in letter.body


def test_letter_wording_with_an_unknown_placeholder_is_refused():
    template = LetterTemplate.objects.get(kind=LetterKind.HOLDING)
    with pytest.raises(ValidationError) as refused:
        services.letter_template_update(template=template, subject="S", body="Dear $name",
                                        acting_user=officer())
    assert "$name" in refused.value.message_dict["body"][0]


def test_an_extension_must_be_a_later_working_day_and_sends_a_holding_letter():
    complaint = complaint_found()
    by = complaint.owner
    due = complaint.respond_by

    def extend(new_date):
        return services.complaint_extend(complaint=complaint, new_date=new_date, reason="Waiting for the "
                                         "school's records.", subject="More time", body="We need more time.",
                                         acting_user=by)

    with pytest.raises(ValidationError) as refused:
        extend(due)
    assert "new_date" in refused.value.message_dict
    saturday = due + datetime.timedelta(days=(5 - due.weekday()) % 7 or 7)
    with pytest.raises(ValidationError, match="working day"):
        extend(saturday)
    extension = extend(saturday + datetime.timedelta(days=2))
    complaint.refresh_from_db()
    assert complaint.extended_to == extension.new_date and complaint.response_due == extension.new_date
    assert complaint.letters.filter(kind=LetterKind.HOLDING).exists()


def test_withdrawing_closes_the_complaint():
    complaint = complaint_investigating()
    with pytest.raises(ValidationError):
        services.complaint_withdraw(complaint=complaint, reasons="", acting_user=complaint.owner)
    complaint = services.complaint_withdraw(complaint=complaint, reasons="Told us by telephone.",
                                            acting_user=complaint.owner)
    assert complaint.status == Status.WITHDRAWN and complaint.retain_until is not None


# Reminders -----------------------------------------------------------------------------------------


def test_reminders_go_to_the_owner_and_investigator_once_per_deadline(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_investigating()  # acknowledged by email
    complaint.refresh_from_db()
    assert complaint.acknowledged_on is not None
    mail.outbox.clear()
    # Three working days before the response is due.
    from prevent_hub.core.working_days import WorkingCalendar

    calendar = WorkingCalendar.load()
    day = calendar.nth_working_day_back(complaint.respond_by, 4)
    assert complaint_reminders_send(day) == 1
    assert sorted(mail.outbox[0].to) == sorted([complaint.owner.email, complaint.investigator.email])
    assert complaint.reference in mail.outbox[0].subject
    assert "pat" not in mail.outbox[0].body.lower()  # nothing the complainant said
    assert complaint_reminders_send(day) == 0
    # Overdue the day after, and then again after an extension passes.
    after = complaint.respond_by + datetime.timedelta(days=1)
    assert Complaint.objects.filter(response_overdue(after), pk=complaint.pk).exists()
    assert complaint_reminders_send(after) == 1
    assert complaint_reminders_send(after) == 0
    assert Reminder.objects.filter(complaint=complaint).count() == 2
