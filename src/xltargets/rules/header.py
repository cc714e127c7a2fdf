"""Rules on the form's header and goals: 项目名称, 项目性质/类别, 年度总体目标, template text.

domain.md checks 8 and 15, and leftover template text (placeholders).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, Sequence

from .. import framework as fw
from .context import FIELD_LABELS, Form, Issue, Row, canonical, display, quote_list
from .registry import rule

_NATURES = {canonical(n) for n in fw.PROJECT_NATURES}
_CATEGORIES = {canonical(c) for c in fw.PROJECT_CATEGORIES}

#: Header fields that hold free text a template may have left a placeholder in.
_TEXT_FIELDS = ("name", "nature", "category", "department", "unit", "total_goal", "annual_goal")


_ANY_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in fw.PLACEHOLDER_TEXTS))


def _placeholder_in(text: str) -> str | None:
    """The first of framework.PLACEHOLDER_TEXTS (in its order) that *text* contains."""
    if not _ANY_PLACEHOLDER.search(text):  # most texts hold none: one scan
        return None
    return next((p for p in fw.PLACEHOLDER_TEXTS if p in text), None)


def _short(text: str, limit: int = 30) -> str:
    text = display(text)
    return text if len(text) <= limit else text[:limit] + "…"


@rule(
    "XLT-E028",
    "项目名称为空",
    "每张申报表都要填写项目名称。",
    scope="form",
    domain_rule=8,
)
def name_empty(form: Form) -> Iterator[Issue]:
    if not canonical(form.project.name):
        yield form.issue("name", f"{form.label}的项目名称为空：请填写项目名称。")


@rule(
    "XLT-E048",
    "项目名称重复",
    "同一个工作簿（汇总表），或一起校验、汇总的几个文件中，两张申报表的项目名称相同（忽略空白差异）；在不同文件中时，说明先出现的在哪个文件。",
    scope="form",
    domain_rule=8,
)
def name_duplicated(form: Form) -> Iterator[Issue]:
    name = canonical(form.project.name)
    if not name:
        return
    index = form.first_with_name(name)  # the first project of that name
    if index is None or index >= form.index:
        return
    origin = form.workbook.origin(index)
    own = form.project.origin
    other_file = origin.file if origin and origin.file and own and own.file and origin.file != own.file else None
    where = "、".join(
        x
        for x in (
            f"文件“{Path(other_file).name}”" if other_file else None,
            origin.sheet if origin else None,
            origin.cell("name") if origin else None,
        )
        if x
    )
    scope = "同一批申报表（一起校验或汇总的文件）" if other_file else "同一工作簿"
    yield form.issue(
        "name",
        f"项目名称“{display(form.project.name)}”与第 {index + 1} 个项目重复"
        f"{f'（{where}）' if where else ''}：{scope}中项目名称不能重复，请改名或合并这两张申报表。",
    )


@rule(
    "XLT-E008",
    "年度总体目标为空",
    "每张申报表都要填写年度总体目标。",
    scope="form",
    domain_rule=8,
)
def annual_goal_empty(form: Form) -> Iterator[Issue]:
    # not canonical(goal), without normalising the whole goal: NFKC keeps a character that is not
    # whitespace as something that is not whitespace (checked for every code point), so the
    # canonical text is empty exactly when the goal is blank
    if not (form.project.annual_goal or "").strip():
        yield form.issue(
            "annual_goal",
            f"{form.label}的年度总体目标为空：请用一两句话写明本年度要完成什么、达到什么效果，"
            "并与绩效指标对应。",
        )


@rule(
    "XLT-W015",
    "项目性质不是已知取值",
    f"项目性质应为{quote_list(fw.PROJECT_NATURES)}之一（framework.PROJECT_NATURES）。",
    scope="form",
    domain_rule=15,
)
def nature_unknown(form: Form) -> Iterator[Issue]:
    nature = canonical(form.project.nature)
    if nature in _NATURES:
        return
    what = f"项目性质“{display(form.project.nature)}”不是已知取值" if nature else "项目性质为空"
    yield form.issue("nature", f"{what}：请改为{quote_list(fw.PROJECT_NATURES)}之一。")


@rule(
    "XLT-W035",
    "项目类别不是已知取值",
    f"项目类别应为{quote_list(fw.PROJECT_CATEGORIES)}之一（framework.PROJECT_CATEGORIES）。",
    scope="form",
    domain_rule=15,
)
def category_unknown(form: Form) -> Iterator[Issue]:
    category = canonical(form.project.category)
    if category in _CATEGORIES:
        return
    what = f"项目类别“{display(form.project.category)}”不是已知取值" if category else "项目类别为空"
    yield form.issue("category", f"{what}：请改为{quote_list(fw.PROJECT_CATEGORIES)}之一。")


@rule(
    "XLT-E017",
    "指标中留有模板占位文字",
    f"一级/二级/三级指标或指标值中还有模板文字{quote_list(fw.PLACEHOLDER_TEXTS)}。",
    scope="row",
    domain_rule=None,
)
def placeholder_in_row(rows: Sequence[Row]) -> Iterator[Issue]:
    for row in rows:
        ind = row.indicator
        texts = (ind.level1, ind.level2, ind.level3, row.value)
        # one scan for the row: no placeholder holds "\x00", so none matches across two texts
        if not _ANY_PLACEHOLDER.search("\x00".join(texts)):
            continue
        for column, text in zip(("level1", "level2", "level3", "value"), texts):
            placeholder = _placeholder_in(text)
            if placeholder:
                yield row.issue(
                    column,
                    f"{FIELD_LABELS[column]}“{_short(text)}”中还有模板占位文字“{placeholder}”：请换成实际内容。",
                )


@rule(
    "XLT-E037",
    "表头或目标中留有模板占位文字",
    f"项目名称、主管部门、实施单位、项目总目标、年度总体目标等栏中还有模板文字{quote_list(fw.PLACEHOLDER_TEXTS)}。",
    scope="form",
    domain_rule=None,
)
def placeholder_in_header(form: Form) -> Iterator[Issue]:
    for field in _TEXT_FIELDS:
        text = getattr(form.project, field)
        placeholder = _placeholder_in(text)
        if placeholder:
            yield form.issue(
                field,
                f"{FIELD_LABELS[field]}“{_short(text)}”中还有模板占位文字“{placeholder}”：请换成实际内容。",
            )
