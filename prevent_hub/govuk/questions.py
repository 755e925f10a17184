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
answers" and the pages can never disagree about what is missing.
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
