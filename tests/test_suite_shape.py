"""The shape of the test suite, read from its source: shared fixtures live in one place, and
only the tests about the shipped courses read courses/.

Shared fixtures belong in tests/conftest.py or the plugin modules it registers
(`pytest_plugins`); a folder's conftest holds what that folder alone uses. So no conftest
imports from another conftest, no module imports a fixture (pytest finds fixtures by name;
an imported one is a second definition that shadows the first), no test imports from a
folder's conftest, and no fixture name is defined twice among the conftests and plugins.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import (
    SHIPPED_COURSE_READERS,
    ShippedCourseGuard,
    ShippedCourseRead,
    shipped_course_guard,
)

TESTS = Path(__file__).resolve().parent


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root.parent).with_suffix("").parts)


def _plugins(root: Path) -> set[str]:
    """The modules the root conftest registers as plugins."""
    tree = ast.parse((root / "conftest.py").read_text())
    for statement in tree.body:
        if (isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in statement.targets)):
            value = ast.literal_eval(statement.value)
            return {value} if isinstance(value, str) else set(value)
    return set()


def _is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in ("pytest.fixture", "fixture")


def _fixtures(tree: ast.Module) -> Iterator[tuple[str, int]]:
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef) and any(
                _is_fixture(d) for d in statement.decorator_list):
            yield statement.name, statement.lineno


def _imports(tree: ast.Module, package: str) -> Iterator[tuple[str, str, int]]:
    """(module, name, line) for every `from module import name`, resolved, and
    (module, "", line) for every `import module`, anywhere in the file."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, "", node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            for alias in node.names:
                yield module, alias.name, node.lineno


def suite_problems(root: Path = TESTS) -> list[str]:
    """Every breach of the rules above in the test tree at `root`, as `path:line: what`."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in sorted(root.rglob("*.py"))}
    names = {path: _module_name(path, root) for path in trees}
    root_conftest = _module_name(root / "conftest.py", root)
    conftests = {names[path] for path in trees if path.name == "conftest.py"}
    shared = conftests | _plugins(root)
    defined: dict[str, list[str]] = defaultdict(list)
    fixtures_of: dict[str, set[str]] = defaultdict(set)
    for path, tree in trees.items():
        if names[path] in shared:
            for fixture, line in _fixtures(tree):
                defined[fixture].append(f"{path.relative_to(root.parent)}:{line}")
                fixtures_of[names[path]].add(fixture)
    problems = [f"fixture {fixture!r} is defined {len(places)} times: {', '.join(places)}"
                for fixture, places in sorted(defined.items()) if len(places) > 1]
    for path, tree in trees.items():
        where = path.relative_to(root.parent)
        package = names[path].rsplit(".", 1)[0]
        for module, name, line in _imports(tree, package):
            imported = f"{module}.{name}" if name else module
            source = imported if imported in conftests else module
            if source in conftests and path.name == "conftest.py":
                problems.append(f"{where}:{line}: a conftest imports from {source}")
            elif source in conftests and source != root_conftest:
                problems.append(f"{where}:{line}: imports from {source}, a folder's conftest")
            if name in fixtures_of.get(module, ()):
                problems.append(f"{where}:{line}: imports the fixture {name!r} from {module}")
    return problems


def test_fixtures_are_shared_through_the_root_conftest_only() -> None:
    problems = suite_problems()
    assert not problems, "\n".join(problems)


def test_each_breach_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "tests"
    for name, text in {
        "__init__.py": "",
        "conftest.py": 'import pytest\npytest_plugins = ["tests.plug"]\n\n'
                       "@pytest.fixture\ndef people(): ...\n\ndef login(): ...\n",
        "plug.py": "import pytest\n\n@pytest.fixture\ndef people(): ...\n",
        "a/__init__.py": "",
        "a/conftest.py": "from tests.conftest import people\n",
        "a/test_x.py": "from tests.conftest import login\nfrom tests.b.conftest import helper\n"
                       "from tests.b import conftest\n",
        "b/__init__.py": "",
        "b/conftest.py": "def helper(): ...\n",
        "b/test_y.py": "from tests.plug import people\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert suite_problems(root) == [
        "fixture 'people' is defined 2 times: tests/conftest.py:5, tests/plug.py:4",
        "tests/a/conftest.py:1: a conftest imports from tests.conftest",
        "tests/a/conftest.py:1: imports the fixture 'people' from tests.conftest",
        "tests/a/test_x.py:2: imports from tests.b.conftest, a folder's conftest",
        "tests/a/test_x.py:3: imports from tests.b.conftest, a folder's conftest",
        "tests/b/test_y.py:1: imports the fixture 'people' from tests.plug",
    ]  # a test importing a plain helper (login) from the root conftest is fine


# --- the shipped courses ------------------------------------------------------------------


@pytest.mark.parametrize("reader, allowed", [
    ("tests/content/test_shipped_courses.py", True), ("tests/e2e/test_quiz_journey.py", True),
    ("tests/learning/test_routes.py", False)])
def test_the_guard_lets_only_the_listed_modules_read_courses(reader: str,
                                                             allowed: bool) -> None:
    guard = ShippedCourseGuard(running=reader)
    shipped = TESTS.parent / "courses" / "gxp-standard-practice" / "course.md"
    if allowed:
        guard("open", (str(shipped), "r", 0))
        guard("os.scandir", (shipped.parent,))
        assert guard.refused == []
    else:
        for event, args in (("open", (str(shipped), "r", 0)), ("os.scandir", (shipped.parent,)),
                            ("os.listdir", (str(TESTS.parent / "courses"),))):
            with pytest.raises(ShippedCourseRead, match="build the course the test needs"):
                guard(event, args)
        assert len(guard.refused) == 3
    guard("open", (str(TESTS / "conftest.py"), "r", 0))  # anything else: never a concern
    guard("open", (3, "r", 0))
    guard("open", ("courses", None, 0))  # os.open(), perhaps relative to another folder
    assert len(guard.refused) == (0 if allowed else 3)


def test_the_guard_leaves_pytest_alone_between_tests() -> None:
    """Outside a test (collecting, cleaning old temporary folders that hold a `courses`
    folder of their own) nothing is refused."""
    guard = ShippedCourseGuard(running=None)
    shipped = TESTS.parent / "courses" / "gxp-standard-practice" / "course.md"
    guard("open", (str(shipped), "r", 0))
    guard("os.scandir", (str(shipped.parent),))
    assert guard.refused == []


def test_this_module_may_not_read_the_shipped_courses() -> None:
    """The guard is live in this run: this module is not in SHIPPED_COURSE_READERS."""
    assert not Path(__file__).relative_to(TESTS.parent).as_posix().startswith(
        SHIPPED_COURSE_READERS)
    with pytest.raises(ShippedCourseRead):
        (TESTS.parent / "courses" / "gxp-standard-practice" / "course.md").read_text()
    shipped_course_guard.refused.clear()  # refused on purpose: not a failure
