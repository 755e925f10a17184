"""The questions of the practitioner referral form and the public concern form.

One Django form per page. Field names are the Referral fields they fill
(`services.INTAKE_FIELDS`), so a page's cleaned data goes straight into the
draft (`ReferralDraft.data`, JSON: dates as ISO strings) and from there into
`referral_submit`. Maximum lengths are the model's.

Every page can be sent two ways, "Continue" and "Save and come back later"
(govuk.questions). Errors never lose what was typed: the view shows the
bound form again.

`JOURNEYS` at the bottom says which pages each form has, in order.
"""

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from prevent_hub.govuk.forms import GovukDateField
from prevent_hub.govuk.questions import (
    Page,
    QuestionPageForm,
    email_field,
    phone_field,
    require_one,
    text_field,
)
from prevent_hub.govuk.questions import page_errors as questions_page_errors

from .models import ConcernPrompt, Referral, ReferralKind, YesNoUnknown
from .services import INTAKE_FIELDS

ADULT_AGE = 18
OLDEST_AGE = 120


def _max_length(name):
    return Referral._meta.get_field(name).max_length


# Field builders (maximum lengths are the Referral field's) ----------------------


def _text(name, label, **kwargs):
    return text_field(label, max_length=_max_length(name), **kwargs)


def _email(name, label, **kwargs):
    return email_field(label, max_length=_max_length(name), **kwargs)


def _phone(name, label, **kwargs):
    return phone_field(label, max_length=_max_length(name), **kwargs)


def _yes_no(label, *, required_message, hint=None, unknown=True, inline=True, legend_size="m"):
    choices = YesNoUnknown.choices if unknown else [
        (YesNoUnknown.YES, "Yes"), (YesNoUnknown.NO, "No")]
    govuk = {"fieldset": {"legend": {"classes": f"govuk-fieldset__legend--{legend_size}"}}}
    if inline:
        govuk["classes"] = "govuk-radios--inline"
    return forms.ChoiceField(
        label=label, choices=choices, required=True, help_text=hint or "",
        widget=forms.RadioSelect(attrs={"govuk": govuk}),
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _approximate_age(label, hint):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=OLDEST_AGE, help_text=hint,
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-3",
                                                  "suffix": {"text": "years"}}}),
        error_messages={
            "invalid": "Approximate age must be a number, like 15",
            "min_value": "Approximate age must be 0 or more",
            "max_value": f"Approximate age must be {OLDEST_AGE} or less",
        },
    )


# Base form --------------------------------------------------------------------


class IntakeForm(QuestionPageForm):
    """A page of an intake form (govuk.questions): its answers are Referral fields."""

    @classmethod
    def answer_fields(cls):
        return [name for name in cls.base_fields if name in INTAKE_FIELDS]


# Practitioner referral --------------------------------------------------------


class ReferrerForm(IntakeForm):
    referrer_name = _text("referrer_name", "Your full name", what="Your name", required=True,
                          required_message="Enter your full name", autocomplete="name",
                          spellcheck=False, width="govuk-!-width-two-thirds")
    referrer_role = _text("referrer_role", "Your job title or role (optional)", what="Your role",
                          autocomplete="organization-title", width="govuk-!-width-two-thirds")
    referrer_organisation = _text(
        "referrer_organisation", "Your organisation", what="Your organisation", required=True,
        required_message="Enter the name of your organisation", autocomplete="organization",
        hint="For example, the school, college, hospital, GP practice or council team you work for.",
        width="govuk-!-width-two-thirds")
    referrer_email = _email("referrer_email", "Your work email address", what="Your email address",
                            hint="We will send a confirmation with your reference to this address.")
    referrer_phone = _phone("referrer_phone", "Your telephone number", what="Your telephone number",
                            autocomplete="tel")
    referrer_relationship = _text(
        "referrer_relationship", "How do you know the person? (optional)", what="How you know the person",
        hint="For example, their teacher, their GP or their support worker.",
        width="govuk-!-width-two-thirds")

    def clean_rules(self, cleaned):
        require_one(self, cleaned, ["referrer_email", "referrer_phone"],
                     "Enter an email address or a telephone number, so we can contact you")


class SafeguardingLeadForm(IntakeForm):
    dsl_consulted = _yes_no(
        "Have you talked to your designated safeguarding lead or Prevent lead about this?",
        required_message="Select yes if you have talked to your safeguarding or Prevent lead",
        hint="Most organisations have someone who leads on safeguarding. Talk to them before you "
             "refer, unless that would cause a delay that puts someone at risk.",
        unknown=False, legend_size="m")
    dsl_name = _text("dsl_name", "If yes, their name", what="Their name",
                     required_message="Enter the name of the person you talked to",
                     width="govuk-!-width-two-thirds", spellcheck=False)
    dsl_contact = _text("dsl_contact", "Their email address or telephone number (optional)",
                        what="Their contact details", width="govuk-!-width-two-thirds",
                        spellcheck=False)

    # Not revealed under "Yes": GOV.UK Frontend's conditional reveal puts
    # aria-expanded on a radio, which axe-core reports (govuk-frontend #979).
    def clean_rules(self, cleaned):
        consulted = cleaned.get("dsl_consulted") == YesNoUnknown.YES
        if consulted and not cleaned.get("dsl_name") and not self.has_error("dsl_name"):
            self.add_error("dsl_name", "Enter the name of the person you talked to")

    def to_data(self):
        data = super().to_data()
        if data.get("dsl_consulted") != YesNoUnknown.YES:
            data["dsl_name"] = data["dsl_contact"] = ""
        return data


def _date_of_birth():
    return GovukDateField(
        label="Date of birth", required=False,
        help_text="For example, 27 3 2010. If you do not know it, give their approximate age instead.",
        error_messages={
            "incomplete": "Date of birth must include a %(missing)s",
            "invalid": "Date of birth must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )


class PersonForm(IntakeForm):
    subject_given_name = _text("subject_given_name", "First name", what="First name", required=True,
                               required_message="Enter the person’s first name, or ‘not known’",
                               spellcheck=False, width="govuk-!-width-one-half")
    subject_family_name = _text("subject_family_name", "Last name", what="Last name", required=True,
                                required_message="Enter the person’s last name, or ‘not known’",
                                spellcheck=False, width="govuk-!-width-one-half")
    subject_other_names = _text(
        "subject_other_names", "Other names they use (optional)", what="Other names",
        hint="For example, a previous name, a nickname or an online username.", textarea=True, rows=2,
        spellcheck=False)
    subject_date_of_birth = _date_of_birth()
    subject_approximate_age = _approximate_age(
        "Approximate age, if you do not know their date of birth", hint="A best guess is fine.")
    subject_gender = _text("subject_gender", "Gender (optional)", what="Gender",
                           hint="In the person’s own words, if you know them.",
                           width="govuk-!-width-one-half")
    subject_address = _text("subject_address", "Address (optional)", what="Address", textarea=True,
                            rows=3)
    subject_postcode = _text("subject_postcode", "Postcode (optional)", what="Postcode",
                             width="govuk-input--width-10", spellcheck=False)
    subject_school_or_employer = _text(
        "subject_school_or_employer", "School, college or employer (optional)",
        what="School, college or employer", width="govuk-!-width-two-thirds")
    subject_language = _text("subject_language", "Main language (optional)", what="Main language",
                             width="govuk-!-width-one-half")
    subject_interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter? (optional)", choices=YesNoUnknown.choices, required=False,
        widget=forms.RadioSelect(attrs={"govuk": {"classes": "govuk-radios--inline", "fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"invalid_choice": "Select yes, no or not known"},
    )
    subject_nationality = _text(
        "subject_nationality", "Nationality (optional)", what="Nationality",
        hint="Only if it is relevant to the support they may need, for example immigration status.",
        width="govuk-!-width-one-half")

    def clean_subject_date_of_birth(self):
        value = self.cleaned_data.get("subject_date_of_birth")
        if value and value > datetime.date.today():
            raise ValidationError("Date of birth must be in the past", code="future")
        if value and value.year < 1900:
            raise ValidationError("Date of birth must be after 1900", code="too_old")
        return value

    def clean_subject_postcode(self):
        value = " ".join(self.cleaned_data.get("subject_postcode", "").split()).upper()
        if len(value.replace(" ", "")) > 8 or (value and not re.fullmatch(r"[A-Z0-9 ]+", value)):
            raise ValidationError("Enter a real postcode, like SW1A 1AA", code="invalid")
        return value

    def clean_rules(self, cleaned):
        require_one(self, cleaned, ["subject_date_of_birth", "subject_approximate_age"],
                     "Enter their date of birth or their approximate age")


class CarerForm(IntakeForm):
    carer_name = _text("carer_name", "Name of a parent or carer (optional)", what="Their name",
                       spellcheck=False, width="govuk-!-width-two-thirds")
    carer_relationship = _text("carer_relationship", "Their relationship to the person (optional)",
                               what="Their relationship",
                               hint="For example, mother, grandfather or foster carer.",
                               width="govuk-!-width-one-half")
    carer_phone = _phone("carer_phone", "Their telephone number (optional)", what="Their telephone number")
    carer_address = _text("carer_address", "Their address, if different (optional)", what="Their address",
                          textarea=True, rows=3)


class AwarenessForm(IntakeForm):
    subject_aware = _yes_no(
        "Does the person know about this referral?",
        required_message="Select whether the person knows about this referral")
    family_aware = _yes_no(
        "Does their family know about this referral?",
        required_message="Select whether their family knows about this referral",
        hint="For someone under 18, their parents or carers.")


class ConcernForm(IntakeForm):
    concern_description = _text(
        "concern_description", "What happened?", what="What happened", required=True,
        required_message="Enter what happened", textarea=True, rows=8,
        hint="Describe what you saw, heard or were told, in your own words. Include what the person "
             "said or did, and who else was there.")
    concern_when = _text("concern_when", "When did it happen? (optional)", what="When it happened",
                         hint="A date, or roughly, for example ‘over the last month’.",
                         width="govuk-!-width-two-thirds")
    concern_how_noticed = _text(
        "concern_how_noticed", "How did it come to your notice? (optional)", what="How it came to notice",
        hint="For example, in a lesson, from another pupil, or a parent told you.", textarea=True, rows=3)
    concern_prompts = forms.MultipleChoiceField(
        label="Does the concern involve any of these? (optional)", choices=ConcernPrompt.choices,
        required=False,
        help_text="Select any that apply. They help the person who reads your referral find what "
                  "matters; nothing is scored or worked out from them.",
        widget=forms.CheckboxSelectMultiple(attrs={"govuk": {"fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"invalid_choice": "Select from the list"},
    )


class ComplexNeedsForm(IntakeForm):
    special_educational_needs = forms.ChoiceField(
        label="Do they have special educational needs?", choices=YesNoUnknown.choices, required=False,
        widget=forms.RadioSelect(attrs={"govuk": {"classes": "govuk-radios--inline", "fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"invalid_choice": "Select yes, no or not known"})
    mental_health_needs = forms.ChoiceField(
        label="Do they have mental health needs?", choices=YesNoUnknown.choices, required=False,
        widget=forms.RadioSelect(attrs={"govuk": {"classes": "govuk-radios--inline", "fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"invalid_choice": "Select yes, no or not known"})
    neurodiversity = forms.ChoiceField(
        label="Are they neurodivergent, for example autistic or with ADHD?", choices=YesNoUnknown.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"govuk": {"classes": "govuk-radios--inline", "fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"invalid_choice": "Select yes, no or not known"})
    complex_needs_details = _text(
        "complex_needs_details", "Anything else we should know about their needs (optional)",
        what="Details of their needs", textarea=True, rows=4,
        hint="For example, a diagnosis, how they communicate best, or support they already get.")


class OtherAgenciesForm(IntakeForm):
    other_agencies = _text(
        "other_agencies", "Which other agencies or services are involved with the person? (optional)",
        what="Other agencies", textarea=True, rows=4,
        hint="For example, children’s social care, CAMHS, a youth offending team or the police. "
             "Include a contact name if you have one.")


# Public concern ---------------------------------------------------------------


class PublicReferrerForm(IntakeForm):
    """Everything here is optional: someone may tell us about a worry without
    saying who they are (the page says what that means for follow-up)."""

    referrer_name = _text("referrer_name", "Your name (optional)", what="Your name", autocomplete="name",
                          spellcheck=False, width="govuk-!-width-two-thirds")
    referrer_email = _email("referrer_email", "Your email address (optional)", what="Your email address",
                            hint="We will send a confirmation with your reference to this address.")
    referrer_phone = _phone("referrer_phone", "Your telephone number (optional)",
                            what="Your telephone number", autocomplete="tel")
    referrer_relationship = _text(
        "referrer_relationship", "How do you know the person? (optional)", what="How you know the person",
        hint="For example, a friend, a neighbour or a family member.", width="govuk-!-width-two-thirds")


class PublicPersonForm(IntakeForm):
    subject_given_name = _text("subject_given_name", "First name (if you know it)", what="First name",
                               spellcheck=False, width="govuk-!-width-one-half")
    subject_family_name = _text("subject_family_name", "Last name (if you know it)", what="Last name",
                                spellcheck=False, width="govuk-!-width-one-half")
    subject_other_names = _text(
        "subject_other_names", "Other names they use (optional)", what="Other names", textarea=True, rows=2,
        hint="For example, a nickname or an online username.")
    subject_description = _text(
        "subject_description", "If you do not know their name, how would you describe them?",
        what="A description of the person", textarea=True, rows=3,
        hint="For example, ‘the older brother of a pupil at my son’s school’.")
    subject_approximate_age = _approximate_age(
        "Approximate age (optional)", hint="A best guess is fine. Leave it blank if you do not know.")
    subject_address = _text(
        "subject_address", "Where do they live? (optional)", what="Where they live", textarea=True, rows=2,
        hint="An address, or just the town or area, if you know it.")

    def clean_rules(self, cleaned):
        require_one(self, cleaned, ["subject_given_name", "subject_family_name", "subject_other_names",
                                     "subject_description"],
                     "Enter the person’s name, or describe them if you do not know their name")


class PublicConcernForm(IntakeForm):
    concern_description = _text(
        "concern_description", "What worries you?", what="What worries you", required=True,
        required_message="Enter what worries you", textarea=True, rows=8,
        hint="Tell us what you saw, heard or were told, in your own words.")
    concern_when = _text("concern_when", "When did it happen? (optional)", what="When it happened",
                         hint="A date, or roughly, for example ‘over the last month’.",
                         width="govuk-!-width-two-thirds")


class PublicAwarenessForm(IntakeForm):
    subject_aware = _yes_no(
        "Does the person know you are telling us?",
        required_message="Select whether the person knows you are telling us")
    family_aware = _yes_no(
        "Does their family know you are telling us?",
        required_message="Select whether their family knows you are telling us")


# Other forms --------------------------------------------------------------------


class ResumeLinkForm(IntakeForm):
    email = forms.EmailField(
        label="Email address", max_length=254,
        help_text="We will send a link to this address. The email does not include anything you have "
                  "written.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false",
                                       "govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )


class AttachmentForm(IntakeForm):
    file = forms.FileField(
        label="Upload a file", required=True,
        widget=forms.ClearableFileInput(attrs={
            "accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png,.gif,application/pdf,image/jpeg,image/png,"
                      "image/gif,application/msword,application/vnd.oasis.opendocument.text,"
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }),
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"},
    )


class SubmitForm(IntakeForm):
    """The check your answers page's button: only the honeypot to check."""


# Journeys -------------------------------------------------------------------------


def under_18_or_age_unknown(data: dict) -> bool:
    dob = data.get("subject_date_of_birth")
    if dob:
        try:
            born = datetime.date.fromisoformat(dob)
        except ValueError:
            return True
        today = datetime.date.today()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return age < ADULT_AGE
    age = data.get("subject_approximate_age")
    return age is None or age == "" or int(age) < ADULT_AGE


@dataclass(frozen=True)
class Journey:
    kind: str
    prefix: str  # URL names: intake:<prefix>-start, intake:<prefix>-page, ...
    name: str  # "referral" / "concern", in sentences
    title: str
    submitted_title: str
    pages: list[Page] = field(default_factory=list)

    def page(self, slug) -> Page | None:
        return next((page for page in self.pages if page.slug == slug), None)

    def pages_for(self, data: dict) -> list[Page]:
        return [page for page in self.pages if page.applies_to(data)]


WHY_WE_ASK_NEEDS = (
    "We ask so that any support offered can be made suitable for the person, for example by "
    "involving someone they trust or adapting how we communicate. These questions are optional. "
    "A need like this is never, on its own, a reason to make a referral."
)

PRACTITIONER = Journey(
    kind=ReferralKind.PRACTITIONER, prefix="referral", name="referral", title="Make a Prevent referral",
    submitted_title="Referral received",
    pages=[
        Page("about-you", "About you", ReferrerForm),
        Page("safeguarding-lead", "Your safeguarding or Prevent lead", SafeguardingLeadForm),
        Page("the-person", "The person you are worried about", PersonForm),
        Page("parent-or-carer", "Their parent or carer", CarerForm,
             intro="Because they are under 18, or you do not know their age, tell us about a parent or "
                   "carer if you can.", applies=under_18_or_age_unknown),
        Page("who-knows", "Who knows about this referral", AwarenessForm),
        Page("the-concern", "Your concern", ConcernForm),
        Page("needs", "Needs that affect the support they may get", ComplexNeedsForm,
             intro=WHY_WE_ASK_NEEDS),
        Page("other-agencies", "Other agencies involved", OtherAgenciesForm),
        Page("attachments", "Attach documents", None),
    ],
)

ANONYMOUS_CONCERN = (
    "You do not have to tell us who you are. If you leave out your contact details, we will still "
    "read your concern and act on it, but we cannot ask you questions about it, send you a reference "
    "or tell you we have received it. If you do give them, we keep who raised a concern confidential "
    "as far as the law allows."
)

PUBLIC = Journey(
    kind=ReferralKind.PUBLIC, prefix="concern", name="concern", title="Raise a concern about someone",
    submitted_title="Concern received",
    pages=[
        Page("about-you", "About you", PublicReferrerForm, intro=ANONYMOUS_CONCERN),
        Page("the-person", "The person you are worried about", PublicPersonForm,
             intro="Tell us what you know. It is fine to leave out what you do not know."),
        Page("what-worries-you", "What worries you", PublicConcernForm),
        Page("who-knows", "Who knows you are telling us", PublicAwarenessForm),
    ],
)

JOURNEYS = {journey.prefix: journey for journey in (PRACTITIONER, PUBLIC)}
JOURNEY_BY_KIND = {journey.kind: journey for journey in (PRACTITIONER, PUBLIC)}


def page_errors(journey: Journey, data: dict) -> list[tuple[Page, str, str]]:
    """What is missing or wrong in a draft: (page, field name, message) for each
    problem, checked with each page's own form."""
    return questions_page_errors(journey.pages_for(data), data)
