"""Consolidation: all 申报表 into the 汇总表 workbook, and the 汇总表 as PDF.

The workbook has four sheets: 汇总表 (the title and every form stacked,
print-ready), 指标明细 (one row per indicator, a filterable table), 资金汇总
(amounts per project, totals, a chart) and 校验结果 (findings linked to their
source cells).

>>> from xltargets.consolidate import consolidate
>>> result = consolidate(["declarations.xlsm"], Path("汇总表.xlsx"), pdf=True)  # doctest: +SKIP
"""

from .run import DEFAULT_OUTPUT, ConsolidateResult, FindingsBlock, consolidate, summarise, validate, write_pdf
from .sources import DEFAULT_SOURCE, resolve_sources
from .title import summary_title
from .workbook import SHEETS, write_summary_only, write_workbook

__all__ = [
    "consolidate",
    "summarise",
    "ConsolidateResult",
    "FindingsBlock",
    "DEFAULT_SOURCE",
    "DEFAULT_OUTPUT",
    "SHEETS",
    "resolve_sources",
    "summary_title",
    "validate",
    "write_workbook",
    "write_summary_only",
    "write_pdf",
]
