"""An xlsb's records and its sheets by name: the BIFF12 record walk, and workbook.bin's BrtBundleSh
records (MS-XLSB 2.4.720: hsState, iTabID, strRelID, strName) with workbook.bin.rels, which give
each sheet name its part. :mod:`.errorcells` finds a sheet's error cells with them, :mod:`.numfmt`
its number formats.
"""

from __future__ import annotations

import posixpath
import struct

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException


__all__ = ["xlsb_records", "xlsb_sheet_parts", "xlsb_string"]


def xlsb_records(data: bytes):
    """(type, body) of each BIFF12 record of *data*, in order, as calamine reads them: the type and
    size little-endian base 128 (at most 2 and 4 bytes); a record cut short by the end stops it."""
    pos, end = 0, len(data)
    while True:
        head = [0, 0]
        for k, width in enumerate((2, 4)):
            for i in range(width):
                if pos >= end:
                    return
                head[k], pos = head[k] | (data[pos] & 0x7F) << 7 * i, pos + 1
                if data[pos - 1] < 0x80:
                    break
        (typ, size), body = head, data[pos : pos + head[1]]
        if len(body) < size:
            return  # a record cut short by the end of the part: nothing after it to read
        pos += size
        yield typ, body


def xlsb_sheet_parts(read) -> dict[str, str]:
    """Sheet name → its part (lower case, "/"), from workbook.bin's BrtBundleSh records and
    workbook.bin.rels, each got through *read* (a part's name → its bytes or None); {} where
    either cannot be read (the sheets are then known by their parts' names)."""
    try:
        rels = DET.fromstring(read("xl/_rels/workbook.bin.rels") or b"<r/>", forbid_dtd=True)
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        out = {}
        for typ, body in xlsb_records(read("xl/workbook.bin") or b""):
            if typ == 0x009C and len(body) >= 12:  # BrtBundleSh: hsState, iTabID, strRelID, strName
                rid, pos = xlsb_string(body, 8)
                name, _ = xlsb_string(body, pos)
                if name is not None and (target := targets.get(rid, "")):
                    out[name] = (target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)).lower()
        return out
    except (DET.ParseError, LookupError, ValueError, DefusedXmlException, struct.error):
        return {}


def xlsb_string(data: bytes, pos: int) -> tuple[str | None, int]:
    """An XLWideString (or a null XLNullableWideString) at *pos*, and the position after it."""
    cch = struct.unpack_from("<I", data, pos)[0]
    if cch == 0xFFFFFFFF:
        return None, pos + 4
    if (end := pos + 4 + 2 * cch) > len(data):
        raise struct.error("a string runs past its record")
    return data[pos + 4 : end].decode("utf-16-le", "replace"), end
