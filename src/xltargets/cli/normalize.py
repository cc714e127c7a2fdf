"""``xltargets normalize``: the canonical 指标值 written into a copy of the workbook, on request."""

from __future__ import annotations

from pathlib import Path

from .output import out

DESCRIPTION = (
    "把申报工作簿中写法不规范的指标值（如“不低于50%”“>=90%”）改为规范写法（“≥50(%)”），"
    "写入新的工作簿；原工作簿不变。导入和汇总始终保留原文，只有运行本命令才会改写。"
)
EPILOG = "退出码：0 已生成，2 输入无法读取或参数有误（未写入任何文件）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("workbook", type=Path, metavar="工作簿", help="申报工作簿（.xlsx/.xlsm）")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="工作簿", help="要生成的新工作簿（扩展名与原工作簿相同：.xlsm 或 .xlsx）")
    parser.add_argument("--dry-run", action="store_true", help="只列出将要改写的单元格，不写文件")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def run(args) -> int:
    from ..fileio import check_output_path
    from ..normalize import check_output, normalize_workbook, suggestions
    from ..pipeline import read_sources

    if not args.dry_run:  # a refused output costs no reading
        check_output(args.workbook, args.output)
    decl = read_sources([args.workbook]).declaration
    if args.dry_run:
        changes = suggestions(decl)
    else:
        check_output_path(args.output, force=args.force, inputs=[args.workbook])
        changes = normalize_workbook(args.workbook, args.output, decl)
    for ch in changes:
        out(f"{ch.sheet}!{ch.cell} “{ch.written}” → “{ch.canonical}”（{ch.project}）")
    if args.dry_run:
        out(f"共 {len(changes)} 个指标值可以改为规范写法（未写入文件）。")
    else:
        out(f"已生成“{args.output}”：{len(changes)} 个指标值改为规范写法。")
    return 0
