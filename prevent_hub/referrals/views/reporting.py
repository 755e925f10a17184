"""Recording a referral's reporting details: the sector, type of concern,
gender, ethnicity, age and mental health or neurodiversity that the national
Prevent statistics count it by. A named coordinator records them; the
service checks every code against the categories of the referral's year and
audits the names of the fields that changed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows

from ..reporting import referral_reporting_details_set
from ..reporting_forms import ReportingDetailsForm
from .triage import _add_errors, _referral_href, _step_page_context, _triage_referral


@requires(Action.REFERRAL_REPORTING_DETAILS)
@require_http_methods(["GET", "POST"])
@shows("referrals.referral", part="reporting details form", kwarg="reference", lookup="reference")
def reporting_details(request, reference):
    referral = _triage_referral(request, reference, Action.REFERRAL_REPORTING_DETAILS)
    if request.method == "POST":
        form = ReportingDetailsForm(request.POST, referral=referral)
        if form.is_valid():
            details = form.details()
            before = {field: getattr(referral, field) for field in details}
            try:
                saved = referral_reporting_details_set(referral=referral, details=details,
                                                       acting_user=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                # A second click, or saving without changing anything, changes nothing.
                if any(getattr(saved, field) != value for field, value in before.items()):
                    messages.success(request, f"Reporting details saved for {referral.reference}")
                else:
                    messages.info(request, f"The reporting details of {referral.reference} were not changed")
                return redirect(f"{_referral_href(referral)}#reporting-details")
    else:
        form = ReportingDetailsForm(referral=referral)
    return render(request, "referrals/reporting_details.html",
                  _step_page_context(referral, form, "Reporting details"))
