"""What the list and detail endpoints share: paging limits, refusing
parameters the API does not have, and auditing a refused look-up."""

from django.http import Http404

from prevent_hub.access import can
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_permission_denied, audit_read, audit_refusal

from ..problems import FieldError, RequestInvalid

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
LIST_PARAMETERS = frozenset({"limit", "offset"})
# Larger ids cannot exist (and SQLite cannot compare with them).
MAX_ID = 2**63 - 1


def id_in_range(pk: int) -> bool:
    return 0 < pk <= MAX_ID


def refuse_unknown_parameters(request, allowed=LIST_PARAMETERS):
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise RequestInvalid([FieldError(name, "This parameter is not part of the API: remove it",
                                         "parameter") for name in unknown])


def refused_look_up_record(model, pk: int, action):
    """A record that does not exist, or one this account may not see: the
    same 404 either way, but the audit trail tells them apart."""
    if id_in_range(pk) and model.objects.filter(pk=pk).exists():
        audit_permission_denied(action=action, obj=model(pk=pk))
    else:
        audit_read(action=AuditAction.SEARCH, object_type=model._meta.label_lower,
                   details={"id": str(pk)[:40], "found": False})


def by_reference_or_404(queryset, reference: str, *, user, action):
    """The record of `queryset` (already scoped to `user`) with `reference`,
    if `user` may take `action` on it. Otherwise the same 404 whether it
    does not exist or may not be seen, with the trail telling them apart (a
    reference that names nothing is flood-controlled, like every refused
    look-up)."""
    model = queryset.model
    longest = model._meta.get_field("reference").max_length
    plausible = len(reference) <= longest and "\x00" not in reference
    record = queryset.filter(reference=reference).first() if plausible else None
    if record is not None and can(user, action, record):
        return record
    unseen = (model.objects.filter(reference=reference).values_list("pk", flat=True).first()
              if plausible else None)
    if unseen is None:
        audit_refusal(status=404, object_type=model._meta.label_lower,
                      details={"reference": reference.replace("\x00", "")[:longest], "found": False})
    else:
        audit_permission_denied(action=action, obj=model(pk=unseen))
    raise Http404(f"No such {model._meta.verbose_name}")
