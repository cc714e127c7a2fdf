"""Reading our output workbooks at the XML level: cell types, texts, formulas, sheet names."""

from __future__ import annotations

import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["sheet_parts", "cell_texts", "formulas", "sheet_names"]

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part, through workbook.xml and its relationships."""
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {
        r.get("Id"): (r.get("Target").lstrip("/") if r.get("Target").startswith("/") else posixpath.normpath("xl/" + r.get("Target")))
        for r in rels
    }
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    return {s.get("name"): target[s.get(_R)] for s in wb.iter(NS + "sheet")}


def sheet_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return list(sheet_parts(z))


def _shared(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(NS + "t")) for si in root]


def cell_texts(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, ref) → (cell type, text as stored) for every cell holding a value."""
    out = {}
    with zipfile.ZipFile(path) as z:
        sst = _shared(z)
        for sheet, part in sheet_parts(z).items():
            for c in ET.fromstring(z.read(part)).iter(NS + "c"):
                typ = c.get("t", "n")
                v = c.find(NS + "v")
                if typ == "s" and v is not None:
                    text = sst[int(v.text)]
                elif typ == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(NS + "t"))
                elif v is not None:
                    text = v.text or ""
                else:
                    continue
                out[(sheet, c.get("r"))] = (typ, text)
    return out


def formulas(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, ref, formula text) of every formula cell."""
    out = []
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_parts(z).items():
            for c in ET.fromstring(z.read(part)).iter(NS + "c"):
                f = c.find(NS + "f")
                if f is not None:
                    out.append((sheet, c.get("r"), f.text or ""))
    return out


def strip_quoted_sheets(formula: str) -> str:
    return re.sub(r"'(?:[^']|'')*'!", "", formula)
