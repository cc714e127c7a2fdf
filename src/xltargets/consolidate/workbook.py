"""Assemble the 汇总表 workbook with XlsxWriter: 汇总表, 指标明细, 资金汇总, 校验结果.

The forms of kinds other than the first get their own sheets after 汇总表
(:meth:`.collect.Summary.form_sheets`).

Written in XlsxWriter's constant memory mode: each sheet is written row by
row and a row is let go once the next starts. The content comes from a
:class:`.collect.Summary` (the forms laid out and kept on disk as the projects
were read); a declaration given is gathered into one first. XlsxWriter still
keeps every merged cell and row height of the 汇总表 until the file is closed
(docs/bench.md).

XlsxWriter is made for writing new workbooks; it stores the computed totals
as the cached values of their formulas, and pins zip member times, so two
runs give the same archive (but for the dates in ``docProps/core.xml``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable

from ..findings import Finding
from ..model import Declaration
from ..workbook import Template
from ..workbook.build import write_xlsx
from . import findings_sheet, funds_sheet, indicators_sheet, summary_sheet
from .cells import Formats
from .collect import Summary
from .marker import mark
from .templates import Templates

__all__ = ["SHEETS", "write_workbook", "write_summary_only"]

SHEETS = (summary_sheet.SHEET_NAME, indicators_sheet.SHEET_NAME, funds_sheet.SHEET_NAME, findings_sheet.SHEET_NAME)


def write_workbook(
    path: Path,
    declaration: Declaration | Summary,
    findings: Iterable[Finding],
    *,
    title: str,
    base_dir: Path | None = None,
    template: Template | None = None,
    templates: Templates | None = None,
    comparison=None,
) -> None:
    """Write the whole 汇总表 workbook to *path* (not atomic: give it a temp path).

    *declaration*: the projects, or what a :class:`.collect.Summary` gathered of them
    (then its templates are the ones it laid the forms out with).
    *templates*: the template of each form kind (default: the shipped ones); *template*
    alone replaces the project 申报表's. A *comparison* (:class:`xltargets.diff.Comparison`,
    ``consolidate --against``) adds the 对比 sheet.
    """
    findings = list(findings)
    with _summary(declaration, template, templates) as summary:

        def fill(wb) -> None:
            fmts = Formats(wb)
            forms = summary_sheet.write_form_sheets(wb, fmts, summary.form_sheets(), title)
            sheets = [wb.add_worksheet(name) for name in SHEETS[1:]]
            indicators_sheet.write_indicators_sheet(sheets[0], fmts, summary.indicator_table())
            funds_sheet.write_funds_sheet(wb, sheets[1], fmts, summary.funds)
            findings_sheet.write_findings_sheet(sheets[2], fmts, findings, base_dir=base_dir)
            if comparison is not None:
                from .comparison_sheet import SHEET_NAME, write_comparison_sheet

                write_comparison_sheet(wb.add_worksheet(SHEET_NAME), fmts, comparison)
            forms[0].activate()
            mark(wb, title)

        write_xlsx(path, fill, constant_memory=True)


def write_summary_only(
    path: Path, declaration: Declaration | Summary, *, title: str, template: Template | None = None,
    templates: Templates | None = None,
) -> None:
    """A workbook holding only the form sheets (汇总表 and one per further kind): what ``--pdf`` prints."""
    with _summary(declaration, template, templates) as summary:

        def fill(wb) -> None:
            summary_sheet.write_form_sheets(wb, Formats(wb), summary.form_sheets(), title)
            mark(wb, title)

        write_xlsx(path, fill, constant_memory=True)


@contextlib.contextmanager
def _summary(declaration: Declaration | Summary, template: Template | None, templates: Templates | None):
    """*declaration* as a :class:`Summary` (a summary given is the caller's to close)."""
    if isinstance(declaration, Summary):
        yield declaration
        return
    with Summary.of(declaration, _templates(template, templates)) as summary:
        yield summary


def _templates(template: Template | None, templates: Templates | None) -> Templates:
    given = dict(templates.given) if templates is not None else {}
    if template is not None:
        given["project"] = template
    return Templates(given)
