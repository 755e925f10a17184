"""Issue 5's "Done means", tried in real Chromium as a new coordinator would.

A coordinator takes a case from the police gateway decision through consent,
a Vulnerability Assessment Framework assessment, a support plan with
sessions and closure; the panel's decisions between (adoption, a review,
exit, both post-exit reviews) are taken at its meetings, which
test_panel_decides.py drives in the browser. Then each
step the law forbids is tried and refused with a clear message, with nothing
changed: support without consent (before it is given, after it is refused,
after it is withdrawn), a child consenting for themselves, an adult's consent
given by a parent, and closing without reasons. Every page
visited passes axe-core.

Dates are today's throughout: the case is opened today (by the gateway
decision) and nothing can be recorded in the future.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory
from prevent_hub.channel.models import (
    CaseStatus,
    ChannelCase,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    Review,
    ReviewKind,
    SessionStatus,
    SupportSession,
)
from prevent_hub.channel.reviews import add_months
from prevent_hub.channel.tests.factories import ChannelCaseFactory
from prevent_hub.channel.tests.factories_consent_support import case_in_support
from prevent_hub.channel.tests.factories_reviews import exit_assessment
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.models import ItemDecision
from prevent_hub.panels.tests.helpers import decided_at_a_meeting
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import ReferralStatus
from prevent_hub.referrals.tests.factories import ReferralFactory

from .conftest import checked, signed_in, with_reference_data

pytestmark = pytest.mark.browser

ERRORS = ".govuk-error-summary"
BANNER = ".govuk-notification-banner"


def _date(page, field, day):
    page.locator(f"#id_{field}-day").fill(str(day.day))
    page.locator(f"#id_{field}-month").fill(str(day.month))
    page.locator(f"#id_{field}-year").fill(str(day.year))


def _status(case):
    return ChannelCase.objects.get(pk=case.pk).status


def _born_years_ago(years):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=30)


# The journey ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_coordinator_takes_a_case_from_the_gateway_to_closure(page, live_server):
    coordinator = signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    me = f"Casey Coordinator ({coordinator.organisation.name})"
    OrganisationFactory(name="Fictional Mentoring Trust", type=OrganisationType.INTERVENTION_PROVIDER)
    # 16 today: under 18, so a parent or guardian gives consent.
    person = PersonFactory(given_name="Testina", family_name="Example", date_of_birth=_born_years_ago(16))
    referral = ReferralFactory(subject_given_name="Testina", subject_family_name="Example", person=person,
                               status=ReferralStatus.AWAITING_GATEWAY, police_shared_at=timezone.now(),
                               received_at=timezone.now() - datetime.timedelta(days=5))
    today = timezone.localdate()

    # The gateway decision opens the case.
    page.goto(reverse("triage:referral", kwargs={"reference": referral.reference}))
    checked(page)
    page.get_by_role("button", name="Record the gateway outcome").click()
    checked(page)
    page.get_by_label("Proceed to Channel").check()
    page.get_by_label("Reasons for the outcome").fill("Fictional reasons given by the police")
    page.get_by_role("button", name="Save the outcome").click()
    case = ChannelCase.objects.get(referral=referral)
    expect(page.locator(BANNER)).to_contain_text(f"Channel case {case.reference} has been opened")
    checked(page)
    page.get_by_role("link", name=f"Channel case {case.reference}").first.click()
    expect(page.locator("h1")).to_have_text(case.reference)
    checked(page)

    # The panel adopts it.
    page.get_by_role("button", name="Send to the panel").click()
    checked(page)
    page.get_by_label("Why is the case ready for the panel?").fill("Screening complete (fictional)")
    page.get_by_role("button", name="Send to the panel").click()
    expect(page.locator(".app-case-status .govuk-tag")).to_have_text("Awaiting panel decision")
    checked(page)
    # Adoption is the panel's, at a meeting (tests/browser/test_panel_decides.py
    # drives that): the case page does not offer it.
    expect(page.get_by_role("button", name="Record adoption")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("The panel decides whether to adopt the case")
    decided_at_a_meeting(case, ItemDecision.ADOPT, reasons="Panel agreed support is needed (fictional)")
    page.reload()
    expect(page.locator(".app-case-status .govuk-tag")).to_have_text("Adopted")
    checked(page)

    # Consent: sought from a parent, and given.
    page.get_by_role("button", name="Start seeking consent").click()
    checked(page)
    page.get_by_label("How and by whom will consent be sought?").fill("A home visit by the coordinator")
    page.get_by_role("button", name="Start seeking consent").click()
    expect(page.locator(".app-case-status .govuk-tag")).to_have_text("Consent being sought")
    checked(page)
    page.get_by_role("link", name="Consent", exact=True).click()
    expect(page.locator("h1")).to_have_text("Consent")
    expect(page.locator("main")).to_contain_text("Under 18 until")
    checked(page)
    page.get_by_role("button", name="Record a consent request").click()
    checked(page)
    page.get_by_label("A parent or guardian (under 18)").check()
    page.get_by_label("If a parent or guardian, their full name").fill("Testa Example")
    page.get_by_label("If a parent or guardian, their relationship to the person").fill("Mother")
    page.get_by_label("Who asked for consent?").select_option(label=me)
    page.get_by_label("In person").check()
    page.get_by_label("Consent given").check()
    _date(page, "answered_on", today)
    page.get_by_label("The child's own views (optional)").fill("Happy to meet a mentor (fictional)")
    page.get_by_role("button", name="Save the consent request").click()
    expect(page.locator(BANNER)).to_contain_text("Consent request recorded")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Consent given")
    expect(page.locator("main")).to_contain_text("Testa Example (Mother): a parent or guardian")
    checked(page)
    assert _status(case) == CaseStatus.CONSENT_GIVEN

    # A VAF assessment at adoption: every factor and every dimension, then completed.
    page.get_by_role("link", name="Assessments").click()
    checked(page)
    page.get_by_role("button", name="Start an assessment").click()
    checked(page)
    page.get_by_label("At adoption").check()
    _date(page, "assessed_on", today)
    page.get_by_role("button", name="Start").click()
    dimensions = []
    for _ in range(3):
        dimensions.append(page.locator("h1").inner_text())
        factors = page.locator("form > fieldset")
        assert factors.count() > 0
        for index in range(factors.count()):
            factor = factors.nth(index)
            if index % 3 == 2:
                factor.get_by_role("checkbox", name="Not known").check()
            else:
                factor.get_by_label("Evidence").fill(f"Fictional evidence {index}")
                factor.get_by_label("Source of the information").fill("Fictional school report")
        checked(page)
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("h1")).to_have_text(dimensions[-1])
        checked(page)
        page.get_by_label("Your judgement").fill(f"A fictional judgement on {dimensions[-1].lower()}.")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check the assessment before completing it")
    expect(page.locator("main")).not_to_contain_text("Still to fill in")
    checked(page)
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.locator(BANNER)).to_contain_text("Assessment completed")
    checked(page)
    assert len(set(dimensions)) == 3

    # The support plan (what s.36(5) requires), a provider and an action.
    page.get_by_role("link", name="Support", exact=True).click()
    expect(page.locator("h1")).to_have_text("Support")
    checked(page)
    page.get_by_role("button", name="Write the support plan").click()
    checked(page)
    page.get_by_label("How consent is to be requested").fill("At a home visit with the parent")
    page.get_by_label("When consent is to be requested").fill("Within a week of adoption")
    page.get_by_label("By whom consent is to be requested").fill("The Prevent coordinator")
    page.get_by_label("The nature of the support").fill("Mentoring (fictional)")
    page.get_by_label("How and when the support is provided").fill("Weekly sessions at school (fictional)")
    page.get_by_role("button", name="Save the support plan").click()
    expect(page.locator(BANNER)).to_contain_text("Support plan saved")
    checked(page)
    page.get_by_role("link", name="Add who provides support").click()
    checked(page)
    page.get_by_label("Organisation").select_option(label="Fictional Mentoring Trust (intervention provider)")
    page.get_by_label("Type of support").fill("Mentoring")
    page.get_by_label("Home Office-approved Intervention Provider").check()
    page.get_by_role("button", name="Add the provider").click()
    expect(page.locator("main table").first).to_contain_text("Fictional Mentoring Trust")
    checked(page)
    page.get_by_role("link", name="Add an action").click()
    checked(page)
    page.get_by_label("What needs to be done").fill("Introduce the mentor (fictional)")
    page.get_by_label("Who will do it").select_option(label=me)
    _date(page, "due_date", today + datetime.timedelta(days=7))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(BANNER)).to_contain_text("Action added")
    expect(page.locator("main")).to_contain_text("Introduce the mentor (fictional)")
    checked(page)

    # Support starts (consent is given) and two sessions are recorded.
    page.get_by_role("button", name="Record that support has started").click()
    checked(page)
    page.get_by_role("button", name="Record the start of support").click()
    expect(page.locator(BANNER)).to_contain_text("Support has started")
    checked(page)
    assert _status(case) == CaseStatus.SUPPORT
    for status, notes in ((SessionStatus.DELIVERED, "First meeting went well (fictional)"),
                          (SessionStatus.MISSED, "Unwell on the day (fictional)")):
        page.get_by_role("button", name="Record a session").click()
        checked(page)
        _date(page, "held_on", today)
        page.get_by_label(status.label).check()
        page.get_by_label("Provider (optional)").select_option(label="Fictional Mentoring Trust: Mentoring")
        page.get_by_label("Notes (optional)").fill(notes)
        page.get_by_role("button", name="Save the session").click()
        expect(page.locator(BANNER)).to_contain_text(f"Session recorded: {status.label.lower()}")
        checked(page)
    sessions_table = page.get_by_role("table", name="Support sessions, newest first")
    expect(sessions_table.locator("tbody tr")).to_have_count(2)
    expect(sessions_table).to_contain_text("Delivered")
    expect(sessions_table).to_contain_text("Missed")

    # A panel review, then exit after an exit assessment, and both post-exit
    # reviews: all the panel's decisions at its meetings; the reviews page
    # shows them and offers no way round the panel.
    page.get_by_role("link", name="Reviews and exit").click()
    expect(page.locator("h1")).to_have_text("Reviews and exit")
    expect(page.get_by_role("button", name="Record a review")).to_have_count(0)
    expect(page.get_by_role("button", name="Record exit")).to_have_count(0)
    checked(page)
    decided_at_a_meeting(case, ItemDecision.CONTINUE_SUPPORT, reasons="Support continues (fictional)")
    exit_assessment(case)
    decided_at_a_meeting(case, ItemDecision.EXIT, reasons="Susceptibility much reduced (fictional)")
    assert _status(case) == CaseStatus.EXITED
    page.reload()
    expect(page.locator("main")).to_contain_text("Support continues (fictional)")
    six, twelve = add_months(today, 6), add_months(today, 12)
    post_exit = page.get_by_role("table", name="Post-exit reviews")
    expect(post_exit.locator("tbody tr").nth(0)).to_contain_text("6 months after exit")
    expect(post_exit.locator("tbody tr").nth(0)).to_contain_text(six.strftime("%-d %B %Y"))
    expect(post_exit.locator("tbody tr").nth(1)).to_contain_text("12 months after exit")
    expect(post_exit.locator("tbody tr").nth(1)).to_contain_text(twelve.strftime("%-d %B %Y"))
    expect(page.get_by_role("button", name="Close the case")).to_have_count(0)
    checked(page)
    for review in Review.objects.filter(case=case, kind=ReviewKind.POST_EXIT).order_by("months_after_exit"):
        decided_at_a_meeting(case, ItemDecision.POST_EXIT_REVIEW, review=review,
                             reasons=f"No concerns at {review.months_after_exit} months (fictional)")
    page.reload()
    for months in (6, 12):
        expect(post_exit).to_contain_text(f"No concerns at {months} months (fictional)")
    checked(page)

    # Closing needs reasons.
    page.get_by_role("button", name="Close the case").click()
    checked(page)
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(ERRORS)).to_contain_text("Enter the reasons for closing the case")
    checked(page)
    assert _status(case) == CaseStatus.EXITED
    page.get_by_label("Reasons for closing the case").fill("Both post-exit reviews found no concerns")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(BANNER)).to_contain_text(f"Case {case.reference} closed")
    checked(page)
    assert _status(case) == CaseStatus.CLOSED

    # The timeline tells the whole story, oldest first.
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("h1")).to_have_text("Timeline")
    page.get_by_label("Order").select_option("oldest")
    page.get_by_role("button", name="Show").click()
    story = [
        f"Gateway outcome: proceed to Channel. Case {case.reference} opened from referral "
        f"{referral.reference}",
        "Sent to the Channel panel",
        "Adopted by the Channel panel",
        "Consent asked of a parent or guardian (in person)",
        "Consent given by a parent or guardian",
        "VAF assessment at adoption completed by Casey Coordinator",
        "Support plan written",
        "Support provider added: Fictional Mentoring Trust",
        "Action added for Casey Coordinator",
        "Support started on",
        f"Support session on {govuk_date(today)}: delivered",
        f"Support session on {govuk_date(today)}: missed",
        "Panel review held on",
        "Exited Channel on",
        f"6-month post-exit review due {govuk_date(six)}",
        f"12-month post-exit review due {govuk_date(twelve)}",
        "6-month post-exit review held on",
        "12-month post-exit review held on",
        "Case closed: exited and post-exit reviews completed",
    ]
    expect(page.locator("table.govuk-table")).to_contain_text(story[-1])
    checked(page)
    told = page.locator("table.govuk-table tbody").inner_text()
    positions = [told.find(event) for event in story]
    assert -1 not in positions, [event for event, at in zip(story, positions, strict=True) if at == -1]
    assert positions == sorted(positions), told


# What the law forbids ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_support_cannot_start_without_consent(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    today = timezone.localdate()
    sought = ChannelCaseFactory(status=CaseStatus.CONSENT_SOUGHT, adopted_on=today)
    adopted = ChannelCaseFactory(status=CaseStatus.ADOPTED, adopted_on=today,
                                 person__date_of_birth=_born_years_ago(30))

    # While consent is being sought nothing offers to start support, and the
    # form itself refuses.
    page.goto(reverse("channel:case-detail", kwargs={"pk": sought.pk}))
    expect(page.get_by_role("button", name="Record the start of support")).to_have_count(0)
    checked(page)
    page.goto(reverse("channel:case-support", kwargs={"pk": sought.pk}))
    expect(page.get_by_role("button", name="Record that support has started")).to_have_count(0)
    checked(page)
    page.goto(reverse("channel:case-support-start", kwargs={"pk": sought.pk}))
    checked(page)
    page.get_by_role("button", name="Record the start of support").click()
    expect(page.locator(ERRORS)).to_contain_text("Support cannot start without consent")
    checked(page)
    assert _status(sought) == CaseStatus.CONSENT_SOUGHT
    assert ChannelCase.objects.get(pk=sought.pk).support_started_on is None

    # The person refuses: a re-assessment date is asked for, and support still cannot start.
    page.goto(reverse("channel:case-consent", kwargs={"pk": adopted.pk}))
    page.get_by_role("button", name="Record a consent request").click()
    page.get_by_label("The person (18 or over)").check()
    page.get_by_label("Who asked for consent?").select_option(index=1)
    page.get_by_label("Phone call").check()
    page.get_by_label("Consent refused").check()
    _date(page, "answered_on", today)
    page.get_by_role("button", name="Save the consent request").click()
    expect(page.locator(ERRORS)).to_contain_text("Enter the date the panel will re-assess the case")
    checked(page)
    _date(page, "reassessment_date", today + datetime.timedelta(days=90))
    page.get_by_role("button", name="Save the consent request").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Consent refused")
    checked(page)
    assert _status(adopted) == CaseStatus.CONSENT_REFUSED
    page.goto(reverse("channel:case-support-start", kwargs={"pk": adopted.pk}))
    page.get_by_role("button", name="Record the start of support").click()
    expect(page.locator(ERRORS)).to_contain_text("Support cannot start without consent")
    checked(page)
    assert _status(adopted) == CaseStatus.CONSENT_REFUSED
    assert ChannelCase.objects.get(pk=adopted.pk).support_started_on is None


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_withdrawing_consent_stops_support(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    today = timezone.localdate()
    case = case_in_support(started_on=today - datetime.timedelta(days=3))

    page.goto(reverse("channel:case-consent", kwargs={"pk": case.pk}))
    page.get_by_role("link", name="Record that consent was withdrawn").click()
    checked(page)
    _date(page, "withdrawn_on", today - datetime.timedelta(days=1))
    _date(page, "reassessment_date", today + datetime.timedelta(days=90))
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.locator(BANNER)).to_contain_text("Support has stopped")
    checked(page)
    assert _status(case) == CaseStatus.CONSENT_REFUSED

    # A session after the withdrawal would be support without consent.
    page.get_by_role("link", name="Support", exact=True).click()
    page.get_by_role("button", name="Record a session").click()
    _date(page, "held_on", today)
    page.get_by_label("Delivered").check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(ERRORS)).to_contain_text(
        f"Support stopped on {govuk_date(today - datetime.timedelta(days=1))}, when consent was withdrawn")
    checked(page)
    assert not SupportSession.objects.filter(case=case).exists()


def _ask_consent(page, case, *, giver):
    page.goto(reverse("channel:case-consent", kwargs={"pk": case.pk}))
    page.get_by_role("button", name="Record a consent request").click()
    page.get_by_label(giver).check()
    page.get_by_label("Who asked for consent?").select_option(index=1)
    page.get_by_label("In person").check()
    page.get_by_label("Consent given").check()
    _date(page, "answered_on", timezone.localdate())
    page.get_by_role("button", name="Save the consent request").click()


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_child_cannot_consent_for_themselves(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    case = ChannelCaseFactory(status=CaseStatus.ADOPTED, adopted_on=timezone.localdate(),
                              person__date_of_birth=_born_years_ago(15))

    _ask_consent(page, case, giver="The person (18 or over)")
    expect(page.locator(ERRORS)).to_contain_text(
        "A child cannot consent to Channel support themselves: ask a parent or guardian")
    expect(page.get_by_label("The person (18 or over)")).to_be_checked()
    expect(page.get_by_label("Consent given")).to_be_checked()
    checked(page)
    assert not Consent.objects.filter(case=case).exists()
    assert _status(case) == CaseStatus.ADOPTED


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_parent_cannot_consent_for_an_adult(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    case = ChannelCaseFactory(status=CaseStatus.ADOPTED, adopted_on=timezone.localdate(),
                              person__date_of_birth=_born_years_ago(30))

    page.goto(reverse("channel:case-consent", kwargs={"pk": case.pk}))
    page.get_by_role("button", name="Record a consent request").click()
    page.get_by_label("A parent or guardian (under 18)").check()
    page.get_by_label("If a parent or guardian, their full name").fill("Testa Example")
    page.get_by_label("If a parent or guardian, their relationship to the person").fill("Mother")
    page.get_by_label("Who asked for consent?").select_option(index=1)
    page.get_by_label("In person").check()
    page.get_by_label("Consent given").check()
    _date(page, "answered_on", timezone.localdate())
    page.get_by_role("button", name="Save the consent request").click()
    expect(page.locator(ERRORS)).to_contain_text("A parent or guardian cannot consent for them")
    expect(page.get_by_label("If a parent or guardian, their full name")).to_have_value("Testa Example")
    checked(page)
    assert not Consent.objects.filter(case=case).exists()
    assert _status(case) == CaseStatus.ADOPTED

    # Asked themselves, the adult's consent is recorded.
    _ask_consent(page, case, giver="The person (18 or over)")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Consent given")
    checked(page)
    assert Consent.objects.get(case=case).giver == ConsentGiver.PERSON
    assert Consent.objects.get(case=case).answer == ConsentAnswer.GIVEN


@pytest.mark.django_db(transaction=True)
@with_reference_data
def test_a_case_cannot_close_without_reasons(page, live_server):
    signed_in(page, live_server, Role.PREVENT_COORDINATOR, full_name="Casey Coordinator")
    case = ChannelCaseFactory(status=CaseStatus.SCREENING)

    page.goto(reverse("channel:case-detail", kwargs={"pk": case.pk}))
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator("h1")).to_have_text("Close the case")
    checked(page)
    page.get_by_label("Other (explained in the reasons)").check()
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(ERRORS)).to_contain_text("Enter the reasons for closing the case")
    expect(page.get_by_label("Other (explained in the reasons)")).to_be_checked()
    checked(page)
    assert _status(case) == CaseStatus.SCREENING
    assert ChannelCase.objects.get(pk=case.pk).closed_at is None
