#!/usr/bin/env python3
"""Instructions of each stage of ``check`` against its calamine floor: deterministic on a busy machine.

    python bench/check_instructions.py --n 200          # needs valgrind; ~5 minutes at N = 200

CPU time on a shared 2-core machine moves by ±10 % from run to run; the number of
instructions does not. Each stage runs in a fresh interpreter under valgrind's
cachegrind, which follows the reader process (:mod:`xltargets.reader`) into its child, and
a stage is the difference between a run that stops after it and one that stops before it
(the interpreter's start and the imports cancel out): the file checks (``sources.classify``),
the reader process (its start, python-calamine reading every sheet, the values pickled),
the values received and made grids in this process, the forms, the rules. The floor is
python-calamine reading every cell in one process (``floors.read_all_cells``), less the
same interpreter importing python-calamine. Instructions leave out what memory costs (cache
misses, page faults), so CPU-time ratios (``bench/run.py --steps check``) are higher.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
STAGES = ("imports", "file checks", "grids", "forms", "rules")

#: one run, stopping after the stage given: argv = workbook, stage
_STAGE = """
import sys
from pathlib import Path
from xltargets import reader
from xltargets.importing import import_grids, sources
from xltargets.importing.limits import LIMITS
from xltargets.pipeline import _fewer_collections, merge_findings
from xltargets.rules import check_declaration
LIMITS["sheets"] = max(LIMITS["sheets"], 5000)
path, upto = Path(sys.argv[1]), {stages}.index(sys.argv[2])
with _fewer_collections():
    if upto >= 1:
        checked = sources.classify(path)
    if upto >= 2:
        grids = list(sources._workbook_grids(path, checked))
        child = reader._current  # ended by closing its input, not killed: valgrind writes its count
        if child is not None:
            child.proc.stdin.close()
            child.proc.wait()
            reader._current = None
    if upto >= 3:
        result = import_grids(grids, source=str(path))
    if upto >= 4:
        found = check_declaration(result.declaration)
        merge_findings([p.name for p in result.declaration.projects], result.findings, found)
""".format(stages=STAGES)

_FLOOR = """
import sys
sys.path.insert(0, {bench!r})
import floors, python_calamine
if sys.argv[2] == "read":
    floors.read_all_cells(sys.argv[1])
""".format(bench=str(BENCH))


def instructions(script: str, *args: str, work: Path) -> dict[str, int]:
    """Instructions of ``python -c script args`` under cachegrind: {command: count}, one per process."""
    out = work / "cg"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
         f"--cachegrind-out-file={out}/cg.%p", sys.executable, "-c", script, *args],
        check=True, capture_output=True, env=os.environ,
    )
    counts: dict[str, int] = {}
    for name in glob.glob(str(out / "cg.*")):
        command, total = "", 0
        for line in Path(name).read_text(errors="replace").splitlines():
            if line.startswith("cmd:"):
                command = line[4:].strip()
            elif line.startswith("summary:"):
                total = int(line.split()[1])
        counts[command] = counts.get(command, 0) + total
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=200, help="projects in the synthetic declarations workbook")
    p.add_argument("--work", type=Path, help="keep the generated files in this folder")
    args = p.parse_args(argv)
    if shutil.which("valgrind") is None:
        p.error("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="xlt-instr-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(BENCH))
        import synth

        tsv, book = work / "decl.tsv", work / "declarations.xlsm"
        synth.write_tsv(synth.declaration(args.n), tsv)
        subprocess.run([sys.executable, "-m", "xltargets", "import", str(tsv), "-o", str(book), "--force"],
                       check=True, capture_output=True)
        runs = {stage: instructions(_STAGE, str(book), stage, work=work) for stage in STAGES}
        floor = sum(instructions(_FLOOR, str(book), "read", work=work).values()) - sum(
            instructions(_FLOOR, str(book), "none", work=work).values())

    def parent(stage: str) -> int:
        return sum(n for cmd, n in runs[stage].items() if "xltargets.reader" not in cmd)

    child = max((n for cmd, n in runs["grids"].items() if "xltargets.reader" in cmd), default=0)
    parts = {
        "file checks (sources.classify)": parent("file checks") - parent("imports"),
        "reader process (start, calamine, values pickled)": child,
        "values received and made grids": parent("grids") - parent("file checks"),
        "forms": parent("forms") - parent("grids"),
        "rules": parent("rules") - parent("forms"),
    }
    print(f"check of a {args.n}-project declarations workbook, instructions (valgrind cachegrind):\n")
    print(f"| stage | instructions | × floor |\n|---|---:|---:|")
    for name, n in parts.items():
        print(f"| {name} | {n / 1e6:,.0f} M | {n / floor:.2f}× |")
    total = sum(parts.values())
    print(f"| **all** | **{total / 1e6:,.0f} M** | **{total / floor:.2f}×** |")
    print(f"| floor: calamine reading every cell, one process | {floor / 1e6:,.0f} M | 1× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
