"""Faults that real 部门预算 PDFs showed (tests/realforms/pdf, SOURCES.md), one focused test each.

The whole PDFs are compared fact by fact in tests/test_realforms.py; here each fault is pinned
on the smallest grid or page list that shows it, so a regression names its cause.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xltargets.importing import import_grid
from xltargets.importing.pdf import grids_from_pages
from xltargets.pdfpages import PageTables, TableCells

HEAD = ["一级指标", "二级指标", "三级指标", "目标值"]
ROW = ["产出指标", "数量指标", "场次", "≥1场"]


def _projects(grid):
    result = import_grid(grid, sheet="Sheet1")
    return result.declaration.projects, result.findings


def _facts(project):
    return [[i.level1, i.level2, i.level3, i.value_raw] for i in project.indicators]


def _table(x0: float, x1: float, rows):
    return TableCells(bbox=(x0, 100.0, x1, 700.0), rows=[[(x0 + 10.0 * c, t) for c, t in enumerate(r) if t] for r in rows])


# -- 泉州 2026: the title above the ruling is the only place the project is named ------------------


def _quanzhou_page(number: int, name: str, amount: str) -> PageTables:
    rows = [["专项资金情况（万元）", "资金总额：", amount], ["", "财政拨款：", amount], ["", "其他资金：", "0.00"],
            ["项目实施期目标", "目标文字"], ["绩效目标指标", *HEAD], ["", *ROW]]
    return PageTables(number, 842.0, [_table(84, 530, rows)], [[f"{name}项目绩效目标表"]], 10)


def test_pdf_table_under_a_form_title_starts_a_form_even_at_the_same_edges():
    """泉州 2026: each page holds one form at the same edges as the page before, with its title
    above the ruling and no 项目名称 row: every page is a form of its own, never a continuation."""
    pages = [_quanzhou_page(1, "甲", "1.00"), _quanzhou_page(2, "乙", "2.00")]
    grids = grids_from_pages(pages, file="x.pdf")
    assert [g.sheet for g in grids] == ["第1页", "第2页"]
    assert [[t for t in g.rows[0] if t] for g in grids] == [["甲项目绩效目标表"], ["乙项目绩效目标表"]]


@pytest.mark.parametrize(
    "title,name",
    [
        ("市级机关保留公务用车委托管理费项目绩效目标表", "市级机关保留公务用车委托管理费"),
        ("96196 电梯应急处置服务平台项目绩效目标表", "96196电梯应急处置服务平台"),  # the PDF's gap, no space in the text
        ("“泉州政务”新媒体号运营资金项目绩效目标表", "“泉州政务”新媒体号运营资金"),
    ],
    ids=["plain", "digits-then-CJK", "quoted"],
)
def test_form_named_only_by_its_title_is_read_with_that_name(title, name):
    grid = [[title], ["专项资金情况（万元）", "资金总额：", "57.00"], ["", "财政拨款：", "57.00"], ["", "其他资金：", "0.00"],
            ["项目实施期目标", "目标文字"], ["绩效目标指标", *HEAD], ["", *ROW]]
    (project,), _ = _projects(grid)
    assert project.name == name
    assert project.money_unit == "万元"
    assert (project.funds.annual, project.funds.annual_fiscal, project.funds.annual_other) == (
        Decimal("57.00"), Decimal("57.00"), Decimal("0.00"))
    assert project.total_goal == "目标文字"  # 项目实施期目标: the goal of the whole period
    assert _facts(project) == [ROW]


def test_title_over_a_form_with_its_own_name_row_names_nothing():
    """福州 2026 prints the title and a 项目名称 row: one form, named by its row."""
    grid = [["办公楼物业项目绩效目标表"], ["项目名称", "办公楼物业"], HEAD, ROW]
    (project,), _ = _projects(grid)
    assert project.name == "办公楼物业"


@pytest.mark.parametrize("title", ["项目绩效目标表", "2026年度项目绩效目标表", "1.项目绩效目标表", "部门项目绩效目标表"],
                         ids=["bare", "year", "numbered", "department"])
def test_title_naming_no_project_starts_no_form(title):
    from xltargets.errors import InputError

    with pytest.raises(InputError, match="没有找到申报表"):
        _projects([[title], ["其他资金：", "0.00"], HEAD, ROW])


def test_stacked_forms_named_by_their_titles_are_read_one_by_one():
    form = lambda name: [[f"{name}项目绩效目标表"], ["项目实施期目标", f"{name}的目标"], HEAD, ROW]  # noqa: E731
    projects, _ = _projects([*form("甲"), *form("乙"), *form("丙")])
    assert [(p.name, p.total_goal, len(p.indicators)) for p in projects] == [
        ("甲", "甲的目标", 1), ("乙", "乙的目标", 1), ("丙", "丙的目标", 1)]


# -- 泉州 2026 部门整体支出绩效目标表 ------------------------------------------------------------------


DEPARTMENT = [
    ["部门整体支出绩效目标表"],
    ["（2026年度）"],
    ["部门名称", "泉州市人民政府办公室", "部门预算编码", "103"],
    ["年度预算安排（万元）", "资金总额", "8200.95"],
    ["", "其他资金", "0.00"],
    ["总体目标", "保障政府高效运行，提高行政效率。"],
    ["绩效目标指标", *HEAD],
    ["", "一般性支出情况", "一般性支出情况", "“三公”经费控制率", "≤100%"],
    ["", "", "", "会议费、差旅费超标准使用次数", "≤0次"],
    ["", "成本指标", "经济成本指标", "预算执行率", "≥85%"],
]


def test_department_form_goal_beside_a_plain_总体目标_label_is_read():
    (project,), _ = _projects(DEPARTMENT)
    assert project.kind == "department"
    assert project.annual_goal == "保障政府高效运行，提高行政效率。"
    assert (project.year, project.money_unit, project.funds.annual) == (2026, "万元", Decimal("8200.95"))


def test_unknown_level_names_in_the_level_columns_stay_levels_never_glued_on_the_三级():
    """一般性支出情况 | 一般性支出情况 (泉州 2026) is outside the framework: kept as written in the
    一级 and 二级 (the check says so), inherited by the merged rows below."""
    (project,), _ = _projects(DEPARTMENT)
    assert _facts(project) == [
        ["一般性支出情况", "一般性支出情况", "“三公”经费控制率", "≤100%"],
        ["一般性支出情况", "一般性支出情况", "会议费、差旅费超标准使用次数", "≤0次"],
        ["成本指标", "经济成本指标", "预算执行率", "≥85%"],
    ]


def test_unknown_二级_under_a_known_一级_stays_the_二级():
    (project,), _ = _projects([["项目名称", "甲"], HEAD, ["产出指标", "自定义指标类", "场次", "≥1场"]])
    assert _facts(project) == [["产出指标", "自定义指标类", "场次", "≥1场"]]


# -- 烟台 2026: 年度预算资金总额：, 总体目标 | text, 经济成本 as the 二级, 绩效指标 on every row -----------------


def test_yantai_form_reads_its_annual_amount_goal_and_short_二级():
    grid = [
        ["政策和项目预算绩效目标表"], ["(2026年度)"],
        ["项目名称", "审计业务经费"],
        ["主管部门及代码", "231_烟台市审计局", "实施单位", "烟台市审计局"],
        ["项目资金（万元）", "年度预算资金总额：", "31.00"],
        ["", "其中：财政拨款", "0.00"],
        ["", "其他资金", "31.00"],
        ["总体目标", "完成指定审计项目"],
        ["", "一级指标", "二级指标", "三级指标", "指标值"],
        ["绩效指标", "成本指标", "经济成本", "项目总成本", "≤31万元"],
        ["", "", "", "审计项目人员成本标准", "≤560元/人/天"],
        ["绩效指标", "产出指标", "数量指标", "审计单位个数", "≥1个"],
    ]
    (project,), _ = _projects(grid)
    assert (project.funds.annual, project.funds.annual_fiscal, project.funds.annual_other) == (
        Decimal("31.00"), Decimal("0.00"), Decimal("31.00"))
    assert (project.annual_goal, project.money_unit, project.year) == ("完成指定审计项目", "万元", 2026)
    assert _facts(project) == [
        ["成本指标", "经济成本", "项目总成本", "≤31万元"],
        ["成本指标", "经济成本", "审计项目人员成本标准", "≤560元/人/天"],
        ["产出指标", "数量指标", "审计单位个数", "≥1个"],
    ]


# -- 福州市医疗保障局 2026: a name cut by the page break; three forms of the same name ------------------


def _page(number: int, rows, x0: float = 74.0, x1: float = 521.0) -> PageTables:
    return PageTables(number, 842.0, [TableCells(bbox=(x0, 100.0, x1, 700.0), rows=rows)], [[]], 10)


def test_header_cell_cut_by_the_page_break_is_joined():
    first = _page(1, [[(74.0, "2026年医疗服务与保障能力提升补助资金项目绩效目标表")],
                      [(74.0, "项目名称"), (165.0, "2026年医疗服务与保障能力提升补助资")]])
    second = _page(2, [[(74.0, ""), (165.0, "金")],
                       [(74.0, "主管部门"), (165.0, "福州市医疗保障局")],
                       [(74.0, "绩效目标指标"), (165.0, "一级指标"), (216.0, "二级指标"), (299.0, "三级指标"), (446.0, "指标值")],
                       [(165.0, "产出指标"), (216.0, "数量指标"), (299.0, "场次"), (446.0, "≥1场")]])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    assert [[t for t in row if t] for row in grid.rows[1:3]] == [
        ["项目名称", "2026年医疗服务与保障能力提升补助资金"], ["主管部门", "福州市医疗保障局"]]


def test_row_with_blank_merged_cells_below_the_indicator_header_stays_a_row():
    head = [(74.0, "一级指标"), (165.0, "二级指标"), (299.0, "三级指标"), (446.0, "指标值")]
    first = _page(1, [[(74.0, "项目名称"), (165.0, "甲")], head,
                      [(74.0, "产出指标"), (165.0, "数量指标"), (299.0, "场次"), (446.0, "≥1场")]])
    second = _page(2, [[(74.0, ""), (165.0, ""), (299.0, "人次"), (446.0, "≥2人次")]])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    assert [[t for t in row if t] for row in grid.rows[-2:]] == [["产出指标", "数量指标", "场次", "≥1场"], ["人次", "≥2人次"]]


def test_next_page_with_its_own_title_and_the_same_project_name_is_a_new_form():
    def page(number, amount):
        return _page(number, [[(74.0, "综合工作经费项目绩效目标表")], [(74.0, "项目名称"), (163.0, "综合工作经费")],
                              [(74.0, "资金总额"), (163.0, amount)],
                              [(74.0, "一级指标"), (163.0, "二级指标"), (295.0, "三级指标"), (392.0, "指标值")],
                              [(74.0, "产出指标"), (163.0, "数量指标"), (295.0, "场次"), (392.0, "≥1场")]])

    grids = grids_from_pages([page(1, "1160.00"), page(2, "66.50"), page(3, "38.00")], file="x.pdf")
    assert [g.sheet for g in grids] == ["第1页", "第2页", "第3页"]


def test_space_in_the_gap_between_digits_and_cjk_is_not_read():
    """福州市医疗保障局 2026, form 1: its 20 pt name cell leaves a 5 pt gap after 「2026」 (no space
    character in the PDF); pdfplumber alone reads 「2026 年…」."""
    from pathlib import Path

    from xltargets.importing import read_sources

    path = Path(__file__).parent / "realforms" / "pdf" / "fuzhou-yibaoju-2026-budget.pdf"
    first = read_sources([path]).declaration.projects[0]
    assert first.name == "2026年医疗服务与保障能力提升补助资金"


def test_list_table_with_its_title_printed_on_every_page_stays_one_table():
    """长沙 2026: 「2026年项目支出绩效目标表」 above every page of one list table, at the same edges:
    the pages continue one another (泉州's different titles start forms)."""
    head = [["单位（项目）名称", "资金总额", "一级指标", "二级指标", "三级指标", "指标值"]]
    pages = [PageTables(n, 842.0, [_table(28, 1250, [*head, ["甲", "1.00", *ROW]])], [["2026年项目支出绩效目标表"]], 10)
             for n in (1, 2, 3)]
    (grid,) = grids_from_pages(pages, file="x.pdf")
    assert sum(1 for row in grid.rows if "甲" in row) == 3


# -- 长沙 2026: a list table with a two-row header, the unit's row, cells printed again ---------------

LIST_HEAD = [
    ["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标"],
    ["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评（扣）分标准", "度量单位", "指标值类型", "备注"],
]
UNIT_ROWS = [["合计", "", "270.00"], ["201056", "某办公室", "270.00"]]
PROJECT = ["201056", "经常性运转经费（水电气）", "270.00", "保障基地正常运转"]
WATER = ["成本指标", "经济成本指标", "水费", "120", "水费财政拨款总费用", "偏离不得分", "万元", "＝", "7"]
PAY = ["产出指标", "时效指标", "及时支付", "90", "及时支付率", "偏离不得分", "%", "≥", "5"]


def test_list_table_under_a_two_row_header_is_read():
    grid = [["2026年项目支出绩效目标表"], ["单位：万元"], *LIST_HEAD, *UNIT_ROWS, [*PROJECT, *WATER],
            ["", "", "", "", "", "社会成本指标"], ["", "", "", "", "产出指标", "时效指标", *PAY[2:]]]
    (project,), _ = _projects(grid)
    assert (project.name, project.unit, project.annual_goal, project.funds.annual, project.money_unit, project.year) == (
        "经常性运转经费（水电气）", "某办公室", "保障基地正常运转", Decimal("270.00"), "万元", 2026)
    assert [[i.level1, i.level2, i.level3, i.value_raw, dict(i.extra)] for i in project.indicators] == [
        ["成本指标", "经济成本指标", "水费", "＝120(万元)", {"指标值内容": "水费财政拨款总费用", "评价标准": "偏离不得分", "备注": "7"}],
        ["产出指标", "时效指标", "及时支付", "≥90(%)", {"指标值内容": "及时支付率", "评价标准": "偏离不得分", "备注": "5"}],
    ]


def test_list_project_cells_printed_again_on_the_next_page_are_the_same_project():
    grid = [*LIST_HEAD, *UNIT_ROWS, [*PROJECT, *WATER], [*PROJECT, *PAY]]
    (project,), _ = _projects(grid)
    assert [i.level3 for i in project.indicators] == ["水费", "及时支付"]


def test_form_name_over_its_indicator_header_is_no_list():
    """A form's 项目名称 | 甲 right above its indicator header: one form, not a list table."""
    (project,), _ = _projects([["单位（项目）名称", "甲"], HEAD, ROW])
    assert (project.name, _facts(project)) == ("甲", [ROW])


def test_pdf_unit_of_amounts_above_the_table_is_kept():
    page = PageTables(1, 842.0, [_table(28, 1250, [["项目名称", "甲"], HEAD, ROW])],
                      [["2026年项目支出绩效目标表", "单位名称：某办公室 单位：万元"]], 10)
    (grid,) = grids_from_pages([page], file="x.pdf")
    assert [[t for t in row if t] for row in grid.rows[:2]] == [["2026年项目支出绩效目标表"], ["单位：万元"]]


def test_list_project_printed_again_without_its_unit_code_is_the_same_project():
    """长沙市信访局 2026: on the next page the project's cells are printed again, its 单位编码 (a merged
    cell of its own) on another row."""
    grid = [*LIST_HEAD, *UNIT_ROWS, [*PROJECT, *WATER], ["", *PROJECT[1:], *PAY]]
    (project,), _ = _projects(grid)
    assert [i.level3 for i in project.indicators] == ["水费", "及时支付"]


def test_department_list_under_a_three_row_header_is_a_department_form():
    """长沙 2026 部门整体支出绩效目标表: 单位名称 and 年度预算申请 (资金总额, by income, by expense) left of
    the indicator columns, a header over three rows; the amounts by income and expense have no field
    and are never read as an indicator's cells."""
    grid = [
        ["2026年部门整体支出绩效目标表"], ["单位：万元"],
        ["单位编码", "单位名称", "年度预算申请", "", "", "", "整体绩效目标", "部门整体支出年度绩效目标"],
        ["", "", "资金总额", "按收入性质分", "按支出性质分"],
        ["", "", "", "一般公共预算", "基本支出", "项目支出", "", "一级指标", "二级指标", "三级指标", "指标值类型", "指标值", "计量单位", "备注"],
        ["201056", "某办公室", "656.73", "656.73", "386.73", "270.00", "规范细化后勤管理。",
         "成本指标", "经济成本指标", "项目支出", "≤", "270", "万元", "10"],
        ["", "", "", "", "", "", "", "", "社会成本指标"],
        ["201056", "某办公室", "656.73", "656.73", "386.73", "270.00", "规范细化后勤管理。",
         "产出指标", "数量指标", "场馆使用次数", "≥", "160", "次", "7"],
    ]
    (project,), findings = _projects(grid)
    assert (project.kind, project.name, project.annual_goal, project.funds.annual, project.money_unit) == (
        "department", "某办公室", "规范细化后勤管理。", Decimal("656.73"), "万元")
    assert [[i.level1, i.level2, i.level3, i.value_raw, dict(i.extra)] for i in project.indicators] == [
        ["成本指标", "经济成本指标", "项目支出", "≤270(万元)", {"备注": "10"}],
        ["产出指标", "数量指标", "场馆使用次数", "≥160(次)", {"备注": "7"}],
    ]
    assert not [f for f in findings if f.code == "XLT-W101"]


# -- 长沙市信访局 2026: blanks printed in a cell are kept as printed ----------------------------------


def test_blanks_printed_in_a_cell_are_kept_as_printed():
    """长沙市信访局 2026 (tests/realforms/pdf): 「办结率=  按期」 prints two blanks, 「群众人数 ×100%」 one
    where the line wraps; both were lost (one blank kept, none at the wrap)."""
    from pathlib import Path

    from xltargets.importing.pdf import pdf_grids

    pdf = Path(__file__).parent / "realforms" / "pdf" / "changsha-xinfangju-2026-budget.pdf"
    texts = {str(v) for g in pdf_grids(pdf) for row in g.rows for v in row if v is not None}
    assert "\"信访事项按期办结率=  按期办结的信访件数量/到期应办结信访件总数量×100%\"" in texts
    assert "采纳咨询意见并成功化解信访诉求的群众人数 ÷ 接受咨询且有信访诉求的群众人数 ×100%" in texts
    assert "具备执业资格证书（律师执业证、心理咨询师职业资格证）的人员数量 ÷ 聘请总人数 ×100%" in texts


# -- 长春市信访局 2026: the list's amount column header is the only place the unit is written ---------

_CHANGCHUN = [
    ["长春市信访局2026年项目支出绩效目标表预算表（预算表11）"],
    ["单位名称", "项目名称", "年度资金总额(万元)", "年度绩效目标", "一级指标", "二级指标", "三级指标", "指标解释", "指标值", "权重"],
    ["105001长春市信访局", "2026年驻京经费", "312.00", "支付驻京房租费。", "产出指标", "数量指标", "驻京工作人员人数",
     "驻京工作人员人数", "<=18人", "40"],
    ["", "", "", "", "成本指标", "经济成本指标", "办公用房租赁成本", "办公用房租赁成本", "<=250万元", "20"],
]


@pytest.mark.parametrize("header", ["年度资金总额(万元)", "年度资金总额（万元）", "预算数(万元)"],
                         ids=["ascii-brackets", "full-width-brackets", "yusuanshu"])
def test_list_amount_header_with_its_unit_gives_the_amount_and_the_unit(header):
    """长春 2026 (tests/realforms/pdf/changchun-*): 年度资金总额(万元) heads the project's amount; it was
    not read (a header with a unit after it was no list column) and the amounts were taken for 元."""
    grid = [list(row) for row in _CHANGCHUN]
    grid[1][2] = header
    (project,), _ = _projects(grid)
    assert (project.name, project.unit, project.funds.annual, project.money_unit) == (
        "2026年驻京经费", "105001长春市信访局", Decimal("312.00"), "万元")
    assert [[*f, dict(i.extra)] for f, i in zip(_facts(project), project.indicators)] == [
        ["产出指标", "数量指标", "驻京工作人员人数", "<=18人", {"指标解释": "驻京工作人员人数", "权重": "40"}],
        ["成本指标", "经济成本指标", "办公用房租赁成本", "<=250万元", {"指标解释": "办公用房租赁成本", "权重": "20"}],
    ]


def test_list_amount_header_in_yuan_keeps_yuan():
    grid = [list(row) for row in _CHANGCHUN]
    grid[1][2] = "年度资金总额(元)"
    (project,), _ = _projects(grid)
    assert (project.funds.annual, project.money_unit) == (Decimal("312.00"), "元")


@pytest.mark.parametrize("title,year", [
    ("长春市信访局2026年项目支出绩效目标表预算表（预算表11）", 2026),
    ("长春市信访局2026年项目支出绩效目标表预算表", 2026),
    ("2025年度项目支出绩效目标表", 2025),
], ids=["changchun", "without-tail", "plain"])
def test_list_title_gives_the_year(title, year):
    """长春 2026 titles its list 「…项目支出绩效目标表预算表（预算表11）」: the year was not read."""
    grid = [list(row) for row in _CHANGCHUN]
    grid[0] = [title]
    (project,), _ = _projects(grid)
    assert project.year == year


# -- 广州 2026: a list whose 绩效指标 column writes a project's indicators as one text -------------------

from xltargets.importing.indicatortext import TextIndicator, split_indicator_text  # noqa: E402

_GZ_TEXT = ("1.1－产出指标，11－数量指标，项目专职环保员数量；实施周期指标值：≦核定人数，年度指标值：≦核定人数；"
            "2、1－产出指标，12－质量指标，专职环保员队伍管理规范化；实施周期指标值：考察是否符合规范，合规得满分，"
            "不合规不得分。年度指标值：是；1、1－产出指标，13－时效指标，项目资金支付及时率；实施周期指标值：100%，"
            "年度指标值：100%;2、2－效益指标，22－社会效益，环保信访投诉办结率；实施周期指标值：≥90%，年度指标值：≥90%;")


@pytest.mark.parametrize("text,expected", [
    (_GZ_TEXT, [
        TextIndicator("产出指标", "数量指标", "项目专职环保员数量", "≦核定人数", "≦核定人数"),
        TextIndicator("产出指标", "质量指标", "专职环保员队伍管理规范化", "是", "考察是否符合规范，合规得满分，不合规不得分。"),
        TextIndicator("产出指标", "时效指标", "项目资金支付及时率", "100%", "100%"),
        TextIndicator("效益指标", "社会效益", "环保信访投诉办结率", "≥90%", "≥90%"),
    ]),
    # 广州市交通运输局 2026: ASCII dash and colon, ； between the parts, a value ending in 。 kept
    ("1、1-产出指标；11-数量指标；道路养护长度；实施周期指标值:47.1公里；年度指标值:47.1公里。"
     "2、1-产出指标；13-时效指标；应急抢险及时率；实施周期指标值:应急抢险及时率为100%。；年度指标值:应急抢险及时率为100%。",
     [TextIndicator("产出指标", "数量指标", "道路养护长度", "47.1公里。", "47.1公里"),
      TextIndicator("产出指标", "时效指标", "应急抢险及时率", "应急抢险及时率为100%。", "应急抢险及时率为100%。")]),
    ("1、4－成本指标，41－经济成本指标，印刷费；年度指标值：≤3万元", [
        TextIndicator("成本指标", "经济成本指标", "印刷费", "≤3万元", None)]),  # no 实施周期指标值
    # 广州市生态环境局 2026 (大气污染防治专项经费): a 年度指标值 left empty, the next item right after its colon
    ("6、1－产出指标，12－质量指标，总结报告通过专家评审；实施周期指标值：通过验收，年度指标值："
     "7、2－效益指标，23－生态效益，PM2.5年均浓度；实施周期指标值：≤30微克/立方米，年度指标值：≤30微克/立方米", [
        TextIndicator("产出指标", "质量指标", "总结报告通过专家评审", "", "通过验收"),
        TextIndicator("效益指标", "生态效益", "PM2.5年均浓度", "≤30微克/立方米", "≤30微克/立方米")]),
    ("说明：1、1－产出指标，11－数量指标，场次；年度指标值：≥1场", None),  # text before the first item
    ("1、1－产出指标，11－数量指标，场次；目标：≥1场", None),  # no 年度指标值
    ("按时完成", None),
], ids=["guangzhou-ecology", "guangzhou-transport", "annual-only", "empty-annual-value", "text-before", "no-annual-value", "prose"])
def test_indicator_text_is_split_into_its_items_as_written(text, expected):
    assert split_indicator_text(text) == expected


_GZ_GRID = [
    ["广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）"],
    ["单位：万元"],  # the PDF's line above the table, 「部门名称：广州市生态环境局 … 单位：万元」, as the importer keeps it
    ["项目名称（资金使用单位）", "总计：", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"],
    ["合计：", "37,367.86", "35,790.09", "", "1,577.77"],
    ["广州市生态环境局", "12,887.86", "12,887.86"],
    ["广州市镇（街）园区环保监督检查员经费（越秀区）", "238.00", "238.00", "", "", "强化落实镇（街）环境保护属地责任。", _GZ_TEXT],
    ["某监测项目", "30.00", "20.00", "5.00", "5.00", "完成监测。", "1、1－产出指标，11－数量指标，监测点位；年度指标值：其他"],
]


def test_list_with_indicators_as_one_text_reads_each_indicator():
    """广州 2026 (tests/realforms/pdf/guangzhou-*): 项目名称（资金使用单位） | 总计： | 财政拨款 | 财政专户拨款 |
    其他资金 | 绩效目标 | 绩效指标, the indicators of a project as one text; the 合计 and the unit's rows
    name no project; the 财政专户拨款 has no field and is reported (XLT-W113), never dropped silently."""
    (first, second), findings = _projects(_GZ_GRID)
    assert (first.name, first.unit, first.year, first.money_unit, first.annual_goal) == (
        "广州市镇（街）园区环保监督检查员经费（越秀区）", "广州市生态环境局", 2026, "万元", "强化落实镇（街）环境保护属地责任。")
    assert (first.funds.annual, first.funds.annual_fiscal, first.funds.annual_other) == (Decimal("238.00"), Decimal("238.00"), None)
    assert [[*f, dict(i.extra)] for f, i in zip(_facts(first), first.indicators)] == [
        ["产出指标", "数量指标", "项目专职环保员数量", "≦核定人数", {"实施周期指标值": "≦核定人数"}],
        ["产出指标", "质量指标", "专职环保员队伍管理规范化", "是", {"实施周期指标值": "考察是否符合规范，合规得满分，不合规不得分。"}],
        ["产出指标", "时效指标", "项目资金支付及时率", "100%", {"实施周期指标值": "100%"}],
        ["效益指标", "社会效益指标", "环保信访投诉办结率", "≥90%", {"实施周期指标值": "≥90%"}],  # 22－社会效益
    ]
    assert {i.origin.cells["value"] for i in first.indicators} == {"G6"}
    assert (second.funds.annual, second.funds.annual_fiscal, second.funds.annual_other) == (
        Decimal("30.00"), Decimal("20.00"), Decimal("5.00"))
    assert _facts(second) == [["产出指标", "数量指标", "监测点位", "其他"]]
    (w113,) = [f for f in findings if f.code == "XLT-W113"]
    assert "财政专户拨款“5.00”（D7）" in w113.message


def test_indicator_text_that_cannot_be_split_is_reported_not_guessed():
    grid = [list(r) for r in _GZ_GRID[:5]] + [["某项目", "1.00", "1.00", "", "", "目标。", "完成全部工作，群众满意"]]
    (project,), findings = _projects(grid)
    assert project.indicators == []
    (w114,) = [f for f in findings if f.code == "XLT-W114"]
    assert "“完成全部工作，群众满意”无法拆分为指标" in w114.message and w114.cell == "G6"


def _gz_page(number: int, rows) -> PageTables:
    xs = (54.0, 167.3, 210.6, 270.4, 330.1, 389.9, 574.9)
    table = TableCells(bbox=(54.0, 74.2, 781.1, 540.0), rows=[list(zip(xs, r)) for r in rows])
    return PageTables(number, 595.3, [table], [["广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）", "部门名称：广州市生态环境局 单位：万元"]], 10)


def test_page_starting_with_a_whole_project_row_continues_no_row():
    """广州 2026, pages 34–35: page 34 ends with 典型园区VOCs…示范 (8.16 | 0.00 | | 8.16), page 35 starts
    with 生物多样性调查与评估专项 (66.20 | 66.20 | | ): the blank 其他资金 under the 8.16 made the row read
    as the rest of the row above, cut by the page break; both projects were joined into one
    (「…示范生物多样性调查与评估专项」, 总计 「8.1666.20」). A row holding a whole 绩效指标 text is a row."""
    head = ["项目名称（资金使用单位）", "总计：", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
    text = "1、1－产出指标，11－数量指标，{}；实施周期指标值：1个，年度指标值：1个；"
    first = _gz_page(1, [head, ["典型园区VOCs排放监测系统集成及应用示范", "8.16", "0.00", "", "8.16", "构建多源数据归一化体系。", text.format("示范园区")]])
    second = _gz_page(2, [head, ["生物多样性调查与评估专项", "66.20", "66.20", "", "", "开展调查。", text.format("调查报告")]])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    projects, _ = _projects(grid.rows)
    assert [(p.name, str(p.funds.annual), p.indicators[0].level3) for p in projects] == [
        ("典型园区VOCs排放监测系统集成及应用示范", "8.16", "示范园区"), ("生物多样性调查与评估专项", "66.20", "调查报告")]


def test_blank_printed_on_a_ruling_belongs_to_no_cell():
    """广州 2026 (tests/realforms/pdf/guangzhou-*): WPS prints 「33.00 」 with a trailing blank that sits on
    the ruling of the next cell; it came out at the start of a line of the 绩效目标 cell beside it
    (「…和环保 电视内参片」, no blank in the PDF there)."""
    from pathlib import Path

    from xltargets.importing.pdf import pdf_grids

    pdf = Path(__file__).parent / "realforms" / "pdf" / "guangzhou-shengtai-2026-budget.pdf"
    texts = [str(v) for g in pdf_grids(pdf) for row in g.rows for v in row if v]
    goal = next(t for t in texts if t.startswith("通过报纸"))
    assert "制作环保电视专题片和环保电视内参片，收集" in goal
    assert [t for t in texts if t[:1].isspace() or t[-1:].isspace()] == []


def test_unit_row_starting_a_page_after_a_project_row_is_a_row():
    """广州 2026, pages 47/… : page 46 ends with the project 宣教中心购置经费, the next page starts with
    the unit's row 广州市生态环境局越秀分局 | 392.68 | 392.68 (no goal, no 绩效指标): it was joined to the
    project (「宣教中心购置经费广州市生态环境局越秀分局」, 「18.00392.68」)."""
    head = ["项目名称（资金使用单位）", "总计：", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
    text = "1、1－产出指标，11－数量指标，{}；实施周期指标值：1台，年度指标值：1台；"
    first = _gz_page(1, [head, ["宣教中心购置经费", "18.00", "18.00", "", "", "购置设备。", text.format("购置设备数量")]])
    second = _gz_page(2, [head, ["广州市生态环境局越秀分局", "392.68", "392.68", "", "", "", ""],
                          ["机构运行辅助经费", "70.00", "70.00", "", "", "保障运转。", text.format("聘用人数")]])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    projects, _ = _projects(grid.rows)
    assert [(p.name, p.unit, str(p.funds.annual)) for p in projects] == [
        ("宣教中心购置经费", "", "18.00"), ("机构运行辅助经费", "广州市生态环境局越秀分局", "70.00")]


def test_text_list_survives_the_declarations_workbook(tmp_path):
    """广州 2026 (tests/realforms/pdf/guangzhou-*) imported into the declarations workbook and read back:
    the same indicators. With the text's 二级 kept as 「生态效益」 (no framework name) the workbook gave
    it back glued onto the 三级 (「生态效益政务微信推文最高阅读量」)."""
    import subprocess
    import sys
    from pathlib import Path

    from xltargets.pipeline import read_sources

    pdf = Path(__file__).parent / "realforms" / "pdf" / "guangzhou-shengtai-2026-budget.pdf"
    book = tmp_path / "gz.xlsm"
    subprocess.run([sys.executable, "-m", "xltargets", "import", str(pdf), "-o", str(book)], check=True, capture_output=True)
    rows = lambda path: [(p.name, [(i.level1, i.level2, i.level3, i.value) for i in p.indicators])  # noqa: E731
                         for p in read_sources([path]).declaration.projects]
    assert rows(book) == rows(pdf)


# -- 湖州 2026: a table of projects and their goals, no indicators: refused, saying so -----------------


def test_goals_without_indicators_are_refused_naming_the_table():
    """湖州市卫生健康委员会 2026 (tests/realforms/pdf/huzhou-*, page 47 of 52): 表11 「2026年市级部门项目支出
    绩效表」 lists 单位名称 | 项目名称 | 金额 | 项目总体绩效目标 and no indicator. The refusal said no table
    held 项目名称; it now names the table, what it has and what a form needs."""
    from pathlib import Path

    from xltargets.errors import InputError
    from xltargets.importing.pdf import pdf_grids

    pdf = Path(__file__).parent / "realforms" / "pdf" / "huzhou-weijian-2026-budget.pdf"
    with pytest.raises(InputError) as info:
        pdf_grids(pdf)
    message = info.value.one_line()
    assert "的 1 页中没有找到绩效目标表：第 1 页的“2026年市级部门项目支出绩效表”列出了项目名称和“项目总体绩效目标”" in message
    assert "但没有绩效指标（一级指标、二级指标、三级指标和指标值各一栏" in message
    assert "没有含“项目名称”" not in message


def test_a_budget_table_without_goals_keeps_the_plain_refusal():
    from pathlib import Path

    from xltargets.importing.pdf import refuse_no_form

    page = _page(1, [[(74.0, "单位名称"), (165.0, "项目名称"), (299.0, "总计")], [(74.0, "某单位"), (165.0, "甲"), (299.0, "1.00")]])
    message = refuse_no_form(Path("x.pdf"), [page]).one_line()
    assert "的 1 页中没有找到绩效目标表（没有含“项目名称”或“三级指标”的表格）" in message


# -- 广州市交通运输局 2026: a goal list, 项目 | 预算数 | 绩效目标, one goal cell writing indicators --------------

_GOAL_HEAD = ["项目", "预算数（单位：万元）", "绩效目标"]
_GOAL_ITEMS = ("1、1-产出指标；11-数量指标；道路养护长度；实施周期指标值:47.1公里；年度指标值:47.1公里。"
               "2、4-成本指标；41-经济成本指标；道路日常养护综合年费用；实施周期指标值:不高于175万元/公里；年度指标值:不高于175万元/公里。")


def test_goal_list_reads_indicators_written_in_a_goal_cell_and_keeps_prose_goals():
    """广州市交通运输局 2026 (tests/realforms/pdf/guangzhou-jiaotong-*): 「重点项目预算绩效目标情况」 lists
    项目 | 预算数（单位：万元） | 绩效目标; one project writes its indicators as numbered items in its 绩效目标
    cell, the others a goal in prose. The file was refused (「没有含“项目名称”或“三级指标”的表格」)."""
    grid = [["2026年，本部门重点项目绩效目标情况如下："], _GOAL_HEAD,
            ["公共交通财政补贴", "300,000", "通过开展公共交通财政补贴，主要达到如下目标：保持行业平稳运行。"],
            ["城维计划-广园快速路日常养护及道路检测项目", "6,833.64", _GOAL_ITEMS]]
    (prose, items), findings = _projects(grid)
    assert [(p.name, str(p.funds.annual), p.money_unit, p.year) for p in (prose, items)] == [
        ("公共交通财政补贴", "300000.00", "万元", 2026), ("城维计划-广园快速路日常养护及道路检测项目", "6833.64", "万元", 2026)]
    assert (prose.annual_goal, prose.indicators) == ("通过开展公共交通财政补贴，主要达到如下目标：保持行业平稳运行。", [])
    assert items.annual_goal == ""
    assert [[*f, dict(i.extra)] for f, i in zip(_facts(items), items.indicators)] == [
        ["产出指标", "数量指标", "道路养护长度", "47.1公里。", {"实施周期指标值": "47.1公里"}],
        ["成本指标", "经济成本指标", "道路日常养护综合年费用", "不高于175万元/公里。", {"实施周期指标值": "不高于175万元/公里"}]]
    (w115,) = [f for f in findings if f.code == "XLT-W115"]
    assert (w115.project, w115.cell) == ("公共交通财政补贴", "C3")
    assert "是一段文字，没有逐条写出的绩效指标" in w115.message


def test_goal_list_cell_that_looks_like_items_but_cannot_be_split_keeps_its_text_as_the_goal():
    text = "按计划实施；1、1-产出指标；11-数量指标；道路养护长度；年度指标值:47.1公里。"  # text before the first item
    grid = [_GOAL_HEAD, ["甲项目", "10", text]]
    (project,), findings = _projects(grid)
    assert project.indicators == [] and project.annual_goal == text
    assert [f.code for f in findings if f.code in ("XLT-W114", "XLT-W115")] == ["XLT-W114"]


def _goal_page(number: int, rows, titles=()) -> PageTables:
    xs = (86.4, 215.0, 322.0)
    table = TableCells(bbox=(86.4, 36.4, 515.1, 760.0), rows=[list(zip(xs, r)) for r in rows])
    return PageTables(number, 842.0, [table], [list(titles)], 10)


def test_goal_list_over_pages_is_one_table_its_header_printed_again():
    first = _goal_page(1, [_GOAL_HEAD, ["公交电动化财政补贴", "12,000", "通过开展公交电动化财政补贴。"]],
                       ["七、重点项目预算绩效目标情况", "2026年，本部门重点项目绩效目标情况如下："])
    second = _goal_page(2, [_GOAL_HEAD, ["城维计划-广园快速路日常养护及道路检测项目", "6,833.64", _GOAL_ITEMS]])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    projects, _ = _projects(grid.rows)
    assert [(p.name, p.year, len(p.indicators)) for p in projects] == [
        ("公交电动化财政补贴", 2026, 0), ("城维计划-广园快速路日常养护及道路检测项目", 2026, 2)]


def test_goal_list_without_any_indicator_is_refused_naming_the_table():
    """A goal list whose every 绩效目标 is prose (the 广州市交通运输局 table's first page alone): as 湖州,
    refused, naming the table, what it has and what a form needs."""
    from pathlib import Path

    from xltargets.importing.pdf import refuse_no_form

    page = _goal_page(1, [_GOAL_HEAD, ["公交电动化财政补贴", "12,000", "通过开展公交电动化财政补贴。"]],
                      ["七、重点项目预算绩效目标情况", "2026年，本部门重点项目绩效目标情况如下："])
    assert grids_from_pages([page], file="x.pdf") == []
    message = refuse_no_form(Path("x.pdf"), [page]).one_line()
    assert "第 1 页的“七、重点项目预算绩效目标情况”列出了项目名称和“绩效目标”，但没有绩效指标" in message


def test_a_budget_table_headed_项目_is_no_goal_list():
    """项目 starts a goal list only with 绩效目标 beside it: a 收支总表 (项目 | 预算数) is no form."""
    from xltargets.errors import InputError

    with pytest.raises(InputError, match="没有找到申报表"):
        import_grid([["项目", "预算数"], ["一般公共预算拨款收入", "1,000.00"]], sheet="Sheet1")


# -- 北京 2026: 预算表12 项目支出绩效目标表, merged project cells over page breaks --------------------------

_BJ_XS = (75.0, 147.0, 214.0, 282.0, 349.0, 407.0, 464.0, 522.0, 579.0, 639.0, 707.0)
_BJ_HEAD = [["项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标性质", "本年绩效指标值", "绩效度量单位"],
            ["", "", "财政资金", "其他资金"]]


def _bj_row(project, indicator):
    return [*project, *indicator]


def _bj_page(number: int, rows, *, narrow: bool = False, open_top: bool = False) -> PageTables:
    """A page of the list: each row's project cells given (text or '') where a merged cell starts, left
    out (None) inside one; *narrow*: the empty column WPS prints left of the table on its first page."""
    table_rows = []
    for r in rows:
        cells = [(x, t) for x, t in zip(_BJ_XS, r) if t is not None]
        table_rows.append(([(68.0, "")] if narrow else []) + cells)
    x0 = 68.0 if narrow else 75.0
    return PageTables(number, 595.3, [TableCells((x0, 76.0, 766.0, 520.0), table_rows, open_top=open_top)], [[]], 10)


_IND = ["产出指标", "数量指标", "采购数量", "≥", "18", "台/套"]
_IND2 = ["产出指标", "质量指标", "设备验收合格率", "≥", "100", "%"]
_NONE5 = [None] * 5


def test_beijing_list_reads_its_funds_header_row_and_value_columns():
    """北京 2026 (tests/realforms/pdf/beijing-xinfang-*): 其中： over 财政资金 / 其他资金 was not read, and
    绩效指标性质 / 本年绩效指标值 / 绩效度量单位 not as the split value columns (glued onto the 三级, XLT-W101)."""
    grid = [["预算表12项目支出绩效目标表"], ["", "", "", "", "", "", "", "", "", "金额单位：万元"], *_BJ_HEAD,
            ["11000021Y000000390849-办公设备购置类项目", "29.359500", "29.359500", "", "通过该项目开展办公设备采购。", *_IND],
            ["", "", "", "", "", "产出指标", "时效指标", "支出进度指标", "定性", "有", ""]]
    (project,), findings = _projects(grid)
    assert (project.money_unit, str(project.funds.annual), str(project.funds.annual_fiscal)) == ("万元", "29.359500", "29.359500")
    assert [[*f, dict(i.extra)] for f, i in zip(_facts(project), project.indicators)] == [
        ["产出指标", "数量指标", "采购数量", "≥18(台/套)", {}], ["产出指标", "时效指标", "支出进度指标", "有", {"指标性质": "定性"}]]
    assert [f.code for f in findings if f.code == "XLT-W101"] == []


def test_beijing_pages_chain_though_the_first_prints_a_narrow_empty_column():
    first = _bj_page(1, [*_BJ_HEAD, _bj_row(["甲项目", "10", "10", "", "目标。"], _IND)], narrow=True)
    second = _bj_page(2, [_bj_row(["乙项目", "20", "20", "", "目标。"], _IND2)])
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    projects, _ = _projects(grid.rows)
    assert [(p.name, str(p.funds.annual), len(p.indicators)) for p in projects] == [("甲项目", "10.00", 1), ("乙项目", "20.00", 1)]


def test_a_narrow_column_holding_text_keeps_the_tables_apart():
    first = _bj_page(1, [*_BJ_HEAD, _bj_row(["甲项目", "10", "10", "", "目标。"], _IND)], narrow=True)
    first.tables[0].rows[-1][0] = (68.0, "序号1")
    second = _bj_page(2, [_bj_row(["乙项目", "20", "20", "", "目标。"], _IND2)])
    assert len(grids_from_pages([first, second], file="x.pdf")) == 1  # the second page continues nothing


@pytest.mark.parametrize("above,below,name,goal", [
    # 「…849-办公设备购置类」 and the start of the goal above the break, 「项目」 and its end below it
    (["11000021Y000000390849-办公设备购置类", "29.359500", "29.359500", "", "通过该项目开展办公设备采购，"],
     ["项目", "", "", "", "保障机构自身正常运转。"],
     "11000021Y000000390849-办公设备购置类项目", "通过该项目开展办公设备采购，保障机构自身正常运转。"),
    # only the start of the goal above the break (449-接访场所保障费)
    (["", "", "", "", "根据年度工作任务，完成安保服"],
     ["11000022T000000424449-接访场所保障费", "658.000000", "658.000000", "", "务、场地租赁。"],
     "11000022T000000424449-接访场所保障费", "根据年度工作任务，完成安保服务、场地租赁。"),
    # nothing above the break: its cells start there empty (400-来信业务工作保障)
    (["", "", "", "", ""],
     ["11000023T000002068400-来信业务工作保障", "56.800000", "56.800000", "", "提高群众来信转办工作效率。"],
     "11000023T000002068400-来信业务工作保障", "提高群众来信转办工作效率。"),
], ids=["text-on-both-pages", "goal-start-above", "all-text-below"])
def test_project_cells_cut_by_the_page_break_are_one_project(above, below, name, goal):
    """北京 2026 (WPS): a project's merged cells cut by the page break print their text clipped on both
    pages, each part where it falls. The parts are one project's, whose rows on both pages are its own."""
    first = _bj_page(1, [*_BJ_HEAD, _bj_row(["甲项目", "10", "10", "", "甲目标。"], _IND), _bj_row(above, _IND2)], narrow=True)
    second = _bj_page(2, [_bj_row(below, _IND), _bj_row(_NONE5, _IND2)], open_top=True)
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    (a, b), _ = _projects(grid.rows)
    assert (a.name, len(a.indicators)) == ("甲项目", 1)
    assert (b.name, b.annual_goal, len(b.indicators)) == (name, goal, 3)


def test_a_project_ending_at_the_page_break_and_one_starting_below_it_stay_two():
    first = _bj_page(1, [*_BJ_HEAD, _bj_row(["甲项目", "10", "10", "", "甲目标。"], _IND)], narrow=True)
    second = _bj_page(2, [_bj_row(["乙项目", "20", "20", "", "乙目标。"], _IND2)], open_top=True)
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    projects, _ = _projects(grid.rows)
    assert [(p.name, p.annual_goal) for p in projects] == [("甲项目", "甲目标。"), ("乙项目", "乙目标。")]


def test_merged_cells_without_a_ruling_under_them_are_closed_by_the_tables_edge():
    """北京市信访办公室 2026 (tests/realforms/pdf/beijing-xinfang-*), page 1 of the cut: 849-办公设备购置类's
    merged cells run on to the next page with no line under them; pdfplumber found no cell and the
    name and amounts were lost."""
    from pathlib import Path

    from xltargets.pdfpages import extract_pages

    pdf = Path(__file__).parent / "realforms" / "pdf" / "beijing-xinfang-2026-budget.pdf"
    first, second = extract_pages(pdf)[:2]
    texts = [t for row in first.tables[0].rows for _, t in row]
    assert "11000021Y000000390849-办公设备购置类" in texts and texts.count("29.359500") == 2
    assert (first.tables[0].open_top, second.tables[0].open_top) == (False, True)
