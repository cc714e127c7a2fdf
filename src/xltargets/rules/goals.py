"""Rules on quantities written in 年度总体目标 (domain.md check 16).

A quantity is an Arabic number followed by a measure word
(framework.GOAL_QUANTITY_UNITS): ``向日葵亲子小屋32家``, ``培训指导员6000人``,
``覆盖50万人次``. Years (``2024年``), dates, ordinals (``第3期``) and names
such as ``7.11世界人口日`` are not quantities. A quantity is carried by an
indicator with the same number and a matching unit or a related name; an
indicator whose name clearly names the same thing but states another number
states it differently.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from .. import framework as fw
from ..memo import remembered
from ..model import Funds
from ..targets import format_number
from .context import Form, Issue, Row, canonical, display
from .registry import rule

_UNIT_ALTERNATIVES = "|".join(re.escape(u) for u in sorted(fw.GOAL_QUANTITY_UNITS, key=len, reverse=True))
_MULTIPLIERS = "".join(fw.GOAL_MULTIPLIERS)
_QUANTITY = re.compile(
    rf"(?<![\d.])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<approx>[余多]?)"
    rf"(?P<mult>[{_MULTIPLIERS}]?)(?P<unit>{_UNIT_ALTERNATIVES})"
)
_CLAUSE_BREAK = re.compile(r"[，,、。；;：:！!？?（）()\[\]【】\s]")
_VERBS = tuple(sorted(fw.GOAL_VERBS, key=len, reverse=True))
_TRAILING = tuple(sorted(fw.GOAL_TRAILING_WORDS, key=len, reverse=True))
_UNIT_GROUP = {unit: i for i, group in enumerate(fw.UNIT_GROUPS) for unit in group}
#: 万元 → 元: compare money in one unit
_SCALED_UNITS = {"万元": ("元", Decimal(10_000))}


@dataclass(frozen=True)
class GoalQuantity:
    """One quantity of 年度总体目标: the number in base units, its unit, what it counts."""

    text: str
    number: Decimal
    unit: str
    subject: str


@remembered(1 << 12)
def _strip_verbs(text: str) -> str:
    """培训村居级家庭健康指导员 → 村居级家庭健康指导员; 满意度达到 → 满意度."""
    changed = True
    while changed and text:
        changed = False
        for verb in _VERBS:
            rest = text[len(verb):]
            if text.startswith(verb) and len(rest) != 1:  # keep 培训班 whole
                text, changed = rest, True
        for word in _TRAILING:
            rest = text[: -len(word)]
            if text.endswith(word) and len(rest) > 1:
                text, changed = rest, True
    return text


def _base(number: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit in _SCALED_UNITS:
        base, factor = _SCALED_UNITS[unit]
        return number * factor, base
    return number, unit


def goal_quantities(goal: str) -> list[GoalQuantity]:
    """The quantities written in *goal*, in order."""
    return list(_goal_quantities(goal))


@remembered(1 << 12)
def _goal_quantities(goal: str) -> tuple[GoalQuantity, ...]:
    """:func:`goal_quantities`, once per text (two rules read each goal)."""
    return tuple(_find_quantities(goal))


def _find_quantities(goal: str) -> list[GoalQuantity]:
    found: list[GoalQuantity] = []
    breaks: list[int] | None = None  # where the clauses break (each a one-character match)
    for m in _QUANTITY.finditer(goal):
        if breaks is None:
            breaks = [b.start() for b in _CLAUSE_BREAK.finditer(goal)]
        # the clause around the match: from after the last break before it to the next break
        i = bisect.bisect_left(breaks, m.start())
        before_start = breaks[i - 1] + 1 if i else 0
        before = goal[before_start : m.start()]
        if before.endswith(fw.GOAL_NOT_QUANTITY_BEFORE):
            continue
        j = bisect.bisect_left(breaks, m.end())
        after_end = breaks[j] if j < len(breaks) else len(goal)
        after = goal[m.end() : after_end]
        number = Decimal(m.group("num").replace(",", ""))
        if m.group("mult"):
            number *= fw.GOAL_MULTIPLIERS[m.group("mult")]
        number, unit = _base(number, m.group("unit"))
        subject = _strip_verbs(canonical(before)) or _strip_verbs(canonical(after))
        found.append(GoalQuantity(goal[before_start:after_end].strip(), number, unit, subject))
    return found


def _units_match(a: str, b: str) -> bool:
    return a == b or (a in _UNIT_GROUP and _UNIT_GROUP.get(a) == _UNIT_GROUP.get(b))


@remembered(1 << 14)
def _bigrams(text: str) -> frozenset[str]:
    """The pairs of adjacent characters of *text*; remembered (a 三级 name is compared with every
    quantity of its form's goal)."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _bare_name(row: Row) -> str:
    """三级 name without its "how many" ending: 向日葵亲子小屋建成数 → 向日葵亲子小屋."""
    return _bare(row.level3)


@remembered(1 << 14)
def _bare(name: str) -> str:
    for suffix in fw.NAME_GENERIC_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _names_same_thing(q: GoalQuantity, row: Row) -> bool:
    name = _bare_name(row)
    if len(q.subject) < 2 or len(name) < 2:
        return False
    return q.subject in name or name in q.subject


def _related(q: GoalQuantity, row: Row) -> bool:
    return len(_bigrams(q.subject) & _bigrams(row.level3)) >= 2


def _quantity_rows(form: Form) -> list[tuple[Row, Decimal, str]]:
    cached = form.__dict__.get("_quantity_rows")
    if cached is None:
        cached = form.__dict__["_quantity_rows"] = _find_quantity_rows(form)
    return cached


def _find_quantity_rows(form: Form) -> list[tuple[Row, Decimal, str]]:
    out = []
    for row in form.row_sets["quantity"]:  # the rows whose quantity is not None
        q = row.quantity
        number, unit = _base(q.number, q.unit)
        out.append((row, number, unit))
    return out


#: the amounts of a form's funds (what ``funds.model_dump().values()`` gives, without the dump)
_FUND_NAMES = tuple(Funds.model_fields)


def _carried(q: GoalQuantity, rows: list[tuple[Row, Decimal, str]], form: Form) -> bool:
    """Some indicator states this number (matching unit or related name), or it is the project's money."""
    if q.unit in fw.GOAL_MONEY_UNITS:
        funds = form.project.funds
        if any(amount is not None and amount == q.number for amount in (getattr(funds, name) for name in _FUND_NAMES)):
            return True
    wanted, group = q.number, _UNIT_GROUP.get(q.unit)  # _units_match(q.unit, unit), inline
    for row, number, unit in rows:
        if number == wanted and (
            unit == q.unit or (group is not None and _UNIT_GROUP.get(unit) == group) or _related(q, row)
        ):
            return True
    return False


def _stated_differently(q: GoalQuantity, rows: list[tuple[Row, Decimal, str]]) -> Row | None:
    wanted, group = q.number, _UNIT_GROUP.get(q.unit)  # _units_match(q.unit, unit), inline
    for row, number, unit in rows:
        if (
            number != wanted
            and (unit == q.unit or (group is not None and _UNIT_GROUP.get(unit) == group))
            and _names_same_thing(q, row)
        ):
            return row
    return None


def _goal_checks(form: Form) -> list[tuple[GoalQuantity, bool, Row | None]]:
    """Each quantity of 年度总体目标 with whether it is carried and, if not, the row stating
    it differently: worked out once per form for the two rules below."""
    cached = form.__dict__.get("_goal_checks")
    if cached is None:
        rows = _quantity_rows(form)
        cached = []
        for q in _goal_quantities(form.project.annual_goal):
            carried = _carried(q, rows, form)
            cached.append((q, carried, None if carried else _stated_differently(q, rows)))
        form.__dict__["_goal_checks"] = cached
    return cached


def _amount(q: GoalQuantity) -> str:
    decimals = max(0, -q.number.normalize().as_tuple().exponent)
    return f"{format_number(q.number, decimals)}{q.unit}"


@rule(
    "XLT-W016",
    "年度总体目标中的数量没有对应指标",
    "年度总体目标写了数量（如“向日葵亲子小屋32家”），却没有一条绩效指标的指标值是这个数量。"
    "年份、日期、序号（第3期）不算数量。",
    scope="form",
    domain_rule=16,
)
def goal_quantity_not_carried(form: Form) -> Iterator[Issue]:
    for q, carried, differing in _goal_checks(form):
        if carried or differing is not None:
            continue
        subject = q.subject or "该项工作"
        example = f"“{subject}”、指标值“={format_number(q.number, 2)}({q.unit})”"
        yield form.issue(
            "annual_goal",
            f"年度总体目标写了“{display(q.text)}”，但没有一条绩效指标的指标值是 {_amount(q)}："
            f"请增加对应的产出指标（如三级指标{example}），或修改年度总体目标。",
        )


@rule(
    "XLT-W036",
    "年度总体目标中的数量与指标不一致",
    "年度总体目标写的数量与同名三级指标的指标值不同（如目标写“32家”，指标值是“=30.00(个)”）。",
    scope="form",
    domain_rule=16,
)
def goal_quantity_differs(form: Form) -> Iterator[Issue]:
    for q, carried, row in _goal_checks(form):
        if carried:
            continue
        if row is not None:
            yield form.issue(
                "annual_goal",
                f"年度总体目标写“{display(q.text)}”，而{row.subject}的指标值是“{row.value}”："
                "两处数量不一致，请统一年度总体目标和指标值。",
            )
