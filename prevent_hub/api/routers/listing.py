"""What the list and detail endpoints share: paging limits, refusing
parameters the API does not have, and auditing a refused look-up."""

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_permission_denied, audit_read

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
