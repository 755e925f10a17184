"""A copy of the database alone reveals no special-category data.

Records are made the way the service makes them (intake, police sharing,
gateway outcome, reporting details, a draft), with a distinctive fictional
marker in every encrypted free-text field. Then the database is read below
the ORM: every row of every table as text (the audit trail included), and on
SQLite the database image itself. No marker may appear, and every encrypted
column holds only ciphertext or nothing (category codes cannot carry a
marker, so they are checked that way).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from prevent_hub.accounts.models import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.encryption import cipher
from prevent_hub.encryption.fields import REGISTRY
from prevent_hub.encryption.services import encrypted_columns
from prevent_hub.referrals import services
from prevent_hub.referrals.models import ReferralDraft, ReferralKind
from prevent_hub.referrals.reporting import referral_reporting_details_set

# '-' and '!' are in no base64 or hex alphabet: a marker cannot turn up by chance.
MARKERS = {name: f"Qz-{name}-marker!" for name in (
    "subject_description", "concern_description", "concern_how_noticed", "complex_needs_details",
    "other_agencies", "police_shared_notes", "gateway_reasons", "draft")}


def _every_row_as_text() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def _database_image() -> bytes:
    if connection.vendor != "sqlite":
        return b""
    connection.ensure_connection()
    return connection.connection.serialize()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # an earlier transactional test may have emptied it
def test_a_copy_of_the_database_shows_no_special_category_data():
    coordinator = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    referral, _ = services.referral_submit(
        kind=ReferralKind.PRACTITIONER, submission_key="test:copy", acknowledge=False,
        acting_user=coordinator,
        details={"referrer_name": "Fictional Referrer", "subject_given_name": "Fictional",
                 "subject_family_name": "Person", "concern_description": MARKERS["concern_description"],
                 "concern_how_noticed": MARKERS["concern_how_noticed"],
                 "complex_needs_details": MARKERS["complex_needs_details"],
                 "other_agencies": MARKERS["other_agencies"],
                 "subject_description": MARKERS["subject_description"],
                 "special_educational_needs": "yes", "mental_health_needs": "yes", "neurodiversity": "no"})
    referral = services.referral_share_with_police(
        referral=referral, shared_at=timezone.now(), method="secure_email",
        notes=MARKERS["police_shared_notes"], acting_user=coordinator)
    referral = services.referral_gateway_outcome_record(
        referral=referral, outcome="no_further_action", reasons=MARKERS["gateway_reasons"],
        decided_on=timezone.localdate(), acting_user=coordinator)
    referral_reporting_details_set(referral=referral, acting_user=coordinator, details={
        "ethnicity": "asian", "mental_health_or_neurodiversity": "yes"})
    ReferralDraft.objects.create(kind=ReferralKind.PUBLIC, data={"concern_description": MARKERS["draft"]},
                                 expires_at=timezone.now() + datetime.timedelta(days=1))

    rows = _every_row_as_text()
    image = _database_image()
    assert "Fictional Referrer" in rows  # the scan does see the tables (names are not special category)
    for name, marker in MARKERS.items():
        assert marker not in rows, name
        assert marker.encode() not in image, name
    for column in encrypted_columns():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column.column} FROM {column.table}")  # noqa: S608
            values = [value for (value,) in cursor.fetchall() if value]
        assert all(cipher.is_encrypted(value) for value in values), column.label
    assert REGISTRY  # the columns checked above are every encrypted field


@pytest.mark.django_db
def test_synthetic_data_and_every_encrypted_field_are_stored_as_ciphertext():
    """The bulk writer (COPY / executemany, no ORM) writes ciphertext too; and
    a marker put in every encrypted field of every model is in no row of any
    table. (In the test's open transaction: the rows are read with SQL, not
    from a database image.)"""
    with override_settings(DEMO_MODE=True):
        call_command("generate_synthetic", "--scale", "tiny", "--seed", "3", stdout=io.StringIO(),
                     stderr=io.StringIO())
    filled = set()
    for column in encrypted_columns():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column.column} FROM {column.table}")  # noqa: S608
            values = [value for (value,) in cursor.fetchall() if value]
        assert all(cipher.is_encrypted(value) for value in values), column.label
        if values:
            filled.add(column.label)
    # The generator fills most of them: the check above is not vacuous.
    assert len(filled) >= len(REGISTRY) // 2, sorted(set(REGISTRY) - filled)

    markers = {}
    for label, (model, name) in REGISTRY.items():
        row = model.objects.order_by("pk").first()
        if row is None:
            continue
        field = model._meta.get_field(name)
        markers[label] = "-".join(["Qz", label.replace(".", "-"), "marker!"])
        value = {"marker": markers[label]} if field.get_internal_type() == "TextField" and hasattr(
            field, "encoder") else markers[label]
        model.objects.filter(pk=row.pk).update(**{name: value})
    rows = _every_row_as_text()
    assert markers
    for label, marker in markers.items():
        assert marker not in rows, label
