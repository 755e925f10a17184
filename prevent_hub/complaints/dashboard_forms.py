"""The complaints dashboard's filters and the quarterly counts' choice of
year, sent by GET so a filtered list can be linked to and works without
JavaScript. A filter that is wrong is left out and the page says why."""

from django import forms
from django.conf import settings

from prevent_hub.core.formatting import govuk_date
from prevent_hub.govuk.filters import FilterForm, one_or_every
from prevent_hub.govuk.forms import govuk_date_field

from .models import Category, OrganisationKind, Scope, Status
from .selectors import (
    AWAITING_TRIAGE,
    DUE_SOON,
    NOT_TRIAGED,
    OPEN_GROUP,
    OVERDUE,
    OVERDUE_ACKNOWLEDGEMENT,
    OVERDUE_RESPONSE,
    DashboardFilters,
)

SEARCH_MAX = 200


def status_choices() -> list[tuple[str, str]]:
    # Read when the form is made: the number of days is a setting.
    days = settings.COMPLAINT_REMINDER_WORKING_DAYS
    return [
        ("", "Any status"),
        (OPEN_GROUP, "Open (received or being investigated)"),
        (AWAITING_TRIAGE, "Awaiting triage"),
        (OVERDUE, "Overdue (to acknowledge or to respond)"),
        (OVERDUE_ACKNOWLEDGEMENT, "Overdue to acknowledge"),
        (OVERDUE_RESPONSE, "Overdue to respond"),
        (DUE_SOON, f"Due within {days} working day{'s' if days != 1 else ''}"),
        *Status.choices,
    ]


def _choice(label, choices, message):
    return forms.ChoiceField(label=label, required=False, choices=choices,
                             error_messages={"invalid_choice": message})


class DashboardFilterForm(FilterForm, forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=SEARCH_MAX,
        help_text="A reference like CMP-2026-000123, or words from the complainant's name or the "
                  "organisation's name",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": f"Search for {SEARCH_MAX} characters or fewer",
                        "null_characters_not_allowed": "Search for letters, numbers and spaces"})
    status = _choice("Status", [], "Select a status from the list")
    scope = _choice("What it is about", [("", "Anything"), *Scope.choices, (NOT_TRIAGED, "Not yet triaged")],
                    "Select what the complaint is about from the list")
    category = _choice("Part of the work", [("", "Any part"), *Category.choices,
                                            (NOT_TRIAGED, "Not yet triaged")],
                       "Select a part of the work from the list")
    organisation_kind = _choice("Organisation", [("", "Any organisation"), *OrganisationKind.choices],
                                "Select an organisation from the list")
    received_from = govuk_date_field("Received from", required=False)
    received_to = govuk_date_field("Received to", required=False)

    LAYOUT = (("q",), ("status", "scope"), ("category", "organisation_kind"),
              ("received_from", "received_to"))
    DATE_RANGES = (("received_from", "received_to", "Received"),)
    DATES = ("received_from", "received_to")
    CHOICES = ("status", "scope", "category", "organisation_kind")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices()

    def filters(self) -> DashboardFilters:
        data = self.valid_data()
        return DashboardFilters(search=" ".join((data.get("q") or "").split()),
                                **{name: data.get(name) or "" for name in self.CHOICES},
                                **{name: data.get(name) for name in self.DATES})

    def summary(self, filters: DashboardFilters) -> list[str]:
        """The filters in words, for the line above the results."""
        found = [f"Search: {filters.search}"] if filters.search else []
        for name in self.CHOICES:
            value = getattr(filters, name)
            if value:
                found.append(f"{self.fields[name].label}: {dict(self.fields[name].choices)[value]}")
        for name, words in (("received_from", "Received on or after"),
                            ("received_to", "Received on or before")):
            if getattr(filters, name):
                found.append(f"{words} {govuk_date(getattr(filters, name))}")
        return found


def dashboard_query(filters: DashboardFilters) -> list[tuple[str, str]]:
    """The filters as query parameters (for the export link)."""
    params = [(name, value) for name, value in (
        ("q", filters.search), *((name, getattr(filters, name)) for name in DashboardFilterForm.CHOICES))
        if value]
    for name in DashboardFilterForm.DATES:
        value = getattr(filters, name)
        if value:
            params += [(f"{name}-{part}", getattr(value, part)) for part in ("day", "month", "year")]
    return params


CountsYearForm = one_or_every("year", label="Financial year", every="Every year",
                              message="Select a financial year from the list")
