"""Question pages: long public forms asked one page at a time and kept as a
draft between pages (the referral and concern forms, the venue booking
request).

One Django form per page (`QuestionPageForm`). A page's cleaned data goes into
the draft's JSON data (dates as ISO strings, times as HH:MM) and comes back
out as the form's initial values. Every page can be sent two ways:
"Continue" checks everything, "Save and come back later" (`partial=True`)
checks only what was typed (lengths, dates, numbers), so half a page can be
kept. A hidden honeypot field catches automated posts.

`page_errors` checks a whole draft with each page's own form, so "check your
answers" and the pages can never disagree about what is missing. A page
opened by a Change link there (`?from=check`, `opened_from_check`) goes back
to it; the pages' problems and a service's refusal on send
(`refusal_problems`) make its error summary (`problems_summary`).
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import QueryDict

from .forms import GovukDateInput

HONEYPOT_FIELD = "website"
HONEYPOT_MESSAGE = (
    "The box labelled ‘Leave this field blank’ must be empty. It is there to stop automated "
    "messages. We have emptied it: check your answers and send the form again"
)
_PHONE = re.compile(r"^\+?[\d\s()\-]+$")
PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


# Field builders ---------------------------------------------------------------


def text_field(label, *, max_length, what, required=False, required_message=None, hint=None, width=None,
               autocomplete=None, spellcheck=None, textarea=False, rows=None):
    """A text question. `what` names it in messages ("Your name must be 150
    characters or fewer")."""
    attrs = {"govuk": {}}
    if width:
        attrs["govuk"]["classes"] = width
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if spellcheck is not None:
        attrs["spellcheck"] = "true" if spellcheck else "false"
    if rows:
        attrs["rows"] = rows
    widget = forms.Textarea(attrs=attrs) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=hint or "", widget=widget,
        error_messages={
            "required": required_message or f"Enter {what[0].lower()}{what[1:]}",
            "max_length": f"{what} must be {max_length:,} characters or fewer",
        },
    )


def email_field(label, *, max_length, what, hint=None, required=False, required_message=None):
    return forms.EmailField(
        label=label, required=required, max_length=max_length, help_text=hint or "",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false",
                                       "govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={
            "required": required_message or f"Enter {what[0].lower()}{what[1:]}",
            "invalid": f"Enter {what[0].lower()}{what[1:]} in the correct format, like name@example.org",
            "max_length": f"{what} must be {max_length:,} characters or fewer",
        },
    )


def radio_field(label, choices, *, message, hint=None, inline=False, required=True):
    """A question answered by choosing one of `choices`; `message` when none
    is chosen, or one that is not offered."""
    govuk = {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}
    if inline:
        govuk["classes"] = "govuk-radios--inline"
    return forms.ChoiceField(
        label=label, choices=choices, required=required, help_text=hint or "",
        widget=forms.RadioSelect(attrs={"govuk": govuk}),
        error_messages={"required": message, "invalid_choice": message})


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    def validate(self, value):
        super().validate(value)
        if value and (not _PHONE.match(value) or not 6 <= sum(ch.isdigit() for ch in value) <= 15):
            raise ValidationError(PHONE_MESSAGE, code="invalid")


def phone_field(label, *, max_length, what, autocomplete=None):
    attrs = {"govuk": {"classes": "govuk-input--width-20"}}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return PhoneField(
        label=label, required=False, max_length=max_length,
        widget=TelInput(attrs=attrs),
        error_messages={"max_length": f"{what} must be {max_length} characters or fewer"},
    )


# The page form ------------------------------------------------------------------


class QuestionPageForm(forms.Form):
    """A question page: the honeypot, partial saving, and moving answers in
    and out of a draft's data. `answers` is the draft's data so far, for
    rules that depend on another page's answer."""

    # A form with a question of this name names its honeypot otherwise.
    honeypot_field = HONEYPOT_FIELD

    def __init__(self, *args, partial=False, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial = partial
        self.answers = answers or {}
        if partial:
            for form_field in self.fields.values():
                form_field.required = False
        if self.honeypot_field in self.fields:
            raise ImproperlyConfigured(f"{type(self).__name__} asks a question named "
                                       f"{self.honeypot_field!r}: give its honeypot another name")
        # The honeypot goes last; people never see it (see the template).
        self.fields[self.honeypot_field] = forms.CharField(
            label="Leave this field blank", required=False, max_length=200,
            widget=forms.TextInput(attrs={
                "tabindex": "-1", "autocomplete": "off",
                "govuk": {"formGroup": {"classes": "govuk-visually-hidden",
                                        "attributes": {"aria-hidden": "true"}}},
            }),
        )

    @classmethod
    def answer_fields(cls):
        """The fields whose answers go into the draft."""
        return list(cls.base_fields)

    def clean(self):
        cleaned = super().clean()
        honeypot = self.honeypot_field
        if cleaned.get(honeypot) or (self.data.get(honeypot) or "").strip():
            self.add_error(None, HONEYPOT_MESSAGE)
            # Shown again empty, so a person who typed in it can simply send again.
            self.data = self.data.copy()
            self.data[honeypot] = ""
        if not self.partial:
            self.clean_rules(cleaned)
        return cleaned

    def clean_rules(self, cleaned):
        """Rules across fields (one of two answers needed...); skipped by a partial save."""

    def to_data(self) -> dict:
        """The answers on this page as draft data (JSON-serialisable)."""
        data = {}
        for name in self.answer_fields():
            value = self.cleaned_data.get(name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, datetime.time):
                value = f"{value:%H:%M}"
            elif value is None and not isinstance(self.fields[name], forms.IntegerField | forms.DateField
                                                  | forms.TimeField | forms.TypedChoiceField):
                value = ""
            data[name] = value
        return data

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        return {name: data[name] for name in cls.answer_fields() if data.get(name) not in (None, "")}

    @classmethod
    def as_posted(cls, data: dict) -> QueryDict:
        """Draft data as the page would post it, to check a whole draft with
        the same rules as the page."""
        posted = QueryDict(mutable=True)
        for name in cls.answer_fields():
            value = data.get(name)
            if value in (None, ""):
                continue
            widget = cls.base_fields[name].widget
            if isinstance(widget, GovukDateInput):
                for part, part_value in zip(GovukDateInput.parts, widget.decompress(value), strict=True):
                    posted[f"{name}-{part}"] = part_value or ""
            elif isinstance(value, list):
                posted.setlist(name, [str(item) for item in value])
            else:
                posted[name] = str(value)
        return posted


def require_one(form, cleaned, names, message):
    """At least one of the fields `names` answered, else `message` on the first."""
    answered = any(cleaned.get(name) not in (None, "") for name in names)
    if not answered and not any(form.has_error(name) for name in names):
        form.add_error(names[0], message)


# Pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    form: type[QuestionPageForm] | None  # None: a page of its own kind (uploads, a list)
    intro: str = ""
    applies: object = None  # function(data) -> bool; None: always

    def applies_to(self, data: dict) -> bool:
        return self.applies is None or self.applies(data)

    @property
    def fields(self):
        return self.form.answer_fields() if self.form else []


def page_errors(pages, data: dict) -> list[tuple[Page, str, str]]:
    """What is missing or wrong in a draft: (page, field name, message) for
    each problem, checked with each page's own form."""
    problems = []
    for page in pages:
        if page.form is None:
            continue
        form = page.form(page.form.as_posted(data), answers=data)
        if not form.is_valid():
            for name, errors in form.errors.items():
                problems.append((page, name, errors[0]))
    return problems


# Check your answers -------------------------------------------------------------

FROM_CHECK = "check"


def opened_from_check(request) -> bool:
    """Whether the page was opened (or sent) from a Change link on check
    your answers, and so goes back there."""
    return (request.POST if request.method == "POST" else request.GET).get("from") == FROM_CHECK


@dataclass(frozen=True)
class Problem:
    """Something missing or wrong in the answers, on check your answers:
    the message, where to put it right, and the page that asks."""

    message: str
    href: str = ""
    page: Page | None = None


def refusal_problems(error: ValidationError, *, page_of, href_for) -> list[Problem]:
    """A service's refusal, each message linked (`href_for(page, field)`) to
    the page that asks for what it refuses (`page_of(field)`; a message no
    page answers is shown without a link)."""
    problems = []
    refused = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, field_messages in refused:
        page = page_of(field) if field else None
        href = href_for(page, field) if page else ""
        problems.extend(Problem(message, href, page) for message in field_messages)
    return problems


def problems_summary(form, problems) -> dict | None:
    """Error summary params for check your answers: the send button's own
    errors (the honeypot, a limit), then each problem linked to its page."""
    items = [{"text": str(message)} for message in form.non_field_errors()]
    items += [{"text": problem.message, **({"href": problem.href} if problem.href else {})}
              for problem in problems]
    return {"titleText": "There is a problem", "errorList": items} if items else None
