"""Importing a spreadsheet of completions: every rule, all or nothing,
skipping bad rows, re-importing, and what the audit trail records."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prevent_hub.accounts.models import Organisation, OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.verify import audit_chain_verify
from prevent_hub.training import imports
from prevent_hub.training.models import Completion, CompletionSource, ImportStatus, Learner

from .factories import administrator, completed, learner
from .import_helpers import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


def run(data, *, skip_bad_rows=False, acting_user=None):
    training_import = imports.training_import_begin(file_name="training.csv", skip_bad_rows=skip_bad_rows)
    imports.training_import_run(training_import=training_import, acting_user=acting_user, data=data)
    training_import.refresh_from_db()
    return training_import


def reasons(training_import):
    return {error["line"]: error["reason"] for error in training_import.errors}


def test_a_good_file_is_imported_with_its_learners_organisations_and_dates():
    school = OrganisationFactory(name="Fictional Primary School (demo)")
    data = csv_bytes(
        row(course="Prevent referrals", completed_on="2025-09-15", certificate_reference="HO-2"),
        row(course="PREVENT-AWARENESS", completed_on="2025-09-08"),
        row(name="Sam Sample-Nurse", email="Sam.Nurse@Example.test", organisation="fictional health TRUST",
            role="", course="channel-awareness", completed_on="2024-02-29", certificate_reference=""),
    )
    done = run(data)

    assert done.status == ImportStatus.IMPORTED
    assert done.counts == {"learners_created": 2, "learners_updated": 0, "completions_created": 3,
                           "completions_already_recorded": 0, "organisations_created": 1,
                           "rows_with_problems": 0}
    assert done.new_organisations == ["fictional health TRUST"]
    assert (done.total_rows, done.processed_rows, done.errors) == (3, 3, [])
    assert done.finished_at is not None
    alex = Learner.objects.get(email="alex.teacher@example.test")
    assert alex.organisation == school
    assert alex.reference.startswith("LRN-")
    assert alex.trained_until == datetime.date(2027, 9, 15)
    assert alex.referrals_course_until == datetime.date(2027, 9, 15)
    sam = Learner.objects.get(email="sam.nurse@example.test")  # canonical
    assert sam.organisation.type == OrganisationType.OTHER
    assert sam.trained_until == datetime.date(2026, 2, 28)  # 29 February plus two years
    assert set(Completion.objects.values_list("source", "training_import", "certificate_reference")) == {
        (CompletionSource.IMPORT, done.pk, "HO-2"), (CompletionSource.IMPORT, done.pk, "HO-000001"),
        (CompletionSource.IMPORT, done.pk, "")}


def test_columns_in_any_order_with_any_case_and_spaces_a_bom_and_crlf():
    header = ["Completed On", " EMAIL ", "Name", "course", "Organisation", "Certificate_Reference", "role"]
    order = [HEADER.index(name) for name in ("completed_on", "email", "name", "course", "organisation",
                                             "certificate_reference", "role")]
    data = csv_bytes([row()[index] for index in order], header=header, bom=True, newline="\r\n")
    assert run(data).counts["completions_created"] == 1
    assert Learner.objects.get().full_name == "Alex Example-Teacher"


def test_one_bad_row_means_nothing_is_imported():
    data = csv_bytes(row(), row(email="sam@example.test", name="Sam Sample", course="no-such-course"))
    done = run(data)
    assert done.status == ImportStatus.REJECTED
    assert reasons(done) == {3: "The course is not one the service knows: give its code (like "
                                "prevent-awareness) or its name, as on the courses page"}
    assert not Learner.objects.exists()
    assert not Completion.objects.exists()
    assert not Organisation.objects.filter(name="Fictional Primary School (demo)").exists()


def test_skipping_bad_rows_imports_the_good_ones_and_lists_the_bad():
    data = csv_bytes(row(), row(email="sam@example.test", name="Sam Sample", completed_on="17/03/2025"))
    done = run(data, skip_bad_rows=True)
    assert done.status == ImportStatus.IMPORTED
    assert reasons(done) == {3: "The date completed must be written as year-month-day, like 2025-03-17"}
    assert done.counts["completions_created"] == 1
    assert done.counts["rows_with_problems"] == 1
    assert list(Learner.objects.values_list("email", flat=True)) == ["alex.teacher@example.test"]


def test_importing_the_same_file_again_changes_nothing_and_adds_no_audit_events():
    data = csv_bytes(row(), row(course="prevent-referrals", completed_on="2025-10-01"),
                     row(name="Sam Sample", email="sam@example.test",
                         organisation="Fictional Academy (demo)"))
    first = run(data)
    assert first.counts["completions_created"] == 3
    learners = list(Learner.objects.values())
    events = AuditEvent.objects.count()

    again = run(data)

    assert again.status == ImportStatus.IMPORTED
    assert again.counts == {"learners_created": 0, "learners_updated": 0, "completions_created": 0,
                            "completions_already_recorded": 3, "organisations_created": 0,
                            "rows_with_problems": 0}
    assert again.new_organisations == []
    assert list(Learner.objects.values()) == learners
    assert Completion.objects.count() == 3
    # The second import's own record (created, then what it did), nothing per row.
    added = AuditEvent.objects.count() - events
    new = AuditEvent.objects.order_by("-sequence")[:added]
    assert sorted({event.object_type for event in new}) == ["training.trainingimport"]
    assert added == 2


def test_exact_duplicate_rows_count_as_already_recorded():
    done = run(csv_bytes(row(), row()))
    assert done.counts["completions_created"] == 1
    assert done.counts["completions_already_recorded"] == 1
    assert done.errors == []


def test_the_same_completion_twice_with_different_certificates_is_a_problem():
    done = run(csv_bytes(row(), row(certificate_reference="HO-999")))
    assert reasons(done) == {3: "The same course on the same day for this email address is on line 2 with "
                                "a different certificate reference"}


def test_a_known_learner_is_matched_by_email_and_their_details_updated():
    old_school = OrganisationFactory(name="Fictional Old School (demo)")
    known = learner(email="alex.teacher@example.test", full_name="Alex Example", organisation=old_school,
                    job_role="Teaching assistant")
    completed(known, "prevent-awareness", datetime.date(2024, 1, 10))
    # Keys come from the database's sequence, which on PostgreSQL carries on
    # from earlier tests: the events before the import end at the newest key.
    events = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    done = run(csv_bytes(row(email="ALEX.TEACHER@example.test", course="channel-awareness")))

    assert done.counts["learners_created"] == 0
    assert done.counts["learners_updated"] == 1
    known.refresh_from_db()
    assert (known.full_name, known.organisation.name, known.job_role) == (
        "Alex Example-Teacher", "Fictional Primary School (demo)", "Teacher")
    assert known.completions.count() == 2
    update = AuditEvent.objects.filter(sequence__gt=events, object_type="training.learner").get()
    assert update.action == AuditAction.UPDATE
    assert sorted(update.changed_fields) == ["full_name", "job_role", "organisation"]
    assert "Alex" not in str(update.details)


def test_an_empty_role_leaves_the_recorded_role():
    known = learner(email="alex.teacher@example.test", full_name="Alex Example-Teacher",
                    organisation=OrganisationFactory(name="Fictional Primary School (demo)"), job_role="Head")
    done = run(csv_bytes(row(role="")))
    known.refresh_from_db()
    assert known.job_role == "Head"
    assert done.counts["learners_updated"] == 0


def test_a_new_learner_is_linked_to_their_account():
    user = UserFactory(email="alex.teacher@example.test")
    run(csv_bytes(row()))
    assert Learner.objects.get().user == user


@pytest.mark.parametrize("order", ["awareness first", "referrals first"])
def test_the_prerequisite_can_be_met_by_another_row_of_the_file_in_any_order(order):
    rows = [row(course="prevent-awareness", completed_on="2025-09-08"),
            row(course="prevent-referrals", completed_on="2025-09-08")]
    done = run(csv_bytes(*(rows if order == "awareness first" else reversed(rows))))
    assert done.status == ImportStatus.IMPORTED
    assert done.counts["completions_created"] == 2


def test_the_prerequisite_completed_later_in_the_file_is_refused():
    done = run(csv_bytes(row(course="prevent-awareness", completed_on="2025-09-10"),
                         row(course="prevent-referrals", completed_on="2025-09-08")))
    assert reasons(done) == {
        3: "Prevent referrals needs Prevent awareness completed first (on or before the same day)"}
    assert not Completion.objects.exists()


def test_the_prerequisite_can_be_already_recorded_or_met_by_a_refresher():
    known = learner(email="alex.teacher@example.test")
    completed(known, "prevent-awareness", datetime.date(2020, 3, 1))
    done = run(csv_bytes(row(course="prevent-refresher", completed_on="2024-03-01"),
                         row(course="prevent-referrals", completed_on="2024-03-01")))
    assert done.counts["completions_created"] == 2


def test_a_bad_prerequisite_row_does_not_count_when_skipping_bad_rows():
    done = run(csv_bytes(row(course="prevent-awareness", completed_on="2030-01-01"),
                         row(course="prevent-referrals", completed_on="2025-01-01")), skip_bad_rows=True)
    assert set(reasons(done)) == {2, 3}
    assert not Completion.objects.exists()


LONG = "x" * 151


@pytest.mark.parametrize("values, reason", [
    ({"name": ""}, "The name is missing"),
    ({"email": " "}, "The email address is missing"),
    ({"organisation": ""}, "The organisation is missing"),
    ({"course": ""}, "The course is missing"),
    ({"completed_on": ""}, "The date completed is missing"),
    ({"email": "alex.teacher.example.test"}, "The email address is not in the correct format"),
    ({"email": "alex@exa mple.test"}, "The email address is not in the correct format"),
    ({"completed_on": "8 September 2025"},
     "The date completed must be written as year-month-day, like 2025-03-17"),
    ({"completed_on": "2025-9-8"}, "The date completed must be written as year-month-day, like 2025-03-17"),
    ({"completed_on": "２０２５-09-08"},
     "The date completed must be written as year-month-day, like 2025-03-17"),
    ({"completed_on": "2025-02-29"}, "The date completed is not a real date"),
    ({"completed_on": "2025-13-01"}, "The date completed is not a real date"),
    ({"completed_on": "2026-06-16"}, "The date the course was completed must be today or in the past"),
    ({"completed_on": "1999-12-31"}, "The date the course was completed must be on or after 1 January 2000"),
    ({"name": LONG}, "The name must be 150 characters or fewer"),
    ({"role": LONG}, "The role must be 150 characters or fewer"),
    ({"organisation": "x" * 201}, "The organisation must be 200 characters or fewer"),
    ({"certificate_reference": "x" * 101}, "The certificate reference must be 100 characters or fewer"),
    ({"email": "a" * 250 + "@example.test"}, "The email address must be 254 characters or fewer"),
])
def test_each_reason_a_row_can_fail_without_repeating_what_it_says(values, reason):
    done = run(csv_bytes(row(email="ok@example.test", name="Sam Sample"), row(**values)))
    assert reasons(done) == {3: reason}
    for value in values.values():
        if value.strip():
            assert value not in str(done.errors)


def test_the_same_email_with_a_different_name_is_a_problem():
    done = run(csv_bytes(row(), row(name="Someone Else", course="channel-awareness")))
    assert reasons(done) == {3: "The email address is given with a different name on line 2"}


def test_a_row_with_too_many_or_too_few_cells_is_a_problem():
    data = csv_bytes(row() + ["extra"], row()[:5])
    assert reasons(run(data)) == {2: "The line has 8 cells but the first line names 7 columns",
                                  3: "The line has 5 cells but the first line names 7 columns"}


def test_line_numbers_are_the_file_s_lines_even_with_blank_lines_and_cells_over_two_lines():
    text = ("\r\n".join(",".join(HEADER) for _ in [0]) + "\r\n"
            + "Alex Example-Teacher,alex@example.test,Fictional School (demo),\"Teacher,\r\nyear 2\","
              "prevent-awareness,2025-09-08,\r\n"
            + ",,,,,,\r\n"
            + "Sam Sample,sam@example.test,Fictional School (demo),,no-course,2025-09-08,\r\n")
    done = run(text.encode())
    assert reasons(done) == {5: "The course is not one the service knows: give its code (like "
                                "prevent-awareness) or its name, as on the courses page"}


@pytest.mark.parametrize("data, line, reason", [
    (b"", 1, "The file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", 1, "The file is empty"),
    (",".join(HEADER).encode() + b"\r\n", 1, "The file has no rows under its first line (the column names)"),
    (",".join(HEADER).encode() + b"\r\nAl\xe9x,a@example.test,x,y,z,2025-01-01,\r\n", 2,
     "The file is not text saved as UTF-8 (line 2 has characters that are not): in your spreadsheet, save "
     "it as “CSV UTF-8 (comma delimited)” and upload that"),
    (b"%PDF-1.7\n\x00\x01binary", 2, "The file is not a CSV file: it holds characters that are not text "
                                      "(line 2)"),
    (b"name,email,organisation,role,course,completed_on\r\n", 1,
     "The first line must name the columns name, email, organisation, role, course, completed_on, "
     "certificate_reference: the column certificate_reference is missing"),
    (b"Alex Example,alex@example.test,Fictional School,Teacher,prevent-awareness,2025-01-01,HO-1\r\n"
, 1, "The first line must name the columns name, email, organisation, role, course, "
     "completed_on, certificate_reference: the columns name, email, organisation, role, course, "
     "completed_on, certificate_reference are missing; column 1 is not one of them; column 2 is not one of "
     "them; column 3 is not one of them; column 4 is not one of them; column 5 is not one of them; column 6 "
     "is not one of them; column 7 is not one of them"),
    ((",".join([*HEADER, "Email"]) + "\r\n").encode(), 1,
     "The first line must name the columns name, email, organisation, role, course, completed_on, "
     "certificate_reference: column 8 repeats the column email"),
])
def test_problems_with_the_whole_file(data, line, reason):
    done = run(data)
    assert done.status == ImportStatus.REJECTED
    assert done.errors == [{"line": line, "reason": reason}]


def test_too_many_rows(settings):
    settings.TRAINING_IMPORT_MAX_ROWS = 2
    done = run(csv_bytes(row(), row(course="channel-awareness"), row(course="local-workshop")))
    assert done.errors == [{"line": 4, "reason": "The file has more than 2 rows: split it into files of 2 "
                                                 "rows or fewer and import each"}]


def test_html_sql_and_formulas_in_cells_are_kept_as_text():
    name = "<script>alert(1)</script>'; DROP TABLE training_learner; --"
    done = run(csv_bytes(row(name=name, role="=cmd|' /C calc'!A0",
                             organisation="Fictional <b>School</b> (demo)")))
    assert done.status == ImportStatus.IMPORTED
    recorded = Learner.objects.get()
    assert recorded.full_name == name
    assert recorded.job_role == "=cmd|' /C calc'!A0"
    from prevent_hub.core.csv import safe_cell
    assert safe_cell(recorded.job_role).startswith("'=")  # defused in every download


def test_every_created_record_is_audited_by_field_name_and_the_chain_stays_whole():
    admin = administrator()
    done = run(csv_bytes(row(), row(name="Sam Sample", email="sam@example.test", course="channel-awareness",
                                    organisation="Fictional Academy (demo)")), acting_user=admin)
    events = AuditEvent.objects.filter(actor=admin, action=AuditAction.CREATE)
    by_type = {}
    for event in events:
        by_type.setdefault(event.object_type, []).append(event)
    assert {kind: len(found) for kind, found in by_type.items()} == {
        "accounts.organisation": 2, "training.learner": 2, "training.completion": 2}
    assert all("@" not in str(event.details) and "Alex" not in str(event.details) for event in events)
    update = AuditEvent.objects.filter(object_type="training.trainingimport", object_id=str(done.pk),
                                       action=AuditAction.UPDATE).latest("sequence")
    assert update.details["completions_created"] == 2
    assert audit_chain_verify().intact


def test_checking_costs_the_same_few_queries_whatever_the_number_of_rows():
    def queries(rows):
        data = csv_bytes(*[row(name=f"Learner {n}", email=f"learner{n}@example.test",
                               organisation=f"Fictional School {n % 3} (demo)") for n in range(rows)])
        with CaptureQueriesContext(connection) as captured:
            imports.check(data)
        return len(captured)

    assert queries(5) == queries(50)


def test_an_import_checked_but_not_imported_has_its_file_deleted_after_a_day(
        tmp_path, settings, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("training.csv", csv_bytes(row()), content_type="text/csv")
    training_import = imports.training_import_upload(upload=upload, skip_bad_rows=False,
                                                     acting_user=administrator())
    imports.training_import_check(training_import=training_import)
    assert training_import.status == ImportStatus.CHECKED
    stored = training_import.file.path
    assert (tmp_path / stored).exists()
    assert imports.training_import_files_expire() == 0
    later = datetime.datetime(2026, 6, 16, 13, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.training_import_files_expire(now=later) == 1
    training_import.refresh_from_db()
    assert not training_import.file
    assert not (tmp_path / stored).exists()
    assert training_import.errors == [] and training_import.status == ImportStatus.CHECKED


def test_the_file_expiry_is_scheduled():
    from prevent_hub.core.scheduler import _registry
    from prevent_hub.training import import_tasks

    assert any(job.task is import_tasks.training_import_files_expire for job in _registry.values())
