"""Views ask `access` what a user may do (`can(user, Action.X, obj)`); they
never look at roles themselves, so the rules live in one place
(access.policy) and docs/access.md describes every decision."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "prevent_hub"


def view_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        # Venue bookings: the officer's workflow (views named for their part
        # too: booking_views.py, venue_views.py, public_views.py)
        if path.name == "views.py" or path.name.endswith("_views.py") or "views" in parts[:-1]:
            yield path


def role_checks(path: Path, name: str = "") -> list[str]:
    """`user.has_role(...)` calls and named roles (`Role.AUDITOR`) in a view module."""
    name = name or str(path.relative_to(PACKAGE))
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr == "has_role":
            found.append(f"{name}:{node.lineno} .has_role")
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "Role" and node.attr.isupper()):
            found.append(f"{name}:{node.lineno} Role.{node.attr}")
    return found


def test_no_view_decides_by_role():
    modules = list(view_modules())
    assert len(modules) > 10
    found = [check for path in modules for check in role_checks(path)]
    assert found == [], "Decide through prevent_hub.access (can/requires), not roles:\n" + "\n".join(found)


def test_the_scan_reads_view_modules_named_for_their_part():
    names = {str(path.relative_to(PACKAGE)) for path in view_modules()}
    assert {"venues/dashboard_views.py", "venues/venue_views.py"} <= names


def test_the_scan_finds_a_role_check(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("def v(request):\n    if request.user.has_role(Role.AUDITOR):\n        pass\n")
    assert role_checks(view, "views.py") == ["views.py:2 .has_role", "views.py:2 Role.AUDITOR"]
