"""Text that looks like a number, date or formula is written as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from xltargets.workbook.values import looks_like_non_text, write_value


@pytest.mark.parametrize(
    "text",
    ["=1+1", "0012", "7.11世界人口日主题参与人数", "529", "2024-01-01", "1e5", "-5", "+1", "@x", "12:30", "TRUE", "50%", "3/4"],
)
def test_lookalikes_round_trip_as_text(tmp_path, text):
    wb = Workbook()
    cell = wb.active["A1"]
    write_value(cell, text)
    assert looks_like_non_text(text)
    assert cell.quotePrefix
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx")["Sheet"]["A1"]
    assert back.value == text and back.data_type == "s"


@pytest.mark.parametrize("text", ["生殖健康咨询服务", "529会员日主题活动参与人次", "及时"])
def test_plain_text_has_no_quote_prefix(text):
    cell = Workbook().active["A1"]
    write_value(cell, text)
    assert cell.value == text and not cell.quotePrefix


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, None, id="none"),
        pytest.param("", None, id="empty"),
        pytest.param(Decimal("571000.00"), Decimal("571000.00"), id="decimal"),
        pytest.param(dt.date(2024, 1, 1), dt.date(2024, 1, 1), id="date"),
        pytest.param("a\x01b", "ab", id="control-char-dropped"),
    ],
)
def test_typed_values(value, expected):
    cell = Workbook().active["A1"]
    write_value(cell, value)
    assert cell.value == expected


def test_text_longer_than_a_cell_is_refused():
    from xltargets.errors import WorkbookError

    with pytest.raises(WorkbookError, match="32767"):
        write_value(Workbook().active["D11"], "长" * 32768)
