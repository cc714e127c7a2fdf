"""An xlsb's sheets by name: workbook.bin's BrtBundleSh records (MS-XLSB 2.4.720: hsState,
iTabID, strRelID, strName) and workbook.bin.rels give each sheet name its part. The pre-scan
(:mod:`.package`) names its xlsb scans with it, through the importer's notes (:mod:`.errorcells`),
so that an error cell goes to its sheet; :mod:`.numfmt` finds a sheet's cells with it.
"""

from __future__ import annotations

import posixpath
import struct

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from .package import xlsb_records

__all__ = ["xlsb_records", "xlsb_sheet_parts", "xlsb_string"]


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
