"""``xltargets diff``: what changed between last year's forms and this year's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .output import out, shown

DESCRIPTION = (
    "对比两份申报表（上年与本年，任意格式：工作簿、汇总表、PDF、文件夹）：新增/删除/更名的项目、"
    "资金变化（金额和百分比）、新增/删除的指标、指标值的变化（目标提高或降低）、目标文字的变化。"
)
EPILOG = "退出码：0 没有变化，1 有变化，2 输入无法读取或输出无法写入（未写入任何文件）。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("old", type=Path, metavar="上年", help="上年的申报工作簿、汇总表或 PDF（或文件夹）")
    parser.add_argument("new", type=Path, metavar="本年", help="本年的申报工作簿、汇总表或 PDF（或文件夹）")
    parser.add_argument("--json", dest="as_json", action="store_true", help="以 JSON 输出全部变化")
    parser.add_argument("-o", "--output", type=Path, metavar="工作簿", help="另存为“对比”工作簿（.xlsx，按变化着色，可直接打印）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def run(args) -> int:
    from ..diff import compare
    from ..diff.report import as_json, lines
    from ..fileio import check_output_path, require_suffix
    from ..pipeline import read_sources

    if args.output is not None:
        require_suffix(args.output, (".xlsx",), "对比工作簿")  # before the reading: a refused output costs nothing
        check_output_path(args.output, force=args.force, inputs=[args.old, args.new])
    old = read_sources([args.old]).declaration
    new = read_sources([args.new]).declaration
    comparison = compare(old, new)
    if args.as_json:
        data = as_json(comparison, old=str(args.old), new=str(args.new))
        sys.stdout.write(shown(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
    else:
        for line in lines(comparison, old_name=f"上年“{args.old.name}”", new_name=f"本年“{args.new.name}”"):
            out(line)
    if args.output is not None:
        from ..consolidate.comparison_sheet import write_comparison_workbook

        write_comparison_workbook(args.output, comparison)
        if not args.as_json:
            out(f"已写入对比工作簿“{args.output}”。")
    return 1 if comparison.changes else 0
