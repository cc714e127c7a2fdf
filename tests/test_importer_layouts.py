"""Issue 15, points 1-4, 7, 8: forms in other regions' layouts, read label by label.

Fixtures are built by tests/layouts.py (grids, and xlsx where the reader matters).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xltargets.importing import import_grid, read_sources
from xltargets.importing.labels import SYNONYMS

import layouts


def one(grid):
    result = import_grid(grid, sheet="Sheet1")
    assert len(result.declaration.projects) == 1, [p.name for p in result.declaration.projects]
    return result.declaration.projects[0], result.findings


def facts(project):
    return [(i.level1, i.level2, i.level3, i.value_raw, i.extra) for i in project.indicators]


# -- point 1: label synonyms, one test per entry of the table --------------------------------

#: where each canonical label stands in layouts.seed_like, and the field it fills
_SEED_LIKE_FIELD = {
    "项目名称": ("name", "测试项目"),
    "主管部门": ("department", "某委员会"),
    "实施单位": ("unit", "某协会"),
    "项目总目标": ("total_goal", None),
    "年度总体目标": ("annual_goal", "年度目标文字"),
    "项目类别": ("category", "特定目标类"),
}


@pytest.mark.parametrize("synonym,canonical", sorted(SYNONYMS.items()), ids=lambda v: v)
def test_each_synonym_is_read_as_its_label(synonym, canonical):
    if canonical in _SEED_LIKE_FIELD:
        field, expected = _SEED_LIKE_FIELD[canonical]
        p, findings = one(layouts.seed_like(labels={canonical: synonym}))
        if expected is not None:
            assert getattr(p, field) == expected
        assert [i.level3 for i in p.indicators] == ["培训场次", "知晓率", "满意度"]
        return
    if canonical in ("项目资金总额", "年度资金申请总额", "财政拨款", "其他资金"):
        grid = [
            ["项目名称", "某项目"],
            ["项目资金(元)", synonym, "300.00"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "场次", "=1(场)"],
        ]
        p, _ = one(grid)
        field = {"项目资金总额": "total", "年度资金申请总额": "annual", "财政拨款": "annual_fiscal",
                 "其他资金": "annual_other"}[canonical]
        assert getattr(p.funds, field) == Decimal("300.00")
        return
    # a column header of the indicator table
    head = {"三级指标": ["一级指标", "二级指标", synonym, "指标值"],
            "一级指标": [synonym, "二级指标", "三级指标", "指标值"],
            "指标值": ["一级指标", "二级指标", "三级指标", synonym],
            "指标性质": ["一级指标", "二级指标", "三级指标", synonym, "指标值", "计量单位"],
            "计量单位": ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", synonym]}[canonical]
    row = ["产出指标", "数量指标", "场次", "≥", "3", "场"] if len(head) == 6 else ["产出指标", "数量指标", "场次", "≥3(场)"]
    p, _ = one([["项目名称", "某项目"], head, row])
    assert facts(p) == [("产出指标", "数量指标", "场次", "≥3(场)", {})]


def test_synonym_table_targets_are_known_labels():
    from xltargets.importing.labels import ALL_LABELS, COLUMN_HEADERS

    for synonym, canonical in SYNONYMS.items():
        assert canonical in ALL_LABELS or canonical in COLUMN_HEADERS, synonym


# -- point 1: funds in 万元, as a 资金来源 list ---------------------------------------------------


def test_national_layout_in_wan_yuan():
    p, findings = one(layouts.national())
    assert (p.name, p.department, p.unit, p.year) == ("农村公路养护", "某市交通运输局", "某市公路事业发展中心", 2024)
    assert p.money_unit == "万元"
    assert (p.funds.annual, p.funds.annual_fiscal, p.funds.annual_other) == (
        Decimal("120.50"), Decimal("100.50"), Decimal("20.00"))
    assert p.annual_goal == "完成农村公路日常养护。"
    assert facts(p) == layouts.national_facts()
    assert findings == []


def test_seed_layout_stays_in_yuan():
    p, _ = one(layouts.seed_like())
    assert p.money_unit == "元"


def test_funds_as_a_source_list():
    p, _ = one(layouts.two_level())
    assert p.money_unit == "万元"
    assert (p.funds.annual_fiscal, p.funds.annual_other) == (Decimal("50.00"), Decimal("0.00"))
    assert (p.department, p.unit) == ("某区人民政府", "某区民政局")


# -- point 2: other headers, any column, two levels, 满意度 under 效益 -----------------------------


@pytest.mark.parametrize("pad", [0, 1, 3, 7], ids=lambda n: f"pad{n}")
def test_national_table_starting_in_any_column(pad):
    p, findings = one(layouts.national(pad=pad))
    assert facts(p) == layouts.national_facts()
    assert p.indicators[0].origin.cells["level3"] == f"{chr(ord('D') + pad)}10"
    assert findings == []


def test_two_level_table():
    p, findings = one(layouts.two_level())
    assert [(i.level1, i.level2, i.level3, i.value_raw) for i in p.indicators] == layouts.TWO_LEVEL_FACTS
    assert [f.code for f in findings] == []


def test_two_level_table_with_level2_names_takes_their_level1():
    grid = [["项目名称", "某项目"], ["指标类型", "指标名称", "指标值"],
            ["数量指标", "场次", "=3(场)"], ["社会效益指标", "知晓率", "≥80%"]]
    p, _ = one(grid)
    assert [(i.level1, i.level2, i.level3) for i in p.indicators] == [
        ("产出指标", "数量指标", "场次"), ("效益指标", "社会效益指标", "知晓率")]


def test_content_header_and_remarks_column():
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "指标内容", "指标值", "备注"],
            ["产出指标", "数量指标", "场次", "=3(场)", "按季度"], ["", "", "人次", "=30(人次)", ""]]
    p, findings = one(grid)
    assert facts(p) == [("产出指标", "数量指标", "场次", "=3(场)", {"备注": "按季度"}),
                        ("产出指标", "数量指标", "人次", "=30(人次)", {})]
    assert findings == []


def test_satisfaction_as_level2_under_benefit_older_generation():
    rows = [["绩效指标", "产出指标", "数量指标", "场次", "=2.00(场)"],
            ["", "效益指标", "社会公众或服务对象满意度指标", "满意度", "≥90.00(%)"]]
    p, findings = one(layouts.seed_like(rows=rows))
    assert [(i.level1, i.level2) for i in p.indicators] == [("产出指标", "数量指标"), ("效益指标", "社会公众或服务对象满意度指标")]
    assert findings == []


# -- point 3: split value columns, extra columns ------------------------------------------------


def test_split_value_never_glued_onto_the_name_and_unit_kept():
    p, _ = one(layouts.national(extra_columns=False))
    for ind, (l1, l2, l3, value, _) in zip(p.indicators, layouts.national_facts(False)):
        assert ind.level3 == l3  # not "培训场次≥"
        assert ind.value_raw == value  # "≥20(场)", unit kept
        assert ind.target.unit == value[value.index("(") + 1 : -1]


@pytest.mark.parametrize(
    "op,value,unit,expected",
    [("≥", "85", "分", "≥85(分)"), ("", "85", "分", "85(分)"), ("≤", "≤5", "天", "≤5(天)"),
     ("", "及时", "", "及时"), ("=", "100", "", "=100"), (">=", "90", "%", ">=90(%)"), ("", "", "", "")],
    ids=["op-num-unit", "no-op", "op-twice", "qualitative", "no-unit", "ascii-op", "blank"],
)
def test_split_value_joined(op, value, unit, expected):
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "三级指标", "符号", "指标值", "计量单位"],
            ["产出指标", "数量指标", "场次", op, value, unit]]
    p, _ = one(grid)
    assert [(i.level3, i.value_raw) for i in p.indicators] == [("场次", expected)]


def test_direction_word_in_operator_column_is_a_fact():
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"],
            ["产出指标", "数量指标", "场次", "正向指标", "85", "场"]]
    p, _ = one(grid)
    assert facts(p) == [("产出指标", "数量指标", "场次", "85(场)", {"指标性质": "正向指标"})]


def test_operator_in_the_direction_column_is_joined():
    """乌海's form (tests/realforms/neimenggu-wuhai-*): 指标性质 holds 正向/反向, 指标方向 holds the operator."""
    grid = [["项目名称", "某项目"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "目标值", "计量单位", "分值"],
            ["产出指标", "数量指标", "出差人次", "正向", "=", "24", "人/次", "4"],
            ["产出指标", "成本指标", "出差总成本", "反向", "≤", "1", "万元", "4"],
            ["产出指标", "数量指标", "场次", "≥", "正向指标", "3", "场", "4"]]
    p, _ = one(grid)
    assert facts(p) == [
        ("产出指标", "数量指标", "出差人次", "=24(人/次)", {"指标性质": "正向", "分值": "4"}),
        ("产出指标", "成本指标", "出差总成本", "≤1(万元)", {"指标性质": "反向", "分值": "4"}),
        ("产出指标", "数量指标", "场次", "≥3(场)", {"指标方向": "正向指标", "分值": "4"})]


def test_unit_equal_to_the_value_is_kept():
    """Both cells print 44,561 (an Excel date serial) on 乌海's form: the unit is not dropped."""
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"],
            ["产出指标", "时效指标", "到位时间", "=", "44,561", "44,561"],
            ["产出指标", "质量指标", "合格率", "≥", "95%", "%"]]
    p, _ = one(grid)
    assert [i.value_raw for i in p.indicators] == ["=44,561(44,561)", "≥95%"]


@pytest.mark.parametrize("written,level1", [
    ("成本指标(0-20)分", "成本指标"), ("产出指标\n(40-50)分", "产出指标"), ("产出指标(50分)", "产出指标"),
    ("项目完成\n指标", "产出指标"), ("项目效益指标", "效益指标")],
    ids=["points-range", "points-range-wrapped", "points", "sichuan-completion", "sichuan-benefit"])
def test_level1_as_other_forms_write_it(written, level1):
    """重庆's 审批表 gives a range of points; Sichuan's older 申报表 names 产出/效益 项目完成/项目效益指标."""
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
            [written, "数量指标" if level1 != "效益指标" else "社会效益指标", "场次", "≥3场"]]
    p, findings = one(grid)
    assert [i.level1 for i in p.indicators] == [level1]
    assert findings == []


def test_input_block_in_wan_yuan_with_a_source_list():
    """乌海's 投入目标 (万元) block: 资金总额 / 其中: 财政拨款数 / 其他资金."""
    grid = [["项目名称", "某项目"],
            ["投入目标 (万元)", "资金来源", "年初安排金额(万元)"],
            ["", "资金总额", "3"], ["", "其中: 财政拨款数", "3"], ["", "其他资金", "0"],
            ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "场次", "≥3场"]]
    p, _ = one(grid)
    assert p.money_unit == "万元"
    assert (p.funds.annual, p.funds.annual_fiscal, p.funds.annual_other) == (Decimal("3"), Decimal("3"), Decimal("0"))


def test_self_assessment_columns_kept_as_facts():
    grid = [["项目名称", "某项目"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "场次", "=3(场)", "3场", "10", "10", ""],
            ["", "", "人次", "=30(人次)", "25人次", "10", "8", "天气原因"]]
    p, _ = one(grid)
    assert [i.extra for i in p.indicators] == [
        {"实际完成值": "3场", "分值": "10", "得分": "10"},
        {"实际完成值": "25人次", "分值": "10", "得分": "8", "偏差原因": "天气原因"},
    ]


def test_check_column_still_ignored():
    grid = [["项目名称", "某项目"], ["一级指标", "二级指标", "三级指标", "指标值", "校验"],
            ["产出指标", "数量指标", "场次", "=3(场)", "OK"]]
    p, _ = one(grid)
    assert facts(p) == [("产出指标", "数量指标", "场次", "=3(场)", {})]


# -- point 4: placeholder rows ------------------------------------------------------------------


def test_placeholder_rows_are_not_indicators():
    rows = [["绩效指标", "产出指标", "数量指标", "场次", "=2.00(场)"],
            ["", "", "质量指标", "", ""],
            ["", "", "时效指标"],
            ["", "成本指标", "经济成本指标"],
            ["", "效益指标", "社会效益指标", "知晓率", "≥80.00(%)"],
            ["", "", "生态效益指标", "", ""],
            ["", "满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"]]
    p, findings = one(layouts.seed_like(rows=rows))
    assert [(i.level1, i.level2, i.level3) for i in p.indicators] == [
        ("产出指标", "数量指标", "场次"), ("效益指标", "社会效益指标", "知晓率"), ("满意度指标", "服务对象满意度指标", "满意度")]
    assert findings == []


def test_placeholder_sets_the_level2_of_the_rows_below():
    rows = [["绩效指标", "产出指标", "数量指标", "场次", "=2.00(场)"],
            ["", "", "质量指标"],
            ["", "", "", "合格率", "≥90.00(%)"]]
    p, _ = one(layouts.seed_like(rows=rows))
    assert [(i.level2, i.level3) for i in p.indicators] == [("数量指标", "场次"), ("质量指标", "合格率")]


def test_level2_with_a_value_but_no_level3_is_still_an_indicator():
    rows = [["绩效指标", "产出指标", "数量指标", "", "=2.00(场)"]]
    p, _ = one(layouts.seed_like(rows=rows))
    assert [(i.level2, i.level3, i.value_raw) for i in p.indicators] == [("数量指标", "", "=2.00(场)")]


# -- point 7: stacked forms end where the next title begins ---------------------------------------


@pytest.mark.parametrize("title", ["财政项目支出绩效目标申报表", "项目支出绩效目标填报表", "项目支出绩效目标表",
                                   "部门整体支出绩效目标表", "(2023年度)"])
def test_next_title_after_a_blank_row_ends_the_table(title):
    first = layouts.seed_like(name="甲项目", title="财政项目支出绩效目标申报表")
    second = layouts.seed_like(name="乙项目", title=title)
    if title.startswith("("):
        second = second[1:]  # the year line is the first row of the form
    grid = first + [[""], [title]] + second[1:]
    result = import_grid(grid, sheet="s")
    projects = result.declaration.projects
    assert [p.name for p in projects] == ["甲项目", "乙项目"]
    assert [len(p.indicators) for p in projects] == [3, 3]
    assert all(title not in i.level3 for p in projects for i in p.indicators)


def test_own_table_after_a_blank_row_and_next_form_in_one_file():
    rows = [["绩效指标", "产出指标", "数量指标", "场次", "=2.00(场)"],
            [""],
            ["", "效益指标", "社会效益指标", "知晓率", "≥80.00(%)"],
            ["", ""],
            ["", "满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"]]
    grid = layouts.seed_like(name="甲项目", rows=rows) + [[""], [""]] + layouts.seed_like(name="乙项目")
    projects = import_grid(grid, sheet="s").declaration.projects
    assert [p.name for p in projects] == ["甲项目", "乙项目"]
    assert [[i.level3 for i in p.indicators] for p in projects] == [["场次", "知晓率", "满意度"], ["培训场次", "知晓率", "满意度"]]


# -- point 8: cell text as it really comes --------------------------------------------------------


def test_wrapped_short_values_joined_long_goal_kept():
    grid = layouts.seed_like()
    grid[2][1] = "测试\n项目"
    grid[2][3] = "阶段\n性项\n目"
    grid[3][1] = "某委\n员会"
    grid[10][3] = "第一段。\n第二段。"
    p, findings = one(grid)
    assert (p.name, p.nature, p.department) == ("测试项目", "阶段性项目", "某委员会")
    assert p.annual_goal == "第一段。\n第二段。"
    assert [(f.code, f.cell) for f in findings] == [("XLT-W106", "B3"), ("XLT-W106", "D3"), ("XLT-W106", "B4")]


@pytest.mark.parametrize("text", ["A\nB", "0\n0", "某单位\nABC"], ids=["latin", "digits", "mixed"])
def test_other_line_breaks_in_short_values_stay(text):
    grid = layouts.seed_like()
    grid[3][3] = text
    p, findings = one(grid)
    assert p.unit == text and findings == []


def test_total_goal_label_with_a_period():
    grid = layouts.seed_like(labels={"项目总目标": "项目总体目标\n(2024 年-2026 年)"})
    grid[10][1] = "三年总目标文字"
    p, _ = one(grid)
    assert p.total_goal == "三年总目标文字"
    assert p.goal_period == "2024年-2026年"


def test_layouts_read_from_xlsx(tmp_path):
    path = layouts.write_xlsx(tmp_path / "layouts.xlsx", {"全国": layouts.national(pad=2), "两级": layouts.two_level()})
    d = read_sources([path]).declaration
    assert [p.name for p in d.projects] == ["农村公路养护", "社区养老服务"]
    assert facts(d.projects[0]) == layouts.national_facts()
    assert [(i.level1, i.level3, i.value_raw) for i in d.projects[1].indicators] == [
        (a, c, v) for a, _, c, v in layouts.TWO_LEVEL_FACTS]


def test_ellipsis_rows_of_the_template_are_placeholders():
    rows = [["绩效指标", "产出指标", "数量指标", "场次", "=2.00(场)"],
            ["", "", "", "……", ""],
            ["", "", "质量指标", "……", ""],
            ["", "", "", "合格率", "≥90.00(%)"]]
    p, findings = one(layouts.seed_like(rows=rows))
    assert [(i.level2, i.level3) for i in p.indicators] == [("数量指标", "场次"), ("质量指标", "合格率")]
    assert findings == []


def test_mixed_money_units_are_reported_never_converted(tmp_path):
    a = tmp_path / "a.tsv"
    b = tmp_path / "b.tsv"
    a.write_text("\n".join("\t".join(r) for r in layouts.seed_like(name="元项目")) + "\n", encoding="utf-8")
    b.write_text("\n".join("\t".join(r) for r in layouts.national()) + "\n", encoding="utf-8")
    result = read_sources([a, b])
    assert [p.money_unit for p in result.declaration.projects] == ["元", "万元"]
    assert result.declaration.projects[1].funds.annual == Decimal("120.50")  # as written, not converted
    assert [(f.code, f.project) for f in result.findings] == [("XLT-W111", "农村公路养护")]
    one_file = import_grid(layouts.seed_like(name="甲") + [[""]] + layouts.national(), sheet="s")
    assert [f.code for f in one_file.findings] == ["XLT-W111"]


def test_funds_as_a_vertical_source_list_in_wan_yuan():
    grid = [["项目名称", "某项目", "项目单位", "某中心"],
            ["资金来源", "金额(万元)"],
            ["财政拨款", "80.00"],
            ["其他资金", "20.00"],
            ["合计", "100.00"],
            ["年度目标", "完成任务"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "场次", "≥3场"]]
    p, findings = one(grid)
    assert p.money_unit == "万元"
    assert (p.funds.annual, p.funds.annual_fiscal, p.funds.annual_other) == (
        Decimal("100.00"), Decimal("80.00"), Decimal("20.00"))
    assert (p.unit, p.annual_goal) == ("某中心", "完成任务")
    assert findings == []


def test_list_table_one_row_per_indicator():
    """部门预算 publications list every project's indicators in one table, project cells merged down."""
    grid = [["部门预算项目绩效目标申报表(2023年度)"], ["金额单位:万元"],
            ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
            ["801-某部门", "", "30.00"],
            ["801001-某中心", "甲项目", "10.00", "目标甲", "产出指标", "数量指标", "场次", "≥", "3", "场", "20"],
            ["", "", "", "", "满意度指标", "服务对象满意度指标", "满意度", "≥", "90", "%", "10"],
            ["", "乙项目", "20.00", "目标乙", "效益指标", "社会效益指标", "知晓率", "≥", "80", "%", "30"]]
    result = import_grid(grid, sheet="s")
    ps = result.declaration.projects
    assert [(p.name, p.unit, p.year, p.money_unit, p.funds.annual, p.annual_goal) for p in ps] == [
        ("甲项目", "801001-某中心", 2023, "万元", Decimal("10.00"), "目标甲"),
        ("乙项目", "801001-某中心", 2023, "万元", Decimal("20.00"), "目标乙")]
    assert [facts(p) for p in ps] == [
        [("产出指标", "数量指标", "场次", "≥3(场)", {"权重": "20"}),
         ("满意度指标", "服务对象满意度指标", "满意度", "≥90(%)", {"权重": "10"})],
        [("效益指标", "社会效益指标", "知晓率", "≥80(%)", {"权重": "30"})]]
    assert result.findings == []


@pytest.mark.parametrize("text,start,end", [
    ("202001-202012", "2020-01-01", "2020-12-31"), ("2024年1月-2024年12月", "2024-01-01", "2024-12-31"),
    ("2024.01.01-2026.06.30", "2024-01-01", "2026-06-30"), ("2024-02至2024-02", "2024-02-01", "2024-02-29")],
    ids=["yyyymm", "chinese-months", "dotted-days", "leap-february"])
def test_period_under_one_label(text, start, end):
    from xltargets.importing.forms import parse_period

    assert tuple(d.isoformat() for d in parse_period(text)) == (start, end)
    grid = [["项目名称", "某项目", "项目起止时间", text], ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "场次", "≥3场"]]
    p, _ = one(grid)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_amounts_written_with_their_unit_and_long_term_columns():
    grid = [["项目名称", "某项目"],
            ["项目资金", "资金总额", "300万元", "当年资金总额:", "100万元"],
            ["", "其中:财政拨款", "300万元", "其中:当年财政拨款", "100万元"],
            ["一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)", "三级指标(年度)", "指标值(年度)"],
            ["产出指标", "数量指标", "三年场次", "≥9场", "数量指标", "场次", "≥3场"]]
    p, findings = one(grid)
    assert p.money_unit == "万元"
    assert (p.funds.total, p.funds.total_fiscal, p.funds.annual, p.funds.annual_fiscal) == (
        Decimal("300.00"), Decimal("300.00"), Decimal("100.00"), Decimal("100.00"))
    # the annual columns are the indicator; the long-term ones are kept as its facts (the 二级
    # printed twice is not repeated)
    assert facts(p) == [("产出指标", "数量指标", "场次", "≥3场", {"三级指标(长期)": "三年场次", "指标值(长期)": "≥9场"})]
