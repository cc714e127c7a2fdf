"""Issue 15, point 5: a 指标值 stored as a number reads as the user sees it (its number format)."""

from __future__ import annotations

import openpyxl
import pytest

from xltargets.importing import read_sources
from xltargets.importing.numfmt import display

import layouts


@pytest.mark.parametrize(
    "stored,code,shown",
    [("0.95", "0%", "95%"), ("1", "0%", "100%"), ("1", "0.00%", "100.00%"), ("0.855", "0.0%", "85.5%"),
     ("85", "0.00", "85.00"), ("1234.5", "#,##0.00", "1,234.50"), ("90", "General", "90"),
     ("0.95", "0%;[Red]-0%", "95%"), ("45292", "yyyy-mm-dd", "45292")],
    ids=["percent", "one-is-100", "percent-2dp", "percent-1dp", "fixed-2dp", "grouped", "general", "sections", "date-untouched"],
)
def test_display(stored, code, shown):
    assert display(stored, code) == shown


def test_percent_formatted_values_read_as_shown(tmp_path):
    grid = layouts.seed_like()
    path = layouts.write_xlsx(tmp_path / "pct.xlsx", {"表": grid})
    wb = openpyxl.load_workbook(path)
    ws = wb["表"]
    # 指标值 column E of the three indicator rows (13-15): numbers with formats
    for row, (value, code) in zip((13, 14, 15), ((2, "0.00"), (0.8, "0%"), (1, "0.00%"))):
        cell = ws.cell(row, 5)
        cell.value = value
        cell.number_format = code
    wb.save(path)
    p = read_sources([path]).declaration.projects[0]
    assert [i.value for i in p.indicators] == ["2.00", "80%", "100.00%"]
    assert [i.canonical for i in p.indicators] == ["=2.00", "=80(%)", "=100.00(%)"]


def test_unformatted_numbers_stay_as_stored(tmp_path):
    grid = layouts.seed_like()
    path = layouts.write_xlsx(tmp_path / "plain.xlsx", {"表": grid})
    wb = openpyxl.load_workbook(path)
    wb["表"].cell(13, 5).value = 0.95
    wb.save(path)
    p = read_sources([path]).declaration.projects[0]
    assert p.indicators[0].value == "0.95"
