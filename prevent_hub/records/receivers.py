"""Carrying out an accepted erasure request (rights.signals): the same
deletion path as retention, inside the decision's transaction."""

from django.dispatch import receiver

from prevent_hub.rights.models import Decision, RequestKind, RightsRequest
from prevent_hub.rights.signals import rights_request_decided

from .services import person_erase


@receiver(rights_request_decided, sender=RightsRequest, dispatch_uid="records.erasure")
def erasure_carried_out(sender, *, request, acting_user, **kwargs):
    """Only a fully accepted erasure deletes, and everything about the
    person: a partly accepted one names in its reasons what a Prevent
    coordinator is to correct or remove by hand."""
    if request.kind != RequestKind.ERASURE or request.decision != Decision.ACCEPTED:
        return None
    person_id = request.person_id
    run = person_erase(person_id=person_id, request_reference=request.reference, acting_user=acting_user)
    # The request outlives the person it was about (until its own retention
    # date): it keeps their former id only.
    request.person, request.person_former_id = None, person_id
    deleted = [reference for row in run.report if row["outcome"] == "deleted"
               for reference in (row["reference"], row["with_referral"]) if reference]
    return (f"Erased: {len(deleted)} record{'s' if len(deleted) != 1 else ''} deleted "
            f"({', '.join(deleted)}) by the retention deletion path, each leaving a tombstone with no "
            f"personal data (retention run {run.pk}).")
