"""The public complaint form (under /complaints/; /complaints/ itself is the
public information page, public:complaints, with the start button).

One question a page (public_forms), no account needed. The answers are kept
in the browser's session between pages, as a draft with an id of its own,
until they are sent: nothing is written to the database before then, and
nothing typed is lost on the way (a page with errors shows what was typed;
going back shows the answers given). Check your answers, then send: the
complaint is made by `services.complaint_submit`, which audits it and emails
the acknowledgement naming the dates. The draft's id is the submission key,
so sending twice makes one complaint.

The confirmation shows only what this session sent.
"""

import datetime
import functools
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.accounts.middleware import staff_is_verified
from prevent_hub.core.drafts import session_state, session_state_update, submission_key_for
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.ratelimit import form_ratelimited
from prevent_hub.govuk.forms import GovukDateField, fields_html
from prevent_hub.govuk.questions import (
    FROM_CHECK,
    Problem,
    opened_from_check,
    page_errors,
    problems_summary,
    refusal_problems,
)

from . import services
from .models import Complaint
from .public_forms import DRAFT_FIELDS, PAGE_BY_SLUG, PAGES, SubmitForm, as_answers, page_of, pages_for

SESSION_KEY = "complaint"
TITLE = "Make a complaint about Prevent"
# How many sent complaints a session remembers, to answer a second send.
SENT_KEPT = 5

# Short names for answers on check your answers.
LABELS = {
    "complainant_name": "Your name", "relationship": "Your connection to the person affected",
    "relationship_other": "How you are connected", "affected_person_name": "Name of the person affected",
    "contact_preference": "Contact you by", "email": "Email address", "phone": "Telephone number",
    "address": "Postal address", "adjustments_needed": "Adjustments needed",
    "adjustments": "Adjustments", "what_happened": "What happened", "happened_on": "Date it happened",
    "happened_when": "Roughly when", "organisation_kind": "Organisation", "organisation_name": "Its name",
    "outcome_wanted": "What you would like to happen",
    "organisation_consent": "Share with the organisation", "stacu_consent": "Share with StaCU",
}


# The session's draft ---------------------------------------------------------------------


_state = functools.partial(session_state, key=SESSION_KEY)
_state_update = functools.partial(session_state_update, key=SESSION_KEY)


def _draft(request) -> dict | None:
    """{"id": ..., "answers": {...}}: the complaint this session is writing."""
    draft = _state(request).get("draft")
    if not isinstance(draft, dict) or not isinstance(draft.get("answers"), dict):
        return None
    return draft


def _answers(request) -> dict:
    draft = _draft(request)
    return dict(draft["answers"]) if draft else {}


def _keep(request, data: dict) -> dict:
    """Keep a page's answers in the session's draft (started by the first
    answer kept, whichever page that is on). Returns all the answers."""
    unknown = set(data) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"Not complaint answers: {', '.join(sorted(unknown))}")
    draft = _draft(request) or {"id": uuid.uuid4().hex, "answers": {}}
    answers = {**draft["answers"], **data}
    _state_update(request, draft={"id": draft["id"], "answers": answers})
    return answers


# Where each page leads -------------------------------------------------------------------


def _page_url(page, *, returning=False) -> str:
    url = reverse("complain:page", kwargs={"page": page.slug})
    return f"{url}?from={FROM_CHECK}" if returning else url


def _next_url(page, data, *, returning) -> str:
    """The next page these answers call for. Coming from check your answers,
    straight back there, unless the change calls for another answer (a new
    contact preference asks for its detail)."""
    later = [other for other in pages_for(data) if PAGES.index(other) > PAGES.index(page)]
    if returning:
        wanting = {other.slug for other, _name, _message in page_errors(later, data)}
        later = [other for other in later if other.slug in wanting or not _answered(other, data)]
        return _page_url(later[0], returning=True) if later else reverse("complain:check")
    return _page_url(later[0]) if later else reverse("complain:check")


def _back_url(page, data, *, returning) -> str:
    if returning:
        return reverse("complain:check")
    earlier = [other for other in pages_for(data) if PAGES.index(other) < PAGES.index(page)]
    return _page_url(earlier[-1]) if earlier else reverse("public:complaints")


def _answered(page, data) -> bool:
    return any(name in data for name in page.fields)


def _resume_url(data) -> str:
    """The first page not yet answered or with a problem, else check your answers."""
    wanting = {page.slug for page, _name, _message in page_errors(pages_for(data), data)}
    for page in pages_for(data):
        if page.slug in wanting or not _answered(page, data):
            return _page_url(page)
    return reverse("complain:check")


def _render(request, template, *, status=200, **context):
    return render(request, f"complaints/public/{template}", {"caption": TITLE, **context}, status=status)


# Start and the question pages ------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The start button: the first question, or, for a session with answers
    not yet sent, a choice to carry on or start again (a shared computer's
    next user need not see them)."""
    if request.method == "POST":
        _state_update(request, draft=None)
        return redirect(_page_url(PAGES[0]))
    data = _answers(request)
    if not data:
        return redirect(_page_url(PAGES[0]))
    return _render(request, "start.html", page_title="You have started a complaint",
                   resume_url=_resume_url(data), back_url=reverse("public:complaints"))


@login_not_required
@require_http_methods(["GET", "POST"])
def question(request, page):
    page = PAGE_BY_SLUG.get(page)
    if page is None:
        raise Http404("No such page")
    data = _answers(request)
    returning = opened_from_check(request)
    if not page.applies_to(data):
        return redirect(_next_url(page, data, returning=returning))
    if request.method == "POST":
        form = page.form(request.POST, answers=data)
        if form.is_valid():
            data = _keep(request, form.to_data())
            return redirect(_next_url(page, data, returning=returning))
    else:
        form = page.form(initial=page.form.initial_from(data), answers=data)
    return _render(request, "question.html", page=page, page_title=page.title, form=form,
                   form_html=fields_html(form), returning=returning, from_check=FROM_CHECK,
                   action_url=_page_url(page), back_url=_back_url(page, data, returning=returning))


# Check your answers and send ------------------------------------------------------------


def _href(page, name, data) -> str:
    """The question `name` on `page`, coming back to check your answers."""
    form = page.form(answers=data)
    anchor = form[name].error_href if name in form.fields else ""
    return _page_url(page, returning=True) + anchor


def _problems(data) -> list[Problem]:
    return [Problem(message, _href(page, name, data), page)
            for page, name, message in page_errors(pages_for(data), data)]


def _value(form_field, value) -> dict:
    if isinstance(form_field, GovukDateField):
        return {"text": govuk_date(datetime.date.fromisoformat(value))}
    choices = dict(getattr(form_field, "choices", None) or [])
    if choices:
        return {"text": str(choices.get(value, value))}
    return {"html": linebreaksbr(str(value), autoescape=True)}


def _lowered(label) -> str:
    """A label inside a sentence ("Change your name"), StaCU still StaCU."""
    return label[:1].lower() + label[1:]


def _rows(page, data) -> list[dict]:
    """A row for each question answered on the page, each with a Change
    link back to it (a page not answered yet says so)."""
    form = page.form(answers=data)
    change = _page_url(page, returning=True)
    rows = []
    for name in form.answer_fields():
        value = data.get(name)
        if name not in form.fields or value in (None, ""):
            continue
        rows.append({"key": {"text": LABELS[name]}, "value": _value(form.fields[name], value),
                     "actions": {"items": [{"href": change + form[name].error_href, "text": "Change",
                                            "visuallyHiddenText": _lowered(LABELS[name])}]}})
    if not rows:
        first = form.answer_fields()[0]
        rows.append({"key": {"text": LABELS[first]}, "value": {"text": "Not answered yet"},
                     "actions": {"items": [{"href": change, "text": "Answer",
                                            "visuallyHiddenText": _lowered(LABELS[first])}]}})
    return rows


def _summary_cards(data) -> list[dict]:
    return [{"card": {"title": {"text": page.title, "headingLevel": 2}}, "rows": _rows(page, data)}
            for page in pages_for(data)]


def _already_sent(request, posted_id) -> Complaint | None:
    """The complaint a second send of the same draft made, if this session sent it."""
    if not posted_id or posted_id not in (_state(request).get("sent") or {}):
        return None
    return Complaint.objects.filter(submission_key=submission_key_for(posted_id)).first()


def _show_sent(request, complaint, draft_id):
    sent = {**(_state(request).get("sent") or {}), draft_id: complaint.reference}
    _state_update(request, draft=None, sent=dict(list(sent.items())[-SENT_KEPT:]), latest={
        "reference": complaint.reference, "acknowledge_by": complaint.acknowledge_by.isoformat(),
        "respond_by": complaint.respond_by.isoformat(), "emailed": bool(complaint.email)})
    return redirect("complain:sent")


def _limited(form, request) -> bool:
    return form_ratelimited(form, request, purpose="complaint-submit", exempt=staff_is_verified(request.user))


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request):
    draft = _draft(request)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST":
        posted_id = request.POST.get("draft", "")
        if draft is None or draft["id"] != posted_id:
            complaint = _already_sent(request, posted_id)
            return _show_sent(request, complaint, posted_id) if complaint else _no_answers(request)
        problems = _problems(draft["answers"])
        if form.is_valid() and not problems and not _limited(form, request):
            try:
                complaint = services.complaint_submit(answers=as_answers(draft["answers"]),
                                                      submission_key=submission_key_for(draft["id"]))
            except ValidationError as error:
                answers = draft["answers"]
                problems = refusal_problems(error, page_of=page_of, href_for=lambda page, field: (
                    _href(page, field, answers) if page.applies_to(answers) else ""))
            else:
                return _show_sent(request, complaint, draft["id"])
    elif draft is None or not draft["answers"]:
        return redirect("complain:start")
    return _render(request, "check.html", page_title="Check your answers before sending your complaint",
                   draft=draft, cards=_summary_cards(draft["answers"]), form=form,
                   form_html=fields_html(form), error_summary=problems_summary(form, problems),
                   back_url=_page_url(pages_for(draft["answers"])[-1]))


def _no_answers(request):
    messages.info(request, "We could not find your answers. They may have been sent already, or the time "
                           "to finish may have run out. Start again.")
    return redirect("complain:start")


@login_not_required
@require_GET
def sent(request):
    latest = _state(request).get("latest")
    if not isinstance(latest, dict):
        return redirect("public:complaints")
    return _render(request, "sent.html", reference=latest["reference"], emailed=latest["emailed"],
                   acknowledge_by=govuk_date(datetime.date.fromisoformat(latest["acknowledge_by"])),
                   respond_by=govuk_date(datetime.date.fromisoformat(latest["respond_by"])))
