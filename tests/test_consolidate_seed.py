"""Consolidating the real 汇总表 (the seed): every fact stands in the 汇总表 sheet.

The seed is read by the importer, consolidated, and the generated workbook is
inspected with openpyxl (cells, merges, page setup), at the XML level (cached
totals) and read back by the importer (nothing lost in the round trip).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xltargets.pipeline import consolidate
from xltargets.importing import read_sources

from seed_facts import EXPECTED, NAMES  # noqa: E402

IDS = ["reproductive-health", "family-health", "special-families", "publicity"]
ANNUAL = {
    "生殖健康咨询服务": Decimal("571000.00"),
    "家庭健康促进及优生优育服务": Decimal("1391700.00"),
    "计生特殊家庭帮扶及权益维护": Decimal("820000.00"),
    "宣传教育及基层能力建设": Decimal("1451000.00"),
}
GOAL_STARTS = {
    "生殖健康咨询服务": "扩大工作覆盖面。实现青少年培训和家长培训街镇级全覆盖",
    "家庭健康促进及优生优育服务": "深入开展家庭健康促进行动",
    "计生特殊家庭帮扶及权益维护": "继续深入推进暖心家园健康行服务项目",
    "宣传教育及基层能力建设": "用多种媒体开展宣传倡导活动",
}
TITLE = "上海市计划生育协会2024年度项目绩效目标汇总表"


@pytest.fixture(scope="module")
def made(tmp_path_factory, seed_path):
    work = tmp_path_factory.mktemp("consolidate-seed")
    result = consolidate([seed_path], work / "汇总表.xlsx", cwd=work)
    return result


@pytest.fixture(scope="module")
def book(made):
    return openpyxl.load_workbook(made.output)


def grid(ws) -> list[list]:
    """Cell values; a merged range's value is copied down its first column (as a reader sees it)."""
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)]
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row, rng.max_row + 1):
            rows[r - 1][rng.min_col - 1] = top
    return rows


def squeeze(row: list) -> list:
    """The non-empty values of a row, left to right."""
    return [v for v in row if v not in (None, "")]


def blocks(rows: list[list]) -> dict[str, list[list]]:
    """Rows of each form, keyed by 项目名称 (from its 项目名称 row to the next form)."""
    starts = [(i, squeeze(r)[1]) for i, r in enumerate(rows) if squeeze(r)[:1] == ["项目名称"]]
    out = {}
    for k, (i, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(rows)
        out[name] = rows[i:end]
    return out


def value_right_of(rows: list[list], label: str, occurrence: int = 0):
    hits = []
    for r in rows:
        vals = squeeze(r)
        for j, v in enumerate(vals):
            if v == label:
                hits.append(vals[j + 1] if j + 1 < len(vals) else None)
    return hits[occurrence]


def as_decimal(v) -> Decimal:
    return Decimal(str(v).replace(",", "")).quantize(Decimal("0.01"))


def test_sheets_in_order(book):
    assert book.sheetnames == ["汇总表", "指标明细", "资金汇总", "校验结果"]


def test_title_is_the_first_row(book):
    assert book["汇总表"]["A1"].value == TITLE


def test_every_project_has_its_form(book):
    assert list(blocks(grid(book["汇总表"]))) == NAMES


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_header_fields_stand(book, name):
    rows = blocks(grid(book["汇总表"]))[name]
    assert value_right_of(rows, "项目性质") == "其他一次性项目"
    assert value_right_of(rows, "项目类别") == "特定目标类"
    assert value_right_of(rows, "主管部门") == "上海市卫生健康委员会"
    assert value_right_of(rows, "实施单位") == "上海市计划生育协会"
    assert value_right_of(rows, "计划开始日期") == dt.datetime(2024, 1, 1)
    assert value_right_of(rows, "计划完成日期") == dt.datetime(2024, 12, 31)


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_funds_stand(book, name):
    rows = blocks(grid(book["汇总表"]))[name]
    assert as_decimal(value_right_of(rows, "年度资金申请总额")) == ANNUAL[name]
    assert as_decimal(value_right_of(rows, "其中：当年财政拨款")) == ANNUAL[name]
    assert as_decimal(value_right_of(rows, "上年结转资金")) == 0
    assert as_decimal(value_right_of(rows, "其他资金", 1)) == 0  # the annual block's
    # the seed leaves the multi-year block blank: the next thing right of the label is a label
    assert value_right_of(rows, "项目资金总额") == "年度资金申请总额"


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_annual_goal_stands_below_its_label(book, name, made):
    ws = book["汇总表"]
    rows = blocks(grid(ws))[name]
    label_row = next(i for i, r in enumerate(rows) if "年度总体目标" in r)
    col = rows[label_row].index("年度总体目标")
    text = rows[label_row + 1][col]
    project = next(p for p in made.declaration.projects if p.name == name)
    assert text == project.annual_goal
    assert text.startswith(GOAL_STARTS[name])
    assert "<p>" not in text


def test_all_41_indicator_rows_stand_with_exact_values(book):
    ws = book["汇总表"]
    found = []
    for name, rows in blocks(grid(ws)).items():
        header = next(i for i, r in enumerate(rows) if "三级指标" in r)
        for r in rows[header + 1 :]:
            vals = squeeze(r)
            if vals and "".join(str(vals[0]).split()) == "绩效指标":  # the block's row label
                vals = vals[1:]
            if vals and not re.fullmatch(r"财政项目支出绩效目标申报表|[(（]2024年度[)）]", str(vals[0])):
                found.append((name, *vals))
    assert found == EXPECTED


def test_indicator_values_are_text_not_formulas(made):
    ws = openpyxl.load_workbook(made.output)["汇总表"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=10.00(所)", "<100(百分比)", "及时", "7.11世界人口日主题参与人数"):
        assert cells[text].data_type == "s", text
    assert cells["=10.00(所)"].quotePrefix


def test_page_setup_prints_one_form_per_page(book):
    ws = book["汇总表"]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1 is the default (omitted)
    starts = [i + 1 for i, r in enumerate(grid(ws)) if r[0] == "财政项目支出绩效目标申报表"]
    assert len(starts) == 4
    assert [b.id + 1 for b in ws.row_breaks.brk] == starts[1:]


def test_cjk_font_everywhere(book):
    ws = book["汇总表"]
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"宋体"}


def test_round_trip_through_the_importer(made, seed_path):
    back = read_sources([made.output])
    assert back.declaration.content() == made.declaration.content()
    assert back.declaration.content() == read_sources([seed_path]).declaration.content()
    assert back.findings == []


def test_indicator_sheet_has_one_row_per_indicator(book):
    ws = book["指标明细"]
    assert [c.value for c in ws[1]] == ["项目", "实施单位", "一级指标", "二级指标", "三级指标", "运算符", "数值", "单位", "指标值", "定性/定量"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3], r[4], r[8]) for r in rows] == EXPECTED
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:J42"  # filter buttons over the whole table
    by_value = {r[8]: r for r in rows}
    assert by_value["=10.00(所)"][5:8] == ["=", 10, "所"]
    assert by_value["<100(百分比)"][5:8] == ["<", 100, "百分比"]
    assert by_value["及时"][5:8] == [None, None, None]
    assert by_value["及时"][9] == "定性" and by_value["=10.00(所)"][9] == "定量"
    assert ws.cell(row=2, column=7).number_format == "0.00"


def test_funds_total_is_a_formula_with_its_cached_value(made):
    book = openpyxl.load_workbook(made.output)
    ws = book["资金汇总"]
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    annual_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "年度资金申请总额")
    cell = ws.cell(total_row, annual_col)
    assert cell.value == f"=SUM({cell.column_letter}3:{cell.column_letter}6)"
    assert cell.number_format == "#,##0.00"
    # cached value, as a reader that does not recalculate sees it
    cached = openpyxl.load_workbook(made.output, data_only=True)["资金汇总"].cell(total_row, annual_col).value
    assert Decimal(str(cached)) == Decimal("4233700")
    with zipfile.ZipFile(made.output) as zf:
        xml = zf.read("xl/worksheets/sheet3.xml").decode()
    assert re.search(rf'<c r="{cell.coordinate}"[^>]*><f>SUM\(\w+3:\w+6\)</f><v>4233700</v></c>', xml)
    assert f"{Decimal(str(cached)):,.2f}" == "4,233,700.00"


def test_funds_total_seen_by_calamine(made):
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(made.output)).get_sheet_by_name("资金汇总").to_python()
    total = next(r for r in rows if r[0] == "合计")
    assert 4233700.0 in total


def test_funds_sheet_has_a_bar_chart_of_the_annual_amounts(book):
    ws = book["资金汇总"]
    (chart,) = ws._charts
    assert chart.type == "bar"
    (series,) = chart.series
    assert series.val.numRef.f.replace("'", "") == "资金汇总!$F$3:$F$6"
    cat = series.cat.numRef or series.cat.strRef
    assert cat.f.replace("'", "") == "资金汇总!$A$3:$A$6"


def test_findings_sheet_lists_what_check_reports(book, made):
    ws = book["校验结果"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == max(len(made.findings), 1)
    assert [r[1] for r in rows if r[1]] == [f.code for f in made.findings]
