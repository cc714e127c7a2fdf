"""The labels of a 申报表, as data: how the importer recognises each field."""

from __future__ import annotations

import re

__all__ = [
    "FORM_TITLE",
    "YEAR_LINE",
    "HEADER_FIELDS",
    "FUND_LABELS",
    "OTHER_FUNDS",
    "GOAL_LABELS",
    "BLOCK_LABELS",
    "INDICATOR_HEADERS",
    "VALUE_HEADERS",
    "FOOTER_PREFIXES",
    "ALL_LABELS",
]

#: Title row of each form (normalised).
FORM_TITLE = "财政项目支出绩效目标申报表"

#: ``(2024年度)`` under the title.
YEAR_LINE = re.compile(r"^\(?(\d{4})年度?\)?$")

#: Header labels → Project field.
HEADER_FIELDS: dict[str, str] = {
    "项目名称": "name",
    "项目性质": "nature",
    "项目类别": "category",
    "主管部门": "department",
    "实施单位": "unit",
    "计划开始日期": "start",
    "计划完成日期": "end",
}

#: Funds labels → Funds field (其他资金 is positional, see OTHER_FUNDS).
FUND_LABELS: dict[str, str] = {
    "项目资金总额": "total",
    "其中：财政资金": "total_fiscal",
    "财政资金": "total_fiscal",
    "年度资金申请总额": "annual",
    "其中：当年财政拨款": "annual_fiscal",
    "当年财政拨款": "annual_fiscal",
    "上年结转资金": "annual_carryover",
    "其中：上年结转资金": "annual_carryover",
}

#: 其他资金 appears twice: left of 年度资金申请总额 (multi-year) and under it (annual).
OTHER_FUNDS = ("其他资金", "其中：其他资金")

GOAL_LABELS: dict[str, str] = {
    "项目总目标": "total_goal",
    "年度总体目标": "annual_goal",
}

#: Labels of blocks (left column) that carry no value.
BLOCK_LABELS = ("项目资金(元)", "项目资金", "项目绩效目标", "绩效指标", "绩效目标")

INDICATOR_HEADERS: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
}

VALUE_HEADERS = ("年度(/项目)指标值", "年度指标值", "项目指标值", "指标值", "年度(项目)指标值", "指标值(年度)")

#: A row in the indicator zone starting with one of these ends the table.
FOOTER_PREFIXES = ("注：", "注:", "备注", "填报人", "填表人", "审核人", "联系电话", "填报说明", "单位负责人")

ALL_LABELS = frozenset(
    [FORM_TITLE, *HEADER_FIELDS, *FUND_LABELS, *OTHER_FUNDS, *GOAL_LABELS, *BLOCK_LABELS, *INDICATOR_HEADERS, *VALUE_HEADERS]
)
