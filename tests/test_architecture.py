"""The dependency order of docs/architecture.md §1, and the layout every app shares (docs/architecture.md).

Every .py file of every app is parsed with `ast`: imports at any level (inside
functions and `if TYPE_CHECKING:` too), `import x` and `from x import y`, and
relative imports resolved to their package. An app imports only apps on a lower
floor; apps on the same floor do not import each other. Apps that do not exist
yet are in the table, so they are held to it from their first file; a new
top-level package that is not in the table fails until it is placed.
"""

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Floors, top to bottom (docs/architecture.md §1). Higher number = higher floor.
FLOORS = {
    "config": 7, "demo": 7,  # wiring and generators; they do not import each other
    "records": 6,
    "history": 5,  # the versions of IOP and application texts (issue 18); records erases them with the rest
    "iop": 4, "followup": 4, "cases": 4,
    "applications": 3,
    "roster": 2, "documents": 2, "curriculum": 2, "notices": 2,
    "accounts": 1,
    "audit": 0,
}
# Narrower rules on top of the floors. `followup` may import `applications` and `roster`:
# both are below it, so the floors allow it already.
IMPORTABLE_ONLY_BY = {"cases": {"records", "config"}}
IMPORTS_ONLY = {"cases": {"documents", "accounts", "audit"}}

# Top-level folders that are not apps (and so need no floor).
NOT_APPS = {"tests", "bench", "docs", "static", "templates", "locale", ".venv"}

# Views never write the access log themselves: reads are logged by the access helpers,
# changes by services.
LOG_WRITERS = ("audit.log", "audit.models")


def may_import(importer: str, imported: str) -> bool:
    """May a module of app `importer` import app `imported`?"""
    if importer == imported:
        return True
    if imported in IMPORTABLE_ONLY_BY and importer not in IMPORTABLE_ONLY_BY[imported]:
        return False
    if importer in IMPORTS_ONLY and imported not in IMPORTS_ONLY[importer]:
        return False
    return FLOORS[imported] < FLOORS[importer]


# --- Reading the code -------------------------------------------------------


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    line: int
    module: str  # dotted, absolute
    names: tuple[str, ...] = ()  # for `from module import a, b`

    @property
    def app(self) -> str:
        return self.module.split(".")[0]

    def modules(self) -> set[str]:
        """The module and, for `from m import a`, `m.a` (a may be a submodule)."""
        return {self.module} | {f"{self.module}.{name}" for name in self.names if name != "*"}

    def __str__(self) -> str:
        names = f" import {', '.join(self.names)}" if self.names else ""
        return f"{rel(self.path)}:{self.line}: {'from ' if names else 'import '}{self.module}{names}"


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[Import]:
    return parse_imports(path.read_text(encoding="utf-8"), path=path, module=module_name(path),
                         is_package=path.name == "__init__.py")


def parse_imports(source: str, *, path: Path, module: str, is_package: bool) -> list[Import]:
    # Relative imports count from the file's package: itself for an __init__.py, else its parent.
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = node.module
            if node.level:
                base = package.split(".")
                assert node.level <= len(base), f"{path}:{node.lineno}: relative import beyond the top package"
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            found.append(Import(path, node.lineno, target, tuple(alias.name for alias in node.names)))
    return found


def is_package_folder(folder: Path) -> bool:
    return (folder / "__init__.py").exists() or any(folder.glob("*.py"))


@cache
def top_level_packages() -> tuple[str, ...]:
    return tuple(
        sorted(
            folder.name
            for folder in ROOT.iterdir()
            if folder.is_dir()
            and folder.name.isidentifier()  # skips .git, .venv, iop.egg-info, test-artifacts
            and folder.name not in NOT_APPS
            and is_package_folder(folder)
        )
    )


@cache
def apps() -> tuple[str, ...]:
    """The apps of the table that exist (a missing folder is an app still to come)."""
    return tuple(app for app in FLOORS if (ROOT / app).is_dir())


def python_files(app: str) -> list[Path]:
    return sorted(path for path in (ROOT / app).rglob("*.py") if "__pycache__" not in path.parts)


@cache
def all_files() -> tuple[Path, ...]:
    return tuple(path for app in apps() for path in python_files(app))


def views_files(app: str) -> list[Path]:
    single, package = ROOT / app / "views.py", ROOT / app / "views"
    return ([single] if single.exists() else []) + (sorted(package.rglob("*.py")) if package.is_dir() else [])


def apps_with_views() -> list[str]:
    """Apps with a views module. `config` is the root wiring: its urls.py has no app_name and its
    pages (start page, health check) are project-wide."""
    return [app for app in apps() if app != "config" and views_files(app)]


# --- The floors -------------------------------------------------------------


def test_every_top_level_package_has_a_floor():
    """A new app must be placed in FLOORS (and in docs/architecture.md) before it lands."""
    unplaced = [name for name in top_level_packages() if name not in FLOORS]
    assert not unplaced, f"top-level packages without a floor in tests/test_architecture.py: {unplaced}"


def test_the_table_says_what_design_md_says():
    """The rules themselves, so an edit of the table that loosens them shows up here."""
    assert may_import("iop", "applications") and may_import("applications", "documents")
    assert may_import("followup", "applications") and may_import("followup", "roster")
    assert may_import("records", "cases") and may_import("config", "cases")
    assert may_import("cases", "documents") and may_import("accounts", "audit")
    assert may_import("demo", "iop") and may_import("config", "records")
    assert not may_import("applications", "iop")  # up a floor
    assert not may_import("iop", "followup") and not may_import("iop", "cases")  # siblings
    assert not may_import("roster", "documents") and not may_import("documents", "roster")
    assert not may_import("config", "demo") and not may_import("demo", "config")
    assert not may_import("demo", "cases") and not may_import("iop", "cases")  # only records, config
    assert not may_import("cases", "applications") and not may_import("cases", "roster")
    assert not any(may_import("audit", app) for app in FLOORS if app != "audit")


def test_the_parser_sees_every_kind_of_import():
    source = (
        "import a.b, c\n"
        "from d.e import f\n"
        "def view():\n"
        "    from .g import h\n"
        "    from .. import i\n"
        "if TYPE_CHECKING:\n"
        "    from . import j\n"
    )
    found = parse_imports(source, path=Path("iop/views/plan.py"), module="iop.views.plan", is_package=False)
    assert [(imp.line, imp.module, imp.names) for imp in found] == [
        (1, "a.b", ()), (1, "c", ()), (2, "d.e", ("f",)), (4, "iop.views.g", ("h",)),
        (5, "iop", ("i",)), (7, "iop.views", ("j",)),
    ]
    init = parse_imports("from .models import X", path=Path("iop/__init__.py"), module="iop", is_package=True)
    assert init[0].module == "iop.models"


@pytest.mark.parametrize("path", all_files(), ids=rel)
def test_imports_go_down_the_floors(path):
    """Each file imports only apps its app may import (docs/architecture.md §1)."""
    importer = path.relative_to(ROOT).parts[0]
    ours = set(FLOORS) | set(top_level_packages())
    wrong = [
        f"{imp}  ({importer} → {imp.app})"
        for imp in imports_of(path)
        if imp.app in ours and not (imp.app in FLOORS and may_import(importer, imp.app))
    ]
    assert not wrong, "imports against the floors of docs/architecture.md §1:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", python_files("audit"), ids=rel)
def test_audit_imports_nothing_of_ours(path):
    """audit is the lowest floor: its foreign keys name other apps' models as strings."""
    ours = (set(FLOORS) | set(top_level_packages()) | {"tests"}) - {"audit"}
    wrong = [str(imp) for imp in imports_of(path) if imp.app in ours]
    assert not wrong, "audit imports our code:\n" + "\n".join(wrong)


# --- The layout of an app with views -----------------------------------------


@pytest.mark.parametrize("path", [path for app in apps_with_views() for path in views_files(app)], ids=rel)
def test_views_do_not_write_the_access_log(path):
    """Reads are logged by the access helper that grants them, changes by the service that makes
    them; a view imports neither audit.log nor audit.models."""
    def writes_log(module: str) -> bool:
        return any(module == writer or module.startswith(writer + ".") for writer in LOG_WRITERS)

    wrong = [str(imp) for imp in imports_of(path) if any(writes_log(module) for module in imp.modules())]
    assert not wrong, "a view writes the access log (use the access helper or a service):\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", apps_with_views())
def test_app_with_views_has_access_and_namespaced_urls(app):
    assert (ROOT / app / "access.py").exists(), f"{app}/access.py is missing"
    urls = ROOT / app / "urls.py"
    assert urls.exists(), f"{app}/urls.py is missing"
    tree = ast.parse(urls.read_text(encoding="utf-8"))
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    assert "app_name" in assigned, f"{app}/urls.py defines no app_name"


def _base_name(base: ast.expr) -> str:
    return base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")


@pytest.mark.parametrize("path", [path for app in apps_with_views() for path in views_files(app)], ids=rel)
def test_forms_live_in_forms_py(path):
    """No Form or ModelForm subclass is defined in a views module; it belongs in the app's forms.py."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong = [
        f"{rel(path)}:{node.lineno}: class {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(_base_name(base).endswith("Form") for base in node.bases)
    ]
    assert not wrong, "forms defined in a views module (move them to forms.py):\n" + "\n".join(wrong)


def test_the_views_apps_are_found():
    """The layout checks above found the apps that have views (a rename must not silence them)."""
    assert {"accounts", "documents", "applications", "iop"} <= set(apps_with_views())


# --- Several web nodes (docs/architecture.md §5, "Files and shared state") ------------------

# A stored file's place on this node's disk: .path, MEDIA_ROOT, or the storage's path().
LOCAL_FILE_PATTERN = re.compile(r"\bMEDIA_ROOT\b|\.path\(|\b(?:file|snapshot|pdf|package|data)\.path\b")


def test_stored_files_are_reached_only_through_the_storage_api():
    """On several web nodes the files are in an object store: a path on this node's disk is no file."""
    wrong = [f"{rel(path)}:{number}: {line.strip()}" for path in all_files() if rel(path) != "config/settings.py"
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if LOCAL_FILE_PATTERN.search(line) and not line.lstrip().startswith("#")]
    assert not wrong, "use the FileField and the storage API (open, save, delete):\n" + "\n".join(wrong)
