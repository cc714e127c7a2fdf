"""How the reader process sends a workbook's values (xltargets.bookvalues): each sheet as one text of
its cells, sheets in frames of many, and a note of each sheet begun so that a death still names its sheet.

The texts must be exactly what the grid made of the values before (``Grid.from_values``): every
finding, message and cell reference of ``check`` depends on them.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus import formats as fmt
from xltargets import bookvalues, reader
from xltargets.errors import InputError
from xltargets.importing.grid import Grid
from xltargets.importing.limits import LIMITS
from xltargets.importing.sources import open_workbook, sheet_grids
from xltargets.text import cell_text

#: texts that are not their own text: surrounding whitespace, \r, no-break spaces, the separator itself
_ODD_TEXT = st.sampled_from([" a", "a ", "\t", "\u3000全角\u3000", "a\r\nb", "x\ry", "nb\u00a0sp", "\u00a0", bookvalues.SEP,
                             f"a{bookvalues.SEP}b", "\ufdd1", "\x1c", "a\x1f", "\n", ""])
_VALUE = st.one_of(
    st.text(max_size=6), _ODD_TEXT, st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(), st.times(),
    st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=3)),
)


def _sent(values: list, room: int = 1 << 30) -> list[list[str]]:
    """*values* through the reader process's encoding and back, as rows of texts."""
    lengths, text, odd = pickle.loads(pickle.dumps(bookvalues.texts(values, room)))
    assert lengths == [len(row) for row in values]
    cells = bookvalues.cells(lengths, text, odd, cell_text)
    rows, start = [], 0
    for n in lengths:
        rows.append(cells[start:start + n])
        start += n
    assert start == len(cells)
    return rows


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_VALUE, max_size=6), max_size=6))
@example([])
@example([[]])
@example([[], []])
@example([[""]])
@example([["", ""], [bookvalues.SEP]])
@example([[1.0, True, 1], ["  ", "1"]])
def test_the_texts_sent_are_the_grid_the_values_make(values):
    assert _sent(values) == Grid.from_values(values).rows


def test_a_sheet_past_the_room_left_is_not_joined():
    values = [["x" * 1000] * 10]
    assert bookvalues.texts(values, 20_000) is not None
    assert bookvalues.texts(values, 9_000) is None


def _serve(path, progress):
    frames = []
    request = {"op": "book", "path": str(path), "progress": progress,
               "limits": {k: LIMITS[k] for k in ("sheets", "rows", "cols", "cells", "total_cells", "values_bytes")}}
    frames.append(bookvalues.serve(request, lambda *frame: frames.append(frame)))  # the last frame: returned
    return frames


def test_sheets_come_many_to_a_frame_and_each_begun_is_noted(tmp_path):
    """A frame costs the parent a thread's wake-up: 300 sheets come in one frame, not 300; each visible sheet
    begun is a byte of the progress file (the hidden one, measured first, is not)."""
    sheets = [(f"表{i}", [["项目名称", f"项目{i}"], [i, 2.5]]) for i in range(300)]
    path = fmt.xlsx(tmp_path / "many.xlsx", [("隐藏", [["x"]]), *sheets], states={"隐藏": "hidden"})
    progress = tmp_path / "progress"
    progress.write_bytes(b"")
    frames = _serve(path, str(progress))
    assert [f[0] for f in frames] == ["sheets", "values", "done"]
    assert [name for name, _ in frames[1][1]] == [name for name, _ in sheets]
    assert progress.read_bytes() == b"." * 300
    # without a progress file, each sheet comes alone (its frame names it at a death)
    assert [f[0] for f in _serve(path, None)] == ["sheets", *["values"] * 300, "done"]


def test_a_refusal_comes_after_the_sheets_before_it(tmp_path):
    """The parent refuses an over-long cell of an earlier sheet before a later sheet's refusal, as when each
    sheet came alone."""
    path = fmt.xlsx(tmp_path / "two.xlsx", [("甲", [["a"]]), ("乙", [["b"] * 5] * 5)])
    limits = {**LIMITS, "cells": 10}
    request = {"op": "book", "path": str(path), "progress": os.devnull, "limits": limits}
    frames = []
    frames.append(bookvalues.serve(request, lambda *frame: frames.append(frame)))
    assert [f[0] for f in frames] == ["sheets", "values", "error"]
    assert frames[1][1][0][0] == "甲" and frames[2][1:] == ("size", "乙", 5, 5)


_BOMB = fmt.sheet_xml([["项目名称", "甲"]]).replace(
    "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


@pytest.mark.skipif(os.name != "posix", reason="the cap here is RLIMIT_AS (POSIX); Windows uses a job object")
@pytest.mark.parametrize("where", [0, 3, 6])
@pytest.mark.parametrize("progress", ["noted", "no temporary folder"])
def test_a_death_names_the_sheet_being_read_whatever_frames_were_to_come(where, progress, tmp_path, monkeypatch):
    """The sheets before the bomb were read but not yet sent (they wait for a fuller frame) when the reader
    process dies: the progress file names the bomb's sheet; without one, each sheet came alone."""
    monkeypatch.setitem(LIMITS, "reader_memory_bytes", 256 << 20)
    if progress != "noted":
        def no_folder(*args, **kwargs):
            raise OSError("no temporary folder")

        monkeypatch.setattr("tempfile.mkstemp", no_folder)
    sheets = [(f"表{i}", [["项目名称", f"项目{i}"]]) for i in range(6)]
    sheets.insert(where, ("炸弹", _BOMB))
    path = fmt.xlsx(tmp_path / "bomb.xlsx", sheets)
    book, _ = open_workbook(path)
    try:
        with pytest.raises(InputError) as info:
            list(sheet_grids(path, book, {}))
    finally:
        reader.close()
    assert "的工作表“炸弹”读取时所需内存超过" in info.value.one_line()
    assert not list(tmp_path.glob("*.progress")) and not [p for p in os.listdir(os.path.dirname(str(path))) if p.endswith(".progress")]
