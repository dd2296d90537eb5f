"""The architecture's "never" rules (CONTRIBUTING.md, docs/architecture.md), as tests.

Read from the source with :mod:`ast`, not by importing: an import hidden inside a function, or a
module nothing imports yet, is still caught, and a docstring or comment that merely mentions a
date or a database is not.

- The core (model, lists, screening, classify, rules, determine) imports no adapter (store,
  service, cli, config), no database driver or ORM and no HTTP library.
- A rule's date lives in the rules data with its citation, never as a literal in the Python of
  rules/, determine/ or classify/.
- Modules stay small enough to read in one sitting.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "chipexport"
CORE = ("model", "lists", "screening", "classify", "rules", "determine")
DATED = ("rules", "determine", "classify")
FORBIDDEN = (
    "chipexport.store",
    "chipexport.service",
    "chipexport.cli",
    "chipexport.config",
    "sqlalchemy",
    "psycopg",
    "psycopg2",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "requests",
    "aiohttp",
    "urllib3",
    "urllib.request",
    "http.client",
)
LINES_REPORTED = 400  # above this a module is named in a warning
LINES_REFUSED = 500  # above this the suite fails
# Known violations, each still to be moved into the rules data; each entry must
# still occur, so a fixed one is removed here and a new one anywhere else fails the check.
KNOWN_DATE_LITERALS = {
    "determine/us_items.py": "2026-07-23",  # eCFR text date in two messages: belongs in data
}
ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")


def _modules(*packages: str) -> list[Path]:
    roots = [PACKAGE / p for p in packages] if packages else [PACKAGE]
    found: list[Path] = []
    for root in roots:
        found.extend(root.rglob("*.py") if root.is_dir() else [root.with_suffix(".py")])
    return sorted(p for p in found if p.is_file())


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module name ``tree`` imports, anywhere in it, as ``(line, dotted name)``.

    Relative imports are resolved against ``module``; ``from a import b`` yields both ``a`` and
    ``a.b`` (``b`` may be a submodule: ``from urllib import request``); a literal
    ``importlib.import_module("x")`` or ``__import__("x")`` counts as an import of ``x``.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                yield node.lineno, str(first.value)


def _is_forbidden(name: str) -> str | None:
    for banned in FORBIDDEN:
        if name == banned or name.startswith(banned + "."):
            return banned
    return None


def forbidden_imports(paths: list[Path]) -> list[str]:
    """``"file:line imports X"`` for each forbidden import in ``paths``."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = imported_names(tree, _module_name(path), path.name == "__init__.py")
        for line, name in names:
            banned = _is_forbidden(name)
            if banned:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return found


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (module, class, function)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
        ):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _is_date_constructor(func: ast.expr) -> bool:
    """``date(...)``, ``datetime(...)``, ``datetime.date(...)``, ``dt.datetime(...)``."""
    if isinstance(func, ast.Name):
        return func.id in {"date", "datetime"}
    return isinstance(func, ast.Attribute) and func.attr in {"date", "datetime"}


def date_literals(source: str, filename: str) -> list[str]:
    """``"file:line: what"`` for each date written into Python code (docstrings excepted)."""
    tree = ast.parse(source, filename=filename)
    docstrings = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            args = node.args
            literal_year = (
                args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, int)
            )
            if _is_date_constructor(node.func) and literal_year:
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
            parse = isinstance(node.func, ast.Attribute) and node.func.attr in {
                "fromisoformat",
                "strptime",
            }
            if parse and args and isinstance(args[0], ast.Constant):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and ISO_DATE.search(node.value)
        ):
            found.append(f"{filename}:{node.lineno}: {node.value[:60]!r}")
    return found


# -- the checks ------------------------------------------------------------------------------------


def test_core_imports_no_adapter_database_or_http_library() -> None:
    modules = _modules(*CORE)
    assert len(modules) > 30, "core modules not found: did the layout change?"
    found = forbidden_imports(modules)
    assert not found, "the core must not import adapters, DB or HTTP code:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "module", "banned"),
    [
        ("import sqlalchemy", "chipexport.lists.x", "sqlalchemy"),
        ("def f():\n    from chipexport.store import Store\n", "chipexport.rules.x", "store"),
        ("from ..config import home", "chipexport.determine.x", "config"),
        ("from urllib import request", "chipexport.lists.x", "urllib.request"),
        ("import importlib\nimportlib.import_module('httpx')", "chipexport.model.x", "httpx"),
        ("from . import cli", "chipexport", "cli"),
    ],
)
def test_import_check_sees_every_form(source: str, module: str, banned: str) -> None:
    """The checker itself: each way of importing is caught (so a pass above means something)."""
    is_package = module == "chipexport"
    names = [name for _, name in imported_names(ast.parse(source), module, is_package)]
    assert any(_is_forbidden(n) and banned in n for n in names), names


def test_no_rule_dates_in_python() -> None:
    found = []
    modules = _modules(*DATED)
    assert modules
    for path in modules:
        rel = str(path.relative_to(PACKAGE))
        found.extend(date_literals(path.read_text(encoding="utf-8"), rel))
    known = [f for f in found if KNOWN_DATE_LITERALS.get(f.partition(":")[0], "\0") in f]
    stale = [k for k, v in KNOWN_DATE_LITERALS.items() if not any(k in f and v in f for f in known)]
    assert not stale, f"fixed: remove {stale} from KNOWN_DATE_LITERALS"
    found = [f for f in found if f not in known]
    assert not found, "dates belong in the rules data with their citation:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "X = date(2023, 10, 17)",
        "import datetime\nX = datetime.date(2025, 1, 15)",
        "X = date.fromisoformat('2024-12-02')",
        "CUTOFF = '2023-11-17'",
        "def f(d):\n    return d >= '2025-01-15'\n",
        "def f(d):\n    return f'on {d} or 2024-12-02'\n",
    ],
)
def test_date_check_catches_literals(source: str) -> None:
    assert date_literals(source, "x.py"), source


def test_date_check_allows_docstrings_and_comments() -> None:
    source = (
        '"""In force from 2023-11-17 (88 FR 73458)."""\n'
        "# date(2023, 11, 17)\n"
        "def f():\n"
        '    """Since 2024-12-02."""\n'
        "    return date.fromisoformat(value)\n"
    )
    assert date_literals(source, "x.py") == []


def test_modules_are_small() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    assert sizes
    big = {p: n for p, n in sizes.items() if n > LINES_REPORTED}
    if big:
        listing = ", ".join(f"{p.relative_to(PACKAGE)} ({n})" for p, n in sorted(big.items()))
        warnings.warn(f"modules over {LINES_REPORTED} lines: {listing}", stacklevel=1)
    refused = sorted(
        f"{p.relative_to(PACKAGE)}: {n} lines" for p, n in sizes.items() if n > LINES_REFUSED
    )
    assert not refused, f"split modules over {LINES_REFUSED} lines:\n" + "\n".join(refused)
