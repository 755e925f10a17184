"""Every administration URL is for system administrators only."""

import time

import pytest
from django.urls import URLPattern, reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.administration import urls
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.services import audit_refusal_tallies_write
from prevent_hub.directory.models import Contact, RoutingRule

EVERY_OTHER_ROLE = tuple(role for role in Role if role != Role.SYSTEM_ADMINISTRATOR)


def administration_urls(*, user, organisation):
    contact = Contact.objects.get(key="act-early")
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        kwargs = {}
        if "<int:pk>" in route:
            if pattern.name.startswith("organisation"):
                kwargs["pk"] = organisation.pk
            elif pattern.name.startswith("contact"):
                kwargs["pk"] = contact.pk
            elif pattern.name.startswith("routing-rule"):
                kwargs["pk"] = RoutingRule.objects.order_by("position").first().pk
            else:
                kwargs["pk"] = user.pk
        if "<int:version>" in route:
            kwargs["version"] = 1
        if "<slug:record_type>" in route:
            kwargs["record_type"] = "complaint"
        found.append(reverse(f"administration:{pattern.name}", kwargs=kwargs))
    return found


def test_every_view_declares_what_it_needs():
    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "access_action", None), pattern.name


@pytest.mark.parametrize("roles", [(), EVERY_OTHER_ROLE, (Role.AUDITOR,)],
                         ids=["no roles", "every other role", "auditor"])
def test_anyone_but_a_system_administrator_is_refused_everywhere(staff_client, roles):
    client = staff_client(*roles)
    target = UserFactory(full_name="Left Alone")
    organisation = OrganisationFactory(name="Untouched Organisation")
    paths = administration_urls(user=target, organisation=organisation)
    assert len(paths) == len(urls.urlpatterns) >= 15
    for path in paths:
        assert client.get(path).status_code == 403, path
        data = {"reason": "x", "name": "Renamed", "type": "police"}
        assert client.post(path, data).status_code == 403, path
    target.refresh_from_db()
    organisation.refresh_from_db()
    assert target.is_active and target.full_name == "Left Alone"
    assert organisation.name == "Untouched Organisation"
    # Refusals are written to the audit trail: the first at once, the rest of
    # the minute counted in one event (flood control).
    audit_refusal_tallies_write(now=time.time() + 60)
    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor=client.user)
    assert sum(event.details.get("refusals_counted", 1) for event in refused) == 2 * len(paths)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    for path in administration_urls(user=user, organisation=organisation):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:sign-in")), path


def test_a_system_administrator_may_open_every_page(admin_client):
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    for path in administration_urls(user=user, organisation=organisation):
        if path.endswith(("/reactivate/", "/mark-checked/", "/set-password-email/")):
            assert admin_client.get(path).status_code == 405, path  # changes are POST only
        else:
            assert admin_client.get(path).status_code == 200, path
