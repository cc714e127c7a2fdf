"""A workbook of many sheets written in batches, so that memory and open files stay bounded.

XlsxWriter keeps every worksheet object until the workbook is closed (its
merges, row heights, validations, conditional formats) and, in constant-memory
mode, one open temporary file per sheet: ~60 KB and one file descriptor a
project sheet, 240 MB and 4,000 open files for the largest declarations
workbook (more than ``ulimit -n`` allows on a default Linux or macOS).

So the sheets are written, through XlsxWriter's public API, into small
workbooks of :data:`BATCH` sheets each ("parts"), each closed before the next
is begun; an ordinary XlsxWriter workbook of empty sheets (the "frame") gives
the package's workbook-level parts (``xl/workbook.xml`` with the sheet names,
print areas and defined names, the relationships, content types, document
properties, the VBA project). :func:`assemble` copies the frame's members in
their order into the output, each worksheet part taken from the part workbook
that wrote it. What keeps the parts consistent:

* every part workbook creates the same formats and uses each once, in one
  fixed order, on a first "primer" sheet that is not copied
  (:func:`prime`), so XlsxWriter numbers the cell formats (``s=``) and
  the conditional formats' ``dxfId`` alike in every part; the styles
  (``xl/styles.xml``) of all parts are then the same bytes (checked) and the
  output takes them;
* strings are inline (constant-memory mode), so a sheet refers to no shared
  string table;
* a sheet's workbook-level settings (print area, print titles, hidden, the
  active sheet, VBA code names) are set on its frame sheet as well.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path
from typing import Callable, Sequence

__all__ = ["BATCH", "prime", "write_batched", "assemble"]

#: sheets per part workbook: open temporary files and XlsxWriter's retained objects are bounded by it
BATCH = 64

_SHEET = "xl/worksheets/sheet{}.xml"
_STYLES = "xl/styles.xml"


def prime(workbook, xfs: list, dxfs: list) -> None:
    """Number the formats *xfs* and *dxfs* of *workbook* in this order: use each once on a first sheet,
    the primer, that :func:`assemble` leaves out. Call it before any other sheet is added."""
    primer = workbook.add_worksheet("_")
    for row, fmt in enumerate(xfs):
        primer.write_blank(row, 0, None, fmt)
    primer.write_number(len(xfs), 0, 0)  # the row before is written out: its format numbered now
    for fmt in dxfs:
        primer.conditional_format(0, 0, 0, 0, {"type": "formula", "criteria": "=TRUE", "format": fmt})


def write_batched(
    path: Path,
    count: int,
    *,
    new_workbook: Callable[..., object],
    new_part: Callable[[object], object],
    write_sheet: Callable[[object, int], object],
    frame: Callable[[object], None],
    tmpdir: Path,
    batch: int | None = None,
    order: Sequence[int] | None = None,
    transform: Callable[[bytes], bytes] | None = None,
) -> None:
    """Write a workbook of *count* sheets to *path*, *batch* sheets a part workbook.

    ``new_workbook(file, part)`` makes an XlsxWriter workbook writing to *file*
    (a part workbook in constant-memory mode, or the frame in memory);
    ``new_part(workbook)`` creates every format of the workbook in it and
    primes them (:func:`prime`), and returns what ``write_sheet(part, i)`` needs to add
    and write sheet *i* (0-based); ``frame(workbook)`` adds every sheet, empty,
    to a workbook written in memory, with the workbook-level settings, once every
    sheet was written. *order*: the sheets' indexes in the order they are written
    (default: in order), e.g. a sheet that lists the others written last. *transform*: applied to
    each worksheet part as it is copied (e.g. :func:`.shared.share`).
    """
    batch = batch or BATCH
    order = list(range(count)) if order is None else list(order)
    if sorted(order) != list(range(count)):
        raise ValueError(f"order must hold each of the {count} sheets once")
    files = []
    for start in range(0, count, batch):
        file = tmpdir / f"part{len(files)}.xlsx"
        workbook = new_workbook(file, True)
        try:
            part = new_part(workbook)
            for i in order[start:start + batch]:
                write_sheet(part, i)
        except BaseException:
            with contextlib.suppress(Exception):  # close what XlsxWriter opened (a temporary file a sheet)
                workbook.close()
            raise
        workbook.close()
        files.append(file)
        part = workbook = None  # let go before the next part (the last: 填写说明's links) and the frame are made
    buf = io.BytesIO()
    workbook = new_workbook(buf, False)
    frame(workbook)
    workbook.close()
    assemble(path, buf, files, batch, count, order, transform)


def assemble(path: Path, frame, parts: list[Path], batch: int, count: int, order: Sequence[int] | None = None,
             transform: Callable[[bytes], bytes] | None = None) -> None:
    """The frame's members in order, each worksheet from its part workbook (after its primer sheet);
    *order*: the sheets' indexes in the order the parts wrote them (default: in order); *transform*:
    applied to each worksheet."""
    where = {i: divmod(n, batch) for n, i in enumerate(range(count) if order is None else order)}
    with zipfile.ZipFile(frame) as fz, zipfile.ZipFile(path, "w") as out:
        sheets = [n for n in fz.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
        if len(sheets) != count:
            raise AssertionError(f"the frame has {len(sheets)} sheets, the parts {count}")
        styles = None
        opened: tuple[int, zipfile.ZipFile] | None = None
        try:
            for info in fz.infolist():
                name = info.filename
                if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                    i = int(name[len("xl/worksheets/sheet"):-4]) - 1
                    k, j = where[i]
                    if opened is None or opened[0] != k:
                        if opened is not None:
                            opened[1].close()
                        opened = (k, zipfile.ZipFile(parts[k]))
                        part_styles = opened[1].read(_STYLES)
                        if styles is None:
                            styles = part_styles
                        elif part_styles != styles:
                            raise AssertionError(f"part {k} numbers its formats differently")
                        if any(n.startswith("xl/worksheets/_rels/") for n in opened[1].namelist()):
                            raise AssertionError("a sheet with relationships cannot be copied alone")
                    sheet = opened[1].read(_SHEET.format(j + 2))
                    out.writestr(info, sheet if transform is None else transform(sheet))
                elif name == _STYLES:
                    if styles is None:  # the frame's sheets come first in XlsxWriter's order
                        with zipfile.ZipFile(parts[0]) as first:
                            styles = first.read(_STYLES)
                    out.writestr(info, styles)
                else:
                    out.writestr(info, fz.read(name))
        finally:
            if opened is not None:
                opened[1].close()
