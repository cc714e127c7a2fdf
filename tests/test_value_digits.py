"""指标值 with digits that are not 0–9, and a zero written with a minus sign, as a budget reviewer treats them.

The value stays as written (the cell, the published 汇总表); it is read as its number and XLT-W043 suggests the
ASCII form (never a silent change): Arabic-Indic ٠–٩, Devanagari ०–९ … are digits of a number; ² ① are not
(kept as written, unreadable). ``-0`` is 0: the canonical form drops the sign, and an amount of -0 is shown as 0.00.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from test_rules import base, with_row

from xltargets.importing.numfmt import display
from xltargets.model import QuantitativeTarget, RawTarget
from xltargets.rules import check_project
from xltargets.rules.context import money
from xltargets.targets import parse_target


@pytest.mark.parametrize(
    ("written", "canonical", "note"),
    [
        pytest.param("≥٩٠.٠٠(%)", "≥90.00(%)", "数字“٩٠.٠٠”不是 0–9 的写法，按“90.00”理解", id="arabic-indic"),
        pytest.param("=١٠(所)", "=10(所)", "数字“١٠”不是 0–9 的写法，按“10”理解", id="arabic-indic-integer"),
        pytest.param("≥۹۰(%)", "≥90(%)", "数字“۹۰”不是 0–9 的写法，按“90”理解", id="extended-arabic-indic"),
        pytest.param("≥९०(%)", "≥90(%)", "数字“९०”不是 0–9 的写法，按“90”理解", id="devanagari"),
        pytest.param("=1٠.5(个)", "=10.5(个)", "数字“1٠.5”不是 0–9 的写法，按“10.5”理解", id="mixed-scripts"),
        pytest.param("=-0(个)", "=0(个)", "“-0”即 0，零不写负号", id="minus-zero"),
        pytest.param("=-0.00(%)", "=0.00(%)", "“-0.00”即 0.00，零不写负号", id="minus-zero-decimals"),
    ],
)
def test_a_value_is_read_as_its_number_and_the_canonical_form_is_suggested(written, canonical, note):
    parsed = parse_target(written)
    assert isinstance(parsed.target, QuantitativeTarget)
    assert parsed.target.format() == canonical
    assert note in parsed.notes
    project = base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", written))
    (finding,) = [f for f in check_project(project) if f.code == "XLT-W043"]
    assert finding.suggestion == canonical and note in finding.message
    assert f"指标值“{written}”按“{canonical}”读入" in finding.message
    assert project.indicators[1].value_raw == written  # as written: the suggestion changes nothing


@pytest.mark.parametrize(
    "written",
    [pytest.param("=10²(场)", id="superscript"), pytest.param("=①(场)", id="circled"), pytest.param("≥٩٠٫٥(%)", id="arabic-decimal-separator")],
)
def test_digits_that_are_no_decimal_digits_are_kept_as_written_and_unreadable(written):
    parsed = parse_target(written)
    assert parsed.target == RawTarget(text=written)
    codes = [f.code for f in check_project(base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", written)))]
    assert "XLT-E023" in codes and "XLT-W043" not in codes


def test_a_percentage_in_other_digits_is_checked_as_its_number():
    """٢٠٠ is 200: a percentage above 100 is an error whatever digits wrote it."""
    project = base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", "=٢٠٠(%)"))
    assert "XLT-E004" in [f.code for f in check_project(project)]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [pytest.param("-0", "0.00", id="minus-zero"), pytest.param("-0.00", "0.00", id="minus-zero-cents"),
     pytest.param("-1391700", "-1,391,700.00", id="negative"), pytest.param("0", "0.00", id="zero")],
)
def test_an_amount_of_minus_zero_is_shown_as_zero(amount, shown):
    assert money(Decimal(amount)) == shown


def test_a_funds_message_shows_minus_zero_as_zero():
    project = base(funds={"annual": Decimal("100000.00"), "annual_fiscal": Decimal("90000.00"),
                          "annual_carryover": Decimal("-0.00"), "annual_other": Decimal("-0")})
    (finding,) = [f for f in check_project(project) if f.code == "XLT-E005"]
    assert "-0.00" not in finding.message and "0.00" in finding.message


@pytest.mark.parametrize(
    ("stored", "code", "shown"),
    [pytest.param("-0", "0.00", "0.00", id="fixed"), pytest.param("-0.0", "0%", "0%", id="percent"),
     pytest.param("-0", "#,##0.00", "0.00", id="grouped"),
     pytest.param("-0.001", "0.00", "-0.00", id="tiny-negative-as-excel-shows-it")],
)
def test_a_stored_minus_zero_is_displayed_as_zero(stored, code, shown):
    """A spreadsheet keeps no negative zero (LibreOffice shows a stored -0 as 0.00, measured); a tiny negative
    rounded to zero keeps its sign as Excel shows it (-0.00; LibreOffice shows 0.00 there)."""
    assert display(stored, code) == shown


@pytest.mark.parametrize(
    ("written", "canonical", "note"),
    [
        pytest.param("＝１００（个）", "=100(个)", "全角数字“１００”按半角“100”理解", id="full-width-all"),
        pytest.param("≥８５（％）", "≥85(%)", "全角数字“８５”按半角“85”理解", id="full-width-digits-brackets-percent"),
        pytest.param("=１００(个)", "=100(个)", "全角数字“１００”按半角“100”理解", id="full-width-digits-only"),
        pytest.param("≥８５．５(%)", "≥85.5(%)", "全角数字“８５．５”按半角“85.5”理解", id="full-width-decimal-point"),
        pytest.param("８５(%)", "=85(%)", "全角数字“８５”按半角“85”理解", id="full-width-no-operator"),
    ],
)
def test_full_width_digits_are_named_in_the_warning(written, canonical, note):
    """The IME's full-width mode: the digits look like 0–9 in a cell, so XLT-W043 names them (半角, as the
    sheet's row check says) rather than only "已规范为"; read as their number, the text kept as written."""
    project = base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", written))
    (finding,) = [f for f in check_project(project) if f.code == "XLT-W043"]
    assert finding.suggestion == canonical and note in finding.message, finding.message
    assert project.indicators[1].value_raw == written


def test_full_width_digits_in_a_qualitative_value_are_no_finding():
    """“约５００人次” starts with a word: a 定性 value, as in the sheet's row check (no note, no W043)."""
    assert parse_target("约５００人次").notes == []
    codes = [f.code for f in check_project(base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "约５００人次")))]
    assert "XLT-W043" not in codes and "XLT-E023" not in codes
