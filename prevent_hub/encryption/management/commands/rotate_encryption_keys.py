"""Rotate encryption keys (docs/encryption.md, "Rotating keys").

    manage.py rotate_encryption_keys                 # re-wrap data keys under the first KEK
    manage.py rotate_encryption_keys --new-data-key  # and encrypt every value under a new data key
    manage.py rotate_encryption_keys --resume        # finish an interrupted --new-data-key run

Re-wrapping is quick (a few rows). Re-encrypting goes through every encrypted
column in batches by primary key, each committed: run it again after an
interruption and it carries on. Progress on a terminal, plain lines in logs.
"""

from django.core.management.base import BaseCommand

from prevent_hub.core.progress import Progress
from prevent_hub.encryption import services


class Command(BaseCommand):
    help = "Re-wrap data keys under the current key-encryption key; optionally re-encrypt values."

    def add_arguments(self, parser):
        parser.add_argument("--new-data-key", action="store_true",
                            help="Make a new data key current and re-encrypt every value under it.")
        parser.add_argument("--resume", action="store_true",
                            help="Re-encrypt values not yet under the current data key (no new key).")
        parser.add_argument("--batch", type=int, default=services.BATCH, help="Rows per committed batch.")
        parser.add_argument("--delete-unused", action="store_true",
                            help="Afterwards, delete retired data keys no value uses any more.")

    def handle(self, *args, new_data_key=False, resume=False, batch=services.BATCH, delete_unused=False,
               **options):
        moved = services.data_keys_rewrap()
        self.stdout.write(f"Data keys re-wrapped under the current key-encryption key: {moved}.")
        if new_data_key:
            row = services.data_key_replace()
            self.stdout.write(f"New data key {row.id} is current.")
        if new_data_key or resume:
            bars = []

            def progress(label, total):
                if bars:
                    bars.pop().close()
                if not total:
                    return None  # nothing to move in this column: no bar
                bars.append(Progress(self.stdout, label, total))
                return bars[-1].advance

            rewritten = services.values_reencrypt(batch=batch, progress=progress)
            if bars:
                bars[-1].close()
            self.stdout.write(f"Values re-encrypted: {sum(rewritten.values()):,}.")
        if delete_unused:
            deleted = services.retired_keys_unused_delete()
            self.stdout.write(f"Retired data keys deleted: {len(deleted)}.")
        self.stdout.write("Run `manage.py encryption_status` to check every value is under the current key.")
