"""The "Get help or raise a concern" questions: one per page, back links, check
your answers with working Change links, clear errors, and nothing personal kept."""

import pytest
from django.urls import reverse

from prevent_hub.audit.models import AuditEvent
from prevent_hub.public.questions import QUESTIONS, SESSION_KEY

from .get_help import (
    CHECK,
    DANGER,
    ONLINE_ONLY,
    RESULT,
    START,
    about_person,
    answer,
    question_url,
    walk,
)
from .pages import main_content, parse, text_of

pytestmark = pytest.mark.django_db

GET_HELP = reverse("public:get-help")
PARENT = about_person("family-or-friend", "child")


def back_link(response):
    link = parse(response).select_one("a.govuk-back-link")
    assert link is not None, "the page has no back link"
    return link["href"]


def error_summary(response):
    summary = parse(response).select_one(".govuk-error-summary")
    return [] if summary is None else [text_of(item) for item in summary.select("li")]


def checked_value(response, name):
    checked = parse(response).select_one(f'input[name="{name}"][checked]')
    return checked["value"] if checked else None


# The start --------------------------------------------------------------------


def test_get_help_page_has_a_start_button_into_the_questions(client):
    main = main_content(parse(client.get(GET_HELP)))
    button = main.find("a", class_="govuk-button--start")
    assert button is not None and button["href"] == START
    assert text_of(button) == "Start now"
    # Prominent: before the first section of the page.
    assert main.find("h2") in button.find_all_next("h2")


def test_start_goes_to_the_first_question_and_forgets_earlier_answers(client):
    walk(client, *PARENT)
    response = client.get(START)
    assert response.status_code == 302 and response["Location"] == question_url("immediate-danger")
    assert SESSION_KEY not in client.session
    # Someone else on the same computer does not see the last person's answers.
    assert checked_value(client.get(question_url("immediate-danger")), "danger") is None


# Every page ------------------------------------------------------------------

FLOW_PAGES = {
    "immediate-danger": [],
    "online-material": [("immediate-danger", "no")],
    "worried-about-a-person": [("immediate-danger", "no"), ("online-material", "yes")],
    "who-you-are": [("immediate-danger", "no"), ("online-material", "no")],
    "child-or-adult": [("immediate-danger", "no"), ("online-material", "no"),
                       ("who-you-are", "member-of-public")],
    "check": PARENT,
    "result": PARENT,
    "result-in-danger": DANGER,
}


def flow_page(client, name):
    walk(client, *FLOW_PAGES[name])
    url = {"check": CHECK, "result": RESULT, "result-in-danger": RESULT}.get(name) or question_url(name)
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("name", FLOW_PAGES)
def test_every_page_shows_the_999_message_before_the_question_or_result(client, name):
    main = main_content(parse(flow_page(client, name)))
    warning = main.find(class_="app-emergency")
    assert warning is not None
    assert warning.find("a", href="tel:999") is not None
    assert "immediate danger" in text_of(warning)
    # Near the top: nothing but the error summary or page heading comes first.
    form = main.find("form")
    if form is not None:
        assert form in warning.find_all_next("form")
    first_h2 = main.find("h2")
    if first_h2 is not None:
        assert first_h2 in warning.find_all_next("h2")


@pytest.mark.parametrize("name", FLOW_PAGES)
def test_every_page_is_well_formed(client, name):
    soup = parse(flow_page(client, name))
    main = main_content(soup)
    assert len(main.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4"])]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"{name}: h{previous} is followed by h{current}"
    assert main.find("h1").find_parent(class_="govuk-grid-column-two-thirds") is not None
    assert main.find("script") is None and main.find(attrs={"style": True}) is None
    assert soup.find("title") is not None
    # The back link sits before the main content, as GOV.UK places it.
    assert soup.select_one("a.govuk-back-link").find_parent("main") is None


@pytest.mark.parametrize("slug", [question.slug for question in QUESTIONS])
def test_one_question_per_page_with_the_question_as_the_heading(client, slug):
    question = next(q for q in QUESTIONS if q.slug == slug)
    main = main_content(parse(flow_page(client, slug)))
    fieldsets = main.find_all("fieldset")
    assert len(fieldsets) == 1
    legend = text_of(fieldsets[0].find("legend"))
    assert legend == question.text
    radios = fieldsets[0].select("input[type=radio]")
    assert [radio["value"] for radio in radios] == [choice.value for choice in question.choices]
    assert main.find("button", string=lambda s: s and "Continue" in s) is not None


def test_the_person_question_comes_after_how_to_report_the_material(client):
    main = main_content(parse(flow_page(client, "worried-about-a-person")))
    assert text_of(main.find("h1")) == "Report the material"
    assert main.find(id="route-report-online-material") is not None
    route = main.find(id="route-report-online-material")
    assert main.find("form") in route.find_all_next("form")
    assert "No, I only want to report the material" in text_of(main)


# Errors ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "slug"), [
    ("immediate-danger", "immediate-danger"),
    ("online-material", "online-material"),
    ("worried-about-a-person", "worried-about-a-person"),
    ("who-you-are", "who-you-are"),
    ("child-or-adult", "child-or-adult"),
])
def test_choosing_nothing_shows_an_error_summary_and_inline_error(client, name, slug):
    walk(client, *FLOW_PAGES[name])
    question = next(q for q in QUESTIONS if q.slug == slug)
    response = answer(client, slug, None)
    assert response.status_code == 200
    assert error_summary(response) == [question.error]
    soup = parse(response)
    assert text_of(soup.find("title")).startswith("Error: ")
    inline = soup.select_one(".govuk-form-group--error .govuk-error-message")
    assert inline is not None and question.error in text_of(inline)
    link = soup.select_one(".govuk-error-summary a")["href"]
    assert soup.find(id=link[1:]) is not None and soup.find(id=link[1:])["type"] == "radio"


def test_an_answer_that_is_not_a_choice_is_refused(client):
    response = client.post(question_url("immediate-danger"), {"danger": "maybe"})
    assert response.status_code == 200
    assert error_summary(response) == ["Select yes if anyone is in immediate danger"]
    assert SESSION_KEY not in client.session


# The paths ---------------------------------------------------------------------


def test_immediate_danger_goes_straight_to_999(client):
    assert walk(client, *DANGER) == RESULT
    main = main_content(parse(client.get(RESULT)))
    assert [section["id"] for section in main.select(".app-route")] == ["route-call-999"]
    assert main.find("a", href="tel:999") is not None
    # Nothing else is asked, and there are no answers to check.
    assert client.get(CHECK)["Location"] == RESULT
    assert client.get(question_url("online-material"))["Location"] == RESULT
    assert back_link(client.get(RESULT)) == question_url("immediate-danger")


def test_material_online_shows_the_route_then_lets_them_go_on(client):
    response = walk(client, ("immediate-danger", "no"), ("online-material", "yes"))
    assert response == question_url("worried-about-a-person")
    assert answer(client, "worried-about-a-person", "yes")["Location"] == question_url("who-you-are")


def test_material_online_only_skips_the_questions_about_a_person(client):
    assert walk(client, *ONLINE_ONLY) == CHECK
    rows = parse(client.get(CHECK)).select(".govuk-summary-list__row")
    assert [text_of(row.select_one(".govuk-summary-list__value")) for row in rows] == [
        "No", "Yes", "No, I only want to report the material"]


@pytest.mark.parametrize(("slug", "expected_back"), [
    ("immediate-danger", GET_HELP),
    ("online-material", question_url("immediate-danger")),
    ("who-you-are", question_url("online-material")),
    ("child-or-adult", question_url("who-you-are")),
])
def test_back_links_go_to_the_previous_question(client, slug, expected_back):
    walk(client, *PARENT)
    assert back_link(client.get(question_url(slug))) == expected_back


def test_back_link_after_the_online_question_goes_through_the_person_question(client):
    walk(client, *about_person("member-of-public", "adult", online=True))
    assert back_link(client.get(question_url("who-you-are"))) == question_url("worried-about-a-person")
    assert back_link(client.get(question_url("worried-about-a-person"))) == question_url("online-material")


def test_going_back_shows_the_answer_already_given_and_continues_in_order(client):
    walk(client, *PARENT)
    assert checked_value(client.get(question_url("who-you-are")), "who") == "family-or-friend"
    # Continue goes to the next question, not straight to the end.
    assert answer(client, "who-you-are", "family-or-friend")["Location"] == question_url("child-or-adult")


def test_check_answers_lists_each_answer_with_a_change_link(client):
    assert walk(client, *PARENT) == CHECK
    response = client.get(CHECK)
    assert back_link(response) == question_url("child-or-adult")
    rows = parse(response).select(".govuk-summary-list__row")
    assert [text_of(row.select_one(".govuk-summary-list__key")) for row in rows] == [
        "Is anyone in immediate danger?",
        "Is your concern about terrorist or extremist material you have seen online?",
        "Which of these best describes you?",
        "Is the person you are worried about a child or an adult?",
    ]
    assert [text_of(row.select_one(".govuk-summary-list__value")) for row in rows] == [
        "No", "No", "A family member or friend of the person", "A child or young person under 18"]
    links = [row.select_one(".govuk-summary-list__actions a") for row in rows]
    assert [link["href"] for link in links] == [
        question_url(slug, change=True)
        for slug in ["immediate-danger", "online-material", "who-you-are", "child-or-adult"]]
    assert text_of(links[2]) == "Change which of these best describes you"
    assert parse(response).find("a", href=RESULT) is not None


def test_change_link_returns_to_check_answers(client):
    walk(client, *PARENT)
    page = client.get(question_url("who-you-are", change=True))
    assert back_link(page) == CHECK
    assert checked_value(page, "who") == "family-or-friend"
    response = answer(client, "who-you-are", "professional", change=True)
    assert response["Location"] == CHECK
    assert "A professional or volunteer" in text_of(parse(client.get(CHECK)))


def test_a_change_that_needs_a_new_answer_asks_it_then_returns(client):
    walk(client, *PARENT)
    response = answer(client, "online-material", "yes", change=True)
    assert response["Location"] == question_url("worried-about-a-person", change=True)
    # Until the new question is answered, back goes to the question before it.
    page = client.get(question_url("worried-about-a-person", change=True))
    assert back_link(page) == question_url("online-material", change=True)
    assert answer(client, "worried-about-a-person", "yes", change=True)["Location"] == CHECK
    rows = parse(client.get(CHECK)).select(".govuk-summary-list__row")
    assert len(rows) == 5


def test_changing_to_danger_goes_to_999_and_changing_back_keeps_the_rest(client):
    walk(client, *PARENT)
    assert answer(client, "immediate-danger", "yes", change=True)["Location"] == RESULT
    assert answer(client, "immediate-danger", "no", change=True)["Location"] == CHECK
    assert len(parse(client.get(CHECK)).select(".govuk-summary-list__row")) == 4


def test_answers_no_longer_asked_are_not_used(client):
    walk(client, *about_person("member-of-public", "adult", online=True))
    answer(client, "online-material", "no", change=True)
    main = main_content(parse(client.get(RESULT)))
    assert main.find(id="route-report-online-material") is None
    assert len(parse(client.get(CHECK)).select(".govuk-summary-list__row")) == 4


# Pages out of turn ------------------------------------------------------------


@pytest.mark.parametrize("url", [
    question_url("online-material"), question_url("who-you-are"), question_url("child-or-adult"),
    question_url("worried-about-a-person"), CHECK, RESULT,
])
def test_a_page_out_of_turn_sends_you_to_the_first_unanswered_question(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == question_url("immediate-danger")


def test_the_person_question_is_not_asked_unless_material_online(client):
    walk(client, ("immediate-danger", "no"), ("online-material", "no"))
    response = client.get(question_url("worried-about-a-person"))
    assert response["Location"] == question_url("who-you-are")


def test_an_unknown_question_is_not_found(client):
    assert client.get(question_url("favourite-colour")).status_code == 404


def test_tampered_session_values_are_ignored(client):
    session = client.session
    session[SESSION_KEY] = {"danger": "no", "online": "<script>", "who": ["x"], "extra": "y"}
    session.save()
    assert client.get(RESULT)["Location"] == question_url("online-material")


# Nothing personal -------------------------------------------------------------


def test_only_the_answers_are_kept_and_nothing_is_recorded(client):
    walk(client, *PARENT)
    client.get(RESULT)
    assert client.session[SESSION_KEY] == {
        "danger": "no", "online": "no", "who": "family-or-friend", "age": "child"}
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", FLOW_PAGES)
def test_no_page_asks_for_anything_typed(client, name):
    main = main_content(parse(flow_page(client, name)))
    assert not main.select("input[type=text], input[type=email], input[type=tel], textarea")


def test_the_result_offers_the_forms_and_ways_to_start_again(client):
    walk(client, *PARENT)
    main = main_content(parse(client.get(RESULT)))
    assert back_link(client.get(RESULT)) == CHECK
    hrefs = {link["href"] for link in main.find_all("a", href=True)}
    assert {CHECK, START, GET_HELP, reverse("intake:concern-start")} <= hrefs
