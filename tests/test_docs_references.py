"""The docs name tests and modules as proof: each one they name exists (a renamed or never-written test is a false claim)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
TEST_SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))


def _names(pattern: str) -> list[tuple[str, str]]:
    return sorted({(doc.name, m) for doc in DOCS for m in re.findall(pattern, doc.read_text(encoding="utf-8"))})


FILES = _names(r"\b(tests/[\w/]+\.py)\b")
TESTS = _names(r"\b(test_[a-z0-9_]+)\b(?![.*\w])")


@pytest.mark.parametrize(("doc", "path"), FILES, ids=[f"{d}:{p}" for d, p in FILES])
def test_named_test_file_exists(doc, path):
    assert (ROOT / path).is_file(), f"{doc} names {path}, which does not exist"


@pytest.mark.parametrize(("doc", "name"), TESTS, ids=[f"{d}:{n}" for d, n in TESTS])
def test_named_test_exists(doc, name):
    assert f"def {name}(" in TEST_SOURCES or (ROOT / "tests" / f"{name}.py").is_file(), f"{doc} names {name}, which no test defines"


def test_readme_counts_the_rules():
    from xltargets.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"({len(RULES)} numbered rules" in readme, re.search(r"\(\d+ numbered rules", readme)
