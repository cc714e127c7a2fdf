"""Rules on the indicator table's structure: the 一级/二级 framework and the 三级 names.

domain.md checks 1, 2, 7 and 9.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from .. import framework as fw
from .context import Form, Issue, Row, display, quote_list
from .registry import rule

_LEVEL1_LIST = "、".join(fw.LEVEL1)


def _level2_choices(level1: str, *, older: bool = True) -> str:
    current = quote_list(fw.LEVEL2_CURRENT.get(level1, ()))
    old = fw.LEVEL2_OLDER.get(level1, ()) if older else ()
    return current + (f"（旧版申报表还可用{quote_list(old)}）" if old else "")


@rule(
    "XLT-E021",
    "一级指标为空或不在指标框架中",
    f"一级指标必须是{_LEVEL1_LIST}之一。",
    scope="row",
    domain_rule=1,
)
def level1_not_in_framework(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if row.level1 in fw.LEVEL1:
            continue
        if not row.level1:
            yield row.issue(
                "level1", f"{row.subject}的一级指标为空：请填写一级指标（{_LEVEL1_LIST}之一）。"
            )
            continue
        home = fw.level1_of(row.level1)
        hint = f"“{row.level1}”是二级指标，应放在一级指标“{home}”下；" if home else ""
        yield row.issue(
            "level1",
            f"{row.subject}的一级指标“{display(row.indicator.level1)}”不在绩效指标框架中：{hint}"
            f"请改为{_LEVEL1_LIST}之一。",
        )


@rule(
    "XLT-E001",
    "二级指标不属于所填的一级指标",
    "一级/二级指标的搭配必须出现在现行或旧版指标框架中（见 framework.LEVEL2_CURRENT / LEVEL2_OLDER），"
    "例如“经济效益指标”只能放在“效益指标”下。二级指标为空也报此错。",
    scope="row",
    domain_rule=1,
)
def level2_not_under_level1(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if row.level1 not in fw.LEVEL1 or fw.is_known_pair(row.level1, row.level2):
            continue
        choices = _level2_choices(row.level1)
        if not row.level2:
            yield row.issue(
                "level2",
                f"{row.subject}的二级指标为空：一级指标“{row.level1}”下请填写二级指标，可选{choices}。",
            )
            continue
        home = fw.level1_of(row.level2)
        written = display(row.indicator.level2)
        if home:
            yield row.issue(
                "level2",
                f"{row.subject}的二级指标“{written}”不属于一级指标“{row.level1}”（它属于“{home}”）："
                f"请把一级指标改为“{home}”，或把二级指标改为{choices}之一。",
            )
        else:
            yield row.issue(
                "level2",
                f"{row.subject}的二级指标“{written}”不在绩效指标框架中："
                f"一级指标“{row.level1}”下的二级指标应为{choices}之一，请改正。",
            )


@rule(
    "XLT-E002",
    "三级指标为空",
    "每一行绩效指标都要有三级指标名称。",
    scope="row",
    rows="unnamed",
    domain_rule=2,
)
def level3_empty(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if row.level3:
            continue
        value = f"（指标值“{row.value}”）" if row.value else ""
        yield row.issue(
            "level3",
            f"“{row.level1 or '？'}/{row.level2 or '？'}”下第 {row.index + 1} 行的三级指标为空{value}："
            "请填写三级指标名称，或删除该行。",
        )


@rule(
    "XLT-E022",
    "三级指标重复",
    "同一张申报表中，同一个三级指标不能出现两次（忽略空白差异）。",
    scope="row",
    rows="repeated",
    domain_rule=2,
)
def level3_duplicated(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if not row.level3:
            continue
        first = row.form.first_row_named(row.level3)
        if first is None or first.index >= row.index:
            continue
        where = first.cell("level3") or f"第 {first.index + 1} 行"
        yield row.issue(
            "level3",
            f"三级指标“{display(row.indicator.level3)}”在本表中重复出现（第一次在 {where}）："
            "请合并这两行，或把其中一行改成能区分的名称。",
        )


@rule(
    "XLT-E007",
    "缺少必备的一级指标",
    f"每张申报表都必须有{'、'.join(fw.REQUIRED_LEVEL1)}（旧版申报表中满意度可作为二级指标放在效益指标下）。",
    scope="table",
    domain_rule=7,
)
def required_level1_missing(form: Form) -> Iterator[Issue]:
    for level1 in fw.REQUIRED_LEVEL1:
        if not form.has_level1(level1):
            yield form.table_issue(
                f"{form.label}缺少一级指标“{level1}”：每张申报表都必须有{level1}，"
                f"请至少填写一行（二级指标可选{_level2_choices(level1, older=False)}）。"
            )


@rule(
    "XLT-W009",
    "缺少成本指标",
    f"现行上海申报表要求填写{'、'.join(fw.RECOMMENDED_LEVEL1)}（旧版申报表中可作为二级指标放在产出指标下）。",
    scope="table",
    domain_rule=9,
)
def cost_level1_missing(form: Form) -> Iterator[Issue]:
    for level1 in fw.RECOMMENDED_LEVEL1:
        if not form.has_level1(level1):
            yield form.table_issue(
                f"{form.label}没有“{level1}”：现行申报表要求填写{level1}，"
                f"请增加一行（二级指标可选{_level2_choices(level1, older=False)}），如成本控制率“≤100.00(%)”。"
            )
