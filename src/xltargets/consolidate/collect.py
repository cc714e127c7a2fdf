"""What the 汇总表 workbook needs of each project, gathered one project at a time.

A consolidation of thousands of forms must not hold them all in memory.
:class:`Summary` takes one checked project at a time (:meth:`Summary.add`):
its form is laid out at once (:func:`xltargets.workbook.layout.layout_form`,
print-only) and the laid-out cells, merges and row heights go, as plain data,
to a temporary file of their form kind; its 指标明细 rows go to another. In
memory stay only a row of amounts per project (资金汇总) and the few fields
the default title is made of (:class:`Head`). The workbook writers
(:mod:`.workbook`) replay the files in order once the title is known — the
title stands above the first form, and may depend on the last project read.

The temporary files hold pickled tuples of str, int, float, Decimal and
datetime that this process wrote itself; they are deleted when closed (and by
the system if the process dies).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, NamedTuple

from ..model import FORM_KINDS, Declaration, Project
from . import indicators_sheet, summary_sheet
from .funds_sheet import FundsRow, funds_row
from .spool import Spool
from .summary_sheet import FormSheet
from .templates import Templates

__all__ = ["Head", "Summary"]


class Head(NamedTuple):
    """What the default 汇总表 title reads of a project (:func:`.title.summary_title`)."""

    unit: str
    department: str
    year: int | None
    start: Any



class Summary:
    """The 汇总表's content, project by project: :meth:`add` each, then write it (:mod:`.workbook`).

    Use as a context manager (or call :meth:`close`) to delete its temporary files.
    """

    def __init__(self, templates: Templates | None = None):
        self.templates = templates or Templates()
        self.sheets: dict[str, FormSheet] = {}  # kind → its sheet, kinds in the order they first appear
        self.indicator_rows = Spool()  # one list of (values, number format) per project
        self.funds: list[FundsRow] = []
        self.heads: list[Head] = []
        self.projects = 0
        self.indicators = 0

    @classmethod
    def of(cls, declaration: Declaration, templates: Templates | None = None) -> "Summary":
        summary = cls(templates)
        for project in declaration.projects:
            summary.add(project)
        return summary

    def add(self, project: Project) -> None:
        """Lay out *project*'s form and keep what the other sheets need of it."""
        sheet = self.sheets.get(project.kind)
        if sheet is None:
            first = not self.sheets
            name = summary_sheet.SHEET_NAME if first else FORM_KINDS[project.kind]
            # the first sheet starts with the title and a blank row
            sheet = self.sheets[project.kind] = FormSheet(name, project.kind, self.templates[project.kind],
                                                          3 if first else 1)
        sheet.add(project)
        self.indicator_rows.put(list(indicators_sheet.project_rows(project)))
        self.funds.append(funds_row(project))
        self.heads.append(Head(project.unit, project.department, project.year, project.start))
        self.projects += 1
        self.indicators += len(project.indicators)

    def form_sheets(self) -> list[FormSheet]:
        """The form sheets in order; a declaration of no project still gets the 汇总表 (its title only)."""
        if not self.sheets:
            self.sheets["project"] = FormSheet(summary_sheet.SHEET_NAME, "project", self.templates["project"], 3)
        return list(self.sheets.values())

    def indicator_table(self) -> Iterable[tuple[list, str | None]]:
        """The 指标明细 rows, in form order."""
        for rows in self.indicator_rows:
            yield from rows

    def totals(self) -> dict[str, Decimal]:
        """年度资金申请总额 summed per money unit (元 or 万元), units in the order they first appear."""
        out: dict[str, Decimal] = {}
        annual = FundsRow.FIELDS.index("annual")
        for row in self.funds:
            out[row.money_unit] = out.get(row.money_unit, Decimal(0)) + (row.amounts[annual] or Decimal(0))
        return out

    def close(self) -> None:
        for sheet in self.sheets.values():
            sheet.close()
        self.indicator_rows.close()

    def __enter__(self) -> "Summary":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
