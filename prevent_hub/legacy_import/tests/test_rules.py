"""What the check refuses and why (each rule, by line, never repeating a
row's values), and what importing writes: referrals, person records never
matched to anyone, Channel cases and consent, all or nothing, idempotent."""

import datetime

import pytest
from django.utils import timezone

from prevent_hub.audit.models import AuditEvent
from prevent_hub.channel.models import CaseStatus, ChannelCase, Consent, ConsentAnswer, ConsentMethod
from prevent_hub.legacy_import import imports
from prevent_hub.legacy_import.models import ImportStatus
from prevent_hub.people.models import Person
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.models import GatewayOutcome, Referral, ReferralStatus
from prevent_hub.referrals.services import reference_for
from prevent_hub.reporting.categories import category_problem
from prevent_hub.reporting.models import Dimension

from .factories import channel_row, coordinator, csv_bytes, imported, row

pytestmark = pytest.mark.django_db


def reasons(data: bytes) -> list[str]:
    return [f"{error['line']}: {error['reason']}" for error in imports.check(data).errors]


def only_reason(**values) -> str:
    found = reasons(csv_bytes(row(**values)))
    assert len(found) == 1, found
    assert found[0].startswith("2: ")
    return found[0][3:]


@pytest.mark.parametrize(("values", "reason"), [
    ({"external_reference": " "}, "The external reference is missing"),
    ({"external_reference": "X" * 101}, "The external reference must be 100 characters or fewer"),
    ({"given_name": "A" * 101}, "The first name must be 100 characters or fewer"),
    ({"received_on": ""}, "The date received is missing"),
    ({"received_on": "10/05/2023"}, "The date received must be written as year-month-day"),
    ({"received_on": "2023-02-30"}, "The date received is not a real date"),
    ({"received_on": "2026-06-16"}, "The date received must be today or in the past"),
    ({"received_on": "1999-12-31", "date_of_birth": "1985-01-01"},
     "The date received must be in 2000 or later"),
    ({"date_of_birth": "1899-12-31"}, "The date of birth must be in 1900 or later"),
    ({"date_of_birth": "2023-05-11"}, "The date of birth must be before the date received"),
    ({"date_of_birth": "", "age_at_referral": "12.5"}, "The age at referral must be a whole number"),
    ({"date_of_birth": "", "age_at_referral": "121"},
     "The age at referral must be a whole number from 0 to 120"),
    ({"age_at_referral": "15"}, "The age at referral does not match the date of birth"),
    ({"sector": "school"}, "The sector is not a sector of referral code: use one of education, police"),
    ({"gender": "boy"}, "The gender is not a gender code"),
    ({"ethnicity": "british"}, "The ethnicity is not a ethnicity code"),
    ({"concern": "far_right"}, "The type of concern is not a type of concern code"),
    ({"concern": "no_ideology_identified"}, "The type of concern was not a category until 1 April 2024"),
    ({"gateway_outcome": "proceed_to_channel"}, "The gateway outcome is not a gateway outcome code"),
    ({"mental_health_or_neurodiversity": "maybe"}, "The mental health or neurodiversity is not a"),
    ({"consent": "yes", "gateway_outcome": "channel"}, "The consent is not a consent code"),
    ({"panel_discussed_on": "2023-06-01"}, "The date discussed at panel must be empty unless the gateway "
                                           "outcome is channel"),
    ({"adopted_on": "2023-06-01"}, "The date adopted must be empty unless"),
    ({"consent": "not_sought"}, "The consent must be empty unless"),
    ({"exit_date": "2024-01-01"}, "The exit date must be empty unless"),
    ({"gateway_outcome": "channel", "panel_discussed_on": "2023-05-09"},
     "The date discussed at panel must be on or after the date received"),
    ({"gateway_outcome": "channel", "panel_discussed_on": "2023-06-01", "adopted_on": "2023-05-31"},
     "The date adopted must be on or after the date discussed at panel"),
    ({"gateway_outcome": "channel", "adopted_on": "2023-05-01"},
     "The date adopted must be on or after the date received"),
    ({"gateway_outcome": "channel", "panel_discussed_on": "2023-06-01", "exit_date": "2024-01-01"},
     "The exit date needs the date adopted"),
    ({"gateway_outcome": "channel", "adopted_on": "2023-06-01", "exit_date": "2023-05-31"},
     "The exit date must be on or after the date adopted"),
    ({"gateway_outcome": "channel", "panel_discussed_on": "2023-06-01", "consent": "given"},
     "Consent is asked for once the panel adopts a case"),
])
def test_each_rule_refuses_a_row_with_a_reason_that_does_not_repeat_it(values, reason):
    found = only_reason(**values)
    assert found.startswith(reason), found
    for value in values.values():
        # A code in force is named among the codes to use; nothing else the row says is repeated.
        if len(value.strip()) > 3 and value != "no_ideology_identified":
            assert value not in found


def test_codes_and_header_names_ignore_case_and_the_file_may_have_a_bom_and_crlf():
    header = [name.upper().replace("_", " ") for name in imports.COLUMNS]
    header.reverse()
    good = row(sector="Education", gender="MALE")
    checked = imports.check(csv_bytes(list(reversed(good)), header=header, bom=True))
    assert checked.errors == [] and len(checked.rows) == 1
    assert checked.rows[0].sector == "education"
    assert imports.check(csv_bytes(row(), newline="\n")).errors == []


def test_either_date_of_birth_or_age_or_neither():
    checked = imports.check(csv_bytes(
        row(external_reference="A", date_of_birth="2009-01-20"),
        row(external_reference="B", date_of_birth="", age_at_referral="14"),
        row(external_reference="C", date_of_birth="", age_at_referral=""),
        row(external_reference="D", date_of_birth="2009-01-20", age_at_referral="14")))
    assert checked.errors == []
    assert [each.age for each in checked.rows] == [14, 14, None, 14]


def test_an_old_concern_category_is_accepted_after_it_ended_and_codes_agree_with_the_reporting_rule():
    # Counted through reports_as: the old scheme's code is still accepted.
    assert only_reason_or_none(concern="no_risk", received_on="2025-01-10") is None
    codes = imports.Codes()
    for day in [datetime.date(2024, 3, 31), datetime.date(2024, 4, 1), datetime.date(2023, 1, 1),
                datetime.date(2025, 1, 1), datetime.date(2024, 3, 30)]:
        for code in ("no_ideology_identified", "islamist", "nonsense"):
            expected = category_problem(Dimension.CONCERN, code, day)
            assert codes.problem(Dimension.CONCERN, code, day) == expected


def only_reason_or_none(**values):
    found = reasons(csv_bytes(row(**values)))
    return found[0] if found else None


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "1: The file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "1: The file is empty"),
    (",".join(imports.COLUMNS).encode() + b"\r\n", "1: The file has no rows under its first line"),
    (csv_bytes(row()).replace(b"Testy", b"T\xe9sty"), "2: The file is not text saved as UTF-8"),
    (b"PK\x03\x04" + b"\x00" * 20, "1: The file is not a CSV file"),
    (csv_bytes(row()).replace(b"Testy", b"Te\x00sty"), "2: The file is not a CSV file: it holds characters"),
])
def test_whole_file_problems(data, reason):
    checked = imports.check(data)
    assert checked.file_problem
    assert f"{checked.errors[0]['line']}: {checked.errors[0]['reason']}".startswith(reason)


def test_unknown_and_missing_columns_are_named_by_position_never_by_what_they_hold():
    header = [*imports.COLUMNS[:-1], "Testy McTestface"]
    checked = imports.check(csv_bytes(row(), header=header))
    reason = checked.errors[0]["reason"]
    assert "the column mental_health_or_neurodiversity is missing" in reason
    assert "column 16 is not one of them" in reason
    assert "Testy" not in reason


def test_a_row_with_too_few_cells_is_refused():
    assert reasons(csv_bytes(row()[:-2])) == ["2: The line has 14 cells but the first line names 16 columns"]


def test_too_many_rows(settings):
    settings.LEGACY_IMPORT_MAX_ROWS = 2
    checked = imports.check(csv_bytes(*[row(external_reference=f"R{n}") for n in range(3)]))
    assert checked.errors == [{"line": 4, "reason": "The file has more than 2 rows: split it into files of "
                                                     "2 rows or fewer and import each"}]


def test_a_reference_given_twice_in_the_file_is_refused_on_the_second_line():
    assert reasons(csv_bytes(row(), row(given_name="Example"), row(external_reference="old-0001"))) == [
        "3: The external reference is also on line 2: each must be unique",
        "4: The external reference is also on line 2: each must be unique"]


# Writing ----------------------------------------------------------------------------


def test_all_or_nothing_by_default():
    made = imported(csv_bytes(row(), row(external_reference="OLD-0002", received_on="")))
    assert made.status == ImportStatus.REJECTED
    assert made.errors == [{"line": 3, "reason": "The date received is missing"}]
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_skip_bad_rows_imports_the_good_ones_and_lists_the_bad():
    made = imported(csv_bytes(row(), row(external_reference="OLD-0002", received_on="")), skip_bad_rows=True)
    assert made.status == ImportStatus.IMPORTED
    assert made.counts["referrals_created"] == 1 and made.counts["rows_with_problems"] == 1
    assert made.errors == [{"line": 3, "reason": "The date received is missing"}]
    assert Referral.objects.get().external_reference == "OLD-0001"


def test_a_row_becomes_a_referral_marked_imported_with_its_reporting_details():
    user = coordinator()
    made = imported(csv_bytes(row(mental_health_or_neurodiversity="yes")), user=user)
    assert made.status == ImportStatus.IMPORTED and made.imported_at is not None
    referral = Referral.objects.get()
    assert referral.external_reference == "OLD-0001"
    assert referral.imported_by == user and referral.imported_at is not None
    assert timezone.localtime(referral.received_at) == timezone.make_aware(datetime.datetime(2023, 5, 10, 12))
    assert referral.reference == reference_for(referral)
    assert (referral.sector, referral.concern_type, referral.reported_gender, referral.ethnicity,
            referral.age_at_referral, referral.mental_health_or_neurodiversity) == (
        "education", "extreme_right_wing", "male", "white", 14, "yes")
    assert referral.status == ReferralStatus.DECIDED
    assert referral.gateway_outcome == GatewayOutcome.NO_FURTHER_ACTION
    assert referral.gateway_decided_on == datetime.date(2023, 5, 10)
    # Closed with no further action: kept 3 years from the outcome by default.
    assert referral.retain_until == datetime.date(2026, 5, 10)
    assert referral.names.get().given_name == "Testy"


def test_a_row_with_no_outcome_waits_at_triage():
    imported(csv_bytes(row(gateway_outcome="")))
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.NEW and referral.retain_until is None


def test_importing_the_same_file_again_changes_nothing():
    data = csv_bytes(row(), channel_row(external_reference="OLD-0002"))
    first = imported(data)
    assert first.counts["referrals_created"] == 2 and first.counts["cases_created"] == 1
    before = (Referral.objects.count(), Person.objects.count(), ChannelCase.objects.count(),
              Consent.objects.count())
    again = imported(data)
    assert again.status == ImportStatus.IMPORTED
    assert again.counts == {"referrals_created": 0, "people_created": 0, "cases_created": 0,
                            "already_imported": 2, "rows_with_problems": 0}
    assert (Referral.objects.count(), Person.objects.count(), ChannelCase.objects.count(),
            Consent.objects.count()) == before


def test_people_are_never_matched_or_merged_with_anyone():
    known = PersonFactory(given_name="Testy", family_name="McTestface",
                          date_of_birth=datetime.date(2009, 1, 20))
    imported(csv_bytes(row(), row(external_reference="OLD-0002", received_on="2024-01-10")))
    referrals = list(Referral.objects.order_by("pk"))
    assert Person.objects.count() == 3
    assert known.referrals.count() == 0
    assert referrals[0].person_id != referrals[1].person_id
    for referral in referrals:
        assert referral.person.started_from_id == referral.pk
        assert referral.person.merged_into_id is None
        # Left for a coordinator to confirm.
        assert referral.person_confirmed_by is None and referral.person_confirmed_at is None


def test_a_row_with_no_name_gets_a_person_whose_name_is_not_known():
    imported(csv_bytes(row(given_name="", family_name="")))
    assert Referral.objects.get().person.full_name == "Name not known"


def test_channel_rows_make_cases_with_their_dates_status_and_consent():
    user = coordinator()
    imported(csv_bytes(
        channel_row(external_reference="SCREEN", panel_discussed_on="", adopted_on="", consent=""),
        channel_row(external_reference="NOT-ADOPTED", adopted_on="", consent=""),
        channel_row(external_reference="ADOPTED", consent="not_sought"),
        channel_row(external_reference="GIVEN", consent="given"),
        channel_row(external_reference="REFUSED", consent="refused", received_on="2023-05-10",
                    date_of_birth="", age_at_referral="30"),
        channel_row(external_reference="EXITED", consent="given", exit_date="2026-01-10"),
        channel_row(external_reference="CLOSED", consent="withdrawn", exit_date="2024-01-10"),
        channel_row(external_reference="ADOPTED-ONLY", panel_discussed_on="", adopted_on="2023-07-01"),
    ), user=user)
    cases = {case.referral.external_reference: case
             for case in ChannelCase.objects.select_related("referral")}
    status = {reference: case.status for reference, case in cases.items()}
    assert status == {"SCREEN": CaseStatus.SCREENING, "NOT-ADOPTED": CaseStatus.NOT_ADOPTED,
                      "ADOPTED": CaseStatus.ADOPTED, "GIVEN": CaseStatus.CONSENT_GIVEN,
                      "REFUSED": CaseStatus.CONSENT_REFUSED, "EXITED": CaseStatus.EXITED,
                      "CLOSED": CaseStatus.CLOSED, "ADOPTED-ONLY": CaseStatus.CONSENT_GIVEN}
    assert cases["NOT-ADOPTED"].first_discussed_on == datetime.date(2023, 6, 1)
    assert cases["NOT-ADOPTED"].retain_until == datetime.date(2026, 6, 1)
    assert cases["ADOPTED-ONLY"].first_discussed_on == datetime.date(2023, 7, 1)
    assert cases["CLOSED"].retain_until == datetime.date(2030, 1, 10)
    assert cases["EXITED"].retain_until == datetime.date(2032, 1, 10)
    assert cases["GIVEN"].retain_until is None
    for case in cases.values():
        assert case.person_id == case.referral.person_id and case.opened_by == user
        assert case.referral.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL
        assert case.referral.retain_until is None  # kept with its case
    consents = {consent.case.referral.external_reference: consent
                for consent in Consent.objects.select_related("case__referral")}
    assert set(consents) == {"GIVEN", "REFUSED", "EXITED", "CLOSED", "ADOPTED-ONLY"}
    assert all(consent.method == ConsentMethod.PREVIOUS_SYSTEM for consent in consents.values())
    assert consents["REFUSED"].answer == ConsentAnswer.REFUSED
    assert consents["REFUSED"].giver == "person" and consents["GIVEN"].giver == "parent_or_guardian"
    assert consents["CLOSED"].withdrawn_on == datetime.date(2024, 1, 10)


def test_channel_rows_need_a_named_person_to_open_cases():
    referral_import = imports.referral_import_begin(file_name="x.csv", skip_bad_rows=False)
    imports.referral_import_run(referral_import=referral_import, acting_user=None,
                                data=csv_bytes(channel_row()))
    referral_import.refresh_from_db()
    assert referral_import.status == ImportStatus.REJECTED
    assert referral_import.errors[-1]["reason"] == imports.NEEDS_SOMEONE
    assert not Referral.objects.exists()


def test_the_audit_names_fields_never_values():
    imported(csv_bytes(channel_row()))
    events = list(AuditEvent.objects.filter(object_type__in=[
        "referrals.referral", "people.person", "channel.channelcase", "channel.consent"]))
    assert {event.object_type for event in events} == {"referrals.referral", "people.person",
                                                       "channel.channelcase", "channel.consent"}
    for event in events:
        text = f"{event.changed_fields} {event.details}"
        assert "Testy" not in text and "McTestface" not in text and "2009-01-20" not in text
    created = next(event for event in events if event.object_type == "referrals.referral"
                   and event.action == "create")
    assert "subject_given_name" in created.changed_fields


def test_hostile_names_are_kept_as_text():
    imported(csv_bytes(row(given_name="<script>alert(1)</script>", family_name="=HYPERLINK(\"x\")")))
    referral = Referral.objects.get()
    assert referral.subject_given_name == "<script>alert(1)</script>"
    assert referral.person.family_name == '=HYPERLINK("x")'


def test_the_reference_written_in_sql_agrees_with_reference_for():
    from prevent_hub.referrals.services import REFERENCE_SQL

    imported(csv_bytes(row()))
    big = Referral.objects.get()
    Referral.objects.filter(pk=big.pk).update(reference="X")
    big.pk = None
    big.id = 1_234_567
    big.external_reference = "OTHER"
    big.reference = "Y"
    big.save(force_insert=True)
    Referral.objects.update(reference=REFERENCE_SQL)
    for referral in Referral.objects.all():
        assert referral.reference == reference_for(referral)


def test_the_example_file_and_the_demo_generator_import_cleanly():
    from prevent_hub.legacy_import import demo

    assert imports.check(csv_bytes(*[list(each) for each in imports.EXAMPLE_ROWS])).errors == []
    checked = imports.check(demo.synthetic_csv(300))
    assert checked.errors == [] and len(checked.rows) == 300
