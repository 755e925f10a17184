"""Channel's part in what happens to referrals and people: the apps below it
send signals inside their own transactions, and these receivers do Channel's
share of the work in the same transaction (so both happen or neither)."""

from django.dispatch import receiver

from prevent_hub.referrals.models import GatewayOutcome, Referral
from prevent_hub.referrals.signals import gateway_outcome_recorded

from .services import case_open_from_referral


@receiver(gateway_outcome_recorded, sender=Referral, dispatch_uid="channel-opens-case-on-gateway-outcome")
def case_open_on_proceed_to_channel(sender, *, referral, acting_user, **kwargs):
    if referral.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL:
        case_open_from_referral(referral=referral, acting_user=acting_user)
