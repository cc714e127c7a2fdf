"""Files written by real third-party programs pass the safety checks and read correctly.

The corpus files are written by hand (tests/corpus/formats.py) so each can be
broken in one exact way; these tests make sure the checks in
importing/guard.py are not stricter than the programs staff really use: LibreOffice (xls, ods, xlsx), openpyxl and
XlsxWriter (xlsx). Names such as ``0012`` stay text throughout.
"""

from __future__ import annotations

import json

import pytest

from corpus import formats as fmt
from corpus.harness import run_cli
from corpus.make_corpus import CLEAN, form, summary

GRID = summary(CLEAN, form(name="0012"))
NAMES = ["青春健康培训项目", "0012"]


def _check_and_dump(path, tmp_path):
    proc = run_cli(["check", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "共 2 个项目、12 条绩效指标；错误 0 条" in proc.stdout
    proc = run_cli(["dump", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [p["name"] for p in json.loads(proc.stdout)["projects"]] == NAMES


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xls", "ods", "xlsx"])
def test_files_saved_by_libreoffice(soffice, tmp_path, target):
    from xltargets.libreoffice import convert

    src = fmt.xlsx(tmp_path / "src.xlsx", [("申报表", GRID)])
    made = convert(src, target, tmp_path / "out")
    assert made.suffix == f".{target}"
    _check_and_dump(made, tmp_path)


def test_files_saved_by_openpyxl_and_xlsxwriter(tmp_path):
    import openpyxl
    import xlsxwriter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报表"
    for row in GRID:
        ws.append([("" if v is None else v) for v in row] or [None])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    wb.save(tmp_path / "openpyxl.xlsx")
    _check_and_dump(tmp_path / "openpyxl.xlsx", tmp_path)

    book = xlsxwriter.Workbook(str(tmp_path / "xlsxwriter.xlsx"), {"strings_to_numbers": False})
    sheet = book.add_worksheet("申报表")
    for r, row in enumerate(GRID):
        for c, v in enumerate(row):
            if v not in (None, ""):
                sheet.write_string(r, c, str(v))
    book.close()
    _check_and_dump(tmp_path / "xlsxwriter.xlsx", tmp_path)


@pytest.mark.libreoffice
def test_a_macro_workbook_saved_as_ods_by_libreoffice(soffice, seed_path, tmp_path):
    """LibreOffice keeps a workbook's VBA as Basic/*.xml parts that name their DTD
    (``<!DOCTYPE script:module PUBLIC … "module.dtd">``): inert, and read (it was refused as an XML bomb)."""
    import zipfile

    from xltargets.libreoffice import convert

    src = tmp_path / "declarations.xlsm"
    src.write_bytes((seed_path.parent.parent / "declarations.xlsm").read_bytes())
    made = convert(src, "ods", tmp_path / "out")
    with zipfile.ZipFile(made) as z:
        basic = [n for n in z.namelist() if n.startswith("Basic/")]
        assert basic and all(b"<!DOCTYPE" in z.read(n) for n in basic if n.endswith(".xml"))
    proc = run_cli(["check", str(made)], cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the seed's own error
    assert "共 4 个项目、41 条绩效指标；错误 1 条，警告 5 条" in proc.stdout
