"""Next year's declaration from this year's: the start of every autumn's work.

>>> from xltargets.pipeline import read_sources
>>> old = read_sources(["examples/sh-jishengxie-2024-summary.tsv"]).declaration
>>> new = rollover(old, 2025).declaration
>>> new.title, new.projects[0].start.isoformat(), new.projects[0].funds.annual
('上海市计划生育协会2025年度项目绩效目标汇总表', '2025-01-01', None)

What changes, per project:

- planned dates move to the new year (same month and day) where the project
  is 一次性 or 经常性 (its 项目性质 says so); a 阶段性 project keeps its
  multi-year span, with a warning when the new year falls outside it. A
  project of another 项目性质 is treated by its dates: one calendar year moves,
  a span of several years stays (with the same warning);
- the form's year becomes the new year (its (2025年度) line follows);
- amounts are cleared, since they are declared again (``keep_funds`` keeps
  them); a 阶段性 project keeps its multi-year 项目资金总额 block, which is the
  amount of its whole span;
- indicators, 指标值 and goals are kept exactly as written.

The declaration's title has its year changed (``…2024年度…汇总表`` →
``…2025年度…汇总表``). Projects named in ``drop`` are left out; a name that
matches no project is an error (a typo would otherwise silently keep it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Sequence

from .errors import InputError
from .findings import Finding, Severity
from .model import Declaration, Funds, Project

__all__ = ["rollover", "RolloverResult", "ROLLOVER_CODES", "moves_with_year"]

#: warnings rollover gives (code → meaning); the same shape as the rules' findings
ROLLOVER_CODES = {
    "XLT-W301": "阶段性项目的计划期间不含新年度",
    "XLT-W302": "新年度不是原年度的下一年",
    "XLT-W303": "项目的计划日期不全，未能改到新年度",
}

_MIN_YEAR, _MAX_YEAR = 2000, 2100


@dataclass
class RolloverResult:
    """The new declaration, the warnings for the user, and the names left out."""

    declaration: Declaration
    findings: list[Finding] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def moves_with_year(project: Project) -> bool:
    """True when *project*'s planned dates move to the new year (一次性/经常性, or one calendar year)."""
    nature = project.nature.replace(" ", "")
    if "阶段性" in nature:
        return False
    if "一次性" in nature or "经常性" in nature:
        return True
    if project.start is not None and project.end is not None:
        return project.start.year == project.end.year
    return True


def _same_day(date: dt.date, year: int) -> dt.date:
    try:
        return date.replace(year=year)
    except ValueError:  # 29 February in a year without it
        return date.replace(year=year, day=28)


def _title(title: str, old: int | None, new: int) -> str:
    if not title:
        return title
    if old is not None and str(old) in title:
        return re.sub(rf"(?<!\d){old}(?=\s*年)", str(new), title)
    return re.sub(r"(?<!\d)(19|20)\d\d(?=\s*年)", str(new), title, count=1)


def _warn(findings: list[Finding], code: str, message: str, project: Project | None = None, fieldname: str | None = None):
    findings.append(
        Finding(
            code=code,
            severity=Severity.WARNING,
            message=message,
            project=project.name if project is not None else None,
            field=fieldname,
        )
    )


def _roll_project(project: Project, year: int, keep_funds: bool, findings: list[Finding]) -> Project:
    new = project.model_copy(deep=True)
    new.origin = None
    for ind in new.indicators:
        ind.origin = None
    new.year = year
    raw = dict(new.raw)
    if moves_with_year(project):
        if project.start is not None:
            new.start = _same_day(project.start, year + (project.start.year - (project.end or project.start).year))
        if project.end is not None:
            new.end = _same_day(project.end, year)
        if project.start is None or project.end is None:
            _warn(findings, "XLT-W303", f"项目“{project.name}”的计划开始或完成日期为空或无法识别，未改到 {year} 年，请补填。", project, "start")
    else:
        start, end = project.start, project.end
        if start is not None and end is not None and not (start.year <= year <= end.year):
            _warn(
                findings,
                "XLT-W301",
                f"阶段性项目“{project.name}”的计划期间 {start.isoformat()} 至 {end.isoformat()} 不含 {year} 年。"
                f"请核对项目是否仍在实施期内，或调整计划完成日期。",
                project,
                "end",
            )
    if not keep_funds:
        keep = ("total", "total_fiscal", "total_other") if not moves_with_year(project) else ()
        new.funds = Funds(**{name: getattr(project.funds, name) for name in keep})
        raw = {k: v for k, v in raw.items() if not (k.startswith("funds.") and k[len("funds."):] not in keep)}
    new.raw = raw
    return new


def rollover(
    declaration: Declaration, year: int, *, keep_funds: bool = False, drop: Sequence[str] = ()
) -> RolloverResult:
    """*declaration* made into next year's (see the module docstring). Never changes *declaration*."""
    if not isinstance(year, int) or not (_MIN_YEAR <= year <= _MAX_YEAR):
        raise InputError(
            f"新年度“{year}”不是有效的年份。",
            hint=f"写四位数的年份，如 --year {dt.date.today().year + 1}。",
            en=f"invalid year {year}",
        )
    names = [p.name for p in declaration.projects]
    unknown = [d for d in drop if d not in names]
    if unknown:
        raise InputError(
            f"要去掉的项目“{'”、“'.join(unknown)}”不在输入中（共 {len(names)} 个项目）。",
            hint="--drop 后写完整的项目名称；运行 xltargets dump 可查看全部项目名称。",
            en=f"--drop names no project: {', '.join(unknown)}",
        )
    old = declaration.year or next((p.year for p in declaration.projects if p.year), None)
    findings: list[Finding] = []
    if old is not None and year != old + 1:
        _warn(findings, "XLT-W302", f"新年度 {year} 不是原年度 {old} 的下一年，请确认 --year。")
    dropped = [n for n in names if n in set(drop)]
    projects = [_roll_project(p, year, keep_funds, findings) for p in declaration.projects if p.name not in set(drop)]
    if not projects:
        raise InputError(
            "去掉指定项目后没有剩下任何项目，未生成工作簿。",
            hint="减少 --drop 的项目。",
            en="no project left after --drop",
        )
    new = Declaration(
        title=_title(declaration.title, old, year),
        organisation=declaration.organisation,
        year=year,
        projects=projects,
    )
    return RolloverResult(new, findings, dropped)
