"""The small parts of consolidation: text cells, cached values, marker, title, links, sources."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from corpus import formats as fmt

from xltargets.consolidate import marker, write_workbook
from xltargets.consolidate.cells import looks_like_non_text, put
from xltargets.consolidate.findings_sheet import link_for
from xltargets.consolidate.indicators_sheet import indicator_rows
from xltargets.consolidate.sources import resolve_sources
from xltargets.consolidate.title import summary_title
from xltargets.errors import InputError
from xltargets.findings import Finding, Severity
from xltargets.importing import read_sources
from xltargets.model import Declaration, Funds, Indicator, Project, QualitativeTarget, RawTarget


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
    from xltargets.consolidate.cells import Formats
    from xltargets.workbook.build import write_xlsx

    write_xlsx(tmp_path / "t.xlsx", lambda wb: put(wb.add_worksheet("Sheet"), Formats(wb), 1, 1, text, sheet="Sheet"))
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix is looks_like_non_text(text)


def test_totals_carry_their_values(tmp_path):
    """The 资金汇总 totals are formulas with their computed values stored (readers that do not recalculate)."""
    from python_calamine import CalamineWorkbook

    decl = Declaration(projects=[
        Project(name="甲", funds=Funds(annual=Decimal("100000.50"), total=Decimal("4233700.00"))),
        Project(name="乙", funds=Funds(annual=Decimal("0.25"))),
    ])
    path = tmp_path / "s.xlsx"
    write_workbook(path, decl, [], title="t")
    ws = openpyxl.load_workbook(path)["资金汇总"]
    assert ws["F5"].value == "=SUM(F3:F4)" and ws["C5"].value == "=SUM(C3:C4)"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("资金汇总").to_python()
    assert rows[4][5] == 100000.75 and rows[4][2] == 4233700


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
        (fmt.pdf_bytes(info=b"<< /Keywords (xltargets-consolidate) >>"), True),
        (fmt.pdf_bytes(info=b"<< /Keywords <FEFF" + marker.KEYWORD.encode("utf-16-be").hex().upper().encode() + b"> >>"), True),
        (fmt.pdf_bytes(info=b"<< /Keywords (something else) >>"), False),
        # issue 14: the bytes anywhere else (the text, a comment, another entry) are not our mark
        (fmt.pdf_bytes(b"xltargets-consolidate", b"<< /Title (xltargets-consolidate) >>"), False),
        (b"%PDF-1.6 /Keywords(xltargets-consolidate)", False),  # no PDF structure at all
    ],
    ids=["literal", "utf16-hex", "foreign", "bytes-elsewhere", "no-structure"],
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
    assert link == "external:../units/a.xlsm#'It''s 项目'!E18"


@pytest.mark.parametrize(
    "finding, target, location",
    [
        (_finding(), None, None),
        (_finding(file="a.tsv", cell="D67"), "external:a.tsv", None),
        (_finding(file="a.xlsx", sheet="S"), "external:a.xlsx", "'S'!A1"),
        (_finding(file="http:evil.xlsx", sheet="S"), "external:http%3Aevil.xlsx", "'S'!A1"),
    ],
    ids=["no-file", "tsv-has-no-sheet", "sheet-without-cell", "colon-in-name-stays-a-file"],
)
def test_link_targets(finding, target, location):
    link = link_for(finding, None)
    if target is None:
        assert link is None
    else:
        assert tuple(link.split("#", 1)) == ((target, location) if location else (target,))


def test_remembered_links_are_the_links(tmp_path):
    """One sheet remembers each file's link: every finding still gets its own file, sheet and cell."""
    findings = [
        _finding(file=str(tmp_path / "units" / "a.xlsm"), sheet="S", cell="E18"),
        _finding(file=str(tmp_path / "units" / "a.xlsm"), sheet="T"),
        _finding(file=str(tmp_path / "b.tsv"), cell="D67"),
        _finding(file=str(tmp_path / "units" / "a.xlsm"), sheet="S", cell="F2"),
    ]
    files: dict[str, str] = {}
    remembered = [link_for(f, tmp_path / "out", files) for f in findings]
    assert remembered == [link_for(f, tmp_path / "out") for f in findings]
    assert remembered == ["external:../units/a.xlsm#'S'!E18", "external:../units/a.xlsm#'T'!A1",
                          "external:../b.tsv", "external:../units/a.xlsm#'S'!F2"]
    assert len(files) == 2


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

def test_summary_rows_keep_their_heights_with_fewer_row_records(tmp_path, seed_path, monkeypatch):
    """The 汇总表 sheet's default row height is the indicator rows' 24 points, so those rows get no
    row record (XlsxWriter keeps each until the file is closed); every row still has the height it had:
    the title 40, the blank row above each form 15 (a blank cell keeps it), a grown row its own."""
    from xlsxwriter.worksheet import Worksheet

    calls: list[tuple] = []
    real = Worksheet.set_row
    monkeypatch.setattr(Worksheet, "set_row", lambda self, row, height=None, *a, **k: (
        calls.append((self.name, row, height)), real(self, row, height, *a, **k))[1])
    decl = read_sources([seed_path]).declaration
    out = tmp_path / "s.xlsx"
    write_workbook(out, decl, [], title="t")
    ws = openpyxl.load_workbook(out)["汇总表"]
    assert ws.sheet_format.defaultRowHeight == 24 and ws.sheet_format.customHeight
    heights = {r: d.height for r, d in ws.row_dimensions.items()}
    assert heights[1] == pytest.approx(40, abs=0.25) and heights[2] == 15  # XlsxWriter rounds to pixels
    blanks = [r for r in range(3, ws.max_row) if all(c.value is None for c in ws[r]) and heights.get(r) == 15]
    assert len(blanks) == len(decl.projects) - 1  # one blank row between two forms
    assert all(ws.cell(r, 1).border.left.style is None for r in [2, *blanks])  # nothing shows there
    assert 24 in heights.values() and max(heights.values()) > 24  # indicator rows; a row grown for its text
    summary_rows = [c for c in calls if c[0] == "汇总表"]
    assert not any(h == 24 for _, _, h in summary_rows)
    assert len(summary_rows) < ws.max_row / 2  # most rows are indicator rows of the default height


def test_label_merges_of_one_line_are_centred_across(tmp_path):
    """A one-row merge of centred text that fits on one line is written centred across its cells instead
    (XlsxWriter keeps every merged cell until close()); a text that needs wrapping keeps its merge."""
    from xltargets.targets import parse_target

    short, long = "≥85.00(百分比)", "按照年度计划完成全部培训任务并形成工作总结报告和成果汇编材料"
    decl = Declaration(projects=[Project(name="甲", year=2024, indicators=[
        Indicator(level1="产出指标", level2="数量指标", level3="培训人次", target=parse_target(short).target),
        Indicator(level1="产出指标", level2="质量指标", level3="完成情况", target=parse_target(long).target),
    ])])
    out = tmp_path / "s.xlsx"
    write_workbook(out, decl, [], title="t")
    ws = openpyxl.load_workbook(out)["汇总表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    rows = {ws.cell(r, 5).value: r for r in range(1, ws.max_row + 1)}
    s, g = rows[short], rows[long]
    assert f"E{g}:F{g}" in merged and f"E{s}:F{s}" not in merged
    e, f = ws.cell(s, 5), ws.cell(s, 6)
    assert e.alignment.horizontal == f.alignment.horizontal == "centerContinuous" and f.value is None
    assert not e.alignment.wrap_text and e.border.right.style is None and f.border.left.style is None
    assert e.border.left.style == f.border.right.style == e.border.top.style == f.border.bottom.style == "thin"
    assert "A3:F3" not in merged and ws["A3"].alignment.horizontal == "centerContinuous"  # the form's title
    assert "A1:F1" in merged  # the 汇总表's own title is a box of its own
    assert read_sources([out]).declaration.projects[0].indicators[0].value == short  # reads back


def test_consolidate_lets_the_remembered_texts_go_before_writing(tmp_path, seed_path, monkeypatch):
    """The importer's and the rules' remembered texts (xltargets.memo) are emptied once the sources are
    read and checked, before the workbook is written: XlsxWriter's records reuse that memory."""
    from xltargets import memo
    from xltargets.consolidate import workbook
    from xltargets.importing.cells import label_of
    from xltargets.pipeline import consolidate
    from xltargets.targets import parsed

    seen = {}
    real = workbook.write_workbook

    def spy(*args, **kwargs):
        seen["at write"] = label_of.cache_info().currsize, parsed.cache_info().currsize
        return real(*args, **kwargs)

    monkeypatch.setattr(workbook, "write_workbook", spy)
    monkeypatch.setattr("xltargets.consolidate.run.write_workbook", spy, raising=False)
    label_of("项目名称")
    consolidate([seed_path], tmp_path / "s.xlsx", cwd=tmp_path, keep=False)
    assert seen["at write"] == (0, 0)
    label_of("项目名称")
    assert label_of.cache_info().currsize == 1
    memo.forget()
    assert label_of.cache_info().currsize == 0 and label_of("项目名称") == "项目名称"
