"""Rules on 计划开始/完成日期 and the budget year.

domain.md checks 6 and 14 (dates part). The budget year is ``Form.budget_year``:
the form's year, else the declaration's, else the start date's year.
"""

from __future__ import annotations

from typing import Iterator

from .. import framework as fw
from .context import FIELD_LABELS, Form, Issue, canonical, display
from .registry import rule

_ONE_YEAR_NATURES = {canonical(n) for n in (*fw.ONE_OFF_NATURES, *fw.RECURRING_NATURES)}
_PHASED_NATURES = {canonical(n) for n in fw.PHASED_NATURES}


@rule(
    "XLT-E026",
    "计划日期为空或无法识别",
    "计划开始日期和计划完成日期都必须是日期，如 2024-01-01。",
    scope="form",
    domain_rule=6,
)
def date_missing(form: Form) -> Iterator[Issue]:
    for field in ("start", "end"):
        if getattr(form.project, field) is None:
            yield form.issue(
                field,
                f"{FIELD_LABELS[field]}为空或无法识别：请填写日期，如 2024-01-01。",
            )


@rule(
    "XLT-E006",
    "计划开始日期晚于计划完成日期",
    "计划开始日期不能晚于计划完成日期。",
    scope="form",
    domain_rule=6,
)
def start_after_end(form: Form) -> Iterator[Issue]:
    start, end = form.project.start, form.project.end
    if start and end and start > end:
        yield form.issue(
            "start",
            f"计划开始日期 {start.isoformat()} 晚于计划完成日期 {end.isoformat()}：请核对两个日期（是否填反了）。",
        )


@rule(
    "XLT-W014",
    "一次性/经常性项目的日期超出预算年度",
    "一次性项目、经常性项目（及其细分类型）的计划开始和完成日期应在预算年度内。",
    scope="form",
    domain_rule=14,
)
def one_year_project_outside_budget_year(form: Form) -> Iterator[Issue]:
    year = form.budget_year
    if year is None or canonical(form.project.nature) not in _ONE_YEAR_NATURES:
        return
    for field in ("start", "end"):
        day = getattr(form.project, field)
        if day is not None and day.year != year:
            yield form.issue(
                field,
                f"项目性质为“{display(form.project.nature)}”，{FIELD_LABELS[field]} {day.isoformat()} "
                f"不在预算年度 {year} 年内：一次性/经常性项目应在预算年度内实施，"
                "请核对日期，跨年度实施的项目请把项目性质改为阶段性项目。",
            )


@rule(
    "XLT-W034",
    "阶段性项目未覆盖预算年度",
    "阶段性项目的计划实施期（开始至完成日期）应包含预算年度。",
    scope="form",
    domain_rule=14,
)
def phased_project_misses_budget_year(form: Form) -> Iterator[Issue]:
    year = form.budget_year
    start, end = form.project.start, form.project.end
    if year is None or start is None or end is None:
        return
    if canonical(form.project.nature) not in _PHASED_NATURES or start.year <= year <= end.year:
        return
    yield form.issue(
        "start",
        f"阶段性项目的计划实施期 {start.isoformat()} 至 {end.isoformat()} 不包含预算年度 {year} 年："
        "请核对日期或申报年度。",
    )
