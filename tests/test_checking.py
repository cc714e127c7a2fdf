"""Checking in several processes gives what one process gives, finding for finding, error for error.

Every case runs ``check_sources`` once in one process and once split over
processes (``min_bytes=1``: even a small workbook is split), and asserts which
path was taken (``report.processes``), so a silent fallback to one process
cannot pass for a parallel run.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from xltargets import checking
from xltargets.checking import check_sources
from xltargets.cli import app
from xltargets.errors import InputError
from xltargets.importing import LIMITS, read_sources
from xltargets.workbook.build import build_workbook

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"


def dumped(report) -> list[dict]:
    return [f.model_dump() for f in report.findings]


def same(paths, processes: int, **kwargs):
    """(one process, several): asserting they agree and that the second really was split."""
    one = check_sources(paths, processes=1)
    many = check_sources(paths, processes=processes, min_bytes=1, **kwargs)
    assert one.processes == 1 and one.declaration is not None
    assert (many.projects, many.indicators) == (one.projects, one.indicators)
    assert dumped(many) == dumped(one)
    return one, many


def seed_projects():
    return read_sources([SEED]).declaration


def renamed(decl, names: list[str]):
    """A declaration of len(names) projects cycling through *decl*'s forms, renamed."""
    projects = [
        decl.projects[i % len(decl.projects)].model_copy(update={"name": name}) for i, name in enumerate(names)
    ]
    return decl.model_copy(update={"projects": projects})


@pytest.fixture(scope="module")
def seed_decl():
    return seed_projects()


@pytest.fixture(scope="module")
def twelve(tmp_path_factory, seed_decl) -> Path:
    """12 project sheets; 项目 A is repeated in the last sheet (a duplicate across portions)."""
    names = [f"项目{chr(65 + i)}" for i in range(11)] + ["项目A"]
    names[6] = " 项目 B "  # the same name as sheet 2 once spaces are ignored
    path = tmp_path_factory.mktemp("twelve") / "declarations.xlsm"
    build_workbook(renamed(seed_decl, names), path)
    return path


@pytest.mark.parametrize("processes", [2, 3, 4])
def test_a_split_workbook_gives_the_findings_of_one_process(twelve, processes):
    one, many = same([twelve], processes)
    assert many.processes == processes
    assert many.declaration is None
    duplicates = [f for f in many.findings if f.code == "XLT-E048"]
    assert sorted(f.message.split("与")[1][:7] for f in duplicates) == ["第 1 个项目", "第 2 个项目"]
    assert all(f.sheet != "项目A" for f in duplicates)  # each names the later sheet; the first is in the message


def test_spawned_workers_give_the_same_findings(twelve):
    _one, many = same([twelve], 2, start_method="spawn")
    assert many.processes == 2


def test_a_folder_of_files_is_split_by_file_and_sheet(tmp_path, twelve, seed_decl):
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(SEED, folder / "a-seed.tsv")
    shutil.copy(twelve, folder / "b-twelve.xlsm")
    build_workbook(renamed(seed_decl, ["项目C", "另一个项目"]), folder / "c-two.xlsx")
    one, many = same([folder], 3)
    assert many.processes == 3
    assert one.projects == 4 + 12 + 2


def test_the_seed_declarations_workbook(tmp_path):
    _one, many = same([ROOT / "declarations.xlsm"], 2)
    assert many.processes == 2


def test_small_inputs_stay_in_one_process(twelve):
    assert check_sources([twelve]).processes == 1  # 12 sheets are far below MIN_BYTES_PER_PROCESS
    assert check_sources([twelve], processes=1, min_bytes=1).processes == 1


# --------------------------------------------------------------------------- the same errors


def corrupt_member(src: Path, dst: Path, member: str) -> Path:
    """A copy of *src* whose *member* holds other bytes than its CRC says (same size)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = data.replace(b"<sheetData>", b"<sheetdata>", 1)
                zout.writestr(info, data)
                out = zout.getinfo(member)
                out.CRC ^= 1  # what the central directory says no longer matches
            else:
                zout.writestr(info, data)
    return dst


def errors_of(paths, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        check_sources(paths, **kwargs)
    return caught.value.one_line()


def test_a_broken_sheet_in_a_later_portion_gives_the_error_of_one_process(tmp_path, twelve):
    with zipfile.ZipFile(twelve) as zf:
        last = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))[-1]
    broken = corrupt_member(twelve, tmp_path / "broken.xlsm", last)
    one = errors_of([broken], processes=1)
    assert "校验失败" in one or "已损坏" in one
    assert errors_of([broken], processes=2, min_bytes=1) == one


def test_over_the_cell_limit_across_portions(monkeypatch, twelve):
    cells = sum(g.height * max(map(len, g.rows), default=0) for g in __import__(
        "xltargets.importing.sources", fromlist=["read_grids"]).read_grids(twelve))
    monkeypatch.setitem(LIMITS, "total_cells", cells * 3 // 4)  # each half is under, the whole is over
    one = errors_of([twelve], processes=1)
    assert "单元格" in one
    assert errors_of([twelve], processes=2, min_bytes=1) == one


def test_a_file_without_forms_among_others(tmp_path, twelve):
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(twelve, folder / "a.xlsm")
    wb = Workbook()
    wb.active["A1"] = "这里没有申报表"
    wb.save(folder / "b-empty.xlsx")
    one = errors_of([folder], processes=1)
    assert "没有找到申报表" in one
    assert errors_of([folder], processes=2, min_bytes=1) == one


def titled_workbook(path: Path, titles: dict[int, str]) -> Path:
    """The seed's four forms on four sheets, without their own "(2024年度)" lines, a title
    line above the form of each sheet in *titles* (sheet index → title)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("财政项目支出绩效目标申报表")]
    wb = Workbook()
    wb.remove(wb.active)
    for k, (a, b) in enumerate(zip(starts, [*starts[1:], len(lines)])):
        ws = wb.create_sheet(f"表{k + 1}")
        rows = ([titles[k], ""] if k in titles else []) + [x for x in lines[a:b] if not x.startswith("(2024年度)")]
        for line in rows:
            ws.append(line.split("\t") if line else [None])
    wb.save(path)
    return path


TITLE_CASES = {
    # the year of the first sheet's title goes to every later form: 2025, not the declaration's 2024
    "title-inherited": {0: "上海市计划生育协会2025年度项目绩效目标汇总表"},
    # a title without a year comes first: a later sheet's dated title changes nothing
    "yearless-title-first": {0: "上海市计划生育协会项目绩效目标汇总表", 2: "上海市计划生育协会2026年度项目绩效目标汇总表"},
    # each sheet its own title: the first one counts
    "title-on-every-sheet": {k: f"上海市计划生育协会{2023 + k}年度项目绩效目标汇总表" for k in range(4)},
}


@pytest.mark.parametrize("titles", TITLE_CASES.values(), ids=TITLE_CASES.keys())
@pytest.mark.parametrize("processes", [2, 4])
def test_a_title_gives_its_year_to_forms_in_later_portions(tmp_path, titles, processes):
    """The seed TSV (title 2024) first sets the declaration's year; then a workbook whose forms
    take their year from a title in an earlier sheet, which another process may have read."""
    path = titled_workbook(tmp_path / "titled.xlsx", titles)
    one, many = same([SEED, path], processes)
    assert many.processes == processes
    years = {p.year for p in one.declaration.projects[4:]}
    first = titles[min(titles)]
    assert years == ({int(first[9:13])} if first[9:13].isdigit() else {None})


def test_a_worker_that_dies_is_an_input_error_not_a_crash(monkeypatch, twelve):
    parent = os.getpid()
    real = checking._Portion.read

    def dying(self):
        if os.getpid() != parent:
            os._exit(3)  # what a reader's abort looks like from outside
        return real(self)

    monkeypatch.setattr(checking._Portion, "read", dying)
    message = errors_of([twelve], processes=2, min_bytes=1)
    assert "读取进程意外退出" in message and "--jobs 1" in message


# --------------------------------------------------------------------------- planning and the CLI


def segment(file: int, sheets, weight: int):
    return checking._Segment(file, Path(f"f{file}"), None, list(sheets) if sheets else None, weight)


def test_portions_are_contiguous_balanced_and_merge_neighbouring_sheets():
    units = [segment(0, [f"s{i}"], 10) for i in range(10)] + [segment(1, None, 40), segment(2, ["x"], 10)]
    portions = checking._portions(units, 2)
    assert [[(s.file, s.sheets) for s in p] for p in portions] == [
        [(0, [f"s{i}" for i in range(8)])],
        [(0, ["s8", "s9"]), (1, None), (2, ["x"])],
    ]
    assert [sum(s.weight for s in p) for p in portions] == [80, 70]
    assert [len(p) for p in checking._portions(units, 5)] == [1, 1, 1, 2, 1]
    assert len(checking._portions(units[:1], 3)) == 1  # one sheet is never split


def test_cli_jobs_option_gives_the_same_output(monkeypatch, twelve):
    runner = CliRunner()
    monkeypatch.setattr(checking, "MIN_BYTES_PER_PROCESS", {"fork": 1, "spawn": 1})
    calls = []
    real = checking._lead

    def counting(portions, workers, files):
        calls.append(len(portions))
        return real(portions, workers, files)

    monkeypatch.setattr(checking, "_lead", counting)
    single = runner.invoke(app, ["check", "-j", "1", str(twelve)])
    double = runner.invoke(app, ["check", "--jobs", "2", str(twelve)])
    assert calls == [2]
    assert single.exit_code == double.exit_code == 1
    assert single.output == double.output
    assert runner.invoke(app, ["check", "-j", "0", str(twelve)]).exit_code == 2


def test_forking_only_without_other_threads(monkeypatch):
    import threading

    monkeypatch.setattr(checking.sys, "platform", "linux")
    assert checking._start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert checking._start_method() == "spawn"
    monkeypatch.setattr(checking.sys, "platform", "win32")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert checking._start_method() == "spawn"


def test_a_worker_whose_rules_fail_is_redone_in_one_process(monkeypatch, twelve):
    parent = os.getpid()
    real = checking._Portion.check

    def failing(self, *args):
        if os.getpid() != parent:
            raise RuntimeError("a bug in a rule")
        return real(self, *args)

    monkeypatch.setattr(checking._Portion, "check", failing)
    one = check_sources([twelve], processes=1)
    again = check_sources([twelve], processes=2, min_bytes=1)
    assert again.processes == 1 and dumped(again) == dumped(one)
