"""The main job on the bundled declarations.xlsm: ``xltargets consolidate`` with no arguments."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from xltargets.cli.testing import CliRunner

from xltargets.cli import app

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "declarations.xlsm"


@pytest.fixture(scope="module")
def main_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("main-job")
    shutil.copyfile(BUNDLED, work / "declarations.xlsm")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        before = hashlib.sha256((work / "declarations.xlsm").read_bytes()).hexdigest()
        result = runner.invoke(app, ["consolidate"], catch_exceptions=False)
        after = hashlib.sha256((work / "declarations.xlsm").read_bytes()).hexdigest()
    return work, result, before == after


def dump(runner: CliRunner, path: Path) -> dict:
    result = runner.invoke(app, ["dump", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_main_job_writes_the_summary(main_run):
    work, result, unchanged = main_run
    assert result.exit_code == 0, result.output
    assert "4 个项目、41 条绩效指标" in result.output
    assert "4,233,700.00" in result.output
    assert (work / "汇总表.xlsx").exists()
    assert unchanged, "declarations.xlsm was modified"


def test_dump_of_the_summary_equals_dump_of_the_source(main_run, seed_path):
    """Nothing is lost: the importer reads the 汇总表 back as the declarations it came from."""
    work, _, _ = main_run
    runner = CliRunner()
    source = dump(runner, work / "declarations.xlsm")
    summary = dump(runner, work / "汇总表.xlsx")
    assert summary["projects"] == source["projects"]
    assert (summary["organisation"], summary["year"]) == (source["organisation"], source["year"])
    # the only addition is the 汇总表's title
    assert summary["title"] == "上海市计划生育协会2024年度项目绩效目标汇总表"
    assert dump(runner, seed_path)["projects"] == summary["projects"]
    assert sum(len(p["indicators"]) for p in summary["projects"]) == 41
