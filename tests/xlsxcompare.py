"""Comparing two xlsx packages part by part at the XML level, as XlsxWriter's tests do.

Both files are opened as zips, the member lists compared, binary parts byte for
byte, and each XML part split into elements (relationships and content types
sorted) so a failure prints a readable diff. Volatile bits are masked: the
dates in ``docProps/core.xml`` (zip member times are not compared at all).
A test that needs more masking passes its own narrow ``mask``.

In worksheet parts each cell is one element (a difference names the cell),
and a reference to ``xl/sharedStrings.xml`` is shown with its text, so a
changed cell shows in its sheet, not only in the string table.
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


_SHARED = re.compile(r'(<c [^>]*t="s"[^>]*>)<v>(\d+)</v>')


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    """The shared strings of a package, each as its XML (runs joined), in order."""
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    text = zf.read("xl/sharedStrings.xml").decode("utf-8")
    return [re.sub(r"<[^>]+>", "", si) for si in re.findall(r"<si>(.*?)</si>", text, re.DOTALL)]


def _cells_whole(elements: list[str]) -> list[str]:
    """Each cell (``<c r="D13" …>…</c>``) as one element: a difference in a cell names the cell."""
    out: list[str] = []
    cell: list[str] | None = None
    for e in elements:
        if cell is not None:
            cell.append(e)
            if e == "</c>":
                out.append("".join(cell))
                cell = None
        elif e.startswith("<c ") and not e.endswith("/>"):
            cell = [e]
        else:
            out.append(e)
    if cell:
        out.append("".join(cell))
    return out


def _normalise(name: str, data: bytes, mask: dict[str, list[str]], strings: list[str] = ()) -> list[str]:
    text = data.decode("utf-8")
    if strings and name.startswith("xl/worksheets/"):
        text = _SHARED.sub(lambda m: f"{m.group(1)}<v>{m.group(2)}:{strings[int(m.group(2))]}</v>", text)
    for pattern in mask.get(name, []):
        text = re.sub(pattern, "", text)
    elements = _xml_elements(text)
    if name.startswith("xl/worksheets/"):
        elements = _cells_whole(elements)
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
        gs, es = _shared_strings(g), _shared_strings(e)
        if gn != en:
            return [f"members differ: +{sorted(set(gn) - set(en))} -{sorted(set(en) - set(gn))}"]
        for name in gn:
            a, b = g.read(name), e.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                if a != b:
                    problems.append(f"{name}: binary part differs")
                continue
            la, lb = _normalise(name, a, mask, gs), _normalise(name, b, mask, es)
            if la != lb:
                diff = "\n".join(list(difflib.unified_diff(lb, la, "expected", "got", lineterm="", n=2))[:60])
                problems.append(f"{name}:\n{diff}")
    return problems
