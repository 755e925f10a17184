"""Every test checks something: a test function with no assertion of its own
and no call to an assertion helper passes whatever the code does.

An assertion is an `assert`, `pytest.raises`/`pytest.warns`, Playwright's
`expect(...)`, or a call to a helper whose name says it asserts (assert_*,
pytest-django's django_assert_num_queries, expect_*, schemathesis's
call_and_validate, checked — which runs axe-core and the reflow check — and
the journeys' `*_checked` steps). A helper of another name that asserts
inside needs its name to say so.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSERTING_CALLS = ("assert", "expect", "checked", "raises", "warns")


def _asserts(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (name.startswith(ASSERTING_CALLS) or "_assert_" in name or name.endswith("_checked")
                    or name.endswith("validate")):
                return True
    return False


def unasserted_tests(paths) -> list[str]:
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
                    and not _asserts(node)):
                found.append(f"{path.relative_to(ROOT)}::{node.name}")
    return found


def test_every_test_function_asserts_something():
    paths = sorted([*ROOT.joinpath("prevent_hub").rglob("test_*.py"),
                    *ROOT.joinpath("tests").rglob("test_*.py")])
    assert len(paths) > 50
    found = unasserted_tests(paths)
    assert found == [], "Tests that check nothing:\n" + "\n".join(found)


def test_the_scan_finds_a_test_that_checks_nothing(tmp_path, monkeypatch):
    module = ROOT / "tests" / "test_scan_example_tmp.py"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (
        "def test_nothing(client):\n    client.get('/')\n\n"
        "def test_something(client):\n    assert client.get('/').status_code == 200\n"))
    assert unasserted_tests([module]) == ["tests/test_scan_example_tmp.py::test_nothing"]
