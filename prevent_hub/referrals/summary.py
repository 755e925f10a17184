"""What a referral says, section by section, as plain text: the one list the
referral's page and its PDF are both made from, so they cannot disagree."""

from prevent_hub.core.addresses import format_postcode
from prevent_hub.core.formatting import govuk_date, govuk_datetime

from .models import ConcernPrompt, Referral

NOT_GIVEN = "Not given"


def _choice(referral: Referral, name: str) -> str:
    return getattr(referral, f"get_{name}_display")() if getattr(referral, name) else ""


def referral_sections(referral: Referral) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(label, text)]) for everything the referrer told us.
    Blank text means not given; line breaks are the referrer's own."""
    prompts = [ConcernPrompt(value).label for value in referral.concern_prompts or []
               if value in ConcernPrompt.values]
    age = referral.subject_approximate_age
    return [
        ("Who made the referral", [
            ("Name", referral.referrer_name),
            ("Role", referral.referrer_role),
            ("Organisation", referral.referrer_organisation),
            ("Email address", referral.referrer_email),
            ("Phone number", referral.referrer_phone),
            ("Relationship to the person", referral.referrer_relationship),
            ("Safeguarding lead consulted", _choice(referral, "dsl_consulted")),
            ("Safeguarding lead’s name", referral.dsl_name),
            ("Safeguarding lead’s contact details", referral.dsl_contact),
        ]),
        ("The person the referral is about", [
            ("First name", referral.subject_given_name),
            ("Last name", referral.subject_family_name),
            ("Other names", referral.subject_other_names),
            ("Description (name not known)", referral.subject_description),
            ("Date of birth", govuk_date(referral.subject_date_of_birth)),
            ("Approximate age", "" if age is None else str(age)),
            ("Gender", referral.subject_gender),
            ("Address", referral.subject_address),
            ("Postcode", format_postcode(referral.subject_postcode)),
            ("School, college or employer", referral.subject_school_or_employer),
            ("Language", referral.subject_language),
            ("Needs an interpreter", _choice(referral, "subject_interpreter_needed")),
            ("Nationality", referral.subject_nationality),
            ("Knows about the referral", _choice(referral, "subject_aware")),
        ]),
        ("Parent or carer", [
            ("Name", referral.carer_name),
            ("Relationship", referral.carer_relationship),
            ("Phone number", referral.carer_phone),
            ("Address", referral.carer_address),
            ("Family knows about the referral", _choice(referral, "family_aware")),
        ]),
        ("The concern", [
            ("What happened", referral.concern_description),
            ("When it happened", referral.concern_when),
            ("How it came to notice", referral.concern_how_noticed),
            ("What the referrer says it involves", "\n".join(prompts) or "None selected"),
            ("Special educational needs", _choice(referral, "special_educational_needs")),
            ("Mental health needs", _choice(referral, "mental_health_needs")),
            ("Neurodiversity", _choice(referral, "neurodiversity")),
            ("About these needs", referral.complex_needs_details),
            ("Other agencies involved", referral.other_agencies),
        ]),
    ]


def referral_heading_facts(referral: Referral) -> list[tuple[str, str]]:
    return [
        ("Reference", referral.reference),
        ("Kind", referral.get_kind_display()),
        ("Received", govuk_datetime(referral.received_at)),
    ]
