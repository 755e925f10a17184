"""Who has accessed this record."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent

from .helpers import write_events

pytestmark = pytest.mark.django_db


def access_url(record):
    return reverse("audit:record-access", kwargs={"object_type": record._meta.label_lower,
                                                  "object_id": record.pk})


def test_lists_reads_and_changes_of_the_record_newest_first(staff_client):
    client = staff_client(Role.AUDITOR)
    subject = UserFactory()
    viewer = UserFactory(email="viewer@police.example")
    for action in (AuditAction.VIEW, AuditAction.UPDATE, AuditAction.EXPORT, AuditAction.DOWNLOAD,
                   AuditAction.SEARCH, AuditAction.SIGN_IN, AuditAction.CREATE):
        write_events(1, user=viewer, action=action, object_type="accounts.user",
                     object_id=str(subject.pk),
                     changed_fields=["email"] if action == AuditAction.UPDATE else ())
    write_events(1, user=viewer, object_type="accounts.user", object_id=str(subject.pk + 1000))

    response = client.get(access_url(subject))
    assert response.status_code == 200
    actions = [event["action"] for event in response.context["page"].events]
    assert actions == ["search", "download", "export", "update", "view"]
    row = response.context["table"]["rows"][3]
    assert row[0] == {"text": "viewer@police.example", "classes": "govuk-!-text-break-word"}
    assert row[1]["text"] == viewer.organisation.name
    assert row[3] == {"text": "Updated: email"}
    assert row[4] == {"text": "192.0.2.10"}
    html = response.content.decode()
    assert "Who has accessed this record" in html
    assert subject.full_name in html


def test_viewing_the_page_writes_one_search_event(staff_client):
    client = staff_client(Role.AUDITOR)
    subject = UserFactory()
    client.get(access_url(subject))
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.details == {"record": f"accounts.user:{subject.pk}"}
    assert event.object_type == "audit.auditevent"
    assert event.actor == client.user


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
def test_coordinators_and_chairs_see_records_they_may_see_and_nothing_else(staff_client, role):
    client = staff_client(role)
    # They may see their own user record, not other people's (access.scopes).
    assert client.get(access_url(client.user)).status_code == 200
    someone = UserFactory()
    assert client.get(access_url(someone)).status_code == 404
    missing = reverse("audit:record-access", kwargs={"object_type": "accounts.user",
                                                     "object_id": "987654"})
    # A record that does not exist looks the same as one they may not see.
    assert client.get(missing).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 1


@pytest.mark.parametrize("role", [Role.POLICE_PRACTITIONER, Role.SYSTEM_ADMINISTRATOR,
                                  Role.INTERVENTION_PROVIDER])
def test_other_roles_are_refused(staff_client, role):
    client = staff_client(role)
    response = client.get(access_url(client.user))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


@pytest.mark.parametrize(("object_type", "object_id"), [
    ("accounts.user", "not-a-number"),
    ("accounts.user", "9" * 40),
    ("accounts.user", "-1"),
    ("nosuchapp.model", "1"),
    ("accounts", "1"),
    ("accounts.session", "1"),  # a real model with no access rule
    ("audit.auditchainhead", "1"),
    ("<script>", "'; DROP TABLE audit_auditevent; --"),
])
def test_hostile_or_unknown_records_are_not_found(staff_client, object_type, object_id):
    client = staff_client(Role.AUDITOR)
    url = reverse("audit:record-access", kwargs={"object_type": object_type, "object_id": object_id})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.count() >= 1


def test_paginated_with_a_fixed_number_of_queries(staff_client):
    client = staff_client(Role.AUDITOR)
    subject = UserFactory()
    write_events(3, object_type="accounts.user", object_id=str(subject.pk))
    client.get(access_url(subject))
    with CaptureQueriesContext(connection) as few:
        client.get(access_url(subject))
    write_events(120, object_type="accounts.user", object_id=str(subject.pk))
    with CaptureQueriesContext(connection) as many:
        response = client.get(access_url(subject) + "?page=2")
    assert len(few) == len(many)
    page = response.context["page"]
    assert (page.number, page.num_pages, len(page.events)) == (2, 3, 50)
    assert response.context["pagination"]["next"]["href"] == access_url(subject) + "?page=3"


def render_link(user, record):
    request = RequestFactory().get("/staff/somewhere/")
    request.user = user
    template = Template('{% include "audit/record_access_link.html" with record=subject %}')
    return template.render(Context({"request": request, "subject": record}))


@pytest.mark.parametrize(("role", "shown"), [
    (Role.AUDITOR, True), (Role.PREVENT_COORDINATOR, True), (Role.CHANNEL_CHAIR, True),
    (Role.POLICE_PRACTITIONER, False), (Role.SYSTEM_ADMINISTRATOR, False), (None, False),
])
def test_the_link_include_shows_only_to_those_who_may_follow_it(role, shown):
    user = UserFactory(roles=[role] if role else [])
    subject = UserFactory()
    html = render_link(user, subject)
    if shown:
        assert f'<a class="govuk-link" href="{access_url(subject)}">Who has accessed this record</a>' in html
    else:
        assert html.strip() == ""


def test_the_access_table_is_the_govuk_table_component(staff_client):
    from prevent_hub.audit.tables import table_html
    from prevent_hub.govuk.components import render
    from prevent_hub.govuk.tests.html import tokens

    client = staff_client(Role.AUDITOR)
    subject = UserFactory()
    write_events(2, object_type="accounts.user", object_id=str(subject.pk),
                 action=AuditAction.UPDATE, changed_fields=["email", "job_title"])
    params = client.get(access_url(subject)).context["table"]
    assert len(params["rows"]) == 2
    assert tokens(str(table_html(params))) == tokens(str(render("table", params)))
