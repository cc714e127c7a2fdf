"""Consolidation: all 申报表 into the 汇总表 workbook, and the 汇总表 as PDF.

The workbook has four sheets: 汇总表 (the title and every form stacked,
print-ready), 指标明细 (one row per indicator, a filterable table), 资金汇总
(amounts per project, totals, a chart) and 校验结果 (findings linked to their
source cells).

Reading and checking the sources is the pipeline's job; this package writes
the outputs of a checked report. :func:`xltargets.pipeline.consolidate` reads
the sources file by file and hands each checked project to a
:class:`.collect.Summary`, which lays its form out at once and keeps it on
disk (:mod:`.spool`) until the workbook is written (:mod:`.workbook`); with
``keep=False`` (the command line's) no project outlives its file:

>>> from xltargets.pipeline import consolidate
>>> result = consolidate(["declarations.xlsm"], Path("汇总表.xlsx"), pdf=True)  # doctest: +SKIP
"""

from .run import DEFAULT_OUTPUT, ConsolidateResult, FindingsBlock, check_outputs, export_pdf, write_outputs, write_pdf
from .sources import DEFAULT_SOURCE, resolve_sources
from .title import summary_title
from .workbook import SHEETS, write_summary_only, write_workbook

__all__ = [
    "check_outputs",
    "write_outputs",
    "export_pdf",
    "ConsolidateResult",
    "FindingsBlock",
    "DEFAULT_SOURCE",
    "DEFAULT_OUTPUT",
    "SHEETS",
    "resolve_sources",
    "summary_title",
    "write_workbook",
    "write_summary_only",
    "write_pdf",
]
