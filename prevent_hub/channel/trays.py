"""Work trays: what is due or overdue across the cases a user may see (the
coordinator dashboard), and a user's own tasks.

Every tray is a handful of queries whatever the number of cases: each section
is one queryset; sections over the same records are counted together in one
aggregate (due and overdue together), and each section with anything in it
is listed with one query for its first rows. All of them are limited to the
cases the user may see (`access.scope`), so the trays never show more than
the case pages would.

Counts here are counts of tasks (things to do by a date), never anything
about people. Nothing about a closed or transferred case is counted: its work
here is over (`selectors.case_is_open`), so every section reads only open cases.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from prevent_hub.access import Action, can, scope
from prevent_hub.core.overdue import with_overdue
from prevent_hub.core.working_days import start_of_day

from . import info_requests
from .models import (
    CaseStatus,
    CaseTeamMember,
    ChannelCase,
    InformationRequest,
    PlanAction,
    Review,
    ReviewKind,
)
from .reviews import overdue as reviews_overdue
from .selectors import case_is_open, cases_open, information_requests_due
from .support import cases_support_stalled

# What the dashboard counts as "due soon".
DUE_SOON_DAYS = 7
# Consent asked for and not answered for this long is chased.
CONSENT_CHASE_DAYS = 14
# Reviews on my tasks: those due within this many days (and every overdue one).
MY_REVIEWS_DAYS = 14
# Rows each section shows on the dashboard; the full list is one click away.
DASHBOARD_ROWS = 5
# Rows each section of "your tasks" shows; the full list is one click away.
MY_TASKS_ROWS = 25

# Statuses in which a case is reviewed by the panel (adopted and under way).
REVIEWED_STATUSES = (CaseStatus.ADOPTED, CaseStatus.CONSENT_SOUGHT, CaseStatus.CONSENT_GIVEN,
                     CaseStatus.CONSENT_REFUSED, CaseStatus.SUPPORT)


@dataclass
class Section:
    """One kind of task on a tray: its rows (a queryset), their due date
    field, and how to say what is due."""

    key: str
    title: str
    empty: str
    rows: object  # queryset, ordered by the due date, earliest (most overdue) first
    due_field: str
    overdue: Q
    kind: str  # what each row is: "request", "case", "review", "action"
    # Sections counted together: the same `base` queryset, each section's
    # rows being base.filter(where) (one aggregate for the lot).
    base: object = None
    where: Q | None = None
    count: int = 0
    overdue_count: int = 0
    items: list = field(default_factory=list)

    def load(self, limit, *, counted=False):
        if not counted:
            counts = self.rows.aggregate(total=Count("pk"), overdue=Count("pk", filter=self.overdue))
            self.count, self.overdue_count = counts["total"], counts["overdue"]
        # Nothing to list, nothing to ask for.
        self.items = list(self.listed()[:limit]) if limit and self.count else []
        return self

    def listed(self):
        """The rows, each saying whether it is overdue by the rule that counted it."""
        return with_overdue(self.rows, self.overdue)


def load_sections(sections, limit):
    """Count every section (one aggregate for each group of sections with the
    same base) and fetch the first `limit` rows of each that has any."""
    groups = {}
    for section in sections:
        if section.base is not None:
            groups.setdefault(id(section.base), []).append(section)
    for group in groups.values():
        anywhere = Q()
        counts = {}
        for index, section in enumerate(group):
            anywhere |= section.where
            counts[f"t{index}"] = Count("pk", filter=section.where)
            counts[f"o{index}"] = Count("pk", filter=section.where & section.overdue)
        found = group[0].base.filter(anywhere).aggregate(**counts)
        for index, section in enumerate(group):
            section.count, section.overdue_count = found[f"t{index}"], found[f"o{index}"]
    for section in sections:
        section.load(limit, counted=section.base is not None)
    return sections


def on_open_cases(user, queryset):
    """`queryset` (of records with a `case`) limited to the open cases `user`
    may see: by a subquery for users who see only some cases; for users who
    see every case the subquery would only cost time, so just open ones."""
    queryset = queryset.filter(case_is_open("case__"))
    visible = scope(user, ChannelCase.objects.all())
    if not visible.query.where:
        return queryset
    return queryset.filter(case__in=visible.values("pk"))


def stalled_weeks() -> int:
    return settings.SUPPORT_STALLED_WEEKS


CASE_FIELDS = ("reference", "status_changed_at", "reassessment_date", "next_review_date",
               "support_started_on", "last_session_delivered_on", "person__given_name", "person__family_name")
ROW_FIELDS = ("due_date", "organisation_name", "kind", "months_after_exit", "description",
              "case__reference", "case__person__given_name", "case__person__family_name")


def _with_person(queryset):
    """With the case and person a row shows, and only the columns it shows."""
    fields = [name for name in ROW_FIELDS
              if "__" in name or any(f.name == name for f in queryset.model._meta.get_fields())]
    return queryset.select_related("case", "case__person").only(*fields)


# The coordinator dashboard ---------------------------------------------------


def dashboard_sections(*, user, today, limit=DASHBOARD_ROWS, only=None) -> list[Section]:
    """Every section of the coordinator dashboard, counted, with its first
    `limit` rows (all sections, or only the one keyed `only`)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    chase_before = today - datetime.timedelta(days=CONSENT_CHASE_DAYS)
    requests = information_requests_due(user=user, today=today)
    reviews = on_open_cases(user, Review.objects.filter(completed_on__isnull=True, due_date__lte=soon))
    cases = cases_open(user=user)
    listed = cases.filter(status__in=REVIEWED_STATUSES, next_review_date__lte=soon).values("pk")
    stalled = cases_support_stalled(user=user, today=today).filter(case_is_open())

    def of_cases(where, *order):
        return {"rows": cases.filter(where).select_related("person").only(*CASE_FIELDS).order_by(*order),
                "base": cases, "where": where}

    def of_reviews(where):
        return {"rows": _with_person(reviews.filter(where)).order_by("due_date", "pk"),
                "base": reviews, "where": where}

    sections = [
        Section(
            "information-requests", "Information requests", "No information requests are due "
            f"in the next {DUE_SOON_DAYS} days.",
            rows=_with_person(requests.filter(due_date__lte=soon)).order_by("due_date", "pk"),
            due_field="due_date", overdue=info_requests.overdue(today), kind="request",
        ),
        Section(
            "consent-unanswered", "Consent not answered", "No request for consent has gone "
            f"unanswered for more than {CONSENT_CHASE_DAYS} days.",
            **of_cases(Q(status=CaseStatus.CONSENT_SOUGHT, status_changed_at__lt=start_of_day(chase_before)),
                       "status_changed_at", "pk"),
            due_field="status_changed_at", overdue=Q(pk__isnull=False), kind="consent",
        ),
        Section(
            "consent-reassessment", "Consent re-assessments", "No re-assessment of a refusal of "
            "consent is due.",
            **of_cases(Q(status=CaseStatus.CONSENT_REFUSED, reassessment_date__lte=today),
                       "reassessment_date", "pk"),
            due_field="reassessment_date", overdue=Q(reassessment_date__lt=today), kind="case",
        ),
        Section(
            "panel-reviews", "Panel reviews", f"No panel reviews are due in the next {DUE_SOON_DAYS} days.",
            **of_cases(Q(status__in=REVIEWED_STATUSES, next_review_date__lte=soon), "next_review_date", "pk"),
            due_field="next_review_date", overdue=Q(next_review_date__lt=today), kind="panel-review",
        ),
        # Panel reviews are due from each case's next review date; a review
        # recorded as due (a Review row) on a case not listed that way counts too.
        Section(
            "review-records", "Other panel reviews due", "No other panel reviews are due.",
            **of_reviews(Q(kind=ReviewKind.PANEL_REVIEW) & ~Q(case__in=listed)),
            due_field="due_date", overdue=reviews_overdue(today), kind="review",
        ),
        Section(
            "post-exit-reviews", "Post-exit reviews", "No post-exit reviews are due in the next "
            f"{DUE_SOON_DAYS} days.",
            **of_reviews(Q(kind=ReviewKind.POST_EXIT)),
            due_field="due_date", overdue=reviews_overdue(today), kind="review",
        ),
        Section(
            "stalled-support", "Support with no recent session", "Every case with support under way "
            f"has had a session delivered in the last {stalled_weeks()} weeks.",
            rows=stalled.only(*CASE_FIELDS), base=cases, where=Q(pk__in=stalled.values("pk")),
            due_field="last_session_delivered_on", overdue=Q(pk__isnull=False), kind="stalled",
        ),
    ]
    if only is not None:
        sections = [section for section in sections if section.key == only]
    return load_sections(sections, limit)


# My tasks --------------------------------------------------------------------


def my_tasks(*, user, today, limit=MY_TASKS_ROWS, only=None) -> list[Section]:
    """The signed-in user's own tasks on cases they may see: plan actions
    they own (not done), reviews on cases they work on, and information
    requests they made that are overdue. Overdue first in each. Each is
    counted, with its first `limit` rows (all sections, or the one keyed `only`)."""
    review_horizon = today + datetime.timedelta(days=MY_REVIEWS_DAYS)
    sections = [
        Section(
            "actions", "Actions you own", "You have no actions to do.",
            _with_person(on_open_cases(user, PlanAction.objects.filter(owner=user, done_on__isnull=True)))
            .order_by("due_date", "pk"),
            "due_date", Q(due_date__lt=today), "action",
        ),
    ]
    # Reviews belong to the case team's work on the whole case, which an
    # intervention provider does not see.
    if can(user, Action.CASE_CHRONOLOGY):
        mine = CaseTeamMember.objects.filter(user=user, removed_at__isnull=True).values("case_id")
        sections.append(Section(
            "reviews", "Reviews on your cases", f"No reviews are due in the next {MY_REVIEWS_DAYS} days "
            "on cases you work on.",
            _with_person(on_open_cases(user, Review.objects.filter(
                Q(case__in=mine) | Q(case__opened_by=user), completed_on__isnull=True,
                due_date__lte=review_horizon,
            ))).order_by("due_date", "pk"),
            "due_date", Q(due_date__lt=today), "review",
        ))
        sections.append(Section(
            "information-requests", "Your overdue information requests",
            "None of the information requests you made is overdue.",
            _with_person(on_open_cases(user, InformationRequest.objects.filter(
                requested_by=user, answer="", due_date__lt=today,
            ))).order_by("due_date", "pk"),
            "due_date", Q(due_date__lt=today), "request",
        ))
    if only is not None:
        sections = [section for section in sections if section.key == only]
    return load_sections(sections, limit)
