"""Our component templates against govuk-frontend's own examples.

govuk-frontend publishes, for every component, the macro parameters of each
documented example and the HTML its Nunjucks template produces
(`dist/govuk/components/<name>/fixtures.json`). We render every non-hidden
example through our Django template and compare the parsed HTML (see html.py
for what "the same" means). A failure shows both sides, indented.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from prevent_hub.govuk.components import render

from .html import pretty, tokens

GOVUK = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "govuk" / "components"

# Components of our own, with no govuk-frontend fixtures to compare against.
OWN_COMPONENTS: set[str] = set()

# Examples deliberately not matched, with the reason. Keep this short.
SKIPPED: dict[tuple[str, str], str] = {}


def shipped_components():
    return sorted(path.stem for path in TEMPLATES.glob("*.html"))


def examples():
    return list(_examples())


def _examples():
    for name in shipped_components():
        if name in OWN_COMPONENTS:
            continue
        fixtures = json.loads((GOVUK / "components" / name / "fixtures.json").read_text())
        for fixture in fixtures["fixtures"]:
            if fixture.get("hidden"):
                continue
            yield pytest.param(name, fixture, id=f"{name}: {fixture['name']}")


def test_every_shipped_component_has_fixtures_or_is_ours():
    for name in shipped_components():
        assert name in OWN_COMPONENTS or (GOVUK / "components" / name / "fixtures.json").exists(), (
            f"{name}.html is neither a govuk-frontend component nor listed in OWN_COMPONENTS"
        )


def test_skips_name_real_examples():
    known = {(name, f["name"]) for name in shipped_components() if name not in OWN_COMPONENTS
             for f in json.loads((GOVUK / "components" / name / "fixtures.json").read_text())
             ["fixtures"]}
    assert set(SKIPPED) <= known, set(SKIPPED) - known


@pytest.mark.parametrize(("name", "fixture"), examples())
def test_component_matches_govuk_frontend(name, fixture):
    if (name, fixture["name"]) in SKIPPED:
        pytest.skip(SKIPPED[(name, fixture["name"])])
    ours = render(name, fixture["options"])
    if tokens(ours) != tokens(fixture["html"]):
        assert pretty(ours) == pretty(fixture["html"])
