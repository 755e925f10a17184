"""The audit trail: an append-only, hash-chained record of every read, search,
export and change of personal data, and of every sign-in.

An event is appended unsealed: it takes its `sequence` from the database
(an identity column, no lock) and is written with no hashes, so concurrent
requests never wait on one another. The sealer (services.audit_chain_seal)
then gives each new event the next `chain_position` and stores the hash of
the event before it in the chain and its own hash. Removing, altering or
re-ordering any sealed row breaks the chain, and `manage.py verify_audit`
names the first broken link. Rows are never updated or deleted: the model
refuses, and a database trigger refuses too, except for sealing (an unsealed
row getting its chain position and hashes, nothing else) and the one
retention path (services.audit_events_purge_before), which writes a
checkpoint first.
"""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKOUT = "lockout", "Locked out"
    PERMISSION_DENIED = "permission_denied", "Permission denied"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly(
            "Audit events cannot be deleted, except by retention "
            "(audit.services.audit_events_purge_before)."
        )

    # The retention path's own way to delete (the database trigger still
    # insists on a deletion permit in the same transaction).
    def _purge(self):
        return super().delete()


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    # Given by the database at append, without a lock. Values can commit out
    # of order and rolled-back ones leave gaps, so the chain's order is
    # chain_position, not this.
    sequence = models.BigAutoField(primary_key=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    # Snapshots as well as ids: the trail must still read correctly after a
    # user is renamed or moves organisation.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_constraint=False,
        # audit_by_actor (actor, -occurred_at) serves every lookup by actor.
        db_index=False,
    )
    actor_email = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Names of changed fields only, never values (special-category data).
    changed_fields = models.JSONField(default=list, blank=True)
    # Small, non-sensitive facts about the event: search filters, export row
    # counts, the reason for a denial.
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # Set together by the sealer, never before and never again; all three are
    # empty (NULL) while the event is unsealed.
    chain_position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL is "unsealed"
    hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL is "unsealed"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-occurred_at"],
                         name="audit_by_record"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_by_actor"),
            # The sealer's work queue and verify_audit's unsealed tail: only
            # unsealed rows are in it, so it stays a few entries long.
            models.Index(fields=["sequence"], condition=models.Q(chain_position__isnull=True),
                         name="audit_unsealed"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """One row: the chain position and hash of the last sealed event (and the
    hash before it). Only the sealer moves it, under its own lock, so the
    chain never forks and no audited request waits for it."""

    chain_position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"Audit chain sealed to #{self.chain_position}"


class AuditRetentionCheckpoint(models.Model):
    """Where the surviving chain starts after retention removed older events."""

    created_at = models.DateTimeField(auto_now_add=True)
    first_kept_position = models.BigIntegerField()
    anchor_hash = models.CharField(max_length=64)
    events_removed = models.BigIntegerField()

    class Meta:
        ordering = ["-first_kept_position"]

    def __str__(self):
        return f"Chain restarts at #{self.first_kept_position}"


class AuditDeletionPermit(models.Model):
    """Present only inside the retention transaction; the database trigger
    refuses to delete audit rows without it."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Audit deletion permit {self.created_at}"


class RefusalTally(models.Model):
    """Refused look-ups a client got within one minute after the first, which
    is audited at once: written as one event when the minute is over
    (services.audit_refusal). Flood control for the trail, not a rate limit."""

    # "<status>|user:<pk>" or "<status>|address:<ip>".
    client = models.CharField(max_length=120)
    # Minutes since the epoch.
    minute = models.BigIntegerField()
    status = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Refusals after the first in the minute, not yet written.
    count = models.PositiveIntegerField(default=0)
    last_path = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "minute"], name="audit_refusal_tally_once_a_minute"),
        ]

    def __str__(self):
        return f"{self.count} more refusals for {self.client} in minute {self.minute}"


class AuditForwardPosition(models.Model):
    """One row: the chain position of the last sealed event sent to the
    separate log system (forwarding.audit_forward), so forwarding resumes
    where it stopped after a restart or an outage of the far side."""

    chain_position = models.BigIntegerField(default=0)
    forwarded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Audit events forwarded to #{self.chain_position}"
