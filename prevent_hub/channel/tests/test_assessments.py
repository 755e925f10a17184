"""VAF assessments: entry page by page, drafts, completion, who may see them,
the side-by-side comparison, and no scores anywhere."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.models import (
    Assessment,
    AssessmentKind,
    CaseStatus,
    ChronologyEntry,
    ChronologyKind,
    DimensionJudgement,
    FactorEvidence,
)
from prevent_hub.people.tests.factories import PersonFactory

from .factories import ChannelCaseFactory
from .factories_assessments import draft_assessment, fill_assessment, put_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return ChannelCaseFactory(person=PersonFactory(given_name="Testina", family_name="Example"))


@pytest.fixture
def coordinator_client(staff_client):
    return staff_client(Role.PREVENT_COORDINATOR, full_name="Casey Coordinator",
                        organisation=OrganisationFactory(name="Exampleshire Council"))


def _urls(case, assessment, dimension="engagement"):
    kwargs = {"pk": case.pk, "assessment_id": assessment.pk}
    return {
        "detail": reverse("channel:assessment-detail", kwargs=kwargs),
        "check": reverse("channel:assessment-check", kwargs=kwargs),
        "factors": reverse("channel:assessment-edit-factors", kwargs={**kwargs, "dimension": dimension}),
        "judgement": reverse("channel:assessment-edit-judgement", kwargs={**kwargs, "dimension": dimension}),
    }


def _factor(key):
    return next(f for d in vaf.vaf_framework_current().dimensions.all() for f in d.factors.all()
                if f.key == key)


# Starting and entering -----------------------------------------------------------------


def test_starting_an_assessment_uses_the_current_wording_and_goes_to_the_first_dimension(
        coordinator_client, case):
    response = coordinator_client.post(reverse("channel:assessment-new", kwargs={"pk": case.pk}), {
        "kind": "adoption", "assessed_on-day": "3", "assessed_on-month": "2", "assessed_on-year": "2026",
    })
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _urls(case, assessment)["factors"]
    assert assessment.framework == vaf.vaf_framework_current()
    assert assessment.kind == AssessmentKind.ADOPTION and str(assessment.assessed_on) == "2026-02-03"
    assert assessment.created_by == coordinator_client.user and assessment.completed_at is None
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="channel.assessment").exists()


def test_starting_needs_the_kind_and_date_and_keeps_what_was_typed(coordinator_client, case):
    response = coordinator_client.post(reverse("channel:assessment-new", kwargs={"pk": case.pk}), {
        "assessed_on-day": "31", "assessed_on-month": "2", "assessed_on-year": "2026",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select when this assessment is being made" in html
    assert "Date of the assessment must be a real date" in html
    assert 'value="31"' in html
    assert not Assessment.objects.exists()


def test_a_closed_case_cannot_be_assessed(case):
    case.status = CaseStatus.CLOSED
    with pytest.raises(ValidationError, match="closed"):
        vaf.assessment_start(case=case, kind=AssessmentKind.ADOPTION, assessed_on=timezone.localdate(),
                             acting_user=case.opened_by)


def test_the_factors_page_lists_each_factor_and_saves_a_draft(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    urls = _urls(case, assessment)
    page = coordinator_client.get(urls["factors"]).content.decode()
    assert page.count('class="govuk-fieldset') >= 13
    assert "Feelings of grievance and injustice" in page
    grievance, threat = _factor("grievance-injustice"), _factor("feeling-under-threat")
    response = coordinator_client.post(urls["factors"], {
        f"factor-{grievance.pk}-evidence": "Says a fictional landlord wronged the family.",
        f"factor-{grievance.pk}-source": "Fictional housing officer",
        f"factor-{threat.pk}-not_known": "on",
    })
    assert response.status_code == 302
    assert response["Location"] == urls["judgement"]
    saved = {e.factor.key: e for e in FactorEvidence.objects.select_related("factor")}
    assert saved["grievance-injustice"].source == "Fictional housing officer"
    assert saved["feeling-under-threat"].not_known is True
    assert len(saved) == 2  # empty factors are left for later
    again = coordinator_client.get(urls["factors"]).content.decode()
    assert "Says a fictional landlord wronged the family." in again


def test_evidence_and_not_known_together_is_refused_and_what_was_typed_stays(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    grievance, threat = _factor("grievance-injustice"), _factor("feeling-under-threat")
    response = coordinator_client.post(_urls(case, assessment)["factors"], {
        f"factor-{grievance.pk}-evidence": "Typed before ticking not known.",
        f"factor-{grievance.pk}-not_known": "on",
        f"factor-{threat.pk}-evidence": "Evidence without a source.",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "leave the evidence and source empty if it is not known" in html
    assert "Feeling under threat: enter the source of the information" in html
    assert "Typed before ticking not known." in html and "Evidence without a source." in html
    assert not FactorEvidence.objects.exists()


def test_save_and_come_back_later_goes_to_the_assessment(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    urls = _urls(case, assessment)
    response = coordinator_client.post(urls["judgement"], {"judgement": "Draft thoughts.", "later": "1"})
    assert response["Location"] == urls["detail"]
    page = coordinator_client.get(urls["detail"]).content.decode()
    assert "Draft thoughts." in page and "Draft" in page


def test_a_judgement_is_signed_by_whoever_writes_it(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    urls = _urls(case, assessment, "intent")
    response = coordinator_client.post(urls["judgement"], {"judgement": "Fictional judgement on intent."})
    assert response["Location"] == _urls(case, assessment, "capability")["factors"]
    judgement = DimensionJudgement.objects.get()
    assert judgement.author == coordinator_client.user and judgement.dimension.key == "intent"
    page = coordinator_client.get(urls["detail"]).content.decode()
    assert "Written by Casey Coordinator, Exampleshire Council on" in page
    # The last judgement leads to the check page.
    last = coordinator_client.post(_urls(case, assessment, "capability")["judgement"], {"judgement": "x"})
    assert last["Location"] == urls["check"]


def test_another_writer_becomes_the_named_author(case):
    first, second = UserFactory(roles=[Role.PREVENT_COORDINATOR]), UserFactory(roles=[Role.CHANNEL_CHAIR])
    assessment = vaf.assessment_get(case=case, pk=draft_assessment(case, first).pk)
    dimension = assessment.framework.dimensions.get(key="engagement")
    vaf.assessment_judgement_save(assessment=assessment, dimension=dimension, judgement="One.",
                                  acting_user=first)
    vaf.assessment_judgement_save(assessment=assessment, dimension=dimension, judgement="Two.",
                                  acting_user=second)
    assert DimensionJudgement.objects.get().author == second


# Completing --------------------------------------------------------------------------------


def test_completing_needs_every_factor_and_judgement(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    response = coordinator_client.post(_urls(case, assessment)["check"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Complete Engagement with a group, cause or ideology: Feelings of grievance and injustice" in html
    assert "Complete Capability to cause harm: the judgement on this dimension" in html
    assessment.refresh_from_db()
    assert assessment.completed_at is None


def test_completing_records_the_timeline_and_audits_field_names_only(coordinator_client, case):
    user = coordinator_client.user
    assessment = fill_assessment(draft_assessment(case, user), user, evidence="SECRET-EVIDENCE",
                                 not_known_keys={"criminal-capability"})
    response = coordinator_client.post(_urls(case, assessment)["check"])
    assert response["Location"] == _urls(case, assessment)["detail"]
    assessment.refresh_from_db()
    assert assessment.completed_at is not None
    entry = ChronologyEntry.objects.get(kind=ChronologyKind.ASSESSMENT)
    assert entry.summary == "VAF assessment at adoption completed by Casey Coordinator"
    assert entry.case == case and entry.person == case.person
    events = AuditEvent.objects.filter(object_type="channel.assessment")
    assert any(e.changed_fields == ["completed_at"] for e in events.filter(action=AuditAction.UPDATE))
    for event in events:
        assert "SECRET" not in str(event.details) and "SECRET" not in str(event.changed_fields)


def test_a_completed_assessment_is_read_only(coordinator_client, case):
    user = coordinator_client.user
    assessment = fill_assessment(draft_assessment(case, user), user)
    vaf.assessment_complete(assessment=assessment, acting_user=user)
    urls = _urls(case, assessment)
    for url in (urls["factors"], urls["judgement"], urls["check"]):
        response = coordinator_client.get(url)
        assert response["Location"] == urls["detail"]
    page = coordinator_client.get(urls["detail"]).content.decode()
    assert "cannot be changed" in page and "add a case note" in page
    assert "Change the factors" not in page
    dimension = assessment.framework.dimensions.first()
    with pytest.raises(ValidationError, match="Record any correction in a case note"):
        vaf.assessment_judgement_save(assessment=assessment, dimension=dimension, judgement="Later",
                                      acting_user=user)
    with pytest.raises(ValidationError):
        vaf.assessment_complete(assessment=assessment, acting_user=user)


# Who may see assessments ------------------------------------------------------------------


def test_intervention_providers_never_see_assessments_even_on_the_team(staff_client, case):
    assessment = draft_assessment(case, case.opened_by)
    client = staff_client(Role.INTERVENTION_PROVIDER)
    put_on_team(case, client.user)
    for url in (reverse("channel:case-assessments", kwargs={"pk": case.pk}),
                reverse("channel:assessment-compare", kwargs={"pk": case.pk}),
                *_urls(case, assessment).values()):
        assert client.get(url).status_code == 403


def test_panel_members_see_assessments_only_while_on_the_team(staff_client, case):
    assessment = draft_assessment(case, case.opened_by)
    client = staff_client(Role.PANEL_MEMBER)
    url = _urls(case, assessment)["detail"]
    assert client.get(url).status_code == 404
    put_on_team(case, client.user)
    assert client.get(url).status_code == 200


def test_an_assessment_of_another_case_is_not_found(coordinator_client, case):
    other = draft_assessment(ChannelCaseFactory(), coordinator_client.user)
    url = reverse("channel:assessment-detail", kwargs={"pk": case.pk, "assessment_id": other.pk})
    assert coordinator_client.get(url).status_code == 404


def test_the_list_and_pages_are_audited(coordinator_client, case):
    assessment = draft_assessment(case, coordinator_client.user)
    coordinator_client.get(reverse("channel:case-assessments", kwargs={"pk": case.pk}))
    coordinator_client.get(_urls(case, assessment)["detail"])
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="channel.assessment").exists()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.assessment",
                                     object_id=str(assessment.pk)).exists()


# Side by side ------------------------------------------------------------------------------


def _completed(case, user, day, evidence, kind=AssessmentKind.REVIEW):
    assessment = draft_assessment(case, user, kind=kind, assessed_on=timezone.localdate().replace(day=day))
    fill_assessment(assessment, user, evidence=evidence, judgement=f"Judgement {evidence}")
    vaf.assessment_complete(assessment=assessment, acting_user=user)
    return assessment


def test_the_comparison_defaults_to_the_latest_two_completed(coordinator_client, case):
    user = coordinator_client.user
    _completed(case, user, 1, "Oldest evidence", kind=AssessmentKind.ADOPTION)
    _completed(case, user, 2, "Middle evidence")
    _completed(case, user, 3, "Newest evidence")
    draft_assessment(case, user, assessed_on=timezone.localdate().replace(day=4))
    response = coordinator_client.get(reverse("channel:assessment-compare", kwargs={"pk": case.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Middle evidence (grievance-injustice)" in html and "Newest evidence (grievance-injustice)" in html
    assert "Oldest evidence" not in html
    # Side by side: the two entries for a factor are in the same row.
    row = re.search(r"<tr[^>]*>\s*<th[^>]*>\s*Feelings of grievance and injustice.*?</tr>",
                    html, re.S).group()
    assert row.index("Middle evidence") < row.index("Newest evidence")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.assessment",
                                     details__compared_with__isnull=False).exists()


def test_choosing_two_others_to_compare(coordinator_client, case):
    user = coordinator_client.user
    oldest = _completed(case, user, 1, "Oldest evidence", kind=AssessmentKind.ADOPTION)
    _completed(case, user, 2, "Middle evidence")
    newest = _completed(case, user, 3, "Newest evidence")
    url = reverse("channel:assessment-compare", kwargs={"pk": case.pk})
    html = coordinator_client.get(url, {"a": newest.pk, "b": oldest.pk}).content.decode()
    assert "Oldest evidence" in html and "Newest evidence" in html and "Middle evidence" not in html
    # Earlier on the left whichever way round they were chosen.
    assert html.index("Oldest evidence") < html.index("Newest evidence")
    same = coordinator_client.get(url, {"a": oldest.pk, "b": oldest.pk}).content.decode()
    assert "Select two different assessments" in same
    elsewhere = draft_assessment(ChannelCaseFactory(), user)
    refused = coordinator_client.get(url, {"a": oldest.pk, "b": elsewhere.pk}).content.decode()
    assert "There is a problem" in refused and "Oldest evidence" not in refused


def test_with_fewer_than_two_assessments_there_is_nothing_to_compare(coordinator_client, case):
    url = reverse("channel:assessment-compare", kwargs={"pk": case.pk})
    html = coordinator_client.get(url).content.decode()
    assert "needs at least two assessments" in html


# No scores, totals or rankings -----------------------------------------------------------

DATE_OR_TIME = re.compile(
    r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{4}|\d{1,2}(:\d{2})?(am|pm)")
CELL = re.compile(r'<(dd|td|div) class="[^"]*app-vaf-entry[^"]*">(.*?)</\1>', re.S)


def _no_scores(html):
    cells = CELL.findall(html)
    assert cells, "the guard found no assessment cells to check"
    for _, cell in cells:
        text = DATE_OR_TIME.sub("", re.sub(r"<[^>]+>", " ", cell))
        assert not re.search(r"\d", text), f"a number in an assessment cell: {text!r}"
    lowered = html.lower()
    for word in ("score", "total", "out of", "%", "rank", "risk level", "govuk-tag--red"):
        assert word not in lowered, word


def test_no_numbers_scores_or_totals_on_an_assessment_or_the_comparison(coordinator_client, case):
    user = coordinator_client.user
    first = _completed(case, user, 1, "Fictional evidence", kind=AssessmentKind.ADOPTION)
    second = _completed(case, user, 2, "Later fictional evidence")
    draft = draft_assessment(case, user)
    fill_assessment(draft, user, not_known_keys={"mental-health", "harmful-objectives"})
    _no_scores(coordinator_client.get(_urls(case, first)["detail"]).content.decode())
    _no_scores(coordinator_client.get(_urls(case, draft)["check"]).content.decode())
    _no_scores(coordinator_client.get(reverse("channel:assessment-compare", kwargs={"pk": case.pk}),
                                      {"a": first.pk, "b": second.pk}).content.decode())
    listing = coordinator_client.get(reverse("channel:case-assessments", kwargs={"pk": case.pk}))
    assert "score" not in listing.content.decode().lower()


def test_the_guard_would_catch_a_score():
    with pytest.raises(AssertionError):
        _no_scores('<td class="govuk-table__cell app-vaf-entry">Present (3 of 13)</td>')


# A fixed number of queries ------------------------------------------------------------------


def _page_queries(client, case, user, *, count, sparse):
    """Queries for the detail, comparison and list pages of a case with
    `count` completed assessments (the first nearly empty if `sparse`)."""
    made = [_completed(case, user, day, f"Evidence {'x' * day}") for day in range(1, count + 1)]
    if sparse:
        made[0].factors.exclude(factor__key="grievance-injustice").delete()
    a, b = made[-2], made[-1]
    pages = {
        "detail": (_urls(case, a)["detail"], {}),
        "compare": (reverse("channel:assessment-compare", kwargs={"pk": case.pk}), {"a": a.pk, "b": b.pk}),
        "list": (reverse("channel:case-assessments", kwargs={"pk": case.pk}), {}),
    }
    counts = {}
    for name, (url, params) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        counts[name] = len(queries)
    return counts


def test_the_assessment_and_comparison_pages_take_a_fixed_number_of_queries(coordinator_client, case):
    # The same number for a small case and a larger one, on either database
    # (the audit write is one statement on PostgreSQL; four on SQLite, which seals it at once:
    # insert, read the chain head, seal the event, move the head).
    user = coordinator_client.user
    small = _page_queries(coordinator_client, case, user, count=2, sparse=True)
    larger_case = ChannelCaseFactory(person=PersonFactory(given_name="Testo", family_name="Example"))
    larger = _page_queries(coordinator_client, larger_case, user, count=6, sparse=False)
    assert small == larger
    assert all(count <= 22 for count in small.values()), small


def test_an_assessment_at_a_review_can_be_linked_to_the_review(coordinator_client, case):
    from prevent_hub.channel.models import Review, ReviewKind

    review = Review.objects.create(case=case, kind=ReviewKind.PANEL_REVIEW,
                                   due_date=timezone.localdate().replace(day=1))
    url = reverse("channel:assessment-new", kwargs={"pk": case.pk})
    form = coordinator_client.get(url, {"kind": "review", "review": review.pk}).content.decode()
    assert f'<option selected value="{review.pk}">' in form
    today = timezone.localdate()
    coordinator_client.post(url, {"kind": "review", "review": review.pk, "assessed_on-day": today.day,
                                  "assessed_on-month": today.month, "assessed_on-year": today.year})
    assessment = Assessment.objects.get()
    assert assessment.review == review and assessment.kind == AssessmentKind.REVIEW
    page = coordinator_client.get(_urls(case, assessment)["detail"]).content.decode()
    assert "Panel review due 1 " in page
    other_case_review = Review.objects.create(case=ChannelCaseFactory(), kind=ReviewKind.PANEL_REVIEW,
                                              due_date=today)
    with pytest.raises(ValidationError, match="Select a review of this case"):
        vaf.assessment_start(case=case, kind=AssessmentKind.REVIEW, assessed_on=today,
                             review=other_case_review, acting_user=coordinator_client.user)
