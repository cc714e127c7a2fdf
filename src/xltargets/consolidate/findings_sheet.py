"""The 校验结果 sheet: the findings at consolidation time, linked to their cells.

Each located finding links to its source cell: a relative link to the source
file (so the 汇总表 and its sources can move together) plus the sheet and cell
as the link's location.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from urllib.parse import quote

from ..findings import Finding, Severity
from ..workbook.fit import LINE_FACTOR
from ..workbook.fit import row_height as fit_height
from ..workbook.values import cell_value
from ..workbook.xlsxform import set_width
from .cells import Formats, font, put
from .page import print_wide

__all__ = ["SHEET_NAME", "COLUMNS", "NO_FINDINGS", "link_for", "write_findings_sheet"]

SHEET_NAME = "校验结果"
NO_FINDINGS = "未发现问题。"

COLUMNS: dict[str, float] = {
    "严重程度": 9,
    "规则": 11,
    "项目": 26,
    "文件": 22,
    "工作表": 24,
    "单元格": 9,
    "说明": 70,
}

_FILL = {
    Severity.ERROR: {"pattern": 1, "bg_color": "#FFC7CE"},
    Severity.WARNING: {"pattern": 1, "bg_color": "#FFEB9C"},
}
_LINK = {"font_color": "#0563C1", "underline": 1}
#: wrapped columns: 项目, 工作表, 说明 (their rows grow to show the text whole, as the forms' do)
_WRAPPED = (3, 5, 7)
#: the font size of the sheet's text
_SIZE = 10.5
#: Excel's limits on hyperlinks: 65,530 a worksheet, 2,079 UTF-16 units for the address and for the location.
#: XlsxWriter drops a link past either with a warning, and the cell's text with it: such a cell is written as text.
MAX_LINKS = 65530
MAX_URL = 2079
#: Excel's rows a worksheet. XlsxWriter ignores a cell past the last one (``write`` returns -1, no warning): findings
#: past it would be lost without a word, so the sheet holds what fits and its last row says how many more there are
MAX_ROWS = 1048576
#: the sheet's last row when findings do not all fit: how many more, and where to see them all
MORE = ("另有 {n:,} 条问题超出 Excel 工作表的最大行数（{rows:,} 行）未列出。"
        "查看全部：对本次汇总的文件或文件夹运行 xltargets check --json")


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def link_for(finding: Finding, base_dir: Path | None, files: dict[str, str] | None = None) -> str | None:
    """The XlsxWriter URL of a finding's source (file, sheet, cell), or None when unlocated.

    A relative file link is always a file: a name with a colon (``http:…``) is
    percent-encoded, so no reader takes it for a web address. *files* remembers
    each file's link for one sheet (thousands of findings name the same few files).
    """
    if not finding.file:
        return None
    target = files.get(finding.file) if files is not None else None
    if target is None:
        target = _file_link(finding.file, base_dir)
        if files is not None:
            files[finding.file] = target
    if finding.sheet:
        target += "#" + _quote_sheet(finding.sheet) + (f"!{finding.cell}" if finding.cell else "!A1")
    return target


def _file_link(file: str, base_dir: Path | None) -> str:
    """The file part of a finding's link: relative to *base_dir* where it can be."""
    src = Path(file)
    target = src.as_posix()
    absolute = False
    if base_dir is not None:
        try:
            resolved = src.resolve()
        except (RuntimeError, OSError):  # a symlink loop a folder's reading skipped (a finding names it): as given
            resolved = Path(os.path.abspath(src))
        try:
            target = Path(os.path.relpath(resolved, Path(base_dir).resolve())).as_posix()
        except ValueError:  # another drive on Windows
            target, absolute = resolved.as_uri(), True
    if not absolute:
        try:
            plain = ":" not in target and "#" not in target and bool(target.encode())
        except UnicodeEncodeError:  # a name not in UTF-8 (Linux: a GBK name from a Windows zip)
            plain = False
        if not plain:  # percent-encoded, its own bytes
            target = quote(os.fsencode(target), safe="/")
        target = "external:" + target
    return target


def _linkable(link: str) -> bool:
    """Whether Excel (and XlsxWriter) take *link*: its address and its location within Excel's length."""
    return all(len(part.encode("utf-16-le", "surrogatepass")) // 2 <= MAX_URL for part in link.split("#", 1))


def row_height(texts: list[tuple[str, float]]) -> float | None:
    """Height (points) of a row whose wrapped cells hold *texts* (text, column width); None: the default."""
    best = max((fit_height(text, width, _SIZE) for text, width in texts if text), default=0.0)
    return best if best > _SIZE * LINE_FACTOR + 4 + 0.01 else None


def write_findings_sheet(ws, fmts: Formats, findings: Iterable[Finding], *, base_dir: Path | None = None) -> None:
    """Fill the XlsxWriter worksheet *ws* with one row per finding; links are relative to *base_dir*."""
    bold, body = {**font(bold=True), "align": "center", "valign": "vcenter"}, font()
    widths = list(COLUMNS.values())
    for c, (name, width) in enumerate(COLUMNS.items(), start=1):
        put(ws, fmts, 1, c, name, bold, sheet=SHEET_NAME)
        set_width(ws, c, c, width)
    findings = list(findings)
    more = 0
    if len(findings) > MAX_ROWS - 1:  # the header and every finding do not fit: keep the last row for the note
        more = len(findings) - (MAX_ROWS - 2)
        findings = findings[: MAX_ROWS - 2]
    files: dict[str, str] = {}  # file → its link
    links = 0
    styles: dict[tuple, dict] = {}  # one dict per look: formats are remembered by the dict
    for c in range(1, len(COLUMNS) + 1):
        for severity in (None, *_FILL):
            for link in (False, True):
                style = {**body, "valign": "top", "text_wrap": c in _WRAPPED}
                if severity is not None:
                    style.update(_FILL[severity])
                if link:
                    style.update(_LINK)
                styles[(c, severity, link)] = style
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
        link = link_for(f, base_dir, files) if links < MAX_LINKS else None
        if link is not None and not _linkable(link):
            link = None
        links += link is not None
        link_col = (6 if f.cell else 4) if link is not None else None
        for c, value in enumerate(values, start=1):
            style = styles[(c, f.severity if c == 1 else None, c == link_col)]
            if c == link_col:
                text = value or "打开"
                kind, stored, quote = cell_value(text, lambda: f"{SHEET_NAME}!R{r}C{c}")
                fmt = fmts.of(style, quote)
                ws.write_url(r - 1, c - 1, link, fmt, string=stored, tip="打开源文件中的单元格")
            else:
                put(ws, fmts, r, c, value, style, sheet=SHEET_NAME)
        height = row_height([(str(values[c - 1]), widths[c - 1]) for c in _WRAPPED])
        if height is not None:
            ws.set_row(r - 1, height)
    if not findings:
        put(ws, fmts, 2, 1, NO_FINDINGS, body, sheet=SHEET_NAME)
    if more:  # outside the filter: sorting never moves it among the findings
        note = {**font(bold=True), "font_color": "#C00000"}
        put(ws, fmts, len(findings) + 2, 1, MORE.format(n=more, rows=MAX_ROWS), note, sheet=SHEET_NAME)
    last = max(len(findings) + 1, 2)
    ws.autofilter(0, 0, last - 1, len(COLUMNS) - 1)
    ws.freeze_panes(1, 0)
    print_wide(ws)
