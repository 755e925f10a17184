"""Every signed-in user's own training record: what they have completed,
whether they are in date, and recording a course they have completed (their
learner record is made from their account the first time). Only their own
record is ever read here, whatever roles they have."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.services import audit_view
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal

from . import learner_forms as forms
from . import learner_selectors, selectors
from .learner_views import completion_done, completion_submitted, lead_flag, standing
from .pages import already_saved, crumbs, evidence_download, posted, reads_uploads, remember_sent, sent_before

OWN = ("Your training", "")


@requires(Action.TRAINING_OWN_RECORD)
@require_GET
# The page has no record in its address: it is the signed-in user's own,
# and the view records the view of it when there is one.
@shows_many("training.learner", part="your own training record")
def own(request):
    today = timezone.localdate()
    learner = selectors.own_learner(user=request.user)
    completions = []
    if learner is not None:
        completions = list(selectors.completions_of(learner))
        audit_view(learner, own=True)
    return render(request, "training/own_record.html", {
        "title": "Your training", "learner": learner, "completions": completions, "today": today,
        "standing": standing(learner, today) if learner else None,
        "flag": lead_flag(learner, today) if learner else "",
        "breadcrumbs": crumbs(request, OWN)})


@requires(Action.TRAINING_OWN_RECORD)
@reads_uploads
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a blank form to record a course you completed: it shows what you type, and the "
                        "courses on offer")
def own_add(request):
    form = forms.CompletionForm(*posted(request, files=True), courses=selectors.courses(offered_only=True))
    went_to = sent_before(request, form)
    if went_to:
        return already_saved(request, went_to)
    completion = completion_submitted(request, form, learner=None)
    if completion is not None:
        href = reverse("training:own")
        remember_sent(request, form, href)
        messages.success(request, completion_done(completion))
        return redirect(href)
    return render(request, "training/own_add.html", {
        "title": "Record a course you have completed", "form": form, "cancel": reverse("training:own"),
        "button": "Record the course", "multipart": True,
        "breadcrumbs": crumbs(request, ("Your training", reverse("training:own")),
                              ("Record a course", ""))})


@requires(Action.TRAINING_OWN_RECORD)
@require_GET
@shows("training.completion", part="evidence of your own completion (download)")
def own_evidence(request, pk):
    completion = learner_selectors.own_completion(user=request.user, pk=pk)
    if completion is None:
        # Someone else's completion is not found here, whoever asks.
        raise Http404("No such completion")
    return evidence_download(completion, audited_as=completion)
