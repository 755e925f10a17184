"""Setting a password from an emailed link (reset, or a new account's first).

Kept out of services.py so the administration screens and this journey can
change independently; the same house rules apply: keyword-only arguments, one
transaction, the audit event inside it.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.db import transaction

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import User
from .services import sessions_end_all


@transaction.atomic
def user_password_set_from_link(*, acting_user: User, new_password: str) -> int:
    """Set the password of the person who followed the link (`acting_user`).

    Every session they have ends, wherever it is (someone who knew the old
    password is signed out), and any lockout on the account is lifted: proving
    control of the mailbox is what the cool-off was waiting for. The link's
    token stops working because it was derived from the old password hash.
    Returns how many sessions ended.
    """
    password_validation.validate_password(new_password, acting_user)
    acting_user.set_password(new_password)
    acting_user.save(update_fields=["password"])
    ended = sessions_end_all(user=acting_user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=acting_user, actor=acting_user,
        changed_fields=["password"], details={"by_email_link": True, "sessions_ended": ended},
    )
    axes_reset(username=acting_user.email)
    return ended


@transaction.atomic
def user_password_change(*, acting_user: User, new_password: str, current_session_key: str | None) -> int:
    """A signed-in person changes their own password (having given the current
    one and a second-factor code). Their other sessions end; this one stays.
    The email telling them so goes after commit. Returns how many ended."""
    from .tasks import password_changed_notice_send

    password_validation.validate_password(new_password, acting_user)
    acting_user.set_password(new_password)
    acting_user.save(update_fields=["password"])
    ended = sessions_end_all(user=acting_user, except_session_key=current_session_key)
    audit_event_record(
        action=AuditAction.UPDATE, obj=acting_user, actor=acting_user,
        changed_fields=["password"], details={"by_the_user": True, "other_sessions_ended": ended},
    )
    user_id = acting_user.pk
    transaction.on_commit(lambda: password_changed_notice_send.enqueue(user_id=user_id))
    return ended
