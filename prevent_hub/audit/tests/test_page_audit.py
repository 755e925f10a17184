"""Pages audit what they show, by declaration (audit.shows), and refused
look-ups of record URLs are audited with flood control.

The walk over every staff URL × role is in tests/test_url_role_matrix.py;
these tests pin down what an auditor sees.
"""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit import services
from prevent_hub.audit.models import AuditAction, AuditEvent, RefusalTally
from prevent_hub.channel.tests.factories import ChannelCaseFactory, NoteFactory

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0  # a fixed instant, so a test never straddles a minute


@pytest.fixture
def frozen_minute(monkeypatch):
    monkeypatch.setattr(services.time, "time", lambda: NOW)


def signed_in(*roles):
    user = UserFactory(roles=roles)
    client = Client()
    sign_in(client, user)
    client.user = user
    return client


def views_of(case):
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="channel.channelcase",
                                     object_id=str(case.pk))


def test_a_note_correction_page_records_that_the_case_was_seen_and_which_part():
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    note = NoteFactory(case=case, text="Met Demo Person at the library (fictional).")
    response = coordinator.get(reverse("channel:case-note-correction", args=[case.pk, note.pk]))
    assert response.status_code == 200
    assert "Met Demo Person at the library" in response.content.decode()
    event = views_of(case).get()
    assert event.actor == coordinator.user
    assert event.details["part"] == "note correction form"


def test_a_page_that_writes_its_own_view_event_gets_the_part_and_no_second_event():
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    assert coordinator.get(reverse("channel:case-detail", args=[case.pk])).status_code == 200
    assert [event.details["part"] for event in views_of(case)] == ["case summary"]


def test_a_form_shown_again_with_errors_is_audited_too():
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    response = coordinator.post(reverse("channel:case-note-add", args=[case.pk]), {"text": ""})
    assert response.status_code == 200
    assert views_of(case).get().details["part"] == "new note form"


def test_refused_look_ups_are_audited_once_a_minute_per_client(frozen_minute):
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    missing = [reverse("channel:case-detail", args=[999_000 + n]) for n in range(25)]
    assert all(coordinator.get(path).status_code == 404 for path in missing)

    refused = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
    first = refused.get()
    assert (first.actor, first.object_type, first.object_id) == (
        coordinator.user, "channel.channelcase", "999000")
    assert first.details == {"status": 404}
    assert first.path == missing[0]

    # Another client's refusal in the same minute is its own first one.
    other = signed_in(Role.PREVENT_COORDINATOR)
    assert other.get(missing[0]).status_code == 404
    assert refused.filter(actor=other.user).count() == 1

    # When the minute is over, the 24 counted refusals become one event.
    assert services.audit_refusal_tallies_write(now=NOW + 60) == 1
    summary = refused.filter(actor=coordinator.user).order_by("sequence").last()
    assert summary.details["refusals_counted"] == 24
    assert summary.details["status"] == 404
    assert summary.path == missing[-1]
    assert not RefusalTally.objects.exists()


def test_a_case_the_reader_may_not_see_is_a_refused_look_up_not_a_view(frozen_minute):
    provider = signed_in(Role.INTERVENTION_PROVIDER)  # not on this case's team
    case = ChannelCaseFactory()
    assert provider.get(reverse("channel:case-notes", args=[case.pk])).status_code in (403, 404)
    assert not views_of(case).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED,
                                     actor=provider.user).count() == 1


def test_the_next_minutes_first_refusal_writes_the_previous_minutes_count(monkeypatch):
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    path = reverse("channel:case-detail", args=[999_999])
    monkeypatch.setattr(services.time, "time", lambda: NOW)
    for _ in range(3):
        coordinator.get(path)
    monkeypatch.setattr(services.time, "time", lambda: NOW + 61)
    coordinator.get(path)
    details = [event.details for event in AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED).order_by("sequence")]
    assert [d.get("refusals_counted") for d in details] == [None, 2, None]
