"""The declarations workbook written in batches of sheets (xltargets.workbook.batched).

Each batch is a small XlsxWriter workbook closed before the next begins, so
open files and XlsxWriter's objects are bounded by the batch, not by the
number of projects; the package is assembled from the batches and a frame
workbook. The batches must not show: any batch size gives the same bytes.
"""

from __future__ import annotations

import os
import sys
import zipfile

import pytest

from test_workbook_golden import seed_declaration
from xltargets.model import Declaration, Indicator, Project
from xltargets.workbook import batched
from xltargets.workbook.build import build_workbook
from xltargets.workbook.xlsxform import FormWriter


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _declaration(n: int) -> Declaration:
    projects = [
        Project(name=f"项目{i}", money_unit="万元" if i % 3 == 0 else "元",
                indicators=[Indicator(level1="产出指标", level2="数量指标", level3=f"指标{i}", value_raw="≥1(个)")])
        for i in range(n)
    ]
    return Declaration(organisation="某单位", year=2025, projects=projects)


@pytest.mark.parametrize("batch", [1, 2, 3, 5], ids=lambda b: f"batch-of-{b}")
def test_any_batch_size_gives_the_same_workbook(tmp_path, monkeypatch, batch):
    decl = seed_declaration()
    decl = decl.model_copy(update={"projects": decl.projects + _declaration(3).projects})
    whole = build_workbook(decl, tmp_path / "whole.xlsm")
    monkeypatch.setattr(batched, "BATCH", batch)
    parts = build_workbook(decl, tmp_path / "parts.xlsm")
    a, b = _members(whole), _members(parts)
    assert list(a) == list(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_the_primer_sheet_is_not_copied(tmp_path):
    out = build_workbook(_declaration(2), tmp_path / "d.xlsx")
    members = _members(out)
    sheets = sorted(n for n in members if n.startswith("xl/worksheets/sheet"))
    assert len(sheets) == 4  # 填写说明, two projects, the lists
    assert b'name="_"' not in members["xl/workbook.xml"]
    assert b'tabSelected="1"' in members["xl/worksheets/sheet1.xml"]  # 填写说明 shows first
    assert all(b"tabSelected" not in members[n] for n in sheets[1:])


def test_parts_that_number_formats_differently_are_refused(tmp_path, monkeypatch):
    """The check that keeps styles.xml right for every sheet can fail."""
    calls = []
    every = FormWriter.every_format

    def shuffled(self):
        calls.append(1)
        formats = every(self)
        return formats if len(calls) == 1 else formats[::-1]

    monkeypatch.setattr(FormWriter, "every_format", shuffled)
    monkeypatch.setattr(batched, "BATCH", 2)
    with pytest.raises(AssertionError, match="numbers its formats differently"):
        build_workbook(_declaration(3), tmp_path / "d.xlsx")
    assert not (tmp_path / "d.xlsx").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_open_files_stay_bounded(tmp_path, monkeypatch):
    """A workbook of many more sheets than the process may open files: XlsxWriter's constant-memory
    mode keeps a temporary file open per sheet until the workbook is closed (ulimit -n is 1,024 on
    a default Linux, 256 on macOS); a batch keeps at most its own open."""
    import resource

    monkeypatch.setattr(batched, "BATCH", 8)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    in_use = len(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))
    resource.setrlimit(resource.RLIMIT_NOFILE, (in_use + 30, hard))
    try:
        out = build_workbook(_declaration(60), tmp_path / "d.xlsx")
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    sheets = [n for n in _members(out) if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 62
