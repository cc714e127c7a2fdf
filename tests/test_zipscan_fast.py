"""The pre-scan's fast path (every cell has ``r=``) finds the same used range as the tokeniser."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xltargets.importing import zipscan
from xltargets.importing.cellref import col_letters

cells = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 40), st.booleans(), st.sampled_from(["", ' s="3"', ' t="s"'])),
    max_size=60,
)


def _sheet(spec) -> bytes:
    rows: dict[int, list[str]] = {}
    for r, c, content, attrs in sorted(spec):
        ref = f"{col_letters(c)}{r + 1}"
        rows.setdefault(r, []).append(
            f'<c r="{ref}"{attrs}><v>1</v></c>' if content else f'<c r="{ref}"{attrs}/>'
        )
    body = "".join(f'<row r="{r + 1}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    return f"<worksheet><sheetData>{body}</sheetData></worksheet>".encode()


def _used(xml: bytes, fast: bool) -> tuple[int, int]:
    scanner = zipscan._XlsxSheetScanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    if not fast:
        scanner._fast = lambda text: False
    scanner.feed(xml, final=True)
    return scanner.scan.rows, scanner.scan.cols


@settings(max_examples=200, deadline=None)
@given(cells)
def test_fast_path_equals_tokeniser(spec):
    xml = _sheet(spec)
    assert _used(xml, fast=True) == _used(xml, fast=False)


def test_fast_path_is_taken_for_referenced_cells():
    scanner = zipscan._XlsxSheetScanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    assert scanner._fast(_sheet([(4, 2, True, ""), (9, 0, False, ' s="3"')]))
    assert (scanner.scan.rows, scanner.scan.cols) == (5, 3)  # the styled empty A10 does not count


def test_cells_without_references_go_to_the_tokeniser():
    scanner = zipscan._XlsxSheetScanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    assert not scanner._fast(b"<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>")
