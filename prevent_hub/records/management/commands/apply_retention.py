"""Delete (or, with --dry-run, list) every record past its retention date.

    manage.py apply_retention [--dry-run] [--as-of YYYY-MM-DD]

Runs nightly through the scheduler (records.tasks); this is the same run by
hand. Prints the report: type, reference, policy, retain-until, outcome."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from prevent_hub.records.models import Outcome, RunTrigger
from prevent_hub.records.services import retention_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Delete records past their retention date (--dry-run: only list them)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go; delete nothing.")
        parser.add_argument("--as-of", help="Run as if on this date (YYYY-MM-DD). Default: today.")

    def handle(self, *args, dry_run=False, as_of=None, **options):
        as_of = _date(as_of) if as_of is not None else None
        run = retention_run(as_of=as_of, dry_run=dry_run, trigger=RunTrigger.COMMAND)
        going = [row for row in run.report if row["outcome"] != Outcome.HELD]
        held = [row for row in run.report if row["outcome"] == Outcome.HELD]
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"Retention run {run.pk} as of {run.as_of.isoformat()}"
                          f"{' (dry run: nothing deleted)' if dry_run else ''}")
        self.stdout.write(f"{verb}: {len(going)}")
        for row in going:
            self._row(row)
        self.stdout.write(f"Held (kept by a legal hold): {len(held)}")
        for row in held:
            until = f" until {row['hold_ends_on']}" if row["hold_ends_on"] else ""
            self._row(row, f"held: {row['hold_kind']}{until}")
        if run.counts.get(Outcome.FAILED):
            raise CommandError(f"{run.counts[Outcome.FAILED]} record(s) could not be deleted: "
                               f"see run {run.pk}")

    def _row(self, row, note=""):
        reference = row["reference"] or row["object_id"]
        if row.get("with_referral"):
            reference += f" with {row['with_referral']}"
        outcome = note or ("" if row["outcome"] in (Outcome.DELETED, Outcome.WOULD_DELETE)
                           else f"failed: {row['error']}")
        self.stdout.write("  " + "\t".join(filter(None, [
            row["object_type"], reference, f"{row['policy']} ({row['period']})",
            f"retain until {row['retain_until']}", outcome])))
