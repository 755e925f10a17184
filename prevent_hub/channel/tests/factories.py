"""Test data for Channel cases. Everything here is obviously fictional."""

import factory
from django.utils import timezone

from prevent_hub.accounts.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import ChannelCase
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory


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
