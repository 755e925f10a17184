"""Test data for referrals. Everything here is obviously fictional."""

import datetime
import uuid

import factory
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from prevent_hub.referrals.models import (
    Referral,
    ReferralAttachment,
    ReferralDraft,
    ReferralKind,
    ReferralStatus,
    YesNoUnknown,
)
from prevent_hub.referrals.subject import subject_index

# The smallest file `filetype` recognises as a PDF.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A NEW practitioner referral with a proper PRV-<year>-<id> reference.

    Made directly (no audit event, no email): use `referral_submit` in a test
    that is about receiving a referral."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    kind = ReferralKind.PRACTITIONER
    status = ReferralStatus.NEW
    received_at = factory.LazyFunction(timezone.now)
    reference = factory.LazyFunction(lambda: f"PENDING-{uuid.uuid4().hex[:12]}")
    submission_key = factory.LazyFunction(lambda: f"test:{uuid.uuid4().hex}")

    referrer_name = factory.Sequence(lambda n: f"Test Referrer {n}")
    referrer_role = "Designated safeguarding lead"
    referrer_organisation = "Shireford Test Academy"
    referrer_email = factory.Sequence(lambda n: f"referrer{n}@test.shireford.example")
    referrer_phone = "01632 960000"  # Ofcom drama number range
    referrer_relationship = "Teacher"
    dsl_consulted = YesNoUnknown.YES
    dsl_name = "Test Safeguarding Lead"
    dsl_contact = "dsl@test.shireford.example"

    subject_given_name = factory.Sequence(lambda n: f"Testperson{n}")
    subject_family_name = "Example"
    subject_date_of_birth = datetime.date(2010, 4, 1)
    subject_gender = "Not stated"
    subject_address = "1 Fictional Street, Shireford"
    subject_postcode = "ZZ991ZZ"
    subject_school_or_employer = "Shireford Test Academy"

    concern_description = "Fictional test concern: no real person is described here."
    concern_when = "Last week"
    concern_how_noticed = "Said in class (fictional)."
    concern_prompts = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        referral = super()._create(model_class, *args, **kwargs)
        if referral.reference.startswith("PENDING-"):
            referral.reference = f"PRV-{referral.received_at:%Y}-{referral.pk:06d}"
            referral.save(update_fields=["reference"])
        # What referral_submit writes beside every referral it receives.
        subject_index(referral)
        return referral


class PublicReferralFactory(ReferralFactory):
    kind = ReferralKind.PUBLIC
    referrer_role = ""
    referrer_organisation = ""
    referrer_relationship = "Neighbour"
    dsl_consulted = ""
    dsl_name = ""
    dsl_contact = ""
    subject_date_of_birth = None
    subject_approximate_age = 30
    subject_school_or_employer = ""


class ReferralDraftFactory(factory.django.DjangoModelFactory):
    """A practitioner draft with the first page filled in. Pass `owner=` for a
    signed-in user's draft; `resume_token_hash` is blank unless given."""

    class Meta:
        model = ReferralDraft

    kind = ReferralKind.PRACTITIONER
    owner = None
    email = ""
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=settings.REFERRAL_DRAFT_EXPIRY_DAYS)
    )
    data = factory.LazyFunction(lambda: {
        "referrer_name": "Test Referrer",
        "referrer_organisation": "Shireford Test Academy",
        "referrer_email": "referrer@test.shireford.example",
    })


class ReferralAttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF attached to a draft (default) or, with `referral=` and
    `draft=None`, to a referral."""

    class Meta:
        model = ReferralAttachment

    draft = factory.SubFactory(ReferralDraftFactory)
    referral = None
    file = factory.LazyFunction(lambda: ContentFile(TINY_PDF, name="upload"))
    original_name = "fictional-notes.pdf"
    content_type = "application/pdf"
    size = len(TINY_PDF)
