"""Running the real CLI on the bad-input corpus: shared by the reliability tests.

Each case runs ``python -m xltargets …`` in its own process (with a memory
cap, so a bomb that slipped through fails the test instead of the machine),
several at a time; results are cached for the session.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import queue
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parent.parent
CASES_TSV = CORPUS / "cases.tsv"

#: what must never reach a user
CRASH_MARKS = ("Traceback (most recent call last)", "stack backtrace", "panicked at", "memory allocation of", "内部错误")

#: a file name longer than any file system allows (255 bytes)
LONG_NAME = "申报表" * 90 + ".xlsx"
#: a --title over every limit (40,000 characters), and one with a control character
LONG_TITLE = "标" * 40000
CONTROL_TITLE = "上海市计划生育协会\x01汇总表"

#: memory cap of each CLI run (virtual address space)
MEMORY_CAP = 3 * 1024**3


@dataclass(frozen=True)
class Case:
    file: str
    command: str
    exit: int
    message: str
    xfail: str = ""

    @property
    def id(self) -> str:
        verb = self.command.split()[0]
        extra = "-strict" if "--strict" in self.command else ""
        extra += "-force" if "--force" in self.command else ""
        return f"{verb}{extra}:{self.file}"


@dataclass
class Run:
    case: Case
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    out: Path

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def load_cases(path: Path = CASES_TSV) -> list[Case]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    cases = [
        Case(r["file"], r["command"], int(r["exit"]), r["message"], (r.get("xfail") or "").strip())
        for r in reader
    ]
    keys = [case_key(c) for c in cases]
    assert len(set(keys)) == len(keys), "cases.tsv has the same case twice"
    return cases


def case_key(case: Case) -> str:
    return f"{case.file}|{case.command}|{case.message}"


def case_ids(cases: list[Case]) -> list[str]:
    """Readable, unique test ids: ``check:empty.xlsx``, a second one ``check:cell-types.xlsx#2``."""
    seen: dict[str, int] = {}
    out = []
    for c in cases:
        seen[c.id] = seen.get(c.id, 0) + 1
        out.append(c.id if seen[c.id] == 1 else f"{c.id}#{seen[c.id]}")
    return out


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    except (ImportError, ValueError, OSError):
        pass


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    env.pop("XLTARGETS_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["COLUMNS"] = "200"
    return env


def run_cli(args: list[str], *, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xltargets", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )


def case_args(case: Case, corpus: Path, out: Path) -> list[str]:
    return [
        a.replace("{file}", str(corpus / case.file))
        .replace("{out}", str(out))
        .replace("{longname}", LONG_NAME)
        .replace("{title40000}", LONG_TITLE)
        .replace("{titlectl}", CONTROL_TITLE)
        .replace("{corpus}", str(corpus))
        for a in shlex.split(case.command)
    ]


def run_case(case: Case, corpus: Path, out_root: Path, index: int, zygote: "Zygote | None" = None) -> Run:
    """One case: through a zygote's fork when given one, else as ``python -m xltargets``."""
    out = out_root / f"{index:03d}"
    out.mkdir(parents=True, exist_ok=True)
    args = case_args(case, corpus, out)
    if zygote is not None:
        code, stdout, stderr = zygote.run(args, out)
        return Run(case, args, code, stdout, stderr, out)
    proc = run_cli(args, cwd=out)
    return Run(case, args, proc.returncode, proc.stdout, proc.stderr, out)


ZYGOTE = CORPUS / "zygote.py"


class Zygote:
    """A process that has imported xltargets and forks one child per case (tests/corpus/zygote.py)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ZYGOTE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=cli_env(), text=True, encoding="utf-8",
        )

    def run(self, args: list[str], cwd: Path) -> tuple[int, str, str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"args": args, "cwd": str(cwd), "memory": MEMORY_CAP}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the zygote died (exit {self.proc.poll()}) running {args}")
        reply = json.loads(line)
        return reply["code"], reply["stdout"], reply["stderr"]

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)
        if self.proc.stdout:
            self.proc.stdout.close()


def use_zygotes() -> bool:
    """Fork from a warm process (fast) unless XLTARGETS_CORPUS_MODE=subprocess or there is no fork."""
    return hasattr(os, "fork") and os.environ.get("XLTARGETS_CORPUS_MODE", "fork") != "subprocess"


def run_cases(cases: list[Case], corpus: Path, out_root: Path) -> dict[str, Run]:
    workers = max(2, min(4, os.cpu_count() or 2))
    jobs: queue.Queue = queue.Queue()
    for i, c in enumerate(cases):
        jobs.put((i, c))
    results: dict[str, Run] = {}

    def work() -> None:
        zygote = Zygote() if use_zygotes() else None
        try:
            while True:
                try:
                    i, c = jobs.get_nowait()
                except queue.Empty:
                    return
                results[case_key(c)] = run_case(c, corpus, out_root, i, zygote)
        finally:
            if zygote is not None:
                zygote.close()

    with ThreadPoolExecutor(max_workers=min(workers, max(len(cases), 1))) as pool:
        for f in [pool.submit(work) for _ in range(min(workers, max(len(cases), 1)))]:
            f.result()
    return results


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under *folder* (relative path → digest)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out
