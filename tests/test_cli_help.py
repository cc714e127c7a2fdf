"""The CLI speaks Chinese: help, usage errors, ``--version``, ``-h`` (issue 13, point 11)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from xltargets.cli.commands import COMMANDS
from xltargets.cli.testing import CliRunner
from xltargets.cli import app
from xltargets.errors import InputError, WorkbookError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

# what argparse/click print when left untranslated, and Python types as placeholders
ENGLISH = re.compile(
    r"usage:|Usage|positional arguments|options:|Options|show this help|Show this message|"
    r"required|unrecognized|invalid|expected|Did you mean|No such|Missing|Error:|argument|"
    r"list\[|int range|<int|<path|PATH|TEXT|INTEGER"
)

def _every_command() -> list[list[str]]:
    """Every command and subcommand (``addin build``, ``wps install`` …), as found in their parsers."""
    from xltargets.cli.app import build_parser

    found = []
    for name, _, _ in COMMANDS:
        found.append([name])
        found.extend([name, sub] for sub, _ in build_parser(name).zh_sections["命令"])
    return found


HELP_COMMANDS = _every_command()


def run(*args):
    return runner.invoke(app, list(args))


def test_version_is_the_package_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for flag in ("--version", "-V"):
        res = run(flag)
        assert (res.exit_code, res.stdout) == (0, f"xltargets {version}\n")


@pytest.mark.parametrize("args", [[], ["-h"], ["--help"], ["help"]], ids=["no-args", "-h", "--help", "help"])
def test_top_help_lists_every_command_in_chinese(args):
    res = run(*args)
    assert res.exit_code == 0
    assert res.stdout.startswith("用法：xltargets")
    assert "命令：" in res.stdout and "选项：" in res.stdout and "显示版本号并退出" in res.stdout
    for name, _, summary in COMMANDS:
        assert re.search(rf"^  {name} +{re.escape(summary)}$", res.stdout, re.M), name
    assert not ENGLISH.search(res.stdout), ENGLISH.search(res.stdout)


@pytest.mark.parametrize("args", HELP_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_command_help_is_chinese(args, flag):
    res = run(*args, flag)
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert text.startswith(f"用法：xltargets {' '.join(args)}")
    assert "选项：\n  -h, --help" in text and "显示本帮助并退出" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    # every argument and option is explained
    for line in text.splitlines():
        if re.match(r"  -", line):
            assert re.search(r"\S  +\S", line.strip()), f"no help for {line!r}"


def test_help_shows_no_python_types():
    texts = [run(*args, "-h").stdout for args in HELP_COMMANDS]
    usage = "\n".join(t.splitlines()[0] for t in texts)
    assert not re.search(r"<[^>]*>|\[[a-z]+\]|Path|int|str\b", usage), usage


USAGE_ERRORS = [
    pytest.param(["chek", "x.tsv"], "没有命令“chek”。您是不是要找“check”？", id="unknown-command-with-guess"),
    pytest.param(["frobnicate"], "没有命令“frobnicate”。可用的命令：", id="unknown-command"),
    pytest.param(["--frob"], "无法识别的选项“--frob”", id="unknown-top-option"),
    pytest.param(["check"], "缺少参数 文件", id="missing-argument"),
    pytest.param(["import", "a.tsv"], "缺少参数 -o/--output", id="missing-option"),
    pytest.param(["check", "a.tsv", "--bogus"], "无法识别的参数 --bogus", id="unknown-option"),
    pytest.param(["new", "w.xlsm", "--name"], "选项 --name 后面缺少它的值", id="option-without-value"),
    pytest.param(["addin", "frob"], "参数 命令 不能取“frob”，可选：build、install、status、remove", id="unknown-subcommand"),
    pytest.param(["addin"], "缺少参数 命令", id="missing-subcommand"),
    pytest.param(["check", "--json=yes", "a.tsv"], "选项 --json 不接受值", id="flag-with-value"),
]


@pytest.mark.parametrize("args, message", USAGE_ERRORS)
def test_usage_errors_are_chinese(args, message):
    res = run(*args)
    assert res.exit_code == 2
    assert res.stdout == ""
    *usage, last = res.stderr.strip().splitlines()
    assert usage and usage[0].startswith("用法：xltargets")
    assert last.startswith("错误：") and message in last, last
    assert "处理办法：运行“xltargets" in last
    assert not ENGLISH.search(res.stderr), ENGLISH.search(res.stderr)


def test_usage_error_in_a_real_process():
    proc = subprocess.run(
        [sys.executable, "-m", "xltargets", "chek"], capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode == 2 and "您是不是要找“check”" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "error, line",
    [
        pytest.param(WorkbookError("写不进去。", hint="换个文件夹。"), "错误：写不进去。 处理办法：换个文件夹。", id="no-english-half"),
        pytest.param(
            InputError("读不了。", path="a.xlsx"), "错误：读不了。 | Error: cannot read the input: a.xlsx", id="english-names-the-file"
        ),
        pytest.param(
            InputError("太大。", en="a.xlsx has 120 MB"), "错误：太大。 | Error: a.xlsx has 120 MB", id="english-names-the-value"
        ),
    ],
)
def test_english_half_only_where_it_adds_a_fact(error, line):
    assert error.one_line() == line


STARTUP_CODE = (
    "import sys, runpy; sys.argv = ['xltargets', *{args!r}]\n"
    "try:\n    runpy.run_module('xltargets', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "heavy = ('pydantic', 'typer', 'click', 'rich', 'openpyxl', 'jinja2', 'python_calamine', 'xlsxwriter', 'lxml',"
    " 'xlwings', 'fastapi', 'uvicorn', 'pdfplumber', 'defusedxml', 'filelock')\n"
    "print('LOADED', ','.join(m for m in heavy if m in sys.modules))"
)


@pytest.mark.parametrize("args", [["--version"], ["-h"], *([*c, "-h"] for c in HELP_COMMANDS)], ids=" ".join)
def test_startup_imports_no_heavy_library(args):
    code = STARTUP_CODE.format(args=args)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED", out


@pytest.mark.parametrize("text, ok", [("1", True), ("12", True), ("0", False), ("-3", False), ("x", False)])
def test_positive_int(text, ok):
    import argparse

    from xltargets.cli.parser import positive_int

    if ok:
        assert positive_int(text) == int(text)
    else:
        with pytest.raises(argparse.ArgumentTypeError, match="整数"):
            positive_int(text)


def test_a_closed_pipe_ends_quietly(seed_path):
    """``xltargets check … | head -1``: no internal error, no traceback when the reader goes away."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "xltargets", "check", str(seed_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before anything is written
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    proc.wait(timeout=60)
    assert "内部错误" not in err and "Traceback" not in err and "Exception ignored" not in err


def test_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Commands"):readme.index("For example")]
    for name, _, _ in COMMANDS:
        assert f"`xltargets {name}" in table, name


@pytest.mark.parametrize("encoding", ["gbk", "cp936", "ascii"])
def test_a_narrow_output_encoding_never_crashes(seed_path, encoding, tmp_path):
    """A pipe on Chinese Windows writes GBK, which has no ✓ (addin status) and not every character of a form."""
    import json
    import os

    env = dict(os.environ, PYTHONIOENCODING=encoding, HOME=str(tmp_path))
    status = subprocess.run([sys.executable, "-m", "xltargets", "addin", "status"], capture_output=True, env=env)
    assert status.returncode in (0, 1), status.stderr.decode(encoding, "replace")
    assert b"\\u2713" in status.stdout or b"\\u2717" in status.stdout  # ✓/✗ escaped, not a crash
    dump = subprocess.run([sys.executable, "-m", "xltargets", "dump", str(seed_path)], capture_output=True, env=env)
    utf8 = subprocess.run(
        [sys.executable, "-m", "xltargets", "dump", str(seed_path)], capture_output=True,
        env=dict(env, PYTHONIOENCODING="utf-8"),
    )
    assert dump.returncode == 0
    assert json.loads(dump.stdout.decode(encoding)) == json.loads(utf8.stdout.decode("utf-8"))
