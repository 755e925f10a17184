"""Referrals and Channel cases placed in a financial year, for the year's
statistics. Made directly (no audit event): the tables count records, not
how they came to be. Everything here is obviously fictional."""

import datetime
import zoneinfo

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import ConsentAnswer
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.channel.tests.factories_consent_support import ConsentFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def uk_time(year, month, day, hour=12, minute=0, second=0) -> datetime.datetime:
    """A moment as a clock in the UK shows it (BST in summer)."""
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


def referral(received_at=None, **fields):
    """A referral received at `received_at` (noon on 10 May 2023, UK time,
    unless given) with no reporting details unless given."""
    fields.setdefault("person", PersonFactory())
    return ReferralFactory(received_at=received_at or uk_time(2023, 5, 10), **fields)


def imported_referral(received_at=None, *, external_reference, **fields):
    """A referral brought from the council's earlier records."""
    fields.setdefault("imported_by", UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    return referral(received_at, external_reference=external_reference, imported_at=timezone.now(),
                    kind="practitioner", **fields)


def decided(received_at=None, *, outcome=GatewayOutcome.NO_FURTHER_ACTION, decided_on=None, **fields):
    received_at = received_at or uk_time(2023, 5, 10)
    return referral(received_at, status=ReferralStatus.DECIDED, gateway_outcome=outcome,
                    gateway_reasons="Fictional reasons for a test.",
                    gateway_decided_on=decided_on or received_at.date(), **fields)


def case(received_at=None, *, discussed_on=None, adopted_on=None, consents=(), decided_on=None,
         **referral_fields):
    """A referral that went to Channel, its case discussed and adopted on the
    days given, with the requests for consent given (each a dict of
    ConsentFactory fields)."""
    made = decided(received_at, outcome=GatewayOutcome.PROCEED_TO_CHANNEL, decided_on=decided_on,
                   **referral_fields)
    channel_case = ChannelCaseFactory(referral=made, person=made.person, first_discussed_on=discussed_on,
                                      adopted_on=adopted_on)
    for consent in consents:
        ConsentFactory(case=channel_case, **consent)
    return channel_case


def adopted(received_at=None, *, consents=(), **referral_fields):
    received_at = received_at or uk_time(2023, 5, 10)
    day = received_at.date() + datetime.timedelta(days=20)
    return case(received_at, discussed_on=day, adopted_on=day, consents=consents, **referral_fields)


GIVEN = {"answer": ConsentAnswer.GIVEN}
REFUSED = {"answer": ConsentAnswer.REFUSED}
