"""Apps depend only downward: no import cycles between them.

Every import of one app by another in application code (tests and migrations
aside), at module level or inside a function, is an edge; the graph must have
an order. A new cycle fails here naming the apps and the files that import.
The order the apps build in is written in README.md ("Layout").
"""

import ast
import graphlib
import re
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "prevent_hub"
APPS = sorted(path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists())


def _imported_apps(path: Path, app: str, package: tuple[str, ...] | None = None) -> set[str]:
    """The other apps `path` (a module of `app`) imports, absolutely or relatively."""
    if package is None:
        package = ("prevent_hub", *path.relative_to(PACKAGE).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *([node.module] if node.module else [])))
            names = [module]
            if module == "prevent_hub":
                names = [f"prevent_hub.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "prevent_hub" and parts[1] in APPS and parts[1] != app:
                found.add(parts[1])
    return found


def app_imports() -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    """app → the apps it imports, and (app, other) → the files that do."""
    graph, where = defaultdict(set), defaultdict(set)
    for app in APPS:
        graph[app]  # every app is a node, even one importing nothing
        for path in (PACKAGE / app).rglob("*.py"):
            parts = path.relative_to(PACKAGE / app).parts
            if "tests" in parts or "migrations" in parts:
                continue
            for other in _imported_apps(path, app):
                graph[app].add(other)
                where[(app, other)].add(str(path.relative_to(PACKAGE)))
    return graph, where


def test_apps_import_one_another_without_cycles():
    graph, where = app_imports()
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        # Each app in the cycle is imported by the next one.
        cycle = error.args[1]
        edges = [f"{importer} imports {imported} in {', '.join(sorted(where[(importer, imported)]))}"
                 for imported, importer in zip(cycle, cycle[1:], strict=False)]
        raise AssertionError("Import cycle between apps:\n  " + "\n  ".join(edges)) from None
    assert set(order) == set(APPS)


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from prevent_hub.channel.models import ChannelCase\n"
                      "from prevent_hub import people\nfrom ...audit import services\n"
                      "from .forms import Form\n")
    package = ("prevent_hub", "referrals", "management", "commands")
    assert _imported_apps(module, "referrals", package) == {"channel", "people"}
    package = ("prevent_hub", "referrals", "views")
    assert _imported_apps(module, "referrals", package) == {"channel", "people", "audit"}


def test_the_readme_lists_every_app_in_an_order_they_build_in():
    readme = (PACKAGE.parent / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    order = re.findall(r"^  (\w+)/", layout, re.M)
    assert sorted(order) == APPS, "README's layout must list every app once"
    graph, where = app_imports()
    upward = [f"{app} imports {other} ({', '.join(sorted(where[(app, other)]))})"
              for app in order for other in graph[app] if order.index(other) > order.index(app)]
    assert upward == [], "README lists these apps below what they import:\n" + "\n".join(upward)
