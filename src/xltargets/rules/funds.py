"""Rules on 项目资金 (in the form's unit, 元 or 万元): the annual and the multi-year sums.

domain.md checks 5 and 14 (funds part).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .context import FIELD_LABELS, Form, Issue, money
from .registry import rule

_CENT = Decimal("0.01")

#: total field → its parts, in form order
_ANNUAL_PARTS = ("annual_fiscal", "annual_carryover", "annual_other")
_TOTAL_PARTS = ("total_fiscal", "total_other")


def _sum_message(form: Form, total_key: str, part_keys: tuple[str, ...]) -> str | None:
    """The message when the total differs from its parts (blank parts count as 0), else None."""
    funds = form.project.funds
    total = getattr(funds, total_key)
    parts = [getattr(funds, key) for key in part_keys]
    if all(p is None for p in parts):
        return None
    parts_sum = sum((p or Decimal(0) for p in parts), Decimal(0))
    if total is None:
        if parts_sum == 0:
            return None
    elif total.quantize(_CENT) == parts_sum.quantize(_CENT):
        return None
    label = FIELD_LABELS[f"funds.{total_key}"]
    u = form.project.money_unit  # the form's own unit, never converted
    terms = " + ".join(f"{FIELD_LABELS[f'funds.{k}']} {money(p)}" for k, p in zip(part_keys, parts))
    if total is None:
        return f"{label}为空，但 {terms} = {money(parts_sum)} {u}：请填写{label}。"
    return (
        f"{label} {money(total)} {u}不等于 {terms} = {money(parts_sum)} {u}"
        f"（相差 {money(abs(total - parts_sum))} {u}）：请核对各项金额，使分项之和等于{label}。"
    )


@rule(
    "XLT-E005",
    "年度资金申请总额与分项之和不符",
    "年度资金申请总额必须等于当年财政拨款 + 上年结转资金 + 其他资金（精确到分）。",
    scope="form",
    domain_rule=5,
)
def annual_funds_sum(form: Form) -> Iterator[Issue]:
    message = _sum_message(form, "annual", _ANNUAL_PARTS)
    if message:
        yield form.issue("funds.annual", message)


@rule(
    "XLT-E025",
    "项目资金总额与分项之和不符",
    "填写了项目资金总额及其分项时，项目资金总额必须等于财政资金 + 其他资金（精确到分）。",
    scope="form",
    domain_rule=5,
)
def total_funds_sum(form: Form) -> Iterator[Issue]:
    if form.project.funds.total is None:
        return
    message = _sum_message(form, "total", _TOTAL_PARTS)
    if message:
        yield form.issue("funds.total", message)


@rule(
    "XLT-W054",
    "项目资金总额小于年度资金申请总额",
    "项目资金总额是项目全周期的合计，不应小于本年度的申请额。",
    scope="form",
    domain_rule=14,
)
def total_below_annual(form: Form) -> Iterator[Issue]:
    funds = form.project.funds
    if funds.total is None or funds.annual is None or funds.total >= funds.annual:
        return
    u = form.project.money_unit
    yield form.issue(
        "funds.total",
        f"项目资金总额 {money(funds.total)} {u}小于年度资金申请总额 {money(funds.annual)} {u}："
        "项目资金总额是全周期合计，应不小于年度申请额，请核对两处金额。",
    )
