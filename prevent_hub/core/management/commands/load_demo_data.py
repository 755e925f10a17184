from django.core.management.base import BaseCommand, CommandError

from prevent_hub.core import demo


class Command(BaseCommand):
    help = "Load the synthetic demo data (once; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-sign-in", action="store_true",
            help="Afterwards, print how to sign in as each demo account.",
        )

    def handle(self, *args, print_sign_in=False, **options):
        try:
            loaded = demo.load_demo_data()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Demo data loaded." if loaded else "Demo data already loaded.")
        if print_sign_in:
            rows = demo.sign_in_help()
            if rows:
                width = max(len(role) for role, _, _ in rows)
                self.stdout.write("\nSign in at /sign-in/ as any of these demo accounts:\n")
                for role, email, password in rows:
                    self.stdout.write(f"  {role.ljust(width)}  {email}  password: {password}")
