"""Every name the code uses exists: pyflakes' undefined-name checks over src/, and every ``__all__`` name.

Annotations are strings here (``from __future__ import annotations``), so a missing
``NoReturn`` import or an ``__all__`` entry naming a function that was moved away would only
show when someone evaluates them (typing.get_type_hints, ``from x import *``, the docs).
Only pyflakes' defect messages fail the test; style (an unused import) is left to review.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from pyflakes import checker, messages

SRC = Path(__file__).resolve().parents[1] / "src"
FILES = sorted(SRC.rglob("*.py"))

#: pyflakes messages that are defects, not style
DEFECTS = (
    messages.UndefinedName,
    messages.UndefinedExport,
    messages.UndefinedLocal,
    messages.DuplicateArgument,
    messages.ReturnOutsideFunction,
    messages.YieldOutsideFunction,
    messages.ContinueOutsideLoop,
    messages.BreakOutsideLoop,
    messages.ForwardAnnotationSyntaxError,
    messages.StringDotFormatMissingArgument,
    messages.PercentFormatMissingArgument,
    messages.IsLiteral,
)


def defects_in(source: str, filename: str) -> list[str]:
    found = checker.Checker(ast.parse(source, filename=filename), filename=filename).messages
    return [str(m) for m in found if isinstance(m, DEFECTS)]


def test_pyflakes_finds_the_defects_it_guards_against():
    source = '__all__ = ["run"]\n\ndef main() -> "NoReturn":\n    raise SystemExit\n'
    assert len(defects_in(source, "example.py")) == 2


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SRC)) for p in FILES])
def test_no_undefined_names(path):
    assert defects_in(path.read_text(encoding="utf-8"), str(path)) == []


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# the Excel layer needs xlwings ([excel]), the service starlette ([serve]): they are imported when installed
OPTIONAL = {"xlwings": "xltargets.excel", "starlette": "xltargets.serve"}


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SRC)) for p in FILES])
def test_every_name_in_all_exists(path):
    name = _module(path)
    if name.endswith("__main__"):
        pytest.skip("running it starts the CLI")
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in OPTIONAL and name.startswith(OPTIONAL[exc.name]):
            pytest.skip(f"needs {exc.name}")
        raise
    missing = [n for n in getattr(module, "__all__", ()) if not hasattr(module, n)]
    assert missing == []
