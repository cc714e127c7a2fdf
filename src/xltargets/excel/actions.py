"""The ribbon actions: each reads the workbook, calls one core function, writes the result.

Every action takes the ``Book`` and the text the ribbon asked the user for
(a project name, file paths separated by line breaks, an output path), so
it runs on desktop Excel and on xlwings' remote engine alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import xlwings as xw

from .. import actions as core
from ..pipeline import CheckReport, check_sheets
from . import adapter, marks
from .cells import book_sheets, write_rows
from .results import write_results

__all__ = ["ACTIONS", "validate", "new_project", "import_files", "consolidate", "export_pdf", "show_help"]

HELP_TEXT = (
    "xltargets：财政项目支出绩效目标申报表\n\n"
    "新建项目：按模板新建一张项目工作表。\n"
    "导入：把已有的汇总表或申报表导入为项目工作表。\n"
    "校验：检查所有项目工作表，问题单元格标色并加批注，结果见“校验结果”工作表。\n"
    "生成汇总表：把所有项目合成汇总表工作簿并打开。\n"
    "导出PDF：把汇总表导出为 PDF（需要安装 LibreOffice）。\n\n"
    "详细说明见 xltargets 源码中的 docs/addin.md。"
)


def _book_path(book: xw.Book) -> list[Path]:
    path = Path(book.fullname)
    return [path] if path.is_absolute() else []


def validate(book: xw.Book, _answer: str = "") -> CheckReport:
    """校验: mark offending cells, write 校验结果, summary in the status bar."""
    report = check_sheets(book_sheets(book), file=book.name)
    marks.apply_marks(book, report.findings)
    sheet = write_results(book, report)
    if report.findings:
        sheet.activate()
    adapter.show_status(book, core.status_line(report))
    return report


def _insert(book: xw.Book, rendered: core.RenderedSheets) -> None:
    if adapter.copy_sheets_from(book, rendered.path, rendered.names):
        return
    for name in rendered.names:  # engines without cross-book copy: the values only
        sheet = book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])
        write_rows(sheet, rendered.values[name])


def new_project(book: xw.Book, name: str) -> list[str]:
    """新建项目: an empty form from the template, named after the project."""
    with core.scratch_folder() as tmp:
        rendered = core.render_new_project(name, [s.name for s in book.sheets], Path(tmp))
        _insert(book, rendered)
    book.sheets[rendered.names[0]].activate()
    adapter.show_status(book, f"已新建项目工作表“{rendered.names[0]}”。")
    return rendered.names


def import_files(book: xw.Book, paths: str) -> list[str]:
    """导入: the forms of the chosen files as new project sheets."""
    files = [Path(p) for p in paths.split("\n") if p.strip()]
    with core.scratch_folder() as tmp:
        rendered, findings = core.render_imported(files, [s.name for s in book.sheets], Path(tmp))
        _insert(book, rendered)
    notes = f"；导入时有 {len(findings)} 条提示，运行“校验”查看" if findings else ""
    adapter.show_status(book, f"已导入 {len(rendered.names)} 个项目{notes}。")
    return rendered.names


def consolidate(book: xw.Book, output: str) -> Path:
    """生成汇总表: the 汇总表 workbook of this book's projects, then open it."""
    out = core.write_summary(book_sheets(book), Path(output), file=book.name, inputs=_book_path(book))
    adapter.show_status(book, f"已生成汇总表“{out}”。")
    adapter.open_workbook(book, out)
    return out


def export_pdf(book: xw.Book, output: str) -> Path:
    """导出PDF: the printed 汇总表 as PDF."""
    out = core.write_summary_pdf(book_sheets(book), Path(output), file=book.name, inputs=_book_path(book))
    adapter.show_status(book, f"已导出 PDF“{out}”。")
    return out


def show_help(book: xw.Book, _answer: str = "") -> None:
    """帮助."""
    book.app.alert(HELP_TEXT, title="xltargets 帮助")


#: tag (customUI.xml) → action
ACTIONS: dict[str, Callable[[xw.Book, str], object]] = {
    "new_project": new_project,
    "import": import_files,
    "validate": validate,
    "consolidate": consolidate,
    "export_pdf": export_pdf,
    "help": show_help,
}
