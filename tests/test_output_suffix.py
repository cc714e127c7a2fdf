"""An output named with the wrong extension: every command refuses it, writes nothing, and says
what was given, what is expected and the name to use (in Chinese)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xltargets.cli import app
from xltargets.cli.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"
runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """A declarations workbook (.xlsm, with VBA) made from the seed."""
    path = tmp_path_factory.mktemp("book") / "d.xlsm"
    result = runner.invoke(app, ["import", str(SEED), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


# (argv with {book} and {out}, output name, what the message must say was given, expected, the name to use)
CASES = [
    pytest.param(["import", str(SEED), "-o", "{out}"], "o.xls", "的扩展名是 .xls，", "须保存为 .xlsm 或 .xlsx 文件", "o.xlsm", id="import-xls"),
    pytest.param(["import", str(SEED), "-o", "{out}"], "o", "没有扩展名", "须保存为 .xlsm 或 .xlsx 文件", "o.xlsm", id="import-no-suffix"),
    pytest.param(
        ["import", str(SEED), "--vba-from", "{book}", "-o", "{out}"], "o.xlsx", "的扩展名是 .xlsx，", "须保存为 .xlsm 文件", "o.xlsm",
        id="import-vba-from-into-xlsx",
    ),
    pytest.param(["consolidate", str(SEED), "-o", "{out}"], "o.xlsm", "的扩展名是 .xlsm，", "汇总表工作簿须保存为 .xlsx 文件", "o.xlsx", id="consolidate-xlsm"),
    pytest.param(["consolidate", str(SEED), "-o", "{out}"], "o.pdf", "的扩展名是 .pdf，", "加 --pdf", "o.xlsx", id="consolidate-pdf"),
    pytest.param(["normalize", "{book}", "-o", "{out}"], "o.xlsx", "的扩展名是 .xlsx，", "须保存为 .xlsm 文件", "o.xlsm", id="normalize-xlsm-into-xlsx"),
    pytest.param(["normalize", "{book}", "-o", "{out}"], "o.pdf", "的扩展名是 .pdf，", "须保存为 .xlsm 文件", "o.xlsm", id="normalize-into-pdf"),
    pytest.param(["diff", "{book}", "{book}", "-o", "{out}"], "o.txt", "的扩展名是 .txt，", "对比工作簿须保存为 .xlsx 文件", "o.xlsx", id="diff-txt"),
    pytest.param(["new", "{out}", "--name", "新项目"], "o.pdf", "的扩展名是 .pdf，", "须保存为 .xlsm 或 .xlsx 文件", "o.xlsm", id="new-workbook-pdf"),
    pytest.param(["new", "{book}", "--name", "新项目", "-o", "{out}"], "o.csv", "的扩展名是 .csv，", "须保存为 .xlsm 或 .xlsx 文件", "o.xlsm", id="new-into-csv"),
    pytest.param(["rollover", "{book}", "--year", "2025", "-o", "{out}"], "o.xls", "的扩展名是 .xls，", "须保存为 .xlsm 或 .xlsx 文件", "o.xlsm", id="rollover-xls"),
    pytest.param(["addin", "build", "-o", "{out}"], "o.xlsm", "的扩展名是 .xlsm，", "Excel 加载项须保存为 .xlam 文件", "o.xlam", id="addin-xlsm"),
]


@pytest.mark.parametrize(("argv", "name", "given", "expected", "fixed"), CASES)
def test_wrong_output_suffix_is_refused_with_the_name_to_use(tmp_path, book, argv, name, given, expected, fixed):
    folder = tmp_path / "out"
    folder.mkdir()
    local = tmp_path / book.name
    shutil.copyfile(book, local)
    out = folder / name
    result = runner.invoke(app, [a.format(book=local, out=out) for a in argv])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"输出文件“{name}”{given}" in result.output, result.output
    assert expected in result.output, result.output
    assert f"处理办法：把输出文件名改为“{fixed}”。" in result.output, result.output
    assert list(folder.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("source", "output"),
    [pytest.param("d.xlsm", "o.xlsm", id="xlsm-to-xlsm"), pytest.param("d.xlsx", "o.xlsx", id="xlsx-to-xlsx")],
)
def test_normalize_keeps_the_kind_of_workbook(tmp_path, book, source, output):
    """The allowed case still works: the copy has the source's suffix (and its VBA when .xlsm)."""
    import zipfile

    src = tmp_path / source
    if source.endswith(".xlsx"):
        assert runner.invoke(app, ["import", str(SEED), "-o", str(src)]).exit_code == 0
    else:
        shutil.copyfile(book, src)
    result = runner.invoke(app, ["normalize", str(src), "-o", str(tmp_path / output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / output) as zf:
        assert ("xl/vbaProject.bin" in zf.namelist()) == output.endswith(".xlsm")
