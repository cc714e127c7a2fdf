"""Keep VBA intact: no command or front end turns a macro workbook (.xlsm) into an .xlsx that has
lost its macros (the 校验 button) without a word. Each one that continues a workbook (``new -o``,
``rollover``, 新年度 in Excel and WPS) refuses, writes nothing and names the given file, the loss and
the name to use; the .xlsm output keeps the VBA byte for byte."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from test_excel_payload import remote, remote_book, sheet_actions  # noqa: F401

from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.errors import WorkbookError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"
BODY = json.loads((ROOT / "tests" / "wps" / "seed_body.json").read_text(encoding="utf-8"))
runner = CliRunner()
VBA = "xl/vbaProject.bin"


@pytest.fixture(scope="module")
def macro_book(tmp_path_factory) -> Path:
    """A declarations workbook (.xlsm, with the shipped VBA) of the seed."""
    path = tmp_path_factory.mktemp("book") / "d.xlsm"
    assert runner.invoke(app, ["import", str(SEED), "-o", str(path)]).exit_code == 0
    return path


def _cli(argv):
    def run(book: Path, out: Path) -> str:
        result = runner.invoke(app, [a.format(book=book, out=out, seed=SEED) for a in argv])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        return result.output
    return run


def _core_next_year(book: Path, out: Path) -> str:
    """What Excel's and WPS's 新年度 call: actions.write_next_year with the open workbook's file."""
    from xltargets.actions import write_next_year
    from xltargets.serve.inputs import parse_sheets

    sheets = parse_sheets(BODY)
    with pytest.raises(WorkbookError) as exc:
        write_next_year(sheets.items, out, file=sheets.file, inputs=[book])
    return str(exc.value)


def _serve_next_year(book: Path, out: Path) -> str:
    """The service's POST /api/new-year handler (WPS 新年度): the open workbook's full path and the chosen output."""
    from xltargets.serve import work

    with pytest.raises(WorkbookError) as exc:
        work.new_year({**BODY, "output": str(out), "workbook": str(book)})
    return str(exc.value)


FRONT_ENDS = [
    pytest.param(_cli(["new", "{book}", "--name", "新项目", "-o", "{out}"]), id="cli-new-o"),
    pytest.param(_cli(["rollover", "{book}", "--year", "2025", "-o", "{out}"]), id="cli-rollover"),
    pytest.param(_cli(["rollover", "{seed}", "{book}", "--year", "2025", "-o", "{out}"]), id="cli-rollover-xlsm-second"),
    pytest.param(_core_next_year, id="core-write-next-year"),
    pytest.param(_serve_next_year, id="serve-new-year"),
]


@pytest.mark.parametrize("output", ["n.xlsx", "n.XLSX"])
@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_an_xlsm_is_never_written_as_an_xlsx(tmp_path, macro_book, front_end, output):
    book = tmp_path / "d.xlsm"
    shutil.copyfile(macro_book, book)
    folder = tmp_path / "out"
    folder.mkdir()
    message = front_end(book, folder / output)
    assert f"输出文件“{output}”的扩展名是 {Path(output).suffix}，申报工作簿须保存为 .xlsm 文件" in message, message
    assert "“d.xlsm”带宏" in message and "会丢失其中的宏和“校验”按钮" in message, message
    assert "把输出文件名改为“n.xlsm”" in message, message
    assert list(folder.iterdir()) == []  # nothing written
    assert book.read_bytes() == macro_book.read_bytes()


def test_excel_new_year_refuses_an_xlsx_of_an_xlsm(tmp_path, macro_book, remote, monkeypatch):  # noqa: F811
    from xltargets.excel import actions, adapter
    from xltargets.excel.ribbon import perform

    book = tmp_path / "d.xlsm"
    shutil.copyfile(macro_book, book)
    monkeypatch.setattr(adapter, "show_status", lambda *_: None)
    monkeypatch.setattr(actions, "_book_path", lambda _book: [book])  # desktop Excel gives the full path
    xl = remote(book)
    out = tmp_path / "2025.xlsx"
    assert perform(xl, "new_year", str(out)) is None
    (alert,) = [a for _s, a in sheet_actions(xl) if a["func"] == "alert"]
    assert "会丢失其中的宏和“校验”按钮" in alert["args"][0] and "2025.xlsm" in alert["args"][0]
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["new", "{book}", "--name", "新项目", "-o", "{out}"], id="cli-new-o"),
        pytest.param(["rollover", "{book}", "--year", "2025", "-o", "{out}"], id="cli-rollover"),
    ],
)
def test_an_xlsm_output_keeps_the_vba_byte_for_byte(tmp_path, macro_book, argv):
    out = tmp_path / "n.xlsm"
    result = runner.invoke(app, [a.format(book=macro_book, out=out) for a in argv])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(macro_book) as a, zipfile.ZipFile(out) as b:
        assert a.read(VBA) == b.read(VBA)


def test_an_xlsx_source_may_still_be_written_as_xlsx(tmp_path):
    """No macros to lose: an .xlsx workbook's new project or next year is an .xlsx as asked."""
    src = tmp_path / "d.xlsx"
    assert runner.invoke(app, ["import", str(SEED), "-o", str(src)]).exit_code == 0
    for argv in (["new", str(src), "--name", "新项目", "-o", str(tmp_path / "n.xlsx")],
                 ["rollover", str(src), "--year", "2025", "-o", str(tmp_path / "r.xlsx")]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
    for name in ("n.xlsx", "r.xlsx"):
        with zipfile.ZipFile(tmp_path / name) as zf:
            assert VBA not in zf.namelist()


@pytest.mark.parametrize("writer", ["save_workbook", "build_workbook"])
def test_the_writers_refuse_to_drop_vba_they_were_given(tmp_path, macro_book, writer):
    """The core writers too: an openpyxl workbook loaded with its VBA, or vba_from, never becomes an .xlsx."""
    from xltargets.pipeline import read_sources
    from xltargets.workbook.build import build_workbook, save_workbook
    from xltargets.workbook.newproject import open_workbook

    out = tmp_path / "n.xlsx"
    with pytest.raises(WorkbookError, match="会丢失其中的宏和“校验”按钮"):
        if writer == "save_workbook":
            save_workbook(open_workbook(macro_book), out)
        else:
            build_workbook(read_sources([SEED]).declaration, out, vba_from=macro_book)
    assert not out.exists()
