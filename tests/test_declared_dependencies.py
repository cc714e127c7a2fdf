"""Every third-party module that src imports is declared where its users get it.

A package imported by the product but installed here only by hand (or only by
``[test]``) works in the developers' environment and fails at the user's
(``ModuleNotFoundError`` -> "内部错误", exit 3). The wheel tests install into a
fresh venv but run only the add-in and the service there; this test reads the
imports of every module in src and checks them against pyproject.toml:

- the Excel layer (``excel/``) and the add-in builder (``addin/``) may use the
  ``excel`` extra;
- the local service (``serve/``, ``cli/serve.py``) may use the ``serve`` extra;
- everything else must come with the plain ``pip install xltargets``.

A module may also come from a declared package's own requirements (pdfminer.six
comes with pdfplumber).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "xltargets"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def req_name(req: str) -> str:
    return norm(re.match(r"[A-Za-z0-9._-]+", req.strip()).group(0))


def with_requirements(reqs: list[str]) -> set[str]:
    """The declared distributions and what they require in turn (as installed here)."""
    names = {req_name(r) for r in reqs}
    todo = list(names)
    while todo:
        try:
            requires = md.requires(todo.pop()) or []
        except md.PackageNotFoundError:
            continue
        for r in requires:
            if "extra ==" in r:
                continue
            n = req_name(r)
            if n not in names:
                names.add(n)
                todo.append(n)
    return names


CORE = PROJECT["dependencies"]
EXTRAS = PROJECT["optional-dependencies"]
ALLOWED = {
    "core": with_requirements(CORE),
    "excel": with_requirements(CORE + EXTRAS["excel"]),
    "serve": with_requirements(CORE + EXTRAS["serve"]),
}


def user_of(path: Path) -> str:
    rel = path.relative_to(SRC).as_posix()
    if rel.startswith(("excel/", "addin/")):
        return "excel"
    if rel.startswith("serve/") or rel == "cli/serve.py":
        return "serve"
    return "core"


def third_party_imports() -> list[tuple[str, str, str]]:
    """(file, top-level module, who installs it) for every import of a module outside the stdlib."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top not in sys.stdlib_module_names and top != "xltargets":
                    out.append((path.relative_to(SRC).as_posix(), top, user_of(path)))
    return sorted(set(out))


IMPORTS = third_party_imports()
DISTRIBUTIONS = md.packages_distributions()
#: modules of a Windows-only distribution, not installable here: the distribution that brings them
WINDOWS_ONLY = {"pywin32_bootstrap": "pywin32", "win32api": "pywin32", "win32job": "pywin32"}


@pytest.mark.parametrize(("file", "module", "extra"), IMPORTS, ids=[f"{f}:{m}" for f, m, _ in IMPORTS])
def test_import_is_declared(file, module, extra):
    dists = {norm(d) for d in DISTRIBUTIONS.get(module, [])} or {WINDOWS_ONLY.get(module)} - {None}
    assert dists, f"{module} (imported by {file}) is not installed here: which package brings it?"
    assert dists & ALLOWED[extra], (
        f"{file} imports {module} ({', '.join(sorted(dists))}), which "
        f"{'pip install xltargets' if extra == 'core' else f'pip install xltargets[{extra}]'} does not install: "
        f"declare it in pyproject.toml ({'dependencies' if extra == 'core' else f'optional-dependencies.{extra}'})"
    )


def test_the_scan_sees_the_imports():
    modules = {m for _, m, _ in IMPORTS}
    assert {"openpyxl", "pydantic", "jinja2", "python_calamine", "xlwings", "starlette"} <= modules
