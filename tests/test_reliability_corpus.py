"""The bad-input corpus through the real CLI: the expected exit code and message, never a crash.

tests/corpus/cases.tsv lists each case; tests/corpus/make_corpus.py builds its
file. Every case runs as ``python -m xltargets …`` in its own process, so what
is checked is what a user sees: the exit code, a Chinese message, no
traceback, no Rust panic, no process killed by a bomb, and no file changed.
"""

from __future__ import annotations

import re

import pytest

from corpus.harness import CRASH_MARKS, case_ids, case_key, load_cases, run_cases, tree_hashes
from corpus.make_corpus import BUILDERS, build

CASES = load_cases()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    build(folder)
    return folder


@pytest.fixture(scope="session")
def corpus_before(corpus_dir):
    return tree_hashes(corpus_dir)


@pytest.fixture(scope="session")
def corpus_runs(request, corpus_dir, corpus_before, tmp_path_factory):
    """Run every selected case once, several processes at a time."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), type(CASES[0]))
    ]
    wanted = selected or CASES
    return run_cases(list({case_key(c): c for c in wanted}.values()), corpus_dir, tmp_path_factory.mktemp("runs"))


def _params():
    out = []
    for case, cid in zip(CASES, case_ids(CASES)):
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        out.append(pytest.param(case, id=cid, marks=marks))
    return out


def test_corpus_is_large_enough():
    """The issue asks for at least 40 cases; every file the table names is built (or deliberately missing)."""
    files = {c.file for c in CASES}
    assert len(CASES) >= 40 and len(files) >= 40
    assert files - set(BUILDERS) == {"missing.xlsx"}
    assert set(BUILDERS) - files == set(), "a corpus file no case uses"


@pytest.mark.parametrize("case", _params())
def test_case(case, corpus_runs):
    run = corpus_runs[case_key(case)]
    shown = f"\n$ xltargets {' '.join(run.args)}\n--- stdout\n{run.stdout[-3000:]}\n--- stderr\n{run.stderr[-3000:]}"
    for mark in CRASH_MARKS:
        assert mark not in run.text, f"crash output ({mark!r}){shown}"
    assert run.returncode == case.exit, f"exit {run.returncode}, expected {case.exit}{shown}"
    assert case.message in run.text, f"message {case.message!r} not shown{shown}"
    if case.exit == 2:
        # one clear Chinese line with a hint, on stderr, and nothing written
        assert run.stderr.startswith("错误："), shown
        assert "处理办法：" in run.stderr, shown
        assert not re.search(r"[A-Za-z]+Error\b", run.stderr), f"an exception name leaked{shown}"
    if case.exit != 0 or "--strict" in case.command:
        assert sorted(p.name for p in run.out.iterdir()) == [], f"files written by a failed run{shown}"
    else:
        leftovers = [p.name for p in run.out.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == [], f"temp files left behind{shown}"


def test_no_input_changed(corpus_runs, corpus_dir, corpus_before):
    """Every corpus file is byte-identical after all the commands ran on it, failed or not."""
    assert corpus_runs  # all cases ran
    assert tree_hashes(corpus_dir) == corpus_before
