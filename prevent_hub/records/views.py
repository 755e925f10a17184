"""Records management pages: legal holds (list, place, lift) and retention
runs (list, a run's report, its CSV, a preview of what a run would delete).
Views parse, call a service or selector, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.complaints.selectors import complaint_for
from prevent_hub.core.csv import csv_response
from prevent_hub.govuk.forms import form_submitted

from . import forms, selectors, services
from .models import HoldKind, Outcome, RunTrigger

HOLDS_TITLE = "Legal holds"
RUNS_TITLE = "Retention runs"


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}




# Legal holds ---------------------------------------------------------------------------------


@requires(Action.LEGAL_HOLD_MANAGE)
@require_GET
@shows_many("records.legalhold", part="legal holds, active and ended")
def holds(request):
    active, ended = selectors.holds_listed(user=request.user)
    if active or ended:
        audit_read(action=AuditAction.SEARCH, object_type="records.legalhold",
                   details={"list": "legal holds", "count": len(active) + len(ended)})
    return render(request, "records/holds.html", {
        "title": HOLDS_TITLE, "active": active, "ended": ended, "breadcrumbs": _crumbs()})


@requires(Action.LEGAL_HOLD_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("an empty form to place a hold; the record is found by its reference only")
def hold_place(request):
    # Placed from a complaint's page: the record it concerns, for the
    # complaint, if the user may see the complaint (a complaint they may not
    # see is ignored, as if not named).
    complaint = complaint_for(user=request.user, reference=request.GET.get("complaint", "")[:20])
    initial = {}
    if complaint is not None:
        initial = {"reference": complaint.concerns_reference, "kind": HoldKind.COMPLAINT,
                   "reason": f"Complaint {complaint.reference} concerns this record and is not yet closed."}
    # Placed from a learner's training record: only its reference is
    # prefilled (found by identifier, nothing personal read or shown).
    learner = _learner_named(request.GET.get("learner", "")) if complaint is None else None
    if learner is not None:
        initial = {"reference": learner.reference}
    form = forms.HoldForm(request.POST or None, initial=initial)

    def save(data):
        return services.legal_hold_place(
            found=selectors.record_find(data["reference"]), kind=data["kind"], reason=data["reason"],
            ends_on=data["ends_on"], acting_user=request.user, complaint=complaint)

    hold = form_submitted(request, form, save)
    if hold:
        messages.success(request, f"{hold.reference} is held until {hold.ends_on:%-d %B %Y}")
        return redirect("records:hold", pk=hold.pk)
    cancel = (reverse("complaints:complaint", args=[complaint.reference]) if complaint
              else reverse("records:holds"))
    return render(request, "records/hold_form.html", {
        "title": "Place a legal hold", "form": form, "cancel": cancel, "complaint": complaint,
        "learner": learner,
        "breadcrumbs": _crumbs((HOLDS_TITLE, reverse("records:holds")))})


def _learner_named(reference: str):
    if not reference.strip().upper().startswith("LRN-"):
        return None
    found = selectors.record_find(reference[:20])
    return found.learner if found is not None else None


def _hold(request, pk):
    hold = selectors.hold_get(user=request.user, pk=pk)
    if hold is None:
        raise Http404("No such hold")
    return hold


@requires(Action.LEGAL_HOLD_MANAGE)
@require_GET
@shows("records.legalhold", part="legal hold")
def hold_detail(request, pk):
    hold = _hold(request, pk)
    return render(request, "records/hold.html", {
        "title": f"{hold.get_kind_display()} hold on {hold.reference}", "hold": hold,
        "active": hold.is_active(timezone.localdate()),
        "breadcrumbs": _crumbs((HOLDS_TITLE, reverse("records:holds")))})


@requires(Action.LEGAL_HOLD_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("records.legalhold", part="form to lift a legal hold")
def hold_lift(request, pk):
    hold = _hold(request, pk)
    form = forms.LiftForm(request.POST or None)

    def save(data):
        return services.legal_hold_lift(hold=hold, reason=data["lift_reason"], acting_user=request.user)

    if form_submitted(request, form, save):
        messages.success(request, f"The hold on {hold.reference} has been lifted")
        return redirect("records:hold", pk=hold.pk)
    return render(request, "records/hold_lift.html", {
        "title": f"Lift the hold on {hold.reference}", "hold": hold, "form": form,
        "active": hold.is_active(timezone.localdate()), "cancel": reverse("records:hold", args=[hold.pk]),
        "breadcrumbs": _crumbs((HOLDS_TITLE, reverse("records:holds")))})


# Retention runs -------------------------------------------------------------------------------


@requires(Action.RETENTION_RUNS_VIEW)
@require_GET
@shows_many("records.retentionrun", part="retention runs")
def runs(request):
    found = list(selectors.runs_listed(user=request.user))
    if found:
        audit_read(action=AuditAction.SEARCH, object_type="records.retentionrun",
                   details={"list": "retention runs", "count": len(found)})
    return render(request, "records/runs.html", {
        "title": RUNS_TITLE, "runs": found, "form": forms.PreviewForm(),
        "breadcrumbs": _crumbs()})


@requires(Action.RETENTION_RUNS_VIEW)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a date to preview a run as of; the preview is shown on its run's page")
def run_preview(request):
    form = forms.PreviewForm(request.POST or None)

    def save(data):
        return services.retention_run(as_of=data["as_of"], dry_run=True, trigger=RunTrigger.PAGE,
                                      acting_user=request.user)

    run = form_submitted(request, form, save)
    if run:
        return redirect("records:run", pk=run.pk)
    return render(request, "records/run_preview.html", {
        "title": "Preview what a run would delete", "form": form, "cancel": reverse("records:runs"),
        "breadcrumbs": _crumbs((RUNS_TITLE, reverse("records:runs")))})


def _run(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404("No such run")
    return run


@requires(Action.RETENTION_RUNS_VIEW)
@require_GET
@shows("records.retentionrun", part="retention run report")
def run_detail(request, pk):
    run = _run(request, pk)
    return render(request, "records/run.html", {
        "title": f"{'Preview' if run.dry_run else 'Retention run'} as of {run.as_of:%-d %B %Y}", "run": run,
        "rows": run.report[:2000], "more": max(0, len(run.report) - 2000), "outcomes": Outcome,
        "breadcrumbs": _crumbs((RUNS_TITLE, reverse("records:runs")))})


CSV_HEADER = ("Record type", "Object type", "Id", "Reference", "With referral", "Policy", "Period",
              "Retain until", "Outcome", "Hold", "Hold ends", "Error")


@requires(Action.RETENTION_RUNS_VIEW)
@require_GET
@shows("records.retentionrun", part="retention run report (CSV download)")
def run_csv(request, pk):
    run = _run(request, pk)
    audit_read(action=AuditAction.EXPORT, obj=run, details={"rows": len(run.report), "format": "csv"})
    labels = dict(Outcome.choices)
    rows = ((row["record_type"], row["object_type"], row["object_id"], row["reference"],
             row.get("with_referral", ""), row["policy"], row["period"], row["retain_until"],
             labels.get(row["outcome"], row["outcome"]), row["hold_kind"], row["hold_ends_on"], row["error"])
            for row in run.report)
    return csv_response(CSV_HEADER, rows, filename=f"retention-run-{run.pk}.csv")
