"""Demo Channel cases, at least one in every state of the lifecycle. Every
person, organisation and story is invented and obviously so.

Runs after the referrals and people demos (INSTALLED_APPS order). It first
records the gateway outcomes of the demo referrals, which opens three cases
from "proceed to Channel"; more demo referrals are made here
the same way (submitted, person identified, shared with police, gateway
outcome), so every case has a real referral and person behind it.

Each case then moves through the lifecycle with `case_transition` (so each
move has its CaseTransition, timeline entry and audit event), and the records
of what happened at each step (information requests, consent, assessments,
support plans, sessions, reviews, notes) are added with a timeline entry each.
Demo only: the moves and entries are then back-dated to when the story says
they happened, so the trays have things that are due and overdue.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import Organisation, User
from prevent_hub.audit.context import acting_as
from prevent_hub.core.dates import add_months
from prevent_hub.core.demo import as_of_today
from prevent_hub.core.working_days import start_of_day
from prevent_hub.referrals.models import GatewayOutcome, PoliceSharingMethod, Referral, ReferralKind

from .chronology import chronology_record
from .models import (
    Assessment,
    AssessmentKind,
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    ChronologyKind,
    ClosureReason,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
    DimensionJudgement,
    FactorEvidence,
    InformationRequest,
    Note,
    PlanAction,
    Review,
    ReviewKind,
    SessionStatus,
    SupportPlan,
    SupportProvider,
    SupportSession,
    VafFramework,
)
from .services import case_transition


def _born(year: int, month: int, day: int) -> datetime.date:
    """A date of birth as the story was written (core.demo.WRITTEN_ON), kept
    the same age today."""
    return as_of_today(datetime.date(year, month, day))


S = CaseStatus


@dataclass
class Story:
    """One demo case: who, and how far through the lifecycle it has got."""

    given: str
    family: str
    born: datetime.date
    path: list  # statuses after screening, in order
    days_ago: int  # when the case was opened
    team: list = field(default_factory=list)  # demo account local parts on the team
    extra: dict = field(default_factory=dict)


# The referrals demo opens cases for Mockwell Placeholder, Trialla Exampleby and
# Draftina Example-Smith; these are the other stories (built when the demo
# loads, so their dates are counted from that day). Their names come from the
# communities a county serves, and each family name is that language's word
# for "example" or "sample", so none can be mistaken for a real person.
# Przykładowski and Örnekoğlu wait for the panel here: the panels demo takes
# them to a meeting held two weeks ago, which decides them (panels.demo).
NOT_ADOPTED_AT_PANEL = ("Tomasz", "Przykładowski")
ADOPTED_AT_PANEL = ("Yusuf", "Örnekoğlu")
REVIEWED_AT_PANEL = ("Oluwaseun", "Apẹẹrẹ")


def stories() -> list[Story]:
    return [
    Story(*NOT_ADOPTED_AT_PANEL, _born(2001, 5, 9), [S.AWAITING_PANEL], 70),
    Story(*ADOPTED_AT_PANEL, _born(1998, 10, 2), [S.AWAITING_PANEL], 40, team=["panel"]),
    Story("Ayesha", "Misaalwala", _born(2000, 3, 3),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN], 60, team=["panel"]),
    Story("Siobhán", "Ní Shampla", _born(1995, 8, 19),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_REFUSED], 120),
    # A child: fifteen today, and fifteen whenever the demo is loaded.
    Story(*REVIEWED_AT_PANEL, _born(2011, 1, 12),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT], 150,
          team=["panel", "mentor"], extra={"review_due_days_ago": 10}),
    Story("Gabrielė", "Pavyzdytė", _born(1993, 6, 6),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT], 200,
          team=["mentor"], extra={"stalled": True}),
    Story("Mihai", "Exemplescu", _born(2006, 11, 21),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT, S.EXITED], 420,
          team=["panel", "mentor"]),
    Story("Priya", "Udaharan", _born(1997, 2, 27),
          [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT, S.EXITED, S.CLOSED],
          720),
]

EVIDENCE = [
    "Fictional demo evidence: the school reports the person has been spending lunchtimes alone "
    "watching videos shared by a new online contact.",
    "Fictional demo evidence: a youth worker says the person has talked about feeling that nobody "
    "listens to them.",
    "Fictional demo evidence: the family says the person has stopped going to football training.",
]
SOURCES = ["Exampleton Academy (demo)", "Shireford youth service (demo)", "Family (demo)"]


class DemoCase:
    """Builds one case's history, day by day, as the story says."""

    def __init__(self, case, *, opened_on, coordinator):
        self.case = case
        self.day = opened_on
        self.coordinator = coordinator

    def at(self, days_after_open, hour=10):
        return start_of_day(self.on(days_after_open)) + datetime.timedelta(hours=hour)

    def on(self, days_after_open):
        return self.day + datetime.timedelta(days=days_after_open)

    def move(self, to_status, when, reasons, changes=None, by=None):
        """A lifecycle move through the one service that makes them, back-dated."""
        self.case = case_transition(case=self.case, to_status=to_status, reasons=reasons,
                                    acting_user=by or self.coordinator, changes=changes)
        transition = CaseTransition.objects.filter(case=self.case).latest("pk")
        CaseTransition.objects.filter(pk=transition.pk).update(occurred_at=when)
        ChronologyEntry.objects.filter(object_type="channel.casetransition",
                                       object_id=str(transition.pk)).update(occurred_at=when)
        ChannelCase.objects.filter(pk=self.case.pk).update(status_changed_at=when)
        self.case.status_changed_at = when

    def record(self, kind, obj, summary, when, by=None):
        chronology_record(case=self.case, person_id=self.case.person_id, kind=kind, obj=obj,
                          summary=summary, recorded_by=by or self.coordinator, occurred_at=when)


def _users():
    return {local: User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
            for local in ("coordinator", "chair", "police", "panel", "mentor")}


def _open_case(number, story, users):
    """A referral about the story's person, through the referral services,
    ending in a "proceed to Channel" gateway outcome (which opens the case)."""
    from prevent_hub.people.services import person_create_from_referral
    from prevent_hub.referrals.demo import Demo, _details, reporting_details_record
    from prevent_hub.referrals.services import (
        reference_for,
        referral_gateway_outcome_record,
        referral_share_with_police,
        referral_submit,
    )

    demo = Demo(story.given, story.family, ReferralKind.PRACTITIONER, "decided", 0,
                GatewayOutcome.PROCEED_TO_CHANNEL, born=story.born)
    referral, _ = referral_submit(kind=ReferralKind.PRACTITIONER, details=_details(100 + number, demo),
                                  submission_key=f"demo-channel:{number}", acting_user=None,
                                  acknowledge=False)
    received_at = start_of_day(timezone.localdate() - datetime.timedelta(days=story.days_ago + 5))
    received_at += datetime.timedelta(hours=9)
    Referral.objects.filter(pk=referral.pk).update(received_at=received_at)
    referral.refresh_from_db()
    Referral.objects.filter(pk=referral.pk).update(reference=reference_for(referral))
    referral.refresh_from_db()
    person_create_from_referral(referral=referral, acting_user=users["coordinator"])
    referral.refresh_from_db()
    referral = referral_share_with_police(
        referral=referral, shared_at=received_at + datetime.timedelta(hours=3),
        method=PoliceSharingMethod.SECURE_EMAIL, acting_user=users["coordinator"])
    reporting_details_record(referral, 100 + number, demo, acting_user=users["coordinator"])
    referral_gateway_outcome_record(
        referral=referral, outcome=GatewayOutcome.PROCEED_TO_CHANNEL,
        reasons="Fictional demo reasons. Police found reasonable grounds to believe the person is "
                "susceptible to being drawn into terrorism; the case should go to the Channel panel.",
        decided_on=received_at.date() + datetime.timedelta(days=2), acting_user=users["police"])
    return ChannelCase.objects.get(referral=referral)


def _back_date_opening(case, opened_at):
    ChannelCase.objects.filter(pk=case.pk).update(opened_at=opened_at)
    ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.DECISION).update(occurred_at=opened_at)
    case.opened_at = opened_at


def _team(builder, users, locals_, when):
    roles = {"coordinator": CaseRole.COORDINATOR, "chair": CaseRole.CHAIR, "police": CaseRole.POLICE,
             "panel": CaseRole.MEMBER, "mentor": CaseRole.INTERVENTION_PROVIDER}
    for local in ["coordinator", *locals_]:
        member = CaseTeamMember.objects.create(case=builder.case, user=users[local], role=roles[local],
                                               added_at=when, added_by=users["coordinator"])
        builder.record(ChronologyKind.DECISION, member,
                       f"{users[local].full_name} joined the case team ({roles[local].label})", when)


def _information_requests(builder, users, *, overdue=False):
    today = timezone.localdate()
    rows = [
        ("Exampleton Academy (demo)", "Attendance and any concerns staff have noted this term (fictional).",
         builder.on(1), today - datetime.timedelta(days=4) if overdue else builder.on(11), not overdue),
        ("Shireford Children's Services (demo)", "Whether the family is known to the service (fictional).",
         builder.on(1), today + datetime.timedelta(days=5) if overdue else builder.on(11), False),
    ]
    for organisation, question, asked, due, answered in rows:
        answered = answered
        request = InformationRequest.objects.create(
            case=builder.case, organisation_name=organisation, question=question, requested_on=asked,
            due_date=due, requested_by=users["coordinator"],
            answer=InformationRequest.Answer.RESPONDED if answered else "",
            response="Fictional demo response: nothing of concern on file." if answered else "",
            answered_on=min(due, today) if answered else None,
            answer_recorded_by=users["coordinator"] if answered else None,
        )
        builder.record(ChronologyKind.INFORMATION_REQUEST, request,
                       f"Information requested from {organisation}", builder.at(1))


def _assessment(builder, users, days_after_open, kind=AssessmentKind.ADOPTION, review=None):
    framework = VafFramework.objects.order_by("-version").first()
    when = builder.at(days_after_open, hour=14)
    assessment = Assessment.objects.create(
        case=builder.case, framework=framework, kind=kind, assessed_on=when.date(), review=review,
        created_by=users["coordinator"], created_at=when, completed_at=when)
    factors = [factor for dimension in framework.dimensions.all() for factor in dimension.factors.all()]
    FactorEvidence.objects.bulk_create([
        FactorEvidence(assessment=assessment, factor=factor, not_known=index % 4 == 3,
                       evidence="" if index % 4 == 3 else EVIDENCE[index % len(EVIDENCE)],
                       source="" if index % 4 == 3 else SOURCES[index % len(SOURCES)])
        for index, factor in enumerate(factors)
    ])
    DimensionJudgement.objects.bulk_create([
        DimensionJudgement(assessment=assessment, dimension=dimension, author=users["coordinator"],
                           written_at=when,
                           judgement="Fictional demo judgement: the panel's view, in words, of what the "
                                     "evidence shows for this dimension and what support might help.")
        for dimension in framework.dimensions.all()
    ])
    builder.record(ChronologyKind.ASSESSMENT, assessment,
                   f"Vulnerability assessment completed ({assessment.get_kind_display().lower()})", when)


def _consent(builder, users, days_after_open, answer, *, child=False):
    asked = builder.on(days_after_open)
    consent = Consent.objects.create(
        case=builder.case, giver=ConsentGiver.PARENT_OR_GUARDIAN if child else ConsentGiver.PERSON,
        giver_name=(f"Parent Demo-{builder.case.person.family_name}" if child
                    else builder.case.person.full_name),
        giver_relationship="Parent" if child else "", asked_by=users["coordinator"],
        method=ConsentMethod.IN_PERSON, asked_on=asked, answer=answer,
        answered_on=asked + datetime.timedelta(days=3) if answer else None,
        capacity_notes="" if child else "Fictional demo note: no concerns about capacity.",
        child_views="Fictional demo note: the young person said they were willing to meet a mentor."
        if child else "",
        recorded_by=users["coordinator"], recorded_at=builder.at(days_after_open),
    )
    builder.record(ChronologyKind.CONSENT, consent, "Consent asked for", builder.at(days_after_open))
    return consent


def _support(builder, users, days_after_open, *, stalled=False, until=None):
    mentors = Organisation.objects.get(name="Bridgeway Mentoring (demo)")
    when = builder.at(days_after_open)
    plan = SupportPlan.objects.create(
        case=builder.case, consent_how="In person, at a meeting with the coordinator (fictional).",
        consent_when="Before support starts", consent_by_whom=users["coordinator"].full_name,
        nature_of_support="Fictional demo plan: weekly mentoring and help back into football training.",
        how_and_when_provided="Weekly one-hour sessions at the Exampleton youth centre (fictional).",
        updated_at=when, updated_by=users["coordinator"])
    provider = SupportProvider.objects.create(plan=plan, organisation=mentors, support_type="Mentoring",
                                              home_office_approved=True)
    builder.record(ChronologyKind.SUPPORT_PLAN, plan, "Support plan written", when)
    today = timezone.localdate()
    end = until or today
    day, last_delivered, number = builder.on(days_after_open + 7), None, 0
    while day < end - datetime.timedelta(days=2):
        quiet = stalled and day > today - datetime.timedelta(weeks=6)
        status = (SessionStatus.MISSED if quiet else
                  SessionStatus.CANCELLED if number % 5 == 4 else SessionStatus.DELIVERED)
        if not quiet or number % 2 == 0:
            session = SupportSession.objects.create(
                case=builder.case, provider=provider, held_on=day, status=status,
                notes=f"Fictional demo session notes ({status.label.lower()}).",
                recorded_by=users["mentor"], recorded_at=start_of_day(day) + datetime.timedelta(hours=17))
            builder.record(ChronologyKind.SESSION, session, f"Support session {status.label.lower()}",
                           session.recorded_at, by=users["mentor"])
            if status == SessionStatus.DELIVERED:
                last_delivered = day
        day += datetime.timedelta(days=7)
        number += 1
    ChannelCase.objects.filter(pk=builder.case.pk).update(last_session_delivered_on=last_delivered)
    builder.case.last_session_delivered_on = last_delivered
    finished = until is not None
    for description, owner, due, done in [
        ("Book the first mentoring session (fictional)", "mentor", builder.on(days_after_open + 5), True),
        ("Send the family the session timetable (fictional)", "coordinator",
         today - datetime.timedelta(days=2), finished),
        ("Agree a football club place with the coach (fictional)", "mentor",
         today + datetime.timedelta(days=6), finished),
    ]:
        PlanAction.objects.create(
            case=builder.case, description=description, owner=users[owner], due_date=due,
            done_on=min(due, end) if done else None, created_by=users["coordinator"], created_at=when)


def _note(builder, users, days_after_open, text):
    note = Note.objects.create(case=builder.case, text=text, written_by=users["coordinator"],
                               written_at=builder.at(days_after_open, hour=16))
    builder.record(ChronologyKind.NOTE, note, "Note added", note.written_at)


def _next_review(builder, today):
    """Four weeks after adoption; for a case adopted long ago, the next one
    (in a few days)."""
    due = builder.on(21 + 28)
    return due if due >= today - datetime.timedelta(days=14) else today + datetime.timedelta(days=3)


def _live(builder, users, story):
    """Take one case through its story's path."""
    today = timezone.localdate()
    child = (today - story.born).days < 18 * 365
    _team(builder, users, story.team, builder.at(0, hour=11))
    _information_requests(builder, users)
    _note(builder, users, 2, "Fictional demo note: spoke to the referrer, who has nothing to add.")
    for status in story.path:
        if status == S.AWAITING_PANEL:
            builder.move(status, builder.at(14), "Fictional demo reasons: information gathered; ready "
                                                 "for the panel.")
        elif status == S.ADOPTED:
            _assessment(builder, users, 21)
            builder.move(status, builder.at(21, hour=15), "Fictional demo reasons: the panel agreed "
                         "Channel support is appropriate.", by=users["chair"], changes={
                             "adopted_on": builder.on(21)})
        elif status == S.CONSENT_SOUGHT:
            builder.move(status, builder.at(23), "Consent to be asked for in person this week.")
            answer = ("" if status == story.path[-1] else
                      ConsentAnswer.REFUSED if S.CONSENT_REFUSED in story.path else ConsentAnswer.GIVEN)
            _consent(builder, users, 24, answer, child=child)
        elif status == S.CONSENT_GIVEN:
            builder.move(status, builder.at(27), "Consent given.")
        elif status == S.CONSENT_REFUSED:
            builder.move(status, builder.at(27), "Fictional demo reasons: the person did not want support "
                         "at this time.", changes={"reassessment_date": today - datetime.timedelta(days=2),
                                                    "next_review_date": None})
        elif status == S.SUPPORT:
            exited = S.EXITED in story.path
            until = builder.on(28 + 180) if exited else None
            _support(builder, users, 28, stalled=story.extra.get("stalled", False), until=until)
            due_days_ago = story.extra.get("review_due_days_ago")
            next_review = (today - datetime.timedelta(days=due_days_ago) if due_days_ago
                           else _next_review(builder, today))
            builder.move(status, builder.at(28, hour=12), "Support plan agreed; support starts.",
                         changes={"support_started_on": builder.on(28), "next_review_date": next_review})
            review = Review.objects.create(
                case=builder.case, kind=ReviewKind.PANEL_REVIEW, due_date=builder.on(28 + 56),
                completed_on=builder.on(28 + 56), recorded_by=users["chair"],
                outcome="Fictional demo outcome: support is going well; carry on.")
            builder.record(ChronologyKind.REVIEW, review, "Panel review held", builder.at(28 + 56, hour=13),
                           by=users["chair"])
            _assessment(builder, users, 28 + 56, kind=AssessmentKind.REVIEW, review=review)
        elif status == S.EXITED:
            exit_date = builder.on(28 + 182)
            _assessment(builder, users, 28 + 181, kind=AssessmentKind.EXIT)
            builder.move(status, start_of_day(exit_date) + datetime.timedelta(hours=11),
                         "Fictional demo reasons: the panel found the support has worked and the "
                         "person is no longer susceptible.",
                         changes={"exit_date": exit_date, "next_review_date": None,
                                  "exit_reasons": "Fictional demo reasons: the support has worked."},
                         by=users["chair"])
            for months in (6, 12):
                due = add_months(exit_date, months)
                done = due < today - datetime.timedelta(days=20) and S.CLOSED in story.path
                review = Review.objects.create(
                    case=builder.case, kind=ReviewKind.POST_EXIT, months_after_exit=months, due_date=due,
                    completed_on=due if done else None, recorded_by=users["coordinator"] if done else None,
                    outcome="Fictional demo outcome: no further concerns." if done else "")
                builder.record(ChronologyKind.REVIEW, review,
                               f"Post-exit review {months} months after exit due on {due:%d %B %Y}",
                               start_of_day(exit_date) + datetime.timedelta(hours=11))
        elif status == S.CLOSED:
            last_review = add_months(builder.case.exit_date, 12)
            builder.move(status, start_of_day(last_review) + datetime.timedelta(hours=12),
                         "Fictional demo reasons: both post-exit reviews found no further concerns.",
                         changes={"closure_reason": ClosureReason.POST_EXIT_REVIEWS_DONE})
    if builder.case.status == S.SUPPORT:
        Review.objects.create(case=builder.case, kind=ReviewKind.PANEL_REVIEW,
                              due_date=builder.case.next_review_date)


def _existing_stories(users):
    """The cases the referrals demo opened: one (a child) has consent asked of
    a parent and not yet answered, one waits for the panel, and one stays in
    screening with an overdue information request."""
    found = []
    for given, family, path in [
        ("Mockwell", "Placeholder", [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT]),
        ("Trialla", "Exampleby", [S.AWAITING_PANEL]),
        ("Draftina", "Example-Smith", []),
    ]:
        case = (ChannelCase.objects.select_related("person", "referral")
                .filter(person__given_name=given, person__family_name=family).first())
        if case:
            days_ago = (timezone.localdate() - case.referral.gateway_decided_on).days
            found.append((case, Story(given, family, case.person.date_of_birth or datetime.date(2005, 1, 1),
                                      path, days_ago, team=["panel"] if path else [])))
    return found


def load():
    from prevent_hub.referrals.demo import gateway_outcomes_record

    gateway_outcomes_record()
    users = _users()
    today = timezone.localdate()
    cases = []
    with acting_as(users["coordinator"]):
        for number, story in enumerate(stories(), start=1):
            cases.append((_open_case(number, story, users), story))
        cases = _existing_stories(users) + cases
        for case, story in cases:
            opened_on = today - datetime.timedelta(days=story.days_ago)
            _back_date_opening(case, start_of_day(opened_on) + datetime.timedelta(hours=10))
            builder = DemoCase(case, opened_on=opened_on, coordinator=users["coordinator"])
            if not story.path:
                _team(builder, users, [], builder.at(0, hour=11))
                _information_requests(builder, users, overdue=True)
                _note(builder, users, 1, "Fictional demo note: the school has been asked for attendance "
                                         "records. Chase if nothing by the due date.")
                continue
            _live(builder, users, story)
