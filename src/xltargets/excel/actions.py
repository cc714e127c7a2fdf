"""The ribbon actions: each reads the workbook, calls one core function, writes the result.

Every action takes the ``Book`` and the text the ribbon asked the user for
(a project name, file paths separated by line breaks, an output path), so
it runs on desktop Excel and on xlwings' remote engine alike.

新建项目 and 导入 render their sheets into a scratch workbook and copy them
in; :func:`keep_whole` then makes every name those sheets use (the dropdown
lists, also reached through ``INDIRECT``) refer to this workbook, never to
the scratch file, which is deleted afterwards.

Adding a button: a line in addin/customUI.xml whose tag names the action,
and an entry in :data:`ACTIONS` (plus :data:`WRITES_BOOK` when it changes
the workbook); see docs/addin.md, "增加按钮".
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import xlwings as xw

from .. import actions as core
from ..helptext import HELP_TEXT
from ..pipeline import CheckReport, check_sheets
from . import adapter, marks
from .cells import book_sheets, write_rows
from .results import write_results

__all__ = [
    "ACTIONS",
    "WRITES_BOOK",
    "MARKS_CELLS",
    "validate",
    "new_project",
    "import_files",
    "consolidate",
    "export_pdf",
    "show_help",
    "new_year",
    "compare_last_year",
    "keep_whole",
    "HELP_TEXT",
]


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


def _external(refers_to: str | None, scratch: str) -> bool:
    """True when a name's definition reaches outside the workbook (another file, or the scratch workbook)."""
    text = refers_to or ""
    return "[" in text or scratch in text


def keep_whole(book: xw.Book, lists: core.ListNames, *, scratch: str) -> None:
    """Make the dropdown lists and every name the project sheets use refer to *book* itself.

    Adds the hidden lists sheet when the book has none; defines each missing
    name, and re-points one that refers to another file (what copying a sheet
    from the scratch workbook leaves); deletes sheet-level copies of names
    that still point at the scratch workbook *scratch* (its file name).
    """
    if lists.sheet not in [s.name for s in book.sheets]:
        sheet = book.sheets.add(name=lists.sheet, after=book.sheets[len(book.sheets) - 1])
        write_rows(sheet, lists.values)
        sheet.visible = False
    existing = {n.name: n for n in book.names}
    for name, refers_to in lists.names.items():
        current = existing.get(name)
        if current is None:
            book.names.add(name, refers_to)
        elif _external(current.refers_to, scratch):
            current.refers_to = refers_to
    for name in list(book.names):
        if name.name not in lists.names and scratch in (name.refers_to or ""):
            name.delete()


def _insert(book: xw.Book, rendered: core.RenderedSheets) -> None:
    scratch = rendered.path.name
    if rendered.lists is not None:
        keep_whole(book, rendered.lists, scratch=scratch)  # first: the copies then find the names here
    if not adapter.copy_sheets_from(book, rendered.path, rendered.names):
        for name in rendered.names:  # engines without cross-book copy: the values only
            sheet = book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])
            values = rendered.values[name]  # formulas as formulas; text that is no formula already quoted
            write_rows(sheet, values, formulas=range(max((len(r) for r in values), default=0)))
    if rendered.lists is not None:
        keep_whole(book, rendered.lists, scratch=scratch)  # again: whatever the copy brought along
    adapter.relink_to_self(book, rendered.path)


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
    notes = core.import_notes(findings)
    adapter.show_status(book, f"已导入 {len(rendered.names)} 个项目{notes}。")
    return rendered.names


def consolidate(book: xw.Book, output: str) -> Path:
    """生成汇总表: the 汇总表 workbook of this book's projects, then open it."""
    out = core.write_summary(book_sheets(book), Path(output), file=book.name, inputs=_book_path(book))
    adapter.show_status(book, f"已生成汇总表“{out}”。")
    adapter.open_workbook(book, out)
    return out


def export_pdf(book: xw.Book, output: str) -> Path:
    """导出PDF: the printed 汇总表 as PDF, with Excel's own export (LibreOffice where there is no Excel)."""
    out = Path(output)
    if adapter.is_desktop(book):
        with core.scratch_folder() as tmp:
            printable = core.printable_summary(book_sheets(book), out, Path(tmp), file=book.name, inputs=_book_path(book))
            adapter.print_to_pdf(book, printable, out)
    else:
        out = core.write_summary_pdf(book_sheets(book), out, file=book.name, inputs=_book_path(book))
    adapter.show_status(book, f"已导出 PDF“{out}”。")
    return out


def new_year(book: xw.Book, output: str) -> Path:
    """新年度: next year's declarations workbook from this one (xltargets rollover), then open it."""
    out = Path(output)
    source = _book_path(book)
    result = core.write_next_year(book_sheets(book), out, file=book.name, inputs=source)
    notes = f"；{len(result.findings)} 条提示：" + "；".join(f.message for f in result.findings) if result.findings else ""
    adapter.show_status(
        book, f"已生成 {result.declaration.year} 年度申报工作簿“{out}”，资金已清空，请重新填写{notes}。"
    )
    adapter.open_workbook(book, out)
    return out


def compare_last_year(book: xw.Book, paths: str) -> Path:
    """对比上年: the 对比 workbook of the chosen last year's file against this one, next to this workbook; opened."""
    from ..diff.report import summary_line

    import tempfile

    last = [Path(p) for p in paths.splitlines() if p.strip()]
    source = _book_path(book)
    # next to this workbook; an unsaved one has no folder: the temporary folder (the file stays open in Excel)
    folder = source[0].parent if source else Path(tempfile.gettempdir())
    out = core.comparison_path(folder, Path(book.name).stem)
    comparison = core.write_comparison(book_sheets(book), last, out, file=book.name)
    adapter.show_status(book, f"对比上年：{summary_line(comparison)}（“{out.name}”）")
    adapter.open_workbook(book, out)
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
    "new_year": new_year,
    "compare_last_year": compare_last_year,
    "help": show_help,
}

#: actions that change the open workbook (refused on a protected workbook; a note on a read-only one)
WRITES_BOOK = frozenset({"new_project", "import", "validate"})
#: actions that colour and annotate cells of the project sheets (refused on a protected sheet)
MARKS_CELLS = frozenset({"validate"})
