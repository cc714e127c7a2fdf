"""The worksheet functions: called directly, and through xlwings' own call paths.

* directly: outside server mode ``@xw.func`` returns the function untouched;
* xlwings Server / Office.js (``xlwings.server.custom_functions_call``, in a
  child process with ``XLWINGS_ON_SERVER=true`` and the noncommercial key);
* the desktop metadata xlwings' COM server uses (``xlwings.udfs`` decorators,
  ``ndim`` options and all) through ``xlwings.conversion`` as ``call_udf``
  applies it, in a child process. No Excel engine exists on Linux, so the
  conversion pipeline cleans values with the remote engine's rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xltargets.excel import udfs

SRC = str(Path(__file__).resolve().parents[1] / "src")

TABLE = {
    "level1": ["产出指标", None, None, "效益指标", "满意度指标"],
    "level2": ["数量指标", None, "质量指标", "社会效益指标", "服务对象满意度指标"],
    "level3": ["参加人数", "参加人数", "合格率", "知晓度提升", "服务对象满意度"],
    "value": ["≥100(人)", "=5(个)", "≥120(%)", "提升", "≥90.00(%)"],
}

#: (function, args as Excel passes them) for the cross-path comparisons
CASES = {
    "row-ok": ("XLT_CHECK_ROW", ["产出指标", "数量指标", "参加人数", "≥100(人)"]),
    "row-bad-pair": ("XLT_CHECK_ROW", ["产出指标", "经济效益指标", "参加人数", "≥120(%)"]),
    "row-blank": ("XLT_CHECK_ROW", [None, None, None, None]),
    # 三级 as a column from the table's first row: a repeat of an earlier row's 三级, and a warning
    "row-repeat": ("XLT_CHECK_ROW", [["产出指标", None], ["数量指标", None], ["参加人数", "参加人数"], "=8"]),
    "funds-ok": ("XLT_CHECK_FUNDS", [571000.0, 571000.0, 0.0, 0.0]),
    "funds-off": ("XLT_CHECK_FUNDS", [100.0, 50.0, 20.0, 20.0]),
    "parse-quant": ("XLT_PARSE_VALUE", ["≥90.00(%)"]),
    "parse-qual": ("XLT_PARSE_VALUE", ["及时"]),
    "table": ("XLT_CHECK_TABLE", [TABLE["level1"], TABLE["level2"], TABLE["level3"], TABLE["value"]]),
}


def direct(name, args):
    return getattr(udfs, name)(*args)


def test_row_check_returns_empty_text_for_a_good_row():
    assert udfs.XLT_CHECK_ROW("产出指标", "数量指标", "参加人数", "≥100(人)") == ""
    assert udfs.XLT_CHECK_ROW(None, None, None, None) == ""


def test_row_check_explains_the_problem_in_chinese():
    text = udfs.XLT_CHECK_ROW("产出指标", "经济效益指标", "参加人数", "≥120(%)")
    lines = text.split("；XLT-")
    assert lines[0].startswith("XLT-E001 错误：") and "不属于一级指标“产出指标”" in lines[0]
    assert lines[1].startswith("E004 错误：") and "超过 100%" in lines[1]


def test_row_check_flags_a_repeat_when_level3_is_a_column():
    text = udfs.XLT_CHECK_ROW(*CASES["row-repeat"][1])
    assert text.startswith("XLT-E022 错误：") and "；XLT-W063 警告：" in text
    assert "XLT-E022" not in udfs.XLT_CHECK_ROW(["产出指标", None], ["数量指标", None], "参加人数", "=8(人)")


def test_row_check_inherits_merged_levels_from_a_column_range():
    assert udfs.XLT_CHECK_ROW(["产出指标", None, None], ["数量指标", None, None], "参加人数", "≥100(人)") == ""
    assert "XLT-E021" in udfs.XLT_CHECK_ROW(None, None, "参加人数", "≥100(人)")


def test_table_check_gives_one_message_per_row():
    out = udfs.XLT_CHECK_TABLE(TABLE["level1"], TABLE["level2"], TABLE["level3"], TABLE["value"])
    assert len(out) == 5 and all(len(row) == 1 for row in out)
    first, dup, pct, ok1, ok2 = (row[0] for row in out)
    assert "XLT-W009" in first  # the table has no 成本指标: said on its first row
    assert "XLT-E022" in dup and "参加人数" in dup
    assert "XLT-E004" in pct
    assert ok2 == ""


def test_table_check_of_one_cell_column():
    assert udfs.XLT_CHECK_TABLE("产出指标", "数量指标", "参加人数", "≥100(人)")[0][0].startswith("XLT-")


def test_funds_check():
    assert udfs.XLT_CHECK_FUNDS(571000.0, 571000.0, 0.0, 0.0) == ""
    text = udfs.XLT_CHECK_FUNDS(100.0, 50.0, 20.0, 20.0)
    assert text.startswith("XLT-E005 错误：") and "相差 10.00 元" in text
    assert "不是金额" in udfs.XLT_CHECK_FUNDS("一百", 50.0, None, None)
    assert "XLT-W054" in udfs.XLT_CHECK_FUNDS(100.0, 100.0, None, None, 90.0)


@pytest.mark.parametrize("unit, shown", [(None, "元"), ("", "元"), ("元", "元"), ("万元", "万元")],
                         ids=["omitted", "blank", "yuan", "wanyuan"])
def test_funds_check_names_the_sheets_unit(unit, shown):
    text = udfs.XLT_CHECK_FUNDS(100.0, 50.0, 20.0, 20.0, None, None, None, unit)
    assert f"相差 10.00 {shown}" in text
    assert ("万元" in text) == (shown == "万元")
    bad = udfs.XLT_CHECK_FUNDS("一百", 50.0, None, None, None, None, None, unit)
    assert f"请填写数字（{shown}，两位小数）" in bad


def test_funds_check_refuses_an_unknown_unit():
    assert "金额单位“千元”无法识别" in udfs.XLT_CHECK_FUNDS(100.0, 100.0, 0.0, 0.0, None, None, None, "千元")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("≥90.00(%)", ["≥", 90.0, "%"]),
        ("=10.00(所)", ["=", 10.0, "所"]),
        (">=85分", ["≥", 85.0, "分"]),
        ("及时", ["定性", "", "及时"]),
        (None, ["", "", ""]),
        ("≥abc", ["无法识别", "", "≥abc"]),
    ],
    ids=["percent", "count", "ascii-operator", "qualitative", "blank", "unreadable"],
)
def test_parse_value(value, expected):
    assert udfs.XLT_PARSE_VALUE(value) == [expected]


SERVER_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    import xlwings as xw
    from xlwings.server import custom_functions_call, custom_functions_meta
    import xltargets.excel.udfs as module

    def as_range(arg):
        # Office.js sends every argument as a 2-D array
        if isinstance(arg, list):
            return [[v] for v in arg]
        return [[arg]]

    cases = json.loads(sys.stdin.read())
    out = {}
    for key, (name, args) in cases.items():
        data = {"func_name": name, "args": [as_range(a) for a in args], "version": xw.__version__,
                "client": "Office.js", "culture_info_name": "zh-CN", "date_format": "yyyy/m/d",
                "runtime": "1.4"}
        out[key] = asyncio.run(custom_functions_call(data, module))
    meta = custom_functions_meta(module)
    out["_meta"] = sorted(f["name"] for f in meta["functions"])
    print(json.dumps(out, ensure_ascii=False))
    """
)

DESKTOP_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from xltargets.excel import udf_vba
    udf_vba._stand_in_windows_modules()
    import xlwings
    from xlwings import conversion, udfs
    xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
    import xltargets.excel.udfs as module

    def as_com(arg):
        # pywin32 hands a column range over as a tuple of 1-tuples
        return tuple((v,) for v in arg) if isinstance(arg, list) else arg

    cases = json.loads(sys.stdin.read())
    out = {}
    for key, (name, args) in cases.items():
        func = getattr(module, name)
        info = func.__xlfunc__
        # what xlwings.udfs.call_udf does with values that are not Range objects
        opts = [info["args"][i]["options"] for i in range(len(args))]
        values = [conversion.read(None, as_com(a), o, engine_name="remote") for a, o in zip(args, opts)]
        ret = func(*values)
        out[key] = conversion.write(ret, None, info["ret"]["options"], engine_name="remote")
    print(json.dumps(out, ensure_ascii=False))
    """
)


def run_child(script: str, **env) -> dict:
    full_env = {**os.environ, "PYTHONPATH": SRC, **env}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(CASES, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def as_2d(result):
    """Any UDF result as Excel receives it: a 2-D array."""
    if isinstance(result, list):
        return [row if isinstance(row, list) else [row] for row in result]
    return [[result]]


@pytest.fixture(scope="module")
def expected() -> dict:
    return {key: as_2d(direct(name, args)) for key, (name, args) in CASES.items()}


def test_through_xlwings_server_call_path(expected):
    out = run_child(SERVER_SCRIPT, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    assert out.pop("_meta") == ["XLT_CHECK_FUNDS", "XLT_CHECK_ROW", "XLT_CHECK_TABLE", "XLT_PARSE_VALUE"]
    assert {k: as_2d(v) for k, v in out.items()} == expected


def test_through_xlwings_desktop_metadata_and_conversion(expected):
    out = run_child(DESKTOP_SCRIPT, XLWINGS_LICENSE_KEY="noncommercial")
    assert {k: as_2d(v) for k, v in out.items()} == expected


def test_a_spare_row_under_a_filled_block_is_fine():
    """The form's blank rows below the indicators inherit 一级/二级 from above but hold nothing: no message."""
    from xltargets.udfcore import check_row

    assert check_row(["满意度指标", None], ["服务对象满意度指标", None], None, None) == ""
    assert check_row(["满意度指标", None], ["服务对象满意度指标", None], "满意度", None).startswith("XLT-E003")
