"""The 对比 sheet: one row per change, coloured by what happened, ready to print (A4 landscape).

Written by ``xltargets diff -o diff.xlsx`` (a workbook of this one sheet) and
by ``consolidate --against LAST`` (one more sheet of the 汇总表 workbook).
Texts are written as text cells (a 指标值 ``=10.00(所)`` is never a formula).
"""

from __future__ import annotations

from pathlib import Path

from ..diff.changes import Change, Comparison
from ..diff.report import summary_line
from ..fileio import atomic_output, require_suffix
from ..importing.ownfiles import DIFF_VALUE, PROPERTY
from ..workbook.build import write_xlsx
from ..workbook.xlsxform import set_width
from .cells import BOX, Formats, box, font, put
from .page import print_wide

__all__ = ["SHEET_NAME", "COLUMNS", "FILLS", "colour_of", "write_comparison_sheet", "write_comparison_workbook"]

SHEET_NAME = "对比"

COLUMNS: dict[str, float] = {
    "项目": 24,
    "变化": 11,
    "一级指标": 11,
    "二级指标": 16,
    "三级指标 / 栏目": 28,
    "上年": 30,
    "本年": 30,
    "变化量": 22,
    "说明": 14,
}

#: colour (fill) of each kind of row: raised green, lowered red, added blue, removed grey, other yellow
FILLS: dict[str, dict] = {
    "raised": {"pattern": 1, "bg_color": "#C6EFCE"},
    "lowered": {"pattern": 1, "bg_color": "#FFC7CE"},
    "added": {"pattern": 1, "bg_color": "#BDD7EE"},
    "removed": {"pattern": 1, "bg_color": "#D9D9D9"},
    "changed": {"pattern": 1, "bg_color": "#FFEB9C"},
}
LEGEND = "颜色：绿＝目标提高 / 资金增加，红＝目标降低 / 资金减少，蓝＝新增，灰＝删除，黄＝其他改变"

_WRAP = {"valign": "top", "text_wrap": True}
_CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}


def colour_of(c: Change) -> str:
    """The key of :data:`FILLS` for a change."""
    if c.kind in ("project_added", "indicator_added"):
        return "added"
    if c.kind in ("project_removed", "indicator_removed"):
        return "removed"
    if c.direction in ("raised", "lowered"):
        return c.direction
    return "changed"


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _height(values: list[str]) -> float:
    """Row height (points) that shows every wrapped value whole: LibreOffice does not grow rows by itself."""
    lines = 1
    for value, width in zip(values, COLUMNS.values()):
        per_line = max(int(width) - 1, 1)
        for part in value.split("\n"):
            lines = max(lines, -(-_display_width(part) // per_line))
    return 14.0 * lines + 2


def _row(c: Change) -> list[str]:
    what = c.label or ""
    if c.kind == "project_renamed":
        what = "项目名称"
    delta = ""
    if c.delta is not None:
        delta = f"{c.delta:+z,.2f}" + (f" {c.unit}" if c.unit else "") + (f"（{c.percent:+.2f}%）" if c.percent is not None else "")
    elif c.similarity is not None:
        delta = f"相似度 {c.similarity:.2f}"
    note = c.direction_zh if c.kind == "value_changed" else ""
    if c.kind == "funds_changed" and c.direction in ("raised", "lowered"):
        note = "增加" if c.direction == "raised" else "减少"
    return [
        c.project,
        c.kind_zh,
        c.level1 or "",
        c.level2 or "",
        c.level3 or what,
        c.old or "",
        c.new or "",
        delta,
        note,
    ]


def write_comparison_sheet(ws, fmts: Formats, comparison: Comparison, *, title: str | None = None) -> None:
    """Fill the XlsxWriter worksheet *ws* (named 对比) with the changes of *comparison*."""
    years = ""
    if comparison.year_old or comparison.year_new:
        years = f"{comparison.year_old or '上年'} 年度 → {comparison.year_new or '本年'} 年度"
    heading = title or (f"绩效目标对比表（{years}）" if years else "绩效目标对比表")
    last_col = len(COLUMNS)
    box(ws, fmts, 1, 1, 1, last_col, heading, font(14, bold=True), sheet=SHEET_NAME)
    ws.set_row(1, 28)
    box(ws, fmts, 2, 1, 2, last_col, summary_line(comparison) + " " + LEGEND, {**font(9), **_WRAP}, sheet=SHEET_NAME)
    header = {**font(bold=True), **_CENTER, **BOX}
    for c, (name, width) in enumerate(COLUMNS.items(), start=1):
        put(ws, fmts, 3, c, name, header, sheet=SHEET_NAME)
        set_width(ws, c, c, width)
    styles = {key: {**font(), **_WRAP, **BOX, **fill} for key, fill in FILLS.items()}
    for r, change in enumerate(comparison.changes, start=4):
        style = styles[colour_of(change)]
        values = _row(change)
        ws.set_row(r - 1, _height(values))
        for c, value in enumerate(values, start=1):
            put(ws, fmts, r, c, value or None, style, sheet=SHEET_NAME)
    if not comparison.changes:
        put(ws, fmts, 4, 1, "没有变化。", font(), sheet=SHEET_NAME)
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(len(comparison.changes) + 3, 4) - 1, last_col - 1)
    print_wide(ws, header_rows=(3, 3))


def write_comparison_workbook(path: Path, comparison: Comparison, *, title: str | None = None) -> Path:
    """A workbook of the 对比 sheet alone, written atomically to *path* (an .xlsx)."""
    require_suffix(Path(path), (".xlsx",), "对比工作簿")

    def fill(wb) -> None:
        write_comparison_sheet(wb.add_worksheet(SHEET_NAME), Formats(wb), comparison, title=title)
        wb.set_properties({"title": title or "绩效目标对比表", "author": "xltargets"})
        wb.set_custom_property(PROPERTY, DIFF_VALUE)  # a folder of forms holding it is still read (XLT-W190)

    with atomic_output(Path(path)) as tmp:
        write_xlsx(tmp, fill)
    return Path(path)
