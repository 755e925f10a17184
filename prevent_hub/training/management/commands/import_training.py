"""manage.py import_training FILE.csv [--skip-bad-rows] [--check-only]

Import training completions from a CSV file (docs/user-guide/training-import.md):
the same checks and report as the upload page. Progress goes to stderr as it
runs; the report (each bad line and its reason, new organisations, counts)
to stdout. Exits non-zero when nothing was imported because of problems."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prevent_hub.training import imports
from prevent_hub.training.models import ImportStatus


class Command(BaseCommand):
    help = "Import training completions from a CSV file (all or nothing unless --skip-bad-rows)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file: name,email,organisation,role,course,completed_on,"
                                         "certificate_reference")
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help="import the good rows and list the bad ones (by default one bad row "
                                 "means nothing is imported)")
        parser.add_argument("--check-only", action="store_true",
                            help="check the file and report, importing nothing")

    def handle(self, *args, file, skip_bad_rows, check_only, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"There is no file at {file}")
        if not path.is_file():
            raise CommandError(f"{file} is not a file")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} cannot be read: {error.strerror}") from None
        if len(data) > imports.MAX_BYTES:
            raise CommandError(imports.too_large_message().replace("The selected file", file))

        training_import = imports.training_import_begin(file_name=path.name, skip_bad_rows=skip_bad_rows)
        if check_only:
            checked = imports.training_import_check(training_import=training_import, data=data,
                                                    progress=self._checked)
        else:
            try:
                checked = imports.training_import_run(training_import=training_import, acting_user=None,
                                                      data=data, progress=self._checked, phase=self._phase)
            except Exception as error:
                raise CommandError(f"The import could not be finished, so nothing was imported "
                                   f"({type(error).__name__}): run it again") from error
        training_import.refresh_from_db()
        self._report(training_import, checked, check_only=check_only)
        if training_import.status == ImportStatus.REJECTED:
            problems = len(training_import.errors)
            raise CommandError(
                f"Nothing was imported: {problems:,} problem{'s' if problems != 1 else ''} to correct"
                + ("" if skip_bad_rows or not checked.good_rows else
                   " (or run again with --skip-bad-rows to import the good rows)"))

    def _checked(self, done, total):
        if done == total or done % imports.PROGRESS_EVERY == 0:
            self.stderr.write(f"Checked {done:,} of {total:,} rows")

    def _phase(self, text):
        self.stderr.write(text)

    def _report(self, training_import, checked, *, check_only):
        out = self.stdout
        for error in training_import.errors:
            where = f"Line {error['line']}: " if error["line"] else ""
            out.write(f"{where}{error['reason']}")
        if training_import.new_organisations:
            verb = "would be" if check_only or training_import.status != ImportStatus.IMPORTED else "were"
            out.write(f"Organisations new to the service ({verb} created):")
            for name in training_import.new_organisations:
                out.write(f"  {name}")
        counts = training_import.counts
        if training_import.status == ImportStatus.IMPORTED:
            out.write(f"Imported {training_import.file_name}: "
                      f"{_n(counts['completions_created'], 'completion')} recorded, "
                      f"{counts['completions_already_recorded']:,} already recorded; "
                      f"{_n(counts['learners_created'], 'learner')} added, "
                      f"{counts['learners_updated']:,} updated; "
                      f"{_n(counts['organisations_created'], 'organisation')} added; "
                      f"{_n(counts['rows_with_problems'], 'row')} with problems not imported")
        elif training_import.status == ImportStatus.CHECKED:
            out.write(f"Checked {training_import.file_name}: "
                      f"{_n(counts['completions_to_record'], 'completion')} to record, "
                      f"{counts['completions_already_recorded']:,} already recorded, "
                      f"{_n(counts['rows_with_problems'], 'row')} with problems. "
                      "Nothing imported (--check-only)")
        else:
            out.write(f"Not imported {training_import.file_name}: {_n(counts.get('rows', 0), 'row')}, "
                      f"{counts.get('rows_with_problems', len(training_import.errors)):,} with problems")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")
