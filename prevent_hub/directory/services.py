"""Changes to the contact directory. Each is one transaction with its audit
event inside. Public pages read the directory on every request, so a change
shows on them at once."""

import datetime

from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import Contact

# Everything an administrator may change. The key is how pages find a
# contact, so it is fixed once the contact exists.
EDITABLE_FIELDS = (
    "name", "who_for", "phone", "phone_note", "web_address", "web_label", "email", "hours",
    "last_checked", "is_active",
)


@transaction.atomic
def contact_update(*, acting_user, contact: Contact, **changes) -> Contact:
    """Change a contact's details; records which fields changed (never values)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    changed = [field for field, value in changes.items() if getattr(contact, field) != value]
    if not changed:
        return contact
    for field in changed:
        setattr(contact, field, changes[field])
    contact.full_clean()
    contact.save(update_fields=changed)
    audit_event_record(
        action=AuditAction.UPDATE, obj=contact, changed_fields=changed, actor=acting_user
    )
    return contact


@transaction.atomic
def contact_mark_checked(
    *, acting_user, contact: Contact, checked_on: datetime.date | None = None
) -> Contact:
    """Record that someone confirmed the contact's details with the service today."""
    checked_on = checked_on or timezone.localdate()
    if contact.last_checked == checked_on:
        return contact
    contact.last_checked = checked_on
    contact.save(update_fields=["last_checked"])
    audit_event_record(
        action=AuditAction.UPDATE, obj=contact, changed_fields=["last_checked"],
        details={"marked_checked": True}, actor=acting_user,
    )
    return contact
