"""Page setup of the table sheets: A4 landscape, one page wide, header row repeated."""

from __future__ import annotations

from ..workbook.xlsxform import openpyxl_margins

__all__ = ["print_wide", "PAGE_FOOTER"]

#: page numbers centred in the footer
PAGE_FOOTER = "&C第 &P 页，共 &N 页"


def print_wide(ws, *, header_rows: tuple[int, int] = (1, 1)) -> None:
    """Print *ws* on A4 landscape, fitted to one page wide, repeating rows *header_rows* (1-based)."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    openpyxl_margins(ws)
    ws.repeat_rows(header_rows[0] - 1, header_rows[1] - 1)
    ws.set_footer(PAGE_FOOTER, margin=0.5)
