"""Forms for the administration screens. They check what a person typed; the
services make the change."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html, format_html_join

from prevent_hub.access.policy import ROLE_SUMMARIES, role_may
from prevent_hub.access.roles import Role
from prevent_hub.accounts.forms import NewAccountEmailField
from prevent_hub.accounts.models import Organisation, OrganisationType, User
from prevent_hub.accounts.services import IdentityCheck
from prevent_hub.core.names import neutralise_bidi
from prevent_hub.directory.models import CONDITIONS, Contact, Danger, Offer
from prevent_hub.govuk.forms import GovukDateField

from .selectors import UserStatus

EMAIL_TAKEN = "An account with this email address already exists"
OWN_ACCOUNT = "You cannot deactivate your own account. Ask another system administrator to do it"

_EMAIL_WIDGET = forms.EmailInput(attrs={
    "autocomplete": "off", "spellcheck": "false",
    "govuk": {"classes": "govuk-!-width-two-thirds"},
})
_NAME_WIDGET = forms.TextInput(attrs={
    "autocomplete": "off", "spellcheck": "false",
    "govuk": {"classes": "govuk-!-width-two-thirds"},
})


def _role_hint(role: Role) -> dict:
    """The role in a line, and what it may do, from the access policy (the
    same words as docs/access.md)."""
    may = role_may(role)
    return {"html": format_html(
        "{}.<details class=\"govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-0\">"
        "<summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">"
        "What a {} may do<span class=\"govuk-visually-hidden\"> ({} things)</span></span></summary>"
        "<div class=\"govuk-details__text\"><ul class=\"govuk-list govuk-list--bullet\">{}</ul></div>"
        "</details>",
        ROLE_SUMMARIES[role], role.label.lower(), len(may),
        format_html_join("", "<li>{}</li>", ((line,) for line in may)))}


def _roles_field(**kwargs):
    return forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "hint": {"text": "Select everything this person does. A role can be added or removed "
                             "later."},
            "items": {role.value: {"hint": _role_hint(role)} for role in Role},
        }}),
        **kwargs,
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_active else f"{obj.name} (inactive)"


class UserDetailsForm(forms.Form):
    """Email, name, job title and organisation: the fields `user_update` changes."""

    email = NewAccountEmailField(
        label="Email address", max_length=254, widget=_EMAIL_WIDGET,
        help_text="The person signs in with this address.",
        error_messages={"required": "Enter an email address",
                        "invalid": "Enter an email address in the correct format, like "
                                   "name@example.org"},
    )
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=_NAME_WIDGET,
        error_messages={"required": "Enter the person's full name",
                        "max_length": "Full name must be 150 characters or fewer"},
    )
    job_title = forms.CharField(
        label="Job title (optional)", max_length=150, required=False, widget=_NAME_WIDGET,
        error_messages={"max_length": "Job title must be 150 characters or fewer"},
    )
    organisation = OrganisationChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), empty_label="Select an organisation",
        error_messages={"required": "Select the person's organisation",
                        "invalid_choice": "Select the person's organisation"},
    )

    def __init__(self, *args, subject: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        # Active organisations, plus the one the person is in now if it has closed.
        wanted = Q(is_active=True)
        if subject is not None:
            wanted |= Q(pk=subject.organisation_id)
        self.fields["organisation"].queryset = Organisation.objects.filter(wanted).order_by("name")

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = User.objects.filter(email=email)
        if self.subject is not None:
            others = others.exclude(pk=self.subject.pk)
        if others.exists():
            raise ValidationError(EMAIL_TAKEN, code="duplicate")
        return email

    def clean_full_name(self):
        return " ".join(neutralise_bidi(self.cleaned_data["full_name"]).split())


class UserCreateForm(UserDetailsForm):
    roles = _roles_field(error_messages={"required": "Select at least one role"})


class UserRolesForm(forms.Form):
    roles = _roles_field(required=False)

    def __init__(self, *args, subject: User, acting_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.acting_user = acting_user

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if (self.subject == self.acting_user and Role.SYSTEM_ADMINISTRATOR in self.subject.roles
                and Role.SYSTEM_ADMINISTRATOR not in roles):
            raise ValidationError(
                "You cannot remove your own system administrator role. Ask another system "
                "administrator to do it",
                code="own_admin_role",
            )
        return roles


class UserDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why are you deactivating this account?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "govuk": {
            "label": {"classes": "govuk-label--m"},
            "hint": {"text": "For example: left the organisation on 31 March. This is kept in "
                             "the audit trail."},
        }}),
        error_messages={"required": "Enter a reason for deactivating the account",
                        "max_length": "Reason must be 500 characters or fewer"},
    )

    def __init__(self, *args, subject: User, acting_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.acting_user = acting_user

    def clean(self):
        if self.subject == self.acting_user:
            raise ValidationError(OWN_ACCOUNT, code="own_account")
        return super().clean()


class UserSecondFactorResetForm(forms.Form):
    """How the administrator confirmed who is asking (ASVS V6.4.4): a reset
    hands the account to whoever sets up the next authenticator."""

    identity_check = forms.ChoiceField(
        label="How did you confirm that the person asking is the account's owner?",
        choices=IdentityCheck.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
        }}),
        help_text="Never by the email or telephone call the request came in on alone.",
        error_messages={"required": "Select how you confirmed who is asking",
                        "invalid_choice": "Select how you confirmed who is asking"},
    )
    identity_check_details = forms.CharField(
        label="What did you check?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "govuk": {
            "label": {"classes": "govuk-label--s"},
            "hint": {"text": "For example: called back on the number HR holds for them, 14 March, "
                             "10:20. Do not write the telephone number or ID number itself. This is "
                             "kept in the audit trail."},
        }}),
        error_messages={"required": "Enter what you checked to confirm who is asking",
                        "max_length": "What you checked must be 500 characters or fewer"},
    )


class SessionsEndAllForm(forms.Form):
    reason = forms.CharField(
        label="Why are you signing everyone out?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "govuk": {
            "label": {"classes": "govuk-label--m"},
            "hint": {"text": "For example: a shared computer in the Prevent team was stolen. "
                             "This is kept in the audit trail."},
        }}),
        error_messages={"required": "Enter a reason for signing everyone out",
                        "max_length": "Reason must be 500 characters or fewer"},
    )


class UserFilterForm(forms.Form):
    """Search and filters for the user list (sent with GET)."""

    q = forms.CharField(
        label="Name or email address", required=False, max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off",
                                      "govuk": {"label": {"classes": "govuk-label--s"}}}),
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", required=False, queryset=Organisation.objects.none(),
        empty_label="Any organisation",
        widget=forms.Select(attrs={"govuk": {"label": {"classes": "govuk-label--s"},
                                             "classes": "govuk-!-width-full"}}),
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices],
        widget=forms.Select(attrs={"govuk": {"label": {"classes": "govuk-label--s"},
                                             "classes": "govuk-!-width-full"}}),
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "Active and deactivated"), (UserStatus.ACTIVE, "Active"),
                 (UserStatus.DEACTIVATED, "Deactivated")],
        widget=forms.Select(attrs={"govuk": {"label": {"classes": "govuk-label--s"},
                                             "classes": "govuk-!-width-full"}}),
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={"required": "Enter the organisation's name",
                        "max_length": "Name must be 200 characters or fewer"},
    )
    type = forms.ChoiceField(
        label="Type", choices=OrganisationType.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
        }}),
        error_messages={"required": "Select the type of organisation",
                        "invalid_choice": "Select the type of organisation"},
    )
    is_active = forms.BooleanField(
        label="Active: its staff can be given accounts", required=False, initial=True,
        help_text="Untick when the organisation no longer takes part. Existing accounts are "
                  "not changed: deactivate them separately.",
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class ContactForm(forms.ModelForm):
    last_checked = GovukDateField(
        label="Last checked (optional)", required=False,
        help_text="When someone last confirmed these details with the service. For example, 27 3 2025",
        error_messages={"incomplete": "Last checked must include a %(missing)s",
                        "invalid": "Last checked must be a real date",
                        "invalid_year": "Year must include 4 numbers"},
    )

    class Meta:
        model = Contact
        fields = ["name", "who_for", "phone", "phone_note", "web_address", "web_label", "email",
                  "hours", "last_checked", "is_active"]
        labels = {
            "name": "Name",
            "who_for": "Who it is for",
            "phone": "Telephone (optional)",
            "phone_note": "Note about the telephone number (optional)",
            "web_address": "Web address (optional)",
            "web_label": "Link text (optional)",
            "email": "Email address (optional)",
            "hours": "Opening hours (optional)",
            "is_active": "Show this contact on pages",
        }
        help_texts = {
            "who_for": "Shown under the name. Say who should use the service and when.",
            "is_active": "Untick to hide it from every page without deleting it.",
        }
        widgets = {
            "who_for": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "govuk": {
                "classes": "govuk-input--width-20"}}),
            "web_address": forms.URLInput(attrs={"govuk": {"classes": "govuk-!-width-two-thirds"}}),
            "email": forms.EmailInput(attrs={"autocomplete": "off", "govuk": {
                "classes": "govuk-!-width-two-thirds"}}),
        }
        error_messages = {
            "name": {"required": "Enter the contact's name",
                     "max_length": "Name must be %(limit_value)d characters or fewer"},
            "who_for": {"required": "Enter who the contact is for",
                        "max_length": "Who it is for must be %(limit_value)d characters or fewer"},
            "phone": {"max_length": "Telephone must be %(limit_value)d characters or fewer"},
            "phone_note": {"max_length": "Note must be %(limit_value)d characters or fewer"},
            "web_address": {"invalid": "Enter a full web address, starting with https://"},
            "web_label": {"max_length": "Link text must be %(limit_value)d characters or fewer"},
            "email": {"invalid": "Enter an email address in the correct format, like "
                                 "name@example.org"},
            "hours": {"max_length": "Opening hours must be %(limit_value)d characters or fewer"},
        }

    def clean_web_address(self):
        address = self.cleaned_data["web_address"]
        if address and not address.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a full web address, starting with https://")
        return address

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("web_label") and not cleaned.get("web_address") and "web_address" not in self.errors:
            self.add_error("web_address", "Enter the web address the link text is for")
        return cleaned


# Routing rules for "Get help" ----------------------------------------------------

ROUTING_RULE_CONTACTS = 5
ANY_ANSWER_HINT = "Tick the answers this rule is for. Leave them all unticked if the answer does not matter."
DANGER_ONLY = (
    "Someone who says a person is in immediate danger is not asked anything else: leave the "
    "other questions unticked"
)


def _condition_field(question, choices):
    return forms.MultipleChoiceField(
        label=question, required=False, choices=choices.choices, help_text=ANY_ANSWER_HINT,
        widget=forms.CheckboxSelectMultiple(attrs={"govuk": {
            "classes": "govuk-checkboxes--small",
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}},
        }}),
        error_messages={"invalid_choice": "Select answers from the list"},
    )


class RoutingRuleForm(forms.Form):
    """Who a rule is for (one condition per question) and what they are shown."""

    title = forms.CharField(
        label="Heading", max_length=120,
        help_text="Shown on the result page. For example: Talk to ACT Early in confidence.",
        widget=forms.TextInput(attrs={"govuk": {"classes": "govuk-!-width-full"}}),
        error_messages={"required": "Enter a heading",
                        "max_length": "Heading must be %(limit_value)d characters or fewer"},
    )
    advice = forms.CharField(
        label="Advice", max_length=1000,
        help_text="Plain English, written to the person reading it. Start a new line for a new "
                  "paragraph. Put telephone numbers and web addresses in the contacts, not here.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the advice",
                        "max_length": "Advice must be %(limit_value)d characters or fewer"},
    )
    offer = forms.ChoiceField(
        label="Offer to send the concern to the council's Prevent team?", required=False,
        choices=Offer.choices, initial=Offer.NONE,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}},
        }}),
        help_text="The result page shows a button to the form. Each form is offered once, "
                  "however many rules offer it.",
        error_messages={"invalid_choice": "Select whether to offer a form"},
    )
    position = forms.IntegerField(
        label="Position", min_value=0, max_value=10000,
        help_text="Rules are shown in this order, lowest first.",
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-4"}}),
        error_messages={"required": "Enter a position",
                        "invalid": "Position must be a whole number, like 45",
                        "min_value": "Position must be 0 or more",
                        "max_value": "Position must be 10000 or less"},
    )
    is_active = forms.BooleanField(
        label="Use this rule", required=False, initial=True,
        help_text="Untick to stop showing it without deleting it.",
    )

    def __init__(self, *args, contact_slots: int = ROUTING_RULE_CONTACTS, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_slots = max(contact_slots, ROUTING_RULE_CONTACTS)
        for field, _answer, choices, question in CONDITIONS:
            self.fields[field] = _condition_field(question, choices)
        contacts = Contact.objects.order_by("name")
        for number in range(1, self.contact_slots + 1):
            self.fields[f"contact_{number}"] = ContactChoiceField(
                label=f"Contact {number} (optional)", required=False, queryset=contacts,
                empty_label="No contact",
                widget=forms.Select(attrs={"govuk": {"classes": "govuk-!-width-two-thirds"}}),
                error_messages={"invalid_choice": "Select a contact from the list"},
            )
        self.fields["contact_1"].help_text = (
            "Shown in this order. A contact listed by an earlier rule is shown there, not again."
        )

    @property
    def condition_fields(self):
        return [self[field] for field, *_ in CONDITIONS]

    @property
    def contact_fields(self):
        return [self[f"contact_{number}"] for number in range(1, self.contact_slots + 1)]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for number in range(1, self.contact_slots + 1):
            name = f"contact_{number}"
            contact = cleaned.get(name)
            if contact is None:
                continue
            if contact.pk in seen:
                self.add_error(name, f"{contact.name} is already listed: choose a different contact")
            seen.add(contact.pk)
        if cleaned.get("when_danger") == [Danger.YES] and any(
            cleaned.get(field) for field, *_ in CONDITIONS if field != "when_danger"
        ):
            self.add_error("when_danger", DANGER_ONLY)
        return cleaned

    @property
    def contacts(self) -> list[Contact]:
        return [
            self.cleaned_data[f"contact_{number}"]
            for number in range(1, self.contact_slots + 1)
            if self.cleaned_data.get(f"contact_{number}") is not None
        ]

    @property
    def rule_fields(self) -> dict:
        fields = ["title", "advice", "offer", "position", "is_active"]
        fields += [field for field, *_ in CONDITIONS]
        return {field: self.cleaned_data[field] for field in fields}

    @classmethod
    def initial_for(cls, rule, contacts) -> dict:
        initial = {
            "title": rule.title, "advice": rule.advice, "offer": rule.offer,
            "position": rule.position, "is_active": rule.is_active,
            **{field: list(getattr(rule, field)) for field, *_ in CONDITIONS},
        }
        for number, contact in enumerate(contacts, start=1):
            initial[f"contact_{number}"] = contact.pk
        return initial


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_active else f"{obj.name} (hidden)"
