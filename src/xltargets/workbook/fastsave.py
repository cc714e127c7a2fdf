"""Saving an openpyxl workbook faster, byte for byte as openpyxl writes it.

openpyxl serialises every cell through lxml's incremental writer and every
validation and conditional format through its generic ``to_tree``; for a
workbook of a thousand forms that is most of the save. :func:`save_fast`
writes the very same package: it reuses openpyxl's own writer for every part
and replaces only the worksheet serialiser with one that

* writes ``<sheetData>`` with string formatting (the escaping of lxml's ASCII
  output: ``&amp;`` ``&lt;`` ``&gt;``, ``&#13;``, other characters beyond
  ASCII as decimal character references);
* writes ``<mergeCells>`` directly, in openpyxl's order;
* serialises each distinct data validation list and conditional format once
  and reuses the text for equal ones (each sheet of a form has the same ones,
  moved by its row count).

Everything else of a worksheet goes through the element's own ``to_tree``.
A sheet holding something the fast path does not know (comments, rich text,
array formulas, dates with time zones …) is written by openpyxl itself, and
without lxml (openpyxl then writes with ElementTree, differently) the whole
workbook is.

Big workbooks need not be held in memory whole: :func:`spool_sheet` writes a
finished sheet's XML to a temporary file at once and lets its cells go, and
:func:`spool_rows` does the same for finished rows of a sheet still being
filled. Sheets are spooled in workbook order (a sheet's style ids are fixed
when it is serialised, as in a save), so the file is the same either way.

tests/test_fastsave.py compares the writers part by part, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from decimal import Decimal
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import LXML
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidationList
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

__all__ = ["save_fast", "spool_sheet", "spool_rows", "FAST"]

#: whether the fast path is available (openpyxl writes through lxml)
FAST = bool(LXML)

if FAST:
    from lxml.etree import tostring as _lxml_tostring
else:  # pragma: no cover - lxml is installed wherever the tests run
    _lxml_tostring = None

_NUMBER_TYPES = (int, float, Decimal)
_DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)
_LETTERS = [""] + [get_column_letter(i) for i in range(1, 16385)]


class _Unsupported(Exception):
    """A sheet the fast path does not write: openpyxl's own writer does."""


def _text(value: str) -> str:
    """Escaped as lxml escapes element text."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


@functools.lru_cache(maxsize=1 << 15)
def _short_text(value: str) -> str:
    return _text(value).encode("ascii", "xmlcharrefreplace").decode("ascii")


@functools.lru_cache(maxsize=1 << 12)
def _formula_text(value: str) -> str:
    return _text(value).encode("ascii", "xmlcharrefreplace").decode("ascii")


def _escaped(value: str) -> str:
    """:func:`_text`, with characters beyond ASCII as character references; texts that recur are remembered."""
    if len(value) <= 64:
        return _short_text(value)
    return _text(value)


def _attr(value: str) -> str:
    """Escaped as lxml escapes attribute values."""
    value = _text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


def cached_number(value) -> str:
    """A cached formula value as written into ``<v>`` (see consolidate.cached_values)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    return repr(value)


# --------------------------------------------------------------------------- state


class _Spool:
    """Serialised XML kept in a temporary file until the save."""

    def __init__(self) -> None:
        self._file = None
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="xltargets-")
        self._file.seek(self._end)
        self._file.write(data)
        at = self._end
        self._end += len(data)
        return at, len(data)

    def get(self, segment: tuple[int, int]) -> bytes:
        at, size = segment
        self._file.seek(at)
        return self._file.read(size)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class _SaveState:
    """What the saves (and spools) of one workbook share: style ids, serialised parts."""

    def __init__(self) -> None:
        self.styles: dict[tuple, str] = {}  # style array → ' s="N"' or ''
        self.parts: dict[tuple, str] = {}  # structural key → serialised element
        self.dxf_ids: dict[int, tuple] = {}  # id(dxf) → (dxf, id or None)
        self.spool = _Spool()
        #: a spool attempt failed half-way: no later sheet may be spooled (style ids keep sheet order)
        self.broken = False
        #: (n, the n-th sheet): the first n sheets are known to be written ahead whole
        self.closed: tuple = (0, None)

    def __del__(self) -> None:
        self.spool.close()


def _state(wb: Workbook) -> _SaveState:
    state = getattr(wb, "_xltargets_save", None)
    if state is None:
        state = _SaveState()
        wb._xltargets_save = state
    return state


class _Rows:
    """The spooled rows of a sheet: file segments, their hyperlinks and the cells' bounds."""

    def __init__(self) -> None:
        self.segments: list[tuple[int, int]] = []
        self.links: list = []
        self.first = self.last = None  # rows spooled (inclusive)
        self.min_row = self.max_row = self.min_col = self.max_col = None
        self.closed = False

    def bounds(self, rows, cols) -> None:
        if not rows:
            return
        lo, hi, clo, chi = min(rows), max(rows), min(cols), max(cols)
        self.min_row = lo if self.min_row is None else min(self.min_row, lo)
        self.max_row = hi if self.max_row is None else max(self.max_row, hi)
        self.min_col = clo if self.min_col is None else min(self.min_col, clo)
        self.max_col = chi if self.max_col is None else max(self.max_col, chi)


# --------------------------------------------------------------------------- rows


def _rows_xml(ws, state: _SaveState, rows: list[int], by_row: dict[int, list], links: list, cached) -> str:
    """``<row>`` elements of *rows* as openpyxl writes them (styles registered, links collected)."""
    styles = state.styles
    wb = ws.parent
    cell_styles = wb._cell_styles
    epoch = wb.epoch
    iso_dates = wb.iso_dates
    dims = ws.row_dimensions
    out: list[str] = []
    append = out.append
    for r in rows:
        dim = dims.get(r)
        append(f'<row r="{r}">' if dim is None else f'<row r="{r}"{_row_attrs(state, dim)}>')
        for cell in by_row[r]:
            if cell._comment is not None:
                raise _Unsupported("comment")
            style = cell._style
            if style is None:
                s = ""
            else:
                skey = tuple(style)
                s = styles.get(skey)
                if s is None:
                    s = styles[skey] = f' s="{cell_styles.add(style)}"' if any(skey) else ""
            value = cell._value
            if value is None and not s:
                continue
            t = cell.data_type
            ref = f"{_LETTERS[cell.column]}{r}"
            link = cell._hyperlink if cell.__class__ is Cell else cell.hyperlink
            if link:
                links.append(link)
            if t == "s":
                if value is None or value == "":
                    append(f'<c r="{ref}"{s} t="inlineStr"></c>')
                elif value.__class__ is str:
                    if value != value.strip():
                        append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_escaped(value)}</t></is></c>')
                    else:
                        append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{_escaped(value)}</t></is></c>')
                else:
                    raise _Unsupported("rich text")
            elif t == "n":
                if value is None or value == "":
                    append(f'<c r="{ref}"{s} t="n"></c>')
                elif isinstance(value, _NUMBER_TYPES) and value.__class__ is not bool:
                    append(f'<c r="{ref}"{s} t="n"><v>{safe_string(value)}</v></c>')
                else:
                    raise _Unsupported("number type")
            elif t == "f":
                if value.__class__ is not str:
                    raise _Unsupported("array or table formula")
                if value == "":
                    append(f'<c r="{ref}"{s}></c>')
                else:
                    v = ""
                    if cached is not None and ref in cached:
                        v = cached_number(cached.pop(ref))
                    append(f'<c r="{ref}"{s}><f>{_formula_text(value)[1:]}</f><v>{v}</v></c>')
            elif t == "d":
                if not isinstance(value, _DATE_TYPES) or getattr(value, "tzinfo", None) is not None:
                    raise _Unsupported("date")
                if iso_dates and not isinstance(value, dt.timedelta):
                    raise _Unsupported("ISO dates")
                append(f'<c r="{ref}"{s} t="n"><v>{safe_string(to_excel(value, epoch))}</v></c>')
            elif t in ("b", "e"):
                if value is None or value == "":
                    append(f'<c r="{ref}"{s} t="{t}"></c>')
                elif t == "b" and value.__class__ is bool:
                    append(f'<c r="{ref}"{s} t="b"><v>{safe_string(value)}</v></c>')
                elif t == "e" and value.__class__ is str:
                    append(f'<c r="{ref}"{s} t="e"><v>{_text(value)}</v></c>')
                else:
                    raise _Unsupported("cell type")
            else:
                raise _Unsupported("cell type")
        append("</row>")
    return "".join(out)


def _row_attrs(state: _SaveState, dim) -> str:
    """The attributes openpyxl writes for a row dimension (``dict(dim)``)."""
    if dim.has_style:
        return "".join(f' {k}="{_attr(v)}"' for k, v in dim)
    d = dim.__dict__
    key = ("row", d.get("ht"), d.get("hidden"), d.get("outlineLevel"), d.get("collapsed"),
           d.get("thickBot"), d.get("thickTop"))
    text = state.parts.get(key)
    if text is None:
        text = state.parts[key] = "".join(f' {k}="{_attr(v)}"' for k, v in dim)
    return text


def _grouped(ws, keys) -> dict[int, list]:
    cells = ws._cells
    by_row: dict[int, list] = {}
    for key in sorted(keys):
        by_row.setdefault(key[0], []).append(cells[key])
    return by_row


# --------------------------------------------------------------------------- sheets


class _FastWorksheetWriter(WorksheetWriter):
    """openpyxl's WorksheetWriter, collecting strings instead of streaming through lxml.

    ``chunks`` holds str parts and, for spooled rows, segments of the spool file.
    """

    def __init__(self, ws, state: _SaveState, cached: dict | None = None):  # noqa: D107 - no temp file, no xmlfile
        self.ws = ws
        self.ws._hyperlinks = []
        self.ws._comments = []
        self.out = None
        self.state = state
        self.cached = cached
        self._rels = RelationshipList()
        self.chunks: list = [f'<worksheet xmlns="{SHEET_MAIN_NS}">']
        self.xf = self._sink()
        next(self.xf)

    def _sink(self):
        chunks = self.chunks
        while True:
            el = yield
            if el is None or el is True:
                continue
            chunks.append(_lxml_tostring(el).decode("ascii"))

    def _memo(self, key, make) -> None:
        parts = self.state.parts
        text = parts.get(key)
        if text is None:
            text = parts[key] = _lxml_tostring(make()).decode("ascii")
        self.chunks.append(text)

    # -- cells -------------------------------------------------------------------
    def write_dimensions(self):
        cells = self.ws._cells
        spooled: _Rows | None = getattr(self.ws, "_xltargets_rows", None)
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        if spooled is not None and spooled.min_row is not None:
            rows += [spooled.min_row, spooled.max_row]
            cols += [spooled.min_col, spooled.max_col]
        if not rows:
            self.chunks.append('<dimension ref="A1:A1"/>')
            return
        self.chunks.append(f'<dimension ref="{_LETTERS[min(cols)]}{min(rows)}:{_LETTERS[max(cols)]}{max(rows)}"/>')

    def write_rows(self):
        ws = self.ws
        spooled: _Rows | None = getattr(ws, "_xltargets_rows", None)
        by_row = _grouped(ws, ws._cells)
        for r in ws.row_dimensions.keys() - by_row.keys():
            by_row[r] = []
        order = sorted(by_row)
        links = ws._hyperlinks
        self.chunks.append("<sheetData>")
        if spooled is None or not spooled.segments:
            self.chunks.append(_rows_xml(ws, self.state, order, by_row, links, self.cached))
        else:
            before = [r for r in order if r < spooled.first]
            after = [r for r in order if r > spooled.last]
            if len(before) + len(after) != len(order):
                raise RuntimeError(f"sheet {ws.title!r}: cells were added to rows already written ahead")
            self.chunks.append(_rows_xml(ws, self.state, before, by_row, links, self.cached))
            links.extend(spooled.links)
            self.chunks.extend(spooled.segments)
            self.chunks.append(_rows_xml(ws, self.state, after, by_row, links, self.cached))
        self.chunks.append("</sheetData>")

    # -- merges, conditional formats, validations -----------------------------------
    def write_merged_cells(self):
        merged = self.ws.merged_cells
        if merged:
            refs = []
            for cr in merged:
                d = cr.__dict__
                c1, r1, c2, r2 = d["min_col"], d["min_row"], d["max_col"], d["max_row"]
                if c1 == c2 and r1 == r2:
                    refs.append(f'<mergeCell ref="{_LETTERS[c1]}{r1}"/>')
                else:
                    refs.append(f'<mergeCell ref="{_LETTERS[c1]}{r1}:{_LETTERS[c2]}{r2}"/>')
            self.chunks.append(f'<mergeCells count="{len(refs)}">{"".join(refs)}</mergeCells>')

    def write_formatting(self):
        df = DifferentialStyle()
        wb = self.ws.parent
        dxf_ids = self.state.dxf_ids
        for cf in _formats(self.ws.conditional_formatting):
            rule_keys = []
            for rule in cf.rules:
                dxf = rule.dxf
                if dxf:
                    known = dxf_ids.get(id(dxf))
                    if known is None or known[0] is not dxf:
                        known = dxf_ids[id(dxf)] = (dxf, wb._differential_styles.add(dxf) if dxf != df else None)
                    if known[1] is not None:
                        rule.dxfId = known[1]
                if rule.colorScale is not None or rule.dataBar is not None or rule.iconSet is not None:
                    rule_keys = None
                if rule_keys is not None:
                    rule_keys.append((tuple(rule), tuple(rule.formula)))
            if rule_keys is None or cf.pivot is not None:
                self.xf.send(cf.to_tree())
            else:
                self._memo(("cf", str(cf.sqref), tuple(rule_keys)), cf.to_tree)

    def write_validations(self):
        dvs = self.ws.data_validations
        if dvs:
            key = ("dv", tuple(dvs), tuple((tuple(dv), dv.formula1, dv.formula2) for dv in dvs.dataValidation))
            self._memo(key, dvs.to_tree)

    def write(self):  # noqa: D102
        self.write_top()
        self.write_rows()
        self.write_tail()
        self.chunks.append("</worksheet>")

    def pieces(self):
        """The sheet's XML, piece by piece (bytes)."""
        text: list[str] = []
        for chunk in self.chunks:
            if isinstance(chunk, str):
                text.append(chunk)
                continue
            if text:
                yield "".join(text).encode("ascii", "xmlcharrefreplace")
                text = []
            yield self.state.spool.get(chunk)
        if text:
            yield "".join(text).encode("ascii", "xmlcharrefreplace")

    def read(self) -> bytes:
        return b"".join(self.pieces())

    def close(self):
        """Stop the element sink (it refers back to the writer: without this the two wait for the GC)."""
        if self.xf is not None:
            self.xf.close()
            self.xf = None

    def cleanup(self):
        self.close()


def _closed(ws) -> bool:
    rows = getattr(ws, "_xltargets_rows", None)
    return getattr(ws, "_xltargets_sheet", None) is not None or (rows is not None and rows.closed)


def _formats(cfl):
    """``iter(cfl)`` (each ConditionalFormatting with its rules set), without hashing every range.

    A ConditionalFormattingList keeps its formats in an OrderedDict, whose
    iteration looks each key up again, and a range's hash is its text. The
    plain dict underneath holds the same keys in the same order: the list
    only adds formats at the end or deletes them.
    """
    od = cfl._cf_rules
    for cf, rules in zip(dict.keys(od), dict.values(od)):
        cf.rules = rules
        yield cf


def _spoolable(ws) -> bool:
    """Whether *ws* may be written ahead: a plain sheet, every sheet before it already written whole."""
    if not FAST or ws.parent is None or _state(ws.parent).broken:
        return False
    if ws._charts or ws._images or ws._tables or ws._pivots or ws.legacy_drawing is not None:
        return False
    state = _state(ws.parent)
    sheets = ws.parent._sheets
    i, last = state.closed
    if i > len(sheets) or (i and sheets[i - 1] is not last):
        i = 0  # the sheets were reordered: count again
    while i < len(sheets) and sheets[i] is not ws and _closed(sheets[i]):
        i += 1
    state.closed = (i, sheets[i - 1] if i else None)
    return i < len(sheets) and sheets[i] is ws


def spool_sheet(ws) -> bool:
    """Serialise the finished sheet *ws* now, exactly as the save would, and drop its cells.

    The sheet keeps its title, state, print settings and properties; its
    cells, merges, row and column dimensions, validations and conditional
    formats go (the save writes the spooled XML). Returns False, changing
    nothing, when the sheet cannot be written ahead: then the save writes it.
    """
    if getattr(ws, "_xltargets_rows", None) is not None or not _spoolable(ws):
        return False
    state = _state(ws.parent)
    outline = ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol
    writer = _FastWorksheetWriter(ws, state)
    try:
        writer.write()
    except _Unsupported:
        writer.close()
        ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol = outline
        state.broken = True
        return False
    ws._xltargets_sheet = (state.spool.put(writer.read()), writer._rels)
    writer.close()
    ws._cells = {}
    ws.merged_cells = MultiCellRange()
    ws.row_dimensions.clear()
    ws.column_dimensions.clear()
    ws.data_validations = DataValidationList()
    ws.conditional_formatting = ConditionalFormattingList()
    return True


def spool_rows(ws, below: int | None = None, *, close: bool = False) -> bool:
    """Serialise the rows of *ws* above row *below* (all when None) now, and drop them.

    Later cells must go below the spooled rows. *close* says the sheet is
    finished (its later sheets may then be spooled; pass it with the last
    call). Returns False, changing nothing, when the sheet cannot be written
    ahead.
    """
    rows_state: _Rows | None = getattr(ws, "_xltargets_rows", None)
    if rows_state is None:
        if getattr(ws, "_xltargets_sheet", None) is not None or not _spoolable(ws):
            return False
        rows_state = _Rows()
    elif rows_state.closed:
        raise RuntimeError(f"sheet {ws.title!r} was closed for writing ahead")
    state = _state(ws.parent)
    keys = [k for k in ws._cells if below is None or k[0] < below]
    dim_rows = [r for r in ws.row_dimensions if below is None or r < below]
    by_row = _grouped(ws, keys)
    for r in dim_rows:
        by_row.setdefault(r, [])
    order = sorted(by_row)
    if order and rows_state.last is not None and order[0] <= rows_state.last:
        raise RuntimeError(f"sheet {ws.title!r}: rows must be written ahead in order")
    if order:
        links: list = []
        try:
            text = _rows_xml(ws, state, order, by_row, links, None)
        except _Unsupported:
            state.broken = True
            if rows_state.segments:
                raise RuntimeError(f"sheet {ws.title!r}: cannot write these rows ahead") from None
            return False
        rows_state.segments.append(state.spool.put(text.encode("ascii", "xmlcharrefreplace")))
        rows_state.links.extend(links)
        rows_state.first = order[0] if rows_state.first is None else rows_state.first
        rows_state.last = order[-1]
        rows_state.bounds([k[0] for k in keys], [k[1] for k in keys])
        for k in keys:
            del ws._cells[k]
        for r in dim_rows:
            dict.__delitem__(ws.row_dimensions, r)
    rows_state.closed = close
    ws._xltargets_rows = rows_state
    return True


# --------------------------------------------------------------------------- the package


class _PinnedZipFile(ZipFile):
    """A zip whose parts all carry one fixed time (reproducible files)."""

    date_time = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)


class _FastExcelWriter(ExcelWriter):
    def __init__(self, workbook, archive, *, cached=None, date_time=None):
        super().__init__(workbook, archive)
        self._state = _state(workbook)
        self._cached = {k: dict(v) for k, v in (cached or {}).items()}
        self._date_time = date_time

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        cached = self._cached.get(ws.title)
        spooled = getattr(ws, "_xltargets_sheet", None)
        if spooled is not None:
            segment, rels = spooled
            ws._hyperlinks = []
            ws._comments = []
            ws._rels = rels
            self._archive.writestr(ws.path[1:], self._state.spool.get(segment))
            self.manifest.append(ws)
            return
        # writing the top sets these two (openpyxl's writer reads the first before it sets the second)
        outline = ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol
        writer = _FastWorksheetWriter(ws, self._state, cached)
        try:
            writer.write()
        except _Unsupported:
            writer.close()
            if getattr(ws, "_xltargets_rows", None) is not None or cached:
                raise
            ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol = outline
            slow = WorksheetWriter(ws)
            slow.write()
            ws._rels = slow._rels
            self._archive.write(slow.out, ws.path[1:])
            self.manifest.append(ws)
            slow.cleanup()
            return
        writer.close()
        if cached:
            raise ValueError(f"no formula cell {next(iter(cached))} to cache on sheet {ws.title!r}")
        ws._rels = writer._rels
        if len(writer.chunks) < 64 and not any(isinstance(c, tuple) for c in writer.chunks):
            self._archive.writestr(ws.path[1:], writer.read())
        else:
            info = ZipInfo(ws.path[1:], date_time=self._date_time or dt.datetime.now().timetuple()[:6])
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with self._archive.open(info, "w") as out:
                for piece in writer.pieces():
                    out.write(piece)
        self.manifest.append(ws)


def save_fast(wb: Workbook, filename, *, cached: dict | None = None, date_time: tuple | None = None) -> None:
    """Write *wb* to *filename* (a path or a binary file), the same parts as ``wb.save``.

    *cached* gives formula cells their cached values (``{sheet title: {cell:
    value}}``, written into ``<v>``); *date_time* pins every part's time in
    the zip (reproducible files).
    """
    if not FAST:  # pragma: no cover - lxml is installed wherever the tests run
        if cached or date_time or any(getattr(ws, "_xltargets_sheet", None) or getattr(ws, "_xltargets_rows", None)
                                      for ws in wb.worksheets):
            raise RuntimeError("this workbook needs xltargets' writer (lxml is not installed)")
        wb.save(filename)
        return
    if date_time is None:
        archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
    else:
        archive = _PinnedZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
        archive.date_time = date_time
    wb.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    writer = _FastExcelWriter(wb, archive, cached=cached, date_time=date_time)
    try:
        writer.save()
    except BaseException:
        _abandon(archive)
        raise


def _abandon(archive: ZipFile) -> None:
    """Let go of a zip whose writing failed: close the file we opened, and leave nothing for
    ``ZipFile.__del__`` to write (it would fail again later, on a full disk, inside the garbage collector)."""
    fp, opened = archive.fp, not archive._filePassed
    archive._writing = False
    archive.fp = None  # ZipFile.close() (and __del__) now do nothing
    if fp is not None and opened:
        try:
            fp.close()  # closes the file even when flushing what is left fails
        except OSError:
            pass
