""""May see this record" (the rules, `can(user, action, record)`) and "this
record is in my lists" (the scopes, `scope(user, queryset)`) always agree.

Every role (from the policy) against records in every state that changes the
answer: shared with police or not, on the case team or not, on the agenda of a
meeting the user is invited to (current, long past, cancelled) or not,
invited to a meeting or not. A role or record kind added later is covered by
the loops; a kind with a scope needs its "see" action here.
"""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.access import Action, can, scope
from prevent_hub.access.roles import Role
from prevent_hub.access.scopes import SCOPES
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import ChannelCase
from prevent_hub.channel.tests.factories import ChannelCaseFactory, team_member_add
from prevent_hub.complaints.models import Complaint
from prevent_hub.complaints.tests.factories import complaint_investigating, complaint_received
from prevent_hub.panels.models import PanelMeeting
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, member_add
from prevent_hub.people.models import Person
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.training.models import Learner
from prevent_hub.training.tests.factories import learner
from prevent_hub.venues.models import VenueBooking
from prevent_hub.venues.tests.factories import booking_submitted, venue_with_room

pytestmark = pytest.mark.django_db

# Each record kind with a scope, and the action that means "see one of them".
# Kinds seen only as part of something else say so with None.
SEE = {
    "referrals.Referral": Action.REFERRAL_VIEW,
    "people.Person": Action.PERSON_VIEW,
    "channel.ChannelCase": Action.CASE_VIEW,
    "panels.PanelMeeting": Action.PANEL_VIEW,
    "venues.VenueBooking": Action.VENUE_BOOKING_VIEW,
    "complaints.Complaint": Action.COMPLAINT_VIEW,
    "training.Learner": Action.TRAINING_VIEW,
    # Seen through their own screens, which check their own actions with no record.
    "accounts.User": None,
    "audit.AuditEvent": None,
    "api.ApiToken": None,
    "records.LegalHold": None,
    "records.RetentionRun": None,
    "rights.RightsRequest": None,
}


def test_every_scoped_kind_says_what_seeing_one_means():
    assert set(SCOPES) == set(SEE)


def _records(users):
    """Records in every state that matters, some of them tied to `users`."""
    now = timezone.now()
    shared = ReferralFactory(police_shared_at=now)
    unshared = ReferralFactory()
    person_shared, person_unshared, person_alone = PersonFactory(), PersonFactory(), PersonFactory()
    Referral.objects.filter(pk=shared.pk).update(person=person_shared)
    Referral.objects.filter(pk=unshared.pk).update(person=person_unshared)

    on_team, on_agenda, on_old_agenda, on_cancelled_agenda, nobodys = (
        ChannelCaseFactory() for _ in range(5))
    today = timezone.localdate()
    current = PanelMeetingFactory(date=today)
    long_past = PanelMeetingFactory(date=today - datetime.timedelta(days=400))
    cancelled = PanelMeetingFactory(date=today, status="cancelled")
    uninvited = PanelMeetingFactory(date=today)
    item_add(current, on_agenda)
    item_add(long_past, on_old_agenda)
    item_add(cancelled, on_cancelled_agenda)
    item_add(uninvited, nobodys)
    for user in users:
        team_member_add(on_team, user)
        for meeting in (current, long_past, cancelled):
            member_add(meeting.panel, user)
    return {
        "referrals.Referral": [shared, unshared],
        "people.Person": [person_shared, person_unshared, person_alone],
        "channel.ChannelCase": [on_team, on_agenda, on_old_agenda, on_cancelled_agenda, nobodys],
        "panels.PanelMeeting": [current, long_past, cancelled, uninvited],
        "venues.VenueBooking": [booking_submitted(venue_with_room(acting_user=users[0])[1])],
        # Investigated by one of the users with the role, by nobody here, and
        # not yet given to anyone.
        "complaints.Complaint": [
            complaint_investigating(investigated_by=next(u for u in users if u.has_role(
                Role.INVESTIGATING_OFFICER))),
            complaint_investigating(), complaint_received()],
        # In the organisation of one of the users with the role, and in one of nobody's here.
        "training.Learner": [
            learner(organisation=next(u for u in users if u.has_role(Role.TRAINING_LEAD)).organisation),
            learner()],
    }


MODELS = {"referrals.Referral": Referral, "people.Person": Person,
          "channel.ChannelCase": ChannelCase, "panels.PanelMeeting": PanelMeeting,
          "venues.VenueBooking": VenueBooking, "complaints.Complaint": Complaint,
          "training.Learner": Learner}


def test_may_see_and_in_my_lists_agree_for_every_role_and_record():
    involved = [UserFactory(roles=[role]) for role in Role.values]
    bystanders = [UserFactory(roles=[role]) for role in Role.values]
    every_role = UserFactory(roles=Role.values)
    records = _records([*involved, every_role])
    disagreements = []
    checked = 0
    for user in [*involved, *bystanders, every_role]:
        for kind, action in SEE.items():
            if action is None:
                continue
            for record in records[kind]:
                fresh = MODELS[kind].objects.get(pk=record.pk)
                may_see = can(user, action, fresh)
                listed = scope(user, MODELS[kind].objects.filter(pk=record.pk)).exists()
                checked += 1
                if may_see != listed:
                    disagreements.append(
                        f"{'+'.join(sorted(user.roles))} {kind} {record.pk}: can={may_see} scope={listed}")
    assert checked == (2 * len(Role.values) + 1) * sum(len(r) for r in records.values())
    assert disagreements == [], "\n".join(disagreements)
