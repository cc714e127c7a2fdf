"""What the CLI prints, and how: plain lines in a pipe, wrapped blocks at a terminal.

Only the CLI prints. Nothing here imports more than the standard library, so that
every command (and ``--version``) starts fast.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata

__all__ = ["out", "err", "is_terminal", "columns", "width", "wrap", "paint"]


#: set by a progress line while it is on the screen: erases it, so that printed text starts clean
before_print = None


def out(text: str = "") -> None:
    """One line (or several) on stdout."""
    if before_print is not None:
        before_print()
    print(text, file=sys.stdout, flush=True)


def err(text: str = "") -> None:
    """One line (or several) on stderr."""
    if before_print is not None:
        before_print()
    print(text, file=sys.stderr, flush=True)


def is_terminal(stream=None) -> bool:
    """True when ``stream`` (default stdout) is a terminal a person reads."""
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def columns(stream=None) -> int:
    """The terminal's width in columns (80 when it cannot be told)."""
    stream = sys.stdout if stream is None else stream
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        import shutil

        return shutil.get_terminal_size((80, 24)).columns


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width of ``text`` in terminal columns (a Chinese character takes two)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


# a Latin word, a number, a path or a code stays on one line where it fits;
# every other character (Chinese has no spaces) may end a line, except before a closing
# punctuation mark, which stays with the character before it, or after an opening one
_TOKEN = re.compile(
    r"\s+|[“‘（《「『【〈]*(?:[A-Za-z0-9_.,:;/\\\-+%()<>=≤≥~!?'\"]+|.)[）)\]；，。、：！？」』”’》〉】…]*", re.S
)


def wrap(text: str, cols: int, indent: str = "") -> list[str]:
    """Lines of at most ``cols`` columns, each starting with ``indent``; no character is lost.

    Lines break between any two Chinese characters, and between Latin words at spaces;
    a word longer than a line is broken by character.
    """
    room = max(cols - width(indent), 8)
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKEN.findall(" ".join(text.split())):
        w = width(token)
        if token.isspace():
            if used and used + 1 <= room:
                line, used = line + " ", used + 1
            continue
        if used + w > room and used:
            lines.append(line.rstrip())
            line, used = "", 0
        while w > room:  # a token longer than a whole line
            head, hw = "", 0
            for ch in token:
                cw = _char_width(ch)
                if hw + cw > room:
                    break
                head, hw = head + ch, hw + cw
            lines.append(head)
            token = token[len(head):]
            w = width(token)
        line, used = line + token, used + w
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return [indent + x for x in lines]


_COLOURS = {"red": "31", "yellow": "33", "green": "32", "bold": "1", "dim": "2"}


def paint(text: str, colour: str, stream=None) -> str:
    """``text`` in a colour at a POSIX terminal (not with NO_COLOR); unchanged elsewhere."""
    if os.environ.get("NO_COLOR") or os.name == "nt" or not is_terminal(stream):
        return text
    return f"\033[{_COLOURS[colour]}m{text}\033[0m"
