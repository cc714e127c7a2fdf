"""``xltargets new`` in the user's own workbook: locked, atomic, through symlinks (issue 13, points 13 and 14).

The concurrency test starts real processes at once, as two users (or two terminals)
would; without the lock one of the projects is lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from filelock import FileLock

from xltargets import inplace
from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.importing import read_sources

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def names(path: Path) -> list[str]:
    return [p.name for p in read_sources([path]).declaration.projects]


def vba(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


@pytest.fixture()
def workbook(tmp_path, seed_path) -> Path:
    out = tmp_path / "申报.xlsm"
    assert run("import", seed_path, "-o", out).exit_code == 0
    return out


def test_concurrent_new_runs_keep_every_project(workbook):
    before = names(workbook)
    added = [f"并发项目{i}" for i in range(4)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "xltargets", "new", str(workbook), "--name", name],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        for name in added
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    for out, err, code in results:
        assert code == 0, err
        assert "已在" in out
    after = names(workbook)
    assert after[: len(before)] == before
    assert sorted(after[len(before):]) == sorted(added)


def test_a_second_editor_waits_then_is_refused(workbook, monkeypatch):
    monkeypatch.setattr(inplace, "WAIT_SECONDS", 0.3)
    before = workbook.read_bytes()
    with FileLock(str(inplace.lock_path(workbook.resolve()))):
        result = run("new", workbook, "--name", "等不到")
    assert result.exit_code == 2
    assert "正由另一个 xltargets 修改，等它完成" in result.stderr  # it said it waits
    assert "仍未完成；未做任何修改" in result.stderr and "Traceback" not in result.output
    assert workbook.read_bytes() == before
    assert run("new", workbook, "--name", "锁放开后").exit_code == 0  # the lock is free again


def test_new_through_a_symlink_changes_the_real_file(workbook, tmp_path):
    link = tmp_path / "link.xlsm"
    link.symlink_to(workbook)
    code = vba(workbook)
    result = run("new", link, "--name", "经由链接")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == workbook.resolve()
    assert names(workbook)[-1] == "经由链接"
    assert vba(workbook) == code
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["link.xlsm", "申报.xlsm"]


def test_a_workbook_saved_meanwhile_is_not_overwritten(workbook, monkeypatch):
    """Another program (Excel) saves the workbook while xltargets works on it: refused, its save kept."""
    from xltargets.workbook import newproject

    real_open = newproject.open_workbook

    def open_then_excel_saves(path):
        wb = real_open(path)
        with open(path, "ab") as fh:  # what Excel's save looks like from here: new bytes, a new time
            fh.write(b"\0")
        return wb

    monkeypatch.setattr(newproject, "open_workbook", open_then_excel_saves)
    result = run("new", workbook, "--name", "晚了一步")
    assert result.exit_code == 2
    assert "被其他程序修改" in result.stderr
    assert workbook.read_bytes().endswith(b"\0")  # the other program's save is what stays


def test_new_workbook_takes_year_and_unit(tmp_path):
    out = tmp_path / "新.xlsm"
    result = run("new", out, "--name", "示例项目", "--year", "2026", "--unit", "某某协会")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["示例项目"]
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
    assert "(2026年度)" in texts and "(年度)" not in texts
    (project,) = read_sources([out]).declaration.projects
    assert (project.year, project.unit) == (2026, "某某协会")


@pytest.mark.parametrize("year", ["26", "二〇二六", "1999"])
def test_a_year_that_is_no_year_is_a_usage_error(tmp_path, year):
    result = run("new", tmp_path / "x.xlsm", "--name", "p", "--year", year)
    assert result.exit_code == 2 and "不是年度" in result.stderr
    assert not (tmp_path / "x.xlsm").exists()


def test_concurrent_new_runs_creating_one_workbook_keep_every_project(tmp_path):
    """The workbook does not exist yet: the first run creates it, the others wait and add theirs."""
    workbook = tmp_path / "新申报.xlsm"
    added = [f"新建并发{i}" for i in range(3)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "xltargets", "new", str(workbook), "--name", name, "--year", "2026"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        for name in added
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    for out, err, code in results:
        assert code == 0, err
    assert sorted(names(workbook)) == sorted(added)
    assert sum("已新建" in out for out, _, _ in results) == 1


def test_an_edit_leaves_nothing_beside_the_workbook(workbook, tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    before = sorted(p.name for p in workbook.parent.iterdir())
    assert run("new", workbook, "--name", "加一个").exit_code == 0
    other = workbook.with_name("不是工作簿.xlsx")
    other.write_bytes(b"not a workbook")
    assert run("new", other, "--name", "不会加").exit_code == 2
    assert sorted(p.name for p in workbook.parent.iterdir()) == sorted([*before, other.name])
    assert inplace.lock_path(workbook.resolve()).parent == home / ".xltargets" / "locks"
    assert inplace.lock_path(workbook.resolve()) != inplace.lock_path(other.resolve())
