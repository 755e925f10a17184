"""Data keys: the keys values are encrypted with, kept here only wrapped
(encrypted) by a key-encryption key from outside the database (keys.py).
A copy of this table alone opens nothing."""

from django.db import models
from django.utils import timezone


class KeyPurpose(models.TextChoices):
    DATA = "data", "Encrypts values"
    INDEX = "index", "Keys the blind indexes of category codes"


class DataKey(models.Model):
    # Random, never a sequence: a value names its key by this id, and an id
    # must never come back for another key (a rolled-back or deleted row).
    id = models.CharField(primary_key=True, max_length=16, editable=False)
    purpose = models.CharField(max_length=10, choices=KeyPurpose.choices)
    # Which key-encryption key wraps it (its id in ENCRYPTION_KEYS).
    kek_id = models.CharField(max_length=32)
    # base64(nonce | AES-256-GCM ciphertext of the 32-byte key), with this
    # row's id and purpose as associated data.
    wrapped = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a newer data key became current: nothing new is encrypted
    # under it, and rotation moves its values on.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["purpose", "-created_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} key {self.id}"
