"""Rendering one project from the template: layout, moved formulas, merges, checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from test_workbook_golden import seed_declaration
from xltargets.errors import TemplateError
from xltargets.importing import import_grid, read_sources
from xltargets.model import Funds, Indicator, Project
from xltargets.targets import parse_target
from xltargets.workbook import load_template, render_project
from xltargets.workbook.lists import LISTS_SHEET
from xltargets.workbook.template import parse_template

SEED = seed_declaration()


def _ind(l1, l2, l3, value):
    return Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(value).target)


def _render(project, **kw):
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    used = render_project(ws, project, **kw)
    return wb, ws, used


def _merges(ws):
    return {str(r) for r in ws.merged_cells.ranges}


def _sheet_values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture(scope="module")
def family():
    """Seed project 2: 13 indicators, 一级 groups of 1, 5+1+1, 2+1, 2."""
    return SEED.projects[1]


def test_rows_used_and_indicator_block(family):
    wb, ws, used = _render(family)
    n = len(family.indicators)
    assert used == 12 + n
    assert ws["E12"].value == "年度(/项目)指标值"
    assert [ws.cell(row=13 + i, column=4).value for i in range(n)] == [i.level3 for i in family.indicators]
    assert [ws.cell(row=13 + i, column=5).value for i in range(n)] == [i.value for i in family.indicators]


def test_equal_level1_and_level2_are_merged(family):
    wb, ws, used = _render(family)
    merges = _merges(ws)
    # 产出指标 rows 14–20, 数量指标 rows 14–18; the block label spans the table
    assert "B14:B20" in merges and "C14:C18" in merges
    assert "A12:A25" in merges
    assert ws["B15"].value is None and ws["C15"].value is None
    # every 指标值 cell is merged across E:F
    assert all(f"E{r}:F{r}" in merges for r in range(13, 26))


def test_check_formulas_follow_their_rows(family):
    wb, ws, used = _render(family, blank_rows=2)
    last = 12 + len(family.indicators) + 2
    for r in (13, 20, last):
        f = ws.cell(row=r, column=7).value
        # 一级/二级 as columns from the table's first row (merged cells inherit), 三级/指标值 of this row
        assert f.startswith(f"=IFERROR(XLT_CHECK_ROW($B$13:B{r},$C$13:C{r},$D$13:D{r},E{r})")
        assert f"$D$13:D{r}=D{r}" in f  # a repeated 三级 is flagged where it repeats, as check does
    assert f"$G$13:$G${last}" in ws["G1"].value
    assert f"$B$13:$B${last}" in ws["G2"].value


def test_validation_and_formatting_cover_every_row(family):
    wb, ws, used = _render(family, blank_rows=3)
    last = 12 + len(family.indicators) + 3
    sqrefs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert f"B13:B{last}" in sqrefs and sqrefs[f"B13:B{last}"].formula1 == "一级指标"
    assert "INDIRECT" in sqrefs[f"C13:C{last}"].formula1
    assert {"D3", "F3", "B5 D5"} <= set(sqrefs)
    cf = {str(c.sqref) for c in ws.conditional_formatting}
    assert f"E13:F{last}" in cf and "E6:F6" in cf


def test_blank_rows_are_styled_and_ignored_by_the_importer(family, tmp_path):
    wb, ws, used = _render(family, blank_rows=4)
    last = 12 + len(family.indicators) + 4
    assert ws.cell(row=last, column=4).border.bottom.style == "thin"
    assert ws.cell(row=last, column=4).value is None
    wb.save(tmp_path / "b.xlsx")
    back = read_sources([tmp_path / "b.xlsx"]).declaration.projects[0]
    assert back.content() == family.content()


def test_no_indicators_leaves_one_row():
    wb, ws, used = _render(Project(name="空项目"))
    assert used == 13
    assert ws["B13"].value is None and ws["G13"].value.startswith("=IFERROR(")


def test_forms_stack_at_any_row_and_read_back(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "上海市计划生育协会2024年度项目绩效目标汇总表"
    row = 3
    for p in SEED.projects:
        row += render_project(ws, p, start_row=row, checks=False) + 1
    assert ws["A1"].value.endswith("汇总表")
    assert LISTS_SHEET not in wb.sheetnames  # checks=False adds nothing
    assert ws.max_column == 6 and not ws.data_validations.dataValidation
    assert not list(ws.conditional_formatting)
    wb.save(tmp_path / "s.xlsx")
    back = read_sources([tmp_path / "s.xlsx"]).declaration
    assert [p.content() for p in back.projects] == [p.content() for p in SEED.projects]


def test_stacked_with_checks_moves_the_check_formulas():
    wb = Workbook()
    ws = wb.active
    used = render_project(ws, SEED.projects[0], start_row=1)
    render_project(ws, SEED.projects[1], start_row=used + 2)
    top = used + 2
    assert ws.cell(row=top + 5, column=7).value.count(f"E{top + 5}") >= 2  # funds check of form 2
    assert LISTS_SHEET in wb.sheetnames


def test_text_that_looks_like_numbers_stays_text():
    p = Project(name="=1+1", unit="0012", department="2024-01-01", annual_goal="7.11世界人口日",
                indicators=[_ind("产出指标", "数量指标", "529", "=10.00(所)")])
    wb, ws, used = _render(p)
    for ref, text in {"B3": "=1+1", "D4": "0012", "B4": "2024-01-01", "D11": "7.11世界人口日", "D13": "529", "E13": "=10.00(所)"}.items():
        assert ws[ref].value == text and ws[ref].data_type == "s", ref


def test_amounts_and_dates_are_typed():
    p = Project(name="x", start=dt.date(2024, 1, 1), funds=Funds(annual=Decimal("1391700.00")))
    wb, ws, used = _render(p)
    assert ws["B5"].value == dt.date(2024, 1, 1) and ws["B5"].number_format == "yyyy-mm-dd"
    assert ws["E6"].value == Decimal("1391700.00") and ws["E6"].number_format == "#,##0.00"


def test_long_text_grows_its_row():
    short = _render(Project(name="x", annual_goal="短"))[1].row_dimensions[11].height
    long = _render(SEED.projects[2])[1].row_dimensions[11].height
    assert long > 4 * short


def test_page_setup_is_print_ready(family):
    wb, ws, used = _render(family)
    assert ws.print_area == f"'表'!$A$1:$F${used}"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "1:2"
    assert ws["D13"].font.name == "宋体" and ws["D13"].alignment.wrap_text


# --- templates written by hand: content below the repeat row, mistakes ----------------


def _template(tmp_path, cells, name="t.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    for ref, value in cells.items():
        ws[ref] = value
    path = tmp_path / name
    wb.save(path)
    return path


def test_content_below_the_repeat_row_moves_down(tmp_path):
    path = _template(tmp_path, {
        "A1": "{{ project.name }}",
        "A2": "{% for ind in project.indicators %}{{ ind.level3 }}",
        "B2": "{{ ind.value }}",
        "C2": "=LEN(A2)",
        "A3": "合计",
        "B3": "=COUNTA(A2:A2)",
        "C3": "=A1&A3",
    })
    t = load_template(path)
    p = Project(name="P", indicators=[_ind("产出指标", "数量指标", f"指标{i}", "=1.00(个)") for i in range(3)])
    wb, ws, used = _render(p, template=t, checks=False)
    assert used == 5
    assert [ws.cell(row=r, column=1).value for r in range(1, 6)] == ["P", "指标0", "指标1", "指标2", "合计"]
    assert ws["C4"].value == "=LEN(A4)"
    assert ws["B5"].value == "=COUNTA(A2:A4)" and ws["C5"].value == "=A1&A5"


@pytest.mark.parametrize(
    "cells, message",
    [
        pytest.param({"A1": "{{ project.name "}, "A1", id="syntax-error-names-cell"),
    ],
)
def test_broken_templates_are_refused(tmp_path, cells, message):
    with pytest.raises(TemplateError, match=message):
        load_template(_template(tmp_path, cells))


def test_a_merge_across_two_loops_bands_is_refused(tmp_path):
    path = _template(tmp_path, {"A1": "{% for a in project.tasks %}{{ a }}", "A2": "x",
                                "A3": "{% for ind in project.indicators %}{{ ind.level3 }}"})
    wb = load_workbook(path)
    wb.active.merge_cells("B1:B2")  # row 1 ends the first band
    wb.save(path)
    with pytest.raises(TemplateError, match=r"B1:B2.*第 1–1 行、第 2–3 行"):
        load_template(path)


def test_two_repeat_rows_are_laid_out_band_by_band(tmp_path):
    """Several loops (the 部门整体 form: tasks, then indicators): each band below the one before,
    merges and heights moved with their band, blank rows on the last loop."""
    path = _template(tmp_path, {
        "A1": "{{ project.name }}",
        "A2": "任务",
        "B2": "{% for task in project.tasks %}{{ task }}",
        "A3": "指标",
        "B4": "{% for ind in project.indicators %}{{ ind.level3 }}",
        "C4": "{{ ind.value }}",
        "A5": "完",
    })
    wb = load_workbook(path)
    wb.active.merge_cells("A3:A4")
    wb.active.row_dimensions[3].height = 30
    wb.save(path)
    t = load_template(path)
    assert (t.rows, t.repeat_row, t.loop_var) == ((1, 2), 2, "task")
    assert [(b.rows, b.repeat_row, b.loop_var) for b in t.bands] == [((3, 5), 4, "ind")]
    p = Project(name="P", tasks=["甲", "乙", "丙"],
                indicators=[_ind("产出指标", "数量指标", f"指标{i}", f"={i}.00(个)") for i in range(2)])
    wb, ws, used = _render(p, template=t, checks=False, blank_rows=1)
    assert used == 9
    assert _sheet_values(ws)[:9] == [
        ["P", None, None], ["任务", "甲", None], ["任务", "乙", None], ["任务", "丙", None],
        ["指标", None, None], [None, "指标0", "=0.00(个)"], [None, "指标1", "=1.00(个)"], [None, None, None],
        ["完", None, None]]
    assert "A5:A8" in _merges(ws)  # the 指标 label grew over its loop's rows, in its own band
    assert ws.row_dimensions[5].height == 30
    # no tasks: the tasks' row is still there once, empty
    wb, ws, used = _render(Project(name="Q"), template=t, checks=False)
    assert used == 5 and ws["A2"].value == "任务" and ws["B2"].value in (None, "")


def test_unknown_field_fails_when_rendering(tmp_path):
    t = load_template(_template(tmp_path, {"B7": "{{ project.nmae }}"}))
    with pytest.raises(TemplateError, match="B7"):
        _render(Project(name="x"), template=t)


def test_missing_template_file(tmp_path):
    with pytest.raises(TemplateError, match="找不到模板"):
        load_template(tmp_path / "nope.xlsx")


def test_shipped_template_has_one_repeat_row_and_print_area():
    t = load_template()
    assert t.repeat_row == 13 and t.loop_var == "ind"
    assert t.print_columns == (1, 6)
    texts = {c.static for c in t.cells if isinstance(c.static, str)}
    for label in ("项目名称", "项目性质", "项目类别", "主管部门", "实施单位", "计划开始日期", "计划完成日期",
                  "项目资金总额", "其中：财政资金", "其他资金", "年度资金申请总额", "其中：当年财政拨款",
                  "上年结转资金", "项目总目标", "年度总体目标", "一级指标", "二级指标", "三级指标",
                  "年度(/项目)指标值", "财政项目支出绩效目标申报表"):
        assert label in texts, label


def test_importer_reads_a_grid_read_by_calamine(family, tmp_path):
    """The same path the add-in uses: plain values of the sheet into the importer."""
    wb, ws, used = _render(family)
    wb.save(tmp_path / "g.xlsx")
    import python_calamine as pc

    values = pc.CalamineWorkbook.from_path(str(tmp_path / "g.xlsx")).get_sheet_by_name("表").to_python()
    assert import_grid(values).declaration.projects[0].content() == family.content()


def test_parse_template_accepts_a_loaded_workbook(tmp_path):
    path = _template(tmp_path, {"A1": "{{ project.name }}"})
    t = parse_template(load_workbook(path), path)
    assert t.repeat_row is None
    wb, ws, used = _render(Project(name="只有名称"), template=t, checks=False)
    assert ws["A1"].value == "只有名称" and used == 1


def test_validation_and_formatting_formulas_fit_excels_limit(family):
    """Excel refuses (repairs) validation and conditional-format formulas over 255 characters."""
    wb, ws, used = _render(family, start_row=1, blank_rows=1000)
    formulas = [dv.formula1 or "" for dv in ws.data_validations.dataValidation]
    formulas += [dv.formula2 or "" for dv in ws.data_validations.dataValidation]
    formulas += [f for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula]
    assert formulas and max(len(f) for f in formulas) <= 255


def test_value_format_does_not_mark_an_empty_value():
    """Excel's FIND("", text) is 1 (LibreOffice's is an error, so the LibreOffice tests cannot see it):
    the 指标值 test must not read an empty cell's first character as "" or every empty 指标值 is marked."""
    import re

    from xltargets.workbook.checks import CF_RULES, value_suspect_formula

    assert re.search(r"FIND\(LEFT\(\$?E13&\" \"\)", value_suspect_formula("E13"))
    assert not re.search(r"FIND\(LEFT\(\$?E13\)", value_suspect_formula("E13").split(">", 1)[0])
    assert any(value_suspect_formula("$E13") in f for _, f, _ in CF_RULES())
