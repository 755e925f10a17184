"""An accepted erasure request runs the retention deletion path for everything
about the person; a held record stops it, and then nothing changes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.tests.helpers import verify
from prevent_hub.channel.models import CaseDocument, ChannelCase, Note
from prevent_hub.people.models import Person
from prevent_hub.referrals.models import Referral
from prevent_hub.rights import services as rights
from prevent_hub.rights.models import Decision, RequestKind, RequestStatus, RightsRequest
from prevent_hub.rights.tests.factories import request_with_person

from ..models import RetentionRun, RunTrigger, Tombstone
from .factories import hold_on, populated_case

pytestmark = pytest.mark.django_db


def erasure_for(person):
    return request_with_person(kind=RequestKind.ERASURE, person=person)


def test_an_accepted_erasure_deletes_everything_about_the_person_and_leaves_tombstones(
        django_capture_on_commit_callbacks):
    case, referral, person = populated_case(marker="Erasable")
    other = Referral.objects.create(**{
        field.name: getattr(referral, field.name) for field in Referral._meta.concrete_fields
        if field.name not in ("id", "reference", "submission_key")}, reference="PRV-2020-999999")
    stored = CaseDocument.objects.filter(case=case).values_list("file", flat=True).first()
    request = erasure_for(person)
    before = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        decided = rights.rights_request_decide(request=request, decision=Decision.ACCEPTED,
                                               reasons="Fictional: no longer needed",
                                               acting_user=request.logged_by)

    assert not ChannelCase.objects.filter(pk=case.pk).exists()
    assert not Referral.objects.filter(pk__in=[referral.pk, other.pk]).exists()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Note.objects.filter(case_id=case.pk).exists()
    assert not default_storage.exists(stored)
    run = RetentionRun.objects.get(trigger=RunTrigger.ERASURE)
    stones = {stone.reference for stone in Tombstone.objects.filter(run=run)}
    assert stones == {case.reference, referral.reference, other.reference, f"Person {person.pk}"}
    saved = RightsRequest.objects.get(pk=request.pk)
    assert saved.status == RequestStatus.COMPLETED and saved.person_id is None
    assert saved.person_former_id == person.pk
    assert f"Erased: 4 records deleted ({case.reference}" in decided.effects
    deletions = AuditEvent.objects.filter(sequence__gt=before, action=AuditAction.DELETE,
                                          object_type="records.retentionrun")
    assert deletions.count() == 1
    assert deletions.get().details["request"] == request.reference
    assert "Erasable" not in str(deletions.get().details)
    assert verify()[0] == 0


def test_a_held_record_stops_the_erasure_and_the_decision():
    case, referral, person = populated_case(marker="Held")
    hold_on(case=case)
    request = erasure_for(person)
    with pytest.raises(ValidationError, match="legal hold"):
        rights.rights_request_decide(request=request, decision=Decision.ACCEPTED,
                                     reasons="Fictional", acting_user=request.logged_by)
    assert ChannelCase.objects.filter(pk=case.pk).exists() and Person.objects.filter(pk=person.pk).exists()
    request.refresh_from_db()
    assert request.status != RequestStatus.COMPLETED and request.decision == ""
    assert not RetentionRun.objects.filter(trigger=RunTrigger.ERASURE).exists()


def test_a_refused_or_partly_accepted_erasure_deletes_nothing():
    case, referral, person = populated_case(marker="Kept")
    request = erasure_for(person)
    decided = rights.rights_request_decide(request=request, decision=Decision.PARTLY_ACCEPTED,
                                           reasons="Fictional: only the wrong address is to go",
                                           acting_user=request.logged_by)
    assert decided.effects == ""
    assert ChannelCase.objects.filter(pk=case.pk).exists() and Person.objects.filter(pk=person.pk).exists()
