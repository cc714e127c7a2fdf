"""The 汇总表 title: ``<单位><年度>年度项目绩效目标汇总表``."""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from ..errors import InputError
from ..model import Declaration
from ..text import has_control_characters

__all__ = ["SUFFIX", "MAX_TITLE", "summary_organisation", "summary_year", "summary_title", "check_title"]

SUFFIX = "年度项目绩效目标汇总表"

#: the longest title accepted (one printed line holds ~40 characters at 18 pt; Excel's cell limit is far above)
MAX_TITLE = 255


def check_title(title: str | None) -> None:
    """Refuse a title (``--title``) that no output can carry as given: control characters, over 255 characters."""
    if title is None:
        return
    if has_control_characters(title):
        shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in title[:40])
        raise InputError(
            f"标题“{shown}”中含有控制字符，无法写入工作簿或 PDF。",
            hint="去掉标题中的控制字符（如从其他系统复制来的不可见字符）后重试。",
        )
    if not title.strip():
        raise InputError("标题为空。", hint="在 --title 后写上汇总表的标题，或去掉 --title 使用默认标题。")
    if len(title) > MAX_TITLE:
        raise InputError(
            f"标题有 {len(title)} 个字符，超过 {MAX_TITLE} 个字符的上限：“{title[:20]}…”。",
            hint="缩短标题，例如“某单位2024年度项目绩效目标汇总表”。",
        )


def _common(values: list[str]) -> str:
    values = [v for v in values if v]
    return values[0] if values and len(set(values)) == 1 else ""


def summary_organisation(decl: Declaration, projects: Sequence[Any] | None = None) -> str:
    """The declaring 单位: the declaration's own, else the one 实施单位, else the one 主管部门.

    *projects*: the forms (or what :class:`.collect.Head` keeps of them) when not ``decl.projects``.
    """
    projects = decl.projects if projects is None else projects
    return (
        decl.organisation
        or _common([p.unit for p in projects])
        or _common([p.department for p in projects])
    )


def summary_year(decl: Declaration, projects: Sequence[Any] | None = None) -> int | None:
    """The 年度: the declaration's own, else the most common year of its forms (*projects*, as above)."""
    if decl.year:
        return decl.year
    projects = decl.projects if projects is None else projects
    years = [p.year or (p.start.year if p.start else None) for p in projects]
    counted = Counter(y for y in years if y)
    return counted.most_common(1)[0][0] if counted else None


def summary_title(decl: Declaration, projects: Sequence[Any] | None = None) -> str:
    """``上海市计划生育协会2024年度项目绩效目标汇总表``; parts that are unknown are left out.

    A declaration read from a 汇总表 keeps the title it had. *projects*: as in :func:`summary_organisation`.
    """
    if decl.title.endswith("汇总表"):
        return decl.title
    year = summary_year(decl, projects)
    return f"{summary_organisation(decl, projects)}{year if year else ''}{SUFFIX}"
