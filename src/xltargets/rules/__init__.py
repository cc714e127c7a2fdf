"""The validation rules: every check a budget reviewer applies to a 申报表.

Each rule is a small function in one of the topic modules, registered with
metadata by :func:`~xltargets.rules.registry.rule` (code, severity, Chinese
title and description). Rules look every category name up in
:mod:`xltargets.framework`. docs/rules.md lists them all (:func:`rule_docs`).

Public API (also what the Excel add-in calls):

- :func:`check_declaration` — all rules over all projects;
- :func:`check_projects` — all rules over the next projects of a workbook, a few at a time;
- :func:`check_project` — all rules over one project (one sheet);
- :func:`check_indicator_rows` / :func:`check_indicator_table` /
  :func:`check_indicator_row` — row and table rules on plain cell values.

Adding a rule: write a small function in the topic module (``structure``,
``values``, ``funds``, ``dates``, ``header``, ``goals``) that yields
``row.issue(...)`` / ``form.issue(...)``. A row rule (``scope="row"``) takes the
rows of one form (a sequence of ``Row``, in row order) and loops over them; a
table or form rule takes the ``Form``. Each is called once a form, not once a
row. Decorate it with ``@rule(code, title_zh, description_zh, scope=...,
domain_rule=...)`` (a row rule that can only report on some rows names them,
e.g. ``rows="quantity"``, and is not given the others:
tests/test_rules_rowsets.py); regenerate the docs with ``PYTHONPATH=src python -m xltargets.rules >
docs/rules.md``; add a failing and a passing form to tests/test_rules.py (a
test checks every code has both).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..findings import Finding
from ..model import Declaration, Project
from .context import Workbook
from . import dates, funds, goals, header, selfeval, structure, values
from . import docs as _docs
from . import runner as _runner
from .registry import Rule, collect, rule

__all__ = [
    "RULES",
    "Rule",
    "rule",
    "rules_by_code",
    "check_declaration",
    "check_projects",
    "check_project",
    "check_indicator_rows",
    "check_indicator_table",
    "check_indicator_row",
    "rule_docs",
]

#: Every rule, ordered by reviewer check number then code.
RULES: tuple[Rule, ...] = collect((structure, values, funds, dates, header, goals, selfeval))


def rules_by_code() -> dict[str, Rule]:
    """``{"XLT-E001": Rule(...), ...}``."""
    return {r.code: r for r in RULES}


def check_declaration(decl: Declaration) -> list[Finding]:
    """All rules over every project; findings ordered by project, then position on the form. Forms
    read and checked a few at a time (the pipeline's files): :func:`check_projects`."""
    return _runner.check_declaration(decl, RULES)


def check_projects(projects: Sequence[Project], *, year: int | None, workbook: Workbook) -> list[Finding]:
    """All rules over the next *projects* of *workbook* (a :class:`~xltargets.rules.context.Workbook`
    of the forms before them, from the first: ``Workbook(count, {}, {})``), checked as
    :func:`check_declaration` checks them among those forms; the workbook grows by them. *year* is
    the declaration's year. For forms checked a few at a time (the pipeline's consolidation)."""
    return _runner.check_projects(projects, RULES, year=year, workbook=workbook)


def check_project(
    project: Project,
    *,
    year: int | None = None,
    index: int = 0,
    workbook: Sequence[Project] = (),
) -> list[Finding]:
    """All rules over one project, ordered by position on the form.

    *year* is the declaration's year (used for the budget year when the
    project has none). Pass *workbook* (all projects) and *index* (this one's
    position) to check 项目名称 for duplicates across the workbook.
    """
    return _runner.check_project(project, RULES, year=year, index=index, workbook=workbook)


def check_indicator_rows(
    rows: Sequence[Sequence[Any]], *, fill_down: bool = True, name: str = ""
) -> list[str]:
    """Row checks on plain cell values, one text per input row ('' when the row is fine).

    *rows* is a 2-D range of (一级, 二级, 三级, 指标值) cells as a UDF receives
    it: None for blank cells, numbers as floats. Blank 一级/二级 cells inherit
    the row above (merged cells) unless *fill_down* is false; blank rows are
    skipped. Each message reads ``XLT-E004 错误：…``; several are joined by
    line breaks.
    """
    per_row, _ = _runner.indicator_rows_messages(rows, RULES, fill_down=fill_down, name=name)
    return ["\n".join(messages) for messages in per_row]


def check_indicator_table(
    rows: Sequence[Sequence[Any]], *, fill_down: bool = True, name: str = ""
) -> list[str]:
    """Checks of the whole indicator table (missing 一级, too many 定性 values …), as texts."""
    _, table = _runner.indicator_rows_messages(rows, RULES, fill_down=fill_down, name=name)
    return table


def check_indicator_row(level1: Any, level2: Any, level3: Any, value: Any) -> str:
    """Row checks on one row's four cells; '' when the row is fine."""
    return check_indicator_rows([[level1, level2, level3, value]], fill_down=False)[0]


def rule_docs() -> str:
    """The Markdown of docs/rules.md: every rule code and every importer code."""
    return _docs.rule_docs(RULES)
