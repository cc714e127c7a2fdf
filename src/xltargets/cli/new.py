"""``xltargets new``: add a project sheet to a declarations workbook."""

from __future__ import annotations

from pathlib import Path

from .output import out

DESCRIPTION = "在申报工作簿中添加一个项目表（按模板生成，可用 --like 复制已有项目）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("workbook", type=Path, metavar="工作簿", help="申报工作簿（.xlsm/.xlsx）；不存在时新建")
    parser.add_argument("--name", required=True, metavar="项目名称", help="新项目的项目名称")
    parser.add_argument("--like", metavar="项目", help="复制这个已有项目（项目名称或工作表名）的内容")
    parser.add_argument("-o", "--output", type=Path, metavar="工作簿", help="写到另一个文件（默认写回原工作簿）")
    parser.add_argument("--force", action="store_true", help="允许覆盖已存在的文件（包括写回原工作簿）")


def run(args) -> int:
    from ..errors import InputError, WorkbookError
    from ..fileio import check_output_path
    from ..importing import read_sources
    from ..model import Declaration
    from ..workbook.build import add_project_sheet, declaration_workbook, save_workbook
    from ..workbook.newproject import new_project, open_workbook

    workbook, name, like, output, force = args.workbook, args.name, args.like, args.output, args.force
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
        out(f"已新建“{target}”，含项目表“{name}”。")
        return 0
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
    out(f"已在“{target}”中添加项目表“{ws.title}”。")
    return 0
