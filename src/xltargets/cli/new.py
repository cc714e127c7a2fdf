"""``xltargets new``: add a project sheet to a declarations workbook, or start a new one.

In place (no ``-o``) is what 填写说明 tells the user to do, so it needs no ``--force``:
the edit is locked, atomic, keeps the VBA byte for byte and writes through a symlink
(:mod:`xltargets.inplace`).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from .output import err, out

DESCRIPTION = "在申报工作簿中添加一个项目表（按模板生成，可用 --like 复制已有项目）；工作簿不存在时新建。"
EPILOG = (
    "在原工作簿中添加时会加锁：另一个 xltargets 正在修改同一工作簿时，本命令等它完成后再添加，两个项目都会保留。"
    "退出码：0 成功；2 输入或输出有问题（未做任何修改）。"
)

__all__ = ["configure", "run", "WITHOUT_MACROS"]

#: the end of the message refusing an .xlsm copied into an .xlsx: how to get one without macros on purpose
WITHOUT_MACROS = "；确实不要宏时，先生成 .xlsm，再用 xltargets import 转存为 .xlsx"


def _year(text: str) -> int:
    import argparse

    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"“{text}”不是年度，应写四位数字，如 {datetime.date.today().year + 1}")
    return int(text)


def configure(parser) -> None:
    parser.add_argument("workbook", type=Path, metavar="工作簿", help="申报工作簿（.xlsm/.xlsx）；不存在时新建")
    parser.add_argument("--name", required=True, metavar="项目名称", help="新项目的项目名称")
    parser.add_argument("--like", metavar="项目", help="复制这个已有项目（项目名称或工作表名）的内容")
    parser.add_argument(
        "--year", type=_year, metavar="年度",
        help=f"申报年度，如 {datetime.date.today().year + 1}；默认取工作簿中已有项目的年度，新工作簿默认为明年",
    )
    parser.add_argument("--unit", metavar="单位", help="实施单位（新工作簿也用作申报单位）；默认取工作簿中已有项目的单位")
    parser.add_argument("-o", "--output", type=Path, metavar="工作簿", help="写到另一个文件（默认写回原工作簿）；原工作簿是 .xlsm 时也须是 .xlsm，以保留宏")
    parser.add_argument("--force", action="store_true", help="与 -o 一起用：覆盖已存在的输出文件")


def _with(project, year, unit):
    update = {}
    if year is not None:
        update["year"] = year
    if unit is not None:
        update["unit"] = unit.strip()
    return project.model_copy(update=update) if update else project


def _can_create(args, target: Path) -> None:
    """Refuse, before anything is written or locked, a new workbook that cannot be made."""
    from ..errors import InputError
    from ..fileio import check_output_path
    from ..workbook.build import check_workbook_name

    if args.like is not None:
        raise InputError(
            f"找不到工作簿“{args.workbook}”，无法复制其中的项目“{args.like}”。",
            hint="先用 xltargets import 生成申报工作簿，或去掉 --like。",
            path=str(args.workbook),
        )
    check_workbook_name(target)
    check_output_path(target, force=args.force)


def _create(args, target: Path, shown: Path, check=None) -> int:
    from ..model import Declaration
    from ..workbook.build import build_workbook
    from ..workbook.newproject import new_project

    year = args.year if args.year is not None else datetime.date.today().year + 1
    unit = (args.unit or "").strip()
    project = _with(new_project(Declaration(), args.name), year, unit)
    if check is not None:
        check()
    build_workbook(Declaration(organisation=unit, year=year, projects=[project]), target)
    out(f"已新建“{shown}”，含项目表“{project.name}”（{year}年度）。")
    if args.year is None:
        out(f"年度默认为 {year}；要改用其他年度，删除该文件后加 --year 重新运行。")
    return 0


KEEP_HINT = (
    "在 Excel 或 WPS 中打开该工作簿，用“绩效目标”选项卡的“新建项目”按钮添加项目（由 Excel/WPS 保存，这些内容保留）；"
    "或先把这些内容移到另一个工作簿后重试。"
)


def _add(args, source: Path, target: Path, check=None) -> str:
    """Add the project sheet: read *source*, write *target*; *check* runs just before the write."""
    from ..pipeline import read_sources
    from ..workbook.build import add_project_sheet, save_workbook
    from ..workbook.newproject import new_project, open_workbook

    from ..progress import report

    from ..workbook.keeps import objects, require_kept

    existing = read_sources([source]).declaration
    project = _with(new_project(existing, args.name, args.like), args.year, args.unit)
    report(0, None, "打开工作簿")  # openpyxl loads every sheet: long for a big workbook
    before = objects(source)  # text boxes, form controls … that openpyxl does not keep
    wb = open_workbook(source)
    ws = add_project_sheet(wb, project, year=existing.year)
    if check is not None:
        check()
    report(0, None, "保存工作簿")
    save_workbook(wb, target, verify=lambda data: require_kept(source, before, data, hint=KEEP_HINT))
    return ws.title


def run(args) -> int:
    from ..fileio import check_output_path
    from ..inplace import edit_in_place

    workbook, output = args.workbook, args.output
    # os.path.exists: a name too long to exist is no workbook (Path.exists raised ENAMETOOLONG: «内部错误», exit 3)
    if output is not None and not os.path.exists(workbook):
        _can_create(args, output)
        return _create(args, output, output)
    if output is not None:
        from ..workbook.build import check_workbook_name
        from ..workbook.vba import macro_source

        check_workbook_name(output)
        macro_source(output, [workbook], alternative=WITHOUT_MACROS)  # an .xlsm's copy stays an .xlsm
        check_output_path(output, force=args.force, inputs=[workbook])
        title = _add(args, workbook, output)
        out(f"已在“{output}”中添加项目表“{title}”。")
        return 0
    from ..importing.sources import classify
    from ..workbook.newproject import require_workbook_name

    # an unreadable or unsafe workbook is refused before the lock file is made beside it
    if os.path.exists(workbook):
        require_workbook_name(workbook)
        classify(workbook)
    else:
        _can_create(args, workbook)
    # locked from here: a second `new` on the same workbook (even one still to be created) waits,
    # then adds its project to what the first one wrote
    with edit_in_place(workbook, on_wait=err, create=True) as edit:
        if edit.identity is None:
            return _create(args, edit.real, workbook, check=edit.unchanged)
        title = _add(args, edit.real, edit.real, check=edit.unchanged)
    out(f"已在“{workbook}”中添加项目表“{title}”。")
    return 0
