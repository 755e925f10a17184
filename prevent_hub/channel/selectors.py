"""Reading Channel cases, always through the access rules."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

from prevent_hub.access import Action, can, scope
from prevent_hub.core.names import NameQuery
from prevent_hub.core.overdue import with_overdue
from prevent_hub.core.search import CASE, NameOrReference
from prevent_hub.core.working_days import start_of_day

from . import info_requests
from .models import Area, CaseStatus, ChannelCase

# The case list's status filter: a status, or any status but closed.
OPEN = "open"
# The case list's area filter for cases with no area recorded (any panel may discuss them).
NO_AREA = "-"


def case_is_open(prefix: str = "") -> Q:
    """A case still worked on here: not closed, and not transferred to another
    council (a transfer closes the case; its record is checked as well, so a
    transferred case never counts whatever its status). `prefix` is the path
    to the case from the records filtered, e.g. "case__"."""
    return ~Q(**{f"{prefix}status": CaseStatus.CLOSED}) & Q(**{f"{prefix}transfer__isnull": True})


def cases_open(*, user):
    """The open cases (`case_is_open`) `user` may see: what work trays count."""
    return scope(user, ChannelCase.objects.all()).filter(case_is_open())


@dataclass(frozen=True)
class CaseFilters:
    """The case list's filters. Every one given must match."""

    search: NameOrReference | None = None
    date_of_birth: datetime.date | None = None
    status: str = ""
    area: str = ""
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None

    def is_filtered(self) -> bool:
        return any((self.search, self.date_of_birth, self.status, self.area, self.opened_from,
                    self.opened_to))

    def for_audit(self) -> dict:
        """The filters (never the results) for the SEARCH or EXPORT event:
        whether a name, reference or date of birth was searched for, never
        which (names and dates of birth stay out of the audit trail)."""
        details = {
            **(self.search.for_audit() if self.search else {}),
            "date_of_birth": self.date_of_birth is not None,
            "status": self.status, "area": self.area,
            "opened_from": self.opened_from.isoformat() if self.opened_from else "",
            "opened_to": self.opened_to.isoformat() if self.opened_to else "",
        }
        return {key: value for key, value in details.items() if value}


def _visible_referrals(user):
    """Referrals about an identified person that `user` may see."""
    return scope(user, apps.get_model("referrals", "Referral").objects.filter(person__isnull=False))


def _named(user, name: NameQuery) -> Q:
    """Cases whose person has this name (any spelling): on their record, or
    in a referral about them that `user` may see. Someone who may not see
    person records is matched on the name the case shows them, the record's
    main name, and not on other names they could not see."""
    condition = name.condition()
    person_name = apps.get_model("people", "PersonName")
    record_names = person_name.objects.filter(condition)
    if not can(user, Action.PERSON_VIEW):
        record_names = record_names.filter(kind=person_name.Kind.MAIN)
    referral_names = apps.get_model("referrals", "ReferralName").objects.filter(condition)
    return (Q(person__in=record_names.values("person_id"))
            | Q(person__in=_visible_referrals(user).filter(pk__in=referral_names.values("referral_id"))
                .values("person_id")))


def _search(user, search: NameOrReference) -> Q:
    if search.prefix == CASE:
        return Q(reference=search.reference)
    if search.reference:
        return Q(referral__reference=search.reference)
    return _named(user, search.name)


def cases_visible(*, user, filters: CaseFilters | None = None):
    """Every case `user` may see that matches `filters`, newest first, with
    what a list shows."""
    cases = scope(user, ChannelCase.objects.all())
    filters = filters or CaseFilters()
    if filters.search:
        cases = cases.filter(_search(user, filters.search))
    if filters.date_of_birth:
        born = filters.date_of_birth
        cases = cases.filter(Q(person__date_of_birth=born) | Q(
            person__in=_visible_referrals(user).filter(subject_date_of_birth=born).values("person_id")))
    if filters.status == OPEN:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.area:
        cases = (cases.filter(area__isnull=True) if filters.area == NO_AREA
                 else cases.filter(area__name=filters.area))
    if filters.opened_from:
        cases = cases.filter(opened_at__gte=start_of_day(filters.opened_from))
    if filters.opened_to:
        cases = cases.filter(opened_at__lt=start_of_day(filters.opened_to + datetime.timedelta(days=1)))
    return (
        cases.select_related("person", "referral", "area")
        .only("reference", "status", "area__name", "opened_at", "person__given_name", "person__family_name",
              "referral__reference")
        .order_by("-opened_at", "-pk")
    )


EXPORT_COLUMNS = ("reference", "status", "area__name", "opened_at", "adopted_on", "next_review_date",
                  "exit_date", "closed_at", "person__given_name", "person__family_name",
                  "referral__reference")


def cases_for_export(*, user, filters: CaseFilters):
    """The cases of the list with these filters, with what the CSV file shows."""
    return cases_visible(user=user, filters=filters).only(*EXPORT_COLUMNS)


def case_areas(*, user) -> list[str]:
    """The areas for the case list's filter: those a panel serves today and
    those of the cases `user` may see (an area no panel serves is offered
    only to those who see a case in it), in one query."""
    cases = scope(user, ChannelCase.objects.filter(area__isnull=False)).values("area_id")
    names = (Area.objects.filter(Q(panel__is_active=True) | Q(pk__in=cases)).order_by()
             .values_list("name", flat=True))
    return sorted(names, key=str.casefold)


def areas_active():
    """The areas panels serve today, for choosing a case's or a police
    representative's area."""
    return Area.objects.filter(is_active=True)


def case_get(*, user, pk: int) -> ChannelCase | None:
    """The case if `user` may see it, else None (the same as one that does not exist)."""
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("person", "referral", "opened_by", "retention_policy")
        .filter(pk=pk)
        .first()
    )


def case_for_referral(*, user, referral) -> ChannelCase | None:
    """The case opened from `referral`, if there is one and `user` may see it."""
    return scope(user, ChannelCase.objects.all()).filter(referral=referral).first()


# Case page, team, information requests, notes and the timeline --------------------------
#
# Each takes a case already loaded through `case_get` (so already in the user's
# scope); object-level checks are the views' (access.check).


def case_transitions(*, case):
    """The case's status history, oldest first, with who made each move."""
    return case.transitions.select_related("by").only(
        "from_status", "to_status", "occurred_at", "reasons", "by__full_name")


def case_consent_status(*, case) -> str:
    """"given", "refused", "withdrawn", "asked" (no answer yet) or "not asked",
    from the latest consent request."""
    latest = case.consents.order_by("-asked_on", "-pk").only("answer", "withdrawn_on").first()
    if latest is None:
        return "not asked"
    if latest.withdrawn_on is not None:
        return "withdrawn"
    return latest.answer or "asked"


def case_team_current(*, case):
    return (case.team.filter(removed_at__isnull=True).select_related("user__organisation", "added_by")
            .order_by("added_at", "pk"))


def case_team_former(*, case):
    return (case.team.filter(removed_at__isnull=False).select_related("user__organisation", "removed_by")
            .order_by("-removed_at", "-pk"))


def case_team_candidates():
    """Active users who hold a role that lets them be on a case team."""
    from prevent_hub.accounts.models import User

    from .services import TEAM_ROLE_NEEDS

    return (User.objects.filter(is_active=True, role_assignments__role__in=list(TEAM_ROLE_NEEDS.values()))
            .select_related("organisation").distinct().order_by("full_name", "pk"))


def case_information_requests(*, case, today):
    """Every information request of `case`, soonest due first, each with `is_overdue`."""
    return with_overdue(case.information_requests.select_related("organisation"),
                        info_requests.overdue(today)).order_by("due_date", "pk")


def case_information_requests_overdue_count(*, case, today) -> int:
    return case.information_requests.filter(info_requests.overdue(today)).count()


def information_requests_due(*, user, today):
    """Unanswered information requests on the open cases `user` may see and
    whose information requests they may read, soonest due first (overdue ones
    first). Nothing is due on a closed or transferred case: its requests are
    not chased. `today` is for the caller to compare due dates with."""
    from prevent_hub.access import Action, can

    from .models import InformationRequest

    if not can(user, Action.CASE_CHRONOLOGY):
        return InformationRequest.objects.none()
    visible = cases_open(user=user).values("pk")
    return (InformationRequest.objects.filter(answer="", case__in=visible)
            .select_related("case").order_by("due_date", "pk"))


def information_requests_overdue(*, user, today=None):
    """The unanswered requests (as above) whose due date has passed."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return information_requests_due(user=user, today=today).filter(due_date__lt=today)


def case_notes(*, case):
    """The case's notes, oldest first, each with its corrections (addenda)."""
    from django.db.models import Prefetch

    from .models import Note

    return (case.notes.filter(addendum_to__isnull=True).select_related("written_by")
            .prefetch_related(Prefetch("addenda", queryset=Note.objects.select_related("written_by")))
            .order_by("written_at", "pk"))


def case_documents(*, case):
    return case.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def case_timeline(*, case, kind: str = "", oldest_first: bool = False):
    """The case's timeline: one indexed query (chronology_by_case)."""
    from .models import ChronologyEntry

    entries = ChronologyEntry.objects.filter(case=case)
    return _timeline(entries, kind=kind, oldest_first=oldest_first)


def person_timeline(*, user, person_id: int, kind: str = "", oldest_first: bool = False):
    """Everything on the timeline of a person that `user` may see: entries on
    cases they may see, and entries about referrals they may see. None if they
    may see neither the person nor any of their cases."""
    from django.db.models import Q

    from prevent_hub.people.models import Person
    from prevent_hub.referrals.models import Referral

    from .models import ChronologyEntry

    case_ids = list(scope(user, ChannelCase.objects.filter(person_id=person_id)).values_list("pk", flat=True))
    referral_ids = [str(pk) for pk in
                    scope(user, Referral.objects.filter(person_id=person_id)).values_list("pk", flat=True)]
    person_visible = scope(user, Person.objects.filter(pk=person_id)).exists()
    if not case_ids and not person_visible:
        return None
    wanted = Q(case_id__in=case_ids)
    if person_visible:
        wanted |= Q(case__isnull=True, object_type="referrals.referral", object_id__in=referral_ids)
    entries = ChronologyEntry.objects.filter(wanted, person_id=person_id)
    return _timeline(entries, kind=kind, oldest_first=oldest_first)


def _timeline(entries, *, kind, oldest_first):
    if kind:
        entries = entries.filter(kind=kind)
    order = ["occurred_at", "id"] if oldest_first else ["-occurred_at", "-id"]
    return (entries.select_related("recorded_by", "case")
            .only("occurred_at", "kind", "summary", "object_type", "object_id", "recorded_by__full_name",
                  "case__reference", "case_id", "person_id")
            .order_by(*order))
