"""Reading rights requests, always through `access`, and finding the
person a request is about.

The data protection officer sees no person record or case in the ordinary
way (their role has no PERSON_VIEW or CASE_VIEW). The request is their need
to know: finding the person and reading everything about them happen here,
for one request's person only, and each is audited against the request."""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.channel.models import ChannelCase
from prevent_hub.complaints.models import Complaint
from prevent_hub.core.names import NameQuery
from prevent_hub.core.overdue import with_overdue
from prevent_hub.people.models import Person, PersonName
from prevent_hub.referrals.models import Referral, ReferralName
from prevent_hub.training.models import Learner
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


def _named_in(*, request: RightsRequest, model, name_fields: tuple[str, ...], email_field: str, name: str,
              email: str, reference: str, order: tuple[str, ...], related=(), prefetch=()) -> list:
    """Records of `model` with no person record behind them that may name
    the requester: every criterion given must match (each word of the name,
    in any case, in one of `name_fields`; the email address, in any case;
    the reference). Read for this request only and audited as a search
    against it (which criteria, never what was typed)."""
    found = model.objects.all()
    criteria = []
    if name.strip():
        for word in name.split()[:5]:
            found = found.filter(reduce(or_, (Q(**{f"{path}__icontains": word}) for path in name_fields)))
        criteria.append("name")
    if email.strip():
        found = found.filter(**{f"{email_field}__iexact": email.strip()})
        criteria.append("email")
    if reference.strip():
        found = found.filter(reference=reference.strip().upper())
        criteria.append("reference")
    if not criteria:
        return []
    # A subquery, so a name matching two speakers does not list a booking twice.
    records = list(model.objects.filter(pk__in=found.values("pk")).select_related(*related)
                   .prefetch_related(*prefetch).order_by(*order)[:CANDIDATE_LIMIT])
    audit_read(action=AuditAction.SEARCH, object_type=model._meta.label_lower,
               details={"request": request.reference, "criteria": criteria, "count": len(records)})
    return records


def _by_reference(model, reference: str):
    return model.objects.filter(reference=str(reference).strip().upper()).first()


def venue_booking_candidates(*, request: RightsRequest, name: str = "", email: str = "",
                             reference: str = "") -> list[VenueBooking]:
    """Venue bookings that may name the requester: by the booker's name,
    another name they use or a speaker's; the booker's email; the reference."""
    return _named_in(request=request, model=VenueBooking,
                     name_fields=("booker_name", "booker_other_names", "speakers__name"),
                     email_field="booker_email", name=name, email=email, reference=reference,
                     order=("-event_date", "pk"), related=("venue",), prefetch=("speakers",))


def venue_booking_for_request(*, reference: str) -> VenueBooking | None:
    """A venue booking by reference, for linking to a request."""
    return _by_reference(VenueBooking, reference)


def venue_bookings_linked(request: RightsRequest) -> list:
    return list(request.venue_booking_links.select_related("booking__venue", "linked_by"))


def complaint_candidates(*, request: RightsRequest, name: str = "", email: str = "",
                         reference: str = "") -> list[Complaint]:
    """Complaints that may name the requester: by the complainant's name or
    the name of the person affected; the complainant's email; the reference."""
    return _named_in(request=request, model=Complaint,
                     name_fields=("complainant_name", "affected_person_name"), email_field="email",
                     name=name, email=email, reference=reference, order=("-received_at", "pk"))


def complaint_for_request(*, reference: str) -> Complaint | None:
    """A complaint by reference, for linking to a request."""
    return _by_reference(Complaint, reference)


def complaints_linked(request: RightsRequest) -> list:
    return list(request.complaint_links.select_related("complaint", "linked_by"))


def learner_candidates(*, request: RightsRequest, name: str = "", email: str = "",
                       reference: str = "") -> list[Learner]:
    """Learners whose training record may be the requester's own: by their
    name, their email address or the learner reference (LRN-…). Every
    learner, whatever their organisation: the request is the need to know."""
    return _named_in(request=request, model=Learner, name_fields=("full_name",), email_field="email",
                     name=name, email=email, reference=reference, order=("full_name", "pk"),
                     related=("organisation",))


def learner_for_request(*, reference: str) -> Learner | None:
    """A learner by reference, for linking to a request."""
    return _by_reference(Learner, reference)


def learners_linked(request: RightsRequest) -> list:
    return list(request.learner_links.select_related("learner__organisation", "linked_by"))
