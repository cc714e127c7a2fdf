"""The small parts of consolidation: text cells, cached values, marker, title, links, sources."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xltargets.consolidate import cached_values, marker, write_workbook
from xltargets.consolidate.cells import looks_like_non_text, put
from xltargets.consolidate.findings_sheet import link_for
from xltargets.consolidate.indicators_sheet import indicator_rows
from xltargets.consolidate.sources import resolve_sources
from xltargets.consolidate.title import summary_title
from xltargets.errors import InputError
from xltargets.findings import Finding, Severity
from xltargets.importing import read_sources
from xltargets.model import Declaration, Indicator, Project, QualitativeTarget, RawTarget


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", True),
        ("=10.00(所)", True),
        ("+86", True),
        ("-3", True),
        ("@sum", True),
        ("0012", True),
        ("1,000.5", True),
        ("85%", True),
        ("7.11世界人口日主题活动", True),
        ("2024-01-01", True),
        ("2026/1/1", True),
        ("及时", False),
        ("≥85.00(分)", False),
        ("<100(百分比)", False),
        ("529会员日", False),
        ("", False),
    ],
    ids=lambda v: str(v) if not isinstance(v, bool) else None,
)
def test_looks_like_non_text(text, expected):
    assert looks_like_non_text(text) is expected


@pytest.mark.parametrize("text", ["=1+1", "=10.00(所)", "0012", "2024-01-01", "及时"], ids=str)
def test_put_keeps_text_as_text(tmp_path, text):
    wb = openpyxl.Workbook()
    put(wb.active, 1, 1, text)
    wb.save(tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix is looks_like_non_text(text)


def _formula_book(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资金汇总"
    ws["A1"], ws["A2"], ws["A3"] = 1, 2, "=SUM(A1:A2)"
    wb.create_sheet("other")["B1"] = "=1+1"
    wb.save(path)


def test_cached_values_fill_only_the_named_cells(tmp_path):
    path = tmp_path / "f.xlsx"
    _formula_book(path)
    with zipfile.ZipFile(path) as zf:
        before = {n: zf.read(n) for n in zf.namelist()}
    cached_values.add_cached_values(path, "资金汇总", {"A3": Decimal("3.00")})
    with zipfile.ZipFile(path) as zf:
        after = {n: zf.read(n) for n in zf.namelist()}
        times = {i.date_time for i in zf.infolist()}
    assert after.keys() == before.keys()
    changed = [n for n in before if before[n] != after[n]]
    assert changed == ["xl/worksheets/sheet1.xml"]
    assert b"<f>SUM(A1:A2)</f><v>3</v>" in after["xl/worksheets/sheet1.xml"]
    assert times == {(1980, 1, 1, 0, 0, 0)}
    assert openpyxl.load_workbook(path, data_only=True)["资金汇总"]["A3"].value == 3
    assert openpyxl.load_workbook(path)["资金汇总"]["A3"].value == "=SUM(A1:A2)"


def test_cached_values_refuse_a_cell_without_formula(tmp_path):
    path = tmp_path / "f.xlsx"
    _formula_book(path)
    original = path.read_bytes()
    with pytest.raises(ValueError, match="A1"):
        cached_values.add_cached_values(path, "资金汇总", {"A1": 5})
    assert path.read_bytes() == original
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    "value, text", [(Decimal("4233700.00"), "4233700"), (Decimal("0.00"), "0"), (Decimal("100000.50"), "100000.5"), (7, "7")]
)
def test_cached_number_text(value, text):
    assert cached_values._number(value) == text


def test_marker_tells_our_outputs_from_others(tmp_path):
    ours = tmp_path / "ours.xlsx"
    write_workbook(ours, Declaration(projects=[Project(name="p")]), [], title="t")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a zip")
    assert marker.is_ours(ours)
    assert not marker.is_ours(plain)
    assert not marker.is_ours(garbage)
    assert not marker.is_ours(tmp_path / "missing.xlsx")


@pytest.mark.parametrize(
    "content, ours",
    [
        (b"%PDF-1.6 /Keywords(xltargets-consolidate)", True),
        (b"%PDF-1.6 /Keywords<FEFF" + marker.KEYWORD.encode("utf-16-be").hex().upper().encode() + b">", True),
        (b"%PDF-1.6 /Keywords(something else)", False),
    ],
    ids=["literal", "utf16-hex", "foreign"],
)
def test_marker_on_pdfs(tmp_path, content, ours):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(content)
    assert marker.is_ours(pdf) is ours


def _p(name="p", unit="", department="", year=None, start=None) -> Project:
    return Project(name=name, unit=unit, department=department, year=year, start=start)


@pytest.mark.parametrize(
    "decl, title",
    [
        (Declaration(organisation="甲单位", year=2024, projects=[_p()]), "甲单位2024年度项目绩效目标汇总表"),
        (Declaration(projects=[_p(unit="乙单位", year=2025)]), "乙单位2025年度项目绩效目标汇总表"),
        (
            Declaration(projects=[_p(unit="甲", department="委员会", year=2024), _p(unit="乙", department="委员会", year=2024)]),
            "委员会2024年度项目绩效目标汇总表",
        ),
        (Declaration(projects=[_p(unit="甲", start=dt.date(2023, 3, 1))]), "甲2023年度项目绩效目标汇总表"),
        (Declaration(projects=[_p()]), "年度项目绩效目标汇总表"),
        (Declaration(title="某某汇总表", organisation="甲", year=2024, projects=[_p()]), "某某汇总表"),
    ],
    ids=["declared", "one-unit", "units-share-department", "year-from-start", "unknown", "kept-title"],
)
def test_summary_title(decl, title):
    assert summary_title(decl) == title


def _finding(**kw) -> Finding:
    return Finding(code="XLT-E001", severity=Severity.ERROR, message="m", **kw)


def test_link_is_relative_to_the_output_folder(tmp_path):
    src = tmp_path / "units" / "a.xlsm"
    link = link_for(_finding(file=str(src), sheet="It's 项目", cell="E18"), tmp_path / "out")
    assert link.target == "../units/a.xlsm"
    assert link.location == "'It''s 项目'!E18"


@pytest.mark.parametrize(
    "finding, target, location",
    [
        (_finding(), None, None),
        (_finding(file="a.tsv", cell="D67"), "a.tsv", None),
        (_finding(file="a.xlsx", sheet="S"), "a.xlsx", "'S'!A1"),
    ],
    ids=["no-file", "tsv-has-no-sheet", "sheet-without-cell"],
)
def test_link_targets(finding, target, location):
    link = link_for(finding, None)
    if target is None:
        assert link is None
    else:
        assert (link.target, link.location) == (target, location)


def test_indicator_kinds():
    decl = Declaration(
        projects=[
            Project(
                name="p",
                indicators=[
                    Indicator(level3="a", target=QualitativeTarget(text="及时")),
                    Indicator(level3="b", target=RawTarget(text="≥abc")),
                    Indicator(level3="c"),
                ],
            )
        ]
    )
    assert [r[-1] for r in indicator_rows(decl)] == ["定性", "无法识别", "空"]
    assert [r[8] for r in indicator_rows(decl)] == ["及时", "≥abc", ""]


def test_default_source_missing(tmp_path):
    with pytest.raises(InputError, match="declarations.xlsm"):
        resolve_sources([], cwd=tmp_path)


def test_folder_without_sources(tmp_path):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="没有申报表文件"):
        resolve_sources([tmp_path], cwd=tmp_path)


def test_folder_skips_our_output_under_any_name(tmp_path, seed_path):
    (tmp_path / "a.tsv").write_bytes(seed_path.read_bytes())
    write_workbook(tmp_path / "merged.xlsx", read_sources([seed_path]).declaration, [], title="t")
    assert resolve_sources([tmp_path], cwd=tmp_path) == [tmp_path / "a.tsv"]
    # named explicitly, a 汇总表 is a source like any other
    assert resolve_sources([tmp_path / "merged.xlsx"], cwd=tmp_path) == [tmp_path / "merged.xlsx"]


def test_empty_declaration_still_makes_a_workbook(tmp_path):
    out = tmp_path / "e.xlsx"
    write_workbook(out, Declaration(), [], title="空汇总表")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总表", "指标明细", "资金汇总", "校验结果"]
    assert wb["校验结果"]["A2"].value == "未发现问题。"
    assert openpyxl.load_workbook(out, data_only=True)["资金汇总"]["F3"].value == 0


def test_consolidate_a_checked_report(tmp_path, seed_path):
    """What the add-in calls: the report's findings as they are; sources never overwritten."""
    from xltargets.pipeline import check_sources, consolidate

    report = check_sources([seed_path])
    result = consolidate(report, tmp_path / "s.xlsx", inputs=[seed_path])
    assert result.written == [tmp_path / "s.xlsx"]
    assert result.findings == report.findings
    assert any(f.code == "XLT-E007" for f in result.findings)
    with pytest.raises(Exception, match="输入"):
        consolidate(report, tmp_path / "s.xlsx", inputs=[tmp_path / "s.xlsx"], force=True)