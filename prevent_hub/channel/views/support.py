"""The support plan (s.36(5)), its providers and actions, and delivery of sessions.

Everyone who may see the case sees the support page; an intervention provider
(on the case's team) sees the plan, the sessions and only the actions they
own, and "consent given: yes or no" but no consent details. The plan, its
providers and actions, and starting support need SUPPORT_PLAN_MANAGE;
sessions need SESSION_RECORD (intervention providers: on the case's team).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, requires
from prevent_hub.accounts.models import Organisation, OrganisationType
from prevent_hub.audit.services import audit_view
from prevent_hub.audit.shows import shows
from prevent_hub.core.formatting import govuk_date, govuk_datetime

from .. import consent as consent_rules
from .. import support as services
from ..case_forms import owner_team_answer, owner_team_question
from ..models import CaseStatus, PlanAction, SessionStatus, SupportPlan, SupportProvider
from .consent import (
    UserChoiceField,
    add_errors,
    case_for,
    case_workers,
    date_field,
    form_page,
    row,
    text_area,
)

# Forms -------------------------------------------------------------------------------


class SupportPlanForm(forms.Form):
    consent_how = text_area("How consent is to be requested", max_length=2000,
                            help_text="For example, a meeting with the person and their key worker.")
    consent_when = forms.CharField(label="When consent is to be requested", max_length=200, required=False,
                                   error_messages={"max_length": "When must be 200 characters or fewer"})
    consent_by_whom = forms.CharField(label="By whom consent is to be requested", max_length=200,
                                      required=False, error_messages={
                                          "max_length": "By whom must be 200 characters or fewer"})
    nature_of_support = text_area("The nature of the support", max_length=5000, required=True, rows=6,
                                  help_text="For example, mentoring, education or careers support, "
                                            "help with mental health.")
    how_and_when_provided = text_area("How and when the support is provided", max_length=5000,
                                      required=True, rows=6,
                                      help_text="For example, weekly sessions at the youth centre.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature_of_support"].error_messages["required"] = "Enter the nature of the support"
        self.fields["how_and_when_provided"].error_messages["required"] = (
            "Enter how and when the support is provided")


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.type == OrganisationType.INTERVENTION_PROVIDER:
            return f"{obj.name} (intervention provider)"
        return obj.name


class ProviderForm(forms.Form):
    organisation = OrganisationField(
        label="Organisation", queryset=Organisation.objects.none(), empty_label="Select an organisation",
        help_text="If it is not listed, a system administrator can add it.",
        error_messages={"required": "Select the organisation providing support",
                        "invalid_choice": "Select the organisation providing support"},
    )
    support_type = forms.CharField(
        label="Type of support", max_length=200, help_text="For example, mentoring or theological support",
        widget=forms.TextInput(attrs={"govuk": {"classes": "govuk-!-width-two-thirds"}}),
        error_messages={"required": "Enter the type of support, for example mentoring",
                        "max_length": "The type of support must be 200 characters or fewer"},
    )
    home_office_approved = forms.BooleanField(
        label="Home Office-approved Intervention Provider", required=False,
        help_text="Only for an intervention provider organisation approved by the Home Office.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")



class ActionForm(forms.Form):
    description = text_area("What needs to be done", max_length=2000, required=True)
    owner = UserChoiceField(
        label="Who will do it", queryset=None, empty_label="Select a person",
        error_messages={"required": "Select who will do it", "invalid_choice": "Select who will do it"},
    )
    due_date = date_field("Due date", what="The due date")
    # Which owner the team question below was asked about: an answer counts
    # only for the person it was asked about.
    asked_about = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = case_workers()
        self.fields["description"].error_messages["required"] = "Enter what needs to be done"
        self.owner_check = None
        owner_pk = str(self.data.get("owner", "")) if self.is_bound else ""
        owner = self.fields["owner"].queryset.filter(pk=owner_pk).first() if owner_pk.isdigit() else None
        if owner is not None:
            check = services.action_owner_check(case=case, owner=owner)
            if check.needs_adding and check.role:
                self.owner_check = check
                self.fields["add_owner_to_team"] = owner_team_question(check)

    def team_answer(self):
        """True or False if the team question was answered about the chosen
        owner, None if it still has to be asked (or need not be)."""
        if self.owner_check is None:
            return None
        if self.cleaned_data.get("asked_about") != str(self.owner_check.owner.pk):
            return None
        return owner_team_answer(self.cleaned_data.get("add_owner_to_team"))


class ActionDoneForm(forms.Form):
    done_on = date_field("Date it was done", what="The date it was done")
    note = text_area("Note (optional)", max_length=5000, rows=5,
                     help_text="What was done, for the case team. It is kept as a case note.")


class SupportStartForm(forms.Form):
    started_on = date_field("Date support started", what="The date support started")


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name}: {obj.support_type}"


class SessionForm(forms.Form):
    held_on = date_field("Date of the session", what="The date of the session")
    status = forms.ChoiceField(
        label="Was the session delivered?", choices=SessionStatus.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select whether the session was delivered, missed or cancelled",
                        "invalid_choice": "Select whether the session was delivered, missed or cancelled"},
    )
    provider = ProviderChoiceField(
        label="Provider (optional)", queryset=SupportProvider.objects.none(), required=False,
        empty_label="Not recorded",
        error_messages={"invalid_choice": "Select a provider on this case's support plan"},
    )
    notes = text_area("Notes (optional)", max_length=5000, rows=5,
                      help_text="What happened, and why if it was missed or cancelled.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = services.providers_for(plan)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _support_href(case):
    return reverse("channel:case-support", kwargs={"pk": case.pk})


def _page(request, case, form, title, **extra):
    href = _support_href(case)
    return form_page(request, case, form, title, section="Support", section_href=href, **extra)


# The support page --------------------------------------------------------------------


def _plan_rows(plan):
    labels = [(name, SupportPlan._meta.get_field(name).verbose_name) for name in services.PLAN_FIELDS]
    rows = [row(label[:1].upper() + label[1:], getattr(plan, name) or "Not written yet")
            for name, label in labels]
    rows.append(row("Last updated", f"{govuk_datetime(plan.updated_at)} by {plan.updated_by.full_name}"))
    return rows


@requires(Action.CASE_VIEW)
@require_GET
@shows("channel.channelcase", part="support")
def case_support(request, pk):
    case = case_for(request, pk, Action.CASE_VIEW)
    audit_view(case, screen="support")
    user = request.user
    manages = can(user, Action.SUPPORT_PLAN_MANAGE, case)
    plan = services.support_plan_for(case)
    providers = list(services.providers_for(plan))
    # An intervention provider sees only the actions they own.
    sees_all_actions = can(user, Action.SUPPORT_ACTIONS_ALL, case)
    actions = list(services.actions_for(case, owner=None if sees_all_actions else user))
    open_case = case.status != CaseStatus.CLOSED
    for action in actions:
        action.may_complete = open_case and (manages or action.owner_id == user.pk)
    sessions = list(services.sessions_for(case))
    consent_given = consent_rules.consent_is_given(case)
    today = timezone.localdate()
    stalled_since = services.support_stalled_since(case, today=today)
    key_facts = [
        row("Consent given", "Yes" if consent_given else "No"),
        row("Support started", govuk_date(case.support_started_on, empty="Not started")),
        row("Last delivered session", govuk_date(case.last_session_delivered_on, empty="None yet")),
    ]
    if case.next_review_date:
        key_facts.append(row("Next review", govuk_date(case.next_review_date)))
    return render(request, "channel/support/support.html", {
        "case": case,
        "key_facts": {"rows": key_facts},
        "plan": plan,
        "plan_rows": {"rows": _plan_rows(plan)} if plan else None,
        "providers": providers,
        "actions": actions,
        "sessions": sessions,
        "sees_all_actions": sees_all_actions,
        "manages": manages and case.status != CaseStatus.CLOSED,
        "may_start": manages and case.status == CaseStatus.CONSENT_GIVEN and consent_given,
        "may_record_session": (can(user, Action.SESSION_RECORD, case) and case.support_started_on is not None
                               and case.status in services.SESSION_STATUSES),
        "stalled_since": stalled_since,
        "stalled_message": _stalled_message(case, stalled_since),
        "today": today,
    })


def _stalled_message(case, since):
    if since is None:
        return ""
    weeks = services.stalled_weeks()
    started = " (when support started)" if since == case.support_started_on else ""
    return (f"No delivered session since {govuk_date(since)}{started}: more than {weeks} "
            f"week{'s' if weeks != 1 else ''}. Check with the provider and the person.")


# Writing -----------------------------------------------------------------------------


@requires(Action.SUPPORT_PLAN_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="support plan form")
def support_plan_edit(request, pk):
    case = case_for(request, pk, Action.SUPPORT_PLAN_MANAGE)
    plan = services.support_plan_for(case)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS} if plan else None
    form = SupportPlanForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_plan_save(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Support plan saved")
            return redirect(_support_href(case))
    if request.method == "GET":
        audit_view(case, screen="support plan")
    intro = ("What section 36(5) of the Counter-Terrorism and Security Act 2015 requires the plan to say. "
             "Add who provides the support after saving.")
    return _page(request, case, form, "Support plan" if plan else "Write the support plan", intro=intro,
                 button="Save the support plan")


@requires(Action.SUPPORT_PLAN_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="add provider form")
def support_provider_add(request, pk):
    case = case_for(request, pk, Action.SUPPORT_PLAN_MANAGE)
    form = ProviderForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_provider_add(case=case, organisation=data["organisation"],
                                          support_type=data["support_type"],
                                          home_office_approved=data["home_office_approved"],
                                          acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{data['organisation'].name} added to the support plan")
            return redirect(_support_href(case))
    if request.method == "GET":
        audit_view(case, screen="support provider")
    return _page(request, case, form, "Add who provides support", button="Add the provider")


def _provider(case, provider_pk):
    provider = (SupportProvider.objects.filter(plan__case=case, pk=provider_pk)
                .select_related("organisation").first())
    if provider is None:
        raise Http404("No such provider")
    return provider


@requires(Action.SUPPORT_PLAN_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="remove provider confirmation")
def support_provider_remove(request, pk, provider_pk):
    case = case_for(request, pk, Action.SUPPORT_PLAN_MANAGE)
    provider = _provider(case, provider_pk)
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.support_provider_remove(provider=provider, acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{provider.organisation.name} removed from the support plan")
            return redirect(_support_href(case))
    if request.method == "GET":
        audit_view(case, screen="remove support provider")
    intro = f"{provider.organisation.name} ({provider.support_type}) will no longer be on the support plan."
    return _page(request, case, form, "Remove this provider?", intro=intro, button="Remove the provider",
                 warning=True)


@requires(Action.SUPPORT_PLAN_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="new action form")
def plan_action_add(request, pk):
    case = case_for(request, pk, Action.SUPPORT_PLAN_MANAGE)
    form = ActionForm(_posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = form.team_answer()
        if form.owner_check is not None and answer is None:
            if data["asked_about"] == str(data["owner"].pk):
                name = data["owner"].full_name
                form.add_error("add_owner_to_team", f"Select yes if {name} should be added to the case team")
            # Ask (again) about this owner; nothing is saved until answered.
            form.data = form.data.copy()
            form.data["asked_about"] = str(data["owner"].pk)
        else:
            try:
                services.plan_action_add(case=case, description=data["description"], owner=data["owner"],
                                         due_date=data["due_date"], acting_user=request.user,
                                         add_owner_to_team=bool(answer))
            except ValidationError as error:
                add_errors(form, error)
            else:
                added = f" and {data['owner'].full_name} added to the case team" if answer else ""
                messages.success(request, f"Action added{added}")
                return redirect(_support_href(case))
    if request.method == "GET":
        audit_view(case, screen="add action")
    return _page(request, case, form, "Add an action", button="Add the action")


def _action(request, case, action_pk):
    """The action, if the user may mark it done: the owner, or whoever manages
    the plan (others are not told it exists)."""
    action = PlanAction.objects.filter(case=case, pk=action_pk).select_related("owner", "done_by").first()
    if action is None or not services.plan_action_may_complete(request.user, action):
        raise Http404("No such action")
    return action


@requires(Action.PLAN_ACTION_COMPLETE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="action done form")
def plan_action_done(request, pk, action_pk):
    case = case_for(request, pk, Action.PLAN_ACTION_COMPLETE)
    action = _action(request, case, action_pk)
    form = ActionDoneForm(_posted(request), initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_complete(action=action, done_on=form.cleaned_data["done_on"],
                                          note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action marked as done")
            return redirect(_support_href(case) + "#actions")
    if request.method == "GET":
        audit_view(case, screen="action done")
    if action.done_on and not form.errors:
        form.add_error(None, f"This action was already marked as done on {govuk_date(action.done_on)}"
                             + (f" by {action.done_by.full_name}" if action.done_by else ""))
    owner = "you" if action.owner_id == request.user.pk else action.owner.full_name
    return _page(request, case, form, "Mark the action as done",
                 intro=f"{action.description} (for {owner}, due {govuk_date(action.due_date)})",
                 button="Mark as done")


@requires(Action.SUPPORT_PLAN_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="start support form")
def support_start(request, pk):
    case = case_for(request, pk, Action.SUPPORT_PLAN_MANAGE)
    form = SupportStartForm(_posted(request), initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_start(case=case, started_on=form.cleaned_data["started_on"],
                                   acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Support has started")
            return redirect(_support_href(case))
    if request.method == "GET":
        audit_view(case, screen="start support")
    intro = "Support can start only with consent given and not withdrawn."
    return _page(request, case, form, "Record that support has started", intro=intro,
                 button="Record the start of support")


@requires(Action.SESSION_RECORD)
@require_http_methods(["GET", "POST"])
@shows("channel.channelcase", part="support session form")
def session_record(request, pk):
    case = case_for(request, pk, Action.SESSION_RECORD)
    form = SessionForm(_posted(request), plan=services.support_plan_for(case),
                       initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_session_record(case=case, held_on=data["held_on"], status=data["status"],
                                            provider=data["provider"], notes=data["notes"],
                                            acting_user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Session recorded: " + SessionStatus(data["status"]).label.lower())
            return redirect(_support_href(case) + "#sessions")
    if request.method == "GET":
        audit_view(case, screen="record session")
    return _page(request, case, form, "Record a support session", button="Save the session")


urlpatterns = [
    path("<int:pk>/support/", case_support, name="case-support"),
    path("<int:pk>/support/plan/", support_plan_edit, name="case-support-plan"),
    path("<int:pk>/support/providers/add/", support_provider_add, name="case-support-provider-add"),
    path("<int:pk>/support/providers/<int:provider_pk>/remove/", support_provider_remove,
         name="case-support-provider-remove"),
    path("<int:pk>/support/actions/add/", plan_action_add, name="case-support-action-add"),
    path("<int:pk>/support/actions/<int:action_pk>/done/", plan_action_done, name="case-support-action-done"),
    path("<int:pk>/support/start/", support_start, name="case-support-start"),
    path("<int:pk>/support/sessions/add/", session_record, name="case-session-record"),
]
