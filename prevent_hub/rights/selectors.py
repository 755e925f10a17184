"""Reading rights requests, always through `access`, and finding the
person a request is about.

The data protection officer sees no person record or case in the ordinary
way (their role has no PERSON_VIEW or CASE_VIEW). The request is their need
to know: finding the person and reading everything about them happen here,
for one request's person only, and each is audited against the request."""

import datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.channel.models import ChannelCase
from prevent_hub.core.names import NameQuery
from prevent_hub.core.overdue import with_overdue
from prevent_hub.people.models import Person, PersonName
from prevent_hub.referrals.models import Referral, ReferralName
from prevent_hub.venues.models import VenueBooking

from .documents import redactions_applied
from .models import BundleStatus, RightsRequest, SubjectAccessBundle, overdue

CANDIDATE_LIMIT = 25


def requests_visible(*, user):
    return scope(user, RightsRequest.objects.all())


def requests_listed(*, user, kind: str = "", status: str = "", today: datetime.date | None = None):
    """The requests `user` may see, overdue first, then by deadline."""
    today = today or timezone.localdate()
    found = requests_visible(user=user)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    found = with_overdue(found, overdue(today))
    return found.annotate(
        overdue_first=Case(When(overdue(today), then=Value(0)), default=Value(1),
                           output_field=IntegerField()),
    ).select_related("bundle").order_by("overdue_first", "due_on", "pk")


def request_get(*, user, pk) -> RightsRequest | None:
    today = timezone.localdate()
    return (with_overdue(requests_visible(user=user), overdue(today))
            .select_related("person", "logged_by", "identity_verified_by", "extended_by", "decided_by",
                            "person_linked_by", "retention_policy")
            .filter(pk=pk).first())


def bundle_for(request: RightsRequest) -> SubjectAccessBundle | None:
    return (SubjectAccessBundle.objects.filter(request=request)
            .select_related("prepared_by", "approved_by", "released_by").first())


def bundle_redactions(bundle: SubjectAccessBundle) -> list:
    return list(bundle.redactions.select_related("redacted_by", "removed_by"))


def bundle_shown(bundle: SubjectAccessBundle) -> dict:
    """The frozen document with its live redactions laid over it: what the
    approver reads and what is released."""
    return redactions_applied(bundle.document, bundle.redactions.filter(removed_at__isnull=True))


def bundles_awaiting(*, user):
    """Bundles `user` may see that wait for approval or release."""
    return (requests_visible(user=user)
            .filter(bundle__status__in=[BundleStatus.PREPARED, BundleStatus.APPROVED])
            .select_related("bundle__prepared_by").order_by("due_on", "pk"))


def person_candidates(*, request: RightsRequest, name: str = "", date_of_birth=None,
                      reference: str = "") -> list[Person]:
    """People who may be the one `request` is about: every criterion given
    must match (a name, in any spelling, on the record or on a referral
    about them; the date of birth; a referral or case reference). Read for
    this request only, and audited as a search against it (which criteria,
    never what was typed)."""
    matches: list[set[int]] = []
    query = NameQuery.parse(name) if name.strip() else None
    if name.strip() and query is None:
        return []
    if query is not None:
        ids = set(PersonName.objects.filter(query.condition()).values_list("person_id", flat=True))
        ids |= set(Referral.objects.filter(
            pk__in=ReferralName.objects.filter(query.condition()).values("referral_id"),
            person__isnull=False).values_list("person_id", flat=True))
        matches.append(ids)
    if date_of_birth:
        ids = set(Person.objects.filter(date_of_birth=date_of_birth).values_list("pk", flat=True))
        ids |= set(Referral.objects.filter(subject_date_of_birth=date_of_birth, person__isnull=False)
                   .values_list("person_id", flat=True))
        matches.append(ids)
    reference = reference.strip().upper()
    if reference:
        ids = set(Referral.objects.filter(reference=reference, person__isnull=False)
                  .values_list("person_id", flat=True))
        ids |= set(ChannelCase.objects.filter(reference=reference).values_list("person_id", flat=True))
        matches.append(ids)
    if not matches:
        return []
    ids = set.intersection(*matches)
    people = list(Person.objects.filter(pk__in=ids, merged_into__isnull=True)
                  .prefetch_related("referrals")
                  .order_by("family_name", "given_name", "pk")[:CANDIDATE_LIMIT])
    criteria = [label for label, given in (("name", query), ("date_of_birth", date_of_birth),
                                           ("reference", reference)) if given]
    audit_read(action=AuditAction.SEARCH, object_type="people.person",
               details={"request": request.reference, "criteria": criteria, "count": len(people)})
    return people


def person_for_request(*, request: RightsRequest, person_id) -> Person | None:
    """A person record by id, for linking to `request` (not merged away)."""
    try:
        return Person.objects.filter(pk=int(person_id), merged_into__isnull=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


def venue_booking_candidates(*, request: RightsRequest, name: str = "", email: str = "",
                             reference: str = "") -> list[VenueBooking]:
    """Venue bookings that may name the requester: every criterion given
    must match (a name as the booker's, another name they use or a
    speaker's; the booker's email; the reference). Read for this request
    only and audited as a search against it (criteria, never what was
    typed)."""
    found = VenueBooking.objects.all()
    criteria = []
    if name.strip():
        words = name.split()
        for word in words[:5]:
            found = found.filter(Q(booker_name__icontains=word) | Q(booker_other_names__icontains=word)
                                 | Q(speakers__name__icontains=word))
        criteria.append("name")
    if email.strip():
        found = found.filter(booker_email__iexact=email.strip())
        criteria.append("email")
    if reference.strip():
        found = found.filter(reference=reference.strip().upper())
        criteria.append("reference")
    if not criteria:
        return []
    bookings = list(VenueBooking.objects.filter(pk__in=found.values("pk")).select_related("venue")
                    .prefetch_related("speakers").order_by("-event_date", "pk")[:CANDIDATE_LIMIT])
    audit_read(action=AuditAction.SEARCH, object_type="venues.venuebooking",
               details={"request": request.reference, "criteria": criteria, "count": len(bookings)})
    return bookings


def venue_booking_for_request(*, reference: str) -> VenueBooking | None:
    """A venue booking by reference, for linking to a request."""
    return VenueBooking.objects.filter(reference=str(reference).strip().upper()).first()


def venue_bookings_linked(request: RightsRequest) -> list:
    return list(request.venue_booking_links.select_related("booking__venue", "linked_by"))
