"""Forms for the complaint page's steps: triage, the record it concerns,
consent, sharing, the investigating officer, deadlines, the investigation
and letters; and for recording a complaint received by letter, email,
telephone or in person. They check what was typed; the services check the
rules and make the change."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from prevent_hub.govuk.forms import govuk_date_field
from prevent_hub.govuk.questions import email_field, phone_field, text_field

from .models import (
    Category,
    Consent,
    ContactPreference,
    Finding,
    OrganisationKind,
    Recipient,
    Relationship,
    Scope,
    Source,
)
from .services import INVESTIGATOR_ROLES

WIDE = "govuk-!-width-two-thirds"


def _radios(label, choices, *, message, required=True, hint="", size="m"):
    return forms.ChoiceField(
        label=label, choices=choices, required=required, help_text=hint,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": f"govuk-fieldset__legend--{size}"}}}}),
        error_messages={"required": message, "invalid_choice": message})


def _words(label, *, max_length, what, required_message=None, hint=None, rows=6):
    """A box for the officer's own words (what they type is kept exactly)."""
    return text_field(label, max_length=max_length, what=what, required=required_message is not None,
                      required_message=required_message, hint=hint, textarea=True, rows=rows)


# Recording a complaint received by letter, email, telephone or in person -------------


class RecordForm(forms.Form):
    """The public form's questions on one page, asked of the officer, and how
    and when the complaint arrived. `submission` travels in a hidden field so
    a second send of the same page finds the complaint the first made."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False)
    source = _radios("How was the complaint received?",
                     [(value, label) for value, label in Source.choices if value != Source.ONLINE],
                     size="s", message="Select how the complaint was received")
    received_on = govuk_date_field("Date it was received")

    complainant_name = text_field("Complainant's full name", max_length=200, what="The complainant's name",
                                  required=True, width=WIDE)
    relationship = _radios("How are they connected to the person affected?", Relationship.choices,
                           size="s", message="Select how the complainant is connected to the person affected")
    relationship_other = text_field("If other, how they are connected (optional)", max_length=200,
                                    what="How they are connected", width=WIDE)
    affected_person_name = text_field("Name of the person affected (optional)", max_length=200,
                                      what="The name of the person affected", width=WIDE)
    contact_preference = _radios("How would they like us to contact them?", ContactPreference.choices,
                                 size="s", message="Select how the complainant would like to be contacted",
                                 hint="Letters are emailed to those who choose email; otherwise they are "
                                      "printed and posted, or read out on the telephone.")
    email = email_field("Email address (optional)", max_length=254, what="The email address")
    phone = phone_field("Telephone number (optional)", max_length=40, what="The telephone number")
    address = _words("Postal address (optional)", max_length=500, what="The address", rows=4)
    adjustments = _words("Reasonable adjustments they need (optional)", max_length=2000,
                         what="The adjustments", rows=4,
                         hint="For example, large print, an interpreter, or being called rather than "
                              "written to. Shown at the top of the complaint to everyone working on it.")

    what_happened = _words("What happened", max_length=10000, what="What happened", rows=10,
                           required_message="Enter what happened, in the complainant's words")
    happened_on = govuk_date_field("Date it happened (optional)", required=False)
    happened_when = text_field("Or roughly when (optional)", max_length=200, what="Roughly when",
                               width=WIDE, hint="If they do not know the date, for example “last spring”.")
    organisation_kind = _radios("Which organisation was involved?", OrganisationKind.choices,
                                size="s", message="Select which organisation was involved")
    organisation_name = text_field("Name of the organisation (optional)", max_length=200,
                                   what="The organisation's name", width=WIDE)
    outcome_wanted = _words("What they would like to happen", max_length=5000, what="What they want",
                            rows=5, required_message="Enter what the complainant would like to happen")
    organisation_consent = _radios(
        "Did they agree to the complaint being passed to the organisation it is about?", Consent.choices,
        size="s", message="Select whether the complainant agreed to it being passed to the organisation")
    stacu_consent = _radios(
        "Did they agree to the complaint being sent to the Prevent Standards and Compliance Unit (StaCU)?",
        Consent.choices, size="s", message="Select whether the complainant agreed to it being sent to StaCU")

    # The page asks these under headings, in this order.
    SECTIONS = (
        ("How it arrived", ("source", "received_on")),
        ("The complainant", ("complainant_name", "relationship", "relationship_other", "affected_person_name",
                             "contact_preference", "email", "phone", "address", "adjustments")),
        ("The complaint", ("what_happened", "happened_on", "happened_when", "organisation_kind",
                           "organisation_name", "outcome_wanted")),
        ("Consent to share", ("organisation_consent", "stacu_consent")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("submission", uuid.uuid4().hex)

    def clean_submission(self):
        value = self.cleaned_data["submission"]
        try:
            return uuid.UUID(value).hex
        except ValueError:
            return ""  # typed over or left out: no second-send protection, nothing worse

    def submission_key(self) -> str | None:
        token = self.cleaned_data.get("submission")
        return f"staff:{self.user.pk}:{token}" if token else None

    def sections(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.SECTIONS]

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("submission", "source", "received_on")}


# Triage, the record it concerns, consent and sharing -----------------------------------


class TriageForm(forms.Form):
    scope = _radios("What is the complaint about?", Scope.choices,
                    message="Select what the complaint is about",
                    hint="How we applied the Prevent duty is investigated here. A complaint about another "
                         "organisation is passed on, only with consent, or signposted. Prevent policy "
                         "itself is out of scope: it is signposted to StaCU.")
    category = _radios("Which part of the work is it about?", Category.choices,
                       message="Select which part of the work it is about")
    reasons = _words("Your reasons", max_length=5000, what="The reasons",
                     hint="Needed if it is about another organisation or about policy. For a complaint "
                          "about policy, the complainant is told them in the signposting letter.")


class LinkForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the referral or Channel case", max_length=40,
        help_text="For example, PRV-2026-000123 or CH-2026-000045. Only the reference is kept with the "
                  "complaint: it lets nobody see the record who could not see it already.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off",
                                      "govuk": {"classes": "govuk-input--width-20"}}),
        error_messages={"required": "Enter the reference of the referral or Channel case",
                        "max_length": "The reference must be 40 characters or fewer"})


class ConfirmForm(forms.Form):
    """A confirmation with nothing to type (unlink): its refusal is shown above the button."""


class ConsentForm(forms.Form):
    recipient = _radios("Who is the consent about?", Recipient.choices,
                        message="Select who the consent is about")
    consent = _radios("Did the complainant agree?",
                      [(Consent.GIVEN, "Yes, they agreed"), (Consent.REFUSED, "No, they refused")],
                      message="Select whether the complainant agreed")
    given_on = govuk_date_field("Date they agreed", required=False,
                                help_text="Needed if they agreed. For example, 27 3 2026")


class ShareForm(forms.Form):
    method = text_field("How was it sent?", max_length=500, what="How it was sent", width=WIDE,
                        hint="For example, secure email to the complaints team.")
    shared_on = govuk_date_field("Date it was sent")


class PassOnForm(ShareForm):
    recipient_name = text_field("Who was it passed to?", max_length=200, what="Who it was passed to",
                                width=WIDE, hint="The organisation, and the team or person there.")
    field_order = ["recipient_name", "method", "shared_on"]


# Letters ----------------------------------------------------------------------------------


class LetterForm(forms.Form):
    subject = text_field("Subject", max_length=200, what="The subject", width="govuk-!-width-full",
                         required=True, required_message="Enter the letter's subject")
    body = _words("Letter", max_length=20000, what="The letter", rows=20, required_message="Enter the letter",
                  hint="Filled in from the council's wording for this letter. Change what you need to: it "
                       "is sent exactly as it is here.")


class ExtendForm(forms.Form):
    new_date = govuk_date_field("New date for the response",
                                help_text="A working day after the current date. For example, 27 3 2026")
    reason = _words("Why is more time needed?", max_length=5000, what="The reason",
                    required_message="Enter why more time is needed",
                    hint="The complainant is told this in the holding letter.")


def with_letter(details_form):
    """`details_form` followed by the letter, for a step that writes to the
    complainant about what it records."""
    order = [*(details_form.field_order or details_form.base_fields), *LetterForm.base_fields]
    return type(f"{details_form.__name__}WithLetter", (details_form, LetterForm), {"field_order": order})


# The investigation ----------------------------------------------------------------------------


class InvestigatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}, {obj.job_title}" if obj.job_title else obj.full_name


class InvestigatorForm(forms.Form):
    investigator = InvestigatorChoiceField(
        label="Investigating officer", queryset=None, empty_label="Select a person",
        help_text="People with the investigating officer or complaints officer role. They must not have "
                  "been involved in what the complaint is about.",
        error_messages={"required": "Select an investigating officer",
                        "invalid_choice": "Select an investigating officer from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = (
            get_user_model().objects.filter(is_active=True, role_assignments__role__in=INVESTIGATOR_ROLES)
            .distinct().order_by("full_name", "pk"))


class OnceForm(forms.Form):
    """A form adding something new: `once` travels in a hidden field, so a
    second send of the same page adds nothing more (see complaint_views._once)."""

    once = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", uuid.uuid4().hex)

    def clean_once(self):
        try:
            return uuid.UUID(self.cleaned_data["once"]).hex
        except ValueError:
            return ""


class NoteForm(OnceForm):
    text = _words("Note", max_length=10000, what="The note", rows=8, required_message="Enter the note",
                  hint="A note cannot be changed or deleted once it is saved. To correct one, add another "
                       "note.")


class DocumentForm(OnceForm):
    description = text_field("What the document is", max_length=500, what="The description", width=WIDE,
                             required=True, required_message="Enter what the document is",
                             hint="For example, “The school's record of the meeting on 3 March”.")
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document, OpenDocument text or image (JPG, PNG or GIF).",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png,.gif"}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"})


class PointForm(OnceForm):
    summary = _words("The point of complaint", max_length=2000, what="The point", rows=4,
                     required_message="Enter the point of complaint",
                     hint="One thing the complainant says went wrong, in a sentence or two. The "
                          "investigating officer records a finding on each point.")


class FindingForm(forms.Form):
    finding = _radios("What is your finding on this point?", Finding.choices,
                      message="Select upheld, partly upheld or not upheld")
    reasons = _words("Your reasons", max_length=10000, what="The reasons", rows=8,
                     required_message="Enter the reasons for the finding",
                     hint="What you looked at and why you reached this finding. The complainant is told "
                          "these in the response.")


class ConclusionsForm(forms.Form):
    remedy = _words("What the council will do to put things right (optional)", max_length=10000,
                    what="The remedy", rows=6,
                    hint="For example, an apology, correcting a record, or a meeting. The complainant is "
                         "told this in the response.")
    lessons_learnt = _words("What the council has learnt and will change (optional)", max_length=10000,
                            what="The lessons learnt", rows=6)


class WithdrawForm(forms.Form):
    reasons = _words("How and why did the complainant withdraw it?", max_length=5000, what="The reasons",
                     required_message="Enter how and why the complainant withdrew it",
                     hint="For example, “Told us by telephone on 3 March that the school has apologised”.")
