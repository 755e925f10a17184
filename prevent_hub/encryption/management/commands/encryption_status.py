"""Every encrypted field, and how many of its rows are under which data key
(and which key-encryption key wraps that), in plaintext, or empty. Counts
only: no value is read out."""

from django.core.management.base import BaseCommand

from prevent_hub.encryption import selectors


class Command(BaseCommand):
    help = "List every encrypted field (app.Model.field) and its rows per data key."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Exit with status 1 if any value is in plaintext or its key is missing.")

    def handle(self, *args, check=False, **options):
        keys = {state.id: state for state in selectors.data_keys()}
        self.stdout.write("Data keys:")
        for state in keys.values():
            self.stdout.write(
                f"  {state.id}  {state.purpose:<5}  wrapped by {state.kek_id}"
                f"{'' if state.kek_available else ' (NOT CONFIGURED)'}{'  retired' if state.retired else ''}")
        problems = 0
        self.stdout.write("Encrypted fields:")
        for label, counts in selectors.rows_by_key().items():
            plaintext = counts.get(selectors.PLAINTEXT, 0)
            empty = counts.get(selectors.EMPTY, 0)
            under = {key: n for key, n in counts.items() if key not in (selectors.PLAINTEXT, selectors.EMPTY)}
            parts = [f"{key} ({keys[key].kek_id if key in keys else 'MISSING KEY'}): {n:,}"
                     for key, n in sorted(under.items())]
            problems += plaintext + sum(n for key, n in under.items() if key not in keys)
            parts += [f"plaintext: {plaintext:,}", f"empty: {empty:,}"]
            self.stdout.write(f"  {label}: " + ", ".join(parts))
        if check and problems:
            self.stderr.write(f"{problems:,} values are in plaintext or under a missing key.")
            raise SystemExit(1)
