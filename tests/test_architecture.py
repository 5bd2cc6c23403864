"""The shape of the package graph, read from the source: no cycles between features, and
nothing registered as a side effect of importing a module.

Every `import` and `from ... import` inside app/ counts, at module level and inside
functions alike: an import moved into a function still makes one feature depend on another.
`app/core`, `app/config.py` and `app/extensions.py` are the shared base every feature
stands on; `app/__init__.py` is the one place that wires all features together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
SHARED = frozenset({"core", "config", "extensions"})

Edges = dict[str, dict[str, list[str]]]  # package -> package it imports -> where


def _imported_modules(node: ast.AST, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:  # relative: resolve against the importing module's package
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        # `from app import quizzes` imports the package app.quizzes.
        yield from (f"{target}.{alias.name}" for alias in node.names)


def _feature(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "app" or len(parts) < 2 or parts[1] in SHARED | {"__init__"}:
        return None
    return parts[1]


def package_edges(root: Path = APP) -> Edges:
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        package = ".".join(relative.parts[:-1])
        source = _feature(".".join(relative.parts))
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = {_feature(imported) for imported in _imported_modules(node, package)}
            for target in sorted(t for t in targets if t is not None and t != source):
                where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
                edges[source][target].append(where)
    return edges


def package_cycles(edges: Edges) -> list[list[str]]:
    """The graph's strongly connected components of more than one package (Tarjan's)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, {})):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(set(edges) | {t for targets in edges.values() for t in targets}):
        if node not in index:
            visit(node)
    return components


def _describe(cycle: list[str], edges: Edges) -> str:
    members = set(cycle)
    lines = [f"cycle {{{', '.join(cycle)}}}:"]
    for source in cycle:
        for target, where in sorted(edges.get(source, {}).items()):
            if target in members:
                lines.append(f"  {source} -> {target}: {', '.join(where)}")
    return "\n".join(lines)


def test_no_package_depends_on_itself_through_others() -> None:
    edges = package_edges()
    cycles = package_cycles(edges)
    assert not cycles, "\n".join(_describe(cycle, edges) for cycle in cycles)


def test_the_graph_is_read_from_every_kind_of_import(tmp_path: Path) -> None:
    """The walk sees what a cycle hides behind: imports inside functions, `from app import
    x`, relative imports; and it names where each edge comes from."""
    package = tmp_path / "app"
    for name, text in {
        "a/__init__.py": "",
        "a/views.py": "def page():\n    from app.b.services import thing\n",
        "b/__init__.py": "from app import c\n",
        "c/__init__.py": "",
        "c/models.py": "from ..a import views\n",
        "core/x.py": "import app.a.views\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    edges = package_edges(package)
    assert {source: sorted(targets) for source, targets in edges.items()} == {
        "a": ["b"], "b": ["c"], "c": ["a"]}  # core is the shared base: not counted
    assert edges["a"]["b"] == ["app/a/views.py:2"]
    assert package_cycles(edges) == [["a", "b", "c"]]
    assert "a -> b: app/a/views.py:2" in _describe(["a", "b", "c"], edges)


# --- registration happens in init_app, never at import --------------------------------------


def _registering_statements(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Module-level statements that change a registry (a NAME in capitals) or decorate a
    function with a registering call: what fills a registry as an import's side effect."""
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id.isupper()):
                yield statement.lineno, f"{func.value.id}.{func.attr}(...)"
        if isinstance(statement, ast.Assign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [
                statement.target]
            for target in targets:
                if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                        and target.value.id.isupper()):
                    yield statement.lineno, f"{target.value.id}[...] = ..."
        if isinstance(statement, ast.FunctionDef | ast.ClassDef):
            for decorator in statement.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", "")
                owner = call.value if isinstance(call, ast.Attribute) else None
                if name in ("policy", "register") or (
                        isinstance(owner, ast.Name) and owner.id.isupper()):
                    yield statement.lineno, f"@{ast.unparse(decorator)}"


def test_nothing_registers_at_import_time() -> None:
    found = [f"{path.relative_to(APP.parent)}:{line}: {what}"
             for path in sorted(APP.rglob("*.py"))
             for line, what in _registering_statements(ast.parse(path.read_text()))]
    assert not found, "register these in the feature's init_app:\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    "CHECKS['x'] = check\n",
    "PANELS.append(panel)\n",
    "@policy('thing.do')\ndef rule(actor, obj): ...\n",
    "@POLICIES.register('thing.do')\ndef rule(actor, obj): ...\n",
    "@register\nclass Kind: ...\n",
])
def test_an_import_time_registration_is_seen(source: str) -> None:
    assert list(_registering_statements(ast.parse(source)))


# --- views stay thin -----------------------------------------------------------------------

VIEW_LINES = 20


def _long_views(tree: ast.Module, limit: int = VIEW_LINES) -> Iterator[tuple[str, int]]:
    """Views (functions under a `.route(...)` decorator) whose body, docstring included, runs
    over `limit` lines: their logic belongs in a service, a query or a helper of their own."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        routed = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                     and d.func.attr == "route" for d in node.decorator_list)
        lines = (node.end_lineno or node.lineno) - node.body[0].lineno + 1
        if routed and lines > limit:
            yield node.name, lines


def test_no_view_runs_over_twenty_lines() -> None:
    found = [f"{path.relative_to(APP.parent)}: {name} has {lines} lines"
             for path in sorted(APP.rglob("*.py"))
             for name, lines in _long_views(ast.parse(path.read_text()))]
    assert not found, (f"views over {VIEW_LINES} lines; move their logic into services, "
                       "queries or small helpers:\n" + "\n".join(found))


def test_a_long_view_is_seen() -> None:
    body = "".join(f"    x{n} = {n}\n" for n in range(VIEW_LINES))
    short = f"@bp.route('/')\ndef page():\n{body}"
    assert list(_long_views(ast.parse(short))) == []
    assert list(_long_views(ast.parse(short + "    return x0\n"))) == [("page", 21)]
    # Helpers and commands are not views.
    assert list(_long_views(ast.parse(f"def helper():\n{body}    return 1\n"))) == []
