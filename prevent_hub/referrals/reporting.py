"""A referral's reporting details: the codes the national statistics count it
by (reporting.ReportingCategory).

When a referral is received the details it plainly gives are turned into
codes: the age on the day from the date of birth or the age given, the
gender where it is written as one of the national categories, whether mental
health needs or neurodiversity were mentioned, and the sector from the kind
of organisation the referrer works for. Nothing is guessed from free text:
what cannot be read plainly stays blank ("not yet recorded") for the Prevent
team to record at triage, where every detail can be checked and changed by a
named person (`referral_reporting_details_set`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.referrals.models import Referral, ReferralKind, YesNoUnknown
from prevent_hub.reporting.categories import age_on, category_problem
from prevent_hub.reporting.models import Dimension

# The kind of organisation a practitioner works for → the national sector.
SECTOR_FOR_ORGANISATION_TYPE = {
    "education": "education",
    "police": "police",
    "local_authority": "local_authority",
    "childrens_social_care": "local_authority",
    "adult_social_care": "local_authority",
    "housing": "local_authority",
    "youth_justice": "local_authority",
    "health": "health",
    "probation": "probation",
    "voluntary_sector": "community",
}

GENDER_WORDS = {
    "male": "male", "man": "male", "boy": "male", "m": "male",
    "female": "female", "woman": "female", "girl": "female", "f": "female",
}

# The oldest age that can be recorded, as at intake (forms.OLDEST_AGE).
OLDEST_AGE = 120

REPORTING_FIELDS = {
    "sector": Dimension.SECTOR,
    "concern_type": Dimension.CONCERN,
    "reported_gender": Dimension.GENDER,
    "ethnicity": Dimension.ETHNICITY,
    "mental_health_or_neurodiversity": Dimension.MENTAL_HEALTH,
}

# What a code that cannot be recorded is told (written out: "a ethnicity" would not do).
NOT_LISTED = {
    "sector": "Select the sector of referral from the list",
    "concern_type": "Select the type of concern from the list",
    "reported_gender": "Select the gender from the list",
    "ethnicity": "Select the ethnicity from the list",
    "mental_health_or_neurodiversity":
        "Select the answer about mental health or neurodiversity from the list",
}


def received_on(referral: Referral):
    return timezone.localtime(referral.received_at).date()


def reporting_details_from_intake(referral: Referral, *, organisation_type: str = "") -> None:
    """Fill in the reporting details the referral itself plainly gives."""
    day = received_on(referral)
    if referral.subject_date_of_birth and referral.subject_date_of_birth <= day:
        referral.age_at_referral = age_on(referral.subject_date_of_birth, day)
    elif referral.subject_approximate_age is not None:
        referral.age_at_referral = referral.subject_approximate_age
    if not referral.reported_gender:
        referral.reported_gender = GENDER_WORDS.get((referral.subject_gender or "").strip().lower(), "")
    if not referral.mental_health_or_neurodiversity:
        answers = {referral.mental_health_needs, referral.neurodiversity}
        if YesNoUnknown.YES in answers:
            referral.mental_health_or_neurodiversity = "yes"
        elif answers == {YesNoUnknown.NO}:
            referral.mental_health_or_neurodiversity = "no"
    if not referral.sector:
        if referral.kind == ReferralKind.PUBLIC:
            referral.sector = "community"
        else:
            referral.sector = SECTOR_FOR_ORGANISATION_TYPE.get(organisation_type, "")


def reporting_problems(details: dict, *, on) -> dict[str, str]:
    """Field → message for codes that cannot be recorded for a referral
    received on `on`. Blank values are allowed: not yet recorded."""
    errors = {}
    for field, dimension in REPORTING_FIELDS.items():
        code = details.get(field) or ""
        if not isinstance(code, str) or (code and category_problem(dimension, code, on)):
            errors[field] = NOT_LISTED[field]
    age = details.get("age_at_referral")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        errors["age_at_referral"] = "Age at referral must be a whole number, like 15"
    elif age is not None and not (0 <= age <= OLDEST_AGE):
        errors["age_at_referral"] = f"Age at referral must be between 0 and {OLDEST_AGE}"
    return errors


def referral_reporting_details_set(*, referral: Referral, details: dict, acting_user) -> Referral:
    """Record a referral's reporting details (REPORTING_FIELDS and
    age_at_referral), checked against the categories in force when it was
    received. Audited with the names of the fields that changed."""
    unknown = set(details) - set(REPORTING_FIELDS) - {"age_at_referral"}
    if unknown:
        raise ValueError(f"Not reporting details: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        errors = reporting_problems(details, on=received_on(current))
        if errors:
            raise ValidationError(errors)
        changed = [field for field, value in details.items() if getattr(current, field) != value]
        for field in changed:
            setattr(current, field, details[field])
        if changed:
            current.save(update_fields=changed)
            audit_event_record(action=AuditAction.UPDATE, obj=current, changed_fields=changed,
                               details={"reporting_details": True}, actor=acting_user)
    return current
