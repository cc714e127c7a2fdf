"""Amounts in 万元 keep their unit everywhere they are written (issue 15, point 1).

The importer keeps a form's unit in ``Project.money_unit`` without converting;
the writers must print it: the form's 项目资金 label (the template's
``{{ project.money_unit }}``), the 填写说明 list, the 汇总表 (forms sheet,
资金汇总 and its chart), and ``diff`` reports a change of unit instead of
comparing 1,125 万元 with 1,125 元 as equal.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import zipfile

import openpyxl
import pytest

from xltargets.consolidate import write_workbook
from xltargets.consolidate.funds_sheet import SHEET_NAME as FUNDS
from xltargets.diff.changes import compare
from xltargets.diff.report import describe
from xltargets.importing import read_path
from xltargets.model import Declaration, Funds, Project
from xltargets.workbook.build import build_workbook
from xltargets.workbook.instructions import INSTRUCTIONS_SHEET, LIST_HEADER_ROW

WANYUAN_FORM = Path(__file__).parent / "realforms" / "anhui-jinzhai-kaifaqu-2021-wuye.xlsx"


def _project(name: str, unit: str, annual: str) -> Project:
    a = Decimal(annual)
    return Project(name=name, unit="示例单位", year=2024, money_unit=unit,
                   funds=Funds(annual=a, annual_fiscal=a, annual_carryover=Decimal("0.00"),
                               annual_other=Decimal("0.00")))


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.fixture(scope="module")
def wanyuan() -> Declaration:
    decl = read_path(WANYUAN_FORM).declaration
    assert [p.money_unit for p in decl.projects] == ["万元"]  # the form's label says 万元
    return decl


def test_round_trip_keeps_wanyuan_and_amounts(wanyuan, tmp_path):
    out = tmp_path / "wy.xlsm"
    build_workbook(wanyuan, out)
    back = read_path(out).declaration
    assert [p.money_unit for p in back.projects] == ["万元"]
    assert [p.funds for p in back.projects] == [p.funds for p in wanyuan.projects]
    assert back.projects[0].funds.annual == Decimal("1125.00")
    wb = openpyxl.load_workbook(out)
    form = wb[[n for n in wb.sheetnames if n != INSTRUCTIONS_SHEET][0]]
    assert "项目资金\n（万元）" in _texts(form)
    assert "项目资金\n（元）" not in _texts(form)
    assert wb[INSTRUCTIONS_SHEET].cell(row=LIST_HEADER_ROW, column=4).value == "年度资金申请总额（万元）"


def test_yuan_form_still_says_yuan(tmp_path):
    out = tmp_path / "y.xlsx"
    build_workbook(Declaration(projects=[_project("甲", "元", "571000.00")]), out)
    back = read_path(out).declaration
    assert back.projects[0].money_unit == "元"
    wb = openpyxl.load_workbook(out)
    assert "项目资金\n（元）" in _texts(wb["甲"])
    assert wb[INSTRUCTIONS_SHEET].cell(row=LIST_HEADER_ROW, column=4).value == "年度资金申请总额（元）"


def test_mixed_units_list_is_not_labelled_with_one_unit(tmp_path):
    out = tmp_path / "m.xlsx"
    build_workbook(Declaration(projects=[_project("甲", "元", "571000.00"), _project("乙", "万元", "57.10")]), out)
    ws = openpyxl.load_workbook(out)[INSTRUCTIONS_SHEET]
    assert ws.cell(row=LIST_HEADER_ROW, column=4).value == "年度资金申请总额（各表单位不同，未换算）"
    assert [ws.cell(row=LIST_HEADER_ROW + i, column=4).number_format for i in (1, 2)] == [
        '#,##0.00"元"', '#,##0.00"万元"']


def _consolidate(decl: Declaration, path: Path) -> openpyxl.Workbook:
    write_workbook(path, decl, [], title="汇总表")
    return openpyxl.load_workbook(path)


def test_consolidate_of_wanyuan_project_says_wanyuan(wanyuan, tmp_path):
    wb = _consolidate(wanyuan, tmp_path / "hz.xlsx")
    funds = wb[FUNDS]
    assert funds["C1"].value == "项目资金（万元）"
    assert funds["F1"].value == "年度资金申请（万元）"
    assert funds["A4"].value == "合计"
    assert funds["F4"].value == "=SUM(F3:F3)"
    forms = [ws for ws in wb.worksheets if "项目资金\n（万元）" in _texts(ws)]
    assert forms, "the stacked forms sheet labels the amounts 万元"
    assert not any("项目资金\n（元）" in _texts(ws) for ws in wb.worksheets)
    # the chart's title names the unit
    with zipfile.ZipFile(tmp_path / "hz.xlsx") as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert charts and "年度资金申请总额（万元）" in charts[0] and "（元）" not in charts[0]


def test_consolidate_never_sums_yuan_and_wanyuan(tmp_path):
    decl = Declaration(projects=[_project("甲", "元", "571000.00"), _project("乙", "万元", "57.10"),
                                 _project("丙", "元", "1000.00")])
    path = tmp_path / "hz.xlsx"
    wb = _consolidate(decl, path)
    ws = wb[FUNDS]
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    assert "合计" not in rows
    assert ws["J1"].value == "金额单位"
    assert (ws["C1"].value, ws["F1"].value) == ("项目资金（单位见“金额单位”列）", "年度资金申请（单位见“金额单位”列）")
    note = ws.cell(row=rows["合计（万元）"] + 2, column=1).value
    assert note.startswith("注：") and "单位不同（元、万元），未作换算" in note and "XLT-W111" in note
    assert [ws.cell(row=r, column=10).value for r in (3, 4, 5)] == ["元", "万元", "元"]
    yuan, wan = rows["合计（元）"], rows["合计（万元）"]
    assert ws.cell(row=yuan, column=6).value == '=SUMIF($J$3:$J$5,"元",F3:F5)'
    assert ws.cell(row=wan, column=6).value == '=SUMIF($J$3:$J$5,"万元",F3:F5)'
    values = openpyxl.load_workbook(path, data_only=True)[FUNDS]  # the cached results
    assert values.cell(row=yuan, column=6).value == 572000
    assert values.cell(row=wan, column=6).value == pytest.approx(57.1)
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/chart")], "no chart mixing 元 and 万元 bars"


def test_diff_reports_a_unit_change(wanyuan):
    old = wanyuan
    new = Declaration(projects=[p.model_copy(update={"money_unit": "元"}) for p in wanyuan.projects])
    comparison = compare(old, new)
    funds = [c for c in comparison.changes if c.kind == "funds_changed"]
    assert funds, "a change of unit is a change"
    unit = [c for c in funds if c.field == "money_unit"]
    assert [(c.old, c.new) for c in unit] == [("万元", "元")]
    annual = next(c for c in funds if c.field == "funds.annual")
    assert (annual.old, annual.new, annual.delta) == ("1,125.00 万元", "1,125.00 元", None)
    assert "万元 → 元" in describe(unit[0])
    assert compare(old, old).changes == []


def test_diff_names_wanyuan_in_a_change_of_amount(wanyuan):
    p = wanyuan.projects[0]
    new = p.model_copy(update={"funds": p.funds.model_copy(update={"annual": Decimal("1200.00")})})
    change = next(c for c in compare(wanyuan, Declaration(projects=[new])).changes if c.field == "funds.annual")
    assert (change.old, change.new, change.delta, change.unit) == ("1,125.00 万元", "1,200.00 万元", Decimal("75.00"), "万元")
    assert "+75.00 万元" in describe(change)


def test_new_project_in_a_wanyuan_workbook_is_in_wanyuan(wanyuan, tmp_path):
    """`xltargets new` adds a blank form in the workbook's unit; the 填写说明 list keeps saying 万元."""
    from xltargets.workbook.build import add_project_sheet, save_workbook
    from xltargets.workbook.newproject import new_project, open_workbook

    src = tmp_path / "wy.xlsx"
    build_workbook(wanyuan, src)
    project = new_project(wanyuan, "新项目")
    assert project.money_unit == "万元"
    wb = open_workbook(src)
    ws = add_project_sheet(wb, project)
    assert "项目资金\n（万元）" in _texts(ws)
    out = tmp_path / "wy2.xlsx"
    save_workbook(wb, out)
    back = read_path(out).declaration
    assert [p.money_unit for p in back.projects] == ["万元", "万元"]
    assert openpyxl.load_workbook(out)[INSTRUCTIONS_SHEET].cell(row=LIST_HEADER_ROW, column=4).value == "年度资金申请总额（万元）"


@pytest.mark.parametrize("unit", ["元", "万元"], ids=["yuan", "wanyuan"])
def test_funds_rule_messages_name_the_forms_unit(unit):
    from xltargets.rules import check_project

    p = _project("甲", unit, "100.00").model_copy(update={"funds": Funds(
        annual=Decimal("100.00"), annual_fiscal=Decimal("90.00"), total=Decimal("50.00"))})
    messages = [f.message for f in check_project(p) if f.code in ("XLT-E005", "XLT-W054")]
    assert len(messages) == 2
    other = "万元" if unit == "元" else "元"
    for m in messages:
        assert f"100.00 {unit}" in m
        assert f" {other}" not in m.replace(f" {unit}", "")


# -- every text that names the unit follows the form's unit (validation messages, 填写说明, G6) -------

def _funds_validation(ws):
    dv = next(dv for dv in ws.data_validations.dataValidation if "E6" in str(dv.sqref))
    return dv.error, dv.prompt


def _steps(ws) -> str:
    return "\n".join(t for t in _texts(ws) if "金额填写数字" in t)


@pytest.mark.parametrize("unit, other, example", [("元", "万元", "1000000.00"), ("万元", "（元", "100.00")],
                         ids=["yuan", "wanyuan"])
def test_funds_validation_messages_name_the_forms_unit(tmp_path, unit, other, example):
    out = tmp_path / "u.xlsx"
    build_workbook(Declaration(projects=[_project("甲", unit, "571.00")]), out)
    wb = openpyxl.load_workbook(out)
    error, prompt = _funds_validation(wb["甲"])
    assert error == f"请填写不小于 0 的金额（{unit}，两位小数），如 {example}。"
    assert prompt == f"单位：{unit}，两位小数"
    assert other not in error + prompt
    step = _steps(wb[INSTRUCTIONS_SHEET])
    assert f"金额填写数字（{unit}，两位小数）" in step and other not in step


def test_new_form_in_a_wanyuan_workbook_gets_wanyuan_messages(wanyuan, tmp_path):
    """The openpyxl path (`xltargets new`) renders the validation messages for the new form too."""
    from xltargets.workbook.build import add_project_sheet
    from xltargets.workbook.newproject import new_project, open_workbook

    src = tmp_path / "wy.xlsx"
    build_workbook(wanyuan, src)
    wb = open_workbook(src)
    ws = add_project_sheet(wb, new_project(wanyuan, "新项目"))
    error, prompt = _funds_validation(ws)
    assert "（万元，两位小数）" in error and prompt == "单位：万元，两位小数"
    assert "{{" not in error + prompt


def test_mixed_workbook_steps_name_no_single_unit(tmp_path):
    out = tmp_path / "m.xlsx"
    build_workbook(Declaration(projects=[_project("甲", "元", "571000.00"), _project("乙", "万元", "57.10")]), out)
    wb = openpyxl.load_workbook(out)
    step = _steps(wb[INSTRUCTIONS_SHEET])
    assert "以各表“项目资金”标明的为准" in step and "（元，" not in step and "（万元，" not in step
    assert [_funds_validation(wb[n])[1] for n in ("甲", "乙")] == ["单位：元，两位小数", "单位：万元，两位小数"]


def test_no_unit_text_in_the_writers_says_yuan_alone():
    """The writers' user-facing texts name 元 only through the form's unit (grep of issue 15 gap a)."""
    import re

    root = Path(__file__).resolve().parent.parent / "src" / "xltargets"
    allowed = {  # file → why a bare 元 is right there
        "workbook/instructions.py": "the 元 entry of AMOUNT_STEP and the fallback unit",
        "workbook/checks.py": "the G6 formula's fallback when the label does not say 万元",
    }
    found = []
    for sub in ("workbook", "consolidate"):
        for path in (root / sub).glob("*.py"):
            rel = path.relative_to(root).as_posix()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"[（(]元[，,）)]|单位为元", line) and rel not in allowed:
                    found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit", ["元", "万元"], ids=["yuan", "wanyuan"])
def test_funds_sum_check_cell_names_the_forms_unit(tmp_path, soffice, unit):
    """G6, recalculated by LibreOffice, gives the difference in the unit the 项目资金 label states."""
    from xltargets.libreoffice import convert

    p = _project("甲", unit, "100.00").model_copy(update={"funds": Funds(
        annual=Decimal("100.00"), annual_fiscal=Decimal("90.00"))})
    src = build_workbook(Declaration(projects=[p]), tmp_path / "f.xlsx")
    out = convert(src, "xlsx", tmp_path / "out")
    g6 = openpyxl.load_workbook(out, data_only=True)["甲"]["G6"].value
    assert g6.startswith("✗") and g6.endswith(f"（差 10.00 {unit}）"), g6


def test_consolidate_of_yuan_projects_says_yuan(tmp_path):
    """Gap b: the 资金汇总 headers name 元 as they name 万元 (and the chart title)."""
    path = tmp_path / "hz.xlsx"
    wb = _consolidate(Declaration(projects=[_project("甲", "元", "571000.00")]), path)
    funds = wb[FUNDS]
    assert (funds["C1"].value, funds["F1"].value) == ("项目资金（元）", "年度资金申请（元）")
    assert funds["A4"].value == "合计" and funds["A6"].value is None  # no note when the units agree
    with zipfile.ZipFile(path) as z:
        chart = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert "年度资金申请总额（元）" in chart


MIXED_SOURCES = [WANYUAN_FORM, WANYUAN_FORM.parent / "shaanxi-qingjian-jiaotong-2021-guoyuanlu.xlsx"]


@pytest.fixture(scope="module")
def mixed_summary(tmp_path_factory):
    from xltargets.pipeline import consolidate

    work = tmp_path_factory.mktemp("mixed")
    return consolidate(MIXED_SOURCES, work / "汇总表.xlsx", cwd=work)


def test_mixed_sources_are_a_finding_in_the_summary(mixed_summary):
    """Gap c: a 汇总表 of a 万元 file and a 元 file adds nothing across units and says so: XLT-W111 in
    the findings and in 校验结果, one total per unit, each form labelled with its own unit."""
    made = mixed_summary
    assert [p.money_unit for p in made.declaration.projects] == ["万元", "元"]
    w111 = [f for f in made.findings if f.code == "XLT-W111"]
    assert len(w111) == 1 and "不换算" in w111[0].message
    wb = openpyxl.load_workbook(made.output)
    assert any("XLT-W111" in t for t in _texts(wb["校验结果"]))
    funds = wb[FUNDS]
    labels = [funds.cell(row=r, column=1).value for r in range(1, funds.max_row + 1)]
    assert "合计" not in labels and {"合计（万元）", "合计（元）"} <= set(labels)
    values = openpyxl.load_workbook(made.output, data_only=True)[FUNDS]
    by_label = {values.cell(row=r, column=1).value: values.cell(row=r, column=6).value
                for r in range(3, values.max_row + 1)}
    assert by_label["合计（万元）"] == pytest.approx(1125) and by_label["合计（元）"] == pytest.approx(500)
    forms = _texts(wb["汇总表"])
    assert "项目资金\n（万元）" in forms and "项目资金\n（元）" in forms
