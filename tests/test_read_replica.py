"""The read replica: reports and statistics read from it, everything else —
every write, the audit event a report page writes, every other page — from
the primary.

A second PostgreSQL database stands in for the replica: a copy of the
suite's database (pg_dump → pg_restore, as a replica starts from a base
backup), then given different rows than the primary, so a page's figures say
which database it read. Real streaming replication (and its lag) is not
tested here: docs/deployment.md says so."""

import datetime
import subprocess

import pytest
from django.db import DatabaseError, connection, connections
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.core import db_routers
from prevent_hub.core.db_routers import (
    REPLICA,
    ReportReplicaRouter,
    is_reading_for_report,
    reading_for_report,
    report_read,
)
from prevent_hub.core.management.commands.backup_database import postgresql_environment
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.statistics.tests.factories import london
from prevent_hub.statistics.tests.readers import csv_figures, csv_lines, page_figures

from .postgres import database_drop, dump_restore

ROUTER = "prevent_hub.core.db_routers.ReportReplicaRouter"
# Financial year 2024/25; a day in it.
YEAR, RECEIVED_ON = 2024, datetime.date(2024, 6, 15)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a second PostgreSQL database stands in for the replica (the CI's "
           "PostgreSQL pass runs it)")


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker, tmp_path_factory):
    """A `replica` alias on a copy of the suite's database (its own database,
    so different rows can be put in each)."""
    primary = connection.settings_dict
    name = f"{primary['NAME']}_replica"
    dump = tmp_path_factory.mktemp("replica") / "primary.dump"
    with django_db_blocker.unblock():
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", primary["NAME"]],  # noqa: S603, S607
                       env=postgresql_environment(primary), check=True, capture_output=True, timeout=300)
        dump_restore(primary, dump, name)
        connections.settings[REPLICA] = {**primary, "NAME": name, "TEST": {**primary["TEST"], "NAME": name}}
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        database_drop(primary, name)


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = [ROUTER]


def referrals_on_the_replica(count: int):
    for _ in range(count):
        ReferralFactory.build(received_at=london(RECEIVED_ON)).save(using=REPLICA)


def referrals_on_the_primary(count: int):
    ReferralFactory.create_batch(count, received_at=london(RECEIVED_ON))


@needs_postgresql
@pytest.mark.django_db(databases=["default", REPLICA])
def test_the_statistics_read_the_replica_and_their_download_is_audited_on_the_primary(
        replica, routed, staff_client):
    referrals_on_the_primary(9)
    referrals_on_the_replica(6)
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    events_on_the_primary = AuditEvent.objects.using("default").count()
    events_on_the_replica = AuditEvent.objects.using(REPLICA).count()

    page = coordinator.get(reverse("statistics:year", args=[YEAR]))
    download = coordinator.get(reverse("statistics:download", args=[YEAR, "csv"]))

    assert page_figures(page)["headlines"]["referrals"] == "6", "the page's figures come from the replica"
    assert csv_figures(csv_lines(download))["Headline figures"]["referrals"] == "6"
    exported = AuditEvent.objects.using("default").filter(action=AuditAction.EXPORT)
    assert AuditEvent.objects.using("default").count() == events_on_the_primary + 1
    assert exported.get().object_id == str(YEAR), "the download's audit event is on the primary"
    assert AuditEvent.objects.using(REPLICA).count() == events_on_the_replica, \
        "nothing is written to the replica"


@needs_postgresql
@pytest.mark.django_db(databases=["default", REPLICA])
def test_pages_people_act_on_read_the_primary(replica, routed, staff_client):
    on_the_primary = ReferralFactory(received_at=london(RECEIVED_ON))
    coordinator = staff_client(Role.PREVENT_COORDINATOR)

    response = coordinator.get(reverse("triage:referral", args=[on_the_primary.reference]))

    assert response.status_code == 200
    assert on_the_primary.reference in response.content.decode()
    assert not Referral.objects.using(REPLICA).filter(reference=on_the_primary.reference).exists()


@needs_postgresql
@pytest.mark.django_db(databases=["default", REPLICA])
def test_without_the_router_the_statistics_come_from_the_primary(replica, staff_client):
    referrals_on_the_primary(9)
    referrals_on_the_replica(6)
    coordinator = staff_client(Role.PREVENT_COORDINATOR)

    response = coordinator.get(reverse("statistics:year", args=[YEAR]))

    assert page_figures(response)["headlines"]["referrals"] == "9"


@needs_postgresql
@pytest.mark.django_db(databases=["default", REPLICA])
def test_the_health_check_does_not_depend_on_the_replica(replica, routed, client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connections[REPLICA], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 200, "a load balancer must not take every app server out for reports"


def test_only_reads_inside_a_report_scope_go_to_the_replica(monkeypatch):
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)
    router = ReportReplicaRouter()

    @report_read
    def failing_report():
        assert router.db_for_read(Referral) == REPLICA
        raise ValueError("a report that fails")

    with reading_for_report():
        assert router.db_for_read(Referral) == REPLICA
        assert router.db_for_write(Referral) == "default", "writes go to the primary, even in a report"
    assert router.db_for_read(Referral) == "default", "the scope ends with the block"
    with pytest.raises(ValueError, match="a report that fails"):
        failing_report()
    assert not is_reading_for_report(), "and ends when the report fails"
    assert not router.allow_migrate(REPLICA, "referrals"), "the replica's schema comes by replication"
    assert router.allow_migrate("default", "referrals")


def test_without_a_replica_a_report_reads_the_primary():
    with reading_for_report():
        assert ReportReplicaRouter().db_for_read(Referral) == "default"
