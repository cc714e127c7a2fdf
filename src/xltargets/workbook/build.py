"""The declarations workbook: 填写说明, one sheet per project, the hidden lists.

:func:`declaration_workbook` builds it in memory, :func:`add_project_sheet`
adds one more project to a workbook (new or loaded), :func:`save_workbook`
writes atomically, and :func:`build_workbook` does all three. A ``.xlsm``
carries a VBA project byte for byte (the shipped one, or another
workbook's with ``vba_from``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..fileio import atomic_write
from ..progress import report
from ..model import Declaration, Project
from .fastsave import save_fast, spool_sheet
from .instructions import INSTRUCTIONS_SHEET, write_instructions, write_project_list
from .lists import LISTS_SHEET, ensure_lists
from .render import lists_ready, prepare_styles, render_project
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


def _refresh(wb: Workbook, *, project_list: bool = True) -> None:
    if project_list and INSTRUCTIONS_SHEET in wb.sheetnames:
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


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection for a while: building a thousand sheets creates millions of
    objects that all stay alive, and each full collection would walk them all again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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


def _title(wb: Workbook, project: Project, names: list[str], taken: set[str] | None, count: int | None = None) -> str:
    """The sheet name :func:`add_project_sheet` gives *project*; *count* = project sheets so far (if known)."""
    fallback = "项目"
    if not legal_sheet_name(project.name, fallback=""):  # the name gives no sheet name: number it
        fallback = f"项目{(len(project_sheets(wb)) if count is None else count) + 1}"
    return unique_sheet_name(project.name, names, fallback=fallback, lowered=taken)


def _insert_name(names: list[str], taken: set[str] | None, title: str) -> None:
    """Record a new sheet's name where :func:`_add_sheet` puts the sheet (before the lists)."""
    if LISTS_SHEET in names:
        names.insert(names.index(LISTS_SHEET), title)
    else:
        names.append(title)
    if taken is not None:
        taken.add(title.lower())


def _add_sheet(
    wb: Workbook,
    project: Project,
    names: list[str],
    *,
    template: Template | None,
    blank_rows: int,
    year: int | None,
    taken: set[str] | None = None,
    title: str | None = None,
) -> Worksheet:
    """:func:`add_project_sheet` without the refresh; *names* are the sheet names (kept up to date).

    *taken* is the set of lower-cased names when the caller keeps one (many
    sheets in a row); *title* the sheet's name when already worked out.
    """
    if title is None:
        title = _title(wb, project, names, taken)
    ws = wb.create_sheet(title)
    if LISTS_SHEET in names:
        wb.move_sheet(ws, names.index(LISTS_SHEET) - len(names))  # the new sheet was appended
    _insert_name(names, taken, title)
    if project.year is None and year is not None:
        project = project.model_copy(update={"year": year})
    render_project(ws, project, template=template or load_template(), blank_rows=blank_rows)
    return ws


def declaration_workbook(
    declaration: Declaration,
    *,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
    stream: bool = False,
) -> Workbook:
    """The declarations workbook for *declaration*, in memory.

    With *stream*, each finished sheet is serialised at once to a temporary
    file and its cells let go (see :func:`.fastsave.spool_sheet`): for a big
    declaration that is then saved, the same file in a fraction of the
    memory. Such a workbook is good for saving only.
    """
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
    with gc_paused(), lists_ready(wb):
        if not stream:
            for i, project in enumerate(declaration.projects):
                report(i, len(declaration.projects), "写入项目表")
                _add_sheet(wb, project, names, template=t, blank_rows=blank_rows, year=declaration.year, taken=taken)
            _refresh(wb)
            return wb
        # the sheet names first: 填写说明 lists them, and it is written (ahead) before the project sheets;
        # its styles come after the form's in the style tables, as in a plain build
        if declaration.projects:
            prepare_styles(wb, t)
        titles = []
        planned, planned_taken = list(names), set(taken)
        for i, project in enumerate(declaration.projects):
            titles.append(_title(wb, project, planned, planned_taken, count=i))
            _insert_name(planned, planned_taken, titles[-1])
        write_project_list(wb, ws, titles)
        ws.sheet_properties.codeName = "Sheet1"  # what _refresh gives it
        spool_sheet(ws)
        for i, (project, title) in enumerate(zip(declaration.projects, titles)):
            report(i, len(titles), "写入项目表")
            sheet = _add_sheet(
                wb, project, names, template=t, blank_rows=blank_rows, year=declaration.year, taken=taken,
                title=title,
            )
            sheet.sheet_properties.codeName = f"Sheet{i + 2}"
            spool_sheet(sheet)
        _refresh(wb, project_list=False)
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
    wb = declaration_workbook(declaration, template=template, blank_rows=blank_rows, stream=True)
    vba = read_vba(vba_from) if vba_from is not None and Path(path).suffix.lower() == ".xlsm" else None
    return save_workbook(wb, path, vba=vba)
