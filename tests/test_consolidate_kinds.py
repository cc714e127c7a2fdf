"""Issue 15 point 6: the 汇总表 lays out a 自评表 and a 部门整体 form each with its own template."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xltargets.importing import read_path
from xltargets.pipeline import consolidate

import layouts
from test_consolidate_libreoffice import pdf_text

REAL_ZIPING = Path(__file__).parent / "realforms" / "anhui-chizhou-tangxi-2022-ziping.xlsx"


def _grid_file(path: Path, grid) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in grid:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    work = tmp_path_factory.mktemp("kinds")
    dept = _grid_file(work / "部门整体.xlsx", layouts.department())
    result = consolidate([REAL_ZIPING, dept], work / "汇总表.xlsx", cwd=work)
    return result


@pytest.fixture(scope="module")
def sheet(made):
    return load_workbook(made.output)["汇总表"]


def texts(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


#: the 自评 section (the real form from 安徽池州棠溪镇, tests/realforms): cell → label or value
ZIPING = {
    "A3": "项目支出绩效自评表", "A4": "(2022年度)",
    "A5": "项目名称", "B5": "委托业务项目", "E5": "主管部门", "F5": "219-池州市贵池区棠溪镇人民政府",
    "A6": "实施单位", "B6": "219001-池州市贵池区棠溪镇人民政府", "E6": "项目类别",
    "A7": "项目资金\n（万元）", "C7": "年初预算数", "D7": "全年预算数", "E7": "全年执行数",
    "F7": "分值", "G7": "执行率", "H7": "得分",
    "B8": "年度资金总额", "C8": 0, "D8": 0, "E8": 0, "F8": "10", "G8": "0", "H8": "0",
    "B9": "其中：当年财政拨款", "C9": 90,
    "A10": "年度总体目标", "B10": "预期目标", "E10": "实际完成情况",
    "B11": "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
           "30万元用于基建工程项目设计、规划、测绘。",
    "E11": "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
           "29.99万元用于基建工程项目设计、规划、测绘。",
    "A12": "一级指标", "B12": "二级指标", "C12": "三级指标", "D12": "年度指标值", "E12": "实际完成值",
    "F12": "分值", "G12": "得分", "H12": "偏差原因分析及改进措施",
    "A13": "产出指标", "B13": "数量指标", "C13": "基建工程委托业务项目数量", "D13": "≥50个", "E13": "50",
    "F13": "8", "G13": "8",
    "B14": "质量指标", "C14": "委托业务报告合格率",
    "B17": "成本指标", "C17": "项目总成本", "D17": "≤90万元", "E17": "90",
    "A19": "效益指标", "B19": "社会效益指标", "C21": "对推动基建项目“四项制度”健全和落实的持续性影响",
    "D21": "效果明显", "E21": "达成预期指标", "F21": "10", "G21": "10",
}

#: the 部门整体 sheet (tests/layouts.department()): its own sheet, its own columns (A–E)
DEPARTMENT = {
    "A1": "部门整体支出绩效目标表", "A2": "(2024年度)",
    "A3": "部门名称", "B3": "某市生态环境局",
    "A4": "部门资金\n（万元）", "B4": "年度资金总额", "D4": 1250, "B5": "其中：财政拨款", "D5": 1200,
    "B6": "上年结转资金", "D6": None, "B7": "其他资金", "D7": 50,
    # 年度主要任务: one row a task, split into its cells as written (the source's heading row first)
    "A8": "年度主要任务", "B8": "任务名称", "D8": "主要内容", "E8": "预算金额",
    "A9": None, "B9": "大气污染防治", "D9": "开展重点行业治理", "E9": "800.00",
    "A10": None, "B10": "水环境监测", "D10": "完成断面监测", "E10": "450.00",
    "A11": "整体绩效目标", "B11": "空气质量优良天数比例稳定提升。",
    "A12": "绩效指标", "B12": "一级指标", "C12": "二级指标", "D12": "三级指标", "E12": "年度指标值",
    "B13": "产出指标", "C13": "数量指标", "D13": "监测断面数", "E13": "≥30个",
    "B14": "效益指标", "C14": "生态效益指标", "D14": "空气质量优良天数比例", "E14": "≥85%",
    "B15": "满意度指标", "C15": "服务对象满意度指标", "D15": "群众满意度", "E15": "≥90%",
}
DEPARTMENT_SHEET = "部门整体支出绩效目标表"


@pytest.fixture(scope="module")
def department_sheet(made):
    return load_workbook(made.output)[DEPARTMENT_SHEET]


def test_each_kind_has_its_own_sheet_in_order_of_first_appearance(made):
    assert load_workbook(made.output).sheetnames == ["汇总表", DEPARTMENT_SHEET, "指标明细", "资金汇总", "校验结果"]


def test_self_assessment_cells(sheet):
    got = {ref: sheet[ref].value for ref in ZIPING}
    assert got == ZIPING


def test_department_cells(department_sheet):
    got = {ref: department_sheet[ref].value for ref in DEPARTMENT}
    assert got == DEPARTMENT


def _spans(ws) -> set[str]:
    """The sheet's merged ranges and its one-row ranges centred across (consolidate/across.py: a label
    merge of one-line centred text is written that way; it looks the same)."""
    from openpyxl.utils import get_column_letter

    spans = {str(r) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows():
        run: list = []
        for cell in [*row, None]:
            across = cell is not None and cell.alignment.horizontal == "centerContinuous"
            if across and (not run or cell.value is None):
                run.append(cell)
                continue
            if len(run) > 1:
                spans.add(f"{run[0].coordinate}:{get_column_letter(run[-1].column)}{run[-1].row}")
            run = [cell] if across else []
    return spans


def test_self_assessment_rows_are_boxed_and_merged_like_the_template(sheet):
    merged = _spans(sheet)
    assert {"A3:H3", "A7:A9", "D9:H9", "B10:D10", "E10:H10", "B11:D11", "E11:H11", "A13:A16", "A17:A18", "A19:A21"} <= merged
    for ref in ("A5", "H12", "H13", "G21"):
        assert sheet[ref].border.left.style == "thin", ref


def test_department_tasks_are_a_table(department_sheet):
    """One row a task: the label merged down the task rows, the task over B:C, its content, its amount
    right-aligned; boxed like the rest of the form."""
    ws = department_sheet
    merged = _spans(ws)
    assert {"A1:E1", "A4:A7", "A8:A10", "B8:C8", "B9:C9", "B10:C10", "B11:E11", "A12:A15"} <= merged
    for ref in ("B9", "D9", "E9", "E10", "E15"):
        assert ws[ref].border.left.style == "thin" and ws[ref].border.bottom.style == "thin", ref
    assert ws["E9"].alignment.horizontal == "right" and ws["A8"].font.b


def test_print_ready_each_kind_in_its_own_columns(sheet, department_sheet):
    assert sheet.print_area == "'汇总表'!$A$1:$H$21"
    assert department_sheet.print_area == f"'{DEPARTMENT_SHEET}'!$A$1:$E$15"
    for ws in (sheet, department_sheet):
        ps = ws.page_setup
        assert (ps.paperSize, ps.orientation, ps.fitToWidth or 1, ps.fitToHeight) == (9, "portrait", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_options.horizontalCentered
        assert "第 &P 页" in ws.oddFooter.center.text
    # columns sized for each kind's content (templates/make_kind_templates.py)
    assert {c: sheet.column_dimensions[c].width for c in "DFH"} == pytest.approx({"D": 18, "F": 8, "H": 22}, abs=0.8)
    assert {c: department_sheet.column_dimensions[c].width for c in "ADE"} == pytest.approx(
        {"A": 12, "D": 38, "E": 16}, abs=0.8)


def test_a_project_only_declaration_keeps_the_project_print_area(tmp_path, seed_path):
    made = consolidate([seed_path], tmp_path / "汇总表.xlsx", cwd=tmp_path)
    wb = load_workbook(made.output)
    assert wb.sheetnames == ["汇总表", "指标明细", "资金汇总", "校验结果"]
    ws = wb["汇总表"]
    assert ws.print_area.split("!")[1].startswith("$A$1:$F$")
    assert ws.column_dimensions["H"].width != pytest.approx(26, abs=0.1)


def test_three_kinds_read_back_grouped_by_kind(tmp_path, seed_path):
    """Project forms, then a 部门整体 form, then a 自评: three sheets; reading the 汇总表 back gives
    every form, grouped by kind in the order the kinds first appear (docs/consolidate.md)."""
    dept = _grid_file(tmp_path / "部门整体.xlsx", layouts.department())
    sources = [seed_path, dept, REAL_ZIPING]
    made = consolidate(sources, tmp_path / "汇总表.xlsx", cwd=tmp_path)
    wb = load_workbook(made.output)
    assert wb.sheetnames[:3] == ["汇总表", DEPARTMENT_SHEET, "项目支出绩效自评表"]
    back = read_path(made.output).declaration.projects
    assert [p.kind for p in back] == ["project"] * 4 + ["department", "self_assessment"]
    want = [p.content() for s in sources for p in read_path(s).declaration.projects]
    assert [p.content() for p in back] == want


@pytest.mark.libreoffice
def test_each_kind_prints_on_its_own_pages(tmp_path, soffice):
    """The PDF prints every form sheet in order, page numbers running on: the 自评 page, then the
    部门整体 page with its tasks as table rows (task, content, amount on one line)."""
    from test_consolidate_libreoffice import pdf_pages

    dept = _grid_file(tmp_path / "部门整体.xlsx", layouts.department())
    made = consolidate([REAL_ZIPING, dept], tmp_path / "汇总表.xlsx", cwd=tmp_path, pdf=True)
    assert pdf_pages(made.pdf) == 2
    text = pdf_text(made.pdf)
    for want in ("项目支出绩效自评表", "委托业务项目", "全年执行数", "执行率", "实际完成情况",
                 "本项目共完成预算资金89.97万元", "偏差原因分析及改进措施", "≤90万元", "严格执行相关制度规定",
                 "≥50个", "达成预期指标", "第1页，共2页", "第2页，共2页",
                 "部门整体支出绩效目标表", "年度主要任务"):
        assert want in text, want
    assert text.index("项目支出绩效自评表") < text.index("部门整体支出绩效目标表")
    # the printed lines (poppler's layout mode): each task is one table row
    lines = [line.split() for line in subprocess.run(
        ["pdftotext", "-layout", str(made.pdf), "-"], capture_output=True, text=True, check=True).stdout.splitlines()]
    for row in (["任务名称", "主要内容", "预算金额"], ["大气污染防治", "开展重点行业治理", "800.00"],
                ["水环境监测", "完成断面监测", "450.00"]):
        assert any(line[-3:] == row for line in lines), row


def test_the_summary_reads_back_as_the_same_forms(made):
    """The 汇总表 is a valid source (docs/consolidate.md): each kind's section reads back with its
    kind, execution, funds, money unit, tasks and indicators."""
    sources = [REAL_ZIPING, made.output.parent / "部门整体.xlsx"]
    want = [p.content() for s in sources for p in read_path(s).declaration.projects]
    got = [p.content() for p in read_path(made.output).declaration.projects]
    assert [p["kind"] for p in got] == ["self_assessment", "department"]
    assert got == want
