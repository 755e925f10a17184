"""Reading venue bookings, always through `access` (venue booking officers
and the Prevent lead see them; nobody else does)."""

from prevent_hub.access import scope

from .models import BookingConditions, VenueBooking


def bookings_visible(*, user):
    return scope(user, VenueBooking.objects.all())


def booking_for(*, user, reference: str) -> VenueBooking | None:
    """The booking with `reference` if `user` may see it, else None (the
    caller answers 404 and audits the read)."""
    return (bookings_visible(user=user).filter(reference=reference)
            .select_related("room", "venue", "conditions").first())


def conditions_current() -> BookingConditions | None:
    """The version of the booking conditions new requests accept."""
    return BookingConditions.objects.order_by("-version").prefetch_related("clauses").first()


# The booking page ---------------------------------------------------------------
# (Its imports are here, with it, so the block reads on its own.)

from dataclasses import dataclass  # noqa: E402

from django.db.models import Prefetch  # noqa: E402

from .models import BookingCheck, CheckEvidence, CheckKind, CheckSubject, Speaker  # noqa: E402
from .services import CHECKS_FOR  # noqa: E402


@dataclass(frozen=True)
class ChecklistLine:
    """One line of a booking's checklist (services.CHECKS_FOR) and what was
    recorded for it, if anything yet."""

    subject: str
    kind: str
    speaker: Speaker | None = None
    check: BookingCheck | None = None

    @property
    def key(self) -> str:
        """The line in a URL: booker-references, speaker-12-public_statements."""
        return "-".join(str(part) for part in (self.subject, self.speaker and self.speaker.pk, self.kind)
                        if part)

    @property
    def label(self) -> str:
        return CheckKind(self.kind).label

    @property
    def who(self) -> str:
        return {CheckSubject.BOOKER: "the booker", CheckSubject.ORGANISATION: "the organisation"}.get(
            self.subject) or self.speaker.name


@dataclass
class ChecklistGroup:
    subject: str
    heading: str
    lines: list[ChecklistLine]
    speaker: Speaker | None = None


def checklist(booking, *, speakers, checks) -> list[ChecklistGroup]:
    """The booking's checklist: the booker, the organisation (if one is named)
    and each speaker, with the lines services.CHECKS_FOR sets for each and
    the check recorded against each line. From rows already read, so the
    page's queries do not grow with the checklist."""
    recorded = {(check.subject, check.speaker_id, check.kind): check for check in checks}
    subjects = [(CheckSubject.BOOKER, None, f"The booker: {booking.booker_name}")]
    if booking.organisation_name:
        subjects.append((CheckSubject.ORGANISATION, None, f"The organisation: {booking.organisation_name}"))
    subjects += [(CheckSubject.SPEAKER, speaker, f"Speaker: {speaker.name}") for speaker in speakers]
    return [ChecklistGroup(subject=subject, heading=heading, speaker=speaker, lines=[
        ChecklistLine(subject=subject, kind=kind, speaker=speaker,
                      check=recorded.get((subject, speaker and speaker.pk, kind)))
        for kind in CHECKS_FOR[subject]]) for subject, speaker, heading in subjects]


def checklist_line(booking, key: str) -> ChecklistLine | None:
    """The checklist line a URL names (see ChecklistLine.key), with its check
    and evidence, or None if the booking has no such line."""
    subject, _, rest = key.partition("-")
    speaker_id, _, kind = rest.rpartition("-")
    speaker = None
    if subject == CheckSubject.SPEAKER:
        if not speaker_id.isdigit():
            return None
        speaker = booking.speakers.filter(pk=int(speaker_id)).first()
        if speaker is None:
            return None
    elif speaker_id or subject not in CheckSubject.values or (
            subject == CheckSubject.ORGANISATION and not booking.organisation_name):
        return None
    if kind not in CHECKS_FOR[subject]:
        return None
    check = (BookingCheck.objects.filter(booking=booking, subject=subject, speaker=speaker, kind=kind)
             .select_related("recorded_by").prefetch_related(_evidence()).first())
    return ChecklistLine(subject=subject, kind=kind, speaker=speaker, check=check)


def _evidence():
    return Prefetch("evidence", queryset=CheckEvidence.objects.select_related("added_by"))


@dataclass
class BookingPage:
    speakers: list
    checklist: list[ChecklistGroup]
    promotion_files: list
    escalations: list
    decisions: list
    appeals: list
    changes: list
    letters: list

    @property
    def missing(self) -> list[str]:
        """The lines still to record, in the words of services.checklist_missing."""
        return [f"{line.label} for {line.who}" for group in self.checklist for line in group.lines
                if line.check is None]

    @property
    def changes_awaiting_reapproval(self) -> list:
        """The changes made since the last decision, when they send the
        booking back for re-approval."""
        last = self.decisions[-1].decided_at if self.decisions else None
        return [change for change in self.changes if change.after_approval
                and (last is None or change.changed_at > last)]


def booking_page(booking) -> BookingPage:
    """Everything the booking page shows, in a fixed number of queries
    however many speakers, checks, evidence, decisions or letters it has."""
    speakers = list(booking.speakers.all())
    checks = list(booking.checks.select_related("recorded_by").prefetch_related(_evidence()))
    return BookingPage(
        speakers=speakers,
        checklist=checklist(booking, speakers=speakers, checks=checks),
        promotion_files=list(booking.promotion_files.all()),
        escalations=list(booking.escalations.select_related("escalated_by", "advised_by")),
        decisions=list(booking.decisions.select_related("decided_by", "clause")
                       .prefetch_related("conditions")),
        appeals=list(booking.appeals.select_related("decided_by", "decision__decided_by")),
        changes=list(booking.changes.all()),
        letters=list(booking.letters.select_related("sent_by")),
    )


def appeal_made_by_its_decider(appeal, user) -> bool:
    """Whether `user` made the decision `appeal` is against: they may not
    decide it (services.appeal_decide refuses them too)."""
    return appeal.decision.decided_by_id == user.pk
