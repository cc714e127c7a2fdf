"""The importer copes with every irregularity domain.md lists, on small grids and workbooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from xltargets.errors import InputError
from xltargets.importing import import_grid, read_sources


def form(*, name="测试项目", start="2024-01-01", annual="100.00", fiscal="100.00", carry="0.00", other="0.00",
         goal="年度目标文字", rows=None, l1_col=1, pad=0):
    """A minimal form grid in the seed's layout; *pad* shifts everything right."""
    p = [""] * pad
    rows = rows if rows is not None else [
        ["绩效指标", "产出指标", "数量指标", "培训场次", "=2.00(场)"],
        ["", "效益指标", "社会效益指标", "知晓率", "≥80.00(%)"],
        ["", "满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"],
    ]
    return [
        p + ["财政项目支出绩效目标申报表"],
        p + ["(2024年度)"],
        p + ["项目名称", name, "项目性质", "其他一次性项目", "项目类别", "特定目标类"],
        p + ["主管部门", "某委员会", "实施单位", "某协会"],
        p + ["计划开始日期", start, "计划完成日期", "2024-12-31"],
        p + ["项目资金 (元)", "项目资金总额", "", "年度资金申请总额", annual],
        p + ["", "其中：财政资金", "", "其中：当年财政拨款", fiscal],
        p + ["", "", "", "上年结转资金", carry],
        p + ["", "其他资金", "", "其他资金", other],
        p + ["项目 绩效 目标", "项目总目标", "", "年度总体目标"],
        p + ["", "", "", goal],
        p + ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"],
        *[p + r for r in rows],
    ]


def one(grid):
    result = import_grid(grid, sheet="Sheet1")
    assert len(result.declaration.projects) == 1
    return result.declaration.projects[0], result.findings


def rows_of(project):
    return [(i.level1, i.level2, i.level3, i.canonical) for i in project.indicators]


def test_baseline():
    p, findings = one(form())
    assert rows_of(p) == [
        ("产出指标", "数量指标", "培训场次", "=2.00(场)"),
        ("效益指标", "社会效益指标", "知晓率", "≥80.00(%)"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"),
    ]
    assert findings == []


@pytest.mark.parametrize(
    "rows, expected",
    [
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)"], ["", "", "", "乙", "=2.00(个)"]],
            [("产出指标", "数量指标", "甲", "=1.00(个)"), ("产出指标", "数量指标", "乙", "=2.00(个)")],
            id="merged-cells-fill-down",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)"], ["", "质量指标", "乙", "≥85.00(分)"]],
            [("产出指标", "数量指标", "甲", "=1.00(个)"), ("产出指标", "质量指标", "乙", "≥85.00(分)")],
            id="row-shifted-one-column-left",
        ),
        pytest.param(
            [["绩效指标", "满意度指标", "服务对象满意度 指标", "甲", "≥90.00(%)"]],
            [("满意度指标", "服务对象满意度指标", "甲", "≥90.00(%)")],
            id="stray-space-inside-label",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)"], [""], ["效益指标", "社会效益指标", "乙", "=3.00(个)"]],
            [("产出指标", "数量指标", "甲", "=1.00(个)"), ("效益指标", "社会效益指标", "乙", "=3.00(个)")],
            id="rows-after-a-blank-line-outside-the-block",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "质量指标", "甲", "=1.00(个)"], ["", "", "", "乙", "=2.00(个)"], [""],
             ["", "质量指标", "丙", "=5.00(个)"]],
            [("产出指标", "质量指标", "甲", "=1.00(个)"), ("产出指标", "质量指标", "乙", "=2.00(个)"),
             ("产出指标", "质量指标", "丙", "=5.00(个)")],
            id="two-separate-groups-of-one-level2",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "成本指标", "甲", "<100(%)"]],
            [("产出指标", "成本指标", "甲", "<100(%)")],
            id="older-generation-cost-as-level2",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)"], ["", "", "成本指标", "乙", "<100(%)"]],
            [("产出指标", "数量指标", "甲", "=1.00(个)"), ("产出指标", "成本指标", "乙", "<100(%)")],
            id="older-cost-level2-under-a-merged-level1",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)"], ["", "成本指标", "经济成本指标", "乙", "<100(%)"]],
            [("产出指标", "数量指标", "甲", "=1.00(个)"), ("成本指标", "经济成本指标", "乙", "<100(%)")],
            id="cost-level1-in-the-level1-column",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "时效指标", "甲", "及时"]],
            [("产出指标", "时效指标", "甲", "及时")],
            id="qualitative-value",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "＞＝90（%）"]],
            [("产出指标", "数量指标", "甲", "≥90(%)")],
            id="full-width-operator-and-brackets",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "培训\n场次", "=2.00(场)"]],
            [("产出指标", "数量指标", "培训\n场次", "=2.00(场)")],
            id="line-break-inside-a-cell",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", ""]],
            [("产出指标", "数量指标", "甲", "")],
            id="blank-value-kept",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "0012", ""]],
            [("产出指标", "数量指标", "0012", "")],
            id="number-like-level3-with-blank-value",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "", "=3.00(个)"]],
            [("产出指标", "数量指标", "", "=3.00(个)")],
            id="blank-level3-kept",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "甲", "=" + "9" * 40 + "(个)"]],
            [("产出指标", "数量指标", "甲", "=" + "9" * 40 + "(个)")],
            id="forty-digit-number",
        ),
        pytest.param(
            [["绩效指标", "产出指标", "数量指标", "7.11世界人口日", 100]],
            [("产出指标", "数量指标", "7.11世界人口日", "=100")],
            id="value-stored-as-number",
        ),
    ],
)
def test_indicator_rows(rows, expected):
    p, _ = one(form(rows=rows))
    assert rows_of(p) == expected


def test_blank_level1_not_inheritable_is_reported_not_guessed():
    p, findings = one(form(rows=[["绩效指标", "", "数量指标", "甲", "=1.00(个)"]]))
    assert rows_of(p) == [("", "数量指标", "甲", "=1.00(个)")]
    assert [(f.code, f.cell) for f in findings] == [("XLT-E101", "B13")]
    assert "一级指标为空" in findings[0].message


def test_cell_right_of_the_value_column_is_not_dropped():
    p, findings = one(form(rows=[["绩效指标", "产出指标", "数量指标", "甲", "乙", "=1.00(个)"]]))
    assert rows_of(p) == [("产出指标", "数量指标", "甲乙", "=1.00(个)")]
    assert [(f.code, f.cell) for f in findings] == [("XLT-W101", "E13")]


def test_headed_column_right_of_the_table_is_ignored():
    grid = form(rows=[["绩效指标", "产出指标", "数量指标", "甲", "=1.00(个)", "OK"]])
    grid[11] = grid[11] + ["校验"]
    p, findings = one(grid)
    assert rows_of(p) == [("产出指标", "数量指标", "甲", "=1.00(个)")]
    assert findings == []


def test_extra_cell_between_level3_and_value_is_kept_with_warning():
    grid = form(rows=[["绩效指标", "产出指标", "数量指标", "甲", "注释", "=1.00(个)"]])
    grid[11] = ["", "一级指标", "二级指标", "三级指标", "", "年度(/项目)指标值"]
    p, findings = one(grid)
    assert rows_of(p) == [("产出指标", "数量指标", "甲注释", "=1.00(个)")]
    assert [f.code for f in findings] == ["XLT-W101"]


@pytest.mark.parametrize(
    "start, expected",
    [
        pytest.param("2026/1/1", dt.date(2026, 1, 1), id="slashes"),
        pytest.param("2024-01-01", dt.date(2024, 1, 1), id="iso"),
        pytest.param("2024年3月5日", dt.date(2024, 3, 5), id="chinese"),
        pytest.param(dt.datetime(2024, 2, 1), dt.date(2024, 2, 1), id="datetime-cell"),
    ],
)
def test_dates(start, expected):
    p, findings = one(form(start=start))
    assert p.start == expected
    assert findings == []


@pytest.mark.parametrize("bad", ["2024-13-01", "明年"])
def test_bad_dates_reported(bad):
    p, findings = one(form(start=bad))
    assert p.start is None
    assert p.raw == {"start": bad}  # never lost
    assert [(f.code, f.cell) for f in findings] == [("XLT-E104", "B5")]
    assert bad in findings[0].message


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("0", Decimal("0.00"), id="zero-for-0.00"),
        pytest.param("1,391,700.00", Decimal("1391700.00"), id="thousands"),
        pytest.param(571000.0, Decimal("571000.00"), id="number-cell"),
        pytest.param("571000", Decimal("571000.00"), id="number-as-text"),
    ],
)
def test_money(text, expected):
    p, findings = one(form(annual=text))
    assert p.funds.annual == expected
    assert findings == []


@pytest.mark.parametrize("bad", ["壹佰万", "1,000,00", "abc"])
def test_bad_money_reported(bad):
    p, findings = one(form(annual=bad))
    assert p.funds.annual is None
    assert p.raw == {"funds.annual": bad}  # never lost
    assert [f.code for f in findings] == ["XLT-E102"]
    assert bad in findings[0].message


def test_negative_money_reported():
    p, findings = one(form(annual="-5"))
    assert p.funds.annual == Decimal("-5.00")
    assert [f.code for f in findings] == ["XLT-E103"]


def test_p_tags_in_goal():
    p, findings = one(form(goal="<p>开展活动</p>"))
    assert p.annual_goal == "开展活动"
    assert [f.code for f in findings] == ["XLT-W103"]


def test_shifted_layout_same_content():
    a, _ = one(form())
    b, _ = one(form(pad=3))
    assert a.content() == b.content()


def test_no_form_is_an_input_error():
    with pytest.raises(InputError, match="没有找到申报表"):
        import_grid([["随便", "什么"]], sheet="x", file="x.xlsx")


def test_xlsx_in_another_layout_reads_like_the_tsv(tmp_path, seed_path):
    """The seed written into a workbook at an offset, with merges, numbers as numbers."""
    lines = [line.split("\t") for line in seed_path.read_text(encoding="utf-8").split("\n")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    for r, line in enumerate(lines):
        for c, text in enumerate(line):
            if not text:
                continue
            cell = ws.cell(row=r + 3, column=c + 2)
            if text.replace(",", "").replace(".", "").isdigit() and "," in text:
                cell.value = float(text.replace(",", ""))
                cell.number_format = "#,##0.00"
            else:
                cell.value = text
                cell.data_type = "s"
    wb.create_sheet("说明")["A1"] = "这不是申报表"
    path = tmp_path / "seed.xlsx"
    wb.save(path)
    from_xlsx = read_sources([path]).declaration
    from_tsv = read_sources([seed_path]).declaration
    assert from_xlsx.content() == from_tsv.content()
    assert from_xlsx.projects[0].origin.sheet == "汇总"
    assert from_xlsx.projects[0].origin.cells["name"] == "C11"


@pytest.mark.parametrize(
    "level1, level2",
    [
        pytest.param("成本指标", "经济成本指标", id="cost-level1-after-output"),
        pytest.param("效益指标", "社会效益指标", id="benefit-level1"),
    ],
)
def test_row_shifted_by_a_stray_cell_keeps_its_levels_for_the_rows_below(level1, level2):
    """A note typed left of a row shifts it one column; its 一级 (成本指标 is also an older 二级)
    still heads the merged rows below it (found by the random-layout property)."""
    rows = [
        ["绩效指标", "产出指标", "数量指标", "培训场次", "=2.00(场)"],
        ["备注文字", "", level1, level2, "甲", "及时"],
        ["", "", "", "乙", "及时"],
    ]
    p, findings = one(form(rows=rows))
    assert rows_of(p)[1:] == [(level1, level2, "甲", "及时"), (level1, level2, "乙", "及时")]
    assert [(f.code, f.cell) for f in findings] == [("XLT-W101", "A14")]


SPLIT_HEADER = ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "年度(/项目)指标值", "计量单位"]


@pytest.mark.parametrize(
    "prop, reported",
    [
        pytest.param("正向", False, id="a-kind-word"),
        pytest.param("定性指标", False, id="a-kind-word-with-suffix"),
        pytest.param("人人", True, id="a-name-one-column-off"),
    ],
)
def test_property_column_holding_no_operator_is_kept_and_reported_unless_a_kind_word(prop, reported):
    grid = form(rows=[["", "成本指标", "经济成本指标", "备注文字", prop, "及时", ""]])
    grid[11] = SPLIT_HEADER
    p, findings = one(grid)
    assert [i.extra for i in p.indicators] == [{"指标性质": prop}]  # kept as written, never dropped
    assert [(f.code, f.cell) for f in findings if f.code == "XLT-W101"] == ([("XLT-W101", "E13")] if reported else [])
