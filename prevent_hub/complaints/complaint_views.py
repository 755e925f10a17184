"""The complaints officer's and investigating officer's pages for one
complaint: what the complainant said and the clocks, triage (scope, the
record it concerns, consent, passing on, signposting), the investigation
(the investigating officer, notes, documents, points and findings, remedy
and lessons) and the letters, each step on its own page; recording a
complaint received other than online; and the wording of letters.

Views parse, call a service or selector, render; the services hold the
rules and write the audit events. What a page offers (`_may`) mirrors the
services for display only: a step done at the wrong time is refused by the
service all the same, and the page says why."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.downloads import audited_download
from prevent_hub.audit.services import audit_view
from prevent_hub.audit.shows import shows, shows_nothing_personal
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.working_days import WorkingCalendar
from prevent_hub.govuk.forms import form_submitted
from prevent_hub.retention.selectors import kept_until_text

from . import complaint_forms as forms
from . import selectors, services
from .letters import ESCALATION_REQUIRED, PLACEHOLDERS, escalation_text, letter_draft
from .models import (
    OPEN,
    Complaint,
    ComplaintPoint,
    Consent,
    ContactPreference,
    LetterKind,
    LetterTemplate,
    Recipient,
    Scope,
    Status,
)

COMPLAINT = "complaints.complaint"
STEP = "complaints/complaint/form.html"
LETTER_STEP = "complaints/complaint/letter_write.html"
# The hidden `once` tokens of the notes, documents and points this browser
# added (the latest few): a page sent twice adds once.
ONCE_SESSION_KEY = "complaints:once"
ONCE_KEPT = 50


def _shows(part):
    return shows(COMPLAINT, part=part, kwarg="reference", lookup="reference")


def _with_complaint(action, methods, part):
    """A page of one complaint: needs `action` (on the complaint too, for
    object rules), answers `methods`, and shows `part` of the complaint. The
    view is given the complaint, not its reference."""
    def decorate(view):
        @wraps(view)
        def with_complaint(request, reference, **kwargs):
            return view(request, _complaint(request, reference, action), **kwargs)

        return requires(action)(require_http_methods(methods)(_shows(part)(with_complaint)))
    return decorate


def _step_page(action, part):
    """A step: a form (GET) sent back to itself (POST)."""
    return _with_complaint(action, ["GET", "POST"], part)


def _read_page(part):
    """A page, or a file, to read."""
    return _with_complaint(Action.COMPLAINT_VIEW, ["GET"], part)


def _href(complaint, name="complaints:complaint", **kwargs):
    return reverse(name, kwargs={"reference": complaint.reference, **kwargs})


def _crumbs(complaint=None, *trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Complaints", "href": reverse("complaints:dashboard")}]
    if complaint is not None:
        items.append({"text": complaint.reference, "href": _href(complaint)})
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _complaint(request, reference, action=Action.COMPLAINT_VIEW):
    """The complaint, if the user may see it (else 404: an investigating
    officer never learns that another's complaint exists), and may take
    `action` on it (else 403)."""
    complaint = selectors.complaint_for(user=request.user, reference=reference)
    if complaint is None:
        raise Http404("No such complaint")
    check(request, action, complaint)
    return complaint


def _posted(request, *, files=False):
    """What a form is bound to: the POST, even an empty one (a form posted
    with nothing in it is still a submission, to be checked), else None."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def _page(request, complaint, template, **page):
    return render(request, template, {
        "complaint": complaint, "cancel": _href(complaint), "breadcrumbs": _crumbs(complaint), **page})


def _sent_before(request, form) -> bool:
    """Whether this add-something page was sent already from this browser."""
    if request.method != "POST" or not isinstance(form, forms.OnceForm) or not form.is_valid():
        return False
    return form.cleaned_data["once"] in request.session.get(ONCE_SESSION_KEY, [])


def _remember_sent(request, form):
    token = form.cleaned_data.get("once") if isinstance(form, forms.OnceForm) else ""
    if token:
        request.session[ONCE_SESSION_KEY] = [*request.session.get(ONCE_SESSION_KEY, []), token][-ONCE_KEPT:]


def _step(request, complaint, *, form, write, done, then=None, template=STEP, open_now=True, **page):
    """One step on its own page: a valid POST calls `write(cleaned_data)` (a
    service) and goes back to the complaint (or `then(result)`) saying
    `done(result)`; otherwise the page, with any refusal in the error
    summary and what was typed kept. A step that cannot be taken now
    (`open_now` false) says so instead of showing its form; a POST to it
    anyway goes to the service, whose refusal the page shows."""
    if _sent_before(request, form):
        messages.info(request, "That was saved already, so it has not been added again.")
        return redirect(_href(complaint))
    result = form_submitted(request, form, write)
    if result:
        _remember_sent(request, form)
        messages.success(request, done(result))
        return redirect(then(result) if then else _href(complaint))
    return _page(request, complaint, template, form=form,
                 show_form=open_now or request.method == "POST", **page)


# Deadlines ------------------------------------------------------------------------------


def _clock(deadline, today, calendar, *, overdue):
    """A deadline as the page shows it: working days left or overdue by, and
    "due soon" on the reminder emails' rule (COMPLAINT_REMINDER_WORKING_DAYS)."""
    soon = calendar.add_working_days(today, settings.COMPLAINT_REMINDER_WORKING_DAYS)
    return {
        "date": deadline,
        "overdue": overdue,
        "overdue_by": calendar.working_days_between(deadline, today) if overdue else 0,
        "due_soon": not overdue and deadline <= soon,
        "days_left": calendar.working_days_between(today, deadline),
        "today": deadline == today,
    }


def _clocks(complaint):
    """The acknowledgement and response clocks of an open complaint. Whether
    each is overdue is asked of the database by the rule the dashboard
    counts with (selectors), so the page and the counts cannot disagree."""
    today = timezone.localdate()
    flags = (Complaint.objects.filter(pk=complaint.pk)
             .annotate(acknowledgement=ExpressionWrapper(selectors.acknowledgement_overdue(today),
                                                         output_field=BooleanField()),
                       response=ExpressionWrapper(selectors.response_overdue(today),
                                                  output_field=BooleanField()))
             .values("acknowledgement", "response").get())
    calendar = WorkingCalendar.load()
    clocks = {"received_days": calendar.working_days_between(complaint.received_on, today)}
    if complaint.status in OPEN and complaint.acknowledged_on is None:
        clocks["acknowledge"] = _clock(complaint.acknowledge_by, today, calendar,
                                       overdue=flags["acknowledgement"])
    if complaint.status in OPEN:
        clocks["respond"] = _clock(complaint.response_due, today, calendar, overdue=flags["response"])
    return clocks


# What the page offers ---------------------------------------------------------------------


def _may(user, complaint, sharings):
    status, scope = complaint.status, complaint.scope
    is_open = status in OPEN
    triage = can(user, Action.COMPLAINT_TRIAGE, complaint)
    investigating = status == Status.INVESTIGATING
    investigate = investigating and can(user, Action.COMPLAINT_INVESTIGATE, complaint)
    shared = {sharing.recipient for sharing in sharings}
    may = {
        "triage": triage and is_open,
        "link": triage and is_open,
        # Consent to StaCU may still be given after the council has answered.
        "consent": triage and len(shared) < len(Recipient.values),
        "acknowledge": triage and is_open and complaint.acknowledged_on is None,
        "pass_on": triage and status == Status.RECEIVED and scope == Scope.BY_OTHER,
        "share_with_stacu": triage and Recipient.STACU not in shared,
        "signpost": triage and status == Status.RECEIVED and scope in (Scope.POLICY, Scope.BY_OTHER),
        "assign": triage and investigating,
        "extend": triage and is_open,
        "withdraw": triage and is_open,
        "note": investigate,
        "document": investigate,
        "point": investigate,
        "find": investigate and complaint.investigator_id == user.pk,
        "conclude": investigate,
        "respond": investigating and can(user, Action.COMPLAINT_RESPOND, complaint),
        # Holds are placed through records management, on the record the
        # complaint concerns (decision record 0023).
        "hold": bool(complaint.referral_id or complaint.case_id) and can(user, Action.LEGAL_HOLD_MANAGE),
    }
    may["any"] = any(may.values())
    return may


def _linked(user, complaint):
    """The record the complaint concerns: its reference always, a link only
    for someone who may open that record by the usual rules, and nothing
    else from it."""
    if not complaint.concerns_reference:
        return None
    href = ""
    if complaint.case_id is not None:
        if can(user, Action.CASE_VIEW, complaint.case):
            href = reverse("channel:case-detail", kwargs={"pk": complaint.case_id})
    elif complaint.referral_id is not None and can(user, Action.REFERRAL_VIEW, complaint.referral):
        href = reverse("triage:referral", kwargs={"reference": complaint.concerns_reference})
    return {"reference": complaint.concerns_reference, "href": href,
            "held": complaint.case_id is not None or complaint.referral_id is not None}


# The complaint page -------------------------------------------------------------------------


@_read_page("complaint: what the complainant said, deadlines, triage, investigation and letters")
def complaint_page(request, complaint):
    user = request.user
    sharings = list(complaint.sharings.select_related("shared_by"))
    # Read once, for the page and for response_refusal's look at the findings.
    prefetch_related_objects([complaint], Prefetch("points", queryset=ComplaintPoint.objects.select_related(
        "found_by")))
    audit_view(complaint)
    return render(request, "complaints/complaint/complaint.html", {
        "title": f"Complaint {complaint.reference}", "complaint": complaint,
        "may": _may(user, complaint, sharings), "clocks": _clocks(complaint),
        "linked": _linked(user, complaint), "sharings": sharings, "points": complaint.points.all(),
        "notes": list(complaint.notes.select_related("written_by")),
        "documents": list(complaint.documents.select_related("added_by")),
        "extensions": list(complaint.extensions.select_related("extended_by")),
        "letters": list(complaint.letters.select_related("sent_by")),
        "holds": list(complaint.legal_holds.select_related("placed_by")),
        "today": timezone.localdate(),
        "response_refusal": services.response_refusal(complaint) if complaint.status == Status.INVESTIGATING
        else "",
        "kept_until": kept_until_text(complaint.retain_until, complaint.retention_policy,
                                      while_open="Set when the complaint is closed"),
        "breadcrumbs": _crumbs()})


@_read_page("a document kept with the investigation (download)")
def document(request, complaint, pk):
    return audited_download(complaint, complaint.documents.filter(pk=pk).first(), kept_as="document")


@_read_page("a letter sent to the complainant")
def letter(request, complaint, pk):
    sent = complaint.letters.select_related("sent_by").filter(pk=pk).first()
    if sent is None:
        raise Http404("No such letter")
    return _page(request, complaint, "complaints/complaint/letter.html", title=sent.subject, letter=sent,
                 breadcrumbs=_crumbs(complaint, ("Letter", "")))


# Recording a complaint received other than online -----------------------------------------


@requires(Action.COMPLAINT_RECORD)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("an empty form for a complaint received by letter, email, telephone or in person; "
                        "on a refused send it shows back only what the officer typed")
def record(request):
    form = forms.RecordForm(_posted(request), user=request.user)
    recorded = form_submitted(request, form, lambda data: services.complaint_submit(
        answers=form.answers(), submission_key=form.submission_key(), acting_user=request.user,
        source=data["source"], received_on=data["received_on"]))
    if recorded:
        messages.success(request, f"Complaint {recorded.reference} is recorded. Acknowledge it by "
                                  f"{govuk_date(recorded.acknowledge_by)}; respond by "
                                  f"{govuk_date(recorded.respond_by)}.")
        return redirect(_href(recorded))
    return render(request, "complaints/complaint/record.html", {
        "title": "Record a complaint", "form": form, "button": "Record the complaint",
        "cancel": reverse("staff:home"), "breadcrumbs": _crumbs(None, ("Record a complaint", ""))})


# Triage ---------------------------------------------------------------------------------------


@_step_page(Action.COMPLAINT_TRIAGE, "triage form: what the complaint is about")
def triage(request, complaint):
    initial = {"scope": complaint.scope, "category": complaint.category, "reasons": complaint.scope_reasons}

    def done(triaged):
        if triaged.scope == Scope.BY_US:
            return "Triaged: it is about how we applied the Prevent duty, so it is being investigated. " \
                   "Give it to an investigating officer."
        if triaged.scope == Scope.BY_OTHER:
            return "Triaged: it is about another organisation. Pass it on if the complainant agreed, " \
                   "otherwise signpost them."
        return ("Triaged: it is about Prevent policy, which is out of scope. Signpost the complainant to "
                "StaCU.")

    return _step(
        request, complaint, form=forms.TriageForm(_posted(request), initial=initial),
        write=lambda data: services.complaint_triage(
            complaint=complaint, scope=data["scope"], category=data["category"], reasons=data["reasons"],
            acting_user=request.user),
        done=done, title="Triage the complaint", button="Save the triage", intro="triage",
        open_now=complaint.status in OPEN)


@_step_page(Action.COMPLAINT_TRIAGE, "the referral or Channel case the complaint concerns")
def link(request, complaint):
    return _step(
        request, complaint,
        form=forms.LinkForm(_posted(request), initial={"reference": complaint.concerns_reference}),
        write=lambda data: services.complaint_link(complaint=complaint, reference=data["reference"],
                                                   acting_user=request.user),
        done=lambda linked: f"The complaint is linked to {linked.concerns_reference}.",
        title="Link to the referral or case it concerns", button="Save the link", intro="link",
        linked=_linked(request.user, complaint),
        open_now=complaint.status in OPEN)


@_step_page(Action.COMPLAINT_TRIAGE, "unlink the referral or Channel case")
def unlink(request, complaint):
    was = complaint.concerns_reference
    return _step(
        request, complaint, form=forms.ConfirmForm(_posted(request)),
        write=lambda data: services.complaint_unlink(complaint=complaint, acting_user=request.user),
        done=lambda _: f"The link to {was} is removed.",
        title=f"Remove the link to {was}?" if was else "Remove the link?", button="Yes, remove the link",
        button_classes="govuk-button--warning", cancel_text="No, go back to the complaint", intro="unlink",
        open_now=complaint.status in OPEN and bool(was))


@_step_page(Action.COMPLAINT_TRIAGE, "record the complainant's consent to share")
def consent(request, complaint):
    form = forms.ConsentForm(_posted(request), initial={"recipient": request.GET.get("recipient")})
    return _step(
        request, complaint, form=form,
        write=lambda data: services.consent_record(
            complaint=complaint, recipient=data["recipient"], consent=data["consent"],
            given_on=data["given_on"], acting_user=request.user),
        done=lambda recorded: "Consent recorded.", title="Record consent to share", button="Save the consent",
        intro="consent")


@_step_page(Action.COMPLAINT_TRIAGE, "share the complaint with StaCU")
def share_with_stacu(request, complaint):
    consent_given = complaint.stacu_consent == Consent.GIVEN
    already = complaint.sharings.select_related("shared_by").filter(recipient=Recipient.STACU).first()
    return _step(
        request, complaint, form=forms.ShareForm(_posted(request)),
        write=lambda data: services.complaint_share_with_stacu(
            complaint=complaint, method=data["method"], shared_on=data["shared_on"],
            acting_user=request.user),
        done=lambda sharing: f"Recorded: sent to StaCU on {govuk_date(sharing.shared_on)}.",
        template="complaints/complaint/share.html", title="Record sending the complaint to StaCU",
        button="Record that it was sent", consent_given=consent_given, consent_on=complaint.stacu_consent_on,
        who="StaCU", recipient=Recipient.STACU, already=already, open_now=consent_given and not already)


@_step_page(Action.COMPLAINT_TRIAGE, "withdraw the complaint form")
def withdraw(request, complaint):
    return _step(
        request, complaint, form=forms.WithdrawForm(_posted(request)),
        write=lambda data: services.complaint_withdraw(complaint=complaint, reasons=data["reasons"],
                                                       acting_user=request.user),
        done=lambda _: f"{complaint.reference} is withdrawn and closed.",
        title="Record that the complainant withdrew the complaint", button="Record the withdrawal",
        button_classes="govuk-button--warning", intro="withdraw",
        open_now=complaint.status in OPEN)


@_step_page(Action.COMPLAINT_TRIAGE, "choose the investigating officer")
def investigator(request, complaint):
    form = forms.InvestigatorForm(_posted(request), initial={"investigator": complaint.investigator_id})
    return _step(
        request, complaint, form=form,
        write=lambda data: services.investigator_assign(
            complaint=complaint, investigator=data["investigator"], acting_user=request.user),
        done=lambda assigned: f"{assigned.investigator.full_name} is the investigating officer, and has been "
                              "emailed a link to the complaint.",
        title="Choose the investigating officer", button="Save the investigating officer",
        intro="investigator",
        open_now=complaint.status == Status.INVESTIGATING)


# Letters --------------------------------------------------------------------------------------


def _delivery(complaint):
    """How a letter reaches the complainant (services._letter_send emails
    only when they asked for email and gave an address)."""
    emailed = complaint.contact_preference == ContactPreference.EMAIL and bool(complaint.email)
    return {"emailed": emailed, "preference": complaint.get_contact_preference_display()}


def _draft(request, complaint, kind, values=None):
    """The template filled in for the complaint, with how to escalate taken
    off the end: the page shows it as fixed text and the service adds it."""
    subject, body = letter_draft(complaint, kind, officer=request.user, values=values)
    if kind in ESCALATION_REQUIRED:
        body = body.removesuffix(escalation_text()).rstrip()
    return {"subject": subject, "body": body}


def _letter_step(request, complaint, *, kind, write, done, allowed, details=None, values=None,
                 draft_values=None, **page):
    """A step that writes to the complainant, ending on the letter as sent.

    Without `details` the page is the letter, filled in from the council's
    wording. With `details` (a form) the page asks for those first; once
    they are right the letter is filled in with them (`values(data)`) and
    shown under them, to read, change and send. "Fill in the letter again"
    does that once more after a detail is changed (the letter's own edits
    are then replaced)."""
    page = {"kind": kind, "escalation": escalation_text() if kind in ESCALATION_REQUIRED else "",
            "delivery": _delivery(complaint), "refill": details is not None, **page}
    posted = _posted(request)
    full_form = forms.with_letter(details) if details else forms.LetterForm
    if details is not None and (posted is None or "body" not in posted or "refill" in posted):
        form = details(posted)
        if posted is not None and form.is_valid():
            filled = _draft(request, complaint, kind, values(form.cleaned_data))
            form = full_form(initial={**form.cleaned_data, **filled})
            return _page(request, complaint, LETTER_STEP, form=form, show_form=True, show_letter=True, **page)
        return _page(request, complaint, LETTER_STEP, form=form, show_form=allowed or posted is not None,
                     show_letter=False, **page)
    fill = posted is None and details is None and allowed
    initial = _draft(request, complaint, kind, draft_values) if fill else None
    return _step(request, complaint, form=full_form(posted, initial=initial), write=write, done=done,
                 then=lambda letter: _href(complaint, "complaints:complaint-letter", pk=letter.pk),
                 template=LETTER_STEP, open_now=allowed, show_letter=True, **page)


def _latest_letter(complaint, kind):
    """The letter a step that records something else (an extension, a
    sharing) has just sent with it."""
    return complaint.letters.filter(kind=kind).order_by("-sent_at", "-pk").first()


def _letter_sent(letter):
    how = "emailed to the complainant" if letter.emailed else "kept: print it and post it, or read it to them"
    return f"{letter.get_kind_display()} letter {how}."


@_step_page(Action.COMPLAINT_TRIAGE, "the acknowledgement letter, filled in to send")
def acknowledge(request, complaint):
    return _letter_step(
        request, complaint, kind=LetterKind.ACKNOWLEDGEMENT,
        allowed=complaint.acknowledged_on is None and complaint.status in OPEN,
        write=lambda data: services.complaint_acknowledge(complaint=complaint, subject=data["subject"],
                                                          body=data["body"], acting_user=request.user),
        done=_letter_sent, title="Acknowledge the complaint", button="Send the acknowledgement",
        not_now="This complaint has already been acknowledged." if complaint.acknowledged_on
        else f"This complaint is {complaint.get_status_display().lower()}: it needs no acknowledgement.")


@_step_page(Action.COMPLAINT_TRIAGE, "the signposting letter, filled in to send")
def signpost(request, complaint):
    return _letter_step(
        request, complaint, kind=LetterKind.SIGNPOSTED,
        allowed=complaint.status == Status.RECEIVED and complaint.scope in (Scope.POLICY, Scope.BY_OTHER),
        write=lambda data: services.complaint_signpost(complaint=complaint, subject=data["subject"],
                                                       body=data["body"], acting_user=request.user),
        done=_letter_sent, title="Signpost the complainant", button="Send the letter and close the complaint",
        intro="signpost",
        not_now="Only a complaint triaged as about Prevent policy or about another organisation, and not yet "
                "closed, is signposted. Triage it first.")


@_step_page(Action.COMPLAINT_TRIAGE, "pass the complaint on to the organisation, with the letter")
def pass_on(request, complaint):
    consent_given = complaint.organisation_consent == Consent.GIVEN
    in_scope = complaint.status == Status.RECEIVED and complaint.scope == Scope.BY_OTHER
    return _letter_step(
        request, complaint, kind=LetterKind.PASSED_ON, details=forms.PassOnForm,
        values=lambda data: {"passed_to": data["recipient_name"]},
        allowed=in_scope and consent_given,
        write=lambda data: _latest_letter(services.complaint_pass_on(
            complaint=complaint, recipient_name=data["recipient_name"], method=data["method"],
            shared_on=data["shared_on"], subject=data["subject"], body=data["body"],
            acting_user=request.user).complaint, LetterKind.PASSED_ON),
        done=_letter_sent, title="Pass the complaint on", button="Send the letter and close the complaint",
        intro="pass_on", consent_given=consent_given, recipient=Recipient.ORGANISATION,
        not_now="" if in_scope else
        "Only a complaint triaged as about another organisation, and not yet closed, is passed on.")


@_step_page(Action.COMPLAINT_TRIAGE, "extend the deadline, with the holding letter")
def extend(request, complaint):
    return _letter_step(
        request, complaint, kind=LetterKind.HOLDING, details=forms.ExtendForm,
        values=lambda data: {"extended_to": govuk_date(data["new_date"]),
                             "respond_by": govuk_date(data["new_date"]),
                             "extension_reason": data["reason"]},
        allowed=complaint.status in OPEN,
        write=lambda data: _latest_letter(services.complaint_extend(
            complaint=complaint, new_date=data["new_date"], reason=data["reason"], subject=data["subject"],
            body=data["body"], acting_user=request.user).complaint, LetterKind.HOLDING),
        done=lambda letter: f"The response is now due by {govuk_date(letter.complaint.extended_to)}. "
                            + _letter_sent(letter),
        title="Give more time to respond", button="Send the holding letter", intro="extend",
        not_now=f"This complaint is {complaint.get_status_display().lower()}: there is nothing to extend.")


@_step_page(Action.COMPLAINT_RESPOND, "the response letter with the findings, filled in to send")
def response(request, complaint):
    points = list(complaint.points.select_related("found_by"))
    refusal = services.response_refusal(complaint)
    return _letter_step(
        request, complaint, kind=LetterKind.RESPONSE, allowed=not refusal,
        write=lambda data: services.response_send(complaint=complaint, subject=data["subject"],
                                                  body=data["body"], acting_user=request.user),
        done=lambda letter: f"Response sent and the complaint closed. {_letter_sent(letter)}",
        title="Send the response", button="Send the response and close the complaint", intro="response",
        not_now=f"{refusal}." if refusal else "", points=points)


# The investigation ----------------------------------------------------------------------------


@_step_page(Action.COMPLAINT_INVESTIGATE, "add a note to the investigation")
def note_add(request, complaint):
    return _step(
        request, complaint, form=forms.NoteForm(_posted(request)),
        write=lambda data: services.note_add(complaint=complaint, text=data["text"],
                                             acting_user=request.user),
        done=lambda _: "Note added.", title="Add a note", button="Add the note", intro="note",
        open_now=complaint.status == Status.INVESTIGATING)


@_step_page(Action.COMPLAINT_INVESTIGATE, "add a document to the investigation")
def document_add(request, complaint):
    return _step(
        request, complaint, form=forms.DocumentForm(*_posted(request, files=True)),
        write=lambda data: services.document_add(complaint=complaint, upload=data["file"],
                                                 description=data["description"], acting_user=request.user),
        done=lambda stored: f"Document added: {stored.description}", title="Add a document",
        button="Add the document", multipart=True, intro="document",
        open_now=complaint.status == Status.INVESTIGATING)


@_step_page(Action.COMPLAINT_INVESTIGATE, "add a point of complaint")
def point_add(request, complaint):
    return _step(
        request, complaint, form=forms.PointForm(_posted(request)),
        write=lambda data: services.point_add(complaint=complaint, summary=data["summary"],
                                              acting_user=request.user),
        done=lambda point: f"Point {point.number} added.", title="Add a point of complaint",
        button="Add the point", intro="point",
        open_now=complaint.status == Status.INVESTIGATING)


@_step_page(Action.COMPLAINT_INVESTIGATE, "a point of complaint and the finding on it")
def finding(request, complaint, number):
    point = complaint.points.select_related("found_by").filter(number=number).first()
    if point is None:
        raise Http404("No such point")
    theirs = complaint.investigator_id == request.user.pk
    initial = {"finding": point.finding, "reasons": point.reasons} if point.finding else None
    return _step(
        request, complaint, form=forms.FindingForm(_posted(request), initial=initial),
        write=lambda data: services.finding_record(point=point, finding=data["finding"],
                                                   reasons=data["reasons"], acting_user=request.user),
        done=lambda found: (f"Finding on point {found.number} recorded: "
                            f"{found.get_finding_display().lower()}."),
        template="complaints/complaint/finding.html", title=f"Point {point.number}: your finding",
        button="Record the finding", point=point, theirs=theirs,
        open_now=theirs and complaint.status == Status.INVESTIGATING)


@_step_page(Action.COMPLAINT_INVESTIGATE, "remedy and lessons learnt")
def conclusions(request, complaint):
    initial = {"remedy": complaint.remedy, "lessons_learnt": complaint.lessons_learnt}
    return _step(
        request, complaint, form=forms.ConclusionsForm(_posted(request), initial=initial),
        write=lambda data: services.conclusions_record(
            complaint=complaint, remedy=data["remedy"], lessons_learnt=data["lessons_learnt"],
            acting_user=request.user),
        done=lambda _: "Remedy and lessons learnt saved.", title="Remedy and lessons learnt",
        button="Save", intro="conclusions",
        open_now=complaint.status == Status.INVESTIGATING)


# The wording of letters -------------------------------------------------------------------------

LETTERS_NOTHING_PERSONAL = "the wording of letters to complainants, with placeholders for each complaint"


@requires(Action.COMPLAINT_LETTERS_MANAGE)
@require_GET
@shows_nothing_personal(LETTERS_NOTHING_PERSONAL)
def letter_templates(request):
    found = {template.kind: template for template in selectors.letter_templates()}
    return render(request, "complaints/letters/list.html", {
        "title": "Letter wording",
        # A letter with no wording cannot be edited here (the migration loads it).
        "rows": [{"kind": kind, "template": found.get(kind.value),
                  "href": reverse("complaints:letter-template", kwargs={"kind": kind.value})
                  if kind.value in found else ""} for kind in LetterKind],
        "breadcrumbs": _crumbs(None, ("Letter wording", ""))})


@requires(Action.COMPLAINT_LETTERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(LETTERS_NOTHING_PERSONAL)
def letter_template(request, kind):
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise Http404("No such letter")
    form = forms.LetterForm(_posted(request),
                            initial={"subject": template.subject, "body": template.body})
    form.fields["body"].help_text = "Placeholders are replaced with the complaint's details in each letter."
    saved = form_submitted(request, form, lambda data: services.letter_template_update(
        template=template, subject=data["subject"], body=data["body"], acting_user=request.user))
    if saved:
        messages.success(request, f"The {saved.get_kind_display().lower()} letter is saved. Letters already "
                                  "sent keep their wording.")
        return redirect("complaints:letter-templates")
    listing = reverse("complaints:letter-templates")
    return render(request, "complaints/letters/edit.html", {
        "title": f"{template.get_kind_display()} letter", "form": form, "button": "Save the wording",
        "cancel": listing, "placeholders": PLACEHOLDERS.items(),
        "adds_escalation": template.kind in ESCALATION_REQUIRED, "escalation": escalation_text(),
        "breadcrumbs": _crumbs(None, ("Letter wording", listing))})
