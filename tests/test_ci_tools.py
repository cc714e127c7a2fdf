"""A test that needs an outside tool skips on a user's machine and fails under CI=true (.ci/run installs them all)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from servetools import need

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_tool_skips_for_a_user(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tool-xlt"):
        need("no-such-tool-xlt", "apt-get install it")


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        need("no-such-tool-xlt", "apt-get install it")


def test_no_test_skips_for_a_missing_program_by_itself():
    """``shutil.which(...)`` then ``pytest.skip`` ignores CI=true: such tests use ``need`` (or the soffice fixture)."""
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"which\([^)]*\)[^\n]*\n(?:[^\n]*\n){0,2}?[^\n]*pytest\.skip\(", text):
            offenders.append(f"{path.name}: {m.group(0).strip()[:80]}")
    assert not offenders, offenders


def test_ci_installs_the_programs_the_tests_need():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("libreoffice-calc-nogui", "poppler-utils", "fonts-wqy-zenhei", "chromium", "nodejs", "python3-uno"):
        assert re.search(rf"apt-get install [^\n]*\b{re.escape(package)}\b", run), package
