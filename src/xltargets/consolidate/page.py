"""Page setup of the table sheets: A4 landscape, one page wide, header row repeated."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["print_wide"]


def print_wide(ws: Worksheet, *, header_rows: str = "1:1") -> None:
    """Print *ws* on A4 landscape, fitted to one page wide, repeating *header_rows*."""
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = ws.ORIENTATION_LANDSCAPE
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
