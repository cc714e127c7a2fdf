"""``xltargets rollover`` (issue 16, point 2): next year's workbook from this year's forms."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest

from seed_facts import EXPECTED, NAMES
from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.errors import InputError
from xltargets.model import Declaration, Funds, Project
from xltargets.pipeline import read_sources
from xltargets.rollover import moves_with_year, rollover

runner = CliRunner()


@pytest.fixture(scope="module")
def seed(seed_path):
    return read_sources([seed_path]).declaration


def test_seed_rolls_over_to_2025(seed):
    before = seed.model_dump()
    result = rollover(seed, 2025)
    new = result.declaration
    assert seed.model_dump() == before  # the input is not changed
    assert new.title == "上海市计划生育协会2025年度项目绩效目标汇总表"
    assert new.year == 2025 and [p.year for p in new.projects] == [2025] * 4
    assert [p.name for p in new.projects] == NAMES
    assert {(p.start, p.end) for p in new.projects} == {(dt.date(2025, 1, 1), dt.date(2025, 12, 31))}
    assert all(p.funds == Funds() for p in new.projects)  # cleared: declared again
    # indicators and goals exactly as written
    got = [(p.name, i.level1, i.level2, i.level3, i.value) for p in new.projects for i in p.indicators]
    assert got == EXPECTED
    assert [i.value_raw for p in new.projects for i in p.indicators] == [i.value_raw for p in seed.projects for i in p.indicators]
    assert [(p.annual_goal, p.total_goal) for p in new.projects] == [(p.annual_goal, p.total_goal) for p in seed.projects]
    assert result.findings == []


def test_keep_funds(seed):
    new = rollover(seed, 2025, keep_funds=True).declaration
    assert [p.funds for p in new.projects] == [p.funds for p in seed.projects]
    assert new.annual_total == Decimal("4233700.00")


def test_drop_leaves_projects_out(seed):
    result = rollover(seed, 2025, drop=[NAMES[1], NAMES[3]])
    assert [p.name for p in result.declaration.projects] == [NAMES[0], NAMES[2]]
    assert result.dropped == [NAMES[1], NAMES[3]]


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"drop": ["不存在的项目"]}, "要去掉的项目“不存在的项目”不在输入中"),
        ({"drop": NAMES}, "没有剩下任何项目"),
    ],
    ids=["unknown-name", "all-dropped"],
)
def test_bad_drop_is_an_error(seed, kw, message):
    with pytest.raises(InputError, match=message):
        rollover(seed, 2025, **kw)


def _project(nature: str, start: dt.date | None, end: dt.date | None, **kw) -> Project:
    funds = Funds(total=Decimal("300.00"), total_fiscal=Decimal("300.00"), annual=Decimal("100.00"), annual_fiscal=Decimal("100.00"))
    return Project(name=f"{nature}项目", nature=nature, start=start, end=end, year=2024, funds=funds, **kw)


D = dt.date


@pytest.mark.parametrize(
    "nature, start, end, new_start, new_end, warning",
    [
        ("一次性项目", D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 12, 31), None),
        ("经常性专项业务费", D(2024, 3, 1), D(2024, 11, 30), D(2025, 3, 1), D(2025, 11, 30), None),
        ("其他一次性项目", D(2024, 2, 29), D(2024, 12, 31), D(2025, 2, 28), D(2025, 12, 31), None),
        ("一次性项目", D(2023, 7, 1), D(2024, 6, 30), D(2024, 7, 1), D(2025, 6, 30), None),
        ("阶段性项目", D(2023, 1, 1), D(2026, 12, 31), D(2023, 1, 1), D(2026, 12, 31), None),
        ("阶段性项目", D(2022, 1, 1), D(2024, 12, 31), D(2022, 1, 1), D(2024, 12, 31), "XLT-W301"),
        ("", D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 12, 31), None),
        ("结转项目", D(2023, 1, 1), D(2024, 12, 31), D(2023, 1, 1), D(2024, 12, 31), "XLT-W301"),
        ("一次性项目", None, D(2024, 12, 31), None, D(2025, 12, 31), "XLT-W303"),
    ],
    ids=["one-off", "recurring", "29-february", "one-off-across-new-year", "phased-covering",
         "phased-ended", "no-nature-one-year", "other-nature-several-years", "no-start"],
)
def test_dates_per_project_nature(nature, start, end, new_start, new_end, warning):
    result = rollover(Declaration(year=2024, projects=[_project(nature, start, end)]), 2025)
    (p,) = result.declaration.projects
    assert (p.start, p.end) == (new_start, new_end)
    assert [f.code for f in result.findings] == ([warning] if warning else [])
    if warning == "XLT-W301":
        assert "不含 2025 年" in result.findings[0].message


def test_phased_project_keeps_its_multi_year_funds_block():
    old = _project("阶段性项目", D(2023, 1, 1), D(2026, 12, 31))
    (p,) = rollover(Declaration(projects=[old]), 2025).declaration.projects
    assert not moves_with_year(old)
    assert (p.funds.total, p.funds.total_fiscal, p.funds.annual) == (Decimal("300.00"), Decimal("300.00"), None)


def test_a_year_that_is_not_the_next_is_a_warning(seed):
    assert [f.code for f in rollover(seed, 2026).findings] == ["XLT-W302"]
    with pytest.raises(InputError, match="不是有效的年份"):
        rollover(seed, 25)


def test_cli_rollover_of_the_seed(tmp_path, seed_path):
    out = tmp_path / "2025.xlsx"
    result = runner.invoke(app, ["rollover", str(seed_path), "--year", "2025", "-o", str(out), "--drop", NAMES[0]])
    assert result.exit_code == 0, result.output
    assert "2025 年度，3 个项目" in result.stdout and "资金已清空" in result.stdout
    back = read_sources([out]).declaration
    assert [p.name for p in back.projects] == NAMES[1:]
    assert {p.year for p in back.projects} == {2025} and {p.start for p in back.projects} == {D(2025, 1, 1)}
    assert all(p.funds.annual is None for p in back.projects)


def test_cli_rollover_keeps_the_vba_of_an_xlsm(tmp_path, seed_path):
    src = tmp_path / "2024.xlsm"
    assert runner.invoke(app, ["import", str(seed_path), "-o", str(src)]).exit_code == 0
    out = tmp_path / "2025.xlsm"
    result = runner.invoke(app, ["rollover", str(src), "--year", "2025", "-o", str(out), "--keep-funds"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
    assert read_sources([out]).declaration.annual_total == Decimal("4233700.00")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2025", "--drop", "没有这个项目"], "不在输入中"),
        (["--year", "1900"], "不是有效的年份"),
    ],
    ids=["unknown-drop", "bad-year"],
)
def test_cli_rollover_refuses_and_writes_nothing(tmp_path, seed_path, args, message):
    out = tmp_path / "2025.xlsx"
    result = runner.invoke(app, ["rollover", str(seed_path), *args, "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()
