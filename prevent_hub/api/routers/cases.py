"""Channel cases for partner systems: where each case has got to, and when
its reviews are due. Scoped by the same access rules as the case pages.

Only dates and states: no narrative, nothing about the person's health or
beliefs, no consent details beyond its state.
"""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from ninja import Path, Query, Router
from pydantic import BaseModel, Field

from prevent_hub.access import Action, can, scope
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.channel.consent import ConsentStatus, consent_status
from prevent_hub.channel.models import CaseStatus, ChannelCase, Review, ReviewKind

from ..auth import requires
from ..models import ApiScope
from .listing import MAX_LIMIT, MAX_OFFSET, id_in_range, refuse_unknown_parameters, refused_look_up_record

router = Router(tags=["Channel cases"])


class PostExitReviewOut(BaseModel):
    due_date: datetime.date
    months_after_exit: int = Field(description="6 or 12.")
    completed_on: datetime.date | None = Field(description="Null until the review is done.")


class KeyDatesOut(BaseModel):
    adopted_on: datetime.date | None = Field(description="When the panel adopted the case.")
    support_started_on: datetime.date | None
    exit_date: datetime.date | None = Field(description="When the person exited Channel support.")
    closed_at: datetime.datetime | None
    reassessment_date: datetime.date | None = Field(
        description="After consent was refused or withdrawn: when the panel will look again.")
    retain_until: datetime.date | None = Field(
        description="Set when the case is not adopted, exits or closes, from the retention policy in "
                    "force then: the case is deleted after this date unless it is held. Null while open.")


class CaseOut(BaseModel):
    """A Channel case's state and dates. Nothing of what the case is about."""

    id: int
    reference: str
    status: CaseStatus
    person_id: int
    referral_reference: str | None = Field(
        description="The referral the case was opened from (null if the account may not see it).")
    opened_at: datetime.datetime
    key_dates: KeyDatesOut
    consent_status: ConsentStatus
    next_review_date: datetime.date | None
    post_exit_reviews: list[PostExitReviewOut] = Field(
        description="Made when the person exits; oldest first.")


class CaseListOut(BaseModel):
    count: int = Field(description="How many cases the account may see in all.")
    limit: int
    offset: int
    results: list[CaseOut] = Field(description="Newest first.")


def _cases(user):
    return (
        scope(user, ChannelCase.objects.all())
        .select_related("referral")
        .prefetch_related(
            "consents",
            Prefetch("reviews", queryset=Review.objects.filter(kind=ReviewKind.POST_EXIT)
                     .order_by("months_after_exit", "pk"), to_attr="post_exit_reviews"),
        )
        .order_by("-opened_at", "-pk")
    )


def _out(user, case) -> CaseOut:
    return CaseOut(
        id=case.pk,
        reference=case.reference,
        status=case.status,
        person_id=case.person_id,
        referral_reference=(case.referral.reference
                            if can(user, Action.REFERRAL_VIEW, case.referral) else None),
        opened_at=case.opened_at,
        key_dates=KeyDatesOut(
            adopted_on=case.adopted_on, support_started_on=case.support_started_on,
            exit_date=case.exit_date, closed_at=case.closed_at, reassessment_date=case.reassessment_date,
            retain_until=case.retain_until,
        ),
        consent_status=consent_status(case),
        next_review_date=case.next_review_date,
        post_exit_reviews=[
            PostExitReviewOut(due_date=review.due_date, months_after_exit=review.months_after_exit,
                              completed_on=review.completed_on)
            for review in case.post_exit_reviews
        ],
    )


@router.get("", response={200: CaseListOut}, url_name="case-list", summary="List Channel cases")
@requires(ApiScope.CASES_READ, Action.CASE_VIEW)
def case_list(
    request,
    limit: int = Query(25, ge=1, le=MAX_LIMIT, description=f"How many cases to return (1 to {MAX_LIMIT})."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="How many cases to skip."),
):
    """The Channel cases the token's account may see, newest first, a page
    at a time (panel members and intervention providers: the cases whose
    team they are on)."""
    refuse_unknown_parameters(request)
    cases = _cases(request.user)
    count = cases.count()
    page = list(cases[offset:offset + limit]) if offset < count else []
    audit_read(action=AuditAction.SEARCH, object_type="channel.channelcase",
               details={"list": "cases", "via": "api", "limit": limit, "offset": offset})
    return CaseListOut(count=count, limit=limit, offset=offset,
                       results=[_out(request.user, case) for case in page])


@router.get("/{int:case_id}", response={200: CaseOut}, url_name="case-detail", summary="Read a Channel case")
@requires(ApiScope.CASES_READ, Action.CASE_VIEW)
def case_detail(request, case_id: int = Path(..., description="The case's id.", examples=[1])):
    """A case's status, key dates, consent status, next review date and its
    post-exit reviews (6 and 12 months after exit)."""
    case = _cases(request.user).filter(pk=case_id).first() if id_in_range(case_id) else None
    if case is None or not can(request.user, Action.CASE_VIEW, case):
        refused_look_up_record(ChannelCase, case_id, Action.CASE_VIEW)
        raise Http404("No such case")
    audit_view(case)
    return _out(request.user, case)

