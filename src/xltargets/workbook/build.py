"""The declarations workbook: 填写说明, one sheet per project, the hidden lists.

:func:`declaration_workbook` builds it in memory, :func:`add_project_sheet`
adds one more project to a workbook (new or loaded), :func:`save_workbook`
writes atomically, and :func:`build_workbook` does all three. A ``.xlsm``
carries a VBA project byte for byte (the shipped one, or another
workbook's with ``vba_from``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..fileio import atomic_write
from ..model import Declaration, Project
from .fastsave import save_fast
from .instructions import INSTRUCTIONS_SHEET, write_instructions, write_project_list
from .lists import LISTS_SHEET, ensure_lists
from .render import render_project
from .sheetnames import legal_sheet_name, unique_sheet_name
from .template import Template, load_template
from .vba import attach_vba, read_vba

__all__ = [
    "BLANK_ROWS",
    "FIXED_TIME",
    "build_workbook",
    "declaration_workbook",
    "add_project_sheet",
    "project_sheets",
    "save_workbook",
]

#: empty indicator rows left under each form for filling in
BLANK_ROWS = 5

#: document times written into generated workbooks (reproducible files)
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)


def project_sheets(wb: Workbook) -> list[Worksheet]:
    """The project sheets of a declarations workbook (all but 填写说明 and the lists)."""
    return [ws for ws in wb.worksheets if ws.title not in (INSTRUCTIONS_SHEET, LISTS_SHEET)]


def _refresh(wb: Workbook) -> None:
    if INSTRUCTIONS_SHEET in wb.sheetnames:
        write_project_list(wb, wb[INSTRUCTIONS_SHEET], [ws.title for ws in project_sheets(wb)])
    ensure_lists(wb)
    if LISTS_SHEET in wb.sheetnames:  # keep the hidden lists last
        ws = wb[LISTS_SHEET]
        wb.move_sheet(ws, len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    # VBA document modules are found by code name: give new sheets one, never rename
    used = {ws.sheet_properties.codeName for ws in wb.worksheets if ws.sheet_properties.codeName}
    n = 1
    for ws in wb.worksheets:
        if ws.sheet_properties.codeName:
            continue
        while f"Sheet{n}" in used:
            n += 1
        ws.sheet_properties.codeName = f"Sheet{n}"
        used.add(ws.sheet_properties.codeName)


def add_project_sheet(
    wb: Workbook,
    project: Project,
    *,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
    year: int | None = None,
    refresh: bool = True,
) -> Worksheet:
    """Render *project* into a new sheet (named after it) before the hidden lists.

    *refresh* rewrites the 填写说明 project list and the hidden lists (pass
    False when adding many projects, then call once at the end).
    """
    ws = _add_sheet(wb, project, wb.sheetnames, template=template, blank_rows=blank_rows, year=year)
    if refresh:
        _refresh(wb)
    return ws


def _add_sheet(
    wb: Workbook,
    project: Project,
    names: list[str],
    *,
    template: Template | None,
    blank_rows: int,
    year: int | None,
    taken: set[str] | None = None,
) -> Worksheet:
    """:func:`add_project_sheet` without the refresh; *names* are the sheet names (kept up to date).

    *taken* is the set of lower-cased names when the caller keeps one (many sheets in a row).
    """
    fallback = "项目"
    if not legal_sheet_name(project.name, fallback=""):  # the name gives no sheet name: number it
        fallback = f"项目{len(project_sheets(wb)) + 1}"
    title = unique_sheet_name(project.name, names, fallback=fallback, lowered=taken)
    ws = wb.create_sheet(title)
    if LISTS_SHEET in names:
        lists_at = names.index(LISTS_SHEET)
        wb.move_sheet(ws, lists_at - len(names))  # the new sheet was appended
        names.insert(lists_at, title)
    else:
        names.append(title)
    if taken is not None:
        taken.add(title.lower())
    if project.year is None and year is not None:
        project = project.model_copy(update={"year": year})
    render_project(ws, project, template=template or load_template(), blank_rows=blank_rows)
    return ws


def declaration_workbook(
    declaration: Declaration,
    *,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> Workbook:
    """The declarations workbook for *declaration*, in memory."""
    t = template or load_template()
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    write_instructions(ws, declaration)
    wb.properties.creator = "xltargets"
    year = f"{declaration.year}年度" if declaration.year else ""
    wb.properties.title = f"{declaration.organisation}{year}财政项目支出绩效目标申报"
    wb.properties.created = FIXED_TIME
    ensure_lists(wb)
    names = wb.sheetnames
    taken = {n.lower() for n in names}
    for project in declaration.projects:
        _add_sheet(wb, project, names, template=t, blank_rows=blank_rows, year=declaration.year, taken=taken)
    _refresh(wb)
    return wb


def save_workbook(wb: Workbook, path: str | Path, *, vba: bytes | None = None) -> Path:
    """Write *wb* to *path* atomically: ``.xlsm`` with VBA (given, kept, or the default), ``.xlsx`` without."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"输出文件“{path.name}”的扩展名应为 .xlsm 或 .xlsx。",
            hint="例如 -o declarations.xlsm。",
            path=str(path),
        )
    if suffix == ".xlsm":
        if vba is not None:
            attach_vba(wb, vba)
        elif wb.vba_archive is None:
            attach_vba(wb, read_vba())
    else:
        wb.vba_archive = None
    wb.properties.modified = FIXED_TIME
    atomic_write(path, lambda tmp: save_fast(wb, tmp))
    return path


def build_workbook(
    declaration: Declaration,
    path: str | Path,
    *,
    vba_from: Path | None = None,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> Path:
    """Write the declarations workbook of *declaration* to *path* (atomically).

    Does not check whether *path* exists: callers decide (see
    :func:`xltargets.fileio.check_output_path`).
    """
    wb = declaration_workbook(declaration, template=template, blank_rows=blank_rows)
    vba = read_vba(vba_from) if vba_from is not None and Path(path).suffix.lower() == ".xlsm" else None
    return save_workbook(wb, path, vba=vba)
