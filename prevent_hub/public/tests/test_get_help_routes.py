"""What someone sees after answering the questions: a test for each default
routing rule, and the whole result for each kind of situation."""

import pytest
from django.urls import reverse

from prevent_hub.directory.defaults import DEFAULT_ROUTING_RULES
from prevent_hub.directory.models import Contact, RoutingRule

from .get_help import DANGER, ONLINE_ONLY, RESULT, about_person, walk
from .pages import main_content, parse, text_of

pytestmark = pytest.mark.django_db

CONCERN_FORM = reverse("intake:concern-start")
REFERRAL_FORM = reverse("intake:referral-start")

# situation → (answers, rules shown in order, contacts shown in order, forms offered)
SITUATIONS = {
    "someone in immediate danger": (
        DANGER, ["call-999"], ["emergency"], []),
    "only material online": (
        ONLINE_ONLY, ["report-online-material"], ["report-online-material"], []),
    "parent worried about their child": (
        about_person("family-or-friend", "child"),
        ["family-act-early", "child-childrens-duty", "child-nspcc"],
        ["act-early", "childrens-duty", "emergency-duty-team", "nspcc-helpline"],
        [CONCERN_FORM]),
    "friend worried about an adult": (
        about_person("family-or-friend", "adult"),
        ["family-act-early", "adult-social-care"],
        ["act-early", "adult-social-care", "emergency-duty-team"],
        [CONCERN_FORM]),
    "family member not sure of the age": (
        about_person("family-or-friend", "not-sure"),
        ["family-act-early", "child-childrens-duty", "adult-social-care"],
        ["act-early", "childrens-duty", "emergency-duty-team", "adult-social-care"],
        [CONCERN_FORM]),
    "member of the public worried about a child": (
        about_person("member-of-public", "child"),
        ["public-suspicious-activity", "child-childrens-duty", "child-nspcc"],
        ["anti-terrorist-hotline", "childrens-duty", "emergency-duty-team", "nspcc-helpline"],
        [CONCERN_FORM]),
    "member of the public who saw material online and is worried about an adult": (
        about_person("member-of-public", "adult", online=True),
        ["report-online-material", "public-suspicious-activity", "adult-social-care"],
        ["report-online-material", "anti-terrorist-hotline", "adult-social-care",
         "emergency-duty-team"],
        [CONCERN_FORM]),
    "teacher worried about a pupil": (
        about_person("professional", "child"),
        ["professional-safeguarding-lead", "professional-child"],
        ["prevent-team", "childrens-duty", "safeguarding-children-partnership"],
        [REFERRAL_FORM]),
    "nurse worried about an adult patient": (
        about_person("professional", "adult"),
        ["professional-safeguarding-lead", "professional-adult"],
        ["prevent-team", "adult-social-care", "safeguarding-adults-board"],
        [REFERRAL_FORM]),
    "youth worker not sure of the age": (
        about_person("professional", "not-sure"),
        ["professional-safeguarding-lead", "professional-child", "professional-adult"],
        ["prevent-team", "childrens-duty", "safeguarding-children-partnership",
         "adult-social-care", "safeguarding-adults-board"],
        [REFERRAL_FORM]),
}


def result_page(client, steps):
    assert walk(client, *steps) in (RESULT, reverse("public:get-help-check"))
    response = client.get(RESULT)
    assert response.status_code == 200
    return main_content(parse(response))


def rules_shown(main):
    return [section["id"].removeprefix("route-") for section in main.select(".app-route[id^=route-]")]


def contacts_shown(main):
    names = [text_of(card.find(["h2", "h3"])) for card in main.select(".app-contact-card")]
    by_name = {contact.name: contact.key for contact in Contact.objects.all()}
    return [by_name[name] for name in names]


def forms_offered(main):
    offers = main.select("#make-a-referral, #send-to-prevent-team")
    return [link["href"] for offer in offers for link in offer.select("a.govuk-button")]


def test_a_professional_is_offered_this_services_referral_form_before_anything_else(client):
    steps = SITUATIONS["teacher worried about a pupil"][0]
    main = result_page(client, steps)
    offer = main.find(id="make-a-referral")
    first_route = main.select_one(".app-route[id^=route-]")
    assert offer is not None and offer.sourceline < first_route.sourceline
    assert offer.select_one("a.govuk-button")["href"] == reverse("intake:referral-start")
    assert "What happens after you make a referral" in text_of(main)


@pytest.mark.parametrize(("situation", "ending", "not_said"), [
    ("someone in immediate danger", "Once everyone is safe", "Most concerns do not go on to Channel"),
    ("teacher worried about a pupil", "What happens after you make a referral",
     "Most concerns do not go on to Channel"),
    ("parent worried about their child", "What happens after you raise a concern", "make a referral"),
    ("only material online", "What happens after you report it", "Most concerns do not go on to Channel"),
])
def test_each_result_ends_with_advice_that_fits_its_route(client, situation, ending, not_said):
    text = text_of(result_page(client, SITUATIONS[situation][0]))
    assert ending in text and not_said not in text


@pytest.mark.parametrize("situation", SITUATIONS)
def test_each_situation_sees_its_routes_in_order(client, situation):
    steps, rules, contacts, offers = SITUATIONS[situation]
    main = result_page(client, steps)
    assert rules_shown(main) == rules
    assert contacts_shown(main) == contacts
    assert forms_offered(main) == offers


def test_every_default_rule_is_seen_in_some_situation():
    seen = {key for _steps, rules, _contacts, _offers in SITUATIONS.values() for key in rules}
    assert seen == {rule["key"] for rule in DEFAULT_ROUTING_RULES}


def _situation_showing(key):
    return next(name for name, (_s, rules, _c, _o) in SITUATIONS.items() if key in rules)


@pytest.mark.parametrize("rule", DEFAULT_ROUTING_RULES, ids=lambda rule: rule["key"])
def test_each_default_rule_shows_its_advice_and_contacts(client, rule):
    steps, rules, _contacts, offers = SITUATIONS[_situation_showing(rule["key"])]
    main = result_page(client, steps)
    section = main.find(id=f"route-{rule['key']}")
    assert text_of(section.find("h2")) == rule["title"]
    text = text_of(section)
    for paragraph in rule["advice"].splitlines():
        assert paragraph in text
    earlier = main.find_all(class_="app-route")[: rules.index(rule["key"])]
    for key in rule["contacts"]:
        contact = Contact.objects.get(key=key)
        shown_earlier = any(contact.name in text_of(other) for other in earlier)
        if shown_earlier:
            # Each contact is shown once: here it is pointed to.
            assert f"{contact.name}" in text and "are shown above" in text
            assert not any(text_of(card.find("h3")) == contact.name
                           for card in section.select(".app-contact-card"))
            continue
        card = next(card for card in section.select(".app-contact-card")
                    if text_of(card.find("h3")) == contact.name)
        card_text = text_of(card)
        assert contact.who_for in card_text
        if contact.phone:
            assert card.find("a", href=contact.phone_href) is not None
            assert contact.phone in card_text
        if contact.web_address:
            assert card.find("a", href=contact.web_address) is not None
        if contact.hours:
            assert contact.hours in card_text
    if rule.get("offer") == "concern":
        assert CONCERN_FORM in offers
    elif rule.get("offer") == "referral":
        assert REFERRAL_FORM in offers


def test_default_rules_match_their_conditions_only():
    """Someone in danger sees only the 999 rule; nobody else does."""
    installed = {rule.key: rule for rule in RoutingRule.objects.all()}
    assert installed["call-999"].matches({"danger": "yes"})
    for key, rule in installed.items():
        if key != "call-999":
            assert not rule.matches({"danger": "yes"}), key
    assert not installed["call-999"].matches({"danger": "no", "online": "no"})


def test_a_switched_off_rule_is_not_shown(client):
    RoutingRule.objects.filter(key="child-nspcc").update(is_active=False)
    main = result_page(client, about_person("family-or-friend", "child"))
    assert rules_shown(main) == ["family-act-early", "child-childrens-duty"]
    assert "nspcc-helpline" not in contacts_shown(main)


def test_a_hidden_contact_is_left_out_of_every_rule(client):
    Contact.objects.filter(key="emergency-duty-team").update(is_active=False)
    main = result_page(client, about_person("family-or-friend", "not-sure"))
    assert contacts_shown(main) == ["act-early", "childrens-duty", "adult-social-care"]
    assert "shown above" not in text_of(main)


def test_an_edited_rule_shows_at_once(client):
    rule = RoutingRule.objects.get(key="family-act-early")
    rule.advice = "First paragraph of new advice.\nSecond paragraph."
    rule.save()
    main = result_page(client, about_person("family-or-friend", "adult"))
    paragraphs = [text_of(p) for p in main.find(id="route-family-act-early").find_all("p")]
    assert paragraphs[:2] == ["First paragraph of new advice.", "Second paragraph."]


def test_hostile_rule_text_is_escaped(client):
    RoutingRule.objects.filter(key="call-999").update(
        title='<script>alert("x")</script>', advice="<b>bold</b>")
    walk(client, *DANGER)
    html = client.get(RESULT).content.decode()
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_with_no_matching_rule_the_page_still_helps(client):
    RoutingRule.objects.update(is_active=False)
    main = result_page(client, about_person("member-of-public", "adult"))
    assert rules_shown(main) == []
    text = text_of(main)
    assert "We could not match your answers" in text
    assert Contact.objects.get(key="prevent-team").name in text
    assert main.find("a", href=reverse("public:get-help")) is not None
    assert main.find(class_="app-emergency") is not None


def test_the_result_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    walk(client, *about_person("professional", "not-sure"))
    # The session (read, then saved: 4), the rules and their contacts (2), the directory (1).
    with django_assert_max_num_queries(7):
        assert client.get(RESULT).status_code == 200
