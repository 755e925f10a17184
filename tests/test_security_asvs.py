"""docs/security-asvs.md, the OWASP ASVS 5.0 level 1 and 2 map, is checked
here, so a security officer can trust what it cites.

Every L1 and L2 requirement in docs/security-asvs-requirements.csv has exactly
one row (no L3 row, no unknown identifier), with the level the standard gives
it and a status of met, not applicable or not met. A "met" row cites at least
one thing that proves it, and everything cited anywhere must exist: a file
(`tests/test_x.py`), a test in it (`tests/test_x.py::test_name`) or a name
defined in it (`config/settings/production.py: SESSION_COOKIE_SECURE`). A
"not applicable" row gives its reason and a "not met" row says what is
missing. The summary table's counts must be the rows' counts.
"""

import ast
import csv
import functools
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "security-asvs.md"
REQUIREMENTS = ROOT / "docs" / "security-asvs-requirements.csv"

STATUSES = ("met", "not applicable", "not met")
LEVELS_MAPPED = ("L1", "L2")

# `path`, `path::test_name` or `path: NAME`, inside backticks.
CITATION = re.compile(
    r"^(?P<path>[\w.-]+(?:/[\w.-]+)*\.(?:py|md|csv|txt|toml|js|mjs|json|lock|cfg|ini|html|sql))"
    r"(?:::(?P<test>\w+)|: (?P<name>\w+))?$"
)
ROW = re.compile(r"^\|\s*(V\d+\.\d+\.\d+)\s*\|")
CHAPTER_HEADING = re.compile(r"^## (V\d+) ")


def load_requirements(path: Path = REQUIREMENTS) -> dict[str, tuple[str, str]]:
    """{id: (level, chapter id)} for every requirement of the standard."""
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {row["req_id"]: (row["level"], row["chapter_id"]) for row in csv.DictReader(lines)}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@functools.cache
def _defined_names(path: Path) -> frozenset[str]:
    """Functions, classes and assigned names anywhere in a Python file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return frozenset(names)


def citation_problem(text: str, root: Path) -> str:
    """Why a citation does not hold, or ""."""
    match = CITATION.match(text)
    path, test, name = match["path"], match["test"], match["name"]
    file = root / path
    if not file.is_file():
        return f"`{text}`: no such file"
    wanted = test or name
    if wanted:
        if file.suffix != ".py":
            return f"`{text}`: only a Python file can be searched for a name"
        if wanted not in _defined_names(file):
            return f"`{text}`: {wanted} is not defined in {path}"
    return ""


def parse_rows(markdown: str) -> list[dict]:
    rows, chapter = [], None
    for number, line in enumerate(markdown.splitlines(), 1):
        if heading := CHAPTER_HEADING.match(line):
            chapter = heading[1]
        if ROW.match(line):
            cells = _cells(line)
            cells += [""] * (5 - len(cells))
            rows.append({"line": number, "id": cells[0], "level": cells[1], "status": cells[3],
                         "evidence": cells[4], "chapter_heading": chapter, "cells": len(_cells(line))})
    return rows


def parse_summary(markdown: str) -> dict[str, tuple[int, int, int, int]]:
    """{chapter id or "All": (met, not applicable, not met, requirements)} from the table whose
    first header is "Chapter"."""
    summary, in_table = {}, False
    for line in markdown.splitlines():
        if line.startswith("| Chapter |"):
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            cells = _cells(line)
            if set(cells[0]) <= set("-: "):
                continue
            key = "All" if cells[0].strip("*") == "All" else cells[0].split()[0]
            summary[key] = tuple(int(cell.strip("*")) for cell in cells[1:5])
    return summary


def problems(markdown: str, requirements: dict[str, tuple[str, str]], root: Path = ROOT) -> list[str]:
    found = []
    rows = parse_rows(markdown)
    mapped = {rid for rid, (level, _) in requirements.items() if level in LEVELS_MAPPED}
    seen = Counter(row["id"] for row in rows)
    found += [f"{rid} is missing" for rid in sorted(mapped - set(seen))]
    found += [f"{rid} has {count} rows" for rid, count in sorted(seen.items()) if count > 1]
    counts: dict[str, Counter] = {}
    for row in rows:
        where = f"line {row['line']} ({row['id']})"
        if row["id"] not in requirements:
            found.append(f"{where}: not an ASVS 5.0 requirement")
            continue
        level, chapter = requirements[row["id"]]
        if level not in LEVELS_MAPPED:
            found.append(f"{where}: a level 3 requirement, which this map leaves out")
            continue
        if row["cells"] != 5:
            found.append(f"{where}: {row['cells']} cells, not 5")
        if row["level"] != level:
            found.append(f"{where}: level {row['level']!r}, but the standard says {level}")
        if row["chapter_heading"] != chapter:
            found.append(f"{where}: under chapter {row['chapter_heading']}, not {chapter}")
        status, evidence = row["status"], row["evidence"]
        if status not in STATUSES:
            found.append(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
            continue
        counts.setdefault(chapter, Counter())[status] += 1
        citations = [text for text in re.findall(r"`([^`]+)`", evidence) if CITATION.match(text)]
        for text in citations:
            if problem := citation_problem(text, root):
                found.append(f"{where}: {problem}")
        if status == "met" and not citations:
            found.append(f"{where}: met, but cites no test, setting or file that proves it")
        if status == "not applicable" and len(re.findall(r"[A-Za-z]+", evidence)) < 3:
            found.append(f"{where}: not applicable, but gives no reason")
        if status == "not met" and len(re.findall(r"[A-Za-z]+", evidence)) < 3:
            found.append(f"{where}: not met, but does not say what is missing")

    summary = parse_summary(markdown)
    if not summary:
        return [*found, "no summary table (a table whose first header is Chapter)"]
    totals = Counter()
    chapters = {chapter for _, chapter in requirements.values()} | set(counts)
    for chapter in sorted(chapters, key=_chapter_order):
        got = counts.get(chapter, Counter())
        expected = (got["met"], got["not applicable"], got["not met"], sum(got.values()))
        totals.update(got)
        if summary.get(chapter, (0, 0, 0, 0)) != expected:
            found.append(f"summary for {chapter} says {summary.get(chapter)}, the rows say {expected}")
    expected = (totals["met"], totals["not applicable"], totals["not met"], sum(totals.values()))
    if summary.get("All") != expected:
        found.append(f"summary for All says {summary.get('All')}, the rows say {expected}")
    return found


def _chapter_order(chapter: str) -> int:
    return int(chapter[1:])


def test_the_requirement_list_is_the_whole_standard():
    requirements = load_requirements()
    assert Counter(level for level, _ in requirements.values()) == {"L1": 70, "L2": 183, "L3": 92}
    assert {chapter for _, chapter in requirements.values()} == {f"V{number}" for number in range(1, 18)}
    assert all(re.fullmatch(r"V\d+\.\d+\.\d+", rid) for rid in requirements)


def test_the_map_has_one_proved_row_per_level_1_and_2_requirement():
    assert problems(MAP.read_text(), load_requirements()) == []


# The checker, on small tables, so each way a map can be wrong is shown to fail.

SAMPLE_REQUIREMENTS = {
    "V1.1.1": ("L1", "V1"), "V1.1.2": ("L2", "V1"), "V1.1.3": ("L3", "V1"), "V2.1.1": ("L2", "V2"),
}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_real.py").write_text("def test_real():\n    assert True\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.py").write_text("SESSION_COOKIE_SECURE = True\n")
    return tmp_path


GOOD_SUMMARY = "| V1 x | 2 | 0 | 0 | 2 |\n| V2 y | 0 | 1 | 0 | 1 |\n| All | 2 | 1 | 0 | 3 |"


def sample(rows: str, summary: str = GOOD_SUMMARY):
    return f"""# Map

| Chapter | Met | Not applicable | Not met | Requirements |
|---|---|---|---|---|
{summary}

## V1 Encoding

| ID | Level | Requirement | Status | Evidence |
|---|---|---|---|---|
{rows}
"""


GOOD_ROWS = """| V1.1.1 | L1 | one | met | `tests/test_real.py::test_real` |
| V1.1.2 | L2 | two | met | `config/settings.py: SESSION_COOKIE_SECURE` |

## V2 Validation

| ID | Level | Requirement | Status | Evidence |
|---|---|---|---|---|
| V2.1.1 | L2 | three | not applicable | there is no such feature here |"""


def test_a_good_sample_passes(root):
    assert problems(sample(GOOD_ROWS), SAMPLE_REQUIREMENTS, root) == []


@pytest.mark.parametrize(("change", "complaint"), [
    (("tests/test_real.py::test_real", "tests/test_gone.py::test_real"),
     "tests/test_gone.py::test_real`: no such file"),
    (("tests/test_real.py::test_real", "tests/test_gone.py"), "`tests/test_gone.py`: no such file"),
    (("tests/test_real.py::test_real", "docs/roles.sql"), "`docs/roles.sql`: no such file"),
    (("tests/test_real.py::test_real", "tests/test_real.py::test_imagined"), "test_imagined is not defined"),
    (("SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURED"), "SESSION_COOKIE_SECURED is not defined"),
    (("config/settings.py:", "config/production.py:"),
     "config/production.py: SESSION_COOKIE_SECURE`: no such file"),
    (("| met | `tests/test_real.py::test_real` |", "| met | proved by a test somewhere |"), "cites no test"),
    (("| not applicable | there is no such feature here |", "| not applicable | |"), "gives no reason"),
    (("| not applicable | there is no such feature here |", "| not met | |"), "does not say what is missing"),
    (("| met | `config", "| done | `config"), "status 'done' is not one of"),
    (("| V1.1.2 | L2 |", "| V1.1.2 | L1 |"), "level 'L1', but the standard says L2"),
    (("| V1.1.2 | L2 | two | met | `config/settings.py: SESSION_COOKIE_SECURE` |\n", ""),
     "V1.1.2 is missing"),
    (("| V1.1.2 |", "| V1.1.1 |"), "V1.1.1 has 2 rows"),
    (("| V1.1.2 | L2 | two |", "| V1.1.3 | L3 | two |"), "a level 3 requirement"),
    (("| V1.1.2 | L2 | two |", "| V1.1.9 | L2 | two |"), "not an ASVS 5.0 requirement"),
    (("| V2.1.1 | L2 |", "| V1.1.2 | L2 |"), "under chapter V2, not V1"),
])
def test_each_kind_of_mistake_is_named(root, change, complaint):
    old, new = change
    rows = GOOD_ROWS.replace(old, new, 1)
    assert rows != GOOD_ROWS
    found = problems(sample(rows), SAMPLE_REQUIREMENTS, root)
    assert any(complaint in problem for problem in found), found


def test_summary_counts_must_match_the_rows(root):
    wrong = "| V1 x | 1 | 1 | 0 | 2 |\n| V2 y | 0 | 1 | 0 | 1 |\n| All | 1 | 2 | 0 | 3 |"
    found = problems(sample(GOOD_ROWS, wrong), SAMPLE_REQUIREMENTS, root)
    assert "summary for V1 says (1, 1, 0, 2), the rows say (2, 0, 0, 2)" in found
    assert "summary for All says (1, 2, 0, 3), the rows say (2, 1, 0, 3)" in found
    assert problems(sample(GOOD_ROWS, ""), SAMPLE_REQUIREMENTS, root)[-1].startswith("no summary table")

