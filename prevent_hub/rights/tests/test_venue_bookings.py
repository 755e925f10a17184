"""A booker or speaker asks for their data: the venue bookings that name
them are found by a search, linked by hand, and their bundle holds each
booking with everything about it."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.rights import services
from prevent_hub.rights.bundle import bundle_build
from prevent_hub.venues.tests.factories import officer, populated_booking, venue_with_room

from .factories import dpo, request_logged, request_verified

pytestmark = pytest.mark.django_db


def _sections(document) -> dict[str, int]:
    return {section["key"]: len(section["items"]) for section in document["sections"]}


def test_a_bundle_for_a_booker_with_no_person_record_holds_their_booking_and_everything_about_it():
    booking = populated_booking()
    request = request_verified(requester_name="Alex Example-Booker")
    with pytest.raises(ValidationError, match="venue bookings or complaints that name them"):
        services.bundle_prepare(request=request, acting_user=request.logged_by)
    services.rights_request_venue_booking_link(request=request, booking=booking,
                                               acting_user=request.logged_by)
    bundle = services.bundle_prepare(request=request, acting_user=request.logged_by)
    found = _sections(bundle.document)
    assert found["venues.venuebooking"] == 1
    assert found["venues.speaker"] == 1
    assert found["venues.bookingcheck"] == booking.checks.count() > 0
    assert found["venues.checkevidence"] == 2 and found["venues.bookingdecision"] == 1
    assert found["venues.appeal"] == found["venues.letter"] == found["venues.bookingchange"] == 1
    assert found["people.person"] == 0
    fields = {f["key"]: f["value"] for f in bundle.document["sections"][
        [s["key"] for s in bundle.document["sections"]].index("venues.venuebooking")]["items"][0]["fields"]}
    assert fields["booker_name"] == "Alex Example-Booker" and fields["reference"] == booking.reference
    assert "booker_token_hash" not in fields and "submission_key" not in fields
    # Who looked at the booking is in the bundle too.
    assert found["audit.auditevent"] > 0


def test_a_bundle_without_linked_bookings_reads_no_venue_booking():
    populated_booking()
    document = bundle_build(person_id=None, venue_booking_ids=[])
    assert all(count == 0 for key, count in _sections(document).items() if key.startswith("venues."))


def test_linking_twice_unlinking_and_linking_to_other_kinds_of_request_are_refused():
    booking = populated_booking()
    request = request_verified()
    services.rights_request_venue_booking_link(request=request, booking=booking,
                                               acting_user=request.logged_by)
    with pytest.raises(ValidationError, match="already linked"):
        services.rights_request_venue_booking_link(request=request, booking=booking,
                                                   acting_user=request.logged_by)
    services.rights_request_venue_booking_link(request=request, booking=booking, unlink=True,
                                               acting_user=request.logged_by)
    assert not request.venue_booking_links.exists()
    erasure = request_logged(kind="erasure")
    with pytest.raises(ValidationError, match="only to a subject access request"):
        services.rights_request_venue_booking_link(request=erasure, booking=booking,
                                                   acting_user=erasure.logged_by)


def test_the_officer_searches_links_and_unlinks_on_the_page_and_the_search_is_audited():
    room = venue_with_room(acting_user=officer())[1]
    from prevent_hub.venues.tests.factories import booking_submitted

    booking = booking_submitted(room)
    booking_submitted(room, key="other", booker_name="Someone Else-Entirely", speakers=[],
                      starts_at=booking.starts_at.replace(hour=10), ends_at=booking.ends_at.replace(hour=11))
    officer_of_data = dpo()
    request = request_verified(by=officer_of_data)
    client = Client()
    sign_in(client, officer_of_data)
    url = reverse("rights:request-venue-bookings", kwargs={"pk": request.pk})
    page = client.get(url, {"search": "1", "name": "<b>Example-Booker</b>"})
    assert page.status_code == 200
    assert "No booking found" in page.content.decode()
    page = client.get(url, {"search": "1", "name": "example-booker"})
    rows = BeautifulSoup(page.content, "html5lib").select("tbody tr")
    assert [row.find("td").get_text(" ", strip=True).split()[0] for row in rows] == [booking.reference]
    search = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="venues.venuebooking").last()
    assert search.details["request"] == request.reference and "example" not in str(search.details).lower()

    linked = client.post(url, {"reference": booking.reference}, follow=True)
    assert f"Booking {booking.reference} linked" in linked.content.decode()
    assert list(request.venue_booking_links.values_list("booking_id", flat=True)) == [booking.pk]
    refused = client.post(url, {"reference": "VEN-1999-999999"})
    assert "Choose a booking from the list" in refused.content.decode()
    client.post(url, {"reference": booking.reference, "unlink": "on"})
    assert not request.venue_booking_links.exists()
