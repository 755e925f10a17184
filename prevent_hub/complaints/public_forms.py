"""The questions of the public complaint form, one page each (govuk.questions).

Field names are the complaint's answers (services.ANSWER_FIELDS), so a
page's answers go into the session's draft as they are (the date as an ISO
string) and from there into `complaint_submit`. Each page checks its answers
with the service's own rules (`services.answer_errors`), so a page and the
send can never disagree about what is missing; maximum lengths are the
service's too.

Follow-up questions (the other relationship, the contact detail, the
adjustments) are plain fields, not revealed under a radio: GOV.UK Frontend's
conditional reveal puts aria-expanded on the radio, which axe-core refuses
(docs/decisions/0008). The contact detail has a page of its own instead,
asking only for the one the complainant chose.
"""

import contextlib
import datetime

from django.utils import timezone

from prevent_hub.govuk.forms import govuk_date_field
from prevent_hub.govuk.questions import (
    Page,
    QuestionPageForm,
    email_field,
    phone_field,
    radio_field,
    text_field,
)

from .models import Consent, ContactPreference, OrganisationKind, Relationship
from .services import ANSWER_FIELDS, LIMITS, answer_errors

YES, NO = "yes", "no"


def as_answers(data: dict) -> dict:
    """A draft's answers as `complaint_submit` takes them: only the
    complaint's fields, the date as a date. A date that does not read as
    one is passed on as it is, for the service to refuse."""
    answers = {name: data.get(name) for name in ANSWER_FIELDS}
    happened_on = answers["happened_on"]
    if happened_on in ("", None):
        answers["happened_on"] = None
    elif isinstance(happened_on, str):
        with contextlib.suppress(ValueError):
            answers["happened_on"] = datetime.date.fromisoformat(happened_on)
    return answers


def _text(name, label, **kwargs):
    return text_field(label, max_length=LIMITS[name], **kwargs)


def _yes_no(label, *, message, hint=None, yes=YES, no=NO):
    return radio_field(label, [(yes, "Yes"), (no, "No")], message=message, hint=hint, inline=True)


class ComplaintPageForm(QuestionPageForm):
    """A page of the complaint form: Django checks what was typed (types,
    lengths, dates), then the service's rules check the answers on this
    page against the answers so far. What the service requires (a
    relationship, a contact preference, an organisation...) is left optional
    to Django, so the message is the service's own; the form requires only
    what the service leaves to it (a yes or no, the name of the person
    affected)."""

    def clean_rules(self, cleaned):
        answers = as_answers({**self.answers, **{name: cleaned.get(name) for name in self.answer_fields()}})
        for name, message in answer_errors(answers, today=timezone.localdate()).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, message)


class AboutYouForm(ComplaintPageForm):
    complainant_name = _text("complainant_name", "Your full name", what="Your name", autocomplete="name",
                             spellcheck=False, width="govuk-!-width-two-thirds")
    relationship = radio_field("How are you connected to the person affected?", Relationship.choices,
                               message="Select how you are connected to the person affected",
                               hint="The person affected is the person the Prevent duty was applied to.",
                               required=False)
    relationship_other = _text("relationship_other", "If you chose ‘Other’, how are you connected?",
                               what="How you are connected", width="govuk-!-width-two-thirds")

    def to_data(self):
        data = super().to_data()
        if data["relationship"] != Relationship.OTHER:
            data["relationship_other"] = ""
        if data["relationship"] == Relationship.SELF:
            # Their own complaint: no one else's name is kept.
            data["affected_person_name"] = ""
        return data


def _someone_else(data) -> bool:
    return data.get("relationship") in Relationship.values and data["relationship"] != Relationship.SELF


class PersonAffectedForm(ComplaintPageForm):
    affected_person_name = _text(
        "affected_person_name", "Their full name", what="Their name", required=True,
        required_message="Enter the name of the person affected", spellcheck=False,
        hint="So that we can find the records your complaint is about.", width="govuk-!-width-two-thirds")


class ContactPreferenceForm(ComplaintPageForm):
    contact_preference = radio_field("How would you like us to contact you about your complaint?",
                                     ContactPreference.choices,
                                     message="Select how you would like us to contact you", required=False)


def _has_preference(data) -> bool:
    return data.get("contact_preference") in ContactPreference.values


class ContactDetailsForm(ComplaintPageForm):
    """The detail for the way the complainant chose (the service requires
    it), and an email address for the acknowledgement whatever they chose.
    A telephone number or address they no longer need is not kept."""

    email = email_field("Email address", max_length=254, what="Your email address")
    phone = phone_field("Telephone number", max_length=LIMITS["phone"], what="Your telephone number",
                        autocomplete="tel")
    address = _text("address", "Postal address", what="Your address", textarea=True, rows=4,
                    autocomplete="street-address", hint="Include the postcode.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preference = self.answers.get("contact_preference")
        if preference != ContactPreference.EMAIL:
            self.fields["email"].label = "Email address (optional)"
            self.fields["email"].help_text = ("If you give one, we will email you your reference and the "
                                              "dates you can expect to hear from us straight away.")
        if preference != ContactPreference.PHONE:
            del self.fields["phone"]
        if preference != ContactPreference.POST:
            del self.fields["address"]

    def to_data(self):
        return {name: self.cleaned_data.get(name) or "" for name in self.answer_fields()}


class AdjustmentsForm(ComplaintPageForm):
    adjustments_needed = _yes_no(
        "Do you need us to make any adjustments so that you can make your complaint or follow it?",
        message="Select yes if you need us to make any adjustments",
        hint="For example, letters in large print or easy read, an interpreter, more time to reply, or "
             "someone to help you.")
    adjustments = _text("adjustments", "If yes, what do you need?", what="The adjustments you need",
                        textarea=True, rows=4)

    def clean_rules(self, cleaned):
        super().clean_rules(cleaned)
        if cleaned.get("adjustments_needed") == YES and not cleaned.get("adjustments") \
                and not self.has_error("adjustments"):
            self.add_error("adjustments", "Enter the adjustments you need")

    def to_data(self):
        data = super().to_data()
        if data["adjustments_needed"] != YES:
            data["adjustments"] = ""
        return data


class WhatHappenedForm(ComplaintPageForm):
    what_happened = _text(
        "what_happened", "What happened?", what="What happened", textarea=True, rows=10,
        hint="In your own words: what was done, by whom, and how it affected you or the person affected. "
             "Include anything you think we should know.")


class WhenForm(ComplaintPageForm):
    happened_on = govuk_date_field(
        "Date it happened", required=False,
        help_text="For example, 27 3 2026. If it went on over a time, give the date it started.")
    happened_when = _text(
        "happened_when", "If you are not sure of the date, roughly when did it happen?",
        what="When it happened", width="govuk-!-width-two-thirds",
        hint="For example, ‘the autumn term of 2025’ or ‘over several months last year’.")


class OrganisationForm(ComplaintPageForm):
    organisation_kind = radio_field("Which organisation applied the Prevent duty?", OrganisationKind.choices,
                                    message="Select which organisation was involved", required=False)
    organisation_name = _text(
        "organisation_name", "Name of the organisation", what="The organisation’s name",
        width="govuk-!-width-two-thirds",
        hint="For example, the name of the school, the police force or the hospital. You do not need to give "
             "one if it was the council.")

    def clean_rules(self, cleaned):
        super().clean_rules(cleaned)
        kind = cleaned.get("organisation_kind")
        if kind and kind != OrganisationKind.COUNCIL and not cleaned.get("organisation_name") \
                and not self.has_error("organisation_name"):
            self.add_error("organisation_name", "Enter the name of the organisation")

    def to_data(self):
        data = super().to_data()
        if data["organisation_kind"] == OrganisationKind.COUNCIL:
            # A complaint about us is not shared with "the organisation".
            data["organisation_name"] = data["organisation_consent"] = ""
        return data


def _another_organisation(data) -> bool:
    return data.get("organisation_kind") in OrganisationKind.values \
        and data["organisation_kind"] != OrganisationKind.COUNCIL


class OutcomeForm(ComplaintPageForm):
    outcome_wanted = _text(
        "outcome_wanted", "What would you like to happen as a result of your complaint?",
        what="What you would like to happen", textarea=True, rows=6,
        hint="For example, an explanation, an apology, a record corrected or deleted, or a change in how "
             "things are done.")


class OrganisationConsentForm(ComplaintPageForm):
    organisation_consent = _yes_no("Can we share your complaint with the organisation?",
                                   message="Select yes if we can share your complaint with the organisation",
                                   yes=Consent.GIVEN, no=Consent.REFUSED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = (self.answers.get("organisation_name") or "").strip()
        if name:
            field = self.fields["organisation_consent"]
            field.label = f"Can we share your complaint with {name}?"
            message = f"Select yes if we can share your complaint with {name}"
            field.error_messages = {"required": message, "invalid_choice": message}


class StacuConsentForm(ComplaintPageForm):
    stacu_consent = _yes_no(
        "Can we share your complaint with the Prevent Standards and Compliance Unit (StaCU)?",
        message="Select yes if we can share your complaint with StaCU", yes=Consent.GIVEN, no=Consent.REFUSED)


class SubmitForm(ComplaintPageForm):
    """The check your answers page's button: only the honeypot to check."""


PAGES = [
    Page("about-you", "About you", AboutYouForm),
    Page("person-affected", "The person affected", PersonAffectedForm, applies=_someone_else),
    Page("how-to-contact-you", "How to contact you", ContactPreferenceForm),
    Page("contact-details", "Your contact details", ContactDetailsForm, applies=_has_preference),
    Page("adjustments", "Adjustments", AdjustmentsForm,
         intro="We can change how we deal with you if you have a disability or other needs, or if English "
               "is not your first language."),
    Page("what-happened", "What happened", WhatHappenedForm),
    Page("when-it-happened", "When it happened", WhenForm),
    Page("organisation", "The organisation involved", OrganisationForm,
         intro="The organisation whose staff applied the Prevent duty you are complaining about."),
    Page("outcome", "The outcome you want", OutcomeForm),
    Page("share-with-the-organisation", "Sharing your complaint with the organisation",
         OrganisationConsentForm, applies=_another_organisation),
    Page("share-with-stacu", "Sharing your complaint with StaCU", StacuConsentForm),
]
PAGE_BY_SLUG = {page.slug: page for page in PAGES}
DRAFT_FIELDS = {name for page in PAGES for name in page.fields}


def pages_for(data: dict) -> list[Page]:
    """The pages these answers call for, in order."""
    return [page for page in PAGES if page.applies_to(data)]


def page_of(field: str) -> Page | None:
    """The page that asks for `field` (a service names the field it refuses)."""
    return next((page for page in PAGES if field in page.fields), None)
