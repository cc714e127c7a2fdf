"""``xltargets import``: the declarations workbook, one sheet per project, from forms or a 汇总表."""

from __future__ import annotations

from pathlib import Path

from .output import out

DESCRIPTION = "导入申报表，生成每个项目一张工作表的申报工作簿（带下拉列表和自动校验）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("sources", nargs="+", type=Path, metavar="文件", help="申报表/汇总表：xlsx/xlsm/xlsb/xls/ods 工作簿、TSV/CSV 文本、PDF 或文件夹")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="工作簿", help="要生成的申报工作簿（.xlsm 或 .xlsx）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    parser.add_argument("--vba-from", type=Path, metavar="文件", help="从这个 .xlsm（或 vbaProject.bin）取 VBA 工程")


def _ours_and_unchanged(output: Path) -> bool:
    """True when *output* is a workbook import wrote and nobody changed since (a rerun may replace it).

    Raises WorkbookError when import wrote it but it was changed: replacing it would lose that work.
    """
    from ..errors import WorkbookError
    from ..pipeline import unchanged_since_written

    try:
        if not output.is_file():
            return False
    except OSError:  # a name too long …: check_output_path says what is wrong
        return False
    state = unchanged_since_written(output)
    if state is False:
        raise WorkbookError(
            f"“{output}”是 xltargets 生成的申报工作簿，但生成后已被修改（项目、资金、目标或指标与生成时不同）；"
            "重新导入会覆盖这些修改，未做任何修改。",
            hint="用 -o 写到另一个文件；确认不需要这些修改时，加 --force 覆盖。",
            path=str(output), en=f"{output} was changed since xltargets wrote it; nothing was changed (use --force to replace it)",
        )
    return bool(state)


def _command_line(paths) -> str:
    """*paths* as the user would type them again (quoted where they hold a space)."""
    return " ".join(f'"{p}"' if any(c.isspace() for c in str(p)) else str(p) for p in paths)


def run(args) -> int:
    from ..fileio import check_output_path, require_suffix
    from ..pipeline import import_declarations

    output = args.output
    if args.vba_from is not None:  # an .xlsx cannot hold the VBA asked for
        require_suffix(output, (".xlsm",), "带 --vba-from 宏的申报工作簿", why="（不要宏就去掉 --vba-from）")
    force = args.force or _ours_and_unchanged(output)
    check_output_path(output, force=force, inputs=args.sources)
    result = import_declarations(args.sources, output, vba_from=args.vba_from)
    out(f"已生成“{output}”：{result.projects} 个项目，{result.indicators} 条绩效指标。")
    if result.findings:  # about the files read (HTML removed, a file skipped …): checking the output does not show them
        out(f"导入时有 {len(result.findings)} 条提示，运行 xltargets check {_command_line(args.sources)} 查看。")
    return 0
