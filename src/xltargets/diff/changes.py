"""Matching last year's projects and indicators with this year's, and listing what changed.

>>> from xltargets.model import Declaration, Project, Indicator
>>> from xltargets.targets import parsed
>>> def ind(value): return Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="满意度",
...                                target=parsed(value).target, value_raw=value)
>>> old = Declaration(projects=[Project(name="甲", indicators=[ind("≥85%")])])
>>> new = Declaration(projects=[Project(name="甲", indicators=[ind("≥80%")])])
>>> [(c.kind, c.old, c.new, c.direction) for c in compare(old, new).changes]
[('value_changed', '≥85%', '≥80%', 'lowered')]

Projects are matched by name; a project left without a partner on both sides
is matched by a similar name (:data:`RENAME_THRESHOLD`, difflib's ratio, helped
by the indicators the two share) and reported as renamed. Indicators are
matched by (一级, 二级, 三级); the same triple twice in a form pairs in order.

A change of 指标值 says which way the target moved, as a reviewer reads it:
``raised`` when more is demanded (``≥85%`` → ``≥90%``, ``≤100`` → ``≤90``,
``=10`` → ``=12``, ``≥90`` → ``>90``), ``lowered`` when less is, ``changed``
when the two cannot be ranked (other units or operators, 定性 values).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Iterable

from ..model import FUND_FIELDS, Declaration, Indicator, Project, QuantitativeTarget
from ..targets import parsed

__all__ = ["Change", "Comparison", "compare", "target_direction", "RENAME_THRESHOLD", "KINDS"]

#: a pair of unmatched projects whose score reaches this is one renamed project
RENAME_THRESHOLD = 0.6

#: kinds of change, in report order within a project, with their Chinese names
KINDS: dict[str, str] = {
    "project_added": "新增项目",
    "project_removed": "删除项目",
    "project_renamed": "项目更名",
    "funds_changed": "资金变化",
    "goal_changed": "目标变化",
    "indicator_added": "新增指标",
    "indicator_removed": "删除指标",
    "value_changed": "指标值变化",
}

#: directions of a 指标值 change, with their Chinese names
DIRECTIONS = {"raised": "目标提高", "lowered": "目标降低", "changed": "目标改变"}

_GOALS = {"total_goal": "项目总目标", "annual_goal": "年度总体目标"}
_UNIT_SYNONYMS = {"%": "%", "百分比": "%", "％": "%"}


@dataclass
class Change:
    """One difference. ``project`` is this year's name (last year's for a removed project)."""

    kind: str
    project: str
    old_project: str | None = None
    field: str | None = None  # funds.annual, annual_goal …
    label: str | None = None  # the field's name on the form
    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    old: str | None = None
    new: str | None = None
    direction: str | None = None  # raised / lowered / changed (指标值, funds)
    delta: Decimal | None = None  # new - old (funds)
    percent: Decimal | None = None  # delta / old × 100, two decimals (funds)
    similarity: float | None = None  # renamed projects
    unit: str | None = None  # the amounts' unit when not 元 (funds): 万元

    @property
    def kind_zh(self) -> str:
        return KINDS[self.kind]

    @property
    def direction_zh(self) -> str:
        return DIRECTIONS.get(self.direction or "", "")

    @property
    def key(self) -> tuple:
        """What the change is about, without its values (tests compare changes by it)."""
        return (self.kind, self.project, self.field, self.level1, self.level2, self.level3)

    def as_json(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        for k in ("delta", "percent"):
            if k in data:
                data[k] = f"{data[k]:.2f}"
        data["kind_zh"] = self.kind_zh
        if self.direction:
            data["direction_zh"] = self.direction_zh
        return data


@dataclass
class Comparison:
    """The changes between an *old* and a *new* declaration, in the new declaration's project order."""

    changes: list[Change] = field(default_factory=list)
    projects_old: int = 0
    projects_new: int = 0
    year_old: int | None = None
    year_new: int | None = None

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> dict[str, int]:
        out = {kind: self.count(kind) for kind in KINDS}
        out["raised"] = sum(1 for c in self.changes if c.kind == "value_changed" and c.direction == "raised")
        out["lowered"] = sum(1 for c in self.changes if c.kind == "value_changed" and c.direction == "lowered")
        return out


# --------------------------------------------------------------------------- targets


def _norm_unit(unit: str) -> str:
    unit = unit.strip()
    return _UNIT_SYNONYMS.get(unit, unit)


def target_direction(old: str, new: str) -> str:
    """``raised``, ``lowered`` or ``changed``: how the 指标值 *old* → *new* moved (see the module docstring)."""
    a, b = parsed(old).target, parsed(new).target
    if not (isinstance(a, QuantitativeTarget) and isinstance(b, QuantitativeTarget)):
        return "changed"
    if _norm_unit(a.unit) != _norm_unit(b.unit):
        return "changed"
    ops = {a.operator, b.operator}
    if ops <= {"≥", ">"}:
        sign = 1
    elif ops <= {"≤", "<"}:
        sign = -1
    elif ops == {"="}:
        sign = 1
    else:
        return "changed"
    if a.number != b.number:
        return "raised" if (b.number - a.number) * sign > 0 else "lowered"
    if a.operator == b.operator:
        return "changed"  # same value written differently (10 → 10.00)
    strict_new = b.operator in (">", "<")
    return "raised" if strict_new else "lowered"


# --------------------------------------------------------------------------- matching


def _key(ind: Indicator) -> tuple[str, str, str]:
    return (ind.level1, ind.level2, ind.level3)


def _value_text(ind: Indicator) -> str:
    return ind.value_raw or ind.value


def _score(old: Project, new: Project) -> float:
    matcher = difflib.SequenceMatcher(None, old.name, new.name, autojunk=False)
    if matcher.real_quick_ratio() < RENAME_THRESHOLD / 2:
        return 0.0
    name = matcher.ratio()
    a, b = {_key(i) for i in old.indicators}, {_key(i) for i in new.indicators}
    shared = len(a & b) / len(a | b) if a | b else 0.0
    return max(name, (name + shared) / 2)


def _match_projects(old: list[Project], new: list[Project]) -> tuple[dict[int, int], set[int]]:
    """new index → old index; and the new indices matched by a similar name."""
    by_name: dict[str, list[int]] = {}
    for i, p in enumerate(old):
        by_name.setdefault(p.name, []).append(i)
    pairs: dict[int, int] = {}
    for j, p in enumerate(new):
        free = by_name.get(p.name)
        if free:
            pairs[j] = free.pop(0)
    used = set(pairs.values())
    left_old = [i for i in range(len(old)) if i not in used]
    left_new = [j for j in range(len(new)) if j not in pairs]
    renamed: set[int] = set()
    if left_old and left_new:
        scored = sorted(
            ((s, j, i) for j in left_new for i in left_old if (s := _score(old[i], new[j])) >= RENAME_THRESHOLD),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        taken_old: set[int] = set()
        for s, j, i in scored:
            if j in pairs or i in taken_old:
                continue
            pairs[j] = i
            taken_old.add(i)
            renamed.add(j)
    return pairs, renamed


# --------------------------------------------------------------------------- comparing one project


def _money(value: Decimal | None, unit: str = "元", *, show_unit: bool = False) -> str | None:
    """An amount as text; with its unit when it is not 元 (or when *show_unit*: two units side by side)."""
    if value is None:
        return None
    return f"{value:z,.2f} {unit}" if show_unit or unit != "元" else f"{value:z,.2f}"


def _fund_label(fieldname: str, label: str) -> str:
    label = f"{label}（项目资金总额）" if fieldname == "total_other" else label
    return f"{label}（年度）" if fieldname == "annual_other" else label


def _compare_funds(old: Project, new: Project, out: list[Change]) -> None:
    """The amounts that changed; amounts in different units (元, 万元) are never compared as numbers."""
    name = new.name
    ua, ub = old.money_unit, new.money_unit
    if ua != ub:
        # reported, never converted: the same digits in 元 and 万元 are not the same amount
        out.append(Change("funds_changed", name, field="money_unit", label="金额单位", old=ua, new=ub,
                          direction="changed"))
        for fieldname, label in FUND_FIELDS.items():
            a, b = getattr(old.funds, fieldname), getattr(new.funds, fieldname)
            if a is None and b is None:
                continue
            out.append(Change("funds_changed", name, field=f"funds.{fieldname}", label=_fund_label(fieldname, label),
                              old=_money(a, ua, show_unit=True), new=_money(b, ub, show_unit=True),
                              direction="changed"))
        return
    unit = None if ub == "元" else ub
    for fieldname, label in FUND_FIELDS.items():
        a, b = getattr(old.funds, fieldname), getattr(new.funds, fieldname)
        if a == b:
            continue
        delta = percent = None
        direction = "changed"
        if a is not None and b is not None:
            delta = b - a
            direction = "raised" if delta > 0 else "lowered"
            if a != 0:
                percent = (delta / a * 100).quantize(Decimal("0.01"))
        # one side blank (cleared for the new year, or newly filled): "changed"
        out.append(Change("funds_changed", name, field=f"funds.{fieldname}", label=_fund_label(fieldname, label),
                          old=_money(a, ua), new=_money(b, ub), direction=direction, delta=delta, percent=percent,
                          unit=unit))


def _compare_project(old: Project, new: Project, out: list[Change]) -> None:
    name = new.name
    _compare_funds(old, new, out)
    for fieldname, label in _GOALS.items():
        a, b = getattr(old, fieldname), getattr(new, fieldname)
        if a != b:
            out.append(Change("goal_changed", name, field=fieldname, label=label, old=a, new=b))
    olds: dict[tuple, list[Indicator]] = {}
    for ind in old.indicators:
        olds.setdefault(_key(ind), []).append(ind)
    for ind in new.indicators:
        k = _key(ind)
        mine = olds.get(k)
        if not mine:
            out.append(Change("indicator_added", name, field="indicator", level1=k[0], level2=k[1], level3=k[2],
                              new=_value_text(ind)))
            continue
        before = mine.pop(0)
        a, b = _value_text(before), _value_text(ind)
        if a != b:
            out.append(Change("value_changed", name, field="indicator", level1=k[0], level2=k[1], level3=k[2],
                              old=a, new=b, direction=target_direction(a, b)))
    for k, rest in olds.items():
        for ind in rest:
            out.append(Change("indicator_removed", name, field="indicator", level1=k[0], level2=k[1], level3=k[2],
                              old=_value_text(ind)))


def _total(p: Project) -> str | None:
    return _money(p.funds.annual, p.money_unit)


def compare(old: Declaration, new: Declaration) -> Comparison:
    """Every change from *old* (last year) to *new* (this year); see the module docstring."""
    pairs, renamed = _match_projects(old.projects, new.projects)
    changes: list[Change] = []
    for j, p in enumerate(new.projects):
        i = pairs.get(j)
        if i is None:
            changes.append(Change("project_added", p.name, new=_total(p), label="年度资金申请总额"))
            continue
        before = old.projects[i]
        if j in renamed:
            changes.append(Change("project_renamed", p.name, old_project=before.name, old=before.name, new=p.name,
                                  similarity=round(_score(before, p), 2)))
        _compare_project(before, p, changes)
    matched = set(pairs.values())
    for i, p in enumerate(old.projects):
        if i not in matched:
            changes.append(Change("project_removed", p.name, old_project=p.name, old=_total(p), label="年度资金申请总额"))
    return Comparison(changes, len(old.projects), len(new.projects), old.year, new.year)


def changes_of(comparison: Comparison, kinds: Iterable[str]) -> list[Change]:
    wanted = set(kinds)
    return [c for c in comparison.changes if c.kind in wanted]
