#!/usr/bin/env python3
"""Time and peak memory of `xltargets check` on each bomb of the bad-input corpus.

    PYTHONPATH=src python bench/bench_bad_inputs.py            # all corpus files
    PYTHONPATH=src python bench/bench_bad_inputs.py sparse-bomb.xlsx rows-1e6.xlsx

Each file is checked in a fresh process; the table shows wall time, the
process's peak resident memory (ru_maxrss) and the exit code. A plain
`python -c pass` start is printed first as the floor. docs/reliability.md
quotes a run of this script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus.make_corpus import BUILDERS, build  # noqa: E402


def measure(args: list[str]) -> tuple[float, float, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def main(names: list[str]) -> None:
    names = names or list(BUILDERS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, names)
        wall, mb, _ = measure([sys.executable, "-c", "import xltargets.cli"])
        print(f"{'(start-up: import xltargets.cli)':40} {wall:6.2f} s {mb:7.0f} MB")
        for name in names:
            path = folder / name
            size = path.stat().st_size if path.is_file() else 0
            wall, mb, code = measure([sys.executable, "-m", "xltargets", "check", str(path)])
            print(f"{name:40} {wall:6.2f} s {mb:7.0f} MB  exit {code}  ({size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
