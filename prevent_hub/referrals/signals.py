"""What other capabilities may act on, in the same transaction as the
referral's own change. Referrals know nothing of what listens: Channel opens a
case on "proceed to Channel" (channel.receivers), so referrals depend on no
app above them."""

from django.dispatch import Signal

# Sent inside the gateway outcome's transaction, with `referral` (its outcome
# recorded) and `acting_user`; a receiver that raises undoes the outcome too.
gateway_outcome_recorded = Signal()
