"""Shared fixtures. Test data lives in examples/ and tests/ (never outside the repository)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "sh-jishengxie-2024-summary.tsv"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's soffice. Skips without it, but fails under CI=true."""
    from xltargets.libreoffice import find_soffice

    path = find_soffice()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice (soffice) is required under CI=true but is not installed")
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
    return path


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """This checkout's wheel (``pip wheel --no-deps``), built once a run: under ``-n auto`` the
    workers share it (the first builds it, under a file lock, into the run's common folder)."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # pytest-N/, common to this run's workers (each has pytest-N/popen-gwK)
    dist = shared / "wheel-dist"
    with FileLock(str(shared / "wheel-dist.lock")):
        if not list(dist.glob("xltargets-*.whl")):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "XLWINGS"))}
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                capture_output=True, text=True, env=env, timeout=600,
            )
            assert proc.returncode == 0, f"pip wheel failed\n{proc.stdout}\n{proc.stderr}"
    (found,) = dist.glob("xltargets-*.whl")
    return found


#: the test files that take longest (``--durations``; docs/testing.md): they start first, so that
#: under ``-n auto`` (pytest-xdist, one file per worker: ``--dist loadfile``) no worker is left
#: with a long file at the end while the others wait
LONGEST_FIRST = (
    "test_properties_reliability.py",
    "test_reliability_corpus.py",
    "test_pdf_import.py",
    "test_workbook_roundtrip.py",
    "test_serve_wheel.py",
    "test_addin_wheel.py",
    "test_bench_smoke.py",
    "test_workbook_libreoffice.py",
    "test_serve_http.py",
    "test_reliability_guarantees.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
