"""The 汇总表 title: ``<单位><年度>年度项目绩效目标汇总表``."""

from __future__ import annotations

from collections import Counter

from ..model import Declaration

__all__ = ["SUFFIX", "summary_organisation", "summary_year", "summary_title"]

SUFFIX = "年度项目绩效目标汇总表"


def _common(values: list[str]) -> str:
    values = [v for v in values if v]
    return values[0] if values and len(set(values)) == 1 else ""


def summary_organisation(decl: Declaration) -> str:
    """The declaring 单位: the declaration's own, else the one 实施单位, else the one 主管部门."""
    return (
        decl.organisation
        or _common([p.unit for p in decl.projects])
        or _common([p.department for p in decl.projects])
    )


def summary_year(decl: Declaration) -> int | None:
    """The 年度: the declaration's own, else the most common year of its forms."""
    if decl.year:
        return decl.year
    years = [p.year or (p.start.year if p.start else None) for p in decl.projects]
    counted = Counter(y for y in years if y)
    return counted.most_common(1)[0][0] if counted else None


def summary_title(decl: Declaration) -> str:
    """``上海市计划生育协会2024年度项目绩效目标汇总表``; parts that are unknown are left out.

    A declaration read from a 汇总表 keeps the title it had.
    """
    if decl.title.endswith("汇总表"):
        return decl.title
    year = summary_year(decl)
    return f"{summary_organisation(decl)}{year if year else ''}{SUFFIX}"
