"""Referrals: a concern about a person, from a practitioner, a member of the
public or a partner agency's system, and what triage decided about it.

One model holds all three kinds. The public kind asks for less; the fields a
public member is not asked for stay blank. Drafts live apart
(`ReferralDraft`) until they are submitted: a draft is what someone is still
typing, a referral is what we have received.
"""

import uuid

from django.conf import settings
from django.db import models

from prevent_hub.core.models import KeyedName
from prevent_hub.core.uploads import stored_path
from prevent_hub.encryption.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedJSONField,
    EncryptedTextField,
    with_blind_indexes,
)


class ReferralKind(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner referral"
    PUBLIC = "public", "Concern from a member of the public"
    PARTNER_API = "partner_api", "Partner system referral"


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    AWAITING_GATEWAY = "awaiting_gateway", "Shared with police, awaiting gateway outcome"
    DECIDED = "decided", "Gateway outcome recorded"


class GatewayOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    SIGNPOSTED = "signposted", "Signposted to other services"
    POLICE_LED = "police_led", "Police-led management"
    PROCEED_TO_CHANNEL = "proceed_to_channel", "Proceed to Channel"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class ConcernPrompt(models.TextChoices):
    """What the referrer says the concern involves, in their own judgement.
    These help the reader; nothing is computed from them."""

    ONLINE_ACTIVITY = "online_activity", "Online activity (sharing or viewing material, online contacts)"
    SUPPORT_FOR_VIOLENCE = "support_for_violence", "Expressing support for violence or terrorism"
    CONTACT_WITH_GROUPS = "contact_with_groups", "Contact with groups or individuals of concern"
    THREATS = "threats", "Threats to harm others"
    MASS_CASUALTY_INTEREST = "mass_casualty_interest", "Interest in mass-casualty attacks"


class PoliceSharingMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    CASE_SYSTEM = "case_system", "Police case management system"
    OTHER = "other", "Other"


class Referral(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=ReferralKind.choices)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW)
    received_at = models.DateTimeField()
    # Makes submitting idempotent: "draft:<draft id>" for the web forms,
    # "api:<token id>:<Idempotency-Key>" for the API. A second submit finds the
    # referral the first one made instead of making another.
    submission_key = models.CharField(max_length=150, unique=True, null=True, blank=True, editable=False)
    # SHA-256 of what was submitted under that key, where a caller chooses the
    # key (the API): the same key with something else is refused, not taken
    # for a retry (services.SubmissionKeyReused).
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The signed-in account (or API token's account) that submitted it, if any.",
    )

    # Referrer. A member of the public may choose not to give their name.
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(max_length=254, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_relationship = models.CharField(
        "relationship to the person", max_length=200, blank=True
    )
    # Whether the Designated Safeguarding Lead or Prevent lead was consulted.
    dsl_consulted = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    dsl_name = models.CharField(max_length=150, blank=True)
    dsl_contact = models.CharField(max_length=254, blank=True)

    # The person the concern is about, as the referrer described them. The
    # confirmed identity is `person`, set at triage.
    subject_given_name = models.CharField(max_length=100, blank=True)
    subject_family_name = models.CharField(max_length=100, blank=True)
    subject_other_names = models.TextField(max_length=1000, blank=True)
    # A member of the public may not know the name: how they describe the person
    # instead. Kept apart from names so repeat-referral matching never reads it as one.
    subject_description = EncryptedTextField("description of the person", max_length=1000, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    subject_gender = models.CharField(max_length=60, blank=True)
    subject_address = models.TextField(max_length=500, blank=True)
    subject_postcode = models.CharField(max_length=10, blank=True)
    subject_school_or_employer = models.CharField(max_length=200, blank=True)
    # What repeat-referral matching and search look the subject up by
    # (referrals.subject): the postcode, from its own box or found in the
    # address, and the address reduced to which home it is (core.addresses).
    subject_postcode_key = models.CharField(max_length=10, blank=True, editable=False)
    subject_address_key = models.CharField(max_length=200, blank=True, editable=False)
    subject_language = models.CharField(max_length=100, blank=True)
    subject_interpreter_needed = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    subject_nationality = models.CharField(max_length=100, blank=True)
    # Parent or carer, for someone under 18.
    carer_name = models.CharField(max_length=150, blank=True)
    carer_relationship = models.CharField(max_length=100, blank=True)
    carer_phone = models.CharField(max_length=40, blank=True)
    carer_address = models.TextField(max_length=500, blank=True)
    subject_aware = models.CharField(
        "the person knows about the referral", max_length=10, choices=YesNoUnknown.choices, blank=True
    )
    family_aware = models.CharField(
        "the family knows about the referral", max_length=10, choices=YesNoUnknown.choices, blank=True
    )

    # The concern.
    concern_description = EncryptedTextField("what happened", max_length=10000)
    concern_when = models.CharField("when it happened", max_length=200, blank=True)
    concern_how_noticed = EncryptedTextField("how it came to notice", max_length=2000, blank=True)
    concern_prompts = models.JSONField(default=list, blank=True)
    # Complex needs: optional, asked so support can be made suitable.
    special_educational_needs = EncryptedCharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    mental_health_needs = EncryptedCharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    neurodiversity = EncryptedCharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    complex_needs_details = EncryptedTextField(max_length=2000, blank=True)
    other_agencies = EncryptedTextField("other agencies involved", max_length=2000, blank=True)

    # Triage.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    person_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_confirmed_at = models.DateTimeField(null=True, blank=True)
    police_shared_at = models.DateTimeField(null=True, blank=True)
    police_shared_method = models.CharField(max_length=20, choices=PoliceSharingMethod.choices, blank=True)
    police_shared_notes = EncryptedTextField(max_length=2000, blank=True)
    police_shared_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gateway_outcome = models.CharField(max_length=30, choices=GatewayOutcome.choices, blank=True)
    gateway_signposted_to = models.CharField(max_length=200, blank=True)
    gateway_reasons = EncryptedTextField(max_length=5000, blank=True)
    gateway_decided_on = models.DateField(null=True, blank=True)
    gateway_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gateway_recorded_at = models.DateTimeField(null=True, blank=True)
    # Reporting details: the codes the national statistics count by
    # (reporting.ReportingCategory). Set from what the referral says when it
    # is received, then checked and completed by a named person at triage;
    # the type of concern is the Prevent team's and police's judgement, never
    # worked out from the text. Blank: not yet recorded.
    sector = models.CharField("sector of referral", max_length=40, blank=True)
    concern_type = EncryptedCharField("type of concern", max_length=40, blank=True)
    reported_gender = models.CharField("gender (for statistics)", max_length=40, blank=True)
    ethnicity = EncryptedCharField(max_length=40, blank=True)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    mental_health_or_neurodiversity = EncryptedCharField(max_length=40, blank=True)
    # Blind indexes (encryption.fields): the statistics count and filter by
    # these three codes, which are encrypted above. Never shown or exported.
    concern_type_index = BlindIndexField(source="concern_type")
    ethnicity_index = BlindIndexField(source="ethnicity")
    mental_health_or_neurodiversity_index = BlindIndexField(source="mental_health_or_neurodiversity")
    # A referral brought from the council's earlier records (legacy_import):
    # its reference there, unique so importing the same file twice adds nothing.
    external_reference = models.CharField(max_length=100, unique=True, null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the referral closes, from the retention policy in force that
    # day; apply_retention deletes it after this date. A referral that goes
    # to Channel is kept as long as its case (the case's retain_until).
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "received_at", "id"], name="referral_queue"),
            models.Index(fields=["received_at"], name="referral_by_received"),
            models.Index(fields=["subject_date_of_birth"], name="referral_by_date_of_birth"),
            models.Index(fields=["subject_postcode_key"], name="referral_by_postcode"),
            models.Index(fields=["subject_address_key"], name="referral_by_address"),
            models.Index(fields=["retain_until"], name="referral_by_retain_until"),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = with_blind_indexes(type(self), update_fields)
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def subject_name(self):
        return f"{self.subject_given_name} {self.subject_family_name}".strip()


class ReferralName(KeyedName):
    """A name the referral gives for its subject (its main name or one of
    the other names), with its keys. Written when the referral is received;
    never edited, since it is what the referrer said."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="names")

    class Meta:
        ordering = ["referral", "kind", "pk"]
        indexes = [
            models.Index(fields=["family_key", "given_key"], name="referral_name_by_keys"),
            models.Index(fields=["given_key", "family_key"], name="referral_name_by_given"),
        ]


def attachment_path(instance, filename):
    # Never the uploader's file name: it may be hostile and it may identify someone.
    return stored_path("referrals", instance.content_type)


class ReferralAttachment(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    draft = models.ForeignKey(
        "ReferralDraft", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReferralDraft(models.Model):
    """A referral or concern someone is still writing. Kept on the server so it
    can be resumed: by the signed-in account that started it, or by anyone
    holding the secret link emailed to the address given (only a hash of the
    link's token is kept). Expired drafts are deleted by a scheduled task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=ReferralKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(max_length=254, blank=True)
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Everything typed so far, the concern included: encrypted whole.
    data = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)
    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Draft {self.pk}"

