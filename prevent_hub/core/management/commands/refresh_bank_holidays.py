from django.core.management.base import BaseCommand, CommandError

from prevent_hub.core.bank_holidays import bank_holidays_last, bank_holidays_refresh


class Command(BaseCommand):
    help = ("Add the England and Wales bank holidays of this year and the next three (or of --years) "
            "from the maintained `holidays` package. Dates already in the data are left as they are.")

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"),
                            help="the years to add, for example --years 2027 2030")

    def handle(self, *args, years=None, **options):
        span = None
        if years:
            first, last = years
            if not (1900 < first <= last < 2200) or last - first > 50:
                raise CommandError("Give two years, the first not after the last, at most 50 apart")
            span = range(first, last + 1)
        added = bank_holidays_refresh(years=span)
        self.stdout.write(f"Added {len(added)} bank holiday{'s' if len(added) != 1 else ''}; "
                          f"the data now runs to {bank_holidays_last():%d %B %Y}.")
