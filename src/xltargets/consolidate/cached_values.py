"""Put cached values into formula cells of a saved workbook (zip level).

openpyxl writes ``<f>SUM(...)</f><v></v>``: Excel recalculates on load, but
readers that do not (calamine, previewers, some mail clients) show nothing.
This module fills ``<v>`` with the value we computed, rewriting only that
sheet's XML; every other part is copied byte for byte. Zip member times are
pinned to 1980-01-01 so two runs give the same archive.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

__all__ = ["sheet_part", "add_cached_values", "FIXED_ZIP_TIME"]

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
#: zip member time of every part of a 汇总表 workbook (two runs give the same archive)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_TIME = FIXED_ZIP_TIME


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str:
    """Zip member name of the worksheet called *sheet_name*."""
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    for sheet in wb.iterfind("m:sheets/m:sheet", _NS):
        if sheet.get("name") == sheet_name:
            target = targets[sheet.get(f"{{{_NS['r']}}}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    raise KeyError(sheet_name)


def _number(value: Decimal | int | float) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    return repr(value)


def _fill(xml: str, values: dict[str, Decimal | int | float]) -> str:
    for ref, value in values.items():
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>[^<]*</v>)?')
        xml, n = pattern.subn(lambda m: f"{m.group(1)}<v>{_number(value)}</v>", xml, count=1)
        if n != 1:
            raise ValueError(f"no formula cell {ref} to cache")
    return xml


def add_cached_values(path: Path, sheet_name: str, values: dict[str, Decimal | int | float]) -> None:
    """Rewrite the workbook at *path* with ``<v>`` values in the given formula cells."""
    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        part = sheet_part(zf, sheet_name)
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
    tmp = path.with_name(path.name + ".cv")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for info, data in members:
                if info.filename == part:
                    data = _fill(data.decode("utf-8"), values).encode("utf-8")
                zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                out.writestr(zi, data)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
