"""Filters above a list or a table of counts. They are sent by GET, so a
filtered page can be linked to and works without JavaScript.

`FilterForm` reads a list's filters (bound only when one was sent, wrong
ones left out and explained) and lays them out in rows of one or two
fields, drawn by govuk/forms/filters.html with its "Apply filters" button
and a "Clear filters" link. `one_or_every` makes the form of a page that shows
everything or one of a list (counts for every venue or one; for every
financial year or one).
"""

from django import forms


class FilterForm:
    """Mixed into a list's filter form, before forms.Form. LAYOUT: the
    fields in rows (tuples of names; one field fills its row, two share it).
    DATE_RANGES: (from, to, label) date fields whose range must not end
    before it starts."""

    LAYOUT: tuple[tuple[str, ...], ...] = ()
    DATE_RANGES: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def parameters(cls) -> list[str]:
        """The query parameters the fields are sent as (a date's day, month and year)."""
        found = []
        for name in (name for row in cls.LAYOUT for name in row):
            parts = getattr(cls.base_fields[name].widget, "parts", None)
            found += [f"{name}-{part}" for part in parts] if parts else [name]
        return found

    @classmethod
    def from_request(cls, request, **kwargs):
        """Bound only when a filter was sent, so an unfiltered list shows no errors."""
        filtered = any(name in request.GET for name in cls.parameters())
        return cls(request.GET if filtered else None, **kwargs)

    def rows(self) -> list[list]:
        return [[self[name] for name in row] for row in self.LAYOUT]

    def clean(self):
        cleaned = super().clean()
        for start, end, label in self.DATE_RANGES:
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, f"{label} to must be the same as or after {label.lower()} from")
        return cleaned

    def valid_data(self) -> dict:
        """The values of the fields that are valid ({} when nothing was sent):
        a filter that is wrong is left out, and the form says why."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class OneOrEvery(forms.Form):
    """One of `choices` ((value, text) pairs, the values whole numbers), or
    every one when nothing is chosen. Made by `one_or_every`."""

    field_name = ""
    every = ""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.field_name].choices = [("", self.every),
                                                *((str(value), text) for value, text in choices)]

    @classmethod
    def from_request(cls, request, **kwargs):
        """Bound only when a choice was sent (a page first shows everything)."""
        return cls(request.GET if cls.field_name in request.GET else None, **kwargs)

    def chosen(self) -> int | None:
        value = self.cleaned_data[self.field_name] if self.is_valid() else ""
        return int(value) if value else None


def one_or_every(field_name: str, *, label: str, every: str, message: str) -> type[OneOrEvery]:
    """A OneOrEvery form whose field is `field_name`: `every` is the empty
    choice's text, `message` what a value not in the list is told."""
    field = forms.ChoiceField(label=label, required=False, error_messages={"invalid_choice": message})
    return type(f"{field_name.title()}OrEveryForm", (OneOrEvery,),
                {field_name: field, "field_name": field_name, "every": every})
