"""Exit from Channel, the post-exit reviews it creates, and closing the case
once both are done."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import (
    AssessmentKind,
    CaseStatus,
    CaseTransition,
    ChronologyEntry,
    ClosureReason,
    Review,
    ReviewKind,
)
from prevent_hub.channel.reviews import (
    add_months,
    case_close_after_exit,
    case_exit,
    post_exit_review_record,
)

from .factories_assessments import draft_assessment
from .factories_reviews import case_in, exit_assessment

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR])


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2027, 8, 31), 6, D(2028, 2, 29)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 3, 15), 6, D(2026, 9, 15)),
    (D(2026, 7, 10), 6, D(2027, 1, 10)),
    (D(2026, 12, 31), 12, D(2027, 12, 31)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
])
def test_adding_months_keeps_the_day_or_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def _in_support(**fields):
    """A case in support whose exit assessment is done, so the panel may decide exit."""
    case = case_in(CaseStatus.SUPPORT, **fields)
    exit_assessment(case)
    return case


def _exited(coordinator, exit_date=None):
    case = _in_support(support_started_on=D(2026, 1, 5))
    return case_exit(case=case, exit_date=exit_date or D(2026, 8, 31),
                     reasons="Fictional: the panel agreed support worked.", acting_user=coordinator)


def test_exit_creates_exactly_two_post_exit_reviews_6_and_12_months_after_exit(coordinator):
    case = _exited(coordinator)
    assert case.status == CaseStatus.EXITED
    assert case.exit_date == D(2026, 8, 31)
    assert case.exit_reasons == "Fictional: the panel agreed support worked."
    reviews = list(case.reviews.order_by("months_after_exit"))
    assert [(r.kind, r.months_after_exit, r.due_date, r.completed_on) for r in reviews] == [
        (ReviewKind.POST_EXIT, 6, D(2027, 2, 28), None),
        (ReviewKind.POST_EXIT, 12, D(2027, 8, 31), None),
    ]
    transition = CaseTransition.objects.get(case=case)
    assert (transition.from_status, transition.to_status, transition.by) == (
        CaseStatus.SUPPORT, CaseStatus.EXITED, coordinator)
    assert transition.reasons == case.exit_reasons
    summaries = list(ChronologyEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert "6-month post-exit review due 28 February 2027" in summaries
    assert "12-month post-exit review due 31 August 2027" in summaries
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="channel.review").count() == 2


def test_exit_requires_reasons(coordinator):
    case = case_in(CaseStatus.SUPPORT)
    with pytest.raises(ValidationError) as error:
        case_exit(case=case, exit_date=D(2026, 8, 31), reasons="  ", acting_user=coordinator)
    assert "reasons" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT and not case.reviews.exists()


@pytest.mark.parametrize("status", [CaseStatus.CONSENT_GIVEN, CaseStatus.ADOPTED, CaseStatus.EXITED,
                                    CaseStatus.CONSENT_REFUSED])
def test_only_a_case_in_support_can_exit(coordinator, status):
    case = case_in(status)
    with pytest.raises(ValidationError) as error:
        case_exit(case=case, exit_date=D(2026, 8, 31), reasons="Fictional reasons.", acting_user=coordinator)
    assert "support under way" in error.value.message_dict["status"][0]
    case.refresh_from_db()
    assert case.status == status
    assert not case.reviews.filter(kind=ReviewKind.POST_EXIT).exists()


def test_exit_needs_a_completed_exit_assessment_made_since_support_started(coordinator):
    case = case_in(CaseStatus.SUPPORT, support_started_on=D(2026, 5, 1))
    draft_assessment(case, coordinator, kind=AssessmentKind.EXIT)  # a draft does not count,
    exit_assessment(case, assessed_on=D(2026, 4, 1))  # nor one made before support started
    with pytest.raises(ValidationError) as error:
        case_exit(case=case, exit_date=D(2026, 8, 31), reasons="Fictional.", acting_user=coordinator)
    assert "Complete an exit assessment" in error.value.message_dict["decision"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT and not case.reviews.exists()
    exit_assessment(case, assessed_on=D(2026, 8, 30))
    case = case_exit(case=case, exit_date=D(2026, 8, 31), reasons="Fictional.", acting_user=coordinator)
    assert case.status == CaseStatus.EXITED


def test_exit_cannot_be_before_support_started_or_in_the_future(coordinator):
    case = _in_support(support_started_on=D(2026, 5, 1))
    with pytest.raises(ValidationError) as error:
        case_exit(case=case, exit_date=D(2026, 4, 30), reasons="Fictional.", acting_user=coordinator)
    assert "exit_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        case_exit(case=case, exit_date=datetime.date.today() + datetime.timedelta(days=2),
                  reasons="Fictional.", acting_user=coordinator)


def test_exit_removes_panel_reviews_that_were_only_scheduled(coordinator):
    case = _in_support(support_started_on=D(2026, 1, 5))
    Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=D(2026, 9, 1))
    held = Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=D(2026, 6, 1),
                                 completed_on=D(2026, 6, 1), outcome="Fictional outcome.")
    case_exit(case=case, exit_date=D(2026, 8, 31), reasons="Fictional.", acting_user=coordinator)
    assert list(case.reviews.filter(kind=ReviewKind.PANEL_REVIEW)) == [held]


def test_recording_a_post_exit_review(coordinator):
    case = _exited(coordinator)
    six = case.reviews.get(months_after_exit=6)
    post_exit_review_record(review=six, completed_on=D(2026, 11, 1), outcome="Fictional: doing well.",
                            acting_user=coordinator)
    six.refresh_from_db()
    assert (six.completed_on, six.outcome, six.recorded_by) == (D(2026, 11, 1), "Fictional: doing well.",
                                                                coordinator)
    with pytest.raises(ValidationError, match="already been recorded"):
        post_exit_review_record(review=six, completed_on=D(2026, 11, 2), outcome="Changed",
                                acting_user=coordinator)
    with pytest.raises(ValidationError) as error:
        post_exit_review_record(review=case.reviews.get(months_after_exit=12), completed_on=D(2026, 8, 1),
                                outcome="Fictional.", acting_user=coordinator)
    assert "completed_on" in error.value.message_dict


def test_closing_needs_both_post_exit_reviews_and_reasons(coordinator):
    case = _exited(coordinator)
    with pytest.raises(ValidationError, match="both post-exit reviews"):
        case_close_after_exit(case=case, reasons="Fictional.", acting_user=coordinator)
    for review in case.reviews.all():
        post_exit_review_record(review=review, completed_on=D(2026, 11, 1), outcome="Fictional.",
                                acting_user=coordinator)
    with pytest.raises(ValidationError) as error:
        case_close_after_exit(case=case, reasons="", acting_user=coordinator)
    assert "reasons" in error.value.message_dict
    case = case_close_after_exit(case=case, reasons="Fictional: both reviews showed no concerns.",
                                 acting_user=coordinator)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.POST_EXIT_REVIEWS_DONE
    assert case.closure_details == "Fictional: both reviews showed no concerns."
    assert case.closed_at is not None


# Through the pages -----------------------------------------------------------------
#
# Exit and reviews are the panel's decisions (panels.decisions): the case pages
# show them and offer no way to record them.


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
def test_the_case_pages_offer_no_way_to_record_exit_or_reviews(staff_client, role):
    client = staff_client(role)
    case = _in_support(support_started_on=D(2026, 1, 5))
    Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW, due_date=D(2026, 9, 1))
    for path in (f"/staff/cases/{case.pk}/exit/", f"/staff/cases/{case.pk}/reviews/record/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"reasons": "Fictional.", "outcome": "Fictional."}).status_code == 404
    body = client.get(reverse("channel:case-reviews", kwargs={"pk": case.pk})).content.decode()
    assert "recorded from this case&#x27;s item at a panel meeting" in body \
        or "recorded from this case's item at a panel meeting" in body
    assert "Record exit" not in body and "Record a review" not in body
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT


def test_post_exit_reviews_recorded_by_the_panel_then_close_through_the_page(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = _exited(client.user, exit_date=D(2026, 3, 31))
    reviews_url = reverse("channel:case-reviews", kwargs={"pk": case.pk})
    close_url = reverse("channel:case-close-after-exit", kwargs={"pk": case.pk})
    body = client.get(reviews_url).content.decode()
    assert close_url not in body and "Recorded by the panel at a meeting" in body
    for review in case.reviews.order_by("months_after_exit"):
        post_exit_review_record(review=review, completed_on=D(2026, 10, 1), outcome="Fictional.",
                                acting_user=client.user)
    assert close_url in client.get(reviews_url).content.decode()
    response = client.post(close_url, {"reasons": "Fictional: reviews done."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == (CaseStatus.CLOSED, ClosureReason.POST_EXIT_REVIEWS_DONE)


def test_police_may_see_reviews(staff_client):
    client = staff_client(Role.POLICE_PRACTITIONER)
    case = case_in(CaseStatus.SUPPORT)
    assert client.get(reverse("channel:case-reviews", kwargs={"pk": case.pk})).status_code == 200
