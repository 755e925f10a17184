"""Panel reviews, review reminders, and a new referral about a person whose
case has exited."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import (
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    ChronologyEntry,
    ChronologyKind,
    Review,
    ReviewKind,
)
from prevent_hub.channel.reviews import exited_cases_for_person, review_record, review_reminders_send
from prevent_hub.people.services import match_confirm
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories_reviews import case_in, post_exit_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], email="casey.coordinator@example.test")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# Panel reviews -------------------------------------------------------------------


def test_recording_a_review_sets_the_next_review_date(coordinator, settings):
    settings.REVIEW_INTERVAL_DAYS = 28
    case = case_in(CaseStatus.SUPPORT)
    held_on = _days(-3)
    review = review_record(case=case, held_on=held_on, outcome="Fictional: support continues.",
                           acting_user=coordinator)
    assert (review.kind, review.completed_on, review.outcome) == (
        ReviewKind.PANEL_REVIEW, held_on, "Fictional: support continues.")
    case.refresh_from_db()
    assert case.next_review_date == held_on + datetime.timedelta(days=28)
    assert case.status == CaseStatus.SUPPORT
    upcoming = case.reviews.get(completed_on__isnull=True)
    assert upcoming.due_date == case.next_review_date
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="channel.channelcase",
                                     changed_fields=["next_review_date"]).exists()
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.REVIEW).count() == 1

    # The next review completes the one that was due rather than adding another.
    review_record(case=case, held_on=_days(-1), outcome="Fictional.", acting_user=coordinator)
    assert case.reviews.filter(completed_on__isnull=False).count() == 2
    assert list(case.reviews.filter(completed_on__isnull=True).values_list("due_date", flat=True)) == [
        _days(-1) + datetime.timedelta(days=28)]


def test_a_consent_refused_case_has_a_reassessment_review(coordinator):
    case = case_in(CaseStatus.CONSENT_REFUSED)
    review_record(case=case, held_on=_days(-1), outcome="Fictional.", acting_user=coordinator)
    assert ChronologyEntry.objects.filter(case=case, summary__startswith="Re-assessment review").exists()


@pytest.mark.parametrize("status", [CaseStatus.ADOPTED, CaseStatus.EXITED, CaseStatus.SCREENING])
def test_reviews_are_refused_outside_support(coordinator, status):
    case = case_in(status)
    with pytest.raises(ValidationError):
        review_record(case=case, held_on=_days(-1), outcome="Fictional.", acting_user=coordinator)
    assert not case.reviews.exists()


def test_a_review_needs_an_outcome(coordinator):
    with pytest.raises(ValidationError) as error:
        review_record(case=case_in(), held_on=_days(-1), outcome="", acting_user=coordinator)
    assert "outcome" in error.value.message_dict


def test_the_reviews_page_is_for_the_case_team_not_intervention_providers(staff_client):
    member = staff_client(Role.PANEL_MEMBER)
    case = case_in(CaseStatus.SUPPORT, user=member.user)
    url = reverse("channel:case-reviews", kwargs={"pk": case.pk})
    assert member.get(url).status_code == 200
    assert member.get(reverse("channel:case-reviews", kwargs={"pk": case_in().pk})).status_code == 404
    provider = staff_client(Role.INTERVENTION_PROVIDER)
    case = case_in(CaseStatus.SUPPORT, user=provider.user)
    assert provider.get(reverse("channel:case-reviews", kwargs={"pk": case.pk})).status_code == 403


def test_viewing_the_reviews_page_is_audited(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = case_in()
    client.get(reverse("channel:case-reviews", kwargs={"pk": case.pk}))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.channelcase",
                                     object_id=str(case.pk)).exists()


# Reminders -------------------------------------------------------------------------


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """The daily sweep; its emails go once the transaction commits."""

    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return review_reminders_send(now=now)

    return run


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))


def test_a_post_exit_review_due_soon_gets_one_reminder_without_personal_details(
        coordinator, settings, send):
    settings.POST_EXIT_REMINDER_DAYS = 14
    case = case_in(CaseStatus.EXITED)
    case.person.given_name, case.person.family_name = "Fictionalia", "Testperson"
    case.person.save()
    review = post_exit_review(case, 6, due_date=datetime.date(2027, 3, 10))

    assert send(now=_at(datetime.date(2027, 2, 23))) == 0  # 15 days before
    assert mail.outbox == []
    assert send(now=_at(datetime.date(2027, 2, 24))) == 1  # 14 days before
    assert send(now=_at(datetime.date(2027, 2, 24))) == 0
    assert send(now=_at(datetime.date(2027, 3, 1))) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["casey.coordinator@example.test"]
    text = message.subject + message.body
    assert case.reference in text and "10 March 2027" in text and "6-month post-exit review" in text
    assert reverse("channel:case-reviews", kwargs={"pk": case.pk}) in message.body
    for personal in ("Fictionalia", "Testperson", case.referral.reference):
        assert personal not in text
    review.refresh_from_db()
    assert review.reminder_sent_at == _at(datetime.date(2027, 2, 24))
    entry = ChronologyEntry.objects.get(case=case, kind=ChronologyKind.EMAIL)
    assert entry.summary == "Reminder sent: 6-month post-exit review due 10 March 2027"


def test_an_overdue_review_gets_one_more_reminder(coordinator, send):
    case = case_in(CaseStatus.EXITED)
    post_exit_review(case, 12, due_date=datetime.date(2027, 3, 10))
    assert send(now=_at(datetime.date(2027, 3, 1))) == 1
    assert send(now=_at(datetime.date(2027, 3, 10))) == 0  # due today: not overdue
    assert send(now=_at(datetime.date(2027, 3, 11))) == 1
    assert send(now=_at(datetime.date(2027, 3, 12))) == 0
    assert send(now=_at(datetime.date(2027, 4, 30))) == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Overdue")
    summary = "Reminder sent: 12-month post-exit review overdue (was due 10 March 2027)"
    assert ChronologyEntry.objects.filter(case=case, summary=summary).exists()


def test_completed_reviews_and_closed_cases_get_no_reminders(coordinator, send):
    done = case_in(CaseStatus.EXITED)
    post_exit_review(done, 6, due_date=datetime.date(2027, 3, 10), completed_on=datetime.date(2027, 3, 1))
    closed = case_in(CaseStatus.CLOSED)
    post_exit_review(closed, 6, due_date=datetime.date(2027, 3, 10))
    assert send(now=_at(datetime.date(2027, 3, 5))) == 0
    assert mail.outbox == []


def test_reminders_go_to_the_case_team_coordinators_when_there_are_any(coordinator, send):
    on_team = UserFactory(roles=[Role.PREVENT_COORDINATOR], email="team.coordinator@example.test")
    case = case_in(CaseStatus.EXITED)
    CaseTeamMember.objects.create(case=case, user=on_team, role=CaseRole.COORDINATOR,
                                  added_at=timezone.now(), added_by=on_team)
    post_exit_review(case, 6, due_date=datetime.date(2027, 3, 10))
    send(now=_at(datetime.date(2027, 3, 1)))
    assert [message.to for message in mail.outbox] == [["team.coordinator@example.test"]]


def test_panel_reviews_get_reminders_too(coordinator, settings, send):
    settings.REVIEW_INTERVAL_DAYS = 28
    case = case_in(CaseStatus.SUPPORT, next_review_date=_days(5))
    assert send() == 1
    review = Review.objects.get(case=case)
    assert (review.kind, review.due_date) == (ReviewKind.PANEL_REVIEW, _days(5))
    assert "Panel review" in mail.outbox[0].body
    assert send() == 0


def test_a_consent_refused_case_is_reminded_of_its_reassessment_date(coordinator, send):
    case = case_in(CaseStatus.CONSENT_REFUSED, reassessment_date=_days(3))
    assert send() == 1
    assert Review.objects.get(case=case).due_date == _days(3)
    assert send() == 0


def test_the_reminder_task_is_scheduled_daily():
    from prevent_hub.core.scheduler import scheduled

    jobs = {job.name: job for job in scheduled()}
    job = jobs["prevent_hub.channel.tasks.review_reminders_send_task"]
    assert job.every == datetime.timedelta(days=1)


def test_the_reminder_task_runs(coordinator, django_capture_on_commit_callbacks):
    from prevent_hub.channel.tasks import review_reminders_send_task

    post_exit_review(case_in(CaseStatus.EXITED), 6, due_date=_days(3))
    with django_capture_on_commit_callbacks(execute=True):
        result = review_reminders_send_task.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1


# A new referral after exit -----------------------------------------------------------


def test_a_new_referral_about_a_person_with_an_exited_case_is_linked_to_it(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in(CaseStatus.EXITED)
    referral = ReferralFactory(person=None)
    match_confirm(referral=referral, person=case.person, acting_user=client.user)

    entry = ChronologyEntry.objects.get(case=case, kind=ChronologyKind.REFERRAL, summary__startswith="New")
    assert entry.summary == f"New referral {referral.reference} received about this person after exit"
    assert exited_cases_for_person(user=client.user, person=case.person) == [case]

    page = client.get(reverse("triage:referral", kwargs={"reference": referral.reference})).content.decode()
    assert "This person has a Channel case that has exited" in page
    assert reverse("channel:case-reviews", kwargs={"pk": case.pk}) in page
    page = client.get(reverse("channel:case-reviews", kwargs={"pk": case.pk})).content.decode()
    assert "A new referral was received after exit: " in page and referral.reference in page


def test_cases_closed_after_exit_in_the_last_year_are_linked_but_not_older_ones(coordinator):
    recent = case_in(CaseStatus.CLOSED, exit_date=_days(-300), closed_at=timezone.now() - datetime.timedelta(
        days=30))
    person = recent.person
    old = case_in(CaseStatus.CLOSED, person=person, exit_date=_days(-900),
                  closed_at=timezone.now() - datetime.timedelta(days=500))
    transferred = case_in(CaseStatus.CLOSED, person=person, closed_at=timezone.now())
    open_case = case_in(CaseStatus.SUPPORT, person=person)
    referral = ReferralFactory(person=None)
    match_confirm(referral=referral, person=person, acting_user=coordinator)
    linked = set(ChronologyEntry.objects.filter(kind=ChronologyKind.REFERRAL, summary__startswith="New ")
                 .values_list("case_id", flat=True))
    assert linked == {recent.pk}
    assert old.pk not in linked and transferred.pk not in linked and open_case.pk not in linked


def test_a_person_without_an_exited_case_gets_no_link(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in(CaseStatus.SUPPORT)
    referral = ReferralFactory(person=None)
    match_confirm(referral=referral, person=case.person, acting_user=client.user)
    assert not ChronologyEntry.objects.filter(case__isnull=False, kind=ChronologyKind.REFERRAL).exists()
    page = client.get(reverse("triage:referral", kwargs={"reference": referral.reference})).content.decode()
    assert "has a Channel case that has exited" not in page
