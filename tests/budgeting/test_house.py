"""The house of participation.budgeting (issue 13, point 10): no import circles, and views
that import services, never each other.

The graph is built from the source with `ast`: every import counts, also those inside
functions (a lazy import is still a circle) and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import participation.budgeting

PACKAGE = "participation.budgeting"
ROOT = Path(participation.budgeting.__file__).parent
WEB = f"{PACKAGE}.web"
# Shared by the views, not views themselves (ballot_cards: the ballot page's cached cards).
NOT_VIEWS = {f"{WEB}", f"{WEB}.blueprint", f"{WEB}.forms", f"{WEB}.routes", f"{WEB}.ballot_cards"}
SERVICE_PACKAGES = ("rounds", "voting", "results")


def modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join([package, *parts])] = (path, is_package)
    return found


def import_graph(found: dict[str, tuple[Path, bool]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, (path, is_package) in found.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[:len(here) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = []
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in found else source)
            else:
                continue
            graph[name].update(target for target in targets
                               if target in found and target != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _is_view(name: str) -> bool:
    return name.startswith(f"{WEB}.") and name not in NOT_VIEWS


def test_the_budgeting_package_has_no_import_circles():
    assert cycles(import_graph(modules())) == []


def test_views_never_import_other_views():
    graph = import_graph(modules())
    crossings = {name: sorted(target for target in targets if _is_view(target))
                 for name, targets in graph.items() if _is_view(name)}
    assert {name: targets for name, targets in crossings.items() if targets} == {}


def test_services_never_import_the_web_pages():
    graph = import_graph(modules())
    services = [name for name in graph
                if name.split(".")[2:3] and name.split(".")[2] in SERVICE_PACKAGES]
    assert services
    assert {name: sorted(t for t in graph[name] if t.startswith(WEB)) for name in services
            if any(t.startswith(WEB) for t in graph[name])} == {}


def test_the_graph_sees_circles_and_lazy_imports(tmp_path):
    """The checker itself: a circle made of a top-level and a function-level import is found,
    and a view importing another view is seen."""
    package = tmp_path / "pkg"
    (package / "web").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("def thing():\n    from . import a\n    return a\n")
    (package / "web" / "__init__.py").write_text("")
    (package / "web" / "one.py").write_text("from . import two\n")
    (package / "web" / "two.py").write_text("")
    graph = import_graph(modules(package, "pkg"))
    assert cycles(graph) == [["pkg.a", "pkg.b"]]
    assert graph["pkg.web.one"] == {"pkg.web.two"}


def _absolute_imports(path: Path, dotted: str, is_package: bool) -> list[tuple[str, str]]:
    """(module, imported name or "") for every import in the file, relative ones resolved;
    `import x.y` gives ("x.y", "")."""
    here = dotted.split(".") if is_package else dotted.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.extend((source, alias.name) for alias in node.names)
    return found


def data_access_in_web(root: Path = ROOT, package: str = PACKAGE) -> dict[str, list[str]]:
    """Web modules that reach the database themselves: a models module (of any package, also
    `from ..rounds import models`), the `db` object, or SQLAlchemy beyond its exceptions."""
    web = f"{package}.web"
    offences: dict[str, list[str]] = {}
    for name, (path, is_package) in modules(root, package).items():
        if name != web and not name.startswith(f"{web}."):
            continue
        for source, imported in _absolute_imports(path, name, is_package):
            full = f"{source}.{imported}" if imported else source
            if (source.split(".")[-1] == "models" or imported == "models"
                    or imported == "db" or full.endswith(".extensions.db")
                    or source.split(".")[0] == "sqlalchemy" and source != "sqlalchemy.exc"):
                offences.setdefault(name, []).append(full)
    return {name: sorted(set(found)) for name, found in sorted(offences.items())}


def test_web_modules_reach_data_only_through_services():
    """Point 10: a web module imports services (and forms, the blueprint, core utilities),
    never a models module, `extensions.db` or SQLAlchemy's query builder."""
    assert data_access_in_web() == {}


def test_the_data_access_check_sees_models_db_and_queries(tmp_path):
    package = tmp_path / "pkg"
    (package / "web").mkdir(parents=True)
    (package / "rounds").mkdir()
    for init in (package, package / "web", package / "rounds"):
        (init / "__init__.py").write_text("")
    (package / "rounds" / "models.py").write_text("")
    (package / "web" / "clean.py").write_text(
        "from sqlalchemy.exc import IntegrityError\nfrom ..rounds import lookups\n")
    (package / "web" / "models_direct.py").write_text("from ..rounds.models import Thing\n")
    (package / "web" / "models_module.py").write_text("from ..rounds import models\n")
    (package / "web" / "other_domain.py").write_text(
        "def page():\n    from ...accounts.models import User\n    return User\n")
    (package / "web" / "session.py").write_text("from ...extensions import db, limiter\n")
    (package / "web" / "query.py").write_text("import sqlalchemy as sa\n")
    (package / "outside.py").write_text("from .rounds.models import Thing\n")
    assert data_access_in_web(package, "pkg") == {
        "pkg.web.models_direct": ["pkg.rounds.models.Thing"],
        "pkg.web.models_module": ["pkg.rounds.models"],
        "pkg.web.other_domain": ["accounts.models.User"],
        "pkg.web.query": ["sqlalchemy"],
        "pkg.web.session": ["extensions.db"],
    }
