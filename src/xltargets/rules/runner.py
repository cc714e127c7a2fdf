"""Running rules: over a declaration, one project, or plain indicator rows from a sheet."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ..findings import Finding
from ..progress import report
from ..model import Declaration, Indicator, Project
from ..targets import parse_target
from ..text import cell_text
from .context import Form, Issue, Workbook
from .registry import Rule

__all__ = ["run_form", "check_declaration", "check_projects", "check_project", "indicator_rows_messages"]


#: form kind → rules that do not apply to it: the fields they check are not on that kind of
#: form (a 部门整体 form or a 自评 form has no 项目性质, 项目类别 or 计划日期; a 自评 form reports
#: on a target set earlier, so its 年度总体目标 may be blank)
_NO_PROJECT_HEADER = frozenset({"XLT-E006", "XLT-E026", "XLT-W014", "XLT-W034", "XLT-W015", "XLT-W035"})
NOT_FOR_KIND: dict[str, frozenset[str]] = {
    "project": frozenset(),
    "department": _NO_PROJECT_HEADER | {"XLT-W054"},
    "self_assessment": _NO_PROJECT_HEADER | {"XLT-W054", "XLT-W016", "XLT-W036"},
}


def run_form(form: Form, rules: Iterable[Rule]) -> list[tuple[Rule, Issue]]:
    """Every issue of *rules* on *form*, in form order (rule order within one place)."""
    found: list[tuple[Rule, Issue]] = []
    append = found.append
    row_sets = form.row_sets
    skipped = NOT_FOR_KIND.get(form.project.kind)
    for r in rules:
        if skipped and r.code in skipped:
            continue  # a rule on a field this kind of form does not have
        # one call a rule and form: a row rule is given the rows it can report on (rule(rows=...)),
        # the others the form
        for issue in r.function(row_sets[r.rows] if r.scope == "row" else form):
            append((r, issue))
    found.sort(key=lambda pair: pair[1].position)
    return found


def _finding(form: Form, r: Rule, issue: Issue) -> Finding:
    return Finding(
        code=r.code,
        severity=r.severity,
        message=issue.message,
        project=form.project.name.strip() or None,
        sheet=issue.sheet,
        cell=issue.cell,
        field=issue.field,
        file=issue.file,
        suggestion=issue.suggestion,
    )


def check_project(
    project: Project,
    rules: Sequence[Rule],
    *,
    year: int | None = None,
    index: int = 0,
    workbook: Workbook | Sequence[Project] = (),
) -> list[Finding]:
    form = Form(project, index=index, year=year, workbook=workbook)
    try:
        return [_finding(form, r, issue) for r, issue in run_form(form, rules)]
    finally:
        form.release()


def check_declaration(decl: Declaration, rules: Sequence[Rule]) -> list[Finding]:
    projects = tuple(decl.projects)
    workbook = Workbook.of(projects)  # once for all forms: how many, who has which name first
    return _check_from(projects, rules, decl.year, workbook, 0)


def check_projects(
    projects: Sequence[Project], rules: Sequence[Rule], *, year: int | None, workbook: Workbook
) -> list[Finding]:
    """The findings of the next *projects* of *workbook*, which holds the forms before them: their
    indexes go on from those, their names are compared with theirs, and the workbook grows by them."""
    projects = tuple(projects)
    return _check_from(projects, rules, year, workbook, workbook.add(projects))


def _check_from(projects: tuple[Project, ...], rules: Sequence[Rule], year: int | None, workbook: Workbook,
                start: int) -> list[Finding]:
    findings: list[Finding] = []
    for index, project in enumerate(projects, start):
        report(index, workbook.count, "校验项目")
        findings.extend(check_project(project, rules, year=year, index=index, workbook=workbook))
    return findings


# -- plain values, as a UDF receives them ----------------------------------------------


def _indicators(rows: Iterable[Sequence[Any]], fill_down: bool) -> tuple[list[Indicator], list[int]]:
    """Indicators of the non-blank rows, and for each the index of its input row.

    With *fill_down*, a blank 一级 inherits the row above (merged cells), and a
    blank 二级 too while the 一级 is unchanged.
    """
    indicators: list[Indicator] = []
    where: list[int] = []
    level1 = level2 = ""
    for i, cells in enumerate(rows):
        l1, l2, l3, value = ([cell_text(c) for c in cells] + ["", "", "", ""])[:4]
        if not (l1 or l2 or l3 or value):
            continue
        if fill_down:
            if l1 and l1 != level1:
                level2 = ""
            l1 = l1 or level1
            l2 = l2 or level2
            level1, level2 = l1, l2
        indicators.append(
            Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(value).target, value_raw=value)
        )
        where.append(i)
    return indicators, where


def indicator_rows_messages(
    rows: Sequence[Sequence[Any]], rules: Sequence[Rule], *, fill_down: bool = True, name: str = ""
) -> tuple[list[list[str]], list[str]]:
    """Row and table rules on plain rows: (messages per input row, messages about the table)."""
    rows = list(rows)
    indicators, where = _indicators(rows, fill_down)
    form = Form(Project(name=cell_text(name), indicators=indicators))
    per_row: list[list[str]] = [[] for _ in rows]
    table: list[str] = []
    for r, issue in run_form(form, [r for r in rules if r.scope in ("row", "table")]):
        text = f"{r.code} {r.severity.label}：{issue.message}"
        if issue.row is None:
            table.append(text)
        else:
            per_row[where[issue.row]].append(text)
    return per_row, table
