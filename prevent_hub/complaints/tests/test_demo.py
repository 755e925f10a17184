"""The complaints demo: a complaint in every scope and status, one overdue
to acknowledge, one overdue to answer, one extended, made through the
services."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from prevent_hub.audit.models import AuditEvent
from prevent_hub.complaints.models import Complaint, Scope, Status
from prevent_hub.complaints.selectors import acknowledgement_overdue, response_overdue


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_the_demo_has_a_complaint_in_every_scope_and_status_with_one_overdue_and_one_extended(demo):
    complaints = Complaint.objects.all()
    assert set(complaints.values_list("status", flat=True)) == set(Status.values)
    assert set(complaints.exclude(scope="").values_list("scope", flat=True)) == set(Scope.values)
    today = timezone.localdate()
    assert complaints.filter(acknowledgement_overdue(today)).count() == 1
    assert complaints.filter(response_overdue(today)).count() == 1
    extended = complaints.get(extended_to__isnull=False)
    assert extended.case is not None and extended.legal_holds.filter(lifted_at__isnull=True).exists()
    assert extended.investigator.email.startswith("investigator@")
    answered = complaints.get(status=Status.RESPONDED)
    assert answered.outcome == "partly_upheld" and answered.responded_on <= answered.respond_by
    assert "Local Government and Social Care Ombudsman" in answered.letters.get(kind="response").body
    # Made through the services, and no fictional person was emailed.
    assert AuditEvent.objects.filter(object_type="complaints.complaint").count() >= complaints.count()
    assert mail.outbox == []
