"""Test data for records management. Everything here is obviously fictional."""

import datetime

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChronologyEntry,
    ChronologyKind,
    DimensionJudgement,
    FactorEvidence,
    Review,
    ReviewKind,
    SupportSession,
    Transfer,
)
from prevent_hub.channel.tests.factories import (
    CaseDocumentFactory,
    ChannelCaseFactory,
    InformationRequestFactory,
    NoteFactory,
    team_member_add,
)
from prevent_hub.channel.tests.factories_assessments import draft_assessment
from prevent_hub.channel.tests.factories_consent_support import (
    ConsentFactory,
    action_for,
    plan_for,
    provider_for,
)
from prevent_hub.panels.models import Attendance, ItemAction, ItemInvitee, MinutesAddendum
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, outside_decision
from prevent_hub.people.models import MatchDecision, PersonChange, PersonDistinction, PersonMerge, PersonName
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import ReferralName
from prevent_hub.referrals.tests.factories import ReferralAttachmentFactory, ReferralFactory
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import policy_in_force

from ..models import HoldKind, LegalHold, RetentionRun, RunTrigger


def long_ago(days=400) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def due_referral(**fields):
    """A referral closed with no further action whose retention date has passed."""
    policy = policy_in_force(RecordType.REFERRAL_CLOSED, long_ago())
    fields.setdefault("person", PersonFactory())
    fields.setdefault("retain_until", long_ago())
    return ReferralFactory(status="decided", gateway_outcome="no_further_action", retention_policy=policy,
                           **fields)


def due_case(**fields):
    policy = policy_in_force(RecordType.CASE_NOT_ADOPTED, long_ago())
    fields.setdefault("retain_until", long_ago())
    return ChannelCaseFactory(status=CaseStatus.CLOSED, retention_policy=policy, **fields)


def hold_on(*, referral=None, case=None, person=None, ends_on=None, by=None, **fields) -> LegalHold:
    reference = (case.reference if case else referral.reference if referral else f"Person {person.pk}")
    return LegalHold.objects.create(
        referral=referral, case=case, person=person, reference=reference,
        kind=fields.pop("kind", HoldKind.COMPLAINT),
        reason=fields.pop("reason", "Fictional complaint C-0001"),
        ends_on=ends_on or timezone.localdate() + datetime.timedelta(days=90),
        placed_by=by or UserFactory(roles=[Role.DATA_PROTECTION_OFFICER]), placed_at=timezone.now(), **fields)


def populated_case(marker="Fictional"):
    """A closed Channel case past its retention date with at least one row
    of every model records.coverage lists as COVERED, files on disk, and
    `marker` written into its text. Returns (case, referral, person)."""
    person = PersonFactory(given_name=f"{marker}given", family_name=f"{marker}family")
    case = due_case(person=person)
    referral = case.referral
    referral.concern_description = f"{marker} concern"
    referral.save(update_fields=["concern_description"])
    user = case.opened_by
    now = timezone.now()
    # Referrals.
    ReferralName.objects.create(referral=referral, given_name=f"{marker}other", family_name="Example")
    ReferralAttachmentFactory(referral=referral, draft=None)
    # People: a name, a change, a merge (with the record merged away), a
    # distinction and a match decision.
    PersonName.objects.create(person=person, given_name=f"{marker}alias", family_name="Example",
                              source_referral=referral)
    PersonChange.objects.create(person=person, kind=PersonChange.Kind.EDIT, reasons=f"{marker} fix",
                                changed_by=user, changed_at=now)
    merged = PersonFactory(given_name=f"{marker}twin", merged_into=person)
    PersonMerge.objects.create(kept=person, merged=merged, reasons=f"{marker} same", merged_by=user,
                               merged_at=now, moved={})
    other = PersonFactory()
    low, high = sorted([person, other], key=lambda p: p.pk)
    PersonDistinction.objects.create(person=low, other=high, reasons=f"{marker} not same", decided_by=user,
                                     decided_at=now)
    MatchDecision.objects.create(referral=referral, person=person, answer=MatchDecision.Answer.CONFIRMED,
                                 decided_by=user, decided_at=now)
    # Channel.
    CaseTransition.objects.create(case=case, from_status=CaseStatus.SCREENING, to_status=CaseStatus.CLOSED,
                                  occurred_at=now, by=user, reasons=f"{marker} reasons")
    team_member_add(case, UserFactory(roles=[Role.PANEL_MEMBER]))
    InformationRequestFactory(case=case, question=f"{marker} question", requested_on=long_ago(),
                              due_date=long_ago(), requested_by=user)
    ConsentFactory(case=case, giver_name=f"{marker} giver")
    assessment = draft_assessment(case, user)
    dimension = assessment.framework.dimensions.first()
    FactorEvidence.objects.create(assessment=assessment, factor=dimension.factors.first(),
                                  evidence=f"{marker} evidence", source="Fictional school")
    DimensionJudgement.objects.create(assessment=assessment, dimension=dimension,
                                      judgement=f"{marker} judgement", author=user, written_at=now)
    plan = plan_for(case, by=user)
    provider = provider_for(plan)
    action = action_for(case, owner=user, description=f"{marker} action")
    SupportSession.objects.create(case=case, provider=provider, held_on=long_ago(), status="delivered",
                                  notes=f"{marker} session", recorded_by=user, recorded_at=now)
    review = Review.objects.create(case=case, kind=ReviewKind.POST_EXIT, months_after_exit=6,
                                   due_date=long_ago(), recorded_by=user)
    note = NoteFactory(case=case, text=f"{marker} note")
    NoteFactory(case=case, text=f"{marker} correction", addendum_to=note)
    CaseDocumentFactory(case=case)
    Transfer.objects.create(case=case, receiving_council="Fictional Council",
                            receiving_contact="x@example.org", reasons=f"{marker} moved", sent_at=now,
                            sent_by=user)
    ChronologyEntry.objects.create(case=case, person=person, occurred_at=now, kind=ChronologyKind.NOTE,
                                   summary=f"{marker} line")
    ChronologyEntry.objects.create(person=person, occurred_at=now, kind=ChronologyKind.REFERRAL,
                                   summary="Referral linked", object_type="referrals.referral",
                                   object_id=str(referral.pk))
    # Panels.
    meeting = PanelMeetingFactory()
    decision = outside_decision(case, panel=meeting.panel, consulted=[user])
    item = item_add(meeting, case, review=review)
    item.outside_decision = decision
    item.minute = f"{marker} minute"
    item.save(update_fields=["outside_decision", "minute"])
    ItemInvitee.objects.create(item=item, name=f"{marker} invitee", organisation_name="Fictional Org",
                               invited_at=now, invited_by=user)
    Attendance.objects.create(meeting=meeting, item=item, name="Fictional Guest",
                              organisation_name="Fictional Org", organisation_type="other", recorded_at=now,
                              recorded_by=user)
    ItemAction.objects.create(item=item, action=action)
    MinutesAddendum.objects.create(minutes=meeting.minutes, item=item, text=f"{marker} addendum",
                                   written_by=user, written_at=now)
    # An ended hold: its reason goes with the record.
    hold_on(case=case, ends_on=long_ago(1), reason=f"{marker} ended hold")
    return case, referral, person


# URL × role matrix (tests/test_url_role_matrix.py) --------------------------------


def hold_kwargs(user) -> dict:
    return {"pk": hold_on(referral=due_referral()).pk}


def run_kwargs(user) -> dict:
    run = RetentionRun.objects.create(as_of=timezone.localdate(), dry_run=True, trigger=RunTrigger.PAGE,
                                      started_at=timezone.now(), status="finished",
                                      counts={"due": 0}, report=[])
    return {"pk": run.pk}


# Training records ----------------------------------------------------------------------


def certificate(name="fictional-certificate.pdf"):
    """A certificate as a learner's evidence: a minimal PDF (checked by content)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def learner_due(*, courses=1, evidence=False, reminders=False, retain_until=None, **values):
    """A learner with `courses` completions (Prevent awareness, then its
    refreshers a day apart, long ago), each with a certificate if
    `evidence` and a reminder if `reminders`, whose retention date has
    passed (`retain_until`, by default long ago)."""
    from prevent_hub.training.models import CompletionReminder, Learner
    from prevent_hub.training.tests.factories import completed, learner

    person = learner(**values)
    trained_on = long_ago(900)
    for number in range(courses):
        code = "prevent-awareness" if number == 0 else "prevent-refresher"
        completion = completed(person, code, trained_on + datetime.timedelta(days=number),
                               **({"evidence": certificate()} if evidence else {}))
        if reminders:
            CompletionReminder.objects.create(completion=completion, sent_at=timezone.now())
    Learner.objects.filter(pk=person.pk).update(
        left_on=long_ago(), retain_until=retain_until or long_ago(),
        retention_policy=policy_in_force(RecordType.TRAINING_RECORD, long_ago()))
    person.refresh_from_db()
    return person
