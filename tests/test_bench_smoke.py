"""The benchmark runs end to end at N = 10 (a smoke test: no timing is asserted).

``python bench/run.py --sizes 10 --runs 1`` times every step and its floor in
child processes and writes the Markdown report; this checks that it does,
and that the synthetic input reads back as the declaration it was made from.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def test_bench_runs_at_n10(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "10", "--runs", "1", "--out", str(out),
         "--work", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    for step in ("import", "check", "consolidate", "udf"):
        assert step in proc.stdout
    report = out.read_text(encoding="utf-8")
    assert "## Machine" in report and "## Targets" in report
    assert "| 10 | import |" in report and "| 10 | check |" in report and "| 10 | consolidate |" in report
    work = tmp_path / "work" / "n10"
    for name in ("decl.tsv", "declarations.xlsm", "汇总表.xlsx", "floor.xlsm", "floor.xlsx"):
        assert (work / name).stat().st_size > 0, name


def test_memory_bench_runs_at_n10(tmp_path):
    """bench/bench_memory.py: peak memory of consolidate after imports, reading + checking, writing."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_memory.py"), "--sizes", "10", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    head, row = (line.split() for line in proc.stdout.strip().splitlines()[-2:])
    assert head[:3] == ["N", "files", "imports"] and head[4:] == ["end", "MB", "seconds", "CPU", "s"]
    assert row[:2] == ["10", "1"] and len(row) == 6
    imports, end, seconds, cpu = map(float, row[2:6])
    # ten projects: the imports are most of the peak, far below the 200 MB of the largest workbook
    assert 0 < imports <= end < 200 and seconds > 0 and cpu > 0
    assert (tmp_path / "n10" / "汇总表.xlsx").stat().st_size > 0


@pytest.mark.parametrize("step", ["import", "import-workbook"])
def test_memory_bench_of_import_runs_at_n10(tmp_path, step):
    """bench/bench_memory.py --step import (a TSV) and import-workbook (a declarations workbook): peak
    memory of import after imports, reading, writing."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_memory.py"), "--step", step, "--sizes", "10", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    row = proc.stdout.strip().splitlines()[-1].split()
    assert row[:2] == ["10", "1"] and len(row) == 7
    imports, read, end = map(float, row[2:5])
    assert 0 < imports <= read <= end
    assert (tmp_path / "n10" / "imported.xlsm").stat().st_size > 0


def test_formula_cost_runs():
    """bench/formula_cost.py: XlsxWriter's cost per formula kind of a project sheet (no timing asserted)."""
    proc = subprocess.run([sys.executable, str(BENCH / "formula_cost.py"), "--sheets", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("|")[1].strip(): line for line in proc.stdout.splitlines() if line.startswith("| ")}
    assert {"cell", "validation", "conditional format", "all"} <= set(rows)
    assert rows["cell"].split("|")[2].strip() == "23"  # G1, G2, G6 and one a row (15 indicators + 5 blank)


def test_synthetic_tsv_reads_back_as_made(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import synth
    finally:
        sys.path.remove(str(BENCH))
    from xltargets.importing import read_sources

    decl = synth.declaration(12)
    assert len(decl.projects) == 12 and all(len(p.indicators) == synth.INDICATORS for p in decl.projects)
    result = read_sources([synth.write_tsv(decl, tmp_path / "decl.tsv")])
    assert result.findings == []
    assert result.declaration.content()["projects"] == decl.content()["projects"]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in p.annual_goal) for p in decl.projects)


def test_annual_bench_runs_small(tmp_path, soffice):
    """bench/bench_annual.py end to end on a small input (issue 16: PDF import and diff against their floors)."""
    out = tmp_path / "RESULTS-annual.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_annual.py"), "--forms", "2", "--projects", "10", "--runs", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    report = out.read_text(encoding="utf-8")
    assert "## PDF import" in report and "## diff" in report
    assert "2 forms found, 2 of 2 identical to the TSV's" in report


def test_bench_check_typed_runs_at_n10(tmp_path):
    """``--steps check-typed``: check of the declarations workbook with some 指标值 typed as numbers, against
    calamine reading that same file."""
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "10", "--runs", "1", "--steps", "check-typed",
         "--out", str(out), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    report = out.read_text(encoding="utf-8")
    assert "| 10 | check-typed |" in report and "--steps check-typed" in report
    assert "(bench/synth.py `type_values`: 24 of 150 at N = 10)" in report
    assert (tmp_path / "work" / "n10" / "typed.xlsm").stat().st_size > 0


@pytest.mark.parametrize("share,typed", [(0.0, 0), (0.25, 24), (1.0, 101)], ids=["none", "a-quarter", "every-quantitative"])
def test_typed_values_read_as_the_user_sees_them(tmp_path, share, typed):
    """synth.type_values: of the quantitative 指标值 (101 of 150 at N = 10), *share* typed as numbers with a number
    format; check reads each as displayed (``≥90.00(%)`` typed 0.9 → ``90.00%``, ``=38.00(场)`` typed 38 → ``38.00``),
    the others as written."""
    sys.path.insert(0, str(BENCH))
    try:
        import synth
    finally:
        sys.path.remove(str(BENCH))
    from xltargets.importing import read_sources
    from xltargets.workbook.build import build_workbook

    decl = synth.declaration(10)
    build_workbook(decl, tmp_path / "d.xlsm")
    assert synth.type_values(tmp_path / "d.xlsm", tmp_path / "t.xlsm", share=share) == typed
    written = [i.value for p in decl.projects for i in p.indicators]
    read = [i.value for p in read_sources([tmp_path / "t.xlsm"]).declaration.projects for i in p.indicators]
    changed = [(w, r) for w, r in zip(written, read) if w != r]
    assert len(read) == len(written) and len(changed) == typed
    for w, r in changed:
        number = f'{Decimal(w.lstrip("=≥≤<>").split("(")[0]):.2f}'  # shown with two decimals (0.00%, 0.00)
        percent = w.endswith(("(%)", "(百分比)"))
        assert r == (number + "%" if percent else number), (w, r)
