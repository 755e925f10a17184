"""Every public information page: reachable, well formed and cheap to serve."""

import pytest

from prevent_hub.directory.models import Contact

from .pages import PAGE_NAMES, main_content, parse, text_of, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_is_public_and_cheap(client, django_assert_max_num_queries, name):
    with django_assert_max_num_queries(3):
        response = client.get(url(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_one_h1_and_a_title(client, name):
    soup = parse(client.get(url(name)))
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"{name} has {len(h1s)} h1 elements"
    assert text_of(h1s[0])
    assert h1s[0].find_parent("main") is not None
    title = soup.find("title")
    assert title is not None
    # The page's own part of the title comes first, before the service name.
    own_part = text_of(title).split(" – ")[0]
    assert own_part, f"{name} has no page title of its own"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_headings_go_down_one_level_at_a_time(client, name):
    main = main_content(parse(client.get(url(name))))
    levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1, f"{name}: the first heading is not the h1"
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"{name}: h{previous} is followed by h{current}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_content_respects_the_content_security_policy(client, name):
    main = main_content(parse(client.get(url(name))))
    assert main.find("script") is None
    assert main.find("style") is None
    assert main.find(attrs={"style": True}) is None
    for element in main.find_all(True):
        assert not any(attr.startswith("on") for attr in element.attrs), element


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_content_sits_in_a_two_thirds_reading_column(client, name):
    main = main_content(parse(client.get(url(name))))
    h1 = main.find("h1")
    assert h1.find_parent(class_="govuk-grid-column-two-thirds") is not None


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_in_page_links_point_at_something(client, name):
    soup = parse(client.get(url(name)))
    for link in main_content(soup).find_all("a", href=True):
        if link["href"].startswith("#"):
            assert soup.find(id=link["href"][1:]) is not None, f"{name}: {link['href']} is broken"


def test_home_links_to_every_other_page_and_to_get_help_first(client):
    main = main_content(parse(client.get(url("home"))))
    hrefs = {link["href"] for link in main.find_all("a", href=True)}
    for name in PAGE_NAMES:
        if name != "home":
            assert url(name) in hrefs, f"the home page does not link to {name}"
    # The route to help is a prominent start button, before the first h2.
    button = main.find("a", class_="govuk-button--start")
    assert button is not None and button["href"] == url("get-help")
    assert main.find("h2") in button.find_all_next("h2")


def test_home_explains_the_duty_and_who_runs_it(client):
    text = text_of(main_content(parse(client.get(url("home")))))
    assert "Counter-Terrorism and Security Act 2015" in text
    assert "section 26" in text
    assert "Community Safety team" in text


def test_channel_page_covers_consent_and_no_criminal_record(client):
    text = text_of(main_content(parse(client.get(url("channel")))))
    for phrase in [
        "voluntary",
        "18 or over",
        "parent or guardian",
        "police are always represented",
        "gateway assessment",
        "Only the police can bring a case to the panel",
        "intervention provider",
        "does not give anyone a criminal record",
        "If someone says no",
        "Sections 36 to 38",
    ]:
        assert phrase in text, phrase


def test_venue_hire_page_sets_out_ask_check_decide_and_appeal(client):
    main = main_content(parse(client.get(url("venue-hire"))))
    headings = [text_of(h) for h in main.find_all(["h2", "h3"])]
    for heading in ["Ask", "Check", "Decide", "If your event changes", "If you disagree with a decision"]:
        assert heading in headings
    text = text_of(main)
    assert "approve it with conditions" in text
    assert "named member of council staff" in text
    assert Contact.objects.get(key="venue-bookings").name in text


def test_complaints_page_separates_application_from_policy(client):
    text = text_of(main_content(parse(client.get(url("complaints")))))
    assert "cannot deal with complaints about Prevent policy" in text
    assert "working days" in text
    for key in ["stacu", "independent-prevent-commissioner", "council-complaints"]:
        assert Contact.objects.get(key=key).name in text


def test_privacy_notice_states_the_lawful_basis_and_rights(client):
    text = text_of(main_content(parse(client.get(url("privacy")))))
    for phrase in [
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Schedule 1 to the Data Protection Act 2018",
        "section 10 of the Data Protection Act 2018",
        "one calendar month",
        "6 years from exit from Channel or the transfer",
        "3 years from the gateway outcome",
        "retention schedule",
        "do not use profiling",
        Contact.objects.get(key="data-protection-officer").name,
        Contact.objects.get(key="ico").name,
    ]:
        assert phrase in text, phrase


def test_accessibility_statement_follows_the_model(client):
    main = main_content(parse(client.get(url("accessibility"))))
    headings = [text_of(h) for h in main.find_all(["h2", "h3"])]
    for heading in [
        "How accessible this website is",
        "What to do if you cannot access parts of this website",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Preparation of this accessibility statement",
    ]:
        assert heading in headings, heading
    text = text_of(main)
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "axe-core" in text and "keyboard" in text
    assert "25 November 2026" in text
    assert Contact.objects.get(key="eass").name in text


def test_cookie_page_lists_only_essential_cookies(client):
    main = main_content(parse(client.get(url("cookies"))))
    table = main.find("table", class_="govuk-table")
    assert table is not None
    names = text_of(table)
    for cookie in ["sessionid", "__Host-sessionid", "csrftoken", "__Host-csrftoken"]:
        assert cookie in names
    text = text_of(main)
    assert "cookie banner" in text


def test_cookie_page_names_the_cookies_settings_actually_use(client, settings):
    names = text_of(main_content(parse(client.get(url("cookies")))).find("table"))
    assert settings.SESSION_COOKIE_NAME in names
    assert settings.CSRF_COOKIE_NAME in names
