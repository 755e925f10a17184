"""The demo's population figures: made up for the fictional county, loaded
through the service by the demo administrator, and enough for rates."""

import pytest

from prevent_hub.accounts import demo as accounts_demo
from prevent_hub.audit.models import AuditEvent
from prevent_hub.statistics import demo, equality
from prevent_hub.statistics.models import PopulationSet

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_made_up_shireford_population_through_the_service():
    accounts_demo.load()

    demo.load()

    found = PopulationSet.objects.get()
    assert "fictional county of Shireford" in found.source and "not real" in found.source
    assert found.loaded_by.email.startswith("admin@")
    assert AuditEvent.objects.filter(object_type="statistics.populationset").count() == 1
    assert equality.population_for(2025) == found
