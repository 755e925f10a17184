"""Reading API tokens, and what the partner API reads about referrals."""

from prevent_hub.access import scope
from prevent_hub.channel.models import ChannelCase
from prevent_hub.referrals.models import Referral

from .models import ApiToken, token_hash


def api_token_for(token: str) -> ApiToken | None:
    """The token row for a presented token, revoked or not (the caller says
    why it is refused). Looked up by hash: the token itself is never stored."""
    return (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def api_token_list(*, user):
    """Every token `user` may see, newest first, with who it acts for."""
    return scope(user, ApiToken.objects.all()).select_related("user", "created_by", "revoked_by")


def api_token_get(*, user, pk: int) -> ApiToken | None:
    return api_token_list(user=user).filter(pk=pk).first()


def api_tokens_with_prefix(prefix: str):
    """For the revoke command, run by someone with access to the server."""
    return ApiToken.objects.select_related("user").filter(prefix=prefix)


def referral_exists_unseen(*, reference: str) -> int | None:
    """The id of a referral with this reference, whoever may see it: only to
    record a refused look-up in the audit trail, never to answer with."""
    return Referral.objects.filter(reference=reference).values_list("pk", flat=True).first()


def channel_case_id_for(*, user, referral: Referral) -> int | None:
    return scope(user, ChannelCase.objects.filter(referral=referral)).values_list("pk", flat=True).first()
