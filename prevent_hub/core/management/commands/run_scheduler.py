"""Enqueue periodic background jobs when they are due (see prevent_hub.core.scheduler).

    manage.py run_scheduler            # keeps running; checks once a minute
    manage.py run_scheduler --once     # one check, for cron or a systemd timer
"""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from prevent_hub.core.scheduler import scheduled, scheduled_jobs_enqueue


class Command(BaseCommand):
    help = "Enqueue the periodic background jobs that are due, every minute (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then stop.")
        parser.add_argument(
            "--interval", type=int, default=60,
            help="Seconds between checks when running continuously (default 60).",
        )

    def handle(self, *args, once=False, interval=60, **options):
        stopping = threading.Event()
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stopping.set())
            if options["verbosity"] >= 1:
                jobs = ", ".join(f"{job.name} every {job.every}" for job in scheduled()) or "none"
                self.stdout.write(f"Scheduler started. Jobs: {jobs}")
        while True:
            # A long-running scheduler must not hold a connection the database
            # has dropped; a single check (--once, e.g. from cron) ends anyway.
            if not once:
                close_old_connections()
            for name in scheduled_jobs_enqueue():
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Enqueued {name}")
            if not once:
                close_old_connections()
            if once or stopping.wait(max(1, interval)):
                break
        if not once and options["verbosity"] >= 1:
            self.stdout.write("Scheduler stopped.")
