"""``xltargets consolidate``: every 申报表 into the 汇总表 workbook (and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

# the consolidation engine (openpyxl, the renderer) is imported when the command runs,
# so that every other command starts without it; these names only feed the help text
DEFAULT_SOURCE = "declarations.xlsm"
DEFAULT_OUTPUT = "汇总表.xlsx"
from ..findings import Finding
from ._app import app, console, err_console, handle_errors

__all__ = ["consolidate_command"]


class _SourceProgress:
    """A rich progress bar over the sources: only on a terminal and for more than one file."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task = None

    def __call__(self, index: int, total: int, path: Path) -> None:
        if self._progress is None:
            if total < 2 or not err_console.is_terminal:
                return
            self._progress = Progress(
                TextColumn("读取申报表"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                console=err_console, transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=total)
        self._progress.update(self._task, completed=index, description=path.name)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _money(value) -> str:
    return f"{value:,.2f}"


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        where = "!".join(x for x in (f.sheet, f.cell) if x)
        console.print(
            f"{f.severity.label} {f.code} {f.project or ''} {where} {f.message}".replace("  ", " "), markup=False
        )


def _report(result) -> None:
    decl = result.declaration
    errors = len(result.errors)
    console.print(
        f"已写入 {result.output}：{len(decl.projects)} 个项目、{decl.indicator_count} 条绩效指标，"
        f"年度资金申请总额 {_money(decl.annual_total)} 元。",
        markup=False,
    )
    if result.pdf is not None:
        console.print(f"已写入 {result.pdf}（汇总表工作表的 PDF）。", markup=False)
    if result.findings:
        console.print(
            f"校验：错误 {errors} 条，警告 {len(result.findings) - errors} 条，详见“校验结果”工作表。",
            markup=False,
        )
    else:
        console.print("校验：未发现问题。", markup=False)


@app.command("consolidate")
@handle_errors
def consolidate_command(
    src: Optional[List[Path]] = typer.Argument(
        None, help=f"申报表工作簿、TSV 或文件夹，可写多个；默认 ./{DEFAULT_SOURCE}", show_default=False,
        metavar="SRC",
    ),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help=f"输出的汇总表工作簿（.xlsx）；默认 ./{DEFAULT_OUTPUT}", show_default=False,
        metavar="OUT",
    ),
    pdf: bool = typer.Option(False, "--pdf", help="同时把“汇总表”工作表输出为 PDF（需要 LibreOffice）"),
    title: Optional[str] = typer.Option(None, "--title", metavar="T", help="汇总表标题；默认“<单位><年度>年度项目绩效目标汇总表”"),
    strict: bool = typer.Option(False, "--strict", help="有校验错误时不生成任何文件，退出码 1"),
    force: bool = typer.Option(False, "--force", help="覆盖不是由 xltargets 生成的同名输出文件"),
) -> None:
    """把全部申报表汇总为汇总表工作簿（汇总表、指标明细、资金汇总、校验结果），可选输出 PDF。

    退出码：0 成功；1 --strict 下有校验错误（未写入文件）；2 输入无法读取或输出无法写入。
    """
    progress = _SourceProgress()
    from ..consolidate import FindingsBlock
    from ..pipeline import consolidate

    try:
        result = consolidate(src or [], output, title=title, pdf=pdf, strict=strict, force=force, progress=progress)
    except FindingsBlock as exc:
        progress.close()
        _print_findings([f for f in exc.findings if f.is_error])
        raise
    finally:
        progress.close()
    _report(result)
