"""Channel cases. A case is opened when the police gateway decides a referral
should proceed to Channel; what happens next (screening, panel, consent,
support, exit) is built on this model."""

from django.conf import settings
from django.db import models


class CaseStatus(models.TextChoices):
    SCREENING = "screening", "Screening and information gathering"


class ChannelCase(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="channel_cases")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="channel_case"
    )
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.SCREENING)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return self.reference
