"""The pre-scan's quick paths give exactly what the exact paths give.

A worksheet part's used range, error cells and refusals are defined by the
tokeniser (``_tokenise``) applied to the pieces ``feed`` cuts, with ``_fast``
standing in for it on a piece whose every cell carries its reference. The
quick paths (``_quick`` for any piece, ``_whole`` through ``feed_member`` for a
member that arrives in one chunk) must change none of that: hypothesis builds
sheets with cells without references, self-closed cells, prefixed tags, error
cells, rows out of order, tags inside tags, text that only looks like the
substrings the fast paths look for, used ranges past the limits, and cuts the
bytes at arbitrary chunk boundaries; each result (used range, error cells,
message) is compared with the exact paths'. Examples: 1,000 per property under
CI=true, fewer locally (``XLTARGETS_EXAMPLES`` overrides both).
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
import zlib
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xltargets.errors import InputError
from xltargets.importing import zipscan
from xltargets.importing.cellref import col_letters
from xltargets.importing.limits import LIMITS

CI = os.environ.get("CI", "").lower() == "true"
EXAMPLES = int(os.environ.get("XLTARGETS_EXAMPLES", "1000" if CI else "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL_LIMITS = {"rows": 60, "cols": 12, "cells": 300}
Scanner = zipscan._XlsxSheetScanner

# --------------------------------------------------------------------------- sheets

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


_row_numbers = st.one_of(st.integers(1, 80), st.integers(1, 1_100_000), st.just(0))
_col_numbers = st.one_of(st.integers(0, 15), st.integers(0, 20_000))
_attrs = st.sampled_from(
    ["", ' s="3"', ' t="s"', ' t="inlineStr"', ' s="1" t="n"', ' s="2" t="str"', ' cm="1"', ' x="/"', ' s="1" ',
     ' t="e"', " t='e'", ' t = "e"', '\tt="e"', ' s="e"', " s='1'", ' x="a>b"']
)
_content = st.sampled_from(
    ["<v>1</v>", "<v>#REF!</v>", "<v>#N/A</v>", "<is><t>&#30003;&#25253;</t></is>", "<f>SUM(A1:B2)</f><v>3</v>",
     '<f t="shared" si="0"/><v>#DIV/0!</v>', "", "<v>" + "x" * 230 + "</v><v>#NUM!</v>"]
)


@st.composite
def _cell(draw) -> str:
    prefix = draw(st.sampled_from(["", "", "", "", "", "x:", "c:"]))
    letters = col_letters(draw(_col_numbers))
    row = draw(_row_numbers)
    ref = draw(st.sampled_from([
        f' r="{letters}{row}"', f' r="{letters}{row}"', f' r="{letters}{row}"', f" r='{letters}{row}'",
        "", f' r="{letters}"', f' r="{row}"', f' r="{letters.lower()}{row}"', f' r="{letters}0{row}"',
        f'  r="{letters}{row}"', f'\nr="{letters}{row}"', f' r="{letters}{row}x"',
    ]))
    attrs = draw(_attrs)
    if draw(st.integers(0, 3)) == 0:
        return f"<{prefix}c{ref}{attrs}/>"
    if not ref and not attrs and draw(st.booleans()):
        return f"<{prefix}c>{draw(_content)}</{prefix}c>"
    return f"<{prefix}c{ref}{attrs}>{draw(_content)}</{prefix}c>"


_other = st.sampled_from([
    "<row>", '<row r="3">', '<row r="2" spans="1:7" x14ac:dyDescent="0.25">', "</row>", '<row r="9"/>', "<row/>",
    "<x:row>", '<x:row r="4">', "</x:row>", '<row r="5" <c r="Z5">',
    "\n", "\n    ", " ", '<col min="1" max="2"/>', "<cols>", "</cols>", '<cfRule type="expression">',
    "<f>t=\"e\"</f>", "<t>x:c y</t>", "<t>a:row</t>", "<t>b:c&gt;</t>", '<foo a=":c "/>', "<!-- <c r=\"B2\"> -->",
    '<c r="A1" <c>', '<c r="B2" <c r="C3">', "<c", '<c r="D4"', "<cx/>", "<c\tr=\"E5\">1</c>", "<c/>",
    '<x:c/>', '<x:c\tr="F6">', "</c>", "/>", "<![CDATA[ <c r='G7'> ]]>",
])


@st.composite
def sheets(draw) -> bytes:
    """A worksheet part: a head, a body of cells and other tags, a tail."""
    head = draw(st.sampled_from([
        "<worksheet>", '<?xml version="1.0"?>\n<worksheet xmlns="http://x">', "<x:worksheet xmlns:x='http://x'>",
        '<worksheet xmlns:r="http://r"><dimension ref="A1:XFD1048576"/>',
    ]))
    body = draw(st.lists(st.one_of(_cell(), _cell(), _other), max_size=40))
    tail = draw(st.lists(st.one_of(_cell(), _other), max_size=3))
    end = draw(st.sampled_from(["</worksheet>", "<pageSetup/></worksheet>", "", "<headerFooter>&amp;P</headerFooter></worksheet>"]))
    return (head + "<sheetData>" + "".join(body) + "</sheetData>" + "".join(tail) + end).encode()


# --------------------------------------------------------------------------- the two ways to scan


def _exact(scanner: Scanner) -> Scanner:
    scanner._quick = lambda text: None  # _tokens: _fast, else the tokeniser
    return scanner


def _outcome(chunks: list[bytes], *, quick: bool, member: bool = False):
    """(used range, error cells) or the refusal, and where a later piece would continue from."""
    scanner = Scanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    if not quick:
        _exact(scanner)
    try:
        if member:
            scanner.feed_member(chunks[0])
        else:
            for chunk in chunks:
                scanner.feed(chunk)
        scanner.feed(b"", final=True)
    except InputError as exc:
        return ("refused", exc.message, exc.hint, exc.en), None
    scan = scanner.scan
    return (scan.rows, scan.cols, scan.errors), (scanner.row, scanner.col)


def _chunks(xml: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(xml)) for c in cuts})
    return [xml[a:b] for a, b in zip([0, *points], [*points, len(xml)])]


def _used(xml: bytes, fast: bool) -> tuple[int, int]:
    scanner = Scanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    if not fast:
        scanner._quick = lambda text: None
        scanner._fast = lambda text: False
    scanner.feed(xml, final=True)
    return scanner.scan.rows, scanner.scan.cols


@settings(max_examples=200, deadline=None)
@given(cells)
def test_fast_path_equals_tokeniser(spec):
    xml = _sheet(spec)
    assert _used(xml, fast=True) == _used(xml, fast=False)


@settings(max_examples=200, deadline=None)
@given(cells)
def test_whole_member_equals_tokeniser(spec):
    xml = _sheet(spec)
    assert _outcome([xml], quick=True, member=True)[0][:2] == _used(xml, fast=False)


_SEEN = (
    "<c r=\"A1\" t=\"e\"><f/><v>#REF!</v></c>",  # an error cell
    '<row r="5" <c r="Z5"><v>1</v></c>',  # a cell inside a row tag: the tokeniser skips it
    '<x:c r="B2"><v>1</v></x:c>',  # a prefixed cell
    '<c r="C3"><v>1</v></c>\n<c r="D3"/>',  # whitespace between cells, a self-closed cell
)


@SETTINGS
@given(sheets(), st.booleans())
@example(b"<worksheet><sheetData>" + "".join(_SEEN).encode() + b"</sheetData></worksheet>", False)
@example(b'<worksheet><sheetData><c r="XFD1"><v>1</v></c><c r="A1048576"><v>1</v></c></sheetData></worksheet>', False)
@example(b'<worksheet><sheetData><c r="A1"><v>1</v></c></sheetData><c r="B9" t="e"><v>#REF!</v></c></worksheet>', False)
# the tokeniser reads Z5 as part of the row tag (t="e" outside a cell keeps _fast off)
@example(b'<worksheet><sheetData><f>t="e"</f><row r="5" <c r="Z5"><v>1</v></c></sheetData></worksheet>', False)
# a tag inside a cell tag keeps _fast off: the tokeniser refuses at A100 (100 x 1), _fast would say 100 x 26
@example(b'<worksheet><sheetData><c r="A1" <c><v>1</v></c><c r="A100"><v>1</v></c><c r="Z2"><v>1</v></c>'
         b"</sheetData></worksheet>", True)
def test_whole_member_equals_exact_paths(xml, small_limits):
    """``feed_member`` + final (a member in one chunk) == ``feed`` + final without the quick paths."""
    with mock.patch.dict(LIMITS, SMALL_LIMITS if small_limits else {}):
        assert _outcome([xml], quick=True, member=True)[0] == _outcome([xml], quick=False)[0]


@SETTINGS
@given(sheets(), st.lists(st.integers(0, 4000), max_size=6), st.booleans())
def test_quick_path_equals_fast_path_at_any_chunk_boundary(xml, cuts, small_limits):
    """Chunk by chunk (a big member), ``_quick`` leaves the same used range, errors, message
    and position for the next chunk as ``_fast``/the tokeniser."""
    chunks = _chunks(xml, cuts)
    with mock.patch.dict(LIMITS, SMALL_LIMITS if small_limits else {}):
        assert _outcome(chunks, quick=True) == _outcome(chunks, quick=False)


@SETTINGS
@given(sheets())
def test_quick_path_answers_as_fast_path(xml):
    """On any piece: True → ``_fast`` takes it with the same effects; False → ``_fast`` refuses it."""
    quick, exact = (Scanner(Path("x.xlsx"), "p", None) for _ in range(2))
    with mock.patch.dict(LIMITS, SMALL_LIMITS):
        try:
            answer = quick._quick(xml)
        except InputError as exc:
            answer = exc.message
        if answer is None:
            return
        try:
            expected = exact._fast(xml)
        except InputError as exc:
            expected = exc.message
    assert answer == expected
    assert (quick.scan, quick.row, quick.col) == (exact.scan, exact.row, exact.col)


def test_fast_path_is_taken_for_referenced_cells():
    scanner = Scanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    assert scanner._fast(_sheet([(4, 2, True, ""), (9, 0, False, ' s="3"')]))
    assert (scanner.scan.rows, scanner.scan.cols) == (5, 3)  # the styled empty A10 does not count


def test_cells_without_references_go_to_the_tokeniser():
    scanner = Scanner(Path("x.xlsx"), "xl/worksheets/sheet1.xml", "申报表")
    text = b"<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>"
    assert not scanner._fast(text)
    assert scanner._quick(text) is None
    assert scanner._whole(text, len(text)) is False


def test_whole_takes_an_excel_sheet_and_leaves_unusual_ones():
    """The quick paths are taken for what Excel writes, and stay off where they must."""
    excel = _sheet([(4, 2, True, ' s="1" t="s"'), (0, 0, True, ""), (9, 0, False, ' s="3"')])
    scanner = Scanner(Path("x.xlsx"), "p", None)
    assert scanner._whole(excel, len(excel)) is True
    assert (scanner.scan.rows, scanner.scan.cols) == (5, 3)
    for unusual, answer in (
        (excel.replace(b'<c r="C5" s="1" t="s">', b'<c r="C5" t="e">'), False),  # maybe an error cell
        (excel.replace(b"<sheetData>", b'<sheetData><x:c r="Z9"><v>1</v></x:c>'), False),  # a prefixed cell
        (excel.replace(b'<row r="5">', b'<row r="5" '), False),  # C5 inside the row tag
        (excel.replace(b"<c ", b"\n" + b" " * 15 + b"<c "), True),  # indented
        (excel.replace(b"<c ", b"\n" + b" " * 16 + b"<c "), False),  # indented more than _whole looks back
    ):
        scanner = Scanner(Path("x.xlsx"), "p", None)
        assert scanner._whole(unusual, len(unusual)) is answer
        assert scanner.scan.rows == (5 if answer else 0)
    with mock.patch.dict(LIMITS, {"rows": 4}):  # past a limit the message depends on the cells' order
        assert Scanner(Path("x.xlsx"), "p", None)._whole(excel, len(excel)) is False


# --------------------------------------------------------------------------- helpers


@given(st.binary(max_size=300), st.lists(st.sampled_from([b"/>", b"</c>", b"</row>", b"<", b">", b"c", b"/"]), max_size=12))
def test_cut_is_feeds_cut(noise, pieces):
    buf = noise + b"".join(pieces) + noise[:7]
    cut = max(buf.rfind(b"</c>"), buf.rfind(b"</row>"), buf.rfind(b"/>"))
    expected = max(buf.rfind(b"<"), 0) if cut < 0 else buf.index(b">", cut) + 1
    assert Scanner._cut(buf) == expected


_MARKS = [m for m in zipscan._DTD_MARKS] + [b"<!", b"!", b"\x00", b"<!DOCTYP", b"<!ENTIT", b"\x00<\x00!"]


@given(st.lists(st.one_of(st.sampled_from(_MARKS), st.binary(max_size=8)), max_size=10))
def test_prolog_check_refuses_what_it_refused(parts):
    head = b"".join(parts)
    refused = any(mark in head for mark in zipscan._DTD_MARKS)
    try:
        zipscan._check_prolog(Path("x.xlsx"), "xl/workbook.xml", head)
    except InputError:
        assert refused
    else:
        assert not refused


_ATTR_NAMES = [rb"name", rb"Id", rb"Target", rb"(?:[A-Za-z_][\w.-]*:)?id"]


@given(
    st.lists(st.sampled_from([b" ", b"\t", b"\n", b"name", b"Id", b"id", b"r:id", b"x:Id", b"Target", b"=", b" = ",
                              b'"', b"'", b"a", b"&amp;", b"\xe7\x94\xb3"]), max_size=14),
    st.sampled_from(_ATTR_NAMES),
)
@example([b"name", b"=", b'"', b"a", b'"'], rb"name")
@example([b"r:id", b"=", b"'", b"&amp;", b"'"], rb"(?:[A-Za-z_][\w.-]*:)?id")
def test_attr_finds_what_it_found(parts, name):
    attrs = b"".join(parts)
    m = re.search(rb"(?:^|\s)" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""", attrs)
    expected = None if m is None else html.unescape((m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace"))
    assert zipscan._attr(attrs, name) == expected


# --------------------------------------------------------------------------- whole packages


def _xlsx(path: Path, parts: dict[str, bytes]) -> Path:
    names = [p for p in parts if p.startswith("xl/worksheets/")]
    workbook = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i, _ in enumerate(names, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Target="worksheets/{n.rsplit("/", 1)[1]}"/>' for i, n in enumerate(names, 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", f'<workbook xmlns:r="r"><sheets>{workbook}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f"<Relationships>{rels}</Relationships>")
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _package(path: Path, *, quick: bool, defer: bool = False):
    patches = [] if quick else [
        mock.patch.object(Scanner, "_quick", lambda self, text: None),
        mock.patch.object(Scanner, "feed_member", Scanner.feed),
    ]
    for p in patches:
        p.start()
    try:
        package = zipscan.inspect_zip(path, defer_sheets=defer)
        sheets = package.sheets
        if defer:
            sheets = zipscan.scan_sheet_parts(path, list(package.deferred.values()), package.sheet_names)
        return [(s.part, s.name, s.rows, s.cols, s.errors) for s in sheets]
    except InputError as exc:
        return exc.message, exc.en
    finally:
        for p in patches:
            p.stop()


@settings(max_examples=max(EXAMPLES // 10, 20), deadline=None)
@given(st.lists(sheets(), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_packages_scan_as_before(tmp_path_factory, xmls, defer, small_limits):
    path = _xlsx(tmp_path_factory.mktemp("z") / "w.xlsx", {f"xl/worksheets/sheet{i}.xml": x for i, x in enumerate(xmls, 1)})
    with mock.patch.dict(LIMITS, SMALL_LIMITS if small_limits else {}):
        assert _package(path, quick=True, defer=defer) == _package(path, quick=False, defer=defer)


def _big_sheet(rows: int, extra: bytes = b"") -> bytes:
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="C%d"/><c r="B%d"><v>%d</v></c></row>'
        % (r, r, b"&#30003;" * (r % 40), r, r, r)
        for r in range(1, rows + 1)
    )
    return b"<worksheet><sheetData>" + body + extra + b"</sheetData></worksheet>"


@pytest.mark.parametrize(
    ("extra", "used", "errors"),
    [
        (b"", (12_000, 2), {}),
        (b'<c r="D7" t="e"><v>#REF!</v></c>', (12_000, 4), {(6, 3): "#REF!"}),
        (b"<row><c><v>1</v></c></row>", (12_001, 2), {}),
        (b'<x:c r="Z3"><v>1</v></x:c>', (12_000, 26), {}),
    ],
    ids=["plain", "error-cell", "no-reference", "prefixed"],
)
def test_big_members_scan_as_before(tmp_path, extra, used, errors):
    """A member of several MB arrives in 1 MB chunks: each goes through ``_quick``."""
    xml = _big_sheet(12_000, extra)
    assert len(xml) > 3 * zipscan._CHUNK
    path = _xlsx(tmp_path / "big.xlsx", {"xl/worksheets/sheet1.xml": xml, "xl/worksheets/sheet2.xml": _sheet([(3, 3, True, "")])})
    got = _package(path, quick=True)
    assert got == _package(path, quick=False)
    assert got[0][2:] == (*used, errors)


def test_a_member_cut_after_a_row_continues_from_that_row(tmp_path):
    """The first 1 MB chunk of a member ends right after ``</row>`` and the next row has no
    reference: it is the row after the last one of the first chunk (the scanner's position
    carries over; the whole-member path is only for members in one chunk)."""
    start = b"<worksheet><sheetData>"
    rows = _big_sheet(4_000)[len(start) : -len(b"</sheetData></worksheet>")]
    last = rows.rfind(b"<row ", 0, zipscan._CHUNK - len(start) - 200)
    filler = zipscan._CHUNK - len(start) - last - len(b'<row r="4001"><c r="A4001"><v></v></c></row>')
    head = start + rows[:last] + b'<row r="4001"><c r="A4001"><v>' + b"7" * filler + b"</v></c></row>"
    assert len(head) == zipscan._CHUNK
    xml = head + b"<row><c><v>1</v></c></row></sheetData></worksheet>"
    path = _xlsx(tmp_path / "w.xlsx", {"xl/worksheets/sheet1.xml": xml})
    got = _package(path, quick=True)
    assert got == _package(path, quick=False)
    assert got[0][2:4] == (4_002, 2)


def test_refusals_come_in_the_same_order(tmp_path):
    """A sheet past the limits in a member whose CRC is wrong: the size refusal, as before
    (the sheet is scanned as it arrives, before the CRC is known)."""
    xml = b'<worksheet><sheetData><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></sheetData></worksheet>'
    path = _xlsx(tmp_path / "w.xlsx", {"xl/worksheets/sheet1.xml": xml})
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(xml).to_bytes(4, "little")
    for at in [m.start() for m in re.finditer(re.escape(crc), bytes(data))]:
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    got = _package(path, quick=True)
    assert got == _package(path, quick=False)
    assert "数据区域" in got[0]


# --------------------------------------------------------------------------- inflating


@st.composite
def members(draw):
    """A deflated member as a zip would hold it, sound or damaged, and what its entry says."""
    payload = draw(st.one_of(st.binary(max_size=300), st.builds(lambda n, b: b * n, st.integers(0, 60_000), st.binary(min_size=1, max_size=3)),
                             st.binary(min_size=17_000, max_size=20_000)))
    level = draw(st.sampled_from([0, 1, 9]))
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    raw = co.compress(payload) + co.flush()
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "tail", "size", "crc", "csize", "empty"]))
    size, crc, csize = len(payload), zlib.crc32(payload), len(raw)
    if damage == "cut":
        raw = raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]
    elif damage == "flip" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
    elif damage == "tail":
        extra = draw(st.binary(min_size=1, max_size=40))
        raw, csize = raw + extra, csize + len(extra)
    elif damage == "size":
        size = max(0, size + draw(st.integers(-3, 3)))
    elif damage == "crc":
        crc ^= 1 << draw(st.integers(0, 31))
    elif damage == "csize":
        csize = max(0, csize + draw(st.integers(-3, 3)))
    elif damage == "empty":
        raw, csize = b"", 0
    name = b"xl/worksheets/sheet1.xml"
    local = b"PK\x03\x04" + bytes(22) + len(name).to_bytes(2, "little") + bytes(2) + name
    info = zipfile.ZipInfo(name.decode())
    info.compress_type, info.header_offset, info.flag_bits = zipfile.ZIP_DEFLATED, 0, 0
    info.compress_size, info.file_size, info.CRC = csize, size, crc
    budget = draw(st.sampled_from([LIMITS["unzipped_bytes"], size, max(size - 1, 0), 10]))
    return local + raw, info, budget


def _inflated(blob: bytes, info: zipfile.ZipInfo, budget: int, at_once: bool):
    chunks = []
    with mock.patch.object(zipscan, "_AT_ONCE", zipscan._AT_ONCE if at_once else -1):
        left = [budget]
        try:
            for chunk in zipscan._inflate(Path("x.xlsx"), io.BytesIO(blob), info, left):
                chunks.append(chunk)
        except InputError as exc:
            return chunks, exc.message, left
    return chunks, None, left


@SETTINGS
@given(members())
def test_a_small_member_inflates_at_once_as_in_chunks(member):
    """The same chunks, budget and error (and at the same point) as the chunk-by-chunk loop."""
    assert _inflated(*member, at_once=True) == _inflated(*member, at_once=False)


@pytest.mark.parametrize("size", [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 1], ids=lambda n: f"{n}B")
def test_a_member_whose_last_output_zlib_still_holds_is_read_whole(tmp_path, size):
    """All input taken, the last call's output full: zlib holds the rest (a false "incomplete" before)."""
    data = bytes(size - 1) + os.urandom(1)
    path = _xlsx(tmp_path / "held.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData/></worksheet>"})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/blob.bin", data)
    assert zipscan.inspect_zip(path).kind == "xlsx"
    # the same member with other bytes at its end is still refused
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/media/blob.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    stream = raw[start : start + info.compress_size]
    broken = tmp_path / "cut.xlsx"
    broken.write_bytes(raw[:start] + stream[:-3] + b"\0\0\0" + raw[start + info.compress_size :])
    with pytest.raises(InputError, match="已损坏|炸弹"):
        zipscan.inspect_zip(broken)
