"""What a file carries never drives the user's terminal: control characters are printed as ``\\uXXXX``.

A file's text (a cell quoted in «找到的是：…») or its name (a folder unzipped from an attachment) may hold
ESC sequences: ``ESC ] 52`` writes the terminal's clipboard (Windows Terminal, iTerm2, kitty, xterm),
``ESC ] 0`` its title, ``ESC [ 2J`` clears the screen; C1 controls (U+009B is a CSI) and the bidirectional
overrides (U+202E shows 申报表‮xslx.exe as 申报表exe.xlsx) likewise. Until session 8's attack pass they
reached the terminal as they were. Printed JSON keeps its value (``\\u009b`` is JSON's own escape).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xltargets.cli import app
from xltargets.cli.output import paint, shown
from xltargets.cli.testing import CliRunner

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # the clipboard: «echo pwned»
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _clean(text: str) -> bool:
    return not any(ch in text for ch in RAW)


def test_a_cell_quoted_in_a_message_cannot_write_the_clipboard(tmp_path):
    src = tmp_path / "通知.tsv"
    src.write_text(f"hello{OSC52}world\tx\n", encoding="utf-8")
    res = run("check", src)
    assert res.exit_code == 2
    assert _clean(res.stderr) and "hello\\u001b]52;c;ZWNobyBwd25lZA==\\u0007w" in res.stderr


def test_a_file_name_in_a_folder_cannot_set_the_title_or_clear_the_screen(tmp_path, seed_path):
    folder = tmp_path / "附件"
    folder.mkdir()
    (folder / "单位甲.tsv").write_bytes(seed_path.read_bytes())
    (folder / "b\x1b]0;pwned\x07\x1b[2J.xlsx").write_bytes(b"")
    res = run("check", folder)
    assert res.exit_code == 2
    assert _clean(res.stderr) and "b\\u001b]0;pwned\\u0007\\u001b[2J.xlsx" in res.stderr


@pytest.mark.parametrize("command", ["check", "check-json", "dump"])
def test_c1_controls_and_bidi_overrides_in_a_project_name_are_escaped_json_keeps_them(tmp_path, seed_path, command):
    name = "生殖\x9b2J健康\u202e咨询服务"
    src = tmp_path / "申报.tsv"
    src.write_text(seed_path.read_text(encoding="utf-8").replace("生殖健康咨询服务", name), encoding="utf-8")
    args = {"check": ["check", src], "check-json": ["check", "--json", src], "dump": ["dump", src]}[command]
    res = run(*args)
    assert res.exit_code in (0, 1), res.output
    assert _clean(res.stdout) and _clean(res.stderr)
    if command == "dump":
        assert json.loads(res.stdout)["projects"][0]["name"] == name
    elif command == "check-json":
        assert name in {f["project"] for f in json.loads(res.stdout)}
    else:
        assert "生殖\\u009b2J健康\\u202e咨询服务" in res.stdout


def test_our_own_colours_and_plain_text_pass_unchanged():
    text = "错误 XLT-E007 A18 项目“生殖健康咨询服务”缺少一级指标。\n\t第二行"
    assert shown(text) is text or shown(text) == text
    assert shown("\x1b[31m错误\x1b[0m") == "\x1b[31m错误\x1b[0m"
    assert shown("\x1b[8m隐藏\x1b[0m") == "\\u001b[8m隐藏\x1b[0m"  # only the colours paint() makes pass
    assert paint("错误", "red") in ("错误", "\x1b[31m错误\x1b[0m")
