"""docs/threat-model.md points at real evidence: every path it cites exists, and every threat has a
control and at least one file that shows it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "threat-model.md"
CITED = re.compile(r"`((?:prevent_hub|tests|docs|config|bin|benchmarks|\.ci)/[\w./-]*|\.secrets\.baseline)`")
LINKED = re.compile(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)")

def cited_paths(text: str) -> set[str]:
    paths = set(CITED.findall(text))
    paths.update(f"docs/{link}" for link in LINKED.findall(text))
    return paths


def threat_rows(text: str) -> list[list[str]]:
    section = text.split("## Top threats and their controls", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| \d+ \|", line)]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_every_cited_path_exists():
    missing = sorted(path for path in cited_paths(DOC.read_text()) if not (ROOT / path).exists())
    assert missing == []


def test_every_threat_has_a_control_and_evidence():
    rows = threat_rows(DOC.read_text())
    assert 15 <= len(rows) <= 30
    assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
    for number, threat, stride, control, shown_by in rows:
        assert threat and control, f"threat {number} has no control"
        assert set(stride.replace(",", " ").split()) <= set("STRIDE"), f"threat {number}: {stride!r}"
        assert CITED.search(shown_by), f"threat {number} cites no file that shows its control"


def test_the_checker_catches_a_missing_path():
    text = "| 1 | x | S | y | `tests/test_no_such_thing.py`, see [nowhere](nowhere.md) |"
    assert cited_paths(text) == {"tests/test_no_such_thing.py", "docs/nowhere.md"}
    assert not any((ROOT / path).exists() for path in cited_paths(text))
