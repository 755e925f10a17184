"""Training compliance for partner systems (a school trust's or the
council's performance reporting): per organisation, how many learners are
in date, due soon, overdue or never trained. Scoped by the same access
rules as the compliance page (training administrators: every organisation;
an organisation's training lead: their own).

Counts only: no learner is named, and nothing of their certificates or
evidence is here. The standings are the service's own rules
(training.selectors, read by training.compliance as the page reads them),
so the API and the page cannot disagree."""

from django.conf import settings
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel, Field

from prevent_hub.access import Action
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.training import compliance

from ..auth import requires
from ..models import ApiScope
from .listing import refuse_unknown_parameters

router = Router(tags=["Training"])


class OrganisationComplianceOut(BaseModel):
    organisation: str = Field(description="The organisation's name.")
    learners: int = Field(description="Learners recorded with the organisation who have not left it.")
    in_date: int = Field(description="Learners whose training runs out after the due-soon period.")
    due_soon: int = Field(description="Learners whose training runs out today or within the due-soon period "
                                      "(TRAINING_DUE_SOON_DAYS, 60 days unless the council changed it).")
    overdue: int = Field(description="Learners whose training ran out before today.")
    never_trained: int = Field(description="Learners with no completion of a course that counts.")


@router.get("/compliance", response={200: list[OrganisationComplianceOut]}, url_name="training-compliance",
            summary="Training compliance per organisation")
@requires(ApiScope.TRAINING_READ, Action.TRAINING_VIEW)
def training_compliance(request):
    """How each organisation the token's account may see stands today: its
    learners and how many of them are in date, due soon, overdue or never
    trained (each learner in exactly one), by organisation name."""
    refuse_unknown_parameters(request, allowed=frozenset())
    rows = compliance.compliance_of(user=request.user, by=compliance.BY_ORGANISATION,
                                    today=timezone.localdate())
    audit_read(action=AuditAction.SEARCH, object_type="training.learner", details={
        "list": "training compliance", "via": "api", "rows": len(rows),
        "due_soon_days": settings.TRAINING_DUE_SOON_DAYS})
    return [row.as_api() for row in rows]
