"""Issuing, revoking and using partner API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import PREFIX_LENGTH, TOKEN_START, ApiScope, ApiToken, token_hash

NAME_MAX = ApiToken._meta.get_field("name").max_length
# How stale "last used" may get before a call updates it: one write a minute
# per busy token, not one per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_issue(*, user, scopes, name: str = "", acting_user=None) -> tuple[ApiToken, str]:
    """Issue a token acting for `user` with these scopes. Returns the row and
    the token itself, which is not kept anywhere: show it once."""
    scopes = sorted({str(scope) for scope in scopes})
    errors = {}
    if not user.is_active:
        errors["user"] = f"{user.email} is deactivated: reactivate the account first"
    if not scopes:
        errors["scopes"] = "Give at least one scope"
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown:
        errors["scopes"] = (f"Unknown scope {', '.join(unknown)}. "
                            f"Scopes are: {', '.join(ApiScope.values)}")
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        errors["name"] = f"The name must be {NAME_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    plaintext = TOKEN_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, scopes=scopes, prefix=plaintext[:PREFIX_LENGTH],
            token_hash=token_hash(plaintext),
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        audit_event_record(
            action=AuditAction.CREATE, obj=token, changed_fields=["user", "scopes", "name"],
            details={"api_token": token.prefix, "user": user.pk, "scopes": scopes},
            actor=acting_user,
        )
    return token, plaintext


def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    """Revoke a token: every later call with it is refused. Revoking twice
    changes nothing."""
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:
            return current
        current.revoked_at = timezone.now()
        current.revoked_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
        current.save(update_fields=["revoked_at", "revoked_by"])
        audit_event_record(
            action=AuditAction.UPDATE, obj=current, changed_fields=["revoked_at", "revoked_by"],
            details={"api_token": current.prefix, "revoked": True}, actor=acting_user,
        )
    return current


def api_token_touch(*, token: ApiToken) -> None:
    """Note that a token was used (at most once a minute; the call itself is
    in the audit trail)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
