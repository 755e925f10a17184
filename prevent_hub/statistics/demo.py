"""Demo population figures: made-up round numbers for the fictional county of
Shireford, loaded through the same service as the upload page, by the demo
system administrator, so the equality monitoring page has rates to show."""

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as

from . import population_services

DEMO_SOURCE = "Made-up figures for the fictional county of Shireford (demo, not real data)"


def load():
    administrator = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    with acting_as(administrator):
        population_services.population_set_load(
            year=population_services.EXAMPLE_YEAR, source=DEMO_SOURCE,
            figures=dict(population_services.EXAMPLE_FIGURES), acting_user=administrator)
