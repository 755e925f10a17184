"""Sign-in, sign-out, failed sign-in, lockout and refused access go into the
audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from prevent_hub.access.signals import access_refused
from prevent_hub.core.email_addresses import canonical_email
from prevent_hub.core.signals import malware_found, rate_limited

from .models import AuditAction
from .services import audit_event_record, audit_permission_denied, audit_refusal, audit_security_event


def _account_named(credentials):
    """The account a failed attempt named, if it exists. The typed text itself
    is never stored: people type passwords into the email box."""
    email = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    return get_user_model().objects.filter(email=canonical_email(email)).first()


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_event_record(action=AuditAction.SIGN_IN, obj=user, actor=user)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_event_record(action=AuditAction.SIGN_OUT, obj=user, actor=user)


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    account = _account_named(credentials)
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.SIGN_IN_FAILED,
            obj=account,
            details={"known_account": account is not None},
        )


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    account = _account_named({"username": username})
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.LOCKOUT,
            obj=account,
            details={"known_account": account is not None},
        )


@receiver(access_refused, dispatch_uid="audit-records-refusals")
def record_refusal(sender, action, obj=None, **kwargs):
    audit_permission_denied(action=action, obj=obj)


@receiver(rate_limited, dispatch_uid="audit-records-rate-limits")
def record_rate_limited(sender, purpose, **kwargs):
    audit_refusal(status=429, details={"rate_limit": purpose})


@receiver(malware_found, dispatch_uid="audit-records-malware")
def record_malware_found(sender, signature, size, **kwargs):
    audit_security_event(action=AuditAction.PERMISSION_DENIED,
                         details={"refused": "malware in upload", "signature": signature, "size": size})
