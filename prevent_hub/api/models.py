"""Bearer tokens for partner systems.

A token acts for one user account, so everything it reads or writes goes
through the same access rules as that user's pages, and it carries scopes
that narrow what it may call. Only a SHA-256 hash of the token is kept: the
token itself is shown once, when it is issued.
"""

import hashlib

from django.conf import settings
from django.db import models

# Every token starts with this, so a leaked one is easy to recognise (and to
# search for in code and logs); the first PREFIX_LENGTH characters are kept to
# tell tokens apart.
TOKEN_START = "ph_"  # noqa: S105 - a marker, not a secret
PREFIX_LENGTH = 10


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored. Tokens are long and random, so a
    plain hash (no salt, no slow function) is enough, and looking a token up by
    its hash is a constant-time comparison by construction."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiScope(models.TextChoices):
    REFERRALS_SUBMIT = "referrals:submit", "Submit referrals"
    REFERRALS_READ = "referrals:read", "Read referrals"
    CASES_READ = "cases:read", "Read Channel cases"
    PANELS_READ = "panels:read", "Read panel meetings"
    VENUES_READ = "venues:read", "Read venue bookings"
    COMPLAINTS_READ = "complaints:read", "Read complaints"
    TRAINING_READ = "training:read", "Read training compliance"
    STATISTICS_READ = "statistics:read", "Read Prevent statistics (small numbers suppressed)"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    scopes = models.JSONField(default=list)
    # The first characters of the token, so people can tell tokens apart.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self):
        return self.revoked_at is None

    def has_scope(self, scope) -> bool:
        return str(scope) in self.scopes
