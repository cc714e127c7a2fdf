"""``xltargets`` at a real terminal: a pseudo-terminal of a set width (issue 13, points 10 and 12).

A pipe is not a terminal: these tests start the CLI in a pty (``os.openpty`` with the
window size set by ``TIOCSWINSZ``), as a person's terminal would run it, and read what
the screen shows.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata

import pytest

from xltargets.cli.output import width, wrap

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_in_pty(args: list[str], cols: int, rows: int = 50, env: dict | None = None) -> tuple[int, str]:
    """Run ``python -m xltargets ARGS`` with stdout and stderr on a pty of *cols* columns: (exit code, screen text)."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    environ.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "xltargets", *args], stdin=follower, stdout=follower, stderr=follower,
        env=environ, close_fds=True,
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the pty
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    code = proc.wait(timeout=30)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def squash(text: str) -> str:
    """Text without colours, line breaks and indentation: what a reader reads across lines."""
    return "".join(line.strip() for line in ANSI.sub("", text).splitlines())


@pytest.mark.parametrize("cols", [40, 80, 120], ids=lambda c: f"{c}-columns")
def test_every_finding_is_whole_at_a_terminal(seed_path, cols):
    findings = json.loads(
        subprocess.run(
            [sys.executable, "-m", "xltargets", "check", str(seed_path), "--json"],
            capture_output=True, text=True, encoding="utf-8",
        ).stdout
    )
    assert findings
    code, screen = run_in_pty(["check", str(seed_path)], cols)
    assert code == 1, screen
    assert screen.count("…") == sum(f["message"].count("…") for f in findings)  # nothing cut
    text = squash(screen)
    for f in findings:
        assert "".join(f["message"].split()) in "".join(text.split()), f["message"]
    # no line is wider than the terminal
    for line in ANSI.sub("", screen).splitlines():
        assert width(line) <= cols, line


def test_a_pipe_gets_one_line_a_finding(seed_path):
    proc = subprocess.run(
        [sys.executable, "-m", "xltargets", "check", str(seed_path)], capture_output=True, text=True, encoding="utf-8"
    )
    assert "\x1b[" not in proc.stdout
    assert re.search(r"^错误 XLT-E007 A18 项目“生殖健康咨询服务”缺少一级指标", proc.stdout, re.M)


@pytest.mark.parametrize(
    "text, cols",
    [
        pytest.param("项目“生殖健康咨询服务”缺少一级指标“效益指标”：每张申报表都必须有效益指标。", 20, id="chinese"),
        pytest.param("请把 ≥80.00(%) 改为 =80.00(%)，见 docs/rules.md 的 XLT-W013。", 16, id="mixed"),
        pytest.param("x" * 50, 12, id="one-long-word"),
        pytest.param("，。：" * 10, 10, id="only-punctuation"),
    ],
)
def test_wrap_loses_nothing_and_keeps_the_width(text, cols):
    lines = wrap(text, cols, indent="  ")
    assert all(width(line) <= cols for line in lines), lines
    assert "".join(line[2:] for line in lines).replace(" ", "") == text.replace(" ", "")
    assert not any(unicodedata.category(line[2:3]) == "Pe" for line in lines[1:] if line[2:3] in "）】」")


PROGRESS_CHILD = (
    "import sys\n"
    "import xltargets.cli.progress as p\n"
    "p.DELAY = 0; p.INTERVAL = 0\n"
    "from xltargets.cli import main\n"
    "main(sys.argv[1:])\n"
)


@pytest.mark.parametrize(
    "args, stages",
    [
        pytest.param(["check", "{seed}"], ["读取 0/1", "读取工作表 0/1", "校验项目 0/4", "校验项目 3/4"], id="check"),
        pytest.param(["import", "{seed}", "-o", "{out}.xlsm"], ["读取工作表 0/1", "写入项目表 3/4"], id="import"),
        pytest.param(["consolidate", "{seed}", "-o", "{out}.xlsx"], ["校验项目 3/4", "写入汇总表 3/4"], id="consolidate"),
    ],
)
def test_progress_at_a_terminal_then_erased(seed_path, tmp_path, args, stages):
    """Every long loop reports (files, sheets, projects checked, forms written); the line is erased at the end."""
    args = [a.format(seed=seed_path, out=tmp_path / "out") for a in args]
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRESS_CHILD, *args], stdin=follower, stdout=subprocess.PIPE, stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    stdout = proc.stdout.read().decode("utf-8")
    proc.stdout.close()
    proc.wait(timeout=60)
    screen = b"".join(chunks).decode("utf-8")
    drawn = [part.strip() for part in screen.split("\r") if part.strip()]
    for stage in stages:
        assert any(line.startswith(stage) for line in drawn), (stage, drawn)
    assert screen.rstrip(" ").endswith("\r") and not screen.split("\r")[-2].strip()  # erased
    assert "\r" not in stdout and "读取工作表" not in stdout


@pytest.mark.parametrize("command", ["check", "dump"])
def test_no_progress_in_a_pipe(seed_path, command):
    code = PROGRESS_CHILD  # even with no delay at all
    proc = subprocess.run(
        [sys.executable, "-c", code, command, str(seed_path)], capture_output=True, text=True, encoding="utf-8"
    )
    assert "\r" not in proc.stdout + proc.stderr
    assert "读取工作表" not in proc.stderr and "校验项目" not in proc.stderr


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(
    alphabet=st.sampled_from(list("项目指标值（）“”：；，。、≥≤=%() abcXYZ0123456789./-…") + ["\u3000", "\t"]),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, cols=st.integers(min_value=1, max_value=160), indent=st.sampled_from(["", "  ", "    "]))
def test_wrap_never_loses_a_character_nor_overflows(text, cols, indent):
    lines = wrap(text, cols, indent=indent)
    room = max(cols - width(indent), 8) + width(indent)
    assert all(width(line) <= room for line in lines), lines
    assert "".join(line[len(indent):] for line in lines).replace(" ", "") == "".join(text.split())
