"""Issue 15 point 8: a header field written with its label in ONE cell (``项目名称：XXX``,
``预算单位: 奉节县…``) is read, its value exactly as written; prose that merely holds a colon
(goals, ``注：…``, ``指标1：…``) is never taken for a label.

Seen on tests/realforms/chongqing-fengjie-yunwu-2023-jiagongyuan (a 预算单位 line above the form).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from xltargets.importing import import_grid
from xltargets.importing.cells import label_of
from xltargets.importing.forms import label_key
from xltargets.importing.labels import UNREAD_LABELS

REAL = Path(__file__).parent / "realforms"

TABLE = [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训场次", "=3(场)"]]


def read(rows):
    result = import_grid([*rows, *TABLE], sheet="Sheet1")
    (project,) = result.declaration.projects
    return project, result.findings


# -- label and value in one cell ---------------------------------------------------------------


@pytest.mark.parametrize("cell, field, value", [
    pytest.param("项目名称：乡村道路维护", "name", "乡村道路维护", id="full-width-colon"),
    pytest.param("项目名称:乡村道路维护", "name", "乡村道路维护", id="ascii-colon"),
    pytest.param("项目名称 ： 乡村道路维护", "name", "乡村道路维护", id="spaces-around-full-width-colon"),
    pytest.param("项目名称: 乡村道路维护", "name", "乡村道路维护", id="ascii-colon-then-space"),
    pytest.param("项目名称：\n乡村道路维护", "name", "乡村道路维护", id="line-break-after-colon"),
    pytest.param("项目名称：乡村道路 维护(一期)", "name", "乡村道路 维护(一期)", id="value-kept-as-written"),
    pytest.param("项目名称：培训：春季班", "name", "培训：春季班", id="value-keeps-its-own-colon"),
    pytest.param("预算单位: 奉节县云雾土家族乡人民政府", "unit", "奉节县云雾土家族乡人民政府", id="synonym-预算单位-as-chongqing"),
    pytest.param("项目主管部门：县交通运输局", "department", "县交通运输局", id="synonym-项目主管部门"),
    pytest.param("项目类别：特定目标类", "category", "特定目标类", id="项目类别"),
    pytest.param("计划开始日期：2024-01-01", "start", dt.date(2024, 1, 1), id="date"),
    pytest.param("项目起止时间：2024年1月-2024年12月", "end", dt.date(2024, 12, 31), id="period"),
])
def test_label_and_value_in_one_cell(cell, field, value):
    rows = [[cell]] if field == "name" else [["项目名称", "乡村道路维护"], [cell]]
    project, _ = read(rows)
    assert getattr(project, field) == value
    assert project.name == "乡村道路维护" or field == "name"
    assert [i.level3 for i in project.indicators] == ["培训场次"]


def test_inline_cells_side_by_side_and_the_cell_named():
    project, _ = read([["项目名称：乡村道路维护", "", "主管部门：县交通运输局"], ["实施单位：某镇政府"]])
    assert (project.name, project.department, project.unit) == ("乡村道路维护", "县交通运输局", "某镇政府")
    assert (project.origin.cells["name"], project.origin.cells["department"], project.origin.cells["unit"]) == ("A1", "C1", "A2")


def test_wrapped_short_value_after_the_colon_is_joined_and_reported():
    project, findings = read([["项目名称", "乡村道路维护"], ["项目性质：阶段\n性项目"]])
    assert project.nature == "阶段性项目"
    assert [f.code for f in findings if f.field == "nature"] == ["XLT-W106"]


def test_department_form_named_inline_under_its_title():
    result = import_grid([["部门整体支出绩效目标表"], ["部门名称：某县教育局"], *TABLE], sheet="Sheet1")
    (project,) = result.declaration.projects
    assert (project.kind, project.name) == ("department", "某县教育局")


# -- the value in the next cell still works ----------------------------------------------------


@pytest.mark.parametrize("label", [
    pytest.param("项目名称", id="label"),
    pytest.param("项目名称：", id="label-full-width-colon"),
    pytest.param("项目名称:", id="label-ascii-colon"),
    pytest.param("项目名称 :", id="label-space-colon"),
])
def test_label_cell_then_value_cell(label):
    project, _ = read([[label, "乡村道路维护"], ["实施单位：", "某镇政府"]])
    assert (project.name, project.unit) == ("乡村道路维护", "某镇政府")
    assert project.origin.cells["name"] == "B1"


# -- prose with a colon is no label ------------------------------------------------------------


@pytest.mark.parametrize("text", [
    pytest.param("注：本表金额单位为万元", id="note"),
    pytest.param("注:实施单位另行确定", id="note-naming-a-label"),
    pytest.param("指标1：新建保鲜库数量", id="indicator-name"),
    pytest.param("目标1:聘用人员1人,出差8人", id="numbered-goal"),
    pytest.param("实施单位：由乡政府组织实施，确保按期完工。", id="sentence-starting-with-a-label"),
    pytest.param("项目名称：" + "新建" * 31, id="value-too-long-for-a-header-field"),
    pytest.param("报表编号:510000_0013zp", id="unknown-label"),
    pytest.param("其中：", id="part-of-a-funds-label"),
])
def test_text_with_a_colon_is_no_label(text):
    assert label_key(label_of(text)) is None


@pytest.mark.parametrize("goal", [
    pytest.param("主要内容：新建晾晒房一座,占地300平方米。", id="content-colon"),
    pytest.param("实施单位：由乡政府组织实施，确保按期完工。", id="starts-with-a-label"),
    pytest.param("项目名称:乡村道路维护,全长3公里", id="starts-with-name-label-ascii-comma"),
    pytest.param("实施单位：某镇政府负责组织实施", id="short-no-punctuation-right-of-the-goal-label"),
    pytest.param("项目起止时间：2024年1月-2024年12月", id="a-period-as-the-goal"),
])
def test_goal_containing_a_colon_stays_the_goal(goal):
    project, _ = read([["项目名称", "乡村道路维护"], ["实施单位", "某镇政府"], ["年度总体目标", goal]])
    assert (project.annual_goal, project.name, project.unit) == (goal, "乡村道路维护", "某镇政府")


def test_goal_below_its_label_keeps_its_colon_lines():
    goal = ["达成以下目标:", "目标1:聘用人员1人", "目标2:聘用人员在岗率100%"]
    project, _ = read([["项目名称", "乡村道路维护"], ["年度总体目标"], *[[line] for line in goal]])
    assert project.annual_goal == "\n".join(goal)


# -- the real form -----------------------------------------------------------------------------


def _chongqing_rows():
    spec = importlib.util.spec_from_file_location("build_pages", REAL / "build_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FORMS["chongqing-fengjie-yunwu-2023-jiagongyuan"]


def test_chongqing_budget_unit_line_is_read():
    """奉节县's 审批表 writes ``预算单位: 奉节县云雾土家族乡人民政府`` in one cell above the form. Without
    the form's own 实施单位 row it is the 实施单位 (预算单位 is its synonym)."""
    rows = [row for row in _chongqing_rows() if row[:1] != ["实施单位"]]
    (project,) = import_grid(rows, sheet="Sheet1").declaration.projects
    assert project.unit == "奉节县云雾土家族乡人民政府"
    assert project.origin.cells["unit"] == "A3"


def test_chongqing_own_unit_cell_wins_over_the_line_above():
    """With both, the form's own ``实施单位 | 云雾土家族乡`` is the 实施单位 (as the JSON of the form has it)."""
    (project,) = import_grid(_chongqing_rows(), sheet="Sheet1").declaration.projects
    assert (project.unit, project.department, project.money_unit) == ("云雾土家族乡", "县民宗委", "万元")


def test_chongqing_budget_unit_line_fills_a_blank_own_cell():
    """The form's own 实施单位 cell left blank: the 预算单位 line above gives the value (nothing written is lost)."""
    rows = [["实施单位", "", *row[2:]] if row[:1] == ["实施单位"] else row for row in _chongqing_rows()]
    (project,) = import_grid(rows, sheet="Sheet1").declaration.projects
    assert (project.unit, project.origin.cells["unit"]) == ("奉节县云雾土家族乡人民政府", "A3")


@pytest.mark.parametrize("first, second, unit", [
    pytest.param(["实施单位", "甲单位"], ["项目单位", "乙单位"], "甲单位", id="two-own-cells-first-wins"),
    pytest.param(["实施单位", ""], ["项目单位", "乙单位"], "", id="two-own-cells-first-wins-even-blank"),
    pytest.param(["预算单位：甲单位"], ["实施单位", "乙单位"], "乙单位", id="own-cell-below-wins"),
    pytest.param(["实施单位", "乙单位"], ["预算单位：甲单位"], "乙单位", id="own-cell-above-wins"),
    pytest.param(["预算单位：甲单位"], ["项目单位：乙单位"], "甲单位", id="two-inline-first-wins"),
])
def test_which_label_gives_the_unit(first, second, unit):
    project, _ = read([["项目名称", "乡村道路维护"], first, second])
    assert project.unit == unit


# -- labels of what the model has no field for -------------------------------------------------


@pytest.mark.parametrize("label", UNREAD_LABELS, ids=lambda v: v)
def test_a_label_the_model_has_no_field_for_is_never_a_value(label):
    """``实施单位 | (blank) | 项目负责人 | 徐德迁`` (奉节县's layout): the 实施单位 is blank, not "项目负责人"."""
    project, _ = read([["项目名称", "乡村道路维护"], ["实施单位", "", label, "徐德迁"]])
    assert project.unit == ""
