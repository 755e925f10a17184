"""Forms for rights request pages. They check what was typed; the services
check the rules and make the change."""

from django import forms

from prevent_hub.govuk.forms import govuk_date_field

from .models import (
    MAX_EXTENSION_MONTHS,
    Decision,
    IdentityMethod,
    RedactionReason,
    Relationship,
    ReleaseMethod,
    RequestKind,
    RequestStatus,
)

RADIOS = {"govuk": {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}


def _text(label, *, max_length, required=True, help_text="", rows=5, message=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter the {label[:1].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _line(label, *, max_length, required=True, help_text="", message=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        error_messages={"required": message or f"Enter the {label[:1].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _radios(label, choices, *, message, required=True):
    return forms.ChoiceField(label=label, choices=choices, required=required,
                             widget=forms.RadioSelect(attrs=RADIOS),
                             error_messages={"required": message, "invalid_choice": message})


class RequestForm(forms.Form):
    kind = _radios("What are they asking for?", RequestKind.choices,
                   message="Select what kind of request it is")
    received_on = govuk_date_field("Date the request was received",
                                   help_text="The deadline is one calendar month from this date. "
                                             "For example, 27 3 2026")
    requester_name = _line("Name of the person who asked", max_length=200)
    requester_relationship = _radios("Who are they to the person the request is about?", Relationship.choices,
                                     message="Select who the requester is to the person")
    relationship_details = _line("Details of the relationship (optional)", max_length=500, required=False,
                                 help_text="For example, the firm of solicitors, or why someone else asks.")
    requester_contact = _text("How to contact them", max_length=500, rows=3,
                              help_text="A postal or email address, or a phone number, to send the answer "
                                        "to.",
                              message="Enter how to contact the person who asked")
    subject_details = _text("Who the request is about", max_length=2000, rows=3,
                            help_text="As the requester describes them: names, date of birth, address, any "
                                      "reference they give. You find their record in the next steps.",
                            message="Enter who the request is about")
    request_text = _text("What they ask for (optional for subject access)", max_length=10000, required=False,
                         rows=6, help_text="What they ask to be corrected, erased or restricted, and why; or "
                                           "which information they want.")


class IdentityForm(forms.Form):
    identity_method = _radios("How was their identity verified?", IdentityMethod.choices,
                              message="Select how identity was verified")
    identity_notes = _text("Notes (optional)", max_length=2000, required=False, rows=3,
                           help_text="Which documents, or how their authority to ask was checked. Do "
                                     "not copy document numbers.")


class PersonSearchForm(forms.Form):
    name = _line("Name", max_length=200, required=False, help_text="Any spelling of a name")
    date_of_birth = govuk_date_field("Date of birth", required=False, help_text="For example, 27 3 2008")
    reference = _line("Referral or case reference", max_length=30, required=False,
                      help_text="Like PRV-2026-000123 or CH-2026-000045")

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("name", "").strip() or data.get("date_of_birth")
                                    or data.get("reference", "").strip()):
            raise forms.ValidationError("Enter a name, a date of birth or a reference to search for")
        return data


class _NamedInSearchForm(forms.Form):
    """A search for records that name a requester who has no person record:
    a name, an email address or a reference, at least one. Subclasses say
    whose name and email address they are."""

    missing = ""

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name, "").strip() for name in ("name", "email", "reference")):
            raise forms.ValidationError(self.missing)
        return data


class VenueBookingSearchForm(_NamedInSearchForm):
    name = _line("Name", max_length=200, required=False,
                 help_text="The booker's name or another name they use, or a speaker's name")
    email = _line("Email address", max_length=254, required=False, help_text="The booker's email address")
    reference = _line("Booking reference", max_length=30, required=False, help_text="Like VEN-2026-000123")
    missing = "Enter a name, an email address or a booking reference to search for"


class ComplaintSearchForm(_NamedInSearchForm):
    name = _line("Name", max_length=200, required=False,
                 help_text="The complainant's name or the name of the person affected")
    email = _line("Email address", max_length=254, required=False,
                  help_text="The complainant's email address")
    reference = _line("Complaint reference", max_length=30, required=False, help_text="Like CMP-2026-000123")
    missing = "Enter a name, an email address or a complaint reference to search for"


class LearnerSearchForm(_NamedInSearchForm):
    name = _line("Name", max_length=200, required=False, help_text="The learner's name")
    email = _line("Email address", max_length=254, required=False,
                  help_text="Their work email address: the one their training is recorded under")
    reference = _line("Learner reference", max_length=30, required=False, help_text="Like LRN-ABCD2345")
    missing = "Enter a name, an email address or a learner reference to search for"


class RecordLinkForm(forms.Form):
    """Link (or with `unlink`, unlink) one of the records found, by its reference."""

    reference = forms.CharField(widget=forms.HiddenInput, max_length=30)
    unlink = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, noun: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a tampered form sends no reference, or one too long to be any.
        for code in ("required", "max_length"):
            self.fields["reference"].error_messages[code] = f"Choose a {noun} from the list"


class LinkPersonForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "Choose the person the request is about", "invalid": "Choose a person from the list"})


class ExtendForm(forms.Form):
    extension_months = forms.TypedChoiceField(
        label="Extend the deadline by", coerce=int,
        choices=[(months, f"{months} more month{'s' if months != 1 else ''}")
                 for months in range(1, MAX_EXTENSION_MONTHS + 1)],
        widget=forms.RadioSelect(attrs=RADIOS),
        error_messages={"required": "Select an extension of one or two months",
                        "invalid_choice": "Select an extension of one or two months"})
    reason = _text("Reason for the extension", max_length=2000, rows=4,
                   help_text="The law allows an extension when requests are complex or numerous. Tell the "
                             "requester within the first month.")


class DecideForm(forms.Form):
    reasons = _text("Reasons for the decision", max_length=10000, rows=6,
                    help_text="These are the reasons you give the requester.",
                    message="Enter the reasons for the decision")

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"decision": _radios("What is the decision?", decisions, message="Select the decision"),
                       **self.fields}


def decisions_for(kind: str):
    if kind == RequestKind.SUBJECT_ACCESS:
        return [(Decision.REFUSED.value, Decision.REFUSED.label)]
    return Decision.choices


class RedactForm(forms.Form):
    reason = _radios("Why is it withheld?", RedactionReason.choices,
                     message="Select the reason for the redaction")
    explanation = _text("Explanation", max_length=2000, rows=4,
                        help_text="Why the reason applies here. This stays with the bundle; the requester "
                                  "sees only the reason.",
                        message="Explain why this is withheld")


class ApproveForm(forms.Form):
    """Nothing to fill in: the button approves the bundle as shown."""


class ReleaseForm(forms.Form):
    released_on = govuk_date_field("Date it was sent")
    method = _radios("How was it sent?", ReleaseMethod.choices, message="Select how the bundle was sent")
    notes = _text("Notes (optional)", max_length=2000, required=False, rows=3,
                  help_text="For example, the recorded delivery number.")


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *RequestKind.choices])
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "All statuses"), *RequestStatus.choices])


class RestrictionLiftForm(forms.Form):
    reason = _text("Why is the restriction being lifted?", max_length=2000, rows=4,
                   message="Enter why the restriction is being lifted",
                   help_text="For example, the accuracy of the record has been checked. Tell the requester "
                             "before you lift it.")
    reason.error_messages["max_length"] = "The reason must be 2,000 characters or fewer"
