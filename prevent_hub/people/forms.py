"""What coordinators and police practitioners post from the people pages:
identifying the person in a referral, searching, editing a record, merging
two records and undoing a merge, and saying two records are not the same."""

from django import forms
from django.utils.http import urlencode

from prevent_hub.core.addresses import normalise_postcode
from prevent_hub.core.names import NameQuery
from prevent_hub.core.search import reference_in
from prevent_hub.govuk.forms import govuk_date_field

from .selectors import PeopleSearch

CONFIRM = "same"
REJECT = "not-same"
NEW_PERSON = "new"

_WIDE = {"govuk": {"classes": "govuk-!-width-two-thirds"}}


class MatchDecisionForm(forms.Form):
    """One button press: "Same person" or "Not the same person" about one
    candidate (or a person found by searching), or "None of these – record
    as a new person"."""

    answer = forms.ChoiceField(choices=[(CONFIRM, "Same person"), (REJECT, "Not the same person"),
                                        (NEW_PERSON, "Record as a new person")])
    person = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("answer") in (CONFIRM, REJECT) and not data.get("person"):
            raise forms.ValidationError("Choose which person you mean.")
        return data


def _text(label, *, max_length, required=False, help_text="", textarea=False, rows=3, attrs=None,
          required_message=""):
    widget = forms.Textarea(attrs={"rows": rows, **(attrs or {})}) if textarea else \
        forms.TextInput(attrs=attrs or {})
    what = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text, widget=widget,
        error_messages={"required": required_message or f"Enter the {what[:1].lower()}{what[1:]}",
                        "max_length": f"{what} must be {max_length:,} characters or fewer"},
    )


class PeopleSearchForm(forms.Form):
    """People search, sent by GET so a search can be linked to and bookmarked.
    Every box filled in must match."""

    name = _text("Name", max_length=200, help_text="Any spelling, in any script. One name or a full name.",
                 attrs={"spellcheck": "false", "autocomplete": "off", **_WIDE})
    date_of_birth = govuk_date_field("Date of birth", required=False, help_text="For example, 27 3 2011")
    postcode = _text("Postcode", max_length=10, help_text="A whole postcode, or its first half",
                     attrs={"spellcheck": "false", "autocomplete": "off",
                            "govuk": {"classes": "govuk-input--width-10"}})
    reference = _text("Referral or case reference", max_length=20, help_text="For example, PRV-2026-000123",
                      attrs={"spellcheck": "false", "autocomplete": "off",
                             "govuk": {"classes": "govuk-input--width-20"}})

    FIELDS = ("name", "date_of_birth-day", "date_of_birth-month", "date_of_birth-year", "postcode",
              "reference")

    @classmethod
    def from_request(cls, request, **kwargs):
        """Bound only when something was searched for."""
        searched = any(request.GET.get(name, "").strip() for name in cls.FIELDS)
        return cls(request.GET if searched else None, **kwargs)

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        if value and NameQuery.parse(value) is None:
            raise forms.ValidationError("Enter a name with at least one letter")
        return value

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value and (not value.isalnum() or len(value) < 2):
            raise forms.ValidationError("Enter a postcode, like SF4 7QT, or its first half, like SF4")
        return value

    def clean_reference(self):
        value = self.cleaned_data["reference"].strip()
        if not value:
            return ""
        reference = reference_in(value)  # "prv 2026 123" is PRV-2026-000123
        if reference is None:
            raise forms.ValidationError("Enter a reference like PRV-2026-000123 or CH-2026-000045")
        return reference

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in ("name", "date_of_birth", "postcode",
                                                                        "reference")):
            raise forms.ValidationError("Enter a name, date of birth, postcode or reference to search for")
        return cleaned

    def search(self) -> PeopleSearch | None:
        if not self.is_bound or not self.is_valid():
            return None
        data = self.cleaned_data
        return PeopleSearch(name=data["name"], date_of_birth=data["date_of_birth"], postcode=data["postcode"],
                            reference=data["reference"])

    def query(self) -> str:
        """The search as a query string, for page links."""
        search = self.search()
        if search is None:
            return ""
        params = [(name, getattr(search, name)) for name in ("name", "postcode", "reference")
                  if getattr(search, name)]
        if search.date_of_birth:
            born = search.date_of_birth
            params += [("date_of_birth-day", born.day), ("date_of_birth-month", born.month),
                       ("date_of_birth-year", born.year)]
        return urlencode(params)


class PersonEditForm(forms.Form):
    given_name = _text("First name", max_length=100, attrs={"spellcheck": "false", **_WIDE})
    family_name = _text("Last name", max_length=100, attrs={"spellcheck": "false", **_WIDE})
    other_names = _text("Other names (optional)", max_length=1000, textarea=True, rows=3,
                        help_text="One name per line. A single word is taken as a first name with the "
                                  "last name above.", attrs={"spellcheck": "false"})
    date_of_birth = govuk_date_field("Date of birth", required=False, help_text="For example, 27 3 2011")
    gender = _text("Gender (optional)", max_length=60, attrs={"govuk": {"classes": "govuk-input--width-20"}})
    address = _text("Address (optional)", max_length=500, textarea=True, rows=3)
    postcode = _text("Postcode (optional)", max_length=10,
                     attrs={"spellcheck": "false", "govuk": {"classes": "govuk-input--width-10"}})
    school_or_employer = _text("School, college or employer (optional)", max_length=200, attrs=_WIDE)
    reasons = _text("Why are you changing these details?", max_length=2000, required=True, textarea=True,
                    rows=3, help_text="For example, the date of birth was confirmed by the school. This is "
                                      "kept in the record’s history.",
                    required_message="Enter why you are changing these details")

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value and not value.isalnum():
            raise forms.ValidationError("Enter a postcode, like SF4 7QT")
        return value

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("given_name", "").strip() or cleaned.get("family_name", "").strip()) and \
                "given_name" not in self.errors and "family_name" not in self.errors:
            self.add_error("given_name", "Enter a first name or a last name")
        return cleaned

    def details(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reasons")
        data["other_names"] = [line for line in data["other_names"].splitlines() if line.strip()]
        return data


class ReasonsForm(forms.Form):
    reasons = _text("Reasons", max_length=2000, required=True, textarea=True, rows=4)

    def __init__(self, *args, label="Reasons", help_text="", required=True, required_message="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reasons"]
        field.label, field.help_text, field.required = label, help_text, required
        if required_message:
            field.error_messages["required"] = required_message
        what = label.removesuffix(" (optional)")
        field.error_messages["max_length"] = f"{what} must be 2,000 characters or fewer"
