"""``xltargets consolidate`` as a user runs it: defaults, several sources, safety, exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from xltargets.cli.testing import CliRunner

from xltargets.cli import app
from xltargets.consolidate import marker
from xltargets.errors import WorkbookError
from xltargets.findings import Finding, Severity
from xltargets.importing import read_sources
from xltargets.libreoffice import INSTALL_HINT

ORG = "上海市计划生育协会"
OTHER = "上海市某区计划生育协会"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, ["consolidate", *args], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_as_workbook(seed_path: Path, out: Path, *, unit: str = ORG) -> Path:
    """The seed's cells pasted into a plain workbook (what a unit would send in)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报表"
    for r, line in enumerate(seed_path.read_text(encoding="utf-8").splitlines(), start=1):
        for c, value in enumerate(line.split("\t"), start=1):
            if value:
                if value == ORG:
                    value = unit
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"
    wb.save(out)
    return out


def seed_tsv(seed_path: Path, out: Path, *, unit: str) -> Path:
    text = seed_path.read_text(encoding="utf-8").replace(f"实施单位\t{ORG}", f"实施单位\t{unit}")
    text = text.replace(f"{ORG}2024年度", f"{unit}2024年度")
    out.write_text(text, encoding="utf-8")
    return out


def test_no_arguments_reads_declarations_xlsm_and_writes_the_summary(runner, seed_path, tmp_path, monkeypatch):
    seed_as_workbook(seed_path, tmp_path / "declarations.xlsm")
    monkeypatch.chdir(tmp_path)
    result = run(runner)
    assert result.exit_code == 0, result.output
    assert "4 个项目、41 条绩效指标" in result.output
    assert "4,233,700.00" in result.output
    out = tmp_path / "汇总表.xlsx"
    assert marker.is_ours(out)
    assert len(read_sources([out]).declaration.projects) == 4


def test_no_arguments_without_declarations_xlsm_exits_2(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner)
    assert result.exit_code == 2
    assert "没有 declarations.xlsm" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_unreadable_source_exits_2_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "garbage.xlsx"
    bad.write_bytes(b"\x00\x01not a workbook")
    result = run(runner, str(bad), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 2
    assert not (tmp_path / "out.xlsx").exists()


def test_source_is_never_modified(runner, seed_path, tmp_path):
    src = seed_as_workbook(seed_path, tmp_path / "declarations.xlsm")
    before = digest(src)
    assert run(runner, str(src), "-o", str(tmp_path / "s.xlsx")).exit_code == 0
    assert digest(src) == before


def test_refuses_to_overwrite_a_file_it_did_not_create(runner, seed_path, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(b"someone else's work")
    result = run(runner, str(seed_path), "-o", str(out))
    assert result.exit_code == 2
    assert "已存在" in result.output and "--force" in result.output
    assert out.read_bytes() == b"someone else's work"


def test_force_overwrites_a_foreign_file(runner, seed_path, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(b"someone else's work")
    assert run(runner, str(seed_path), "-o", str(out), "--force").exit_code == 0
    assert marker.is_ours(out)


def test_rewrites_its_own_output_without_force(runner, seed_path, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    assert run(runner, str(seed_path), "-o", str(out)).exit_code == 0
    assert run(runner, str(seed_path), "-o", str(out), "--title", "新标题汇总表").exit_code == 0
    assert openpyxl.load_workbook(out)["汇总表"]["A1"].value == "新标题汇总表"


def test_refuses_to_write_over_its_source_even_with_force(runner, seed_path, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    assert run(runner, str(seed_path), "-o", str(out)).exit_code == 0
    before = digest(out)
    result = run(runner, str(out), "-o", str(out), "--force")
    assert result.exit_code == 2
    assert "输入" in result.output
    assert digest(out) == before


def test_output_must_be_xlsx(runner, seed_path, tmp_path):
    result = run(runner, str(seed_path), "-o", str(tmp_path / "out.xlsm"))
    assert result.exit_code == 2
    assert ".xlsx" in result.output
    assert not (tmp_path / "out.xlsm").exists()


def test_a_folder_of_units_keeps_each_units_projects(runner, seed_path, tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    seed_tsv(seed_path, folder / "a.tsv", unit=ORG)
    seed_as_workbook(seed_path, folder / "b.xlsx", unit=OTHER)
    (folder / "~$b.xlsx").write_bytes(b"lock file")
    out = folder / "合并.xlsx"
    result = run(runner, str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    projects = read_sources([out]).declaration.projects
    assert [p.unit for p in projects] == [ORG] * 4 + [OTHER] * 4
    # rerun: the 汇总表 now in the folder is not read as a source
    result = run(runner, str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(read_sources([out]).declaration.projects) == 8


def test_several_files_title_falls_back_to_the_department(runner, seed_path, tmp_path):
    a = seed_tsv(seed_path, tmp_path / "a.tsv", unit=ORG)
    b = seed_tsv(seed_path, tmp_path / "b.tsv", unit=OTHER)
    out = tmp_path / "s.xlsx"
    assert run(runner, str(a), str(b), "-o", str(out)).exit_code == 0
    assert openpyxl.load_workbook(out)["汇总表"]["A1"].value == "上海市卫生健康委员会2024年度项目绩效目标汇总表"


def test_title_option(runner, seed_path, tmp_path):
    out = tmp_path / "s.xlsx"
    assert run(runner, str(seed_path), "-o", str(out), "--title", "=1+1 汇总表").exit_code == 0
    cell = openpyxl.load_workbook(out)["汇总表"]["A1"]
    assert (cell.value, cell.data_type) == ("=1+1 汇总表", "s")


@pytest.fixture()
def with_error(monkeypatch):
    """The rules report one error (independent of which rules exist)."""
    error = Finding(code="XLT-E999", severity=Severity.ERROR, message="计划开始日期晚于计划完成日期。",
                    project="生殖健康咨询服务", sheet="申报表", cell="B8")
    # consolidate checks the forms a batch at a time (pipeline.CHECK_BATCH): the error once, on its project
    monkeypatch.setattr("xltargets.rules.check_projects",
                        lambda projects, **kw: [error] if any(p.name == error.project for p in projects) else [])
    return error


def test_errors_do_not_block_without_strict(runner, seed_path, tmp_path, with_error):
    out = tmp_path / "s.xlsx"
    result = run(runner, str(seed_path), "-o", str(out))
    assert result.exit_code == 0
    assert "错误 1 条" in result.output
    codes = [r[1].value for r in openpyxl.load_workbook(out)["校验结果"].iter_rows(min_row=2)]
    assert "XLT-E999" in codes


def test_strict_with_errors_exits_1_and_writes_nothing(runner, seed_path, tmp_path, with_error):
    out = tmp_path / "s.xlsx"
    result = run(runner, str(seed_path), "-o", str(out), "--strict", "--pdf")
    assert result.exit_code == 1
    assert "XLT-E999" in result.output and "--strict" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_strict_without_errors_writes(runner, seed_path, tmp_path, monkeypatch):
    monkeypatch.setattr("xltargets.rules.check_projects", lambda projects, **kw: [])
    out = tmp_path / "s.xlsx"
    assert run(runner, str(seed_path), "-o", str(out), "--strict").exit_code == 0
    assert out.exists()


def test_pdf_without_libreoffice_says_how_to_install(runner, seed_path, tmp_path, monkeypatch):
    monkeypatch.setattr("xltargets.consolidate.run.find_soffice", lambda: None)
    result = run(runner, str(seed_path), "-o", str(tmp_path / "s.xlsx"), "--pdf")
    assert result.exit_code == 2
    assert "LibreOffice" in result.output
    assert INSTALL_HINT.split("：")[0] in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "failure, code, said",
    [
        pytest.param(KeyboardInterrupt(), 130, "已中断，未写入任何文件。", id="ctrl-c-while-printing"),
        pytest.param(WorkbookError("LibreOffice 未能生成 PDF。"), 2, "LibreOffice 未能生成 PDF", id="libreoffice-fails"),
    ],
)
def test_a_pdf_that_fails_leaves_no_workbook_either(runner, seed_path, tmp_path, monkeypatch, failure, code, said):
    """--pdf writes both or neither: the CLI says nothing was written, and that stays true."""

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr("xltargets.consolidate.run.find_soffice", lambda: "soffice")
    monkeypatch.setattr("xltargets.consolidate.run.write_pdf", fail)
    result = run(runner, str(seed_path), "-o", str(tmp_path / "s.xlsx"), "--pdf")
    assert result.exit_code == code and said in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_a_foreign_pdf(runner, seed_path, tmp_path):
    (tmp_path / "s.pdf").write_bytes(b"%PDF-1.4 someone else's")
    result = run(runner, str(seed_path), "-o", str(tmp_path / "s.xlsx"), "--pdf")
    assert result.exit_code == 2
    assert "s.pdf" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_no_progress_output_when_not_a_terminal(runner, seed_path, tmp_path):
    a = seed_tsv(seed_path, tmp_path / "a.tsv", unit=ORG)
    b = seed_tsv(seed_path, tmp_path / "b.tsv", unit=OTHER)
    result = run(runner, str(a), str(b), "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0
    assert "读取申报表" not in result.output
    assert "━" not in result.output


def test_progress_on_a_terminal(tmp_path):
    """At a terminal the reading of several sources is shown on one line, erased at the end."""
    import io

    from xltargets.cli.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    clock = iter(range(100))
    progress = Progress(screen, delay=0.5, clock=lambda: next(clock) / 2)
    for i in range(3):
        progress(i, 3, tmp_path / f"{i}.xlsx")
    assert "读取 1/3  33% 1.xlsx" in screen.getvalue()
    progress.close()
    assert screen.getvalue().endswith("\r") and "1.xlsx" not in screen.getvalue().rsplit("\r", 2)[-2]


def test_strict_on_the_seed_blocks_on_its_real_error(runner, seed_path, tmp_path):
    """The seed's 生殖健康咨询服务 has no 效益指标 (XLT-E007): --strict writes nothing."""
    out = tmp_path / "s.xlsx"
    result = run(runner, str(seed_path), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "XLT-E007" in result.output and "生殖健康咨询服务" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


REALFORMS = Path(__file__).parent / "realforms"


@pytest.mark.parametrize(
    "sources, total",
    [
        pytest.param(["anhui-jinzhai-kaifaqu-2021-wuye.xlsx"], "年度资金申请总额 1,125.00 万元。", id="wanyuan-form"),
        pytest.param(
            ["anhui-jinzhai-kaifaqu-2021-wuye.xlsx", "shaanxi-qingjian-jiaotong-2021-guoyuanlu.xlsx"],
            "年度资金申请总额 1,125.00 万元 + 500.00 元（各表金额单位不同，未换算，见 XLT-W111）。",
            id="yuan-and-wanyuan-never-added",
        ),
    ],
)
def test_the_total_line_keeps_each_forms_money_unit(runner, tmp_path, sources, total):
    result = run(runner, *[str(REALFORMS / s) for s in sources], "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0, result.output
    assert total in result.stdout, result.stdout
