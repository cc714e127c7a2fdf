"""What a rule sees (a :class:`Form` and its :class:`Row` s) and what it reports (an :class:`Issue`).

A rule never builds a :class:`~xltargets.findings.Finding` itself: it calls
``form.issue(field, message)`` or ``row.issue(column, message)``, which look up
the sheet and cell in the origins; the runner adds code, severity and project.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .. import framework
from ..memo import remembered
from ..model import FUND_FIELDS, Indicator, Origin, Project, QualitativeTarget, QuantitativeTarget, RawTarget

__all__ = ["Issue", "Form", "Row", "Workbook", "canonical", "display", "money", "quote_list", "FIELD_LABELS"]

#: Project fields in form order (keys of ``Project.origin.cells``); "indicators" is the table.
FIELD_ORDER: tuple[str, ...] = (
    "form",
    "name",
    "nature",
    "category",
    "department",
    "unit",
    "start",
    "end",
    *(f"funds.{key}" for key in FUND_FIELDS),
    "total_goal",
    "annual_goal",
    "indicators",
)

_FIELD_RANK = {field: rank for rank, field in enumerate(FIELD_ORDER)}

#: Indicator columns in table order (keys of ``Indicator.origin.cells``).
COLUMN_ORDER: tuple[str, ...] = ("level1", "level2", "level3", "value")

#: Chinese label of each field, as printed on the form.
FIELD_LABELS: dict[str, str] = {
    **{key: Project.model_fields[key].description or key for key in FIELD_ORDER if key in Project.model_fields},
    **{f"funds.{key}": label.removeprefix("其中：") for key, label in FUND_FIELDS.items()},
    "indicators": "绩效指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "指标值",
}


@remembered(1 << 16)
def _canonical(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def canonical(name: str) -> str:
    """A name as compared with the framework: NFKC, no whitespace (``服务对象满意度 指标``)."""
    return _canonical(name or "")


def display(text: str) -> str:
    """A value as quoted in a message: trimmed, inner runs of whitespace as one space."""
    return " ".join((text or "").split())


def money(amount: Decimal | None) -> str:
    """``Decimal('1391700')`` → ``1,391,700.00`` (the form's way of writing 元)."""
    return "空" if amount is None else f"{amount:z,.2f}"  # z: -0 shows as 0.00


def quote_list(names: Sequence[str]) -> str:
    """``(a, b)`` → ``“a”、“b”``."""
    return "、".join(f"“{n}”" for n in names)


@dataclass(frozen=True)
class Issue:
    """One problem a rule found, located; the runner turns it into a Finding."""

    message: str
    field: str | None
    cell: str | None
    sheet: str | None
    file: str | None
    #: index of the indicator row, None for header/table findings
    row: int | None
    #: sort key inside the form: (field rank, row index, column rank)
    position: tuple[int, int, int]
    #: the text the rule suggests for the cell (the canonical 指标值), if any
    suggestion: str | None = None


class Workbook:
    """What the rules of one form know of the others: how many forms there are, and,
    for each :func:`canonical` name, the index and origin of the first form holding it.

    Built from every project (:meth:`of`), or file by file (:meth:`add`).
    """

    __slots__ = ("count", "first_names", "origins", "size")

    def __init__(self, count: int, first_names: dict[str, int], origins: dict[int, Origin | None]):
        self.count = count
        self.first_names = first_names
        self.origins = origins
        self.size = 0  # the forms added (:meth:`add`)

    def add(self, projects: Sequence[Project]) -> int:
        """Add the forms of one more file; return the index of its first. *count* stays at least
        what it was made with (a lower bound given when the later files are not read yet)."""
        start = self.size
        for i, p in enumerate(projects, start):
            name = canonical(p.name)
            if name not in self.first_names:
                self.first_names[name] = i
                origin = p.origin
                name_cell = origin.cell("name") if origin is not None else None
                # what XLT-E048 tells a later form of that name: the file, the sheet, the name's cell
                self.origins[i] = None if origin is None else Origin(
                    file=origin.file, sheet=origin.sheet, row=origin.row, cells={"name": name_cell} if name_cell else {})
        self.size = start + len(projects)
        self.count = max(self.count, self.size)
        return start

    @classmethod
    def of(cls, projects: Sequence[Project]) -> "Workbook":
        names = first_names(projects)
        workbook = cls(len(projects), names, {i: projects[i].origin for i in names.values()})
        workbook.size = len(projects)
        return workbook

    def origin(self, index: int) -> Origin | None:
        """Where the first form of some name was read (None when unknown)."""
        return self.origins.get(index)


_ALONE = Workbook(0, {}, {})


class Form:
    """One project as the rules see it: the project, its rows, its budget year, its workbook."""

    def __init__(
        self,
        project: Project,
        *,
        index: int = 0,
        year: int | None = None,
        workbook: Workbook | Sequence[Project] = (),
    ):
        self.project = project
        self.index = index
        #: rule 14's budget year: the form's own year, else the declaration's, else the start date's
        self.budget_year: int | None = project.year or year or (project.start.year if project.start else None)
        #: the other forms of the declaration (this one included), for checks across forms
        if not isinstance(workbook, Workbook):
            workbook = Workbook.of(tuple(workbook)) if workbook else _ALONE
        self.workbook: Workbook = workbook
        self.rows: list[Row] = [Row(self, i, ind) for i, ind in enumerate(project.indicators)]
        #: the rows by what they hold, in order (``rule(rows=...)``: a row rule runs on one set)
        self.row_sets: dict[str, list[Row]] = _row_sets(self.rows)
        self._levels: tuple[set[str], set[str]] | None = None
        self._first_rows: dict[str, Row] | None = None

    def release(self) -> None:
        """Let go of everything the form holds once it is checked: its rows (each refers back to
        it) and what rules remembered on it, so the form and its project are freed by reference
        counting rather than by a rare cycle collection (a consolidation lets each file's projects go)."""
        vars(self).clear()

    def first_with_name(self, name: str) -> int | None:
        """Index of the first project of the workbook whose :func:`canonical` name is *name*."""
        return self.workbook.first_names.get(name)

    # -- location -------------------------------------------------------------------
    def cell(self, field: str) -> str | None:
        origin = self.project.origin
        return origin.cell(field) if origin else None

    def issue(self, field: str, message: str) -> Issue:
        """An issue about a project field (``"name"``, ``"funds.annual"``, ``"indicators"`` …)."""
        origin = self.project.origin
        cell = self.cell(field)
        if cell is None and field == "indicators" and self.rows:
            cell = self.rows[0].cell("level1")
        rank = _FIELD_RANK.get(field, len(FIELD_ORDER))
        return Issue(
            message=message,
            field=field,
            cell=cell,
            sheet=origin.sheet if origin else None,
            file=origin.file if origin else None,
            row=None,
            position=(rank, -1, -1),
        )

    def table_issue(self, message: str) -> Issue:
        """An issue about the indicator table as a whole."""
        return self.issue("indicators", message)

    # -- content --------------------------------------------------------------------
    @property
    def label(self) -> str:
        """How a message names this project."""
        name = display(self.project.name)
        if name:
            return f"项目“{name}”"
        return f"第 {self.index + 1} 个项目" if self.workbook.count > 1 else "本表"

    def has_level1(self, level1: str) -> bool:
        """True when a row stands under *level1*, or under a 二级 that stands for it."""
        stand_ins = framework.LEVEL1_PRESENT_VIA_LEVEL2.get(level1, ())
        if self._levels is None:  # asked several times a form: the names are gathered once
            self._levels = ({row.level1 for row in self.rows}, {row.level2 for row in self.rows})
        level1s, level2s = self._levels
        return level1 in level1s or any(name in level2s for name in stand_ins)

    def first_row_named(self, level3: str) -> "Row | None":
        """The first row whose (canonical) 三级指标 is *level3*."""
        if self._first_rows is None:  # one pass a form, not one a row (a form may have 99,000 rows)
            firsts: dict[str, Row] = {}
            for row in self.rows:
                if row.level3:
                    firsts.setdefault(row.level3, row)
            self._first_rows = firsts
        return self._first_rows.get(level3)


def _row_sets(rows: list["Row"]) -> dict[str, list["Row"]]:
    """``registry.RowSet`` → the rows it names, in one pass."""
    quantity: list[Row] = []
    qualitative: list[Row] = []
    valued: list[Row] = []
    blank: list[Row] = []
    unreadable: list[Row] = []
    unnamed: list[Row] = []
    repeated: list[Row] = []
    extra: list[Row] = []
    seen: set[str] = set()
    for row in rows:
        if row.indicator.extra:
            extra.append(row)
        if row.target is None:
            blank.append(row)
        elif row.unreadable:
            unreadable.append(row)
        else:
            valued.append(row)
            if row.quantity is not None:
                quantity.append(row)
            elif row.qualitative is not None:
                qualitative.append(row)
        level3 = row.level3
        if not level3:
            unnamed.append(row)
        elif level3 in seen:
            repeated.append(row)  # a 三级 an earlier row has
        else:
            seen.add(level3)
    return {
        "all": rows,
        "quantity": quantity,  # a QuantitativeTarget
        "qualitative": qualitative,  # a QualitativeTarget
        "valued": valued,  # a target that is not a RawTarget
        "blank": blank,  # no target
        "unreadable": unreadable,  # a RawTarget
        "unnamed": unnamed,  # no 三级指标
        "repeated": repeated,  # a 三级指标 an earlier row has
        "extra": extra,  # other columns of the row (权重, 得分, 实际完成值 …: ``Indicator.extra``)
    }


def first_names(projects: Sequence[Project]) -> dict[str, int]:
    """:func:`canonical` project name → index of the first project with it."""
    out: dict[str, int] = {}
    for i, p in enumerate(projects):
        out.setdefault(canonical(p.name), i)
    return out


class Row:
    """One indicator row; names are compared in :func:`canonical` form."""

    __slots__ = ("form", "index", "indicator", "level1", "level2", "level3", "target", "quantity", "qualitative",
                 "unreadable", "value")

    def __init__(self, form: Form, index: int, indicator: Indicator):
        self.form = form
        self.index = index
        self.indicator = indicator
        self.level1 = _canonical(indicator.level1 or "")
        self.level2 = _canonical(indicator.level2 or "")
        self.level3 = _canonical(indicator.level3 or "")
        # what the row rules ask of its target, worked out once (they ask ~70 times a form)
        t = self.target = indicator.target
        #: the target when it is a quantity (``≥90.00(%)``), else None
        self.quantity: QuantitativeTarget | None = t if isinstance(t, QuantitativeTarget) else None
        #: the 定性 text when the target is one, else None
        self.qualitative: str | None = t.text if isinstance(t, QualitativeTarget) else None
        #: True when the 指标值 could not be read (a RawTarget)
        self.unreadable: bool = isinstance(t, RawTarget)
        #: the 指标值 as formatted (``≥90.00(%)``, :attr:`Indicator.canonical`); '' when blank
        self.value: str = t.format() if t is not None else ""

    @property
    def subject(self) -> str:
        """How a message names this row: by its 三级指标, else by its position."""
        name = display(self.indicator.level3)
        return f"三级指标“{name}”" if name else f"第 {self.index + 1} 行指标（三级指标为空）"

    # -- location -------------------------------------------------------------------
    def cell(self, column: str) -> str | None:
        origin = self.indicator.origin
        return origin.cell(column) if origin else None

    def issue(self, column: str, message: str) -> Issue:
        """An issue about one cell of this row (``"level1"`` … ``"value"``)."""
        origin = self.indicator.origin
        project_origin = self.form.project.origin
        return Issue(
            message=message,
            field=f"indicators[{self.index}].{column}",
            cell=self.cell(column),
            sheet=(origin.sheet if origin and origin.sheet else None)
            or (project_origin.sheet if project_origin else None),
            file=(origin.file if origin and origin.file else None)
            or (project_origin.file if project_origin else None),
            row=self.index,
            position=(len(FIELD_ORDER), self.index, COLUMN_ORDER.index(column)),
        )
