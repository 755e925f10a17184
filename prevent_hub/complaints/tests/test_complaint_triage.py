"""The complaints officer's triage pages: scope, the record the complaint
concerns, consent, passing it on (only with consent), sending it to StaCU,
signposting, acknowledging, more time with a holding letter, and
withdrawal; and recording a complaint that arrived by letter or telephone."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.complaints import services
from prevent_hub.complaints.models import Complaint, Extension, Letter, LetterKind, Sharing, Status
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import complaint_investigating, complaint_received, officer
from .page_helpers import banner, browser_for, date_fields, error_summary, field_value, links, url, words

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _triaged(scope, *, by, **answers):
    complaint = complaint_received(**answers)
    return services.complaint_triage(complaint=complaint, scope=scope, category="referral",
                                     reasons="Fictional reasons given at triage.", acting_user=by)


def _next_working_day_after(day, days=5):
    return WorkingCalendar.load().add_working_days(max(day, TODAY()), days)


# Triage ------------------------------------------------------------------------------------------


def test_a_complaint_about_us_is_triaged_for_investigation():
    complaint = complaint_received(organisation_kind="council")
    client = browser_for(officer())

    response = client.post(url("complaint-triage", complaint),
                           {"scope": "application_of_duty_by_us", "category": "referral", "reasons": ""},
                           follow=True)

    assert "it is being investigated. Give it to an investigating officer." in banner(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING
    assert complaint.triaged_by == client.user and complaint.owner == client.user
    assert "Choose the investigating officer" in words(response)


def test_a_complaint_about_policy_needs_reasons_and_keeps_what_was_typed():
    complaint = complaint_received()
    client = browser_for(officer())

    response = client.post(url("complaint-triage", complaint),
                           {"scope": "policy", "category": "other", "reasons": "  "})

    assert response.status_code == 200
    assert ("Enter why it is about Prevent policy rather than how the duty was applied"
            in error_summary(response))
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.find("input", attrs={"name": "scope", "value": "policy"}).has_attr("checked")
    assert soup.find("input", attrs={"name": "category", "value": "other"}).has_attr("checked")
    complaint.refresh_from_db()
    assert complaint.scope == "" and complaint.triaged_at is None


def test_a_complaint_under_investigation_cannot_be_moved_out_of_scope():
    complaint = complaint_investigating()

    response = browser_for(complaint.owner).post(
        url("complaint-triage", complaint), {"scope": "policy", "category": "other", "reasons": "Policy."})

    assert "it can no longer be moved out of scope" in error_summary(response)
    complaint.refresh_from_db()
    assert complaint.scope == "application_of_duty_by_us"


# The record it concerns ---------------------------------------------------------------------------


def test_the_complaints_officer_sees_the_reference_but_not_the_referral():
    referral = ReferralFactory(subject_given_name="Testperson-Hidden")
    complaint = complaint_received()
    client = browser_for(officer())

    response = client.post(url("complaint-link", complaint), {"reference": f" {referral.reference.lower()} "},
                           follow=True)

    assert f"The complaint is linked to {referral.reference}." in banner(response)
    text = words(response)
    assert f"Referral or case it concerns {referral.reference}" in text
    assert "Testperson-Hidden" not in text
    assert not any("/staff/referrals/" in href for href in links(response))


def test_someone_who_may_open_the_referral_gets_a_link_to_it_and_nothing_more():
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory

    referral = ReferralFactory(subject_given_name="Testperson-Hidden")
    complaint = complaint_received()
    both = UserFactory(roles=[Role.COMPLAINTS_OFFICER, Role.PREVENT_COORDINATOR])
    services.complaint_link(complaint=complaint, reference=referral.reference, acting_user=both)

    response = browser_for(both).get(url("complaint", complaint))

    assert f"/staff/referrals/{referral.reference}/" in links(response)
    assert "Testperson-Hidden" not in words(response)


def test_a_case_link_is_a_link_only_for_someone_who_may_see_the_case():
    from prevent_hub.access.roles import Role
    from prevent_hub.accounts.tests.factories import UserFactory

    case = ChannelCaseFactory()
    complaint = complaint_received()
    services.complaint_link(complaint=complaint, reference=case.reference, acting_user=officer())
    case_href = f"/staff/cases/{case.pk}/"

    assert case_href not in links(browser_for(officer()).get(url("complaint", complaint)))
    coordinator = UserFactory(roles=[Role.COMPLAINTS_OFFICER, Role.PREVENT_COORDINATOR])
    assert case_href in links(browser_for(coordinator).get(url("complaint", complaint)))


def test_an_unknown_reference_is_refused_and_kept_to_correct():
    complaint = complaint_received()

    response = browser_for(officer()).post(url("complaint-link", complaint), {"reference": "PRV-2026-999999"})

    assert "Enter the reference of a referral (PRV-…) or Channel case (CH-…) that exists" in error_summary(
        response)
    assert field_value(response, "reference") == "PRV-2026-999999"


def test_linking_to_what_the_investigating_officer_was_involved_in_is_refused():
    complaint = complaint_investigating()
    referral = ReferralFactory(submitted_by=complaint.investigator)

    response = browser_for(complaint.owner).post(url("complaint-link", complaint),
                                                 {"reference": referral.reference})

    assert (f"{complaint.investigator.full_name}, the investigating officer, was involved in "
            f"{referral.reference}") in error_summary(response)
    complaint.refresh_from_db()
    assert complaint.concerns_reference == ""


def test_unlinking_asks_first_and_leaves_the_record_alone():
    referral = ReferralFactory()
    complaint = complaint_received()
    services.complaint_link(complaint=complaint, reference=referral.reference, acting_user=officer())
    client = browser_for(officer())

    question = client.get(url("complaint-unlink", complaint))
    assert f"Remove the link to {referral.reference}?" in words(question)
    response = client.post(url("complaint-unlink", complaint), {}, follow=True)

    assert f"The link to {referral.reference} is removed." in banner(response)
    complaint.refresh_from_db()
    assert complaint.concerns_reference == "" and complaint.referral is None


# Consent, passing on and StaCU -------------------------------------------------------------------


def test_passing_on_without_consent_shows_why_and_changes_nothing():
    by = officer()
    complaint = _triaged("application_of_duty_by_other", by=by, organisation_consent="refused")
    client = browser_for(by)

    page = client.get(url("complaint-pass-on", complaint))
    assert "The complainant has not agreed to the complaint being passed to the organisation (refused)" in \
        words(page)
    assert not BeautifulSoup(page.content, "html5lib").find("textarea")

    response = client.post(url("complaint-pass-on", complaint), {
        "recipient_name": "Testford Example Academy", "method": "Secure email",
        **date_fields("shared_on", TODAY()), "subject": "Passed on", "body": "Dear Pat"})

    assert ("The complainant has not agreed to the complaint being shared with the organisation: record "
            "their consent first") in error_summary(response)
    assert field_value(response, "recipient_name") == "Testford Example Academy"
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert not Sharing.objects.filter(complaint=complaint).exists()
    assert not Letter.objects.filter(complaint=complaint).exists()


def test_consent_recorded_later_then_the_complaint_passed_on_with_its_letter(
        django_capture_on_commit_callbacks):
    by = officer()
    complaint = _triaged("application_of_duty_by_other", by=by, organisation_consent="not_asked")
    client = browser_for(by)
    agreed_on = TODAY()

    response = client.post(url("complaint-consent", complaint), {
        "recipient": "organisation", "consent": "given", **date_fields("given_on", agreed_on)}, follow=True)
    assert "Consent recorded." in banner(response)
    assert f"To pass it to the organisation Given on {agreed_on:%-d %B %Y}" in words(response)

    # First who, how and when; then the letter, filled in with them.
    details = {"recipient_name": "Testford Example Academy, complaints team", "method": "Secure email",
               **date_fields("shared_on", agreed_on)}
    letter_page = client.post(url("complaint-pass-on", complaint), details)
    assert letter_page.status_code == 200
    assert complaint.reference in field_value(letter_page, "subject")
    assert "Dear Pat Example-Parent" in field_value(letter_page, "body")
    assert "If you are not happy with this response" not in field_value(letter_page, "body")
    assert "Local Government and Social Care Ombudsman" in words(letter_page)  # shown, fixed, under the box
    assert "It will be emailed to pat.parent@example.org" in words(letter_page)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("complaint-pass-on", complaint), {
            **details, "subject": field_value(letter_page, "subject"),
            "body": field_value(letter_page, "body")}, follow=True)

    assert "Passed on to the organisation letter emailed to the complainant." in banner(sent)
    complaint.refresh_from_db()
    assert complaint.status == Status.PASSED_ON and complaint.closed_on == TODAY()
    sharing = complaint.sharings.get()
    assert sharing.recipient_name == "Testford Example Academy, complaints team"
    assert sharing.shared_by == by
    letter = complaint.letters.get(kind=LetterKind.PASSED_ON)
    assert "Prevent Standards and Compliance Unit" in letter.body
    assert [message.to for message in mail.outbox] == [["pat.parent@example.org"]]
    assert "Local Government and Social Care Ombudsman" in mail.outbox[0].body


def test_sending_to_stacu_needs_consent_and_is_recorded_once():
    by = officer()
    complaint = complaint_investigating(by=by, stacu_consent="refused")
    client = browser_for(by)
    sent = {"method": "The online form", **date_fields("shared_on", TODAY())}

    refused = client.post(url("complaint-share-with-stacu", complaint), sent)
    assert "has not agreed to the complaint being shared with StaCU" in error_summary(refused)
    assert not complaint.sharings.exists()

    services.consent_record(complaint=complaint, recipient="stacu", consent="given", given_on=TODAY(),
                            acting_user=by)
    done = client.post(url("complaint-share-with-stacu", complaint), sent, follow=True)
    assert f"Recorded: sent to StaCU on {TODAY():%-d %B %Y}." in banner(done)
    again = client.post(url("complaint-share-with-stacu", complaint), sent)
    assert "The complaint has already been shared with StaCU" in error_summary(again)
    assert complaint.sharings.count() == 1
    assert "Record sending it to StaCU" not in words(client.get(url("complaint", complaint)))
    page = client.get(url("complaint-share-with-stacu", complaint))
    assert f"It was sent to StaCU on {TODAY():%-d %B %Y} (The online form), recorded by" in words(page)
    assert not BeautifulSoup(page.content, "html5lib").find("input", attrs={"name": "method"})


def test_a_complaint_about_us_is_not_passed_on():
    complaint = complaint_investigating()

    page = browser_for(complaint.owner).get(url("complaint-pass-on", complaint))

    text = words(page)
    assert "Only a complaint triaged as about another organisation, and not yet closed, is passed on." in text
    assert "has not agreed" not in text
    assert not BeautifulSoup(page.content, "html5lib").find("input", attrs={"name": "recipient_name"})


def test_consent_once_shared_cannot_be_changed():
    by = officer()
    complaint = complaint_investigating(by=by, stacu_consent="given")
    services.complaint_share_with_stacu(complaint=complaint, method="Online form", shared_on=TODAY(),
                                        acting_user=by)

    response = browser_for(by).post(url("complaint-consent", complaint), {"recipient": "stacu",
                                                                           "consent": "refused"})

    assert "The complaint has already been shared: consent cannot be changed now" in error_summary(response)
    complaint.refresh_from_db()
    assert complaint.stacu_consent == "given"


# Signposting --------------------------------------------------------------------------------------


def test_a_complaint_about_policy_is_signposted_with_where_to_take_it():
    by = officer()
    complaint = _triaged("policy", by=by, contact_preference="post", address="1 Fictional Road, Testford",
                         email="")
    client = browser_for(by)

    page = client.get(url("complaint-signpost", complaint))
    assert "Fictional reasons given at triage." in field_value(page, "body")
    assert "not emailed: once it is sent, print it from its page and post it to the address they gave" in \
        words(page)

    response = client.post(url("complaint-signpost", complaint), {
        "subject": field_value(page, "subject"), "body": field_value(page, "body")}, follow=True)

    assert ("Out of scope: signposted letter kept: print it and post it, or read it to them."
            in banner(response))
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNPOSTED
    letter = complaint.letters.get()
    assert not letter.emailed
    text = words(response)
    assert "1 Fictional Road, Testford" in text
    assert "Prevent Standards and Compliance Unit" in text
    assert "Local Government and Social Care Ombudsman" in text
    assert "This letter was not emailed: print this page and post it." in text


def test_a_complaint_not_triaged_is_not_signposted():
    complaint = complaint_received()
    client = browser_for(officer())

    page = client.get(url("complaint-signpost", complaint))
    assert "Triage it first." in words(page)
    response = client.post(url("complaint-signpost", complaint),
                           {"subject": "Signposted", "body": "Dear Pat"})

    assert "Only a complaint about policy or about another organisation can be signposted" in error_summary(
        response)
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


# Acknowledging ------------------------------------------------------------------------------------


def test_acknowledging_sends_the_letter_once():
    complaint = complaint_received(contact_preference="phone", phone="01632 960001", email="")
    client = browser_for(officer())

    page = client.get(url("complaint-acknowledge", complaint))
    assert f"Its reference is {complaint.reference}" in field_value(page, "body")
    assert "or read it to them on the telephone" in words(page)
    sent = {"subject": field_value(page, "subject"), "body": field_value(page, "body") + "\n\nEdited by me."}

    response = client.post(url("complaint-acknowledge", complaint), sent, follow=True)
    assert "Acknowledgement letter kept" in banner(response)
    assert "Edited by me." in words(response)
    again = client.post(url("complaint-acknowledge", complaint), sent)

    assert "This complaint has already been acknowledged" in error_summary(again)
    assert complaint.letters.count() == 1
    complaint.refresh_from_db()
    assert complaint.acknowledged_on == TODAY()


# More time -----------------------------------------------------------------------------------------


def test_more_time_is_given_with_a_reason_and_a_holding_letter():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)
    new_date = _next_working_day_after(complaint.respond_by)
    details = {**date_fields("new_date", new_date), "reason": "A fictional witness is away until next month."}

    letter_page = client.post(url("complaint-extend", complaint), details)
    body = field_value(letter_page, "body")
    assert f"by {new_date:%-d %B %Y}" in body
    assert "A fictional witness is away until next month." in body

    response = client.post(url("complaint-extend", complaint), {
        **details, "subject": field_value(letter_page, "subject"), "body": body}, follow=True)

    assert f"The response is now due by {new_date:%-d %B %Y}." in banner(response)
    complaint.refresh_from_db()
    assert complaint.extended_to == new_date
    extension = complaint.extensions.get()
    assert extension.previous_date == complaint.respond_by and extension.extended_by == complaint.owner
    assert complaint.letters.get().kind == LetterKind.HOLDING

    # The same page sent again gives no second extension.
    again = client.post(url("complaint-extend", complaint),
                        {**details, "subject": field_value(letter_page, "subject"), "body": body})
    assert "The new date must be after the current date for the response" in error_summary(again)
    assert Extension.objects.filter(complaint=complaint).count() == 1


def test_a_changed_date_can_be_filled_into_the_letter_again():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)
    first = _next_working_day_after(complaint.respond_by)
    later = _next_working_day_after(first)

    refilled = client.post(url("complaint-extend", complaint), {
        **date_fields("new_date", later), "reason": "Still waiting.", "subject": "More time",
        "body": f"We will answer by {first:%-d %B %Y}.", "refill": "1"})

    assert f"by {later:%-d %B %Y}" in field_value(refilled, "body")
    assert not complaint.extensions.exists()


def test_a_new_date_on_a_weekend_is_refused_with_the_letter_kept():
    complaint = complaint_investigating()
    saturday = _next_working_day_after(complaint.respond_by)
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)

    response = browser_for(complaint.owner).post(url("complaint-extend", complaint), {
        **date_fields("new_date", saturday), "reason": "Waiting.", "subject": "More time",
        "body": "My own words."})

    assert "The new date must be a working day" in error_summary(response)
    assert field_value(response, "body") == "My own words."
    assert not complaint.extensions.exists()


# Withdrawal -----------------------------------------------------------------------------------------


def test_a_withdrawn_complaint_is_closed_with_how_and_why():
    complaint = complaint_investigating()
    client = browser_for(complaint.owner)

    response = client.post(url("complaint-withdraw", complaint),
                           {"reasons": "Told us by telephone that the school has apologised."}, follow=True)

    assert f"{complaint.reference} is withdrawn and closed." in banner(response)
    assert "Told us by telephone that the school has apologised." in words(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN and complaint.retain_until is not None
    again = client.post(url("complaint-withdraw", complaint), {"reasons": "Again."})
    assert "Only an open complaint can be withdrawn" in error_summary(again)


# Recording a complaint received by letter or telephone ------------------------------------------------


def _recorded(**overrides):
    return {
        "source": "post", **date_fields("received_on", TODAY() - datetime.timedelta(days=3)),
        "complainant_name": "Robin Example-Writer", "relationship": "self", "contact_preference": "post",
        "address": "2 Fictional Lane, Testford", "adjustments": "Large print, please.",
        "what_happened": "I was referred after a lesson and nobody told me why.",
        **date_fields("happened_on", TODAY() - datetime.timedelta(days=30)),
        "organisation_kind": "council", "outcome_wanted": "An explanation.",
        "organisation_consent": "not_asked", "stacu_consent": "given", **overrides}


def test_a_complaint_by_letter_is_recorded_with_its_source_and_the_day_it_arrived():
    client = browser_for(officer())
    page = client.get("/staff/complaints/record/")
    token = BeautifulSoup(page.content, "html5lib").find("input", attrs={"name": "submission"})["value"]

    response = client.post("/staff/complaints/record/", _recorded(submission=token), follow=True)

    complaint = Complaint.objects.get()
    assert f"Complaint {complaint.reference} is recorded." in banner(response)
    assert complaint.source == "post" and complaint.recorded_by == client.user
    assert complaint.received_on == TODAY() - datetime.timedelta(days=3)
    assert complaint.stacu_consent_on == complaint.received_on
    assert "Large print, please." in words(response)
    assert "recorded by " + client.user.full_name in words(response)
    # Sent twice (a double click, or back and send again): one complaint.
    client.post("/staff/complaints/record/", _recorded(submission=token))
    assert Complaint.objects.count() == 1


def test_a_recorded_complaint_with_answers_missing_says_which_and_keeps_the_rest():
    client = browser_for(officer())

    response = client.post("/staff/complaints/record/", _recorded(complainant_name="", address="",
                                                                  what_happened="Something happened."))

    summary = error_summary(response)
    assert "Enter the complainant's name" in summary
    assert field_value(response, "what_happened") == "Something happened."
    assert not Complaint.objects.exists()


def test_a_complaint_cannot_be_recorded_as_received_online_or_in_the_future():
    client = browser_for(officer())

    response = client.post("/staff/complaints/record/", _recorded(
        source="online", **date_fields("received_on", TODAY() + datetime.timedelta(days=2))))

    summary = error_summary(response)
    assert "Select how the complaint was received" in summary
    assert not Complaint.objects.exists()
    response = client.post("/staff/complaints/record/", _recorded(
        **date_fields("received_on", TODAY() + datetime.timedelta(days=2))))
    assert "The date it was received must be today or in the past" in error_summary(response)
    assert not Complaint.objects.exists()
