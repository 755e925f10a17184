"""Administration of the Vulnerability Assessment Framework's wording.

Saving changed wording publishes a new version; earlier versions stay, read
only, because assessments written against them keep their wording."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.channel import assessments as vaf
from prevent_hub.core.formatting import govuk_datetime


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Administration", "href": reverse("administration:index")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _vaf_crumb():
    return ("Vulnerability Assessment Framework", reverse("administration:vaf"))


def _published(framework) -> str:
    by = f" by {framework.published_by.full_name}" if framework.published_by_id else ""
    return f"Published {govuk_datetime(framework.published_at)}{by}"


@requires(Action.VAF_FRAMEWORK_MANAGE)
@require_GET
@shows_nothing_personal("the assessment framework's text, no case data")
def vaf_framework(request):
    current = vaf.vaf_framework_current()
    return render(request, "administration/vaf/current.html", {
        "framework": current, "published": _published(current),
        "versions": [{"framework": f, "published": _published(f)} for f in vaf.vaf_frameworks()
                     if f.pk != current.pk],
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.VAF_FRAMEWORK_MANAGE)
@require_GET
@shows_nothing_personal("the assessment framework's text, no case data")
def vaf_framework_version(request, version):
    framework = vaf.vaf_framework_get(version=version)
    if framework is None:
        raise Http404("No such version")
    return render(request, "administration/vaf/version.html", {
        "framework": framework, "published": _published(framework),
        "is_current": framework.version == vaf.vaf_frameworks()[0].version,
        "breadcrumbs": _breadcrumbs(_vaf_crumb()),
    })


def _wording_form(framework, data=None):
    """Fields for every dimension name and factor's wording and guidance, with
    the version they started from."""
    fields = {"version": forms.IntegerField(widget=forms.HiddenInput)}
    initial = {"version": framework.version}
    for dimension in framework.dimensions.all():
        name = f"dimension-{dimension.pk}-name"
        fields[name] = forms.CharField(
            label="Name of the dimension", max_length=200,
            error_messages={"required": f"Enter a name for the dimension ‘{dimension.name}’"})
        initial[name] = dimension.name
        for factor in dimension.factors.all():
            wording, guidance = f"factor-{factor.pk}-wording", f"factor-{factor.pk}-guidance"
            fields[wording] = forms.CharField(
                label="Wording", max_length=300,
                error_messages={"required": f"Enter the wording of the factor ‘{factor.wording}’"})
            fields[guidance] = forms.CharField(
                label="Guidance (optional)", max_length=2000, required=False,
                help_text="Shown under the factor when an assessment is written.",
                widget=forms.Textarea(attrs={"rows": 3}))
            initial[wording], initial[guidance] = factor.wording, factor.guidance
    fields["notes"] = forms.CharField(
        label="What has changed and why", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the new version, so people know what changed.",
        error_messages={"required": "Enter what has changed and why"})
    return type("VafWordingForm", (forms.Form,), fields)(data, initial=initial)


@requires(Action.VAF_FRAMEWORK_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the assessment framework's text, no case data")
def vaf_framework_edit(request):
    current = vaf.vaf_framework_current()
    if request.method == "POST":
        # The form is the version the administrator started from: if another
        # has been published since, the service refuses and what they typed stays.
        started = request.POST.get("version", "")
        if started.isdigit() and int(started) != current.version:
            current = vaf.vaf_framework_get(version=int(started)) or current
    form = _wording_form(current, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {"dimensions": {}, "factors": {}}
        for dimension in current.dimensions.all():
            changes["dimensions"][dimension.pk] = {"name": data[f"dimension-{dimension.pk}-name"]}
            for factor in dimension.factors.all():
                changes["factors"][factor.pk] = {"wording": data[f"factor-{factor.pk}-wording"],
                                                 "guidance": data[f"factor-{factor.pk}-guidance"]}
        try:
            published = vaf.vaf_framework_publish(changes=changes, notes=data["notes"],
                                                  acting_user=request.user, based_on_version=data["version"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, f"Version {published.version} published. New assessments use it. "
                                      "Earlier assessments keep the wording they were written with.")
            return redirect("administration:vaf")
    dimensions = [{
        "dimension": dimension,
        "name": form[f"dimension-{dimension.pk}-name"],
        "factors": [{"factor": factor, "wording": form[f"factor-{factor.pk}-wording"],
                     "guidance": form[f"factor-{factor.pk}-guidance"]}
                    for factor in dimension.factors.all()],
    } for dimension in current.dimensions.all()]
    return render(request, "administration/vaf/edit.html", {
        "framework": current, "form": form, "dimensions": dimensions,
        "breadcrumbs": _breadcrumbs(_vaf_crumb()),
    })
