"""``xltargets import`` and ``xltargets new`` as a user runs them: results, safety, exit codes."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xltargets.cli.testing import CliRunner

from xltargets.cli import app
from xltargets.importing import read_sources

MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args) -> object:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(runner: CliRunner, path: Path) -> dict:
    result = run(runner, "dump", path)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _essentials(d: dict) -> list:
    return [
        (p["name"], p["funds"], [(i["level1"], i["level2"], i["level3"], i["value"]) for i in p["indicators"]])
        for p in d["projects"]
    ]


@pytest.fixture()
def imported(runner, seed_path, tmp_path) -> Path:
    out = tmp_path / "out.xlsm"
    result = run(runner, "import", seed_path, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_import_then_dump_equals_dump_of_the_seed(runner, seed_path, imported):
    got, want = dump(runner, imported), dump(runner, seed_path)
    assert _essentials(got) == _essentials(want)
    assert len(got["projects"]) == 4 and sum(len(p["indicators"]) for p in got["projects"]) == 41


def test_import_reports_what_it_wrote(runner, seed_path, tmp_path):
    result = run(runner, "import", seed_path, "-o", tmp_path / "o.xlsm")
    assert "4 个项目，41 条绩效指标" in result.stdout


def test_import_never_touches_its_input(runner, seed_path, tmp_path):
    before = digest(seed_path)
    run(runner, "import", seed_path, "-o", tmp_path / "o.xlsm")
    assert digest(seed_path) == before


def test_import_refuses_to_overwrite_a_file_it_did_not_write(runner, seed_path, tmp_path):
    other = tmp_path / "mine.xlsm"
    other.write_bytes(b"someone else's file")
    result = run(runner, "import", seed_path, "-o", other)
    assert result.exit_code == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.output
    assert other.read_bytes() == b"someone else's file"


def test_import_reruns_over_its_own_unchanged_output(runner, seed_path, imported):
    """README: an existing output is replaced without --force when xltargets wrote it (and nobody changed it)."""
    result = run(runner, "import", seed_path, "-o", imported)
    assert result.exit_code == 0, result.output
    assert len(read_sources([imported]).declaration.projects) == 4


@pytest.mark.parametrize("change", ["new-project", "value-typed"])
def test_import_refuses_its_own_output_once_changed(runner, seed_path, imported, change):
    """A declarations workbook is where users type: once changed, a rerun would lose their work."""
    if change == "new-project":
        assert run(runner, "new", imported, "--name", "用户加的项目").exit_code == 0
    else:  # what Excel/WPS do: the cell changes, the custom properties are kept
        wb = openpyxl.load_workbook(imported, keep_vba=True)
        ws = wb["生殖健康咨询服务"]
        row = next(r for r in range(13, ws.max_row + 1) if ws.cell(row=r, column=5).value)
        ws.cell(row=row, column=5).value = "=99.00(所)"
        wb.save(imported)
    before = digest(imported)
    result = run(runner, "import", seed_path, "-o", imported)
    assert result.exit_code == 2
    assert "生成后已被修改" in result.stderr and "--force" in result.stderr
    assert digest(imported) == before
    assert run(runner, "import", seed_path, "-o", imported, "--force").exit_code == 0


def test_import_overwrites_with_force(runner, seed_path, imported):
    imported.write_bytes(b"old")
    assert run(runner, "import", seed_path, "-o", imported, "--force").exit_code == 0
    assert zipfile.is_zipfile(imported)


def test_import_refuses_its_own_input_as_output(runner, imported):
    before = digest(imported)
    result = run(runner, "import", imported, "-o", imported, "--force")
    assert result.exit_code == 2 and "就是输入文件" in result.stderr
    assert digest(imported) == before


@pytest.mark.parametrize(
    "make_input, message",
    [
        pytest.param(lambda p: None, "找不到文件", id="missing"),
        pytest.param(lambda p: p.write_bytes(b""), "空文件", id="empty"),
        pytest.param(lambda p: p.write_text("你好\t世界\n", encoding="utf-8"), "没有找到申报表", id="no-form"),
    ],
)
def test_import_bad_input_exits_2_and_writes_nothing(runner, tmp_path, make_input, message):
    src = tmp_path / "in.tsv"
    make_input(src)
    out = tmp_path / "o.xlsm"
    result = run(runner, "import", src, "-o", out)
    assert result.exit_code == 2 and message in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".o.xlsm.*"))


def test_import_to_xlsx_has_no_macros(runner, seed_path, tmp_path):
    out = tmp_path / "o.xlsx"
    assert run(runner, "import", seed_path, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()
        assert MACRO_CT not in zf.read("[Content_Types].xml").decode()


def test_import_refuses_other_extensions(runner, seed_path, tmp_path):
    result = run(runner, "import", seed_path, "-o", tmp_path / "o.xls")
    assert result.exit_code == 2 and ".xlsm" in result.stderr
    assert not (tmp_path / "o.xls").exists()


def test_a_failed_write_leaves_the_old_file(runner, seed_path, imported, monkeypatch):
    before = digest(imported)

    def boom(filename, *args, **kwargs):
        Path(filename).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xltargets.workbook.build.write_projects", boom)
    result = run(runner, "import", seed_path, "-o", imported, "--force")
    assert result.exit_code == 2 and "磁盘空间不足" in result.stderr
    assert digest(imported) == before
    assert [p.name for p in imported.parent.iterdir()] == [imported.name]


# --- new -----------------------------------------------------------------------------------


def _vba(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


def test_new_adds_a_sheet_keeping_everything_else(runner, imported):
    vba = _vba(imported)
    before = read_sources([imported]).declaration
    result = run(runner, "new", imported, "--name", "新项目[试点]/2025")
    assert result.exit_code == 0, result.output
    after = read_sources([imported]).declaration
    assert [p.content() for p in after.projects[:4]] == [p.content() for p in before.projects]
    new = after.projects[4]
    assert new.name == "新项目[试点]/2025" and new.indicators == []
    # a blank form takes what all other projects share
    assert (new.department, new.unit, new.year) == ("上海市卫生健康委员会", "上海市计划生育协会", 2024)
    assert _vba(imported) == vba
    wb = openpyxl.load_workbook(imported, keep_vba=True)
    assert wb.sheetnames[-2] == "新项目［试点］／2025" and wb.sheetnames[-1] == "下拉列表"
    assert wb["下拉列表"].sheet_state == "hidden"
    codes = [ws.sheet_properties.codeName for ws in wb.worksheets]
    assert len(set(codes)) == len(codes) and all(codes)


def test_new_keeps_existing_code_names(runner, imported):
    """VBA refers to sheets by code name: adding a sheet must not rename the others."""
    wb = openpyxl.load_workbook(imported, keep_vba=True)
    wb["生殖健康咨询服务"].sheet_properties.codeName = "Shengzhi"
    wb.save(imported)
    assert run(runner, "new", imported, "--name", "新项目").exit_code == 0
    wb = openpyxl.load_workbook(imported, keep_vba=True)
    assert wb["生殖健康咨询服务"].sheet_properties.codeName == "Shengzhi"
    assert wb["新项目"].sheet_properties.codeName not in {ws.sheet_properties.codeName for ws in wb.worksheets if ws.title != "新项目"}


def test_new_in_place_needs_no_force(runner, imported):
    """What 填写说明 tells the user to run: xltargets new 工作簿 --name …, in place, no --force."""
    vba = _vba(imported)
    result = run(runner, "new", imported, "--name", "新项目")
    assert result.exit_code == 0, result.output
    assert [p.name for p in read_sources([imported]).declaration.projects][-1] == "新项目"
    assert _vba(imported) == vba


def test_new_output_over_an_existing_file_needs_force(runner, imported, tmp_path):
    other = tmp_path / "other.xlsm"
    other.write_bytes(b"not mine")
    result = run(runner, "new", imported, "--name", "新项目", "-o", other)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert other.read_bytes() == b"not mine"


def test_new_with_output_leaves_the_original(runner, imported, tmp_path):
    before = digest(imported)
    out = tmp_path / "copy.xlsm"
    assert run(runner, "new", imported, "--name", "新项目", "-o", out).exit_code == 0
    assert digest(imported) == before
    assert [p.name for p in read_sources([out]).declaration.projects][-1] == "新项目"


def test_new_like_copies_another_project(runner, imported):
    result = run(runner, "new", imported, "--name", "生殖健康咨询服务（二期）", "--like", "生殖健康咨询服务")
    assert result.exit_code == 0, result.output
    projects = read_sources([imported]).declaration.projects
    copy, original = projects[-1], projects[0]
    assert copy.name == "生殖健康咨询服务（二期）"
    assert copy.model_copy(update={"name": original.name}).content() == original.content()


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--name", "生殖健康咨询服务"], "已有项目", id="duplicate-name"),
        pytest.param(["--name", "x", "--like", "没有这个项目"], "没有名为", id="unknown-like"),
        pytest.param(["--name", "  "], "不能为空", id="blank-name"),
    ],
)
def test_new_refusals_change_nothing(runner, imported, args, message):
    before = digest(imported)
    result = run(runner, "new", imported, *args)
    assert result.exit_code == 2 and message in result.stderr
    assert digest(imported) == before


def test_new_creates_a_workbook(runner, tmp_path):
    out = tmp_path / "新申报.xlsm"
    assert run(runner, "new", out, "--name", "=1+1").exit_code == 0
    (project,) = read_sources([out]).declaration.projects
    assert project.name == "=1+1"
    with zipfile.ZipFile(out) as zf:
        assert MACRO_CT in zf.read("[Content_Types].xml").decode()


def test_new_like_needs_an_existing_workbook(runner, tmp_path):
    result = run(runner, "new", tmp_path / "none.xlsm", "--name", "x", "--like", "y")
    assert result.exit_code == 2 and "找不到工作簿" in result.stderr
    assert not (tmp_path / "none.xlsm").exists()


def test_import_notes_name_the_command_that_shows_them(runner, seed_path, tmp_path):
    """The seed's HTML tag is a note of reading the TSV: ``check`` of the source shows it, ``check`` of the output cannot."""
    out = tmp_path / "o.xlsm"
    result = run(runner, "import", seed_path, "-o", out)
    assert f"导入时有 1 条提示，运行 xltargets check {seed_path} 查看。" in result.stdout
    assert "XLT-W103" in run(runner, "check", seed_path).stdout
    assert "XLT-W103" not in run(runner, "check", out).stdout
