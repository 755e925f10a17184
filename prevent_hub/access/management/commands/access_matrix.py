from django.core.management.base import BaseCommand, CommandError

from prevent_hub.access.matrix import DOCUMENT, render


class Command(BaseCommand):
    help = "Print docs/access.md from the access policy; --write updates it, --check compares."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true")
        group.add_argument("--check", action="store_true")

    def handle(self, *args, write=False, check=False, **options):
        text = render()
        if write:
            DOCUMENT.write_text(text)
            self.stdout.write(f"Wrote {DOCUMENT}")
        elif check:
            if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
                raise CommandError(f"{DOCUMENT} is out of date: run manage.py access_matrix --write")
            self.stdout.write("docs/access.md matches the policy.")
        else:
            self.stdout.write(text)
