"""The layers a newcomer can see, checked: domain <- storage <- services and features <- cli,
ui. A module imports only its own layer and those below; devtools (demo, fake lists,
benchmarks) may use anything below the command line, and only the demo and bench commands
use devtools. The core stays usable without a screen: nothing in casetracker/ imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "ui", "matplotlib.backends.backend_qt")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_source_never_imports_qt() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "casetracker").rglob("*.py"))
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    script = (
        "import importlib, pkgutil, sys, casetracker\n"
        "for m in pkgutil.walk_packages(casetracker.__path__, 'casetracker.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Lowest first. A package not listed here fails the test until it is given its place.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("casetracker.paths", "casetracker.logsetup", "casetracker"),
    ("casetracker.domain", "casetracker.normalize"),
    ("casetracker.storage",),
    (
        "casetracker.operations",
        "casetracker.services",
        "casetracker.accounts",
        "casetracker.records",
        "casetracker.importing",
        "casetracker.screening",
        "casetracker.decisions",
        "casetracker.courtlists",
        "casetracker.reports",
        "casetracker.documents",
    ),
    ("casetracker.devtools",),
    ("casetracker.cli", "ui"),
)
# The commands that load demo data or run benchmarks are the only users of devtools.
DEVTOOLS_USERS = (
    "casetracker/cli/demo_cmd.py",
    "casetracker/cli/bench_cmd.py",
    "ui/bench/",
    # File > Load demo data (and the welcome page's button): the demo command in the window.
    "ui/main_window.py",
)


def _all_imports(path: Path) -> list[str]:
    """Every import, also those inside functions; relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append(".".join([*base, node.module]))
            else:
                names.append(node.module)
    return names


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for number, members in enumerate(LAYERS):
        for member in members:
            inside = module == member or module.startswith(member + ".")
            if inside and (best is None or len(member) > best[1]):
                best = (number, len(member))
    return None if best is None else best[0]


def _sources() -> list[Path]:
    return [
        path
        for folder in ("casetracker", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_modules_are_placed_in_the_layer_meant() -> None:
    assert [
        _layer(m)
        for m in (
            "casetracker.paths",
            "casetracker.domain.models",
            "casetracker.storage.db",
            "casetracker.operations",
            "casetracker.services.moves",
            "casetracker.devtools.demo",
            "casetracker.cli.main",
            "ui.main_window",
            "sqlalchemy",
        )
    ] == [0, 1, 2, 3, 3, 4, 5, 5, None]


def test_every_package_has_a_layer() -> None:
    unplaced = sorted(
        {
            ".".join(path.relative_to(ROOT).parts[:2]).removesuffix(".py")
            for path in _sources()
            if _layer(".".join(path.relative_to(ROOT).with_suffix("").parts)) is None
        }
    )
    assert unplaced == []


def test_each_layer_imports_only_itself_and_those_below() -> None:
    upward = []
    for path in _sources():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = _layer(module)
        assert own is not None
        for name in _all_imports(path):
            target = _layer(name)
            if target is not None and target > own:
                upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []


def test_cli_and_window_are_separate_clients() -> None:
    crossing = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _sources()
        for name in _all_imports(path)
        if (path.relative_to(ROOT).parts[0] == "ui" and name.startswith("casetracker.cli"))
        or (path.relative_to(ROOT).parts[:2] == ("casetracker", "cli") and _is_ui(name))
    ]
    assert crossing == []


def _is_ui(name: str) -> bool:
    return name == "ui" or name.startswith("ui.")


def test_only_the_demo_and_bench_commands_use_devtools() -> None:
    users = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if "devtools" not in path.relative_to(ROOT).parts
        and any(name.startswith("casetracker.devtools") for name in _all_imports(path))
    ]
    assert [u for u in users if not u.startswith(DEVTOOLS_USERS)] == []


def test_the_readme_folder_map_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("main.py            entry") :]
    block = block[: block.index("```")]
    listed = {
        line.split()[0]
        for line in block.splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    }
    packages = {
        f"{path.name}/"
        for path in (ROOT / "casetracker").iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    }
    assert packages <= listed, sorted(packages - listed)
    assert listed <= packages, sorted(listed - packages)


# The window reads and writes through services and operations: no module in ui/ queries the
# database itself. The benchmark's window measures the desk from outside, so it may.
QUERY_CALLS = frozenset({"query", "get", "scalars", "scalar", "execute", "exec_driver_sql"})
ORM_IMPORTS = ("sqlalchemy", "casetracker.domain.models")


def _database_use(source: str) -> list[str]:
    """Where this source imports SQLAlchemy or the models, or calls session.query/get/
    scalars/scalar/execute (on anything named session or ending in _session/.session)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found += [
                f"line {node.lineno}: imports {name}"
                for name in names
                if any(name == m or name.startswith(m + ".") for m in ORM_IMPORTS)
            ]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            is_session = owner_name == "session" or owner_name.endswith("_session")
            if is_session and node.func.attr in QUERY_CALLS:
                found.append(f"line {node.lineno}: {owner_name}.{node.func.attr}(...)")
    return found


def test_the_window_never_queries_the_database_itself() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} {use}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if "bench" not in path.relative_to(ROOT).parts
        for use in _database_use(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_query_rule_catches_what_it_names() -> None:
    sample = (
        "from sqlalchemy import select\n"
        "def f(db):\n"
        "    from casetracker.domain.models import Motion\n"
        "    with db.reading() as session:\n"
        "        session.get(Motion, 1)\n"
        "        session.scalars(select(Motion))\n"
        "        self.session.execute('x')\n"
        "    rows_for(session, [1])\n"
    )
    assert [use.split(":")[0] for use in _database_use(sample)] == [
        "line 1",
        "line 3",
        "line 5",
        "line 6",
        "line 7",
    ]
