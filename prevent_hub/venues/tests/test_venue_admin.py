"""Venue booking officers' administration pages: venues, rooms, opening
hours, closures, booking conditions and letter templates. Who reaches them,
what a change does, and what bad input gets back."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.venues import services
from prevent_hub.venues.models import (
    BookingConditions,
    BookingStatus,
    Closure,
    LetterTemplate,
    OpeningHours,
    Room,
    Venue,
)

from .factories import booking_submitted, next_weekday, venue_with_room

pytestmark = pytest.mark.django_db

OFFICER = Role.VENUE_BOOKING_OFFICER
HOSTILE = "<script>alert('fictional')</script> Hall"


def officer_client(staff_client):
    return staff_client(OFFICER)


def page_text(response) -> str:
    return BeautifulSoup(response.content, "html5lib").get_text(" ", strip=True)


def error_summary(response) -> str:
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def value_of(response, name) -> str:
    soup = BeautifulSoup(response.content, "html5lib")
    found = soup.find(attrs={"name": name})
    return found.get("value", "") if found.name == "input" else found.get_text()


@pytest.fixture
def hall(staff_client):
    client = officer_client(staff_client)
    venue, room = venue_with_room(acting_user=client.user, name="Testford Example Hall")
    return client, venue, room


# Who reaches the pages -----------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_venue_booking_officers_manage_venues(staff_client, role):
    venue, _room = venue_with_room(acting_user=None, name="Testford Role Hall")
    client = staff_client(role)
    for path in (reverse("venues:venues"), reverse("venues:venue", kwargs={"pk": venue.pk}),
                 reverse("venues:conditions"), reverse("venues:letters")):
        assert client.get(path).status_code == (200 if role == OFFICER else 403), (role, path)


def test_the_prevent_lead_sees_no_venues_link_on_the_dashboard_but_an_officer_does(staff_client):
    lead = staff_client(Role.PREVENT_COORDINATOR).get(reverse("venues:dashboard"))
    officer = officer_client(staff_client).get(reverse("venues:dashboard"))
    assert reverse("venues:venues") not in lead.content.decode()
    assert reverse("venues:venues") in officer.content.decode()


# Venues -------------------------------------------------------------------------------------


def test_adding_a_venue_is_audited_and_leads_to_its_page(staff_client):
    client = officer_client(staff_client)
    response = client.post(reverse("venues:venue-new"), {
        "name": "Testford Fictional Library", "kind": "library", "address": "3 Example Lane\nTestford"})
    venue = Venue.objects.get(name="Testford Fictional Library")
    assert response["Location"] == reverse("venues:venue", kwargs={"pk": venue.pk})
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="venues.venue",
                                     object_id=str(venue.pk), actor=client.user).exists()
    page = client.get(response["Location"])
    assert "No rooms yet" in page_text(page) and "Monday Closed" in page_text(page)


def test_a_venue_with_what_is_missing_keeps_what_was_typed(staff_client):
    response = officer_client(staff_client).post(reverse("venues:venue-new"), {
        "name": "Testford Half Typed Centre", "kind": "", "address": ""})
    assert response.status_code == 200
    assert "Select the type of venue" in error_summary(response)
    assert "Enter the venue's address" in error_summary(response)
    assert value_of(response, "name") == "Testford Half Typed Centre"
    assert not Venue.objects.exists()


def test_hostile_venue_input_is_refused_or_shown_as_text(staff_client):
    client = officer_client(staff_client)
    huge = client.post(reverse("venues:venue-new"), {"name": "x" * 201, "kind": "castle",
                                                     "address": "y" * 50_000})
    assert "Name of the venue must be 200 characters or fewer" in error_summary(huge)
    assert "Select the type of venue" in error_summary(huge)
    assert "Address must be 500 characters or fewer" in error_summary(huge)
    client.post(reverse("venues:venue-new"), {"name": HOSTILE, "kind": "museum", "address": "1 Road"})
    listed = client.get(reverse("venues:venues")).content.decode()
    assert "&lt;script&gt;alert(" in listed and "<script>alert(" not in listed


def test_a_double_submitted_venue_is_added_once(staff_client):
    client = officer_client(staff_client)
    data = {"name": "Testford Double Click Hall", "kind": "community_centre", "address": "4 Example Road"}
    assert client.post(reverse("venues:venue-new"), data).status_code == 302
    again = client.post(reverse("venues:venue-new"), data)
    assert "There is already a venue with this name" in error_summary(again)
    assert Venue.objects.filter(name="Testford Double Click Hall").count() == 1


def test_a_venue_stops_taking_bookings_and_keeps_its_name_unique(hall):
    client, venue, _room = hall
    Venue.objects.create(name="Testford Other Hall", kind="other", address="5 Example Road")
    url = reverse("venues:venue-edit", kwargs={"pk": venue.pk})
    assert value_of(client.get(url), "name") == venue.name
    clash = client.post(url, {"name": "testford other hall", "kind": "library", "address": venue.address,
                              "active": "on"})
    assert "There is already a venue with this name" in error_summary(clash)
    response = client.post(url, {"name": venue.name, "kind": "library", "address": venue.address})
    assert response.status_code == 302
    venue.refresh_from_db()
    assert not venue.active
    assert "This venue is not taking bookings" in page_text(client.get(response["Location"]))


# Rooms --------------------------------------------------------------------------------------


def test_rooms_are_added_and_changed(hall):
    client, venue, room = hall
    added = client.post(reverse("venues:room-new", kwargs={"pk": venue.pk}), {"name": "Fictional Studio",
                                                                            "capacity": "12"})
    assert added.status_code == 302
    assert Room.objects.get(venue=venue, name="Fictional Studio").capacity == 12
    changed = client.post(reverse("venues:room-edit", kwargs={"pk": venue.pk, "room_pk": room.pk}),
                          {"name": room.name, "capacity": "30"})
    assert changed.status_code == 302
    room.refresh_from_db()
    assert room.capacity == 30 and not room.active


@pytest.mark.parametrize(("capacity", "message"), [
    ("forty", "Enter the capacity as a whole number of people"),
    ("0", "The capacity must be 1 person or more"),
    ("-3", "The capacity must be 1 person or more"),
    ("1000000000000", "The capacity must be 100,000 people or fewer"),
    ("2.5", "Enter the capacity as a whole number of people"),
    ("", "Enter the room's capacity"),
])
def test_a_room_capacity_must_be_a_sensible_whole_number(hall, capacity, message):
    client, venue, _room = hall
    response = client.post(reverse("venues:room-new", kwargs={"pk": venue.pk}),
                           {"name": "Fictional Annexe", "capacity": capacity})
    assert message in error_summary(response)
    assert value_of(response, "name") == "Fictional Annexe"


def test_a_room_name_is_unique_in_its_venue_and_a_room_of_another_venue_is_not_found(hall):
    client, venue, room = hall
    response = client.post(reverse("venues:room-new", kwargs={"pk": venue.pk}),
                           {"name": room.name.upper(), "capacity": "5"})
    assert "already has a room with this name" in error_summary(response)
    other, _ = venue_with_room(acting_user=client.user, name="Testford Elsewhere Hall", room_name="Far Room")
    assert client.get(reverse("venues:room-edit", kwargs={"pk": other.pk, "room_pk": room.pk})).status_code \
        == 404


# Opening hours ------------------------------------------------------------------------------


def hours_data(**overrides):
    data = {}
    for day in range(7):
        if day < 5:
            data |= {f"opens_{day}": "09:00", f"closes_{day}": "17:30"}
        else:
            data[f"closed_{day}"] = "on"
    return data | overrides


def test_opening_hours_are_set_day_by_day(hall):
    client, venue, _room = hall
    url = reverse("venues:opening-hours", kwargs={"pk": venue.pk})
    assert value_of(client.get(url), "opens_0") == "09:00"
    response = client.post(url, hours_data(opens_2="10.15"))
    assert response.status_code == 302
    hours = {row.weekday: (row.opens, row.closes) for row in OpeningHours.objects.filter(venue=venue)}
    assert sorted(hours) == [0, 1, 2, 3, 4]
    assert hours[2] == (datetime.time(10, 15), datetime.time(17, 30))
    assert "Saturday Closed" in page_text(client.get(response["Location"]))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"opens_0": "25:00"}, "Enter the time the venue opens on Mondays as hours and minutes, like 09:00"),
    ({"closes_1": "half five"}, "Enter the time the venue closes on Tuesdays as hours and minutes"),
    ({"opens_2": ""}, "Enter the time the venue opens on Wednesdays, or tick closed all day"),
    ({"opens_3": "18:00", "closes_3": "08:00"}, "The closing time must be after the opening time"),
    ({"opens_4": "9" * 5000}, "Enter the time the venue opens on Fridays as hours and minutes"),
])
def test_bad_opening_hours_are_refused_with_what_was_typed_kept(hall, overrides, message):
    client, venue, _room = hall
    before = list(OpeningHours.objects.filter(venue=venue).values_list("weekday", "opens", "closes"))
    response = client.post(reverse("venues:opening-hours", kwargs={"pk": venue.pk}), hours_data(**overrides))
    assert response.status_code == 200
    assert message in error_summary(response)
    for name, typed in overrides.items():
        assert value_of(response, name) == typed
    assert list(OpeningHours.objects.filter(venue=venue).values_list("weekday", "opens", "closes")) == before


# Closures -----------------------------------------------------------------------------------


def closure_data(first, last, **overrides):
    return {"room": "", "starts_on-day": first.day, "starts_on-month": first.month,
            "starts_on-year": first.year, "ends_on-day": last.day, "ends_on-month": last.month,
            "ends_on-year": last.year,
            "reason": "Fictional refurbishment", **overrides}


def test_a_closure_over_bookings_lists_them_to_act_on(hall):
    client, venue, room = hall
    other = services.room_create(venue=venue, name="Fictional Side Room", capacity=40,
                                 acting_user=client.user)
    day = next_weekday(2)
    held = booking_submitted(room, key="held", event_date=day)
    elsewhere = booking_submitted(other, key="other-room", event_date=day, title="Chess club")
    withdrawn = booking_submitted(room, key="withdrawn", event_date=day, starts_at=datetime.time(10),
                                  ends_at=datetime.time(11))
    services.booking_withdraw(booking=withdrawn, reason="Fictional change of plan")
    response = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}),
                           closure_data(day, day, room=str(room.pk)))
    closure = Closure.objects.get(venue=venue)
    assert closure.room == room
    assert response["Location"] == reverse("venues:closure",
                                           kwargs={"pk": venue.pk, "closure_pk": closure.pk})
    page = client.get(response["Location"])
    text = page_text(page)
    assert "1 booking still holds a room on these days" in text
    assert held.reference in text
    assert elsewhere.reference not in text and withdrawn.reference not in text
    assert reverse("venues:booking", kwargs={"reference": held.reference}) in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="venues.venuebooking",
                                     details__list="bookings during a closure").exists()


def test_a_closure_with_its_days_reversed_is_refused(hall):
    client, venue, _room = hall
    first = next_weekday(2)
    response = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}),
                           closure_data(first, first - datetime.timedelta(days=3)))
    assert "The last day of the closure must be the same as or after the first" in error_summary(response)
    assert value_of(response, "reason") == "Fictional refurbishment"
    assert not Closure.objects.exists()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"room": "999999"}, "Select the whole venue or one of its rooms"),
    ({"room": "a room"}, "Select the whole venue or one of its rooms"),
    ({"starts_on-day": "31", "starts_on-month": "2"}, "First day of the closure must be a real date"),
    ({"ends_on-year": "26"}, "Last day of the closure year must include 4 numbers"),
    ({"reason": ""}, "Enter why the venue is closed"),
    ({"reason": "r" * 201}, "Why is it closed? must be 200 characters or fewer"),
])
def test_bad_closures_are_refused(hall, overrides, message):
    client, venue, _room = hall
    day = next_weekday(2)
    response = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}),
                           closure_data(day, day, **overrides))
    assert message in error_summary(response)
    assert not Closure.objects.exists()


def test_a_room_of_another_venue_cannot_be_closed_here(hall):
    client, venue, _room = hall
    _other, far_room = venue_with_room(acting_user=client.user, name="Testford Far Hall",
                                       room_name="Far Room")
    day = next_weekday(2)
    response = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}),
                           closure_data(day, day, room=str(far_room.pk)))
    assert "Select the whole venue or one of its rooms" in error_summary(response)


def test_a_double_submitted_closure_is_added_once(hall):
    client, venue, _room = hall
    day = next_weekday(2)
    first = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}), closure_data(day, day))
    second = client.post(reverse("venues:closure-new", kwargs={"pk": venue.pk}), closure_data(day, day))
    assert first["Location"] == second["Location"]
    assert Closure.objects.count() == 1


def test_removing_a_closure_asks_first_and_is_audited(hall):
    client, venue, _room = hall
    closure = services.closure_add(venue=venue, starts_on=next_weekday(2), ends_on=next_weekday(2),
                                   reason="Fictional flood", acting_user=client.user)
    url = reverse("venues:closure-remove", kwargs={"pk": venue.pk, "closure_pk": closure.pk})
    assert "Remove this closure?" in page_text(client.get(url))
    assert Closure.objects.exists()
    response = client.post(url, {})
    assert response["Location"] == reverse("venues:venue", kwargs={"pk": venue.pk})
    assert not Closure.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="venues.closure",
                                     object_id=str(closure.pk)).exists()
    assert client.post(url, {}).status_code == 404


# Booking conditions -------------------------------------------------------------------------


def conditions_data(clauses, **overrides):
    data = {"based_on": "1", "clause_count": str(len(clauses)), "introduction": "Fictional introduction",
            "change_summary": "Fictional: clause 2 reworded"}
    for index, (number, heading, text) in enumerate(clauses, start=1):
        data |= {f"number_{index}": number, f"heading_{index}": heading, f"text_{index}": text}
    return data | overrides


CLAUSES = [("1", "Accurate information", "Fictional text one."), ("2", "Changes", "Fictional text two.")]


def test_the_conditions_page_shows_the_current_version_and_every_earlier_one(staff_client):
    client = officer_client(staff_client)
    services.conditions_publish(introduction="", clauses=CLAUSES, change_summary="Fictional: shorter",
                                acting_user=client.user)
    text = page_text(client.get(reverse("venues:conditions")))
    assert "Version 2, published" in text and client.user.full_name in text
    assert "Version 1" in text and "loaded with the service" in text
    assert "Fictional: shorter" in text and "Fictional text two." in text
    first = page_text(client.get(reverse("venues:conditions-version", kwargs={"version": 1})))
    assert "An earlier version" in first and "Refusal and cancellation" in first
    assert client.get(reverse("venues:conditions-version", kwargs={"version": 99})).status_code == 404


def test_publishing_starts_from_the_current_clauses_and_makes_a_new_version(staff_client):
    client = officer_client(staff_client)
    url = reverse("venues:conditions-publish")
    form = client.get(url)
    current = BookingConditions.objects.get(version=1).clauses.all()
    assert value_of(form, "heading_3") == current[2].heading
    assert value_of(form, "clause_count") == str(len(current))
    response = client.post(url, conditions_data([*CLAUSES, ("", "", "")]))
    assert response["Location"] == reverse("venues:conditions")
    published = BookingConditions.objects.get(version=2)
    assert [(c.number, c.heading, c.text) for c in published.clauses.all()] == CLAUSES
    assert published.published_by == client.user
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="venues.bookingconditions",
                                     object_id=str(published.pk)).exists()


def test_adding_a_clause_keeps_what_was_typed_and_saves_nothing(staff_client):
    client = officer_client(staff_client)
    response = client.post(reverse("venues:conditions-publish"),
                           conditions_data(CLAUSES, add_clause="yes", heading_2="Typed, not saved"))
    assert response.status_code == 200 and not error_summary(response)
    assert value_of(response, "heading_2") == "Typed, not saved"
    assert value_of(response, "clause_count") == "3" and value_of(response, "heading_3") == ""
    assert BookingConditions.objects.count() == 1


@pytest.mark.parametrize(("clauses", "message"), [
    ([("1", "Heading", "")], "Enter the text of clause 1, or clear the whole clause to leave it out"),
    ([("", "Heading", "Text")], "Enter the number of clause 1"),
    ([("4", "One", "Text"), ("4", "Two", "Text")], "Clause 2 has the same number as clause 1"),
    ([("", "", "")], "Enter at least one clause"),
    ([("12345678901", "Heading", "Text")], "The number of clause 1 must be 10 characters or fewer"),
    ([("1", "Heading", "t" * 5001)], "The text of clause 1 must be 5,000 characters or fewer"),
])
def test_bad_clauses_are_refused_with_what_was_typed_kept(staff_client, clauses, message):
    response = officer_client(staff_client).post(reverse("venues:conditions-publish"),
                                                 conditions_data(clauses))
    assert message in error_summary(response)
    assert value_of(response, "heading_1") == clauses[0][1]
    assert BookingConditions.objects.count() == 1


def test_a_change_summary_is_needed(staff_client):
    response = officer_client(staff_client).post(reverse("venues:conditions-publish"),
                                                 conditions_data(CLAUSES, change_summary=" "))
    assert "Say what has changed from the previous version" in error_summary(response)


def test_a_double_submitted_version_is_published_once(staff_client):
    client = officer_client(staff_client)
    assert client.post(reverse("venues:conditions-publish"), conditions_data(CLAUSES)).status_code == 302
    again = client.post(reverse("venues:conditions-publish"), conditions_data(CLAUSES))
    assert "Version 2 of the booking conditions was published while you were writing yours" \
        in error_summary(again)
    assert BookingConditions.objects.count() == 2


def test_a_hostile_clause_count_and_html_in_clauses_are_harmless(staff_client):
    client = officer_client(staff_client)
    huge = client.post(reverse("venues:conditions-publish"),
                       conditions_data(CLAUSES, clause_count="99999999"))
    assert huge.status_code == 302
    assert BookingConditions.objects.get(version=2).clauses.count() == 2
    client.post(reverse("venues:conditions-publish"), conditions_data(
        [("1", HOSTILE, "<b>bold</b>")], based_on="2"))
    page = client.get(reverse("venues:conditions")).content.decode()
    assert "&lt;script&gt;" in page and "<script>alert(" not in page and "&lt;b&gt;bold" in page


# Letter templates ---------------------------------------------------------------------------


def test_the_six_letters_are_listed_and_edited_with_their_placeholders(staff_client):
    client = officer_client(staff_client)
    listed = page_text(client.get(reverse("venues:letters")))
    for label in ("Approval", "Approval with conditions", "Refusal", "Appeal upheld", "Appeal dismissed",
                  "Cancellation"):
        assert label in listed
    url = reverse("venues:letter-edit", kwargs={"kind": "refusal"})
    form = client.get(url)
    assert "$booker_name" in page_text(form) and "$appeal_by" in page_text(form)
    response = client.post(url, {"subject": "Booking $reference refused",
                                 "body": "Dear $booker_name\n\nFictional wording. It costs $$0.\n\n$reasons"})
    assert response["Location"] == reverse("venues:letters")
    template = LetterTemplate.objects.get(kind="refusal")
    assert template.subject == "Booking $reference refused" and template.updated_by == client.user


@pytest.mark.parametrize(("body", "message"), [
    ("Dear $booker_shoe_size", "These placeholders are not known: $booker_shoe_size"),
    ("It costs $5", "Write placeholders as $name, and a dollar sign as $$"),
    ("", "Enter the letter's wording"),
    ("w" * 20_001, "Wording of the letter must be 20,000 characters or fewer"),
])
def test_letters_with_unknown_placeholders_are_refused(staff_client, body, message):
    client = officer_client(staff_client)
    before = LetterTemplate.objects.get(kind="approval").body
    response = client.post(reverse("venues:letter-edit", kwargs={"kind": "approval"}),
                           {"subject": "Fictional subject", "body": body})
    assert message in error_summary(response)
    assert value_of(response, "subject") == "Fictional subject"
    assert LetterTemplate.objects.get(kind="approval").body == before


def test_a_letter_that_is_not_one_of_the_six_is_not_found(staff_client):
    response = officer_client(staff_client).get(reverse("venues:letter-edit", kwargs={"kind": "invoice"}))
    assert response.status_code == 404


def test_the_booking_status_tags_cover_every_status():
    from prevent_hub.venues.dashboard_views import STATUS_TAG

    assert set(STATUS_TAG) == set(BookingStatus)
