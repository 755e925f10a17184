"""Reading referrals, always through the access rules."""

from prevent_hub.access import scope

from .models import Referral


def referral_get(*, user, reference: str) -> Referral | None:
    """The referral with this reference if `user` may see it, else None (so a
    reference someone may not see looks the same as one that does not exist)."""
    return scope(user, Referral.objects.all()).filter(reference=reference).first()


def referrals_earlier_for_same_person(*, user, referral: Referral) -> list[Referral]:
    """Earlier referrals confirmed as being about the same person, oldest first."""
    if referral.person_id is None:
        return []
    return list(
        scope(user, Referral.objects.all())
        .filter(person_id=referral.person_id, received_at__lt=referral.received_at)
        .exclude(pk=referral.pk)
        .order_by("received_at", "pk")
    )
