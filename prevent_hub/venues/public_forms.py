"""The questions of the public booking request, and the booker's own forms
(changing, withdrawing, appealing, a lost link).

One form per page (govuk.questions). Field names are the VenueBooking
fields they fill (`services.BOOKING_FIELDS`), so a page's answers go into
the draft's data as JSON (the room by its id, dates as ISO strings, times as
HH:MM) and from there into `booking_submit`. Maximum lengths are the model's.

The same page forms serve a change to a booking: `answers` is then the
booking as it stands with the changes so far, and `booking` the booking
itself, which does not clash with its own time.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.govuk.forms import govuk_date_field
from prevent_hub.govuk.questions import (
    Page,
    QuestionPageForm,
    email_field,
    phone_field,
    radio_field,
    text_field,
)

from .availability import free_days_after, free_slots, unavailable_because
from .models import Admission, Appeal, BookingCapacity, EqualityPolicy, Room, Speaker, VenueBooking
from .services import SPEAKERS_MAX


def _max_length(name, model=VenueBooking):
    return model._meta.get_field(name).max_length


def _text(name, label, *, model=VenueBooking, **kwargs):
    return text_field(label, max_length=_max_length(name, model), **kwargs)


class TimeOfDayField(forms.TimeField):
    """A time typed as people write them: 18:00, 18.00, 1800, 6pm or 6:30pm."""

    input_formats = ["%H:%M", "%H.%M", "%H%M", "%H", "%I%p", "%I:%M%p", "%I.%M%p"]

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).lower()
            value = {"midday": "12:00", "noon": "12:00", "midnight": "00:00"}.get(value, value)
        return super().to_python(value)


def _time(label, *, what):
    return TimeOfDayField(
        label=label, help_text="Use the 24-hour clock, for example 09:30 or 18:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"govuk": {"classes": "govuk-input--width-5"}}),
        error_messages={"required": f"Enter the {what}",
                        "invalid": f"Enter the {what} as a time of day, like 09:30 or 18:00"})


class BookingPageForm(QuestionPageForm):
    """A page of the booking request, or one of the booker's forms. The
    request asks for a website, the usual honeypot's name."""

    honeypot_field = "homepage"


def room_in(answers: dict) -> Room | None:
    """The room the answers name, if it still exists."""
    room_id = answers.get("room")
    if not isinstance(room_id, int):
        return None
    return Room.objects.select_related("venue").filter(pk=room_id).first()


# The booking request's pages --------------------------------------------------------------


class RoomForm(BookingPageForm):
    room = forms.TypedChoiceField(
        label="Which room do you want to book?", coerce=int, empty_value=None,
        widget=forms.RadioSelect(attrs={"govuk": {"fieldset": {"legend": {
            "classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select the room you want to book",
                        "invalid_choice": "Select one of the rooms listed"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = Room.objects.filter(active=True, venue__active=True).select_related("venue")
        field = self.fields["room"]
        field.choices = [(room.pk, f"{room.name}, {room.venue.name}") for room in rooms]
        field.govuk = {"items": {str(room.pk): {"hint": {
            "text": f"Holds up to {room.capacity:,} people. {' '.join(room.venue.address.split())}"}}
            for room in rooms}}


@dataclass(frozen=True)
class FreeTime:
    """When the room is free instead: on the day asked for and the days after."""

    day: datetime.date
    slots: list
    days_after: list


class DateAndTimeForm(BookingPageForm):
    event_date = govuk_date_field("Date of the event")
    starts_at = _time("Start time", what="start time")
    ends_at = _time("End time", what="end time")

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking
        self.unavailable_on = None

    def clean_rules(self, cleaned):
        day, starts_at, ends_at = (cleaned.get(name) for name in ("event_date", "starts_at", "ends_at"))
        if None in (day, starts_at, ends_at):
            return
        if starts_at >= ends_at:
            self.add_error("ends_at", "The end time must be after the start time")
            return
        room = room_in(self.answers)
        if room is None:
            return  # the room page says what is missing
        because = unavailable_because(room, day, starts_at, ends_at, exclude=self.booking)
        if because:
            self.add_error("event_date", because)
            self.unavailable_on = (room, day)

    def free_time(self) -> FreeTime | None:
        """When the room is free instead, if the time asked for is not."""
        if self.unavailable_on is None:
            return None
        room, day = self.unavailable_on
        if day <= timezone.localdate() or day > datetime.date.max - datetime.timedelta(days=30):
            return None
        return FreeTime(day=day, slots=free_slots(room, day, exclude=self.booking),
                        days_after=free_days_after(room, day, exclude=self.booking))


class AboutYouForm(BookingPageForm):
    booker_name = _text("booker_name", "Your full name", what="Your name", required=True,
                        required_message="Enter your full name", autocomplete="name", spellcheck=False,
                        width="govuk-!-width-two-thirds")
    booker_other_names = _text(
        "booker_other_names", "Other names you use or have used (optional)", what="Other names",
        hint="For example, a previous name or a name you are known by.", textarea=True, rows=2,
        spellcheck=False)
    booker_email = email_field(
        "Email address", max_length=_max_length("booker_email"), what="Your email address", required=True,
        hint="We will send your reference, and a link to see and change your booking, to this address.")
    booker_phone = phone_field("Telephone number (optional)", max_length=_max_length("booker_phone"),
                               what="Your telephone number", autocomplete="tel")
    booker_address = _text("booker_address", "Your address", what="Your address", required=True,
                           textarea=True, rows=3)


_CHARITY = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9\- ]*$")
_COMPANY = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


class OrganisationForm(BookingPageForm):
    organisation_name = _text(
        "organisation_name", "Name of your organisation (optional)", what="The organisation’s name",
        hint="Leave this blank if you are booking as an individual.", autocomplete="organization",
        width="govuk-!-width-two-thirds")
    booking_capacity = radio_field(
        "Who are you booking for?", [
            (BookingCapacity.OWN, "Myself, or my own organisation"),
            (BookingCapacity.ON_BEHALF, "Another organisation, on its behalf"),
            (BookingCapacity.JOINTLY, "My organisation jointly with another organisation")],
        message="Select who you are booking for")
    other_organisation_name = _text(
        "other_organisation_name", "Name of the other organisation, if there is one",
        what="The other organisation’s name", width="govuk-!-width-two-thirds",
        required_message="Enter the name of the organisation you are booking for or with")
    website = forms.URLField(
        label="Website (optional)", required=False, max_length=_max_length("website"), assume_scheme="https",
        help_text="The organisation’s website, if it has one.",
        widget=forms.URLInput(attrs={"spellcheck": "false",
                                     "govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={"invalid": "Enter the website address in the correct format, like www.example.org",
                        "max_length": f"The website address must be {_max_length('website')} characters "
                                      "or fewer"})
    charity_number = _text(
        "charity_number", "Charity Commission registration number (optional)", what="The charity number",
        hint="If the organisation is a registered charity.", width="govuk-input--width-10", spellcheck=False)
    company_number = _text(
        "company_number", "Companies House number (optional)", what="The company number",
        hint="If the organisation is a registered company.", width="govuk-input--width-10", spellcheck=False)
    equality_policy = radio_field(
        "Does the organisation have an equality policy?", [
            (EqualityPolicy.HAS_ONE, "Yes, it has its own equality policy"),
            (EqualityPolicy.WILL_SIGN, "No, but we will sign up to the council’s equality policy")],
        message="Select whether you have an equality policy or will sign up to the council’s",
        hint="If you are booking as an individual, choose the council’s.")

    def clean_charity_number(self):
        value = " ".join(self.cleaned_data.get("charity_number", "").split()).upper()
        if value and not _CHARITY.match(value):
            raise ValidationError("Enter the charity number as the register shows it, like 1234567 or "
                                  "SC012345", code="invalid")
        return value

    def clean_company_number(self):
        value = "".join(self.cleaned_data.get("company_number", "").split()).upper()
        if value.isdigit() and len(value) < 8:
            value = value.zfill(8)  # as Companies House writes it
        if value and not _COMPANY.match(value):
            raise ValidationError("Enter a Companies House number of 8 characters, like 01234567 or "
                                  "SC123456", code="invalid")
        return value

    def clean_rules(self, cleaned):
        capacity = cleaned.get("booking_capacity")
        if capacity and capacity != BookingCapacity.OWN and not cleaned.get("other_organisation_name") \
                and not self.has_error("other_organisation_name"):
            self.add_error("other_organisation_name", "Enter the name of the organisation you are booking "
                                                      "for or with")

    def to_data(self):
        data = super().to_data()
        if data.get("booking_capacity") == BookingCapacity.OWN:
            data["other_organisation_name"] = ""
        return data


class EventForm(BookingPageForm):
    title = _text("title", "Title of the event", what="The title", required=True,
                  required_message="Enter the title of the event", width="govuk-!-width-two-thirds")
    theme = _text("theme", "Theme or subject (optional)", what="The theme", width="govuk-!-width-two-thirds")
    agenda = _text("agenda", "Agenda", what="The agenda", required=True,
                   required_message="Enter the agenda", textarea=True, rows=6,
                   hint="What will happen at the event, in order, with rough times.")
    expected_audience = forms.IntegerField(
        label="How many people do you expect?", min_value=1, max_value=100_000,
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-5",
                                                  "suffix": {"text": "people"}}}),
        error_messages={"required": "Enter how many people you expect",
                        "invalid": "Enter how many people you expect as a whole number, like 30",
                        "min_value": "Enter how many people you expect, 1 or more",
                        "max_value": "Enter how many people you expect, 100,000 or fewer"})
    audience_description = _text(
        "audience_description", "Who is the event for?", what="Who the event is for", required=True,
        textarea=True, rows=3,
        hint="For example, members of a reading group, families with young children, or anyone interested "
             "in local history.")
    admission = radio_field("How will people get in?", Admission.choices,
                        message="Select whether the event is open, ticketed or by invitation only")

    def clean_rules(self, cleaned):
        room, audience = room_in(self.answers), cleaned.get("expected_audience")
        if room is not None and audience and audience > room.capacity:
            self.add_error("expected_audience", f"{room} holds up to {room.capacity:,} people. Expect fewer "
                                                "people or choose a larger room")


class PromotionForm(BookingPageForm):
    promotion = _text(
        "promotion", "How will you promote the event?", what="How you will promote the event", required=True,
        textarea=True, rows=4,
        hint="For example, posters in the venue, leaflets, a social media post or an email to members. If "
             "you will not promote it, say so.")


REQUEST_PAGES = [
    Page("venue-and-room", "Venue and room", RoomForm),
    Page("date-and-time", "Date and time", DateAndTimeForm),
    Page("about-you", "About you", AboutYouForm),
    Page("your-organisation", "Your organisation", OrganisationForm),
    Page("the-event", "About the event", EventForm),
    Page("promotion", "Promoting the event", PromotionForm),
    # Pages of their own kind, with views of their own.
    Page("promotion-files", "Posters, leaflets and online posts", None),
    Page("speakers", "Speakers", None),
    Page("booking-conditions", "Booking conditions", None),
]
PAGE_BY_SLUG = {page.slug: page for page in REQUEST_PAGES}
# Answers a draft holds besides the page forms' fields.
DRAFT_EXTRAS = ("files_done", "speakers", "speakers_none", "conditions_version")
DRAFT_FIELDS = {*(name for page in REQUEST_PAGES for name in page.fields), *DRAFT_EXTRAS}
# The pages a booker may change once the request is sent.
CHANGE_PAGES = {slug: PAGE_BY_SLUG[slug] for slug in ("venue-and-room", "date-and-time", "the-event")}


def page_of(field: str) -> Page | None:
    """The page that asks for `field` (a service names the field it refuses)."""
    if field == "speakers":
        return PAGE_BY_SLUG["speakers"]
    if field == "conditions":
        return PAGE_BY_SLUG["booking-conditions"]
    return next((page for page in REQUEST_PAGES if field in page.fields), None)


# Pages of their own kind ------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files chosen at once."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else single(None, initial)
        return [single(data, initial)]


class PromotionFilesForm(BookingPageForm):
    files = MultipleFileField(
        label="Upload files", required=True,
        help_text="You can choose more than one file at a time.",
        widget=MultipleFileInput(attrs={
            "multiple": True,
            "accept": ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png,.gif,application/pdf,image/jpeg,image/png,"
                      "image/gif,application/msword,application/vnd.oasis.opendocument.text,"
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }),
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"})


class SpeakerForm(BookingPageForm):
    name = _text("name", "Speaker’s full name", model=Speaker, what="The speaker’s name", required=True,
                 required_message="Enter the speaker’s full name", spellcheck=False,
                 width="govuk-!-width-two-thirds")
    organisation = _text("organisation", "Organisation they represent (optional)", model=Speaker,
                         what="Their organisation", width="govuk-!-width-two-thirds")
    topic = _text("topic", "What will they speak about?", model=Speaker, what="What they will speak about",
                  required=True, textarea=True, rows=3)


class AddSpeakerForm(BookingPageForm):
    """The speakers page's question: add a speaker, or carry on."""

    add = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"govuk": {"classes": "govuk-radios--inline", "fieldset": {
            "legend": {"classes": "govuk-fieldset__legend--m"}}}}))

    def __init__(self, *args, speakers=0, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["add"]
        if speakers:
            field.label = "Do you need to add another speaker?"
            message = "Select yes if you need to add another speaker"
        else:
            field.label = "Will anyone speak at the event?"
            field.help_text = "Anyone giving a talk, leading a session or performing."
            message = "Select yes if anyone will speak at the event"
        field.error_messages = {"required": message, "invalid_choice": message}
        if speakers >= SPEAKERS_MAX:
            field.choices = [("no", "No")]
            field.help_text = f"You have named {SPEAKERS_MAX} speakers, as many as a booking can have."


class ConditionsForm(BookingPageForm):
    accept = forms.BooleanField(
        label="I have read the booking conditions and I accept them",
        error_messages={"required": "Confirm that you have read and accept the booking conditions"})


class ResumeLinkForm(BookingPageForm):
    email = email_field(
        "Email address", max_length=254, what="An email address", required=True,
        hint="We will send a link to this address. The email does not include anything you have written.")


class SubmitForm(BookingPageForm):
    """A confirmation button (send the request, send the changes): only the
    honeypot to check."""


# The booker's own forms -------------------------------------------------------------------


_REFERENCE = re.compile(r"^VEN-\d{4}-\d{6}$")


class LostLinkForm(BookingPageForm):
    reference = forms.CharField(
        label="Booking reference", max_length=20, help_text="For example, VEN-2026-000123",
        widget=forms.TextInput(attrs={"spellcheck": "false", "govuk": {"classes": "govuk-input--width-20"}}),
        error_messages={"required": "Enter your booking reference",
                        "max_length": "Enter the booking reference as it is written, like VEN-2026-000123"})
    email = email_field("Email address", max_length=254, what="The email address", required=True,
                        hint="The address you gave when you asked to book.")

    def clean_reference(self):
        value = "".join(self.cleaned_data.get("reference", "").split()).upper()
        if not _REFERENCE.match(value):
            raise ValidationError("Enter the booking reference as it is written, like VEN-2026-000123",
                                  code="invalid")
        return value


class WithdrawForm(BookingPageForm):
    reason = _text("end_reason", "Why are you withdrawing? (optional)", what="Your reason", textarea=True,
                   rows=3, hint="This helps us, but you do not have to say.")


class AppealForm(BookingPageForm):
    grounds = _text("grounds", "Why do you think the decision is wrong?", model=Appeal, what="Your reasons",
                    required=True, required_message="Enter why you think the decision is wrong",
                    textarea=True, rows=8,
                    hint="Say which part of the decision you disagree with and why. You can include "
                         "anything you think we did not know.")
