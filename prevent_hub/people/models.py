"""The people concerns are about.

A person record is made by a Prevent coordinator at triage, never by the
system on its own: a referral's subject either becomes a new person or is
confirmed as someone already known (people.services). Only a coordinator
changes it: editing its details, merging two records of one person (which can
be undone), or saying two records are not the same person.

What the record holds is the coordinator's: its name and other names
(`PersonName`, with the keys search uses), date of birth, address and so on.
What each referral said about the person stays on that referral, where it
came from (referrals.Referral.subject_*, referrals.ReferralName): the person's
page shows it beside the record, to those who may see that referral, and
repeat-referral matching compares it too.
"""

from django.conf import settings
from django.db import models

from prevent_hub.core.models import KeyedName

NAME_NOT_SHARED = "Name not shared with you"


class Person(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=60, blank=True)
    address = models.TextField(max_length=500, blank=True)
    # Upper case without spaces, so "ab1 2cd" and "AB12CD" are the same
    # (core.addresses.format_postcode shows it the standard way).
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    # The address reduced to which home it is (core.addresses.address_key).
    address_key = models.CharField(max_length=200, blank=True, editable=False)
    school_or_employer = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Where the record's own facts came from (issue 13.1): the referral it was
    # started from, whose names, date of birth, gender, address, postcode and
    # school or employer were copied onto it, and the fields a coordinator has
    # since entered by hand. A reader sees a copied fact only if they may see
    # that referral (or one of the person's Channel cases): selectors.person_as_seen.
    started_from = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    hand_entered = models.JSONField(default=list, blank=True)
    # Set when retention deleted `started_from` while the person kept other
    # records: the facts copied from it stay on the record, shown only to
    # readers who see every referral (selectors.person_as_seen), since no one
    # can any longer check who might see the referral they came from.
    started_from_deleted = models.BooleanField(default=False)
    # Set when this record was merged into another (PersonMerge): it keeps
    # nothing of its own then, and is shown only to say where it went.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Processing restricted at the person's request (UK GDPR Article 18): the
    # person's records can be read but not changed until it is lifted
    # (access.predicates.record_not_restricted refuses every change).
    restricted_at = models.DateTimeField(null=True, blank=True)
    restriction_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_by_date_of_birth"),
            models.Index(fields=["address_key"], name="person_by_address"),
        ]

    # A copy made for one reader (people.selectors.person_as_seen), with the
    # facts they may not see left out; never saved.
    name_withheld = False
    seen_by_one_reader = False

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if self.seen_by_one_reader:
            raise RuntimeError("A person record as one reader sees it is never saved")
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        if self.name_withheld:
            return NAME_NOT_SHARED
        return f"{self.given_name} {self.family_name}".strip()


class PersonName(KeyedName):
    """A name a person is or has been known by, as their record keeps it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    # The referral the name was copied from; none for a name entered by hand.
    source_referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["person", "kind", "pk"]
        indexes = [
            models.Index(fields=["family_key", "given_key"], name="person_name_by_keys"),
            models.Index(fields=["given_key", "family_key"], name="person_name_by_given"),
        ]


class PersonChange(models.Model):
    """One change to a person record, for its history: what each field was
    and became, who changed it, when and why. Edits, merges and their undoing
    each write one."""

    class Kind(models.TextChoices):
        EDIT = "edit", "Details changed"
        MERGE = "merge", "Records merged"
        MERGE_UNDONE = "merge_undone", "Merge undone"
        NOT_SAME = "not_same", "Recorded as not the same person"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # [{"field": ..., "label": ..., "before": ..., "after": ...}], as shown.
    changes = models.JSONField(default=list, blank=True)
    reasons = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["person", "changed_at"], name="person_change_by_person")]

    def __str__(self):
        return f"{self.person_id}: {self.kind} {self.changed_at:%Y-%m-%d}"


class PersonMerge(models.Model):
    """Two records found to be one person, made one: everything about
    `merged` moved to `kept`. `moved` lists exactly which rows moved, so the
    merge can be undone without taking anything that was added since."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reasons = models.TextField(max_length=2000)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    # {"referrals": [ids], "cases": [ids], "chronology": [ids], "names": [ids]}
    moved = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reasons = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.merged_id} into {self.kept_id}"


class PersonDistinction(models.Model):
    """A coordinator's answer that two records are not the same person, so
    they are not offered to anyone as possibly the same again. The pair is
    stored lower id first."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reasons = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="one_distinction_per_pair"),
            models.CheckConstraint(condition=models.Q(person__lt=models.F("other")),
                                   name="distinction_lower_id_first"),
        ]

    def __str__(self):
        return f"{self.person_id} is not {self.other_id}"


class MatchDecision(models.Model):
    """A coordinator's answer to "is this the same person?" for one candidate."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", "Same person"
        REJECTED = "rejected", "Not the same person"

    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE,
                                 related_name="match_decisions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        # Moved here from referrals (identifying people is this app's work);
        # the table keeps its name.
        db_table = "referrals_matchdecision"
        constraints = [
            models.UniqueConstraint(fields=["referral", "person"], name="one_match_decision_per_person"),
        ]

    def __str__(self):
        return f"{self.referral_id} / {self.person_id}: {self.answer}"
