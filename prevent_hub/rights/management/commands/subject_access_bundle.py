"""Write everything held about one person (bundle.json and bundle.pdf) to a
folder, unredacted: for the data protection officer, for example to answer
a request by hand or to check a bundle. Audited as an export of the person,
their referrals and cases, and the complaints about them.

    manage.py subject_access_bundle --person 42 --out /secure/folder
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prevent_hub.people.models import Person
from prevent_hub.rights.bundle import bundle_build
from prevent_hub.rights.documents import bundle_json, bundle_pdf
from prevent_hub.rights.services import bundle_exports_audit

WARNING = ("WARNING: this bundle is UNREDACTED. It holds other people's details and content that may be "
           "exempt. It is for the data protection officer's eyes only: do not send it to the requester; "
           "prepare a redacted, approved bundle from the request's page instead.")
STATUS = "UNREDACTED: for the data protection officer only, not for release"


class Command(BaseCommand):
    help = "Write the subject access bundle (JSON and PDF, unredacted) for one person to a folder."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, type=int, help="The person record's id")
        parser.add_argument("--out", required=True, help="The folder to write bundle.json and bundle.pdf to")

    def handle(self, *args, person, out, **options):
        if not Person.objects.filter(pk=person).exists():
            raise CommandError(f"There is no person record {person}.")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {folder}: {error.strerror}.") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CommandError(f"Cannot write to {folder}.")
        self.stderr.write(WARNING)
        with transaction.atomic():
            document = bundle_build(person_id=person)
            details = {"bundle": "subject access", "command": "subject_access_bundle", "unredacted": True}
            bundle_exports_audit(document=document, person_id=person, details=details)
            try:
                (folder / "bundle.json").write_bytes(bundle_json(document, status=STATUS))
                title = f"Subject access bundle: person record {person}"
                (folder / "bundle.pdf").write_bytes(bundle_pdf(document, title=title, status=STATUS))
            except OSError as error:
                raise CommandError(f"Cannot write to {folder}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {folder / 'bundle.json'} and {folder / 'bundle.pdf'}.")
