"""Reads for the learner, own-record and course pages,
always through `access`: which organisations a user may work on, the
learners list with its search and filters, and one completion of a learner
the user may already see."""

import datetime

from django.db.models import Q

from prevent_hub.access import can
from prevent_hub.accounts.models import Organisation

from . import selectors
from .models import Completion, Learner

# The learners list's "standing" filter: the four compliance standings of
# learners still in their organisation (selectors.standings), leads flagged
# for the referrals course, and learners who have left.
LEAD_FLAGGED, LEFT = "lead_flagged", "left"


def organisations_for(user, action, *, active_only: bool = False) -> list[Organisation]:
    """The organisations whose learners `user` may take `action` on, asked
    of the access rules one organisation at a time (every one for a training
    administrator; their own for an organisation's training lead), so the
    choices a page offers and what the rules allow cannot disagree."""
    organisations = Organisation.objects.order_by("name", "pk")
    if active_only:
        organisations = organisations.filter(is_active=True)
    return [organisation for organisation in organisations
            if can(user, action, Learner(organisation=organisation))]


def learners_listed(*, user, search: str = "", organisation_id: int | None = None, standing: str = "",
                    today: datetime.date):
    """The learners `user` may see, matching a search of name, email or
    reference and the filters, in a fixed order (name, then when added)."""
    learners = selectors.learners_visible(user=user).select_related("organisation")
    if search:
        learners = learners.filter(Q(full_name__icontains=search) | Q(email__icontains=search)
                                   | Q(reference__iexact=search))
    if organisation_id:
        learners = learners.filter(organisation_id=organisation_id)
    if standing == LEFT:
        learners = learners.exclude(selectors.still_here(today))
    elif standing == LEAD_FLAGGED:
        learners = learners.filter(selectors.still_here(today),
                                   selectors.lead_without_referrals_course(today))
    elif standing:
        learners = learners.filter(selectors.still_here(today), selectors.standings(today)[standing])
    return learners.order_by("full_name", "pk")


def completion_of(learner: Learner, pk: int) -> Completion | None:
    """One of `learner`'s completions (the learner already read through access)."""
    return learner.completions.select_related("course").filter(pk=pk).first()


def own_completion(*, user, pk: int) -> Completion | None:
    """One of the signed-in user's own completions, or None: never anyone else's."""
    learner = selectors.own_learner(user=user)
    if learner is None:
        return None
    return completion_of(learner, pk)
