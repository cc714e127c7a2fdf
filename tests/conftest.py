"""Shared fixtures. Test data lives in examples/ and tests/ (never outside the repository)."""

from __future__ import annotations

import os
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
