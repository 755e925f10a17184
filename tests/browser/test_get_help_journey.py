"""The public "Get help or raise a concern" questions in real Chromium, for four
people: a parent worried about their child, a member of the public who saw
extremist material online, a teacher, and someone whose friend is in danger now.
Every page passes axe-core; back links and "Change" links work; and the whole
journey works with JavaScript switched off."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import checked, with_reference_data

pytestmark = pytest.mark.browser



with_directory = with_reference_data

GET_HELP = reverse("public:get-help")
CHECK = reverse("public:get-help-check")
RESULT = reverse("public:get-help-result")


def heading(page):
    return page.locator("main h1")


def start(page):
    page.goto(GET_HELP)
    checked(page)
    page.get_by_role("button", name="Start now").click()
    expect(heading(page)).to_have_text("Is anyone in immediate danger?")
    expect(page.locator("main .app-emergency")).to_contain_text("immediate danger")
    checked(page)


def answer(page, choice, *, next_heading):
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text(next_heading)
    expect(page.locator("main .app-emergency")).to_be_visible()
    checked(page)


def summary_values(page):
    return page.locator(".govuk-summary-list__value").all_inner_texts()


def routes(page):
    """The routes the "who can help" page offers, once it has loaded (every
    answer offers at least one)."""
    found = page.locator("main .app-route[id^=route-] h2")
    expect(found.first).to_be_visible()
    return found.all_inner_texts()


@with_directory
def test_a_parent_worried_about_their_child(page):
    start(page)

    # Nothing chosen: an error summary that takes focus, and an inline error.
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select yes if anyone is in immediate danger")
    expect(page.locator(".govuk-error-message")).to_contain_text("Select yes if anyone")
    assert page.title().startswith("Error: Is anyone in immediate danger?")
    checked(page)
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_danger"

    answer(page, "No", next_heading=(
        "Is your concern about terrorist or extremist material you have seen online?"))

    # The back link returns to the last question, with the answer kept.
    page.get_by_role("link", name="Back").click()
    expect(heading(page)).to_have_text("Is anyone in immediate danger?")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    checked(page)
    page.get_by_role("button", name="Continue").click()

    answer(page, "No", next_heading="Which of these best describes you?")
    answer(page, "A family member or friend of the person",
           next_heading="Is the person you are worried about a child or an adult?")
    answer(page, "A child or young person under 18", next_heading="Check your answers")
    assert summary_values(page) == [
        "No", "No", "A family member or friend of the person", "A child or young person under 18"]

    # A "Change" link goes to the question and straight back.
    page.get_by_role("link", name="Change whether the person is a child or an adult").click()
    expect(page.get_by_label("A child or young person under 18")).to_be_checked()
    checked(page)
    page.get_by_role("link", name="Back").click()
    expect(heading(page)).to_have_text("Check your answers")
    page.get_by_role("link", name="Change whether the person is a child or an adult").click()
    answer(page, "I'm not sure", next_heading="Check your answers")
    assert summary_values(page)[3] == "I'm not sure"
    page.get_by_role("link", name="Change whether the person is a child or an adult").click()
    answer(page, "A child or young person under 18", next_heading="Check your answers")

    page.get_by_role("button", name="See who can help").click()
    expect(heading(page)).to_have_text("Who can help")
    checked(page)
    assert routes(page) == [
        "Talk to ACT Early in confidence", "Tell the council's children's team",
        "Advice for parents and carers"]
    main = page.locator("main")
    expect(main.get_by_role("heading", name="ACT Early support line")).to_be_visible()
    expect(main.get_by_role("heading", name="First Response Children's Duty")).to_be_visible()
    expect(main.get_by_role("heading", name="NSPCC helpline")).to_be_visible()
    expect(main.locator('a[href^="tel:"]').first).to_be_visible()
    concern = page.get_by_role("button", name="Tell the Prevent team about your concern")
    expect(concern).to_have_attribute("href", reverse("intake:concern-start"))

    page.get_by_role("link", name="Back").click()
    expect(heading(page)).to_have_text("Check your answers")


@with_directory
def test_a_member_of_the_public_who_saw_extremist_material_online(page):
    start(page)
    answer(page, "No", next_heading=(
        "Is your concern about terrorist or extremist material you have seen online?"))
    answer(page, "Yes", next_heading="Report the material")
    # The reporting route is shown at once, and they may go on.
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Report online terrorist or extremist material")).to_be_visible()
    expect(main.locator('a[href="https://www.gov.uk/report-terrorism"]')).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if you are also worried about a particular person")
    checked(page)
    answer(page, "No, I only want to report the material", next_heading="Check your answers")
    assert summary_values(page) == ["No", "Yes", "No, I only want to report the material"]

    page.get_by_role("button", name="See who can help").click()
    expect(heading(page)).to_have_text("Who can help")
    checked(page)
    assert routes(page) == ["Report the material online"]
    expect(page.locator("#send-to-prevent-team")).to_have_count(0)

    # On reflection they are worried about the person who shared it.
    page.get_by_role("link", name="Check or change your answers").click()
    page.get_by_role("link", name="Change whether you are also worried about a person").click()
    checked(page)
    answer(page, "Yes", next_heading="Which of these best describes you?")
    # Back goes through the question that opened the new ones.
    page.get_by_role("link", name="Back").click()
    expect(heading(page)).to_have_text("Report the material")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Which of these best describes you?")
    answer(page, "A member of the public",
           next_heading="Is the person you are worried about a child or an adult?")
    answer(page, "An adult aged 18 or over", next_heading="Check your answers")
    page.get_by_role("button", name="See who can help").click()
    checked(page)
    assert routes(page) == [
        "Report the material online", "Tell the police about anything suspicious",
        "Tell Adult Social Care"]
    expect(page.get_by_role("button", name="Tell the Prevent team about your concern")).to_be_visible()


@with_directory
def test_a_teacher_worried_about_a_pupil(page):
    start(page)
    answer(page, "No", next_heading=(
        "Is your concern about terrorist or extremist material you have seen online?"))
    answer(page, "No", next_heading="Which of these best describes you?")
    answer(page, "A professional or volunteer",
           next_heading="Is the person you are worried about a child or an adult?")
    answer(page, "A child or young person under 18", next_heading="Check your answers")

    page.get_by_role("link", name="Change which of these best describes you").click()
    expect(page.get_by_label("A professional or volunteer")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Check your answers")

    page.get_by_role("button", name="See who can help").click()
    checked(page)
    assert routes(page) == [
        "Talk to your safeguarding lead, then make a referral",
        "If it is about a child, tell the children's team as well"]
    expect(page.locator("main")).to_contain_text("Designated Safeguarding Lead")
    referral = page.get_by_role("button", name="Make a Prevent referral")
    expect(referral).to_have_attribute("href", reverse("intake:referral-start"))
    expect(page.get_by_role("button", name="Tell the Prevent team about your concern")).to_have_count(0)


@with_directory
def test_someone_in_immediate_danger_is_told_to_call_999_at_once(page):
    start(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(re.escape(RESULT) + "$"))
    expect(heading(page)).to_have_text("Who can help")
    checked(page)
    assert routes(page) == ["Call 999 now"]
    expect(page.locator("main .app-route").get_by_role("link", name="999")).to_have_attribute(
        "href", "tel:999")
    # No other questions, and nothing to check.
    page.goto(CHECK)
    expect(page).to_have_url(re.compile(re.escape(RESULT) + "$"))
    page.get_by_role("link", name="Back").click()
    expect(heading(page)).to_have_text("Is anyone in immediate danger?")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    checked(page)


@with_directory
def test_the_questions_work_without_javascript(page_without_js):
    page = page_without_js
    page.goto(GET_HELP)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    for choice in ["No", "No", "A member of the public", "I'm not sure"]:
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Check your answers")
    page.get_by_role("link", name="Change whether anyone is in immediate danger").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Check your answers")
    page.get_by_role("button", name="See who can help").click()
    assert routes(page) == [
        "Tell the police about anything suspicious", "Tell the council's children's team",
        "Tell Adult Social Care"]


@with_directory
def test_an_administrator_changes_a_routing_rule_and_the_public_sees_it(page, live_server):
    from prevent_hub.access.roles import Role

    from .conftest import signed_in

    signed_in(page, live_server, Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")
    page.goto(reverse("administration:index"))
    page.get_by_role("link", name="Routing rules for 'Get help'").click()
    expect(heading(page)).to_have_text("Routing rules for 'Get help'")
    checked(page)

    page.get_by_role("link", name="Change Advice for parents and carers").click()
    expect(heading(page)).to_have_text("Advice for parents and carers")
    checked(page)
    page.get_by_label("Heading").fill("")
    page.get_by_label("Contact 2 (optional)").select_option(label="ACT Early support line")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a heading")
    # What was chosen is still chosen.
    expect(page.get_by_label("Contact 2 (optional)").locator("option:checked")).to_have_text(
        "ACT Early support line")
    checked(page)
    page.get_by_label("Heading").fill("Advice for anyone caring for a child")
    page.get_by_label("Contact 2 (optional)").select_option(label="No contact")
    page.get_by_role("group", name="Is it about a child or an adult?").get_by_label("Not sure").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Rule saved: Advice for anyone caring for a child")
    checked(page)

    page.get_by_role("button", name="Add a routing rule").click()
    expect(heading(page)).to_have_text("Add a routing rule")
    checked(page)

    # The public now see the changed rule when unsure of the age.
    page.context.clear_cookies()
    start(page)
    answer(page, "No", next_heading=(
        "Is your concern about terrorist or extremist material you have seen online?"))
    answer(page, "No", next_heading="Which of these best describes you?")
    answer(page, "A family member or friend of the person",
           next_heading="Is the person you are worried about a child or an adult?")
    answer(page, "I'm not sure", next_heading="Check your answers")
    page.get_by_role("button", name="See who can help").click()
    assert "Advice for anyone caring for a child" in routes(page)
