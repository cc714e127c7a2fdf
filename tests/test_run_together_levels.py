"""北京 2026 预算13表 部门整体支出绩效目标表 (tests/realforms/pdf/beijing-xinfang-*, page 5 of the cut):
one 绩效指标 cell runs 一级, 二级 and 三级 together (「产出指标质量指标来信扫描完成率」), the funds' headers
stand over their amounts, the 整体绩效目标 label is printed in two cells. Each pinned on a small grid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xltargets.importing import import_grid
from xltargets.importing.forms import split_levels

HEAD = ["", "", "活动", "", "绩效指标", "", "指标性质", "指标值", "", "度量单位"]


def _form(*rows):
    """The 北京 2026 department form as pdfplumber's grid gives it (columns as on page 17)."""
    return [
        ["", "预算13表 部门整体支出绩效目标表"],
        ["", "（2026年度）"],
        ["", "部门名称", "", "北京市信访办公室"],
        ["", "总体资金情况（万元）", "", "预算支出总额", "财政拨款", "", "", "其他资金"],
        ["", "", "", "", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"],
        ["", "", "", "9,626.777589", "9,626.777589", "7,485.224572", "2,141.553017"],
        ["", "整体绩效目标", "整体绩效目标", "坚持以人民为中心。"],
        ["", "", "其他说明"],
        HEAD,
        *rows,
    ]


def _row(activity, text, op, value, unit=""):
    return ["", "", activity, "", text, "", op, value, "", unit]


def _read(grid):
    result = import_grid(grid, sheet="第5页")
    (project,) = result.declaration.projects
    return project, result.findings


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        pytest.param("产出指标质量指标来信扫描完成率", ("产出指标", "质量指标", "来信扫描完成率"), id="output-quality"),
        pytest.param("产出指标时效指标故障应急响应时间", ("产出指标", "时效指标", "故障应急响应时间"), id="output-timeliness"),
        pytest.param("效益指标经济效益指标提高部门预算资金使用效率、效益", ("效益指标", "经济效益指标", "提高部门预算资金使用效率、效益"),
                     id="benefit-economic-punctuation-kept"),
        pytest.param("成本指标经济成本指标成本控制率", ("成本指标", "经济成本指标", "成本控制率"), id="cost-economic"),
        pytest.param("满意度指标服务对象满意度指标来访群众满意度", ("满意度指标", "服务对象满意度指标", "来访群众满意度"),
                     id="satisfaction"),
        pytest.param("产出指标质量指标 合格率 ", ("产出指标", "质量指标", " 合格率 "), id="spaces-kept-as-written"),
    ],
)
def test_cell_starting_with_a_一级_and_its_二级_is_split_as_written(text, levels):
    assert split_levels(text) == levels


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("产出指标完成率", id="only-a-一级-word"),
        pytest.param("质量指标来信扫描完成率", id="二级-without-一级"),
        pytest.param("产出指标经济效益指标提高效率", id="二级-not-under-that-一级"),
        pytest.param("产出指标质量指标", id="nothing-after-the-levels"),
        pytest.param("来信扫描完成率", id="plain-三级"),
        pytest.param("指标产出指标质量指标完成率", id="levels-not-at-the-start"),
    ],
)
def test_other_texts_are_not_cut(text):
    assert split_levels(text) is None


def test_run_together_cells_give_three_levels_with_a_warning_each():
    project, findings = _read(_form(
        _row("信访业务经费", "产出指标质量指标来信扫描完成率", "＝", "100", "%"),
        _row("信访业务经费", "效益指标社会效益指标保障接访工作的运转", "定性", "优"),
        _row("系统建设", "产出指标时效指标故障应急响应时间", "≤", "5", "分钟"),
    ))
    got = [[i.level1, i.level2, i.level3, i.value, dict(i.extra)] for i in project.indicators]
    assert got == [
        ["产出指标", "质量指标", "来信扫描完成率", "＝100(%)", {"活动": "信访业务经费"}],
        ["效益指标", "社会效益指标", "保障接访工作的运转", "优", {"活动": "信访业务经费", "指标性质": "定性"}],
        ["产出指标", "时效指标", "故障应急响应时间", "≤5(分钟)", {"活动": "系统建设"}],
    ]
    w116 = [f for f in findings if f.code == "XLT-W116"]
    assert len(w116) == 3
    assert "“产出指标质量指标来信扫描完成率”" in w116[0].message and "三级“来信扫描完成率”" in w116[0].message


def test_run_together_cell_without_its_levels_stays_whole():
    """A 三级 alone in the 绩效指标 column is kept whole (no 一级 to inherit: XLT-E101, never guessed)."""
    project, findings = _read(_form(_row("系统建设", "产出指标完成率", "≥", "99", "%")))
    assert [(i.level1, i.level2, i.level3) for i in project.indicators] == [("", "", "产出指标完成率")]
    assert not [f for f in findings if f.code == "XLT-W116"]
    assert [f.code for f in findings if f.code == "XLT-E101"] == ["XLT-E101"]


def test_ordinary_三级_beginning_with_level_names_is_not_cut():
    """Only the 绩效指标 column of a table without 一级/二级 columns runs levels together."""
    grid = [["项目名称", "甲"], ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "产出指标质量指标达标率", "≥90%"],
            ["", "", "产出指标质量指标合格率", "≥95%"]]  # 一级/二级 merged from above: the 三级 alone
    result = import_grid(grid, sheet="Sheet1")
    (project,) = result.declaration.projects
    assert [(i.level1, i.level2, i.level3) for i in project.indicators] == [
        ("产出指标", "数量指标", "产出指标质量指标达标率"), ("产出指标", "数量指标", "产出指标质量指标合格率")]
    assert not [f for f in result.findings if f.code == "XLT-W116"]


def test_funds_headed_over_their_amounts_and_the_goal_printed_twice_are_read():
    project, findings = _read(_form(_row("信访业务经费", "产出指标质量指标来信扫描完成率", "＝", "100", "%")))
    assert (project.kind, project.name, project.year, project.money_unit) == ("department", "北京市信访办公室", 2026, "万元")
    assert (project.funds.annual, project.funds.annual_fiscal, project.funds.annual_other) == (
        Decimal("9626.777589"), Decimal("9626.777589"), None)
    assert project.annual_goal == "坚持以人民为中心。"
    (unread,) = [f for f in findings if f.code == "XLT-W113"]
    assert "财政拨款基本支出“7,485.224572”" in unread.message and "财政拨款项目支出“2,141.553017”" in unread.message
