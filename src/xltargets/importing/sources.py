"""Opening input files safely and turning each sheet into a :class:`Grid`.

Formats are recognised by their bytes, not their names:

=========================  ==================================================
bytes                      read as
=========================  ==================================================
zip with xl/workbook.xml   xlsx / xlsm (python-calamine)
zip with xl/workbook.bin   xlsb (python-calamine)
zip with content.xml       ods (python-calamine)
OLE2 with Workbook/Book    xls, BIFF8/BIFF5 (python-calamine)
OLE2 with EncryptionInfo   refused: password-protected workbook
%PDF-                      PDF, its 绩效目标 tables (.pdf; named files only)
text                       TSV or CSV by content (UTF-8, UTF-16, GB18030; .delimited)
anything else              refused, naming what it looks like (image, HTML …)
=========================  ==================================================

Every file is opened through :mod:`.guard` (a regular file within the size
limit). Before python-calamine sees a file, :mod:`.package` / :mod:`.compound`
check its structure and size: calamine aborts the whole process (no Python
exception) on a sheet whose used range is huge, and runs without end on a
compound file whose sector chains loop. Limits are in :data:`LIMITS` (docs/limits.md). Values
only: no macro runs, no external link is followed, formulas give their cached
values, error cells (``#REF!``) keep their error text.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from .cellref import cell_ref
from .compound import inspect_cfb
from .delimited import UndecodableText, decode, delimiter_of, split_rows
from .errorcells import ErrorCells
from .formulas import formula_texts, ods_formula_texts
from .numfmt import BiffFormats, OdsFormats, SheetFormats, XlsbFormats
from .grid import Grid
from .guard import open_input, path_error
from .limits import LIMITS, SheetScan, password_error, refuse_cell_length, refuse_sheet_size, refuse_total_cells
from .ownfiles import is_ours
from .package import inspect_zip

__all__ = ["read_grids", "expand_sources", "Skipped", "classify", "open_workbook", "sheet_grids", "LIMITS", "SUPPORTED_SUFFIXES"]

#: the names a folder's files are read by (a file named directly is read by its bytes, whatever its name);
#: ``.et``: WPS 表格's own format, a compound file with the BIFF8 Workbook stream of an .xls
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods", ".tsv", ".txt", ".csv")

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_RESAVE = "在 Excel/WPS 中打开并另存为 .xlsx 后再导入。"

#: other files people mistake for a workbook: leading bytes → what it is
_NOT_WORKBOOKS = (
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that is not read, and why (the user is told: nothing is skipped silently)."""

    path: Path
    reason: str


def skip_reason(f: Path) -> str | None:
    """Why the file *f* of a folder is not read (None: it is read). ``check`` and ``consolidate`` agree."""
    if f.name.startswith("~$"):
        return "是 Excel/WPS 打开文件时留下的临时文件"
    if f.name.startswith("."):
        return "是隐藏文件"
    if f.suffix.lower() == ".pdf":
        return "是 PDF（文件夹中的 PDF 不读入，常是通知或上年的公开文件；要读它，请在命令中直接写出这个文件）"
    if f.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"不是可导入的格式（{f.suffix or '没有扩展名'}）"
    if not f.is_file():
        return "不是普通文件"
    if is_ours(f):
        return "是 xltargets 生成的汇总表（不再读入，以免把旧汇总表重复汇总）"
    return None


def expand_sources(paths, skipped: list[Skipped] | None = None) -> list[Path]:
    """Files named, with folders expanded to the workbooks and TSV files inside them.

    The files of a folder that are not read are added to *skipped* with the reason.
    """
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        try:
            is_dir = p.is_dir()
        except OSError as exc:
            raise path_error(p, exc) from exc
        if is_dir:
            found, passed = [], []
            for f in sorted(p.iterdir()):
                reason = None if f.is_dir() else skip_reason(f)
                if reason is not None:
                    passed.append(Skipped(f, reason))
                elif not f.is_dir():
                    found.append(f)
            if skipped is not None:
                skipped.extend(passed)
            if not found:
                named = "；".join(f"“{s.path.name}”：{s.reason}" for s in passed[:5])
                more = f"等 {len(passed)} 个文件" if len(passed) > 5 else ""
                raise InputError(
                    f"文件夹“{p}”中没有申报表文件（工作簿或 TSV/CSV 文本）"
                    + (f"。跳过的文件{more}：{named}。" if passed else "。"),
                    hint="把各单位的申报表工作簿放进该文件夹，或直接列出文件名。",
                    path=str(p),
                    en=f"cannot read folder {p}: no workbook or TSV file in it",
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _sniff_text_workbook(path: Path, head: bytes) -> None:
    """Refuse HTML tables and Excel 2003 XML saved under an Excel name."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        text.startswith(b"<") and b"<html" in text[:2048]
    ):
        raise InputError(
            f"“{path.name}”是网页（HTML）格式，不是真正的 Excel 工作簿（常见于系统导出的 .xls）。",
            hint=_RESAVE,
            path=str(path),
            en=f"cannot read {path.name}: an HTML page saved with a spreadsheet name; save it as .xlsx in Excel/WPS",
        )
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text[:4096]:
        raise InputError(
            f"“{path.name}”是 Excel 2003 XML 表格格式，不能直接导入。",
            hint=_RESAVE,
            path=str(path),
            en=f"cannot read {path.name}: an Excel 2003 XML spreadsheet; save it as .xlsx in Excel/WPS",
        )


def classify(path: Path):
    """What *path* holds, by its bytes: ``"tsv"``, ``"pdf"``, or the checked package / compound file.

    Raises :class:`InputError` for a missing, empty, oversized, special, broken or unsafe file.
    """
    try:
        with open_input(path) as fh:
            head = fh.read(8192)
            inspect = inspect_zip if head.startswith(_ZIP_MAGICS) else inspect_cfb if head.startswith(_CFB_MAGIC) else None
            if inspect is not None:  # checked part by part, each part handed to the importer's error cells
                notes = ErrorCells()
                checked = inspect(path, fh, notes)
                checked.sheets = notes.sheets(path, checked.kind)
                return checked
            if b"%PDF-" in head[:1024]:
                return "pdf"  # read by .pdf (published 部门预算公开 files)
    except OSError as exc:
        raise path_error(path, exc) from exc
    for magic, what in _NOT_WORKBOOKS:
        if head.startswith(magic):
            raise InputError(
                f"“{path.name}”是{what}，不是 Excel 工作簿。",
                hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                path=str(path),
                en=f"cannot read {path.name}: not a workbook ({magic[:4]!r}…)",
            )
    _sniff_text_workbook(path, head)
    return "tsv"


# --------------------------------------------------------------------------- TSV


def _decode(path: Path) -> str:
    """The text of a TSV/CSV file in its encoding (:func:`.delimited.decode`)."""
    try:
        with open_input(path) as fh:
            return decode(fh.read())[0]
    except UndecodableText as exc:
        if str(exc).startswith("utf-16"):
            raise InputError(
                f"“{path.name}”的文字编码无法识别（UTF-16 数据不完整）。",
                hint="另存为 UTF-8 编码的文本后再导入。",
                path=str(path),
                en=f"cannot read {path.name}: broken UTF-16 text",
            ) from exc
        if str(exc) == "binary":
            raise InputError(
                f"“{path.name}”不是文本，也不是可识别的工作簿。",
                hint="请提供 .xlsx / .xlsm / .xls 工作簿或 UTF-8 编码的 TSV/CSV 文本。",
                path=str(path),
                en=f"cannot read {path.name}: neither text nor a known workbook format",
            ) from exc
        raise InputError(
            f"“{path.name}”的文字编码无法识别。",
            hint="另存为 UTF-8 编码的文本后再导入。",
            path=str(path),
            en=f"cannot read {path.name}: unknown text encoding (save as UTF-8)",
        ) from exc


def _tsv_grid(path: Path) -> Grid:
    text = _decode(path)
    delimiter = delimiter_of(text)
    # \r, \n and \r\n each end a line: rows and cells are bounded before a row is made
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + (not text.endswith(("\n", "\r")))
    if lines > LIMITS["rows"]:
        head = re.split(r"\r\n?|\n", text[:65536])
        refuse_sheet_size(path, None, lines, max(line.count(delimiter) + 1 for line in head))
    fields = text.count(delimiter) + lines  # at least the cells split_rows would make
    if fields > LIMITS["total_cells"]:
        refuse_total_cells(path, fields)
    rows = split_rows(text, delimiter)  # TSV or CSV by content (.delimited)
    width = max((len(r) for r in rows), default=0)
    if len(rows) > LIMITS["rows"] or width > LIMITS["cols"] or sum(map(len, rows)) > LIMITS["cells"]:
        refuse_sheet_size(path, None, len(rows), width)
    return _check_cell_lengths(path, None, Grid.from_values(rows, sheet=None, file=str(path)))


def _check_cell_lengths(path: Path, sheet: str | None, grid: Grid) -> Grid:
    """Refuse a cell longer than Excel allows; return *grid* (one C-level pass a row)."""
    limit = LIMITS["cell_chars"]
    for r, row in enumerate(grid.rows):
        if row and max(map(len, row)) > limit:
            c = next(c for c, v in enumerate(row) if len(v) > limit)
            refuse_cell_length(path, sheet, cell_ref(r, c), len(row[c]))
    return grid


# --------------------------------------------------------------------------- workbooks


def _calamine_error(path: Path, exc: BaseException, sheet: str | None = None) -> InputError:
    import python_calamine as pc

    if isinstance(exc, pc.PasswordError):
        return password_error(path)
    where = f"的工作表“{sheet}”" if sheet else ""
    if type(exc).__name__ == "PanicException" or not str(exc).strip():
        detail, detail_en = "文件结构异常", "its structure is invalid"
    else:
        detail = detail_en = str(exc).strip().splitlines()[0][:160]
    return InputError(
        f"“{path.name}”{where}无法读取（{detail}）。",
        hint=_RESAVE,
        path=str(path),
        en=f"cannot read {path.name}{f' sheet {sheet}' if sheet else ''}: {detail_en}",
    )


@contextlib.contextmanager
def _stderr_to(sink) -> Iterator[None]:
    """Send file descriptor 2 to *sink* for a while: a Rust panic inside calamine
    prints its message (and a backtrace under RUST_BACKTRACE) straight to fd 2."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real fd 2 (e.g. inside Excel)
        yield
        return
    try:
        os.dup2(sink.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _guarded(path: Path, call, sheet: str | None = None, sink=None):
    """Run a python-calamine call; any failure (a Rust panic included) becomes an InputError.

    *sink* is an open temporary file that receives what the call prints on fd 2
    (one for all the calls of a workbook; a fresh one when None).
    """
    if sink is None:
        with tempfile.TemporaryFile() as own:
            return _guarded(path, call, sheet, own)
    try:
        with _stderr_to(sink):
            return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
        raise _calamine_error(path, exc, sheet) from exc


def _scans_by_sheet(checked) -> dict[str, SheetScan]:
    """The pre-scan of each sheet whose name the scan could tell."""
    return {s.name: s for s in getattr(checked, "sheets", []) if s.name is not None}


def open_workbook(path: Path):
    """python-calamine's workbook at *path* (already checked) and its visible worksheets' names, in order."""
    import python_calamine as pc

    wb = _guarded(path, lambda: pc.CalamineWorkbook.from_path(str(path)))
    metas = _guarded(path, lambda: wb.sheets_metadata)
    if not metas:
        raise InputError(
            f"“{path.name}”中没有工作表。", hint="请提供含申报表的工作簿。", path=str(path), en=f"cannot read {path.name}: no sheets"
        )
    if len(metas) > LIMITS["sheets"]:
        raise InputError(
            f"“{path.name}”有 {len(metas):,} 个工作表，超过 {LIMITS['sheets']:,} 个的上限。",
            hint="拆分工作簿后再导入。",
            path=str(path),
            en=f"cannot read {path.name}: {len(metas)} sheets, more than the limit of {LIMITS['sheets']}",
        )
    visible = [
        m.name for m in metas if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet
    ]
    if not visible:
        raise InputError(
            f"“{path.name}”中没有可见的工作表（{len(metas)} 个工作表全部被隐藏或不是普通工作表）。",
            hint="在 Excel/WPS 中右击工作表标签→取消隐藏，把含申报表的工作表显示出来后再导入。",
            path=str(path),
            en=f"cannot read {path.name}: no visible worksheet (all hidden); unhide the 申报表 sheets",
        )
    return wb, visible


def sheet_grids(
    path: Path, wb, names: list[str], scans: dict[str, SheetScan], cells: list[int] | None = None
) -> Iterator[Grid]:
    """The sheets *names* of the calamine workbook *wb* as grids, in order.

    Each sheet must have passed the pre-scan (*scans*: its error cells by
    position). *cells* (a one-item list) counts the used-range cells read, for
    the limit on the whole file; a fresh count when None.
    """
    total = cells if cells is not None else [0]
    book: dict = {}  # the sheets' number formats, read together on the first question (.numfmt)
    with tempfile.TemporaryFile() as sink:
        for name in names:
            scan = scans.get(name)
            sheet = _guarded(path, lambda: wb.get_sheet_by_name(name), name, sink)
            height, width = sheet.height, sheet.width
            if height > LIMITS["rows"] or width > LIMITS["cols"] or height * width > LIMITS["cells"]:
                refuse_sheet_size(path, name, height, width)
            total[0] += height * width
            if total[0] > LIMITS["total_cells"]:
                refuse_total_cells(path, total[0])
            values = _guarded(path, lambda: sheet.to_python(skip_empty_area=False), name, sink)
            formulas = {}
            if scan is not None and scan.errors:
                for (r, c), code in scan.errors.items():
                    if r < len(values) and c < len(values[r]) and values[r][c] in ("", None):
                        values[r][c] = code
                # a typed =10.00(所) that became a formula: its text, not its error (.formulas)
                if scan.part.endswith(".xml"):
                    formulas = formula_texts(path, scan.part, scan.errors)
                else:  # an .xls: read by the pre-scan (.compound); None where the file lost the text
                    formulas = {pos: text or None for pos, text in scan.typed.items()}
                for (r, c), text in formulas.items():
                    if text and r < len(values) and c < len(values[r]):
                        values[r][c] = text
            grid = Grid.from_values(values, sheet=name, file=str(path))
            grid.formulas = formulas
            if scan is not None and scan.part.endswith(".xml"):
                grid.formats = SheetFormats(path, scan.part, book)  # numbers as displayed (.numfmt), on demand
            yield _check_cell_lengths(path, name, grid)


def _workbook_grids(path: Path, checked) -> Iterator[Grid]:
    wb, visible = open_workbook(path)
    book: dict = {}  # an ods or .xls: the numbers as displayed of all its sheets, read once (.numfmt)
    if getattr(checked, "kind", None) in ("xls", "xlsb"):
        reader = BiffFormats if checked.kind == "xls" else XlsbFormats
        for grid in sheet_grids(path, wb, visible, _scans_by_sheet(checked)):
            grid.formats = reader(path, grid.sheet or "", book)
            yield grid
        return
    if getattr(checked, "kind", None) != "ods":
        yield from sheet_grids(path, wb, visible, _scans_by_sheet(checked))
        return
    # ods: a typed =10.00(所) LibreOffice made a failed formula reads empty; its text instead (.formulas)
    failed = ods_formula_texts(path)
    for grid in sheet_grids(path, wb, visible, _scans_by_sheet(checked)):
        texts = failed.get(grid.sheet or "", {})
        for (r, c), text in texts.items():
            if r < len(grid.rows) and c < len(grid.rows[r]) and not grid.rows[r][c]:
                grid.rows[r][c] = text
                grid.formulas[(r, c)] = text
        grid.formats = OdsFormats(path, grid.sheet or "", book)
        yield grid


def read_grids(path: Path, checked=None) -> list[Grid]:
    """Every visible sheet of *path* as a grid (a TSV file is one grid).

    *checked* is what :func:`classify` said of *path*, when already known.
    """
    path = Path(path)
    if checked is None:
        checked = classify(path)
    if checked == "tsv":
        return [_tsv_grid(path)]
    if checked == "pdf":
        from .pdf import pdf_grids

        return pdf_grids(path)
    return list(_workbook_grids(path, checked))
