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
