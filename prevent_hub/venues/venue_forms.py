"""Forms for venue administration, the booking conditions, the letter
templates, the dashboard's filters and the calendars. They check what was
typed; the services check the rules and make the change."""

from django import forms
from django.utils.html import format_html

from prevent_hub.govuk.filters import FilterForm, one_or_every
from prevent_hub.govuk.forms import govuk_date_field

from .models import BookingStatus, VenueKind, Weekday
from .selectors import AWAITING, DashboardFilters

RADIOS = {"govuk": {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}
TIME_FORMATS = ["%H:%M", "%H.%M"]
# More clauses than any set of conditions needs: a posted count above it is
# not believed.
CLAUSES_MAX = 60


def _lower(label: str) -> str:
    return f"{label[:1].lower()}{label[1:]}"


def _line(label, *, max_length, required=True, help_text="", message="", classes=""):
    attrs = {"govuk": {"classes": classes}} if classes else {}
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": message or f"Enter the {_lower(label)}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _text(label, *, max_length, required=True, help_text="", message="", rows=5):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter the {_lower(label)}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _checkbox(label, help_text=""):
    return forms.BooleanField(label=label, required=False, help_text=help_text)


# Venues and rooms ------------------------------------------------------------------


class VenueForm(forms.Form):
    name = _line("Name of the venue", max_length=200, classes="govuk-!-width-two-thirds",
                 message="Enter the venue's name")
    kind = forms.ChoiceField(label="Type of venue", choices=VenueKind.choices,
                             widget=forms.RadioSelect(attrs=RADIOS),
                             error_messages={"required": "Select the type of venue",
                                             "invalid_choice": "Select the type of venue"})
    address = _text("Address", max_length=500, rows=4, message="Enter the venue's address",
                    help_text="As bookers should write it to find the venue, postcode included.")


class VenueChangeForm(VenueForm):
    active = _checkbox("Taking bookings",
                       help_text="Untick when the venue no longer takes bookings. Its bookings stay.")


class RoomForm(forms.Form):
    name = _line("Name of the room", max_length=200, classes="govuk-!-width-two-thirds",
                 message="Enter the room's name")
    capacity = forms.IntegerField(
        label="Capacity", min_value=1, max_value=100_000,
        help_text="The most people the room may hold.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "govuk": {"classes": "govuk-input--width-5",
                                                                        "suffix": {"text": "people"}}}),
        error_messages={"required": "Enter the room's capacity",
                        "invalid": "Enter the capacity as a whole number of people, like 40",
                        "min_value": "The capacity must be 1 person or more",
                        "max_value": "The capacity must be 100,000 people or fewer"})


class RoomChangeForm(RoomForm):
    active = _checkbox("Taking bookings",
                       help_text="Untick when the room can no longer be booked. Its bookings stay.")


# Opening hours -----------------------------------------------------------------------


def _time(day: str, what: str, verb: str):
    return forms.TimeField(
        label=format_html('<span class="govuk-visually-hidden">{} </span>{}', day, what),
        required=False, input_formats=TIME_FORMATS, help_text="For example, 09:00 or 17:30",
        widget=forms.TimeInput(format="%H:%M", attrs={"spellcheck": "false",
                                                      "govuk": {"classes": "govuk-input--width-5"}}),
        error_messages={"invalid": f"Enter the time the venue {verb} on {day}s as hours and minutes, "
                                   "like 09:00"})


class OpeningHoursForm(forms.Form):
    """Each day's opening and closing times, or closed all day."""

    def __init__(self, *args, hours: dict | None = None, **kwargs):
        initial = {}
        for weekday in Weekday:
            found = (hours or {}).get(weekday.value)
            initial[f"closed_{weekday.value}"] = found is None
            if found is not None:
                initial[f"opens_{weekday.value}"] = found.opens
                initial[f"closes_{weekday.value}"] = found.closes
        super().__init__(*args, initial=initial, **kwargs)
        for weekday in Weekday:
            day = weekday.label
            self.fields[f"opens_{weekday.value}"] = _time(day, "Opens", "opens")
            self.fields[f"closes_{weekday.value}"] = _time(day, "Closes", "closes")
            self.fields[f"closed_{weekday.value}"] = _checkbox(
                format_html('Closed all day<span class="govuk-visually-hidden"> on {}s</span>', day))

    def days(self):
        """(weekday, its three fields) for the page, a fieldset each."""
        return [(weekday, self[f"opens_{weekday.value}"], self[f"closes_{weekday.value}"],
                 self[f"closed_{weekday.value}"]) for weekday in Weekday]

    def clean(self):
        cleaned = super().clean()
        for weekday in Weekday:
            number, day = weekday.value, weekday.label
            if cleaned.get(f"closed_{number}"):
                continue
            for field, verb in (("opens", "opens"), ("closes", "closes")):
                name = f"{field}_{number}"
                if name not in self.errors and cleaned.get(name) is None:
                    self.add_error(name, f"Enter the time the venue {verb} on {day}s, or tick closed all day")
        return cleaned

    def hours(self) -> dict:
        """Weekday → (opens, closes), or None when closed all day."""
        data = self.cleaned_data
        return {weekday.value: None if data[f"closed_{weekday.value}"]
                else (data[f"opens_{weekday.value}"], data[f"closes_{weekday.value}"])
                for weekday in Weekday}


# Closures ------------------------------------------------------------------------------


class ClosureForm(forms.Form):
    room = forms.ChoiceField(label="What is closed?", required=False,
                             error_messages={"invalid_choice": "Select the whole venue or one of its rooms"})
    starts_on = govuk_date_field("First day of the closure")
    ends_on = govuk_date_field("Last day of the closure",
                               help_text="The same as the first day for a one-day closure. For example, "
                                         "27 3 2026")
    reason = _line("Why is it closed?", max_length=200, classes="govuk-!-width-two-thirds",
                   message="Enter why the venue is closed",
                   help_text="Shown on the calendar and to bookers who ask for these days, for example "
                             "‘Refurbishment’.")

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {str(room.pk): room for room in rooms}
        self.fields["room"].choices = [("", "The whole venue"),
                                       *((key, room.name) for key, room in self.rooms.items())]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day of the closure must be the same as or after the first")
        return cleaned

    def room_chosen(self):
        return self.rooms.get(self.cleaned_data["room"])


class ConfirmForm(forms.Form):
    """An "are you sure?" with nothing to fill in."""


# Booking conditions ----------------------------------------------------------------------


class ConditionsForm(forms.Form):
    """A new version of the booking conditions: the introduction, each
    clause (number, heading, text) and what changed. A clause left wholly
    blank is left out; "Add a clause" posts back with one more blank one."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clause_count = forms.IntegerField(widget=forms.HiddenInput, required=False)
    introduction = _text("Introduction (optional)", max_length=5000, required=False, rows=4,
                         help_text="Shown above the clauses.")
    change_summary = _text("What has changed", max_length=2000, rows=3,
                           message="Say what has changed from the previous version",
                           help_text="Shown with the new version, so officers and bookers can see what "
                                     "changed.")

    def __init__(self, *args, clause_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.clause_count = clause_count
        for index in range(1, clause_count + 1):
            fields = {
                "number": _line("Number", max_length=10, required=False, classes="govuk-input--width-4",
                                help_text="How decisions cite it, for example 3 or 3a."),
                "heading": _line("Heading", max_length=200, required=False),
                "text": _text("Text", max_length=5000, required=False, rows=4),
            }
            for part, field in fields.items():
                # Every clause has the same three labels: say which clause to
                # those who hear the label without its fieldset's legend.
                field.label = format_html('<span class="govuk-visually-hidden">Clause {} </span>{}', index,
                                          field.label)
                field.error_messages["max_length"] = (f"The {part} of clause {index} must be "
                                                      f"{field.max_length:,} characters or fewer")
                self.fields[f"{part}_{index}"] = field

    def clause_fields(self):
        return [(index, self[f"number_{index}"], self[f"heading_{index}"], self[f"text_{index}"])
                for index in range(1, self.clause_count + 1)]

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for index in range(1, self.clause_count + 1):
            names = [f"{part}_{index}" for part in ("number", "heading", "text")]
            if any(name in self.errors for name in names):
                continue
            values = [cleaned.get(name, "").strip() for name in names]
            if not any(values):
                continue
            for name, value, what in zip(names, values, ("number", "heading", "text"), strict=True):
                if not value:
                    self.add_error(name, f"Enter the {what} of clause {index}, or clear the whole clause "
                                         "to leave it out")
            number = values[0].casefold()
            if number and number in seen:
                self.add_error(names[0], f"Clause {index} has the same number as clause {seen[number]}: "
                                         "give every clause a different number")
            seen.setdefault(number, index)
        if not seen and not self.errors:
            self.add_error(None, "Enter at least one clause")
        return cleaned

    def clauses(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        found = [(data[f"number_{index}"], data[f"heading_{index}"], data[f"text_{index}"])
                 for index in range(1, self.clause_count + 1)]
        return [clause for clause in found if any(part.strip() for part in clause)]


def clause_count_posted(data, *, default: int) -> int:
    """How many clauses the posted form had (within 1 and CLAUSES_MAX)."""
    text = str(data.get("clause_count", "")).strip()
    count = int(text) if text.isdigit() and len(text) < 4 else default
    return max(1, min(count, CLAUSES_MAX))


# Letter templates ------------------------------------------------------------------------


class LetterTemplateForm(forms.Form):
    subject = _line("Subject", max_length=200, classes="govuk-!-width-full",
                    message="Enter the letter's subject")
    body = _text("Wording of the letter", max_length=20000, rows=18, message="Enter the letter's wording")


# The dashboard -----------------------------------------------------------------------------


STATUS_CHOICES = [("", "Any status"), (AWAITING, "Awaiting action (any status the council must act on)"),
                  *BookingStatus.choices]


class DashboardFilterForm(FilterForm, forms.Form):
    """The dashboard's filters, sent by GET so a filtered list can be linked to."""

    q = forms.CharField(label="Search", required=False, max_length=200,
                        help_text="A reference like VEN-2026-000123, or words from the event's title, the "
                                  "booker's name or the organisation's name",
                        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
                        error_messages={"max_length": "Search for 200 characters or fewer"})
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES,
                               error_messages={"invalid_choice": "Select a status from the list"})
    venue = forms.ChoiceField(label="Venue", required=False,
                              error_messages={"invalid_choice": "Select a venue from the list"})
    event_from = govuk_date_field("Event from", required=False)
    event_to = govuk_date_field("Event to", required=False)
    received_from = govuk_date_field("Received from", required=False)
    received_to = govuk_date_field("Received to", required=False)

    LAYOUT = (("q",), ("status", "venue"), ("event_from", "event_to"), ("received_from", "received_to"))
    DATE_RANGES = (("event_from", "event_to", "Event"), ("received_from", "received_to", "Received"))
    DATES = ("event_from", "event_to", "received_from", "received_to")

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [("", "Any venue"), *((str(venue.pk), venue.name) for venue in venues)]

    def filters(self) -> DashboardFilters:
        data = self.valid_data()
        return DashboardFilters(
            status=data.get("status") or "", venue_id=int(data["venue"]) if data.get("venue") else None,
            search=" ".join((data.get("q") or "").split()),
            **{name: data.get(name) for name in self.DATES})


def dashboard_query(filters: DashboardFilters) -> list[tuple[str, str]]:
    """The filters as query parameters (for the export link)."""
    params = [(name, value) for name, value in (("q", filters.search), ("status", filters.status),
                                                 ("venue", filters.venue_id or "")) if value]
    for name in DashboardFilterForm.DATES:
        value = getattr(filters, name)
        if value:
            params += [(f"{name}-day", value.day), (f"{name}-month", value.month),
                       (f"{name}-year", value.year)]
    return params


# One venue, or every venue (the quarterly counts).
VenueChoiceForm = one_or_every("venue", label="Venue", every="Every venue",
                               message="Select a venue from the list")


class CalendarRoomForm(forms.Form):
    """Which room of the venue a calendar shows (every room by default)."""

    room = forms.ChoiceField(label="Room", required=False,
                             error_messages={"invalid_choice": "Select a room from the list"})

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {str(room.pk): room for room in rooms}
        self.fields["room"].choices = [("", "Every room"),
                                       *((key, room.name) for key, room in self.rooms.items())]

    def room_chosen(self):
        return self.rooms.get(self.cleaned_data["room"]) if self.is_valid() else None
