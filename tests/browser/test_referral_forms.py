"""The practitioner referral form and the public concern form in real Chromium.

A practitioner without an account fills in a few pages, saves and leaves,
comes back in a new browser through the emailed link, attaches a PDF, checks
their answers and sends; a signed-in practitioner comes back to their draft
from "Your referrals"; a member of the public raises a concern. Every page on
the way passes axe-core, errors included."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.referrals.models import Referral, ReferralKind
from prevent_hub.referrals.tests.factories import TINY_PDF

from .conftest import _open_page, assert_accessible, checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser


def heading(page, text):
    expect(page.locator("h1")).to_have_text(text)
    checked(page)


def continue_(page):
    page.get_by_role("button", name="Continue").click()


def about_you(page):
    heading(page, "About you")
    page.get_by_label("Your full name").fill("Testy McTestface")
    page.get_by_label("Your organisation").fill("Shireford Test Academy")
    page.get_by_label("Your work email address").fill("testy@test.shireford.example")
    continue_(page)


def safeguarding_lead(page):
    heading(page, "Your safeguarding or Prevent lead")
    page.locator("input[name=dsl_consulted][value=yes]").check()
    page.get_by_label("If yes, their name").fill("Dee Esel")
    continue_(page)


def the_rest_of_the_person(page):
    page.get_by_label("Last name").fill("Pupil")
    page.locator("[name='subject_date_of_birth-day']").fill("1")
    page.locator("[name='subject_date_of_birth-month']").fill("9")
    page.locator("[name='subject_date_of_birth-year']").fill("2011")
    continue_(page)


def from_carer_to_attachments(page):
    heading(page, "Their parent or carer")
    page.get_by_label("Name of a parent or carer (optional)").fill("Made-up Parent")
    continue_(page)
    heading(page, "Who knows about this referral")
    page.locator("input[name=subject_aware][value=no]").check()
    page.locator("input[name=family_aware][value=unknown]").check()
    continue_(page)
    heading(page, "Your concern")
    page.get_by_label("What happened?").fill("Fictional: <b>shared</b> a made-up video in class.")
    page.get_by_label("Threats to harm others").check()
    continue_(page)
    heading(page, "Needs that affect the support they may get")
    expect(page.locator("main")).to_contain_text("We ask so that any support offered can be made suitable")
    continue_(page)
    heading(page, "Other agencies involved")
    continue_(page)
    heading(page, "Attach documents")


def check_and_send(page, name):
    heading(page, f"Check your answers before sending your {name}")
    page.get_by_role("button", name=f"Send {name}").click()
    expect(page.locator(".govuk-panel__title")).to_have_text(f"{name.capitalize()} received")
    checked(page)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"PRV-\d{4}-\d{6}", reference)
    return reference


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_practitioner_saves_leaves_comes_back_by_email_link_and_sends(page, browser, live_server):
    page.goto(reverse("intake:referral-start"))
    heading(page, "Make a Prevent referral")
    page.get_by_role("button", name="Start now").click()

    # Nothing typed: the errors say what is needed.
    expect(page.locator("h1")).to_have_text("About you")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your full name")
    assert page.title().startswith("Error:")
    checked(page)
    about_you(page)
    safeguarding_lead(page)

    heading(page, "The person you are worried about")
    page.get_by_label("First name").fill("Fictional")
    page.get_by_role("button", name="Save and come back later").click()
    heading(page, "Save and come back later")
    expect(page.get_by_label("Email address")).to_have_value("testy@test.shireford.example")
    page.get_by_role("button", name="Send me a link").click()
    heading(page, "Your answers have been saved")
    expect(page.locator("main")).to_contain_text("We have sent a link to testy@test.shireford.example")

    link = re.search(r"https?://\S+/resume/\S+/", mail.outbox[-1].body).group(0)
    page.context.close()

    # Later, in a new browser.
    context, page = _open_page(browser, live_server, javascript=True)
    try:
        page.goto(link)
        heading(page, "The person you are worried about")
        expect(page.get_by_label("First name")).to_have_value("Fictional")
        the_rest_of_the_person(page)
        from_carer_to_attachments(page)

        page.locator("input[name=file]").set_input_files(files=[{
            "name": "chronology.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}])
        page.get_by_role("button", name="Upload file").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("chronology.pdf has been attached")
        checked(page)
        # Something that is not a document is refused, with the reason.
        page.locator("input[name=file]").set_input_files(files=[{
            "name": "photo.png", "mimeType": "image/png", "buffer": b"MZ not really a picture"}])
        page.get_by_role("button", name="Upload file").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The selected file must be a PDF, Word document, OpenDocument text or image")
        checked(page)
        continue_(page)

        expect(page.locator("main")).to_contain_text("Fictional: <b>shared</b> a made-up video in class.")
        reference = check_and_send(page, "referral")
    finally:
        context.close()

    referral = Referral.objects.get(reference=reference)
    assert referral.kind == ReferralKind.PRACTITIONER
    assert referral.subject_family_name == "Pupil"
    assert [a.original_name for a in referral.attachments.all()] == ["chronology.pdf"]
    assert reference in mail.outbox[-1].body


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_signed_in_practitioner_comes_back_from_your_referrals(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR)
    page.goto(reverse("staff:home"))
    page.get_by_role("link", name="Make a Prevent referral").click()
    heading(page, "Make a Prevent referral")
    page.get_by_role("button", name="Start now").click()
    about_you(page)
    heading(page, "Your safeguarding or Prevent lead")
    page.get_by_role("button", name="Save and come back later").click()
    heading(page, "Your answers have been saved")
    page.get_by_role("link", name="your referrals").click()

    heading(page, "Your referrals")
    page.get_by_role("link", name="Continue").click()
    safeguarding_lead(page)
    heading(page, "The person you are worried about")
    page.get_by_label("First name").fill("Fictional")
    the_rest_of_the_person(page)
    from_carer_to_attachments(page)
    continue_(page)
    reference = check_and_send(page, "referral")
    assert Referral.objects.get(reference=reference).submitted_by is not None

    page.goto(reverse("intake:my-drafts"))
    heading(page, "Your referrals")
    expect(page.locator("main")).to_contain_text("You have no unsent referrals")


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_member_of_the_public_raises_a_concern(page):
    page.goto(reverse("intake:concern-start"))
    heading(page, "Raise a concern about someone")
    page.get_by_role("button", name="Start now").click()
    heading(page, "About you")
    page.get_by_label("Your name").fill("Pat Neighbour")
    page.get_by_label("Your telephone number").fill("01632 960 002")
    continue_(page)
    heading(page, "The person you are worried about")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person’s name, or describe them")
    checked(page)
    page.get_by_label("If you do not know their name, how would you describe them?").fill(
        "The man at number 4 (fictional)")
    page.get_by_label("Approximate age (optional)").fill("40")
    continue_(page)
    heading(page, "What worries you")
    page.get_by_label("What worries you?").fill("A fictional worry.")
    continue_(page)
    heading(page, "Who knows you are telling us")
    page.locator("input[name=subject_aware][value=no]").check()
    page.locator("input[name=family_aware][value=unknown]").check()
    continue_(page)

    # A change from check your answers comes back to it.
    heading(page, "Check your answers before sending your concern")
    page.get_by_role("link", name="Change approximate age").click()
    heading(page, "The person you are worried about")
    page.get_by_label("Approximate age (optional)").fill("45")
    continue_(page)
    expect(page.locator("main")).to_contain_text("45 years")
    reference = check_and_send(page, "concern")
    assert Referral.objects.get(reference=reference).subject_approximate_age == 45


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_an_expired_or_wrong_link_explains_itself(page):
    response = page.goto("/prevent-referral/resume/not-a-real-token/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("This link has expired or is not valid")
    # Not checked(): the browser logs the 404 status itself as a console error.
    assert_accessible(page)
