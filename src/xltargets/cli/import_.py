"""``xltargets import``: the declarations workbook, one sheet per project, from forms or a 汇总表."""

from __future__ import annotations

from pathlib import Path

from .output import out

DESCRIPTION = "导入申报表，生成每个项目一张工作表的申报工作簿（带下拉列表和自动校验）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("sources", nargs="+", type=Path, metavar="文件", help="申报表/汇总表：TSV 文本、xlsx/xlsm/xls/ods 工作簿或文件夹")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="工作簿", help="要生成的申报工作簿（.xlsm 或 .xlsx）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    parser.add_argument("--vba-from", type=Path, metavar="文件", help="从这个 .xlsm（或 vbaProject.bin）取 VBA 工程")


def run(args) -> int:
    from ..fileio import check_output_path
    from ..pipeline import read_sources
    from ..workbook.build import build_workbook

    output = args.output
    check_output_path(output, force=args.force, inputs=args.sources)
    result = read_sources(args.sources)
    decl = result.declaration
    build_workbook(decl, output, vba_from=args.vba_from)
    out(f"已生成“{output}”：{len(decl.projects)} 个项目，{decl.indicator_count} 条绩效指标。")
    if result.findings:
        out(f"导入时有 {len(result.findings)} 条提示，运行 xltargets check {output} 查看。")
    return 0
