"""The rules every completion meets, and how long one stays in date."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from prevent_hub.audit.models import AuditEvent
from prevent_hub.training import selectors, services
from prevent_hub.training.models import Completion, Learner

from .factories import administrator, completed, course, learner

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize("completed_on, months, due", [
    (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),  # no 29 February in 2026
    (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),  # a leap year again
    (datetime.date(2023, 2, 28), 12, datetime.date(2024, 2, 28)),  # not moved to the 29th
    (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
])
def test_a_completion_is_due_for_refresh_by_whole_calendar_months(completed_on, months, due):
    awareness = course("prevent-awareness")
    awareness.refresh_months = months
    awareness.save()
    person = learner()
    completion = completed(person, "prevent-awareness", completed_on)
    assert completion.expires_on == due
    person.refresh_from_db()
    assert person.trained_until == due


def test_the_referrals_course_needs_prevent_awareness_first():
    person = learner()
    with pytest.raises(ValidationError) as refused:
        completed(person, "prevent-referrals", datetime.date(2026, 1, 10))
    assert refused.value.message_dict["course"] == [
        "Prevent referrals needs Prevent awareness completed first (on or before the same day)"]
    assert not Completion.objects.exists()
    completed(person, "prevent-awareness", datetime.date(2026, 1, 12))
    with pytest.raises(ValidationError):  # awareness came two days later
        completed(person, "prevent-referrals", datetime.date(2026, 1, 10))
    completed(person, "prevent-referrals", datetime.date(2026, 1, 12))  # the same day is enough
    assert list(person.completions.values_list("course__code", flat=True).order_by("course__position")) == [
        "prevent-awareness", "prevent-referrals"]


def test_a_refresher_meets_the_prerequisite_of_the_course_it_refreshes():
    person = learner()
    completed(person, "prevent-awareness", datetime.date(2020, 3, 1))
    completed(person, "prevent-refresher", datetime.date(2025, 3, 1))
    person.completions.filter(course__code="prevent-awareness").delete()  # lost the original record
    completed(person, "prevent-referrals", datetime.date(2025, 4, 1))
    assert person.completions.count() == 2


def test_the_same_course_on_the_same_day_is_recorded_once():
    person = learner()
    completed(person, "prevent-awareness", datetime.date(2026, 1, 12))
    with pytest.raises(ValidationError) as refused:
        completed(person, "prevent-awareness", datetime.date(2026, 1, 12))
    assert "already recorded" in refused.value.message_dict["completed_on"][0]
    assert person.completions.count() == 1


@pytest.mark.parametrize("day, message", [
    (TODAY + datetime.timedelta(days=1), "The date the course was completed must be today or in the past"),
    (datetime.date(1999, 12, 31), "The date the course was completed must be on or after 1 January 2000"),
    (None, "Enter the date the course was completed"),
])
def test_a_completion_date_in_the_future_or_long_ago_is_refused(day, message):
    person = learner()
    with pytest.raises(ValidationError) as refused:
        completed(person, "prevent-awareness", day)
    assert refused.value.message_dict["completed_on"] == [message]
    assert not Completion.objects.exists()


def test_each_learner_has_exactly_one_standing():
    soon = selectors.due_soon_until(TODAY)
    never = learner()
    overdue = learner()
    completed(overdue, "prevent-awareness", datetime.date(2024, 6, 14))  # ran out yesterday
    due_today = learner()
    completed(due_today, "prevent-awareness", datetime.date(2024, 6, 15))
    due_last_day = learner()
    completed(due_last_day, "prevent-awareness", soon.replace(year=soon.year - 2))
    in_date = learner()
    completed(in_date, "prevent-awareness", (soon + datetime.timedelta(days=1)).replace(year=soon.year - 2))
    expected = {never: "never_trained", overdue: "overdue", due_today: "due_soon", due_last_day: "due_soon",
                in_date: "in_date"}
    for person, standing in expected.items():
        person.refresh_from_db()
        assert selectors.standing_of(person, TODAY) == standing
        matching = [name for name, rule in selectors.standings(TODAY).items()
                    if Learner.objects.filter(rule, pk=person.pk).exists()]
        assert matching == [standing]


def test_a_workshop_that_does_not_count_keeps_nobody_in_date():
    person = learner()
    completed(person, "local-workshop", datetime.date(2026, 1, 5))
    person.refresh_from_db()
    assert person.trained_until is None
    assert selectors.standing_of(person, TODAY) == "never_trained"


def test_leads_without_the_referrals_course_are_flagged():
    lead = learner(is_safeguarding_lead=True)
    completed(lead, "prevent-awareness", datetime.date(2026, 1, 5))
    lead.refresh_from_db()
    assert selectors.lead_flagged(lead, TODAY)
    completed(lead, "prevent-referrals", datetime.date(2026, 1, 6))
    lead.refresh_from_db()
    assert not selectors.lead_flagged(lead, TODAY)
    teacher = learner()
    teacher.refresh_from_db()
    assert not selectors.lead_flagged(teacher, TODAY)


def test_changing_a_refresh_period_moves_every_learners_date():
    person = learner()
    completed(person, "prevent-awareness", datetime.date(2025, 1, 10))
    services.course_save(course=course("prevent-awareness"), refresh_months=36, acting_user=administrator())
    person.refresh_from_db()
    assert person.trained_until == datetime.date(2028, 1, 10)
    assert person.completions.get().expires_on == datetime.date(2028, 1, 10)


def test_a_course_cannot_be_its_own_prerequisite_through_another():
    awareness, referrals = course("prevent-awareness"), course("prevent-referrals")
    with pytest.raises(ValidationError) as refused:
        services.course_save(course=awareness, prerequisite=referrals, acting_user=administrator())
    assert "cannot depend on itself" in refused.value.message_dict["prerequisite"][0]
    awareness.refresh_from_db()
    assert awareness.prerequisite is None


def test_recording_a_completion_is_audited_without_what_was_typed():
    admin = administrator()
    person = learner(acting_user=admin)
    completion = completed(person, "prevent-awareness", datetime.date(2026, 1, 5), acting_user=admin,
                           certificate_reference="HO-FICTIONAL-123")
    event = AuditEvent.objects.get(object_type="training.completion", object_id=str(completion.pk))
    assert event.actor == admin
    assert "HO-FICTIONAL-123" not in str(event.details) and "certificate_reference" in event.changed_fields


def test_staff_recording_their_own_training_get_a_learner_record_from_their_account():
    from prevent_hub.accounts.tests.factories import UserFactory

    teacher = UserFactory(full_name="Robin Example-Teacher", job_title="Head of year")
    completion = services.completion_record(learner=None, course=course("prevent-awareness"),
                                            completed_on=datetime.date(2026, 2, 2), acting_user=teacher)
    own = completion.learner
    assert (own.user, own.full_name, own.organisation, own.job_role, completion.source) == (
        teacher, "Robin Example-Teacher", teacher.organisation, "Head of year", "own")
    assert selectors.own_learner(user=teacher) == own


def test_removing_a_completion_another_needs_as_its_prerequisite_is_refused():
    person = learner()
    awareness = completed(person, "prevent-awareness", datetime.date(2026, 1, 5))
    completed(person, "prevent-referrals", datetime.date(2026, 1, 6))
    with pytest.raises(ValidationError) as refused:
        services.completion_remove(completion=awareness, reason="Recorded twice", acting_user=administrator())
    assert "needs this completion" in refused.value.message_dict["reason"][0]
    assert person.completions.count() == 2
