"""The demo referrals fill every tab of the queue, through the real services."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from prevent_hub.accounts.models import User
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import ChannelCase
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.people.matching import candidates_for_referral
from prevent_hub.referrals import selectors
from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralKind, ReferralStatus
from prevent_hub.referrals.services import reference_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("load_demo_data")
    return User.objects.get(email__startswith="coordinator@")


def test_every_tab_has_referrals_and_some_are_overdue(demo):
    calendar = WorkingCalendar.load()
    cutoffs = selectors.overdue_cutoffs(calendar=calendar, today=timezone.localdate())
    counts = selectors.triage_queue_counts(user=demo, cutoffs=cutoffs)
    assert counts["new"] >= 5 and counts["awaiting"] >= 5 and counts["decided"] >= 8
    assert 0 < counts["new_overdue"] < counts["new"]
    assert 0 < counts["awaiting_overdue"] < counts["awaiting"]
    # The stories told at triage (legacy_import's demo adds years of imported ones for the statistics).
    assert 25 <= Referral.objects.filter(imported_at__isnull=True).count() <= 50
    assert set(Referral.objects.values_list("kind", flat=True)) == set(ReferralKind.values)


def test_decided_referrals_have_each_outcome_and_channel_cases_with_people(demo):
    outcomes = set(Referral.objects.filter(status=ReferralStatus.DECIDED)
                   .values_list("gateway_outcome", flat=True))
    assert outcomes == set(GatewayOutcome.values)
    cases = ChannelCase.objects.select_related("referral", "person")
    assert cases.exists()
    for case in cases:
        assert case.referral.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL
        assert case.referral.person == case.person


def test_the_repeat_referral_finds_the_person_already_known(demo):
    repeat = Referral.objects.get(status=ReferralStatus.NEW, subject_given_name="Testeena")
    candidates = candidates_for_referral(repeat, user=demo)
    assert [candidate.person.full_name for candidate in candidates] == ["Testina Example"]


def test_the_same_boy_is_put_forward_for_his_teachers_referral_with_the_concern_nobody_identified(demo):
    from prevent_hub.people.matching import candidates_and_pending_for_referral

    teachers = Referral.objects.get(subject_given_name="Jaiden", subject_family_name="Demosen")
    people, pending = candidates_and_pending_for_referral(teachers, user=demo)
    assert [candidate.person.full_name for candidate in people] == ["Jayden Demoson"]
    assert {"similar name", "age fits the date of birth", "same address"} <= set(people[0].comparison.short)
    assert [candidate.referral.subject_name for candidate in pending] == ["Jay Demoson"]


def test_a_name_written_with_and_without_polish_letters_is_found(demo):
    repeat = Referral.objects.get(subject_given_name="Lucja")
    assert [candidate.person.full_name for candidate in candidates_for_referral(repeat, user=demo)] == [
        "Łucja Demowska"]


def test_the_trail_reads_as_real_work_and_everything_is_fictional(demo):
    shared = Referral.objects.filter(imported_at__isnull=True).exclude(status=ReferralStatus.NEW)
    updates = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="referrals.referral")
    assert updates.filter(details__step="shared_with_police").count() == shared.count()
    for referral in Referral.objects.filter(imported_at__isnull=True):
        assert referral.subject_postcode_key[:4] in ("ZZ99", "")  # a neighbour may not know it
        assert "Example" in referral.subject_address
        assert referral.concern_description.startswith("Fictional demo concern")
        assert referral.police_shared_at is None or referral.police_shared_at >= referral.received_at
        assert referral.reference == reference_for(referral)  # back-dated with its reference


def test_loading_demo_data_emails_nobody(settings, mailoutbox, django_capture_on_commit_callbacks):
    # Demo referrers are fictional; `make run` should end with the sign-in help on screen.
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data")
    assert Referral.objects.count() >= 25
    assert mailoutbox == []


@pytest.mark.parametrize("when", ["2029-07-16 09:30", "2032-02-29 14:00"])  # a Monday; a leap day
def test_the_demo_stories_still_hold_years_from_now(settings, when):
    """Demo dates are computed from today (core.demo.as_of_today), so as the
    calendar moves no child grows up out of their story and no clock breaks."""
    settings.DEMO_MODE = True
    moment = datetime.datetime.fromisoformat(when).replace(tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        call_command("load_demo_data")
        coordinator = User.objects.get(email__startswith="coordinator@")
        test_every_tab_has_referrals_and_some_are_overdue(coordinator)
        test_the_same_boy_is_put_forward_for_his_teachers_referral_with_the_concern_nobody_identified(
            coordinator)
        test_the_repeat_referral_finds_the_person_already_known(coordinator)
        teachers = Referral.objects.get(subject_given_name="Jaiden", subject_family_name="Demosen")
        assert 14 <= (timezone.localdate() - teachers.subject_date_of_birth).days // 365 <= 15
        assert all(referral.received_at <= timezone.now() for referral in Referral.objects.all())


def test_demo_referrals_have_reporting_details_recorded_by_a_coordinator(demo):
    from prevent_hub.referrals.reporting import received_on
    from prevent_hub.reporting.categories import age_on

    demo_referrals = Referral.objects.filter(submission_key__startswith="demo:")
    decided = demo_referrals.filter(status=ReferralStatus.DECIDED)
    assert not decided.filter(concern_type="").exists()
    assert len(set(decided.values_list("concern_type", flat=True))) >= 5
    awaiting = demo_referrals.filter(status=ReferralStatus.AWAITING_GATEWAY)
    assert awaiting.filter(concern_type="").exists() and awaiting.exclude(concern_type="").exists()
    assert not demo_referrals.filter(status=ReferralStatus.NEW).exclude(concern_type="").exists()
    shared = demo_referrals.exclude(status=ReferralStatus.NEW)
    assert not shared.filter(sector="").exists() and not shared.filter(ethnicity="").exists()
    public = demo_referrals.filter(kind=ReferralKind.PUBLIC)
    assert set(public.values_list("sector", flat=True)) == {"community"}
    for referral in demo_referrals.exclude(subject_date_of_birth=None).exclude(ethnicity=""):
        assert referral.age_at_referral == age_on(referral.subject_date_of_birth, received_on(referral))
    # The Channel stories' referrals have theirs too, so the cases count by concern.
    stories = Referral.objects.filter(submission_key__startswith="demo-channel:")
    assert stories.exists() and not stories.filter(concern_type="").exists()
    recorded = AuditEvent.objects.filter(action=AuditAction.UPDATE, details__reporting_details=True)
    assert recorded.count() == demo_referrals.exclude(ethnicity="").count() + stories.count()
    assert set(recorded.values_list("actor", flat=True)) == {demo.pk}
