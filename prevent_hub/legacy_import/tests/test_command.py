"""manage.py import_referrals: the same checks and report as the page."""

import io

import pytest
from django.core.management import CommandError, call_command

from prevent_hub.channel.models import ChannelCase
from prevent_hub.legacy_import.models import ImportStatus, ReferralImport
from prevent_hub.referrals.models import Referral

from .factories import channel_row, coordinator, csv_bytes, row

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_referrals", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_with_progress_on_stderr_and_the_report_on_stdout(tmp_path):
    user = coordinator(email="alex.coordinator@example.test")
    path = tmp_path / "earlier.csv"
    path.write_bytes(csv_bytes(row(), channel_row(external_reference="OLD-0002")))
    out, err = run(path, "--by", "Alex.Coordinator@example.test")
    assert "Checked 2 of 2 rows" in err and "Opening 1 Channel case(s)" in err
    assert "Imported earlier.csv: 2 referrals imported, 0 already imported; 2 person records added" in out
    assert "1 Channel case opened" in out
    assert Referral.objects.filter(imported_by=user).count() == 2
    assert ChannelCase.objects.count() == 1
    # Again: nothing changes.
    out, _ = run(path, "--by", "alex.coordinator@example.test")
    assert "0 referrals imported, 2 already imported" in out
    assert Referral.objects.count() == 2


def test_check_only_imports_nothing(tmp_path):
    path = tmp_path / "earlier.csv"
    path.write_bytes(csv_bytes(row()))
    out, _ = run(path, "--check-only")
    assert "1 referral to import" in out and "Nothing imported (--check-only)" in out
    assert not Referral.objects.exists()
    assert ReferralImport.objects.get().status == ImportStatus.CHECKED


def test_bad_rows_exit_non_zero_and_name_each_line(tmp_path):
    path = tmp_path / "earlier.csv"
    path.write_bytes(csv_bytes(row(), row(external_reference="OLD-0002", received_on="")))
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem to correct .or run again with "
                                           "--skip-bad-rows"):
        run(path)
    assert not Referral.objects.exists()
    out, _ = run(path, "--skip-bad-rows")
    assert "Line 3: The date received is missing" in out
    assert Referral.objects.count() == 1


def test_channel_rows_need_by(tmp_path):
    path = tmp_path / "earlier.csv"
    path.write_bytes(csv_bytes(channel_row()))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv"], "There is no file at"),
    (["."], "is not a file"),
])
def test_missing_files(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("import_referrals", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_an_unknown_account_is_refused(tmp_path):
    path = tmp_path / "earlier.csv"
    path.write_bytes(csv_bytes(row()))
    with pytest.raises(CommandError, match="There is no active account"):
        run(path, "--by", "nobody@example.test")
