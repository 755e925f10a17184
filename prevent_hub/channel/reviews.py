"""Reviews, exit and what comes after: panel reviews while support is under
way, the panel's decision to exit a case, the reviews 6 and 12 months after
exit (created with the exit, with reminders), closing once both are done, and
linking a new referral about a person whose case has exited.

Services here check their own rules, then change status only through
`services.case_transition`. Every write is audited and added to the case's
timeline in the same transaction.

Panel reviews: the next review due is a `Review` row (kind PANEL_REVIEW, not
completed) kept in step with `ChannelCase.next_review_date`, so its reminder
can be recorded like a post-exit review's.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import User
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.dates import add_months
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.overdue import with_overdue

from .chronology import chronology_record
from .lifecycle import REVIEWABLE_STATUSES
from .models import (
    Assessment,
    AssessmentKind,
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    ChannelCase,
    ChronologyEntry,
    ChronologyKind,
    ClosureReason,
    Review,
    ReviewKind,
)
from .services import case_transition

POST_EXIT_MONTHS = (6, 12)
# How a new referral after exit reads on the exited case's timeline.
AFTER_EXIT_PREFIX = "New referral "
AFTER_EXIT_WINDOW_MONTHS = 12


def review_label(review: Review) -> str:
    if review.kind == ReviewKind.POST_EXIT:
        return f"{review.months_after_exit}-month post-exit review"
    return "Panel review"


def _locked_case(case: ChannelCase) -> ChannelCase:
    return ChannelCase.objects.select_for_update().get(pk=case.pk)


def _refuse_future(day, field, what):
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"}, code="future")


def _required_text(value, field, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


# Selectors ---------------------------------------------------------------------


def overdue(today: datetime.date) -> Q:
    """The one rule for an overdue review: not yet recorded, past its due date."""
    return Q(completed_on__isnull=True, due_date__lt=today)


def reviews_for_case(*, case: ChannelCase, today: datetime.date) -> list[Review]:
    """Every review of `case` (the caller has checked the user may see it),
    each with `is_overdue`."""
    return list(with_overdue(case.reviews.select_related("recorded_by"), overdue(today))
                .order_by("due_date", "pk"))


def outstanding_panel_review(*, case: ChannelCase) -> Review | None:
    return (case.reviews.filter(kind=ReviewKind.PANEL_REVIEW, completed_on__isnull=True)
            .order_by("due_date", "pk").first())


def _exited_cases(person_id):
    since = timezone.now() - datetime.timedelta(days=366)
    return ChannelCase.objects.filter(person_id=person_id).filter(
        Q(status=CaseStatus.EXITED)
        | Q(status=CaseStatus.CLOSED, exit_date__isnull=False, closed_at__gte=since)
    )


def exited_cases_for_person(*, user, person) -> list[ChannelCase]:
    """Cases about `person` that `user` may see which have exited (post-exit
    reviews under way) or were closed after exit within the last 12 months."""
    if person is None:
        return []
    return list(scope(user, _exited_cases(person.pk)).order_by("-exit_date", "-pk"))


def _after_exit_entries():
    # A referral on a case's own timeline (rather than only the person's) is
    # only ever written by referral_after_exit_link: the case opened from a
    # referral records that as a decision.
    return ChronologyEntry.objects.filter(
        kind=ChronologyKind.REFERRAL, object_type="referrals.referral", case__isnull=False,
    )


def cases_linked_after_exit(*, user, referral) -> list[ChannelCase]:
    """The exited cases `referral` was linked to when its person was identified."""
    case_ids = _after_exit_entries().filter(object_id=str(referral.pk)).values("case_id")
    return list(scope(user, ChannelCase.objects.filter(pk__in=case_ids)).order_by("-pk"))


def referrals_after_exit(*, case: ChannelCase) -> list:
    """New referrals received about the person after `case` exited."""
    from prevent_hub.referrals.models import Referral

    ids = _after_exit_entries().filter(case=case).values_list("object_id", flat=True)
    return list(Referral.objects.filter(pk__in=[int(each) for each in ids])
                .only("reference", "received_at").order_by("received_at", "pk"))


# Panel reviews -----------------------------------------------------------------


def review_record(*, case: ChannelCase, held_on: datetime.date, outcome: str, acting_user) -> Review:
    """Record a panel review held on `held_on` (for a case whose consent was
    refused, its re-assessment review). Completes the review that was due, if
    there is one, and schedules the next REVIEW_INTERVAL_DAYS later."""
    outcome = _required_text(outcome, "outcome", "Enter what the panel decided at the review")
    _refuse_future(held_on, "held_on", "The date of the review")
    with transaction.atomic():
        locked = _locked_case(case)
        if locked.status not in REVIEWABLE_STATUSES:
            raise ValidationError(
                {"status": "Reviews can be recorded while support is under way, or at the re-assessment "
                           f"date when consent was refused. This case is ‘{locked.get_status_display()}’"},
                code="not_reviewable")
        if held_on < timezone.localtime(locked.opened_at).date():
            raise ValidationError({"held_on": "The date of the review must be on or after the case was "
                                              "opened"}, code="before_opened")
        review = outstanding_panel_review(case=locked)
        created = review is None
        if created:
            review = Review(case=locked, kind=ReviewKind.PANEL_REVIEW, due_date=held_on)
        review.completed_on, review.outcome, review.recorded_by = held_on, outcome, acting_user
        review.save()
        audit_event_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=review,
            changed_fields=["completed_on", "outcome", "recorded_by",
                            *(["kind", "due_date"] if created else [])],
            details={"case": locked.reference}, actor=acting_user,
        )
        what = "Re-assessment review" if locked.status == CaseStatus.CONSENT_REFUSED else "Panel review"
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.REVIEW, obj=review,
                          summary=f"{what} held on {govuk_date(held_on)}", recorded_by=acting_user)
        next_date = held_on + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        Review.objects.create(case=locked, kind=ReviewKind.PANEL_REVIEW, due_date=next_date)
        locked.next_review_date = next_date
        locked.save(update_fields=["next_review_date"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=["next_review_date"],
                           details={"after_review": review.pk}, actor=acting_user)
    case.refresh_from_db()
    return review


def reassessment_review_record(*, case: ChannelCase, held_on: datetime.date, reassess_on: datetime.date,
                               outcome: str, acting_user) -> Review:
    """At a re-assessment review (consent refused or withdrawn) the panel
    decides to look again on `reassess_on`: the review is recorded and the
    next one is due on that date rather than after the usual interval."""
    errors = {}
    if reassess_on is None:
        errors["reassess_on"] = "Enter the date the panel will re-assess the case"
    elif held_on is not None and reassess_on <= held_on:
        errors["reassess_on"] = "The re-assessment date must be after the review"
    if errors:
        raise ValidationError(errors, code="reassessment_date_needed")
    with transaction.atomic():
        locked = _locked_case(case)
        if locked.status != CaseStatus.CONSENT_REFUSED:
            raise ValidationError(
                {"status": "A re-assessment date is set only while consent is refused or withdrawn. "
                           f"This case is ‘{locked.get_status_display()}’"}, code="not_refused")
        review = review_record(case=locked, held_on=held_on, outcome=outcome, acting_user=acting_user)
        following = outstanding_panel_review(case=locked)
        following.due_date = reassess_on
        following.save(update_fields=["due_date"])
        ChannelCase.objects.filter(pk=locked.pk).update(reassessment_date=reassess_on,
                                                        next_review_date=reassess_on)
        audit_event_record(action=AuditAction.UPDATE, obj=locked,
                           changed_fields=["reassessment_date", "next_review_date"],
                           details={"after_review": review.pk}, actor=acting_user)
        chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.REVIEW,
                          obj=following, recorded_by=acting_user,
                          summary=f"Re-assessment set for {govuk_date(reassess_on)}")
    case.refresh_from_db()
    return review


def panel_reviews_schedule() -> int:
    """Make the outstanding panel review for each case under review that has
    none: due on its next review date (e.g. set when support started) or, for
    a case whose consent was refused, its re-assessment date. So it gets its
    reminder. Returns how many were made."""
    outstanding = Review.objects.filter(kind=ReviewKind.PANEL_REVIEW, completed_on__isnull=True)
    due = Coalesce("next_review_date", "reassessment_date")
    cases = (ChannelCase.objects.filter(status__in=REVIEWABLE_STATUSES)
             .annotate(due=due).filter(due__isnull=False)
             .exclude(pk__in=outstanding.values("case_id"))
             .values_list("pk", "due"))
    made = Review.objects.bulk_create([
        Review(case_id=pk, kind=ReviewKind.PANEL_REVIEW, due_date=day) for pk, day in cases])
    return len(made)


# Exit and after ----------------------------------------------------------------


def exit_assessment_completed(case: ChannelCase):
    """The completed exit assessment (the VAF at exit) the panel decides
    exit on: made since support started."""
    since = case.support_started_on or case.adopted_on
    assessments = Assessment.objects.filter(case=case, kind=AssessmentKind.EXIT, completed_at__isnull=False)
    if since:
        assessments = assessments.filter(assessed_on__gte=since)
    return assessments.order_by("-assessed_on", "-pk").first()


def case_exit(*, case: ChannelCase, exit_date: datetime.date, reasons: str, acting_user) -> ChannelCase:
    """The panel's decision that the person's susceptibility has been removed
    or significantly reduced, taken on a completed exit assessment. Moves the
    case from support to exited and creates its reviews 6 and 12 months after
    `exit_date`. Called only from a panel decision (panels.decisions)."""
    reasons = _required_text(reasons, "reasons", "Enter the panel's reasons for exit")
    _refuse_future(exit_date, "exit_date", "The exit date")
    with transaction.atomic():
        locked = _locked_case(case)
        if locked.status != CaseStatus.SUPPORT:
            raise ValidationError(
                {"status": "Only a case with support under way can exit. This case is "
                           f"‘{locked.get_status_display()}’"}, code="not_in_support")
        if exit_assessment_completed(locked) is None:
            raise ValidationError(
                {"decision": "Complete an exit assessment (the Vulnerability Assessment Framework at exit) "
                             "before the panel decides exit: the panel needs it to judge whether the "
                             "person's susceptibility has been removed or significantly reduced"},
                code="exit_assessment_needed")
        if locked.support_started_on and exit_date < locked.support_started_on:
            raise ValidationError({"exit_date": "The exit date must be on or after support started ("
                                                f"{govuk_date(locked.support_started_on)})"},
                                  code="before_support")
        case_transition(
            case=locked, to_status=CaseStatus.EXITED, reasons=reasons, acting_user=acting_user,
            changes={"exit_date": exit_date, "exit_reasons": reasons, "next_review_date": None},
            summary=f"Exited Channel on {govuk_date(exit_date)}: panel decision",
        )
        for months in POST_EXIT_MONTHS:
            review = Review.objects.create(case=locked, kind=ReviewKind.POST_EXIT, months_after_exit=months,
                                           due_date=add_months(exit_date, months))
            audit_event_record(action=AuditAction.CREATE, obj=review,
                               changed_fields=["kind", "months_after_exit", "due_date"],
                               details={"case": locked.reference}, actor=acting_user)
            chronology_record(case=locked, person_id=locked.person_id, kind=ChronologyKind.REVIEW,
                              obj=review, recorded_by=acting_user,
                              summary=f"{months}-month post-exit review due {govuk_date(review.due_date)}")
    case.refresh_from_db()
    return case


def post_exit_review_record(*, review: Review, completed_on: datetime.date, outcome: str,
                            acting_user) -> Review:
    """Record a post-exit review as done. A recorded review is not changed."""
    outcome = _required_text(outcome, "outcome", "Enter the outcome of the review")
    _refuse_future(completed_on, "completed_on", "The date of the review")
    with transaction.atomic():
        locked = Review.objects.select_for_update().select_related("case").get(pk=review.pk)
        case = locked.case
        if locked.kind != ReviewKind.POST_EXIT:
            raise ValidationError("This is not a post-exit review", code="not_post_exit")
        if locked.completed_on is not None:
            raise ValidationError("This review has already been recorded. It cannot be changed; add a note "
                                  "to the case instead", code="already_recorded")
        if case.status != CaseStatus.EXITED:
            raise ValidationError({"status": "Post-exit reviews are recorded while the case is ‘exited’. "
                                             f"This case is ‘{case.get_status_display()}’"},
                                  code="not_exited")
        if case.exit_date and completed_on < case.exit_date:
            raise ValidationError({"completed_on": "The date of the review must be on or after the exit "
                                                   f"date ({govuk_date(case.exit_date)})"},
                                  code="before_exit")
        locked.completed_on, locked.outcome, locked.recorded_by = completed_on, outcome, acting_user
        locked.save(update_fields=["completed_on", "outcome", "recorded_by"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked,
                           changed_fields=["completed_on", "outcome", "recorded_by"],
                           details={"case": case.reference}, actor=acting_user)
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.REVIEW, obj=locked,
                          summary=f"{review_label(locked)} held on {govuk_date(completed_on)}",
                          recorded_by=acting_user)
    review.refresh_from_db()
    return review


def post_exit_reviews_done(case: ChannelCase) -> bool:
    done = case.reviews.filter(kind=ReviewKind.POST_EXIT, completed_on__isnull=False).count()
    return done >= len(POST_EXIT_MONTHS)


def case_close_after_exit(*, case: ChannelCase, reasons: str, acting_user) -> ChannelCase:
    """Close an exited case once both post-exit reviews are recorded."""
    reasons = _required_text(reasons, "reasons", "Enter the reasons for closing the case")
    with transaction.atomic():
        locked = _locked_case(case)
        if locked.status != CaseStatus.EXITED:
            raise ValidationError({"status": "Only an exited case can be closed here. This case is "
                                             f"‘{locked.get_status_display()}’"}, code="not_exited")
        if not post_exit_reviews_done(locked):
            raise ValidationError({"status": "Record both post-exit reviews (6 and 12 months after exit) "
                                             "before closing the case"}, code="reviews_outstanding")
        case_transition(case=locked, to_status=CaseStatus.CLOSED, reasons=reasons, acting_user=acting_user,
                        changes={"closure_reason": ClosureReason.POST_EXIT_REVIEWS_DONE},
                        summary="Case closed: exited and post-exit reviews completed")
    case.refresh_from_db()
    return case


# A new referral after exit --------------------------------------------------


def referral_after_exit_link(*, referral, person, acting_user) -> list[ChannelCase]:
    """Called when `referral` is found to be about `person` (at triage): link
    it to each of the person's exited cases (or closed after exit in the last
    12 months) by a timeline entry on that case. Runs in the caller's
    transaction. Returns the cases linked."""
    linked = []
    for case in _exited_cases(person.pk).exclude(referral_id=referral.pk):
        if _after_exit_entries().filter(case=case, object_id=str(referral.pk)).exists():
            continue
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.REFERRAL, obj=referral,
                          summary=f"{AFTER_EXIT_PREFIX}{referral.reference} received about this person "
                                  "after exit", recorded_by=acting_user)
        audit_event_record(action=AuditAction.UPDATE, obj=case, changed_fields=["chronology"],
                           details={"new_referral_after_exit": referral.reference}, actor=acting_user)
        linked.append(case)
    return linked


# Reminders ---------------------------------------------------------------------


def reminder_recipients(case: ChannelCase) -> list[str]:
    """The case's coordinators on its team; if it has none, every Prevent coordinator."""
    team = (CaseTeamMember.objects.filter(case=case, role=CaseRole.COORDINATOR, removed_at__isnull=True,
                                          user__is_active=True)
            .values_list("user__email", flat=True))
    emails = sorted(set(team))
    if emails:
        return emails
    return sorted(set(User.objects.filter(is_active=True, role_assignments__role=Role.PREVENT_COORDINATOR)
                      .values_list("email", flat=True)))


def _reminder_kind(review: Review, today: datetime.date) -> str:
    """"due" (due soon, not yet reminded), "overdue" (overdue, and not
    reminded since it became overdue) or "" (nothing to send)."""
    sent_on = timezone.localtime(review.reminder_sent_at).date() if review.reminder_sent_at else None
    if review.due_date < today:
        return "overdue" if sent_on is None or sent_on <= review.due_date else ""
    horizon = today + datetime.timedelta(days=settings.POST_EXIT_REMINDER_DAYS)
    if sent_on is None and review.due_date <= horizon:
        return "due"
    return ""


def _candidates(today):
    horizon = today + datetime.timedelta(days=settings.POST_EXIT_REMINDER_DAYS)
    due_soon = Q(reminder_sent_at__isnull=True, due_date__lte=horizon)
    overdue = Q(due_date__lt=today)
    return (Review.objects.filter(completed_on__isnull=True).filter(due_soon | overdue)
            .filter(Q(kind=ReviewKind.POST_EXIT, case__status=CaseStatus.EXITED)
                    | Q(kind=ReviewKind.PANEL_REVIEW, case__status__in=REVIEWABLE_STATUSES))
            .order_by("due_date", "pk").values_list("pk", flat=True))


def review_reminder_send(*, review_id: int, now: datetime.datetime | None = None) -> bool:
    """Send the reminder `review_id` needs now, if any. The row is locked and
    marked in one transaction, so two runs at once send once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("case").get(pk=review_id)
        kind = _reminder_kind(review, today)
        if not kind or review.completed_on is not None:
            return False
        case = review.case
        recipients = reminder_recipients(case)
        review.reminder_sent_at = now
        review.save(update_fields=["reminder_sent_at"])
        label = review_label(review)
        when = govuk_date(review.due_date)
        summary = (f"Reminder sent: {label[0].lower()}{label[1:]} due {when}" if kind == "due"
                   else f"Reminder sent: {label[0].lower()}{label[1:]} overdue (was due {when})")
        chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.EMAIL, obj=review,
                          summary=summary)
        audit_event_record(action=AuditAction.UPDATE, obj=review, changed_fields=["reminder_sent_at"],
                           details={"case": case.reference, "reminder": kind, "recipients": len(recipients)})
        context = {
            "case_reference": case.reference,
            "what": label,
            "due": when,
            "overdue": kind == "overdue",
            "link": settings.SERVICE_BASE_URL.rstrip("/") + reverse("channel:case-reviews",
                                                                    kwargs={"pk": case.pk}),
            "service_name": settings.SERVICE_NAME,
            "council_name": settings.COUNCIL_NAME,
        }
        subject = render_to_string("channel/reviews/emails/reminder_subject.txt", context)
        subject = "".join(subject.splitlines())
        body = render_to_string("channel/reviews/emails/reminder.txt", context)

        def send():
            for email in recipients:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])

        transaction.on_commit(send)
    return True


def review_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The daily sweep: schedule missing panel reviews, then send every
    reminder that is due. Returns how many reminders were sent.

    A review gets at most two reminders: one when it is due within
    POST_EXIT_REMINDER_DAYS, and one more once it is overdue (if the last
    reminder went on or before its due date). `reminder_sent_at` records the
    last one, so running the sweep twice sends nothing more."""
    now = now or timezone.now()
    panel_reviews_schedule()
    today = timezone.localdate(now)
    return sum(review_reminder_send(review_id=pk, now=now) for pk in list(_candidates(today)))
