"""Test data for panels. Everything here is obviously fictional."""

import datetime

import factory
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.channel.tests.factories import AreaFactory
from prevent_hub.panels.models import (
    AgendaItem,
    AgendaReason,
    Attendance,
    ItemDecision,
    Minutes,
    OutsideMeetingDecision,
    OutsideMeetingKind,
    Panel,
    PanelMeeting,
    PanelMember,
)


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    name = factory.Sequence(lambda n: f"Test Channel Panel {n}")
    area = factory.SubFactory(AreaFactory)
    chair = factory.SubFactory(UserFactory, roles=[Role.CHANNEL_CHAIR])
    created_at = factory.LazyFunction(timezone.now)
    created_by = factory.SelfAttribute("chair")


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting (today, by default) with its draft minutes."""

    class Meta:
        model = PanelMeeting
        skip_postgeneration_save = True

    panel = factory.SubFactory(PanelFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = datetime.time(10, 0)
    location = "Committee Room 2, Fictional County Hall"
    created_at = factory.LazyFunction(timezone.now)
    created_by = factory.SelfAttribute("panel.chair")
    minutes = factory.RelatedFactory(
        "prevent_hub.panels.tests.factories.MinutesFactory", factory_related_name="meeting")


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    updated_at = factory.LazyFunction(timezone.now)
    updated_by = factory.SelfAttribute("meeting.panel.chair")


def item_add(meeting, case, *, reason=AgendaReason.ADDED_BY_CHAIR, review=None) -> AgendaItem:
    """Put `case` on `meeting`'s agenda directly (no audit event)."""
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, case=case, position=position, reason=reason,
                                     review=review, added_at=timezone.now(), added_by=meeting.panel.chair)


def member_add(panel, user) -> PanelMember:
    return PanelMember.objects.create(panel=panel, user=user, added_at=timezone.now(), added_by=panel.chair)


def police_present(meeting, *, area=None, item=None) -> Attendance:
    """A police representative for `area` (the panel's by default) at the meeting."""
    force = OrganisationFactory(name="Fictional Shire Constabulary", type=OrganisationType.POLICE)
    return Attendance.objects.create(
        meeting=meeting, name="PC Test Officer", organisation=force, organisation_name=force.name,
        organisation_type=OrganisationType.POLICE, police_area=area or meeting.panel.area, item=item,
        recorded_at=timezone.now(), recorded_by=meeting.panel.chair)


# URL × role matrix (tests/test_url_role_matrix.py) ------------------------------


def meeting_visible_to(user) -> PanelMeeting:
    """A meeting `user` may see: police and panel members are standing members of its panel."""
    meeting = PanelMeetingFactory()
    if user.has_role(Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER):
        member_add(meeting.panel, user)
    return meeting


def meeting_kwargs(user) -> dict:
    return {"pk": meeting_visible_to(user).pk}


def item_kwargs(user) -> dict:
    from prevent_hub.channel.tests.factories import ChannelCaseFactory

    meeting = meeting_visible_to(user)
    return {"pk": meeting.pk, "item_pk": item_add(meeting, ChannelCaseFactory()).pk}


def attendance_kwargs(user) -> dict:
    meeting = meeting_visible_to(user)
    return {"pk": meeting.pk, "attendance_pk": police_present(meeting).pk}


def panel_kwargs(user) -> dict:
    return {"panel_pk": PanelFactory().pk}


def panel_member_kwargs(user) -> dict:
    panel = PanelFactory()
    return {"panel_pk": panel.pk, "member_pk": member_add(panel, UserFactory(roles=[Role.PANEL_MEMBER])).pk}


def outside_decision(case, *, panel=None, decision=ItemDecision.ADOPT, consulted=(),
                     kind=OutsideMeetingKind.URGENT_CHAIR) -> OutsideMeetingDecision:
    """A decision taken outside a meeting, made directly (the case is not changed)."""
    panel = panel or PanelFactory()
    record = OutsideMeetingDecision.objects.create(
        panel=panel, case=case, kind=kind, decision=decision, decided_on=timezone.localdate(),
        chair=panel.chair, why_not_at_meeting="Fictional: it could not wait.", reasons="Fictional reasons.",
        recorded_at=timezone.now())
    record.consulted.set(consulted)
    return record


def outside_decision_kwargs(user) -> dict:
    from prevent_hub.channel.tests.factories import case_visible_to

    return {"pk": outside_decision(case_visible_to(user)).pk}


def outside_decision_case_kwargs(user) -> dict:
    from prevent_hub.channel.models import CaseStatus
    from prevent_hub.channel.tests.factories import case_visible_to

    return {"case_pk": case_visible_to(user, status=CaseStatus.AWAITING_PANEL).pk}
