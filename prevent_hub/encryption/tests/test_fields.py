"""Encrypted fields: the model sees plaintext, the column ciphertext bound to
its column; encrypted columns cannot be searched by accident."""

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.db.models import Count

from prevent_hub.encryption import cipher
from prevent_hub.encryption.fields import REGISTRY, decode_counts, index_of
from prevent_hub.referrals.models import Referral, ReferralDraft
from prevent_hub.referrals.tests.factories import ReferralFactory

MARK = "Zephyrine marker of a fictional concern"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_value_is_stored_encrypted_and_read_back_as_written():
    referral = ReferralFactory(concern_description=MARK, ethnicity="asian", mental_health_needs="yes")
    stored = _raw("referrals_referral", "concern_description", referral.pk)
    assert stored.startswith("ph1:") and MARK not in stored
    assert _raw("referrals_referral", "ethnicity", referral.pk).startswith("ph1:")
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.concern_description, fresh.ethnicity, fresh.mental_health_needs) == (MARK, "asian", "yes")
    assert Referral.objects.filter(pk=referral.pk).values_list("concern_description", flat=True)[0] == MARK


@pytest.mark.django_db
def test_the_same_text_twice_is_stored_differently():
    first, second = ReferralFactory(concern_description=MARK), ReferralFactory(concern_description=MARK)
    assert (_raw("referrals_referral", "concern_description", first.pk)
            != _raw("referrals_referral", "concern_description", second.pk))


@pytest.mark.django_db
def test_a_value_moved_to_another_column_does_not_decrypt():
    referral = ReferralFactory(concern_description=MARK)
    stored = _raw("referrals_referral", "concern_description", referral.pk)
    with pytest.raises(cipher.EncryptionError, match="does not decrypt"):
        cipher.decrypt(stored, "referrals.Referral.gateway_reasons")


@pytest.mark.django_db
def test_empty_stays_empty_and_can_still_be_asked_for():
    referral = ReferralFactory(complex_needs_details="")
    assert _raw("referrals_referral", "complex_needs_details", referral.pk) == ""
    assert Referral.objects.filter(complex_needs_details="", pk=referral.pk).exists()


@pytest.mark.django_db
def test_searching_an_encrypted_column_fails_loudly_instead_of_matching_nothing():
    for query in ({"concern_description": MARK}, {"concern_description__icontains": "marker"},
                  {"ethnicity": "asian"}):
        with pytest.raises(FieldError, match="encrypted"):
            list(Referral.objects.filter(**query))


@pytest.mark.django_db
def test_choices_and_length_are_still_checked_on_the_plaintext():
    referral = ReferralFactory.build(mental_health_needs="perhaps", ethnicity="x" * 41)
    with pytest.raises(ValidationError) as error:
        referral.full_clean(exclude=["reference", "person", "submitted_by"])
    assert {"mental_health_needs", "ethnicity"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_blind_index_follows_saves_and_maps_back_to_the_code():
    referral = ReferralFactory(ethnicity="black")
    assert Referral.objects.filter(ethnicity_index=index_of(Referral, "ethnicity", "black")).count() == 1
    referral.ethnicity = "mixed"
    referral.save(update_fields=["ethnicity"])
    counts = dict(Referral.objects.filter(pk=referral.pk).values_list("ethnicity_index").annotate(
        n=Count("pk")).values_list("ethnicity_index", "n"))
    assert decode_counts(counts, Referral, "ethnicity", ["white", "mixed", "black"]) == {"mixed": 1}
    # The index is not the code, and differs between columns for the same code.
    assert "mixed" not in index_of(Referral, "ethnicity", "mixed")
    assert index_of(Referral, "ethnicity", "other") != index_of(Referral, "concern_type", "other")


@pytest.mark.django_db
def test_a_draft_is_encrypted_whole():
    draft = ReferralDraft.objects.create(kind="public", data={"concern_description": MARK},
                                         expires_at="2099-01-01T00:00:00Z")
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM referrals_referraldraft WHERE id = %s", [draft.pk.hex if
                       connection.vendor == "sqlite" else draft.pk])
        stored = cursor.fetchone()[0]
    assert MARK not in stored and stored.startswith("ph1:")
    assert ReferralDraft.objects.get(pk=draft.pk).data == {"concern_description": MARK}


def test_every_priority_field_is_registered():
    expected = {f"referrals.Referral.{name}" for name in (
        "concern_description", "concern_how_noticed", "complex_needs_details", "other_agencies",
        "subject_description", "police_shared_notes", "gateway_reasons", "special_educational_needs",
        "mental_health_needs", "neurodiversity", "ethnicity", "mental_health_or_neurodiversity",
        "concern_type")} | {"referrals.ReferralDraft.data"}
    assert expected <= set(REGISTRY)
