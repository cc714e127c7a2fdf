"""Comparing two xlsx packages part by part at the XML level, as XlsxWriter's tests do.

Both files are opened as zips, the member lists compared, binary parts byte for
byte, and each XML part split into elements (relationships and content types
sorted) so a failure prints a readable diff. Volatile bits are masked: the
dates in ``docProps/core.xml`` (zip member times are not compared at all).
A test that needs more masking passes its own narrow ``mask``.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

__all__ = ["compare_xlsx", "VOLATILE"]

#: element patterns masked in every comparison (volatile by nature)
VOLATILE = {
    "docProps/core.xml": [r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"],
}


def _xml_elements(text: str) -> list[str]:
    text = re.sub(r">\s+<", "><", text.strip())
    # openpyxl writes CJK as character references: show them as text in diffs
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    parts = re.split(r"(?=<)|(?<=>)", text)
    return [p for p in parts if p]


def _normalise(name: str, data: bytes, mask: dict[str, list[str]]) -> list[str]:
    text = data.decode("utf-8")
    for pattern in mask.get(name, []):
        text = re.sub(pattern, "", text)
    elements = _xml_elements(text)
    if name.endswith(".rels") or name == "[Content_Types].xml":
        head, body = elements[:2], elements[2:-1]
        return head + sorted(body) + elements[-1:]
    return elements


def compare_xlsx(got: Path, expected: Path, *, mask: dict[str, list[str]] | None = None) -> list[str]:
    """Differences between two packages ([] when equal after masking)."""
    mask = {**VOLATILE, **(mask or {})}
    problems: list[str] = []
    with zipfile.ZipFile(got) as g, zipfile.ZipFile(expected) as e:
        gn, en = sorted(g.namelist()), sorted(e.namelist())
        if gn != en:
            return [f"members differ: +{sorted(set(gn) - set(en))} -{sorted(set(en) - set(gn))}"]
        for name in gn:
            a, b = g.read(name), e.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                if a != b:
                    problems.append(f"{name}: binary part differs")
                continue
            la, lb = _normalise(name, a, mask), _normalise(name, b, mask)
            if la != lb:
                diff = "\n".join(list(difflib.unified_diff(lb, la, "expected", "got", lineterm="", n=2))[:60])
                problems.append(f"{name}:\n{diff}")
    return problems
