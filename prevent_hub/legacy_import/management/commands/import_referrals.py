"""manage.py import_referrals FILE.csv [--skip-bad-rows] [--check-only] [--by EMAIL]

Import referrals from the council's earlier records (docs/user-guide/legacy-import.md):
the same checks and report as the upload page. Progress goes to stderr as it
runs; the report (each bad line and its reason, then the counts) to stdout.
Exits non-zero when nothing was imported because of problems."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from prevent_hub.legacy_import import imports
from prevent_hub.legacy_import.models import ImportStatus


class Command(BaseCommand):
    help = "Import referrals from earlier records, a CSV file (all or nothing unless --skip-bad-rows)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file: " + ",".join(imports.COLUMNS))
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help="import the good rows and list the bad ones (by default one bad row "
                                 "means nothing is imported)")
        parser.add_argument("--check-only", action="store_true",
                            help="check the file and report, importing nothing")
        parser.add_argument("--by", metavar="EMAIL", default="",
                            help="the account recorded as importing the referrals and opening their "
                                 "Channel cases (needed when any row went to Channel)")

    def handle(self, *args, file, skip_bad_rows, check_only, by, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"There is no file at {file}")
        if not path.is_file():
            raise CommandError(f"{file} is not a file")
        acting_user = None
        if by:
            acting_user = get_user_model().objects.filter(email__iexact=by.strip(), is_active=True).first()
            if acting_user is None:
                raise CommandError(f"There is no active account with the email address {by}")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} cannot be read: {error.strerror}") from None
        if len(data) > imports.MAX_BYTES:
            raise CommandError(imports.too_large_message().replace("The selected file", file))

        referral_import = imports.referral_import_begin(file_name=path.name, skip_bad_rows=skip_bad_rows,
                                                        acting_user=acting_user)
        if check_only:
            checked = imports.referral_import_check(referral_import=referral_import, data=data,
                                                    progress=self._checked)
        else:
            try:
                checked = imports.referral_import_run(referral_import=referral_import,
                                                      acting_user=acting_user, data=data,
                                                      progress=self._checked, phase=self.stderr.write)
            except Exception as error:
                raise CommandError(f"The import could not be finished, so nothing was imported "
                                   f"({type(error).__name__}): run it again") from error
        referral_import.refresh_from_db()
        self._report(referral_import)
        if referral_import.status == ImportStatus.REJECTED:
            problems = len(referral_import.errors)
            raise CommandError(
                f"Nothing was imported: {_n(problems, 'problem')} to correct"
                + ("" if skip_bad_rows or not checked.good_rows else
                   " (or run again with --skip-bad-rows to import the good rows)"))

    def _checked(self, done, total):
        if done == total or done % imports.PROGRESS_EVERY == 0:
            self.stderr.write(f"Checked {done:,} of {total:,} rows")

    def _report(self, referral_import):
        out = self.stdout
        for error in referral_import.errors:
            where = f"Line {error['line']}: " if error["line"] else ""
            out.write(f"{where}{error['reason']}")
        counts = referral_import.counts
        if referral_import.status == ImportStatus.IMPORTED:
            out.write(f"Imported {referral_import.file_name}: "
                      f"{_n(counts['referrals_created'], 'referral')} imported, "
                      f"{counts['already_imported']:,} already imported; "
                      f"{_n(counts['people_created'], 'person record')} added, not yet identified; "
                      f"{_n(counts['cases_created'], 'Channel case')} opened; "
                      f"{_n(counts['rows_with_problems'], 'row')} with problems not imported")
        elif referral_import.status == ImportStatus.CHECKED:
            out.write(f"Checked {referral_import.file_name}: "
                      f"{_n(counts['referrals_to_import'], 'referral')} to import "
                      f"({_n(counts['channel_cases_to_open'], 'Channel case')}), "
                      f"{counts['already_imported']:,} already imported, "
                      f"{_n(counts['rows_with_problems'], 'row')} with problems. "
                      "Nothing imported (--check-only)")
        else:
            out.write(f"Not imported {referral_import.file_name}: {_n(counts.get('rows', 0), 'row')}, "
                      f"{counts.get('rows_with_problems', len(referral_import.errors)):,} with problems")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")
