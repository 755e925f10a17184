"""Consent to Channel support: asking, answers, withdrawal.

Consent details are for the Prevent team and the panel (CASE_CHRONOLOGY):
an intervention provider sees only "consent given: yes or no", on the
support page. Recording anything needs CONSENT_RECORD.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.access.policy import ROLE_MATRIX
from prevent_hub.accounts.models import User
from prevent_hub.audit.services import audit_view
from prevent_hub.audit.shows import shows
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import GovukDateField

from .. import consent as rules
from .. import selectors
from ..models import CaseStatus, Consent, ConsentAnswer, ConsentGiver, ConsentMethod

NOT_ANSWERED = "not_answered"


# Shared pieces (the support views use them too) -------------------------------------


def case_for(request, pk, action):
    """The case if the user may see it (else 404) and take `action` on it (else audited 403)."""
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("No such case")
    check(request, action, case)
    return case


def add_errors(form, error: ValidationError):
    """A service's ValidationError onto the form: on its field if the form has
    one, otherwise in the error summary."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def date_field(label, *, required=True, help_text="For example, 27 3 2026", what=None):
    what = what or label
    return GovukDateField(
        label=label, required=required, help_text=help_text,
        error_messages={
            "required": f"Enter {what[:1].lower()}{what[1:]}",
            "incomplete": f"{what} must include a %(missing)s",
            "invalid": f"{what} must be a real date",
            "invalid_year": f"{what} year must include 4 numbers",
        },
    )


def text_area(label, *, max_length, required=False, help_text="", rows=4):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label.removesuffix(' (optional)')} must be {max_length} "
                                      "characters or fewer"},
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation.name})"


def case_workers():
    """Who may work on a case: the active users whose roles may see cases."""
    return (User.objects.filter(is_active=True, role_assignments__role__in=ROLE_MATRIX[Action.CASE_VIEW])
            .select_related("organisation").distinct().order_by("full_name", "pk"))


# Forms -------------------------------------------------------------------------------


def _reassessment_field():
    return date_field("If refused, when will the panel re-assess the case?", required=False,
                      what="The re-assessment date",
                      help_text="Required if consent was refused. For example, 27 3 2027")


class ConsentRequestForm(forms.Form):
    giver = forms.ChoiceField(
        label="Who was asked for consent?", choices=ConsentGiver.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "hint": {"text": "The law decides this from the person's age on the day they were asked. "
                             "A child cannot consent to Channel support themselves."},
        }}),
        error_messages={"required": "Select who was asked for consent",
                        "invalid_choice": "Select who was asked for consent"},
    )
    giver_name = forms.CharField(
        label="If a parent or guardian, their full name", max_length=150, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={"max_length": "The name must be 150 characters or fewer"},
    )
    giver_relationship = forms.CharField(
        label="If a parent or guardian, their relationship to the person", max_length=100, required=False,
        help_text="For example, mother, father or special guardian",
        widget=forms.TextInput(attrs={"govuk": {"classes": "govuk-!-width-one-half"}}),
        error_messages={"max_length": "The relationship must be 100 characters or fewer"},
    )
    confirmed_age_group = forms.ChoiceField(
        label="The person's date of birth is not known. Which age group are they in?",
        choices=rules.AgeGroup.choices, required=False,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "hint": {"text": "Only select this once it has been confirmed. Do not guess."},
        }}),
        error_messages={"invalid_choice": "Select whether the person is 18 or over or under 18"},
    )
    age_confirmed_by = forms.CharField(
        label="Confirmed by", max_length=200, required=False,
        help_text="Who or what confirmed their age, for example their school or a passport seen by the "
                  "coordinator",
        widget=forms.TextInput(attrs={"govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={"max_length": "Confirmed by must be 200 characters or fewer"},
    )
    asked_by = UserChoiceField(
        label="Who asked for consent?", queryset=User.objects.none(), empty_label="Select a person",
        error_messages={"required": "Select who asked for consent",
                        "invalid_choice": "Select who asked for consent"},
    )
    method = forms.ChoiceField(
        label="How was consent asked for?", choices=ConsentMethod.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select how consent was asked for",
                        "invalid_choice": "Select how consent was asked for"},
    )
    asked_on = date_field("Date consent was asked for", what="The date consent was asked for")
    answer = forms.ChoiceField(
        label="What was the answer?",
        choices=[(ConsentAnswer.GIVEN.value, "Consent given"),
                 (ConsentAnswer.REFUSED.value, "Consent refused"), (NOT_ANSWERED, "Not answered yet")],
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
            "hint": {"text": "If there is no answer yet, you can record it later."},
        }}),
        error_messages={"required": "Select the answer, or ‘Not answered yet’",
                        "invalid_choice": "Select the answer, or ‘Not answered yet’"},
    )
    answered_on = date_field("If answered, the date of the answer", required=False,
                             what="The date of the answer")
    reassessment_date = _reassessment_field()
    capacity_notes = text_area(
        "Notes on capacity (optional)", max_length=2000,
        help_text="For a person 18 or over (and a person aged 16 or 17 where it matters): how their "
                  "capacity to consent was considered under the Mental Capacity Act 2005.")
    child_views = text_area(
        "The child's own views (optional)", max_length=2000,
        help_text="For a person under 18: what they said about the support, in their words if you can.")
    notes = text_area("Notes (optional)", max_length=1500)

    def __init__(self, *args, date_of_birth_known: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_by"].queryset = case_workers()
        if date_of_birth_known:
            del self.fields["confirmed_age_group"]
            del self.fields["age_confirmed_by"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == NOT_ANSWERED:
            cleaned["answer"] = ""
        # The service checks these too; here they come with the form's other errors.
        if "confirmed_age_group" in self.fields:
            if not cleaned.get("confirmed_age_group") and not self.has_error("confirmed_age_group"):
                self.add_error("confirmed_age_group", "The person's date of birth is not known. Select "
                                                      "whether they are 18 or over or under 18")
            if not cleaned.get("age_confirmed_by") and not self.has_error("age_confirmed_by"):
                self.add_error("age_confirmed_by", "Enter who or what confirmed the person's age")
        if cleaned.get("giver") == ConsentGiver.PARENT_OR_GUARDIAN:
            if not cleaned.get("giver_name") and not self.has_error("giver_name"):
                self.add_error("giver_name", "Enter the name of the parent or guardian who was asked")
            if not cleaned.get("giver_relationship") and not self.has_error("giver_relationship"):
                self.add_error("giver_relationship",
                               "Enter their relationship to the person, for example mother")
        return cleaned


class ConsentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="What was the answer?", choices=ConsentAnswer.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select the answer", "invalid_choice": "Select the answer"},
    )
    answered_on = date_field("Date of the answer", what="The date of the answer")
    reassessment_date = _reassessment_field()


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field("Date consent was withdrawn", what="The date consent was withdrawn")
    reassessment_date = date_field(
        "When will the panel re-assess the case?", what="The re-assessment date",
        help_text="Withdrawing consent stops support. For example, 27 3 2027")
    notes = text_area("Notes (optional)", max_length=2000,
                      help_text="For example, what was said and who said it.")


class SeekAgainForm(forms.Form):
    reasons = text_area("Why is consent being sought again?", max_length=5000, required=True,
                        help_text="For example, the panel's decision at re-assessment.")
    reasons.error_messages["required"] = "Enter why consent is being sought again"


# Pages -------------------------------------------------------------------------------


def _consent_href(case):
    return reverse("channel:case-consent", kwargs={"pk": case.pk})


def row(key, text=""):
    """A summary list row; multi-line text keeps its line breaks (escaped)."""
    if "\n" in text:
        return {"key": {"text": key}, "value": {"html": linebreaksbr(text, autoescape=True)}}
    return {"key": {"text": key}, "value": {"text": text}}


def _age_text(case):
    dob = case.person.date_of_birth
    if dob is None:
        return "Date of birth not known: the age group must be confirmed when consent is recorded"
    today = timezone.localdate()
    age = rules.age_on(dob, today)
    try:
        eighteenth = dob.replace(year=dob.year + rules.ADULT_AGE)
    except ValueError:  # 29 February
        eighteenth = dob.replace(year=dob.year + rules.ADULT_AGE, month=3, day=1)
    if age >= rules.ADULT_AGE:
        return f"{age} today. 18 or over since {govuk_date(eighteenth)}: the person gives consent themselves"
    return (f"{age} today. Under 18 until {govuk_date(eighteenth)}: a parent or guardian gives "
            "consent")


def _consent_card(consent, *, latest, case, may_record):
    rows = [
        row("Who was asked", f"{consent.giver_name}"
             + (f" ({consent.giver_relationship})" if consent.giver_relationship else "")
             + f": {consent.get_giver_display().lower()}"),
        row("Asked by", consent.asked_by.full_name),
        row("How", consent.get_method_display()),
        row("Asked on", govuk_date(consent.asked_on)),
    ]
    if consent.answer:
        rows.append(row("Answer", f"{consent.get_answer_display()} on {govuk_date(consent.answered_on)}"))
    elif not latest:
        rows.append(row("Answer", "No answer recorded: a later request replaced this one"))
    else:
        rows.append(row("Answer", "Not answered yet"))
    if consent.withdrawn_on:
        rows.append(row("Withdrawn", f"On {govuk_date(consent.withdrawn_on)}, recorded by "
                                      f"{consent.withdrawal_recorded_by.full_name}"))
        if consent.withdrawal_notes:
            rows.append(row("About the withdrawal", consent.withdrawal_notes))
    for label, value in (("Notes on capacity", consent.capacity_notes),
                         ("The child's own views", consent.child_views), ("Notes", consent.notes)):
        if value:
            rows.append(row(label, value))
    rows.append(row("Recorded", f"{govuk_datetime(consent.recorded_at)} by {consent.recorded_by.full_name}"))
    actions = []
    if may_record and latest:
        if not consent.answer and case.status == CaseStatus.CONSENT_SOUGHT:
            actions.append({"href": reverse("channel:case-consent-answer",
                                            kwargs={"pk": case.pk, "consent_pk": consent.pk}),
                            "text": "Record the answer"})
        if (consent.answer == ConsentAnswer.GIVEN and not consent.withdrawn_on
                and case.status in rules.MAY_WITHDRAW):
            actions.append({"href": reverse("channel:case-consent-withdraw",
                                            kwargs={"pk": case.pk, "consent_pk": consent.pk}),
                            "text": "Record that consent was withdrawn"})
    return {
        "card": {"title": {"text": f"Asked on {govuk_date(consent.asked_on)}", "headingLevel": 3},
                 "actions": {"items": actions}},
        "rows": rows,
    }


@requires(Action.CASE_CHRONOLOGY)
@require_GET
@shows("channel.channelcase", part="consent")
def case_consent(request, pk):
    case = case_for(request, pk, Action.CASE_CHRONOLOGY)
    audit_view(case, screen="consent")
    consents = list(rules.consents_for_case(case))
    may_record = can(request.user, Action.CONSENT_RECORD, case)
    latest_pk = consents[-1].pk if consents else None
    cards = [_consent_card(consent, latest=consent.pk == latest_pk, case=case, may_record=may_record)
             for consent in reversed(consents)]
    status = rules.consent_status(case)
    summary_rows = [
        row("Consent", rules.ConsentStatus(status).label),
        row("Case status", case.get_status_display()),
        row("Age", _age_text(case)),
    ]
    if case.status == CaseStatus.CONSENT_REFUSED and case.reassessment_date:
        summary_rows.append(row("Re-assessment date", govuk_date(case.reassessment_date)))
    return render(request, "channel/consent/consent.html", {
        "case": case,
        "summary": {"rows": summary_rows},
        "cards": cards,
        "may_ask": may_record and case.status in rules.MAY_ASK,
        "may_seek_again": may_record and case.status == CaseStatus.CONSENT_REFUSED,
    })


def _posted(request):
    return request.POST if request.method == "POST" else None


def form_page(request, case, form, title, *, section, section_href, **extra):
    """A form inside a case section (consent, support): the case layout with
    the section in the breadcrumbs and marked in the navigation."""
    return render(request, "channel/consent/form.html", {
        "case": case, "form": form, "title": title, "cancel_href": section_href,
        "case_breadcrumb_text": section, "case_breadcrumb_href": section_href, "case_section": section_href,
        **extra,
    })


def _page(request, case, form, title, **extra):
    return form_page(request, case, form, title, section="Consent", section_href=_consent_href(case), **extra)


@requires(Action.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="consent request form")
def consent_request(request, pk):
    case = case_for(request, pk, Action.CONSENT_RECORD)
    if request.method == "GET" and case.status not in rules.MAY_ASK:
        messages.info(request, rules.cannot_ask_message(case.status) + ".")
        return redirect(_consent_href(case))
    form = ConsentRequestForm(_posted(request), date_of_birth_known=case.person.date_of_birth is not None,
                              initial={"asked_by": request.user.pk, "asked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.consent_request_record(
                case=case, giver=data["giver"], giver_name=data["giver_name"],
                giver_relationship=data["giver_relationship"], asked_by=data["asked_by"],
                method=data["method"], asked_on=data["asked_on"], answer=data["answer"],
                answered_on=data["answered_on"], reassessment_date=data["reassessment_date"],
                capacity_notes=data["capacity_notes"], child_views=data["child_views"], notes=data["notes"],
                confirmed_age_group=data.get("confirmed_age_group", ""),
                age_confirmed_by=data.get("age_confirmed_by", ""), acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Consent request recorded")
            return redirect(_consent_href(case))
    if request.method == "GET":
        audit_view(case, screen="consent request")
    return _page(request, case, form, "Record a consent request",
                 intro=_age_text(case), button="Save the consent request")


def _latest_consent(case, consent_pk) -> Consent:
    consent = Consent.objects.filter(case=case, pk=consent_pk).first()
    if consent is None:
        raise Http404("No such consent request")
    return consent


@requires(Action.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="consent answer form")
def consent_answer(request, pk, consent_pk):
    case = case_for(request, pk, Action.CONSENT_RECORD)
    consent = _latest_consent(case, consent_pk)
    if request.method == "GET" and (consent.answer or case.status != CaseStatus.CONSENT_SOUGHT):
        messages.info(request, "An answer can only be recorded for the latest request while consent is "
                               "being sought.")
        return redirect(_consent_href(case))
    form = ConsentAnswerForm(_posted(request), initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.consent_answer_record(
                consent=consent, answer=data["answer"], answered_on=data["answered_on"],
                reassessment_date=data["reassessment_date"], acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Answer recorded: " + ConsentAnswer(data["answer"]).label.lower())
            return redirect(_consent_href(case))
    if request.method == "GET":
        audit_view(case, screen="consent answer")
    return _page(request, case, form, "Record the answer",
                 intro=f"Consent was asked of {consent.giver_name} on {govuk_date(consent.asked_on)}.",
                 button="Save the answer")


@requires(Action.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="consent withdrawal form")
def consent_withdraw(request, pk, consent_pk):
    case = case_for(request, pk, Action.CONSENT_RECORD)
    consent = _latest_consent(case, consent_pk)
    if request.method == "GET" and (consent.answer != ConsentAnswer.GIVEN or consent.withdrawn_on
                                    or case.status not in rules.MAY_WITHDRAW):
        messages.info(request, "Only consent that is given and not withdrawn can be withdrawn.")
        return redirect(_consent_href(case))
    form = ConsentWithdrawForm(_posted(request), initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.consent_withdraw(consent=consent, withdrawn_on=data["withdrawn_on"], notes=data["notes"],
                                   reassessment_date=data["reassessment_date"], acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Withdrawal of consent recorded. Support has stopped")
            return redirect(_consent_href(case))
    if request.method == "GET":
        audit_view(case, screen="consent withdrawal")
    intro = "Support stops when consent is withdrawn. The panel re-assesses the case on the date you give."
    return _page(request, case, form, "Record that consent was withdrawn",
                 intro=intro, button="Record the withdrawal", warning=True)


@requires(Action.CONSENT_RECORD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="seek consent again form")
def consent_seek_again(request, pk):
    case = case_for(request, pk, Action.CONSENT_RECORD)
    if request.method == "GET" and case.status != CaseStatus.CONSENT_REFUSED:
        messages.info(request, "Consent is sought again only after it was refused or withdrawn.")
        return redirect(_consent_href(case))
    form = SeekAgainForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rules.consent_seek_again(case=case, reasons=form.cleaned_data["reasons"],
                                     acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Consent is being sought again. Record the request when it is made")
            return redirect(_consent_href(case))
    if request.method == "GET":
        audit_view(case, screen="seek consent again")
    intro = "Use this at re-assessment, when the panel decides to ask for consent again."
    return _page(request, case, form, "Seek consent again", intro=intro,
                 button="Seek consent again")


urlpatterns = [
    path("<int:pk>/consent/", case_consent, name="case-consent"),
    path("<int:pk>/consent/request/", consent_request, name="case-consent-request"),
    path("<int:pk>/consent/<int:consent_pk>/answer/", consent_answer, name="case-consent-answer"),
    path("<int:pk>/consent/<int:consent_pk>/withdraw/", consent_withdraw, name="case-consent-withdraw"),
    path("<int:pk>/consent/seek-again/", consent_seek_again, name="case-consent-seek-again"),
]
