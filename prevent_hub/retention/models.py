"""How long each kind of record is kept once it closes: reference data.

A policy is never edited in place. Changing one records a new version with
the date it takes effect, so a record keeps the period that was in force
when it closed and the history of every change stays readable."""

from django.conf import settings
from django.db import models


class RecordType(models.TextChoices):
    """The kinds of record retention applies to, each with the event its
    period runs from (shown beside the period wherever a policy is named)."""

    REFERRAL_CLOSED = "referral_closed", "Referral closed with no further action or signposted"
    REFERRAL_POLICE_LED = "referral_police_led", "Referral passed to police-led management"
    CASE_NOT_ADOPTED = "case_not_adopted", "Channel case not adopted"
    CASE_EXITED_OR_TRANSFERRED = "case_exited_or_transferred", "Channel case exited or transferred"
    CASE_CLOSED_OTHERWISE = "case_closed_otherwise", "Channel case closed for another reason"
    VENUE_BOOKING = "venue_booking", "Venue booking"
    COMPLAINT = "complaint", "Complaint"
    DATA_RIGHTS_REQUEST = "data_rights_request", "Data protection rights request"
    TRAINING_RECORD = "training_record", "Training record of a learner"
    REFERRAL_DRAFT = "referral_draft", "Unsubmitted referral draft"
    PERSON_WITHOUT_RECORDS = "person_without_records", "Person with no remaining records"


# What each period is counted from: fixed by how the product works, so code,
# not data.
STARTS_FROM: dict[str, str] = {
    RecordType.REFERRAL_CLOSED: "the gateway outcome",
    RecordType.REFERRAL_POLICE_LED: "the gateway outcome",
    RecordType.CASE_NOT_ADOPTED: "the panel's decision not to adopt",
    RecordType.CASE_EXITED_OR_TRANSFERRED: "exit from Channel or the transfer",
    RecordType.CASE_CLOSED_OTHERWISE: "closure",
    RecordType.VENUE_BOOKING: "the event",
    RecordType.COMPLAINT: "closure",
    RecordType.DATA_RIGHTS_REQUEST: "the request's completion",
    RecordType.TRAINING_RECORD: "the learner leaving their organisation",
    RecordType.REFERRAL_DRAFT: "the last change to the draft",
    RecordType.PERSON_WITHOUT_RECORDS: "their last referral or case",
}


class RetentionPolicy(models.Model):
    record_type = models.CharField(max_length=40, choices=RecordType.choices)
    # Months, so "3 years" means the same calendar date three years on.
    # Drafts are the exception: REFERRAL_DRAFT_EXPIRY_DAYS says how long.
    period_months = models.PositiveSmallIntegerField(null=True, blank=True)
    effective_from = models.DateField()
    reason = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record_type", "-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "effective_from"],
                                    name="one_retention_policy_per_type_and_day"),
        ]

    def __str__(self):
        return f"{self.get_record_type_display()}: {self.period_text}"

    @property
    def starts_from(self) -> str:
        return STARTS_FROM[self.record_type]

    @property
    def period_text(self) -> str:
        if self.record_type == RecordType.REFERRAL_DRAFT:
            return f"{settings.REFERRAL_DRAFT_EXPIRY_DAYS} days from {self.starts_from}"
        if self.period_months == 0:
            return f"deleted with {self.starts_from}"
        months = self.period_months
        if months % 12 == 0:
            years = months // 12
            length = f"{years} year{'s' if years != 1 else ''}"
        else:
            length = f"{months} month{'s' if months != 1 else ''}"
        return f"{length} from {self.starts_from}"
