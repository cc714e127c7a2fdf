"""The changes as text lines (the terminal report) and as JSON data."""

from __future__ import annotations

from .changes import KINDS, Change, Comparison

__all__ = ["lines", "summary_line", "as_json", "describe"]

_SHORT = 40


def _short(text: str | None, start: int = 0) -> str:
    """*text* on one line, at most about :data:`_SHORT` characters from *start*, cut marked with …."""
    text = " ".join((text or "").split())
    start = max(0, min(start, len(text) - _SHORT))
    head = "…" if start else ""
    piece = text[start : start + _SHORT]
    return head + piece + ("…" if start + _SHORT < len(text) else "")


def _first_difference(a: str, b: str) -> int:
    a, b = " ".join(a.split()), " ".join(b.split())
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return max(0, k - 10)


def _indicator(c: Change) -> str:
    return "/".join(t for t in (c.level1, c.level2, c.level3) if t)


def _signed(value) -> str:
    return f"{value:+z,.2f}"


def describe(c: Change) -> str:
    """One change in a sentence (without its project)."""
    if c.kind == "project_added":
        return f"新增项目（年度资金申请总额 {c.new or '未填'}）"
    if c.kind == "project_removed":
        return f"删除项目（上年年度资金申请总额 {c.old or '未填'}）"
    if c.kind == "project_renamed":
        return f"项目更名：“{c.old}” → “{c.new}”（名称相似度 {c.similarity:.2f}，按同一项目对比）"
    if c.kind == "funds_changed":
        extra = ""
        if c.delta is not None:
            extra = f"（{_signed(c.delta)} {c.unit or '元'}" + (f"，{c.percent:+.2f}%" if c.percent is not None else "") + "）"
        return f"资金 {c.label}：{c.old or '未填'} → {c.new or '未填'}{extra}"
    if c.kind == "goal_changed":
        k = _first_difference(c.old or "", c.new or "")
        return f"{c.label}改变：“{_short(c.old, k)}” → “{_short(c.new, k)}”"
    if c.kind == "indicator_added":
        return f"新增指标 {_indicator(c)}：{c.new or '（空）'}"
    if c.kind == "indicator_removed":
        return f"删除指标 {_indicator(c)}：{c.old or '（空）'}"
    return f"指标值 {_indicator(c)}：{c.old or '（空）'} → {c.new or '（空）'}（{c.direction_zh}）"


def summary_line(comparison: Comparison) -> str:
    s = comparison.summary()
    if not comparison.changes:
        return "两份申报表的项目、资金、目标和绩效指标没有变化。"
    parts = [f"{KINDS[k]} {s[k]} 处" for k in KINDS if s[k]]
    if s["value_changed"]:
        parts.append(f"其中目标提高 {s['raised']} 条、降低 {s['lowered']} 条")
    return "共有变化：" + "，".join(parts) + "。"


def lines(comparison: Comparison, *, old_name: str = "上年", new_name: str = "本年") -> list[str]:
    """The terminal report: a heading, the changes grouped by project, a summary line."""
    def year(y):
        return f"（{y} 年度）" if y else ""

    out = [
        f"对比：{old_name}{year(comparison.year_old)} {comparison.projects_old} 个项目 → "
        f"{new_name}{year(comparison.year_new)} {comparison.projects_new} 个项目"
    ]
    current = None
    for c in comparison.changes:
        if c.project != current:
            current = c.project
            out.append(f"== {c.project}")
        out.append(f"  {describe(c)}")
    out.append(summary_line(comparison))
    return out


def as_json(comparison: Comparison, *, old: str | None = None, new: str | None = None) -> dict:
    return {
        "old": {"source": old, "year": comparison.year_old, "projects": comparison.projects_old},
        "new": {"source": new, "year": comparison.year_new, "projects": comparison.projects_new},
        "summary": comparison.summary(),
        "changes": [c.as_json() for c in comparison.changes],
    }
