"""Reviews, exit, post-exit reviews, closing and transfer.

Reviews, re-assessments, exit and post-exit reviews are the panel's
decisions: they are recorded from the case's item at a panel meeting (or a
decision taken outside a meeting), never here. This page shows them.

Views parse, call a service or selector in channel.reviews / channel.transfer,
and render. Every page showing case data is audited; every change is audited
inside its service.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import add_service_errors, govuk_date_field

from .. import reviews as review_services
from .. import selectors
from .. import transfer as transfer_services
from ..lifecycle import OPEN_STATUSES
from ..models import Assessment, CaseStatus, ReviewKind

# Forms -------------------------------------------------------------------------




def _text(label, *, max_length=5000, hint="", required_message, rows=6):
    return forms.CharField(
        label=label, max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "govuk": {
            "label": {"classes": "govuk-label--m"}, **({"hint": {"text": hint}} if hint else {})}}),
        error_messages={"required": required_message,
                        "max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


class CloseForm(forms.Form):
    reasons = _text("Reasons for closing the case", required_message="Enter the reasons for closing the case",
                    rows=4)


class TransferForm(forms.Form):
    receiving_council = forms.CharField(
        label="Council the case is transferred to", max_length=200,
        error_messages={"required": "Enter the council the case is transferred to",
                        "max_length": "Council must be 200 characters or fewer"})
    receiving_contact = forms.CharField(
        label="Who at that council receives it", max_length=254,
        help_text="Their name and secure email address, or their team.",
        error_messages={"required": "Enter who the case is sent to at the receiving council",
                        "max_length": "Contact must be 254 characters or fewer"})
    moved_on = govuk_date_field("Date the person moved", required=False,
                                help_text="If known. For example, 27 3 2026")
    reasons = _text("Reasons for the transfer", required_message="Enter the reasons for the transfer", rows=4)


# Shared pieces -----------------------------------------------------------------


def _case(request, pk, action):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("No such case")
    check(request, action, case)
    return case


def _posted(request):
    return request.POST if request.method == "POST" else None




def _context(request, case, *, section="case-reviews", crumb=True, **extra):
    """What the case layout (channel/case_base.html) needs, for a page in
    `section`; `crumb` adds the section to the breadcrumbs (for its forms)."""
    href = reverse(f"channel:{section}", kwargs={"pk": case.pk})
    text = "Reviews and exit" if section == "case-reviews" else "Transfer"
    return {"case": case, "case_section": href,
            **({"case_breadcrumb_text": text, "case_breadcrumb_href": href} if crumb else {}), **extra}


def _assessments_href(case, user):
    if not can(user, Action.CASE_CHRONOLOGY, case):
        return ""
    try:
        return reverse("channel:case-assessments", kwargs={"pk": case.pk})
    except NoReverseMatch:
        return ""


# Reviews page ------------------------------------------------------------------


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="reviews")
def case_reviews(request, pk):
    case = _case(request, pk, Action.CASE_CHRONOLOGY)
    user = request.user
    today = timezone.localdate()
    reviews = review_services.reviews_for_case(case=case, today=today)
    assessed = {}
    linked = Assessment.objects.filter(case=case, review__isnull=False).only("review_id", "assessed_on")
    for assessment in linked:
        assessed.setdefault(assessment.review_id, []).append(assessment)
    manage = can(user, Action.CASE_MANAGE, case)
    panel = [r for r in reviews if r.kind == ReviewKind.PANEL_REVIEW]
    post_exit = [r for r in reviews if r.kind == ReviewKind.POST_EXIT]
    for review in reviews:
        review.assessments_at = assessed.get(review.pk, [])
    audit_view(case, section="reviews")
    return render(request, "channel/reviews/reviews.html", _context(
        request, case,
        panel_reviews=panel,
        post_exit_reviews=post_exit,
        after_exit=review_services.referrals_after_exit(case=case),
        referral_href=can(user, Action.REFERRAL_VIEW),
        panel_decides=case.status in review_services.REVIEWABLE_STATUSES or case.status == CaseStatus.EXITED,
        close_href=(reverse("channel:case-close-after-exit", kwargs={"pk": case.pk})
                    if manage and case.status == CaseStatus.EXITED
                    and review_services.post_exit_reviews_done(case) else ""),
        assessments_href=_assessments_href(case, user),
        reassessment=case.status == CaseStatus.CONSENT_REFUSED,
        crumb=False,
    ))


def _form_page(request, case, *, form, template, title, **extra):
    return render(request, template, _context(request, case, form=form, title=title, **extra))


@requires(Action.CASE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="close after exit form")
def case_close_after_exit(request, pk):
    case = _case(request, pk, Action.CASE_MANAGE)
    form = CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review_services.case_close_after_exit(case=case, reasons=form.cleaned_data["reasons"],
                                                  acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} closed.")
            return redirect("channel:case-reviews", pk=case.pk)
    if request.method == "GET":
        audit_view(case, section="close after exit")
    return _form_page(request, case, form=form, template="channel/reviews/close_form.html",
                      title="Close the case",
                      allowed=(case.status == CaseStatus.EXITED
                               and review_services.post_exit_reviews_done(case)))


# Transfer ----------------------------------------------------------------------


@requires(Action.CASE_TRANSFER)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="transfer form")
def case_transfer(request, pk):
    case = _case(request, pk, Action.CASE_TRANSFER)
    transfer = transfer_services.transfer_for(case)
    form = TransferForm(_posted(request))
    if request.method == "POST" and transfer is None and form.is_valid():
        try:
            transfer_services.case_transfer(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Transfer recorded and case {case.reference} closed. Download the "
                                      "bundle and send it securely to the receiving council.")
            return redirect("channel:case-transfer", pk=case.pk)
    if request.method == "GET":
        audit_view(case, section="transfer")
    rows = []
    if transfer is not None:
        rows = [
            ("Transferred to", transfer.receiving_council),
            ("Sent to", transfer.receiving_contact),
            ("Date the person moved", govuk_date(transfer.moved_on, empty="Not known")),
            ("Reasons", transfer.reasons),
            ("Recorded", f"{govuk_datetime(transfer.sent_at)} by {transfer.sent_by.full_name}"),
        ]
    return render(request, "channel/transfer/transfer.html", _context(
        request, case, section="case-transfer", crumb=False, transfer=transfer, form=form,
        transfer_rows=[{"key": {"text": key}, "value": {"text": value}} for key, value in rows],
        can_transfer=transfer is None and case.status in OPEN_STATUSES,
        json_href=reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": "json"}),
        html_href=reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": "html"}),
    ))


@requires(Action.CASE_TRANSFER)
@require_GET
@shows("channel.channelcase", part="transfer bundle")
def transfer_bundle(request, pk, format):
    case = _case(request, pk, Action.CASE_TRANSFER)
    if format not in ("json", "html"):
        raise Http404("No such format")
    bundle = transfer_services.transfer_bundle(case=case)
    audit_read(action=AuditAction.DOWNLOAD, obj=case,
               details={"bundle": "case transfer", "format": format, "preview": bundle["transfer"] is None})
    if format == "json":
        response = HttpResponse(json.dumps(bundle, indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-transfer.json"'
        return response
    return render(request, "channel/transfer/bundle.html", {
        "case": case, "sections": transfer_services.bundle_sections(bundle),
        "produced_at": govuk_datetime(timezone.now()),
    })


urlpatterns = [
    path("<int:pk>/reviews/", case_reviews, name="case-reviews"),
    path("<int:pk>/close-after-exit/", case_close_after_exit, name="case-close-after-exit"),
    path("<int:pk>/transfer/", case_transfer, name="case-transfer"),
    path("<int:pk>/transfer/bundle.<str:format>", transfer_bundle, name="case-transfer-bundle"),
]
