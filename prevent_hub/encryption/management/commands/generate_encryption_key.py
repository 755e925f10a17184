"""Print a new key-encryption key as `id:base64key`, for ENCRYPTION_KEYS or
a line of ENCRYPTION_KEY_FILE. Nothing is stored."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from prevent_hub.encryption.keys import generate_key_line


class Command(BaseCommand):
    help = "Print a new key-encryption key (id:base64key)."

    def add_arguments(self, parser):
        parser.add_argument("--id", default="", help="The key's id (default: k<today's date>).")

    def handle(self, *args, id="", **options):
        self.stdout.write(generate_key_line(id or timezone.now().strftime("k%Y%m%d")))
