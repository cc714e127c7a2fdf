"""Regenerate the pictures of docs/addin.md (needs LibreOffice and pdftoppm).

    PYTHONPATH=src python3 docs/img/make_addin_images.py

The 校验 picture is real output: the 校验 action runs on the seed workbook
through xlwings' remote engine (noncommercial key, this script only); its
queued fills and the 校验结果 rows are replayed into the workbook with
openpyxl, which LibreOffice prints to PNG.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def main() -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from test_excel_payload import address, payload_from_workbook, remote_book, sheet_actions

    from xltargets.excel import actions
    from xltargets.excel.cells import RESULTS_SHEET
    from xltargets.importing import read_sources
    from xltargets.libreoffice import convert
    from xltargets.workbook.build import build_workbook

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book_path = build_workbook(read_sources([ROOT / "examples/sh-jishengxie-2024-summary.tsv"]).declaration, tmp / "d.xlsx")
        book = remote_book(payload_from_workbook(book_path))
        actions.validate(book)
        wb = load_workbook(book_path)
        results = None
        for sheet, action in sheet_actions(book):
            if action["func"] == "setRangeColor" and sheet in wb.sheetnames:
                colour = action["args"][0].lstrip("#").upper()
                wb[sheet][address(action)].fill = PatternFill("solid", start_color=colour, end_color=colour)
            if action["func"] == "setValues" and sheet == RESULTS_SHEET:
                results = action["values"]
        ws = wb.create_sheet(RESULTS_SHEET)
        for row in results:
            ws.append(row)
        for col, width in zip("ABCDEF", (5, 6, 10, 16, 24, 64)):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.font = Font(name="宋体", size=10, bold=cell.row == 2)
            ws.row_dimensions[row[0].row].height = 14 * max(1, -(-len(str(row[5].value or "")) // 30))
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        keep = {"计生特殊家庭帮扶及权益维护", RESULTS_SHEET}
        for name in list(wb.sheetnames):
            if name not in keep and wb[name].sheet_state == "visible":
                wb.remove(wb[name])
        marked = tmp / "marked.xlsx"
        wb.save(marked)
        pdf = convert(marked, "pdf", tmp / "pdf")
        for page, name, crop in ((1, "addin-check-marks", []), (2, "addin-check-results", ["-H", "560"])):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", *crop, "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(OUT / name)],
                check=True,
            )
            print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
