"""The fast paths write the same files as the straightforward code, part by part, byte for byte.

Three claims, each against an independent reference:

* the fast worksheet serialiser (:mod:`xltargets.workbook.fastsave`) writes
  what openpyxl's ``wb.save`` writes, for our workbooks and for cells of
  every kind (and falls back to openpyxl for what it does not know);
* writing ahead (spooling) changes nothing: ``build_workbook`` equals
  building in memory and saving, the streamed 汇总表 equals the one saved
  by openpyxl with its cached values filled in afterwards;
* the compiled renderer (template plan, fast expressions, direct cells)
  equals the renderer as it was before the speed work
  (tests/reference_build.py: jinja2 for every cell, ``ws.cell``,
  ``merged_cells.add``, ``deepcopy``), on random projects.

Only ``docProps/core.xml`` (the save time) is left out of the comparisons.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

import reference_build as ref
import reference_consolidate.workbook as reference_consolidation
from xltargets import framework as fw
from xltargets.consolidate import summary_sheet, write_summary_only, write_workbook
from xltargets.consolidate.marker import mark
from xltargets.model import Declaration, Funds, Indicator, Project
from xltargets.rules import check_declaration
from xltargets.targets import parse_target
from xltargets.workbook import template as template_module
from xltargets.workbook.build import build_workbook, declaration_workbook, save_workbook
from xltargets.workbook.fastsave import save_fast
from xltargets.workbook.template import default_template_path, load_template, parse_template

ROOT = Path(__file__).resolve().parent.parent
SEED = Declaration.model_validate_json(
    (ROOT / "tests" / "golden" / "workbook" / "seed-declaration.json").read_text(encoding="utf-8")
)


def _jinja_only_template():
    """The shipped template with every cell evaluated by jinja2 (no fast closures)."""
    saved = template_module._fast_node, template_module._fast_template
    template_module._fast_node = lambda env, node: None
    template_module._fast_template = lambda env, text: None
    try:
        path = default_template_path()
        return parse_template(load_workbook(path), path)
    finally:
        template_module._fast_node, template_module._fast_template = saved


JINJA = _jinja_only_template()


def parts(data: bytes | Path) -> dict[str, bytes]:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(src) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name != "docProps/core.xml"}


def differing(a, b) -> list[str]:
    pa, pb = parts(a), parts(b)
    assert sorted(pa) == sorted(pb)
    return [name for name in pa if pa[name] != pb[name]]


def saved_by_openpyxl(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def saved_fast(wb) -> bytes:
    buf = io.BytesIO()
    save_fast(wb, buf)
    return buf.getvalue()


def synthetic(n: int) -> Declaration:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return synth.declaration(n)


ODD_NAMES = Declaration(projects=[
    Project(name=""), Project(name="下拉列表"), Project(name="x"), Project(name="X"), Project(name="[a]*?/\\:b"),
    Project(name="=1+1"), Project(name="'引号'"), Project(name="History"),
])


# --------------------------------------------------------------------------- the serialiser


def odd_cells() -> Workbook:
    """Cells of every kind the fast serialiser writes itself."""
    wb = Workbook()
    ws = wb.active
    ws.title = "种种单元格"
    values = [
        "text", " leading space", "trailing space ", "a\r\nb", "<&>\"'", "中文😀", "=1+1", "#N/A", "",
        0, -1, 1.5, 1e-20, 12345678901234567890, Decimal("1391700.00"), Decimal("0.1"), True, False,
        dt.date(2024, 1, 1), dt.datetime(2024, 1, 2, 3, 4, 5), dt.time(12, 30), dt.timedelta(hours=36), None,
    ]
    for r, value in enumerate(values, start=1):
        ws.cell(row=r, column=1, value=value)
        c = ws.cell(row=r, column=2, value=value)
        c.font = Font(name="宋体", bold=r % 2 == 0, color="FF0000")
        c.alignment = Alignment(wrap_text=True)
        if r % 3 == 0:
            c.fill = PatternFill("solid", fgColor="DDEBF7")
    text = ws.cell(row=3, column=3, value="=1+1")
    text.data_type = "s"
    ws.cell(row=4, column=3, value="=SUM(A10:A12)")
    ws.cell(row=5, column=3, value="#DIV/0!")
    ws.cell(row=30, column=5).font = Font(italic=True)  # styled, empty
    ws.row_dimensions[31].height = 40  # a row with a height and no cells
    ws.row_dimensions[2].height = 30.25
    ws.row_dimensions[6].hidden = True
    ws.column_dimensions["B"].width = 40
    ws.merge_cells("D1:F2")
    ws["G1"].hyperlink = Hyperlink(ref="G1", location="'种种单元格'!A1", display="link")
    ws["G1"].value = "内部链接"
    ws["G2"].hyperlink = "https://example.org/a?b=1&c=2"
    dv = DataValidation(type="list", formula1='"甲,乙"', allow_blank=True, error="错误\n提示")
    dv.add("A1:A5")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add("B1:B20", FormulaRule(formula=["$A1<>\"\""], fill=PatternFill("solid", bgColor="FFC7CE")))
    ws.conditional_formatting.add("C1:C20", ColorScaleRule(start_type="min", start_color="FFFFFF", end_type="max", end_color="FF0000"))
    ws.freeze_panes = "B2"
    ws.print_title_rows = "1:1"
    other = wb.create_sheet("空")
    other.sheet_state = "hidden"
    return wb


def with_comment() -> Workbook:
    wb = odd_cells()
    wb.active["A1"].comment = Comment("批注", "xltargets")
    return wb


def with_rich_text() -> Workbook:
    wb = odd_cells()
    wb.active["A2"] = CellRichText([TextBlock(InlineFont(b=True), "粗"), "细"])
    return wb


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: declaration_workbook(SEED), id="seed-declarations"),
        pytest.param(lambda: declaration_workbook(Declaration(projects=[Project(name="新项目")])), id="blank-form"),
        pytest.param(lambda: declaration_workbook(synthetic(12)), id="synthetic-12"),
        pytest.param(lambda: declaration_workbook(ODD_NAMES), id="odd-sheet-names"),
        pytest.param(odd_cells, id="odd-cells"),
        pytest.param(with_comment, id="comment-falls-back"),
        pytest.param(with_rich_text, id="rich-text-falls-back"),
        pytest.param(lambda: load_workbook(ROOT / "declarations.xlsm", keep_vba=True), id="loaded-xlsm"),
    ],
)
def test_fast_serialiser_writes_what_openpyxl_writes(make):
    assert differing(saved_by_openpyxl(make()), saved_fast(make())) == []


def test_a_changed_cell_is_seen():
    """The comparison can fail: one character in one cell."""
    wb = declaration_workbook(SEED)
    wb.worksheets[1]["D13"].value = "改过的三级指标"
    assert differing(saved_by_openpyxl(declaration_workbook(SEED)), saved_fast(wb)) == ["xl/worksheets/sheet2.xml"]


# --------------------------------------------------------------------------- writing ahead


@pytest.mark.parametrize(
    "decl",
    [
        pytest.param(SEED, id="seed"),
        pytest.param(Declaration(), id="no-projects"),
        pytest.param(Declaration(projects=[Project(name="新项目")]), id="blank-form"),
        pytest.param(ODD_NAMES, id="odd-sheet-names"),
        pytest.param(synthetic(25), id="synthetic-25"),
    ],
)
def test_streamed_build_is_the_plain_build(decl, tmp_path):
    plain = save_workbook(declaration_workbook(decl), tmp_path / "plain.xlsm")
    streamed = build_workbook(decl, tmp_path / "streamed.xlsm")
    assert differing(plain.read_bytes(), streamed.read_bytes()) == []


@pytest.mark.parametrize(
    "decl",
    [
        pytest.param(SEED, id="seed"),
        pytest.param(Declaration(), id="no-projects"),
        pytest.param(synthetic(30), id="synthetic-30"),
    ],
)
def test_streamed_consolidation_is_openpyxls(decl, tmp_path):
    findings = check_declaration(decl)
    for stream, name in ((False, "openpyxl.xlsx"), (True, "streamed.xlsx")):
        write_workbook(tmp_path / name, decl, findings, title="示例2024年度项目绩效目标汇总表", stream=stream)
    a, b = (tmp_path / "openpyxl.xlsx").read_bytes(), (tmp_path / "streamed.xlsx").read_bytes()
    assert differing(a, b) == []
    with zipfile.ZipFile(tmp_path / "streamed.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --------------------------------------------------------------------------- the renderer

_ALPHABET = st.sampled_from(
    list("计划生育协会家庭健康促进优生服务宣传教育青春项目指标率满意度")
    + list("abcXYZ0123456789=+-.,()（）%：:/[]*?\\'\" <>≥≤_&#") + ["\n", "\r", "\t", "\x01", "😀"]
)
texts = st.one_of(
    st.sampled_from(["", "7.11世界人口日主题", "=1+1", "0012", "2024-01-01", "TRUE", " 前后空格 ", "长文本。" * 40]),
    st.text(_ALPHABET, max_size=60),
)
level1s = st.one_of(st.sampled_from(fw.LEVEL1), st.sampled_from(fw.ALL_LEVEL2), texts)
values = st.one_of(
    st.sampled_from(["", "≥90.00(%)", "=10.00(所)", "<100(百分比)", "及时", "提升", "≥", "=abc(个)", ">=90%"]),
    st.builds(lambda n: f"={n}(人)", st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)),
)
indicators = st.builds(
    lambda l1, l2, l3, v: Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(v).target, value_raw=v),
    level1s, st.one_of(st.sampled_from(fw.ALL_LEVEL2), texts), texts, values,
)
amounts = st.one_of(st.none(), st.decimals(min_value=-10, max_value=10**10, places=2, allow_nan=False))
projects = st.builds(
    Project,
    name=texts, nature=texts, category=texts, department=texts, unit=texts,
    start=st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))),
    end=st.none(),
    funds=st.builds(Funds, annual=amounts, annual_fiscal=amounts, total=amounts),
    total_goal=texts, annual_goal=texts,
    year=st.one_of(st.none(), st.integers(2000, 2099)),
    indicators=st.lists(indicators, max_size=12),
)
# control characters in 单位 stop 填写说明 (reported: IllegalCharacterError from write_instructions)
organisations = st.text(st.sampled_from(list("上海市计划生育协会abc =0'\"<&")), max_size=20)
declarations = st.builds(
    Declaration, organisation=organisations, year=st.one_of(st.none(), st.integers(2000, 2099)),
    projects=st.lists(projects, max_size=3),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations)
def test_renderer_matches_the_reference(decl):
    before = saved_by_openpyxl(ref.declaration_workbook(decl, template=JINJA))
    out = io.BytesIO()
    wb = declaration_workbook(decl, stream=False)
    save_fast(wb, out)
    assert differing(before, out.getvalue()) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(projects, min_size=1, max_size=4))
def test_stacked_forms_match_the_reference(tmp_path_factory, project_list):
    decl = Declaration(projects=project_list)
    title = TITLE
    wb = Workbook()
    real = summary_sheet.render_project
    summary_sheet.render_project = ref.render_project
    try:
        summary_sheet.write_summary_sheet(wb.active, decl, title, template=JINJA, stream=False)
    finally:
        summary_sheet.render_project = real
    mark(wb, title)
    out = tmp_path_factory.mktemp("stacked") / "summary.xlsx"
    write_summary_only(out, decl, title=title, template=load_template())
    assert differing(saved_by_openpyxl(wb), out.read_bytes()) == []


TITLE = "示例2024年度项目绩效目标汇总表"


@pytest.mark.parametrize(
    "decl",
    [
        pytest.param(SEED, id="seed"),
        pytest.param(Declaration(), id="no-projects"),
        pytest.param(synthetic(15), id="synthetic-15"),
    ],
)
def test_consolidation_matches_the_reference(decl, tmp_path):
    findings = check_declaration(decl)
    reference_consolidation.write_workbook(tmp_path / "before.xlsx", decl, findings, title=TITLE, template=JINJA)
    write_workbook(tmp_path / "now.xlsx", decl, findings, title=TITLE)
    assert differing(tmp_path / "before.xlsx", tmp_path / "now.xlsx") == []


def outcome(write, path: Path):
    """What *write(path)* gives: the file's parts, or the exception it raised (as its type)."""
    try:
        write(path)
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return type(exc)
    return parts(path)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations)
def test_random_consolidation_matches_the_reference(tmp_path_factory, decl):
    """Same file, or the same error (control characters in a 三级 stop both: reported)."""
    folder = tmp_path_factory.mktemp("consolidation")
    findings = check_declaration(decl)
    before = outcome(
        lambda p: reference_consolidation.write_workbook(p, decl, findings, title=TITLE, template=JINJA),
        folder / "before.xlsx",
    )
    now = outcome(lambda p: write_workbook(p, decl, findings, title=TITLE), folder / "now.xlsx")
    assert before == now
