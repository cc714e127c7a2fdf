"""The CLI starts without the heavy engines: each command imports what it needs when it runs."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_cli_loads_no_engine():
    code = (
        "import sys, xltargets.cli; "
        "print(','.join(m for m in ('openpyxl', 'xlwings', 'jinja2', 'xltargets.consolidate', "
        "'xltargets.workbook') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_help_defaults_are_the_engines_defaults():
    from xltargets import consolidate as engine
    from xltargets.cli import consolidate as command

    assert (command.DEFAULT_SOURCE, command.DEFAULT_OUTPUT) == (engine.DEFAULT_SOURCE, engine.DEFAULT_OUTPUT)
