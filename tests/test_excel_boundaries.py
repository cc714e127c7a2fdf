"""Where xlwings may appear: only in ``xltargets.excel``, and ``Book.caller()`` only in its adapter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xltargets"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args:
            if isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def test_nothing_outside_excel_imports_xlwings():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "excel" not in p.relative_to(PACKAGE).parts[:1]
        and any(m == "xlwings" or m.startswith("xlwings.") for m in imported_modules(p))
    ]
    assert offenders == []


def test_the_boundary_check_sees_an_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from xlwings import udfs\n", encoding="utf-8")
    assert "xlwings" in imported_modules(probe)


def calls_caller(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "caller"
        for node in ast.walk(tree)
    )


def test_book_caller_only_in_the_adapter():
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if calls_caller(p))
    assert users == ["excel/adapter.py"]


def test_the_core_imports_without_xlwings():
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    if name == 'xlwings' or name.startswith('xlwings.'):\n"
        "        raise ImportError('xlwings imported by ' + name)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "import xltargets, xltargets.addin, xltargets.udfcore, xltargets.actions, xltargets.pipeline, xltargets.addin.install\n"
        "import xltargets.cli\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(PACKAGE.parent)})
    assert proc.stdout.strip() == "ok", proc.stderr[-2000:]
