"""A delimited text's rows, each split from the text when it is asked for.

A grid of a TSV export held as lists of cell texts takes ~10.7 MB a 1,000 projects (a list and a
string a cell); its text takes a fifth of it. :class:`TextRows` keeps the text and where each line
starts, and makes a row (the same cells as :meth:`.grid.Grid.from_values` of
:func:`.delimited.split_rows`) when it is asked for, keeping the last few made. A row let go
(``rows[r] = ()``, :meth:`.grid.Grid.release`) reads as empty after. For text without quotes only:
a quoted field may span lines.
"""

from __future__ import annotations

import re
from array import array
from typing import Iterator, Sequence

from .grid import text_row

__all__ = ["TextRows"]

_EOL = re.compile(r"\r\n?|\n")


class TextRows(Sequence):
    """The rows of *text* (no ``"`` in it) split at *delimiter*: \\r, \\n and \\r\\n each end a line,
    and the newline that ends the last line starts no row, as :func:`.delimited.split_rows`."""

    __slots__ = ("_text", "_starts", "_delimiter", "_made", "_gone", "_set")

    #: rows kept once made (the rows of the form being read), all let go when there are more
    KEEP = 512

    def __init__(self, text: str, delimiter: str) -> None:
        self._text, self._delimiter = text, delimiter
        # line r is text[starts[r]:starts[r + 1] - 1], less the \r of a \r\n
        starts = self._starts = array("q", [0])
        n, k = len(text), 0
        if "\r" not in text:
            find = text.find
            while k < n:
                e = find("\n", k)
                k = n + 1 if e < 0 else e + 1
                starts.append(k)
        else:
            for m in _EOL.finditer(text):
                starts.append(m.end())
            if starts[-1] < n:  # the last line has no line end
                starts.append(n + 1)
        self._made: dict[int, list[str]] = {}
        self._gone = bytearray(len(starts) - 1)
        self._set: dict[int, object] = {}  # rows replaced by a caller (other than let go)

    def __len__(self) -> int:
        return len(self._starts) - 1

    def line(self, r: int) -> tuple[int, int]:
        """Where row *r*'s line is in the text: (start, end), its line end left out."""
        start, after = self._starts[r], self._starts[r + 1]
        end = after - 1
        if end > start and self._text[end - 1] == "\r" and end < len(self._text) and self._text[end] == "\n":
            end -= 1
        return start, end

    def widths(self) -> Iterator[tuple[int, int]]:
        """(cells, characters) of each row's line, in order, without splitting it."""
        count, delimiter = self._text.count, self._delimiter
        for r in range(len(self)):
            start, end = self.line(r)
            yield count(delimiter, start, end) + 1, end - start

    def __getitem__(self, r):
        if r.__class__ is int:  # the row being read, made already: most questions
            row = self._made.get(r)
            if row is not None:
                return row
        elif isinstance(r, slice):
            return [self[i] for i in range(*r.indices(len(self)))]
        n = len(self._starts) - 1
        if r < 0:
            r += n
        if not 0 <= r < n:
            raise IndexError(r)
        if self._gone[r]:
            return ()
        row = self._set.get(r)
        if row is not None:
            return row
        start, end = self.line(r)
        row = text_row(self._text[start:end].split(self._delimiter))
        made = self._made
        if len(made) >= self.KEEP:  # the rows of forms read already: made again if asked for
            made.clear()
        made[r] = row
        return row

    def __setitem__(self, r: int, row) -> None:
        if r < 0:
            r += len(self)
        self._made.pop(r, None)
        if row == ():  # let go
            self._gone[r] = 1
            self._set.pop(r, None)
        else:
            self._gone[r] = 0
            self._set[r] = row

    def holds(self, text: str) -> bool:
        """Whether a row's cell contains *text* (:meth:`.grid.Grid.holds`): a search of the text,
        while no row was let go or replaced."""
        if any(self._gone) or self._set or not text or text.strip() != text or self._delimiter in text or \
                "\n" in text or "\r" in text:
            return any(text in t for row in self for t in row)
        return text in self._text

    def __iter__(self) -> Iterator:
        for r in range(len(self)):
            yield self[r]

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, TextRows)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
