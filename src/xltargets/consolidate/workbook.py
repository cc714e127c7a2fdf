"""Assemble the 汇总表 workbook with XlsxWriter: 汇总表, 指标明细, 资金汇总, 校验结果.

Written in XlsxWriter's constant memory mode: each sheet is written row by
row and a row is let go once the next starts, so memory stays flat in the
number of projects.

XlsxWriter is made for writing new workbooks; it stores the computed totals
as the cached values of their formulas, and pins zip member times, so two
runs give the same archive (but for the dates in ``docProps/core.xml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import Finding
from ..model import Declaration
from ..workbook import Template
from ..workbook.build import write_xlsx
from . import findings_sheet, funds_sheet, indicators_sheet, summary_sheet
from .cells import Formats
from .marker import mark

__all__ = ["SHEETS", "write_workbook", "write_summary_only"]

SHEETS = (summary_sheet.SHEET_NAME, indicators_sheet.SHEET_NAME, funds_sheet.SHEET_NAME, findings_sheet.SHEET_NAME)


def write_workbook(
    path: Path,
    declaration: Declaration,
    findings: Iterable[Finding],
    *,
    title: str,
    base_dir: Path | None = None,
    template: Template | None = None,
    comparison=None,
) -> None:
    """Write the whole 汇总表 workbook to *path* (not atomic: give it a temp path).

    A *comparison* (:class:`xltargets.diff.Comparison`, ``consolidate --against``) adds the 对比 sheet.
    """
    findings = list(findings)

    def fill(wb) -> None:
        fmts = Formats(wb)
        sheets = [wb.add_worksheet(name) for name in SHEETS]
        summary_sheet.write_summary_sheet(wb, sheets[0], fmts, declaration, title, template=template)
        indicators_sheet.write_indicators_sheet(sheets[1], fmts, declaration)
        funds_sheet.write_funds_sheet(wb, sheets[2], fmts, declaration)
        findings_sheet.write_findings_sheet(sheets[3], fmts, findings, base_dir=base_dir)
        if comparison is not None:
            from ..diff.sheet import SHEET_NAME, write_comparison_sheet

            write_comparison_sheet(wb.add_worksheet(SHEET_NAME), fmts, comparison)
        sheets[0].activate()
        mark(wb, title)

    write_xlsx(path, fill, constant_memory=True)


def write_summary_only(
    path: Path, declaration: Declaration, *, title: str, template: Template | None = None
) -> None:
    """A workbook holding only the 汇总表 sheet: what ``--pdf`` prints."""
    def fill(wb) -> None:
        ws = wb.add_worksheet(summary_sheet.SHEET_NAME)
        summary_sheet.write_summary_sheet(wb, ws, Formats(wb), declaration, title, template=template)
        mark(wb, title)

    write_xlsx(path, fill, constant_memory=True)
