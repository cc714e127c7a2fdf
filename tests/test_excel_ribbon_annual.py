"""The ribbon buttons 新年度 and 对比上年 (issue 16) on xlwings' remote engine, fed with real workbooks."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from test_excel_payload import remote, remote_book, payload_from_workbook, sheet_actions  # noqa: F401

from seed_facts import EXPECTED, NAMES
from xltargets.addin.sources import button_tags, default_source_dir
from xltargets.excel import actions, adapter
from xltargets.excel.ribbon import perform
from xltargets.pipeline import read_sources


@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory, seed_path) -> Path:
    from xltargets.workbook.build import build_workbook

    out = tmp_path_factory.mktemp("seedbook") / "2024.xlsx"
    build_workbook(read_sources([seed_path]).declaration, out)
    return out


@pytest.fixture
def status(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(adapter, "show_status", lambda book, text: shown.append(text))
    return shown


def test_the_ribbon_has_both_buttons():
    tags = button_tags((default_source_dir() / "customUI.xml").read_bytes())
    assert {"new_year", "compare_last_year"} <= set(tags.values())
    assert "new_year" not in actions.WRITES_BOOK and "compare_last_year" not in actions.WRITES_BOOK  # new files only


def test_new_year_writes_next_years_workbook(seed_workbook, tmp_path, remote, status):
    book = remote(seed_workbook)
    out = tmp_path / "2025.xlsm"
    assert perform(book, "new_year", str(out)) == out
    decl = read_sources([out]).declaration
    assert [p.name for p in decl.projects] == NAMES
    assert {p.year for p in decl.projects} == {2025} and {p.start for p in decl.projects} == {dt.date(2025, 1, 1)}
    assert all(p.funds.annual is None for p in decl.projects)
    assert [(p.name, i.level1, i.level2, i.level3, i.value) for p in decl.projects for i in p.indicators] == EXPECTED
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    assert status[-1].startswith("已生成 2025 年度申报工作簿")
    assert seed_workbook.exists()  # the open workbook is not changed


def test_new_year_refuses_a_file_it_did_not_write(seed_workbook, tmp_path, remote, status):
    book = remote(seed_workbook)
    taken = tmp_path / "别人的.xlsm"
    taken.write_bytes(b"not ours")
    assert perform(book, "new_year", str(taken)) is None
    assert taken.read_bytes() == b"not ours"
    (alert,) = [a for _s, a in sheet_actions(book) if a["func"] == "alert"]
    assert "已存在" in alert["args"][0]


def test_compare_last_year_writes_the_comparison_next_to_the_workbook(seed_path, tmp_path, remote, status, monkeypatch):
    from decimal import Decimal

    from xltargets.rollover import rollover
    from xltargets.workbook.build import build_workbook

    this_year = rollover(read_sources([seed_path]).declaration, 2025, keep_funds=True).declaration
    this_year.projects[0].funds.annual = Decimal("600000.00")
    del this_year.projects[2].indicators[1]
    path = tmp_path / "2025.xlsx"
    build_workbook(this_year, path)
    # the remote engine knows the workbook by its name only; desktop Excel gives its full path
    monkeypatch.setattr(actions, "_book_path", lambda book: [path])
    book = remote(path)
    out = perform(book, "compare_last_year", str(seed_path))
    assert out == tmp_path / "对比上年-2025.xlsx"
    ws = load_workbook(out)["对比"]
    kinds = [(r[1].value, r[4].value) for r in ws.iter_rows(min_row=4)]
    assert kinds == [("资金变化", "年度资金申请总额"), ("删除指标", "暖心家园健康行")]
    assert "资金变化 1 处" in status[-1] and "删除指标 1 处" in status[-1]
    # a second run does not overwrite the first
    assert perform(remote(path), "compare_last_year", str(seed_path)) == tmp_path / "对比上年-2025(2).xlsx"
