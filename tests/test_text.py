"""The one home of text heuristics (xltargets.text), and the house rules around it:
no model ↔ targets import circle, every exception in errors.py."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from xltargets.text import cell_text, drop_control_characters, format_number, has_control_characters, looks_like_non_text

SRC = Path(__file__).resolve().parent.parent / "src" / "xltargets"

NON_TEXT = [
    "=1+1", "=10.00(所)", "+86", "+1", "-3", "-5", "@sum", "@x",  # formulas
    "0012", "529", "1,000.5", ".5", "1e5", "85%", "50%", "12 %",  # numbers
    "TRUE", "false",  # booleans: Excel keeps TRUE as a logical value, not text
    "(12)", "( 1,200.50 )",  # accounting negatives: Excel reads (12) as -12
    "7.11世界人口日主题活动", "7.11世界人口日主题参与人数", "2024-01-01", "2026/1/1", "3/4", "5月1日",  # dates
    "12:30", "12：30",  # times
]
TEXT = ["", "及时", "≥85.00(分)", "<100(百分比)", "529会员日", "529会员日主题活动参与人次", "生殖健康咨询服务",
        "TRUE 或 FALSE", "(十二)", "(12)个", "2024年度", "TRUEX"]


@pytest.mark.parametrize("text", NON_TEXT, ids=str)
def test_text_a_spreadsheet_would_not_keep_as_text(text):
    assert looks_like_non_text(text) is True


@pytest.mark.parametrize("text", TEXT, ids=lambda t: t or "empty")
def test_text_a_spreadsheet_keeps(text):
    assert looks_like_non_text(text) is False


@pytest.mark.parametrize("module", ["xltargets.workbook.values", "xltargets.consolidate.cells"])
def test_every_writer_uses_the_one_heuristic(module):
    import importlib

    assert importlib.import_module(module).looks_like_non_text is looks_like_non_text


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, "", id="none"),
        pytest.param("  及时 ", "及时", id="trimmed"),
        pytest.param("a\r\nb\rc", "a\nb\nc", id="line-breaks"),
        pytest.param("a\u00a0b", "a b", id="no-break-space"),
        pytest.param(True, "TRUE", id="true"),
        pytest.param(False, "FALSE", id="false"),
        pytest.param(10.0, "10", id="integral-float"),
        pytest.param(0.1, "0.1", id="float"),
        pytest.param(float("nan"), "", id="nan"),
        pytest.param(float("inf"), "", id="inf"),
        pytest.param(1e17, "1e+17", id="huge-float"),
        # a SUM of amounts with cents: binary noise past Excel's 15 digits, which Excel does not show (session 6: it was
        # shown in full, so the amount had "16 significant digits" and was refused)
        pytest.param(495435.09 + 44949.11, "540384.2", id="sum-noise-up"),
        pytest.param(651592.97 + 78872.34, "730465.31", id="sum-noise-down"),
        pytest.param(0.1 + 0.2, "0.3", id="point-three"),
        pytest.param(-(0.1 + 0.7), "-0.8", id="negative-noise"),
        pytest.param(0.0009738749999999999, "0.000973875", id="small-noise"),
        pytest.param(123456789012345.67, "123456789012345.67", id="seventeen-digits-kept"),
        pytest.param(0.1234567890123456, "0.1234567890123456", id="sixteen-digits-kept"),
        pytest.param(12, "12", id="int"),
        pytest.param(Decimal("10.50"), "10.50", id="decimal"),
        pytest.param(dt.datetime(2024, 1, 1), "2024-01-01", id="midnight"),
        pytest.param(dt.datetime(2024, 1, 1, 8, 30), "2024-01-01 08:30:00", id="datetime"),
        pytest.param(dt.date(2024, 12, 31), "2024-12-31", id="date"),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


def test_the_udf_and_check_read_a_boolean_cell_alike():
    """A 指标值 cell holding TRUE: the worksheet function and the importer both see the text TRUE."""
    from xltargets.importing.grid import Grid
    from xltargets.udfcore import parse_value

    assert Grid.from_values([[True, 10.0, None]]).rows == [["TRUE", "10", ""]]
    assert parse_value(True) == parse_value("TRUE") != ["", "", ""]


def test_control_characters():
    assert has_control_characters("a\x01b") and not has_control_characters("a\tb\n")
    assert drop_control_characters("a\x01b\x1f") == "ab"


@pytest.mark.parametrize(
    "number, decimals, expected",
    [(Decimal("10"), 2, "10.00"), (Decimal("0.5"), 0, "0"), (Decimal("1E+3"), 1, "1000.0"), (Decimal("12345678901234567890123456"), 2, "12345678901234567890123456.00")],
    ids=["pad", "round", "no-exponent", "long"],
)
def test_format_number(number, decimals, expected):
    assert format_number(number, decimals) == expected


def test_the_model_does_not_import_the_targets_grammar():
    code = "import sys, xltargets.model; print(sorted(m for m in sys.modules if m.startswith('xltargets')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "xltargets.targets" not in out and "xltargets.model" in out


def _classes(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            yield node.name, [ast.unparse(b) for b in node.bases]


def test_every_xltargets_error_is_defined_in_errors_py():
    from xltargets import errors

    ours = {name for name, obj in vars(errors).items() if isinstance(obj, type) and issubclass(obj, errors.XltargetsError)}
    outside = [
        f"{path.relative_to(SRC)}:{name}"
        for path in SRC.rglob("*.py")
        if path.name != "errors.py"
        for name, bases in _classes(path)
        if any(b.split(".")[-1] in ours for b in bases)
    ]
    assert outside == []
    assert {"FindingsBlock", "LibreOfficeMissing", "ExcelNotAvailable"} <= ours
