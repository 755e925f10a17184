"""A referral's reporting details at triage: the summary card on its page,
the page that records them, the reminder on the gateway outcome page and the
columns of the queue export."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.administration.tests.helpers import HOSTILE, banner_text, error_summary, input_value
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import Referral, ReferralStatus

from .factories import PublicReferralFactory, ReferralFactory

pytestmark = pytest.mark.django_db

BEFORE_NEW_SCHEME = timezone.make_aware(datetime.datetime(2024, 3, 12, 10, 0))


@pytest.fixture
def coordinator(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")


@pytest.fixture
def police(staff_client):
    return staff_client(Role.POLICE_PRACTITIONER, full_name="Pat Officer")


def page_url(referral):
    return reverse("triage:referral", kwargs={"reference": referral.reference})


def edit_url(referral):
    return reverse("triage:reporting-details", kwargs={"reference": referral.reference})


def outcome_url(referral):
    return reverse("triage:gateway-outcome", kwargs={"reference": referral.reference})


def shared(**fields):
    return ReferralFactory(received_at=timezone.now() - datetime.timedelta(days=3),
                           status=ReferralStatus.AWAITING_GATEWAY,
                           police_shared_at=timezone.now() - datetime.timedelta(days=2),
                           police_shared_method="phone", **fields)


def card(response):
    """(rows, change link) of the reporting details card."""
    soup = BeautifulSoup(response.content, "html5lib")
    found = soup.select_one("#reporting-details")
    assert found is not None, "no reporting details card"
    assert found.select_one(".govuk-summary-card__title").get_text(strip=True) == "Reporting details"
    rows = {row.select_one(".govuk-summary-list__key").get_text(" ", strip=True):
            row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
            for row in found.select(".govuk-summary-list__row")}
    link = found.select_one(".govuk-summary-card__actions a")
    return rows, (link["href"] if link else None)


def radio_options(response, name) -> list[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html5lib")
    return [(radio["value"], soup.select_one(f'label[for="{radio["id"]}"]').get_text(" ", strip=True))
            for radio in soup.select(f'input[type=radio][name="{name}"]')]


def checked_value(response, name):
    soup = BeautifulSoup(response.content, "html5lib")
    radio = soup.select_one(f'input[type=radio][name="{name}"][checked]')
    return radio["value"] if radio else None


FULL = {
    "sector": "education", "concern_type": "extreme_right_wing", "reported_gender": "male",
    "ethnicity": "white", "age_at_referral": "15", "mental_health_or_neurodiversity": "yes",
}


def reporting(referral):
    referral.refresh_from_db()
    return {field: getattr(referral, field) for field in FULL}


# The summary card --------------------------------------------------------------------------------


def test_the_card_shows_not_yet_recorded_and_a_change_link_for_coordinators(coordinator):
    referral = ReferralFactory()
    rows, change = card(coordinator.get(page_url(referral)))
    assert rows == {
        "Sector of referral": "Not yet recorded", "Type of concern": "Not yet recorded",
        "Gender": "Not yet recorded", "Ethnicity": "Not yet recorded",
        "Age at referral": "Not yet recorded", "Mental health or neurodiversity": "Not yet recorded",
    }
    assert change == edit_url(referral)


def test_the_card_shows_recorded_details_by_their_labels(coordinator):
    referral = ReferralFactory(sector="health", concern_type="no_ideology_identified",
                               reported_gender="female", ethnicity="black", age_at_referral=17,
                               mental_health_or_neurodiversity="no")
    rows, _ = card(coordinator.get(page_url(referral)))
    assert rows == {
        "Sector of referral": "Health", "Type of concern": "No ideology identified", "Gender": "Female",
        "Ethnicity": "Black, Black British, Caribbean or African", "Age at referral": "17",
        "Mental health or neurodiversity": "No",
    }


def test_an_old_scheme_concern_on_a_recent_referral_is_labelled_as_such(coordinator):
    referral = ReferralFactory(concern_type="no_risk")
    rows, _ = card(coordinator.get(page_url(referral)))
    assert rows["Type of concern"] == ("No risk, vulnerability or ideology present "
                                       "(earlier category, used until 31 March 2024)")


def test_police_see_the_card_read_only_and_only_on_shared_referrals(police):
    assert police.get(page_url(ReferralFactory(concern_type="islamist"))).status_code == 404
    referral = shared(concern_type="islamist")
    rows, change = card(police.get(page_url(referral)))
    assert rows["Type of concern"] == "Islamist"
    assert change is None
    assert edit_url(referral) not in police.get(page_url(referral)).content.decode()


# Who may record them ----------------------------------------------------------------------------


def test_coordinators_record_the_details_and_see_them_on_return(coordinator):
    referral = shared()
    response = coordinator.get(edit_url(referral))
    assert response.status_code == 200
    assert checked_value(response, "concern_type") == ""
    response = coordinator.post(edit_url(referral), FULL, follow=True)
    assert response.redirect_chain[-1][0] == page_url(referral) + "#reporting-details"
    assert banner_text(response).endswith(f"Reporting details saved for {referral.reference}")
    assert reporting(referral) == {**FULL, "age_at_referral": 15}
    rows, _ = card(response)
    assert rows["Type of concern"] == "Extreme right-wing"
    assert rows["Age at referral"] == "15"


@pytest.mark.parametrize("role", [
    Role.POLICE_PRACTITIONER, Role.CHANNEL_CHAIR, Role.PANEL_MEMBER, Role.AUDITOR,
    Role.INTERVENTION_PROVIDER, Role.DATA_PROTECTION_OFFICER, Role.SYSTEM_ADMINISTRATOR,
])
def test_other_roles_may_not_record_them(staff_client, role):
    client = staff_client(role)
    referral = shared()
    assert client.get(edit_url(referral)).status_code == 403
    assert client.post(edit_url(referral), FULL).status_code == 403
    assert reporting(referral)["concern_type"] == ""


def test_an_unknown_reference_is_not_found(coordinator):
    url = reverse("triage:reporting-details", kwargs={"reference": "PRV-2026-999999"})
    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, FULL).status_code == 404


# What the page offers ----------------------------------------------------------------------------


def test_the_page_offers_the_categories_in_force_in_order_and_explains_itself(coordinator):
    referral = ReferralFactory()
    response = coordinator.get(edit_url(referral))
    html = response.content.decode()
    assert "counted in the national Prevent statistics" in html
    assert "never works them out" in html
    concerns = [code for code, _ in radio_options(response, "concern_type")]
    assert concerns == ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                        "no_ideology_identified", "no_ideology_other_susceptibility", "other", ""]
    assert [code for code, _ in radio_options(response, "sector")] == [
        "education", "police", "local_authority", "health", "community", "friends_and_family", "prisons",
        "probation", "other", ""]
    assert [code for code, _ in radio_options(response, "reported_gender")] == [
        "male", "female", "other", "not_known", ""]
    assert [code for code, _ in radio_options(response, "ethnicity")] == [
        "white", "mixed", "asian", "black", "other", "not_known", ""]
    assert [code for code, _ in radio_options(response, "mental_health_or_neurodiversity")] == [
        "yes", "no", "not_known", ""]
    assert radio_options(response, "sector")[-1][1] == "Not yet recorded"
    assert 'name="age_at_referral"' in html


def test_the_page_starts_from_what_is_recorded(coordinator):
    referral = ReferralFactory(sector="education", concern_type="conflicted", age_at_referral=14,
                               subject_date_of_birth=datetime.date(2011, 5, 1))
    response = coordinator.get(edit_url(referral))
    assert checked_value(response, "sector") == "education"
    assert checked_value(response, "concern_type") == "conflicted"
    assert checked_value(response, "ethnicity") == ""
    assert input_value(response, "age_at_referral") == "14"
    assert "The referral gives date of birth 1 May 2011." in response.content.decode()


def test_a_referral_received_before_april_2024_uses_the_old_concern_categories(coordinator):
    referral = ReferralFactory(received_at=BEFORE_NEW_SCHEME)
    response = coordinator.get(edit_url(referral))
    concerns = [code for code, _ in radio_options(response, "concern_type")]
    assert concerns == ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                        "no_ideology_vulnerability", "no_risk", "high_ct_risk_no_ideology", "other", ""]
    assert "(12 March 2024)" in response.content.decode()

    response = coordinator.post(edit_url(referral), {**FULL, "concern_type": "no_ideology_identified"})
    assert error_summary(response) == ["Select the type of concern from the list"]
    assert reporting(referral)["concern_type"] == ""

    response = coordinator.post(edit_url(referral), {**FULL, "concern_type": "high_ct_risk_no_ideology"})
    assert response.status_code == 302
    assert reporting(referral)["concern_type"] == "high_ct_risk_no_ideology"
    rows, _ = card(coordinator.get(page_url(referral)))
    assert rows["Type of concern"] == "High counter-terrorism risk but no ideology present"


def test_an_old_scheme_code_already_recorded_stays_selectable_and_labelled(coordinator):
    referral = ReferralFactory(concern_type="no_ideology_vulnerability")
    response = coordinator.get(edit_url(referral))
    options = dict(radio_options(response, "concern_type"))
    assert options["no_ideology_vulnerability"] == (
        "No ideology or counter-terrorism risk, vulnerability present "
        "(earlier category, used until 31 March 2024)")
    assert checked_value(response, "concern_type") == "no_ideology_vulnerability"
    # Other ended categories are not offered for a referral of this year.
    assert "no_risk" not in options
    # Saving other answers keeps it.
    response = coordinator.post(edit_url(referral), {**FULL, "concern_type": "no_ideology_vulnerability"})
    assert response.status_code == 302
    assert reporting(referral)["concern_type"] == "no_ideology_vulnerability"
    response = coordinator.post(edit_url(referral), {**FULL, "concern_type": "no_risk"})
    assert error_summary(response) == ["Select the type of concern from the list"]


def test_an_answer_can_be_put_back_to_not_yet_recorded(coordinator):
    referral = ReferralFactory(concern_type="islamist", age_at_referral=16)
    response = coordinator.post(edit_url(referral), {"concern_type": "", "age_at_referral": ""})
    assert response.status_code == 302
    assert reporting(referral)["concern_type"] == ""
    assert reporting(referral)["age_at_referral"] is None


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("sector", "schools", "Select the sector of referral from the list"),
    ("sector", HOSTILE, "Select the sector of referral from the list"),
    ("concern_type", "'; DROP TABLE referrals_referral; --", "Select the type of concern from the list"),
    ("reported_gender", "m", "Select the gender from the list"),
    ("ethnicity", "white" * 100, "Select the ethnicity from the list"),
    ("mental_health_or_neurodiversity", "maybe",
     "Select the answer about mental health or neurodiversity from the list"),
    ("age_at_referral", "fifteen", "Age at referral must be a whole number, like 15"),
    ("age_at_referral", "15.5", "Age at referral must be a whole number, like 15"),
    ("age_at_referral", HOSTILE, "Age at referral must be a whole number, like 15"),
    ("age_at_referral", "-1", "Age at referral must be 0 or more"),
    ("age_at_referral", "121", "Age at referral must be 120 or less"),
    ("age_at_referral", "9" * 5000, "Age at referral must be 120 or less"),
])
def test_bad_answers_are_refused_with_the_input_kept_and_nothing_changed(coordinator, field, value, message):
    referral = ReferralFactory(sector="health")
    response = coordinator.post(edit_url(referral), {**FULL, field: value})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    html = response.content.decode()
    assert HOSTILE not in html
    assert reporting(referral) == {"sector": "health", "concern_type": "", "reported_gender": "",
                                   "ethnicity": "", "age_at_referral": None,
                                   "mental_health_or_neurodiversity": ""}
    # What was chosen elsewhere on the page stays chosen.
    if field != "concern_type":
        assert checked_value(response, "concern_type") == "extreme_right_wing"
    if field == "age_at_referral" and len(value) < 100:
        assert input_value(response, "age_at_referral") == value
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_extra_fields_are_ignored(coordinator):
    referral = ReferralFactory()
    response = coordinator.post(edit_url(referral), {**FULL, "external_reference": "X-1",
                                                     "status": "decided", "gateway_outcome": "channel"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.external_reference, referral.status, referral.gateway_outcome) == (None, "new", "")


def test_a_double_submit_changes_nothing_the_second_time(coordinator):
    referral = ReferralFactory()
    assert "saved" in banner_text(coordinator.post(edit_url(referral), FULL, follow=True))
    response = coordinator.post(edit_url(referral), FULL, follow=True)
    assert "were not changed" in banner_text(response)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(referral.pk)).count() == 1


# Audit ---------------------------------------------------------------------------------------------


def test_the_change_is_audited_by_field_name_only(coordinator):
    referral = ReferralFactory(sector="education")
    coordinator.post(edit_url(referral), FULL)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(referral.pk))
    assert event.actor == coordinator.user
    assert event.object_type == "referrals.referral"
    assert sorted(event.changed_fields) == ["age_at_referral", "concern_type", "ethnicity",
                                            "mental_health_or_neurodiversity", "reported_gender"]
    recorded = repr(event.details) + repr(event.changed_fields)
    for value in ("extreme_right_wing", "white", "male", "15"):
        assert value not in recorded


def test_opening_the_page_is_audited_as_a_view(coordinator):
    referral = ReferralFactory()
    coordinator.get(edit_url(referral))
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("pk")
    assert (event.object_type, event.object_id) == ("referrals.referral", str(referral.pk))


# The gateway outcome page ---------------------------------------------------------------------------


def test_the_gateway_page_reminds_when_the_type_of_concern_is_not_recorded(coordinator, police):
    referral = shared()
    html = coordinator.get(outcome_url(referral)).content.decode()
    assert "The type of concern is not yet recorded" in html
    assert edit_url(referral) in html
    html = police.get(outcome_url(referral)).content.decode()
    assert "The type of concern is not yet recorded" in html
    assert "A Prevent coordinator should record it" in html
    assert edit_url(referral) not in html
    # The reminder never blocks the outcome.
    response = police.post(outcome_url(referral), {
        "outcome": "no_further_action", "reasons": "Fictional reasons",
        "decided_on-day": timezone.localdate().day, "decided_on-month": timezone.localdate().month,
        "decided_on-year": timezone.localdate().year})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECIDED


def test_no_reminder_once_the_type_of_concern_is_recorded(coordinator):
    referral = shared(concern_type="left_wing")
    html = coordinator.get(outcome_url(referral)).content.decode()
    assert "The type of concern is not yet recorded" not in html


# The queue export -----------------------------------------------------------------------------------


def test_the_queue_export_has_the_reporting_codes(coordinator):
    ReferralFactory(sector="education", concern_type="islamist", reported_gender="female", ethnicity="asian",
                    age_at_referral=16, mental_health_or_neurodiversity="not_known",
                    received_at=timezone.now() - datetime.timedelta(hours=2))
    PublicReferralFactory(received_at=timezone.now() - datetime.timedelta(hours=1))
    response = coordinator.get(reverse("triage:export"), {"tab": "new"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][-6:] == ["Sector of referral (code)", "Type of concern (code)", "Gender (code)",
                             "Ethnicity (code)", "Age at referral", "Mental health or neurodiversity (code)"]
    assert table[1][-6:] == ["education", "islamist", "female", "asian", "16", "not_known"]
    assert table[2][-6:] == ["", "", "", "", "", ""]
