"""manage.py import_training: progress, report and exit status."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from prevent_hub.training.models import Completion, ImportStatus, TrainingImport

from .import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield


def command(path, *args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_training", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_with_progress_and_counts(tmp_path):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(*[row(name=f"Learner {n}", email=f"learner{n}@example.test")
                                 for n in range(1500)]))
    out, err = command(path)
    assert "Checked 1,000 of 1,500 rows" in err
    assert "Checked 1,500 of 1,500 rows" in err
    assert "Recording 1,500 completion(s)" in err
    assert ("Imported training.csv: 1,500 completions recorded, 0 already recorded; 1,500 learners added"
            in out)
    assert "Fictional Primary School (demo)" in out
    assert Completion.objects.count() == 1500


def test_a_file_with_a_bad_row_imports_nothing_and_exits_non_zero(tmp_path):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(row(), row(email="bad-address", name="Sam Sample")))
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem to correct"):
        command(path)
    assert not Completion.objects.exists()
    assert TrainingImport.objects.get().status == ImportStatus.REJECTED


def test_the_report_names_each_bad_line(tmp_path, capsys):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(row(), row(email="bad-address", name="Sam Sample")))
    import io

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_training", str(path), stdout=out, stderr=io.StringIO())
    assert "Line 3: The email address is not in the correct format" in out.getvalue()
    assert "bad-address" not in out.getvalue()


def test_skipping_bad_rows_imports_the_good_ones_and_exits_zero(tmp_path):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(row(), row(email="bad-address", name="Sam Sample")))
    out, _ = command(path, "--skip-bad-rows")
    assert "Line 3: The email address is not in the correct format" in out
    assert "1 row with problems not imported" in out
    assert Completion.objects.count() == 1


def test_check_only_imports_nothing(tmp_path):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(row()))
    out, _ = command(path, "--check-only")
    assert "Checked training.csv: 1 completion to record, 0 already recorded, 0 rows with problems" in out
    assert not Completion.objects.exists()
    path.write_bytes(csv_bytes(row(course="nothing")))
    with pytest.raises(CommandError):
        command(path, "--check-only")


def test_running_it_twice_changes_nothing_the_second_time(tmp_path):
    path = tmp_path / "training.csv"
    path.write_bytes(csv_bytes(row(), row(course="channel-awareness")))
    command(path)
    out, _ = command(path)
    assert "0 completions recorded, 2 already recorded" in out
    assert Completion.objects.count() == 2


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        command(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="is not a file"):
        command(tmp_path)
    assert not TrainingImport.objects.exists()


def test_a_binary_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    import io

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_training", str(path), stdout=out, stderr=io.StringIO())
    assert "not" in out.getvalue() and "Line" in out.getvalue()
