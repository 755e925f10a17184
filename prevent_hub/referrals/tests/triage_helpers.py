"""Sample triage records for tests outside this app (the URL × role matrix)."""

from django.utils import timezone

from prevent_hub.referrals.models import ReferralStatus

from .factories import ReferralAttachmentFactory, ReferralFactory


def shared_referral():
    """A referral shared with police and awaiting its gateway outcome: every
    role allowed to see referrals may see it (police included)."""
    return ReferralFactory(status=ReferralStatus.AWAITING_GATEWAY, police_shared_at=timezone.now(),
                           police_shared_method="secure_email")


def shared_referral_kwargs(user=None) -> dict:
    return {"reference": shared_referral().reference}


def attachment_kwargs(user=None) -> dict:
    referral = shared_referral()
    attachment = ReferralAttachmentFactory(referral=referral, draft=None)
    return {"reference": referral.reference, "pk": attachment.pk}


def channel_case_kwargs(user=None) -> dict:
    from prevent_hub.channel.tests.factories import ChannelCaseFactory

    return {"pk": ChannelCaseFactory().pk}
