"""Assemble the 汇总表 workbook: 汇总表, 指标明细, 资金汇总, 校验结果."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook

from xltargets.findings import Finding
from xltargets.model import Declaration
from . import funds_sheet
from xltargets.consolidate.cached_values import add_cached_values
from .findings_sheet import write_findings_sheet
from .indicators_sheet import write_indicators_sheet
from xltargets.consolidate.marker import mark
from xltargets.workbook import Template
from .summary_sheet import write_summary_sheet

__all__ = ["SHEETS", "write_workbook", "write_summary_only"]

SHEETS = ("汇总表", "指标明细", "资金汇总", "校验结果")


def write_workbook(
    path: Path,
    declaration: Declaration,
    findings: Iterable[Finding],
    *,
    title: str,
    base_dir: Path | None = None,
    template: Template | None = None,
) -> None:
    """Write the whole 汇总表 workbook to *path* (not atomic: give it a temp path)."""
    wb = Workbook()
    write_summary_sheet(wb.active, declaration, title, template=template)
    write_indicators_sheet(wb.create_sheet(), declaration)
    cached = funds_sheet.write_funds_sheet(wb.create_sheet(), declaration)
    write_findings_sheet(wb.create_sheet(), findings, base_dir=base_dir)
    wb.active = 0
    mark(wb, title)
    wb.save(path)
    add_cached_values(path, funds_sheet.SHEET_NAME, cached)


def write_summary_only(
    path: Path, declaration: Declaration, *, title: str, template: Template | None = None
) -> None:
    """A workbook holding only the 汇总表 sheet: what ``--pdf`` prints."""
    wb = Workbook()
    write_summary_sheet(wb.active, declaration, title, template=template)
    mark(wb, title)
    wb.save(path)
