"""Complaints about how the council (or a partner) applied the Prevent duty:
what the complainant told us, the complaints officer's triage (investigate,
pass on with consent, or signpost a complaint about policy), the deadlines
in working days, the investigation with its findings per point, and the
letters sent.

A complaint linked to a referral or Channel case records the link only:
it never lets anyone see that record who could not see it already.
Nothing here scores or ranks anyone; every finding is a named person's,
with reasons."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from prevent_hub.encryption.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Relationship(models.TextChoices):
    SELF = "self", "I am the person affected"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer of the person affected"
    FAMILY = "family", "Another family member"
    FRIEND = "friend", "Friend"
    PROFESSIONAL = "professional", "A professional working with them"
    ADVOCATE = "advocate", "Advocate or representative"
    OTHER = "other", "Other"


class ContactPreference(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Telephone"
    POST = "post", "Post"


class OrganisationKind(models.TextChoices):
    """Which organisation applied the duty the complaint is about."""

    COUNCIL = "council", "The council (us)"
    SCHOOL = "school", "A school, college or nursery"
    POLICE = "police", "The police"
    HEALTH = "health", "A health service"
    OTHER = "other", "Another organisation"


class Source(models.TextChoices):
    ONLINE = "online", "Online form"
    EMAIL = "email", "Email"
    POST = "post", "Letter"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"


class Scope(models.TextChoices):
    """What the complaints officer decided the complaint is about: the API's
    `scope` codes."""

    BY_US = "application_of_duty_by_us", "How we applied the Prevent duty"
    BY_OTHER = "application_of_duty_by_other", "How another organisation applied the Prevent duty"
    POLICY = "policy", "Prevent policy itself (out of scope)"


class Category(models.TextChoices):
    """What part of the work the complaint is about, for the quarterly counts."""

    REFERRAL = "referral", "Making or handling a referral"
    CHANNEL = "channel", "Channel support or the panel"
    INFORMATION_SHARING = "information_sharing", "Sharing or holding information"
    STAFF_CONDUCT = "staff_conduct", "How staff behaved"
    TRAINING = "training", "Prevent training"
    VENUE_HIRE = "venue_hire", "Venue hire"
    COMMUNICATION = "communication", "Communication or delay"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    RECEIVED = "received", "Received: awaiting triage"
    INVESTIGATING = "investigating", "Being investigated"
    RESPONDED = "responded", "Responded"
    PASSED_ON = "passed_on", "Passed on to the organisation"
    SIGNPOSTED = "signposted", "Out of scope: signposted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A complaint in one of these needs nothing more from the council.
CLOSED = (Status.RESPONDED, Status.PASSED_ON, Status.SIGNPOSTED, Status.WITHDRAWN)
OPEN = (Status.RECEIVED, Status.INVESTIGATING)


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


def overall_outcome(findings: list[str]) -> str:
    """Upheld if every point is, not upheld if none is, partly otherwise."""
    if findings and all(finding == Finding.UPHELD for finding in findings):
        return Finding.UPHELD
    if findings and all(finding == Finding.NOT_UPHELD for finding in findings):
        return Finding.NOT_UPHELD
    return Finding.PARTLY_UPHELD


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_ASKED = "not_asked", "Not asked yet"


class Complaint(models.Model):
    reference = models.CharField(max_length=20, unique=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ONLINE)
    received_at = models.DateTimeField()
    received_on = models.DateField()
    # Who recorded it (staff, for a complaint by letter or telephone); blank
    # for one sent online.
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The answers it was submitted from: a second submit returns this one.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    # The complainant.
    complainant_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_other = models.CharField(max_length=200, blank=True)
    affected_person_name = models.CharField(max_length=200, blank=True)
    contact_preference = models.CharField(max_length=10, choices=ContactPreference.choices)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(max_length=500, blank=True)
    adjustments = EncryptedTextField(max_length=2000, blank=True)

    # The complaint, in their words.
    what_happened = EncryptedTextField(max_length=10000)
    happened_on = models.DateField(null=True, blank=True)
    happened_when = models.CharField(max_length=200, blank=True)
    organisation_kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    outcome_wanted = models.TextField(max_length=5000)

    # Consent to share, each given (or refused) separately and dated; staff
    # may record consent given later, by telephone or letter.
    organisation_consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED)
    organisation_consent_on = models.DateField(null=True, blank=True)
    stacu_consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED)
    stacu_consent_on = models.DateField(null=True, blank=True)

    # Triage.
    scope = models.CharField(max_length=40, choices=Scope.choices, blank=True)
    scope_reasons = models.TextField(max_length=5000, blank=True)
    category = models.CharField(max_length=30, choices=Category.choices, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The complaints officer answerable for it (reminders go to them and to
    # the investigating officer).
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="complaints_owned")
    investigator = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="complaints_investigated")
    investigator_assigned_at = models.DateTimeField(null=True, blank=True)

    # The record it concerns. The reference stays when retention deletes the
    # record; the link never widens who may see it.
    referral = models.ForeignKey("referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    case = models.ForeignKey("channel.ChannelCase", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    concerns_reference = models.CharField(max_length=40, blank=True)

    # Deadlines (working days from receipt, computed when received) and when
    # they were met.
    acknowledge_by = models.DateField()
    respond_by = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)

    # The investigation's conclusions (the overall outcome follows from the
    # findings on each point).
    outcome = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    remedy = models.TextField(max_length=10000, blank=True)
    lessons_learnt = models.TextField(max_length=10000, blank=True)

    closed_on = models.DateField(null=True, blank=True)
    close_reasons = models.TextField(max_length=5000, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="complaint_by_received"),
            models.Index(fields=["status", "received_at"], name="complaint_by_status_received"),
            models.Index(fields=["received_on"], name="complaint_by_received_on"),
            models.Index(fields=["retain_until"], name="complaint_by_retain_until"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(organisation_consent="given")
                                   | Q(organisation_consent_on__isnull=False),
                                   name="complaint_organisation_consent_dated"),
            models.CheckConstraint(condition=~Q(stacu_consent="given") | Q(stacu_consent_on__isnull=False),
                                   name="complaint_stacu_consent_dated"),
        ]

    def __str__(self):
        return self.reference or f"Complaint {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def response_due(self):
        """The date a response is due: the extended date if there is one."""
        return self.extended_to or self.respond_by


class ComplaintPoint(models.Model):
    """One point of complaint, as the officer summarised it, and the
    investigating officer's finding on it with reasons."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField(max_length=2000)
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    reasons = models.TextField(max_length=10000, blank=True)
    found_at = models.DateTimeField(null=True, blank=True)
    found_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_point_number_unique"),
            models.CheckConstraint(condition=Q(finding="") | ~Q(reasons=""),
                                   name="complaint_finding_has_reasons"),
        ]

    def __str__(self):
        return f"Point {self.number} of {self.complaint}"


class InvestigationNote(models.Model):
    """A note in the investigation: written once, never edited (a correction
    is a further note)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=10000)
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Note on {self.complaint}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Investigation notes cannot be edited: add another note instead")
        super().save(*args, **kwargs)


class ComplaintDocument(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    description = models.CharField(max_length=500)
    file = models.FileField(upload_to="complaints/documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.original_name


class Recipient(models.TextChoices):
    ORGANISATION = "organisation", "The organisation complained about"
    STACU = "stacu", "The Prevent Standards and Compliance Unit (StaCU)"


class Sharing(models.Model):
    """The complaint passed to the organisation it is about, or to StaCU:
    when, to whom and how, only ever with the complainant's consent."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="sharings")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200)
    method = models.CharField(max_length=500)
    shared_on = models.DateField()
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["shared_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "recipient"],
                                    name="complaint_shared_once_with_each"),
        ]

    def __str__(self):
        return f"{self.complaint} shared with {self.recipient_name}"


class Extension(models.Model):
    """More time to respond, with the reason the complainant is told in a
    holding letter."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    previous_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField(max_length=5000)
    extended_at = models.DateTimeField()
    extended_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["extended_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(new_date__gt=models.F("previous_date")),
                                   name="complaint_extension_is_later"),
        ]

    def __str__(self):
        return f"{self.complaint} extended to {self.new_date}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    HOLDING = "holding", "Holding letter (more time needed)"
    PASSED_ON = "passed_on", "Passed on to the organisation"
    SIGNPOSTED = "signposted", "Out of scope: signposted"
    RESPONSE = "response", "Response"


class LetterTemplate(models.Model):
    """The wording of a letter to complainants, editable by complaints
    officers. Placeholders are written $name (letters.PLACEHOLDERS). How to
    escalate is added to every response by the product, not the template,
    so no edit can leave it out."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    def __str__(self):
        return f"{self.get_kind_display()} letter"


class Letter(models.Model):
    """A letter to the complainant, as sent: emailed when they asked for
    email, otherwise printed and posted (or read out) by the officer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=30000)
    emailed = models.BooleanField(default=False)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} letter ({self.complaint})"


class ReminderKind(models.TextChoices):
    ACKNOWLEDGE_DUE = "acknowledge_due", "Acknowledgement due soon"
    ACKNOWLEDGE_OVERDUE = "acknowledge_overdue", "Acknowledgement overdue"
    RESPOND_DUE = "respond_due", "Response due soon"
    RESPOND_OVERDUE = "respond_overdue", "Response overdue"


class Reminder(models.Model):
    """A reminder emailed to a complaint's owner and investigator, once per
    deadline (a new deadline after an extension gets its own)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind", "deadline"], name="complaint_reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.complaint})"
