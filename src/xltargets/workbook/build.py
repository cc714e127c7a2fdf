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
from typing import Any, Callable, Iterable, NoReturn

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..fileio import atomic_write, require_suffix
from ..memo import forget
from ..model import Declaration, Project
from ..progress import report
from .mark import Fingerprint, mark
from .batched import prime, write_batched
from .instructions import (INSTRUCTIONS_SHEET, heading, instruction_formats, instructions_print_area,
                           write_instructions_xlsx, write_project_list)
from .layout import layout_form, plan_for
from .lists import LISTS_SHEET, ensure_lists, list_names, write_lists
from .render import render_project
from .shared import share
from .sheetnames import legal_sheet_name, unique_sheet_name
from .template import Template, load_template
from .vba import attach_vba, read_vba, refuse_dropping_macros
from .xlsxform import FormWriter

__all__ = [
    "BLANK_ROWS",
    "check_workbook_name",
    "FIXED_TIME",
    "build_workbook",
    "build_workbook_of",
    "write_declarations",
    "write_projects",
    "Written",
    "SheetTitles",
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


def check_workbook_name(path: Path) -> str:
    """*path*'s suffix, .xlsm or .xlsx; else a WorkbookError that names the suffix given and the one to use."""
    return require_suffix(path, (".xlsm", ".xlsx"), "申报工作簿", why="（.xlsm 带校验宏）")


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


class SheetTitles:
    """The sheet name of each project, given one at a time: legal, unique (ignoring case) among the
    names before, numbered where the name gives none."""

    def __init__(self, taken: list[str]) -> None:
        self.names = list(taken)
        self._lowered = {n.lower() for n in self.names}
        self.titles: list[str] = []

    def add(self, project: Project) -> str:
        fallback = "项目"
        if not legal_sheet_name(project.name, fallback=""):
            fallback = f"项目{len(self.titles) + 1}"
        title = unique_sheet_name(project.name, self.names, fallback=fallback, lowered=self._lowered)
        self.names.append(title)
        self._lowered.add(title.lower())
        self.titles.append(title)
        return title


def sheet_titles(projects: list[Project], taken: list[str]) -> list[str]:
    """The sheet name of each project: legal, unique (ignoring case), numbered where the name gives none."""
    titles = SheetTitles(taken)
    for project in projects:
        titles.add(project)
    return titles.titles


def write_declarations(
    path: Path,
    declaration: Declaration,
    *,
    vba: bytes | None = None,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> None:
    """Write the declarations workbook of *declaration* to *path* with XlsxWriter (not atomic)
    (:func:`write_projects`; a project without a year takes the declaration's)."""
    year = declaration.year

    def projects():
        for project in declaration.projects:
            yield project if project.year is not None or year is None else project.model_copy(update={"year": year})

    write_projects(path, projects(), len(declaration.projects), {p.money_unit for p in declaration.projects},
                   lambda: declaration, vba=vba, template=template, blank_rows=blank_rows)


@dataclass
class Written:
    """What :func:`write_projects` wrote."""

    projects: int = 0
    indicators: int = 0


def write_projects(
    path: Path,
    projects: Iterable[Project],
    count: int,
    money_units: set[str],
    head: Callable[[], Declaration],
    *,
    vba: bytes | None = None,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> Written:
    """Write the declarations workbook of *count* projects, handed out one at a time by *projects*,
    to *path* with XlsxWriter (not atomic); each is let go once its sheet is written.

    The sheets are written :data:`~.batched.BATCH` at a time (:mod:`.batched`): memory and open
    files stay bounded however many projects there are. The project sheets come first, then
    填写说明 (it lists them) and the lists; ``head()``, called then, gives the title, organisation
    and year (its projects are not read). *money_units*: the projects' money units (yuan or 10,000 yuan), known
    before (the 填写说明 formats of each part depend on them)."""
    t = template or load_template()
    plan = plan_for(t, True)
    items = iter(projects)
    titles = SheetTitles([INSTRUCTIONS_SHEET, LISTS_SHEET])
    names = [INSTRUCTIONS_SHEET, *[""] * count, LISTS_SHEET]
    units: list[str] = []
    marked = Fingerprint()
    written = Written()
    last_rows: dict[int, int] = {}  # project sheet → its form's last row (the print area)
    sorted_units = sorted(money_units)  # instruction_formats reads the set of units only

    def new_part(wb) -> _Part:
        part = _Part(wb, FormWriter(wb, plan, share=True), instruction_formats(wb, sorted_units))
        prime(wb, [*part.forms.every_format(), *part.instructions.values()], part.forms.every_dxf())
        return part

    def write_sheet(b: _Part, i: int) -> None:
        if i == 0:
            ws = b.workbook.add_worksheet(names[i])
            ws.activate()
            if vba is not None:
                ws.set_vba_name("Sheet1")
            write_instructions_xlsx(b.workbook, ws, head(), titles.titles, b.instructions, units)
            return
        if i == len(names) - 1:
            ws = b.workbook.add_worksheet(names[i])
            if vba is not None:
                ws.set_vba_name(f"Sheet{i + 1}")
            write_lists(b.workbook, ws)
            return
        project = next(items, None)
        if project is None:
            raise AssertionError(f"{count} projects announced, {i - 1} handed out")
        names[i] = titles.add(project)
        ws = b.workbook.add_worksheet(names[i])
        if vba is not None:
            ws.set_vba_name(f"Sheet{i + 1}")
        report(i - 1, count, "写入项目表")
        form = layout_form(t, project, sheet=names[i], blank_rows=blank_rows, checks=True)
        b.forms.write(ws, form)
        b.forms.columns(ws)
        b.forms.page_setup(ws, form.last_row)
        last_rows[i] = form.last_row
        units.append(project.money_unit)
        marked.add(project)
        written.projects += 1
        written.indicators += len(project.indicators)

    def frame(wb) -> None:
        if next(items, None) is not None:
            raise AssertionError(f"more than the {count} projects announced")
        # every form is read and laid out: the texts remembered for them (~7 MB at 3,998 projects) go
        # before XlsxWriter's frame of every sheet is made, as consolidate lets them go before it writes
        forget()
        _frame(wb, head(), names, last_rows, plan, vba, marked.value())

    from xlsxwriter.exceptions import XlsxWriterException

    order = [*range(1, count + 1), 0, count + 1]  # 填写说明 lists the project sheets: written after them
    with tempfile.TemporaryDirectory(prefix="xltargets-", ignore_cleanup_errors=True) as tmpdir:
        try:
            write_batched(Path(path), len(names), new_workbook=lambda file, part: _new_workbook(file, tmpdir, part),
                          new_part=new_part, write_sheet=write_sheet, frame=frame, tmpdir=Path(tmpdir), order=order,
                          transform=share)
        except XlsxWriterException as exc:
            _writer_error(exc, path)
    return written


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


def _frame(wb, declaration: Declaration, names: list[str], last_rows: dict[int, int], plan, vba: bytes | None,
           marked: str) -> None:
    """The workbook-level parts: every sheet (empty) with its print names, the lists' names, properties, VBA."""
    title, _ = heading(declaration)
    wb.set_properties({
        "title": title.removesuffix("：填写说明"),
        "author": "xltargets",
        "created": FIXED_TIME,
    })
    mark(wb, declaration, marked)  # so that a rerun of import may replace it while nobody changed it
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
    vba = _vba_for(path, vba_from)
    atomic_write(path, lambda tmp: write_declarations(tmp, declaration, vba=vba, template=template,
                                                      blank_rows=blank_rows))
    return path


def build_workbook_of(
    path: str | Path,
    projects: Iterable[Project],
    count: int,
    money_units: set[str],
    head: Callable[[], Declaration],
    *,
    vba_from: Path | None = None,
    template: Template | None = None,
) -> Written:
    """:func:`build_workbook` of *count* projects handed out one at a time (:func:`write_projects`):
    refuses too many before writing, then writes atomically (an error leaves nothing)."""
    _check_sheet_count(count)
    path = Path(path)
    vba = _vba_for(path, vba_from)
    written = Written()

    def write(tmp: Path) -> None:
        nonlocal written
        written = write_projects(tmp, projects, count, money_units, head, vba=vba, template=template)

    atomic_write(path, write)
    return written


#: sheets of a declarations workbook besides one a project: 填写说明 and the lists
EXTRA_SHEETS = 2


def _vba_for(path: Path, vba_from: Path | None) -> bytes | None:
    """The VBA an .xlsm at *path* carries (*vba_from*'s, or the shipped one); None for an .xlsx, which
    cannot carry *vba_from*'s macros: then a WorkbookError rather than a workbook without them."""
    if check_workbook_name(path) == ".xlsm":
        return read_vba(vba_from) if vba_from is not None else read_vba()
    if vba_from is not None:
        refuse_dropping_macros(path, f"“{Path(vba_from).name}”")
    return None


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


def save_workbook(wb: Workbook, path: str | Path, *, vba: bytes | None = None, verify=None) -> Path:
    """Write an edited openpyxl workbook to *path* atomically (``.xlsm`` keeps or gets its VBA).

    A workbook loaded with its VBA is refused as an ``.xlsx``: that would drop the macros.
    *verify* is called with the workbook's bytes before anything is written (it raises to refuse).
    """
    path = Path(path)
    if check_workbook_name(path) == ".xlsm":
        if vba is not None:
            attach_vba(wb, vba)
        elif wb.vba_archive is None:
            attach_vba(wb, read_vba())
    elif vba is not None or wb.vba_archive is not None:
        refuse_dropping_macros(path, "原工作簿")
    buf = io.BytesIO()
    wb.save(buf)  # assembled in memory: a full disk cannot leave openpyxl's zip open half-written
    if verify is not None:
        verify(buf.getvalue())

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(buf.getbuffer())

    atomic_write(path, write)
    return path
