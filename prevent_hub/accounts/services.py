"""Changes to accounts. Each is one transaction with its audit event inside."""

from django.db import models, transaction

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.email_addresses import canonical_email

from . import second_factor
from .models import Organisation, RoleAssignment, Session, User


def sessions_end_all(*, user: User, except_session_key: str | None = None) -> int:
    """End the user's sessions everywhere (optionally keeping the current one)."""
    sessions = Session.objects.filter(user=user)
    if except_session_key:
        sessions = sessions.exclude(session_key=except_session_key)
    ended, _ = sessions.delete()
    return ended


@transaction.atomic
def user_sign_out_everywhere(*, acting_user: User, current_session_key: str | None = None) -> int:
    ended = sessions_end_all(user=acting_user, except_session_key=current_session_key)
    audit_event_record(
        action=AuditAction.UPDATE, obj=acting_user, changed_fields=["sessions"],
        details={"sessions_ended": ended},
    )
    return ended


@transaction.atomic
def user_session_end(*, acting_user: User, session_key: str) -> bool:
    """End one of your own sessions (chosen on Your account). False if it had
    already ended; someone else's session is never touched."""
    ended, _ = Session.objects.filter(user=acting_user, session_key=session_key).delete()
    if ended:
        audit_event_record(
            action=AuditAction.UPDATE, obj=acting_user, changed_fields=["sessions"],
            details={"sessions_ended": ended},
        )
    return bool(ended)


@transaction.atomic
def user_sessions_end_by_administrator(*, acting_user: User, user: User) -> int:
    """A system administrator signs someone out everywhere, leaving the
    account active: they can sign in again at once."""
    if user == acting_user:
        raise ValueError("You cannot sign yourself out everywhere here. "
                         "Use Your account to sign out of your other sessions.")
    ended = sessions_end_all(user=user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=user, changed_fields=["sessions"],
        details={"sessions_ended": ended, "by_administrator": True},
    )
    return ended


@transaction.atomic
def sessions_end_everyone(*, acting_user: User, reason: str, keep_session_key: str | None = None) -> int:
    """Sign everyone out of every session (after a security incident, say),
    except the administrator's own current session, so they can see it done.
    Sessions nobody has signed in to go too. One audit event names the reason."""
    if not reason.strip():
        raise ValueError("Give a reason for signing everyone out.")
    sessions = Session.objects.all()
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended, _ = sessions.delete()
    audit_event_record(
        action=AuditAction.DELETE, object_type="accounts.session", object_id="all",
        changed_fields=["sessions"],
        details={"everyone_signed_out": True, "sessions_ended": ended, "reason": reason.strip()[:500]},
    )
    return ended


@transaction.atomic
def user_create(
    *, acting_user: User, email: str, full_name: str, organisation: Organisation,
    job_title: str = "", roles=(),
) -> User:
    user = User.objects.create_user(
        email, None, full_name=full_name, organisation=organisation, job_title=job_title
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, granted_by=acting_user)
    audit_event_record(
        action=AuditAction.CREATE, obj=user,
        changed_fields=["email", "full_name", "organisation", "job_title", "roles"],
    )
    return user


@transaction.atomic
def user_update(*, acting_user: User, user: User, **changes) -> User:
    """Change name, email, job title or organisation; records which fields changed."""
    allowed = {"email", "full_name", "job_title", "organisation"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    changed = [field for field, value in changes.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, changes[field])
    if changed:
        if "email" in changed:
            user.email = canonical_email(user.email)
        user.full_clean()
        user.save(update_fields=changed)
        audit_event_record(action=AuditAction.UPDATE, obj=user, changed_fields=changed)
    return user


@transaction.atomic
def user_roles_set(*, acting_user: User, user: User, roles) -> User:
    wanted = set(roles)
    current = set(user.role_assignments.values_list("role", flat=True))
    if user == acting_user and Role.SYSTEM_ADMINISTRATOR in current - wanted:
        # Someone must always be able to administer: not by removing yourself.
        raise ValueError("You cannot remove your own system administrator role.")
    if wanted == current:
        return user
    user.role_assignments.filter(role__in=current - wanted).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role, granted_by=acting_user) for role in wanted - current]
    )
    user.__dict__.pop("roles", None)
    audit_event_record(
        action=AuditAction.UPDATE, obj=user, changed_fields=["roles"],
        details={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )
    return user


@transaction.atomic
def user_deactivate(*, acting_user: User, user: User, reason: str) -> User:
    """Switch the account off and end its sessions at once."""
    if user == acting_user:
        raise ValueError("You cannot deactivate your own account.")
    if not reason.strip():
        raise ValueError("Give a reason for deactivating the account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_all(user=user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=user, changed_fields=["is_active"],
        details={"deactivated": True, "sessions_ended": ended, "reason": reason.strip()[:500]},
    )
    return user


@transaction.atomic
def user_reactivate(*, acting_user: User, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_event_record(action=AuditAction.UPDATE, obj=user, changed_fields=["is_active"],
                       details={"deactivated": False})
    return user


class IdentityCheck(models.TextChoices):
    """How a system administrator confirmed that the person asking for a
    second-factor reset is the account's owner (ASVS V6.4.4): each by a route
    the asker does not control. docs/administration.md describes them."""

    CALLED_BACK = "called_back", "I called them back on a telephone number we already held"
    IN_PERSON = "in_person", "I met them in person and checked their photo ID"
    MANAGER = "manager", "Their line manager, whom I know, confirmed the request to me"


@transaction.atomic
def user_second_factor_reset(
    *, acting_user: User, user: User, identity_check: str, identity_check_details: str,
) -> int:
    """An administrator clears a user's authenticator and recovery codes; the
    user sets up a new one at their next sign-in. Their sessions end too.

    Only after the administrator has confirmed who asked: how (one of
    IdentityCheck) and what they did go into the audit event, which also
    records who did it and when. The details are written for an auditor;
    the form asks for no telephone numbers or ID numbers."""
    if user == acting_user:
        raise ValueError("You cannot reset your own second factor.")
    if identity_check not in IdentityCheck.values or not identity_check_details.strip():
        raise ValueError("Record how you confirmed who asked for the reset.")
    removed = second_factor.remove_devices(user)
    ended = sessions_end_all(user=user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=user, changed_fields=["second_factor"],
        details={"devices_removed": removed, "sessions_ended": ended, "identity_check": identity_check,
                 "identity_check_details": identity_check_details.strip()[:500]},
    )
    return removed


@transaction.atomic
def organisations_create_many(*, names, type: str, acting_user, details: dict | None = None) -> list:
    """Add organisations named `names` (already checked to be new, each name
    once), in bulk, each with its audit event: for a spreadsheet import that
    names organisations the service does not know yet. Call inside the
    caller's transaction; a name taken meanwhile fails the whole write
    (the database's constraint on lower(name))."""
    from prevent_hub.audit.services import audit_events_record_many

    made = Organisation.objects.bulk_create(
        [Organisation(name=" ".join(name.split()), type=type) for name in names], batch_size=500)
    audit_events_record_many([{"action": AuditAction.CREATE, "obj": organisation,
                               "changed_fields": ["name", "type"], "details": details}
                              for organisation in made], actor=acting_user)
    return made
