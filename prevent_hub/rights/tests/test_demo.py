"""The rights demo: one subject access request in progress, one released,
one erasure refused with reasons; the demo officer can open each."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.rights.models import BundleStatus, Decision, RequestKind, RequestStatus, RightsRequest


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_the_demo_has_a_request_in_progress_one_released_and_an_erasure_refused(demo):
    access = RightsRequest.objects.filter(kind=RequestKind.SUBJECT_ACCESS)
    assert access.filter(status=RequestStatus.IN_PROGRESS, bundle__status=BundleStatus.PREPARED,
                         bundle__redactions__isnull=False).exists()
    released = access.get(status=RequestStatus.COMPLETED)
    assert released.bundle.status == BundleStatus.RELEASED and released.decision == Decision.PARTLY_ACCEPTED
    assert released.bundle.approved_by != released.bundle.prepared_by
    erasure = RightsRequest.objects.get(kind=RequestKind.ERASURE)
    assert erasure.decision == Decision.REFUSED and "Fictional demo reasons" in erasure.decision_reasons
    client = Client()
    sign_in(client, User.objects.get(email=f"dpo@{DEMO_DOMAIN}"))
    for request in RightsRequest.objects.all():
        assert client.get(reverse("rights:request", args=[request.pk])).status_code == 200
