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
  per save and reuses the bytes for equal ones (each sheet of a form has the
  same ones, moved by its row count).

Everything else of a worksheet goes through the element's own ``to_tree``.
A sheet holding something the fast path does not know (comments, rich text,
array formulas, dates with time zones …) is written by openpyxl itself, and
without lxml (openpyxl then writes with ElementTree, differently) the whole
workbook is. tests/test_fastsave.py compares the two writers part by part,
byte for byte.
"""

from __future__ import annotations

import datetime as dt
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import LXML
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

__all__ = ["save_fast", "FAST"]

#: whether the fast path is available (openpyxl writes through lxml)
FAST = bool(LXML)

if FAST:
    from lxml.etree import tostring as _lxml_tostring
else:  # pragma: no cover - lxml is installed wherever the tests run
    _lxml_tostring = None

_CELL_TYPES = frozenset("snfdbe")
_NUMBER_TYPES = (int, float)
_DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)


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


class _SaveState:
    """What one save shares between its sheets: style ids, serialised parts."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.styles: dict[tuple, str] = {}  # style array → ' s="N"' or ''
        self.parts: dict[tuple, str] = {}  # structural key → serialised element
        self.dxf_ids: dict[int, int | None] = {}
        self.letters = [""] + [get_column_letter(i) for i in range(1, 16385)]


class _FastWorksheetWriter(WorksheetWriter):
    """openpyxl's WorksheetWriter, collecting strings instead of streaming through lxml."""

    def __init__(self, ws, state: _SaveState):  # noqa: D107 - no temp file, no xmlfile
        self.ws = ws
        self.ws._hyperlinks = []
        self.ws._comments = []
        self.out = None
        self.state = state
        self._rels = RelationshipList()
        self.chunks: list[str] = [f'<worksheet xmlns="{SHEET_MAIN_NS}">']
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
        if not cells:
            self.chunks.append('<dimension ref="A1:A1"/>')
            return
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        letters = self.state.letters
        self.chunks.append(f'<dimension ref="{letters[min(cols)]}{min(rows)}:{letters[max(cols)]}{max(rows)}"/>')

    def write_rows(self):
        ws = self.ws
        state = self.state
        styles = state.styles
        letters = state.letters
        wb = ws.parent
        cell_styles = wb._cell_styles
        epoch = wb.epoch
        iso_dates = wb.iso_dates
        links = ws._hyperlinks
        dims = ws.row_dimensions
        out = ["<sheetData>"]
        append = out.append

        by_row: dict[int, list] = {}
        for key in sorted(ws._cells):
            by_row.setdefault(key[0], []).append(ws._cells[key])
        for r in dims.keys() - by_row.keys():
            by_row[r] = []

        for r in sorted(by_row):
            dim = dims.get(r)
            if dim is None:
                append(f'<row r="{r}">')
            else:
                append(f'<row r="{r}"{self._row_attrs(dim)}>')
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
                ref = f"{letters[cell.column]}{r}"
                link = cell._hyperlink if cell.__class__ is Cell else cell.hyperlink
                if link:
                    links.append(link)
                if t == "s":
                    if value is None or value == "":
                        append(f'<c r="{ref}"{s} t="inlineStr"></c>')
                    elif value.__class__ is str:
                        if value != value.strip():
                            append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
                                   f"{_text(value)}</t></is></c>")
                        else:
                            append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{_text(value)}</t></is></c>')
                    else:
                        raise _Unsupported("rich text")
                elif t == "n":
                    if value is None or value == "":
                        append(f'<c r="{ref}"{s} t="n"></c>')
                    elif isinstance(value, _NUMBER_TYPES) or value.__class__.__name__ == "Decimal":
                        append(f'<c r="{ref}"{s} t="n"><v>{safe_string(value)}</v></c>')
                    else:
                        raise _Unsupported("number type")
                elif t == "f":
                    if value.__class__ is not str:
                        raise _Unsupported("array or table formula")
                    if value == "":
                        append(f'<c r="{ref}"{s}></c>')
                    else:
                        append(f'<c r="{ref}"{s}><f>{_text(value[1:])}</f><v></v></c>')
                elif t == "d":
                    if not isinstance(value, _DATE_TYPES) or getattr(value, "tzinfo", None) is not None:
                        raise _Unsupported("date")
                    if iso_dates and not isinstance(value, dt.timedelta):
                        raise _Unsupported("ISO dates")
                    append(f'<c r="{ref}"{s} t="n"><v>{safe_string(to_excel(value, epoch))}</v></c>')
                elif t in _CELL_TYPES:
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
        append("</sheetData>")
        self.chunks.append("".join(out))

    def _row_attrs(self, dim) -> str:
        """The attributes openpyxl writes for a row dimension (``dict(dim)``)."""
        if dim.has_style:
            return "".join(f' {k}="{_attr(v)}"' for k, v in dim)
        d = dim.__dict__
        key = ("row", d.get("ht"), d.get("hidden"), d.get("outlineLevel"), d.get("collapsed"),
               d.get("thickBot"), d.get("thickTop"))
        text = self.state.parts.get(key)
        if text is None:
            text = self.state.parts[key] = "".join(f' {k}="{_attr(v)}"' for k, v in dim)
        return text

    # -- merges, conditional formats, validations -----------------------------------
    def write_merged_cells(self):
        merged = self.ws.merged_cells
        if merged:
            letters = self.state.letters
            refs = []
            for cr in merged:
                d = cr.__dict__
                c1, r1, c2, r2 = d["min_col"], d["min_row"], d["max_col"], d["max_row"]
                if c1 == c2 and r1 == r2:
                    refs.append(f'<mergeCell ref="{letters[c1]}{r1}"/>')
                else:
                    refs.append(f'<mergeCell ref="{letters[c1]}{r1}:{letters[c2]}{r2}"/>')
            self.chunks.append(f'<mergeCells count="{len(refs)}">{"".join(refs)}</mergeCells>')

    def write_formatting(self):
        df = DifferentialStyle()
        wb = self.ws.parent
        dxf_ids = self.state.dxf_ids
        for cf in self.ws.conditional_formatting:
            rule_keys = []
            for rule in cf.rules:
                dxf = rule.dxf
                if dxf:
                    known = dxf_ids.get(id(dxf), False)
                    if known is False:
                        known = dxf_ids[id(dxf)] = wb._differential_styles.add(dxf) if dxf != df else None
                    if known is not None:
                        rule.dxfId = known
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

    def read(self) -> bytes:
        return "".join(self.chunks).encode("ascii", "xmlcharrefreplace")

    def cleanup(self):
        pass


class _FastExcelWriter(ExcelWriter):
    def __init__(self, workbook, archive):
        super().__init__(workbook, archive)
        self._state = _SaveState(workbook)

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if self.workbook.write_only:  # pragma: no cover - we never write write-only workbooks
            return super().write_worksheet(ws)
        writer = _FastWorksheetWriter(ws, self._state)
        try:
            writer.write()
            data = writer.read()
        except _Unsupported:
            slow = WorksheetWriter(ws)
            slow.write()
            ws._rels = slow._rels
            self._archive.write(slow.out, ws.path[1:])
            self.manifest.append(ws)
            slow.cleanup()
            return
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], data)
        self.manifest.append(ws)


_OPENPYXL_SAVE = Workbook.save


def save_fast(wb: Workbook, filename) -> None:
    """Write *wb* to *filename* (a path or a binary file), the same bytes as ``wb.save``.

    Where ``Workbook.save`` has been replaced (a test double simulating a
    full disk, say), the replacement is called instead.
    """
    if not FAST or type(wb).save is not _OPENPYXL_SAVE:
        wb.save(filename)
        return
    archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    writer = _FastExcelWriter(wb, archive)
    writer.save()
