import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import consent as rules
from prevent_hub.channel.models import (
    CaseStatus,
    CaseTransition,
    ChronologyEntry,
    ChronologyKind,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
)
from prevent_hub.people.tests.factories import PersonFactory

from .factories import ChannelCaseFactory
from .factories_consent_support import ConsentFactory, adult_born, case_in_support, case_with_consent_given

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Casey Coordinator")


def adopted_case(date_of_birth):
    return ChannelCaseFactory(status=CaseStatus.ADOPTED,
                              person=PersonFactory(given_name="Testina", family_name="Example",
                                                   date_of_birth=date_of_birth))


def record(case, user, **overrides):
    values = {
        "case": case, "giver": ConsentGiver.PERSON, "asked_by": user, "method": ConsentMethod.IN_PERSON,
        "asked_on": TODAY, "acting_user": user, "today": TODAY,
    }
    values.update(overrides)
    return rules.consent_request_record(**values)


# Who may give consent ---------------------------------------------------------------


def test_a_child_cannot_consent_for_themselves(coordinator):
    case = adopted_case(datetime.date(2009, 6, 11))  # 17 on TODAY, 18 tomorrow
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, giver=ConsentGiver.PERSON)
    message = raised.value.message_dict["giver"][0]
    assert "under 18 on 10 June 2026" in message
    assert "A child cannot consent to Channel support themselves" in message
    assert not Consent.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.ADOPTED


def test_for_a_child_a_named_parent_or_guardian_is_asked(coordinator):
    case = adopted_case(datetime.date(2012, 1, 1))
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, giver=ConsentGiver.PARENT_OR_GUARDIAN)
    assert set(raised.value.message_dict) == {"giver_name", "giver_relationship"}

    consent = record(case, coordinator, giver=ConsentGiver.PARENT_OR_GUARDIAN, giver_name="Parentina Example",
                     giver_relationship="Mother", child_views="Keen to try mentoring.")
    assert consent.giver_name == "Parentina Example" and consent.giver_relationship == "Mother"
    assert consent.child_views == "Keen to try mentoring."
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_SOUGHT


def test_an_adult_must_consent_themselves(coordinator):
    case = adopted_case(datetime.date(2008, 6, 10))  # 18 exactly on TODAY
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, giver=ConsentGiver.PARENT_OR_GUARDIAN, giver_name="Parentina Example",
               giver_relationship="Mother")
    assert "18 or over on 10 June 2026, so they must give consent themselves" in (
        raised.value.message_dict["giver"][0])

    consent = record(case, coordinator, giver=ConsentGiver.PERSON,
                     capacity_notes="No concerns about capacity.")
    assert consent.giver_name == "Testina Example"
    assert consent.capacity_notes == "No concerns about capacity."


def test_age_is_worked_out_on_the_day_consent_was_asked(coordinator):
    case = adopted_case(datetime.date(2008, 6, 10))
    # Asked the day before their 18th birthday: still a child then.
    with pytest.raises(ValidationError, match="under 18 on 9 June 2026"):
        record(case, coordinator, asked_on=datetime.date(2026, 6, 9))


def test_a_leap_day_birthday_turns_18_on_1_march():
    assert rules.age_on(datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)) == 17
    assert rules.age_on(datetime.date(2008, 2, 29), datetime.date(2026, 3, 1)) == 18


def test_the_childs_views_are_not_recorded_for_an_adult(coordinator):
    case = adopted_case(adult_born())
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, child_views="Something")
    assert "child_views" in raised.value.message_dict


def test_unknown_date_of_birth_needs_the_age_group_confirmed(coordinator):
    case = adopted_case(None)
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator)
    assert set(raised.value.message_dict) == {"confirmed_age_group", "age_confirmed_by"}
    assert "date of birth is not known" in raised.value.message_dict["confirmed_age_group"][0]

    # Confirmed as under 18: the person themselves still cannot consent.
    with pytest.raises(ValidationError, match="A child cannot consent"):
        record(case, coordinator, confirmed_age_group=rules.AgeGroup.CHILD,
               age_confirmed_by="Their school")

    consent = record(case, coordinator, confirmed_age_group=rules.AgeGroup.ADULT,
                     age_confirmed_by="Passport seen by the coordinator", notes="Met at the library.")
    assert consent.notes.startswith("Age group confirmed by the recorder (date of birth not known): "
                                    "18 or over. Confirmed by: Passport seen by the coordinator.")
    assert consent.notes.endswith("Met at the library.")


def test_dates_cannot_be_in_the_future(coordinator):
    case = adopted_case(adult_born())
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, asked_on=TODAY + datetime.timedelta(days=1))
    assert raised.value.message_dict["asked_on"] == [
        "The date consent was asked for must be today or in the past"]


# Answers and the case's status ------------------------------------------------------


def test_consent_given_moves_the_case_to_consent_given_with_audit_and_timeline(coordinator):
    case = adopted_case(adult_born())
    consent = record(case, coordinator)
    rules.consent_answer_record(consent=consent, answer=ConsentAnswer.GIVEN, answered_on=TODAY,
                                acting_user=coordinator, today=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_GIVEN
    assert rules.consent_status(case) == "given"
    assert list(CaseTransition.objects.filter(case=case).values_list("from_status", "to_status")) == [
        (CaseStatus.ADOPTED, CaseStatus.CONSENT_SOUGHT),
        (CaseStatus.CONSENT_SOUGHT, CaseStatus.CONSENT_GIVEN)]
    summaries = list(ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.CONSENT)
                     .values_list("summary", flat=True))
    assert summaries == ["Consent asked of the person (in person) on 10 June 2026",
                         "Consent given by the person on 10 June 2026"]
    events = AuditEvent.objects.filter(object_type="channel.consent", object_id=str(consent.pk))
    assert [event.action for event in events.order_by("pk")] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert "Testina" not in str([event.details for event in events])


def test_refusal_requires_a_future_reassessment_date(coordinator):
    case = adopted_case(adult_born())
    consent = record(case, coordinator)
    for date, message in ((None, "Enter the date the panel will re-assess the case"),
                          (TODAY, "The re-assessment date must be in the future")):
        with pytest.raises(ValidationError) as raised:
            rules.consent_answer_record(consent=consent, answer=ConsentAnswer.REFUSED, answered_on=TODAY,
                                        reassessment_date=date, acting_user=coordinator, today=TODAY)
        assert raised.value.message_dict["reassessment_date"] == [message]
    rules.consent_answer_record(consent=consent, answer=ConsentAnswer.REFUSED, answered_on=TODAY,
                                reassessment_date=datetime.date(2026, 9, 1), acting_user=coordinator,
                                today=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_REFUSED
    assert case.reassessment_date == datetime.date(2026, 9, 1)
    assert rules.consent_status(case) == "refused"


def test_the_answer_can_be_recorded_with_the_request(coordinator):
    case = adopted_case(adult_born())
    record(case, coordinator, answer=ConsentAnswer.GIVEN, answered_on=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_GIVEN


def test_refusing_with_the_request_also_needs_a_reassessment_date(coordinator):
    case = adopted_case(adult_born())
    with pytest.raises(ValidationError) as raised:
        record(case, coordinator, answer=ConsentAnswer.REFUSED, answered_on=TODAY)
    assert "reassessment_date" in raised.value.message_dict
    assert not Consent.objects.exists()


def test_consent_is_not_asked_before_adoption(coordinator):
    case = ChannelCaseFactory(status=CaseStatus.AWAITING_PANEL,
                              person=PersonFactory(date_of_birth=adult_born()))
    with pytest.raises(ValidationError, match="once the panel has adopted the case"):
        record(case, coordinator)


def test_consent_cannot_be_asked_again_while_it_is_given(coordinator):
    case = case_with_consent_given()
    with pytest.raises(ValidationError, match="record the withdrawal first"):
        record(case, coordinator)


# Withdrawal -------------------------------------------------------------------------


def test_withdrawal_stops_support_and_requires_a_reassessment_date(coordinator):
    case = case_in_support()
    consent = case.consents.get()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        rules.consent_withdraw(consent=consent, withdrawn_on=today, reassessment_date=None,
                               acting_user=coordinator)
    assert "reassessment_date" in raised.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT

    rules.consent_withdraw(consent=consent, withdrawn_on=today, notes="Said so on the phone.",
                           reassessment_date=today + datetime.timedelta(days=90), acting_user=coordinator)
    case.refresh_from_db()
    consent.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_REFUSED
    assert case.reassessment_date == today + datetime.timedelta(days=90)
    assert consent.withdrawn_on == today and consent.withdrawal_recorded_by == coordinator
    assert rules.consent_status(case) == "withdrawn"
    entry = ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.CONSENT).latest("pk")
    assert entry.summary.startswith("Consent withdrawn on") and "support stopped" in entry.summary
    assert AuditEvent.objects.filter(object_type="channel.consent", action=AuditAction.UPDATE,
                                     object_id=str(consent.pk)).exists()


def test_seeking_consent_again_after_refusal(coordinator):
    case = case_in_support()
    consent = case.consents.get()
    today = timezone.localdate()
    rules.consent_withdraw(consent=consent, withdrawn_on=today,
                           reassessment_date=today + datetime.timedelta(1), acting_user=coordinator)
    with pytest.raises(ValidationError):
        rules.consent_seek_again(case=case, reasons="", acting_user=coordinator)
    rules.consent_seek_again(case=case, reasons="Panel re-assessed the case.", acting_user=coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_SOUGHT
    assert case.reassessment_date is None
    assert rules.consent_status(case) == "sought"
    # The new request is answered; the withdrawn one no longer counts.
    new = record(case, coordinator, asked_on=today, today=today)
    rules.consent_answer_record(consent=new, answer=ConsentAnswer.GIVEN, answered_on=today,
                                acting_user=coordinator)
    case.refresh_from_db()
    assert rules.consent_status(case) == "given"


def test_consent_status_when_never_asked():
    assert rules.consent_status(ChannelCaseFactory(status=CaseStatus.ADOPTED)) == "not asked"


# Pages -------------------------------------------------------------------------------


def _post_request(client, case, **data):
    values = {"giver": ConsentGiver.PERSON, "asked_by": client.user.pk, "method": ConsentMethod.PHONE,
              "asked_on-day": "1", "asked_on-month": "6", "asked_on-year": "2026", "answer": "not_answered"}
    values.update(data)
    return client.post(reverse("channel:case-consent-request", kwargs={"pk": case.pk}), values)


def test_a_coordinator_records_a_request_and_sees_it(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    case = adopted_case(adult_born())
    form = client.get(reverse("channel:case-consent-request", kwargs={"pk": case.pk}))
    assert form.status_code == 200
    assert "confirmed_age_group" not in form.content.decode()
    response = _post_request(client, case, capacity_notes="Able to decide.")
    assert response.status_code == 302
    page = client.get(reverse("channel:case-consent", kwargs={"pk": case.pk})).content.decode()
    assert "Consent being sought" in page
    assert "Phone call" in page and "Able to decide." in page
    assert "Record the answer" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.channelcase",
                                     object_id=str(case.pk)).exists()


def test_a_refused_child_request_keeps_what_was_typed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = adopted_case(datetime.date(2012, 3, 4))
    response = _post_request(client, case, child_views="Unsure about it.", notes="Fictional note.")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A child cannot consent to Channel support themselves" in html
    assert "Unsure about it." in html and "Fictional note." in html
    assert not Consent.objects.exists()


def test_unknown_date_of_birth_shows_the_age_group_question(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = adopted_case(None)
    html = client.get(reverse("channel:case-consent-request", kwargs={"pk": case.pk})).content.decode()
    assert "The person&#x27;s date of birth is not known" in html or "date of birth is not known" in html
    response = _post_request(client, case)
    assert "Select whether they are 18 or over or under 18" in response.content.decode()
    response = _post_request(client, case, confirmed_age_group="adult", age_confirmed_by="Their GP letter")
    assert response.status_code == 302
    assert "Confirmed by: Their GP letter." in Consent.objects.get().notes


def test_answer_and_withdrawal_pages(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    consent = ConsentFactory(case=ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT,
                                                     person=PersonFactory(date_of_birth=adult_born())))
    case = consent.case
    today = timezone.localdate()
    url = reverse("channel:case-consent-answer", kwargs={"pk": case.pk, "consent_pk": consent.pk})
    response = client.post(url, {"answer": "refused", "answered_on-day": today.day,
                                 "answered_on-month": today.month, "answered_on-year": today.year})
    assert "Enter the date the panel will re-assess the case" in response.content.decode()
    response = client.post(url, {"answer": "given", "answered_on-day": today.day,
                                 "answered_on-month": today.month, "answered_on-year": today.year})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_GIVEN

    url = reverse("channel:case-consent-withdraw", kwargs={"pk": case.pk, "consent_pk": consent.pk})
    later = today + datetime.timedelta(days=60)
    response = client.post(url, {"withdrawn_on-day": today.day, "withdrawn_on-month": today.month,
                                 "withdrawn_on-year": today.year, "reassessment_date-day": later.day,
                                 "reassessment_date-month": later.month,
                                 "reassessment_date-year": later.year})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_REFUSED
    page = client.get(reverse("channel:case-consent", kwargs={"pk": case.pk})).content.decode()
    assert "Seek consent again" in page and "Withdrawn" in page


@pytest.mark.parametrize("role", [Role.INTERVENTION_PROVIDER, Role.PANEL_MEMBER])
def test_consent_details_are_not_for_intervention_providers(staff_client, role):
    from .factories_consent_support import join_team

    client = staff_client(role)
    case = case_in_support()
    join_team(case, client.user)
    response = client.get(reverse("channel:case-consent", kwargs={"pk": case.pk}))
    # Panel members on the team read consent; intervention providers never do.
    assert response.status_code == (403 if role == Role.INTERVENTION_PROVIDER else 200)
    assert client.get(reverse("channel:case-consent-request", kwargs={"pk": case.pk})).status_code == 403
