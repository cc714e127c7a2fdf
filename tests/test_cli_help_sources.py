"""Help texts say what the commands really read (checked against issue 16's PDF/CSV sources)."""

from __future__ import annotations

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
