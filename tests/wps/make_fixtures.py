"""The seed workbook as the WPS object model shows it, for the add-in's JS tests.

    PYTHONPATH=src python3 tests/wps/make_fixtures.py

writes, from ``declarations.xlsm``:

* ``seed_workbook.json``: every sheet's name, visibility and cells (Range.Value2:
  cached values, dates as Excel serial numbers) and the number format of each
  date cell: what the fake ``Application`` of ``fake_wps.js`` serves;
* ``seed_body.json``: the body the add-in's 校验 must post for it (visible sheets,
  dates as yyyy-mm-dd text);
* ``seed_check.json``: what ``POST /api/check`` answers for that body.

``tests/test_wps_fixtures.py`` fails when these files are out of date.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SEED = ROOT / "declarations.xlsm"
EPOCH = dt.datetime(1899, 12, 30)


def _serial(value):
    if isinstance(value, dt.datetime):
        return (value - EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EPOCH.date()).days)
    return value


def workbook_fixture(path: Path = SEED) -> dict:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    formats = load_workbook(path, read_only=False)
    cached = CalamineWorkbook.from_path(str(path))
    sheets = []
    for ws in formats.worksheets:
        values = cached.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        rows = [[_serial(v) if v != "" else None for v in row] for row in values]
        dates = {
            cell.coordinate: cell.number_format
            for row in ws.iter_rows()
            for cell in row
            if getattr(cell, "is_date", False) and cell.value is not None
        }
        sheets.append({"name": ws.title, "visible": ws.sheet_state == "visible", "values": rows, "formats": dates})
    return {"name": path.name, "path": "/home/staff/申报", "sheets": sheets}


def _iso(value):
    return (EPOCH + dt.timedelta(days=value)).date().isoformat()


def expected_body(book: dict) -> dict:
    """What XltSheets.readBook must send: visible sheets, date cells as ISO text, empty cells null."""
    from openpyxl.utils.cell import coordinate_to_tuple

    sheets = []
    for sheet in book["sheets"]:
        if not sheet["visible"]:
            continue
        rows = [list(r) for r in sheet["values"]]
        for ref in sheet["formats"]:
            r, c = coordinate_to_tuple(ref)
            rows[r - 1][c - 1] = _iso(rows[r - 1][c - 1])
        sheets.append({"name": sheet["name"], "values": rows})
    return {"sheets": sheets, "file": book["name"]}


def check_answer(body: dict) -> dict:
    from xltargets.serve import work

    return work.check(json.loads(json.dumps(body)))


def fixtures() -> dict[str, dict]:
    book = workbook_fixture()
    body = expected_body(book)
    return {"seed_workbook.json": book, "seed_body.json": body, "seed_check.json": check_answer(body)}


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    for name, data in fixtures().items():
        (HERE / name).write_text(dumps(data), encoding="utf-8")
        print(f"wrote {HERE / name}", file=sys.stderr)
