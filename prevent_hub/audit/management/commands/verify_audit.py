"""Check the audit trail's hash chain end to end.

    manage.py verify_audit [--progress]

Exit status 0 and "Audit trail intact: N events (#a to #b)", or exit status 1
and "Audit trail broken at event #n (id X): <what is wrong>" for the first
broken link. Events appended but not sealed into the chain yet are counted
after that ("; N newer events not sealed into the chain yet (the oldest 2 s
old)"); if one has waited longer than AUDIT_UNSEALED_ALERT_SECONDS (5 min)
the sealer is not running, and an intact chain exits with status 3, so
monitoring can tell "the sealer stopped" from "the chain is broken". Safe to
run while the service is in use: it only reads.
"""

from django.core.management.base import BaseCommand, CommandError

from prevent_hub.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; names the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--progress", action="store_true",
            help="Report progress every 100,000 events on standard error.",
        )

    def handle(self, *args, progress=False, **options):
        report = audit_chain_verify(progress=self.report_progress if progress else None)
        if not report.intact:
            raise CommandError(report.message(), returncode=1)
        if report.sealer_behind:
            raise CommandError(report.message(), returncode=3)
        self.stdout.write(report.message())

    def report_progress(self, events, last_sequence):
        self.stderr.write(f"Checked {events:,} events (up to #{last_sequence})")
