"""Issue 15 point 6: the 汇总表 lays out a 自评表 and a 部门整体 form each with its own template."""

from __future__ import annotations

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
    "A7": "项目资金（万元）", "C7": "年初预算数", "D7": "全年预算数", "E7": "全年执行数",
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

#: the 部门整体 section (tests/layouts.department()), after the 自评 section and a blank row
DEPARTMENT = {
    "A23": "部门整体支出绩效目标表", "A24": "(2024年度)",
    "A25": "部门名称", "B25": "某市生态环境局",
    "A26": "部门资金\n（万元）", "B26": "年度资金总额", "D26": 1250, "B27": "其中：财政拨款", "D27": 1200,
    "B28": "上年结转资金", "D28": None, "B29": "其他资金", "D29": 50,
    "A30": "年度主要任务",
    "B30": "任务名称 | 主要内容 | 预算金额\n大气污染防治 | 开展重点行业治理 | 800.00\n水环境监测 | 完成断面监测 | 450.00",
    "A31": "整体绩效目标", "B31": "空气质量优良天数比例稳定提升。",
    "A32": "绩效指标", "B32": "一级指标", "C32": "二级指标", "D32": "三级指标", "E32": "年度指标值",
    "B33": "产出指标", "C33": "数量指标", "D33": "监测断面数", "E33": "≥30个",
    "B34": "效益指标", "C34": "生态效益指标", "D34": "空气质量优良天数比例", "E34": "≥85%",
    "B35": "满意度指标", "C35": "服务对象满意度指标", "D35": "群众满意度", "E35": "≥90%",
}


@pytest.mark.parametrize("expected", [ZIPING, DEPARTMENT], ids=["self_assessment", "department"])
def test_section_cells(sheet, expected):
    got = {ref: sheet[ref].value for ref in expected}
    assert got == expected


def test_self_assessment_rows_are_boxed_and_merged_like_the_template(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:H3", "A7:A9", "D9:H9", "B10:D10", "E10:H10", "B11:D11", "E11:H11", "A13:A16", "A17:A18", "A19:A21"} <= merged
    assert {"A23:F23", "A26:A29", "B30:F30", "A32:A35", "E33:F33"} <= merged
    for ref in ("A5", "H12", "H13", "G21", "E35"):
        assert sheet[ref].border.left.style == "thin", ref
    assert sheet["B30"].alignment.wrap_text


def test_print_ready_like_the_project_form(sheet):
    assert sheet.print_area == "'汇总表'!$A$1:$H$35"
    ps = sheet.page_setup
    assert (ps.paperSize, ps.orientation, ps.fitToWidth or 1, ps.fitToHeight) == (9, "portrait", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered
    assert [b.id for b in sheet.row_breaks.brk] == [22]  # the 部门整体 section starts a page
    assert "第 &P 页" in sheet.oddFooter.center.text
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["D"] == pytest.approx(32, abs=0.1) and widths["H"] == pytest.approx(26, abs=0.1)


def test_a_project_only_declaration_keeps_the_project_print_area(tmp_path, seed_path):
    made = consolidate([seed_path], tmp_path / "汇总表.xlsx", cwd=tmp_path)
    ws = load_workbook(made.output)["汇总表"]
    assert ws.print_area.split("!")[1].startswith("$A$1:$F$")
    assert ws.column_dimensions["H"].width != pytest.approx(26, abs=0.1)


@pytest.mark.libreoffice
def test_self_assessment_section_prints(tmp_path, soffice):
    made = consolidate([REAL_ZIPING], tmp_path / "汇总表.xlsx", cwd=tmp_path, pdf=True)
    text = pdf_text(made.pdf)
    for want in ("项目支出绩效自评表", "委托业务项目", "全年执行数", "执行率", "实际完成情况",
                 "本项目共完成预算资金89.97万元", "偏差原因分析及改进措施", "≤90万元", "严格执行相关制度规定",
                 "≥50个", "达成预期指标"):
        assert want in text, want


def test_the_summary_reads_back_as_the_same_forms(made):
    """The 汇总表 is a valid source (docs/consolidate.md): each kind's section reads back with its
    kind, execution, funds, money unit, tasks and indicators."""
    sources = [REAL_ZIPING, made.output.parent / "部门整体.xlsx"]
    want = [p.content() for s in sources for p in read_path(s).declaration.projects]
    got = [p.content() for p in read_path(made.output).declaration.projects]
    assert [p["kind"] for p in got] == ["self_assessment", "department"]
    assert got == want
