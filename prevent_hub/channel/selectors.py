"""Reading Channel cases, always through the access rules."""

from prevent_hub.access import scope

from .models import ChannelCase


def cases_visible(*, user):
    """Every case `user` may see, newest first, with what a list shows."""
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("person", "referral")
        .only("reference", "status", "opened_at", "person__given_name", "person__family_name",
              "referral__reference")
        .order_by("-opened_at", "-pk")
    )


def case_get(*, user, pk: int) -> ChannelCase | None:
    """The case if `user` may see it, else None (the same as one that does not exist)."""
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("person", "referral", "opened_by")
        .filter(pk=pk)
        .first()
    )


def case_for_referral(*, user, referral) -> ChannelCase | None:
    """The case opened from `referral`, if there is one and `user` may see it."""
    return scope(user, ChannelCase.objects.all()).filter(referral=referral).first()
