#!/usr/bin/env python3
"""The xltargets benchmark: each step against its floor, measured in the same run.

    python bench/run.py                          # N = 10, 100, 1000; 3 runs; writes bench/RESULTS.md
    python bench/run.py --sizes 10 --runs 1 --out /tmp/RESULTS.md
    python bench/run.py --sizes 1000 --runs 3 --steps check --out /tmp/RESULTS.md   # check and its floor only

For each N it makes a synthetic declaration (N projects × 15 indicators,
bench/synth.py) as a 汇总表 TSV export and times, each step in a fresh child
process (median of the runs; peak resident memory from ``ru_maxrss``):

=============  ===========================================================  =====================================
step           what is timed                                                floor (same run, same files)
=============  ===========================================================  =====================================
import         ``xltargets import decl.tsv -o declarations.xlsm``: read      XlsxWriter writing the same cells with
               the TSV, build the workbook, write it                        the same formats (bench/floors.py)
check          ``xltargets check declarations.xlsm``: read every form,      python-calamine reading every cell of
               run every rule                                               declarations.xlsm
consolidate    ``xltargets consolidate declarations.xlsm -o 汇总表.xlsx``    calamine reading declarations.xlsm +
                                                                            XlsxWriter writing 汇总表.xlsx's cells
check-typed    ``xltargets check typed.xlsm``: declarations.xlsm as a user    python-calamine reading every cell of
               re-saves it with ~17 % of 指标值 typed as numbers (synth.     typed.xlsm
               type_values), read as displayed; only with ``--steps``
udf            the whole-table UDF (XLT_CHECK_TABLE) on a 30-row table      —
=============  ===========================================================  =====================================

Times exclude interpreter start and imports (they are the same for every N);
peak memory includes them. Prints each step as a ratio to its floor and
writes a Markdown report (default bench/RESULTS.md) with the machine noted.
Only packages from pyproject.toml are needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

#: the targets at N = 1,000 (issue 14, which raised consolidate's from issue 7's 2×; its memory
#: target, ≤ 200 MB at 4,000 projects, is measured by bench/bench_memory.py)
TARGETS = {
    "import": 1.5,  # × the XlsxWriter floor
    "check": 2.0,  # × the calamine floor
    "consolidate": 1.5,  # × (calamine read + XlsxWriter write)
}
RSS_TARGET_MB = 200  # at N = 1,000 (issue 7)
SCALING_TARGET = 11.0  # time at 1,000 ≤ 11 × time at 100
UDF_TARGET_MS = 5.0
UDF_ROWS = 30

#: sheets in a declarations workbook besides the project sheets (填写说明, 下拉列表)
EXTRA_SHEETS = 2


# --------------------------------------------------------------------------- child side


def _allow_sheets(n: int) -> None:
    """Let the importer read a workbook of *n* project sheets (see RESULTS.md: the sheet limit)."""
    from xltargets.importing.limits import LIMITS

    LIMITS["sheets"] = max(LIMITS["sheets"], n + EXTRA_SHEETS)


def _cpu() -> float:
    """CPU time (user + system) of this process and of its reaped children: the reader process
    (xltargets.reader, where python-calamine and pdfplumber read a file) counts once it is closed."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _elapsed(start: float, cpu_start: float) -> tuple[float, float]:
    """Wall and CPU seconds since (*start*, *cpu_start*), the reader process closed (reaped) first."""
    if "xltargets.reader" in sys.modules:
        sys.modules["xltargets.reader"].close()
    return time.perf_counter() - start, _cpu() - cpu_start


def _child(step: str, n: int, work: Path) -> dict:
    """Run one step in this (fresh) process; return its time and peak memory."""
    result: dict = {}
    cpu: float | None = None  # this process's CPU time of the timed part (user + system)
    if step == "import":
        from xltargets.importing import read_sources
        from xltargets.workbook.build import build_workbook

        src, out = work / "decl.tsv", work / "declarations.xlsm"
        start, cpu_start = time.perf_counter(), _cpu()
        decl = read_sources([src]).declaration
        build_workbook(decl, out)
        seconds, cpu = _elapsed(start, cpu_start)
        result["projects"] = len(decl.projects)
    elif step in ("check", "check-typed"):
        _allow_sheets(n)
        from xltargets.pipeline import check_sources

        start, cpu_start = time.perf_counter(), _cpu()
        report = check_sources([work / ("typed.xlsm" if step == "check-typed" else "declarations.xlsm")])
        seconds, cpu = _elapsed(start, cpu_start)
        result.update(projects=report.projects, findings=len(report.findings))
    elif step == "consolidate":
        _allow_sheets(n)
        from xltargets.pipeline import consolidate

        start, cpu_start = time.perf_counter(), _cpu()
        # as `xltargets consolidate` runs it: the projects let go once laid out (keep=False)
        done = consolidate([work / "declarations.xlsm"], work / "汇总表.xlsx", cwd=work, force=True, keep=False)
        seconds, cpu = _elapsed(start, cpu_start)
        result.update(projects=done.projects, findings=len(done.findings))
    elif step in ("floor-write-import", "floor-write-consolidate", "public-write-import", "public-write-consolidate"):
        import floors

        name = "import" if step.endswith("import") else "consolidate"
        plan = pickle.loads((work / f"plan-{name}.pickle").read_bytes())
        out = work / ("floor.xlsm" if name == "import" else "floor.xlsx")
        start, cpu_start = time.perf_counter(), _cpu()
        # public-write-*: the same plan through XlsxWriter's public API only (its formula rewriting included)
        floors.write_plan(plan, out, lean=step.startswith("floor"))
        seconds, cpu = _elapsed(start, cpu_start)
    elif step in ("floor-read", "floor-read-typed"):
        import floors

        start, cpu_start = time.perf_counter(), _cpu()
        result["cells"] = floors.read_all_cells(work / ("typed.xlsm" if step.endswith("typed") else "declarations.xlsm"))
        seconds, cpu = _elapsed(start, cpu_start)
    elif step == "type-values":  # in a child: openpyxl's ~250 MB would be every later child's ru_maxrss (below)
        import synth

        return {"typed": synth.type_values(work / "declarations.xlsm", work / "typed.xlsm")}
    elif step == "plans":
        import floors

        stats = {}
        for name, path in (("import", work / "declarations.xlsm"), ("consolidate", work / "汇总表.xlsx")):
            plan = floors.extract_plan(path)
            if not floors.formulas_unchanged(plan):  # pragma: no cover - our formulas use no newer functions
                raise SystemExit("a formula would be rewritten by XlsxWriter: the lean floor does not apply")
            (work / f"plan-{name}.pickle").write_bytes(pickle.dumps(plan))
            stats[name] = floors.plan_stats(plan)
        result["plans"] = stats
        seconds = 0.0
    elif step == "check-parts":
        _allow_sheets(n)
        result["parts"] = _check_parts(work / "declarations.xlsm")
        seconds = sum(result["parts"].values())
    elif step == "udf":
        seconds, result = _udf()
    else:
        raise SystemExit(f"unknown step {step}")
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.update(seconds=seconds, cpu=seconds if cpu is None else cpu, maxrss_mb=rss_kb / 1024)
    return result


def _check_parts(path: Path) -> dict[str, float]:
    """Where ``check`` spends its CPU time: the importer's pre-scan, the reader process (its start,
    python-calamine reading every sheet, the values pickled), the values received and made grids in
    this process, the forms, the rules.

    Uses the importer's internals (best effort: {} when they changed).
    """
    try:
        from xltargets.importing import import_grids, sources
        from xltargets.pipeline import _fewer_collections  # the collector held back, as check runs
        from xltargets.rules import check_declaration
    except ImportError:  # pragma: no cover
        return {}

    def children() -> float:
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        return c.ru_utime + c.ru_stime

    try:
        with _fewer_collections():
            t0 = _cpu()
            checked = sources.classify(path)
            t1, c1 = _cpu(), children()
            grids = list(sources._workbook_grids(path, checked))
            t2, c2 = _elapsed(0, 0)[1], children()  # the reader process closed (reaped): its CPU counted
            decl = import_grids(grids, source=str(path)).declaration
            t3 = _cpu()
            check_declaration(decl)
            t4 = _cpu()
    except (AttributeError, TypeError):  # pragma: no cover - the importer's internals changed
        return {}
    return {"pre-scan": t1 - t0, "reader process": c2 - c1, "values + grids": (t2 - t1) - (c2 - c1),
            "forms": t3 - t2, "rules": t4 - t3}


def _udf(repeat: int = 300) -> tuple[float, dict]:
    """Median time of the whole-table UDF on a 30-row table (merged 一级/二级 left blank)."""
    from bench_udf_table import table

    try:
        from xltargets.excel.udfs import XLT_CHECK_TABLE as udf  # what Excel calls

        what = "xltargets.excel.udfs.XLT_CHECK_TABLE"
    except ImportError:  # xlwings not installed: its pure-Python core
        from xltargets.udfcore import check_rows as udf

        what = "xltargets.udfcore.check_rows"
    cols = table(UDF_ROWS)
    udf(*cols)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = udf(*cols)
        times.append(time.perf_counter() - start)
    assert len(out) == UDF_ROWS
    return statistics.median(times), {"function": what, "calls": repeat}


# --------------------------------------------------------------------------- parent side


def _run_child(step: str, n: int, work: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", step, "--n", str(n), "--work", str(work)],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(work),
    )
    if proc.returncode != 0:
        raise SystemExit(f"step {step} (N={n}) failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _prepare(n: int, work: Path) -> None:
    import synth

    work.mkdir(parents=True, exist_ok=True)
    synth.write_tsv(synth.declaration(n), work / "decl.tsv")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


#: each step and the runs measured with it (its floors, the public-API yardstick)
STEP_RUNS = {
    "import": ("import", "floor-write-import", "public-write-import"),
    "check": ("check", "floor-read"),
    "consolidate": ("consolidate", "floor-read", "floor-write-consolidate", "public-write-consolidate"),
    # declarations.xlsm re-saved with ~17 % of its 指标值 typed as numbers (synth.type_values): check reads them as
    # displayed (importing/numfmt.py); against calamine reading that same file
    "check-typed": ("check-typed", "floor-read-typed"),
}
#: the steps run when --steps is not given
DEFAULT_STEPS = ("import", "check", "consolidate")


def measure(n: int, runs: int, work: Path, log, steps: tuple[str, ...] = DEFAULT_STEPS) -> dict:
    """Every step of *steps* and its floors for *n* projects, *runs* times, interleaved (a drift in the
    machine's load hits both)."""
    _prepare(n, work)
    log(f"N={n}: warm-up and floor plans …")
    _run_child("import", n, work)  # the declarations workbook every other step reads
    writers = "import" in steps or "consolidate" in steps
    if writers:
        _run_child("consolidate", n, work)
    plans = _run_child("plans", n, work)["plans"] if writers else {}
    typed = 0
    if "check-typed" in steps:
        # not in this process: Linux keeps a process's peak RSS across exec, and subprocess starts a child with vfork
        # (the parent's memory), so openpyxl's re-save here made every step's peak RSS 258 MB (session 8)
        typed = _run_child("type-values", n, work)["typed"]
        log(f"N={n}: typed.xlsm: {typed} 指标值 typed as numbers")
    raw: dict[str, list[dict]] = {k: [] for step in STEP_RUNS if step in steps for k in STEP_RUNS[step]}
    for r in range(runs):
        for step in raw:
            raw[step].append(_run_child(step, n, work))
        log(f"N={n}: run {r + 1}/{runs}: " + ", ".join(f"{s} {raw[s][-1]['seconds']:.2f}s" for s in raw))
    parts = [_run_child("check-parts", n, work)["parts"] for _ in range(runs)] if "check" in steps else []
    sec = {s: [x["seconds"] for x in v] for s, v in raw.items()}
    cpu = {s: [x["cpu"] for x in v] for s, v in raw.items()}
    measured = {}
    if "import" in steps:
        measured["import"] = (sec["import"], sec["floor-write-import"], cpu["import"], cpu["floor-write-import"])
    if "check" in steps:
        measured["check"] = (sec["check"], sec["floor-read"], cpu["check"], cpu["floor-read"])
    if "check-typed" in steps:
        measured["check-typed"] = (sec["check-typed"], sec["floor-read-typed"], cpu["check-typed"], cpu["floor-read-typed"])
    if "consolidate" in steps:
        cons_floor = [a + b for a, b in zip(sec["floor-read"], sec["floor-write-consolidate"])]
        cons_floor_cpu = [a + b for a, b in zip(cpu["floor-read"], cpu["floor-write-consolidate"])]
        measured["consolidate"] = (sec["consolidate"], cons_floor, cpu["consolidate"], cons_floor_cpu)
    out = {"n": n, "runs": runs, "plans": plans, "steps": {}, "typed": typed,
           "check_parts": {k: _median([p[k] for p in parts if k in p]) for k in (parts[0] if parts else {})}}
    for name, (times, floor, cpus, floor_cpus) in measured.items():
        out["steps"][name] = {
            "seconds": _median(times),
            "floor": _median(floor),
            "ratio": _median(times) / _median(floor),
            "cpu": _median(cpus),
            "floor_cpu": _median(floor_cpus),
            "cpu_ratio": _median(cpus) / _median(floor_cpus),
            "all": times,
            "floor_all": floor,
            "maxrss_mb": max(x["maxrss_mb"] for x in raw[name]),
        }
    out["floor_rss_mb"] = {s: max(x["maxrss_mb"] for x in raw[s]) for s in raw if s.startswith("floor")}
    # XlsxWriter through its public API alone (what xltargets may use): not a floor, a yardstick
    public, public_cpu = {}, {}
    if "import" in steps:
        public["import"], public_cpu["import"] = sec["public-write-import"], cpu["public-write-import"]
    if "consolidate" in steps:
        public["consolidate"] = [a + b for a, b in zip(sec["floor-read"], sec["public-write-consolidate"])]
        public_cpu["consolidate"] = [a + b for a, b in zip(cpu["floor-read"], cpu["public-write-consolidate"])]
    out["public"] = {k: {"seconds": _median(v), "cpu": _median(public_cpu[k]),
                         "ratio": out["steps"][k]["seconds"] / _median(v),
                         "cpu_ratio": out["steps"][k]["cpu"] / _median(public_cpu[k])} for k, v in public.items()}
    return out


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        info["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    pkgs = {}
    for pkg in ("openpyxl", "lxml", "XlsxWriter", "python-calamine", "pydantic", "jinja2"):
        try:
            pkgs[pkg] = version(pkg)
        except PackageNotFoundError:
            pkgs[pkg] = "—"
    info["packages"] = pkgs
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "—"
    return info


def _ok(flag: bool | None) -> str:
    return "—" if flag is None else ("met" if flag else "**missed**")


def verdicts(results: list[dict], udf_ms: float) -> list[tuple[str, str, str, bool | None]]:
    """(target, measured, limit, met) for the targets at the largest N (1,000 when run)."""
    by_n = {r["n"]: r for r in results}
    big = by_n.get(1000) or by_n[max(by_n)]
    rows = []
    for step, limit in TARGETS.items():
        if step not in big["steps"]:
            continue
        s = big["steps"][step]
        rows.append((f"{step} at N={big['n']:,} vs floor", f"{s['ratio']:.2f}× (CPU {s['cpu_ratio']:.2f}×)",
                     f"≤ {limit}×", s["ratio"] <= limit))
    worst = max(big["steps"].items(), key=lambda kv: kv[1]["maxrss_mb"])
    rows.append((f"peak RSS at N={big['n']:,} ({worst[0]})", f"{worst[1]['maxrss_mb']:.0f} MB",
                 f"≤ {RSS_TARGET_MB} MB", worst[1]["maxrss_mb"] <= RSS_TARGET_MB))
    if 1000 in by_n and 100 in by_n:
        for step in (t for t in TARGETS if t in big["steps"]):
            f = by_n[1000]["steps"][step]["seconds"] / by_n[100]["steps"][step]["seconds"]
            rows.append((f"{step}: time at 1,000 / time at 100", f"{f:.1f}×", f"≤ {SCALING_TARGET:.0f}×",
                         f <= SCALING_TARGET))
    rows.append((f"whole-table UDF, {UDF_ROWS} rows", f"{udf_ms:.2f} ms", f"< {UDF_TARGET_MS:.0f} ms",
                 udf_ms < UDF_TARGET_MS))
    return rows


def report(results: list[dict], udf: dict, info: dict, runs: int, steps: tuple[str, ...] = DEFAULT_STEPS) -> str:
    only = "" if set(steps) == set(DEFAULT_STEPS) else f" --steps {','.join(steps)}"
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --sizes {','.join(str(r['n']) for r in results)} --runs {runs}{only}` "
        f"on {dt.date.today().isoformat()}, commit `{info['commit']}`.",
        "",
        "## Machine",
        "",
        f"- CPU: {info.get('cpu')}, {info.get('cpus')} cores; memory {info.get('memory_gb', '?')} GB",
        f"- {info['platform']}, Python {info['python']}",
        "- " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()),
        f"- load average when the run started: {info.get('load', '?')}",
        "",
        "## Steps against their floors",
        "",
        "Median of the runs, each in a fresh process; time excludes interpreter start and imports, peak RSS "
        "(`ru_maxrss`) includes them. Floors run in the same run on the same files, interleaved with the steps.",
        "",
        "| N | step | seconds | floor (s) | × floor | CPU (s) | floor CPU (s) | × floor CPU | peak RSS (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for step, s in r["steps"].items():
            lines.append(f"| {r['n']:,} | {step} | {s['seconds']:.3f} | {s['floor']:.3f} | {s['ratio']:.2f} | "
                         f"{s['cpu']:.3f} | {s['floor_cpu']:.3f} | {s['cpu_ratio']:.2f} | "
                         f"{s['maxrss_mb']:.0f} |")
    lines += ["", "Every step runs in one process (`check` included), as its floor does, plus the reader process "
              "where python-calamine reads the workbook (xltargets.reader). CPU is the CPU time (user + system: "
              "`time.process_time` and the reaped children's `RUSAGE_CHILDREN`, the reader process's start "
              "included) over the timed part, steps and floors alike: on a loaded machine it moves less than "
              "wall time. Peak RSS is the step's own process (the reader process's memory is capped apart)."]
    lines += ["", "Floors: `import` — XlsxWriter writing the same cells with the same formats "
              "(bench/floors.py; without XlsxWriter's formula rewriting, which changes none of these formulas); "
              "`check` — python-calamine reading every cell; `consolidate` — both (calamine reading the "
              "declarations workbook + XlsxWriter writing the 汇总表's cells).", ""]
    if any(r.get("typed") for r in results):
        lines += ["`check-typed` — `check` of typed.xlsm: declarations.xlsm re-saved by openpyxl with some 指标值 typed as "
                  "numbers with a number format (bench/synth.py `type_values`: " + ", ".join(
                      f"{r['typed']:,} of {r['n'] * 15:,} at N = {r['n']:,}" for r in results if r.get("typed"))
                  + "), read as displayed; its floor python-calamine reading every cell of typed.xlsm.", ""]
    if any(r["plans"] for r in results):
        lines += ["What the floors wrote:", "", "| N | workbook | sheets | cells | merges | formats | validations | "
                  "conditional formats |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
        for r in results:
            for name, st in r["plans"].items():
                label = "declarations.xlsm" if name == "import" else "汇总表.xlsx"
                lines.append(f"| {r['n']:,} | {label} | {st['sheets']:,} | {st['cells']:,} | {st['merges']:,} | "
                             f"{st['formats']:,} | {st['validations']:,} | {st['conditional_formats']:,} |")
    if any(r.get("public") for r in results):
        lines += ["", "The writers against XlsxWriter's public API writing the same plan (its formula rewriting "
                  "included: ~130 regular expressions over every validation and conditional-format formula, ~30 over "
                  "every cell formula; xltargets may use the public API only):", "",
                  "| N | step | public XlsxWriter (s) | × it | its CPU (s) | × its CPU |", "|---:|---|---:|---:|---:|---:|"]
        for r in results:
            for step, p in r.get("public", {}).items():
                lines.append(f"| {r['n']:,} | {step} | {p['seconds']:.3f} | {p['ratio']:.2f} | {p['cpu']:.3f} | "
                             f"{p['cpu_ratio']:.2f} |")
    if results[0]["check_parts"]:
        lines += ["", "Where `check`'s work goes: the CPU time of each stage over the whole workbook (median; the "
                  "importer's pre-scan, the reader process — its start, python-calamine reading every sheet, the "
                  "values pickled —, the values received and made grids, reading the forms, the rules), in seconds "
                  "and as a multiple of the floor's CPU time:", "",
                  "| N | " + " | ".join(results[0]["check_parts"]) + " | all | calamine floor |",
                  "|---:|" + "---:|" * (len(results[0]["check_parts"]) + 2)]
        for r in results:
            if r["check_parts"] and "check" in r["steps"]:
                floor = r["steps"]["check"]["floor_cpu"]
                lines.append(f"| {r['n']:,} | " + " | ".join(f"{v:.3f} ({v / floor:.2f}×)" for v in r["check_parts"].values())
                             + f" | {sum(r['check_parts'].values()):.3f} ({sum(r['check_parts'].values()) / floor:.2f}×)"
                             + f" | {floor:.3f} |")
    lines += ["", "## Targets", "", "| target | measured | limit | |", "|---|---:|---:|---|"]
    for name, measured, limit, met in verdicts(results, udf["seconds"] * 1000):
        lines.append(f"| {name} | {measured} | {limit} | {_ok(met)} |")
    lines += ["", f"UDF: `{udf['function']}`, median of {udf['calls']} calls.", ""]
    big = max(results, key=lambda r: r["n"])
    parts = big["check_parts"]
    if "check" in big["steps"] and big["steps"]["check"]["ratio"] > TARGETS["check"] and parts:
        floor = big["steps"]["check"]["floor_cpu"]
        lines += [
            f"## Not reached: check ≤ {TARGETS['check']:.0f}× its floor",
            "",
            f"At N={big['n']:,} the stages of `check` take {sum(parts.values()):.2f} s of CPU "
            f"({sum(parts.values()) / floor:.1f}× the floor); see docs/bench.md.",
            "",
        ]
    from xltargets.importing.limits import LIMITS

    over = [r["n"] for r in results if r["n"] + EXTRA_SHEETS > LIMITS["sheets"]]
    if over:
        lines += [
            "## Note",
            "",
            f"A declarations workbook of {over[0]:,} projects has {over[0] + EXTRA_SHEETS:,} sheets (填写说明 and the "
            f"hidden 下拉列表 besides the project sheets), more than the importer's limit of "
            f"{LIMITS['sheets']:,} sheets per workbook (`xltargets.importing.limits.LIMITS['sheets']`): "
            "`xltargets check` and `consolidate` refuse the file `xltargets import` wrote. The benchmark raises "
            "the limit in its own child processes for those steps.",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10,100,1000", help="numbers of projects, comma-separated")
    p.add_argument("--runs", type=int, default=3, help="runs per step (the median is reported)")
    p.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="the Markdown report")
    p.add_argument("--work", type=Path, help="keep the generated files in this folder")
    p.add_argument("--steps", default=",".join(DEFAULT_STEPS),
                   help="steps to measure, comma-separated (import, check, consolidate; check-typed: check of the "
                        "workbook with typed 指标值, synth.type_values), each with its floors")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.n, args.work), default=str))
        return 0

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if args.runs < 1 or not sizes:
        p.error("need at least one size and one run")
    steps = tuple(x.strip() for x in args.steps.split(",") if x.strip())
    if not steps or set(steps) - set(STEP_RUNS):
        p.error(f"--steps: one or more of {', '.join(STEP_RUNS)}")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    results = []
    with tempfile.TemporaryDirectory(prefix="xlt-bench-") as tmp:
        base = args.work or Path(tmp)
        for n in sizes:
            results.append(measure(n, args.runs, base / f"n{n}", log, steps))
        udf = _run_child("udf", 0, base)
    print(f"{'N':>6}  {'step':<12} {'seconds':>9} {'floor':>9} {'× floor':>8} {'CPU':>8} {'floorCPU':>8} {'× CPU':>6} "
          f"{'peak MB':>8}")
    for r in results:
        for step, s in r["steps"].items():
            print(f"{r['n']:>6}  {step:<12} {s['seconds']:>9.3f} {s['floor']:>9.3f} {s['ratio']:>8.2f} "
                  f"{s['cpu']:>8.3f} {s['floor_cpu']:>8.3f} {s['cpu_ratio']:>6.2f} "
                  f"{s['maxrss_mb']:>8.0f}")
    print(f"{'':>6}  {'udf':<12} {udf['seconds'] * 1000:>8.2f}ms  ({UDF_ROWS} rows, median of {udf['calls']} calls)")
    print()
    for name, measured, limit, met in verdicts(results, udf["seconds"] * 1000):
        print(f"  {'ok ' if met else 'NO ' if met is False else '   '} {name}: {measured} (target {limit})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results, udf, info, args.runs, steps), encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
