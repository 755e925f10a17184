"""Reading Channel cases, always through the access rules."""

from prevent_hub.access import scope

from .models import ChannelCase


def cases_visible(*, user):
    """Every case `user` may see, newest first, with what a list shows."""
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("person", "referral")
        .only("reference", "status", "opened_at", "person__given_name", "person__family_name",
              "referral__reference")
        .order_by("-opened_at", "-pk")
    )


def case_get(*, user, pk: int) -> ChannelCase | None:
    """The case if `user` may see it, else None (the same as one that does not exist)."""
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("person", "referral", "opened_by")
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


def case_information_requests(*, case):
    return case.information_requests.select_related("organisation").order_by("due_date", "pk")


def case_information_requests_overdue_count(*, case, today) -> int:
    return case.information_requests.filter(answer="", due_date__lt=today).count()


def information_requests_due(*, user, today):
    """Unanswered information requests on the cases `user` may see and whose
    information requests they may read, soonest due first (overdue ones
    first). `today` is for the caller to compare due dates with."""
    from prevent_hub.access import Action, can

    from .models import InformationRequest

    if not can(user, Action.CASE_CHRONOLOGY):
        return InformationRequest.objects.none()
    visible = scope(user, ChannelCase.objects.all()).values("pk")
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
