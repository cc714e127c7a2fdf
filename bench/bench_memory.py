#!/usr/bin/env python3
"""Peak memory of ``consolidate`` (or ``import``) and where it grows: imports, reading and checking, writing.

    python3 bench/bench_memory.py                      # N = 1000, 3998
    python3 bench/bench_memory.py --sizes 250 --work /tmp/mem
    python3 bench/bench_memory.py --step import        # import of a 汇总表 TSV of N projects
    python3 bench/bench_memory.py --step import-workbook   # import of a declarations workbook of N projects

``--step import`` writes the N projects as a 汇总表 TSV export (bench/synth.py)
and runs what ``xltargets import decl.tsv -o declarations.xlsm`` runs
(:func:`xltargets.pipeline.import_declarations`: the TSV read and its forms
counted, then each project read, written and let go), printing the peak after
the imports, once the TSV is read and counted (before the first sheet) and at
the end; the sheet's row limit is raised for
it (3,998 projects are ~120,000 TSV rows, over the 100,000 a sheet may have).
``--step import-workbook`` imports the declarations workbook ``consolidate``
reads (below) into ``imported.xlsm``: a workbook source, its sheets made into
grids as they are come to.

For each N it writes a synthetic declarations workbook (bench/synth.py, N
projects × 15 indicators; 3,998 is the most projects one workbook may hold:
4,000 sheets with 填写说明 and the lists) — or, with ``--files K``, a folder of
K workbooks of N/K projects each — then runs, in a fresh process, what
``xltargets consolidate`` runs (:func:`xltargets.pipeline.consolidate` of the
file or folder, ``keep=False``: read, checked and laid out file by file) and
prints the process's peak resident memory (``ru_maxrss``) after the imports and
at the end (docs/bench.md, "Memory", says what grows). The workbooks are
written by another process: a child started from a large parent inherits the
parent's peak as its own ``ru_maxrss`` on Linux. Only packages from
pyproject.toml are needed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for p in (ROOT / "src", BENCH):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def _mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(n: int, work: Path) -> dict:
    from run import _allow_sheets

    _allow_sheets(n)
    import importlib

    from xltargets.pipeline import consolidate

    importlib.import_module("xltargets.consolidate.run")  # the writers' imports count as imports

    out = {"imports": _mb()}
    start, cpu = time.perf_counter(), time.process_time()
    src = work / "forms" if (work / "forms").is_dir() else work / "declarations.xlsm"
    done = consolidate([src], work / "汇总表.xlsx", force=True, cwd=work, keep=False)
    out.update(end=_mb(), seconds=time.perf_counter() - start, cpu=time.process_time() - cpu,
               projects=done.projects, findings=len(done.findings))
    return out


def _child_import(n: int, work: Path, source: str = "decl.tsv", output: str = "imported.xlsm") -> dict:
    import importlib

    from run import _allow_sheets

    _allow_sheets(n)
    from xltargets.importing.limits import LIMITS

    LIMITS["rows"] = max(LIMITS["rows"], 40 * n)  # the TSV holds every project's rows in one sheet
    LIMITS["cells"] = max(LIMITS["cells"], 240 * n)
    LIMITS["total_cells"] = max(LIMITS["total_cells"], 240 * n)
    from xltargets.pipeline import import_declarations

    importlib.import_module("xltargets.workbook.build")  # the writer's imports count as imports
    out = {"imports": _mb()}

    def progress(done, total, what):
        if what == "写入项目表" and done == 0:  # the TSV read and its forms counted; nothing written yet
            out["read"] = _mb()

    start, cpu = time.perf_counter(), time.process_time()
    result = import_declarations([work / source], work / output, progress=progress)
    out.update(end=_mb(), seconds=time.perf_counter() - start, cpu=time.process_time() - cpu,
               projects=result.projects)
    return out


def _prepare(n: int, files: int, work: Path) -> None:
    """N synthetic projects in one declarations workbook, or in a folder of *files* workbooks."""
    import synth
    from xltargets.workbook.build import build_workbook

    decl = synth.declaration(n)
    if files <= 1:
        build_workbook(decl, work / "declarations.xlsm")
        return
    (work / "forms").mkdir(parents=True, exist_ok=True)
    size = -(-n // files)
    for k in range(files):
        part = decl.model_copy(update={"projects": decl.projects[k * size:(k + 1) * size]})
        build_workbook(part, work / "forms" / f"{k + 1:02d}.xlsm")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,3998", help="numbers of projects, comma-separated (at most 3998)")
    p.add_argument("--work", type=Path, help="keep the generated workbooks in this folder (and reuse them)")
    p.add_argument("--files", type=int, default=1, help="split the N projects into this many workbooks in a folder")
    p.add_argument("--step", choices=("consolidate", "import", "import-workbook"), default="consolidate",
                   help="the command measured")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        if args.step == "import-workbook":
            print(json.dumps(_child_import(args.n, args.child, "declarations.xlsm", "imported.xlsm")))
        else:
            print(json.dumps((_child_import if args.step == "import" else _child)(args.n, args.child)))
        return 0
    if args.prepare:
        if args.step == "import":
            import synth

            synth.write_tsv(synth.declaration(args.n), args.prepare / "decl.tsv")
        else:
            _prepare(args.n, args.files, args.prepare)
        return 0
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if not sizes or max(sizes) > 3998 * args.files or min(sizes) < 1:
        p.error("sizes from 1 to 3998 a workbook (4,000 sheets)")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    imp = args.step.startswith("import")
    print(f"{'N':>6} {'files':>5} {'imports MB':>11} " + (f"{'read MB':>8} " if imp else "")
          + f"{'end MB':>8} {'seconds':>8} {'CPU s':>7}")
    with tempfile.TemporaryDirectory(prefix="xlt-mem-") as tmp:
        base = args.work or Path(tmp)
        for n in sizes:
            work = base / (f"n{n}" if args.files <= 1 else f"n{n}x{args.files}")
            ready = (work / "decl.tsv").exists() if args.step == "import" else (
                (work / "declarations.xlsm").exists() or (work / "forms").is_dir())
            if not ready:
                print(f"N={n}: writing the input (not measured) …", file=sys.stderr, flush=True)
                work.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, str(Path(__file__).resolve()), "--prepare", str(work), "--n", str(n),
                                "--files", str(args.files), "--step", args.step], check=True, env=env)
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(work), "--n", str(n),
                                   "--step", args.step], capture_output=True, text=True, env=env, cwd=str(work))
            if proc.returncode != 0:
                raise SystemExit(f"N={n} failed:\n{proc.stdout}\n{proc.stderr}")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{n:>6} {args.files:>5} {r['imports']:>11.0f} " + (f"{r['read']:>8.0f} " if imp else "")
                  + f"{r['end']:>8.0f} {r['seconds']:>8.1f} {r['cpu']:>7.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
