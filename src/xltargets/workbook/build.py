"""The declarations workbook: 填写说明, one sheet per project, the hidden lists.

:func:`build_workbook` writes a new one with XlsxWriter (made for writing new
files fast), atomically, its project sheets in batches of :data:`~.batched.BATCH`
(:mod:`.batched`: memory and open files bounded however many projects there are);
a ``.xlsm`` carries a VBA project byte for byte (the shipped one, or another
workbook's with ``vba_from``).
:func:`add_project_sheet` adds a project to an existing workbook loaded with
openpyxl (``xltargets new``), and :func:`save_workbook` writes that back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..fileio import atomic_write
from ..model import Declaration, Project
from ..progress import report
from .mark import mark
from .batched import prime, write_batched
from .instructions import (INSTRUCTIONS_SHEET, heading, instruction_formats, instructions_print_area,
                           write_instructions_xlsx, write_project_list)
from .layout import layout_form, plan_for
from .lists import LISTS_SHEET, ensure_lists, list_names, write_lists
from .render import render_project
from .sheetnames import legal_sheet_name, unique_sheet_name
from .template import Template, load_template
from .vba import attach_vba, read_vba
from .xlsxform import FormWriter

__all__ = [
    "BLANK_ROWS",
    "FIXED_TIME",
    "build_workbook",
    "write_declarations",
    "add_project_sheet",
    "project_sheets",
    "sheet_titles",
    "save_workbook",
    "write_xlsx",
]

#: empty indicator rows left under each form for filling in
BLANK_ROWS = 5

#: document times written into generated workbooks (reproducible files)
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"输出文件“{path.name}”的扩展名应为 .xlsm 或 .xlsx。",
            hint="例如 -o declarations.xlsm。",
            path=str(path),
        )
    return suffix


def write_xlsx(path: Path, fill, *, constant_memory: bool = False) -> None:
    """Make a new XlsxWriter workbook, let ``fill(workbook)`` write it, and store it at *path* (not atomic).

    The workbook never turns text into numbers, formulas or links. With
    *constant_memory* each row is written out once the next one starts
    (memory stays flat; rows must then be written in order). XlsxWriter's
    temporary files live in a folder removed afterwards, and the package is
    assembled in memory before it is written to *path*, so a failure half-way
    (a full disk, a bug) leaves neither temporary files nor an open zip behind.
    """
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="xltargets-", ignore_cleanup_errors=True) as tmpdir:
        workbook = xlsxwriter.Workbook(buf, {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "constant_memory": constant_memory, "tmpdir": tmpdir,
        })
        try:
            fill(workbook)
        except BaseException:
            # close what XlsxWriter opened (constant memory: a temporary file per sheet) into
            # the discarded buffer, so nothing is left open for the garbage collector to fail on
            with contextlib.suppress(Exception):
                workbook.close()
            raise
        try:
            workbook.close()
        except XlsxWriterException as exc:
            _writer_error(exc, path)
    with open(path, "wb") as fh:
        fh.write(buf.getbuffer())


def _writer_error(exc: Exception, path: Path) -> NoReturn:
    """An XlsxWriter failure as the user sees it: an OSError for the atomic writer, else a WorkbookError."""
    if exc.args and isinstance(exc.args[0], OSError):
        raise exc.args[0] from exc  # no space for temporary files: the atomic writer says so
    raise WorkbookError(f"无法写入“{Path(path).name}”：{exc}", hint="检查磁盘空间和文件夹权限后重试。",
                        path=str(path)) from exc


def sheet_titles(projects: list[Project], taken: list[str]) -> list[str]:
    """The sheet name of each project: legal, unique (ignoring case), numbered where the name gives none."""
    names = list(taken)
    lowered = {n.lower() for n in names}
    titles = []
    for i, project in enumerate(projects):
        fallback = "项目"
        if not legal_sheet_name(project.name, fallback=""):
            fallback = f"项目{i + 1}"
        title = unique_sheet_name(project.name, names, fallback=fallback, lowered=lowered)
        names.append(title)
        lowered.add(title.lower())
        titles.append(title)
    return titles


def write_declarations(
    path: Path,
    declaration: Declaration,
    *,
    vba: bytes | None = None,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> None:
    """Write the declarations workbook of *declaration* to *path* with XlsxWriter (not atomic).

    The sheets are written :data:`~.batched.BATCH` at a time (:mod:`.batched`): memory and open
    files stay bounded however many projects there are."""
    t = template or load_template()
    plan = plan_for(t, True)
    titles = sheet_titles(declaration.projects, [INSTRUCTIONS_SHEET, LISTS_SHEET])
    names = [INSTRUCTIONS_SHEET, *titles, LISTS_SHEET]
    units = [p.money_unit for p in declaration.projects]
    last_rows: dict[int, int] = {}  # project sheet → its form's last row (the print area)

    def new_part(wb) -> _Part:
        part = _Part(wb, FormWriter(wb, plan), instruction_formats(wb, units))
        prime(wb, [*part.forms.every_format(), *part.instructions.values()], part.forms.every_dxf())
        return part

    def write_sheet(b: _Part, i: int) -> None:
        ws = b.workbook.add_worksheet(names[i])
        if vba is not None:
            ws.set_vba_name(f"Sheet{i + 1}")
        if i == 0:
            ws.activate()
            write_instructions_xlsx(b.workbook, ws, declaration, titles, b.instructions)
        elif i == len(names) - 1:
            write_lists(b.workbook, ws)
        else:
            project = declaration.projects[i - 1]
            report(i - 1, len(titles), "写入项目表")
            if project.year is None and declaration.year is not None:
                project = project.model_copy(update={"year": declaration.year})
            form = layout_form(t, project, sheet=names[i], blank_rows=blank_rows, checks=True)
            b.forms.write(ws, form)
            b.forms.columns(ws)
            b.forms.page_setup(ws, form.last_row)
            last_rows[i] = form.last_row

    def frame(wb) -> None:
        _frame(wb, declaration, names, last_rows, plan, vba)

    from xlsxwriter.exceptions import XlsxWriterException

    with tempfile.TemporaryDirectory(prefix="xltargets-", ignore_cleanup_errors=True) as tmpdir:
        try:
            write_batched(Path(path), len(names), new_workbook=lambda file, part: _new_workbook(file, tmpdir, part),
                          new_part=new_part, write_sheet=write_sheet, frame=frame, tmpdir=Path(tmpdir))
        except XlsxWriterException as exc:
            _writer_error(exc, path)


@dataclass
class _Part:
    """A part workbook of the declarations workbook and its formats."""

    workbook: Any
    forms: FormWriter
    instructions: dict


def _new_workbook(file, tmpdir, part: bool):
    """An XlsxWriter workbook that never turns text into numbers, formulas or links: a part in
    constant-memory mode (inline strings, rows written out in order), or the frame, in memory."""
    import xlsxwriter

    return xlsxwriter.Workbook(file, {
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        "constant_memory": part, "in_memory": not part, "tmpdir": tmpdir,
    })


def _frame(wb, declaration: Declaration, names: list[str], last_rows: dict[int, int], plan, vba: bytes | None) -> None:
    """The workbook-level parts: every sheet (empty) with its print names, the lists' names, properties, VBA."""
    title, _ = heading(declaration)
    wb.set_properties({
        "title": title.removesuffix("：填写说明"),
        "author": "xltargets",
        "created": FIXED_TIME,
    })
    mark(wb, declaration)  # so that a rerun of import may replace it while nobody changed it
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
    forms = FormWriter(wb, plan)
    for i, name in enumerate(names):
        ws = wb.add_worksheet(name)
        if vba is not None:
            ws.set_vba_name(f"Sheet{i + 1}")
        if i == 0:
            instructions_print_area(ws, names[1:-1])
        elif i == len(names) - 1:
            list_names(wb, ws)
        else:
            forms.print_names(ws, last_rows[i])


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
    :func:`xltargets.fileio.check_output_path`). Refuses, before writing, a
    workbook of more sheets than xltargets reads back (``LIMITS["sheets"]``).
    """
    _check_sheet_count(len(declaration.projects))
    path = Path(path)
    vba = None
    if _check_suffix(path) == ".xlsm":
        vba = read_vba(vba_from) if vba_from is not None else read_vba()
    atomic_write(path, lambda tmp: write_declarations(tmp, declaration, vba=vba, template=template,
                                                      blank_rows=blank_rows))
    return path


#: sheets of a declarations workbook besides one a project: 填写说明 and the lists
EXTRA_SHEETS = 2


def _check_sheet_count(projects: int) -> None:
    """A workbook of *projects* forms must stay readable by ``check``: refuse it before writing otherwise."""
    from ..importing.limits import LIMITS

    limit = LIMITS["sheets"]
    if projects + EXTRA_SHEETS > limit:
        raise WorkbookError(
            f"{projects:,} 个项目需要 {projects + EXTRA_SHEETS:,} 个工作表，超过每个工作簿 {limit:,} 个的上限"
            f"（xltargets check 读不回这样的工作簿）；未写入任何文件。",
            hint=f"把项目分成几个文件（每个最多 {limit - EXTRA_SHEETS:,} 个项目）分别导入，例如按单位拆分输入文件。",
            en=f"{projects:,} projects need {projects + EXTRA_SHEETS:,} sheets, more than the {limit:,} a workbook may have; nothing was written",
        )


# --------------------------------------------------------------------------- editing an existing workbook


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
    """Render *project* into a new sheet (named after it) of an openpyxl workbook, before the hidden lists.

    *refresh* rewrites the 填写说明 project list and the hidden lists.
    """
    names = wb.sheetnames
    fallback = "项目"
    if not legal_sheet_name(project.name, fallback=""):
        fallback = f"项目{len(project_sheets(wb)) + 1}"
    title = unique_sheet_name(project.name, names, fallback=fallback)
    ws = wb.create_sheet(title)
    if LISTS_SHEET in names:
        wb.move_sheet(ws, names.index(LISTS_SHEET) - len(names))  # the new sheet was appended
    if project.year is None and year is not None:
        project = project.model_copy(update={"year": year})
    render_project(ws, project, template=template or load_template(), blank_rows=blank_rows)
    if refresh:
        _refresh(wb)
    return ws


def save_workbook(wb: Workbook, path: str | Path, *, vba: bytes | None = None) -> Path:
    """Write an edited openpyxl workbook to *path* atomically (``.xlsm`` keeps or gets its VBA)."""
    path = Path(path)
    if _check_suffix(path) == ".xlsm":
        if vba is not None:
            attach_vba(wb, vba)
        elif wb.vba_archive is None:
            attach_vba(wb, read_vba())
    else:
        wb.vba_archive = None
    buf = io.BytesIO()
    wb.save(buf)  # assembled in memory: a full disk cannot leave openpyxl's zip open half-written

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(buf.getbuffer())

    atomic_write(path, write)
    return path
