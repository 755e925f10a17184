"""Synthetic complaints for tests: obviously fictional names."""

import datetime

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.complaints import services
from prevent_hub.complaints.models import Scope


def officer(**kwargs):
    from prevent_hub.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.COMPLAINTS_OFFICER], **kwargs)


def investigator(**kwargs):
    from prevent_hub.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.INVESTIGATING_OFFICER], **kwargs)


def answers(**overrides) -> dict:
    """What a parent complaining about a school's referral might say."""
    values = {
        "complainant_name": "Pat Example-Parent",
        "relationship": "parent_or_carer",
        "relationship_other": "",
        "affected_person_name": "Sam Example-Child",
        "contact_preference": "email",
        "email": "pat.parent@example.org",
        "phone": "",
        "address": "",
        "adjustments": "",
        "what_happened": "The school referred my son to Prevent without speaking to us first.",
        "happened_on": timezone.localdate() - datetime.timedelta(days=14),
        "happened_when": "",
        "organisation_kind": "school",
        "organisation_name": "Testford Example Academy",
        "outcome_wanted": "An explanation and an apology.",
        "organisation_consent": "given",
        "stacu_consent": "refused",
    }
    values.update(overrides)
    return values


def complaint_received(**overrides):
    """A complaint sent online, awaiting triage."""
    received_on = overrides.pop("received_on", None)
    source = overrides.pop("source", "online")
    acting_user = overrides.pop("acting_user", None)
    return services.complaint_submit(answers=answers(**overrides), received_on=received_on, source=source,
                                     acting_user=acting_user)


def complaint_investigating(*, by=None, investigated_by=None, points=("The referral was made without "
                                                                      "telling us",), **overrides):
    """A complaint about us, triaged, with an investigating officer and
    points of complaint awaiting findings."""
    by = by or officer()
    complaint = complaint_received(organisation_kind="council", organisation_name="", **overrides)
    complaint = services.complaint_triage(complaint=complaint, scope=Scope.BY_US, category="referral",
                                          reasons="", acting_user=by)
    complaint = services.investigator_assign(
        complaint=complaint, investigator=investigated_by or investigator(), acting_user=by)
    for summary in points:
        services.point_add(complaint=complaint, summary=summary, acting_user=by)
    return complaint


def complaint_found(*, finding="partly_upheld", **kwargs):
    """A complaint with a finding on every point, ready for its response."""
    complaint = complaint_investigating(**kwargs)
    for point in complaint.points.all():
        services.finding_record(point=point, finding=finding, reasons="We should have spoken to the family.",
                                acting_user=complaint.investigator)
    complaint.refresh_from_db()
    return complaint


def complaint_responded(**kwargs):
    complaint = complaint_found(**kwargs)
    by = complaint.owner
    subject, body = services.response_draft(complaint, "response", officer=by)
    services.response_send(complaint=complaint, subject=subject, body=body, acting_user=by)
    complaint.refresh_from_db()
    return complaint


# For the URL × role matrix: a complaint the requesting user may see (an
# investigating officer sees only one they investigate).


def matrix_complaint(user):
    investigated_by = user if user.has_role(Role.INVESTIGATING_OFFICER) else None
    complaint = complaint_investigating(investigated_by=investigated_by)
    return complaint


def matrix_complaint_kwargs(user) -> dict:
    return {"reference": matrix_complaint(user).reference}


def pdf_upload(name="fictional-statement.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def populated_complaint():
    """A complaint with one of everything: linked to a referral, a note, a
    document, a finding, an extension, shared with StaCU, answered."""
    from prevent_hub.referrals.tests.factories import ReferralFactory

    complaint = complaint_found(stacu_consent="given")
    by, investigated_by = complaint.owner, complaint.investigator
    referral = ReferralFactory()
    services.complaint_link(complaint=complaint, reference=referral.reference, acting_user=by)
    services.note_add(complaint=complaint, text="Spoke to the headteacher.", acting_user=investigated_by)
    services.document_add(complaint=complaint, upload=pdf_upload(), description="The school's account",
                          acting_user=investigated_by)
    services.complaint_share_with_stacu(complaint=complaint, method="Online form",
                                        shared_on=timezone.localdate(), acting_user=by)
    from prevent_hub.core.working_days import WorkingCalendar

    new_date = WorkingCalendar.load().add_working_days(complaint.respond_by, 5)
    services.complaint_extend(complaint=complaint, new_date=new_date, reason="Waiting for records.",
                              subject="More time", body="We need more time.", acting_user=by)
    complaint.refresh_from_db()
    subject, body = services.response_draft(complaint, "response", officer=by)
    services.response_send(complaint=complaint, subject=subject, body=body, acting_user=by)
    complaint.refresh_from_db()
    return complaint


def document_added(complaint, *, by=None, name="fictional-meeting-record.pdf"):
    return services.document_add(complaint=complaint, upload=pdf_upload(name),
                                 description="The school's record", acting_user=by or complaint.owner)


def letter_sent(complaint, *, by=None):
    """The acknowledgement, as the complaints officer sent it."""
    by = by or complaint.owner
    subject, body = services.response_draft(complaint, "acknowledgement", officer=by)
    return services.complaint_acknowledge(complaint=complaint, subject=subject, body=body, acting_user=by)


def matrix_point_kwargs(user) -> dict:
    return {**matrix_complaint_kwargs(user), "number": 1}


def matrix_document_kwargs(user) -> dict:
    complaint = matrix_complaint(user)
    return {"reference": complaint.reference, "pk": document_added(complaint).pk}


def matrix_letter_kwargs(user) -> dict:
    complaint = matrix_complaint(user)
    return {"reference": complaint.reference, "pk": letter_sent(complaint).pk}
