"""Bad and hostile input to the intake forms: markup, overlong and wrongly
typed answers, SQL-looking text, the honeypot, double submits, CSRF and
per-address rate limits. Every rejection says why and keeps what was typed."""

import pytest
from django import forms as django_forms
from django.test import Client, override_settings
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.core.ratelimit import ratelimit_count
from prevent_hub.govuk.questions import HONEYPOT_FIELD, PhoneField
from prevent_hub.referrals.forms import PRACTITIONER
from prevent_hub.referrals.models import Referral, ReferralDraft

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

SCRIPT = "<script>alert('{}')</script>"
# Fields whose own format rules would reject markup (checked separately).
FORMATTED = {"subject_postcode"}


def _free_text_fields(form_class):
    for name in form_class.answer_fields():
        form_field = form_class.base_fields[name]
        if (type(form_field) is django_forms.CharField and not isinstance(form_field, PhoneField)
                and name not in FORMATTED):
            yield name


def test_markup_in_every_text_field_is_shown_as_text_and_stored_verbatim(client):
    typed = {}
    answers = {}
    for page in PRACTITIONER.pages:
        if page.form is None:
            continue
        page_answers = dict(PRACTITIONER_ANSWERS.get(page.slug, {}))
        for name in _free_text_fields(page.form):
            value = SCRIPT.format(name)[: page.form.base_fields[name].max_length]
            page_answers[name] = typed[name] = value
        answers[page.slug] = page_answers
    fill(client, "referral", answers)
    post_page(client, "referral", "attachments")

    page = client.get(reverse("intake:referral-check")).content.decode()
    assert "<script>" not in page.split("</header>", 1)[1]
    for name in typed:
        assert f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;" in page, name

    submit(client)
    referral = Referral.objects.get()
    for name, value in typed.items():
        assert getattr(referral, name) == value, name


def test_markup_typed_on_a_page_with_errors_comes_back_escaped(client):
    response = post_page(client, "referral", "about-you", {"referrer_name": '"><img src=x onerror=alert(1)>'})
    page = response.content.decode()
    assert "<img src=x" not in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_sql_looking_text_is_stored_verbatim(client):
    sql = "Robert'); DROP TABLE referrals_referral;--"
    answers = {**PRACTITIONER_ANSWERS,
               "about-you": {**PRACTITIONER_ANSWERS["about-you"], "referrer_name": sql},
               "the-concern": {"concern_description": "1' OR '1'='1"}}
    fill(client, "referral", answers)
    post_page(client, "referral", "attachments")
    submit(client)
    referral = Referral.objects.get()
    assert referral.referrer_name == sql
    assert referral.concern_description == "1' OR '1'='1"


@pytest.mark.parametrize(("page", "field", "limit", "message"), [
    ("about-you", "referrer_name", 150, "Your name must be 150 characters or fewer"),
    ("about-you", "referrer_organisation", 200, "Your organisation must be 200 characters or fewer"),
    ("the-concern", "concern_description", 10000, "What happened must be 10,000 characters or fewer"),
    ("other-agencies", "other_agencies", 2000, "Other agencies must be 2,000 characters or fewer"),
])
def test_overlong_answers_are_refused_with_the_limit_and_kept(client, page, field, limit, message):
    fill(client, "referral", PRACTITIONER_ANSWERS, until=page)
    answers = {**PRACTITIONER_ANSWERS[page], field: "x" * (limit + 1)}
    response = post_page(client, "referral", page, answers)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "x" * (limit + 1) in content
    assert "x" * (limit + 1) not in str(ReferralDraft.objects.values_list("data", flat=True))


@pytest.mark.parametrize(("typed", "message"), [
    ({"subject_date_of_birth-day": "31", "subject_date_of_birth-month": "2",
      "subject_date_of_birth-year": "2020"}, "Date of birth must be a real date"),
    ({"subject_date_of_birth-day": "1", "subject_date_of_birth-month": "1",
      "subject_date_of_birth-year": "2999"}, "Date of birth must be in the past"),
    ({"subject_date_of_birth-day": "1", "subject_date_of_birth-year": "2010"},
     "Date of birth must include a month"),
    ({"subject_date_of_birth-day": "1", "subject_date_of_birth-month": "1",
      "subject_date_of_birth-year": "10"}, "Year must include 4 numbers"),
    ({"subject_approximate_age": "abc"}, "Approximate age must be a number, like 15"),
    ({"subject_approximate_age": "200"}, "Approximate age must be 120 or less"),
    ({"subject_approximate_age": "-3"}, "Approximate age must be 0 or more"),
    ({"subject_approximate_age": "12", "subject_postcode": "<b>A</b>"},
     "Enter a real postcode, like SW1A 1AA"),
])
def test_wrongly_typed_answers_are_refused_and_kept(client, typed, message):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    answers = {"subject_given_name": "Kept", "subject_family_name": "Typed", **typed}
    response = post_page(client, "referral", "the-person", answers)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="Kept"' in content
    for value in typed.values():
        assert value.replace("<", "&lt;").replace(">", "&gt;") in content
    assert "subject_given_name" not in session_draft(client).data


def test_a_save_for_later_still_checks_what_was_typed(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-person")
    response = post_page(client, "referral", "the-person", {"subject_approximate_age": "abc"}, action="save")
    assert response.status_code == 200
    assert "Approximate age must be a number" in response.content.decode()


def test_unknown_choices_are_refused(client):
    fill(client, "referral", PRACTITIONER_ANSWERS, until="who-knows")
    response = post_page(client, "referral", "who-knows", {"subject_aware": "maybe", "family_aware": "yes"})
    assert "Select whether the person knows about this referral" in response.content.decode()
    fill(client, "referral", PRACTITIONER_ANSWERS, until="the-concern")
    response = post_page(client, "referral", "the-concern",
                         {"concern_description": "x", "concern_prompts": ["not_a_prompt"]})
    assert "Select from the list" in response.content.decode()


def test_null_characters_are_refused(client):
    response = post_page(client, "referral", "about-you",
                         {**PRACTITIONER_ANSWERS["about-you"], "referrer_name": "A\x00B"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


# Honeypot ------------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_and_labelled(client):
    page = client.get(page_url("concern", "about-you")).content.decode()
    assert 'class="govuk-form-group govuk-visually-hidden" aria-hidden="true"' in page
    assert 'name="website" type="text" autocomplete="off" tabindex="-1"' in page
    assert "Leave this field blank" in page


@pytest.mark.parametrize("prefix", ["concern", "referral"])
def test_a_filled_honeypot_is_refused_with_a_message_and_answers_kept(client, prefix):
    answers = PUBLIC_ANSWERS["about-you"] if prefix == "concern" else PRACTITIONER_ANSWERS["about-you"]
    response = post_page(client, prefix, "about-you", {**answers, HONEYPOT_FIELD: "http://spam.example"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "must be empty. It is there to stop automated messages" in content
    assert f'value="{answers["referrer_name"]}"' in content
    assert "spam.example" not in content
    assert not ReferralDraft.objects.exists()


def test_a_filled_honeypot_on_check_your_answers_sends_nothing(client):
    fill(client, "concern", PUBLIC_ANSWERS)
    draft = session_draft(client, "concern")
    response = client.post(reverse("intake:concern-check"), {"draft": str(draft.pk), HONEYPOT_FIELD: "x"})
    assert response.status_code == 200
    assert "It is there to stop automated messages" in response.content.decode()
    assert not Referral.objects.exists()


# Double submits ------------------------------------------------------------------------------


def test_a_second_submit_of_the_same_draft_shows_the_same_reference(client):
    fill_practitioner(client)
    draft_id = session_draft(client).pk
    first = submit(client, draft_id=draft_id)
    second = submit(client, draft_id=draft_id)
    assert first["Location"] == second["Location"] == reverse("intake:referral-submitted")
    referral = Referral.objects.get()
    assert referral.reference in client.get(second["Location"]).content.decode()


def test_a_submit_racing_another_finds_the_first_referral(client):
    fill_practitioner(client)
    draft_id = session_draft(client).pk
    # The second request was sent before the first came back: its session
    # still names the draft as the one being written.
    stale = dict(client.session["intake"])
    submit(client, draft_id=draft_id)
    session = client.session
    session["intake"] = stale
    session.save()
    response = submit(client, draft_id=draft_id)
    assert response["Location"] == reverse("intake:referral-submitted")
    assert Referral.objects.count() == 1
    assert Referral.objects.get().reference in client.get(response["Location"]).content.decode()


def test_another_visitor_cannot_learn_a_reference_by_replaying_a_draft_id(client):
    fill_practitioner(client)
    draft_id = session_draft(client).pk
    submit(client, draft_id=draft_id)
    other = Client()
    response = submit(other, draft_id=draft_id)
    assert response["Location"] == reverse("intake:referral-start")
    assert other.get(reverse("intake:referral-submitted"))["Location"] == reverse("intake:referral-start")


def test_the_confirmation_page_needs_a_submission_in_this_session(client):
    assert client.get(reverse("intake:concern-submitted"))["Location"] == reverse("intake:concern-start")


def test_removing_an_attachment_from_a_public_concern_is_not_found_not_a_server_error(client):
    """The public concern form takes no files (found by tests/test_form_fuzz.py:
    with a concern in progress, this POST was a 500)."""
    fill(client, "concern", PUBLIC_ANSWERS, until="the-person")
    draft = session_draft(client, "concern")

    response = client.post(reverse("intake:concern-attachment-remove", kwargs={"attachment_id": 1}))

    assert response.status_code == 404
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()


# CSRF ------------------------------------------------------------------------------------------


def test_csrf_is_enforced_on_every_intake_post():
    client = Client(enforce_csrf_checks=True)
    urls = [page_url("referral", "about-you"), page_url("referral", "attachments"),
            reverse("intake:referral-check"), reverse("intake:referral-save"),
            reverse("intake:concern-start"),
            reverse("intake:referral-attachment-remove", kwargs={"attachment_id": 1})]
    for url in urls:
        response = client.post(url, {**PRACTITIONER_ANSWERS["about-you"], "action": "continue"})
        assert response.status_code == 403, url
    assert not ReferralDraft.objects.exists()


def test_with_a_csrf_token_the_first_page_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get(page_url("referral", "about-you"))
    token = client.cookies["csrftoken"].value
    response = client.post(page_url("referral", "about-you"), {
        **PRACTITIONER_ANSWERS["about-you"], "action": "continue", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# Rate limits -----------------------------------------------------------------------------------


@override_settings(PUBLIC_SUBMISSIONS_PER_HOUR=2)
def test_new_drafts_from_one_address_are_limited_and_what_was_typed_is_kept():
    for _ in range(2):
        assert post_page(Client(), "concern", "about-you", PUBLIC_ANSWERS["about-you"]).status_code == 302
    response = post_page(Client(), "concern", "about-you", PUBLIC_ANSWERS["about-you"])
    content = response.content.decode()
    assert response.status_code == 200
    assert "You have sent a lot of forms from this network in the last hour. Wait" in content
    assert "What you typed has been kept." in content
    assert 'value="Pat Neighbour"' in content
    assert ReferralDraft.objects.count() == 2
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.55")
    assert post_page(other, "concern", "about-you", PUBLIC_ANSWERS["about-you"]).status_code == 302


@override_settings(PUBLIC_SUBMISSIONS_PER_HOUR=1)
def test_resume_link_emails_are_limited(client):
    fill(client, "concern", PUBLIC_ANSWERS)
    assert client.post(reverse("intake:concern-save"), {"email": "a@test.example"}).status_code == 302
    response = client.post(reverse("intake:concern-save"), {"email": "typed@test.example"})
    assert response.status_code == 200
    assert "You have sent a lot of forms" in response.content.decode()
    assert 'value="typed@test.example"' in response.content.decode()


@override_settings(PUBLIC_SUBMISSIONS_PER_HOUR=1)
def test_a_limited_submit_says_why_and_keeps_the_draft(client):
    fill(client, "concern", PUBLIC_ANSWERS)
    ratelimit_count(purpose="intake-submit", address="127.0.0.1")  # someone else on this network
    response = submit(client, "concern")
    assert response.status_code == 200
    assert "You have sent a lot of forms from this network" in response.content.decode()
    assert "Pat Neighbour" in response.content.decode()
    assert not Referral.objects.exists()
    assert ReferralDraft.objects.count() == 1


@override_settings(PUBLIC_SUBMISSIONS_PER_HOUR=0)
def test_signed_in_staff_are_not_limited(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    fill_practitioner(client)
    assert submit(client)["Location"] == reverse("intake:referral-submitted")
