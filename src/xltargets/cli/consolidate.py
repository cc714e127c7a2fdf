"""``xltargets consolidate``: every 申报表 into the 汇总表 workbook (and PDF)."""

from __future__ import annotations

from pathlib import Path

from .output import out

# the consolidation engine (openpyxl, the renderer) is imported when the command runs,
# so that every other command starts without it; these names only feed the help text
DEFAULT_SOURCE = "declarations.xlsm"
DEFAULT_OUTPUT = "汇总表.xlsx"

DESCRIPTION = ("把全部申报表汇总为汇总表工作簿（汇总表、指标明细、资金汇总、校验结果；"
               "自评表、部门整体支出绩效目标表各用自己的模板，各占一张工作表），可选输出 PDF。")
EPILOG = "退出码：0 成功；1 --strict 下有校验错误（未写入文件）；2 输入无法读取或输出无法写入。"

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument(
        "src", nargs="*", type=Path, metavar="文件",
        help=f"申报表工作簿、TSV/CSV 文本、PDF 或文件夹，可写多个；默认 ./{DEFAULT_SOURCE}",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="输出文件", help=f"输出的汇总表工作簿（.xlsx）；默认 ./{DEFAULT_OUTPUT}"
    )
    parser.add_argument("--pdf", action="store_true",
                        help="同时把各表（汇总表工作表，以及自评表、部门整体等各自的工作表）输出为 PDF（需要 LibreOffice）")
    parser.add_argument("--title", metavar="标题", help="汇总表标题；默认“<单位><年度>年度项目绩效目标汇总表”")
    parser.add_argument(
        "--template", action="append", default=[], metavar="[种类=]模板",
        help="用自己的模板排版汇总表，可写多次：模板文件夹（其中的 declaration.xlsx、self_assessment.xlsx、"
             "department.xlsx 分别替换申报表、自评表、部门整体的模板）；种类=文件（种类：申报表、自评表、部门整体）；"
             "只写文件则替换申报表模板。未给出的种类用随附的模板",
    )
    parser.add_argument("--strict", action="store_true", help="有校验错误时不生成任何文件，退出码 1")
    parser.add_argument("--force", action="store_true", help="覆盖不是由 xltargets 生成的同名输出文件")
    parser.add_argument(
        "--against", type=Path, action="append", default=[], metavar="上年",
        help="上年的申报表、汇总表或 PDF：汇总表工作簿增加“对比”工作表，列出与上年相比的变化",
    )


#: a file of a folder that was not read (importing.SKIPPED_CODE; a literal: the importer loads when the command runs)
SKIPPED = "XLT-W190"


def _money(value) -> str:
    return f"{value:z,.2f}"


def _total(totals: dict) -> str:
    """The 年度资金申请总额 in each unit the forms state (元 and 万元 are never added together: XLT-W111)."""
    from decimal import Decimal

    if len(totals) <= 1:
        unit = next(iter(totals), "元")
        return f"{_money(totals.get(unit, Decimal(0)))} {unit}"
    return " + ".join(f"{_money(v)} {u}" for u, v in totals.items()) + "（各表金额单位不同，未换算，见 XLT-W111）"


def _print_findings(findings) -> None:
    from .check import _where, several_files  # one way to name a cell (and its file, for a folder)

    files = several_files(findings)
    for f in findings:
        out(" ".join(x for x in (f.severity.label, f.code, f.project or "", _where(f, files), f.message) if x))


def _report(result) -> None:
    errors = len(result.errors)
    out(
        f"已写入 {result.output}：{result.projects} 个项目、{result.indicators} 条绩效指标，"
        f"年度资金申请总额 {_total(result.totals)}。"
    )
    if result.pdf is not None:
        out(f"已写入 {result.pdf}（汇总表的 PDF）。")
    if result.comparison is not None:
        from ..diff.report import summary_line

        out(f"对比上年（“对比”工作表）：{summary_line(result.comparison)}")
    for f in result.findings:
        if f.code == SKIPPED:  # what was not summed is said where the totals are
            out(f.message)
    if result.findings:
        out(f"校验：错误 {errors} 条，警告 {len(result.findings) - errors} 条，详见“校验结果”工作表。")
    else:
        out("校验：未发现问题。")


def run(args) -> int:
    from ..reader import start

    start(args.src)  # the reader process starts while the pipeline imports (no sources: the default folder)
    from ..consolidate import FindingsBlock
    from ..pipeline import consolidate

    try:
        result = consolidate(
            args.src or [], args.output, title=args.title, pdf=args.pdf, strict=args.strict, force=args.force,
            against=args.against, templates=args.template, keep=False,
        )
    except FindingsBlock as exc:
        _print_findings([f for f in exc.findings if f.is_error])
        raise
    _report(result)
    return 0
