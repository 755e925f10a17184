"""Reads for the compliance pages, their downloads and the API, scoped
through `access` like every read of training records (selectors).

One organisation's learners are listed with their standing worked out by
the database from the same `selectors.standings` rules the counts use, so
a learner's tag and the number on the compliance page cannot disagree.
They are listed in a fixed order, by standing (those who need to act
first) and then by name: a sort on their dates, never a score."""

import datetime

from django.db.models import BooleanField, Case, CharField, IntegerField, Value, When

from prevent_hub.access import Action, can
from prevent_hub.accounts.models import Organisation
from prevent_hub.core.db_routers import report_read

from . import selectors
from .models import Learner
from .selectors import DUE_SOON, IN_DATE, NEVER_TRAINED, OVERDUE, ComplianceRow

# The order an organisation's learners are listed in: who needs to act first.
STANDING_ORDER = (OVERDUE, NEVER_TRAINED, DUE_SOON, IN_DATE)
BY_ORGANISATION, BY_ROLE = "organisation", "role"
# Larger ids cannot exist (and SQLite cannot compare with them).
MAX_ID = 2**63 - 1


def organisation_for(*, user, pk: int) -> Organisation | None:
    """The organisation with `pk` if `user` may see its learners, else None:
    training administrators any organisation, an organisation's training
    lead their own (asked of access as for a learner of that organisation)."""
    if not 0 < pk <= MAX_ID:
        return None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not can(user, Action.TRAINING_VIEW, Learner(organisation=organisation)):
        return None
    return organisation


def organisation_exists(pk: int) -> bool:
    return 0 < pk <= MAX_ID and Organisation.objects.filter(pk=pk).exists()


def standing_expression(today: datetime.date) -> Case:
    """A learner's standing, by the `selectors.standings` rules."""
    return Case(*(When(rule, then=Value(name)) for name, rule in selectors.standings(today).items()),
                output_field=CharField())


def standing_rank(today: datetime.date) -> Case:
    rules = selectors.standings(today)
    return Case(*(When(rules[name], then=Value(rank)) for rank, name in enumerate(STANDING_ORDER)),
                output_field=IntegerField())


def lead_flag(today: datetime.date) -> Case:
    return Case(When(selectors.lead_without_referrals_course(today), then=Value(True)), default=Value(False),
                output_field=BooleanField())


def organisation_learners(*, user, organisation: Organisation, today: datetime.date, standing: str = "",
                          flagged_only: bool = False):
    """The learners of `organisation` `user` may see who have not left it,
    each with its `standing` and whether it is `flagged` (a lead without the
    referrals course in date), by standing then name; optionally only those
    of one standing, or only flagged leads."""
    learners = (selectors.learners_visible(user=user).filter(organisation=organisation)
                .filter(selectors.still_here(today)))
    if standing:
        learners = learners.filter(selectors.standings(today)[standing])
    if flagged_only:
        learners = learners.filter(selectors.lead_without_referrals_course(today))
    return (learners.annotate(standing=standing_expression(today), standing_rank=standing_rank(today),
                              flagged=lead_flag(today))
            .order_by("standing_rank", "full_name", "pk"))


@report_read
def compliance_of(*, user, by: str, today: datetime.date) -> list[ComplianceRow]:
    """Compliance of the learners `user` may see, per organisation or role."""
    return selectors.compliance(selectors.learners_visible(user=user), by=by, today=today)


def totals_of(rows: list[ComplianceRow], *, label: str = "All organisations") -> ComplianceRow:
    """The rows added up. Each learner is in exactly one organisation and
    one role, so this is `selectors.compliance_totals` without another
    pass over every learner (a test holds them equal)."""
    names = ("learners", "in_date", "due_soon", "overdue", "never_trained", "leads_flagged")
    return ComplianceRow(key=None, label=label, **{name: sum(getattr(row, name) for row in rows)
                                                  for name in names})


def only_organisation(*, user) -> tuple[int, str] | None:
    """(id, name) of the one organisation whose learners `user` sees (a
    training lead's own), or None when they see several or none. One query,
    read from the organisation index and stopping at the second one."""
    ids = (selectors.learners_visible(user=user).order_by("organisation_id")
           .values("organisation_id").distinct()[:2])
    found = list(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    return found[0] if len(found) == 1 else None


@report_read
def compliance_of_organisation(*, user, organisation: Organisation, today: datetime.date) -> ComplianceRow:
    """How the learners of `organisation` that `user` may see stand, as one row."""
    row = selectors.compliance_totals(selectors.learners_visible(user=user).filter(organisation=organisation),
                                      today=today)
    row.key, row.label = organisation.pk, organisation.name
    return row
