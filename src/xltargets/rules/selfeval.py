"""Rules on the columns of a 项目支出绩效自评表 (issue 15, point 6): 得分 and 分值, completion.

They read the indicator's ``extra`` facts (分值 or 权重, 得分, 实际完成值), so they apply to
any form that has those columns; a form without them gives no finding.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Iterator, Sequence

from ..model import QuantitativeTarget
from ..targets import parse_target
from .context import Issue, Row
from .registry import rule

__all__ = ["score_above_weight", "completion_below_target"]


def _number(text: str | None) -> Decimal | None:
    if not text:
        return None
    t = text.strip().rstrip("分").replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


@rule(
    "XLT-E030",
    "得分超过分值",
    "自评表中一行指标的得分不能大于它的分值（或权重）。",
    scope="row",
    rows="extra",
    domain_rule=None,
)
def score_above_weight(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        extra = row.indicator.extra
        if not extra:
            continue
        score = _number(extra.get("得分"))
        weight = _number(extra.get("分值") or extra.get("权重"))
        if score is not None and weight is not None and score > weight:
            yield row.issue(
                "value",
                f"{row.subject}的得分 {extra.get('得分')} 大于分值 {extra.get('分值') or extra.get('权重')}："
                "得分不能超过分值，请核对。",
            )


_HOLDS = {
    "=": lambda a, t: a == t,
    "≥": lambda a, t: a >= t,
    "≤": lambda a, t: a <= t,
    ">": lambda a, t: a > t,
    "<": lambda a, t: a < t,
}


@rule(
    "XLT-W031",
    "实际完成值未达到指标值",
    "自评表中实际完成值是数量、指标值是“运算符+数值(单位)”时，实际完成值应满足指标值"
    "（单位不同或无法比较时不判断）；未达到的应在偏差原因中说明。",
    scope="row",
    rows="extra",
    domain_rule=None,
)
def completion_below_target(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        extra = row.indicator.extra
        actual_text = extra.get("实际完成值") if extra else None
        if not actual_text:
            continue
        target = row.indicator.target
        actual = parse_target(actual_text).target
        if not isinstance(target, QuantitativeTarget) or not isinstance(actual, QuantitativeTarget):
            continue
        if actual.unit and target.unit and actual.unit != target.unit:
            continue
        if _HOLDS[target.operator](actual.number, target.number):
            continue
        reason = " 偏差原因已填写。" if extra.get("偏差原因") else " 请在偏差原因中说明。"
        yield row.issue(
            "value",
            f"{row.subject}的实际完成值“{actual_text}”未达到指标值“{row.indicator.value}”。{reason}",
        )
