"""Joining up the dots, in real Chromium, by keyboard alone.

1. A neighbour raises a concern about a boy of about 15 (a name, an age and
   an address); a coordinator records him as a new person. His teacher then
   refers him with another spelling of his name, a date of birth and the
   address written another way; "Identify the person" puts the boy forward,
   saying which facts match, and the coordinator links the referral to him:
   his record shows both referrals and what each said.
2. A referral the rules cannot match is linked by searching; two records of
   one person are merged, and the merge is undone.
3. A person found from People by their name in another script, their record
   corrected (a reason is needed), and a cousin told apart.

Every page on the way passes axe-core and reflows at 320 CSS px. Every name,
address and date here is made up.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.people.models import Person, PersonMerge
from prevent_hub.people.services import person_create_from_referral
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import _open_page, checked, signed_in, with_reference_data
from .keyboard import choose, press, tab_to, tick, type_date, type_into

pytestmark = pytest.mark.browser


def heading(page, text):
    expect(page.locator("h1")).to_have_text(text)
    checked(page)


def continue_(page):
    press(page, page.get_by_role("button", name="Continue"))


def sent_reference(page, name):
    heading(page, f"Check your answers before sending your {name}")
    press(page, page.get_by_role("button", name=f"Send {name}"))
    expect(page.locator(".govuk-panel__title")).to_have_text(f"{name.capitalize()} received")
    checked(page)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"PRV-\d{4}-\d{6}", reference)
    return reference


def neighbours_concern(page):
    page.goto(reverse("intake:concern-start"))
    heading(page, "Raise a concern about someone")
    press(page, page.get_by_role("button", name="Start now"))
    heading(page, "About you")
    type_into(page, page.get_by_label("Your name"), "Alex Demo-Neighbour")
    type_into(page, page.get_by_label("Your email address"), "alex@neighbour.shireford.example")
    continue_(page)
    heading(page, "The person you are worried about")
    type_into(page, page.get_by_label("First name (if you know it)"), "Yusuf")
    type_into(page, page.get_by_label("Last name (if you know it)"), "Demirel")
    type_into(page, page.get_by_label("Approximate age (optional)"), "15")
    type_into(page, page.get_by_label("Where do they live? (optional)"), "9 Example Mews, Exampleton")
    continue_(page)
    heading(page, "What worries you")
    type_into(page, page.get_by_label("What worries you?"), "Fictional: he talks about a made-up group.")
    continue_(page)
    heading(page, "Who knows you are telling us")
    choose(page, "subject_aware", "no")
    choose(page, "family_aware", "unknown")
    continue_(page)
    return sent_reference(page, "concern")


def teachers_referral(page, born):
    page.goto(reverse("intake:referral-start"))
    heading(page, "Make a Prevent referral")
    press(page, page.get_by_role("button", name="Start now"))
    heading(page, "About you")
    type_into(page, page.get_by_label("Your full name"), "Robin Demo-Teacher")
    type_into(page, page.get_by_label("Your organisation"), "Exampleton Academy (demo)")
    type_into(page, page.get_by_label("Your work email address"), "robin@academy.shireford.example")
    continue_(page)
    heading(page, "Your safeguarding or Prevent lead")
    choose(page, "dsl_consulted", "yes")
    type_into(page, page.get_by_label("If yes, their name"), "Jo Demo-Safeguarding")
    continue_(page)
    heading(page, "The person you are worried about")
    type_into(page, page.get_by_label("First name"), "Yousef")
    type_into(page, page.get_by_label("Last name"), "Demirel")
    type_date(page, "subject_date_of_birth", born.day, born.month, born.year)
    type_into(page, page.get_by_label("Address (optional)"), "9 Example Mews\nExampleton")
    type_into(page, page.get_by_label("Postcode (optional)"), "ZZ99 4EM")
    continue_(page)
    heading(page, "Their parent or carer")
    continue_(page)
    heading(page, "Who knows about this referral")
    choose(page, "subject_aware", "no")
    choose(page, "family_aware", "no")
    continue_(page)
    heading(page, "Your concern")
    type_into(page, page.get_by_label("What happened?"), "Fictional: repeated slogans in class.")
    tick(page, page.get_by_label("Online activity (sharing or viewing material, online contacts)"))
    continue_(page)
    heading(page, "Needs that affect the support they may get")
    continue_(page)
    heading(page, "Other agencies involved")
    continue_(page)
    heading(page, "Attach documents")
    continue_(page)
    return sent_reference(page, "referral")


def identify_page(page, reference):
    page.goto(reverse("triage:referral", kwargs={"reference": reference}))
    checked(page)
    press(page, page.get_by_role("link", name=re.compile("identify the person")))
    heading(page, "Identify the person")


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_concern_and_a_referral_about_the_same_child_are_joined_up(browser, live_server, page):
    today = timezone.localdate()
    born = today.replace(year=today.year - 15, day=1) - datetime.timedelta(days=90)

    concern = neighbours_concern(page)
    teachers = teachers_referral(page, born)
    page.context.close()

    context, page = _open_page(browser, live_server, javascript=True)
    try:
        signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
        identify_page(page, concern)
        expect(page.locator("main")).to_contain_text(
            "We found nobody already known who matches this referral")
        press(page, page.get_by_role("button", name="None of these – record as a new person"))
        heading(page, "Yusuf Demirel")

        identify_page(page, teachers)
        card = page.locator(".govuk-summary-card", has_text="Yusuf Demirel")
        expect(card).to_contain_text("similar name: Yousef Demirel and Yusuf Demirel")
        expect(card).to_contain_text(f"date of birth {born.day} {born:%B} {born.year} fits the age given "
                                     "(about 15 on")
        expect(card).to_contain_text("same address: 9 Example Mews")
        press(page, page.get_by_role("button", name="Same person as Yusuf Demirel", exact=True))
        heading(page, "Yusuf Demirel")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Referral {teachers} is now linked to Yusuf Demirel")
        rows = page.locator("table", has_text=concern).locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text(concern)
        expect(rows.nth(1)).to_contain_text(teachers)
        said = page.locator(".govuk-summary-card", has_text=f"What {teachers} said")
        expect(said).to_contain_text("Yousef Demirel")
        expect(said).to_contain_text("ZZ99 4EM")
        expect(page.locator(".govuk-summary-card", has_text=f"What {concern} said")).to_contain_text(
            "Not given (age about 15 on")
    finally:
        context.close()
    person = Person.objects.get()
    assert set(person.referrals.values_list("reference", flat=True)) == {concern, teachers}


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_search_link_merge_and_undo(page, live_server):
    coordinator = signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
    acting = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    first = ReferralFactory(subject_given_name="Amira", subject_family_name="Haddad",
                            subject_postcode="ZZ991AA", subject_date_of_birth=datetime.date(2010, 4, 4),
                            subject_address="2 Example Row")
    amira = person_create_from_referral(referral=first, acting_user=acting)
    twice = ReferralFactory(subject_given_name="Amirah", subject_family_name="Hadad",
                            subject_postcode="ZZ991AB", subject_date_of_birth=datetime.date(2010, 4, 4),
                            subject_address="30 Example Row")
    duplicate = person_create_from_referral(referral=twice, acting_user=acting)
    nickname = ReferralFactory(subject_given_name="Mira", subject_family_name="H", subject_postcode="",
                               subject_date_of_birth=None, subject_approximate_age=None, subject_address="")

    # Nobody matches "Mira H": the coordinator finds her by searching and links the referral.
    identify_page(page, nickname.reference)
    expect(page.locator("main")).to_contain_text("We found nobody already known")
    type_into(page, page.get_by_label("Name", exact=True), "Haddad")
    press(page, page.get_by_role("button", name="Search", exact=True))
    heading(page, "Identify the person")
    press(page, page.get_by_role("button", name=re.compile("Link this referral to Amira Haddad")))
    heading(page, "Amira Haddad")
    nickname.refresh_from_db()
    assert nickname.person == amira

    # Her record offers the other record as possibly the same person: merge it.
    alike = page.locator(".govuk-summary-card", has_text="Amirah Hadad")
    expect(alike).to_contain_text("same date of birth: 4 April 2010")
    press(page, page.get_by_role("link", name="Merge Amirah Hadad’s record into this one"))
    heading(page, "Are these the same person?")
    press(page, page.get_by_role("button", name="Merge the records"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why these are the same person")
    checked(page)
    type_into(page, page.get_by_label("Why are these the same person?"), "Same pupil, fictional")
    press(page, page.get_by_role("button", name="Merge the records"))
    heading(page, "Amira Haddad")
    rows = page.locator("table", has_text=first.reference).locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("main")).to_contain_text("Amirah Hadad was merged into this record")

    # It was wrong after all: undo from the banner's link.
    press(page, page.locator(".govuk-notification-banner").get_by_role("link", name="undo the merge"))
    heading(page, "Undo the merge")
    type_into(page, page.get_by_label("Why was this merge wrong?"), "Different pupils, fictional")
    press(page, page.get_by_role("button", name="Undo the merge"))
    heading(page, "Amirah Hadad")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You undid the merge")
    expect(page.locator("table", has_text=twice.reference).locator("tbody tr")).to_have_count(1)

    merge = PersonMerge.objects.get()
    assert (merge.merged_by, merge.undone_by) == (coordinator, coordinator)
    assert Referral.objects.get(pk=twice.pk).person == duplicate
    assert Referral.objects.get(pk=nickname.pk).person == amira
    tab_to(page, page.get_by_role("link", name="Who has accessed this record"))


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_find_correct_and_tell_apart(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")
    acting = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    referral = ReferralFactory(subject_given_name="Dmitry", subject_family_name="Ivanov",
                               subject_date_of_birth=datetime.date(2009, 9, 9), subject_postcode="ZZ991DD",
                               subject_address="5 Example Walk\nExampleton")
    dmitry = person_create_from_referral(referral=referral, acting_user=acting)
    cousin = ReferralFactory(subject_given_name="Dmitri", subject_family_name="Ivanov",
                             subject_date_of_birth=datetime.date(2009, 9, 9), subject_postcode="ZZ991DE",
                             subject_address="8 Example Walk\nExampleton")
    person_create_from_referral(referral=cousin, acting_user=acting)

    # People, from the staff navigation: a name in another script finds him.
    page.goto(reverse("staff:home"))
    press(page, page.get_by_role("navigation", name="Staff area").get_by_role("link", name="People"))
    heading(page, "Find a person")
    type_into(page, page.get_by_label("Name", exact=True), "Дмитрий Иванов")
    press(page, page.get_by_role("button", name="Search", exact=True))
    heading(page, "Find a person")
    expect(page.locator("#results")).to_have_text("2 people found")
    results = page.get_by_role("region", name="People found, by last name")
    expect(results.locator("tbody tr")).to_have_count(2)
    press(page, results.get_by_role("link", name="Dmitry Ivanov"))
    heading(page, "Dmitry Ivanov")

    # Correct his record: the history keeps what it said.
    press(page, page.get_by_role("link", name=re.compile("Change their details")))
    heading(page, "Change their details")
    type_into(page, page.get_by_label("School, college or employer (optional)"), "Exampleton College (demo)")
    press(page, page.get_by_role("button", name="Save changes"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are changing these details")
    checked(page)
    school = page.get_by_label("School, college or employer (optional)")
    expect(school).to_have_value("Exampleton College (demo)")  # what was typed is kept
    type_into(page, page.get_by_label("Why are you changing these details?"), "The college confirmed it")
    press(page, page.get_by_role("button", name="Save changes"))
    heading(page, "Dmitry Ivanov")
    expect(page.locator("main")).to_contain_text(
        "School, college or employer: was “Shireford Test Academy”, now “Exampleton College (demo)”")

    # The other record is his cousin: not the same person, and not offered again.
    press(page, page.get_by_role("link", name="Not the same person as Dmitri Ivanov"))
    heading(page, "Not the same person as Dmitri Ivanov?")
    press(page, page.get_by_role("button", name="They are not the same person"))
    heading(page, "Dmitry Ivanov")
    expect(page.locator("main")).to_contain_text("No other record has enough facts in common with this one")
    assert Person.objects.get(pk=dmitry.pk).school_or_employer == "Exampleton College (demo)"
