"""manage.py rebuild_name_keys: write every stored name, address and postcode
key again, after the way keys are made (core.names, core.addresses) changes."""

from django.core.management.base import BaseCommand

from prevent_hub.people.keys import progress_printer, rebuild_name_keys
from prevent_hub.people.models import Person, PersonName
from prevent_hub.referrals.models import Referral, ReferralName


class Command(BaseCommand):
    help = "Write every stored name, address and postcode search key again, with progress."

    def handle(self, *args, **options):
        rebuild_name_keys(person_model=Person, person_name_model=PersonName, referral_model=Referral,
                          referral_name_model=ReferralName, report=progress_printer(self.stdout.write))
        self.stdout.write(self.style.SUCCESS("Every name, address and postcode key is up to date."))
