"""declarations.xlsm: up to date with the seed, macro-enabled, its VBA kept byte for byte.

Rebuild it with the documented command:

    xltargets import examples/sh-jishengxie-2024-summary.tsv -o declarations.xlsm --force
"""

from __future__ import annotations

import importlib.util
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from xltargets.cli.testing import CliRunner

from test_workbook_golden import compare_xlsx
from xltargets.cli import app
from xltargets.importing import read_sources

ROOT = Path(__file__).resolve().parent.parent
DECLARATIONS = ROOT / "declarations.xlsm"
TEMPLATES = ROOT / "templates"
REBUILD = "xltargets import examples/sh-jishengxie-2024-summary.tsv -o declarations.xlsm --force"
MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def test_declarations_xlsm_is_up_to_date(seed_path, tmp_path):
    fresh = tmp_path / "declarations.xlsm"
    result = CliRunner().invoke(app, ["import", str(seed_path), "-o", str(fresh)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    problems = compare_xlsx(fresh, DECLARATIONS)
    assert not problems, f"declarations.xlsm is out of date; rebuild it with `{REBUILD}`\n\n" + "\n\n".join(problems)


def test_declarations_xlsm_holds_the_seed():
    decl = read_sources([DECLARATIONS]).declaration
    assert [p.name for p in decl.projects] == [
        "生殖健康咨询服务", "家庭健康促进及优生优育服务", "计生特殊家庭帮扶及权益维护", "宣传教育及基层能力建设",
    ]
    assert decl.indicator_count == 41
    assert decl.annual_total == Decimal("4233700.00")


def test_declarations_xlsm_is_macro_enabled_with_the_shipped_vba():
    with zipfile.ZipFile(DECLARATIONS) as zf:
        assert MACRO_CT in zf.read("[Content_Types].xml").decode()
        assert "relationships/vbaProject" in zf.read("xl/_rels/workbook.xml.rels").decode()
        assert zf.read("xl/vbaProject.bin") == (TEMPLATES / "vbaProject.bin").read_bytes()


def test_openpyxl_save_keeps_the_vba_byte_identical(tmp_path):
    wb = openpyxl.load_workbook(DECLARATIONS, keep_vba=True)
    wb["填写说明"]["A3"] = "改了一个单元格"
    wb.save(tmp_path / "again.xlsm")
    with zipfile.ZipFile(DECLARATIONS) as a, zipfile.ZipFile(tmp_path / "again.xlsm") as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert MACRO_CT in b.read("[Content_Types].xml").decode()


def test_vba_module_reads_back_with_olevba():
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(DECLARATIONS))
    try:
        modules = {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert "Public Sub GoToFirstProblem()" in modules["Xltargets.bas"]
    source = (TEMPLATES / "Xltargets.bas").read_text(encoding="ascii")
    assert "GoToFirstProblem" in source


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, TEMPLATES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_vba_project_is_built_from_the_bas(tmp_path):
    pytest.importorskip("pyopenvba")
    data = _load("make_vba").build(tmp_path / "vbaProject.bin")
    assert data == (TEMPLATES / "vbaProject.bin").read_bytes(), "run `python templates/make_vba.py`"


def test_vba_project_is_source_only():
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes((TEMPLATES / "vbaProject.bin").read_bytes())
    assert cfb.get_stream_in_storage("VBA", "_VBA_PROJECT") == b"\xcc\x61\xff\xff\x00\x01\x00"


def test_vba_from_another_workbook_is_carried(tmp_path, seed_path):
    donor = tmp_path / "donor.xlsm"
    wb = openpyxl.Workbook()
    from xltargets.workbook.vba import attach_vba

    attach_vba(wb, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"not really a project")
    wb.save(donor)
    out = tmp_path / "o.xlsm"
    result = CliRunner().invoke(app, ["import", str(seed_path), "-o", str(out), "--vba-from", str(donor)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin").endswith(b"not really a project")


def test_instructions_sheet_links_each_project_inside_the_workbook():
    wb = openpyxl.load_workbook(DECLARATIONS)
    ws = wb["填写说明"]
    links = [c.hyperlink for c in ws["B"] if c.hyperlink is not None]
    assert [link.location for link in links] == [f"'{ws_.title}'!A1" for ws_ in wb.worksheets[1:5]]
    assert all(not link.target for link in links)  # no external relationship
    assert wb["下拉列表"].sheet_state == "hidden" and wb.sheetnames[0] == "填写说明"
