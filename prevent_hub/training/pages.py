"""What the learner, own-record and course pages share: breadcrumbs, reading
uploads through the size limit, the guard against a page sent twice, and
giving back a completion's evidence."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from prevent_hub.access import Action, can
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.core.uploads import SizeLimitUploadHandler, protected_file_response

from .learner_forms import OnceForm

# The hidden `once` tokens of the forms this browser sent (the latest few),
# each with where its page went: a page sent twice adds once.
ONCE_SESSION_KEY = "training:once"
ONCE_KEPT = 50


def crumbs(request, *trail) -> dict:
    """Home › Training › `trail` ((text, href) pairs). "Training" leads to
    the training pages for those who may see them, otherwise to the user's
    own record (the only training page they have)."""
    items = [{"text": "Home", "href": reverse("staff:home")}]
    if can(request.user, Action.TRAINING_VIEW):
        items.append({"text": "Training", "href": reverse("training:home")})
    else:
        items.append({"text": "Training", "href": reverse("training:own")})
    items.extend({"text": text, "href": href} for text, href in trail if href != items[-1]["href"])
    return {"items": items, "classes": "govuk-!-display-none-print"}


def reads_uploads(view):
    """A page taking a file: the file is read through the size limit
    (core.uploads.SizeLimitUploadHandler), which has to be in place before
    anything reads the request body, as CSRF checking does; so CSRF is checked
    after it (Django's documented pattern, as the referral form does)."""
    protected = csrf_protect(view)

    @wraps(view)
    def with_limit(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    return csrf_exempt(with_limit)


def posted(request, *, files=False):
    """What a form is bound to: the POST (even an empty one: still a
    submission, to be checked), else None."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def sent_before(request, form) -> str:
    """Where the page went the first time, if this form was sent already
    from this browser; else ""."""
    if request.method != "POST" or not isinstance(form, OnceForm) or not form.is_valid():
        return ""
    token = form.cleaned_data["once"]
    return dict(request.session.get(ONCE_SESSION_KEY, [])).get(token, "") if token else ""


def remember_sent(request, form, went_to: str):
    token = form.cleaned_data.get("once") if isinstance(form, OnceForm) else ""
    if token:
        request.session[ONCE_SESSION_KEY] = [
            *request.session.get(ONCE_SESSION_KEY, []), [token, went_to]][-ONCE_KEPT:]


def already_saved(request, went_to: str):
    messages.info(request, "That was saved already, so it has not been added again.")
    return redirect(went_to)


def evidence_download(completion, *, audited_as):
    """A completion's evidence as a download, its download event recorded
    on `audited_as` (the learner, or the completion) with which completion
    and the file's type; 404 when there is none."""
    if completion is None or not completion.evidence:
        raise Http404("No such evidence")
    response = protected_file_response(completion.evidence, original_name=completion.evidence_name,
                                       content_type=completion.evidence_content_type)
    audit_read(action=AuditAction.DOWNLOAD, obj=audited_as,
               details={"completion": completion.pk, "content_type": completion.evidence_content_type})
    return response
