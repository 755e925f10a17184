"""`manage.py generate_synthetic` at the tests' tiny scale: what an operator
filling a benchmark database would notice — the volumes asked for, every
status present, the same rows for the same seed, refusals, an audit trail
that verifies, nothing that could be a real person, and pages that render."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import Organisation, User
from prevent_hub.audit.models import AuditEvent
from prevent_hub.audit.verify import audit_chain_verify
from prevent_hub.channel.models import Area, CaseStatus, ChannelCase, ChronologyEntry
from prevent_hub.complaints.models import Complaint, Status
from prevent_hub.panels.models import PanelMeeting
from prevent_hub.people.models import Person
from prevent_hub.referrals.models import Referral, ReferralStatus
from prevent_hub.synthetic import vocabulary
from prevent_hub.synthetic.scales import SCALES
from prevent_hub.venues.models import BookingStatus, Venue, VenueBooking

TINY = SCALES["tiny"]
demo_mode = override_settings(DEMO_MODE=True)


def generate(*args, seed=7):
    out, err = io.StringIO(), io.StringIO()
    with demo_mode:
        call_command("generate_synthetic", "--scale", "tiny", "--seed", str(seed), *args,
                     stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def generated(db):
    return generate()


class Rollback(Exception):
    pass


def digest_of_a_run(seed) -> str:
    """Generate into the (empty) test database, read a digest of what was
    made, and roll it all back so the next run starts from the same state."""
    try:
        with transaction.atomic():
            generate(seed=seed)
            digest = hashlib.sha256()
            for row in Referral.objects.order_by("pk").values_list(
                    "pk", "reference", "status", "received_at", "subject_given_name", "subject_family_name",
                    "subject_postcode", "gateway_outcome", "concern_type", "retain_until", "person_id"):
                digest.update(repr(row).encode())
            for row in ChannelCase.objects.order_by("pk").values_list(
                    "pk", "reference", "status", "opened_at", "adopted_on", "exit_date", "closed_at",
                    "retain_until"):
                digest.update(repr(row).encode())
            for row in ChronologyEntry.objects.order_by("pk").values_list(
                    "case_id", "person_id", "occurred_at", "kind", "summary"):
                digest.update(repr(row).encode())
            # Every audit event's content, in chain order. Not the chain's last
            # hash: it covers each event's key, which PostgreSQL takes from a
            # sequence that a rolled-back run does not give back.
            for row in AuditEvent.objects.order_by("chain_position").values_list(
                    "occurred_at", "actor_id", "action", "object_type", "object_id", "changed_fields",
                    "details", "path"):
                digest.update(repr(row).encode())
            raise Rollback
    except Rollback:
        return digest.hexdigest()


def test_makes_the_volumes_of_its_scale_with_every_status(generated):
    assert Referral.objects.count() == TINY.referrals
    assert ChannelCase.objects.count() == TINY.cases
    assert AuditEvent.objects.count() == TINY.audit_events
    # Notes fill the timeline up to about the scale's size.
    assert TINY.timeline * 0.9 <= ChronologyEntry.objects.count() <= TINY.timeline * 1.1
    assert set(ChannelCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(VenueBooking.objects.values_list("status", flat=True)) == set(BookingStatus.values)
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    # Closed records carry the date retention deletes them; open cases none.
    assert not Referral.objects.filter(status=ReferralStatus.DECIDED, retain_until=None).exclude(
        gateway_outcome="proceed_to_channel").exists()
    assert not ChannelCase.objects.filter(status=CaseStatus.CLOSED, retain_until=None).exists()
    assert not ChannelCase.objects.filter(status=CaseStatus.SUPPORT).exclude(retain_until=None).exists()
    # Reporting details, so the statistics have something to count.
    assert not Referral.objects.filter(status=ReferralStatus.DECIDED, concern_type="").exists()
    assert "Rows written:" in generated and "referrals.Referral" in generated


def test_dates_are_spread_over_the_years_up_to_the_anchor(generated):
    years = {received.year for received in Referral.objects.values_list("received_at", flat=True)}
    assert len(years) >= 9
    assert Referral.objects.latest("received_at").received_at.date().isoformat() <= "2026-12-01"


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = digest_of_a_run(seed=3)
    assert digest_of_a_run(seed=3) == first
    assert digest_of_a_run(seed=4) != first


@pytest.mark.django_db
def test_refuses_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("generate_synthetic", "--scale", "tiny", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Referral.objects.exists()


def test_refuses_a_database_that_holds_referrals_unless_told_to_append(generated):
    with pytest.raises(CommandError, match="already holds 150 referrals"):
        generate()
    assert Referral.objects.count() == TINY.referrals
    generate("--append", seed=8)
    assert Referral.objects.count() == 2 * TINY.referrals
    assert audit_chain_verify().intact


def test_the_audit_trail_verifies(generated):
    report = audit_chain_verify()
    assert report.intact, report.message()
    assert report.events == TINY.audit_events
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"view", "search", "sign_in", "update", "create", "export"} <= actions


def test_nothing_could_be_a_real_person_or_place(generated):
    assert all(postcode.startswith("ZZ99") for postcode in Person.objects.values_list("postcode", flat=True))
    assert all(postcode.startswith("ZZ99 ")
               for postcode in Referral.objects.values_list("subject_postcode", flat=True))
    for model in (Organisation, Venue, Area):
        assert all(name.endswith("(fictional)") for name in model.objects.values_list("name", flat=True))
    assert set(Person.objects.values_list("given_name", flat=True)) <= set(vocabulary.GIVEN_NAMES)
    assert set(Person.objects.values_list("family_name", flat=True)) <= set(vocabulary.FAMILY_NAMES)
    assert all(email.endswith(".example") for email in User.objects.values_list("email", flat=True))
    # Ofcom's numbers for drama, and addresses reserved for documentation.
    assert all(re.fullmatch(r"01632 960\d{3}", phone)
               for phone in Referral.objects.values_list("referrer_phone", flat=True))
    assert all(address.startswith("192.0.2.")
               for address in AuditEvent.objects.values_list("ip_address", flat=True))


def test_says_how_to_sign_in(generated):
    assert "coordinator@demo.shireford.example" in generated
    assert "password: prevent-hub-demo" in generated


def signed_in(role) -> Client:
    client = Client()
    sign_in(client, User.objects.get(role_assignments__role=role, email__endswith="@demo.shireford.example"))
    return client


def test_staff_pages_render_for_the_generated_data(generated):
    case = ChannelCase.objects.filter(status=CaseStatus.SUPPORT).get()
    referral = Referral.objects.filter(status=ReferralStatus.DECIDED).first()
    coordinator = signed_in(Role.PREVENT_COORDINATOR)
    for url, shows in [
        (reverse("channel:case-list"), ChannelCase.objects.order_by("-opened_at").first().reference),
        (reverse("channel:case-detail", kwargs={"pk": case.pk}), case.reference),
        (reverse("channel:case-timeline", kwargs={"pk": case.pk}), "Support session"),
        (reverse("triage:queue"), Referral.objects.filter(status=ReferralStatus.NEW).first().reference),
        (reverse("triage:referral", kwargs={"reference": referral.reference}), referral.reference),
        (reverse("people:detail", kwargs={"pk": case.person_id}), case.person.family_name),
        (reverse("statistics:dashboard"), "Referrals"),
    ]:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert shows in response.content.decode(), url
    chair = signed_in(Role.CHANNEL_CHAIR)
    meeting = PanelMeeting.objects.filter(status="held", items__isnull=False).first()
    response = chair.get(reverse("panels:meeting", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert meeting.items.first().case.reference in response.content.decode()
    # Every meeting has its minutes, as panels.services makes them: a meeting
    # still to come opens too (it once failed with "no minutes").
    assert not PanelMeeting.objects.filter(minutes__isnull=True).exists()
    upcoming = PanelMeeting.objects.filter(status="scheduled").first()
    response = chair.get(reverse("panels:meeting", kwargs={"pk": upcoming.pk}))
    assert response.status_code == 200
    police = signed_in(Role.POLICE_PRACTITIONER)
    response = police.get(reverse("triage:queue"))
    assert response.status_code == 200
    auditor = signed_in(Role.AUDITOR)
    response = auditor.get(reverse("audit:search"))
    assert response.status_code == 200
    assert "Viewed" in response.content.decode()
