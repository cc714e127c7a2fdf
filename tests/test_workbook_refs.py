"""Moving template references: insert-row semantics around the repeat row."""

from __future__ import annotations

import pytest

from xltargets.workbook.refs import RowMap, split_sheet

# template repeat row 13 written 3 times (2 rows added), form starting at row 1
RM = RowMap(offset=0, repeat=13, count=3)
# the same form stacked at row 101
RM100 = RowMap(offset=100, repeat=13, count=3)


@pytest.mark.parametrize(
    "formula, expected",
    [
        pytest.param("=E6-E7", "=E6-E7", id="above-unchanged"),
        pytest.param("=G14", "=G16", id="below-moves-down"),
        pytest.param("=$G$14", "=$G$16", id="absolute-below-moves-too"),
        pytest.param("=E13", "=E13", id="repeat-cell-is-first-copy"),
        pytest.param("=SUM(G13:G13)", "=SUM(G13:G15)", id="range-on-repeat-grows"),
        pytest.param("=SUM($D$12:$D$14)", "=SUM($D$12:$D$16)", id="range-across-repeat-grows"),
        pytest.param("=COUNTA(A:A)", "=COUNTA(A:A)", id="whole-column-unchanged"),
        pytest.param("=SUM(13:14)", "=SUM(13:16)", id="row-range"),
        pytest.param("=Other!G14", "=Other!G14", id="other-sheet-untouched"),
        pytest.param("=申报表!G14", "='新表'!G16", id="own-sheet-renamed"),
        pytest.param('=MATCH(B13,一级指标,0)', '=MATCH(B13,一级指标,0)', id="names-untouched"),
        pytest.param('="G14"&G14', '="G14"&G16', id="string-literal-untouched"),
    ],
)
def test_formula_outside_repeat_row(formula, expected):
    assert RM.formula(formula, sheet="申报表", new_sheet="新表") == expected


@pytest.mark.parametrize(
    "formula, copy, expected",
    [
        pytest.param("=B13&D13", 0, "=B13&D13", id="first-copy"),
        pytest.param("=B13&D13", 2, "=B15&D15", id="third-copy-relative"),
        pytest.param("=$B13", 1, "=$B14", id="column-absolute-row-relative"),
        pytest.param("=B$13", 2, "=B$13", id="row-absolute-stays-on-first"),
        pytest.param("=SUMPRODUCT(--($D$13:$D$13=D13))", 2, "=SUMPRODUCT(--($D$13:$D$15=D15))", id="absolute-block"),
        pytest.param("=SUM(B13:D13)", 1, "=SUM(B14:D14)", id="relative-row-range"),
        pytest.param("=G2", 2, "=G2", id="header-cell"),
        pytest.param("=G14", 1, "=G16", id="below-from-copy"),
    ],
)
def test_formula_on_repeat_row(formula, copy, expected):
    assert RM.formula(formula, on_copy=copy) == expected


def test_offset_moves_everything():
    assert RM100.formula("=E6-E7+G14") == "=E106-E107+G116"
    assert RM100.formula("=$E$6") == "=$E$106"


@pytest.mark.parametrize(
    "sqref, expected",
    [
        pytest.param("B13", "B13:B15", id="cell-on-repeat-grows"),
        pytest.param("E13:F13", "E13:F15", id="merged-pair-grows"),
        pytest.param("B5 D5:F5", "B5 D5:F5", id="list-above"),
        pytest.param("A12:A13", "A12:A15", id="block-label"),
        pytest.param("C20", "C22", id="below"),
    ],
)
def test_sqref(sqref, expected):
    assert RM.sqref(sqref) == expected


def test_formula_without_equals_sign_keeps_none():
    assert RM.formula("AND($B13<>\"\",G14)") == 'AND($B13<>"",G16)'


@pytest.mark.parametrize(
    "ref, expected",
    [
        pytest.param("A1", (None, "A1"), id="plain"),
        pytest.param("Sheet1!A1", ("Sheet1", "A1"), id="sheet"),
        pytest.param("'My ''x'' sheet'!A1:B2", ("My 'x' sheet", "A1:B2"), id="quoted"),
    ],
)
def test_split_sheet(ref, expected):
    assert split_sheet(ref) == expected


def test_no_repeat_row_only_offsets():
    rm = RowMap(offset=5)
    assert rm.formula("=A1+B20") == "=A6+B25"
