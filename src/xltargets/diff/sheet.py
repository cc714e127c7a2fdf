"""The 对比 sheet: one row per change, coloured by what happened, ready to print (A4 landscape).

Written by ``xltargets diff -o diff.xlsx`` (a workbook of this one sheet) and
by ``consolidate --against LAST`` (one more sheet of the 汇总表 workbook).
Texts are written as text cells (a 指标值 ``=10.00(所)`` is never a formula).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..consolidate.cells import THIN_BORDER, font, put
from ..consolidate.page import print_wide
from ..fileio import atomic_output
from .changes import Change, Comparison
from .report import summary_line

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
FILLS: dict[str, PatternFill] = {
    "raised": PatternFill("solid", fgColor="C6EFCE"),
    "lowered": PatternFill("solid", fgColor="FFC7CE"),
    "added": PatternFill("solid", fgColor="BDD7EE"),
    "removed": PatternFill("solid", fgColor="D9D9D9"),
    "changed": PatternFill("solid", fgColor="FFEB9C"),
}
LEGEND = "颜色：绿＝目标提高 / 资金增加，红＝目标降低 / 资金减少，蓝＝新增，灰＝删除，黄＝其他改变"

_WRAP = Alignment(vertical="top", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


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
        delta = f"{c.delta:+,.2f}" + (f"（{c.percent:+.2f}%）" if c.percent is not None else "")
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


def write_comparison_sheet(ws: Worksheet, comparison: Comparison, *, title: str | None = None) -> None:
    """Fill *ws* (renamed 对比) with the changes of *comparison*."""
    ws.title = SHEET_NAME
    years = ""
    if comparison.year_old or comparison.year_new:
        years = f"{comparison.year_old or '上年'} 年度 → {comparison.year_new or '本年'} 年度"
    heading = title or (f"绩效目标对比表（{years}）" if years else "绩效目标对比表")
    put(ws, 1, 1, heading).font = font(14, bold=True)
    put(ws, 2, 1, summary_line(comparison) + " " + LEGEND).font = font(9)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws.row_dimensions[2].height = 28
    ws.cell(row=2, column=1).alignment = _WRAP
    bold, body = font(bold=True), font()
    for c, (name, width) in enumerate(COLUMNS.items(), start=1):
        cell = put(ws, 3, c, name)
        cell.font, cell.alignment, cell.border = bold, _CENTER, THIN_BORDER
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, change in enumerate(comparison.changes, start=4):
        fill = FILLS[colour_of(change)]
        values = _row(change)
        ws.row_dimensions[r].height = _height(values)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if value:
                put(ws, r, c, value)
            cell.font, cell.alignment, cell.border, cell.fill = body, _WRAP, THIN_BORDER, fill
    if not comparison.changes:
        put(ws, 4, 1, "没有变化。").font = body
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(COLUMNS))}{max(len(comparison.changes) + 3, 4)}"
    print_wide(ws, header_rows="3:3")


def write_comparison_workbook(path: Path, comparison: Comparison, *, title: str | None = None) -> Path:
    """A workbook of the 对比 sheet alone, written atomically to *path*."""
    wb = Workbook()
    write_comparison_sheet(wb.active, comparison, title=title)
    wb.properties.title = title or "绩效目标对比表"
    wb.properties.creator = "xltargets"
    with atomic_output(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)
