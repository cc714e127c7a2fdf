"""argparse, in Chinese: the parser every command gets, and its usage errors.

argparse is the standard library's parser: it starts in a few milliseconds and every
text it prints can be given here. What cannot be passed as an argument (argparse's own
error sentences) is translated in :func:`translate`, sentence by sentence; a sentence
not in the table is shown as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from .output import columns, shown, width, wrap

__all__ = ["Parser", "translate", "positive_int", "usage_error", "EXIT_USAGE"]

EXIT_USAGE = 2

# argparse's error sentences (Python 3.11 to 3.13) and their Chinese
_SENTENCES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the following arguments are required: (.+)"), r"缺少参数 \1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数 \1"),
    (re.compile(r"argument (.+?): invalid choice: '?(.*?)'? \(choose from (.+)\)"), r"参数 \1 不能取“\2”，可选：\3"),
    (re.compile(r"invalid choice: '?(.*?)'? \(choose from (.+)\)"), r"不能取“\1”，可选：\2"),
    (re.compile(r"argument (.+?): expected one argument"), r"选项 \1 后面缺少它的值"),
    (re.compile(r"argument (.+?): expected at least one argument"), r"参数 \1 至少要有一个值"),
    (re.compile(r"argument (.+?): expected at most one argument"), r"参数 \1 最多只能有一个值"),
    (re.compile(r"argument (.+?): expected (\d+) arguments?"), r"参数 \1 需要 \2 个值"),
    (re.compile(r"argument (.+?): ignored explicit argument (.+)"), r"选项 \1 不接受值 \2"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), r"选项 \1 不能与 \2 同时使用"),
    (re.compile(r"argument (.+?): invalid (\S+) value: (.+)"), r"参数 \1 的值 \3 无效"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"选项 \1 不明确，可能是 \2"),
    (re.compile(r"one of the arguments (.+) is required"), r"必须给出 \1 之一"),
    (re.compile(r"argument (.+?): (.+)"), r"参数 \1：\2"),
]


def translate(message: str) -> str:
    """argparse's English error sentence in Chinese (unchanged when unknown)."""
    for pattern, chinese in _SENTENCES:
        if pattern.fullmatch(message):
            text = pattern.sub(chinese, message)
            if "可选：" in text:  # argparse's "'build', 'install'" as a Chinese list
                head, _, choices = text.partition("可选：")
                text = head + "可选：" + "、".join(c.strip(" '\"") for c in choices.split(","))
            return text
    return message


def usage_error(prog: str, message: str, usage: str = "") -> NoReturn:
    """Print a usage error (usage line, what is wrong, where to read more); exit 2."""
    if usage:
        sys.stderr.write(shown(usage if usage.endswith("\n") else usage + "\n"))
    sys.stderr.write(shown(f"错误：{message}。处理办法：运行“{prog} -h”查看用法。\n"))
    sys.stderr.flush()
    sys.exit(EXIT_USAGE)


def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number ≥ 1, refused in Chinese."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"“{text}”应为 1 或更大的整数")
    return value


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: help, usage and errors.

    Arguments are listed in two Chinese sections (参数 for positionals, 选项 for
    options) and aligned by display width (a Chinese character takes two columns);
    ``-h/--help`` is 显示本帮助并退出; a usage error prints the usage line and one
    Chinese sentence, and exits 2.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.zh_sections: dict[str, list[tuple[str, str]]] = {"参数": [], "选项": [], "命令": []}
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.help is not argparse.SUPPRESS:
            section = "选项" if action.option_strings else "参数"
            self.zh_sections[section].append((_left(action), action.help or ""))
        return action

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("metavar", "命令")
        kwargs.setdefault("parser_class", Parser)
        return _Subcommands(super().add_subparsers(**kwargs), self.zh_sections["命令"])

    def format_usage(self) -> str:
        return re.sub(r"^usage: ", "用法：", super().format_usage())

    def format_help(self) -> str:
        cols = min(columns(), 100)
        parts = [self.format_usage().rstrip("\n")]
        if self.description:
            parts.append("\n".join(wrap(self.description, cols)))
        for title, items in self.zh_sections.items():
            if items:
                parts.append(f"{title}：\n" + "\n".join(_rows(items, cols)))
        if self.epilog:
            parts.append("\n".join(wrap(self.epilog, cols)))
        return "\n\n".join(parts) + "\n"

    def error(self, message: str):  # noqa: D102 - argparse's hook for usage errors
        usage_error(self.prog, translate(message), self.format_usage())


class _Subcommands:
    """What ``add_subparsers`` returns: ``add_parser(name, help=...)``, the help also listed under 命令."""

    def __init__(self, action, items: list[tuple[str, str]]) -> None:
        self.action = action
        self.items = items

    def add_parser(self, name: str, *, help: str = "", run=None, **kwargs) -> Parser:  # noqa: A002
        """The subcommand's parser; *run*, when given, is the function the command runs (``args._run``)."""
        kwargs.setdefault("description", help + "。" if help else None)
        self.items.append((name, help))
        parser = self.action.add_parser(name, help=help, **kwargs)
        if run is not None:
            parser.set_defaults(_run=run)
        return parser


def _left(action) -> str:
    """How an argument is named in help: ``文件 ...``, ``-o, --output 工作簿``, ``--force``."""
    metavar = action.metavar if action.metavar is not None else action.dest.upper()
    if not action.option_strings:
        return f"{metavar} ..." if action.nargs in ("+", "*") else str(metavar)
    names = ", ".join(action.option_strings)
    return f"{names} {metavar}" if action.nargs != 0 else names


def _rows(items: list[tuple[str, str]], cols: int) -> list[str]:
    """Aligned two-column rows: a name, then its help wrapped in the right column."""
    left = min(max(width(name) for name, _ in items), 26) + 4
    lines: list[str] = []
    for name, text in items:
        body = wrap(text, cols, indent=" " * left) if text else [""]
        head = "  " + name
        if width(head) + 2 <= left:
            lines.append(head + " " * (left - width(head)) + body[0].lstrip(" "))
            lines.extend(body[1:])
        else:
            lines.append(head)
            lines.extend(body)
    return [line.rstrip() for line in lines]
