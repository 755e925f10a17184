"""Training administrators' and organisations' training leads' pages for
learners: the list (search, filters, each learner's standing), adding a
learner, a learner's record with every completion, correcting their
details, recording that they left, recording a completion with its
evidence, downloading the evidence, and removing a completion recorded by
mistake.

A training lead works only on their own organisation's learners: another
organisation's learner is not found (selectors.learner_for reads through
access), and every page also asks `check` with the learner itself. Views
parse, call a service or selector, render; the services hold the rules and
write the audit events."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.uploads import upload_form_is_valid
from prevent_hub.govuk.forms import add_service_errors, form_submitted
from prevent_hub.govuk.pagination import pagination_params
from prevent_hub.retention.selectors import kept_until_text

from . import learner_forms as forms
from . import learner_selectors, selectors, services
from .pages import (
    already_saved,
    crumbs,
    evidence_download,
    posted,
    reads_uploads,
    remember_sent,
    sent_before,
)

LEARNER = "training.learner"
PER_PAGE = 25
STEP = "training/learner_form.html"


def learner_href(learner, name="training:learner", **kwargs) -> str:
    return reverse(name, kwargs={"reference": learner.reference, **kwargs})


def _listing_crumbs(request, *trail):
    return crumbs(request, ("Learners", reverse("training:learners")), *trail)


def _learner_crumbs(request, learner):
    return _listing_crumbs(request, (learner.full_name, learner_href(learner)))


def standing(learner, today) -> dict:
    """A learner's standing as a tag (selectors.standing_of), or that they left."""
    if learner.left_on is not None and learner.left_on <= today:
        return {"text": f"Left {govuk_date(learner.left_on)}", "tag": "govuk-tag--grey", "left": True}
    key = selectors.standing_of(learner, today)
    return {"key": key, "text": selectors.STANDING_LABELS[key], "tag": selectors.STANDING_TAGS[key]}


def lead_flag(learner, today) -> str:
    """What a lead without the referrals course in date is told, or ""."""
    if not selectors.lead_flagged(learner, today):
        return ""
    if learner.referrals_course_until is None:
        return ("A designated safeguarding lead or Prevent lead needs the Prevent referrals course: none is "
                "recorded.")
    return ("A designated safeguarding lead or Prevent lead needs the Prevent referrals course in date: it "
            f"ran out on {govuk_date(learner.referrals_course_until)}.")


def _learner(request, reference, action):
    """The learner, if the user may see them (else 404: a training lead never
    learns that another organisation's learner exists), and may take
    `action` on them (else 403)."""
    learner = selectors.learner_for(user=request.user, reference=reference)
    if learner is None:
        raise Http404("No such learner")
    check(request, action, learner)
    return learner


def _with_learner(action, methods, part, *, uploads=False):
    """A page of one learner: needs `action` (on the learner too), answers
    `methods`, shows `part` of the learner's record. The view is given the
    learner, not its reference."""
    def decorate(view):
        @wraps(view)
        def with_learner(request, reference, **kwargs):
            return view(request, _learner(request, reference, action), **kwargs)

        inner = require_http_methods(methods)(
            shows(LEARNER, part=part, kwarg="reference", lookup="reference")(with_learner))
        return requires(action)(reads_uploads(inner) if uploads else inner)
    return decorate


# The list ---------------------------------------------------------------------------


@requires(Action.TRAINING_VIEW)
@require_GET
@shows_many(LEARNER, part="learners list")
def learners(request):
    today = timezone.localdate()
    organisations = learner_selectors.organisations_for(request.user, Action.TRAINING_VIEW)
    form = forms.LearnerFilterForm.from_request(request, organisations=organisations)
    filters = form.filters()
    found = learner_selectors.learners_listed(user=request.user, today=today, **filters)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"learner": learner, "href": learner_href(learner), "standing": standing(learner, today),
             "flagged": selectors.lead_flagged(learner, today)} for learner in page.object_list]
    if rows:
        audit_read(action=AuditAction.SEARCH, object_type=LEARNER, details={
            "list": "learners", "filters": {name: bool(value) if name == "search" else value
                                           for name, value in filters.items() if value},
            "page": page.number})
    return render(request, "training/learner_list.html", {
        "title": "Learners", "page": page, "rows": rows, "form": form,
        "filtered": form.is_bound, "filters_summary": form.summary(filters),
        "show_organisation": len(organisations) > 1, "due_soon_days": settings.TRAINING_DUE_SOON_DAYS,
        "pagination": pagination_params(request, page),
        "may_add": can(request.user, Action.TRAINING_RECORD),
        "breadcrumbs": crumbs(request, ("Learners", ""))})


# Adding a learner ------------------------------------------------------------------


@requires(Action.TRAINING_RECORD)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a blank form to add a learner: it shows what the user types, and no one's record")
def learner_add(request):
    organisations = learner_selectors.organisations_for(request.user, Action.TRAINING_RECORD,
                                                        active_only=True)
    form = forms.LearnerForm(posted(request), organisations=organisations)
    went_to = sent_before(request, form)
    if went_to:
        return already_saved(request, went_to)
    if not organisations:
        form.add_error(None, "There is no organisation you can add learners to")
    learner = form_submitted(request, form, lambda data: services.learner_create(
        acting_user=request.user, **form.values())) if organisations else None
    if learner:
        href = learner_href(learner)
        remember_sent(request, form, href)
        messages.success(request, f"{learner.full_name} is added ({learner.reference}).")
        return redirect(href)
    return render(request, STEP, {
        "title": "Add a learner", "form": form, "button": "Add the learner",
        "cancel": reverse("training:learners"), "intro": "learner_add",
        "fixed_organisation": form.fixed_organisation,
        "breadcrumbs": _listing_crumbs(request, ("Add a learner", ""))})


# A learner's record ------------------------------------------------------------------


@_with_learner(Action.TRAINING_VIEW, ["GET"], "training record: details, standing and completions")
def learner_page(request, learner):
    today = timezone.localdate()
    may_record = can(request.user, Action.TRAINING_RECORD, learner)
    completions = list(selectors.completions_of(learner))
    return render(request, "training/learner_detail.html", {
        "title": learner.full_name, "learner": learner, "standing": standing(learner, today),
        "flag": lead_flag(learner, today), "completions": completions,
        "may_record": may_record, "today": today,
        "kept_until": kept_until_text(learner.retain_until, learner.retention_policy,
                                      while_open="Set when the record is next changed"),
        "breadcrumbs": _listing_crumbs(request, (learner.full_name, ""))})


def _step(request, learner, *, form, write, done, template=STEP, **page):
    """One change on its own page: a valid POST calls `write(cleaned_data)`
    (a service) and goes back to the learner saying `done(result)`;
    otherwise the page, with any refusal in the error summary and what was
    typed kept."""
    went_to = sent_before(request, form)
    if went_to:
        return already_saved(request, went_to)
    result = form_submitted(request, form, write)
    if result is not None:
        href = learner_href(learner)
        remember_sent(request, form, href)
        messages.success(request, done(result))
        return redirect(href)
    return render(request, template, {
        "learner": learner, "form": form, "cancel": learner_href(learner),
        "breadcrumbs": _learner_crumbs(request, learner), **page})


@_with_learner(Action.TRAINING_RECORD, ["GET", "POST"], "change the learner's details")
def learner_edit(request, learner):
    organisations = learner_selectors.organisations_for(request.user, Action.TRAINING_RECORD,
                                                        active_only=True)
    if learner.organisation not in organisations:
        # An organisation no longer taking part is kept as the learner's own.
        organisations = sorted([*organisations, learner.organisation], key=lambda org: org.name)
    initial = {name: getattr(learner, name) for name in (
        "full_name", "email", "job_role", "is_safeguarding_lead", "is_prevent_lead")}
    form = forms.LearnerForm(posted(request), organisations=organisations,
                             initial={**initial, "organisation": learner.organisation_id})
    return _step(
        request, learner, form=form,
        write=lambda data: services.learner_update(learner=learner, acting_user=request.user,
                                                   **form.values()),
        done=lambda changed: f"{changed.full_name}'s details are saved.",
        title="Change the learner's details", button="Save the details", intro="learner_edit",
        fixed_organisation=form.fixed_organisation)


@_with_learner(Action.TRAINING_RECORD, ["GET", "POST"], "record the day the learner left")
def learner_left(request, learner):
    form = forms.LeftForm(posted(request), initial={"left_on": learner.left_on})
    return _step(
        request, learner, form=form,
        write=lambda data: services.learner_left(learner=learner, left_on=data["left_on"],
                                                 acting_user=request.user),
        done=lambda changed: (f"Recorded: {changed.full_name} left on {govuk_date(changed.left_on)}. They "
                              "are no longer counted in their organisation's compliance."),
        title="Record that they left their organisation", button="Save the date", intro="learner_left")


# Completions ---------------------------------------------------------------------------


def completion_write(request, form, *, learner):
    """Record the completion the form holds (learner None: the user's own)."""
    data = form.cleaned_data
    return services.completion_record(
        learner=learner, course=data["course"], completed_on=data["completed_on"],
        certificate_reference=data["certificate_reference"], evidence=data.get("evidence") or None,
        acting_user=request.user)


def completion_submitted(request, form, *, learner):
    """For a valid POST (the file within the size limit), the completion
    recorded; otherwise None, with the refusal on the form."""
    if request.method != "POST" or not upload_form_is_valid(request, form, "evidence"):
        return None
    try:
        return completion_write(request, form, learner=learner)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def completion_done(completion) -> str:
    return (f"{completion.course.name} completed on {govuk_date(completion.completed_on)} is recorded. "
            f"Refresh due by {govuk_date(completion.expires_on)}.")


@_with_learner(Action.TRAINING_RECORD, ["GET", "POST"], "record a completion", uploads=True)
def completion_add(request, learner):
    form = forms.CompletionForm(*posted(request, files=True), courses=selectors.courses(offered_only=True))
    went_to = sent_before(request, form)
    if went_to:
        return already_saved(request, went_to)
    completion = completion_submitted(request, form, learner=learner)
    if completion is not None:
        href = learner_href(learner)
        remember_sent(request, form, href)
        messages.success(request, completion_done(completion))
        return redirect(href)
    return render(request, STEP, {
        "learner": learner, "form": form, "cancel": learner_href(learner), "multipart": True,
        "title": "Record a completed course", "button": "Record the course", "intro": "completion",
        "breadcrumbs": _learner_crumbs(request, learner)})


@_with_learner(Action.TRAINING_VIEW, ["GET"], "evidence of a completion (download)")
def completion_evidence(request, learner, pk):
    return evidence_download(learner_selectors.completion_of(learner, pk), audited_as=learner)


@_with_learner(Action.TRAINING_RECORD, ["GET", "POST"], "remove a completion recorded by mistake")
def completion_remove(request, learner, pk):
    completion = learner_selectors.completion_of(learner, pk)
    if completion is None:
        if request.method == "POST":
            # Sent twice: the first removed it.
            messages.info(request, "That completion is no longer recorded.")
            return redirect(learner_href(learner))
        raise Http404("No such completion")
    form = forms.RemoveCompletionForm(posted(request))
    described = f"{completion.course.name} completed on {govuk_date(completion.completed_on)}"
    return _step(
        request, learner, form=form,
        write=lambda data: services.completion_remove(completion=completion, reason=data["reason"],
                                                      acting_user=request.user) or True,
        done=lambda _: f"Removed: {described}.",
        title=f"Remove {described}?", button="Remove the completion", button_classes="govuk-button--warning",
        cancel_text="No, go back to the learner", intro="remove", completion=completion)
