"""Vulnerability Assessment Framework assessments and their comparison.

Entry is one page per dimension for its factors, then one for the
dimension's judgement, then a check page where the assessment is completed.
Each page saves what was typed, so a draft keeps it.

Reading (the list, one assessment, the comparison) follows the rule for
reading a case's record (CASE_CHRONOLOGY), so a panel member invited to
discuss a case at a meeting can read its assessments for as long as they may
read the case; writing needs VAF_ASSESS, which only the case team has.
Intervention providers never see assessments (they have neither)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import GovukDateField, add_service_errors

from .. import assessments as vaf
from .. import selectors
from ..models import AssessmentKind, Review

# Shared pieces -------------------------------------------------------------------------


def _case(request, pk, action=Action.VAF_ASSESS):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("No such case")
    check(request, action, case)
    return case


def _assessment(case, assessment_id):
    assessment = vaf.assessment_get(case=case, pk=assessment_id)
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def _url_or_blank(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _breadcrumbs(case, *trail, at_list=False):
    items = [
        {"text": "Home", "href": reverse("staff:home")},
        {"text": "Channel cases", "href": reverse("channel:case-list")},
        {"text": case.reference, "href": reverse("channel:case-detail", kwargs={"pk": case.pk})},
    ]
    if not at_list:
        items.append({"text": "Assessments",
                      "href": reverse("channel:case-assessments", kwargs={"pk": case.pk})})
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _render(request, template, context):
    """Render an assessment page in the case layout, with Assessments marked in its navigation."""
    context["case_section"] = reverse("channel:case-assessments", kwargs={"pk": context["case"].pk})
    return render(request, template, context)


def _title(assessment) -> str:
    return f"Assessment {assessment.get_kind_display().lower()}, {govuk_date(assessment.assessed_on)}"




def _author_line(judgement) -> str:
    author = judgement.author
    organisation = author.organisation.name if author.organisation_id else ""
    who = f"{author.full_name}, {organisation}" if organisation else author.full_name
    return f"Written by {who} on {govuk_datetime(judgement.written_at)}"


def _dimensions(assessment):
    return list(assessment.framework.dimensions.all())


def _dimension(assessment, key):
    for dimension in _dimensions(assessment):
        if dimension.key == key:
            return dimension
    raise Http404("No such dimension")


def _steps(assessment):
    """The entry pages in order: (url, label)."""
    steps = []
    for dimension in _dimensions(assessment):
        kwargs = {"pk": assessment.case_id, "assessment_id": assessment.pk, "dimension": dimension.key}
        steps.append(reverse("channel:assessment-edit-factors", kwargs=kwargs))
        steps.append(reverse("channel:assessment-edit-judgement", kwargs=kwargs))
    steps.append(reverse("channel:assessment-check",
                         kwargs={"pk": assessment.case_id, "assessment_id": assessment.pk}))
    return steps


def _next_step(request, assessment, current_url):
    if "later" in request.POST:
        messages.success(request, "Your changes have been saved. You can come back to this assessment.")
        return redirect("channel:assessment-detail", pk=assessment.case_id, assessment_id=assessment.pk)
    steps = _steps(assessment)
    return redirect(steps[steps.index(current_url) + 1])


def _read_only(request, assessment):
    messages.info(request, vaf.COMPLETED_READ_ONLY + ".")
    return redirect("channel:assessment-detail", pk=assessment.case_id, assessment_id=assessment.pk)


def _entry_context(case, assessment):
    """What the detail and check pages show: every dimension, factor and judgement."""
    dimensions = []
    for view in vaf.assessment_structure(assessment):
        kwargs = {"pk": case.pk, "assessment_id": assessment.pk, "dimension": view.dimension.key}
        dimensions.append({
            "dimension": view.dimension,
            "factors": view.factors,
            "judgement": view.judgement,
            "author_line": _author_line(view.judgement) if view.judgement else "",
            "factors_href": reverse("channel:assessment-edit-factors", kwargs=kwargs),
            "judgement_href": reverse("channel:assessment-edit-judgement", kwargs=kwargs),
        })
    return dimensions


# The list of a case's assessments -----------------------------------------------------


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="assessments")
def case_assessments(request, pk):
    case = _case(request, pk, Action.CASE_CHRONOLOGY)
    assessments = vaf.assessments_for_case(case=case)
    audit_read(action=AuditAction.SEARCH, object_type="channel.assessment",
               details={"list": "case assessments", "case": case.reference})
    completed = [a for a in assessments if a.completed_at]
    rows = [{
        "assessment": a,
        "href": reverse("channel:assessment-detail", kwargs={"pk": case.pk, "assessment_id": a.pk}),
        "kind": a.get_kind_display(),
        "assessed_on": govuk_date(a.assessed_on),
        "status": "Completed" if a.completed_at else "Draft",
        "started_by": a.created_by.full_name,
    } for a in reversed(assessments)]
    return _render(request, "channel/assessments/list.html", {
        "case": case, "rows": rows, "can_compare": len(completed) >= 2,
        "may_write": can(request.user, Action.VAF_ASSESS, case),
        "breadcrumbs": _breadcrumbs(case, at_list=True),
    })


# Starting one ----------------------------------------------------------------------------


class AssessmentStartForm(forms.Form):
    kind = forms.ChoiceField(
        label="When is this assessment being made?", choices=AssessmentKind.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select when this assessment is being made"},
    )
    assessed_on = GovukDateField(
        label="Date of the assessment", help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the assessment",
                        "incomplete": "Date of the assessment must include a %(missing)s",
                        "invalid": "Date of the assessment must be a real date"},
    )
    review = forms.ModelChoiceField(
        label="Which review is it for? (optional)", queryset=Review.objects.none(), required=False,
        empty_label="Not linked to a review",
        help_text="Only for an assessment at a review.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.filter(case=case).order_by("due_date", "pk")
        self.fields["review"].label_from_instance = (
            lambda r: f"{r.get_kind_display()} due {govuk_date(r.due_date)}")


@requires(Action.VAF_ASSESS)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="new assessment form")
def assessment_new(request, pk):
    case = _case(request, pk)
    # Reviews can link here with ?kind=review&review=<id> to start the review's assessment.
    initial = {"kind": request.GET.get("kind", ""), "review": request.GET.get("review") or None}
    form = AssessmentStartForm(request.POST if request.method == "POST" else None, case=case,
                               initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = vaf.assessment_start(
                case=case, kind=form.cleaned_data["kind"], assessed_on=form.cleaned_data["assessed_on"],
                review=form.cleaned_data["review"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            first = vaf.assessment_get(case=case, pk=assessment.pk)
            return redirect(_steps(first)[0])
    audit_view(case, screen="start assessment")
    return _render(request, "channel/assessments/new.html", {
        "case": case, "form": form, "breadcrumbs": _breadcrumbs(case),
    })


# One assessment ---------------------------------------------------------------------------


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="assessment")
def assessment_detail(request, pk, assessment_id):
    case = _case(request, pk, Action.CASE_CHRONOLOGY)
    assessment = _assessment(case, assessment_id)
    audit_view(assessment, case=case.reference)
    may_write = can(request.user, Action.VAF_ASSESS, case)
    return _render(request, "channel/assessments/detail.html", {
        "case": case, "assessment": assessment, "title": _title(assessment),
        "dimensions": _entry_context(case, assessment),
        "may_write": may_write, "editable": may_write and not assessment.completed_at,
        "started": govuk_datetime(assessment.created_at),
        "completed": govuk_datetime(assessment.completed_at),
        "notes_href": _url_or_blank("channel:case-notes", pk=case.pk),
        "review_line": (f"{assessment.review.get_kind_display()} due {govuk_date(assessment.review.due_date)}"
                        if assessment.review_id else ""),
        "breadcrumbs": _breadcrumbs(case),
    })


def _factor_form_class(dimension):
    """A form with evidence, source and "not known" for each factor of `dimension`."""
    fields = {}
    for factor in dimension.factors.all():
        fields[f"factor-{factor.pk}-evidence"] = forms.CharField(
            label="Evidence", required=False, max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}))
        fields[f"factor-{factor.pk}-source"] = forms.CharField(
            label="Source of the information", required=False, max_length=300,
            help_text="Who or what the information came from.")
        fields[f"factor-{factor.pk}-not_known"] = forms.BooleanField(
            label="Not known", required=False,
            help_text="Tick if nothing is known about this factor. Leave the evidence and source empty.")
    return type("FactorForm", (forms.Form,), fields)


@requires(Action.VAF_ASSESS)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="assessment factors form")
def assessment_edit_factors(request, pk, assessment_id, dimension):
    case = _case(request, pk)
    assessment = _assessment(case, assessment_id)
    if assessment.completed_at:
        return _read_only(request, assessment)
    dimension = _dimension(assessment, dimension)
    form_class = _factor_form_class(dimension)
    entries = {e.factor_id: e for e in assessment.factors.all()}
    initial = {}
    for factor in dimension.factors.all():
        entry = entries.get(factor.pk)
        if entry:
            initial[f"factor-{factor.pk}-evidence"] = entry.evidence
            initial[f"factor-{factor.pk}-source"] = entry.source
            initial[f"factor-{factor.pk}-not_known"] = entry.not_known
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        typed = {
            factor.pk: {name: form.cleaned_data[f"factor-{factor.pk}-{name}"]
                        for name in ("evidence", "source", "not_known")}
            for factor in dimension.factors.all()
        }
        try:
            vaf.assessment_factors_save(assessment=assessment, dimension=dimension, entries=typed,
                                        acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _next_step(request, assessment, request.path)
    audit_view(assessment, case=case.reference, screen=f"factors: {dimension.key}")
    factors = [{
        "factor": factor,
        "evidence": form[f"factor-{factor.pk}-evidence"],
        "source": form[f"factor-{factor.pk}-source"],
        "not_known": form[f"factor-{factor.pk}-not_known"],
    } for factor in dimension.factors.all()]
    return _render(request, "channel/assessments/factors.html", {
        "case": case, "assessment": assessment, "title": _title(assessment), "dimension": dimension,
        "form": form, "factors": factors, "breadcrumbs": _breadcrumbs(case, (
            _title(assessment), reverse("channel:assessment-detail",
                                        kwargs={"pk": case.pk, "assessment_id": assessment.pk}))),
    })


class JudgementForm(forms.Form):
    judgement = forms.CharField(
        required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Say in words what the evidence shows about this dimension. "
                  "You will be named as its author. You can leave it empty for now and come back.",
    )


@requires(Action.VAF_ASSESS)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="assessment judgement form")
def assessment_edit_judgement(request, pk, assessment_id, dimension):
    case = _case(request, pk)
    assessment = _assessment(case, assessment_id)
    if assessment.completed_at:
        return _read_only(request, assessment)
    dimension = _dimension(assessment, dimension)
    existing = next((j for j in assessment.judgements.all() if j.dimension_id == dimension.pk), None)
    form = JudgementForm(request.POST if request.method == "POST" else None,
                         initial={"judgement": existing.judgement if existing else ""})
    form.fields["judgement"].label = f"Your judgement on ‘{dimension.name}’"
    form.fields["judgement"].widget.attrs["govuk"] = {"label": {"classes": "govuk-label--m"}}
    if request.method == "POST" and form.is_valid():
        try:
            vaf.assessment_judgement_save(assessment=assessment, dimension=dimension,
                                          judgement=form.cleaned_data["judgement"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _next_step(request, assessment, request.path)
    audit_view(assessment, case=case.reference, screen=f"judgement: {dimension.key}")
    return _render(request, "channel/assessments/judgement.html", {
        "case": case, "assessment": assessment, "title": _title(assessment), "dimension": dimension,
        "form": form, "author_line": _author_line(existing) if existing else "",
        "breadcrumbs": _breadcrumbs(case, (
            _title(assessment), reverse("channel:assessment-detail",
                                        kwargs={"pk": case.pk, "assessment_id": assessment.pk}))),
    })


@requires(Action.VAF_ASSESS)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="assessment check answers")
def assessment_check(request, pk, assessment_id):
    case = _case(request, pk)
    assessment = _assessment(case, assessment_id)
    if assessment.completed_at:
        return _read_only(request, assessment)
    errors = []
    if request.method == "POST":
        try:
            vaf.assessment_complete(assessment=assessment, acting_user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, "Assessment completed. It can no longer be changed.")
            return redirect("channel:assessment-detail", pk=case.pk, assessment_id=assessment.pk)
    audit_view(assessment, case=case.reference, screen="check")
    missing = vaf.assessment_missing(assessment)
    error_summary = None
    if errors:
        error_summary = {"titleText": "There is a problem",
                         "errorList": [{"text": text} for text in errors]}
    return _render(request, "channel/assessments/check.html", {
        "case": case, "assessment": assessment, "title": _title(assessment),
        "dimensions": _entry_context(case, assessment), "missing": missing,
        "error_summary": error_summary,
        "breadcrumbs": _breadcrumbs(case, (
            _title(assessment), reverse("channel:assessment-detail",
                                        kwargs={"pk": case.pk, "assessment_id": assessment.pk}))),
    })


# Side by side ---------------------------------------------------------------------------


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label="Earlier assessment", coerce=int)
    b = forms.TypedChoiceField(label="Later assessment", coerce=int)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            self.add_error("b", "Select two different assessments")
        return data


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="assessments compared")
def assessment_compare(request, pk):
    case = _case(request, pk, Action.CASE_CHRONOLOGY)
    listed = vaf.assessments_for_case(case=case)
    choices = [(a.pk, f"{a.get_kind_display()}, {govuk_date(a.assessed_on)}"
                      f"{'' if a.completed_at else ' (draft)'}") for a in listed]
    completed = [a.pk for a in listed if a.completed_at]
    default = {"a": completed[-2], "b": completed[-1]} if len(completed) >= 2 else {}
    wanted = request.GET if ("a" in request.GET or "b" in request.GET) else default
    form = CompareForm(wanted or None, choices=choices)
    compared, pair = [], None
    if form.is_bound and form.is_valid():
        found = vaf.assessments_get(case=case, pks=[form.cleaned_data["a"], form.cleaned_data["b"]])
        a, b = found[form.cleaned_data["a"]], found[form.cleaned_data["b"]]
        if (a.assessed_on, a.pk) > (b.assessed_on, b.pk):
            a, b = b, a
        pair = {
            "a": a, "b": b,
            "a_label": f"{a.get_kind_display()}, {govuk_date(a.assessed_on)}",
            "b_label": f"{b.get_kind_display()}, {govuk_date(b.assessed_on)}",
        }
        compared = vaf.assessment_compare(a, b)
        for dimension in compared:
            dimension.judgement_cells = [
                (judgement, _author_line(judgement) if judgement else "")
                for judgement in (dimension.judgement_a, dimension.judgement_b)
            ]
        audit_read(action=AuditAction.VIEW, object_type="channel.assessment", object_id=a.pk,
                   details={"case": case.reference, "compared_with": b.pk})
    else:
        audit_view(case, screen="compare assessments")
    return _render(request, "channel/assessments/compare.html", {
        "case": case, "form": form, "pair": pair, "compared": compared,
        "enough": len(listed) >= 2, "breadcrumbs": _breadcrumbs(case),
    })


urlpatterns = [
    path("<int:pk>/assessments/", case_assessments, name="case-assessments"),
    path("<int:pk>/assessments/new/", assessment_new, name="assessment-new"),
    path("<int:pk>/assessments/compare/", assessment_compare, name="assessment-compare"),
    path("<int:pk>/assessments/<int:assessment_id>/", assessment_detail, name="assessment-detail"),
    path("<int:pk>/assessments/<int:assessment_id>/<slug:dimension>/factors/", assessment_edit_factors,
         name="assessment-edit-factors"),
    path("<int:pk>/assessments/<int:assessment_id>/<slug:dimension>/judgement/", assessment_edit_judgement,
         name="assessment-edit-judgement"),
    path("<int:pk>/assessments/<int:assessment_id>/check/", assessment_check, name="assessment-check"),
]
