"""Delimited text: TSV and CSV exports, in the encodings Chinese offices save them in.

- **Encoding** by the bytes: a BOM (UTF-8, GB18030, UTF-32 and UTF-16 LE/BE); UTF-16 without a BOM by its
  zero bytes; then UTF-8; then GB18030 (a superset of GBK and GB2312).
- **Delimiter** by the content, not by the file name: a tab in the first lines makes a
  TSV (Excel's "Unicode text" and the seed's export); otherwise a comma makes a CSV.
  Amounts such as ``1,391,700.00`` in a TSV do not make it a CSV.
- **Quotes** as RFC 4180 has them, through the :mod:`csv` module. In a TSV a ``"`` that
  opens no properly closed field is text: a cell ``"青春健康`` stays as typed and does not
  swallow the rows after it.
"""

from __future__ import annotations

import csv
import re
from typing import Iterator

__all__ = ["decode", "delimiter_of", "split_rows", "iter_rows", "ENCODINGS", "CellTooLong"]

#: tried in order after the BOM checks
ENCODINGS = ("utf-8", "gb18030")

#: lines looked at to tell TSV from CSV
_SNIFF_LINES = 50


class UndecodableText(ValueError):
    """Bytes that are no text in any encoding tried; *at*: where the first byte UTF-8 refused is, when UTF-8 was tried."""

    def __init__(self, kind: str, at: int | None = None):
        super().__init__(kind)
        self.at = at


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of *data*. Raises :class:`UndecodableText`."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith(b"\x84\x31\x95\x33"):  # GB18030's BOM (U+FEFF): kept, it hid the first label
        try:
            return data[4:].decode("gb18030"), "gb18030"
        except UnicodeDecodeError as exc:
            raise UndecodableText("gb18030") from exc
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: FF FE starts both
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as exc:
            raise UndecodableText("utf-32") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UndecodableText("utf-16") from exc
    head = data[:4096]
    if head and b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        even, odd = head[0::2].count(0), head[1::2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        if max(even, odd) * 4 >= len(head) // 2:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UndecodableText(encoding) from exc
        raise UndecodableText("binary")
    first = None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first = first or exc
    raise UndecodableText("unknown", first.start if first is not None else None)


def delimiter_of(text: str) -> str:
    """``"\\t"`` or ``","``: a tab in the first lines makes a TSV; else a comma a CSV; else TSV."""
    lines = text[:65536].splitlines()[:_SNIFF_LINES]
    if any("\t" in line for line in lines):
        return "\t"
    if any("," in line for line in lines):
        return ","
    return "\t"


_EOL = re.compile(r"\r\n?|\n")


def _plain_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """The lines of *text* split at *delimiter*, one at a time (no copy of the text, no list of lines);
    \r, \n and \r\n each end a line, and the newline that ends the last line starts no row."""
    k, n = 0, len(text)
    plain = "\r" not in text  # the usual case: str.find, several times faster than the pattern
    while k < n:
        if plain:
            e = text.find("\n", k)
            e = n if e < 0 else e
            yield text[k:e].split(delimiter)
            k = e + 1
        else:
            m = _EOL.search(text, k)
            yield text[k : m.start() if m else n].split(delimiter)
            k = m.end() if m else n


def iter_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """:func:`split_rows`, the rows made one at a time as they are taken when *text* has no quote
    (the usual export): a caller that keeps each row as it comes holds no second list of them."""
    if '"' not in text:
        return _plain_rows(text, delimiter)
    return iter(split_rows(text, delimiter))


class CellTooLong(ValueError):
    """A quoted field longer than a cell may be: its row and column (from 0) and its length."""

    def __init__(self, row: int, col: int, length: int):
        super().__init__(row, col, length)
        self.row, self.col, self.length = row, col, length


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    from .limits import LIMITS

    # the csv module stops a field at its limit (by default 131,072 characters, with csv.Error: exit 3
    # before; without a limit a 90 MB field took 1 GB): one past a cell's limit, then the field is named
    limit = LIMITS["cell_chars"] + 1
    if csv.field_size_limit() != limit:
        csv.field_size_limit(limit)
    rows: list[list[str]] = []
    at = [0]  # the end of the last line handed to the reader: where the next record starts

    def lines():  # \r, \n, \r\n as io's newline="" (a StringIO held the text again, 4 bytes a character)
        k, n = 0, len(text)
        plain = "\r" not in text  # the usual case: str.find, several times faster than the pattern
        while k < n:
            if plain:
                e = text.find("\n", k)
                at[0] = n if e < 0 else e + 1
            else:
                m = _EOL.search(text, k)
                at[0] = m.end() if m else n
            yield text[k : at[0]]
            k = at[0]

    start = 0  # where the record being read starts
    try:
        for r in csv.reader(lines(), delimiter=delimiter, quotechar='"', strict=False):
            rows.append(r)
            start = at[0]
    except csv.Error:
        col, length = _long_field(text, start, delimiter, limit)
        raise CellTooLong(len(rows), col, length) from None
    return rows


def _long_field(text: str, k: int, delimiter: str, limit: int) -> tuple[int, int]:
    """(column, length) of the first field of the record at *k* that reaches *limit* characters."""
    col = 0
    while True:
        if text.startswith('"', k):  # quoted: to the quote that closes it ("" is one quote)
            end = k + 1
            while (q := text.find('"', end)) >= 0 and text.startswith('"', q + 1):
                end = q + 2
            q = len(text) if q < 0 else q
            length = q - k - 1 - text.count('""', k + 1, q)
            stop = q + 1
        else:
            ends = [e for e in (text.find(delimiter, k), text.find("\n", k), text.find("\r", k)) if e >= 0]
            stop = min(ends, default=len(text))
            length = stop - k
        if length >= limit or stop >= len(text) or text[stop] != delimiter:
            return col, length
        col, k = col + 1, stop + 1


def split_rows(text: str, delimiter: str) -> list[list[str]]:
    """Rows of cells of *text*.

    CSV: RFC 4180 (quoted fields may hold commas, quotes doubled, line breaks).
    TSV: quoted fields as Excel writes them; a row whose quotes do not pair up
    (a lone ``"`` typed at the start of a cell) is split at its tabs as it stands.
    """
    if '"' not in text:
        return list(_plain_rows(text, delimiter))
    if delimiter == ",":
        return _csv_rows(text, delimiter)
    # TSV: the csv module where every quoted field closes properly; else the line as it stands
    out: list[list[str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i]
        if '"' not in line:
            out.append(line.split("\t"))
            i += 1
            continue
        # a field opened by a quote may end on a later line: take lines until the quotes pair up
        j = i
        in_quotes, ok = _scan(line, False)
        while ok and in_quotes and j + 1 < len(lines) and j - i < _MAX_QUOTED_LINES:
            j += 1
            in_quotes, ok = _scan("\n" + lines[j], True)
        if ok and not in_quotes:
            try:
                out.extend(_csv_rows("\n".join(lines[i : j + 1]), "\t"))
            except CellTooLong as exc:
                raise CellTooLong(len(out) + exc.row, exc.col, exc.length) from None
            i = j + 1
        else:
            out.append(line.split("\t"))  # a lone quote: text, this line only
            i += 1
    return out


#: lines one quoted TSV cell may span
_MAX_QUOTED_LINES = 200


def _scan(chunk: str, in_quotes: bool) -> tuple[bool, bool]:
    """Quote state after *chunk*, starting *in_quotes*: (still inside a quoted field, every
    quoted field that closed did so right before a tab or the line's end)."""
    at_chunk_start = not in_quotes
    k, n = 0, len(chunk)
    while (q := chunk.find('"', k)) >= 0:  # from quote to quote (str.find: a 90 MB cell took 15 s a character at a time)
        if in_quotes:
            if q + 1 < n and chunk[q + 1] == '"':
                k = q + 2
                continue
            in_quotes = False
            if q + 1 < n and chunk[q + 1] not in "\t\n":
                return False, False
        elif (chunk[q - 1] in "\t\n") if q else at_chunk_start:  # a quote opens a field only at its start
            in_quotes = True
        k = q + 1
    return in_quotes, True
