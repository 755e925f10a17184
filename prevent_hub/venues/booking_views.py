"""The officer's work on one venue booking: ASK (what the booker told us),
CHECK (the checklist, in the officer's words, with evidence) and DECIDE
(escalation and the Prevent lead's advice, the decision, appeals, changes,
cancelling and letters). Views parse, call a service or selector, render;
the services hold the rules and write the audit events."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.downloads import audited_download
from prevent_hub.audit.services import audit_view
from prevent_hub.audit.shows import shows
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.govuk.forms import form_submitted
from prevent_hub.retention.selectors import kept_until_text

from . import booking_forms as forms
from . import selectors, services
from .letters import letter_draft, letter_kind_for
from .models import BookingStatus, CheckEvidence, CheckKind, LetterKind

BOOKING = "venues.venuebooking"

# What each kind of check asks of the officer: what to look at themselves.
# Prevent Hub looks nothing up.
HOW_TO_CHECK = {
    CheckKind.PUBLIC_STATEMENTS: (
        "Read what they have said in public yourself: their own website, published statements, news "
        "reports. Note where you looked, when, and what you found."),
    CheckKind.REFERENCES: (
        "Ask the people or organisations they have worked with. Note who you asked, when, and what they "
        "told you."),
    CheckKind.STATUS: (
        "Look up the charity number on the Charity Commission's register or the company number at "
        "Companies House. Note what the register says."),
    CheckKind.PREVIOUS_BOOKINGS: (
        "Look at their earlier bookings of council venues, if any, and how those events went."),
}


def _shows(part):
    return shows(BOOKING, part=part, kwarg="reference", lookup="reference")


def _crumbs(booking=None, *trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    # The dashboard is built as its own part (venue_urls); until it is there
    # the trail starts at Home.
    with contextlib.suppress(NoReverseMatch):
        items.append({"text": "Venue bookings", "href": reverse("venues:dashboard")})
    if booking is not None:
        items.append({"text": booking.reference, "href": _href(booking)})
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _href(booking, name="venues:booking", **kwargs):
    return reverse(name, kwargs={"reference": booking.reference, **kwargs})


def _booking(request, reference):
    booking = selectors.booking_for(user=request.user, reference=reference)
    if booking is None:
        raise Http404("No such booking")
    return booking


def _clocks(booking):
    """Working days since the request arrived and until the event."""
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    return {
        "since_receipt": calendar.working_days_between(timezone.localdate(booking.received_at), today),
        "until_event": calendar.working_days_between(today, booking.event_date),
        "event_passed": booking.event_date < today,
        "event_today": booking.event_date == today,
    }


def _may(user, booking):
    """What the page offers this user for this booking now (the services
    refuse anything done at the wrong time all the same)."""
    open_for_decision = booking.awaiting_decision
    return {
        "check": open_for_decision and can(user, Action.VENUE_BOOKING_CHECK),
        "escalate": (open_for_decision and booking.status != BookingStatus.ESCALATED
                     and can(user, Action.VENUE_BOOKING_CHECK)),
        "advise": not booking.is_finished and can(user, Action.VENUE_BOOKING_ADVISE),
        "decide": open_for_decision and can(user, Action.VENUE_BOOKING_DECIDE),
        "decide_appeal": booking.status == BookingStatus.APPEALED and can(user, Action.VENUE_APPEAL_DECIDE),
        "cancel": not booking.is_finished and can(user, Action.VENUE_BOOKING_CANCEL),
        "write_letter": can(user, Action.VENUE_BOOKING_CHECK),
    }


def _page(request, booking, template, **page):
    return render(request, template, {
        "booking": booking, "cancel": _href(booking), "breadcrumbs": _crumbs(booking), **page})


def _step(request, booking, *, form, write, done, then=None, template="venues/booking/form.html", **page):
    """One step on its own page: a valid POST calls `write(cleaned_data)` (a
    service) and goes on to `then(result)` (else the booking page) saying
    `done(result)`; otherwise the page, with any refusal on the form and
    what was typed kept."""
    result = form_submitted(request, form, write)
    if result:
        messages.success(request, done(result))
        return redirect(then(result) if then else _href(booking))
    return _page(request, booking, template, form=form, **page)


# The booking page --------------------------------------------------------------------------


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@_shows("booking: what the booker asked, the checks and the decisions")
def booking_detail(request, reference):
    booking = _booking(request, reference)
    page = selectors.booking_page(booking)
    user = request.user
    may = _may(user, booking)
    unadvised = [escalation for escalation in page.escalations if escalation.advised_at is None]
    audit_view(booking)
    return render(request, "venues/booking/booking.html", {
        "title": f"Venue booking {booking.reference}", "booking": booking, "page": page, "may": may,
        "clocks": _clocks(booking),
        "kept_until": kept_until_text(booking.retain_until, booking.retention_policy,
                                      while_open="Not yet set"),
        "advice_form": forms.AdviceForm() if may["advise"] and unadvised else None,
        "advice_for": unadvised[-1] if unadvised else None,
        "own_decisions": {appeal.pk for appeal in page.appeals
                          if selectors.appeal_made_by_its_decider(appeal, user)},
        "breadcrumbs": _crumbs()})


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@_shows("promotion material (download)")
def promotion_file(request, reference, pk):
    booking = _booking(request, reference)
    return audited_download(booking, booking.promotion_files.filter(pk=pk).first(), kept_as="promotion_file")


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@_shows("evidence kept with a check (download)")
def evidence_file(request, reference, pk):
    booking = _booking(request, reference)
    stored = CheckEvidence.objects.filter(pk=pk, check_line__booking=booking).exclude(file="").first()
    return audited_download(booking, stored, kept_as="evidence")


# CHECK ------------------------------------------------------------------------------------


def _line(booking, key):
    line = selectors.checklist_line(booking, key)
    if line is None:
        raise Http404("No such line on the checklist")
    return line


@requires(Action.VENUE_BOOKING_CHECK)
@require_http_methods(["GET", "POST"])
@_shows("a line of the checklist and its evidence")
def check_record(request, reference, line):
    booking = _booking(request, reference)
    found = _line(booking, line)
    recorded = found.check
    initial = {"outcome": recorded.outcome, "notes": recorded.notes} if recorded else None
    return _step(
        request, booking, form=forms.CheckForm(request.POST or None, initial=initial),
        write=lambda data: services.check_record(
            booking=booking, subject=found.subject, kind=found.kind, speaker=found.speaker,
            outcome=data["outcome"], notes=data["notes"], acting_user=request.user),
        done=lambda _: f"{found.label} for {found.who}: recorded. Add any evidence you kept, or go back to "
                       "the booking.",
        then=lambda _: _href(booking, "venues:booking-check", line=line),
        template="venues/booking/check.html",
        title=f"{found.label}: {found.who}", line=found, how_to_check=HOW_TO_CHECK[found.kind],
        button="Save the check" if recorded is None else "Save the check again",
        cancel_text="Back to the booking",
        show_form=booking.awaiting_decision or request.method == "POST",
        may_add_evidence=recorded is not None and booking.awaiting_decision)


@requires(Action.VENUE_BOOKING_CHECK)
@require_http_methods(["GET", "POST"])
@_shows("add evidence to a check")
def evidence_add(request, reference, line):
    booking = _booking(request, reference)
    found = _line(booking, line)
    check_href = _href(booking, "venues:booking-check", line=line)
    if found.check is None:
        messages.info(request, "Record the check first, then add the evidence you kept.")
        return redirect(check_href)
    if request.method == "GET" and not booking.awaiting_decision:
        messages.info(request, "Evidence is added before the decision: this booking has been decided.")
        return redirect(check_href)

    def add(data):
        try:
            return services.check_evidence_add(
                check=found.check, description=data["description"], link=data["link"], upload=data["file"],
                acting_user=request.user)
        except ValidationError as error:
            # A file refused for what it is (type, size, macros) is the file's error.
            if hasattr(error, "error_dict") or data["file"] is None or error.code == "status":
                raise
            raise ValidationError({"file": error.messages}) from None

    return _step(
        request, booking, form=forms.EvidenceForm(request.POST or None, request.FILES or None), write=add,
        done=lambda evidence: f"Evidence added: {evidence.description}", then=lambda _: check_href,
        template="venues/booking/evidence.html", title="Add evidence", line=found, button="Add the evidence",
        multipart=True, cancel=check_href, breadcrumbs=_crumbs(booking, (found.label, check_href)))


@requires(Action.VENUE_BOOKING_CHECK)
@require_http_methods(["GET", "POST"])
@_shows("escalate to the Prevent lead form")
def escalate(request, reference):
    booking = _booking(request, reference)
    return _step(
        request, booking, form=forms.EscalateForm(request.POST or None),
        write=lambda data: services.booking_escalate(booking=booking, reason=data["reason"],
                                                     acting_user=request.user),
        done=lambda _: f"{booking.reference} is escalated to the Prevent lead, who has been emailed. The "
                       "decision stays yours once they have advised.",
        title="Escalate to the Prevent lead", button="Escalate to the Prevent lead", intro="escalate")


@requires(Action.VENUE_BOOKING_ADVISE)
@require_http_methods(["GET", "POST"])
@_shows("the Prevent lead's advice form")
def advise(request, reference, pk):
    booking = _booking(request, reference)
    escalation = booking.escalations.select_related("escalated_by", "advised_by").filter(pk=pk).first()
    if escalation is None:
        raise Http404("No such escalation")
    return _step(
        request, booking, form=forms.AdviceForm(request.POST or None),
        write=lambda data: services.escalation_advise(escalation=escalation, advice=data["advice"],
                                                      acting_user=request.user),
        done=lambda _: f"Your advice on {booking.reference} is recorded. The venue booking officer makes the "
                       "decision.",
        template="venues/booking/advise.html", title="Give your advice", button="Give your advice",
        escalation=escalation, show_form=escalation.advised_at is None or request.method == "POST")


# DECIDE -----------------------------------------------------------------------------------


@requires(Action.VENUE_BOOKING_DECIDE)
@require_http_methods(["GET", "POST"])
@_shows("decision form, with what changed and the checklist")
def decide(request, reference):
    booking = _booking(request, reference)
    changed = booking.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL
    return _step(
        request, booking,
        form=forms.DecideForm(request.POST or None, clauses=booking.conditions.clauses.all()),
        write=lambda data: services.booking_decide(
            booking=booking, outcome=data["outcome"], reasons=data["reasons"], clause=data["clause"],
            conditions=data["conditions"], acting_user=request.user),
        done=lambda decision: (f"Decision recorded: {decision.get_outcome_display().lower()}, by "
                               f"{decision.decided_by.full_name} on {govuk_date(decision.decided_on)}. "
                               "Write a letter to tell the booker."),
        template="venues/booking/decide.html",
        title="Decide the changed booking" if changed else "Decide the booking", button="Record the decision",
        page=selectors.booking_page(booking), today=timezone.localdate(),
        show_form=booking.awaiting_decision or request.method == "POST")


@requires(Action.VENUE_APPEAL_DECIDE)
@require_http_methods(["GET", "POST"])
@_shows("an appeal and its decision form")
def appeal_decide(request, reference, pk):
    booking = _booking(request, reference)
    appeal = (booking.appeals.select_related("decided_by", "decision__decided_by", "decision__clause")
              .prefetch_related("decision__conditions").filter(pk=pk).first())
    if appeal is None:
        raise Http404("No such appeal")
    # Whoever made the decision appealed never gets the form (the page says
    # someone else must decide); were they to post one anyway, the service
    # refuses them and the page says why.
    theirs = selectors.appeal_made_by_its_decider(appeal, request.user)
    form = forms.AppealDecideForm(request.POST or None)
    decided = form_submitted(request, form, lambda data: services.appeal_decide(
        appeal=appeal, outcome=data["outcome"], reasons=data["reasons"], acting_user=request.user))
    if decided:
        messages.success(request, f"Appeal {decided.get_outcome_display().lower()}, by "
                                  f"{decided.decided_by.full_name} on {govuk_date(decided.decided_at)}. "
                                  "Write a letter to tell the booker.")
        return redirect(_href(booking))
    refusal = None
    if theirs and form.errors:
        # They have no form to link to: the summary points at why.
        refusal = {"titleText": "There is a problem", "errorList": [
            {"text": text, "href": "#someone-else"} for text in form.non_field_errors()
            or ["You made the decision under appeal, so someone else must decide the appeal"]]}
    return _page(request, booking, "venues/booking/appeal.html", title="Decide the appeal", form=form,
                 button="Record the appeal decision", appeal=appeal, theirs=theirs, refusal=refusal,
                 show_form=not theirs and (appeal.decided_at is None or request.method == "POST"))


@requires(Action.VENUE_BOOKING_CANCEL)
@require_http_methods(["GET", "POST"])
@_shows("cancel the booking form")
def cancel(request, reference):
    booking = _booking(request, reference)
    return _step(
        request, booking, form=forms.CancelForm(request.POST or None),
        write=lambda data: services.booking_cancel(booking=booking, reason=data["reason"],
                                                   acting_user=request.user),
        done=lambda _: f"{booking.reference} is cancelled. Write the cancellation letter to tell the booker.",
        template="venues/booking/cancel.html", title=f"Are you sure you want to cancel {booking.reference}?",
        button="Yes, cancel the booking", button_classes="govuk-button--warning",
        cancel_text="No, go back to the booking",
        show_form=not booking.is_finished or request.method == "POST")


# Letters ------------------------------------------------------------------------------------


@requires(Action.VENUE_BOOKING_CHECK)
@require_GET
@_shows("which letter to write")
def letter_new(request, reference):
    booking = _booking(request, reference)
    form = forms.LetterKindForm(request.GET if "kind" in request.GET else None,
                                initial={"kind": letter_kind_for(booking)})
    if form.is_bound and form.is_valid():
        return redirect(_href(booking, "venues:booking-letter-write", kind=form.cleaned_data["kind"]))
    return _page(request, booking, "venues/booking/letter_kind.html", title="Write a letter to the booker",
                 form=form)


@requires(Action.VENUE_BOOKING_CHECK)
@require_http_methods(["GET", "POST"])
@_shows("a letter to the booker, filled in to send")
def letter_write(request, reference, kind):
    booking = _booking(request, reference)
    if kind not in LetterKind.values:
        raise Http404("No such letter")
    subject, body = letter_draft(booking, kind)
    form = forms.LetterForm(request.POST or None, initial={"subject": subject, "body": body})
    return _step(
        request, booking, form=form,
        write=lambda data: services.letter_send(booking=booking, kind=kind, subject=data["subject"],
                                                body=data["body"], acting_user=request.user),
        done=lambda letter: f"Letter sent to the booker by email: {letter.subject}",
        then=lambda letter: _href(booking, "venues:booking-letter", pk=letter.pk),
        template="venues/booking/letter_write.html", title=f"{LetterKind(kind).label} letter",
        button="Send the letter",
        breadcrumbs=_crumbs(booking, ("Write a letter", _href(booking, "venues:booking-letter-new"))))


@requires(Action.VENUE_BOOKING_VIEW)
@require_GET
@_shows("a letter sent to the booker")
def letter(request, reference, pk):
    booking = _booking(request, reference)
    sent = booking.letters.select_related("sent_by").filter(pk=pk).first()
    if sent is None:
        raise Http404("No such letter")
    return _page(request, booking, "venues/booking/letter.html", title=sent.subject, letter=sent)
