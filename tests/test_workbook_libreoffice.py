"""The declarations workbook in LibreOffice: recalculated native checks, PDF, CJK fonts.

LibreOffice stands in for WPS and for Excel without the add-in: the check
cells must compute, flag exactly the planted mistakes, and show no error
value (the add-in's ``XLT_CHECK_ROW`` is unknown there and must fall back).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from servetools import need

from xltargets.libreoffice import convert
from xltargets.model import Declaration, Funds, Indicator, Project
from xltargets.targets import parse_target
from xltargets.workbook.build import build_workbook
from xltargets.workbook.checks import ALL_CLEAR, SEP, cell_message, summary_text

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parent.parent
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "Err:", "#NULL!", "#NUM!")


def _ind(l1, l2, l3, value):
    return Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(value).target)


GOOD = [
    _ind("成本指标", "经济成本指标", "成本控制率", "<100(百分比)"),
    _ind("产出指标", "数量指标", "培训场次", "=10.00(场)"),
    _ind("产出指标", "数量指标", "培训人次", "≥500.00(人次)"),
    _ind("产出指标", "时效指标", "完成及时性", "及时"),
    _ind("效益指标", "社会效益指标", "知晓率", "≥80.00(%)"),
    _ind("满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"),
]


def _project(name, **kw):
    base = dict(
        name=name, nature="其他一次性项目", category="特定目标类", department="卫健委", unit="协会",
        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), year=2024, annual_goal="完成年度目标。",
        funds=Funds(annual=D("100.00"), annual_fiscal=D("60.00"), annual_carryover=D("40.00"), annual_other=D("0.00")),
        indicators=GOOD,
    )
    base.update(kw)
    return Project(**base)


def _with(changes: dict[int, Indicator], extra=()):
    inds = list(GOOD)
    for i, ind in changes.items():
        inds[i] = ind
    return inds + list(extra)


#: values a user types the way the model would never write them: 三级 of the row → its 指标值
RETYPED = {
    "ASCII 运算符": ">=90%",
    "全角运算符": "＞5(人)",  # a number with an operator check does not read: a warning
    "只有数字": "10",  # a number without operator and unit: a warning
    "数字在前": "5(人)",
    "零": "=0(个)",  # zero is a number: fine
    "百分比超限": "=101(百分比)",
    "百分比等于100": "=100.00(%)",  # fine
    "括号后有字": "≥90.00(%)x",  # no ")" at the end, digits: a warning
    "空单位": "≥5()",  # no unit, digits: a warning
    "运算符与字母": "≥abc(个)",  # no number, no digit: cannot be read
}

#: project → (form messages in G2, {三级 of the row: message in G})
PLANTED = [
    (_project("全部正确"), [], {}),
    (
        _project("资金与日期", start=dt.date(2025, 1, 1),
                 funds=Funds(annual=D("100.00"), annual_fiscal=D("60.00"), annual_carryover=D("30.00"),
                             total=D("500.00"), total_fiscal=D("400.00"), total_other=D("50.00"))),
        ["date_order", "annual_sum", "total_sum"],
        {},
    ),
    (
        _project("表头", nature="自创性质", category="", annual_goal=""),
        ["nature_unknown", "category_empty", "annual_goal_empty"],
        {},
    ),
    (
        _project("只有警告", category="自创类别",
                 funds=Funds(annual=D("100.00"), annual_fiscal=D("60.00"), annual_carryover=D("40.00"),
                             annual_other=D("0.00"), total=D("80.00"), total_fiscal=D("80.00"), total_other=D("0.00")),
                 indicators=[i for i in GOOD if i.level1 != "成本指标"]),
        ["category_unknown", "total_below_annual", "level1_missing:成本指标"],
        {},
    ),
    (
        _project("指标", indicators=_with(
            {1: _ind("产出指标", "经济效益指标", "培训场次", "=10.00(场)"),
             2: _ind("产出指标", "数量指标", "培训人次", "约500人次"),
             4: _ind("效益指标", "社会效益指标", "知晓率", "=120.00(%)")},
            extra=[_ind("满意度指标", "服务对象满意度指标", "满意度", "≥95.00(%)"),
                   _ind("满意度指标", "服务对象满意度指标", "投诉处理", ""),
                   _ind("满意度指标", "服务对象满意度指标", "通配符", "*"),
                   _ind("满意度指标", "服务对象满意度指标", "只有运算符", "≥"),
                   _ind("满意度指标", "服务对象满意度指标", "ASCII 运算符", "≥90.00(%)"),  # retyped below
                   _ind("满意度指标", "服务对象满意度指标", "定性", "管理良好"),
                   *(_ind("满意度指标", "服务对象满意度指标", l3, "≥90.00(%)") for l3 in RETYPED if l3 != "ASCII 运算符")],
        )),
        [],
        # "约500人次" and "*" are qualitative text to check as to the formulas; ">=90%" is read as ≥90(%)
        # with a warning (XLT-W043); "≥" alone cannot be read (XLT-E023)
        {"培训场次": "level2_pair", "知晓率": "percent_over", "满意度": "level3_duplicate",
         "投诉处理": "value_empty", "只有运算符": "value_form", "ASCII 运算符": "value_nonstandard",
         "全角运算符": "value_nonstandard", "只有数字": "value_nonstandard", "数字在前": "value_nonstandard",
         "百分比超限": "percent_over", "括号后有字": "value_nonstandard", "空单位": "value_nonstandard",
         "运算符与字母": "value_form"},
    ),
    (
        _project("缺少一级", indicators=[i for i in GOOD if i.level1 not in ("效益指标", "成本指标")]),
        ["level1_missing:效益指标", "level1_missing:成本指标"],
        {},
    ),
]


def _message(key: str) -> str:
    """A form message as G2 shows it (a warning starts with 警告：)."""
    key, _, level1 = key.partition(":")
    return cell_message(key, level1=level1)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, soffice):
    tmp = tmp_path_factory.mktemp("lo")
    out = convert(_planted_workbook(tmp), "xlsx", tmp / "out")
    return openpyxl.load_workbook(out, data_only=True)


def _flagged_rows(ws) -> dict:
    """Each indicator row's first message in the row-check column G, by its 三级指标."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=4).value == "三级指标")
    flagged = {}
    for r in range(header + 1, ws.max_row + 1):
        message = ws.cell(row=r, column=7).value
        if message:
            flagged.setdefault(ws.cell(row=r, column=4).value, message)
    return flagged


@pytest.mark.parametrize("index", range(len(PLANTED)), ids=[p.name for p, _, _ in PLANTED])
def test_native_checks_flag_exactly_the_planted_mistakes(recalculated, index):
    project, form_keys, row_keys = PLANTED[index]
    ws = recalculated[project.name]
    form = [m for m in (ws["G2"].value or "").split(SEP) if m]
    assert sorted(form) == sorted(_message(k) for k in form_keys)
    flagged = _flagged_rows(ws)
    assert flagged == {l3: cell_message(k) for l3, k in row_keys.items()}
    shown = [*map(_message, form_keys), *flagged.values()]
    warnings = sum(1 for m in shown if m.startswith("警告："))
    errors = len(shown) - warnings
    assert ws["G1"].value == summary_text(errors, warnings)


@pytest.fixture(scope="module")
def recalculated_as_built(tmp_path_factory, soffice):
    """The planted workbook as xltargets writes it (its row checks one shared formula a sheet),
    not saved again by openpyxl (which writes a shared formula out cell by cell)."""
    tmp = tmp_path_factory.mktemp("lo-built")
    src = build_workbook(Declaration(projects=[p for p, _, _ in PLANTED]), tmp / "built.xlsx")
    with zipfile.ZipFile(src) as zf:
        assert b'<f t="shared" ref="G13:' in zf.read("xl/worksheets/sheet2.xml")
    return openpyxl.load_workbook(convert(src, "xlsx", tmp / "out"), data_only=True)


@pytest.mark.parametrize("index", range(len(PLANTED)), ids=[p.name for p, _, _ in PLANTED])
def test_shared_row_checks_flag_each_row_as_written(recalculated_as_built, index):
    """LibreOffice reads the shared row check into every row: each row flags its own planted
    mistake (the retyped values are not retyped here, so their rows are fine)."""
    project, form_keys, row_keys = PLANTED[index]
    ws = recalculated_as_built[project.name]
    flagged = _flagged_rows(ws)
    assert flagged == {l3: cell_message(k) for l3, k in row_keys.items() if l3 not in RETYPED}
    shown = [*map(_message, form_keys), *flagged.values()]
    warnings = sum(1 for m in shown if m.startswith("警告："))
    assert ws["G1"].value == summary_text(len(shown) - warnings, warnings)


def test_funds_cell_shows_the_sum_check(recalculated):
    assert recalculated["全部正确"]["G6"].value.startswith("✓")
    assert recalculated["资金与日期"]["G6"].value.startswith("✗") and "10.00" in recalculated["资金与日期"]["G6"].value


def test_no_error_values_anywhere(recalculated):
    for ws in recalculated.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(ERRORS)), (ws.title, value)


def test_project_list_links_every_sheet(recalculated):
    ws = recalculated["填写说明"]
    rows = [r for r in ws.iter_rows(min_row=17, values_only=True) if r[0]]
    assert [r[2] for r in rows] == [p.name for p, _, _ in PLANTED]
    assert rows[0][4] == ALL_CLEAR and rows[1][4].startswith("✗")


def test_declarations_xlsm_seed_checks(soffice, tmp_path):
    """The seed's own content: project 1 lacks 效益指标 and 成本指标; nothing else is flagged natively."""
    out = convert(ROOT / "declarations.xlsm", "xlsx", tmp_path)
    wb = openpyxl.load_workbook(out, data_only=True)
    flags = {ws.title: ws["G2"].value or "" for ws in wb.worksheets[1:5]}
    assert flags == {
        "生殖健康咨询服务": "缺少效益指标；警告：缺少成本指标；",
        "家庭健康促进及优生优育服务": "",
        "计生特殊家庭帮扶及权益维护": "",
        "宣传教育及基层能力建设": "",
    }
    for ws in wb.worksheets[1:5]:
        assert not any(ws.cell(row=r, column=7).value for r in range(13, ws.max_row + 1)), ws.title


#: the rules the sheet's own formulas apply (G2, the funds cell, the native row check); the others
#: (W016 goal numbers, W013 qualitative values, …) need the add-in's 校验 or ``xltargets check``
NATIVE_RULES = {
    "XLT-E001", "XLT-E021", "XLT-E002", "XLT-E022", "XLT-E003", "XLT-E023", "XLT-E004", "XLT-E005", "XLT-E025",
    "XLT-E006", "XLT-E007", "XLT-E008", "XLT-E028", "XLT-W009", "XLT-W015", "XLT-W035", "XLT-W054",
}


def _counts(summary: str) -> tuple[int, int]:
    """(errors, warnings) that a G1 text states."""
    errors = re.search(r"(\d+) 处错误", summary)
    warnings = re.search(r"(\d+) 条警告", summary)
    return (int(errors.group(1)) if errors else 0, int(warnings.group(1)) if warnings else 0)


def _agreement(path: Path, recalculated_wb) -> list[tuple[str, str, tuple[int, int], tuple[int, int], bool]]:
    from xltargets.pipeline import check_sources

    report = check_sources([path])
    rows = []
    for project in report.declaration.projects:
        sheet = project.origin.sheet
        mine = [f for f in report.findings if f.sheet == sheet]
        native = [f for f in mine if f.code in NATIVE_RULES]
        expected = (sum(f.is_error for f in native), sum(not f.is_error for f in native))
        summary = recalculated_wb[sheet]["G1"].value
        rows.append((sheet, summary, _counts(summary), expected, len(mine) > len(native)))
    return rows


def test_sheet_summary_counts_what_check_counts(soffice, tmp_path):
    """G1 (recalculated by LibreOffice, no add-in) states the errors and warnings ``check`` reports
    for the rules its formulas apply; it never says the sheet has no problem when ``check`` finds one."""
    src = build_workbook(Declaration(projects=[p for p, _, _ in PLANTED]), tmp_path / "planted.xlsx")
    seed = tmp_path / "seed.xlsm"
    shutil.copy(ROOT / "declarations.xlsm", seed)
    checked = 0
    for path in (src, seed):
        wb = openpyxl.load_workbook(convert(path, "xlsx", tmp_path / path.stem), data_only=True)
        for sheet, summary, stated, expected, beyond in _agreement(path, wb):
            assert stated == expected, (sheet, summary)
            assert "本表未发现问题" not in summary
            if stated == (0, 0):
                assert summary == ALL_CLEAR
            checked += 1
    assert checked == len(PLANTED) + 4


#: the form rules G2 and G6 apply (the add-in's row function answers for the row rules)
FORM_RULES = {"XLT-E005", "XLT-E025", "XLT-E006", "XLT-E007", "XLT-E008", "XLT-E028",
              "XLT-W009", "XLT-W015", "XLT-W035", "XLT-W054"}


def _planted_workbook(tmp: Path) -> Path:
    """The planted mistakes, with the values a user retypes the way the model would never write them."""
    src = build_workbook(Declaration(projects=[p for p, _, _ in PLANTED]), tmp / "built.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb["指标"]
    for l3, value in RETYPED.items():
        row = next(r for r in range(13, ws.max_row + 1) if ws.cell(row=r, column=4).value == l3)
        ws.cell(row=row, column=5).value = value
        ws.cell(row=row, column=5).data_type = "s"  # text, also when it starts with "="
    wb.save(tmp / "planted.xlsx")
    return tmp / "planted.xlsx"


def test_sheet_summary_counts_the_add_ins_messages(soffice, tmp_path):
    """With the add-in loaded each row cell holds XLT_CHECK_ROW's answer (every finding of the row,
    ``XLT-E022 错误：…；XLT-W063 警告：…``): G1 then counts those findings as ``check`` does (W013 on
    the seed shows as a warning; a row of the planted sheet with two findings counts two).
    The template passes the 三级 column ($D$13:D15), so a repeated 三级 (XLT-E022) is among them."""
    from xltargets.pipeline import check_sources
    from xltargets.rules import rules_by_code
    from xltargets.udfcore import check_row

    row_rules = {code for code, rule in rules_by_code().items() if rule.scope == "row"}
    seed = tmp_path / "seed.xlsm"
    shutil.copy(ROOT / "declarations.xlsm", seed)
    seen_warning = seen_several = False
    for path in (seed, _planted_workbook(tmp_path)):
        report = check_sources([path])
        wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
        sheets = [p.origin.sheet for p in report.declaration.projects]
        for name in sheets:  # what the UDF answers, in place of its formula
            ws = wb[name]
            header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=4).value == "三级指标")
            first = header + 1
            for r in range(first, ws.max_row + 1):
                formula = str(ws.cell(row=r, column=7).value or "")
                if not formula.startswith("=IFERROR(XLT_CHECK_ROW"):
                    continue
                assert f"$D${first}:D{r}," in formula  # the 三级 column goes in, as for 一级/二级
                column = lambda c: [ws.cell(row=i, column=c).value for i in range(first, r + 1)]  # noqa: E731
                answer = check_row(column(2), column(3), column(4), ws.cell(row=r, column=5).value)
                ws.cell(row=r, column=7).value = answer
                seen_several |= answer.count("错误：") + answer.count("警告：") > 1
        out = tmp_path / f"with-addin-{path.stem}{path.suffix}"
        wb.save(out)
        recalculated = openpyxl.load_workbook(convert(out, "xlsx", tmp_path / f"lo-{path.stem}"), data_only=True)
        for name in sheets:
            mine = [f for f in report.findings if f.sheet == name and f.code in FORM_RULES | row_rules]
            expected = (sum(f.is_error for f in mine), sum(not f.is_error for f in mine))
            summary = recalculated[name]["G1"].value
            assert _counts(summary) == expected, (name, summary, [f.code for f in mine])
            seen_warning |= "无错误，有" in summary
    assert seen_warning  # 计生特殊家庭帮扶及权益维护: W013 only
    assert seen_several  # a row with two findings (planted: ">=90%" is W043 and W063): both counted


def test_pdf_has_one_page_per_sheet_and_cjk_fonts(soffice, tmp_path):
    for tool in ("pdffonts", "pdftotext", "pdfinfo"):
        need(tool, "apt-get install poppler-utils")  # skips on a user's machine, fails under CI=true
    pdf = convert(ROOT / "declarations.xlsm", "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+5$", info, re.M), info  # 填写说明 + one page per project (fit to one page wide)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("财政项目支出绩效目标申报表") == 4
    for name in ("生殖健康咨询服务", "7.11世界人口日主题参与人数", "≥85.00(分)", "1,391,700.00"):
        assert name in text
    assert "校验结果" not in text  # the check column is not printed
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert any(f in fonts for f in ("WenQuanYi", "Noto", "Sim", "Source Han", "Droid")), fonts


#: a project (its sheet) → its 三级 in order, and the rows (0-based among the indicators) a reviewer flags as repeated
REPEATS = {
    "adjacent": (["甲", "甲", "乙"], [1]),
    "apart": (["甲", "乙", "丙", "甲"], [3]),
    "three-times": (["甲", "乙", "甲", "丙", "甲"], [2, 4]),
    "two-pairs": (["甲", "乙", "甲", "乙"], [2, 3]),
    "none": (["甲", "乙", "丙"], []),
}


@pytest.fixture(scope="module")
def duplicates_recalculated(tmp_path_factory, soffice):
    """The 三级 column's conditional format, evaluated by LibreOffice on every indicator row, beside the
    row check: each rule's formula, as the built workbook stores it (relative to the range's first cell),
    is written for each row of its range into a spare column (openpyxl's Translator moves it there)."""
    from openpyxl.formula.translate import Translator
    from openpyxl.utils import range_boundaries

    tmp = tmp_path_factory.mktemp("lo-repeats")
    projects = [
        _project(name, indicators=[_ind("产出指标", "数量指标", l3, "=10.00(场)") for l3 in names])
        for name, (names, _) in REPEATS.items()
    ]
    src = build_workbook(Declaration(projects=projects), tmp / "built.xlsx")
    wb = openpyxl.load_workbook(src)
    spare = {}
    for name in REPEATS:
        ws = wb[name]
        (rule_range,) = [str(cf.sqref) for cf in ws.conditional_formatting if str(cf.sqref).startswith("D13:")]
        (formula,) = [f for cf in ws.conditional_formatting if str(cf.sqref) == rule_range for r in cf.rules for f in r.formula]
        _, top, _, bottom = range_boundaries(rule_range)
        spare[name] = (top, bottom)
        for row in range(top, bottom + 1):
            ws.cell(row=row, column=26).value = Translator("=" + formula, origin=f"D{top}").translate_formula(f"D{row}")
    wb.save(tmp / "cf.xlsx")
    return openpyxl.load_workbook(convert(tmp / "cf.xlsx", "xlsx", tmp / "out"), data_only=True), spare


@pytest.mark.parametrize("name", list(REPEATS))
def test_the_level3_format_colours_the_rows_the_row_check_flags(duplicates_recalculated, name):
    """A repeated 三级指标: the reviewer's rule (XLT-E022) flags the second and later copies, never the first;
    the conditional format over D13:D… colours exactly those rows, as the row check in G says (LibreOffice
    recalculating stands in for Excel and WPS). It coloured the first copy too (the range $D$13:$D13 of the
    rule was grown to the whole block)."""
    wb, spare = duplicates_recalculated
    ws = wb[name]
    top, bottom = spare[name]
    names, repeated = REPEATS[name]
    coloured = [r - top for r in range(top, bottom + 1) if ws.cell(row=r, column=26).value is True]
    flagged = [r - top for r in range(top, bottom + 1) if ws.cell(row=r, column=7).value == cell_message("level3_duplicate")]
    assert coloured == flagged == repeated, (coloured, flagged)


#: 指标值 typed in the Chinese IME's full-width mode (三级 of the row → its value, the row check's key or None, an id):
#: ``check`` reads each as its number with XLT-W043 (a warning), and the sheet's row check (no add-in) says
#: 写法不规范 (a warning) for each, in LibreOffice as in Excel, whose VALUE reads full-width digits
FULL_WIDTH = {
    "全角全部": ("＝１００（个）", "value_nonstandard", "all-full-width"),
    "全角百分比": ("≥８５（％）", "value_nonstandard", "digits-brackets-percent"),
    "全角数字": ("=１００(个)", "value_nonstandard", "digits-only"),
    "全角小数": ("≥８５．５(%)", "value_nonstandard", "decimal-point"),
    "全角数字在前": ("８５(%)", "value_nonstandard", "digit-first"),
    "全角百分号": ("≥85(％)", "value_nonstandard", "percent-sign-only"),
    "全角括号": ("=100（个）", "value_nonstandard", "brackets-only"),
    "定性中的全角数字": ("约５００人次", None, "qualitative-with-digits"),  # a word first: a 定性 value, fine in both
}


@pytest.fixture(scope="module")
def full_width(tmp_path_factory, soffice):
    """A sheet of the values of FULL_WIDTH, retyped as text; (the workbook, its LibreOffice recalculation)."""
    tmp = tmp_path_factory.mktemp("lo-full-width")
    extra = [_ind("满意度指标", "服务对象满意度指标", l3, "≥90.00(%)") for l3 in FULL_WIDTH]
    src = build_workbook(Declaration(projects=[_project("全角", indicators=GOOD + extra)]), tmp / "built.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb["全角"]
    for row in range(13, ws.max_row + 1):
        if ws.cell(row=row, column=4).value in FULL_WIDTH:
            ws.cell(row=row, column=5).value = FULL_WIDTH[ws.cell(row=row, column=4).value][0]
            ws.cell(row=row, column=5).data_type = "s"
    wb.save(tmp / "full-width.xlsx")
    return tmp / "full-width.xlsx", openpyxl.load_workbook(convert(tmp / "full-width.xlsx", "xlsx", tmp / "out"), data_only=True)


@pytest.mark.parametrize("level3", list(FULL_WIDTH), ids=[i for _v, _k, i in FULL_WIDTH.values()])
def test_full_width_digits_are_a_warning_in_the_sheet_as_in_check(full_width, level3):
    """Before: the row check said 指标值无法识别 (an error) for ＝１００（个） where check warns (XLT-W043), and
    nothing for ８５(%) and ≥85(％)."""
    from xltargets.pipeline import check_sources

    path, recalculated = full_width
    ws = recalculated["全角"]
    row = next(r for r in range(13, ws.max_row + 1) if ws.cell(row=r, column=4).value == level3)
    value, key, _id = FULL_WIDTH[level3]
    assert ws.cell(row=row, column=5).value == value
    assert ws.cell(row=row, column=7).value == (cell_message(key) if key else None)
    found = [f for f in check_sources([path]).findings if f.cell == f"E{row}"]
    assert [f.code for f in found] == (["XLT-W043"] if key else [])


def test_full_width_sheet_summary_counts_what_check_counts(full_width):
    """G1 states check's errors and warnings of the rules the formulas apply, XLT-W043 among them."""
    from xltargets.pipeline import check_sources

    path, recalculated = full_width
    found = [f for f in check_sources([path]).findings if f.code in NATIVE_RULES | {"XLT-W043"}]
    expected = (sum(f.is_error for f in found), sum(not f.is_error for f in found))
    assert expected == (0, sum(1 for _v, k, _i in FULL_WIDTH.values() if k))
    assert _counts(recalculated["全角"]["G1"].value) == expected, recalculated["全角"]["G1"].value
