"""Assemble the 汇总表 workbook: 汇总表, 指标明细, 资金汇总, 校验结果."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook

from ..findings import Finding
from ..model import Declaration
from . import funds_sheet
from .cached_values import FIXED_ZIP_TIME, add_cached_values
from .findings_sheet import write_findings_sheet
from .indicators_sheet import write_indicators_sheet
from .marker import mark
from ..workbook import Template
from ..workbook.build import gc_paused
from ..workbook.fastsave import FAST, save_fast
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
    stream: bool = True,
    comparison=None,
) -> None:
    """Write the whole 汇总表 workbook to *path* (not atomic: give it a temp path).

    The 汇总表 and 指标明细 sheets are written ahead as they are filled
    (*stream*), so a thousand forms need not be held in memory; the totals
    of 资金汇总 get their cached values as the sheet is written. With
    ``stream=False`` the workbook is built whole and saved by openpyxl, the
    cached values put in afterwards (:mod:`.cached_values`): the same file,
    slower (tests/test_consolidate_stream.py compares them). A *comparison*
    (:class:`xltargets.diff.Comparison`, ``consolidate --against``) adds the 对比 sheet.
    """
    stream = stream and FAST
    wb = Workbook()
    with gc_paused():
        write_summary_sheet(wb.active, declaration, title, template=template, stream=stream)
        write_indicators_sheet(wb.create_sheet(), declaration, stream=stream)
        cached = funds_sheet.write_funds_sheet(wb.create_sheet(), declaration)
        write_findings_sheet(wb.create_sheet(), findings, base_dir=base_dir)
        if comparison is not None:
            from ..diff.sheet import write_comparison_sheet

            write_comparison_sheet(wb.create_sheet(), comparison)
    wb.active = 0
    mark(wb, title)
    if stream:
        save_fast(wb, path, cached={funds_sheet.SHEET_NAME: cached}, date_time=FIXED_ZIP_TIME)
    else:
        wb.save(path)
        add_cached_values(path, funds_sheet.SHEET_NAME, cached)


def write_summary_only(
    path: Path, declaration: Declaration, *, title: str, template: Template | None = None
) -> None:
    """A workbook holding only the 汇总表 sheet: what ``--pdf`` prints."""
    wb = Workbook()
    with gc_paused():
        write_summary_sheet(wb.active, declaration, title, template=template, stream=FAST)
    mark(wb, title)
    save_fast(wb, path)
