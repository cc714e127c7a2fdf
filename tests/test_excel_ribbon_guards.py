"""Every ribbon button works or says in Chinese why not (issue 13 point 4), on the remote engine.

Protection and read-only state come from desktop Excel (``adapter.protection``,
``adapter.is_read_only``); the remote engine cannot tell, so those two are
stood in for here, as desktop Excel would report them. No open workbook is
answered by the VBA before Python runs (tests/test_addin_vba.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from test_excel_payload import remote, sheet_actions  # noqa: F401

from xltargets.addin.sources import button_tags, default_source_dir
from xltargets.excel import actions, adapter
from xltargets.excel.ribbon import perform

BUTTONS = sorted(set(button_tags((default_source_dir() / "customUI.xml").read_bytes()).values()))


@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory, seed_path) -> Path:
    from xltargets.importing import read_sources
    from xltargets.workbook.build import build_workbook

    out = tmp_path_factory.mktemp("seedbook") / "declarations.xlsx"
    build_workbook(read_sources([seed_path]).declaration, out)
    return out


def answer_for(action: str, tmp_path: Path, seed_path: Path) -> str:
    return {
        "new_project": "新项目",
        "import": str(seed_path),
        "consolidate": str(tmp_path / "汇总表.xlsx"),
        "export_pdf": str(tmp_path / "汇总表.pdf"),
        "new_year": str(tmp_path / "新年度.xlsm"),
        "compare_last_year": str(seed_path),
    }.get(action, "")


def alerts(book) -> list[str]:
    return [a["args"][0] for _s, a in sheet_actions(book) if a["func"] == "alert"]


def writes(book) -> list[dict]:
    return [a for _s, a in sheet_actions(book) if a["func"] != "alert"]


@pytest.mark.parametrize("action", BUTTONS)
def test_a_workbook_that_is_not_a_declarations_workbook(tmp_path, remote, seed_path, action, monkeypatch):
    """Every button on an ordinary workbook: it works (new, import, help) or says why not; never raises."""
    monkeypatch.setattr("xltargets.consolidate.run.find_soffice", lambda: None)
    path = tmp_path / "其他.xlsx"
    wb = Workbook()
    wb.active["A1"] = "与申报表无关的表格"
    wb.save(path)
    book = remote(path)
    result = perform(book, action, answer_for(action, tmp_path, seed_path))
    texts = alerts(book)
    if action in ("new_project", "import"):
        assert result and not texts
    elif action == "help":
        assert "校验" in texts[0]
    else:
        assert result is None and len(texts) == 1
        assert "没有找到申报表" in texts[0] and "处理办法" in texts[0], texts
        assert writes(book) == []
        assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("action", sorted(actions.WRITES_BOOK))
def test_a_protected_workbook_structure_is_refused_in_chinese(seed_workbook, tmp_path, remote, seed_path, monkeypatch, action):
    monkeypatch.setattr(adapter, "protection", lambda book: adapter.Protection(structure=True))
    book = remote(seed_workbook)
    assert perform(book, action, answer_for(action, tmp_path, seed_path)) is None
    (text,) = alerts(book)
    assert "结构受保护" in text and "审阅" in text and "未做任何修改" in text
    assert writes(book) == []


def test_a_protected_sheet_stops_validate_but_not_new_project(seed_workbook, tmp_path, remote, monkeypatch):
    monkeypatch.setattr(adapter, "protection", lambda book: adapter.Protection(sheets=["生殖健康咨询服务"]))
    book = remote(seed_workbook)
    assert perform(book, "validate") is None
    (text,) = alerts(book)
    assert "“生殖健康咨询服务”受保护" in text and "撤消工作表保护" in text
    assert writes(book) == []
    other = remote(seed_workbook)
    assert perform(other, "new_project", "新项目") == ["新项目"]
    assert alerts(other) == []


def test_a_read_only_workbook_is_changed_and_the_user_told_how_to_keep_it(seed_workbook, remote, monkeypatch):
    monkeypatch.setattr(adapter, "is_read_only", lambda book: True)
    book = remote(seed_workbook)
    report = perform(book, "validate")
    assert report is not None and report.findings
    (text,) = alerts(book)
    assert "只读" in text and "另存为" in text


def test_reading_buttons_on_a_read_only_workbook_say_nothing_extra(seed_workbook, tmp_path, remote, monkeypatch):
    monkeypatch.setattr(adapter, "is_read_only", lambda book: True)
    book = remote(seed_workbook)
    out = tmp_path / "汇总表.xlsx"
    assert perform(book, "consolidate", str(out)) == out
    assert alerts(book) == []


def _used_ranges(monkeypatch, sizes: dict) -> list:
    """Sheets whose used range ends where *sizes* says (name → (rows, columns)); the ranges read are recorded."""
    import xlwings as xw

    class _Last:
        def __init__(self, rows, cols):
            self.last_cell = type("Cell", (), {"row": rows, "column": cols})()

    real_used, real_range, reads = xw.Sheet.used_range, xw.Sheet.range, []
    monkeypatch.setattr(xw.Sheet, "used_range", property(
        lambda s: _Last(*sizes[s.name]) if s.name in sizes else real_used.fget(s)))

    def range_(sheet, *a, **k):
        reads.append((sheet.name, a))
        if len(a) == 2 and isinstance(a[1], tuple) and a[1][0] * a[1][1] > 2_000_000:  # never really asked: the old
            raise AssertionError(f"asked Excel for {a[1][0] * a[1][1]:,} values")  # code took 10 GB here before failing
        return real_range(sheet, *a, **k)

    monkeypatch.setattr(xw.Sheet, "range", range_)
    return reads


@pytest.mark.parametrize("action", ["validate", "consolidate"])
def test_a_used_range_past_the_limits_is_refused_before_excel_is_asked_for_its_values(seed_workbook, tmp_path, remote,
                                                                                     monkeypatch, action):
    # a stray value at XFD1048576 (or a crafted workbook): Excel was asked for 17 billion values, and ran out of
    # memory with this process (session 8's attack pass); now the used range is measured first, as the CLI does
    reads = _used_ranges(monkeypatch, {"家庭健康促进及优生优育服务": (1_048_576, 16_384)})
    book = remote(seed_workbook)
    args = [str(tmp_path / "汇总表.xlsx")] if action == "consolidate" else []
    assert perform(book, action, *args) is None
    (text,) = alerts(book)
    assert "工作表“家庭健康促进及优生优育服务”数据区域至少有 1,048,576 行 × 16,384 列" in text and "删除" in text
    assert [r for r in reads if r[0] == "家庭健康促进及优生优育服务"] == []
    assert writes(book) == [] and not (tmp_path / "汇总表.xlsx").exists()


def test_used_ranges_past_a_files_cells_in_all_are_refused_before_any_value_is_read(seed_workbook, remote, monkeypatch):
    from openpyxl import load_workbook

    names = load_workbook(seed_workbook, read_only=True).sheetnames
    reads = _used_ranges(monkeypatch, {name: (100_000, 10) for name in names})
    book = remote(seed_workbook)
    assert perform(book, "validate") is None
    (text,) = alerts(book)
    assert "个单元格，超出每个文件 2,000,000 个的上限" in text
    assert reads == [] and writes(book) == []


def test_a_surprise_is_a_chinese_message_not_a_traceback(seed_workbook, remote, monkeypatch):
    def boom(book):
        raise OSError("COM 服务器不可用")

    monkeypatch.setattr(adapter, "protection", boom)
    book = remote(seed_workbook)
    assert perform(book, "validate") is None
    (text,) = alerts(book)
    assert text.startswith("xltargets 出错（OSError）") and "维护人员" in text


# -- issue 13 point 7: 导出PDF inside Excel uses Excel's own export ---------------------------------


def test_export_pdf_in_desktop_excel_prints_with_excel_not_libreoffice(seed_workbook, tmp_path, remote, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr("xltargets.consolidate.run.find_soffice", lambda: pytest.fail("LibreOffice must not be used"))
    monkeypatch.setattr(adapter, "is_desktop", lambda book: True)
    monkeypatch.setattr(adapter, "show_status", lambda book, text: None)
    printed = []

    def fake_print(book, workbook, out):
        wb = load_workbook(workbook)
        printed.append((wb.sheetnames, workbook.name, wb.properties.keywords))
        out.write_bytes(b"%PDF-1.7 from Excel")
        return out

    monkeypatch.setattr(adapter, "print_to_pdf", fake_print)
    book = remote(seed_workbook)
    out = tmp_path / "汇总表.pdf"
    assert perform(book, "export_pdf", str(out)) == out
    assert alerts(book) == []
    ((sheets, name, keywords),) = printed
    assert sheets == ["汇总表"]  # the printable workbook holds only the form sheets; all of them print
    assert name.startswith("xltargets-print-") and name != "汇总表.xlsx"  # never the name of a workbook the user has open
    assert keywords == "xltargets-consolidate"  # Excel carries it into the PDF: a re-export may replace it
    assert out.read_bytes().startswith(b"%PDF")


def test_export_pdf_refuses_someone_elses_file_before_printing(seed_workbook, tmp_path, remote, monkeypatch):
    monkeypatch.setattr(adapter, "is_desktop", lambda book: True)
    monkeypatch.setattr(adapter, "print_to_pdf", lambda *a, **k: pytest.fail("must not print"))
    out = tmp_path / "别人的.pdf"
    out.write_bytes(b"%PDF someone else's")
    book = remote(seed_workbook)
    assert perform(book, "export_pdf", str(out)) is None
    (text,) = alerts(book)
    assert "已存在" in text
    assert out.read_bytes() == b"%PDF someone else's"


class _FakeExcelBook:
    def __init__(self, log, fail=False):
        self.log, self.fail = log, fail

    def to_pdf(self, path, include=None):
        self.log.append(("to_pdf", Path(path).parent, include))
        if self.fail:
            Path(path).write_bytes(b"%PDF half")
            raise OSError("打印机驱动出错")
        Path(path).write_bytes(b"%PDF-1.7 whole")

    def close(self):
        self.log.append(("close",))


def _fake_book(log, fail=False):
    class Books:
        def open(self, path):
            log.append(("open", Path(path).name))
            return _FakeExcelBook(log, fail)

    class App:
        books = Books()

    class Book:
        app = App()

    return Book()


def test_print_to_pdf_exports_the_printable_workbook_atomically(tmp_path):
    log: list = []
    out = tmp_path / "汇总表.pdf"
    adapter.print_to_pdf(_fake_book(log), tmp_path / "printable.xlsx", out)
    assert log == [("open", "printable.xlsx"), ("to_pdf", tmp_path, None), ("close",)]
    assert out.read_bytes() == b"%PDF-1.7 whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总表.pdf"]


def test_print_to_pdf_failing_half_way_leaves_the_old_file_and_closes_the_workbook(tmp_path):
    log: list = []
    out = tmp_path / "汇总表.pdf"
    out.write_bytes(b"%PDF old")
    with pytest.raises(OSError):
        adapter.print_to_pdf(_fake_book(log, fail=True), tmp_path / "printable.xlsx", out)
    assert out.read_bytes() == b"%PDF old"
    assert log[-1] == ("close",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总表.pdf"]


def test_the_import_dialog_offers_every_file_the_importer_reads():
    import xml.etree.ElementTree as ET

    from xltargets.importing.sources import SUPPORTED_SUFFIXES

    ui = ET.fromstring((default_source_dir() / "customUI.xml").read_bytes())
    (tag,) = [b.get("tag") for b in ui.iter() if (b.get("tag") or "").startswith("import|")]
    _action, kind, filter_text = tag.split("|", 2)
    description, patterns = filter_text.rsplit(",", 1)
    offered = {p.removeprefix("*") for p in patterns.split(";")}
    assert kind == "open" and offered == set(SUPPORTED_SUFFIXES) | {".pdf"}  # a PDF is read when named
    assert patterns in description  # the dialog shows what it filters
