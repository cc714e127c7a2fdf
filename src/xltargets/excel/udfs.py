"""Worksheet functions (UDFs) of the xltargets add-in.

Each reads plain cell values, calls one function of
:mod:`xltargets.udfcore` and returns text or an array. The VBA
wrappers that make them callable from cells are written into the add-in at
build time (``xltargets addin build``); every name in ``__all__`` must have
one or the build fails. With the add-in absent, the template's check cells
fall back to native formulas (``IFERROR(XLT_…(…), native)``), so no
``#NAME?`` shows; when Python or the xlwings DLL cannot be reached the
wrappers return ``#VALUE!`` (see :mod:`xltargets.addin.build`), so the same
fallback shows then too.

The docstrings and the ``doc`` of each argument are what Excel's function
wizard shows (registered with ``Application.MacroOptions`` when the add-in
loads); each stays under Excel's limit of 255 characters.
"""

from __future__ import annotations

import xlwings as xw

from .. import udfcore as core

__all__ = ["XLT_CHECK_ROW", "XLT_CHECK_TABLE", "XLT_CHECK_FUNDS", "XLT_PARSE_VALUE"]

#: the function wizard's category of every xltargets function
CATEGORY = "绩效目标"


@xw.func(category=CATEGORY)
@xw.arg("level1", doc="一级指标：一个单元格，或从指标表第一行到本行的区域（如 $B$13:B15），合并单元格的空白沿用上面的值")
@xw.arg("level2", doc="二级指标：一个单元格，或从指标表第一行到本行的区域（如 $C$13:C15）")
@xw.arg("level3", doc="三级指标：一个单元格，或从指标表第一行到本行的区域（如 $D$13:D15），这样能发现与上面重复的三级指标")
@xw.arg("value", doc="指标值，如 ≥95%、≤10 万元、按时完成")
def XLT_CHECK_ROW(level1, level2, level3, value):
    """检查一行绩效指标（一级、二级、三级指标、指标值）：没有问题返回空文本，否则返回全部中文说明（错误在前，以“；”分隔）。"""
    return core.check_row(level1, level2, level3, value)


@xw.func(category=CATEGORY)
@xw.arg("level1", ndim=1, doc="整张指标表的一级指标列")
@xw.arg("level2", ndim=1, doc="二级指标列（与一级指标列等高）")
@xw.arg("level3", ndim=1, doc="三级指标列（等高）")
@xw.arg("value", ndim=1, doc="指标值列（等高）")
def XLT_CHECK_TABLE(level1, level2, level3, value):
    """一次检查整张绩效指标表（四列等高区域）：每行返回空文本或中文说明（纵向数组）。"""
    return [[message] for message in core.check_rows(level1, level2, level3, value)]


@xw.func(category=CATEGORY)
@xw.arg("annual", doc="年度资金申请总额")
@xw.arg("annual_fiscal", doc="其中：当年财政拨款")
@xw.arg("annual_carryover", doc="其中：上年结转资金")
@xw.arg("annual_other", doc="其中：其他资金")
@xw.arg("total", doc="可省略：项目资金总额")
@xw.arg("total_fiscal", doc="可省略：项目资金总额中的财政资金")
@xw.arg("total_other", doc="可省略：项目资金总额中的其他资金")
@xw.arg("unit", doc="可省略：金额单位，元 或 万元（与表中“项目资金”标明的一致），默认为元")
def XLT_CHECK_FUNDS(annual, annual_fiscal, annual_carryover, annual_other, total=None, total_fiscal=None,
                    total_other=None, unit=None):
    """检查项目资金：年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金 等；没有问题返回空文本。"""
    return core.check_funds(annual, annual_fiscal, annual_carryover, annual_other, total, total_fiscal, total_other,
                            unit)


@xw.func(category=CATEGORY)
@xw.arg("value", doc="指标值，如 ≥95%")
def XLT_PARSE_VALUE(value):
    """把指标值拆成 运算符、数值、计量单位 三格（横向数组）；定性指标返回“定性”。"""
    return [core.parse_value(value)]
