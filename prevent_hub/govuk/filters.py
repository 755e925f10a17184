"""Filters above a list or a table of counts. They are sent by GET, so a
filtered page can be linked to and works without JavaScript.

`FilterRows` lays a list's filters out in rows of one or two fields, drawn
by govuk/forms/filters.html with its "Apply filters" button and a "Clear
filters" link. `one_or_every` makes the form of a page that shows
everything or one of a list (counts for every venue or one; for every
financial year or one).
"""

from django import forms


class FilterRows:
    """A filter form's fields in rows (LAYOUT: tuples of field names): one
    field fills its row, two share it."""

    LAYOUT: tuple[tuple[str, ...], ...] = ()

    def rows(self) -> list[list]:
        return [[self[name] for name in row] for row in self.LAYOUT]


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
