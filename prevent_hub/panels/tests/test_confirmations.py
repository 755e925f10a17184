"""What a chair is asked to confirm before going on: a meeting on a weekend
or a bank holiday, a notice with an empty agenda. Unconfirmed, nothing is
saved or sent and what was typed stays; confirmed, it goes ahead."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.core.models import BankHoliday
from prevent_hub.panels.models import PanelMeeting
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2027, 6, 9)
SATURDAY = datetime.date(2027, 6, 12)
SUNDAY = datetime.date(2027, 6, 13)
WARNING = ".govuk-warning-text"


@pytest.fixture
def chair(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    client.panel = PanelFactory(chair=client.user)
    return client


def _schedule(client, day, **extra):
    return client.post(reverse("panels:meeting-schedule"), {
        "panel": client.panel.pk, "date-day": day.day, "date-month": day.month, "date-year": day.year,
        "start_time": "14:30", "location": "Fictional Room 4", **extra})


def _page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def test_a_weekday_meeting_is_scheduled_without_a_question(chair):
    response = _schedule(chair, WEDNESDAY)
    meeting = PanelMeeting.objects.get()
    assert response["Location"] == reverse("panels:meeting", kwargs={"pk": meeting.pk})
    assert meeting.date == WEDNESDAY


@pytest.mark.parametrize(("day", "said"), [
    (SATURDAY, "12 June 2027 is a Saturday."),
    (SUNDAY, "13 June 2027 is a Sunday."),
])
def test_a_weekend_meeting_is_asked_about_and_not_saved(chair, day, said):
    page = _page(_schedule(chair, day))
    assert said in page.select_one(WARNING).get_text()
    assert page.title.get_text().startswith("Check the date: Schedule a panel meeting")
    assert not PanelMeeting.objects.exists()
    # Everything typed is still there, and the box to confirm is not ticked for them.
    assert page.select_one("#id_date-day")["value"] == str(day.day)
    assert page.select_one("#id_start_time")["value"] == "14:30"
    assert page.select_one("#id_location")["value"] == "Fictional Room 4"
    box = page.find("input", attrs={"name": "confirm_day"})
    assert box["value"] == day.isoformat() and not box.has_attr("checked")
    assert page.find("label", attrs={"for": box["id"]}).get_text(strip=True) == (
        f"Yes, schedule it on {day.day} June 2027")


def test_a_bank_holiday_in_the_data_is_asked_about(chair):
    BankHoliday.objects.update_or_create(date=WEDNESDAY, defaults={"title": "Fictional extra bank holiday"})
    page = _page(_schedule(chair, WEDNESDAY))
    assert ("9 June 2027 is a bank holiday (Fictional extra bank holiday)."
            in page.select_one(WARNING).get_text())
    assert not PanelMeeting.objects.exists()


def test_confirming_the_day_schedules_the_meeting(chair):
    _schedule(chair, SATURDAY)
    response = _schedule(chair, SATURDAY, confirm_day=SATURDAY.isoformat())
    meeting = PanelMeeting.objects.get()
    assert response["Location"] == reverse("panels:meeting", kwargs={"pk": meeting.pk})
    assert (meeting.date, meeting.location) == (SATURDAY, "Fictional Room 4")


def test_a_confirmation_is_for_the_date_it_was_given_for(chair):
    # Ticked for the Saturday, then the date changed to the Sunday: asked again.
    page = _page(_schedule(chair, SUNDAY, confirm_day=SATURDAY.isoformat()))
    assert "13 June 2027 is a Sunday." in page.select_one(WARNING).get_text()
    assert not page.find("input", attrs={"name": "confirm_day"}).has_attr("checked")
    assert not PanelMeeting.objects.exists()
    # Changed to a working day instead: no question, and it is saved.
    _schedule(chair, WEDNESDAY, confirm_day=SATURDAY.isoformat())
    assert PanelMeeting.objects.get().date == WEDNESDAY


def test_no_question_when_the_form_has_other_errors(chair):
    page = _page(_schedule(chair, SATURDAY, start_time=""))
    assert page.select_one(".govuk-error-summary") is not None
    assert page.select_one(WARNING) is None


# The notice with an empty agenda ----------------------------------------------------------


def test_sending_the_notice_of_an_empty_agenda_is_asked_about_first(chair, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    meeting = PanelMeetingFactory(panel=chair.panel)
    url = reverse("panels:notice", kwargs={"pk": meeting.pk})
    page = _page(chair.post(url))
    assert ("The agenda is empty: the notice will say there is nothing to discuss yet."
            in page.select_one(WARNING).get_text())
    assert page.h1.get_text(strip=True) == "Send the notice with an empty agenda?"
    assert mailoutbox == []
    assert PanelMeeting.objects.get(pk=meeting.pk).notice_sent_at is None

    # The button on that page sends it.
    form = page.select_one("main form")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    with django_capture_on_commit_callbacks(execute=True):
        sent = chair.post(url, data, follow=True)
    assert "The notice is being emailed to 1 person. It says the agenda is empty" in sent.content.decode()
    assert [message.to for message in mailoutbox] == [[chair.user.email]]
    assert "there is nothing to discuss yet" in mailoutbox[0].body
    assert PanelMeeting.objects.get(pk=meeting.pk).notice_sent_at is not None
