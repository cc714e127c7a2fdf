"""The ruled tables of a PDF's pages, read by pdfplumber in the reader process (:mod:`xltargets.reader`).

:mod:`xltargets.importing.pdf` sends ``{"op": "pdf", "path": …, "pages": limit, "memory": …}``;
:func:`serve` answers ``("opening",)``, ``("count", pages)``, ``("page", n)`` before page *n*
is read, then returns ``("done", [PageTables, …])`` or ``("error", kind, detail)`` (kind: ``pages``
when the PDF has more pages than allowed, checked before any page is read; ``password``,
``memory``, ``broken``). The reader process caps its memory; the parent limits the time a page.

This module sits outside :mod:`xltargets.importing` on purpose: the reader process imports
pdfplumber and the standard library, not the importing package (and with it the model).
It only extracts text and tables; which tables are forms is decided in the parent.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PageTables", "TableCells", "join_wrapped", "extract_pages", "has_keywords", "serve"]

#: a page whose text holds none of these is no form page (unless it may continue one). 绩效目标: a
#: table 项目 | 预算数 | 绩效目标 whose goal cells may write indicators (广州市交通运输局 2026) can start
#: on a page with neither 指标 nor 项目名称
_PAGE_KEYWORDS = ("指标", "项目名称", "绩效目标")
#: points within which characters are one line of a cell. pdfplumber's default (3) splits a line
#: printed in two fonts: WPS sets digits in a Latin font whose top is 3.3 pt below the CJK
#: characters' at 11 pt (福州 2026, tests/realforms/pdf), and ``≤5137.26平方米`` came out as
#: ``平≤5137.26方米``. Lines of a cell are at least ~9 pt apart, so 5 keeps them apart.
_LINE_TOLERANCE = 5
_LATIN = re.compile(r"[A-Za-z]")
#: a space pdfplumber puts in the gap a PDF leaves between a CJK character and a Latin letter or
#: digit: 「2026 年医疗…」 in a 20 pt cell (福州市医疗保障局 2026), where the PDF has no space character
#: (pdfplumber drops space glyphs and puts a space wherever a gap is wider than 3 pt)
_CJK_LATIN_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[\u3400-\u9fff])")


@dataclass
class TableCells:
    """One ruled table of a page: its bounding box and its rows of (left edge, text)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[float, str]]]
    #: no ruling along its top edge: its first cells continue cells of the page before (cut by the page break)
    open_top: bool = False


@dataclass
class PageTables:
    """What one page gave: its tables (top to bottom) and the text lines above each table."""

    number: int  # 1-based
    height: float
    tables: list[TableCells] = field(default_factory=list)
    #: per table, the text lines between the previous table and this one
    titles: list[list[str]] = field(default_factory=list)
    chars: int = 0
    images: int = 0
    #: characters whose font maps to no Unicode (no ToUnicode): pdfminer gives their glyph id, ``(cid:123)``
    unmapped: int = 0
    #: characters not set upright (the page's text runs sideways or upside down as displayed)
    turned: int = 0


def join_wrapped(text: str) -> str:
    """A cell's lines as one text: ``"上海市卫生健康委员\\n会"`` → ``"上海市卫生健康委员会"``."""
    if "\n" not in text:
        return text.strip()
    out = ""
    spaced = False  # a blank printed at the end of the line before (the wrap fell on a space)
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            spaced = spaced or bool(raw)
            continue
        if out and (spaced or raw[0].isspace() or (_LATIN.match(out[-1]) and _LATIN.match(line[0]))):
            out += " "
        out += line
        spaced = raw[-1].isspace()
    return out


def _page_tables(page, number: int, *, continues: bool = False) -> PageTables:
    """The tables of *page*; none are looked for when its text has no form word and
    the page cannot continue a table of the previous one (*continues*)."""
    chars = page.chars
    result = PageTables(number=number, height=float(page.height), chars=len(chars), images=len(page.images))
    if not chars:
        return result
    result.unmapped = sum(c["text"].startswith("(cid:") for c in chars)
    result.turned = sum(not (c["upright"] and c["matrix"][0] > 0) for c in chars)
    if not continues:
        text = "".join("".join(c["text"] for c in chars).split())
        if not any(k in text for k in _PAGE_KEYWORDS):
            return result
    page = _without_blanks_on_rulings(page, chars)
    tables = page.find_tables()
    open_edges = {t.bbox: _open_edges(page, t.bbox) for t in tables}
    if any(open_edges.values()):
        tables = page.find_tables({"explicit_horizontal_lines": [
            _closing_line(bbox, y) for bbox, ys in open_edges.items() for y in ys]})
    open_tops = [bbox[1] for bbox, ys in open_edges.items() if bbox[1] in ys]
    tables = sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0]))
    previous_bottom = 0.0
    for table in tables:
        rows = [
            [
                (round(float(bbox[0]), 1), _CJK_LATIN_GAP.sub("", join_wrapped(text)))
                for bbox, text in zip(row.cells, row_texts)
                if bbox is not None and text is not None
            ]
            for row, row_texts in zip(table.rows, table.extract(y_tolerance=_LINE_TOLERANCE, keep_blank_chars=True))
        ]
        top = float(table.bbox[1])
        lines: list[str] = []
        if top - previous_bottom > 4:
            above = page.crop((0, previous_bottom, float(page.width), top), strict=False)
            lines = [s for line in above.extract_text_lines(return_chars=False) if (s := line["text"].strip())]
        previous_bottom = float(table.bbox[3])
        open_top = any(abs(top - y) <= 1 for y in open_tops)
        result.tables.append(TableCells(bbox=tuple(float(v) for v in table.bbox), rows=rows, open_top=open_top))
        result.titles.append(lines)
    return result


def _open_edges(page, bbox) -> list[float]:
    """The edges (top, bottom) of a table at *bbox* whose ruling covers less than its width: the table
    is cut by the page break there. 北京 2026 (WPS): a project's merged cells run on to the next page
    with no line under them, so pdfplumber found no cell there and their text (the project's name,
    amounts and goal) was lost; a line along the table's own edge closes them, as the page does."""
    x0, top, x1, bottom = bbox
    out = []
    for y in (top, bottom):
        spans = sorted((max(e["x0"], x0), min(e["x1"], x1)) for e in page.horizontal_edges
                       if abs(e["top"] - y) <= 1 and e["x1"] > x0 and e["x0"] < x1)
        covered, reach = 0.0, x0  # the length of the union of the lines' spans
        for a, b in spans:
            if b > reach:
                covered += b - max(a, reach)
                reach = b
        if covered < (x1 - x0) * 0.98:
            out.append(y)
    return out


def _closing_line(bbox, y: float) -> dict:
    x0, _, x1, _ = bbox
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"}


def _without_blanks_on_rulings(page, chars):
    """*page* without the blank characters printed across a vertical ruling line (广州 2026: WPS
    writes 「33.00 」 with a trailing blank that sits on the cell's right ruling; pdfplumber gave it
    to the next cell, as a blank at the start of one of its lines: 「…和环保 电视内参片」). Such a blank
    belongs to neither cell. The page itself when it has none (its tables are read as before)."""
    blanks = [c for c in chars if c["text"].isspace()]
    if not blanks:
        return page
    rulings = [e for e in page.edges if e["orientation"] == "v"]

    def on_a_ruling(c) -> bool:
        return any(c["x0"] < e["x0"] < c["x1"] and e["top"] <= c["bottom"] and e["bottom"] >= c["top"] for e in rulings)

    drop = {id(c) for c in blanks if on_a_ruling(c)}
    if not drop:
        return page
    return page.filter(lambda obj: id(obj) not in drop)


def extract_pages(path: str | Path, *, on_page=None) -> list[PageTables]:
    """Every page's tables, in this process, without limits on time or memory.

    *on_page(number, count)* is called before each page is read (number 0 first).
    """
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd fonts are no news to a user
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pages: list[PageTables] = []
        with pdfplumber.open(str(path)) as pdf:
            count = len(pdf.pages)
            if on_page is not None:
                on_page(0, count)
            for i, page in enumerate(pdf.pages):
                if on_page is not None and i:
                    on_page(i, count)
                pages.append(_page_tables(page, i + 1, continues=bool(pages and pages[-1].tables)))
                page.close()  # frees what pdfplumber cached for the page
        return pages


# --------------------------------------------------------------------------- in the reader process


def _failure(exc: BaseException) -> tuple[str, str]:
    names = set()
    e: BaseException | None = exc
    while e is not None:
        names.add(type(e).__name__)
        for arg in getattr(e, "args", ())[:1]:
            if isinstance(arg, BaseException):
                names.add(type(arg).__name__)
        e = e.__cause__ or e.__context__
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return "password", ""
    if isinstance(exc, MemoryError) or "Unable to allocate" in str(exc):
        return "memory", ""
    return "broken", " ".join(f"{type(exc).__name__}: {exc}".split())[:120]


class _TooManyPages(Exception):
    pass


def has_keywords(path: str | Path, keywords: str) -> bool:
    """Whether the document information of the PDF at *path* gives exactly *keywords* (our mark)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    with open(path, "rb") as fh:
        for info in PDFDocument(PDFParser(fh)).info:
            value = resolve1(info.get("Keywords"))
            if isinstance(value, bytes) and decode_text(value).strip() == keywords:
                return True
    return False


def serve(request: dict, send) -> tuple:
    """Read the PDF of *request* in the reader process (:mod:`xltargets.reader`), telling its progress; its
    last frame returned. With ``"keywords"``, only whether its document information gives them (``("done", bool)``)."""
    if "keywords" in request:  # pdfminer resolves the information dictionary wherever it is: an object
        # stream inflating to gigabytes, a cross-reference stream as well; here under the reader's cap
        try:
            return ("done", has_keywords(request["path"], request["keywords"]))
        except Exception as exc:  # noqa: BLE001 - a PDF that cannot be read is not ours
            return ("error", *_failure(exc))
    send("opening")

    def on_page(i: int, count: int) -> None:
        if i == 0:
            send("count", count)
            if count > request["pages"]:
                raise _TooManyPages(count)
        send("page", i + 1)

    try:
        return ("done", extract_pages(request["path"], on_page=on_page))
    except _TooManyPages as exc:
        return ("error", "pages", exc.args[0])
    except Exception as exc:  # noqa: BLE001 - every failure goes back as a message
        return ("error", *_failure(exc))
