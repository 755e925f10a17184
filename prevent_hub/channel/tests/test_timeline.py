"""The case's and the person's timelines."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.chronology import chronology_record
from prevent_hub.channel.models import ChronologyEntry, ChronologyKind
from prevent_hub.people.services import match_confirm, person_create_from_referral
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import ChannelCaseFactory, team_member_add

pytestmark = pytest.mark.django_db


def _entries(case, count, *, kind=ChronologyKind.NOTE, start=None):
    start = start or timezone.now() - datetime.timedelta(days=count)
    ChronologyEntry.objects.bulk_create([
        ChronologyEntry(case=case, person_id=case.person_id, kind=kind, summary=f"Entry {n:03d}",
                        occurred_at=start + datetime.timedelta(hours=n))
        for n in range(count)
    ])


def _timeline(case):
    return reverse("channel:case-timeline", kwargs={"pk": case.pk})


def test_newest_first_fifty_a_page_with_oldest_first_toggle(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    _entries(case, 60)
    html = client.get(_timeline(case)).content.decode()
    assert "Showing 1 to 50 of 60 entries" in html
    assert html.index("Entry 059") < html.index("Entry 058")
    assert "Entry 009" not in html
    oldest = client.get(_timeline(case), {"order": "oldest"}).content.decode()
    assert oldest.index("Entry 000") < oldest.index("Entry 001")
    second = client.get(_timeline(case), {"page": 2}).content.decode()
    assert "Entry 009" in second and "Entry 059" not in second
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(case.pk)).exists()


def test_filtering_by_kind(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = ChannelCaseFactory()
    _entries(case, 2, kind=ChronologyKind.NOTE)
    chronology_record(case=case, person_id=case.person_id, kind=ChronologyKind.CONSENT,
                      summary="Consent asked (fictional)")
    html = client.get(_timeline(case), {"kind": "consent"}).content.decode()
    assert "Consent asked (fictional)" in html and "Entry 000" not in html
    assert 'govuk-tag--grey">Consent<' in html


def test_the_timeline_takes_the_same_queries_however_long(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    _entries(case, 3)
    client.get(_timeline(case))  # warm the session

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_timeline(case)).status_code == 200
        return len(queries)

    few = count()
    _entries(case, 120)
    assert count() == few


def test_the_timeline_reads_entries_in_one_query_and_one_count(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    _entries(case, 70)
    client.get(_timeline(case))
    with CaptureQueriesContext(connection) as queries:
        client.get(_timeline(case))
    entry_queries = [q for q in queries if "channel_chronologyentry" in q["sql"]]
    assert len(entry_queries) == 2  # COUNT and one page


@pytest.mark.parametrize("role", [Role.INTERVENTION_PROVIDER])
def test_intervention_providers_cannot_see_the_timeline(staff_client, role):
    client = staff_client(role)
    case = ChannelCaseFactory()
    team_member_add(case, client.user)
    assert client.get(_timeline(case)).status_code == 403
    person = reverse("channel:person-timeline", kwargs={"pk": case.person_id})
    assert client.get(person).status_code == 403


def test_a_panel_member_sees_only_their_cases_on_a_persons_timeline(staff_client):
    client = staff_client(Role.PANEL_MEMBER)
    person = PersonFactory()
    mine = ChannelCaseFactory(person=person)
    other = ChannelCaseFactory(person=person)
    team_member_add(mine, client.user)
    chronology_record(case=mine, person_id=person.pk, kind=ChronologyKind.NOTE, summary="On my case")
    chronology_record(case=other, person_id=person.pk, kind=ChronologyKind.NOTE, summary="On another case")
    chronology_record(person_id=person.pk, kind=ChronologyKind.REFERRAL, summary="A referral",
                      obj=mine.referral)
    html = client.get(reverse("channel:person-timeline", kwargs={"pk": person.pk})).content.decode()
    assert "On my case" in html
    assert "On another case" not in html and "A referral" not in html
    stranger = PersonFactory()
    assert client.get(reverse("channel:person-timeline", kwargs={"pk": stranger.pk})).status_code == 404


def test_linking_a_referral_to_a_person_puts_it_on_their_timeline(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    coordinator = client.user
    first = ReferralFactory(person=None)
    person = person_create_from_referral(referral=first, acting_user=coordinator)
    second = ReferralFactory(person=None)
    match_confirm(referral=second, person=person, acting_user=coordinator)
    entries = ChronologyEntry.objects.filter(person=person, kind=ChronologyKind.REFERRAL)
    assert {entry.object_id for entry in entries} == {str(first.pk), str(second.pk)}
    html = client.get(reverse("channel:person-timeline", kwargs={"pk": person.pk})).content.decode()
    assert f"Referral {first.reference} received" in html and f"Referral {second.reference}" in html
    person_page = client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    assert reverse("channel:person-timeline", kwargs={"pk": person.pk}) in person_page


def test_police_see_only_referrals_shared_with_them_on_a_persons_timeline(staff_client):
    client = staff_client(Role.POLICE_PRACTITIONER)
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    shared = ReferralFactory(person=None, police_shared_at=timezone.now())
    person = person_create_from_referral(referral=shared, acting_user=coordinator)
    unshared = ReferralFactory(person=None)
    match_confirm(referral=unshared, person=person, acting_user=coordinator)
    html = client.get(reverse("channel:person-timeline", kwargs={"pk": person.pk})).content.decode()
    assert shared.reference in html
    assert unshared.reference not in html
