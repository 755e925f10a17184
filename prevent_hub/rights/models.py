"""Data protection rights requests (UK GDPR Articles 15 to 18) and the
subject access bundles that answer requests for access.

A request is logged when it arrives, with who asked and how they relate to
the person; identity is verified before anything is released or changed;
the deadline is one calendar month from receipt, extendable by up to two
further months with a reason; the decision is a named person's, with
reasons. A subject access request is answered by a bundle: everything held
about the person, frozen as a JSON document when it is prepared, redacted
field by field (each redaction an overlay with a reason), approved by a
second person and released."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from prevent_hub.encryption.fields import EncryptedJSONField


class RequestKind(models.TextChoices):
    SUBJECT_ACCESS = "subject_access", "Subject access (a copy of their data)"
    RECTIFICATION = "rectification", "Rectification (correct their data)"
    ERASURE = "erasure", "Erasure (delete their data)"
    RESTRICTION = "restriction", "Restriction (stop using their data)"


class Relationship(models.TextChoices):
    SELF = "self", "The person themselves"
    PARENT_OR_CARER = "parent_or_carer", "Their parent or carer"
    REPRESENTATIVE = "representative", "Their solicitor or representative"
    OTHER = "other", "Someone else"


class IdentityMethod(models.TextChoices):
    DOCUMENTS = "documents", "Identity documents seen"
    KNOWN_CONTACT = "known_contact", "Contact details we already hold match"
    AUTHORITY = "authority", "Signed authority from the person, and the representative's identity"
    PARENTAL_RESPONSIBILITY = "parental_responsibility", "Evidence of parental responsibility"
    IN_PERSON = "in_person", "Known to staff in person"
    OTHER = "other", "Another way (say how)"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Identity to verify"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    REFUSED = "refused", "Refused"


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
MAX_EXTENSION_MONTHS = 2


def overdue(today) -> Q:
    """The one rule for an overdue request: not completed and past its
    deadline (extended or not). Lists read it through core.overdue."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


class RightsRequest(models.Model):
    reference = models.CharField(max_length=20, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    # Who asked.
    requester_name = models.CharField(max_length=200)
    requester_contact = models.CharField(max_length=500)
    requester_relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_details = models.CharField(max_length=500, blank=True)
    received_on = models.DateField()
    # Who the request is about, as the requester described them (to find them).
    subject_details = models.TextField(max_length=2000)
    # What they ask for: what to correct, erase or restrict (or which data).
    request_text = models.TextField(max_length=10000, blank=True)
    logged_at = models.DateTimeField()
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The person record, once found. Erasure may delete it, so its id is kept.
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="rights_requests")
    person_former_id = models.PositiveBigIntegerField(null=True, blank=True)
    person_linked_at = models.DateTimeField(null=True, blank=True)
    person_linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    # Identity.
    identity_method = models.CharField(max_length=30, choices=IdentityMethod.choices, blank=True)
    identity_notes = models.TextField(max_length=2000, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+")
    # The deadline: one calendar month from receipt, plus any extension.
    original_due_on = models.DateField()
    due_on = models.DateField()
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(max_length=2000, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    # The decision.
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(max_length=10000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    # What the parts of Prevent Hub that carry out decisions said they did
    # (signals.rights_request_decided), one sentence a line.
    effects = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="rights_request_by_deadline"),
            models.Index(fields=["retain_until"], name="rights_request_by_retention"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(extension_months__lte=MAX_EXTENSION_MONTHS),
                                   name="rights_request_extension_at_most_two_months"),
        ]

    def __str__(self):
        return self.reference or f"Rights request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class BundleStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared: redact, then ask for approval"
    APPROVED = "approved", "Approved: ready to release"
    RELEASED = "released", "Released"


class ReleaseMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    POST = "post", "Recorded post"
    IN_PERSON = "in_person", "Handed over in person"
    OTHER = "other", "Another way (say how)"


class SubjectAccessBundle(models.Model):
    """Everything held about the request's person when it was prepared,
    frozen (bundle.py builds `document`), so redactions and approval apply
    to exactly what is released."""

    request = models.OneToOneField(RightsRequest, on_delete=models.CASCADE, related_name="bundle")
    document = EncryptedJSONField()
    status = models.CharField(max_length=20, choices=BundleStatus.choices, default=BundleStatus.PREPARED)
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    released_on = models.DateField(null=True, blank=True)
    release_method = models.CharField(max_length=20, choices=ReleaseMethod.choices, blank=True)
    release_notes = models.TextField(max_length=2000, blank=True)

    def __str__(self):
        return f"Subject access bundle for {self.request}"

    @property
    def is_locked(self) -> bool:
        return self.status != BundleStatus.PREPARED


class RedactionReason(models.TextChoices):
    THIRD_PARTY = "third_party", "Third-party information (DPA 2018 Sch 2 para 16)"
    CRIME = "crime", "Crime and taxation (DPA 2018 Sch 2 para 2)"
    LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege (DPA 2018 Sch 2 para 19)"
    SERIOUS_HARM = "serious_harm", "Serious harm to the person or someone else (DPA 2018 Sch 3)"
    OTHER = "other", "Another exemption (name it in the explanation)"


# What the released bundle says in place of the content.
REDACTED_AS = {
    RedactionReason.THIRD_PARTY: "third-party information",
    RedactionReason.CRIME: "crime and taxation exemption",
    RedactionReason.LEGAL_PRIVILEGE: "legal professional privilege",
    RedactionReason.SERIOUS_HARM: "serious harm exemption",
    RedactionReason.OTHER: "exemption",
}


class Redaction(models.Model):
    """One field of the frozen document withheld, with the reason. Removed
    redactions are kept (removed_at) so the approver's independence can be
    checked against everyone who redacted."""

    bundle = models.ForeignKey(SubjectAccessBundle, on_delete=models.CASCADE, related_name="redactions")
    item_key = models.CharField(max_length=120)
    field_key = models.CharField(max_length=120)
    reason = models.CharField(max_length=30, choices=RedactionReason.choices)
    explanation = models.TextField(max_length=2000)
    redacted_at = models.DateTimeField()
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["redacted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item_key", "field_key"],
                                    condition=Q(removed_at__isnull=True),
                                    name="one_live_redaction_per_field"),
        ]

    def __str__(self):
        return f"Redaction of {self.item_key} {self.field_key}"

    @property
    def shown_as(self) -> str:
        return f"[Redacted: {REDACTED_AS[self.reason]}]"


class LinkedByHand(models.Model):
    """A record that names the requester but has no person record behind it
    (a venue booker or speaker, a complainant): found by a search and linked
    to a subject access request by a named person, so the bundle includes
    it and everything about it. Nothing links such records by itself."""

    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["linked_at", "pk"]


class VenueBookingLink(LinkedByHand):
    """A venue booking that names the requester as booker or speaker."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="venue_booking_links")
    booking = models.ForeignKey("venues.VenueBooking", on_delete=models.CASCADE, related_name="+")

    class Meta(LinkedByHand.Meta):
        constraints = [
            models.UniqueConstraint(fields=["request", "booking"], name="venue_booking_linked_once"),
        ]

    def __str__(self):
        return f"{self.booking} linked to {self.request}"


class ComplaintLink(LinkedByHand):
    """A complaint that names the requester as complainant or as the person
    affected. (Complaints about the person's own referrals and cases are in
    their bundle without one.)"""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="complaint_links")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+")

    class Meta(LinkedByHand.Meta):
        constraints = [
            models.UniqueConstraint(fields=["request", "complaint"], name="complaint_linked_once"),
        ]

    def __str__(self):
        return f"{self.complaint} linked to {self.request}"


class LearnerLink(LinkedByHand):
    """A learner's training record (training.Learner) that is the
    requester's own: a member of the council's or a partner's staff asking
    for their data. Learners have no person record, so nothing links them
    by itself. While the request is open, retention keeps the learner."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="learner_links")
    learner = models.ForeignKey("training.Learner", on_delete=models.CASCADE, related_name="+")

    class Meta(LinkedByHand.Meta):
        constraints = [
            models.UniqueConstraint(fields=["request", "learner"], name="learner_linked_once"),
        ]

    def __str__(self):
        return f"{self.learner} linked to {self.request}"
