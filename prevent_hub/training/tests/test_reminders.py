"""Reminder emails before a completion's refresh date: who gets one and
when, once per completion however many times (or at once) the job runs, and
what the email says."""

import datetime

import pytest
import time_machine
from django.test import override_settings

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.core.scheduler import scheduled
from prevent_hub.training import services
from prevent_hub.training.models import CompletionReminder
from prevent_hub.training.tasks import completion_remind, completion_reminders_send, reminders_due

from .factories import administrator, completed, learner

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
                               tick=False)


@pytest.fixture
def admin():
    return administrator()


def test_a_learner_is_reminded_sixty_days_before_and_only_once(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin, full_name="Ann Example-Teacher", email="ann@example.test")
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)  # refresh by 1 March 2026
    with at(D(2025, 12, 30)):  # 60 days before is 31 December
        assert completion_reminders_send() == 0
    with at(D(2025, 12, 31)):
        assert completion_reminders_send() == 1
        assert completion_reminders_send() == 0
    with at(D(2026, 1, 1)):
        assert completion_reminders_send() == 0
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["ann@example.test"]
    assert email.subject == "Your Prevent awareness training needs refreshing by 1 March 2026"
    assert "Dear Ann Example-Teacher" in email.body
    assert "completed on 1 March 2024" in email.body
    assert "https://www.support-people-vulnerable-to-radicalisation.service.gov.uk/" in email.body
    assert "certificate reference" in email.body
    # No account here: the email says who records it instead of linking to a sign-in page.
    assert "/staff/" not in email.body
    assert "training lead" in email.body
    assert CompletionReminder.objects.count() == 1


def test_a_learner_with_an_account_is_sent_to_their_own_record(admin, mailoutbox):
    user = UserFactory(email="bea@example.test")
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin, email="bea@example.test")
        assert person.user == user
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    with at(D(2026, 1, 10)):
        assert completion_reminders_send() == 1
    assert "/staff/training/yours/" in mailoutbox[0].body


def test_a_completion_followed_by_a_newer_one_or_a_refresher_is_not_reminded_about(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        renewed = learner(acting_user=admin)
        completed(renewed, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
        refreshed = learner(acting_user=admin)
        completed(refreshed, "prevent-awareness", D(2022, 3, 1), acting_user=admin)
        completed(refreshed, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    with at(D(2025, 6, 1)):
        completed(renewed, "prevent-awareness", D(2025, 6, 1), acting_user=admin)
        completed(refreshed, "prevent-refresher", D(2025, 6, 1), acting_user=admin)
    with at(D(2026, 1, 10)):
        assert completion_reminders_send() == 0
    with at(D(2027, 4, 10)):  # the newer ones run out on 1 June 2027: one reminder each
        assert completion_reminders_send() == 2
    assert sorted(email.subject for email in mailoutbox) == [
        "Your Prevent awareness refresher training needs refreshing by 1 June 2027",
        "Your Prevent awareness training needs refreshing by 1 June 2027"]


def test_a_refresher_followed_by_the_course_itself_is_not_reminded_about(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2022, 1, 1), acting_user=admin)
        completed(person, "prevent-refresher", D(2024, 3, 1), acting_user=admin)
    with at(D(2024, 9, 1)):
        completed(person, "prevent-awareness", D(2024, 9, 1), acting_user=admin)
    with at(D(2026, 1, 10)):
        assert completion_reminders_send() == 0


def test_each_course_is_reminded_about_separately_on_the_same_day_once(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        lead = learner(acting_user=admin, is_safeguarding_lead=True)
        completed(lead, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
        completed(lead, "prevent-referrals", D(2024, 3, 1), acting_user=admin)
        completed(lead, "prevent-refresher", D(2024, 3, 1), acting_user=admin)  # same day as awareness
    with at(D(2026, 1, 10)):
        assert completion_reminders_send() == 2
    assert sorted(email.subject.split(" training")[0] for email in mailoutbox) == [
        "Your Prevent awareness refresher", "Your Prevent referrals"]


def test_learners_who_have_left_and_courses_that_do_not_count_are_not_reminded(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        leaver = learner(acting_user=admin)
        completed(leaver, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
        services.learner_left(learner=leaver, left_on=D(2024, 3, 1), acting_user=admin)
        workshop = learner(acting_user=admin)
        completed(workshop, "local-workshop", D(2023, 3, 1), acting_user=admin)  # 36 months
    with at(D(2026, 1, 10)):
        assert completion_reminders_send() == 0
    assert mailoutbox == []


def test_training_that_has_already_run_out_gets_no_reminder(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    with at(D(2026, 3, 2)):
        assert completion_reminders_send() == 0
    with at(D(2026, 3, 1)):  # the last day it is in date
        assert completion_reminders_send() == 1


@override_settings(TRAINING_REMINDER_DAYS=10)
def test_the_reminder_period_is_a_setting(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    with at(D(2026, 2, 18)):
        assert completion_reminders_send() == 0
    with at(D(2026, 2, 19)):
        assert completion_reminders_send() == 1


def test_two_runs_at_once_send_one_email(admin, mailoutbox):
    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    with at(D(2026, 1, 10)):
        # Both runs read the reminders due before either sends.
        first, second = list(reminders_due(D(2026, 1, 10))), list(reminders_due(D(2026, 1, 10)))
        assert completion_remind(first[0]) is True
        assert completion_remind(second[0]) is False
    assert len(mailoutbox) == 1


def test_a_reminder_that_could_not_be_sent_is_tried_again_next_time(admin, mailoutbox, monkeypatch):
    from prevent_hub.training import tasks

    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("fictional mail server down")

    with at(D(2026, 1, 10)):
        monkeypatch.setattr(tasks, "send_mail", refused)
        assert completion_reminders_send() == 0
        assert not CompletionReminder.objects.exists()
        monkeypatch.undo()
        assert completion_reminders_send() == 1
    assert len(mailoutbox) == 1


def test_nothing_is_sent_while_the_demo_loads(admin, mailoutbox):
    from prevent_hub.core import demo

    with at(D(2024, 3, 1)):
        person = learner(acting_user=admin)
        completed(person, "prevent-awareness", D(2024, 3, 1), acting_user=admin)
    token = demo._loading.set(True)
    try:
        with at(D(2026, 1, 10)):
            assert completion_reminders_send() == 0
    finally:
        demo._loading.reset(token)
    assert mailoutbox == [] and not CompletionReminder.objects.exists()


def test_the_reminders_run_every_day():
    jobs = {job.name: job for job in scheduled()}
    job = jobs["prevent_hub.training.tasks.completion_reminders_send_task"]
    assert job.every == datetime.timedelta(days=1)
