#!/usr/bin/env python3
"""Start-up of the command line against the interpreter's own start-up, in the same run.

    python bench/bench_startup.py            # 20 pairs each; writes bench/STARTUP.md
    python bench/bench_startup.py --runs 5 --out /tmp/STARTUP.md

Floor: ``python -c pass`` (the same interpreter, the same site-packages). Each command
runs as a whole process, alternated with the floor (floor, command, floor, command …),
so a change in the machine's load hits both; the ratio is taken pair by pair and the
median quoted, with the CPU time (user + system, from the children's rusage) next to the
wall time. Target (issue 14): ``xltargets --version`` ≤ 10× the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "pass"]
COMMANDS = {
    "xltargets --version": ["--version"],
    "xltargets -h": ["-h"],
    "xltargets check -h": ["check", "-h"],
    "xltargets consolidate -h": ["consolidate", "-h"],
}


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(args: list[str], runs: int) -> dict[str, float]:
    cmd = [sys.executable, "-m", "xltargets", *args]
    _run(FLOOR), _run(cmd)  # warm-up: the files in the page cache
    floors, cmds = [], []
    for _ in range(runs):
        floors.append(_run(FLOOR))
        cmds.append(_run(cmd))
    return {
        "wall": statistics.median(w for w, _ in cmds),
        "cpu": statistics.median(c for _, c in cmds),
        "floor_wall": statistics.median(w for w, _ in floors),
        "floor_cpu": statistics.median(c for _, c in floors),
        "ratio_wall": statistics.median(c[0] / f[0] for c, f in zip(cmds, floors)),
        "ratio_cpu": statistics.median(c[1] / f[1] for c, f in zip(cmds, floors) if f[1] > 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "STARTUP.md")
    opts = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    rows = []
    for name, args in COMMANDS.items():
        r = measure(args, opts.runs)
        rows.append((name, r))
        print(f"{name:28s} {r['wall'] * 1000:6.0f} ms wall ({r['ratio_wall']:.2f}x), "
              f"{r['cpu'] * 1000:6.0f} ms CPU ({r['ratio_cpu']:.2f}x); floor {r['floor_wall'] * 1000:.0f} ms wall, "
              f"{r['floor_cpu'] * 1000:.0f} ms CPU")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Start-up of the command line (bench/bench_startup.py)",
        "",
        f"{dt.date.today()}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; {opts.runs} pairs each, medians.",
        "Floor: `python -c pass`, alternated with each command; ratios pair by pair. Target: `--version` ≤ 10×.",
        "",
        "| command | wall | × floor (wall) | CPU | × floor (CPU) | floor wall | floor CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(
            f"| `{name}` | {r['wall'] * 1000:.0f} ms | {r['ratio_wall']:.2f}× | {r['cpu'] * 1000:.0f} ms | "
            f"{r['ratio_cpu']:.2f}× | {r['floor_wall'] * 1000:.0f} ms | {r['floor_cpu'] * 1000:.0f} ms |"
        )
    opts.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
