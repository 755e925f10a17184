"""A referral's page, its attachments, and recording sharing with police and
the gateway outcome through the pages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.administration.tests.helpers import (
    HOSTILE,
    assert_escaped,
    banner_text,
    error_summary,
    input_value,
)
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import ChannelCase
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, PoliceSharingMethod, ReferralStatus

from .factories import TINY_PDF, ReferralAttachmentFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")


@pytest.fixture
def police(staff_client):
    return staff_client(Role.POLICE_PRACTITIONER, full_name="Pat Officer")


def page_url(referral):
    return reverse("triage:referral", kwargs={"reference": referral.reference})


def share_url(referral):
    return reverse("triage:share", kwargs={"reference": referral.reference})


def outcome_url(referral):
    return reverse("triage:gateway-outcome", kwargs={"reference": referral.reference})


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def shared(**fields):
    return ReferralFactory(received_at=hours_ago(72), status=ReferralStatus.AWAITING_GATEWAY,
                           police_shared_at=hours_ago(48), police_shared_method="phone", **fields)


def summary_rows(response) -> list[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html5lib")
    return [(row.select_one(".govuk-summary-list__key").get_text(" ", strip=True),
             row.select_one(".govuk-summary-list__value").get_text(" ", strip=True))
            for row in soup.select(".govuk-summary-list__row")]


def summary_values(response) -> dict[str, str]:
    """Each key's first value (keys like "Name" repeat in later sections)."""
    values = {}
    for key, value in summary_rows(response):
        values.setdefault(key, value)
    return values


def date_fields(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


# The referral page -------------------------------------------------------------------


def test_the_page_shows_every_section_escaped_and_is_audited(coordinator):
    referral = ReferralFactory(
        subject_given_name="Testina", subject_family_name=HOSTILE,
        concern_description="First line (fictional)\nSecond line",
        concern_prompts=["online_activity"],
    )
    response = coordinator.get(page_url(referral))
    html = response.content.decode()
    assert response.status_code == 200
    assert_escaped(html)
    assert "First line (fictional)<br>Second line" in html
    values = summary_values(response)
    assert values["Status"] == "New"
    assert values["First name"] == "Testina"
    assert values["Name"] == referral.referrer_name
    assert values["What the referrer says it involves"].startswith("Online activity")
    assert values["Working days since received"] == "Received today"
    assert "Not shared with police yet." in html
    assert reverse("triage:share", kwargs={"reference": referral.reference}) in html
    assert "Who has accessed this record" in html
    assert reverse("audit:record-access", kwargs={"object_type": "referrals.referral",
                                                  "object_id": referral.pk}) in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.object_type, event.object_id) == ("referrals.referral", str(referral.pk))


def test_an_unidentified_person_links_to_identifying_them(coordinator):
    referral = ReferralFactory()
    html = coordinator.get(page_url(referral)).content.decode()
    assert "Check for earlier referrals and identify the person" in html
    assert reverse("people:identify", kwargs={"reference": referral.reference}) in html


def test_an_identified_person_links_to_their_record_and_earlier_referrals(coordinator):
    person = PersonFactory(given_name="Testina", family_name="Example")
    earlier = ReferralFactory(person=person, received_at=hours_ago(24 * 200))
    referral = ReferralFactory(person=person)
    html = coordinator.get(page_url(referral)).content.decode()
    assert reverse("people:detail", kwargs={"pk": person.pk}) in html
    assert "Testina Example" in html
    assert page_url(earlier) in html
    assert "identify the person" not in html


def test_police_see_shared_referrals_only_and_no_access_log_link(police):
    assert police.get(page_url(ReferralFactory())).status_code == 404
    referral = shared()
    response = police.get(page_url(referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who has accessed this record" not in html
    assert outcome_url(referral) in html
    assert "identify the person" not in html


def test_an_unknown_reference_is_not_found(coordinator):
    response = coordinator.get(reverse("triage:referral", kwargs={"reference": "PRV-2026-999999"}))
    assert response.status_code == 404


def test_the_page_shows_the_clock_and_overdue(coordinator, settings):
    settings.TRIAGE_TARGET_WORKING_DAYS = 1
    referral = ReferralFactory(received_at=hours_ago(24 * 14))
    values = summary_values(coordinator.get(page_url(referral)))
    assert values["Triage target"].endswith("Overdue")
    assert values["Triage target"].startswith("1 working day from receipt")


def test_a_decided_referral_shows_how_long_the_outcome_took(coordinator):
    from prevent_hub.core.working_days import WorkingCalendar

    calendar = WorkingCalendar.load()
    received = calendar.nth_working_day_back(timezone.localdate(), 8)
    decided_on = calendar.add_working_days(received, 3)
    referral = ReferralFactory(
        received_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(10))),
        status=ReferralStatus.DECIDED, police_shared_at=timezone.now(),
        gateway_outcome=GatewayOutcome.NO_FURTHER_ACTION, gateway_decided_on=decided_on)
    values = summary_values(coordinator.get(page_url(referral)))
    assert values["Working days from receipt to the gateway outcome"] == "3 working days"
    assert "Working days since received" not in values


# Attachments ----------------------------------------------------------------------------


def attachment_url(referral, attachment):
    return reverse("triage:attachment", kwargs={"reference": referral.reference, "pk": attachment.pk})


def test_attachments_download_with_their_stored_type_and_are_audited(coordinator):
    referral = ReferralFactory()
    attachment = ReferralAttachmentFactory(referral=referral, draft=None, original_name="notes.pdf")
    html = coordinator.get(page_url(referral)).content.decode()
    assert attachment_url(referral, attachment) in html
    response = coordinator.get(attachment_url(referral, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "notes.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.object_type, event.object_id) == ("referrals.referral", str(referral.pk))
    assert event.details["attachment"] == attachment.pk


def test_attachments_need_the_referral_to_be_visible_and_to_match(coordinator, police):
    referral = ReferralFactory()
    attachment = ReferralAttachmentFactory(referral=referral, draft=None)
    assert police.get(attachment_url(referral, attachment)).status_code == 404
    other = ReferralFactory()
    assert coordinator.get(attachment_url(other, attachment)).status_code == 404
    draft_only = ReferralAttachmentFactory()
    assert coordinator.get(attachment_url(referral, draft_only)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


# Sharing with police ------------------------------------------------------------------------


def test_the_share_form_suggests_now(coordinator):
    referral = ReferralFactory(received_at=hours_ago(3))
    response = coordinator.get(share_url(referral))
    assert response.status_code == 200
    today = timezone.localdate()
    assert input_value(response, "shared_on-day") == str(today.day)
    assert input_value(response, "shared_time") == timezone.localtime().strftime("%H:%M")


def test_recording_sharing_shows_a_banner_and_the_record(coordinator):
    referral = ReferralFactory(received_at=hours_ago(30))
    when = timezone.localtime() - datetime.timedelta(hours=1)
    response = coordinator.post(share_url(referral), {
        **date_fields("shared_on", when.date()), "shared_time": when.strftime("%H:%M"),
        "method": PoliceSharingMethod.SECURE_EMAIL, "notes": "Sent to the unit (fictional)",
    }, follow=True)
    assert f"You recorded that {referral.reference} was shared with police" in banner_text(response)
    values = summary_values(response)
    assert values["Status"] == "Shared with police, awaiting gateway outcome"
    assert values["How"] == "Secure email"
    assert values["Recorded by"] == "Casey Coordinator"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_GATEWAY


def test_a_wrong_share_is_explained_and_what_was_typed_is_kept(coordinator):
    referral = ReferralFactory(received_at=hours_ago(3))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = coordinator.post(share_url(referral), {
        **date_fields("shared_on", tomorrow), "shared_time": "2:30pm", "notes": "Kept notes",
    })
    assert response.status_code == 200
    assert error_summary(response) == ["Select how the referral was shared"]
    assert input_value(response, "shared_time") == "2:30pm"
    assert input_value(response, "notes") == "Kept notes"

    response = coordinator.post(share_url(referral), {
        **date_fields("shared_on", tomorrow), "shared_time": "2:30pm", "method": "phone",
    })
    assert error_summary(response) == ["The date and time it was shared must be in the past"]
    html = response.content.decode()
    assert 'href="#id_shared_on-day"' in html

    response = coordinator.post(share_url(referral), {
        **date_fields("shared_on", timezone.localdate()), "shared_time": "25:00", "method": "phone",
    })
    assert error_summary(response) == ["Enter the time shared like 14:30 or 2:30pm"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW


def test_a_second_share_changes_nothing_and_says_so(coordinator):
    referral = ReferralFactory(received_at=hours_ago(30))
    when = timezone.localtime() - datetime.timedelta(hours=1)
    data = {**date_fields("shared_on", when.date()), "shared_time": when.strftime("%H:%M"),
            "method": "phone"}
    assert coordinator.post(share_url(referral), data).status_code == 302
    response = coordinator.post(share_url(referral), {**data, "method": "in_person"})
    assert response.status_code == 200
    assert "already shared with police" in error_summary(response)[0]
    referral.refresh_from_db()
    assert referral.police_shared_method == "phone"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 1
    # Opening the form again goes back to the referral.
    response = coordinator.get(share_url(referral), follow=True)
    assert "has already been shared with police" in banner_text(response)


def test_police_cannot_record_sharing(police):
    assert police.get(share_url(shared())).status_code == 403


# Gateway outcome ----------------------------------------------------------------------------


def outcome_data(outcome, **extra):
    return {"outcome": outcome, "reasons": "Reasons as the police gave them (fictional)",
            **date_fields("decided_on", timezone.localdate()), **extra}


def test_the_outcome_page_is_only_for_referrals_awaiting_it(coordinator):
    response = coordinator.get(outcome_url(ReferralFactory()), follow=True)
    assert "shared with police before recording" in banner_text(response)
    assert coordinator.get(outcome_url(shared())).status_code == 200


def test_signposting_asks_which_service(coordinator):
    referral = shared()
    response = coordinator.post(outcome_url(referral), outcome_data(GatewayOutcome.SIGNPOSTED))
    assert error_summary(response) == ["Enter the service the person was signposted to"]
    assert input_value(response, "reasons") == "Reasons as the police gave them (fictional)"
    response = coordinator.post(outcome_url(referral), outcome_data(
        GatewayOutcome.SIGNPOSTED, signposted_to="Early help"), follow=True)
    assert "signposted to other services" in banner_text(response)
    values = summary_values(response)
    assert values["Signposted to"] == "Early help"
    assert values["Reasons"] == "Reasons as the police gave them (fictional)"
    assert ("Recorded by", "Casey Coordinator") in summary_rows(response)


def test_proceed_to_channel_without_a_person_links_to_identifying_them(coordinator):
    referral = shared()
    response = coordinator.post(outcome_url(referral), outcome_data(GatewayOutcome.PROCEED_TO_CHANNEL))
    assert error_summary(response) == ["Identify the person before opening a Channel case"]
    identify = reverse("people:identify", kwargs={"reference": referral.reference})
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.select_one(".govuk-error-summary__list a")["href"] == identify
    assert not ChannelCase.objects.exists()


def test_proceed_to_channel_opens_the_case_and_the_coordinator_finds_it(coordinator):
    person = PersonFactory(given_name="Testina", family_name="Example")
    referral = shared(person=person)
    response = coordinator.post(outcome_url(referral), outcome_data(GatewayOutcome.PROCEED_TO_CHANNEL),
                                follow=True)
    case = ChannelCase.objects.get()
    assert f"Channel case {case.reference} has been opened" in banner_text(response)
    html = response.content.decode()
    case_href = reverse("channel:case-detail", kwargs={"pk": case.pk})
    assert f'href="{case_href}"' in html
    assert f"Channel case {case.reference}" in html
    assert "cannot be changed" in html
    assert outcome_url(referral) not in html
    case_page = coordinator.get(case_href).content.decode()
    assert case.reference in case_page and "Testina Example" in case_page


def test_police_record_the_outcome_too(police):
    referral = shared()
    response = police.post(outcome_url(referral), outcome_data(GatewayOutcome.POLICE_LED))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.gateway_outcome == GatewayOutcome.POLICE_LED
    assert referral.gateway_recorded_by == police.user


def test_police_cannot_record_an_outcome_for_a_referral_not_shared_with_them(police):
    assert police.post(outcome_url(ReferralFactory()), outcome_data("police_led")).status_code == 404


def test_a_recorded_outcome_is_read_only(coordinator):
    referral = shared()
    assert coordinator.post(outcome_url(referral), outcome_data(GatewayOutcome.NO_FURTHER_ACTION)
                            ).status_code == 302
    response = coordinator.post(outcome_url(referral), outcome_data(GatewayOutcome.POLICE_LED))
    assert "It cannot be changed" in error_summary(response)[0]
    response = coordinator.get(outcome_url(referral), follow=True)
    assert "cannot be changed" in banner_text(response)
    referral.refresh_from_db()
    assert referral.gateway_outcome == GatewayOutcome.NO_FURTHER_ACTION


def test_the_postcode_is_shown_in_the_standard_format(coordinator):
    referral = ReferralFactory(subject_postcode="ZZ991ZZ")
    html = coordinator.get(page_url(referral)).content.decode()
    text = " ".join(BeautifulSoup(html, "html5lib").get_text(" ").split())
    assert "Postcode ZZ99 1ZZ" in text and "ZZ991ZZ" not in text
