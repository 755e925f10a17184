"""Administration screens for system administrators: users, organisations and
the contact directory. Views parse, call a service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, can, requires
from prevent_hub.accounts import selectors as account_selectors
from prevent_hub.accounts import services as account_services
from prevent_hub.accounts.emails import send_set_password_email
from prevent_hub.accounts.models import Organisation, User
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.directory import selectors as directory_selectors
from prevent_hub.directory import services as directory_services
from prevent_hub.directory.models import CONDITIONS, Contact, Offer, RoutingRule
from prevent_hub.govuk.forms import add_service_errors
from prevent_hub.govuk.pagination import pagination_params

from . import selectors, services
from .forms import (
    EMAIL_TAKEN,
    OWN_ACCOUNT,
    ContactForm,
    OrganisationForm,
    RoutingRuleForm,
    SessionsEndAllForm,
    UserCreateForm,
    UserDeactivateForm,
    UserDetailsForm,
    UserFilterForm,
    UserRolesForm,
    UserSecondFactorResetForm,
)

USERS_PER_PAGE = 25
OWN_SECOND_FACTOR = (
    "You cannot reset your own second factor here. Ask another system administrator to do it"
)
OWN_SESSIONS = (
    "You cannot sign yourself out everywhere here. Use Your account to sign out of your other sessions"
)


# Shared pieces -----------------------------------------------------------------


def _breadcrumbs(*trail, at_index=False):
    """Home › Administration › ...: the pages above this one."""
    items = [{"text": "Home", "href": reverse("staff:home")}]
    if not at_index:
        items.append({"text": "Administration", "href": reverse("administration:index")})
        items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _users_crumb():
    return ("Users", reverse("administration:users"))


def _subject_crumbs(subject):
    return _breadcrumbs(
        _users_crumb(),
        (subject.full_name, reverse("administration:user-detail", args=[subject.pk])),
    )




def _posted(request):
    """The submitted data on a POST (even if empty: no boxes ticked), else None."""
    return request.POST if request.method == "POST" else None


def _subject(request, pk) -> User:
    """The user a page is about, if the administrator may see them (else 404)."""
    try:
        return selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist:
        raise Http404("No such user") from None


def _record_view(subject, screen):
    audit_view(subject, screen=screen)


# Index -----------------------------------------------------------------------

AREAS = [
    (Action.USERS_MANAGE, "administration:users", "Users",
     "Create accounts, change roles, deactivate and reactivate, reset second factors."),
    (Action.ORGANISATIONS_MANAGE, "administration:organisations", "Organisations",
     "The council and partner organisations whose staff have accounts."),
    (Action.DIRECTORY_MANAGE, "administration:contacts", "Contact directory",
     "Telephone numbers, web addresses and opening hours shown on public pages."),
    (Action.DIRECTORY_MANAGE, "administration:routing-rules", "Routing rules for 'Get help'",
     "Which advice and contacts the public see after answering the 'Get help' questions."),
    (Action.API_TOKENS_MANAGE, "api:tokens", "API tokens",
     "The tokens partner systems use to send and follow referrals: see them and revoke them."),
    (Action.VAF_FRAMEWORK_MANAGE, "administration:vaf", "Vulnerability Assessment Framework",
     "The wording of the framework's dimensions and factors: publish a new version."),
    (Action.RETENTION_POLICY_MANAGE, "administration:retention", "Retention schedule",
     "How long each kind of record is kept once it closes: change a period from a date."),
    (Action.POPULATION_MANAGE, "statistics:population", "Population figures",
     "The area's population by ethnicity, sex and age band, for equality monitoring: load census tables."),
    (Action.ALL_SESSIONS_END, "administration:sessions-end-all", "Sign everyone out",
     "End every session at once, for example after a security incident. Accounts stay active."),
]


@requires(Action.USERS_MANAGE)
@require_GET
@shows_nothing_personal("links to the administration pages")
def index(request):
    areas = [
        {"href": reverse(url_name), "title": title, "description": description}
        for action, url_name, title, description in AREAS
        if can(request.user, action)
    ]
    return render(request, "administration/index.html", {
        "areas": areas, "breadcrumbs": _breadcrumbs(at_index=True),
    })


# Users -----------------------------------------------------------------------


def _user_filters(form) -> selectors.UserFilters:
    """The filters asked for; any that did not validate are left out (and the
    form shows why)."""
    if not form.is_bound:
        return selectors.UserFilters()
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return selectors.UserFilters(
        q=data.get("q") or "",
        organisation=data.get("organisation"),
        role=data.get("role") or "",
        status=data.get("status") or "",
    )


@requires(Action.USERS_MANAGE)
@require_GET
@shows_many("accounts.user", part="list of users")
def user_list(request):
    query = request.GET.copy()
    query.pop("page", None)
    form = UserFilterForm(query or None)
    filters = _user_filters(form)
    users = selectors.user_list(user=request.user, filters=filters)
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"user": user, "roles": selectors.user_role_labels(user)}
        for user in page.object_list
    ]
    if filters.is_filtered():
        audit_read(
            action=AuditAction.SEARCH, object_type="accounts.user",
            details={"filters": filters.for_audit(), "page": page.number},
        )
    return render(request, "administration/users/list.html", {
        "filter_form": form,
        "form": form,  # for the error summary and the page title
        "filters": filters,
        "page": page,
        "rows": rows,
        "pagination": pagination_params(request, page),
        "export_query": query.urlencode(),
        "breadcrumbs": _breadcrumbs(),
    })


EXPORT_HEADER = ["Name", "Email address", "Job title", "Organisation", "Roles", "Status",
                 "Last signed in"]


@requires(Action.USERS_MANAGE)
@require_GET
@shows_many("accounts.user", part="users export")
def user_export(request):
    form = UserFilterForm(request.GET or None)
    filters = _user_filters(form)
    users = selectors.user_list(user=request.user, filters=filters)
    audit_read(
        action=AuditAction.EXPORT, object_type="accounts.user",
        details={"filters": filters.for_audit(), "rows": users.count(), "format": "csv"},
    )
    rows = (
        (user.full_name, user.email, user.job_title, user.organisation.name,
         "; ".join(selectors.user_role_labels(user)),
         "Active" if user.is_active else "Deactivated", user.last_login)
        for user in users.iterator(chunk_size=500)
    )
    return csv_response(EXPORT_HEADER, rows, filename=f"users-{timezone.localdate().isoformat()}.csv")


@requires(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("an empty form for a new account")
def user_create(request):
    form = UserCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_services.user_create(
                acting_user=request.user, email=data["email"], full_name=data["full_name"],
                job_title=data["job_title"], organisation=data["organisation"], roles=data["roles"],
            )
        except IntegrityError:
            # The same form sent twice at once: the second loses the race.
            form.add_error("email", EMAIL_TAKEN)
        else:
            send_set_password_email(user, request)
            messages.success(
                request,
                f"Account created for {user.full_name}. We have emailed {user.email} a link "
                "to set a password.",
            )
            return redirect("administration:user-detail", pk=user.pk)
    return render(request, "administration/users/create.html", {
        "form": form, "breadcrumbs": _breadcrumbs(_users_crumb()),
    })


@requires(Action.USERS_MANAGE)
@require_GET
@shows("accounts.user", part="account details")
def user_detail(request, pk):
    subject = _subject(request, pk)
    facts = selectors.user_account_facts(subject)
    audit_view(subject)
    change = reverse("administration:user-edit", args=[subject.pk])
    return render(request, "administration/users/detail.html", {
        "subject": subject,
        "facts": facts,
        "is_self": subject == request.user,
        "summary": _user_summary(subject, facts, change),
        "breadcrumbs": _breadcrumbs(_users_crumb()),
    })


def _user_summary(subject, facts, change_href):
    def change(href, what):
        return {"items": [{"href": href, "text": "Change", "visuallyHiddenText": what}],
                "classes": "govuk-!-display-none-print"}

    roles_href = reverse("administration:user-roles", args=[subject.pk])
    sessions = facts.active_sessions
    return {"rows": [
        {"key": {"text": "Name"}, "value": {"text": subject.full_name},
         "actions": change(change_href, "name")},
        {"key": {"text": "Email address"}, "value": {"text": subject.email},
         "actions": change(change_href, "email address")},
        {"key": {"text": "Job title"}, "value": {"text": subject.job_title or "Not given"},
         "actions": change(change_href, "job title")},
        {"key": {"text": "Organisation"}, "value": {"text": subject.organisation.name},
         "actions": change(change_href, "organisation")},
        {"key": {"text": "Roles"}, "value": {"text": ", ".join(facts.roles) or "No roles"},
         "actions": change(roles_href, "roles")},
        {"key": {"text": "Active"},
         "value": {"text": "Yes" if subject.is_active else "No, deactivated"}},
        {"key": {"text": "Second factor set up"},
         "value": {"text": "Yes" if facts.second_factor_set_up else "No"}},
        {"key": {"text": "Last signed in"},
         "value": {"text": govuk_datetime(subject.last_login, empty="Never")}},
        {"key": {"text": "Active sessions"},
         "value": {"text": str(sessions)}},
    ]}


@requires(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("accounts.user", part="edit account details form")
def user_edit(request, pk):
    subject = _subject(request, pk)
    name = subject.full_name
    form = UserDetailsForm(_posted(request), subject=subject, initial={
        "email": subject.email, "full_name": subject.full_name, "job_title": subject.job_title,
        "organisation": subject.organisation_id,
    })
    if request.method == "POST":
        if form.is_valid():
            try:
                account_services.user_update(acting_user=request.user, user=subject, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error("email", EMAIL_TAKEN)
            else:
                messages.success(request, f"Details updated for {subject.full_name}.")
                return redirect("administration:user-detail", pk=subject.pk)
    else:
        _record_view(subject, "edit details")
    return render(request, "administration/users/edit.html", {
        "form": form, "subject_name": name, "subject_pk": subject.pk,
        "breadcrumbs": _breadcrumbs(
            _users_crumb(), (name, reverse("administration:user-detail", args=[subject.pk]))),
    })


@requires(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("accounts.user", part="roles form")
def user_roles(request, pk):
    subject = _subject(request, pk)
    current = sorted(subject.role_assignments.values_list("role", flat=True))
    form = UserRolesForm(_posted(request), subject=subject, acting_user=request.user,
                         initial={"roles": current})
    if request.method == "POST":
        if form.is_valid():
            account_services.user_roles_set(
                acting_user=request.user, user=subject, roles=form.cleaned_data["roles"]
            )
            messages.success(request, f"Roles updated for {subject.full_name}. They apply from "
                                      "the person's next page.")
            return redirect("administration:user-detail", pk=subject.pk)
    else:
        _record_view(subject, "change roles")
    return render(request, "administration/users/roles.html", {
        "form": form, "subject": subject, "breadcrumbs": _subject_crumbs(subject),
    })


@requires(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("accounts.user", part="deactivate confirmation")
def user_deactivate(request, pk):
    subject = _subject(request, pk)
    if not subject.is_active:
        messages.info(request, f"{subject.full_name}'s account is already deactivated.")
        return redirect("administration:user-detail", pk=subject.pk)
    is_self = subject == request.user
    form = UserDeactivateForm(_posted(request), subject=subject, acting_user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                account_services.user_deactivate(
                    acting_user=request.user, user=subject, reason=form.cleaned_data["reason"]
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{subject.full_name}'s account has been deactivated and "
                                          "they have been signed out everywhere.")
                return redirect("administration:user-detail", pk=subject.pk)
    else:
        _record_view(subject, "deactivate")
    return render(request, "administration/users/deactivate.html", {
        "form": form, "subject": subject, "is_self": is_self, "own_account_message": OWN_ACCOUNT,
        "breadcrumbs": _subject_crumbs(subject),
    }, status=400 if is_self and request.method == "POST" else 200)


@requires(Action.USERS_MANAGE)
@require_POST
@shows("accounts.user", part="reactivate confirmation")
def user_reactivate(request, pk):
    subject = _subject(request, pk)
    if subject.is_active:
        messages.info(request, f"{subject.full_name}'s account is already active.")
    else:
        account_services.user_reactivate(acting_user=request.user, user=subject)
        messages.success(request, f"{subject.full_name}'s account has been reactivated. They can "
                                  "sign in again with their existing password.")
    return redirect("administration:user-detail", pk=subject.pk)


@requires(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows("accounts.user", part="reset second factor confirmation")
def user_second_factor_reset(request, pk):
    subject = _subject(request, pk)
    is_self = subject == request.user
    facts = selectors.user_account_facts(subject)
    form = UserSecondFactorResetForm(_posted(request))
    if request.method == "POST":
        if is_self:
            messages.info(request, OWN_SECOND_FACTOR + ".")
        elif not facts.second_factor_set_up:
            messages.info(request, f"{subject.full_name} has no second factor set up, so there is "
                                   "nothing to reset.")
        elif form.is_valid():
            account_services.user_second_factor_reset(
                acting_user=request.user, user=subject, **form.cleaned_data)
            messages.success(request, f"{subject.full_name}'s second factor has been reset and they "
                                      "have been signed out. They will set up a new authenticator "
                                      "app the next time they sign in.")
        else:
            return render(request, "administration/users/second_factor_reset.html", {
                "subject": subject, "is_self": is_self, "facts": facts, "form": form,
                "own_account_message": OWN_SECOND_FACTOR, "breadcrumbs": _subject_crumbs(subject),
            })
        return redirect("administration:user-detail", pk=subject.pk)
    _record_view(subject, "reset second factor")
    return render(request, "administration/users/second_factor_reset.html", {
        "subject": subject, "is_self": is_self, "facts": facts, "form": form,
        "own_account_message": OWN_SECOND_FACTOR, "breadcrumbs": _subject_crumbs(subject),
    })


@requires(Action.USER_SESSIONS_END)
@require_http_methods(["GET", "POST"])
@shows("accounts.user", part="sign out everywhere confirmation")
def user_sessions_end(request, pk):
    """Sign someone out everywhere without deactivating them (a lost laptop,
    a session they do not recognise): they can sign in again at once."""
    subject = _subject(request, pk)
    is_self = subject == request.user
    if request.method == "POST":
        if is_self:
            messages.info(request, OWN_SESSIONS + ".")
        else:
            ended = account_services.user_sessions_end_by_administrator(acting_user=request.user,
                                                                        user=subject)
            messages.success(request, f"{subject.full_name} has been signed out everywhere "
                                      f"({ended} session{'s' if ended != 1 else ''} ended). "
                                      "They can sign in again.")
        return redirect("administration:user-detail", pk=subject.pk)
    _record_view(subject, "sign out everywhere")
    return render(request, "administration/users/sessions_end.html", {
        "subject": subject, "is_self": is_self, "own_account_message": OWN_SESSIONS,
        "sessions": account_selectors.session_count(subject),
        "breadcrumbs": _subject_crumbs(subject),
    })


@requires(Action.ALL_SESSIONS_END)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("a count of sessions and a reason for ending them")
def sessions_end_all(request):
    """Sign everyone out (after a security incident, say), keeping only the
    administrator's own session so they can see it has been done."""
    form = SessionsEndAllForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ended = account_services.sessions_end_everyone(
            acting_user=request.user, reason=form.cleaned_data["reason"],
            keep_session_key=request.session.session_key)
        messages.success(request, f"Everyone has been signed out ({ended} session{'s' if ended != 1 else ''} "
                                  "ended). Your own session here is the only one left.")
        return redirect("administration:index")
    return render(request, "administration/sessions_end_all.html", {
        "form": form, "sessions": account_selectors.session_count(),
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.USERS_MANAGE)
@require_POST
@shows("accounts.user", part="set-password email confirmation")
def user_send_set_password_email(request, pk):
    subject = _subject(request, pk)
    if not subject.is_active:
        messages.info(request, f"{subject.full_name}'s account is deactivated. Reactivate it "
                               "before sending a link.")
    else:
        send_set_password_email(subject, request)
        messages.success(request, f"We have emailed {subject.email} a new link to set a password.")
    return redirect("administration:user-detail", pk=subject.pk)


# Organisations -----------------------------------------------------------------


def _organisations_crumb():
    return ("Organisations", reverse("administration:organisations"))


@requires(Action.ORGANISATIONS_MANAGE)
@require_GET
@shows_nothing_personal("organisations are public bodies")
def organisation_list(request):
    return render(request, "administration/organisations/list.html", {
        "organisations": list(selectors.organisation_list()),
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.ORGANISATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("organisations are public bodies")
def organisation_create(request):
    form = OrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Organisation added: {organisation.name}.")
            return redirect("administration:organisations")
    return render(request, "administration/organisations/form.html", {
        "form": form, "organisation": None, "breadcrumbs": _breadcrumbs(_organisations_crumb()),
    })


@requires(Action.ORGANISATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("organisations are public bodies")
def organisation_edit(request, pk):
    try:
        organisation = Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None
    name = organisation.name
    form = OrganisationForm(_posted(request), initial={
        "name": organisation.name, "type": organisation.type, "is_active": organisation.is_active,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                acting_user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Organisation updated: {organisation.name}.")
            return redirect("administration:organisations")
    return render(request, "administration/organisations/form.html", {
        "form": form, "organisation": organisation, "organisation_name": name,
        "breadcrumbs": _breadcrumbs(_organisations_crumb()),
    })


# Contact directory -------------------------------------------------------------


def _contacts_crumb():
    return ("Contact directory", reverse("administration:contacts"))


def _contact(pk) -> Contact:
    try:
        return selectors.contact_get(pk=pk)
    except Contact.DoesNotExist:
        raise Http404("No such contact") from None


TAG_CLASSES = {
    selectors.CheckStatus.NOT_CHECKED: "govuk-tag--red",
    selectors.CheckStatus.CHECK_DUE: "govuk-tag--yellow",
    selectors.CheckStatus.CHECKED: "govuk-tag--green",
}


@requires(Action.DIRECTORY_MANAGE)
@require_GET
@shows_nothing_personal("the public contact directory")
def contact_list(request):
    today = timezone.localdate()
    rows = []
    for contact in selectors.contact_list():
        status = selectors.contact_check_status(contact, today=today)
        rows.append({
            "contact": contact,
            "last_checked": govuk_date(contact.last_checked, empty="Never"),
            "status": status,
            "tag_classes": TAG_CLASSES[status],
        })
    needing_check = sum(1 for row in rows if row["status"] != selectors.CheckStatus.CHECKED)
    return render(request, "administration/contacts/list.html", {
        "rows": rows,
        "needing_check": needing_check,
        "due_after_months": selectors.CONTACT_CHECK_DUE_AFTER_MONTHS,
        "breadcrumbs": _breadcrumbs(),
    })


@requires(Action.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the public contact directory")
def contact_edit(request, pk):
    contact = _contact(pk)
    contact_name = contact.name
    # The form works on a copy: the service compares against what is saved.
    form = ContactForm(_posted(request), instance=Contact.objects.get(pk=contact.pk))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in ContactForm.Meta.fields}
        try:
            directory_services.contact_update(acting_user=request.user, contact=contact, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} updated. Public pages show the change now.")
            return redirect("administration:contacts")
    return render(request, "administration/contacts/edit.html", {
        "form": form, "contact": contact, "contact_name": contact_name,
        "breadcrumbs": _breadcrumbs(_contacts_crumb()),
    })


@requires(Action.DIRECTORY_MANAGE)
@require_POST
@shows_nothing_personal("the public contact directory")
def contact_mark_checked(request, pk):
    contact = _contact(pk)
    directory_services.contact_mark_checked(acting_user=request.user, contact=contact)
    messages.success(
        request, f"{contact.name} marked as checked on {govuk_date(contact.last_checked)}."
    )
    return redirect("administration:contacts")


# Routing rules for "Get help" ----------------------------------------------------


def _routing_rules_crumb():
    return ("Routing rules for 'Get help'", reverse("administration:routing-rules"))


def _routing_rule(pk) -> RoutingRule:
    try:
        return directory_selectors.routing_rule_get(pk=pk)
    except RoutingRule.DoesNotExist:
        raise Http404("No such routing rule") from None


OFFER_SHORT = {Offer.CONCERN: "Public concern form", Offer.REFERRAL: "Prevent referral form"}


def _conditions_summary(rule) -> list[str]:
    """'Question: answer or answer' for each condition that is not 'any answer'."""
    lines = []
    for field, _answer, choices, question in CONDITIONS:
        values = getattr(rule, field)
        if values:
            labels = [choices(value).label for value in values if value in choices.values]
            lines.append(f"{question} {' or '.join(labels)}")
    return lines


@requires(Action.DIRECTORY_MANAGE)
@require_GET
@shows_nothing_personal("the public routing rules")
def routing_rule_list(request):
    rows = [{
        "rule": rule,
        "conditions": _conditions_summary(rule),
        "contacts": directory_selectors.routing_rule_contacts(rule),
        "offer": OFFER_SHORT.get(rule.offer, ""),
    } for rule in directory_selectors.routing_rule_list()]
    return render(request, "administration/routing_rules/list.html", {
        "rows": rows, "breadcrumbs": _breadcrumbs(),
    })


def _routing_rule_form_page(request, form, rule=None, title=""):
    return render(request, "administration/routing_rules/form.html", {
        "form": form, "rule": rule, "rule_title": title,
        "breadcrumbs": _breadcrumbs(_routing_rules_crumb()),
    })


@requires(Action.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the public routing rules")
def routing_rule_create(request):
    last = RoutingRule.objects.order_by("-position").values_list("position", flat=True).first()
    form = RoutingRuleForm(_posted(request), initial={"position": (last or 0) + 10})
    if request.method == "POST" and form.is_valid():
        try:
            rule = directory_services.routing_rule_create(
                acting_user=request.user, contacts=form.contacts, **form.rule_fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Rule added: {rule.title}. The 'Get help' questions "
                                      "use it now.")
            return redirect("administration:routing-rules")
    return _routing_rule_form_page(request, form)


@requires(Action.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the public routing rules")
def routing_rule_edit(request, pk):
    rule = _routing_rule(pk)
    title = rule.title
    contacts = directory_selectors.routing_rule_contacts(rule)
    form = RoutingRuleForm(_posted(request), contact_slots=len(contacts),
                           initial=RoutingRuleForm.initial_for(rule, contacts))
    if request.method == "POST" and form.is_valid():
        try:
            directory_services.routing_rule_update(
                acting_user=request.user, rule=rule, contacts=form.contacts, **form.rule_fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Rule saved: {rule.title}. The 'Get help' questions "
                                      "use the change now.")
            return redirect("administration:routing-rules")
    return _routing_rule_form_page(request, form, rule=rule, title=title)
