"""Reading training records, always through `access` (training
administrators see every learner; organisations' training leads their own
organisation's; everyone their own record).

Compliance. Each learner's standing is stated once, as a `Q` on `today`
(the `STANDINGS` rules), on the dates the services keep on every learner,
so the counts per organisation and per role, a learner's tag and the API
cannot disagree:

- never trained: no completion of a course that counts;
- overdue: their training ran out before today;
- due soon: it runs out today or within TRAINING_DUE_SOON_DAYS;
- in date: it runs out after that.

Learners who have left their organisation are left out. Designated
safeguarding leads and Prevent leads without the referrals course in date
are flagged beside these."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Value

from prevent_hub.access import scope
from prevent_hub.accounts.models import Organisation

from .models import Completion, Course, Learner, TrainingImport

NEVER_TRAINED, OVERDUE, DUE_SOON, IN_DATE = "never_trained", "overdue", "due_soon", "in_date"
STANDING_LABELS = {IN_DATE: "In date", DUE_SOON: "Due soon", OVERDUE: "Overdue",
                   NEVER_TRAINED: "Never trained"}
STANDING_TAGS = {IN_DATE: "govuk-tag--green", DUE_SOON: "govuk-tag--yellow", OVERDUE: "govuk-tag--red",
                 NEVER_TRAINED: "govuk-tag--grey"}


def due_soon_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.TRAINING_DUE_SOON_DAYS)


def standings(today: datetime.date) -> dict[str, Q]:
    """Each standing as a Q on a learner: exactly one holds for each."""
    soon = due_soon_until(today)
    return {
        IN_DATE: Q(trained_until__gt=soon),
        DUE_SOON: Q(trained_until__gte=today, trained_until__lte=soon),
        OVERDUE: Q(trained_until__lt=today),
        NEVER_TRAINED: Q(trained_until__isnull=True),
    }


def still_here(today: datetime.date) -> Q:
    """Learners who have not left their organisation by `today`."""
    return Q(left_on__isnull=True) | Q(left_on__gt=today)


def lead_without_referrals_course(today: datetime.date) -> Q:
    """A designated safeguarding lead or Prevent lead whose referrals
    course is missing or has run out."""
    return ((Q(is_safeguarding_lead=True) | Q(is_prevent_lead=True))
            & (Q(referrals_course_until__isnull=True) | Q(referrals_course_until__lt=today)))


def standing_of(learner: Learner, today: datetime.date) -> str:
    """The same rules as `standings`, for one learner already read."""
    until = learner.trained_until
    if until is None:
        return NEVER_TRAINED
    if until < today:
        return OVERDUE
    if until <= due_soon_until(today):
        return DUE_SOON
    return IN_DATE


def lead_flagged(learner: Learner, today: datetime.date) -> bool:
    return learner.is_lead and (learner.referrals_course_until is None
                                or learner.referrals_course_until < today)


# Learners ------------------------------------------------------------------------


def learners_visible(*, user):
    return scope(user, Learner.objects.all())


def learner_for(*, user, reference: str) -> Learner | None:
    """The learner with `reference` if `user` may see it, else None."""
    return (learners_visible(user=user).filter(reference=reference)
            .select_related("organisation", "user", "created_by").first())


def own_learner(*, user) -> Learner | None:
    """The signed-in user's own learner record, if they have one (linked to
    their account, or recorded under their email)."""
    from prevent_hub.core.email_addresses import canonical_email

    return (Learner.objects.filter(Q(user=user) | Q(email=canonical_email(user.email)))
            .select_related("organisation").first())


def completions_of(learner: Learner):
    return learner.completions.select_related("course", "recorded_by").order_by("-completed_on", "-pk")


def courses(*, offered_only: bool = False):
    queryset = Course.objects.select_related("prerequisite", "renews")
    return queryset.filter(is_active=True) if offered_only else queryset


def course_lookup() -> dict[str, Course]:
    """Every course by its code and by its name (case folded), for imports."""
    found = {}
    for course in courses().select_related("prerequisite"):
        found[course.code.casefold()] = course
        found[course.name.casefold()] = course
    return found


def imports_recent(limit: int = 20):
    return TrainingImport.objects.select_related("uploaded_by")[:limit]


# Compliance ----------------------------------------------------------------------


@dataclass
class ComplianceRow:
    """How one organisation (or role) stands: learners and each standing."""

    key: object
    label: str
    learners: int
    in_date: int
    due_soon: int
    overdue: int
    never_trained: int
    leads_flagged: int

    @property
    def in_date_percent(self) -> int | None:
        if not self.learners:
            return None
        return round(100 * self.in_date / self.learners)

    def as_api(self) -> dict:
        return {"organisation": self.label, "learners": self.learners, "in_date": self.in_date,
                "due_soon": self.due_soon, "overdue": self.overdue, "never_trained": self.never_trained}


def counts(today: datetime.date) -> dict:
    """Learners, each standing and the leads flagged, as aggregates. Rows
    are counted (COUNT(1)) rather than ids, so the database reads no column
    but those the rules name: one of the learner indexes holding them all."""
    row = Value(1)
    return {
        "learners": Count(row),
        **{name: Count(row, filter=rule) for name, rule in standings(today).items()},
        "leads_flagged": Count(row, filter=lead_without_referrals_course(today)),
    }


GROUPINGS = {"organisation": "organisation_id", "role": "job_role"}


def compliance_counted(learners, *, by: str, today: datetime.date):
    """The one GROUP BY behind `compliance`."""
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}")
    return (learners.filter(still_here(today)).order_by().values(GROUPINGS[by])
            .annotate(**counts(today)))


def compliance(learners, *, by: str, today: datetime.date) -> list[ComplianceRow]:
    """`learners` (already scoped) counted by each standing, grouped `by`
    "organisation" or "role". The learners are grouped on their own columns
    alone, so the database reads one index (learner_org_standing or
    learner_role_standing: every column the rules need) and never the
    table; the organisations' names come after, in one small query, rather
    than joined to each of tens of thousands of learners."""
    column = GROUPINGS.get(by)
    found = list(compliance_counted(learners, by=by, today=today))
    if by == "organisation":
        labels = dict(Organisation.objects.filter(pk__in=[row[column] for row in found])
                      .values_list("pk", "name"))
    else:
        labels = {row[column]: row[column] or "Role not recorded" for row in found}
    counted = list(counts(today))
    rows = [ComplianceRow(key=row[column], label=labels[row[column]], **{name: row[name] for name in counted})
            for row in found]
    return sorted(rows, key=lambda row: row.label.casefold())


def compliance_totals(learners, *, today: datetime.date) -> ComplianceRow:
    """Every learner in `learners` counted, as one row."""
    row = learners.filter(still_here(today)).order_by().aggregate(**counts(today))
    return ComplianceRow(key=None, label="All organisations", **row)


def completions_visible(*, user):
    """Completions of the learners `user` may see."""
    return Completion.objects.filter(learner__in=learners_visible(user=user))
