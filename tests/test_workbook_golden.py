"""Generated workbooks compared with golden files, part by part at the XML level.

As in XlsxWriter's comparison tests: both files are opened as zips, the member
lists compared, binary parts byte for byte, and each XML part split into
elements (relationships and content types sorted) so a failure prints a
readable diff. Volatile bits are masked: the dates in ``docProps/core.xml``
(zip member times are not compared at all).

Regenerate after an intended change with
``XLTARGETS_REGEN_GOLDEN=1 pytest tests/test_workbook_golden.py`` and review
the diff of the unzipped parts.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from openpyxl import Workbook

from xltargets.model import Declaration, Project
from xltargets.workbook import load_template, render_project
from xltargets.workbook.build import build_workbook, save_workbook

from xlsxcompare import compare_xlsx

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "workbook"
REGEN = os.environ.get("XLTARGETS_REGEN_GOLDEN") == "1"


def seed_declaration() -> Declaration:
    """The seed's four projects, frozen as JSON so importer changes do not move the goldens."""
    return Declaration.model_validate_json((GOLDEN / "seed-declaration.json").read_text(encoding="utf-8"))


def _check(got: Path, name: str) -> None:
    expected = GOLDEN / name
    if REGEN:
        expected.write_bytes(got.read_bytes())
    assert expected.exists(), f"golden file {name} missing: run with XLTARGETS_REGEN_GOLDEN=1"
    problems = compare_xlsx(got, expected)
    assert not problems, "\n\n".join(problems)


def test_seed_workbook_matches_golden(tmp_path):
    out = build_workbook(seed_declaration(), tmp_path / "seed.xlsm")
    _check(out, "seed.xlsm")


def test_blank_form_matches_golden(tmp_path):
    out = build_workbook(Declaration(projects=[Project(name="新项目")]), tmp_path / "blank.xlsx")
    _check(out, "blank.xlsx")


def test_stacked_print_only_forms_match_golden(tmp_path):
    """The consolidation's use: forms one under another in one sheet, no checks."""
    decl = seed_declaration()
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    row = 1
    for project in decl.projects[:2]:
        row += render_project(ws, project, start_row=row, template=load_template(), checks=False) + 1
    out = save_workbook(wb, tmp_path / "stacked.xlsx")
    _check(out, "stacked.xlsx")


def test_comparison_reports_a_changed_cell(tmp_path):
    """The comparison itself can fail: one changed 指标值 is reported with its part."""
    decl = seed_declaration()
    a = build_workbook(decl, tmp_path / "a.xlsx")
    changed = decl.model_copy(deep=True)
    changed.projects[0].indicators[0].level3 = "改过的三级指标"
    b = build_workbook(changed, tmp_path / "b.xlsx")
    problems = compare_xlsx(b, a)
    parts = [p.split(":", 1)[0] for p in problems]
    # docProps/custom.xml: the fingerprint import's rerun check reads (xltargets.workbook.mark) follows the content
    assert "xl/worksheets/sheet2.xml" in parts and "docProps/custom.xml" in parts
    assert set(parts) <= {"xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "docProps/custom.xml"}
    sheet = problems[parts.index("xl/worksheets/sheet2.xml")]
    assert "青春健康高校项目" in sheet and "改过的三级指标" in sheet
    assert '<c r="D13"' in sheet  # the cell is named


def test_comparison_masks_only_document_dates(tmp_path):
    decl = seed_declaration()
    a = build_workbook(decl, tmp_path / "a.xlsx")
    b = build_workbook(decl, tmp_path / "b.xlsx")
    assert compare_xlsx(a, b) == []
    with zipfile.ZipFile(a) as za:
        assert "<dcterms:modified" in za.read("docProps/core.xml").decode()
