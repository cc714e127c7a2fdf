"""The core behind the ribbon buttons: plain sheets and paths in, results out. No xlwings.

Each ribbon action in ``xltargets.excel.actions`` reads the open workbook's
cells, calls exactly one function here (校验 calls
:func:`xltargets.pipeline.check_sheets` itself) and writes the result back. Reading,
checking and consolidating are the pipeline's (:mod:`xltargets.pipeline`):
校验 shows exactly the findings ``xltargets check`` prints.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .errors import InputError
from .findings import Finding
from .model import Project
from .pipeline import CheckReport, Sheet, check_sheets, consolidate, export_pdf, read_sources

__all__ = [
    "CheckReport",
    "RenderedSheets",
    "status_line",
    "import_notes",
    "write_summary",
    "write_summary_pdf",
    "printable_summary",
    "ListNames",
    "render_new_project",
    "render_imported",
    "scratch_folder",
    "write_next_year",
    "write_comparison",
    "comparison_path",
]


def status_line(report: CheckReport, *, marked: bool = True) -> str:
    """The status bar line after 校验.

    *marked*: the findings' cells were coloured and commented and the 校验结果 sheet written
    (校验 of the open workbook in Excel or WPS); False for files that were only read (files
    uploaded to the local service: they are never changed), whose line says only the counts.
    """
    if not report.findings:
        return "xltargets 校验完成：未发现问题。"
    counts = f"xltargets 校验完成：{report.errors} 个错误，{report.warnings} 个警告"
    if not marked:
        return counts + "。"
    return counts + "；有问题的单元格已标色并加批注，详见“校验结果”工作表。"


def import_notes(findings: Sequence, shown: int = 2) -> str:
    """What 导入 adds to its status line: the notes themselves (about the files read: 校验 of the workbook cannot show them)."""
    if not findings:
        return ""
    text = "；".join(f.message.rstrip("。") for f in findings[:shown])
    more = f"……（共 {len(findings)} 条）" if len(findings) > shown else ""
    return f"；导入时有 {len(findings)} 条提示：{text}{more}"


def write_summary(sheets: Sequence[Sheet], out: Path, *, file: str | None = None, inputs: Sequence[Path] = ()) -> Path:
    """The 汇总表 workbook of the open workbook's projects, written atomically to *out* (.xlsx)."""
    report = check_sheets(sheets, file=file)
    return consolidate(report, Path(out), inputs=inputs).output


def write_summary_pdf(sheets: Sequence[Sheet], out: Path, *, file: str | None = None, inputs: Sequence[Path] = ()) -> Path:
    """The printed 汇总表 (one form a page) of the open workbook's projects, as PDF via LibreOffice."""
    return export_pdf(check_sheets(sheets, file=file), Path(out), inputs=inputs)


def printable_summary(
    sheets: Sequence[Sheet], out: Path, folder: Path, *, file: str | None = None, inputs: Sequence[Path] = ()
) -> Path:
    """The 汇总表 workbook that Excel prints to the PDF *out*, written into *folder* (*out* checked first)."""
    from .consolidate.run import check_pdf_output, printable_workbook

    check_pdf_output(out, inputs=inputs)  # before the checking: a refused output costs nothing
    # a name no open workbook has: Excel cannot open two workbooks of the same name
    name = f"xltargets-print-{Path(folder).name}.xlsx"
    return printable_workbook(check_sheets(sheets, file=file).declaration, Path(out), Path(folder), inputs=inputs, name=name)


@dataclass(frozen=True)
class ListNames:
    """The dropdown lists every project sheet refers to by name, and the sheet that holds them.

    A project sheet's validations, conditional formats and check formulas use
    workbook-level names (``一级指标``, ``二级_产出指标`` …, some through
    ``INDIRECT``); each refers to a range of the hidden sheet :attr:`sheet`.
    """

    sheet: str
    values: list[list]
    #: name -> its definition inside the workbook, e.g. ``='下拉列表'!$A$2:$A$5``
    names: dict[str, str]


def _list_names(wb) -> ListNames:
    from .workbook.lists import LISTS_SHEET

    names = {name: "=" + defined.attr_text for name, defined in wb.defined_names.items()}
    values = [[cell.value for cell in row] for row in wb[LISTS_SHEET].iter_rows()]
    return ListNames(sheet=LISTS_SHEET, values=values, names=names)


@dataclass
class RenderedSheets:
    """Project sheets rendered from the template into a workbook file, ready to copy into the open book."""

    path: Path
    names: list[str]
    #: cell values of each sheet from A1, as ``Range.Formula`` takes them (for engines that cannot copy formatted
    #: sheets): formulas as formulas, text a spreadsheet would read as a formula, number or date behind an apostrophe
    values: dict[str, list[list]] = field(default_factory=dict)
    #: the names the sheets use, which must refer to the workbook they are copied into
    lists: ListNames | None = None


def _as_written(cell):
    """A rendered cell's value for ``Range.Formula``/``.Value`` (the type is lost on the way: a check formula and a
    text ``=10.00(所)``, or ``0012`` and 12, would otherwise read alike)."""
    from .text import looks_like_non_text

    value = cell.value
    if isinstance(value, str) and cell.data_type != "f" and (value[:1] == "'" or looks_like_non_text(value)):
        return "'" + value
    return value  # a date stays a date for xlwings; the service's JSON writes it as its ISO text


def _render(projects: Sequence[Project], taken: Sequence[str], folder: Path, *, year: int | None = None) -> RenderedSheets:
    from openpyxl import Workbook

    from .workbook.build import add_project_sheet
    from .workbook.lists import ensure_lists
    from .workbook.sheetnames import unique_sheet_name

    wb = Workbook()
    scratch = wb.active
    ensure_lists(wb)
    names: list[str] = []
    used = list(taken)
    for project in projects:
        ws = add_project_sheet(wb, project, year=year)
        ws.title = unique_sheet_name(ws.title, used + [s for s in wb.sheetnames if s != ws.title])
        used.append(ws.title)
        names.append(ws.title)
    wb.remove(scratch)
    path = folder / "xltargets-projects.xlsx"
    wb.save(path)
    values = {name: [[_as_written(cell) for cell in row] for row in wb[name].iter_rows()] for name in names}
    return RenderedSheets(path=path, names=names, values=values, lists=_list_names(wb))


def render_new_project(name: str, taken: Sequence[str], folder: Path) -> RenderedSheets:
    """One empty 申报表 for project *name*, its sheet named legally and apart from *taken*."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("项目名称为空，未新建项目。", hint="在弹出的对话框中输入项目名称。")
    return _render([Project(name=name)], taken, Path(folder))


def render_imported(paths: Sequence[Path], taken: Sequence[str], folder: Path) -> tuple[RenderedSheets, list[Finding]]:
    """The forms of *paths* (汇总表 or 申报表, TSV or workbooks) as project sheets, and the importer's findings."""
    result = read_sources(list(paths))
    decl = result.declaration
    return _render(decl.projects, taken, Path(folder), year=decl.year), result.findings


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for rendered sheets (the caller removes it). A file Excel or WPS still holds open
    (Windows: it cannot be deleted; an antivirus scanning it) stays behind rather than failing the request
    that removes the folder: the local service removes the oldest of its folders as it makes a new one."""
    return tempfile.TemporaryDirectory(prefix="xlt-sheets-", ignore_cleanup_errors=True)


# --------------------------------------------------------------------------- the annual cycle (新年度, 对比上年)


def write_next_year(sheets: Sequence[Sheet], out: Path, *, file: str | None = None, inputs: Sequence[Path] = ()):
    """新年度: next year's declarations workbook of the open workbook's projects (:func:`xltargets.rollover.rollover`).

    *inputs* is the open workbook's file (when saved): never overwritten, and an .xlsm's VBA goes into
    the new .xlsm; an .xlsx output of it is refused (:func:`~xltargets.workbook.vba.macro_source`).
    The new year is the year after the workbook's (the current year's next when it has none).
    Returns the :class:`~xltargets.rollover.RolloverResult`.
    """
    import datetime as dt

    from .fileio import check_output_path
    from .pipeline import read_sheets
    from .rollover import rollover
    from .workbook.build import build_workbook, check_workbook_name
    from .workbook.vba import macro_source

    out = Path(out)
    check_workbook_name(out)
    vba = macro_source(out, inputs)
    check_output_path(out, force=False, inputs=inputs)
    decl = read_sheets(sheets, file=file).declaration
    year = (decl.year or next((p.year for p in decl.projects if p.year), None) or dt.date.today().year) + 1
    result = rollover(decl, year)
    build_workbook(result.declaration, out, vba_from=vba)
    return result


#: the most bytes of the workbook's name kept in the 对比 workbook's: a file name has at most 255 (ext4; Windows: 255
#: UTF-16 units), and the prefix, a "(2)", ".xlsx" and the temporary name's decoration need the rest
_STEM_BYTES = 150


def comparison_path(folder: Path, stem: str) -> Path:
    """A free name for the 对比 workbook in *folder*: ``对比上年-<stem>.xlsx``, then ``…(2).xlsx`` …
    (a long *stem* shortened: a workbook named with 80 Chinese characters made a name past 255 bytes)."""
    import os

    while len(os.fsencode(stem)) > _STEM_BYTES:
        stem = stem[:-1]
    path = Path(folder) / f"对比上年-{stem}.xlsx"
    k = 2
    while path.exists():
        path = Path(folder) / f"对比上年-{stem}({k}).xlsx"
        k += 1
    return path


def write_comparison(sheets: Sequence[Sheet], last: Sequence[Path], out: Path, *, file: str | None = None):
    """对比上年: the 对比 workbook of last year's forms (*last*, any source) against the open workbook's.

    Returns the :class:`~xltargets.diff.Comparison`.
    """
    from .diff import compare
    from .consolidate.comparison_sheet import write_comparison_workbook
    from .pipeline import read_sheets

    old = read_sources(list(last)).declaration
    comparison = compare(old, read_sheets(sheets, file=file).declaration)
    write_comparison_workbook(Path(out), comparison)
    return comparison
