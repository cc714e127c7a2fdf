"""The ribbon actions on xlwings' remote engine, fed with real workbooks.

The declarations workbook is built from the seed 汇总表 by the workbook
package; the remote engine queues every write as an action, and the tests
assert on those actions (what Excel would be told to do).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from test_excel_payload import address, remote, remote_book, payload_from_workbook, sheet_actions  # noqa: F401

from xltargets.actions import status_line
from xltargets.addin.sources import button_tags, default_source_dir
from xltargets.pipeline import check_sources
from xltargets.excel import actions, adapter, marks
from xltargets.excel.cells import MARKS_SHEET, RESULTS_SHEET
from xltargets.excel.ribbon import decode_answer, perform



@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory, seed_path) -> Path:
    from xltargets.importing import read_sources
    from xltargets.workbook.build import build_workbook

    out = tmp_path_factory.mktemp("seedbook") / "declarations.xlsx"
    build_workbook(read_sources([seed_path]).declaration, out)
    return out


@pytest.fixture
def status(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(adapter, "show_status", lambda book, text: shown.append(text))
    return shown


def colour_actions(book) -> dict[tuple[str, str], object]:
    return {(s, address(a)): a["args"][0] for s, a in sheet_actions(book) if a["func"] == "setRangeColor"}


def written(book, sheet_name: str) -> list[list]:
    (values,) = [a["values"] for s, a in sheet_actions(book) if s == sheet_name and a["func"] == "setValues"]
    return values


def expected_cells(path: Path) -> set[tuple[str, str]]:
    findings = check_sources([path]).findings
    return {(f.sheet, f.cell) for f in findings if f.sheet and f.cell}


def test_every_ribbon_tag_has_an_action():
    tags = set(button_tags((default_source_dir() / "customUI.xml").read_bytes()).values())
    assert tags == set(actions.ACTIONS)


def test_validate_marks_exactly_the_cells_of_the_seed_findings(seed_workbook, remote, status):
    book = remote(seed_workbook)
    outcome = actions.validate(book)
    findings = check_sources([seed_workbook]).findings
    assert [(f.code, f.sheet, f.cell) for f in outcome.findings] == [(f.code, f.sheet, f.cell) for f in findings]
    assert any(f.code == "XLT-E007" and f.project == "生殖健康咨询服务" for f in outcome.findings)
    coloured = colour_actions(book)
    assert set(coloured) == expected_cells(seed_workbook)
    for (sheet, cell), colour in coloured.items():
        severities = {f.severity.value for f in outcome.findings if (f.sheet, f.cell) == (sheet, cell)}
        assert colour == marks.MARK_COLORS["error" if "error" in severities else "warning"]
    notes = {(s, a["args"][0].replace("$", "")): a["args"][1] for s, a in sheet_actions(book) if a["func"] == "addNote"}
    assert set(notes) == set(coloured)
    assert notes[("计生特殊家庭帮扶及权益维护", "E18")].startswith(marks.NOTE_HEADING)
    assert "社会效益良好" in notes[("计生特殊家庭帮扶及权益维护", "E18")]


def test_validate_writes_the_results_sheet_with_links(seed_workbook, remote, status):
    book = remote(seed_workbook)
    outcome = actions.validate(book)
    rows = written(book, RESULTS_SHEET)
    assert rows[0][0] == status_line(outcome) and rows[1][:3] == ["序号", "级别", "规则"]
    assert len(rows) == len(outcome.findings) + 2
    for row, f in zip(rows[2:], outcome.findings):
        assert row[2] == f.code and row[5] == f.message
        assert row[4] == f'=HYPERLINK("#\'{f.sheet}\'!{f.cell}","{f.sheet}!{f.cell}")'
    funcs = [a["func"] for s, a in sheet_actions(book) if s == RESULTS_SHEET]
    assert "activateSheet" in funcs
    assert status == [status_line(outcome)]
    assert f"{outcome.errors} 个错误，{outcome.warnings} 个警告" in status_line(outcome)


def test_validate_records_its_marks_in_a_hidden_sheet(seed_workbook, remote, status):
    book = remote(seed_workbook)
    actions.validate(book)
    assert not book.sheets[MARKS_SHEET].visible
    rows = written(book, MARKS_SHEET)
    assert rows[0] == marks.HEADER
    assert {(r[0], r[1]) for r in rows[1:]} == expected_cells(seed_workbook)
    assert all(r[2] == "" and r[3] == 1 for r in rows[1:])  # no fill before (unknown on this engine), our note


def test_rerun_takes_off_only_its_own_marks(seed_workbook, tmp_path, remote, status):
    first = remote(seed_workbook)
    actions.validate(first)
    record = written(first, MARKS_SHEET)
    marked = {(r[0], r[1]) for r in record[1:]}

    # the user fixes one problem: 社会效益良好 under 经济效益指标
    fixed = tmp_path / "fixed.xlsx"
    wb = load_workbook(seed_workbook)
    assert wb["计生特殊家庭帮扶及权益维护"]["E18"].value == "社会效益良好"
    wb["计生特殊家庭帮扶及权益维护"]["E18"].value = "经济效益良好"
    wb.save(fixed)
    payload = payload_from_workbook(
        fixed,
        notes={s: [c for (sh, c) in marked if sh == s] for s in {s for s, _ in marked}},
        extra_sheets=[{"name": MARKS_SHEET, "values": record, "visibility": "Hidden", "pictures": [], "tables": [], "notes": []}],
    )
    book = remote_book(payload)
    actions.validate(book)
    coloured = colour_actions(book)
    gone = ("计生特殊家庭帮扶及权益维护", "E18")
    assert coloured[gone] is None  # back to no fill
    assert set(coloured) == marked  # nothing else touched: user formatting elsewhere stays
    by_func = {}
    for s, a in sheet_actions(book):
        if s != MARKS_SHEET and a["func"] in ("deleteNote", "addNote", "setNoteText"):
            by_func.setdefault(a["func"], set()).add((s, a["args"][0].replace("$", "")))
    assert by_func["deleteNote"] == {gone}
    assert by_func["setNoteText"] == marked - {gone}
    assert "addNote" not in by_func
    assert {(r[0], r[1]) for r in written(book, MARKS_SHEET)[1:]} == marked - {gone}


def test_new_project_adds_a_sheet_from_the_template(seed_workbook, remote, status):
    book = remote(seed_workbook)
    names = perform(book, "new_project", "7.11世界人口日宣传")
    assert names == ["7.11世界人口日宣传"]
    (added,) = [a for _s, a in sheet_actions(book) if a["func"] == "addSheet"]
    assert added["args"][1] == "7.11世界人口日宣传"
    values = written(book, "7.11世界人口日宣传")
    # written through Range.Value, which would make "0012" the number 12: text that may read as a number or
    # date ("7.11…" included: the rule is cautious) goes with Excel's text prefix (xltargets.text.looks_like_non_text)
    assert values[2][:2] == ["项目名称", "'7.11世界人口日宣传"]
    # the template's check formulas stay formulas (before session 7 they went behind the apostrophe: text)
    texts = [v for row in values for v in row if isinstance(v, str)]
    assert any(v.startswith("=IF(") for v in texts) and not any(v.startswith("'=") for v in texts)
    assert status == ["已新建项目工作表“7.11世界人口日宣传”。"]


def test_new_project_with_a_taken_name_gets_a_unique_sheet(seed_workbook, remote, status):
    book = remote(seed_workbook)
    (name,) = perform(book, "new_project", "生殖健康咨询服务")
    assert name != "生殖健康咨询服务" and name.startswith("生殖健康咨询服务")


def test_import_adds_one_sheet_per_form(seed_workbook, seed_path, remote, status):
    book = remote(seed_workbook)
    names = perform(book, "import", str(seed_path))
    assert len(names) == 4 and len(set(names) | {s.name for s in book.sheets}) == len({s.name for s in book.sheets})
    assert [a["args"][1] for _s, a in sheet_actions(book) if a["func"] == "addSheet"] == names
    assert status[-1].startswith("已导入 4 个项目")


def test_consolidate_writes_the_summary_workbook(seed_workbook, tmp_path, remote, status):
    book = remote(seed_workbook)
    out = tmp_path / "汇总表.xlsx"
    assert perform(book, "consolidate", str(out)) == out
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总表"
    assert status == [f"已生成汇总表“{out}”。"]


def test_errors_become_a_message_box_not_a_traceback(seed_workbook, tmp_path, remote, status):
    book = remote(seed_workbook)
    taken = tmp_path / "别人的文件.xlsx"
    taken.write_bytes(b"not ours")
    assert perform(book, "consolidate", str(taken)) is None
    assert taken.read_bytes() == b"not ours"
    (alert,) = [a for _s, a in sheet_actions(book) if a["func"] == "alert"]
    assert "已存在" in alert["args"][0] and "处理办法" in alert["args"][0]


def test_unknown_action_and_help_show_messages(seed_workbook, remote):
    book = remote(seed_workbook)
    perform(book, "no_such_button")
    perform(book, "help")
    texts = [a["args"][0] for _s, a in sheet_actions(book) if a["func"] == "alert"]
    assert "no_such_button" in texts[0]
    assert "校验" in texts[1] and "生成汇总表" in texts[1]


def test_validate_on_a_book_without_forms_says_so(tmp_path, remote):
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    book = remote(path)
    perform(book, "validate")
    (alert,) = [a for _s, a in sheet_actions(book) if a["func"] == "alert"]
    assert "没有找到申报表" in alert["args"][0]
    assert [a["func"] for _s, a in sheet_actions(book)] == ["alert"]


@pytest.mark.parametrize("text", ["生殖健康", "C:\\用户\\汇总表.xlsx", "a'b\"c", "😀 emoji", ""], ids=["cjk", "path", "quotes", "astral", "empty"])
def test_answers_survive_the_vba_hex_encoding(text):
    units = text.encode("utf-16-le")
    vba_hex = "".join(f"{int.from_bytes(units[i:i + 2], 'little'):04X}" for i in range(0, len(units), 2))
    assert decode_answer(vba_hex) == text


@pytest.mark.libreoffice
def test_export_pdf_prints_the_summary(seed_workbook, tmp_path, remote, status, soffice):
    book = remote(seed_workbook)
    out = tmp_path / "汇总表.pdf"
    assert perform(book, "export_pdf", str(out)) == out
    assert out.read_bytes().startswith(b"%PDF")
    assert status == [f"已导出 PDF“{out}”。"]
