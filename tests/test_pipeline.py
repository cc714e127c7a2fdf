"""The one pipeline: every front end shows the same findings, merged in one place.

``xltargets check``, the 校验 button (on xlwings' remote engine) and the
校验结果 sheet of ``xltargets consolidate`` read the same workbook; each must
list the same findings in the same order, including where the importer and a
rule report the same cell (the rule's finding is dropped everywhere).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from test_excel_payload import remote  # noqa: F401

from xltargets.findings import Finding, Severity
from xltargets.pipeline import (
    ADDIN_SHEETS,
    CheckReport,
    check,
    check_sheets,
    check_sources,
    consolidate,
    merge_findings,
    read_sheets,
    read_sources,
)

#: 年度资金申请总额 of the first seed form, made negative: the importer reports it (XLT-E103)
#: and so does the funds rule (XLT-E005, the parts do not add up) on the same cell
NEGATIVE = ("年度资金申请总额\t571,000.00", "年度资金申请总额\t-571,000.00")


def xltargets(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xltargets", *map(str, args)], capture_output=True, text=True)


def key(f) -> tuple:
    """What a user sees of a finding in every front end."""
    if isinstance(f, dict):
        return (f["code"], f["severity"], f["project"], f["sheet"], f["cell"], f["message"])
    return (f.code, f.severity.value, f.project, f.sheet, f.cell, f.message)


@pytest.fixture(scope="module")
def negative_tsv(seed_path, tmp_path_factory) -> Path:
    text = seed_path.read_text(encoding="utf-8")
    assert NEGATIVE[0] in text
    out = tmp_path_factory.mktemp("negative") / "negative.tsv"
    out.write_text(text.replace(*NEGATIVE, 1), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def negative_book(negative_tsv, tmp_path_factory) -> Path:
    from xltargets.workbook.build import build_workbook

    out = tmp_path_factory.mktemp("negative-book") / "declarations.xlsx"
    build_workbook(read_sources([negative_tsv]).declaration, out)
    return out


def test_the_duplicate_case_is_a_duplicate(negative_tsv):
    """The importer and the funds rule both report the negative amount's cell, with the same severity."""
    from xltargets.rules import check_declaration

    result = read_sources([negative_tsv])
    (imported,) = [f for f in result.findings if f.code == "XLT-E103"]
    ruled = [f for f in check_declaration(result.declaration) if f.cell == imported.cell]
    assert [f.code for f in ruled] == ["XLT-E005"] and ruled[0].severity is imported.severity
    report = check(result)
    assert [f.code for f in report.findings if f.cell == imported.cell] == ["XLT-E103"]


@pytest.mark.parametrize("source", ["negative_tsv", "negative_book"], ids=["tsv", "workbook"])
def test_check_and_consolidate_list_the_same_findings(source, request, tmp_path):
    path = request.getfixturevalue(source)
    report = check_sources([path])
    assert any(f.code == "XLT-E103" for f in report.findings)
    assert not any(f.code == "XLT-E005" for f in report.findings)

    proc = xltargets("check", path, "--json")
    assert proc.returncode == 1, proc.stderr
    assert [key(f) for f in json.loads(proc.stdout)] == [key(f) for f in report.findings]

    out = tmp_path / "汇总表.xlsx"
    proc = xltargets("consolidate", path, "-o", out)
    assert proc.returncode == 0, proc.stderr
    rows = list(openpyxl.load_workbook(out)["校验结果"].iter_rows(min_row=2, values_only=True))
    shown = [(code, project or None, sheet or None, cell or None, message) for _l, code, project, _f, sheet, cell, message in rows]
    assert shown == [(f.code, f.project, f.sheet, f.cell, f.message) for f in report.findings]


def test_the_ribbon_lists_the_same_findings_as_check(negative_book, remote, monkeypatch):  # noqa: F811
    from xltargets.excel import actions, adapter

    monkeypatch.setattr(adapter, "show_status", lambda book, text: None)
    outcome = actions.validate(remote(negative_book))
    assert [key(f) for f in outcome.findings] == [key(f) for f in check_sources([negative_book]).findings]
    assert [f.code for f in outcome.findings].count("XLT-E103") == 1


def test_check_sheets_reads_values_as_excel_gives_them(negative_book):
    wb = openpyxl.load_workbook(negative_book)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets if ws.sheet_state == "visible"]
    sheets.append((ADDIN_SHEETS[0], [["项目名称", "不是申报表"]]))  # our own results sheet is never read
    report = check_sheets(sheets, file=negative_book.name)
    assert [key(f) for f in report.findings] == [key(f) for f in check_sources([negative_book]).findings]
    assert report.projects == 4 and isinstance(report, CheckReport)


def test_read_sheets_without_forms_says_so():
    from xltargets.errors import InputError

    with pytest.raises(InputError, match="没有找到申报表"):
        read_sheets([("Sheet1", [["a", "b"]])])


def _f(code, project=None, cell=None, severity=Severity.WARNING, message="m") -> Finding:
    return Finding(code=code, severity=severity, message=message, project=project, sheet="s" if cell else None, cell=cell)


@pytest.mark.parametrize(
    "imported, checked, expected",
    [
        pytest.param([_f("I1", "B")], [_f("R1", "A"), _f("R2", "B")], ["R1", "I1", "R2"], id="project-order-importer-first"),
        pytest.param([], [_f("R1", "B"), _f("R0", None)], ["R0", "R1"], id="file-findings-first"),
        pytest.param([_f("I1", "A", "E12")], [_f("R1", "A", "E12")], ["I1"], id="same-cell-same-severity-dropped"),
        pytest.param(
            [_f("I1", "A", "E12")], [_f("R1", "A", "E12", Severity.ERROR)], ["I1", "R1"], id="same-cell-other-severity-kept"
        ),
        pytest.param([_f("I1", "A")], [_f("R1", "A"), _f("R1", "A")], ["I1", "R1"], id="exact-duplicate-once"),
        pytest.param([_f("I1", "A"), _f("I1", "A")], [], ["I1"], id="importer-duplicate-once"),
    ],
)
def test_merge_findings(imported, checked, expected):
    assert [f.code for f in merge_findings(["A", "B"], imported, checked)] == expected


def test_checking_loads_no_writer():
    """``xltargets check`` reads and checks: the writers (openpyxl, jinja2, XlsxWriter) and their
    packages stay out of its import path, which is most of a small check's time."""
    code = (
        "import sys, xltargets.pipeline, xltargets.rules\n"
        "print(','.join(m for m in ('openpyxl', 'jinja2', 'xlsxwriter', 'lxml', 'xlwings', 'xltargets.workbook', "
        "'xltargets.consolidate') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_what_a_check_keeps_is_not_walked_by_a_young_collection():
    """The report a check returns (its declaration, findings: ~0.5 million objects at 1,000 forms) joins
    the oldest generation as the check ends, instead of being walked by the first young collection after
    it (~0.045 s of CPU): nothing the check made is left young."""
    code = (
        "import gc\n"
        "from xltargets.pipeline import check_sources\n"
        "report = check_sources(['examples/sh-jishengxie-2024-summary.tsv'])\n"
        "young = len(gc.get_objects(0)) + len(gc.get_objects(1))\n"
        "print(young, any(o is report.declaration for o in gc.get_objects(2)), len(report.findings))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    young, oldest, findings = out.split()
    assert int(young) < 100 and oldest == "True" and int(findings) > 0, out  # 1,327 young before (4 forms)


def test_the_module_examples_hold(monkeypatch):
    import doctest

    import xltargets.pipeline

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the examples name examples/ of the checkout
    assert doctest.testmod(xltargets.pipeline).failed == 0


def test_import_notes_say_the_notes_themselves():
    """导入's status line: 校验 of the workbook cannot show notes about the files read, so they are said."""
    from xltargets.actions import import_notes
    from xltargets.findings import Finding, Severity

    notes = [Finding(code="XLT-W103", severity=Severity.WARNING, message=f"第 {i} 条。") for i in range(1, 4)]
    assert import_notes([]) == ""
    assert import_notes(notes[:1]) == "；导入时有 1 条提示：第 1 条"
    assert import_notes(notes) == "；导入时有 3 条提示：第 1 条；第 2 条……（共 3 条）"
