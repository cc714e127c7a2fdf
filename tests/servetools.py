"""Starting a real ``xltargets serve`` for the tests (a subprocess on a free port, its own HOME)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"(http://127\.0\.0\.1:(\d+)/)#token=([A-Za-z0-9_-]+)")


@dataclass
class Service:
    url: str  # http://127.0.0.1:PORT/
    port: int
    token: str
    home: Path
    process: subprocess.Popen
    line: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def api(self, path: str) -> str:
        return self.url.rstrip("/") + path


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(home)
    env["USERPROFILE"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("XLTARGETS_DEBUG", None)
    return env


@contextlib.contextmanager
def running_service(home: Path, *args: str, timeout: float = 60) -> Iterator[Service]:
    """``python -m xltargets serve --port 0`` with HOME=*home*; yields once it printed its URL line."""
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "serve.log", "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "xltargets", "serve", "--port", "0", *args],
        env=_env(home),
        cwd=str(home),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        encoding="utf-8",
    )
    found: list[str] = []

    def first_line():
        found.append(proc.stdout.readline())

    reader = threading.Thread(target=first_line, daemon=True)
    reader.start()
    reader.join(timeout)
    try:
        line = found[0] if found else ""
        m = LINE.search(line)
        if not m:
            proc.kill()
            proc.wait(10)
            raise AssertionError(f"xltargets serve did not print its URL: {line!r} {(home / 'serve.log').read_text()[:2000]}")
        yield Service(url=m.group(1), port=int(m.group(2)), token=m.group(3), home=home, process=proc, line=line)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        proc.stdout.close()
        log.close()


def need(tool: str, hint: str) -> str:
    """Path of *tool*; skips without it, fails under CI=true."""
    path = shutil.which(tool) or (tool if Path(tool).exists() else None)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} is required under CI=true but is not installed")
        pytest.skip(f"{tool} not installed: {hint}")
    return path


def cli_json(*args: str, cwd: Path = ROOT) -> object:
    """``xltargets ARGS`` (this checkout), its stdout as JSON."""
    out = subprocess.run(
        [sys.executable, "-m", "xltargets", *args], cwd=cwd, env=_env(Path.home()), capture_output=True, text=True, encoding="utf-8"
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)
