"""Synthetic learners and completions for tests: obviously fictional names."""

import datetime
import itertools

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.training import services
from prevent_hub.training.models import Course

_numbers = itertools.count(1)


def administrator(**kwargs):
    return UserFactory(roles=[Role.TRAINING_ADMINISTRATOR], **kwargs)


def lead_of(organisation, **kwargs):
    """An organisation's training lead (a school's designated safeguarding lead)."""
    return UserFactory(roles=[Role.TRAINING_LEAD], organisation=organisation, **kwargs)


def course(code: str) -> Course:
    """One of the courses every council starts with (training migration 0002)."""
    return Course.objects.get(code=code)


def learner(*, acting_user=None, organisation=None, **values):
    number = next(_numbers)
    defaults = {"full_name": f"Alex Example-Learner{number}", "email": f"learner{number}@example.test",
                "organisation": organisation or OrganisationFactory(), "job_role": "Teacher"}
    return services.learner_create(acting_user=acting_user or administrator(), **{**defaults, **values})


def completed(learner, code: str, on: datetime.date, *, acting_user=None, **values):
    return services.completion_record(learner=learner, course=course(code), completed_on=on,
                                      acting_user=acting_user or administrator(), **values)
