"""Rules on 指标值 (target values): grammar, percentages, direction, satisfaction, 定性 values.

domain.md checks 3, 4, 10, 11, 12 and 13.
"""

from __future__ import annotations

import dataclasses

from decimal import Decimal
from typing import Iterator, Sequence

from .. import framework as fw
from ..memo import remembered
from ..model import QuantitativeTarget
from ..targets import parsed
from .context import Form, Issue, Row, display
from .registry import rule

_EXAMPLES = "定量指标值写成“运算符+数值(单位)”，如“≥90.00(%)”“=10.00(个)”；定性指标值写文字，如“及时”"


@remembered(1 << 14)
def _notes(raw: str) -> tuple[str, ...]:
    """What :func:`parse_target` normalised in *raw* (the text is parsed once)."""
    return tuple(parsed(raw).notes)


def _with_operator(target: QuantitativeTarget, operator: str) -> str:
    return target.model_copy(update={"operator": operator}).format()


def _is_percentage(row: Row) -> bool:
    q = row.quantity
    if q is None:
        return False
    if q.unit in fw.PERCENT_UNITS:
        return True
    return q.unit == "" and row.level3.endswith(fw.PERCENT_NAME_SUFFIXES)


def _direction(row: Row) -> str | None:
    """"lower" / "higher" is better, from keywords in the 三级 name (lower wins)."""
    return _direction_of(row.level3)


@remembered(1 << 14)
def _may_exceed_100(level3: str) -> bool:
    """增长、同比 …: a percentage that may exceed 100 (once per name)."""
    return any(k in level3 for k in fw.PERCENT_MAY_EXCEED_100_KEYWORDS)


@remembered(1 << 14)
def _direction_of(level3: str) -> str | None:
    if any(k in level3 for k in fw.LOWER_IS_BETTER_KEYWORDS):
        return "lower"
    if any(k in level3 for k in fw.HIGHER_IS_BETTER_KEYWORDS):
        return "higher"
    return None


@rule(
    "XLT-E003",
    "指标值为空",
    "每一行绩效指标都要填写年度指标值。",
    scope="row",
    rows="blank",
    domain_rule=3,
)
def value_empty(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if row.target is None:
            yield row.issue("value", f"{row.subject}的指标值为空：请填写指标值，{_EXAMPLES}。")


@rule(
    "XLT-E023",
    "指标值无法识别",
    "以运算符或数字开头、却读不成“运算符+数值(单位)”的指标值，如“≥”“=abc(个)”“>=90%%”；"
    "数值后跟文字的也是，如“100%合格”“11个辖区”（文字不是单位：请写进三级指标，如“合格率 =100(%)”）。",
    scope="row",
    rows="unreadable",
    domain_rule=3,
)
def value_unreadable(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        if row.unreadable:
            yield row.issue(
                "value", f"{row.subject}的指标值“{display(row.value)}”无法识别：请改正，{_EXAMPLES}。"
            )


@rule(
    "XLT-W043",
    "指标值已按规范写法读入",
    "指标值的写法不规范（全角数字如“８５”、全角运算符、>=、不低于、缺括号、缺运算符、单位未加括号、"
    "不是 0–9 的数字如阿拉伯-印度数字“٩٠”、带负号的零“-0”、数值后的句号如“47.1公里。”等；单位照原文保留，如“≥153.3㎡”读作“≥153.3(㎡)”、“384.3平方米”读作“=384.3(平方米)”、“≤7万元/人”读作“≤7(万元/人)”），"
    "已按规范写法理解；请改成规范写法，避免审核时产生歧义。",
    scope="row",
    rows="valued",
    domain_rule=3,
)
def value_normalised(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        raw = row.indicator.value_raw
        if not raw or row.target is None or row.unreadable:
            continue
        if row.value == raw:
            continue  # nothing to suggest: the text is already canonical (``=8``: a missing unit is no rewrite)
        # "缺少计量单位" is no rewrite: XLT-W063 says it
        notes = tuple(n for n in _notes(raw) if n != "缺少计量单位")
        if display(raw) == row.value and not notes:
            continue
        how = f"（{'；'.join(notes)}）" if notes else ""
        issue = row.issue(
            "value",
            f"{row.subject}的指标值“{display(raw)}”按“{row.value}”读入{how}：建议改为规范写法“{row.value}”"
            "（原文照样保留和公开；运行 xltargets normalize 可一次改好）。",
        )
        yield dataclasses.replace(issue, suggestion=row.value)


@rule(
    "XLT-W063",
    "定量指标值没有计量单位",
    "写成“运算符+数值”却没有计量单位的指标值（如“=8”）：数值的含义要靠猜，"
    "审核时会被问到；三级指标以“率”结尾的按百分比检查，但也请写明“(%)”。",
    scope="row",
    rows="quantity",
    domain_rule=3,
)
def value_without_unit(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        q = row.quantity
        if q is None or q.unit:
            continue
        yield row.issue(
            "value",
            f"{row.subject}的指标值“{display(row.indicator.value)}”没有计量单位：请在数值后用括号写明实际的计量单位，"
            f"如“{row.value}(个)”“{row.value}(%)”（原文照样保留和公开）。",
        )


@rule(
    "XLT-E004",
    "百分比超过 100%",
    "单位为 %、百分比（或三级指标以“率”结尾且未写单位）的指标值不能大于 100；"
    "增长、同比等可以超过 100% 的指标除外。",
    scope="row",
    rows="quantity",
    domain_rule=4,
)
def percentage_above_100(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        q = row.quantity
        if q is None or not _is_percentage(row):
            continue
        if _may_exceed_100(row.level3):
            continue
        if q.number > 100:
            yield row.issue(
                "value",
                f"{row.subject}的指标值“{row.value}”超过 100%：百分比不能大于 100，请改为不超过 100 的数值。",
            )
        elif q.number == 100 and q.operator == ">":
            yield row.issue(
                "value",
                f"{row.subject}的指标值“{row.value}”要求超过 100%：百分比不能大于 100，"
                f"请改为“{_with_operator(q, '=')}”或“{_with_operator(q, '≥')}”。",
            )


@rule(
    "XLT-W010",
    "越高越好的指标设了上限",
    "满意度、覆盖率、达标率等越高越好的指标（framework.HIGHER_IS_BETTER_KEYWORDS）用了“<”或“≤”。",
    scope="row",
    rows="quantity",
    domain_rule=10,
)
def higher_is_better_capped(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        q = row.quantity
        if q is None or q.operator not in ("<", "≤") or _direction(row) != "higher":
            continue
        yield row.issue(
            "value",
            f"{row.subject}越高越好，指标值“{row.value}”却设了上限：请改用“≥”，如“{_with_operator(q, '≥')}”。",
        )


@rule(
    "XLT-W030",
    "越低越好的指标设了下限",
    "成本、成本控制率、费用等越低越好的指标（framework.LOWER_IS_BETTER_KEYWORDS）用了“>”或“≥”。",
    scope="row",
    rows="quantity",
    domain_rule=10,
)
def lower_is_better_floored(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        q = row.quantity
        if q is None or q.operator not in (">", "≥") or _direction(row) != "lower":
            continue
        yield row.issue(
            "value",
            f"{row.subject}越低越好，指标值“{row.value}”却设了下限：成本类指标应设上限，"
            f"请改用“≤”，如“{_with_operator(q, '≤')}”。",
        )


@rule(
    "XLT-W011",
    f"满意度目标低于 {fw.SATISFACTION_FLOOR}%",
    f"三级指标含“满意度”的百分比目标低于 {fw.SATISFACTION_FLOOR}%（framework.SATISFACTION_FLOOR）。",
    scope="row",
    rows="quantity",
    domain_rule=11,
)
def satisfaction_below_floor(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        q = row.quantity
        if q is None or q.unit not in fw.PERCENT_UNITS:
            continue
        if not any(k in row.level3 for k in fw.SATISFACTION_KEYWORDS) or q.number >= fw.SATISFACTION_FLOOR:
            continue
        floor = q.model_copy(update={"operator": "≥", "number": Decimal(fw.SATISFACTION_FLOOR)}).format()
        yield row.issue(
            "value",
            f"{row.subject}的目标“{row.value}”低于 {fw.SATISFACTION_FLOOR}%：满意度目标一般不低于 "
            f"{fw.SATISFACTION_FLOOR}%，请提高目标值，如“{floor}”。",
        )


@rule(
    "XLT-W012",
    "定性指标过多",
    f"一张申报表中定性指标值（如“及时”“合理”）超过指标总数的 {fw.QUALITATIVE_SHARE_LIMIT:.0%}。",
    scope="table",
    domain_rule=12,
)
def mostly_qualitative(form: Form) -> Iterator[Issue]:
    filled = len(form.rows) - len(form.row_sets["blank"])  # rows whose target is not None
    qualitative = form.row_sets["qualitative"]  # rows whose .qualitative is not None
    if not filled or len(qualitative) <= fw.QUALITATIVE_SHARE_LIMIT * filled:
        return
    seen = "、".join(dict.fromkeys(f"“{row.qualitative}”" for row in qualitative[:5]))
    yield form.table_issue(
        f"{form.label}的 {filled} 行指标中有 {len(qualitative)} 行是定性指标值（{seen}）："
        "定性指标过多，请把能量化的指标改为定量指标值，如“≥90.00(%)”“=10.00(个)”。"
    )


@rule(
    "XLT-W013",
    "定性指标值与二级指标不符",
    "定性指标值说的是另一类效益，如“社会效益良好”放在“经济效益指标”下"
    "（framework.QUALITATIVE_IMPLIES_LEVEL2）。",
    scope="row",
    rows="qualitative",
    domain_rule=13,
)
def qualitative_contradicts_level2(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        text = row.qualitative
        if text is None or not row.level2:
            continue
        for keyword, level2 in fw.QUALITATIVE_IMPLIES_LEVEL2.items():
            if keyword in text:
                if level2 != row.level2 and keyword not in row.level2:
                    yield row.issue(
                        "value",
                        f"{row.subject}的指标值“{text}”说的是{keyword}，却放在二级指标“{row.level2}”下："
                        f"请把二级指标改为“{level2}”，或把指标值改为与“{row.level2}”相符的内容"
                        "（最好是可衡量的数值）。",
                    )
                break  # the first keyword the text holds decides

