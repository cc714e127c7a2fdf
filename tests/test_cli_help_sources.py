"""Help texts and the README's command table say what the commands really take and read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.cli.commands import COMMANDS

HELP_COMMANDS = [[name] for name, _, _ in COMMANDS] + [["addin", s] for s in ("build", "install", "status", "remove")]


def run(*args):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("command", ["check", "dump", "import", "consolidate", "rollover", "diff"])
def test_help_names_every_kind_of_source_it_reads(command):
    """Each of these reads PDFs and CSV too (issue 16): the help says so."""
    text = run(command, "-h").stdout
    assert "PDF" in text, text
    if command not in ("rollover", "diff"):
        assert "CSV" in text, text


@pytest.mark.parametrize("args", HELP_COMMANDS, ids=" ".join)
def test_help_does_not_refer_a_command_to_itself(args):
    text = run(*args, "-h").stdout
    assert f"与 {args[0]} 命令相同" not in text, text


README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SUBCOMMANDS = {"addin": ("build", "install", "status", "remove"), "wps": ("install", "status", "remove")}


def _options(*args) -> set[tuple[str, str]]:
    """(short, long) of each option in the help ('' where there is no short one)."""
    text = run(*args, "-h").stdout
    return set(re.findall(r"^  (?:(-\w), )?(--[a-z][a-z-]*)", text, re.M)) - {("-h", "--help")}


@pytest.mark.parametrize("name", [name for name, _, _ in COMMANDS])
def test_readme_table_row_names_every_option(name):
    """The README's command table is where users look first: an option missing there is an option they never find."""
    (row,) = [ln for ln in README.splitlines() if ln.startswith(f"| `xltargets {name}")]
    options = set().union(*(_options(name, sub) for sub in SUBCOMMANDS[name])) if name in SUBCOMMANDS else _options(name)
    missing = sorted(long for short, long in options if not re.search(rf"`[^`]*({long}|{short or long})\b", row))
    assert not missing, f"README's row for {name} lacks {missing}"
