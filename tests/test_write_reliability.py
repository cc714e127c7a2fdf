"""What the writers put in cells from user text and amounts (issue 14, points 9-11).

The corpus cases (tests/corpus/cases.tsv) check the exit code and message of
each command; these tests open the outputs and check the cells themselves:
user text is a string cell (never a formula or a web link), amounts are exact
to the cent or kept as written and flagged, and text limits hold.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from corpus.make_corpus import BUILDERS
from xltargets.cli.app import app as cli_app
from xltargets.consolidate.title import MAX_TITLE, check_title
from xltargets.errors import InputError, WorkbookError
from xltargets.importing import read_sources
from xltargets.model import Declaration, Funds, Project
from xltargets.workbook.build import build_workbook
from xltargets.workbook.values import MAX_CELL_TEXT, cell_value, excel_number


def _corpus(name: str, folder: Path) -> Path:
    BUILDERS[name](folder)
    return folder / name


def _cli(*args) -> int:
    return cli_app([str(a) for a in args])


def test_an_organisation_that_is_a_formula_stays_text(tmp_path):
    src = _corpus("org-formula.tsv", tmp_path)
    assert read_sources([src]).declaration.organisation.startswith("=HYPERLINK(")
    assert _cli("import", src, "-o", tmp_path / "d.xlsm") == 0
    a1 = openpyxl.load_workbook(tmp_path / "d.xlsm")["填写说明"]["A1"]
    assert a1.data_type == "s" and a1.value.startswith('=HYPERLINK("http')
    assert a1.quotePrefix  # and stays text when edited in Excel
    assert _cli("consolidate", src, "-o", tmp_path / "s.xlsx") == 0
    title = openpyxl.load_workbook(tmp_path / "s.xlsx")["汇总表"]["A1"]
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK(")


def test_a_source_named_like_a_web_address_links_to_the_file(tmp_path):
    src = _corpus("http:source.tsv", tmp_path)
    assert _cli("consolidate", src, "-o", tmp_path / "s.xlsx") == 0
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    links = [c.hyperlink for row in wb["校验结果"].iter_rows() for c in row if c.hyperlink]
    assert links and all(link.target == "http%3Asource.tsv" for link in links)
    with zipfile.ZipFile(tmp_path / "s.xlsx") as zf:
        rels = zf.read("xl/worksheets/_rels/sheet4.xml.rels").decode()
    assert 'Target="http%3Asource.tsv" TargetMode="External"' in rels and 'Target="http:' not in rels


@pytest.mark.parametrize("name, digits", [("amount-17-digits.tsv", 17), ("amount-27-digits.tsv", 27)])
def test_an_amount_excel_cannot_keep_is_flagged_and_written_as_written(tmp_path, name, digits):
    src = _corpus(name, tmp_path)
    result = read_sources([src])
    flagged = [f for f in result.findings if f"有 {digits} 位有效数字" in f.message]
    assert len(flagged) == 2 and all(f.is_error for f in flagged)
    assert _cli("import", src, "-o", tmp_path / "d.xlsm") == 0
    ws = openpyxl.load_workbook(tmp_path / "d.xlsm")["青春健康培训项目"]
    written = "123456789012345.67" if digits == 17 else "123456789012345678901234567.00"
    assert (ws["E6"].value, ws["E6"].data_type) == (written, "s")  # the text, not a rounded float


@pytest.mark.parametrize("amount", ["9999999999999.99", "0.01", "1391700.00", "123456789012.34"])
def test_amounts_within_15_digits_are_exact_to_the_cent(tmp_path, amount):
    decl = Declaration(projects=[Project(name="甲", funds=Funds(annual=Decimal(amount), annual_fiscal=Decimal(amount)))])
    out = build_workbook(decl, tmp_path / "d.xlsx")
    back = read_sources([out]).declaration.projects[0].funds
    assert back.annual == Decimal(amount) and back.annual_fiscal == Decimal(amount)


@pytest.mark.parametrize(
    "value, ok",
    [(Decimal("9999999999999.99"), True), (Decimal("123456789012345.6"), False), (Decimal("1E+30"), True),
     (Decimal("123456789012345678"), False), (10**15, False), (Decimal("NaN"), False)],
    ids=["15-digits", "16-digits", "1e30-one-digit", "18-digit-integer", "int-16-digits", "nan"],
)
def test_excel_number_refuses_what_a_double_cannot_hold(value, ok):
    if ok:
        assert Decimal(repr(float(excel_number(value)))) == value
    else:
        with pytest.raises(WorkbookError, match="有效数字|不是有限的数"):
            excel_number(value, "A1")


def test_a_superscript_is_no_digit(tmp_path):
    src = _corpus("value-superscript.tsv", tmp_path)
    assert _cli("import", src, "-o", tmp_path / "d.xlsm") == 0
    ws = openpyxl.load_workbook(tmp_path / "d.xlsm")["青春健康培训项目"]
    values = [ws.cell(row=r, column=5).value for r in range(13, 20)]
    assert "=10²(场)" in values and "=102(场)" not in values


@pytest.mark.parametrize(
    "title, message",
    [("标" * (MAX_TITLE + 1), "超过 255 个字符"), ("甲\x01乙", "控制字符"), ("a\x1fb", "控制字符"), ("  ", "标题为空")],
    ids=["too-long", "control-x01", "control-x1f", "blank"],
)
def test_titles_no_output_can_carry_are_refused(title, message):
    with pytest.raises(InputError, match=message):
        check_title(title)


def test_a_title_at_the_limit_is_written_whole(tmp_path):
    src = _corpus("org-formula.tsv", tmp_path)
    title = "标" * MAX_TITLE
    assert _cli("consolidate", src, "-o", tmp_path / "s.xlsx", "--title", title) == 0
    assert openpyxl.load_workbook(tmp_path / "s.xlsx")["汇总表"]["A1"].value == title


def test_cell_text_over_excels_limit_is_refused_with_the_cell():
    with pytest.raises(WorkbookError, match="32767") as info:
        cell_value("长" * (MAX_CELL_TEXT + 1), "'甲'!D11")
    assert "'甲'!D11" in info.value.message
    assert cell_value("长" * MAX_CELL_TEXT)[1] == "长" * MAX_CELL_TEXT


def test_a_writer_that_fails_half_way_leaves_no_file_open(tmp_path):
    """A failure inside ``fill`` (a bug, a refused value) closes XlsxWriter's per-sheet temporary files."""
    import gc
    import os
    import sys

    from xltargets.workbook.build import write_xlsx

    def fill(wb):
        for i in range(3):
            wb.add_worksheet(f"S{i}").write_string(0, 0, "x")
        raise RuntimeError("half-way")

    def open_files() -> list[str]:
        if not os.path.isdir("/proc/self/fd"):
            pytest.skip("needs /proc/self/fd (Linux)")
        return [t for fd in os.listdir("/proc/self/fd")
                if "xltargets-" in (t := os.path.realpath(f"/proc/self/fd/{fd}"))]

    events: list[str] = []
    saved = sys.unraisablehook
    sys.unraisablehook = lambda u: events.append(repr(u.object))
    try:
        with pytest.raises(RuntimeError):
            write_xlsx(tmp_path / "x.xlsx", fill, constant_memory=True)
        assert open_files() == []
        gc.collect()
    finally:
        sys.unraisablehook = saved
    assert events == []
    assert not (tmp_path / "x.xlsx").exists()
