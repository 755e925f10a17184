import datetime
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from prevent_hub.audit.models import AuditChainHead
from prevent_hub.referrals.models import Referral
from prevent_hub.synthetic.generate import Generator
from prevent_hub.synthetic.scales import DEFAULT_ANCHOR, PUBLIC_SCALES, SCALES


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic, obviously fictional data at council or national scale, in "
        "bulk, for benchmarks (docs/synthetic-data.md). Demo mode only; refuses a database that already "
        "holds referrals unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, choices=[*PUBLIC_SCALES, "tiny"],
                            help="council, national-1y or national-10y (tiny: for the tests)")
        parser.add_argument("--seed", type=int, default=20, help="the same seed makes the same data (20)")
        parser.add_argument("--fraction", type=float, default=1.0,
                            help="make this share of the scale's volumes (e.g. 0.01 for a quick look)")
        parser.add_argument("--anchor", default=DEFAULT_ANCHOR.isoformat(),
                            help="the last day the data covers, YYYY-MM-DD or 'today' (default "
                                 f"{DEFAULT_ANCHOR.isoformat()}, so a seed always gives the same rows)")
        parser.add_argument("--append", "--force", action="store_true", dest="append",
                            help="add to a database that already holds referrals")
        parser.add_argument("--json-report", metavar="PATH",
                            help="also write the rows and seconds per step to PATH as JSON (benchmarks)")

    def handle(self, *args, scale, seed, fraction, anchor, append, json_report=None, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Synthetic data can only be generated with DEMO_MODE on (never in production). For a "
                "benchmark database, run it with DJANGO_SETTINGS_MODULE=config.settings.dev.")
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be more than 0 and at most 1.")
        try:
            anchor_day = (datetime.date.today() if anchor == "today"
                          else datetime.date.fromisoformat(anchor))
        except ValueError:
            raise CommandError("--anchor must be a date as YYYY-MM-DD, or 'today'.") from None
        if Referral.objects.exists() and not append:
            raise CommandError(
                f"This database already holds {Referral.objects.count():,} referrals. Generate into an "
                "empty (migrated) database, or pass --append to add to what is there.")
        chosen = SCALES[scale].scaled(fraction)
        self.stdout.write(
            f"Generating {chosen.name} (seed {seed}, anchor {anchor_day:%d %B %Y}) on {connection.vendor}: "
            f"{chosen.referrals:,} referrals, {chosen.cases:,} Channel cases, {chosen.timeline:,} timeline "
            f"entries, {chosen.audit_events:,} audit events over {chosen.years} year"
            f"{'s' if chosen.years != 1 else ''}.")
        started = time.perf_counter()
        generator = Generator(chosen, seed=seed, anchor=anchor_day, out=self.stderr._out, append=append)
        generator.run()
        total = time.perf_counter() - started
        self.stdout.write("\nRows written:")
        width = max(len(label) for label in generator.counts)
        for label, count in sorted(generator.counts.items()):
            self.stdout.write(f"  {label.ljust(width)}  {count:>12,}")
        self.stdout.write("\nSeconds per step:")
        for label, seconds in generator.seconds.items():
            self.stdout.write(f"  {label.ljust(30)}  {seconds:8.1f}")
        self.stdout.write(f"\nDone in {total:.1f} s.")
        self.stdout.write("\nSign in at /sign-in/ as any of these synthetic staff accounts "
                          "(in demo mode they skip the second factor):")
        role_width = max(len(role) for role, _, _ in generator.sign_in)
        for role, email, password in generator.sign_in:
            self.stdout.write(f"  {role.ljust(role_width)}  {email}  password: {password}")
        if json_report:
            Path(json_report).write_text(json.dumps({
                "scale": chosen.name, "seed": seed, "anchor": anchor_day.isoformat(),
                "vendor": connection.vendor,
                "rows": generator.counts, "seconds": generator.seconds, "total_seconds": total,
                # The last hash of the chain covers every event: equal hashes, equal trails.
                "audit_head_hash": AuditChainHead.objects.values_list("hash", flat=True).first(),
            }, indent=2))
