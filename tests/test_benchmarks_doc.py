"""docs/benchmarks.md holds only generated text between its markers, rendered
from every recorded run (benchmarks/results/*.jsonl), and every section has a
benchmark script that writes it."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness  # noqa: E402
import stale  # noqa: E402

SECTIONS = sorted(path.stem for path in harness.RESULTS.glob("*.jsonl"))


def test_every_section_in_the_doc_has_a_history_and_a_script():
    text = harness.REPORT.read_text()
    in_doc = sorted(line.removeprefix("<!-- ").removesuffix(":start -->") for line in text.splitlines()
                    if line.startswith("<!-- ") and line.endswith(":start -->"))
    assert in_doc == SECTIONS
    assert sorted(stale.MEASURES) == SECTIONS
    for name, (script, _paths) in stale.MEASURES.items():
        assert f'write_section("{name}"' in (ROOT / "benchmarks" / script).read_text(), name


@pytest.mark.parametrize("name", SECTIONS)
def test_the_section_is_exactly_what_its_recorded_runs_render(name):
    assert harness.section_in_doc(name) == harness.render_section(name), (
        f"docs/benchmarks.md's {name} section was edited by hand: put commentary outside the markers")


def test_every_run_is_kept_and_shown(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "RESULTS", tmp_path)
    monkeypatch.setattr(harness, "REPORT", tmp_path / "benchmarks.md")
    for figure in ("12 ms", "9 ms", "15 ms"):  # the slowest last: still the newest shown
        harness.write_section("example", f"median {figure}")
    assert len(harness.runs("example")) == 3
    section = harness.section_in_doc("example")
    assert section.startswith("median 15 ms")
    assert "median 12 ms" in section and "median 9 ms" in section
    assert "Earlier runs (2" in section
