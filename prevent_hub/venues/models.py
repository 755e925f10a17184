"""Council venues and the due diligence on booking them: ASK (the booker's
request), CHECK (the officer's checklist) and DECIDE (a named person's
decision with reasons and the clause of the booking conditions relied on),
then changes, appeals, withdrawal and cancellation.

Nothing here searches, scrapes or scores anyone: every check is what an
officer looked at and wrote down."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class VenueKind(models.TextChoices):
    LIBRARY = "library", "Library"
    COMMUNITY_CENTRE = "community_centre", "Community centre"
    LEISURE_CENTRE = "leisure_centre", "Leisure centre"
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
    MUSEUM = "museum", "Museum"
    OTHER = "other", "Other"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Venue(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=VenueKind.choices)
    address = models.TextField(max_length=500)
    # A venue no longer offered keeps its bookings but takes no new ones.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=200)
    capacity = models.PositiveIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["venue__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_in_venue"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_at_least_one"),
        ]

    def __str__(self):
        return f"{self.name}, {self.venue.name}"


class OpeningHours(models.Model):
    """When a venue's rooms may be booked on a day of the week. A day with
    no row is a day the venue is closed."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["venue", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="one_opening_hours_per_weekday"),
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")),
                                   name="opening_hours_open_first"),
        ]

    def __str__(self):
        return f"{self.venue.name}: {self.get_weekday_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"


class Closure(models.Model):
    """Days a whole venue, or one of its rooms, cannot be booked."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["venue", "ends_on"], name="closure_by_venue_end")]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")),
                                   name="closure_starts_before_it_ends"),
        ]

    def __str__(self):
        return f"{self.venue.name} closed {self.starts_on} to {self.ends_on}"


class BookingConditions(models.Model):
    """One published version of the conditions of hire. A change is a new
    version; a booking records the version its booker accepted, and a
    decision cites a clause of that version."""

    version = models.PositiveIntegerField(unique=True)
    introduction = models.TextField(max_length=5000, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    change_summary = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "booking conditions"

    def __str__(self):
        return f"Booking conditions version {self.version}"


class ConditionsClause(models.Model):
    conditions = models.ForeignKey(BookingConditions, on_delete=models.PROTECT, related_name="clauses")
    number = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)

    class Meta:
        ordering = ["conditions", "position"]
        constraints = [
            models.UniqueConstraint(fields=["conditions", "number"], name="clause_number_unique_in_version"),
        ]

    def __str__(self):
        return f"Clause {self.number}: {self.heading}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    CHECKING = "checking", "Checking"
    ESCALATED = "escalated", "Escalated to the Prevent lead"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REFUSED = "refused", "Refused"
    APPEALED = "appealed", "Appealed"
    APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"
    APPEAL_DISMISSED = "appeal_dismissed", "Appeal dismissed"
    CHANGED_AWAITING_REAPPROVAL = "changed_awaiting_reapproval", "Changed: awaiting re-approval"
    WITHDRAWN = "withdrawn", "Withdrawn by the booker"
    CANCELLED = "cancelled", "Cancelled by the council"


# Waiting for an officer to decide.
AWAITING_DECISION = (BookingStatus.REQUESTED, BookingStatus.CHECKING, BookingStatus.ESCALATED,
                     BookingStatus.CHANGED_AWAITING_REAPPROVAL)
# Waiting for the council to act (the dashboard's "awaiting action").
AWAITING_ACTION = (*AWAITING_DECISION, BookingStatus.APPEALED)
# Nothing more can happen to the booking.
FINISHED = (BookingStatus.WITHDRAWN, BookingStatus.CANCELLED)


class Admission(models.TextChoices):
    OPEN = "open", "Open to anyone"
    TICKETED = "ticketed", "Ticketed"
    INVITATION = "invitation", "By invitation only"


class BookingCapacity(models.TextChoices):
    OWN = "own", "For themselves or their own organisation"
    ON_BEHALF = "on_behalf", "On behalf of another organisation"
    JOINTLY = "jointly", "Jointly with another organisation"


class EqualityPolicy(models.TextChoices):
    HAS_ONE = "has_one", "Has its own equality policy"
    WILL_SIGN = "will_sign", "Will sign up to the council's equality policy"


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "Approved"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approved with conditions"
    REFUSE = "refuse", "Refused"


class VenueBooking(models.Model):
    reference = models.CharField(max_length=20, unique=True, blank=True)
    status = models.CharField(max_length=40, choices=BookingStatus.choices, default=BookingStatus.REQUESTED)
    received_at = models.DateTimeField()
    # The draft it was submitted from: a second submit of the same draft
    # returns this booking instead of making another.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The booker's secret link (SHA-256 of its token).
    booker_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Where and when.
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="bookings")
    event_date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    # The booker.
    booker_name = models.CharField(max_length=200)
    booker_other_names = models.CharField(max_length=500, blank=True)
    booker_email = models.EmailField(max_length=254)
    booker_phone = models.CharField(max_length=40, blank=True)
    booker_address = models.TextField(max_length=500)
    # The organisation (blank when booking as an individual).
    organisation_name = models.CharField(max_length=200, blank=True)
    booking_capacity = models.CharField(max_length=20, choices=BookingCapacity.choices,
                                        default=BookingCapacity.OWN)
    other_organisation_name = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=500, blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    equality_policy = models.CharField(max_length=20, choices=EqualityPolicy.choices)
    # The event.
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=500, blank=True)
    agenda = models.TextField(max_length=5000)
    expected_audience = models.PositiveIntegerField()
    audience_description = models.TextField(max_length=2000)
    admission = models.CharField(max_length=20, choices=Admission.choices)
    promotion = models.TextField(max_length=2000, blank=True)
    # The conditions of hire the booker accepted.
    conditions = models.ForeignKey(BookingConditions, on_delete=models.PROTECT, related_name="bookings")
    conditions_accepted_at = models.DateTimeField()
    # The decision in force (denormalised from BookingDecision for lists and
    # the calendar) and the last day the booker may appeal it.
    decision_outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices, blank=True)
    appeal_by = models.DateField(null=True, blank=True)
    # Withdrawal by the booker or cancellation by the council.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    end_reason = models.TextField(max_length=2000, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["event_date", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["room", "event_date"], name="booking_by_room_date"),
            models.Index(fields=["venue", "event_date"], name="booking_by_venue_date"),
            models.Index(fields=["status", "received_at"], name="booking_by_status_received"),
            models.Index(fields=["-received_at", "-id"], name="booking_by_received"),
            models.Index(fields=["retain_until"], name="booking_by_retain_until"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")),
                                   name="booking_starts_before_it_ends"),
        ]

    def __str__(self):
        return self.reference or f"Venue booking {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def awaiting_decision(self) -> bool:
        return self.status in AWAITING_DECISION


def occupying(today) -> Q:
    """The one rule for a booking that holds its room (clashes, free slots,
    the calendar): not withdrawn or cancelled, not refused for good (an
    appeal dismissed), and a refusal only while it may still be appealed."""
    return (~Q(status__in=FINISHED)
            & ~Q(status=BookingStatus.APPEAL_DISMISSED, decision_outcome=DecisionOutcome.REFUSE)
            & ~Q(status=BookingStatus.REFUSED, appeal_by__lt=today))


class Speaker(models.Model):
    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=500)

    class Meta:
        ordering = ["booking", "position"]

    def __str__(self):
        return self.name


class PromotionFile(models.Model):
    """A flyer or other promotion material, uploaded with a draft and moved
    to the booking when it is submitted."""

    draft = models.ForeignKey("BookingDraft", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="files")
    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="promotion_files")
    file = models.FileField(upload_to="venues/promotion/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class BookingDraft(models.Model):
    """A booking request still being written: the answers so far, reachable
    from the browser session that started it or through a secret link
    emailed to the booker. Expires BOOKING_DRAFT_EXPIRY_DAYS after its last
    save."""

    data = models.JSONField(default=dict)
    email = models.EmailField(max_length=254, blank=True)
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Booking draft {self.pk}"


class CheckSubject(models.TextChoices):
    BOOKER = "booker", "Booker"
    ORGANISATION = "organisation", "Organisation"
    SPEAKER = "speaker", "Speaker"


class CheckKind(models.TextChoices):
    PUBLIC_STATEMENTS = "public_statements", "Public statements reviewed"
    REFERENCES = "references", "References taken"
    STATUS = "status", "Charity or company status checked"
    PREVIOUS_BOOKINGS = "previous_bookings", "Previous bookings here and how they went"


class CheckOutcome(models.TextChoices):
    NO_CONCERNS = "no_concerns", "Checked: no concerns"
    CONCERNS = "concerns", "Checked: concerns noted"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    COULD_NOT_CHECK = "could_not_check", "Could not be checked"


class BookingCheck(models.Model):
    """One line of the checklist: what the officer looked at about the
    booker, the organisation or a speaker, what they found (their words)
    and the evidence they kept."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="checks")
    subject = models.CharField(max_length=20, choices=CheckSubject.choices)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="checks")
    kind = models.CharField(max_length=30, choices=CheckKind.choices)
    outcome = models.CharField(max_length=20, choices=CheckOutcome.choices)
    notes = models.TextField(max_length=5000)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["booking", "subject", "speaker__position", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "subject", "kind"], condition=Q(speaker__isnull=True),
                                    name="one_check_per_booking_subject_kind"),
            models.UniqueConstraint(fields=["booking", "speaker", "kind"], condition=Q(speaker__isnull=False),
                                    name="one_check_per_speaker_kind"),
            models.CheckConstraint(condition=Q(subject="speaker", speaker__isnull=False)
                                   | (~Q(subject="speaker") & Q(speaker__isnull=True)),
                                   name="check_speaker_only_for_speaker_subject"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_subject_display()})"


class CheckEvidence(models.Model):
    """A link the officer followed or a file they kept, for one check. The
    product only stores what the officer gives it."""

    check_line = models.ForeignKey(BookingCheck, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(max_length=500)
    link = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to="venues/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(link="") | ~Q(file=""), name="evidence_is_a_link_or_a_file"),
        ]

    def __str__(self):
        return self.description


class Escalation(models.Model):
    """The officer asks the Prevent lead; the Prevent lead's advice."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="escalations")
    reason = models.TextField(max_length=5000)
    escalated_at = models.DateTimeField()
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    advice = models.TextField(max_length=10000, blank=True)
    advised_at = models.DateTimeField(null=True, blank=True)
    advised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["escalated_at", "pk"]

    def __str__(self):
        return f"Escalation of {self.booking}"


class BookingDecision(models.Model):
    """A named person's decision, with reasons and (for a refusal or
    conditions) the clause relied on. A booking changed after approval gets
    a new decision: the earlier ones stay."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices)
    reasons = models.TextField(max_length=10000)
    clause = models.ForeignKey(ConditionsClause, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    decided_at = models.DateTimeField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The change it re-approves, if any.
    reapproval = models.BooleanField(default=False)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome="approve") | Q(clause__isnull=False),
                                   name="refusal_or_conditions_cite_a_clause"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.booking})"


class DecisionCondition(models.Model):
    decision = models.ForeignKey(BookingDecision, on_delete=models.CASCADE, related_name="conditions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["decision", "number"]

    def __str__(self):
        return f"Condition {self.number}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Appeal(models.Model):
    """The booker's appeal against a refusal or conditions, decided by
    someone other than whoever made the decision appealed."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="appeals")
    decision = models.ForeignKey(BookingDecision, on_delete=models.CASCADE, related_name="appeals")
    grounds = models.TextField(max_length=10000)
    lodged_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    reasons = models.TextField(max_length=10000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["lodged_at", "pk"]

    def __str__(self):
        return f"Appeal on {self.booking}"


class BookingChange(models.Model):
    """What the booker changed, field by field: [{"field", "label",
    "before", "after"}] in words."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField()
    changes = models.JSONField()
    # Made after approval: the booking went back for re-approval.
    after_approval = models.BooleanField(default=False)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"Change to {self.booking}"


class LetterKind(models.TextChoices):
    APPROVAL = "approval", "Approval"
    APPROVAL_WITH_CONDITIONS = "approval_with_conditions", "Approval with conditions"
    REFUSAL = "refusal", "Refusal"
    APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"
    APPEAL_DISMISSED = "appeal_dismissed", "Appeal dismissed"
    CANCELLATION = "cancellation", "Cancellation"


class LetterTemplate(models.Model):
    """The wording of a letter to bookers, editable by venue booking
    officers. Placeholders are written $name (see letters.PLACEHOLDERS)."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    def __str__(self):
        return f"{self.get_kind_display()} letter"


class Letter(models.Model):
    """A letter sent to the booker, as sent."""

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} letter ({self.booking})"
