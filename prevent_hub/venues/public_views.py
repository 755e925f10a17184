"""The public booking request and the booker's own pages (under /venue-hire/).

The request (ASK) is a series of question pages, no account needed, kept as
a draft (drafts.py) between pages, with save and come back later, check your
answers, send and a confirmation with the reference.

A draft is reachable only from the browser session that started or resumed
it (its id is kept in the session) or through the secret link emailed to
the booker; never by its id in a URL alone.

The booker's pages open from the secret link in the acknowledgement email
(`booking`, the token in its URL). The session then remembers the booking
and the link it was opened with, so the later pages need no token in their
URLs, and a new link (asked for on "lost your link?") shuts out every
session that used the old one. From there the booker sees the progress and
the decision, and can change the booking, withdraw it or appeal. Every
write goes through services with no acting user; the services audit it.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat, linebreaks_filter, linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.accounts.middleware import staff_is_verified
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_refusal
from prevent_hub.core.drafts import DraftGone, session_state, session_state_update, submission_key_for
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.ratelimit import form_ratelimited
from prevent_hub.core.uploads import SizeLimitUploadHandler, display_name, size_text, upload_form_is_valid
from prevent_hub.govuk.forms import fields_html, form_submitted
from prevent_hub.govuk.questions import (
    FROM_CHECK,
    Problem,
    opened_from_check,
    page_errors,
    problems_summary,
    refusal_problems,
)

from . import drafts, services
from .models import BookingDraft, BookingStatus, DecisionOutcome, VenueBooking
from .public_forms import (
    CHANGE_PAGES,
    PAGE_BY_SLUG,
    REQUEST_PAGES,
    AddSpeakerForm,
    AppealForm,
    ConditionsForm,
    LostLinkForm,
    PromotionFilesForm,
    ResumeLinkForm,
    SpeakerForm,
    SubmitForm,
    WithdrawForm,
    page_of,
    room_in,
)
from .selectors import conditions_current
from .tasks import booking_link_resend

SESSION_KEY = "venue_hire"
SAVE_URL = "venue-hire:request-save"
TITLE = "Book a council venue"
FORM_PAGES = [page for page in REQUEST_PAGES if page.form is not None]

# Short names for answers in summary lists.
LABELS = {
    "room": "Room", "event_date": "Date", "starts_at": "Start time", "ends_at": "End time",
    "booker_name": "Name", "booker_other_names": "Other names", "booker_email": "Email address",
    "booker_phone": "Telephone", "booker_address": "Address", "organisation_name": "Organisation",
    "booking_capacity": "Booking for", "other_organisation_name": "Other organisation", "website": "Website",
    "charity_number": "Charity number", "company_number": "Companies House number",
    "equality_policy": "Equality policy", "title": "Title", "theme": "Theme", "agenda": "Agenda",
    "expected_audience": "Expected audience", "audience_description": "Who it is for",
    "admission": "Admission", "promotion": "How it will be promoted",
}

# The booking's status as the booker reads it.
STATUS_IN_WORDS = {
    BookingStatus.REQUESTED: "We have your request. A venue booking officer will check it and decide.",
    BookingStatus.CHECKING: "A venue booking officer is checking your request.",
    BookingStatus.ESCALATED: "A venue booking officer has asked the council’s Prevent lead for advice before "
                             "deciding, as our policy allows. This can take a little longer.",
    BookingStatus.APPROVED: "Your booking is approved.",
    BookingStatus.APPROVED_WITH_CONDITIONS: "Your booking is approved with conditions. The conditions are "
                                            "listed below.",
    BookingStatus.REFUSED: "Your booking request was refused.",
    BookingStatus.APPEALED: "You have appealed. Someone who was not involved in the decision is looking "
                            "at it again.",
    BookingStatus.APPEAL_UPHELD: "Your appeal was upheld: the booking can go ahead.",
    BookingStatus.APPEAL_DISMISSED: "Your appeal was dismissed: the decision stands.",
    BookingStatus.CHANGED_AWAITING_REAPPROVAL: "You changed your booking after it was approved, so it "
                                               "needs to be approved again before the event can go ahead.",
    BookingStatus.WITHDRAWN: "You withdrew this booking.",
    BookingStatus.CANCELLED: "The council cancelled this booking.",
}
# A change to a booking in these statuses sends it back for approval.
APPROVED = (*services.GOING_AHEAD, BookingStatus.APPEAL_DISMISSED)


# Session ------------------------------------------------------------------------------


_state = functools.partial(session_state, key=SESSION_KEY)
_state_update = functools.partial(session_state_update, key=SESSION_KEY)


def _limited(form, request, purpose) -> bool:
    return form_ratelimited(form, request, purpose=purpose, exempt=staff_is_verified(request.user))


def _render(request, template, *, status=200, **context):
    return render(request, f"venues/public/{template}", {"service_title": TITLE, **context}, status=status)


# The request's drafts and pages -------------------------------------------------------


def _current_draft(request) -> BookingDraft | None:
    """The draft this browser session is working on, if it still exists."""
    draft_id = _state(request).get("draft")
    if not isinstance(draft_id, int):
        return None
    return BookingDraft.objects.filter(pk=draft_id, expires_at__gt=timezone.now()).first()


def _no_draft(request):
    messages.info(request, "We could not find your answers. They may have been sent already, or deleted "
                           "after a time. Start again, or use the link we emailed you.")
    return redirect("venue-hire:request-start")


def _page_url(page, *, returning=False) -> str:
    url = reverse("venue-hire:request-page", kwargs={"page": page.slug})
    return f"{url}?from={FROM_CHECK}" if returning else url


def _next_url(page, *, returning) -> str:
    index = REQUEST_PAGES.index(page)
    if returning or index + 1 == len(REQUEST_PAGES):
        return reverse("venue-hire:request-check")
    return _page_url(REQUEST_PAGES[index + 1])


def _back_url(page, *, returning) -> str:
    index = REQUEST_PAGES.index(page)
    if returning:
        return reverse("venue-hire:request-check")
    return _page_url(REQUEST_PAGES[index - 1]) if index else reverse("venue-hire:request-start")


def _answered(page, data, conditions) -> bool:
    if page.form is not None:
        return any(name in data for name in page.fields)
    return {
        "promotion-files": bool(data.get("files_done")),
        "speakers": bool(data.get("speakers") or data.get("speakers_none")),
        "booking-conditions": conditions is not None and data.get("conditions_version") == conditions.version,
    }[page.slug]


def _anchor(page, name, data) -> str:
    return page.form(answers=data)[name].error_href if page.form and name in page.form.base_fields else ""


def _problems(data, conditions) -> list[Problem]:
    """What is missing or wrong in the answers, each linked to its page."""
    problems = [Problem(message, _page_url(page, returning=True) + _anchor(page, name, data), page)
                for page, name, message in page_errors(FORM_PAGES, data)]
    speakers, accept = PAGE_BY_SLUG["speakers"], PAGE_BY_SLUG["booking-conditions"]
    if not _answered(speakers, data, conditions):
        problems.append(Problem("Say whether anyone will speak at the event",
                                _page_url(speakers, returning=True), speakers))
    if data.get("conditions_version") is None:
        problems.append(Problem("Read and accept the booking conditions", _page_url(accept), accept))
    elif not _answered(accept, data, conditions):
        problems.append(Problem("The booking conditions have changed since you accepted them. Read and "
                                "accept the new version", _page_url(accept), accept))
    return problems


def _resume_url(draft) -> str:
    """Where someone coming back to a draft carries on: the first page not
    yet answered or with a problem, else check your answers."""
    conditions = conditions_current()
    with_problems = {problem.page.slug for problem in _problems(draft.data, conditions)}
    for page in REQUEST_PAGES:
        if page.slug in with_problems or not _answered(page, draft.data, conditions):
            return _page_url(page)
    return reverse("venue-hire:request-check")


def _question_context(page, *, returning, **extra):
    return {"page": page, "page_title": page.title, "caption": TITLE, "returning": returning,
            "from_check": FROM_CHECK,
            "back_url": _back_url(page, returning=returning), "action_url": _page_url(page),
            "can_save": True, **extra}


@login_not_required
@require_http_methods(["GET", "POST"])
def request_start(request):
    draft = _current_draft(request)
    if request.method == "POST":
        # "Start a new request": this session leaves its draft (an emailed link still reaches it).
        _state_update(request, draft=None)
        return redirect(_page_url(REQUEST_PAGES[0]))
    return _render(request, "start.html", draft=draft, first_url=_page_url(REQUEST_PAGES[0]),
                   resume_url=_resume_url(draft) if draft else None,
                   expiry_days=settings.BOOKING_DRAFT_EXPIRY_DAYS)


@login_not_required
@require_GET
def conditions(request):
    """The booking conditions in force, to read before starting."""
    return _render(request, "conditions_page.html", conditions=_conditions_or_404())


def _conditions_or_404():
    current = conditions_current()
    if current is None:
        raise Http404("No booking conditions are published")
    return current


def request_page(request, page):
    page = PAGE_BY_SLUG.get(page)
    if page is None:
        raise Http404("No such page")
    draft = _current_draft(request)
    if draft is None and page is not REQUEST_PAGES[0]:
        return _no_draft(request)
    if page.form is None:
        return {"promotion-files": _promotion_files, "speakers": _request_speakers,
                "booking-conditions": _conditions_accept}[page.slug](request, page, draft)
    data = draft.data if draft else {}
    returning = opened_from_check(request)
    if request.method == "POST":
        saving = request.POST.get("action") == "save"
        form = page.form(request.POST, partial=saving, answers=data)
        if form.is_valid():
            if draft is None:
                if not _limited(form, request, "venue-request-draft"):
                    draft = drafts.booking_draft_create(data=form.to_data())
                    _state_update(request, draft=draft.pk)
            else:
                drafts.booking_draft_update(draft=draft, data=form.to_data())
            if draft is not None and not form.errors:
                return redirect(SAVE_URL if saving else _next_url(page, returning=returning))
    else:
        form = page.form(initial=page.form.initial_from(data), answers=data)
    return _render(request, "question.html", form=form, form_html=fields_html(form),
                   free_time=getattr(form, "free_time", lambda: None)(), unavailable=_unavailable(form),
                   **_question_context(page, returning=returning))


def _unavailable(form) -> str:
    """Why the page cannot be answered at all, if it cannot."""
    if "room" in form.fields and not form.fields["room"].choices:
        return "No rooms can be booked online at the moment. Contact venue bookings to ask about hiring one."
    return ""


# Uploads are read through a size limit, which has to be in place before
# anything reads the request body, as CSRF checking does: so CSRF is checked
# after it (Django's documented pattern).
_request_page_protected = csrf_protect(request_page)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def request_page_with_uploads(request, page):
    if request.method == "POST":
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _request_page_protected(request, page)


def _promotion_files(request, page, draft):
    """Posters, leaflets and online posts: upload one or more at a time, see
    and remove them."""
    returning = opened_from_check(request)
    form = PromotionFilesForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            return redirect(SAVE_URL)
        if action == "continue":
            drafts.booking_draft_update(draft=draft, data={"files_done": True})
            return redirect(_next_url(page, returning=returning))
        form = PromotionFilesForm(request.POST, request.FILES)
        if upload_form_is_valid(request, form, "files"):
            added = _files_add(form, draft, form.cleaned_data["files"])
            if added:
                messages.success(request, format_html("Uploaded {}", ", ".join(added)))
            if not form.errors:
                return redirect(_page_url(page, returning=returning))
    files = list(draft.files.all())
    return _render(request, "promotion_files.html", form=form, form_html=fields_html(form), files=files,
                   max_files=settings.BOOKING_PROMOTION_FILES_MAX,
                   max_size=size_text(settings.REFERRAL_ATTACHMENT_MAX_BYTES),
                   can_add=len(files) < settings.BOOKING_PROMOTION_FILES_MAX,
                   **_question_context(page, returning=returning))


def _files_add(form, draft, uploads) -> list[str]:
    """Keep each file that passes the checks; say what is wrong with each
    that does not. Returns the names of those kept."""
    added = []
    for upload in uploads:
        try:
            stored = services.promotion_file_add(draft=draft, upload=upload)
        except ValidationError as error:
            message = error.messages[0]
            form.add_error("files", f"{display_name(upload.name)}: {message}" if len(uploads) > 1
                           else message)
        else:
            added.append(stored.original_name)
    return added


@login_not_required
@require_POST
def request_file_remove(request, file_id):
    draft = _current_draft(request)
    if draft is None:
        return _no_draft(request)
    if drafts.promotion_file_remove(draft=draft, file_id=file_id):
        messages.success(request, "The file has been removed")
    return redirect(_page_url(PAGE_BY_SLUG["promotion-files"], returning=opened_from_check(request)))


def _conditions_accept(request, page, draft):
    """The booking conditions in force, accepted with a tick. The version
    accepted is kept; if a new one is published before the request is
    sent, the booker is asked to read and accept that."""
    returning = opened_from_check(request)
    current = _conditions_or_404()
    accepted = draft.data.get("conditions_version")
    if request.method == "POST" and request.POST.get("action") == "save":
        return redirect(SAVE_URL)
    if request.method == "POST":
        form = ConditionsForm(request.POST)
        if form.is_valid():
            if request.POST.get("version") != str(current.version):
                form.add_error(None, "The booking conditions changed while you were reading them. Read this "
                                     "version and accept it")
            else:
                drafts.booking_draft_update(draft=draft, data={"conditions_version": current.version})
                return redirect(_next_url(page, returning=returning))
    else:
        form = ConditionsForm(initial={"accept": accepted == current.version})
    return _render(request, "conditions.html", form=form, form_html=fields_html(form), conditions=current,
                   changed=accepted is not None and accepted != current.version,
                   **_question_context(page, returning=returning))


# Speakers (the request's, and a change's) ---------------------------------------------


@dataclass
class SpeakerList:
    """The speakers being named, where they are kept (a draft, or a change
    in the session), and the addresses of their pages."""

    speakers: list
    keep: object  # function(speakers, *, none=False)
    names: str  # URL names: venue-hire:<names>-speaker-add, ...
    list_url: str
    done_url: str
    back_url: str
    caption: str
    returning: bool = False
    can_save: bool = False

    def url(self, name, **kwargs) -> str:
        url = reverse(f"venue-hire:{self.names}-{name}", kwargs=kwargs or None)
        return f"{url}?from={FROM_CHECK}" if self.returning else url

    def speaker_urls(self):
        return [{"speaker": speaker, "number": number, "change": self.url("speaker", number=number),
                 "remove": self.url("speaker-remove", number=number)}
                for number, speaker in enumerate(self.speakers, start=1)]


def _draft_speakers(request, draft) -> SpeakerList:
    page = PAGE_BY_SLUG["speakers"]
    returning = opened_from_check(request)

    def keep(speakers, *, none=False):
        drafts.booking_draft_update(draft=draft, data={"speakers": speakers, "speakers_none": none})

    return SpeakerList(
        speakers=list(draft.data.get("speakers") or []), keep=keep, names="request",
        list_url=_page_url(page, returning=returning), done_url=_next_url(page, returning=returning),
        back_url=_back_url(page, returning=returning), caption=TITLE, returning=returning, can_save=True)


def _request_speakers(request, page, draft):
    return _speakers_page(request, _draft_speakers(request, draft))


def _speakers_page(request, speakers: SpeakerList):
    """The speakers named so far, each with change and remove, and whether
    to add one (another)."""
    count = len(speakers.speakers)
    if request.method == "POST" and request.POST.get("action") == "save" and speakers.can_save:
        return redirect(SAVE_URL)
    form = AddSpeakerForm(request.POST if request.method == "POST" else None, speakers=count)
    if form.is_valid():
        if form.cleaned_data["add"] == "yes":
            return redirect(speakers.url("speaker-add"))
        if count == 0:
            speakers.keep([], none=True)
        return redirect(speakers.done_url)
    return _render(request, "speakers.html", form=form, form_html=fields_html(form), speakers=speakers,
                   page_title="Speakers",
                   rows=speakers.speaker_urls(), action_url=speakers.list_url, back_url=speakers.back_url,
                   caption=speakers.caption, returning=speakers.returning, from_check=FROM_CHECK)


def _speaker_page(request, speakers: SpeakerList, number=None):
    """Name a speaker, or change one already named."""
    if number is not None and not 1 <= number <= len(speakers.speakers):
        raise Http404("No such speaker")
    if number is None and len(speakers.speakers) >= services.SPEAKERS_MAX:
        messages.info(request, f"A booking can name up to {services.SPEAKERS_MAX} speakers")
        return redirect(speakers.list_url)
    if request.method == "POST":
        form = SpeakerForm(request.POST)
        if form.is_valid():
            named = list(speakers.speakers)
            if number is None:
                named.append(form.to_data())
            else:
                named[number - 1] = form.to_data()
            speakers.keep(named)
            return redirect(speakers.list_url)
    else:
        form = SpeakerForm(initial=speakers.speakers[number - 1] if number else None)
    action = speakers.url("speaker", number=number) if number else speakers.url("speaker-add")
    return _render(request, "speaker.html", form=form, form_html=fields_html(form),
                   page_title="Change a speaker" if number else "Add a speaker",
                   action_url=action, back_url=speakers.list_url, caption=speakers.caption,
                   returning=speakers.returning, from_check=FROM_CHECK)


def _speaker_remove(request, speakers: SpeakerList, number):
    if 1 <= number <= len(speakers.speakers):
        named = list(speakers.speakers)
        removed = named.pop(number - 1)
        speakers.keep(named)
        messages.success(request, format_html("{} has been removed", removed.get("name") or "The speaker"))
    return redirect(speakers.list_url)


def _with_draft_speakers(view):
    @functools.wraps(view)
    def wrapped(request, **kwargs):
        draft = _current_draft(request)
        if draft is None:
            return _no_draft(request)
        return view(request, _draft_speakers(request, draft), **kwargs)
    return wrapped


def _speaker_views(with_speakers):
    """The pages to add, change and remove a speaker of one list of speakers."""
    page = login_not_required(require_http_methods(["GET", "POST"])(with_speakers(_speaker_page)))
    return page, page, login_not_required(require_POST(with_speakers(_speaker_remove)))


request_speaker_add, request_speaker, request_speaker_remove = _speaker_views(_with_draft_speakers)


# Save and come back later ---------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def request_save(request):
    draft = _current_draft(request)
    if draft is None:
        return _no_draft(request)
    if request.method == "POST":
        form = ResumeLinkForm(request.POST)
        if form.is_valid() and not _limited(form, request, "venue-request-resume-link"):
            drafts.booking_draft_resume_link_request(draft=draft, email=form.cleaned_data["email"])
            return redirect("venue-hire:request-saved")
    else:
        form = ResumeLinkForm(initial={"email": draft.email or draft.data.get("booker_email") or ""})
    return _render(request, "save.html", form=form, form_html=fields_html(form), caption=TITLE,
                   page_title="Save and come back later",
                   back_url=_resume_url(draft), expiry_days=settings.BOOKING_DRAFT_EXPIRY_DAYS)


@login_not_required
@require_GET
def request_saved(request):
    draft = _current_draft(request)
    if draft is None:
        return _no_draft(request)
    return _render(request, "saved.html", draft=draft, caption=TITLE, expires=govuk_date(draft.expires_at),
                   continue_url=_resume_url(draft))


@login_not_required
@require_GET
def request_resume(request, token):
    """The secret link from the email: this browser session may now use the draft."""
    draft = drafts.booking_draft_from_token(token)
    if draft is None:
        # Flood-controlled: guessing tokens costs the trail about one event a
        # minute (the token itself is never recorded).
        audit_refusal(status=404, object_type=drafts.DRAFT_OBJECT_TYPE, details={"link": "resume"})
        return _render(request, "link_not_valid.html", expiry_days=settings.BOOKING_DRAFT_EXPIRY_DAYS,
                       status=404)
    _state_update(request, draft=draft.pk)
    return redirect(_resume_url(draft))


# Check your answers and send ------------------------------------------------------------


def _value(page, name, value) -> dict:
    if value in (None, "", []):
        return {"text": "Not given"}
    if name == "room":
        room = room_in({"room": value})
        return {"text": f"{room.name}, {room.venue.name}" if room else "A room no longer offered"}
    if name == "event_date":
        return {"text": govuk_date(datetime.date.fromisoformat(value))}
    if name == "expected_audience":
        return {"text": f"{value:,} people"}
    choices = dict(getattr(page.form.base_fields[name], "choices", None) or [])
    if choices:
        return {"text": str(choices.get(value, value))}
    return {"html": linebreaksbr(str(value), autoescape=True)}


def _rows(page, data, *, change_url=None) -> list[dict]:
    rows = []
    for name in page.fields:
        row = {"key": {"text": LABELS[name]}, "value": _value(page, name, data.get(name))}
        if change_url:
            row["actions"] = {"items": [{"href": change_url + _anchor(page, name, data), "text": "Change",
                                         "visuallyHiddenText": LABELS[name].lower()}]}
        rows.append(row)
    return rows


def _list_html(items) -> dict:
    return {"html": format_html('<ul class="govuk-list">{}</ul>', format_html_join(
        "", "<li>{}</li>", ((item,) for item in items)))}


def _speakers_value(speakers, *, none_said=True) -> dict:
    if not speakers:
        return {"text": "No speakers" if none_said else "Not given"}
    return _list_html(
        format_html("{}{}: {}", speaker.get("name"),
                    f" ({speaker['organisation']})" if speaker.get("organisation") else "",
                    speaker.get("topic"))
        for speaker in speakers)


def _speakers_card(answers, *, heading_level, change_url=None) -> dict:
    row = {"key": {"text": "Speakers"}, "value": _speakers_value(answers["speakers"])}
    if change_url:
        row["actions"] = {"items": [{"href": change_url, "text": "Change", "visuallyHiddenText": "speakers"}]}
    return {"card": {"title": {"text": "Speakers", "headingLevel": heading_level}}, "rows": [row]}


def _special_rows(page, draft, change_url) -> list[dict]:
    data = draft.data
    if page.slug == "promotion-files":
        files = list(draft.files.all())
        value = _list_html(f"{file.original_name} ({filesizeformat(file.size)})" for file in files) if files \
            else {"text": "No files uploaded"}
        key, hidden = "Files", "files"
    elif page.slug == "speakers":
        value = _speakers_value(data.get("speakers"), none_said=bool(data.get("speakers_none")))
        key, hidden = "Speakers", "speakers"
    else:
        version = data.get("conditions_version")
        value = {"text": f"Version {version} accepted" if version else "Not accepted yet"}
        key, hidden = "Booking conditions", "whether you accept the booking conditions"
    return [{"key": {"text": key}, "value": value,
             "actions": {"items": [{"href": change_url, "text": "Change", "visuallyHiddenText": hidden}]}}]


def _summary_cards(draft) -> list[dict]:
    cards = []
    for page in REQUEST_PAGES:
        change = _page_url(page, returning=True)
        rows = _rows(page, draft.data, change_url=change) if page.form else _special_rows(page, draft, change)
        cards.append({"card": {"title": {"text": page.title, "headingLevel": 2}}, "rows": rows})
    return cards


def _already_sent(request, posted_id) -> VenueBooking | None:
    """The booking a second send of the same draft made, if this session sent it."""
    if posted_id not in _state(request).get("submitted", {}):
        return None
    return VenueBooking.objects.filter(submission_key=submission_key_for(posted_id)).first()


def _show_sent(request, booking):
    state = _state(request)
    draft_id = (booking.submission_key or "").removeprefix("draft:")
    _state_update(request, draft=None, submitted={**state.get("submitted", {}), draft_id: booking.reference},
                  latest={"reference": booking.reference, "email": booking.booker_email})
    return redirect("venue-hire:request-submitted")


@login_not_required
@require_http_methods(["GET", "POST"])
def request_check(request):
    draft = _current_draft(request)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST":
        posted_id = request.POST.get("draft", "")
        if draft is None or str(draft.pk) != posted_id:
            booking = _already_sent(request, posted_id)
            return _show_sent(request, booking) if booking else _no_draft(request)
        problems = _problems(draft.data, conditions_current())
        if form.is_valid() and not problems and not _limited(form, request, "venue-request-submit"):
            try:
                booking, _created = drafts.booking_draft_submit(draft=draft)
            except DraftGone:
                booking = _already_sent(request, posted_id)
                return _show_sent(request, booking) if booking else _no_draft(request)
            except ValidationError as error:
                problems = refusal_problems(error, page_of=page_of, href_for=lambda page, field: (
                    _page_url(page, returning=True) + _anchor(page, field, draft.data)))
            else:
                return _show_sent(request, booking)
    elif draft is None:
        return _no_draft(request)
    return _render(request, "check.html", draft=draft, cards=_summary_cards(draft), form=form,
                   form_html=fields_html(form), error_summary=problems_summary(form, problems), caption=TITLE,
                   back_url=_page_url(REQUEST_PAGES[-1]))


@login_not_required
@require_GET
def request_submitted(request):
    latest = _state(request).get("latest")
    if not latest:
        return redirect("venue-hire:request-start")
    return _render(request, "submitted.html", reference=latest["reference"], email=latest["email"],
                   appeal_days=settings.BOOKING_APPEAL_WORKING_DAYS)


# The booker's own pages -----------------------------------------------------------------


@login_not_required
@require_GET
def booking(request, token):
    """The secret link from the acknowledgement email: this browser session
    may now see and act on the booking."""
    found = services.booking_from_token(token)
    if found is None:
        audit_refusal(status=404, object_type="venues.venuebooking", details={"link": "booker"})
        return _render(request, "booking_link_not_valid.html", status=404)
    # A new session key for the session that now holds the booking.
    request.session.cycle_key()
    _state_update(request, booking={"id": found.pk, "link": found.booker_token_hash}, change=None)
    return redirect("venue-hire:your-booking")


def _session_booking(request) -> VenueBooking | None:
    """The booking this session opened through its link, while that link is
    still the booker's newest."""
    held = _state(request).get("booking")
    if not isinstance(held, dict) or not held.get("link"):
        return None
    return VenueBooking.objects.filter(pk=held.get("id"), booker_token_hash=held["link"]).select_related(
        "room", "venue", "conditions").first()


def _with_booking(view):
    """The view, given the session's booking; without one, a page saying how
    to open it."""
    @functools.wraps(view)
    def wrapped(request, **kwargs):
        found = _session_booking(request)
        if found is None:
            return _render(request, "no_booking.html", status=404)
        return view(request, found, **kwargs)
    return wrapped


def _may_change(booking) -> bool:
    refused_for_good = booking.status == BookingStatus.APPEAL_DISMISSED \
        and booking.decision_outcome == DecisionOutcome.REFUSE
    return booking.status in services.CHANGEABLE and not refused_for_good \
        and booking.event_date > timezone.localdate()


def _may_withdraw(booking) -> bool:
    return not booking.is_finished and booking.event_date >= timezone.localdate()


def _appeal_state(booking) -> str:
    """"open" while the booker may appeal, "passed" once the last day has
    gone, "" when there is nothing to appeal."""
    if booking.status not in services.APPEALABLE or booking.appeal_by is None:
        return ""
    return "open" if timezone.localdate() <= booking.appeal_by else "passed"


def booking_answers(booking) -> dict:
    """The booking as the request's answers (JSON), to show and change it
    with the request's own pages."""
    answers = {}
    for field in services.BOOKING_FIELDS:
        value = getattr(booking, field)
        if field == "room":
            value = booking.room_id
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, datetime.time):
            value = f"{value:%H:%M}"
        answers[field] = value
    answers["speakers"] = [{"name": s.name, "organisation": s.organisation, "topic": s.topic}
                           for s in booking.speakers.all()]
    return answers


def _booking_cards(answers) -> list[dict]:
    cards = [{"card": {"title": {"text": page.title, "headingLevel": 3}}, "rows": _rows(page, answers)}
             for page in FORM_PAGES]
    cards.append(_speakers_card(answers, heading_level=3))
    return cards


@login_not_required
@require_GET
@_with_booking
def your_booking(request, booking):
    audit_read(action=AuditAction.VIEW, obj=booking, details={"by": "the booker's link"})
    decision = (booking.decisions.select_related("clause", "decided_by").prefetch_related("conditions")
                .order_by("-decided_at", "-pk").first())
    return _render(
        request, "booking.html", booking=booking, status_in_words=STATUS_IN_WORDS[booking.status],
        cards=_booking_cards(booking_answers(booking)), decision=decision,
        letters=[{"summary": f"{letter.subject} ({govuk_date(letter.sent_at)})",
                  "html": linebreaks_filter(letter.body)}
                 for letter in booking.letters.order_by("-sent_at", "-pk")],
        reapproval_on_change=booking.status in APPROVED,
        changes=list(booking.changes.order_by("-changed_at", "-pk")),
        latest_appeal=booking.appeals.select_related("decided_by").order_by("-lodged_at", "-pk").first(),
        files=list(booking.promotion_files.all()),
        may_change=_may_change(booking), may_withdraw=_may_withdraw(booking),
        appeal_state=_appeal_state(booking),
        awaiting_reapproval=booking.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL)


def _booker_write(request, form, write):
    """A booker's action: limited per address like a public submission, then
    the service, whose refusal is shown on the form with what was typed."""
    return form_submitted(request, form, lambda cleaned: None if _limited(form, request, "venue-booker")
                          else write(cleaned))


def _cannot(request, message):
    messages.info(request, message)
    return redirect("venue-hire:your-booking")


# Changing the booking -------------------------------------------------------------------


def _pending(request, booking) -> dict:
    """The changes this session has made to the booking and not yet sent."""
    change = _state(request).get("change")
    if not isinstance(change, dict) or change.get("booking") != booking.pk:
        return {}
    return dict(change.get("answers") or {})


def _pending_keep(request, booking, answers):
    _state_update(request, change={"booking": booking.pk, "answers": answers})


def _change_url(slug=None) -> str:
    return reverse("venue-hire:change-page", kwargs={"page": slug}) if slug else reverse("venue-hire:change")


def _change_speakers(request, booking) -> SpeakerList:
    answers = {**booking_answers(booking), **_pending(request, booking)}

    def keep(speakers, *, none=False):
        _pending_keep(request, booking, {**_pending(request, booking), "speakers": speakers})

    return SpeakerList(speakers=list(answers["speakers"]), keep=keep, names="change",
                       list_url=_change_url("speakers"), done_url=_change_url(), back_url=_change_url(),
                       caption=f"Change booking {booking.reference}")


def _what_changes(current, answers) -> list[dict]:
    """Each answer the booker has changed, before and after, in words."""
    rows = []
    for page in CHANGE_PAGES.values():
        for name in page.fields:
            if answers.get(name) != current.get(name):
                rows.append({"label": LABELS[name], "before": _value(page, name, current.get(name)),
                             "after": _value(page, name, answers.get(name))})
    if answers["speakers"] != current["speakers"]:
        rows.append({"label": "Speakers", "before": _speakers_value(current["speakers"]),
                     "after": _speakers_value(answers["speakers"])})
    return rows


@login_not_required
@require_http_methods(["GET", "POST"])
@_with_booking
def change(request, booking):
    """The booking as it will be, each part with a change link, what has
    changed, and the button that sends the changes."""
    if not _may_change(booking):
        return _cannot(request, "This booking cannot be changed now")
    current = booking_answers(booking)
    pending = _pending(request, booking)
    answers = {**current, **pending}
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid() and not _limited(form, request, "venue-booker"):
        try:
            changed = services.booking_change(booking=booking, details=drafts.details_from(pending),
                                              speakers=drafts.speakers_from(answers))
        except ValidationError as error:
            problems = refusal_problems(error, page_of=page_of, href_for=lambda page, field: (
                _change_url(page.slug) if page.slug in (*CHANGE_PAGES, "speakers") else ""))
        else:
            _state_update(request, change=None)
            if changed.status == BookingStatus.CHANGED_AWAITING_REAPPROVAL and booking.status in APPROVED:
                messages.success(request, "Your changes have been sent. Your booking now needs to be "
                                          "approved again before the event can go ahead.")
            else:
                messages.success(request, "Your changes have been sent")
            return redirect("venue-hire:your-booking")
    cards = [{"card": {"title": {"text": page.title, "headingLevel": 2}},
              "rows": _rows(page, answers, change_url=_change_url(page.slug))}
             for page in CHANGE_PAGES.values()]
    cards.append(_speakers_card(answers, heading_level=2, change_url=_change_url("speakers")))
    return _render(request, "change.html", booking=booking, form=form, form_html=fields_html(form),
                   cards=cards, what_changes=_what_changes(current, answers),
                   reapproval=booking.status in APPROVED, error_summary=problems_summary(form, problems),
                   back_url=reverse("venue-hire:your-booking"))


@login_not_required
@require_http_methods(["GET", "POST"])
@_with_booking
def change_page(request, booking, page):
    """One part of the booking to change, asked with the request's own page."""
    if not _may_change(booking):
        return _cannot(request, "This booking cannot be changed now")
    if page == "speakers":
        return _speakers_page(request, _change_speakers(request, booking))
    page = CHANGE_PAGES.get(page)
    if page is None:
        raise Http404("No such page")
    pending = _pending(request, booking)
    answers = {**booking_answers(booking), **pending}
    # The booking does not clash with its own time.
    extra = {"booking": booking} if page.slug == "date-and-time" else {}
    if request.method == "POST":
        form = page.form(request.POST, answers=answers, **extra)
        if form.is_valid():
            _pending_keep(request, booking, {**pending, **form.to_data()})
            return redirect(_change_url())
    else:
        form = page.form(initial=page.form.initial_from(answers), answers=answers, **extra)
    return _render(request, "question.html", form=form, form_html=fields_html(form), page=page,
                   page_title=page.title,
                   free_time=getattr(form, "free_time", lambda: None)(),
                   caption=f"Change booking {booking.reference}", back_url=_change_url(),
                   action_url=_change_url(page.slug), can_save=False)


def _with_change_speakers(view):
    @functools.wraps(view)
    def wrapped(request, booking, **kwargs):
        if not _may_change(booking):
            return _cannot(request, "This booking cannot be changed now")
        return view(request, _change_speakers(request, booking), **kwargs)
    return _with_booking(wrapped)


change_speaker_add, change_speaker, change_speaker_remove = _speaker_views(_with_change_speakers)


# Withdrawing and appealing ----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
@_with_booking
def withdraw(request, booking):
    if not _may_withdraw(booking):
        return _cannot(request, "This booking cannot be withdrawn now")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if _booker_write(request, form, lambda cleaned: services.booking_withdraw(
            booking=booking, reason=cleaned["reason"])):
        messages.success(request, f"You have withdrawn booking {booking.reference}")
        return redirect("venue-hire:your-booking")
    return _render(request, "withdraw.html", booking=booking, form=form, form_html=fields_html(form),
                   caption=booking.reference, page_title="Are you sure you want to withdraw your booking?",
                   back_url=reverse("venue-hire:your-booking"))


@login_not_required
@require_http_methods(["GET", "POST"])
@_with_booking
def appeal(request, booking):
    state = _appeal_state(booking)
    if not state:
        return _cannot(request, "There is no decision on this booking to appeal")
    form = AppealForm(request.POST if request.method == "POST" else None)
    if _booker_write(request, form, lambda cleaned: services.appeal_lodge(booking=booking,
                                                                        grounds=cleaned["grounds"])):
        messages.success(request, "Your appeal has been sent. Someone who was not involved in the decision "
                                  "will look at it again and write to you.")
        return redirect("venue-hire:your-booking")
    decision = booking.decisions.select_related("clause").order_by("-decided_at", "-pk").first()
    return _render(request, "appeal.html", booking=booking, form=form, form_html=fields_html(form),
                   caption=booking.reference, page_title="Appeal against the decision",
                   decision=decision, appeal_state=state, back_url=reverse("venue-hire:your-booking"))


# Lost your link? ----------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def lost_link(request):
    """A new link for the booker who gives the booking's reference and their
    email address. The answer is the same whether or not they match, so the
    page reveals nothing about who has booked."""
    form = LostLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _limited(form, request, "venue-lost-link"):
        found = VenueBooking.objects.filter(
            reference=form.cleaned_data["reference"],
            booker_email__iexact=form.cleaned_data["email"]).values_list("pk", flat=True).first()
        if found is not None:
            transaction.on_commit(lambda: booking_link_resend.enqueue(booking_id=found))
        return redirect("venue-hire:lost-link-sent")
    return _render(request, "lost_link.html", form=form, form_html=fields_html(form), caption=TITLE,
                   page_title="Get a new link to your booking")


@login_not_required
@require_GET
def lost_link_sent(request):
    return _render(request, "lost_link_sent.html")
