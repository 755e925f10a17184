"""manage.py load_population FILE.csv --year 2021 --source "Census 2021, ONS table TS021"

Load the area's population figures for equality monitoring
(docs/administration-population.md): the same checks as the upload page.
Problems go to stdout by line number and nothing is loaded; the categories
the file gives no figure for are listed. Loading a year already loaded
replaces its figures whole, in one transaction."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prevent_hub.statistics import population_services as services
from prevent_hub.statistics.models import PopulationDimension


class Command(BaseCommand):
    help = "Load the area's population figures (dimension,code,population) for one year."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file: dimension,code,population")
        parser.add_argument("--year", type=int, required=True, help="the year the figures are for, like 2021")
        parser.add_argument("--source", required=True,
                            help='where the figures come from, like "Census 2021, ONS table TS021"')

    def handle(self, *args, file, year, source, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        if path.stat().st_size > services.MAX_BYTES:
            raise CommandError(f"{file} must be smaller than {services.MAX_BYTES // 1024} KB")
        for problem in (services.year_problem(year), services.source_problem(source)):
            if problem:
                raise CommandError(problem)
        checked = services.population_file_read(path.read_bytes())
        if checked.problems:
            for line, reason in checked.problems:
                self.stdout.write((f"Line {line}: " if line else "") + reason)
            count = len(checked.problems)
            raise CommandError(f"Nothing was loaded: {count} problem{'s' if count != 1 else ''} to correct")
        known = services.codes()
        labels = {(dimension, code): label for dimension, rows in known.items() for code, label in rows}
        for dimension, code in checked.missing(known):
            self.stdout.write(f"No population figure for {PopulationDimension(dimension).label}: "
                              f"{labels[dimension, code]} (shown without a rate)")
        try:
            loaded = services.population_set_load(year=year, source=source, figures=checked.figures,
                                                  acting_user=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if not loaded.changed:
            self.stdout.write(f"The population figures for {year} were already loaded: nothing changed")
        else:
            verb = "replacing the ones loaded before" if loaded.replaced else "new"
            self.stdout.write(f"Loaded {len(checked.figures)} population figures for {year} ({verb})")
