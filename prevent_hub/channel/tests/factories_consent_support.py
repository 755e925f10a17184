"""Test data for consent and support. Everything here is obviously fictional."""

import datetime

import factory
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.channel.models import (
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
    PlanAction,
    SupportPlan,
    SupportProvider,
)
from prevent_hub.people.tests.factories import PersonFactory

from .factories import ChannelCaseFactory


def adult_born(years_before=30):
    today = timezone.localdate()
    return today.replace(year=today.year - years_before) - datetime.timedelta(days=10)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent request to the person themselves (an adult), not yet answered."""

    class Meta:
        model = Consent

    case = factory.SubFactory(ChannelCaseFactory, status=CaseStatus.CONSENT_SOUGHT,
                              person=factory.SubFactory(PersonFactory, date_of_birth=adult_born()))
    giver = ConsentGiver.PERSON
    giver_name = factory.LazyAttribute(lambda consent: consent.case.person.full_name)
    asked_by = factory.SubFactory(UserFactory, roles=[Role.PREVENT_COORDINATOR])
    method = ConsentMethod.IN_PERSON
    asked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    recorded_by = factory.SelfAttribute("asked_by")
    recorded_at = factory.LazyFunction(timezone.now)


def case_with_consent_given(**case_fields):
    """A case in "consent given", its latest consent request answered "given"."""
    case = ChannelCaseFactory(status=CaseStatus.CONSENT_GIVEN,
                              person=PersonFactory(date_of_birth=adult_born()), **case_fields)
    ConsentFactory(case=case, answer=ConsentAnswer.GIVEN,
                   answered_on=timezone.localdate() - datetime.timedelta(days=5))
    return case


def case_in_support(*, started_on=None, last_delivered=None, **case_fields):
    started_on = started_on or timezone.localdate() - datetime.timedelta(days=3)
    case = case_with_consent_given(**case_fields)
    case.status = CaseStatus.SUPPORT
    case.support_started_on = started_on
    case.last_session_delivered_on = last_delivered
    case.save()
    return case


def plan_for(case, *, by=None):
    by = by or UserFactory(roles=[Role.PREVENT_COORDINATOR])
    return SupportPlan.objects.create(
        case=case, consent_how="At a meeting with the person.", consent_when="Within two weeks",
        consent_by_whom="The Prevent coordinator", nature_of_support="Fictional mentoring for a test.",
        how_and_when_provided="Weekly sessions.", updated_at=timezone.now(), updated_by=by,
    )


def provider_for(plan, **fields):
    organisation = fields.pop("organisation", None) or OrganisationFactory(
        type=OrganisationType.INTERVENTION_PROVIDER)
    return SupportProvider.objects.create(plan=plan, organisation=organisation,
                                          support_type=fields.pop("support_type", "Mentoring"), **fields)


def action_for(case, *, owner, description="Fictional action for a test", due_in_days=7):
    return PlanAction.objects.create(
        case=case, description=description, owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
        created_by=owner, created_at=timezone.now(),
    )


def join_team(case, user, role=CaseRole.INTERVENTION_PROVIDER):
    return CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                         added_by=case.opened_by)


# For tests/test_url_role_matrix.py: a record the requesting user may reach (on
# the case's team, for the roles that need it).

_TEAM_ROLE = {Role.PANEL_MEMBER: CaseRole.MEMBER, Role.INTERVENTION_PROVIDER: CaseRole.INTERVENTION_PROVIDER}


def _on_team(case, user):
    for role, case_role in _TEAM_ROLE.items():
        if user.has_role(role):
            join_team(case, user, case_role)
            break
    return case


def case_kwargs(user):
    return {"pk": _on_team(case_in_support(), user).pk}


def consent_kwargs(user):
    case = _on_team(case_in_support(), user)
    return {"pk": case.pk, "consent_pk": case.consents.get().pk}


def provider_kwargs(user):
    case = _on_team(case_in_support(), user)
    return {"pk": case.pk, "provider_pk": provider_for(plan_for(case)).pk}


def action_kwargs(user):
    case = _on_team(case_in_support(), user)
    return {"pk": case.pk, "action_pk": action_for(case, owner=user).pk}
