"""``xltargets rollover``: next year's declarations workbook from this year's forms."""

from __future__ import annotations

from pathlib import Path

from .output import out

DESCRIPTION = (
    "由本年度的申报工作簿、汇总表、PDF 或文件夹生成新年度的申报工作簿："
    "一次性/经常性项目的计划日期改到新年度，阶段性项目保留实施期间；标题和（年度）行改为新年度；"
    "资金默认清空（须重新申报），绩效指标和目标保持原样。"
)
EPILOG = "退出码：0 已生成，2 输入无法读取或参数有误（未写入任何文件）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    from .parser import positive_int

    parser.add_argument("sources", nargs="+", type=Path, metavar="文件", help="本年度的申报工作簿、汇总表（xlsx/xls/ods/TSV）、PDF 或文件夹")
    parser.add_argument("--year", type=positive_int, required=True, metavar="年份", help="新年度，如 2025")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="工作簿", help="要生成的新年度申报工作簿（.xlsm 或 .xlsx；输入中有 .xlsm 时须是 .xlsm，以保留宏）")
    parser.add_argument("--keep-funds", action="store_true", help="保留各项目的资金金额（默认清空，须重新申报）")
    parser.add_argument("--drop", action="append", default=[], metavar="项目名称", help="不带入新年度的项目（可写多次）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def run(args) -> int:
    from ..fileio import check_output_path
    from ..pipeline import read_sources
    from ..rollover import rollover
    from ..workbook.build import build_workbook, check_workbook_name
    from ..workbook.vba import macro_source
    from .new import WITHOUT_MACROS

    output = args.output
    check_workbook_name(output)
    vba = macro_source(output, args.sources, alternative=WITHOUT_MACROS)  # before reading: a refusal costs nothing
    check_output_path(output, force=args.force, inputs=args.sources)
    result = rollover(read_sources(args.sources).declaration, args.year, keep_funds=args.keep_funds, drop=args.drop)
    decl = result.declaration
    build_workbook(decl, output, vba_from=vba)
    out(f"已生成“{output}”：{args.year} 年度，{len(decl.projects)} 个项目，{decl.indicator_count} 条绩效指标。")
    if result.dropped:
        out(f"未带入的项目：{'、'.join(result.dropped)}。")
    out("资金已保留，请核对。" if args.keep_funds else "资金已清空，请在各项目表中重新填写。")
    for f in result.findings:
        out(f"{f.severity.label} {f.code} {f.message}")
    return 0
