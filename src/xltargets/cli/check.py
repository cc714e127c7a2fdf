"""``xltargets check`` and ``xltargets dump``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List

import typer
from rich.table import Table

from ..findings import Finding
from ..model import Declaration
from ..pipeline import CheckReport, check_sources, read_sources
from ._app import EXIT_FINDINGS, EXIT_OK, app, console, handle_errors

__all__ = ["check", "dump", "declaration_json"]


def _group(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.project or "（整个文件）", []).append(f)
    return groups


def _where(f: Finding) -> str:
    if f.sheet and f.cell:
        return f"{f.sheet}!{f.cell}"
    return f.cell or f.sheet or ""


def _print_plain(findings: list[Finding]) -> None:
    for project, items in _group(findings).items():
        print(f"== {project}")
        for f in items:
            where = _where(f)
            print(f"{f.severity.label} {f.code} {where + ' ' if where else ''}{f.message}")


def _print_rich(findings: list[Finding]) -> None:
    for project, items in _group(findings).items():
        table = Table(title=project, title_justify="left", show_lines=False, expand=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("代码", no_wrap=True)
        table.add_column("位置", no_wrap=True)
        table.add_column("问题与修改方法")
        for f in items:
            style = "red" if f.is_error else "yellow"
            table.add_row(f"[{style}]{f.severity.label}[/{style}]", f.code, _where(f), f.message)
        console.print(table)


def _summary(report: CheckReport) -> str:
    return (
        f"共 {report.projects} 个项目、{report.indicators} 条绩效指标；"
        f"错误 {report.errors} 条，警告 {report.warnings} 条。"
    )


@app.command()
@handle_errors
def check(
    src: List[Path] = typer.Argument(..., help="申报表/汇总表：TSV 文本、xlsx/xlsm 工作簿或文件夹"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 数组输出全部问题"),
) -> None:
    """导入并校验申报表，按项目列出错误和警告。退出码：0 无错误，1 有错误，2 输入无法读取。"""
    report = check_sources(src)
    findings = report.findings
    if as_json:
        sys.stdout.write(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2) + "\n")
    else:
        if sys.stdout.isatty():
            _print_rich(findings)
            console.print(_summary(report))
        else:
            _print_plain(findings)
            print(_summary(report))
    raise typer.Exit(EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK)


def declaration_json(decl: Declaration) -> dict:
    """The declaration as plain JSON data, each indicator with its formatted ``value``."""
    data = decl.model_dump(mode="json")
    for pdata, project in zip(data["projects"], decl.projects):
        for idata, ind in zip(pdata["indicators"], project.indicators):
            idata["value"] = ind.value
    return data


@app.command()
@handle_errors
def dump(
    src: List[Path] = typer.Argument(..., help="申报表/汇总表：TSV 文本、xlsx/xlsm 工作簿或文件夹"),
) -> None:
    """把申报表读成 JSON 输出（项目、资金、绩效指标）。"""
    result = read_sources(src)
    sys.stdout.write(json.dumps(declaration_json(result.declaration), ensure_ascii=False, indent=2) + "\n")
