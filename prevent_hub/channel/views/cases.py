"""Channel case pages: the list, the case overview (key facts, what can happen
next, status history), lifecycle decisions, the case team, information
sharing requests, notes and documents, and the case's and person's timelines.

Other parts of case management (consent, support, assessments, reviews,
transfer) have their own modules; their pages extend channel/case_base.html.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.access.middleware import url_name_action
from prevent_hub.audit.downloads import audited_download
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import add_service_errors
from prevent_hub.govuk.pagination import pagination_params
from prevent_hub.retention.selectors import kept_until_text

from .. import info_requests, notes, selectors, services
from ..case_forms import (
    CaseFilterForm,
    CloseForm,
    CorrectionForm,
    DocumentForm,
    InformationAnswerForm,
    InformationRequestForm,
    NoteForm,
    ReasonsForm,
    TeamMemberForm,
    TimelineFilterForm,
    case_filters_query,
)
from ..models import CaseStatus, ChronologyKind

CASES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _case_for(request, pk, action):
    """The case, if the user may see it (else 404) and take `action` on it (else an audited 403)."""
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("No such case")
    check(request, action, case)
    return case


def _href(name, case, **kwargs):
    return reverse(f"channel:{name}", kwargs={"pk": case.pk, **kwargs})




# The list --------------------------------------------------------------------------------


CASE_TYPE = "channel.channelcase"


def _case_filter_form(request):
    return CaseFilterForm.from_request(request, areas=selectors.case_areas(user=request.user))


def _filters_summary(filters, form) -> list[str]:
    """The filters in words, as the list shows them above the results."""
    summary = []
    if filters.search:
        kind = "Reference" if filters.search.reference else "Name"
        summary.append(f"{kind}: {filters.search.text}")
    if filters.date_of_birth:
        summary.append(f"Date of birth: {govuk_date(filters.date_of_birth)}")
    for name in ("status", "area"):
        value = getattr(filters, name)
        if value:
            summary.append(f"{form.fields[name].label}: {dict(form.fields[name].choices)[value]}")
    if filters.opened_from:
        summary.append(f"Opened on or after {govuk_date(filters.opened_from)}")
    if filters.opened_to:
        summary.append(f"Opened on or before {govuk_date(filters.opened_to)}")
    return summary


@requires(Action.CASE_VIEW)
@require_GET
@shows_many("channel.channelcase", part="case list")
def case_list(request):
    user = request.user
    form = _case_filter_form(request)
    filters = form.filters()
    page = Paginator(selectors.cases_visible(user=user, filters=filters), CASES_PER_PAGE).get_page(
        request.GET.get("page"))
    query = case_filters_query(filters)
    audit_read(action=AuditAction.SEARCH, object_type=CASE_TYPE,
               details={"list": "cases", "filters": filters.for_audit(), "page": page.number})
    return render(request, "channel/case_list.html", {
        "page": page,
        "filter_form": form,
        "form": form,  # for the error summary and the page title
        "filters": filters,
        "filters_summary": _filters_summary(filters, form),
        "clear_href": reverse("channel:case-list"),
        "export_href": (f"{reverse('channel:case-export')}{'?' if query else ''}{query}"
                        if page.paginator.count and can(user, Action.CASE_EXPORT) else ""),
        "pagination": pagination_params(request, page),
        "breadcrumbs": _breadcrumbs(),
    })


EXPORT_HEADER = ("Reference", "Person", "Referral reference", "Status", "Area", "Opened", "Adopted on",
                 "Next review", "Exit date", "Closed")


@requires(Action.CASE_EXPORT)
@require_GET
@shows_many("channel.channelcase", part="case list export")
def case_export(request):
    """The case list, with the same filters, as a spreadsheet (CSV), streamed."""
    form = _case_filter_form(request)
    if form.is_bound and not form.is_valid():
        # Back to the list, which shows what is wrong with the filters.
        return redirect(f"{reverse('channel:case-list')}?{request.GET.urlencode()}")
    filters = form.filters()
    cases = selectors.cases_for_export(user=request.user, filters=filters)
    audit_read(action=AuditAction.EXPORT, object_type=CASE_TYPE, details={
        "list": "cases", "filters": filters.for_audit(), "rows": cases.count(), "format": "csv"})

    def rows():
        for case in cases.iterator(chunk_size=500):
            yield (case.reference, case.person.full_name, case.referral.reference, case.get_status_display(),
                   case.area.name if case.area else "", case.opened_at, case.adopted_on,
                   case.next_review_date, case.exit_date, case.closed_at)

    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(EXPORT_HEADER, rows(), filename=f"channel-cases-{stamp}.csv")


# The overview -------------------------------------------------------------------------------

CONSENT_TEXT = {
    "given": "Given", "refused": "Refused", "withdrawn": "Withdrawn", "asked": "Asked, no answer yet",
    "not asked": "Not asked",
}

# Steps recorded on other sections' pages: the status they lead to, what the
# button says, and the page.
OTHER_NEXT_STEPS = [
    (CaseStatus.CONSENT_GIVEN, "Record consent", "case-consent"),
    (CaseStatus.CONSENT_REFUSED, "Record consent", "case-consent"),
    (CaseStatus.SUPPORT, "Record the start of support", "case-support-start"),
]


# Where the next step is the panel's decision, the case page says so: it is
# recorded from the case's item at a meeting, not here.
PANEL_DECIDES = {
    CaseStatus.AWAITING_PANEL: "The panel decides whether to adopt the case, at a meeting (or, if it cannot "
                               "wait, the chair decides outside a meeting and the next meeting reviews it).",
    CaseStatus.SUPPORT: "Reviews, changes to the support plan and exit are the panel's decisions, at a "
                        "meeting. Exit needs a completed exit assessment first.",
    CaseStatus.CONSENT_REFUSED: "At the re-assessment date the panel decides whether to seek consent again "
                                "or set a new date.",
    CaseStatus.EXITED: "The panel records the post-exit reviews at its meetings.",
}


@requires(Action.CASE_VIEW)
@require_GET
@shows("channel.channelcase", part="case summary")
def case_detail(request, pk):
    case = _case_for(request, pk, Action.CASE_VIEW)
    audit_view(case)
    user = request.user
    full = can(user, Action.CASE_CHRONOLOGY, case)
    return render(request, "channel/case_detail.html", {
        "case": case,
        "summary": _summary(request, case, full=full),
        "next_steps": _next_steps(user, case),
        "panel_decides": PANEL_DECIDES.get(case.status, ""),
        "transitions": selectors.case_transitions(case=case) if full else None,
    })


def _summary(request, case, *, full):
    user = request.user
    today = timezone.localdate()
    consent = selectors.case_consent_status(case=case)
    rows = [
        ("Case reference", {"text": case.reference}),
        ("Person", _value(case.person.full_name,
                          reverse("people:detail", kwargs={"pk": case.person_id})
                          if can(user, Action.PERSON_VIEW) else "")),
    ]
    if full:
        referral_href = (reverse("triage:referral", kwargs={"reference": case.referral.reference})
                         if can(user, Action.REFERRAL_VIEW, case.referral) else "")
        rows.append(("Referral", _value(case.referral.reference, referral_href)))
    rows += [
        ("Opened", {"text": govuk_datetime(case.opened_at)}),
        ("Opened by", {"text": case.opened_by.full_name}),
        ("Adopted on", {"text": govuk_date(case.adopted_on, empty="Not adopted")}),
        ("Next review", {"text": govuk_date(case.next_review_date, empty="None set")}),
    ]
    if full:
        rows += [
            ("Re-assessment date", {"text": govuk_date(case.reassessment_date, empty="None set")}),
            ("Consent", {"text": CONSENT_TEXT[consent]}),
        ]
    else:
        # Intervention providers see only whether consent is given.
        rows.append(("Consent given", {"text": "Yes" if consent == "given" else "No"}))
    rows.append(("Exit date", {"text": govuk_date(case.exit_date, empty="Not exited")}))
    if full and case.not_adopted_outcome:
        rows.append(("Not adopted: outcome", {"text": case.get_not_adopted_outcome_display()}))
    if case.status == CaseStatus.CLOSED:
        rows.append(("Closed", {"text": f"{govuk_datetime(case.closed_at)}: "
                                        f"{case.get_closure_reason_display() or 'reason not recorded'}"}))
    rows.append(("Kept until", {"text": kept_until_text(
        case.retain_until, case.retention_policy,
        while_open="While the case is open; the retention period starts when it ends")}))
    if full:
        overdue = selectors.case_information_requests_overdue_count(case=case, today=today)
        value = {"text": "None"}
        if overdue:
            value = {"html": format_html(
                '<strong class="govuk-tag govuk-tag--red">{} overdue</strong> '
                '<a class="govuk-link govuk-!-display-none-print" href="{}">See information requests</a>',
                overdue, _href("case-information-requests", case))}
        rows.append(("Information requests overdue", value))
    return {"rows": [{"key": {"text": key}, "value": value} for key, value in rows]}


def _value(text, href):
    if not href:
        return {"text": text}
    return {"html": format_html('<a class="govuk-link" href="{}">{}</a>', href, text)}


def _next_steps(user, case):
    """Buttons for what the lifecycle allows next and the user may do."""
    steps = []
    if can(user, Action.CASE_MANAGE, case):
        steps = [{"text": decision.label, "href": _href("case-decision", case, decision=decision.slug),
                  "classes": "govuk-button--warning" if decision.warning else "govuk-button--secondary"}
                 for decision in services.decisions_offered(case)]
    allowed = services.lifecycle.allowed_from(case.status)
    seen = set()
    for status, label, name in OTHER_NEXT_STEPS:
        if status not in allowed or name in seen:
            continue
        action = url_name_action(f"channel:{name}", ("pk",))
        if action is not None and can(user, action, case):
            seen.add(name)
            steps.insert(0, {"text": label, "href": _href(name, case), "classes": "govuk-button--secondary"})
    # The one way round a meeting: the chair's decision, recorded with the
    # panels (a URL name, so this app does not import them).
    if case.status in PANEL_DECIDES and can(user, Action.PANEL_DECIDE_OUTSIDE_MEETING, case):
        try:
            href = reverse("panels:outside-decision-new", kwargs={"case_pk": case.pk})
        except NoReverseMatch:
            href = ""
        if href:
            steps.append({"text": "Record a decision taken outside a meeting", "href": href,
                          "classes": "govuk-button--secondary"})
    return steps


# Lifecycle decisions ------------------------------------------------------------------------

DECISION_FORMS = {
    "send-to-panel": (ReasonsForm, "Send the case to the panel",
                      "Why is the case ready for the panel?"),
    "return-to-screening": (ReasonsForm, "Return the case to screening",
                            "What more information does the panel need?"),
    "seek-consent": (ReasonsForm, "Start seeking consent", "How and by whom will consent be sought?"),
    "close": (CloseForm, "Close the case", None),
}


@requires(Action.CASE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="decision form")
def case_decision(request, pk, decision):
    case = _case_for(request, pk, Action.CASE_MANAGE)
    chosen = services.DECISIONS.get(decision)
    if chosen is None or decision not in DECISION_FORMS:
        raise Http404("No such decision")
    form_class, title, reasons_label = DECISION_FORMS[decision]
    options = {"case": case}
    if reasons_label:
        options["reasons_label"] = reasons_label
    if request.method == "POST":
        form = form_class(request.POST, **options)
        if form.is_valid():
            try:
                chosen.service(case=case, acting_user=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                case.refresh_from_db(fields=["status"])
                messages.success(request, f"{title}: done. The case is now ‘{case.get_status_display()}’")
                return redirect(_href("case-detail", case))
    else:
        form = form_class(**options)
    refusal = ""
    if request.method == "GET" and not chosen.offered_from(case.status):
        refusal = services.lifecycle.refusal_message(case.status, chosen.to_status)
    return render(request, "channel/cases/decision.html", {
        "case": case, "form": form, "title": title, "decision": decision,
        "case_section": _href("case-detail", case),
        "button": chosen.label if decision != "close" else "Close the case",
        "warning": chosen.warning,
        "refusal": {"titleText": "There is a problem", "errorList": [{"text": refusal}]} if refusal else None,
    })


# Team ----------------------------------------------------------------------------------------


@requires(Action.CASE_CHRONOLOGY)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="case team")
def case_team(request, pk):
    case = _case_for(request, pk, Action.CASE_CHRONOLOGY)
    may_manage = can(request.user, Action.CASE_MANAGE, case)
    form = None
    if may_manage:
        candidates = selectors.case_team_candidates()
        if request.method == "POST":
            form = TeamMemberForm(request.POST, candidates=candidates)
            if form.is_valid():
                try:
                    member = services.case_team_add(case=case, user=form.cleaned_data["user"],
                                                    role=form.cleaned_data["role"], acting_user=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, f"{member.user.full_name} has been added to the case team")
                    return redirect(_href("case-team", case))
        else:
            form = TeamMemberForm(candidates=candidates)
    elif request.method == "POST":
        check(request, Action.CASE_MANAGE, case)
    audit_view(case)
    return render(request, "channel/cases/team.html", {
        "case": case, "form": form, "may_manage": may_manage,
        "current": selectors.case_team_current(case=case),
        "former": selectors.case_team_former(case=case),
    })


@requires(Action.CASE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="remove from team confirmation")
def case_team_remove(request, pk, member_pk):
    case = _case_for(request, pk, Action.CASE_MANAGE)
    member = selectors.case_team_current(case=case).filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such team member")
    if request.method == "POST":
        services.case_team_remove(member=member, acting_user=request.user)
        messages.success(request, f"{member.user.full_name} has been removed from the case team")
        return redirect(_href("case-team", case))
    return render(request, "channel/cases/team_remove.html", {
        "case": case, "member": member, "case_section": _href("case-team", case),
    })


# Information requests -------------------------------------------------------------------------


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="information requests")
def case_information_requests(request, pk):
    case = _case_for(request, pk, Action.CASE_CHRONOLOGY)
    audit_read(action=AuditAction.VIEW, obj=case, details={"section": "information requests"})
    today = timezone.localdate()
    rows = [{"request": item, "overdue": item.is_overdue}
            for item in selectors.case_information_requests(case=case, today=today)]
    return render(request, "channel/cases/information_requests.html", {
        "case": case, "rows": rows, "overdue": sum(row["overdue"] for row in rows),
        "may_manage": can(request.user, Action.CASE_MANAGE, case),
    })


@requires(Action.CASE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="new information request form")
def case_information_request_add(request, pk):
    case = _case_for(request, pk, Action.CASE_MANAGE)
    if request.method == "POST":
        form = InformationRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                info_requests.information_request_add(
                    case=case, organisation=data["organisation"], organisation_name=data["organisation_name"],
                    contact=data["contact"], question=data["question"], due_date=data["due_date"],
                    acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The information request has been recorded")
                return redirect(_href("case-information-requests", case))
    else:
        form = InformationRequestForm(initial={"due_date": info_requests.default_due_date()})
    return render(request, "channel/cases/information_request_form.html", {
        "case": case, "form": form, "case_section": _href("case-information-requests", case),
    })


@requires(Action.CASE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="information request answer form")
def case_information_request_answer(request, pk, request_pk):
    case = _case_for(request, pk, Action.CASE_MANAGE)
    item = (selectors.case_information_requests(case=case, today=timezone.localdate())
            .filter(pk=request_pk).first())
    if item is None:
        raise Http404("No such information request")
    back = _href("case-information-requests", case)
    if item.answer:
        messages.info(request, "The answer to this request has already been recorded. It cannot be changed.")
        return redirect(back)
    if request.method == "POST":
        form = InformationAnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                info_requests.information_request_answer(
                    request=item, answer=data["answer"], response=data["response"],
                    decline_reason=data["decline_reason"], answered_on=data["answered_on"],
                    acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The answer from {item.organisation_name} has been recorded")
                return redirect(back)
    else:
        form = InformationAnswerForm(initial={"answered_on": timezone.localdate()})
    audit_read(action=AuditAction.VIEW, obj=item, details={"case": case.reference})
    return render(request, "channel/cases/information_request_answer.html", {
        "case": case, "form": form, "item": item, "case_section": back,
    })


# Notes and documents ---------------------------------------------------------------------------


@requires(Action.CASE_VIEW)
@require_GET
@shows("channel.channelcase", part="notes")
def case_notes(request, pk):
    case = _case_for(request, pk, Action.CASE_VIEW)
    audit_read(action=AuditAction.VIEW, obj=case, details={"section": "notes and documents"})
    user = request.user
    # Intervention providers read and add notes but do not see documents.
    documents_visible = can(user, Action.CASE_CHRONOLOGY, case)
    return render(request, "channel/cases/notes.html", {
        "case": case, "notes": selectors.case_notes(case=case),
        "may_add_note": can(user, Action.CASE_NOTE_ADD, case),
        "documents_visible": documents_visible,
        "documents": selectors.case_documents(case=case) if documents_visible else None,
    })


@requires(Action.CASE_NOTE_ADD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="new note form")
def case_note_add(request, pk):
    case = _case_for(request, pk, Action.CASE_NOTE_ADD)
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                notes.note_add(case=case, text=form.cleaned_data["text"], acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your note has been added")
                return redirect(_href("case-notes", case))
    else:
        form = NoteForm()
    return render(request, "channel/cases/note_form.html", {
        "case": case, "form": form, "title": "Add a note", "button": "Save the note", "note": None,
        "case_section": _href("case-notes", case),
    })


@requires(Action.CASE_NOTE_ADD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="note correction form")
def case_note_correction(request, pk, note_pk):
    case = _case_for(request, pk, Action.CASE_NOTE_ADD)
    note = case.notes.filter(pk=note_pk, addendum_to__isnull=True).select_related("written_by").first()
    if note is None:
        raise Http404("No such note")
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                notes.note_correction_add(note=note, text=form.cleaned_data["text"], acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your correction has been added under the note")
                return redirect(_href("case-notes", case))
    else:
        form = CorrectionForm()
    return render(request, "channel/cases/note_form.html", {
        "case": case, "form": form, "title": "Add a correction", "button": "Save the correction",
        "note": note, "case_section": _href("case-notes", case),
    })


@requires(Action.CASE_CHRONOLOGY)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="document upload form")
def case_document_add(request, pk):
    case = _case_for(request, pk, Action.CASE_CHRONOLOGY)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = notes.document_add(case=case, upload=form.cleaned_data["file"],
                                              description=form.cleaned_data["description"],
                                              acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{document.original_name} has been added")
                return redirect(_href("case-notes", case))
    else:
        form = DocumentForm()
    return render(request, "channel/cases/document_form.html", {
        "case": case, "form": form, "case_section": _href("case-notes", case),
    })


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="document")
def case_document(request, pk, document_pk):
    case = _case_for(request, pk, Action.CASE_CHRONOLOGY)
    return audited_download(case, case.documents.filter(pk=document_pk).first(), kept_as="document")


# Timelines ---------------------------------------------------------------------------------------


def _timeline_filters(request):
    form = TimelineFilterForm(request.GET or None)
    kind, oldest = "", False
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        oldest = form.cleaned_data["order"] == "oldest"
    return form, kind, oldest


def _timeline_context(request, entries, form):
    page = Paginator(entries, TIMELINE_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "form": form, "page": page, "pagination": pagination_params(request, page),
        "kinds": dict(ChronologyKind.choices),
    }


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="timeline")
def case_timeline(request, pk):
    case = _case_for(request, pk, Action.CASE_CHRONOLOGY)
    form, kind, oldest = _timeline_filters(request)
    entries = selectors.case_timeline(case=case, kind=kind, oldest_first=oldest)
    context = _timeline_context(request, entries, form)
    audit_read(action=AuditAction.VIEW, obj=case,
               details={"section": "timeline", "page": context["page"].number})
    return render(request, "channel/cases/timeline.html", {"case": case, **context})


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("people.person", part="timeline across cases")
def person_timeline(request, pk):
    form, kind, oldest = _timeline_filters(request)
    entries = selectors.person_timeline(user=request.user, person_id=pk, kind=kind, oldest_first=oldest)
    if entries is None:
        raise Http404("No such person")
    from prevent_hub.people.models import Person

    person = Person.objects.only("given_name", "family_name").get(pk=pk)
    context = _timeline_context(request, entries, form)
    audit_read(action=AuditAction.VIEW, obj=person,
               details={"section": "timeline", "page": context["page"].number})
    return render(request, "channel/cases/person_timeline.html", {
        "person": person, **context,
        "person_href": reverse("people:detail", kwargs={"pk": pk}) if can(request.user, Action.PERSON_VIEW)
        else "",
        "breadcrumbs": _breadcrumbs(("Channel cases", reverse("channel:case-list"))),
    })


urlpatterns = [
    path("", case_list, name="case-list"),
    path("export/", case_export, name="case-export"),
    path("<int:pk>/", case_detail, name="case-detail"),
    path("<int:pk>/decisions/<slug:decision>/", case_decision, name="case-decision"),
    path("<int:pk>/team/", case_team, name="case-team"),
    path("<int:pk>/team/<int:member_pk>/remove/", case_team_remove, name="case-team-remove"),
    path("<int:pk>/information-requests/", case_information_requests, name="case-information-requests"),
    path("<int:pk>/information-requests/new/", case_information_request_add,
         name="case-information-request-add"),
    path("<int:pk>/information-requests/<int:request_pk>/answer/", case_information_request_answer,
         name="case-information-request-answer"),
    path("<int:pk>/notes/", case_notes, name="case-notes"),
    path("<int:pk>/notes/new/", case_note_add, name="case-note-add"),
    path("<int:pk>/notes/<int:note_pk>/correction/", case_note_correction, name="case-note-correction"),
    path("<int:pk>/documents/new/", case_document_add, name="case-document-add"),
    path("<int:pk>/documents/<int:document_pk>/", case_document, name="case-document"),
    path("<int:pk>/timeline/", case_timeline, name="case-timeline"),
    path("people/<int:pk>/timeline/", person_timeline, name="person-timeline"),
]
