"""Changes to the contact directory. Each is one transaction with its audit
event inside. Public pages read the directory on every request, so a change
shows on them at once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import CONDITIONS, Contact, RoutingRule, RoutingRuleContact

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


# Routing rules -----------------------------------------------------------------

RULE_FIELDS = (
    "title", "advice", "when_danger", "when_online", "when_who", "when_age", "offer", "position",
    "is_active",
)


def _normalised(field, values):
    """Condition answers in the order the question lists them, each once."""
    choices = next(choices for name, _answer, choices, _question in CONDITIONS if name == field)
    values = [str(value) for value in values]
    unknown = [value for value in values if value not in choices.values]
    if unknown:
        raise ValidationError({field: f"Not an answer to this question: {', '.join(unknown)}"})
    return [value for value in choices.values if value in values]


def _unique_key(title: str) -> str:
    base = slugify(title)[:50].strip("-") or "rule"
    key, number = base, 1
    while RoutingRule.objects.filter(key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key


def _contacts_set(rule: RoutingRule, contacts) -> bool:
    """Replace the rule's contacts with `contacts`, in that order. True if they changed."""
    contacts = list(contacts)
    if len({contact.pk for contact in contacts}) != len(contacts):
        raise ValidationError({"contacts": "Choose each contact once"})
    current = list(rule.rule_contacts.order_by("position").values_list("contact_id", flat=True))
    if current == [contact.pk for contact in contacts]:
        return False
    rule.rule_contacts.all().delete()
    RoutingRuleContact.objects.bulk_create(
        RoutingRuleContact(rule=rule, contact=contact, position=position)
        for position, contact in enumerate(contacts, start=1)
    )
    return True


def _prepared(changes: dict) -> dict:
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    return {
        field: _normalised(field, value) if field.startswith("when_") else value
        for field, value in changes.items()
    }


@transaction.atomic
def routing_rule_create(*, acting_user, contacts=(), key: str = "", **fields) -> RoutingRule:
    """Add a routing rule. The key is made from the title unless one is given."""
    rule = RoutingRule(key=key or _unique_key(fields.get("title", "")), **_prepared(fields))
    rule.full_clean()
    rule.save()
    _contacts_set(rule, contacts)
    audit_event_record(
        action=AuditAction.CREATE, obj=rule, actor=acting_user,
        changed_fields=sorted({*fields, "contacts"} if contacts else set(fields)),
        details={"key": rule.key},
    )
    return rule


@transaction.atomic
def routing_rule_update(*, acting_user, rule: RoutingRule, contacts=None, **changes) -> RoutingRule:
    """Change a rule's conditions, advice, contacts, position or whether it is used.

    Records which fields changed (never their text).
    """
    changes = _prepared(changes)
    changed = [field for field, value in changes.items() if getattr(rule, field) != value]
    for field in changed:
        setattr(rule, field, changes[field])
    if changed:
        rule.full_clean()
        rule.save(update_fields=changed)
    if contacts is not None and _contacts_set(rule, contacts):
        changed.append("contacts")
    if changed:
        audit_event_record(
            action=AuditAction.UPDATE, obj=rule, changed_fields=changed, actor=acting_user,
            details={"key": rule.key},
        )
    return rule
