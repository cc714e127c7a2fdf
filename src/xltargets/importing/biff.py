"""The BIFF records of an .xls Workbook stream, for what the importer reads itself from it: the
error cells (:mod:`.errorcells`) and the number formats (:mod:`.numfmt`). The stream comes from
olefile (:func:`.guard.check_cfb`); python-calamine reads the cells in the reader process.
"""

from __future__ import annotations

import struct
from typing import Iterator

__all__ = ["biff_records", "biff8", "sheet_name", "sheet_records"]


def biff_records(stream: bytes, pos: int = 0) -> Iterator[tuple[int, bytes]]:
    """(type, body) of each record from *pos*, in order; a record cut short by the stream's end ends them."""
    while pos + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > len(stream):
            return
        yield typ, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def biff8(stream: bytes) -> bool:
    """Whether the first BOF says BIFF8 (version 0x0600)."""
    return stream[:2] == b"\x09\x08" and stream[4:6] == b"\x00\x06"


def sheet_name(data: bytes, i: int) -> str:
    """stName of a BoundSheet8 record (BIFF8: cch, flags, chars; BIFF5: cch, code-page bytes)."""
    cch, flags = data[6], data[7]
    raw, enc = (data[8 : 8 + 2 * cch], "utf-16-le") if flags & 1 else (data[8 : 8 + cch], "latin-1") if flags == 0 else (data[7 : 7 + cch], "gbk")
    return raw.decode(enc, "replace") or f"第 {i} 个工作表"


def sheet_records(stream: bytes, globals_seen=None) -> Iterator[tuple[str, Iterator[tuple[int, bytes]]]]:
    """Each sheet's name (BoundSheet8, in order) and the records of its own substream (a chart or
    other substream nested inside is left out). *globals_seen* is given each record of the globals."""
    starts: list[tuple[int, str]] = []
    for typ, data in biff_records(stream):
        if globals_seen is not None:
            globals_seen(typ, data)
        if typ == 0x0085 and len(data) >= 8:
            starts.append((struct.unpack_from("<I", data)[0], sheet_name(data, len(starts) + 1)))
        elif typ == 0x000A:
            break
    for start, name in starts:
        yield name, _substream(stream, start)


def _substream(stream: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    depth = 0
    for typ, data in biff_records(stream, start):
        if typ in (0x0809, 0x000A):  # BOF / EOF: a chart or other substream may nest inside
            depth += 1 if typ == 0x0809 else -1
            if depth <= 0:
                return
        elif depth == 1:
            yield typ, data
