"""Remote-engine books made from real workbook files, and reading their queued actions.

xlwings' remote engine (``xw.Book(json=payload)``, PolyForm Noncommercial;
``XLWINGS_LICENSE_KEY=noncommercial`` is set by the fixture only) runs the
ribbon actions without Excel: writes are queued as actions, which the tests
read back. Helpers here are imported by the other test_excel_* modules.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest



def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


def payload_from_workbook(path: Path, *, notes: dict[str, list[str]] | None = None, extra_sheets: list[dict] = ()) -> dict:
    """The remote engine's payload for the workbook file *path*: every sheet's values and visibility."""
    import python_calamine as pc
    import xlwings as xw

    wb = pc.CalamineWorkbook.from_path(str(path))
    sheets = []
    for meta in wb.sheets_metadata:
        values = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        sheets.append(
            {
                "name": meta.name,
                "values": [[_json_value(v) for v in row] for row in values] or [[]],
                "visibility": "Visible" if str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible) else "Hidden",
                "pictures": [],
                "tables": [],
                "notes": [{"address": a} for a in (notes or {}).get(meta.name, [])],
            }
        )
    sheets.extend(extra_sheets)
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def remote_book(payload: dict):
    import xlwings as xw
    from xlwings.pro import _xlremote

    if "remote" not in [e.name for e in xw.engines]:
        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    return xw.Book(json=payload)


@pytest.fixture
def remote(monkeypatch):
    """Factory: a remote-engine Book from a workbook file (the licence key is set for this test only)."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")

    def make(path: Path, **kwargs):
        return remote_book(payload_from_workbook(path, **kwargs))

    return make


def col_letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def address(action: dict) -> str:
    """``E18`` (or ``A1:F9``) of a range action."""
    first = f"{col_letters(action['start_column'])}{action['start_row'] + 1}"
    if (action.get("row_count") or 1) == 1 and (action.get("column_count") or 1) == 1:
        return first
    last = f"{col_letters(action['start_column'] + action['column_count'] - 1)}{action['start_row'] + action['row_count']}"
    return f"{first}:{last}"


def sheet_actions(book) -> list[tuple[str | None, dict]]:
    """``(sheet name, action)`` for every queued action, sheet positions resolved to names."""
    names = [s["name"] for s in book.api["sheets"]]
    out = []
    for action in book.json()["actions"]:
        pos = action.get("sheet_position")
        out.append((names[pos] if pos is not None and pos < len(names) else None, action))
    return out


def test_payload_round_trips_values(tmp_path, remote):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "表一"
    wb.active.append(["项目名称", "7.11世界人口日", 12.5, dt.date(2024, 1, 1)])
    wb.create_sheet("隐藏").sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    book = remote(path)
    assert [s.name for s in book.sheets] == ["表一", "隐藏"]
    assert book.sheets["表一"].range("A1:D1").value == ["项目名称", "7.11世界人口日", 12.5, "2024-01-01"]
    assert not book.sheets["隐藏"].visible
    book.sheets["表一"].range("B2").color = "#ffc7ce"
    (sheet, action), = sheet_actions(book)
    assert (sheet, action["func"], address(action)) == ("表一", "setRangeColor", "B2")


def test_col_letters():
    assert [col_letters(c) for c in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert re.fullmatch(r"[A-Z]+", col_letters(16383))
