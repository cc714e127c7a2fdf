"""Numbers as displayed: a 指标值 stored as a number with a number format reads as the user sees it.

A cell holding 0.95 formatted ``0%`` shows ``95%``; 1 formatted ``0.00%`` shows ``100.00%``;
85 formatted ``0.00`` shows ``85.00``. The reader gives the stored number; for the cells the
forms reader asks about (a 指标值 that is a bare number) this module looks up the cell's number
format and gives the displayed text. Only the sheets that ask are read (:class:`_Asked`): what the
file gives every sheet (its styles) once, at the first question, then the asking sheet's own cells.
Sheets whose 指标值 are text never cost anything.
Formats handled: percent (``0%``, ``0.0%`` …) and fixed decimals (``0.00``, ``#,##0.00``);
any other format gives the stored number back unchanged.

Per kind: an xlsx (:class:`SheetFormats`: styles.xml and the sheet's part), an .xls
(:class:`BiffFormats`: the XF and FORMAT records of the globals and the cell records of the sheet's
substream), an .xlsb (:class:`XlsbFormats`: BrtFmt and BrtXF of styles.bin, BrtBundleSh of
workbook.bin, the number cells of the sheet's part, walked by :func:`.xlsbparts.xlsb_records`), and an
ods (:class:`OdsFormats`: the text LibreOffice stored with the cell, taken where it is one of those
displays of the stored value).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

__all__ = ["SheetFormats", "OdsFormats", "BiffFormats", "XlsbFormats", "display", "expect"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: built-in number formats that change how a number shows (ECMA-376 18.8.30)
_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_SIMPLE = re.compile(r"^(?P<int>#,##0|0)(?:\.(?P<dec>0+))?(?P<pct>%)?$")
#: ``_x``: a space as wide as x (``0.00_ ``, ``#,##0.00_)``); nothing the user reads
_PAD = re.compile(r"_.")
#: the most decimals a number format of Excel shows, and the largest exponent of a number a cell holds (a double)
_MAX_DECIMALS, _MAX_EXPONENT = 30, 400
#: number formats or cell formats (XF) in one styles part: Excel keeps at most 65,490 cell formats
_MAX_STYLES = 65_536
#: a text an ods stored as shown: percent, grouped, fixed decimals
_SHOWN = re.compile(r"^-?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<pct>%)?$")


def _simple(code: str) -> re.Match | None:
    """The first section of *code* as a percent / grouped / fixed-decimal format, its padding left out."""
    return _SIMPLE.match(_PAD.sub("", code.split(";")[0]).strip())


def display(number_text: str, code: str) -> str:
    """*number_text* (the stored number as text) shown with the number format *code*."""
    m = _simple(code)
    if m is None:
        return number_text
    try:
        value = Decimal(number_text)
    except InvalidOperation:
        return number_text
    decimals = len(m.group("dec") or "")
    if value.is_zero():
        value = value.copy_abs()  # a stored -0 shows as 0 (a spreadsheet keeps no negative zero)
    if decimals > _MAX_DECIMALS or not value.is_finite() or abs(value.adjusted()) > _MAX_EXPONENT:
        return number_text  # no format Excel shows, or no number a cell holds: as stored
    with localcontext() as ctx:  # every digit shown is computed: 28 digits (the default) would raise
        ctx.prec = max(ctx.prec, len(value.as_tuple().digits) + 2, value.adjusted() + decimals + 5)
        if m.group("pct"):
            value *= 100
        q = Decimal(1).scaleb(-decimals)
        grouped = m.group("int") == "#,##0"
        text = f"{value.quantize(q):,f}" if grouped else f"{value.quantize(q):f}"
    return text + ("%" if m.group("pct") else "")


def _position(ref: str) -> tuple[int, int]:
    col, i = 0, 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]) - 1, col - 1


class _Asked:
    """The number formats of one sheet of a file, loaded on its first :meth:`shown`: only the sheets that ask
    (a sheet holding a typed number) are read. The sheets of one file share *book* (a dict): what the file
    gives every sheet (its styles) is read once, and the number cells kept for the whole file are bounded by
    one budget (``total_cells``) however the sheets ask. A subclass's :meth:`_load` reads the formats of a
    batch of sheets (its *key*: a part or a sheet name) as ``{key: {(row, col): format code}}``.

    Where a batch costs an opening of the package (``_AHEAD``: an xlsx, an xlsb, an ods; ~2.6 ms at 1,000
    sheets, more for a file re-saved with more parts), a sheet that comes right after the last batch read,
    half of it asked at least (sheets asking in order), reads twice that batch: a run of asking sheets costs
    a few openings, not one each, and fewer than four sheets are read for each sheet that asks.
    """

    _AHEAD = True

    def __init__(self, path: Path, key: str, book: dict | None = None):
        self.path = path if isinstance(path, Path) else Path(path)  # a Path made again costs ~10 µs a sheet
        self.key = key
        self._book = book if book is not None else {}
        expect(self._book, (key,))
        self._asked = False

    def _load(self, keys: list[str]) -> dict[str, dict[tuple[int, int], str]]:
        raise NotImplementedError

    def shown(self, r: int, c: int, number_text: str) -> str:
        """The text cell (r, c) shows for its stored number *number_text*."""
        if not self._asked:
            self._asked = True
            self._read()
        code = self._book["codes"].get(self.key, {}).get((r, c))
        return display(number_text, code) if code else number_text

    def _read(self) -> None:
        """This sheet read, unless it was with an earlier batch; when half the last batch asked at least
        and this sheet comes right after it, twice as many sheets (``_AHEAD``)."""
        book = self._book
        codes, asked = book.setdefault("codes", {}), book.setdefault("asked", set())
        asked.add(self.key)
        if self.key in codes:
            return
        keys, at, last = book["parts"], book["at"][self.key], book.get("batch", [])
        # half of the last batch asked at least (not all: a sheet with no typed number among many broke the doubling:
        # 165 openings for 1,000 sheets, 56 of them not asking); at most four sheets read for each sheet that asks
        ahead = self._AHEAD and at == book.get("next") and 2 * len(asked.intersection(last)) >= len(last)
        run = max(1, 2 * len(last)) if ahead else 1
        book["batch"] = batch = [k for k in keys[at : at + run] if k not in codes]
        book["next"] = at + run
        codes.update(self._load(batch))


def expect(book: dict, keys: Iterable[str]) -> None:
    """Name to *book* (shared by the sheets of one file: :class:`_Asked`) the keys of its sheets, in order, before
    their grids are made one at a time: a batch then reads ahead into the sheets to come (a sheet registered only as
    its grid was made read alone: 947 openings of the package for 947 asking sheets of 1,000, ~6× the parsing)."""
    at, parts = book.setdefault("at", {}), book.setdefault("parts", [])
    for key in keys:
        if key not in at:
            at[key] = len(parts)
            parts.append(key)


class SheetFormats(_Asked):
    """The number formats of one worksheet part of an xlsx, loaded on the first :meth:`shown`.

    Only the parts of sheets that ask are parsed (a typed number in one sheet of a 1,000-sheet
    workbook parsed all 1,000 until session 6: 2.3 s), in batches (:class:`_Asked`): each batch opens
    the package (its central directory) and parses its parts; the styles are read once, and the cell
    tags walked for the whole file are bounded by one budget (``total_cells``).
    """

    def __init__(self, path: Path, part: str, book: dict | None = None):
        super().__init__(path, part, book)
        self.part = part

    def _load(self, parts: list[str]) -> dict[str, dict[tuple[int, int], str]]:
        return _xlsx_codes(self.path, parts, self._book)


def _xlsx_codes(path: Path, parts: list[str], book: dict | None = None) -> dict[str, dict[tuple[int, int], str]]:
    """Per worksheet part, (row, col) → format code of its number cells whose format shows numbers differently.

    *book* (shared by the parts of one file, asked in batches) keeps the styles read and the cell tags
    left to walk for the whole file: past that budget, the part reaching it and every part after give
    their stored numbers (the parts read before keep their formats)."""
    from .limits import LIMITS

    book = book if book is not None else {}
    out: dict[str, dict[tuple[int, int], str]] = {part: {} for part in parts}
    budget = book.get("budget", LIMITS["total_cells"])  # cell tags walked for the whole file
    try:
        with zipfile.ZipFile(path) as zf:
            if "styles" not in book:
                book["styles"] = _style_codes(zf)
            styles = book["styles"]
            for part in parts if styles else ():
                try:
                    with zf.open(part) as fh:
                        tags, out[part] = _sheet_codes(fh, styles, budget)
                except Exception:  # noqa: BLE001 - a part that cannot be opened: its stored numbers stay
                    tags = 0
                budget -= tags
                if budget < 0:
                    break
    except Exception:  # noqa: BLE001 - a format that cannot be read: the stored number stays
        book.setdefault("styles", {})
    book["budget"] = max(budget, -1)
    return out


class _Refused(Exception):
    """Past the file's budget of cell tags, or an entity declared: the part gives its stored numbers."""


class _Done(Exception):
    """Past the sheet's cells: the parse stops, what it found stands."""


class _SheetCells:
    """An expat start-element handler keeping (row, col) → format code of the number cells (``t`` absent or ``n``)
    whose style shows numbers differently and that hold a value (a ``<v>`` child: an empty formatted cell is no
    number; a part of 4 million of them kept 1 GB in session 6), counting the cell tags against *budget*."""

    __slots__ = ("styles", "cells", "ref", "style", "tags", "budget")

    def __init__(self, styles: dict[int, str], budget: int) -> None:
        self.styles, self.budget, self.cells, self.ref, self.style, self.tags = styles, budget, {}, None, 0, 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _CELL:
            self.tags += 1
            if self.tags > self.budget:  # millions of (empty) cell tags: a crafted file, not a form
                raise _Refused
            s = attrib.get("s")
            self.ref = None
            if s is not None and attrib.get("t") in (None, "n") and (style := int(s)) in self.styles:
                self.ref, self.style = attrib.get("r"), style
        elif tag == _VALUE:
            if self.ref is not None:
                self.cells[_position(self.ref)] = self.styles[self.style]
                self.ref = None
        elif tag != _FORMULA:  # a cell's value comes after its formula only; anything else ends the cell
            self.ref = None
            if tag in _AFTER_CELLS:
                raise _Done


_CELL, _VALUE, _FORMULA = (_NS[1:] + name for name in ("c", "v", "f"))  # as expat names them (namespace}name)
#: the worksheet's children after sheetData (ECMA-376 CT_Worksheet): the parse stops at the first (~10 % of a form's part)
_AFTER_CELLS = frozenset(_NS[1:] + name for name in (
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
    "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts"))


def _refuse(*_args) -> None:
    raise _Refused  # an entity declared or referenced: refused as defusedxml refuses it (the package check refused it before)


def _parser():
    """An expat parser naming elements and attributes ``namespace}name``, refusing entity declarations and references as
    defusedxml refuses them (the package check refused them before), reading 64 kB at a time."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = parser.ExternalEntityRefHandler = _refuse
    parser.buffer_size = 1 << 16
    return parser


def _sheet_codes(fh, styles: dict[int, str], budget: int) -> tuple[int, dict[tuple[int, int], str]]:
    """The cell tags of the worksheet part open as *fh* (streamed: 64 kB at a time) and (row, col) → format code of
    its number cells whose style shows numbers differently, parsed by expat, called back only at each element's
    start (defusedxml's iterparse, pure-Python callbacks at every start and end and a tree, took ~3× longer: 1.6 ms
    a form's part). Past *budget* cell tags, or a part that cannot be parsed: no cells, the tags met counted."""
    handler = _SheetCells(styles, budget)
    parser = _parser()
    parser.StartElementHandler = handler.start
    try:
        parser.ParseFile(fh)
    except _Done:
        pass
    except Exception:  # noqa: BLE001 - refused, or not XML expat reads: its stored numbers stay
        return handler.tags, {}
    return handler.tags, handler.cells


def _xf_codes(xf_formats: list[int], custom: dict[int, str]) -> dict[int, str]:
    """XF (cell style) index → its number format code, for the XFs whose format shows numbers differently;
    *xf_formats* is each XF's format id in order, *custom* the file's own codes by id."""
    out: dict[int, str] = {}
    for i, fid in enumerate(xf_formats):
        code = custom.get(fid) or _BUILTIN.get(fid)
        if code and _simple(code):
            out[i] = code
    return out


def _style_codes(zf: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index → its number format code, for the styles whose format shows numbers differently."""
    try:
        fh = zf.open("xl/styles.xml")
    except KeyError:
        return {}
    custom: dict[int, str] = {}
    xfs: list[int] = []
    depth, in_xfs = 0, False  # cellXfs' own xf are its children (cellStyleXfs has xf too)
    with fh:  # streamed, and no further than cellXfs: a part of a million formats took 1 GB and 20 s whole
        for event, elem in SafeET.iterparse(fh, events=("start", "end")):
            depth += 1 if event == "start" else -1
            if event == "start":
                in_xfs = in_xfs or elem.tag == _NS + "cellXfs"
                continue
            if elem.tag == _NS + "numFmt":
                custom[int(elem.get("numFmtId"))] = elem.get("formatCode", "")
            elif elem.tag == _NS + "xf" and in_xfs and depth == 2:
                xfs.append(int(elem.get("numFmtId", "0")))
            elif elem.tag == _NS + "cellXfs":
                break
            if len(custom) > _MAX_STYLES or len(xfs) > _MAX_STYLES:  # past Excel's own: not a file Excel wrote
                return {}
            if depth <= 2:
                elem.clear()
    return _xf_codes(xfs, custom)


def _as_shown(number_text: str, shown: str | None) -> str:
    """*shown* where it is *number_text* displayed as percent, grouped or fixed decimals; else *number_text*."""
    shown = (shown or "").strip()  # ``0.00_ `` pads with a space: not part of what the user reads
    m = _SHOWN.match(shown)
    if m is None:
        return number_text
    code = ("#,##0" if "," in m.group("int") else "0") + ("." + "0" * len(m.group("dec")) if m.group("dec") else "")
    return shown if display(number_text, code + (m.group("pct") or "")) == shown else number_text


# names as expat gives them (:func:`_parser`: namespace}name)
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_P = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
_NUMERIC = frozenset({"float", "percentage", "currency"})


class OdsFormats(_Asked):
    """The displayed texts of the numeric cells of one table of an ods, read on its first :meth:`shown`.

    content.xml holds every table: a question parses it from its start, the tables before the asked
    ones going by (a parser target that keeps no entry for them), and stops at the end of the last
    table of its batch (:class:`_Asked`: sheets asking one after another are read in doubling
    batches, each batch one parse as far as it goes).
    """

    def __init__(self, path: Path, table: str, book: dict | None = None):
        super().__init__(path, table, book)
        self.table = table

    def _load(self, tables: list[str]) -> dict[str, dict[int, dict[int, str]]]:
        return _ods_texts(self.path, tables, self._book)

    def shown(self, r: int, c: int, number_text: str) -> str:
        """The text cell (r, c) shows for its stored number *number_text*."""
        if not self._asked:
            self._asked = True
            self._read()
        return _as_shown(number_text, self._book["codes"].get(self.key, {}).get(r, {}).get(c))


class _PastBudget(Exception):
    """More entries than a file's cells: a crafted table, not a form."""


_CELLS = frozenset({_TABLE + "table-cell", _TABLE + "covered-table-cell"})


class _OdsCells:
    """Expat's handlers (:func:`_parser`) keeping, for the tables named *wanted*, row →
    column → the text stored with each float / percentage / currency cell (its first ``<text:p>``), repeats
    counted against *budget*; the other tables go by. ``done`` once every wanted table has ended."""

    def __init__(self, wanted: set[str], budget: int, limits: dict):
        self.wanted, self.left, self.budget = wanted, set(wanted), budget
        self.max_rows, self.max_cols = limits["rows"], limits["cols"]
        self.out: dict[str, dict[int, dict[int, str]]] = {}
        self.rows: dict[int, dict[int, str]] | None = None  # the table being kept, None in the others
        self.name, self.row, self.col, self.repeat, self.cells = "", -1, 0, 1, {}
        self.depth, self.cell_depth, self.p_depth = 0, -1, -1
        self.numeric, self.span, self.text = False, 1, None  # the open cell; its first text:p's pieces
        self.done = False

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        if tag == _TABLE + "table":
            self.name = attrib.get(_TABLE + "name", "")
            self.rows = self.out.setdefault(self.name, {}) if self.name in self.wanted else None
            self.row = -1
        elif self.rows is None:
            return
        elif tag == _TABLE + "table-row":
            self.row, self.col, self.cells = self.row + 1, 0, {}
            self.repeat = int(attrib.get(_TABLE + "number-rows-repeated", "1"))
        elif tag in _CELLS:
            self.cell_depth, self.text, self.p_depth = self.depth, None, -1
            self.numeric = attrib.get(_OFFICE + "value-type") in _NUMERIC
            self.span = int(attrib.get(_TABLE + "number-columns-repeated", "1"))
        elif tag == _TEXT_P and self.numeric and self.text is None and self.depth == self.cell_depth + 1:
            self.text, self.p_depth = [], self.depth  # the cell's first paragraph: its text and its children's

    def data(self, text: str) -> None:
        if self.p_depth > 0:
            self.text.append(text)

    def end(self, tag: str) -> None:
        depth, self.depth = self.depth, self.depth - 1
        if tag == _TABLE + "table" and self.name in self.left:
            self.left.discard(self.name)
            self.done = not self.left
        if self.rows is None:
            return
        if depth == self.p_depth:
            self.p_depth = -1
        elif depth == self.cell_depth:
            col, span = self.col, self.span
            if self.numeric and self.text is not None:
                text = "".join(self.text)
                self.budget -= max(0, min(col + span, self.max_cols) - col)
                if self.budget < 0:
                    raise _PastBudget
                for k in range(col, min(col + span, self.max_cols)):
                    self.cells[k] = text
            self.col, self.numeric, self.text, self.cell_depth = col + span, False, None, -1
        elif tag == _TABLE + "table-row":
            if self.cells:  # a repeated row holds the same cells in each of its rows
                self.budget -= max(0, min(self.row + self.repeat, self.max_rows) - self.row - 1)
                if self.budget < 0:
                    raise _PastBudget
                for k in range(self.row, min(self.row + self.repeat, self.max_rows)):
                    self.rows[k] = self.cells
            self.row += self.repeat - 1


def _ods_texts(path: Path, tables: list[str], book: dict | None = None) -> dict[str, dict[int, dict[int, str]]]:
    """Per table name of *tables*, row → column → the text stored with each float / percentage / currency cell.

    *book* (shared by the tables of one file, asked in batches) keeps the entries left to make for the whole
    file (``total_cells``, repeats counted; a hidden table too when asked: parsed here, whatever the reader
    process measured; a 2 kB hidden table of 300 rows × 16,384 repeated numbers took 437 MB): past it, the
    table reaching it and every table asked after give their stored numbers."""
    from .limits import LIMITS

    book = book if book is not None else {}
    target = _OdsCells(set(tables), book.get("budget", LIMITS["total_cells"]), LIMITS)
    past = target.budget < 0
    try:
        if not past:
            parser = _parser()  # expat's own callbacks: defusedxml's XMLParser(target=…) dispatches in pure Python
            parser.StartElementHandler, parser.EndElementHandler = target.start, target.end
            parser.CharacterDataHandler, parser.buffer_text = target.data, True
            with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
                while not target.done and (chunk := fh.read(1 << 16)):
                    parser.Parse(chunk, False)
    except _PastBudget:
        past = True
    except Exception:  # noqa: BLE001 - what was read so far stands; elsewhere the stored number
        pass
    book["budget"] = -1 if past else target.budget
    if past:  # the table reaching the budget (and any after it) as if unread
        target.out.pop(target.name, None)
    return {name: target.out.get(name, {}) for name in tables}


class BiffFormats(_Asked):
    """The number formats of an .xls sheet: FORMAT (0x041E) and XF (0x00E0) records of the globals
    give each XF index its format code, BOUNDSHEET (0x0085) each sheet's substream; NUMBER, RK and
    MULRK give each cell's XF index. The Workbook stream (olefile reads it whole) and its globals are
    read once for the file, at the first question; then only the substreams of the sheets that ask are
    walked (BIFF keeps the formats in the globals, the cells in each sheet's substream)."""

    _AHEAD = False  # a sheet's substream is walked from the stream in memory: no opening to spare

    def __init__(self, path: Path, sheet: str, book: dict | None = None):
        super().__init__(path, sheet, book)
        self.sheet = sheet

    def _load(self, names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
        return _biff_codes(self.path, names, self._book)


def _biff_globals(path: Path) -> tuple[dict[int, str], list[tuple[str, object]]]:
    """XF index → format code (the XFs whose format shows numbers differently), and each sheet's name
    with its substream's records (not yet walked), of the .xls at *path*; ({}, []) where it has none."""
    import struct

    from .biff import biff8, sheet_records
    from .guard import check_cfb, open_input

    custom: dict[int, str] = {}
    xfs: list[int] = []

    def globals_seen(typ: int, data: bytes) -> None:
        if typ == 0x041E and len(data) >= 5:  # FORMAT: ifmt, XLUnicodeString
            cch, wide = struct.unpack_from("<H", data, 2)[0], data[4] & 1
            custom[struct.unpack_from("<H", data)[0]] = data[5 : 5 + cch * (1 + wide)].decode("utf-16-le" if wide else "latin-1", "replace")
        elif typ == 0x00E0 and len(data) >= 4 and len(xfs) <= _MAX_STYLES:  # XF: ifnt, ifmt
            xfs.append(struct.unpack_from("<H", data, 2)[0])

    with open_input(path) as fh:
        stream = check_cfb(path, fh)[1] or b""  # the stream olefile reads (.guard)
    if not biff8(stream):  # BIFF8 only
        return {}, []
    sheets = list(sheet_records(stream, globals_seen))  # the globals are read; each sheet's records on demand
    if len(xfs) > _MAX_STYLES or len(custom) > _MAX_STYLES:  # past Excel's own: not a file Excel wrote
        return {}, []
    codes = _xf_codes(xfs, custom)
    return codes, sheets if codes else []


def _biff_codes(path: Path, names: list[str], book: dict) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name of *names*, (row, col) → format code of its number cells whose format shows numbers
    differently. *book* (shared by the sheets of one file) keeps the globals read and the number cells left
    to keep for the whole file: past that budget, the sheet reaching it and every sheet asked after give
    their stored numbers (the sheets read before keep their formats)."""
    import struct

    from .limits import LIMITS

    out: dict[str, dict[tuple[int, int], str]] = {name: {} for name in names}
    budget = book.get("budget", LIMITS["total_cells"])  # entries for the file's sheets that ask
    try:
        if "styles" not in book:
            book["styles"], book["sheets"] = {}, []
            book["styles"], book["sheets"] = _biff_globals(path)
        codes, wanted = book["styles"], set(names)
        for name, records in [s for s in book["sheets"] if s[0] in wanted]:  # a name twice: both substreams
            cells = out[name]
            for typ, data in records if budget >= 0 else ():
                if len(data) < 6:
                    continue
                if typ in (0x0203, 0x027E):  # NUMBER, RK: row, col, ixfe
                    row, col, xf = struct.unpack_from("<HHH", data)
                    if xf in codes:
                        cells[(row, col)] = codes[xf]
                        budget -= 1
                elif typ == 0x00BD:  # MULRK: row, first col, (ixfe, rk) …, last col
                    row, col = struct.unpack_from("<HH", data)
                    for k in range((len(data) - 6) // 6):
                        if (xf := struct.unpack_from("<H", data, 4 + 6 * k)[0]) in codes:
                            cells[(row, col + k)] = codes[xf]
                            budget -= 1
                if budget < 0:  # past a file's cells: a crafted file, not a form
                    break
            if budget < 0:
                cells.clear()
        book["sheets"] = [s for s in book["sheets"] if s[0] not in wanted]  # walked: the stream goes with the last
    except Exception:  # noqa: BLE001 - a format that cannot be read: the stored number stays (what was read stands)
        book.setdefault("styles", {})
    book["budget"] = max(budget, -1)
    return out


class XlsbFormats(_Asked):
    """The number formats of an .xlsb sheet: styles.bin gives each XF of the cellXfs section
    (BrtBeginCellXFs … BrtEndCellXFs) its BrtXF ``iFmt`` and BrtFmt its code; workbook.bin's
    BrtBundleSh each sheet name its part (through workbook.bin.rels); BrtRowHdr, BrtCellRk,
    BrtCellReal and BrtFmlaNum each number cell its XF (``iStyleRef``). Those three parts are read
    once for the file, at the first question; then only the parts of the sheets that ask, in batches
    (:class:`_Asked`: each batch one opening of the package)."""

    def __init__(self, path: Path, sheet: str, book: dict | None = None):
        super().__init__(path, sheet, book)
        self.sheet = sheet

    def _load(self, names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
        return _xlsb_codes(self.path, names, self._book)


#: the parts of an xlsb that give every sheet its number formats and its part
_XLSB_HEAD = frozenset({"xl/styles.bin", "xl/workbook.bin", "xl/_rels/workbook.bin.rels"})


def _xlsb_styles(data: bytes) -> dict[int, str]:
    """XF index → format code of styles.bin's cellXfs, for the XFs whose format shows numbers differently."""
    import struct

    from .xlsbparts import xlsb_records, xlsb_string

    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    for typ, body in xlsb_records(data):
        if typ == 0x002C and len(body) >= 6:  # BrtFmt: ifmt, stFmtCode
            custom[struct.unpack_from("<H", body)[0]] = xlsb_string(body, 2)[0] or ""
        elif typ in (0x0269, 0x026A):  # BrtBeginCellXFs, BrtEndCellXFs
            in_cell_xfs = typ == 0x0269
        elif typ == 0x002F and in_cell_xfs and len(body) >= 4:  # BrtXF: ixfeParent, iFmt
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        if len(xfs) > _MAX_STYLES or len(custom) > _MAX_STYLES:  # past Excel's own: not a file Excel wrote
            return {}
    return _xf_codes(xfs, custom)


def _xlsb_codes(path: Path, names: list[str], book: dict) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name of *names*, (row, col) → format code of its number cells whose format shows numbers
    differently; *book* as :func:`_biff_codes` keeps it (the styles and sheet parts read once, one budget)."""
    import struct

    from .limits import LIMITS
    from .guard import read_parts
    from .xlsbparts import xlsb_records, xlsb_sheet_parts

    out: dict[str, dict[tuple[int, int], str]] = {name: {} for name in names}
    budget = book.get("budget", LIMITS["total_cells"])  # entries for the file's sheets that ask
    try:
        if "styles" not in book:
            book["styles"], book["where"] = {}, {}
            head = read_parts(path, _XLSB_HEAD.__contains__, limit=LIMITS["unzipped_bytes"])  # as the package check reads them
            if styles := _xlsb_styles(head.get("xl/styles.bin", b"")):
                book["styles"], book["where"] = styles, xlsb_sheet_parts(head.get)
        codes, where = book["styles"], book["where"]
        wanted = {where[name] for name in names if name in where}
        parts = read_parts(path, wanted.__contains__, limit=LIMITS["unzipped_bytes"]) if wanted and budget >= 0 else {}
        for name in names:
            cells, row = out[name], 0
            for typ, body in xlsb_records(parts.get(where.get(name, ""), b"")):
                if typ == 0x0000 and len(body) >= 4:  # BrtRowHdr: rw
                    row = struct.unpack_from("<I", body)[0]
                elif typ in (0x0002, 0x0005, 0x0009) and len(body) >= 8:  # BrtCellRk, BrtCellReal, BrtFmlaNum
                    col, style = struct.unpack_from("<II", body)
                    if (xf := style & 0xFFFFFF) in codes:
                        cells[(row, col)] = codes[xf]
                        budget -= 1
                        if budget < 0:  # past a file's cells: a crafted file, not a form
                            break
                elif typ == 0x0092:  # BrtEndSheetData
                    break
            if budget < 0:
                cells.clear()
                break
    except Exception:  # noqa: BLE001 - a format that cannot be read: the stored number stays (what was read stands)
        book.setdefault("styles", {})
    book["budget"] = max(budget, -1)
    return out
