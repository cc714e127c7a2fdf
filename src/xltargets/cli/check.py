"""``xltargets check``: import and validate, findings grouped by project.

In a pipe each finding is one line (``错误 XLT-E007 A18 message``), for grep and
scripts. At a terminal each finding is a block: its level, code and cell on one line,
then the whole message wrapped to the terminal's width by character, since Chinese
has no spaces to wrap at. No message is ever cut.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .app import EXIT_FINDINGS, EXIT_OK
from .output import columns, is_terminal, out, paint, shown, wrap

DESCRIPTION = "导入并校验申报表，按项目列出错误和警告。"
EPILOG = "退出码：0 无错误，1 有错误，2 输入无法读取。"

__all__ = ["configure", "run", "format_block", "format_plain", "several_files"]


def configure(parser) -> None:
    parser.add_argument("src", nargs="+", metavar="文件", help="申报表/汇总表：xlsx/xlsm/xlsb/xls/ods 工作簿、TSV/CSV 文本、PDF 或文件夹")
    parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 数组输出全部问题")


def _group(findings) -> dict:
    groups: dict = {}
    for f in findings:
        groups.setdefault(f.project or "（整个文件）", []).append(f)
    return groups


def _where(f, files: bool = False) -> str:
    """The cell as Excel writes a reference (``sheet!A1``); with *files*, the file too (``[book.xlsx]sheet!A1``)."""
    if f.sheet and f.cell:
        where = f"{f.sheet}!{f.cell}"
    else:
        where = f.cell or f.sheet or ""
    if files and f.file and where:
        where = f"[{Path(f.file).name}]{where}"
    return where


def several_files(findings) -> bool:
    """Do the findings come from more than one file (a folder, several sources)? Then each names its file."""
    return len({f.file for f in findings if f.file}) > 1


def format_plain(findings) -> list[str]:
    """One line a finding, under a ``== project`` line: the pipe format."""
    lines = []
    files = several_files(findings)
    for project, items in _group(findings).items():
        lines.append(f"== {project}")
        for f in items:
            where = _where(f, files)
            lines.append(f"{f.severity.label} {f.code} {where + ' ' if where else ''}{f.message}")
    return lines


def format_block(findings, cols: int) -> list[str]:
    """A block a finding at a terminal of ``cols`` columns: head line, then the message, wrapped."""
    lines = []
    files = several_files(findings)
    for project, items in _group(findings).items():
        lines.extend(paint(line, "bold") for line in wrap(f"== {project}", cols))
        for f in items:
            label = paint(f.severity.label, "red" if f.is_error else "yellow")
            lines.append(" ".join(x for x in (label, f.code, _where(f, files)) if x))
            lines.extend(wrap(f.message, cols, indent="    "))
        lines.append("")
    return lines


def summary(report) -> str:
    return (
        f"共 {report.projects} 个项目、{report.indicators} 条绩效指标；"
        f"错误 {report.errors} 条，警告 {report.warnings} 条。"
    )


def run(args) -> int:
    from ..reader import start

    start(args.src)  # the reader process starts while the pipeline imports
    from ..pipeline import check_sources
    report = check_sources(args.src, keep=False)  # only the findings and the counts are printed
    findings = report.findings
    if args.as_json:
        sys.stdout.write(shown(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2)) + "\n")
    elif is_terminal():
        cols = columns()
        out("\n".join([*format_block(findings, cols), *wrap(summary(report), cols)]))
    else:
        out("\n".join([*format_plain(findings), summary(report)]))
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK
