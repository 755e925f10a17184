"""Changes to organisations. Each is one transaction with its audit event inside.

User accounts are changed through prevent_hub.accounts.services and the contact
directory through prevent_hub.directory.services; the screens here call those.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prevent_hub.accounts.models import Organisation
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

DUPLICATE_NAME = "An organisation called %(name)s already exists"


def _refuse_duplicate_name(name: str, *, excluding: Organisation | None = None):
    others = Organisation.objects.filter(name__iexact=name)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    existing = others.values_list("name", flat=True).first()
    if existing is not None:
        raise ValidationError(
            {"name": ValidationError(DUPLICATE_NAME, code="duplicate", params={"name": existing})}
        )


def _save(organisation: Organisation, **kwargs):
    # The check above and the database constraint (on lower(name)) agree; the
    # constraint catches two administrators saving the same name at once.
    try:
        with transaction.atomic():
            organisation.save(**kwargs)
    except IntegrityError:
        raise ValidationError({"name": ValidationError(
            DUPLICATE_NAME, code="duplicate", params={"name": organisation.name})}) from None


@transaction.atomic
def organisation_create(*, acting_user, name: str, type: str, is_active: bool = True) -> Organisation:
    name = " ".join(name.split())
    _refuse_duplicate_name(name)
    organisation = Organisation(name=name, type=type, is_active=is_active)
    organisation.full_clean(validate_constraints=False)
    _save(organisation, force_insert=True)
    audit_event_record(
        action=AuditAction.CREATE, obj=organisation, changed_fields=["name", "type", "is_active"],
        actor=acting_user,
    )
    return organisation


@transaction.atomic
def organisation_update(*, acting_user, organisation: Organisation, **changes) -> Organisation:
    """Change name, type or whether the organisation is active; records which fields changed."""
    allowed = {"name", "type", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
    changed = [field for field, value in changes.items() if getattr(organisation, field) != value]
    if not changed:
        return organisation
    if "name" in changed:
        _refuse_duplicate_name(changes["name"], excluding=organisation)
    for field in changed:
        setattr(organisation, field, changes[field])
    organisation.full_clean(validate_constraints=False)
    _save(organisation, update_fields=changed)
    audit_event_record(
        action=AuditAction.UPDATE, obj=organisation, changed_fields=changed, actor=acting_user
    )
    return organisation
