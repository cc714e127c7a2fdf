"""The 校验结果 sheet: the findings at consolidation time, linked to their cells.

Each located finding links to its source cell: a relative link to the source
file (so the 汇总表 and its sources can move together) plus the sheet and cell
as the link's location.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from xltargets.findings import Finding, Severity
from xltargets.consolidate.page import print_wide
from .cells import FONT_NAME, font, put

__all__ = ["SHEET_NAME", "COLUMNS", "NO_FINDINGS", "link_for", "write_findings_sheet"]

SHEET_NAME = "校验结果"
NO_FINDINGS = "未发现问题。"

COLUMNS: dict[str, float] = {
    "严重程度": 9,
    "规则": 11,
    "项目": 26,
    "文件": 22,
    "工作表": 18,
    "单元格": 9,
    "说明": 70,
}

_FILL = {
    Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
    Severity.WARNING: PatternFill("solid", fgColor="FFEB9C"),
}
_LINK_FONT = Font(name=FONT_NAME, size=10.5, color="0563C1", underline="single")


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def link_for(finding: Finding, base_dir: Path | None) -> Hyperlink | None:
    """The hyperlink to a finding's source (file, sheet, cell), or None when unlocated."""
    if not finding.file:
        return None
    src = Path(finding.file)
    target = src.as_posix()
    if base_dir is not None:
        try:
            target = Path(os.path.relpath(src.resolve(), Path(base_dir).resolve())).as_posix()
        except ValueError:  # another drive on Windows
            target = src.resolve().as_uri()
    location = None
    if finding.sheet:
        location = _quote_sheet(finding.sheet) + (f"!{finding.cell}" if finding.cell else "!A1")
    return Hyperlink(ref="A1", target=target, location=location, tooltip="打开源文件中的单元格")


def write_findings_sheet(ws: Worksheet, findings: Iterable[Finding], *, base_dir: Path | None = None) -> None:
    """Fill *ws* with one row per finding; links are relative to *base_dir* (the output's folder)."""
    ws.title = SHEET_NAME
    bold, body = font(bold=True), font()
    for c, (name, width) in enumerate(COLUMNS.items(), start=1):
        cell = put(ws, 1, c, name)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    findings = list(findings)
    for r, f in enumerate(findings, start=2):
        values = [
            f.severity.label,
            f.code,
            f.project or "",
            Path(f.file).name if f.file else "",
            f.sheet or "",
            f.cell or "",
            f.message,
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if value:
                put(ws, r, c, value)
            cell.font = body
            cell.alignment = Alignment(vertical="top", wrap_text=c in (3, 7))
        ws.cell(row=r, column=1).fill = _FILL[f.severity]
        link = link_for(f, base_dir)
        if link is not None:
            link_cell = ws.cell(row=r, column=6 if f.cell else 4)
            if not link_cell.value:
                put(ws, r, link_cell.column, "打开")
            link.ref = link_cell.coordinate
            link_cell.hyperlink = link
            link_cell.font = _LINK_FONT
    if not findings:
        put(ws, 2, 1, NO_FINDINGS).font = body
    last = max(len(findings) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    ws.freeze_panes = "A2"
    print_wide(ws)
