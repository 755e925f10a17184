"""Raising a concern: the public concern form and the practitioner referral
form, one question page at a time, with save and come back later, check your
answers, submit and confirmation; and a signed-in user's own drafts.

Both forms are public: teachers, nurses and neighbours often have no account.
Signed in with a second factor, the draft belongs to the account and is listed
under "Your referrals" (/staff/my-referrals/).

A draft is reachable only from the browser session that started or resumed it
(its id is kept in the session), by its owner, or through the secret link
emailed to the address given; never by its id in a URL alone.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, requires
from prevent_hub.accounts.middleware import staff_is_verified
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_refusal
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.core.drafts import DraftGone, submission_key_for
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.core.pdf import pdf_response
from prevent_hub.core.ratelimit import form_ratelimited
from prevent_hub.core.uploads import SizeLimitUploadHandler, size_text, upload_form_is_valid
from prevent_hub.directory.selectors import routes_also_to_tell, routes_for
from prevent_hub.govuk.forms import GovukDateField, fields_html
from prevent_hub.public import questions as get_help

from .. import drafts
from ..forms import (
    JOURNEY_BY_KIND,
    JOURNEYS,
    AttachmentForm,
    Journey,
    Page,
    ResumeLinkForm,
    SubmitForm,
    page_errors,
)
from ..models import ConcernPrompt, Referral, ReferralDraft, ReferralKind, YesNoUnknown
from ..pdf import referral_pdf

SESSION_KEY = "intake"
FROM_CHECK = "check"


# Session and draft access ---------------------------------------------------------


def _state(request) -> dict:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        state = {}
    return {"drafts": dict(state.get("drafts") or {}), "submitted": dict(state.get("submitted") or {}),
            "latest": dict(state.get("latest") or {})}


def _save_state(request, state):
    request.session[SESSION_KEY] = state


def _remember(request, journey: Journey, draft: ReferralDraft):
    state = _state(request)
    state["drafts"][journey.prefix] = str(draft.pk)
    _save_state(request, state)


def _forget(request, journey: Journey):
    state = _state(request)
    state["drafts"].pop(journey.prefix, None)
    _save_state(request, state)


def _owner(request):
    """The account a new draft belongs to: signed in with a verified second factor."""
    return request.user if staff_is_verified(request.user) else None


def _as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _may_use(request, draft: ReferralDraft) -> bool:
    owner = _owner(request)
    return draft.owner_id is None or (owner is not None and draft.owner_id == owner.pk)


def _current_draft(request, journey: Journey) -> ReferralDraft | None:
    """The draft this browser session is working on, if it still exists."""
    draft_id = _as_uuid(_state(request)["drafts"].get(journey.prefix))
    if draft_id is None:
        return None
    draft = ReferralDraft.objects.filter(
        pk=draft_id, kind=journey.kind, expires_at__gt=timezone.now()).first()
    if draft is None or not _may_use(request, draft):
        return None
    return draft


def _journey(prefix) -> Journey:
    return JOURNEYS[prefix]


def _url(journey: Journey, name: str, **kwargs) -> str:
    return reverse(f"intake:{journey.prefix}-{name}", kwargs=kwargs or None)


def _page_url(journey: Journey, page: Page, *, returning=False) -> str:
    url = _url(journey, "page", page=page.slug)
    return f"{url}?from={FROM_CHECK}" if returning else url


def _was_saved(page: Page, data: dict) -> bool:
    return any(name in data for name in page.fields)


def _resume_url(journey: Journey, draft: ReferralDraft) -> str:
    """Where someone coming back to a draft carries on: the first page not
    yet answered or with a problem, else check your answers."""
    with_problems = {page.slug for page, _, _ in page_errors(journey, draft.data)}
    for page in journey.pages_for(draft.data):
        if page.form is not None and (page.slug in with_problems or not _was_saved(page, draft.data)):
            return _page_url(journey, page)
    return _url(journey, "check")


def _next_url(journey: Journey, page: Page, draft: ReferralDraft, *, returning: bool) -> str:
    if returning:
        return _url(journey, "check")
    later = [later for later in journey.pages[journey.pages.index(page) + 1:] if later.applies_to(draft.data)]
    return _page_url(journey, later[0]) if later else _url(journey, "check")


def _back_url(journey: Journey, page: Page, data: dict, *, returning: bool) -> str:
    if returning:
        return _url(journey, "check")
    pages = journey.pages_for(data)
    index = pages.index(page) if page in pages else 0
    return _page_url(journey, pages[index - 1]) if index > 0 else _url(journey, "start")


def _no_draft(request, journey: Journey):
    messages.info(request, "We could not find your answers. They may have been sent already, or deleted "
                           "after a time. Start again, or use the link we emailed you.")
    return redirect(_url(journey, "start"))


# Rendering ----------------------------------------------------------------------------


def _context(request, journey: Journey, **extra):
    return {"journey": journey, "signed_in_owner": _owner(request) is not None, **extra}


def _limited(form, request, purpose) -> bool:
    return form_ratelimited(form, request, purpose=purpose, exempt=staff_is_verified(request.user))


# Start ----------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request, prefix):
    journey = _journey(prefix)
    if request.method == "POST":
        # "Start again": this session leaves its draft (the owner's list and any
        # emailed link still reach it).
        _forget(request, journey)
        return redirect(_page_url(journey, journey.pages[0]))
    draft = _current_draft(request, journey)
    return render(request, f"referrals/intake/start_{journey.prefix}.html", _context(
        request, journey, draft=draft, first_url=_page_url(journey, journey.pages[0]),
        resume_url=_resume_url(journey, draft) if draft else None,
    ))


# Question pages -------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def question(request, prefix, page):
    journey = _journey(prefix)
    page = journey.page(page)
    if page is None:
        raise Http404("No such page")
    draft = _current_draft(request, journey)
    if draft is None and page is not journey.pages[0]:
        return _no_draft(request, journey)
    if page.form is None:
        return attachments(request, journey=journey, page=page, draft=draft)
    data = draft.data if draft else {}
    returning = (request.POST if request.method == "POST" else request.GET).get("from") == FROM_CHECK
    if draft is not None and not page.applies_to(data):
        return redirect(_next_url(journey, page, draft, returning=returning))

    if request.method == "POST":
        saving = request.POST.get("action") == "save"
        form = page.form(request.POST, partial=saving)
        if form.is_valid():
            if draft is None:
                if not _limited(form, request, "intake-draft"):
                    draft = drafts.referral_draft_create(kind=journey.kind, data=form.to_data(),
                                                         owner=_owner(request))
                    _remember(request, journey, draft)
            else:
                drafts.referral_draft_update(draft=draft, data=form.to_data())
            if draft is not None and not form.errors:
                if saving:
                    return redirect(_url(journey, "saved") if draft.owner_id else _url(journey, "save"))
                return redirect(_next_url(journey, page, draft, returning=returning))
    else:
        form = page.form(initial=page.form.initial_from(data))

    return render(request, "referrals/intake/question.html", _context(
        request, journey, page=page, form=form, form_html=fields_html(form), returning=returning,
        back_url=_back_url(journey, page, data, returning=returning),
        action_url=_page_url(journey, page), from_check=FROM_CHECK,
    ))


def attachments(request, *, journey, page, draft):
    """The attachments page: upload one file at a time, see and remove them."""
    returning = request.GET.get("from") == FROM_CHECK or request.POST.get("from") == FROM_CHECK
    form = AttachmentForm()
    if request.method == "POST":
        if request.POST.get("action") == "save":
            return redirect(_url(journey, "saved") if draft.owner_id else _url(journey, "save"))
        if request.POST.get("action") == "continue":
            return redirect(_next_url(journey, page, draft, returning=returning))
        form = AttachmentForm(request.POST, request.FILES)
        if upload_form_is_valid(request, form, "file"):
            try:
                attachment = drafts.referral_draft_attachment_add(
                    draft=draft, upload=form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error.messages[0])
            else:
                messages.success(request, format_html("{} has been attached", attachment.original_name))
                url = _page_url(journey, page, returning=returning)
                return redirect(url)
    files = list(draft.attachments.all())
    return render(request, "referrals/intake/attachments.html", _context(
        request, journey, page=page, form=form, form_html=fields_html(form), files=files,
        returning=returning, from_check=FROM_CHECK,
        back_url=_back_url(journey, page, draft.data, returning=returning),
        action_url=_page_url(journey, page),
        max_files=settings.REFERRAL_ATTACHMENTS_MAX,
        max_size=size_text(settings.REFERRAL_ATTACHMENT_MAX_BYTES),
        can_add=len(files) < settings.REFERRAL_ATTACHMENTS_MAX,
    ))


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def question_with_uploads(request, prefix, page):
    """Question pages, with uploads read through a size limit. The limit has
    to be in place before anything reads the request body, which CSRF checking
    does, so CSRF is checked here, after it (Django's documented pattern)."""
    if request.method == "POST":
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _question_protected(request, prefix, page)


_question_protected = csrf_protect(question)


@login_not_required
@require_POST
def attachment_remove(request, prefix, attachment_id):
    journey = _journey(prefix)
    page = next((page for page in journey.pages if page.form is None), None)
    if page is None:
        # The public concern form takes no files, so it has none to remove.
        raise Http404("This form has no attachments")
    draft = _current_draft(request, journey)
    if draft is None:
        return _no_draft(request, journey)
    if drafts.referral_draft_attachment_remove(draft=draft, attachment_id=attachment_id):
        messages.success(request, "The file has been removed")
    return redirect(_page_url(journey, page, returning=request.POST.get("from") == FROM_CHECK))


# Save and come back later ----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def save(request, prefix):
    journey = _journey(prefix)
    draft = _current_draft(request, journey)
    if draft is None:
        return _no_draft(request, journey)
    if draft.owner_id:
        return redirect(_url(journey, "saved"))
    if request.method == "POST":
        form = ResumeLinkForm(request.POST)
        if form.is_valid() and not _limited(form, request, "intake-resume-link"):
            drafts.referral_draft_resume_link_request(
                draft=draft, email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/"))
            return redirect(_url(journey, "saved"))
    else:
        form = ResumeLinkForm(initial={"email": draft.email or draft.data.get("referrer_email") or ""})
    return render(request, "referrals/intake/save.html", _context(
        request, journey, form=form, form_html=fields_html(form), draft=draft,
        back_url=_resume_url(journey, draft), expiry_days=_expiry_days(),
    ))


def _expiry_days():
    return settings.REFERRAL_DRAFT_EXPIRY_DAYS


@login_not_required
@require_GET
def saved(request, prefix):
    journey = _journey(prefix)
    draft = _current_draft(request, journey)
    if draft is None:
        return _no_draft(request, journey)
    return render(request, "referrals/intake/saved.html", _context(
        request, journey, draft=draft, expires=govuk_date(draft.expires_at),
        continue_url=_resume_url(journey, draft),
    ))


@login_not_required
@require_GET
def resume(request, prefix, token):
    """The secret link from the email: this browser session may now use the draft."""
    journey = _journey(prefix)
    draft = drafts.referral_draft_from_token(token, base_url=request.build_absolute_uri("/"))
    if draft is None:
        # A refused look-up, flood-controlled: guessing tokens costs the trail
        # about one event a minute (the token itself is never recorded).
        audit_refusal(status=404, object_type="referrals.referraldraft", details={"link": "resume"})
        return render(request, "referrals/intake/link_not_valid.html", _context(
            request, journey, expiry_days=_expiry_days()), status=404)
    journey = JOURNEY_BY_KIND[draft.kind]
    _remember(request, journey, draft)
    return redirect(_resume_url(journey, draft))


# Check your answers and submit --------------------------------------------------------------


def _label(form_field) -> str:
    return str(form_field.label).replace(" (optional)", "")


def _value(form_field, name, value):
    if value in (None, "", []):
        return {"text": "Not given"}
    if name == "concern_prompts":
        labels = dict(ConcernPrompt.choices)
        return {"html": format_html('<ul class="govuk-list">{}</ul>', format_html_join(
            "", "<li>{}</li>", ((labels.get(item, item),) for item in value)))}
    if isinstance(form_field, GovukDateField):
        return {"text": govuk_date(datetime.date.fromisoformat(value))}
    if name == "subject_approximate_age":
        return {"text": f"{value} years"}
    choices = dict(getattr(form_field, "choices", []) or [])
    if choices:
        return {"text": str(choices.get(value, dict(YesNoUnknown.choices).get(value, value)))}
    return {"html": linebreaksbr(str(value), autoescape=True)}


def _summary_cards(journey: Journey, draft: ReferralDraft):
    cards = []
    for page in journey.pages_for(draft.data):
        change = _page_url(journey, page, returning=True)
        if page.form is None:
            files = list(draft.attachments.all())
            value = {"html": format_html('<ul class="govuk-list">{}</ul>', format_html_join(
                "", "<li>{} ({})</li>", ((file.original_name, filesizeformat(file.size)) for file in files)))
            } if files else {"text": "No files attached"}
            rows = [{"key": {"text": "Files"}, "value": value, "actions": {"items": [
                {"href": change, "text": "Change", "visuallyHiddenText": "attached files"}]}}]
        else:
            rows = []
            for name in page.fields:
                form_field = page.form.base_fields[name]
                label = _label(form_field)
                rows.append({
                    "key": {"text": label},
                    "value": _value(form_field, name, draft.data.get(name)),
                    "actions": {"items": [{"href": f"{change}#id_{name}", "text": "Change",
                                           "visuallyHiddenText": label[0].lower() + label[1:]}]},
                })
        cards.append({"card": {"title": {"text": page.title, "headingLevel": 2}}, "rows": rows})
    return cards


def _already_submitted(request, journey, posted_id) -> Referral | None:
    """The referral a second submit of the same draft refers to, if this
    session (or its signed-in owner) sent that draft."""
    draft_id = _as_uuid(posted_id)
    if draft_id is None:
        return None
    state = _state(request)
    referral = Referral.objects.filter(submission_key=submission_key_for(draft_id)).first()
    if referral is None:
        return None
    owner = _owner(request)
    known = (str(draft_id) in state["submitted"] or state["drafts"].get(journey.prefix) == str(draft_id)
             or (owner is not None and referral.submitted_by_id == owner.pk))
    return referral if known else None


def _also_tell(request) -> list[str]:
    """The routing rules (keys) whose contacts the person should tell as well,
    from their answers to the "get help" questions in this session, if any."""
    answers = get_help.cleaned(request.session.get(get_help.SESSION_KEY))
    if not get_help.is_complete(answers):
        return []
    return [section.rule.key for section in routes_also_to_tell(get_help.for_routing(answers)).sections]


def _show_submitted(request, journey, referral, also_tell=None):
    state = _state(request)
    state["drafts"].pop(journey.prefix, None)
    state["submitted"][str(referral.submission_key or "").removeprefix("draft:")] = referral.reference
    # The referral's id stays in this session only, for its own copy as a PDF.
    state["latest"][journey.prefix] = {
        "reference": referral.reference, "emailed": bool(referral.referrer_email), "referral": referral.pk,
        "also_tell": _also_tell(request) if also_tell is None else also_tell}
    _save_state(request, state)
    return redirect(_url(journey, "submitted"))


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request, prefix):
    journey = _journey(prefix)
    draft = _current_draft(request, journey)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST":
        posted_id = request.POST.get("draft")
        if draft is None or str(draft.pk) != posted_id:
            referral = _already_submitted(request, journey, posted_id)
            if referral is not None:
                return _show_submitted(request, journey, referral)
            return _no_draft(request, journey)
        problems = page_errors(journey, draft.data)
        for _, _, message in problems:
            form.add_error(None, message)
        if form.is_valid() and not _limited(form, request, "intake-submit"):
            also_tell = _also_tell(request)
            try:
                referral, _ = drafts.referral_draft_submit(draft=draft, acting_user=_owner(request),
                                                           also_tell=also_tell)
            except DraftGone:
                referral = _already_submitted(request, journey, posted_id)
                if referral is None:
                    return _no_draft(request, journey)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return _show_submitted(request, journey, referral, also_tell)
    elif draft is None:
        return _no_draft(request, journey)

    error_summary = None
    if form.errors:
        items = [{"text": str(message)} for message in form.non_field_errors()
                 if message not in {message for _, _, message in problems}]
        items += [{"text": str(message), "href": f"{_page_url(journey, page, returning=True)}#id_{name}"}
                  for page, name, message in problems]
        error_summary = {"titleText": "There is a problem", "errorList": items}
    return render(request, "referrals/intake/check.html", _context(
        request, journey, draft=draft, cards=_summary_cards(journey, draft), form=form,
        form_html=fields_html(form), error_summary=error_summary,
        back_url=_page_url(journey, journey.pages_for(draft.data)[-1]),
    ))


@login_not_required
@require_GET
def submitted(request, prefix):
    journey = _journey(prefix)
    latest = _state(request)["latest"].get(journey.prefix)
    if not latest:
        return redirect(_url(journey, "start"))
    keys = latest.get("also_tell") or []
    return render(request, "referrals/intake/submitted.html", _context(
        request, journey, reference=latest["reference"], emailed=latest.get("emailed"),
        also_tell=routes_for({}, keys=keys) if keys else None,
        pdf_href=(_url(journey, "submitted-pdf") if journey.kind == ReferralKind.PRACTITIONER
                  and latest.get("referral") else "")))


@login_not_required
@require_GET
def submitted_pdf(request, prefix):
    """A copy of the referral just sent, as a PDF, for the practitioner's own
    records: only in the browser session that sent it, and audited."""
    journey = _journey(prefix)
    latest = _state(request)["latest"].get(journey.prefix) or {}
    referral = Referral.objects.filter(pk=latest.get("referral"), kind=ReferralKind.PRACTITIONER).first()
    if journey.kind != ReferralKind.PRACTITIONER or referral is None:
        raise Http404("No referral sent from this browser")
    audit_read(action=AuditAction.DOWNLOAD, obj=referral, details={"format": "pdf", "copy": "referrer"})
    return pdf_response(referral_pdf(referral), filename=f"{referral.reference}.pdf")


# Your referrals (signed in) ---------------------------------------------------------------------


def _own_draft(request, draft_id) -> ReferralDraft:
    draft = ReferralDraft.objects.filter(
        pk=draft_id, owner=request.user, expires_at__gt=timezone.now()).first()
    if draft is None:
        raise Http404("No such draft")
    return draft


def _draft_summary(draft):
    journey = JOURNEY_BY_KIND[draft.kind]
    parts = (draft.data.get("subject_given_name"), draft.data.get("subject_family_name"))
    name = " ".join(part for part in parts if part) or "Not given yet"
    return {"draft": draft, "journey": journey, "about": name, "saved": govuk_datetime(draft.updated_at),
            "expires": govuk_date(draft.expires_at)}


@requires(Action.REFERRAL_SUBMIT)
@require_GET
@shows_many("referrals.referraldraft", part="my drafts")
def my_drafts(request):
    own = ReferralDraft.objects.filter(
        owner=request.user, expires_at__gt=timezone.now()).order_by("-updated_at")
    return render(request, "referrals/intake/my_drafts.html", {
        "drafts": [_draft_summary(draft) for draft in own], "expiry_days": _expiry_days(),
        "referral_start": reverse("intake:referral-start"),
        "breadcrumbs": {"items": [{"text": "Home", "href": reverse("staff:home")}],
                        "classes": "govuk-!-display-none-print"},
    })


@requires(Action.REFERRAL_SUBMIT)
@require_GET
@shows("referrals.referraldraft", part="draft", kwarg="draft_id")
def my_draft_continue(request, draft_id):
    draft = _own_draft(request, draft_id)
    journey = JOURNEY_BY_KIND[draft.kind]
    _remember(request, journey, draft)
    return redirect(_resume_url(journey, draft))


@requires(Action.REFERRAL_SUBMIT)
@require_http_methods(["GET", "POST"])
@shows("referrals.referraldraft", part="delete draft confirmation", kwarg="draft_id")
def my_draft_delete(request, draft_id):
    draft = _own_draft(request, draft_id)
    if request.method == "POST":
        drafts.referral_draft_delete(draft=draft, acting_user=request.user)
        messages.success(request, "The draft has been deleted")
        return redirect("intake:my-drafts")
    return render(request, "referrals/intake/my_draft_delete.html", {"summary": _draft_summary(draft)})
