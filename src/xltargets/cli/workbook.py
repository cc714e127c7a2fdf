"""``xltargets import`` and ``xltargets new``: write the declarations workbook."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..fileio import check_output_path
from ._app import app, console, handle_errors

__all__ = ["import_command", "new_command"]


@app.command("import")
@handle_errors
def import_command(
    sources: List[Path] = typer.Argument(..., help="申报表/汇总表：TSV 文本、xlsx/xlsm 工作簿或文件夹。"),
    output: Path = typer.Option(..., "-o", "--output", help="要生成的申报工作簿（.xlsm 或 .xlsx）。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件。"),
    vba_from: Optional[Path] = typer.Option(None, "--vba-from", help="从这个 .xlsm（或 vbaProject.bin）取 VBA 工程。"),
) -> None:
    """导入申报表，生成每个项目一张工作表的申报工作簿（带下拉列表和自动校验）。"""
    from ..importing import read_sources
    from ..workbook.build import build_workbook

    check_output_path(output, force=force, inputs=sources)
    result = read_sources(sources)
    decl = result.declaration
    build_workbook(decl, output, vba_from=vba_from)
    console.print(
        f"已生成“{output}”：{len(decl.projects)} 个项目，{decl.indicator_count} 条绩效指标。", markup=False
    )
    if result.findings:
        console.print(
            f"导入时有 {len(result.findings)} 条提示，运行 xltargets check {output} 查看。", markup=False
        )


@app.command("new")
@handle_errors
def new_command(
    workbook: Path = typer.Argument(..., help="申报工作簿（.xlsm/.xlsx）；不存在时新建。"),
    name: str = typer.Option(..., "--name", help="新项目的项目名称。"),
    like: Optional[str] = typer.Option(None, "--like", help="复制这个已有项目（项目名称或工作表名）的内容。"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写到另一个文件（默认写回原工作簿）。"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已存在的文件（包括写回原工作簿）。"),
) -> None:
    """在申报工作簿中添加一个项目表（按模板生成，可用 --like 复制已有项目）。"""
    from ..errors import InputError, WorkbookError
    from ..importing import read_sources
    from ..model import Declaration
    from ..workbook.build import add_project_sheet, declaration_workbook, save_workbook
    from ..workbook.newproject import new_project, open_workbook

    target = output or workbook
    if not workbook.exists():
        if like is not None:
            raise InputError(
                f"找不到工作簿“{workbook}”，无法复制其中的项目“{like}”。",
                hint="先用 xltargets import 生成申报工作簿，或去掉 --like。",
                path=str(workbook),
            )
        check_output_path(target, force=force)
        project = new_project(Declaration(), name)
        save_workbook(declaration_workbook(Declaration(projects=[project])), target)
        console.print(f"已新建“{target}”，含项目表“{name}”。", markup=False)
        return
    if output is None:
        if not force:
            raise WorkbookError(
                f"“{workbook}”已存在；添加项目表会改写它，未做任何修改。",
                hint="加 --force 在原工作簿中添加，或用 -o 新文件名 写到另一个文件。",
                path=str(workbook),
            )
    else:
        check_output_path(target, force=force, inputs=[workbook])
    existing = read_sources([workbook]).declaration
    project = new_project(existing, name, like)
    wb = open_workbook(workbook)
    ws = add_project_sheet(wb, project, year=existing.year)
    save_workbook(wb, target)
    console.print(f"已在“{target}”中添加项目表“{ws.title}”。", markup=False)
