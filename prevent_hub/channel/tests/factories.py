"""Test data for Channel cases. Everything here is obviously fictional."""

import datetime

import factory
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import Area, ChannelCase
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Area {n}")


def area_named(name: str) -> Area:
    """The area called `name` (made if it is new)."""
    return AreaFactory(name=name)


class ChannelCaseFactory(factory.django.DjangoModelFactory):
    """A case opened from a decided referral ("proceed to Channel") about a
    person. Made directly (no audit event): use the service in a test that is
    about opening a case."""

    class Meta:
        model = ChannelCase

    person = factory.SubFactory(PersonFactory)
    referral = factory.SubFactory(
        ReferralFactory,
        person=factory.SelfAttribute("..person"),
        status=ReferralStatus.DECIDED,
        police_shared_at=factory.LazyFunction(timezone.now),
        gateway_outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
        gateway_reasons="Fictional reasons for a test.",
        gateway_decided_on=factory.LazyFunction(timezone.localdate),
    )
    # Not the CH-<year>-<id> form the service makes, so the two never collide.
    reference = factory.Sequence(lambda n: f"CH-TEST-{n + 1:06d}")
    opened_at = factory.LazyFunction(timezone.now)
    opened_by = factory.SubFactory(UserFactory, roles=[Role.PREVENT_COORDINATOR])


def team_member_add(case, user, role=None):
    """Put `user` on `case`'s team (directly, no audit event). The case role
    follows the user's first team-relevant role unless given."""
    from prevent_hub.channel.models import CaseRole, CaseTeamMember

    if role is None:
        role = (CaseRole.INTERVENTION_PROVIDER if user.has_role(Role.INTERVENTION_PROVIDER)
                else CaseRole.MEMBER)
    return CaseTeamMember.objects.create(case=case, user=user, role=role, added_at=timezone.now(),
                                         added_by=case.opened_by)


def case_visible_to(user, **fields):
    """A case `user` may see: for panel members and intervention providers,
    one whose team they are on."""
    case = ChannelCaseFactory(**fields)
    if user.has_role(Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER):
        team_member_add(case, user)
    return case


class InformationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channel.InformationRequest"

    case = factory.SubFactory(ChannelCaseFactory)
    organisation_name = "Fictional Borough Children's Services"
    contact = "duty.team@example.org"
    question = "What contact has your service had with the family? (fictional)"
    requested_on = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    requested_by = factory.SelfAttribute("case.opened_by")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channel.Note"

    case = factory.SubFactory(ChannelCaseFactory)
    text = "A fictional note for a test."
    written_by = factory.SelfAttribute("case.opened_by")
    written_at = factory.LazyFunction(timezone.now)


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channel.CaseDocument"

    case = factory.SubFactory(ChannelCaseFactory)
    file = factory.django.FileField(filename="fictional.pdf", data=b"%PDF-1.4 fictional")
    original_name = "fictional-report.pdf"
    content_type = "application/pdf"
    size = 18
    uploaded_by = factory.SelfAttribute("case.opened_by")
    uploaded_at = factory.LazyFunction(timezone.now)


# URL x role matrix (tests/test_url_role_matrix.py): kwargs for a record the user may see.

def matrix_case_kwargs(user) -> dict:
    return {"pk": case_visible_to(user).pk}


def matrix_decision_kwargs(user) -> dict:
    return {"pk": case_visible_to(user).pk, "decision": "send-to-panel"}


def matrix_team_member_kwargs(user) -> dict:
    case = case_visible_to(user)
    member = team_member_add(case, UserFactory(roles=[Role.PANEL_MEMBER]))
    return {"pk": case.pk, "member_pk": member.pk}


def matrix_information_request_kwargs(user) -> dict:
    case = case_visible_to(user)
    return {"pk": case.pk, "request_pk": InformationRequestFactory(case=case).pk}


def matrix_note_kwargs(user) -> dict:
    case = case_visible_to(user)
    return {"pk": case.pk, "note_pk": NoteFactory(case=case).pk}


def matrix_document_kwargs(user) -> dict:
    case = case_visible_to(user)
    return {"pk": case.pk, "document_pk": CaseDocumentFactory(case=case).pk}


def matrix_person_kwargs(user) -> dict:
    return {"pk": case_visible_to(user).person_id}
