"""The JSON the partner API reads and writes.

A referral from a partner system mirrors the practitioner referral form, in
the same sections. Text limits come from the Referral model, so the API and
the database never disagree. Unknown fields are refused rather than ignored,
so a typo in a field name is reported instead of losing what was sent.

Rules that link two fields ("an email address or a phone number") are
declared in the OpenAPI document (anyOf) and checked on the raw body by
`ReferralIn.rule_errors`, so a 422 names them together with every other
failing field.
"""

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema

from prevent_hub.referrals.models import (
    ConcernPrompt,
    GatewayOutcome,
    Referral,
    ReferralKind,
    ReferralStatus,
    YesNoUnknown,
)

from .problems import FieldError, pointer

# Partner systems' text may hold anything but the NUL character, which
# PostgreSQL cannot store (declared as a pattern so the OpenAPI document says so).
NO_NUL_PATTERN = "^[^\\u0000]*$"
MAX_OTHER_NAMES = 10


def model_max_length(field_name: str) -> int:
    return Referral._meta.get_field(field_name).max_length


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Must not contain the NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Must be valid Unicode text") from None
    return value


def _text_type(max_length: int, *, min_length: int = 0):
    return Annotated[
        str,
        Field(min_length=min_length or None, max_length=max_length,
              json_schema_extra={"pattern": NO_NUL_PATTERN}),
        AfterValidator(_storable),
    ]


def required_text(field_name: str):
    """Text that must be given, as long as the model field allows."""
    return _text_type(model_max_length(field_name), min_length=1)


def optional_text(field_name: str):
    """Text that may be left out, sent as null or sent empty."""
    return _text_type(model_max_length(field_name)) | None


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Must be an email address, like name@example.com") from None
    return value


EMAIL_MAX = model_max_length("referrer_email")
Email = Annotated[
    str,
    Field(max_length=EMAIL_MAX),
    AfterValidator(_storable),
    AfterValidator(_email),
    WithJsonSchema({"anyOf": [
        {"type": "string", "format": "email", "maxLength": EMAIL_MAX},
        {"type": "string", "maxLength": 0},
    ]}),
] | None

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Must be a date in the format YYYY-MM-DD, like 2010-04-01")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError("Must be a real date, like 2010-04-01") from None


def _not_in_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise ValueError("Must be today or in the past")
    return value


# Letters, digits, spaces and hyphens: stored without spaces, in capitals
# (core.addresses.normalise_postcode), so it must stay within the limit.
Postcode = Annotated[
    str, Field(max_length=model_max_length("subject_postcode"), pattern="^[A-Za-z0-9 -]*$"),
] | None

DateOfBirth = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    AfterValidator(_not_in_future),
    Field(description="YYYY-MM-DD; today or in the past."),
] | None
def _whole_number(value: Any) -> Any:
    # JSON has numbers, not integers: 43.0 is a whole number, true and "43" are not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Age = Annotated[int, Field(ge=0, le=120), Strict(), BeforeValidator(_whole_number)] | None
OtherNames = Annotated[
    list[_text_type((model_max_length("subject_other_names") - (MAX_OTHER_NAMES - 1)) // MAX_OTHER_NAMES)],
    Field(max_length=MAX_OTHER_NAMES),
]
Prompts = Annotated[list[ConcernPrompt], Field(max_length=len(ConcernPrompt))]


def _at_least_one_of(*names: str):
    """JSON Schema: at least one of these properties is given (present, not
    null, not empty). Each branch repeats the property's own schema, so a
    generator that takes one branch alone still makes valid data."""

    def add(schema: dict, model) -> None:
        branches = []
        for name in names:
            prop = schema["properties"][name]
            given = [branch for branch in prop.get("anyOf", [prop])
                     if branch.get("type") != "null" and branch.get("maxLength") != 0]
            branch = dict(given[0]) if len(given) == 1 else {"anyOf": given}
            branch.pop("title", None)
            branch.pop("description", None)
            if branch.get("type") == "string":
                branch["minLength"] = max(1, branch.get("minLength", 0))
            branches.append({"required": [name], "properties": {name: branch}})
        schema["anyOf"] = branches

    return add


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Referrer(Section):
    """Who is making the referral. Give an email address or a phone number (or both)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_at_least_one_of("email", "phone"))

    name: required_text("referrer_name")
    role: optional_text("referrer_role") = None
    organisation: required_text("referrer_organisation")
    email: Email = None
    phone: optional_text("referrer_phone") = None
    relationship_to_person: optional_text("referrer_relationship") = None


class SafeguardingLead(Section):
    """Whether the referrer's designated safeguarding lead (or Prevent lead) was consulted."""

    consulted: YesNoUnknown
    name: optional_text("dsl_name") = None
    contact: optional_text("dsl_contact") = None


class Person(Section):
    """The person the concern is about. Give a date of birth or an approximate age."""

    model_config = ConfigDict(extra="forbid",
                              json_schema_extra=_at_least_one_of("date_of_birth", "approximate_age"))

    given_name: required_text("subject_given_name")
    family_name: required_text("subject_family_name")
    other_names: OtherNames = []
    date_of_birth: DateOfBirth = None
    approximate_age: Age = None
    gender: optional_text("subject_gender") = None
    address: optional_text("subject_address") = None
    postcode: Postcode = None
    school_or_employer: optional_text("subject_school_or_employer") = None
    language: optional_text("subject_language") = None
    interpreter_needed: YesNoUnknown | None = None
    nationality: optional_text("subject_nationality") = None


class ParentOrCarer(Section):
    """For someone under 18."""

    name: optional_text("carer_name") = None
    relationship: optional_text("carer_relationship") = None
    phone: optional_text("carer_phone") = None
    address: optional_text("carer_address") = None


class Awareness(Section):
    person_knows: YesNoUnknown | None = None
    family_knows: YesNoUnknown | None = None


class Concern(Section):
    description: required_text("concern_description")
    when: optional_text("concern_when") = None
    how_it_came_to_notice: optional_text("concern_how_noticed") = None
    prompts: Prompts = []


class ComplexNeeds(Section):
    """Optional: asked so that any support can be made suitable."""

    special_educational_needs: YesNoUnknown | None = None
    mental_health: YesNoUnknown | None = None
    neurodiversity: YesNoUnknown | None = None
    details: optional_text("complex_needs_details") = None


# Where each part of the body is kept on a Referral (referrals.services.INTAKE_FIELDS).
FIELD_MAP: dict[tuple[str, ...], str] = {
    ("referrer", "name"): "referrer_name",
    ("referrer", "role"): "referrer_role",
    ("referrer", "organisation"): "referrer_organisation",
    ("referrer", "email"): "referrer_email",
    ("referrer", "phone"): "referrer_phone",
    ("referrer", "relationship_to_person"): "referrer_relationship",
    ("safeguarding_lead", "consulted"): "dsl_consulted",
    ("safeguarding_lead", "name"): "dsl_name",
    ("safeguarding_lead", "contact"): "dsl_contact",
    ("person", "given_name"): "subject_given_name",
    ("person", "family_name"): "subject_family_name",
    ("person", "other_names"): "subject_other_names",
    ("person", "date_of_birth"): "subject_date_of_birth",
    ("person", "approximate_age"): "subject_approximate_age",
    ("person", "gender"): "subject_gender",
    ("person", "address"): "subject_address",
    ("person", "postcode"): "subject_postcode",
    ("person", "school_or_employer"): "subject_school_or_employer",
    ("person", "language"): "subject_language",
    ("person", "interpreter_needed"): "subject_interpreter_needed",
    ("person", "nationality"): "subject_nationality",
    ("parent_or_carer", "name"): "carer_name",
    ("parent_or_carer", "relationship"): "carer_relationship",
    ("parent_or_carer", "phone"): "carer_phone",
    ("parent_or_carer", "address"): "carer_address",
    ("awareness", "person_knows"): "subject_aware",
    ("awareness", "family_knows"): "family_aware",
    ("concern", "description"): "concern_description",
    ("concern", "when"): "concern_when",
    ("concern", "how_it_came_to_notice"): "concern_how_noticed",
    ("concern", "prompts"): "concern_prompts",
    ("complex_needs", "special_educational_needs"): "special_educational_needs",
    ("complex_needs", "mental_health"): "mental_health_needs",
    ("complex_needs", "neurodiversity"): "neurodiversity",
    ("complex_needs", "details"): "complex_needs_details",
    ("other_agencies",): "other_agencies",
}
_POINTERS = {field: pointer(*path) for path, field in FIELD_MAP.items()}
# Kept as they come (None when not given); every other field is text or a choice.
_NULLABLE_FIELDS = {"subject_date_of_birth", "subject_approximate_age"}


def pointer_for_model_field(field_name: str) -> str:
    return _POINTERS.get(field_name, "")


class ReferralIn(Section):
    """A referral from a partner system: the practitioner referral form, in sections."""

    referrer: Referrer
    safeguarding_lead: SafeguardingLead
    person: Person
    parent_or_carer: ParentOrCarer | None = None
    awareness: Awareness | None = None
    concern: Concern
    complex_needs: ComplexNeeds | None = None
    other_agencies: optional_text("other_agencies") = None

    @classmethod
    def rule_errors(cls, raw: Any) -> list[FieldError]:
        """The rules across fields, on the body as sent (whatever else is
        wrong with it). Wrong types are left to the schema's own errors."""
        errors = []
        referrer = raw.get("referrer") if isinstance(raw, dict) else None
        if isinstance(referrer, dict) and not any(
            _given(referrer.get(name)) for name in ("email", "phone")
        ):
            errors.append(FieldError(pointer("referrer", "email"),
                                     "Give the referrer's email address or phone number (or both)"))
        person = raw.get("person") if isinstance(raw, dict) else None
        if isinstance(person, dict) and not any(
            person.get(name) is not None for name in ("date_of_birth", "approximate_age")
        ):
            errors.append(FieldError(pointer("person", "date_of_birth"),
                                     "Give the person's date of birth or their approximate age"))
        return errors

    def intake_details(self) -> dict:
        """The body as Referral fields, for referrals.services.referral_submit."""
        details = {}
        for path, field in FIELD_MAP.items():
            value = self
            for part in path:
                value = getattr(value, part) if value is not None else None
            if field == "subject_other_names":
                value = "\n".join(name for name in value or () if name)
            elif field == "concern_prompts":
                value = list(dict.fromkeys(str(prompt) for prompt in value or ()))
            elif value is None and field not in _NULLABLE_FIELDS:
                value = ""
            elif isinstance(value, YesNoUnknown):
                value = str(value)
            details[field] = value
        return details


def _given(value) -> bool:
    """Sent and not empty (a wrong type counts as sent: its own error says why)."""
    return value is not None and value != ""


# Responses -------------------------------------------------------------------


class ReferralCreated(BaseModel):
    reference: str = Field(description="The referral's reference, like PRV-2026-000123.")


class GatewayOutcomeOut(BaseModel):
    outcome: GatewayOutcome
    signposted_to: str = Field(description="The service signposted to (for the signposted outcome).")
    decided_on: datetime.date | None
    recorded_at: datetime.datetime | None


class ReferralOut(BaseModel):
    """Where a referral has got to. The concern itself and anything about the
    person's health or beliefs are not included: they are read in the service,
    where every view is recorded against a named person's need to know."""

    reference: str
    kind: ReferralKind
    status: ReferralStatus
    received_at: datetime.datetime
    gateway_outcome: GatewayOutcomeOut | None = Field(
        description="The police gateway outcome, once recorded.")
    person_id: int | None = Field(description="The person record, once the person is identified.")
    previous_referrals: list[str] = Field(
        description="References of earlier referrals confirmed as about the same person, oldest first.")
    channel_case_id: int | None = Field(description="The Channel case opened from this referral, if any.")
    retain_until: datetime.date | None = Field(
        description="Set when the gateway outcome closes the referral, from the retention policy in force "
                    "then: it is deleted after this date unless held. Null while open, and for a referral "
                    "that went to Channel (it is kept as long as its case).")


class ProblemFieldError(BaseModel):
    pointer: str | None = Field(None, description="JSON Pointer into the request body.")
    header: str | None = Field(None, description="The request header at fault.")
    parameter: str | None = Field(None, description="The path or query parameter at fault.")
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class ValidationProblem(Problem):
    errors: list[ProblemFieldError]
