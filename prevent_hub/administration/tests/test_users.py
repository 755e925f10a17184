import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import RoleAssignment, Session, User
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.administration.views import USERS_PER_PAGE
from prevent_hub.audit.models import AuditAction, AuditEvent

from .helpers import HOSTILE, assert_escaped, banner_text, error_summary, input_value

USERS = reverse("administration:users")
CREATE = reverse("administration:user-create")


def detail_url(user):
    return reverse("administration:user-detail", args=[user.pk])


def events(action, user=None):
    found = AuditEvent.objects.filter(action=action)
    if user is not None:
        found = found.filter(object_type="accounts.user", object_id=str(user.pk))
    return found


# Index -------------------------------------------------------------------------


def test_index_links_to_the_three_areas(admin_client):
    html = admin_client.get(reverse("administration:index")).content.decode()
    for name in ("users", "organisations", "contacts"):
        assert f'href="{reverse(f"administration:{name}")}"' in html


# List, search and filters ------------------------------------------------------


def test_list_shows_users_with_organisation_roles_and_status(admin_client, target):
    gone = UserFactory(full_name="Gone Person", is_active=False)
    html = admin_client.get(USERS).content.decode()
    assert "Pat Target" in html and "pat.target@test.shireford.example" in html
    assert target.organisation.name in html
    assert "Panel member" in html
    assert "Gone Person" in html and "Deactivated" in html
    assert gone.email in html


def test_unfiltered_list_writes_no_search_event(admin_client, target):
    admin_client.get(USERS)
    assert not events(AuditAction.SEARCH).exists()


def test_search_by_name_or_email_is_audited_with_the_filters_not_the_results(admin_client, target):
    UserFactory(full_name="Someone Else", email="else@test.shireford.example")
    response = admin_client.get(USERS, {"q": "pat targ"})
    html = response.content.decode()
    assert "Pat Target" in html and "Someone Else" not in html
    assert input_value(response, "q") == "pat targ"
    event = events(AuditAction.SEARCH).get()
    assert event.object_type == "accounts.user"
    assert event.details == {"filters": {"q": "pat targ"}, "page": 1}
    assert "Pat Target" not in str(event.details)

    html = admin_client.get(USERS, {"q": "ELSE@test"}).content.decode()
    assert "Someone Else" in html and "Pat Target" not in html


def test_filters_by_organisation_role_and_status(admin_client, target):
    other_org = OrganisationFactory(name="Shireford Police")
    police = UserFactory(full_name="Officer Dibble", organisation=other_org,
                         roles=[Role.POLICE_PRACTITIONER])
    UserFactory(full_name="Former Officer", organisation=other_org, is_active=False,
                roles=[Role.POLICE_PRACTITIONER])

    html = admin_client.get(USERS, {"organisation": other_org.pk}).content.decode()
    assert "Officer Dibble" in html and "Former Officer" in html and "Pat Target" not in html

    html = admin_client.get(USERS, {"role": Role.PANEL_MEMBER}).content.decode()
    assert "Pat Target" in html and "Officer Dibble" not in html

    response = admin_client.get(USERS, {"organisation": other_org.pk, "status": "active"})
    html = response.content.decode()
    assert "Officer Dibble" in html and "Former Officer" not in html
    chosen = _soup(response).select_one('select[name="organisation"] option[selected]')
    assert chosen.get_text(strip=True) == "Shireford Police"

    html = admin_client.get(USERS, {"status": "deactivated"}).content.decode()
    assert "Former Officer" in html and "Officer Dibble" not in html
    assert police.pk  # listed above
    search = events(AuditAction.SEARCH).order_by("sequence").last()
    assert search.details["filters"] == {"status": "deactivated"}


def test_no_matches_shows_a_clear_empty_state(admin_client):
    html = admin_client.get(USERS, {"q": "nobody-by-this-name"}).content.decode()
    assert "No users match your search" in html
    assert "Clear search and filters" in html


def test_an_unknown_filter_value_is_reported_and_ignored(admin_client, target):
    response = admin_client.get(USERS, {"role": "emperor", "q": "Pat"})
    assert error_summary(response) == ["Select a role from the list"]
    assert "Pat Target" in response.content.decode()


def test_list_is_paginated(admin_client):
    UserFactory.create_batch(USERS_PER_PAGE + 5)
    first = admin_client.get(USERS)
    html = first.content.decode()
    assert "govuk-pagination" in html
    assert f"Showing 1 to {USERS_PER_PAGE} of {USERS_PER_PAGE + 6} users" in html
    second = admin_client.get(USERS, {"page": 2}).content.decode()
    assert f"Showing {USERS_PER_PAGE + 1} to {USERS_PER_PAGE + 6}" in second


def test_pagination_keeps_the_search(admin_client):
    UserFactory.create_batch(USERS_PER_PAGE + 1, job_title="Analyst")
    html = admin_client.get(USERS, {"q": "Test User"}).content.decode()
    assert "?q=Test+User&amp;page=2" in html


def _queries_for_list(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(USERS, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "Test", "role": Role.AUDITOR, "status": "active"}],
                         ids=["unfiltered", "searched"])
def test_list_makes_the_same_number_of_queries_for_5_or_50_users(
    admin_client, django_assert_max_num_queries, params
):
    organisation = OrganisationFactory()
    UserFactory.create_batch(5, organisation=organisation, roles=[Role.AUDITOR, Role.PANEL_MEMBER])
    with_five = _queries_for_list(admin_client, params)
    UserFactory.create_batch(45, roles=[Role.AUDITOR, Role.CHANNEL_CHAIR])  # each in its own organisation
    with django_assert_max_num_queries(with_five):
        admin_client.get(USERS, params)
    # And the number is small in absolute terms.
    assert with_five <= 20


# Export ------------------------------------------------------------------------


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_is_audited_and_safe_to_open_in_a_spreadsheet(admin_client):
    UserFactory(full_name='=HYPERLINK("x")', job_title="+44 1632", roles=[Role.AUDITOR])
    UserFactory(full_name="@SUM(A1)", job_title="-1")
    response = admin_client.get(reverse("administration:users-export"))
    assert response["Cache-Control"] == "private, no-store"
    rows = _csv(response)
    assert rows[0][:2] == ["Name", "Email address"]
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in names
    assert "'@SUM(A1)" in names
    titles = [row[2] for row in rows[1:]]
    assert "'+44 1632" in titles and "'-1" in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    event = events(AuditAction.EXPORT).get()
    assert event.object_type == "accounts.user"
    assert event.details["rows"] == len(rows) - 1 == 3
    assert event.details["format"] == "csv"


def test_export_follows_the_search(admin_client, target):
    UserFactory(full_name="Someone Else")
    rows = _csv(admin_client.get(reverse("administration:users-export"), {"q": "target"}))
    assert [row[0] for row in rows[1:]] == ["Pat Target"]
    assert rows[1][4] == "Panel member"
    assert events(AuditAction.EXPORT).get().details["filters"] == {"q": "target"}


# Create ------------------------------------------------------------------------


def test_create_user_sends_the_set_password_email_and_lists_them(
    admin_client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Shireford College")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CREATE, {
            "email": "New.Person@Test.Shireford.example", "full_name": "  New   Person ",
            "job_title": "Safeguarding lead", "organisation": organisation.pk,
            "roles": [Role.PANEL_MEMBER, Role.TRAINING_ADMINISTRATOR],
        })
    user = User.objects.get(email="new.person@test.shireford.example")
    assert response.status_code == 302
    assert response["Location"] == detail_url(user)
    assert user.full_name == "New Person"
    assert user.organisation == organisation
    assert set(user.role_assignments.values_list("role", flat=True)) == {
        Role.PANEL_MEMBER, Role.TRAINING_ADMINISTRATOR}
    assert not user.has_usable_password()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@test.shireford.example"]

    page = admin_client.get(response["Location"])
    assert "We have emailed new.person@test.shireford.example" in banner_text(page)
    html = admin_client.get(USERS).content.decode()
    assert "New Person" in html and "Shireford College" in html
    assert events(AuditAction.CREATE, user).count() == 1


def test_create_user_errors_keep_what_was_typed(admin_client):
    organisation = OrganisationFactory()
    response = admin_client.post(CREATE, {
        "email": "not-an-email", "full_name": "Kept Name", "job_title": "Kept title",
        "organisation": organisation.pk,
    })
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter an email address in the correct format, like name@example.org",
        "Select at least one role",
    ]
    assert input_value(response, "email") == "not-an-email"
    assert input_value(response, "full_name") == "Kept Name"
    assert input_value(response, "job_title") == "Kept title"
    assert "<title>Error:" in response.content.decode()
    assert not User.objects.filter(full_name="Kept Name").exists()


def test_create_user_requires_email_name_and_organisation(admin_client):
    response = admin_client.post(CREATE, {"roles": [Role.AUDITOR]})
    assert error_summary(response) == [
        "Enter an email address", "Enter the person's full name",
        "Select the person's organisation",
    ]
    # The ticked role stays ticked.
    assert 'value="auditor" checked' in response.content.decode()


def test_create_user_refuses_an_email_already_in_use_whatever_its_case(admin_client, target):
    response = admin_client.post(CREATE, {
        "email": "PAT.TARGET@test.shireford.example", "full_name": "Pat Again",
        "organisation": target.organisation.pk, "roles": [Role.AUDITOR],
    })
    assert error_summary(response) == ["An account with this email address already exists"]
    assert User.objects.filter(email__iexact="pat.target@test.shireford.example").count() == 1


@pytest.mark.parametrize("email", ["\u0131mran@test.shireford.example",  # dotless i
                                   "s\u00e1m@test.shireford.example", "sam@t\u0435st.example"])  # Cyrillic e
def test_create_user_refuses_an_address_with_letters_that_could_look_like_others(admin_client, target, email):
    before = User.objects.count()
    response = admin_client.post(CREATE, {
        "email": email, "full_name": "Look Alike", "organisation": target.organisation.pk,
        "roles": [Role.AUDITOR]})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter an email address using only the letters a to z, numbers and the symbols . _ % + - @"]
    assert User.objects.count() == before
    assert email in response.content.decode()  # what was typed is kept


def test_create_user_stores_the_canonical_form(admin_client, target):
    admin_client.post(CREATE, {
        "email": "\uff2e\uff45\uff57.Person@test.shireford.example", "full_name": "New Person",
        "organisation": target.organisation.pk, "roles": [Role.AUDITOR]})
    assert User.objects.filter(email="new.person@test.shireford.example").exists()


def test_create_user_offers_only_active_organisations(admin_client):
    OrganisationFactory(name="Closed Trust", is_active=False)
    OrganisationFactory(name="Open Trust")
    html = admin_client.get(CREATE).content.decode()
    assert "Open Trust" in html and "Closed Trust" not in html


def test_sending_the_form_twice_creates_one_account(admin_client):
    organisation = OrganisationFactory()
    data = {"email": "twice@test.shireford.example", "full_name": "Twice Sent",
            "organisation": organisation.pk, "roles": [Role.AUDITOR]}
    assert admin_client.post(CREATE, data).status_code == 302
    again = admin_client.post(CREATE, data)
    assert again.status_code == 200
    assert error_summary(again) == ["An account with this email address already exists"]
    assert User.objects.filter(email="twice@test.shireford.example").count() == 1


# Detail ------------------------------------------------------------------------


def test_detail_page_summarises_the_account_and_writes_exactly_one_view_event(
    admin_client, client_for, target
):
    client_for(target)  # one active session, with a confirmed authenticator
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    response = admin_client.get(detail_url(target))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1
    event = events(AuditAction.VIEW, target).get()
    assert event.actor == admin_client.user

    rows = dict(
        (row.select_one(".govuk-summary-list__key").get_text(strip=True),
         row.select_one(".govuk-summary-list__value").get_text(" ", strip=True))
        for row in _soup(response).select(".govuk-summary-list__row")
    )
    assert rows["Name"] == "Pat Target"
    assert rows["Email address"] == "pat.target@test.shireford.example"
    assert rows["Job title"] == "Youth worker"
    assert rows["Organisation"] == target.organisation.name
    assert rows["Roles"] == "Panel member"
    assert rows["Active"] == "Yes"
    assert rows["Second factor set up"] == "Yes"
    assert rows["Last signed in"] != "Never"
    assert rows["Active sessions"] == "1"


def test_detail_page_of_a_user_who_never_signed_in(admin_client):
    newcomer = UserFactory(full_name="New Starter")
    rows = {row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
            for row in _soup(admin_client.get(detail_url(newcomer))).select(".govuk-summary-list__row")}
    assert rows["Second factor set up"] == "No"
    assert rows["Last signed in"] == "Never"
    assert rows["Active sessions"] == "0"
    assert rows["Roles"] == "No roles"


def test_detail_page_includes_who_has_accessed_this_record(admin_client, target):
    response = admin_client.get(detail_url(target))
    assert "audit/record_access_link.html" in [t.name for t in response.templates]


def test_an_administrator_who_is_also_an_auditor_sees_the_access_link(staff_client, target):
    client = staff_client(Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    html = client.get(detail_url(target)).content.decode()
    assert "Who has accessed this record" in html
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1


def test_unknown_user_is_a_404(admin_client):
    assert admin_client.get(reverse("administration:user-detail", args=[999999])).status_code == 404


def _soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html5lib")


# Edit details --------------------------------------------------------------------


def test_edit_details(admin_client, target):
    new_org = OrganisationFactory(name="Shireford NHS Trust")
    url = reverse("administration:user-edit", args=[target.pk])
    assert input_value(admin_client.get(url), "email") == target.email
    response = admin_client.post(url, {
        "email": "pat.t@test.shireford.example", "full_name": "Pat Target-Jones",
        "job_title": "", "organisation": new_org.pk,
    })
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.email, target.full_name, target.job_title, target.organisation) == (
        "pat.t@test.shireford.example", "Pat Target-Jones", "", new_org)
    update = events(AuditAction.UPDATE, target).get()
    assert set(update.changed_fields) == {"email", "full_name", "job_title", "organisation"}
    assert "Details updated for Pat Target-Jones" in banner_text(admin_client.get(response["Location"]))


def test_edit_details_errors_keep_what_was_typed(admin_client, target):
    other = UserFactory(email="taken@test.shireford.example")
    url = reverse("administration:user-edit", args=[target.pk])
    response = admin_client.post(url, {
        "email": "Taken@test.shireford.example", "full_name": "", "job_title": "Typed title",
        "organisation": target.organisation.pk,
    })
    assert error_summary(response) == [
        "An account with this email address already exists", "Enter the person's full name"]
    assert input_value(response, "email") == "Taken@test.shireford.example"
    assert input_value(response, "job_title") == "Typed title"
    target.refresh_from_db()
    assert target.full_name == "Pat Target" and other.email == "taken@test.shireford.example"
    assert not events(AuditAction.UPDATE, target).exists()


def test_keeping_your_own_email_is_not_a_duplicate(admin_client, target):
    url = reverse("administration:user-edit", args=[target.pk])
    response = admin_client.post(url, {
        "email": target.email.upper(), "full_name": "Pat Target", "job_title": "Youth worker",
        "organisation": target.organisation.pk,
    })
    assert response.status_code == 302
    assert not events(AuditAction.UPDATE, target).exists()  # nothing changed


# Roles -----------------------------------------------------------------------


def test_change_roles_takes_effect_on_the_next_request(admin_client, client_for, target):
    their_client = client_for(target)
    assert their_client.get(USERS).status_code == 403
    response = admin_client.post(reverse("administration:user-roles", args=[target.pk]),
                                 {"roles": [Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR]})
    assert response.status_code == 302
    assert their_client.get(USERS).status_code == 200
    assert set(RoleAssignment.objects.filter(user=target).values_list("role", flat=True)) == {
        Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR}
    event = events(AuditAction.UPDATE, target).get()
    assert event.changed_fields == ["roles"]
    assert event.details == {"added": ["auditor", "system_administrator"], "removed": ["panel_member"]}

    # And taking a role away works just as fast.
    admin_client.post(reverse("administration:user-roles", args=[target.pk]), {"roles": []})
    assert their_client.get(USERS).status_code == 403


def test_change_roles_form_shows_the_current_roles(admin_client, target):
    html = admin_client.get(reverse("administration:user-roles", args=[target.pk])).content.decode()
    assert 'value="panel_member" checked' in html
    assert 'value="auditor" checked' not in html


def test_cannot_remove_your_own_administrator_role(admin_client):
    me = admin_client.user
    response = admin_client.post(reverse("administration:user-roles", args=[me.pk]),
                                 {"roles": [Role.AUDITOR]})
    assert response.status_code == 200
    assert error_summary(response) == [
        "You cannot remove your own system administrator role. Ask another system administrator "
        "to do it"]
    # What was ticked stays ticked.
    assert 'value="auditor" checked' in response.content.decode()
    assert 'value="system_administrator" checked' not in response.content.decode()
    assert RoleAssignment.objects.filter(user=me, role=Role.SYSTEM_ADMINISTRATOR).exists()


def test_unknown_role_is_refused(admin_client, target):
    response = admin_client.post(reverse("administration:user-roles", args=[target.pk]),
                                 {"roles": ["emperor"]})
    assert response.status_code == 200
    assert error_summary(response)
    assert set(target.role_assignments.values_list("role", flat=True)) == {Role.PANEL_MEMBER}


# Deactivate and reactivate ---------------------------------------------------------


def test_deactivation_asks_for_a_reason_and_ends_the_targets_sessions(admin_client, client_for, target):
    their_client = client_for(target)
    assert their_client.get("/staff/").status_code == 200
    url = reverse("administration:user-deactivate", args=[target.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "reason" in page.content.decode()

    response = admin_client.post(url, {"reason": "Left the council on 31 March"})
    assert response.status_code == 302 and response["Location"] == detail_url(target)
    target.refresh_from_db()
    assert not target.is_active
    assert not Session.objects.filter(user=target).exists()

    after = their_client.get("/staff/")
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:sign-in"))

    event = events(AuditAction.UPDATE, target).get()
    assert event.details["reason"] == "Left the council on 31 March"
    assert event.details["sessions_ended"] == 1
    assert "has been deactivated" in banner_text(admin_client.get(detail_url(target)))


def test_deactivation_without_a_reason_is_refused(admin_client, target):
    url = reverse("administration:user-deactivate", args=[target.pk])
    response = admin_client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert error_summary(response) == ["Enter a reason for deactivating the account"]
    target.refresh_from_db()
    assert target.is_active


def test_overlong_reason_is_refused_and_kept(admin_client, target):
    url = reverse("administration:user-deactivate", args=[target.pk])
    response = admin_client.post(url, {"reason": "x" * 501})
    assert error_summary(response) == ["Reason must be 500 characters or fewer"]
    assert input_value(response, "reason").strip() == "x" * 501


def test_you_cannot_deactivate_your_own_account(admin_client):
    me = admin_client.user
    url = reverse("administration:user-deactivate", args=[me.pk])
    page = admin_client.get(url)
    assert "You cannot deactivate your own account" in page.content.decode()
    assert not _soup(page).select(f'form[action="{url}"]')
    response = admin_client.post(url, {"reason": "Testing"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    # The detail page offers no deactivate link for your own account.
    assert url not in admin_client.get(detail_url(me)).content.decode()


def test_deactivating_twice_is_harmless(admin_client, target):
    url = reverse("administration:user-deactivate", args=[target.pk])
    admin_client.post(url, {"reason": "Left"})
    again = admin_client.post(url, {"reason": "Left"})
    assert again.status_code == 302
    assert events(AuditAction.UPDATE, target).count() == 1
    assert "already deactivated" in admin_client.get(again["Location"]).content.decode()


def test_reactivate(admin_client, target):
    target.is_active = False
    target.save()
    url = reverse("administration:user-reactivate", args=[target.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active
    assert "has been reactivated" in banner_text(admin_client.get(response["Location"]))
    admin_client.post(url)  # a second click
    assert events(AuditAction.UPDATE, target).count() == 1


def test_changes_need_the_csrf_token(admin_client, target):
    from django.test import Client

    from conftest import sign_in

    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, admin_client.user)
    response = strict.post(reverse("administration:user-deactivate", args=[target.pk]),
                           {"reason": "No token"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


# Second factor ---------------------------------------------------------------


def test_reset_second_factor(admin_client, client_for, target):
    client_for(target)  # gives them a confirmed authenticator and a session
    StaticDevice.objects.create(user=target, name="Recovery codes")
    url = reverse("administration:user-reset-second-factor", args=[target.pk])
    page = admin_client.get(url)
    assert "Reset second factor" in page.content.decode()
    # Not without saying how they confirmed who asked (ASVS V6.4.4).
    for missing in ({}, {"identity_check": "called_back"}, {"identity_check_details": "Called back"}):
        refused = admin_client.post(url, missing)
        assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
        assert TOTPDevice.objects.filter(user=target).exists()
    checked = {"identity_check": "called_back",
               "identity_check_details": "Called back on the number HR holds, 14 March 10:20"}
    response = admin_client.post(url, checked)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    assert not Session.objects.filter(user=target).exists()
    event = events(AuditAction.UPDATE, target).get()
    assert event.changed_fields == ["second_factor"]
    assert event.actor == admin_client.user and event.details["identity_check"] == "called_back"
    assert event.details["identity_check_details"] == checked["identity_check_details"]
    assert "second factor has been reset" in banner_text(admin_client.get(response["Location"]))
    # Sent again: nothing left to reset, nothing more recorded.
    admin_client.post(url, checked)
    assert events(AuditAction.UPDATE, target).count() == 1


def test_you_cannot_reset_your_own_second_factor_here(admin_client):
    me = admin_client.user
    url = reverse("administration:user-reset-second-factor", args=[me.pk])
    assert "You cannot reset your own second factor" in admin_client.get(url).content.decode()
    admin_client.post(url)
    assert TOTPDevice.objects.filter(user=me).exists()


# Set-password link again -----------------------------------------------------------


def test_email_a_new_set_password_link(admin_client, target, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("administration:user-send-set-password-email", args=[target.pk]))
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[target.email]]


# Hostile input -------------------------------------------------------------------


def test_hostile_names_are_escaped_everywhere(admin_client):
    organisation = OrganisationFactory(name=f"Org {HOSTILE}")
    hostile = UserFactory(full_name=HOSTILE, job_title=HOSTILE, organisation=organisation,
                          email="hostile@test.shireford.example")
    for url in (
        USERS,
        f"{USERS}?q=%3Cscript",
        detail_url(hostile),
        reverse("administration:user-edit", args=[hostile.pk]),
        reverse("administration:user-roles", args=[hostile.pk]),
        reverse("administration:user-deactivate", args=[hostile.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())
    # In the confirmation banner too.
    response = admin_client.post(reverse("administration:user-deactivate", args=[hostile.pk]),
                                 {"reason": HOSTILE})
    assert_escaped(admin_client.get(response["Location"]).content.decode())


def test_hostile_search_is_escaped(admin_client):
    response = admin_client.get(USERS, {"q": HOSTILE})
    assert_escaped(response.content.decode())


def test_the_create_user_page_describes_each_role_from_the_access_policy(admin_client):
    from html import unescape

    from prevent_hub.access.policy import DESCRIPTIONS, ROLE_SUMMARIES, Action

    html = unescape(admin_client.get(CREATE).content.decode())
    for role in Role:
        assert ROLE_SUMMARIES[role] in html
    # What each may do comes from the matrix: the triage queue for coordinators and police...
    assert html.count(DESCRIPTIONS[Action.REFERRAL_QUEUE]) == 2
    # ...and the same words are in docs/access.md.
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "access.md").read_text()
    assert all(ROLE_SUMMARIES[role] in doc for role in Role)
