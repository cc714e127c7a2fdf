"""Worksheet functions (UDFs) of the xltargets add-in.

Each reads plain cell values, calls one function of
:mod:`xltargets.udfcore` and returns text or an array. The VBA
wrappers that make them callable from cells are written into the add-in at
build time (``xltargets addin build``); every name in ``__all__`` must have
one or the build fails. With the add-in absent, the template's check cells
fall back to native formulas (``IFERROR(XLT_…(…), native)``), so no
``#NAME?`` shows.
"""

from __future__ import annotations

import xlwings as xw

from .. import udfcore as core

__all__ = ["XLT_CHECK_ROW", "XLT_CHECK_TABLE", "XLT_CHECK_FUNDS", "XLT_PARSE_VALUE"]


@xw.func
def XLT_CHECK_ROW(level1, level2, level3, value):
    """检查一行绩效指标（一级、二级、三级指标、指标值）：没有问题返回空文本，否则返回中文说明。"""
    return core.check_row(level1, level2, level3, value)


@xw.func
@xw.arg("level1", ndim=1)
@xw.arg("level2", ndim=1)
@xw.arg("level3", ndim=1)
@xw.arg("value", ndim=1)
def XLT_CHECK_TABLE(level1, level2, level3, value):
    """一次检查整张绩效指标表（四列等高区域）：每行返回空文本或中文说明（纵向数组）。"""
    return [[message] for message in core.check_rows(level1, level2, level3, value)]


@xw.func
def XLT_CHECK_FUNDS(annual, annual_fiscal, annual_carryover, annual_other, total=None, total_fiscal=None, total_other=None):
    """检查项目资金：年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金 等；没有问题返回空文本。"""
    return core.check_funds(annual, annual_fiscal, annual_carryover, annual_other, total, total_fiscal, total_other)


@xw.func
def XLT_PARSE_VALUE(value):
    """把指标值拆成 运算符、数值、计量单位 三格（横向数组）；定性指标返回“定性”。"""
    return [core.parse_value(value)]
