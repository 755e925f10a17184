"""The people concerns are about.

A person record is made by a Prevent coordinator at triage, never by the
system on its own: a referral's subject either becomes a new person or is
confirmed as someone already known (see referrals.services). Names are kept in
`PersonName` with the keys the repeat-referral search uses, so a person can be
found under any name they have been known by.
"""

from django.conf import settings
from django.db import models


class Person(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=60, blank=True)
    address = models.TextField(max_length=500, blank=True)
    # Upper case without spaces, so "ab1 2cd" and "AB12CD" are the same.
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["date_of_birth"], name="person_by_date_of_birth")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}".strip()


class PersonName(models.Model):
    """A name a person is or has been known by, with its search keys."""

    class Kind(models.TextChoices):
        MAIN = "main", "Name"
        OTHER = "other", "Other name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MAIN)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    # Phonetic keys (people.matching.name_key), so "Mohammed" finds "Muhammad"
    # and "Smyth" finds "Smith".
    given_key = models.CharField(max_length=40, blank=True)
    family_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["person", "kind", "pk"]
        indexes = [
            models.Index(fields=["family_key", "given_key"], name="person_name_by_keys"),
            models.Index(fields=["given_key", "family_key"], name="person_name_by_given"),
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}".strip()
