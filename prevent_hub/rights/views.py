"""Pages for data protection rights requests. Views parse, call a service or
selector, render; the services hold the rules and write the audit events."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.core.pdf import pdf_response
from prevent_hub.govuk.forms import add_service_errors, form_submitted

from . import forms, selectors, services
from .documents import anchor, bundle_json, bundle_pdf, display, field_in, parts_of
from .models import BundleStatus, Decision, Redaction, RequestKind

LIST_TITLE = "Data protection rights requests"


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _list_crumb(user):
    if can(user, Action.RIGHTS_REQUEST_MANAGE):
        return (LIST_TITLE, reverse("rights:home"))
    return ("Subject access bundles to approve", reverse("rights:approvals"))


def _request_crumbs(request, rights_request, *trail):
    crumbs = [_list_crumb(request.user)]
    if can(request.user, Action.RIGHTS_REQUEST_MANAGE):
        crumbs.append((rights_request.reference, reverse("rights:request", kwargs={"pk": rights_request.pk})))
    return _crumbs(*crumbs, *trail)


def _rights_request(request, pk):
    found = selectors.request_get(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such request")
    return found


def _bundle(rights_request):
    bundle = selectors.bundle_for(rights_request)
    if bundle is None:
        raise Http404("No bundle yet")
    return bundle




def _audit_person_read(rights_request, part):
    """The person's own access log shows that their data was read for the request."""
    if rights_request.person_id:
        audit_read(action=AuditAction.VIEW, object_type="people.person", object_id=rights_request.person_id,
                   details={"request": rights_request.reference, "part": part})


# The log ---------------------------------------------------------------------------------


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_GET
@shows_many("rights.rightsrequest", part="rights requests")
def home(request):
    filters = forms.ListFilterForm(request.GET or None)
    kind = status = ""
    if filters.is_valid():
        kind, status = filters.cleaned_data["kind"], filters.cleaned_data["status"]
    found = list(selectors.requests_listed(user=request.user, kind=kind, status=status)[:500])
    if found:
        audit_read(action=AuditAction.SEARCH, object_type="rights.rightsrequest",
                   details={"list": "rights requests", "kind": kind, "status": status, "count": len(found)})
    return render(request, "rights/home.html", {
        "title": LIST_TITLE, "rows": found, "filters": filters, "filtered": bool(kind or status),
        "breadcrumbs": _crumbs()})


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a blank form for logging a request; what is typed is saved, not shown back")
def request_new(request):
    form = forms.RequestForm(request.POST or None)
    logged = form_submitted(request, form, lambda data: services.rights_request_log(
        kind=data["kind"], requester_name=data["requester_name"], requester_contact=data["requester_contact"],
        requester_relationship=data["requester_relationship"],
        relationship_details=data["relationship_details"],
        received_on=data["received_on"], subject_details=data["subject_details"],
        request_text=data["request_text"], acting_user=request.user))
    if logged:
        messages.success(request, f"Request {logged.reference} logged. Reply by "
                                  f"{display(str(logged.due_on))}.")
        return redirect("rights:request", pk=logged.pk)
    return render(request, "rights/form.html", {
        "title": "Log a rights request", "form": form, "button": "Log the request",
        "cancel": reverse("rights:home"), "breadcrumbs": _crumbs((LIST_TITLE, reverse("rights:home")))})


# One request -----------------------------------------------------------------------------


NEXT_STEPS = {
    RequestKind.RECTIFICATION: ("Accepting records the decision. A Prevent coordinator then corrects the "
                                "person record (Change their details), referral or case: each keeps the "
                                "history of its changes. Tell the requester what was corrected."),
    RequestKind.ERASURE: ("Accepting erases everything about the person (their Channel cases, referrals and "
                          "person record, with documents and files) by the same path as retention, unless a "
                          "record is under a legal hold. Partly accepting deletes nothing by itself: a "
                          "Prevent coordinator removes what your reasons name. Tell the requester."),
    RequestKind.RESTRICTION: ("Accepting restricts processing of the person's records: they stay readable, "
                              "with a banner saying so, and every change is refused until you lift the "
                              "restriction on this page. Tell the requester."),
    RequestKind.SUBJECT_ACCESS: "Nothing more is needed in Prevent Hub.",
}


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_GET
@shows("rights.rightsrequest", part="the request and its steps")
def request_detail(request, pk):
    rights_request = _rights_request(request, pk)
    bundle = selectors.bundle_for(rights_request)
    named = [(kind, [record for record, _ in _named_records_linked(kind, rights_request)])
             for kind in NAMED_RECORDS]
    return render(request, "rights/request.html", {
        "title": f"{rights_request.get_kind_display()}: {rights_request.reference}", "item": rights_request,
        "bundle": bundle, "next_steps": NEXT_STEPS[rights_request.kind],
        "effects": [line for line in rights_request.effects.splitlines() if line],
        "may_lift_restriction": (rights_request.kind == RequestKind.RESTRICTION
                                 and rights_request.person is not None
                                 and rights_request.person.restricted_at is not None
                                 and rights_request.decision == Decision.ACCEPTED),
        "named_records": named,
        "any_named_linked": any(records for _, records in named),
        "may_prepare": can(request.user, Action.SUBJECT_ACCESS_PREPARE),
        "may_approve": can(request.user, Action.SUBJECT_ACCESS_APPROVE),
        "breadcrumbs": _crumbs((LIST_TITLE, reverse("rights:home")))})


def _step_page(request, rights_request, *, title, form, button, template="rights/form.html", **extra):
    return render(request, template, {
        "title": title, "item": rights_request, "form": form, "button": button,
        "cancel": reverse("rights:request", kwargs={"pk": rights_request.pk}),
        "breadcrumbs": _request_crumbs(request, rights_request), **extra})


def _step(request, pk, *, form_class, write, done_message, title, button, form_options=None):
    """One step of a request on its own page (verify, extend, decide, lift):
    a valid POST calls `write(rights_request, cleaned_data)` and returns to
    the request with `done_message(result)`; otherwise the form, with any
    refusal on it and what was typed kept. `form_options(rights_request)`
    gives the form's own arguments, if it has any."""
    rights_request = _rights_request(request, pk)
    form = form_class(request.POST or None, **(form_options(rights_request) if form_options else {}))
    done = form_submitted(request, form, lambda data: write(rights_request, data))
    if done:
        messages.success(request, done_message(done))
        return redirect("rights:request", pk=pk)
    return _step_page(request, rights_request, title=title, form=form, button=button)


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="identity verification form")
def request_verify(request, pk):
    return _step(
        request, pk, form_class=forms.IdentityForm,
        write=lambda rights_request, data: services.rights_request_identity_verify(
            request=rights_request, method=data["identity_method"], notes=data["identity_notes"],
            acting_user=request.user),
        done_message=lambda done: "Identity verified. Find the person the request is about next.",
        title="Verify the requester's identity", button="Record how identity was verified")


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="finding the person the request is about")
def request_person(request, pk):
    rights_request = _rights_request(request, pk)
    link = forms.LinkPersonForm(request.POST or None)
    if request.method == "POST" and link.is_valid():
        person = selectors.person_for_request(request=rights_request, person_id=link.cleaned_data["person"])
        try:
            if person is None:
                raise ValidationError({"person": "Choose a person from the list"})
            services.rights_request_person_link(request=rights_request, person=person,
                                                acting_user=request.user)
        except ValidationError as error:
            add_service_errors(link, error)
        else:
            messages.success(request, f"Person record {person.pk} linked to the request.")
            return redirect("rights:request", pk=pk)
    search = forms.PersonSearchForm(request.GET if "search" in request.GET else None)
    candidates = None
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        candidates = selectors.person_candidates(request=rights_request, name=data["name"],
                                                 date_of_birth=data["date_of_birth"],
                                                 reference=data["reference"])
    return render(request, "rights/person.html", {
        "title": "Find the person the request is about", "item": rights_request, "search": search,
        "form": link, "candidates": candidates, "noun": "record",
        "here": reverse("rights:request-person", kwargs={"pk": pk}),
        "breadcrumbs": _request_crumbs(request, rights_request)})


@dataclass(frozen=True)
class NamedRecords:
    """A kind of record that can name a requester who has no person record
    behind them (a venue booker or speaker, a complainant). One page, one
    template (rights/named_records.html, with partials named for `key`)
    and one service serve every kind: the DPO searches, checks and links by
    hand, and the bundle includes what is linked."""

    key: str
    url_name: str
    plural: str
    noun: str
    # The service's argument for the record, and the link's attribute for it.
    field: str
    search_form: type
    candidates: Callable
    by_reference: Callable
    linked: Callable
    link: Callable
    columns: tuple[str, ...]
    try_instead: str

    @property
    def title(self) -> str:
        return f"Find the {self.plural.lower()} that name the requester"

    @property
    def partials(self) -> dict[str, str]:
        return {part: f"rights/named_records.html#{self.key}_{part}" for part in ("intro", "cells", "linked")}


VENUE_BOOKINGS = NamedRecords(
    key="venue_booking", url_name="rights:request-venue-bookings", plural="Venue bookings", noun="booking",
    field="booking", search_form=forms.VenueBookingSearchForm, candidates=selectors.venue_booking_candidates,
    by_reference=selectors.venue_booking_for_request, linked=selectors.venue_bookings_linked,
    link=services.rights_request_venue_booking_link, columns=("Booking", "Booker", "Speakers"),
    try_instead="Try another spelling, the booker's email address, or a reference the requester gave.")
COMPLAINTS = NamedRecords(
    key="complaint", url_name="rights:request-complaints", plural="Complaints", noun="complaint",
    field="complaint", search_form=forms.ComplaintSearchForm, candidates=selectors.complaint_candidates,
    by_reference=selectors.complaint_for_request, linked=selectors.complaints_linked,
    link=services.rights_request_complaint_link, columns=("Complaint", "Complainant", "Person affected"),
    try_instead="Try another spelling, the complainant's email address, or a reference the requester gave.")
LEARNERS = NamedRecords(
    key="learner", url_name="rights:request-learners", plural="Training records", noun="training record",
    field="learner", search_form=forms.LearnerSearchForm, candidates=selectors.learner_candidates,
    by_reference=selectors.learner_for_request, linked=selectors.learners_linked,
    link=services.rights_request_learner_link, columns=("Learner", "Name", "Organisation and role"),
    try_instead="Try another spelling, the email address their training was recorded under, or their "
                "learner reference.")
NAMED_RECORDS = (VENUE_BOOKINGS, COMPLAINTS, LEARNERS)


def _named_records_linked(kind: NamedRecords, rights_request) -> list[tuple]:
    return [(getattr(link, kind.field), link) for link in kind.linked(rights_request)]


def _named_records_page(request, pk, kind: NamedRecords):
    rights_request = _rights_request(request, pk)
    link = forms.RecordLinkForm(request.POST or None, noun=kind.noun)
    if request.method == "POST" and link.is_valid():
        record = kind.by_reference(reference=link.cleaned_data["reference"])
        unlink = link.cleaned_data["unlink"]
        try:
            if record is None:
                raise ValidationError({"reference": f"Choose a {kind.noun} from the list"})
            kind.link(request=rights_request, **{kind.field: record}, unlink=unlink, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(link, error)
        else:
            messages.success(request, f"{kind.noun.capitalize()} {record.reference} "
                                      f"{'no longer linked to' if unlink else 'linked to'} the request.")
            return redirect(kind.url_name, pk=pk)
    search = kind.search_form(request.GET if "search" in request.GET else None)
    candidates = None
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        candidates = kind.candidates(request=rights_request, name=data["name"], email=data["email"],
                                     reference=data["reference"])
    return render(request, "rights/named_records.html", {
        "title": kind.title, "kind": kind, "item": rights_request, "search": search, "form": link,
        "candidates": candidates, "noun": kind.noun, "here": reverse(kind.url_name, kwargs={"pk": pk}),
        "linked": _named_records_linked(kind, rights_request),
        "breadcrumbs": _request_crumbs(request, rights_request)})


def _named_records_view(kind: NamedRecords):
    """The page for one kind, named as its URL is."""

    @requires(Action.RIGHTS_REQUEST_MANAGE)
    @require_http_methods(["GET", "POST"])
    @shows("rights.rightsrequest", part=f"finding the {kind.plural.lower()} that name the requester")
    def view(request, pk):
        return _named_records_page(request, pk, kind)

    view.__name__ = view.__qualname__ = kind.url_name.replace("rights:", "").replace("-", "_")
    return view


request_venue_bookings = _named_records_view(VENUE_BOOKINGS)
request_complaints = _named_records_view(COMPLAINTS)
request_learners = _named_records_view(LEARNERS)


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="extend the deadline form")
def request_extend(request, pk):
    return _step(
        request, pk, form_class=forms.ExtendForm,
        write=lambda rights_request, data: services.rights_request_extend(
            request=rights_request, extension_months=data["extension_months"], reason=data["reason"],
            acting_user=request.user),
        done_message=lambda done: f"Deadline extended to {display(str(done.due_on))}.",
        title="Extend the deadline", button="Extend the deadline")


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="decision form")
def request_decide(request, pk):
    return _step(
        request, pk, form_class=forms.DecideForm,
        form_options=lambda rights_request: {"decisions": forms.decisions_for(rights_request.kind)},
        write=lambda rights_request, data: services.rights_request_decide(
            request=rights_request, decision=data["decision"], reasons=data["reasons"],
            acting_user=request.user),
        done_message=lambda done: f"Decision recorded: {done.get_decision_display().lower()}.",
        title="Record the decision", button="Record the decision")


@requires(Action.RIGHTS_REQUEST_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="lift the restriction form")
def restriction_lift(request, pk):
    return _step(
        request, pk, form_class=forms.RestrictionLiftForm,
        write=lambda rights_request, data: services.restriction_lift(
            request=rights_request, reason=data["reason"], acting_user=request.user),
        done_message=lambda done: "The restriction is lifted: the person's records can be changed again.",
        title="Lift the restriction", button="Lift the restriction")


# The bundle ------------------------------------------------------------------------------


@requires(Action.SUBJECT_ACCESS_PREPARE)
@require_POST
@shows("rights.rightsrequest", part="finding everything held")
def bundle_prepare(request, pk):
    rights_request = _rights_request(request, pk)
    try:
        bundle = services.bundle_prepare(request=rights_request, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rights:request", pk=pk)
    count = sum(len(section["items"]) for section in bundle.document["sections"])
    messages.success(request, f"Everything held was found: {count} records. Check it and redact what must be "
                              f"withheld.")
    return redirect("rights:bundle", pk=pk)


@requires(Action.SUBJECT_ACCESS_PREPARE)
@require_GET
@shows("rights.rightsrequest", part="subject access bundle, to redact")
def bundle_detail(request, pk):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    redactions = selectors.bundle_redactions(bundle)
    live = {(r.item_key, r.field_key): r for r in redactions if r.removed_at is None}
    document = selectors.bundle_shown(bundle)
    _audit_person_read(rights_request, "subject access bundle")
    return render(request, "rights/bundle.html", {
        "title": f"Subject access bundle: {rights_request.reference}", "item": rights_request,
        "bundle": bundle, "parts": parts_of(document), "redactions": redactions, "live": live,
        "may_redact": bundle.status == BundleStatus.PREPARED,
        "breadcrumbs": _request_crumbs(request, rights_request)})


@requires(Action.SUBJECT_ACCESS_PREPARE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="redact a field of the subject access bundle")
def bundle_redact(request, pk, item_key, field_key):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    found = field_in(bundle.document, item_key, field_key)
    if found is None:
        raise Http404("No such field in the bundle")
    item, row = found
    form = forms.RedactForm(request.POST or None)
    done = form_submitted(request, form, lambda data: services.redaction_add(
        bundle=bundle, item_key=item_key, field_key=field_key, reason=data["reason"],
        explanation=data["explanation"], acting_user=request.user))
    if done:
        messages.success(request, f"{row['label']} in {item['title']} is redacted.")
        return redirect(reverse("rights:bundle", kwargs={"pk": pk}) + f"#{anchor(item_key)}")
    _audit_person_read(rights_request, "a field of the subject access bundle")
    return render(request, "rights/redact.html", {
        "title": "Redact a field", "item": rights_request, "record": item, "row": row,
        "value": display(row["value"]), "form": form,
        "cancel": reverse("rights:bundle", kwargs={"pk": pk}),
        "breadcrumbs": _request_crumbs(request, rights_request,
                                       ("Bundle", reverse("rights:bundle", kwargs={"pk": pk})))})


@requires(Action.SUBJECT_ACCESS_PREPARE)
@require_POST
@shows("rights.rightsrequest", part="remove a redaction")
def redaction_remove(request, pk, redaction_pk):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    redaction = Redaction.objects.filter(bundle=bundle, pk=redaction_pk).first()
    if redaction is None:
        raise Http404("No such redaction")
    try:
        services.redaction_remove(redaction=redaction, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Redaction removed: the field will be released as it is.")
    return redirect("rights:bundle", pk=pk)


# Approval, release, downloads ------------------------------------------------------------------


@requires(Action.SUBJECT_ACCESS_APPROVE)
@require_GET
@shows_many("rights.rightsrequest", part="subject access bundles to approve or release")
def approvals(request):
    found = list(selectors.bundles_awaiting(user=request.user)[:200])
    if found:
        audit_read(action=AuditAction.SEARCH, object_type="rights.rightsrequest",
                   details={"list": "bundles to approve or release", "count": len(found)})
    return render(request, "rights/approvals.html", {
        "title": "Subject access bundles to approve", "rows": found, "breadcrumbs": _crumbs()})


@requires(Action.SUBJECT_ACCESS_APPROVE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="subject access bundle, to approve")
def bundle_approve(request, pk):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    form = forms.ApproveForm(request.POST or None)
    done = form_submitted(request, form, lambda data: services.bundle_approve(bundle=bundle,
                                                                          acting_user=request.user))
    if done:
        messages.success(request, "Bundle approved. It can now be released; nothing in it can change.")
        return redirect("rights:bundle-release", pk=pk)
    redactions = [r for r in selectors.bundle_redactions(bundle) if r.removed_at is None]
    _audit_person_read(rights_request, "subject access bundle, to approve")
    return render(request, "rights/approve.html", {
        "title": f"Approve the subject access bundle: {rights_request.reference}", "item": rights_request,
        "bundle": bundle, "parts": parts_of(selectors.bundle_shown(bundle)), "redactions": redactions,
        "form": form, "breadcrumbs": _request_crumbs(request, rights_request)})


@requires(Action.SUBJECT_ACCESS_APPROVE)
@require_http_methods(["GET", "POST"])
@shows("rights.rightsrequest", part="release the subject access bundle form")
def bundle_release(request, pk):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    form = forms.ReleaseForm(request.POST or None)
    done = form_submitted(request, form, lambda data: services.bundle_release(
        bundle=bundle, released_on=data["released_on"], method=data["method"], notes=data["notes"],
        acting_user=request.user))
    if done:
        messages.success(request, f"Release recorded. Request {rights_request.reference} is completed.")
        return redirect("rights:bundle-release", pk=pk)
    return render(request, "rights/release.html", {
        "title": f"Release the subject access bundle: {rights_request.reference}", "item": rights_request,
        "bundle": bundle, "form": form, "breadcrumbs": _request_crumbs(request, rights_request)})


def _download(request, pk, kind):
    rights_request = _rights_request(request, pk)
    bundle = _bundle(rights_request)
    document = selectors.bundle_shown(bundle)
    status = {BundleStatus.PREPARED: "DRAFT: not yet approved, not for release",
              BundleStatus.APPROVED: "Approved for release",
              BundleStatus.RELEASED: "Released"}[bundle.status]
    withheld = sum(1 for r in bundle.redactions.all() if r.removed_at is None)
    audit_read(action=AuditAction.DOWNLOAD, obj=rights_request,
               details={"bundle": kind, "status": bundle.status, "redactions": withheld})
    if rights_request.person_id:
        audit_read(action=AuditAction.DOWNLOAD, object_type="people.person",
                   object_id=rights_request.person_id,
                   details={"request": rights_request.reference, "bundle": kind})
    name = f"subject-access-{rights_request.reference}"
    if kind == "pdf":
        content = bundle_pdf(document, title=f"Subject access bundle {rights_request.reference}",
                             status=status,
                             facts=[("Status", status), ("Fields withheld", str(withheld))])
        return pdf_response(content, f"{name}.pdf")
    response = HttpResponse(bundle_json(document, status=status), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Action.SUBJECT_ACCESS_APPROVE)
@require_GET
@shows("rights.rightsrequest", part="subject access bundle (PDF download)")
def bundle_pdf_download(request, pk):
    return _download(request, pk, "pdf")


@requires(Action.SUBJECT_ACCESS_APPROVE)
@require_GET
@shows("rights.rightsrequest", part="subject access bundle (JSON download)")
def bundle_json_download(request, pk):
    return _download(request, pk, "json")
