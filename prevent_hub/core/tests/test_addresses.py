"""Postcodes and addresses: written one way, shown the standard way, and
recognised when written differently. Every address here is made up."""

import pytest

from prevent_hub.core.addresses import (
    address_key,
    address_postcode,
    format_postcode,
    normalise_postcode,
    postcode_in,
)


@pytest.mark.parametrize(("typed", "shown"), [
    ("sf47qt", "SF4 7QT"), (" SF4  7QT ", "SF4 7QT"), ("zz991zz", "ZZ99 1ZZ"), ("SF47QT", "SF4 7QT"),
    ("w1a0ax", "W1A 0AX"), ("not a postcode", "not a postcode"), ("", ""),
])
def test_postcodes_are_shown_in_the_standard_format(typed, shown):
    assert format_postcode(typed) == shown


def test_postcodes_are_stored_without_spaces_in_capitals():
    assert normalise_postcode(" sf4 7qt ") == "SF47QT"


def test_a_postcode_written_in_an_address_is_found():
    assert postcode_in("12 Acacia Road, Shireford, sf4 7qt") == "SF47QT"
    assert postcode_in("12 Acacia Road\nShireford") == ""
    assert address_postcode("12 Acacia Road, SF4 7QT", "") == "SF47QT"
    assert address_postcode("12 Acacia Road, SF4 7QT", "zz99 1zz") == "ZZ991ZZ"  # its own box wins


@pytest.mark.parametrize(("one", "other"), [
    ("12 Acacia Road, Shireford", "12 Acacia Rd.\nShireford\nSF4 7QT"),
    ("12, Acacia Rd", "12 ACACIA ROAD"),
    ("12 Acacia Road Shireford SF4 7QT", "12 Acacia Road, Shireford"),
    ("Flat 2, 14 Acacia Rd., Shireford SF4 7QT", "flat 2\n14 acacia road"),
    ("3 Park Road, Shireford", "3 Park Rd"),
    ("Rose Cottage, Little Lane, Shireford", "Rose Cottage\nLittle Lane"),
])
def test_one_home_written_two_ways_has_one_key(one, other):
    assert address_key(one) == address_key(other) != ""


@pytest.mark.parametrize(("one", "other"), [
    ("12 Acacia Road", "14 Acacia Road"),
    ("Flat 2, 14 Acacia Road", "Flat 3, 14 Acacia Road"),
    ("12 Acacia Road", "12 Acacia Close"),
])
def test_different_homes_have_different_keys(one, other):
    assert address_key(one) != address_key(other)


@pytest.mark.parametrize("vague", ["Shireford", "Acacia Road, Shireford", "near the park", "", "SF4 7QT"])
def test_a_street_or_town_alone_is_not_an_address_of_one_home(vague):
    assert address_key(vague) == ""


def test_hostile_text_is_just_text():
    assert address_key("<script>alert(1)</script>\n1 Road") == "script alert 1 script"
    assert len(address_key("1 " + "a" * 5000)) <= 200
