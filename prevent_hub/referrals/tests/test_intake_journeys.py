"""The practitioner referral and public concern forms, page by page, as a
browser would use them: save and come back later, check your answers, send."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import Referral, ReferralDraft, ReferralKind, YesNoUnknown

from .factories import ReferralDraftFactory
from .intake_helpers import (
    PRACTITIONER_ANSWERS,
    PUBLIC_ANSWERS,
    fill,
    fill_practitioner,
    page_url,
    post_page,
    session_draft,
    submit,
)

pytestmark = pytest.mark.django_db


def resume_link_from_email():
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/resume/\S+/", body).group(0)


def test_start_pages_are_public_and_link_to_the_first_question(client):
    for prefix, first in (("referral", "about-you"), ("concern", "about-you")):
        response = client.get(reverse(f"intake:{prefix}-start"))
        assert response.status_code == 200
        assert page_url(prefix, first) in response.content.decode()
    assert client.get(reverse("intake:referral-start")).request["PATH_INFO"] == "/prevent-referral/"
    assert reverse("intake:concern-start") == "/raise-a-concern/"


def test_a_practitioner_referral_from_start_to_reference(client, django_capture_on_commit_callbacks):
    fill_practitioner(client)
    draft = session_draft(client)
    check = client.get(reverse("intake:referral-check"))
    assert check.status_code == 200
    page = check.content.decode()
    assert "Testy McTestface" in page and "1 September 2011" in page
    assert "Online activity" in page and "Threats to harm others" in page
    assert "Fictional: shared a made-up video in class.<br>Second line." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, draft_id=draft.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:referral-submitted")

    referral = Referral.objects.get()
    assert referral.kind == ReferralKind.PRACTITIONER
    assert referral.reference == f"PRV-{timezone.now():%Y}-{referral.pk:06d}"
    assert referral.subject_date_of_birth == datetime.date(2011, 9, 1)
    assert referral.subject_postcode == "ZZ991ZZ"
    assert referral.dsl_name == "Dee Esel"
    assert referral.carer_name == "Made-up Parent"
    assert referral.concern_prompts == ["online_activity", "threats"]
    assert referral.submitted_by is None
    assert not ReferralDraft.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(referral.pk)).exists()

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert "Referral received" in confirmation.content.decode()
    assert referral.reference in confirmation.content.decode()
    # The acknowledgement goes to the referrer, without the concern in it.
    acknowledgement = mail.outbox[-1]
    assert acknowledgement.to == ["testy@test.shireford.example"]
    assert referral.reference in acknowledgement.body
    assert "Fictional" not in acknowledgement.body


def test_a_public_concern_from_start_to_reference(client):
    fill(client, "concern", PUBLIC_ANSWERS)
    response = submit(client, "concern")
    assert response["Location"] == reverse("intake:concern-submitted")
    referral = Referral.objects.get()
    assert referral.kind == ReferralKind.PUBLIC
    assert referral.subject_approximate_age == 40
    assert referral.subject_description == "The man at number 4 (fictional)"
    assert referral.subject_other_names == ""
    assert referral.subject_aware == YesNoUnknown.NO
    page = client.get(response["Location"]).content.decode()
    assert "Concern received" in page and referral.reference in page


def test_the_parent_or_carer_page_is_skipped_for_an_adult(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    adult = {**PRACTITIONER_ANSWERS["the-person"], "subject_date_of_birth-year": "1980"}
    response = post_page(client, "referral", "the-person", adult)
    assert response["Location"] == page_url("referral", "who-knows")
    # Asking for it anyway moves on.
    response = client.get(page_url("referral", "parent-or-carer"))
    assert response["Location"] == page_url("referral", "who-knows")


def test_carer_answers_given_before_the_age_changed_are_not_sent(client):
    fill_practitioner(client)
    adult = {**PRACTITIONER_ANSWERS["the-person"], "subject_date_of_birth-year": "1980"}
    response = client.post(page_url("referral", "the-person"),
                           {**adult, "action": "continue", "from": "check"})
    assert response["Location"] == reverse("intake:referral-check")
    assert "Made-up Parent" not in client.get(response["Location"]).content.decode()
    submit(client)
    assert Referral.objects.get().carer_name == ""


def test_change_links_return_to_check_your_answers(client):
    fill_practitioner(client)
    page = client.get(reverse("intake:referral-check")).content.decode()
    assert page_url("referral", "about-you", **{"from": "check"}) in page
    response = client.get(page_url("referral", "about-you", **{"from": "check"}))
    assert reverse("intake:referral-check") in response.content.decode()  # the back link
    changed = {**PRACTITIONER_ANSWERS["about-you"], "referrer_name": "Changed Name", "from": "check"}
    response = post_page(client, "referral", "about-you", changed)
    assert response["Location"] == reverse("intake:referral-check")
    assert session_draft(client).data["referrer_name"] == "Changed Name"


def test_every_page_keeps_what_was_typed_when_it_has_errors(client):
    response = post_page(client, "referral", "about-you", {"referrer_name": "Half Done",
                                                             "referrer_phone": "not a phone"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="Half Done"' in page
    assert 'value="not a phone"' in page
    assert "Enter the name of your organisation" in page
    assert "Enter a telephone number, like 01632 960 001" in page
    assert not ReferralDraft.objects.exists()


def test_email_or_phone_is_needed(client):
    response = post_page(client, "referral", "about-you",
                         {"referrer_name": "A", "referrer_organisation": "B"})
    assert "Enter an email address or a telephone number, so we can contact you" in response.content.decode()


def test_a_date_of_birth_or_an_approximate_age_is_needed(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    response = post_page(client, "referral", "the-person",
                         {"subject_given_name": "A", "subject_family_name": "B"})
    assert "Enter their date of birth or their approximate age" in response.content.decode()
    response = post_page(client, "referral", "the-person",
                         {"subject_given_name": "A", "subject_family_name": "B",
                          "subject_approximate_age": "15"})
    assert response.status_code == 302


def test_the_safeguarding_lead_name_is_needed_when_they_were_consulted(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="safeguarding-lead")
    response = post_page(client, "referral", "safeguarding-lead", {"dsl_consulted": "yes"})
    assert "Enter the name of the person you talked to" in response.content.decode()
    response = post_page(client, "referral", "safeguarding-lead",
                         {"dsl_consulted": "no", "dsl_name": "Forgotten"})
    assert response.status_code == 302
    assert session_draft(client).data["dsl_name"] == ""


def test_the_public_form_needs_a_name_or_a_description_of_the_person(client):
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    response = post_page(client, "concern", "the-person", {"subject_approximate_age": "30"})
    assert "Enter the person’s name, or describe them" in response.content.decode()


def test_pages_after_the_first_need_a_draft(client):
    response = client.get(page_url("referral", "the-concern"))
    assert response["Location"] == reverse("intake:referral-start")
    assert client.get(reverse("intake:referral-check"))["Location"] == reverse("intake:referral-start")


def test_unknown_pages_are_not_found(client):
    assert client.get("/prevent-referral/no-such-page/").status_code == 404


def test_check_your_answers_lists_what_is_missing_and_does_not_send(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    # Saved half way through the person page.
    post_page(client, "referral", "the-person", {"subject_given_name": "Only"}, action="save")
    response = submit(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the person’s last name" in page
    assert "Enter what happened" in page
    assert page_url("referral", "the-person", **{"from": "check"}) + "#id_subject_family_name" in page
    assert not Referral.objects.exists()


# Save and come back later ------------------------------------------------------------


def test_anonymous_save_and_come_back_later_by_emailed_link(client, django_capture_on_commit_callbacks):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="safeguarding-lead")
    response = post_page(client, "referral", "safeguarding-lead", {"dsl_consulted": "yes"}, action="save")
    # A partial save keeps what was typed without asking for the rest.
    assert response["Location"] == reverse("intake:referral-save")
    draft = session_draft(client)
    assert draft.data["dsl_consulted"] == "yes"

    save_page = client.get(response["Location"]).content.decode()
    assert 'value="testy@test.shireford.example"' in save_page  # offered the address already given
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:referral-save"), {"email": "later@test.shireford.example"})
    assert response["Location"] == reverse("intake:referral-saved")
    saved = client.get(response["Location"]).content.decode()
    draft.refresh_from_db()
    assert "later@test.shireford.example" in saved
    assert f"{draft.expires_at.day} {draft.expires_at:%B %Y}" in saved

    email = mail.outbox[-1]
    assert email.to == ["later@test.shireford.example"]
    assert "Testy" not in email.body and "Shireford Test Academy" not in email.body
    link = resume_link_from_email()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in draft.resume_token_hash and len(draft.resume_token_hash) == 64
    assert (draft.expires_at - timezone.now()).days >= 27

    # Another browser, later.
    client.logout()
    client.cookies.clear()
    response = client.get(link)
    assert response.status_code == 302
    # Carries on where there is something to answer.
    assert response["Location"] == page_url("referral", "safeguarding-lead")
    page = client.get(response["Location"]).content.decode()
    assert 'value="yes" checked' in page
    fill(client, "referral", {k: v for k, v in PRACTITIONER_ANSWERS.items() if k != "about-you"})
    post_page(client, "referral", "attachments")
    assert submit(client)["Location"] == reverse("intake:referral-submitted")
    assert Referral.objects.get().referrer_name == "Testy McTestface"


def test_only_the_newest_link_works(client, django_capture_on_commit_callbacks):
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:concern-save"), {"email": "a@test.example"})
    first = resume_link_from_email()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:concern-save"), {"email": "a@test.example"})
    second = resume_link_from_email()
    assert first != second
    other = type(client)()
    assert other.get(first).status_code == 404
    assert other.get(second).status_code == 302


def test_a_link_works_once_and_a_fresh_one_is_emailed_on_use(client, django_capture_on_commit_callbacks):
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:concern-save"), {"email": "a@test.example"})
    link = resume_link_from_email()
    sent = len(mail.outbox)
    first_visit = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        assert first_visit.get(link).status_code == 302
    # The link is spent: someone opening it later (from a forwarded email, a
    # shared computer's history) reaches nothing.
    later = type(client)()
    response = later.get(link)
    assert response.status_code == 404
    assert "This link has expired or is not valid" in response.content.decode()
    # ...and a fresh one went to the same address, which opens the draft as it was.
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["a@test.example"]
    fresh = resume_link_from_email()
    assert fresh != link
    resumed = type(client)()
    response = resumed.get(fresh)
    assert response.status_code == 302
    draft = ReferralDraft.objects.get()
    assert session_draft(resumed, "concern").pk == draft.pk
    assert draft.data  # what was typed is all still there


def test_expired_forged_and_used_links_show_a_clear_page(client, django_capture_on_commit_callbacks):
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:concern-save"), {"email": "a@test.example"})
    link = resume_link_from_email()
    for forged in ("/raise-a-concern/resume/not-a-real-token/", "/raise-a-concern/resume/" + "A" * 500 + "/"):
        response = client.get(forged)
        assert response.status_code == 404
        assert "This link has expired or is not valid" in response.content.decode()
    ReferralDraft.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 404
    assert "This link has expired or is not valid" in response.content.decode()
    # Refused look-ups are audited, flood-controlled: one event now for the
    # three, the others counted for the end of the minute (the token never kept).
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED,
                                        object_type="referrals.referraldraft")
    assert refused.count() in (1, 2)  # 2 only if a minute turned mid-test
    assert all("A" * 20 not in str(event.details) for event in refused)


def test_a_draft_is_not_reachable_by_its_id_alone(client):
    draft = ReferralDraftFactory()
    # A new visitor cannot name someone else's draft anywhere.
    assert client.get(reverse("intake:referral-check"))["Location"] == reverse("intake:referral-start")
    response = client.post(reverse("intake:referral-check"), {"draft": str(draft.pk)})
    assert response["Location"] == reverse("intake:referral-start")
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()
    assert not Referral.objects.exists()


def test_start_again_leaves_the_old_draft_and_starts_a_new_one(client):
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    start = client.get(reverse("intake:concern-start")).content.decode()
    assert "You have started a concern that you have not sent yet" in start
    response = client.post(reverse("intake:concern-start"))
    assert response["Location"] == page_url("concern", "about-you")
    assert "drafts" in client.session["intake"] and not client.session["intake"]["drafts"]


# Signed in -----------------------------------------------------------------------------


def test_a_signed_in_practitioner_saves_and_returns_from_your_referrals(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    response = post_page(client, "referral", "the-person", {"subject_given_name": "Half"}, action="save")
    assert response["Location"] == reverse("intake:referral-saved")
    assert "your referrals" in client.get(response["Location"]).content.decode()
    draft = ReferralDraft.objects.get()
    assert draft.owner == client.user
    assert (draft.expires_at - timezone.now()).days >= 27

    # A new session (signed in again) finds it under Your referrals.
    session = client.session
    session["intake"] = {}
    session.save()
    listing = client.get(reverse("intake:my-drafts"))
    assert listing.status_code == 200
    assert "Half" in listing.content.decode()
    response = client.get(reverse("intake:my-draft-continue", kwargs={"draft_id": draft.pk}))
    assert response["Location"] == page_url("referral", "the-person")
    fill(client, "referral", {k: v for k, v in PRACTITIONER_ANSWERS.items()
                              if k not in ("about-you", "safeguarding-lead")})
    post_page(client, "referral", "attachments")
    submit(client)
    referral = Referral.objects.get()
    assert referral.submitted_by == client.user


def test_your_referrals_lists_only_your_own_drafts(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    mine = ReferralDraftFactory(owner=client.user, data={"subject_given_name": "Mine"})
    theirs = ReferralDraftFactory(owner=UserFactory(), data={"subject_given_name": "Theirs"})
    page = client.get(reverse("intake:my-drafts")).content.decode()
    assert "Mine" in page and "Theirs" not in page
    for name in ("intake:my-draft-continue", "intake:my-draft-delete"):
        assert client.get(reverse(name, kwargs={"draft_id": theirs.pk})).status_code == 404
    assert client.post(reverse("intake:my-draft-delete", kwargs={"draft_id": theirs.pk})).status_code == 404
    response = client.post(reverse("intake:my-draft-delete", kwargs={"draft_id": mine.pk}))
    assert response["Location"] == reverse("intake:my-drafts")
    assert not ReferralDraft.objects.filter(pk=mine.pk).exists()
    assert ReferralDraft.objects.filter(pk=theirs.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="referrals.referraldraft")
    assert event.object_id == str(mine.pk)


def test_an_owned_draft_needs_its_owner_signed_in(client, staff_client):
    signed_in = staff_client(Role.PREVENT_COORDINATOR)
    fill(signed_in, "referral", PRACTITIONER_ANSWERS, until="safeguarding-lead")
    draft = ReferralDraft.objects.get()
    state = signed_in.session["intake"]
    signed_in.logout()
    # Even a session that still named the draft cannot open it once signed out.
    session = signed_in.session
    session["intake"] = state
    session.save()
    assert signed_in.get(page_url("referral", "safeguarding-lead"))["Location"] == reverse(
        "intake:referral-start")
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()


def test_the_staff_home_page_links_to_the_form_and_your_referrals(staff_client):
    page = staff_client(Role.PREVENT_COORDINATOR).get(reverse("staff:home")).content.decode()
    assert reverse("intake:my-drafts") in page
    assert reverse("intake:referral-start") in page
