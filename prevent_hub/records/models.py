"""Records management: retention runs that delete what is past its
retention date, the tombstones they leave, and legal holds that stop a
record being deleted while a complaint, request, investigation or claim
needs it.

A tombstone and a run's report hold record types, ids, references (PRV-…,
CH-…: identifiers the council made) and policies: never a name or anything
typed about a person. A legal hold's reason is typed by staff and may say
something about the person, so a hold goes with its record (CASCADE): an
ended hold is deleted when its record is, and an active hold stops the
deletion."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from prevent_hub.retention.models import RecordType

USER = settings.AUTH_USER_MODEL


class RunTrigger(models.TextChoices):
    COMMAND = "command", "Command"
    SCHEDULER = "scheduler", "Nightly run"
    PAGE = "page", "Preview page"
    ERASURE = "erasure", "Erasure request"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class Outcome(models.TextChoices):
    DELETED = "deleted", "Deleted"
    WOULD_DELETE = "would_delete", "Would be deleted"
    HELD = "held", "Held"
    FAILED = "failed", "Not deleted: failed"


class RetentionRun(models.Model):
    """One run of apply_retention, real or dry. `report` lists every record
    the run found due: [{"record_type", "object_type", "object_id",
    "reference", "policy_id", "policy", "period", "retain_until", "outcome",
    "hold_kind", "hold_ends_on", "error"}] — ids and references only."""

    as_of = models.DateField()
    dry_run = models.BooleanField()
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices)
    run_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Retention run {self.pk} ({'dry' if self.dry_run else 'real'}) as of {self.as_of}"


class Tombstone(models.Model):
    """What is left of a deleted record: no personal data."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="tombstones")
    record_type = models.CharField(max_length=40, choices=RecordType.choices)
    object_type = models.CharField(max_length=60)
    former_id = models.CharField(max_length=40)
    reference = models.CharField(max_length=40, blank=True)
    policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    retain_until = models.DateField(null=True, blank=True)
    deleted_on = models.DateField()

    class Meta:
        ordering = ["-deleted_on", "-pk"]
        indexes = [models.Index(fields=["reference"], name="tombstone_by_reference")]
        constraints = [models.UniqueConstraint(fields=["object_type", "former_id"],
                                               name="one_tombstone_per_record")]

    def __str__(self):
        return f"{self.object_type} {self.former_id} ({self.reference}) deleted {self.deleted_on}"


class HoldKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    SUBJECT_ACCESS_REQUEST = "subject_access_request", "Subject access request"
    INVESTIGATION = "investigation", "Investigation"
    LITIGATION = "litigation", "Litigation"


class LegalHold(models.Model):
    """Stops retention deleting a referral, a Channel case, everything about
    a person or a learner's training record until it is lifted or its end
    date passes. Holding a person holds all their referrals and cases;
    holding a case holds its referral, and holding a referral that went to
    Channel holds its case (they go together). Holding a learner holds their
    completions, which go only with them."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="legal_holds")
    case = models.ForeignKey("channel.ChannelCase", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="legal_holds")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="legal_holds")
    learner = models.ForeignKey("training.Learner", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="legal_holds")
    # The reference as placed (PRV-…, CH-…, LRN-…, or "person <id>"): shown in lists.
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=30, choices=HoldKind.choices)
    # The complaint the hold was placed for, if it was placed from one: the
    # complaint's page lists it. The hold outlives the complaint (its reason
    # still says why it was placed).
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="legal_holds")
    reason = models.TextField(max_length=2000)
    ends_on = models.DateField()
    placed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(referral__isnull=False, case__isnull=True, person__isnull=True,
                             learner__isnull=True)
                           | Q(referral__isnull=True, case__isnull=False, person__isnull=True,
                               learner__isnull=True)
                           | Q(referral__isnull=True, case__isnull=True, person__isnull=False,
                               learner__isnull=True)
                           | Q(referral__isnull=True, case__isnull=True, person__isnull=True,
                               learner__isnull=False)),
                name="legal_hold_on_one_record"),
        ]
        indexes = [models.Index(fields=["lifted_at", "ends_on"], name="legal_hold_active")]

    def __str__(self):
        return f"{self.get_kind_display()} hold on {self.reference}"

    def is_active(self, on) -> bool:
        return self.lifted_at is None and self.ends_on >= on
