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

import difflib
import os
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xltargets.model import Declaration, Project
from xltargets.workbook import load_template, render_project
from xltargets.workbook.build import build_workbook, save_workbook

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "workbook"
REGEN = os.environ.get("XLTARGETS_REGEN_GOLDEN") == "1"

#: element patterns masked in every comparison (volatile by nature)
VOLATILE = {
    "docProps/core.xml": [r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"],
}


def seed_declaration() -> Declaration:
    """The seed's four projects, frozen as JSON so importer changes do not move the goldens."""
    return Declaration.model_validate_json((GOLDEN / "seed-declaration.json").read_text(encoding="utf-8"))


def _xml_elements(text: str) -> list[str]:
    text = re.sub(r">\s+<", "><", text.strip())
    # openpyxl writes CJK as character references: show them as text in diffs
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    parts = re.split(r"(?=<)|(?<=>)", text)
    return [p for p in parts if p]


def _normalise(name: str, data: bytes, mask: dict[str, list[str]]) -> list[str]:
    text = data.decode("utf-8")
    for pattern in mask.get(name, []):
        text = re.sub(pattern, "", text)
    elements = _xml_elements(text)
    if name.endswith(".rels") or name == "[Content_Types].xml":
        head, body = elements[:2], elements[2:-1]
        return head + sorted(body) + elements[-1:]
    return elements


def compare_xlsx(got: Path, expected: Path, *, mask: dict[str, list[str]] | None = None) -> list[str]:
    """Differences between two packages ([] when equal after masking)."""
    mask = {**VOLATILE, **(mask or {})}
    problems: list[str] = []
    with zipfile.ZipFile(got) as g, zipfile.ZipFile(expected) as e:
        gn, en = sorted(g.namelist()), sorted(e.namelist())
        if gn != en:
            return [f"members differ: +{sorted(set(gn) - set(en))} -{sorted(set(en) - set(gn))}"]
        for name in gn:
            a, b = g.read(name), e.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                if a != b:
                    problems.append(f"{name}: binary part differs")
                continue
            la, lb = _normalise(name, a, mask), _normalise(name, b, mask)
            if la != lb:
                diff = "\n".join(list(difflib.unified_diff(lb, la, "expected", "got", lineterm="", n=2))[:60])
                problems.append(f"{name}:\n{diff}")
    return problems


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
    assert len(problems) == 1
    assert problems[0].startswith("xl/worksheets/sheet2.xml")
    assert "-青春健康高校项目" in problems[0] and "+改过的三级指标" in problems[0]


def test_comparison_masks_only_document_dates(tmp_path):
    decl = seed_declaration()
    a = build_workbook(decl, tmp_path / "a.xlsx")
    b = build_workbook(decl, tmp_path / "b.xlsx")
    assert compare_xlsx(a, b) == []
    with zipfile.ZipFile(a) as za:
        assert "<dcterms:modified" in za.read("docProps/core.xml").decode()
