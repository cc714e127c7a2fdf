"""Issue 15 point 10: a typed =≥85(%) that a spreadsheet made a formula is read as typed, in
xlsx, ods and .xls; where an .xls keeps no text of it (=10.00(所)), the loss is reported.

The tokens below are the bytes LibreOffice 7.4 wrote (filter "MS Excel 97") for the values
typed in a TSV; tests/test_seed_variants.py re-saves the seed itself.
"""

from __future__ import annotations

import pytest

from corpus import formats as fmt
from corpus.make_corpus import CLEAN_ROWS, form, summary
from test_seed_variants import libreoffice_text_import, seed_rows
from xltargets.errors import InputError
from xltargets.importing import read_sources
from xltargets.importing.cellref import cell_ref
from xltargets.importing.formulas import biff_typed_text

TOKENS = [
    # as LibreOffice writes them (hex copied from its .xls)
    pytest.param("170601652238003500280025002900", "=≥85(%)", id="lo-ge85pct-ptgStr"),
    pytest.param("170201ca53f665", "=及时", id="lo-word-ptgStr"),
    pytest.param("1706011eff38003500280025002900", "=＞85(%)", id="lo-fullwidth-gt-ptgStr"),
    pytest.param("170101406215", "=(所)", id="lo-unit-in-ptgParen"),
    pytest.param("170300616263", "=abc", id="lo-compressed-ptgStr"),
    pytest.param("1c2a", "", id="lo-10.00(所)-ptgErr-lost"),
    # other expressions: real formulas, their error stands
    pytest.param("1701014062" + "1515", "=((所))", id="two-ptgParen"),
    pytest.param("1c07", "", id="ptgErr-div0-lost"),
    pytest.param("1e5500", None, id="ptgInt-85"),
    pytest.param("170100781701007908", None, id="ptgStr-concat"),
    pytest.param("24000000c0", None, id="ptgRef"),
    pytest.param("170101406215" + "03", None, id="ptgStr-then-add"),
    pytest.param("1c2a03", None, id="ptgErr-then-add"),
    pytest.param("", None, id="no-tokens"),
]


@pytest.mark.parametrize("rgce, text", TOKENS)
def test_biff_typed_text(rgce, text):
    assert biff_typed_text(bytes.fromhex(rgce)) == text


@pytest.mark.parametrize("rgce", ["174001616263", "170201ca53", "1701", "17"], ids=["cch-64-of-3", "half-a-char", "no-chars", "no-cch"])
def test_biff_typed_text_refuses_a_ptgstr_past_its_tokens(rgce):
    with pytest.raises(ValueError):
        biff_typed_text(bytes.fromhex(rgce))


def _grid(values: dict[int, object]):
    """The corpus's clean form, the 指标值 of its indicator rows *values* (index → cell) replaced."""
    rows = [list(r) for r in CLEAN_ROWS]
    for i, v in values.items():
        rows[i][4] = v
    return summary(form(rows=rows))


def _xls_with(tmp_path, values: dict[int, object]):
    grid = _grid(values)
    where = {v: (r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if isinstance(v, fmt.BiffFormula)}
    return fmt.xls(tmp_path / "f.xls", [("申报表", grid)]), where


def test_xls_formula_cells_read_as_typed_or_reported_lost(tmp_path):
    typed = fmt.BiffFormula(fmt.ptg_str("≥90.00(%)"), "#N/A")
    lost = fmt.BiffFormula(fmt.PTG_ERR_NA, "#VALUE!")
    real = fmt.BiffFormula(bytes.fromhex("24000000c0"), "#REF!")
    path, where = _xls_with(tmp_path, {1: lost, 2: typed, 3: real})
    result = read_sources([path])
    values = {i.level3: i.value for i in result.declaration.projects[0].indicators}
    assert values["培训场次"] == "#VALUE!"  # the text is not in the file: kept as the error, never guessed
    assert values["培训合格率"] == "=≥90.00(%)"
    assert values["按期完成率"] == "#REF!"  # a real formula: its error stands
    found = {f.code: f for f in result.findings if f.code in ("XLT-W107", "XLT-W112")}
    assert found["XLT-W107"].cell == cell_ref(*where[typed])
    assert found["XLT-W112"].cell == cell_ref(*where[lost])
    assert len([f for f in result.findings if f.code in ("XLT-W107", "XLT-W112")]) == 2
    assert "'" in found["XLT-W112"].message and "丢失" in found["XLT-W112"].message


@pytest.mark.parametrize(
    "offset, byte, message",
    [
        pytest.param(-2, 0x7F, "公式记录被截断", id="cce-past-record"),  # cce 127 > the 15 bytes of tokens there
        pytest.param(1, 0x40, "公式记录无效", id="ptgStr-past-tokens"),  # cch 64 > the 6 characters there
    ],
)
def test_malformed_formula_record_refused(tmp_path, offset, byte, message):
    rgce = fmt.ptg_str("≥90(%)")
    stream = bytearray(fmt.xls_stream([("申报表", _grid({2: fmt.BiffFormula(rgce)}))]))
    i = bytes(stream).index(rgce)
    stream[i + offset] = byte
    path = fmt.cfb(tmp_path / "bad.xls", {"Workbook": bytes(stream)})
    with pytest.raises(InputError, match=message) as exc:
        read_sources([path])
    assert "已损坏" in str(exc.value)


@pytest.mark.parametrize("fmt_", ["xlsx", "ods", "xls"])
def test_typed_operator_values_read_as_typed_in_every_format(seed_path, tmp_path, soffice, fmt_):
    """The seed with each ≥/< value typed with a leading = (=≥85.00(分)): LibreOffice's text import
    makes formulas of them; saved as xlsx, ods and .xls, each is read back as typed, with XLT-W107
    at its cell. (=<100.00(百分比) compiles to ptgErr in an .xls: reported lost, XLT-W112.)"""
    rows = seed_rows(seed_path)
    planted = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v.startswith(("≥", "<")) and "(" in v:
                row[c] = planted[cell_ref(r, c)] = "=" + v
    src = tmp_path / "typed.tsv"
    src.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    path = libreoffice_text_import(soffice, src, fmt_, tmp_path)
    result = read_sources([path])
    read = {i.origin.cells["value"]: i.value for p in result.declaration.projects for i in p.indicators}
    w107 = {f.cell for f in result.findings if f.code == "XLT-W107"}
    w112 = {f.cell for f in result.findings if f.code == "XLT-W112"}
    ge = {ref for ref, v in planted.items() if v.startswith("=≥")}
    assert len(ge) == 15 and len(planted) == 18
    assert {ref: read[ref] for ref in ge} == {ref: planted[ref] for ref in ge}
    assert ge <= w107
    lt = set(planted) - ge
    if fmt_ == "xls":
        assert lt <= w112 and all(read[ref] == "#VALUE!" for ref in lt)
    else:
        # LibreOffice compiled the number of =<100.00(百分比) and writes it back as =<100(百分比)
        assert lt <= w107 and all(read[ref] == planted[ref].replace(".00(", "(") for ref in lt)
