"""Reading safety (issue 14): zip members and compound files as the libraries read them, error
cells, line ends, and what a folder skips.

The corpus (tests/corpus/cases.tsv) runs each attack through the CLI; these tests pin the parts
underneath: zipfile reads a member exactly as its header says; olefile's reads are bounded by the
file; the error cells come from the parts the checks inflate; a TSV counts its rows alike whatever
its line ends; ``check`` and ``consolidate`` skip the same files of a folder and name each.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest
from corpus import formats as fmt
from corpus.make_corpus import CLEAN, form, summary, write_tsv

from xltargets import pipeline
from xltargets.errors import InputError
from xltargets.importing import LIMITS
from xltargets.importing.errorcells import ErrorCells
from xltargets.importing.sources import read_grids

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(cells: str, root: str = "") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"{root}><sheetData>{cells}</sheetData></worksheet>'.encode()


_ERROR_SHEETS = {
    "plain": _sheet('<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'),
    "no-refs": _sheet('<row r="1"><c><v>1</v></c></row><row><c/><c t="e"><v>#DIV/0!</v></c></row>'),
    "prefixed": _sheet('<x:row r="2"><x:c r="B2" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>', f' xmlns:x="{_NS}"'),
    "utf16": b"\xff\xfe" + _sheet('<row r="2"><c r="B2" t="e"><v>#DIV/0!</v></c></row>').decode().replace("UTF-8", "UTF-16").encode("utf-16-le"),
    # XML's other spellings of t="e" (session 6's attack pass: the byte test and the regular expression missed them)
    "single-quoted": _sheet("<row r=\"2\"><c r=\"B2\" t='e'><v>#DIV/0!</v></c></row>"),
    "spaced": _sheet('<row r="2"><c r="B2" t = "e"><v>#DIV/0!</v></c></row>'),
    "after-a-newline": _sheet('<row r="2"><c r="B2"\nt="e"><v>#DIV/0!</v></c></row>'),
    "single-quoted-utf16": b"\xff\xfe" + _sheet("<row r='2'><c r='B2' t='e'><v>#DIV/0!</v></c></row>").decode().replace("UTF-8", "UTF-16").encode("utf-16-le"),
}


@pytest.mark.parametrize("name", _ERROR_SHEETS)
def test_error_cells_are_found_however_the_cells_are_written(name):
    """The regular expression over plainly referenced cells and the XML parse for the rest place an
    error cell alike (calamine reads it as empty; the importer puts #DIV/0! back)."""
    from xltargets.importing.errorcells import _xlsx_sheet as errors_of

    assert errors_of(Path("x.xlsx"), "s", "p", _ERROR_SHEETS[name]).errors == {(1, 1): "#DIV/0!"}


@pytest.mark.parametrize("cell", [
    '<c r="B2" t="e">', "<c r='B2' t='e'>", '<c r="B2"\nt="e">',
    '<c r="B2" t = "e">', "<c r='B2' t\t=\r\n'e'>",
], ids=["double-quoted", "single-quoted", "after-a-line-break", "spaced", "tab-and-line-breaks-around-the-equals-sign"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_a_sheet_part_with_an_error_cell_is_kept_for_the_error_cells(cell, encoding):
    """The byte test each chunk of a part goes through (:meth:`ErrorCells.wants`): a part it lets go is never searched
    for error cells, and its #REF! reads as blank (t='e' was let go until session 6)."""
    assert ErrorCells().wants("xl/worksheets/sheet1.xml", f"<row>{cell}<v>#REF!</v></c></row>".encode(encoding))


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"], ids=["lf", "cr", "crlf"])
def test_tsv_line_ends_count_alike(end, tmp_path, monkeypatch):
    rows = summary(CLEAN)
    text = end.join("\t".join(str(v) for v in row) for row in rows) + end
    path = tmp_path / "t.tsv"
    path.write_bytes(text.encode())
    assert len(read_grids(path)[0].rows) == len(rows)
    monkeypatch.setitem(LIMITS, "rows", len(rows) - 1)
    with pytest.raises(InputError, match=rf"至少有 {len(rows)} 行 × \d+ 列，超出上限"):
        read_grids(path)


def test_a_line_of_a_million_fields_is_refused_before_it_is_split(tmp_path):
    path = tmp_path / "wide.tsv"
    path.write_bytes(b"x" + b"\t" * 3_000_000)
    with pytest.raises(InputError, match="个单元格，超出每个文件 2,000,000 个的上限"):
        read_grids(path)


@pytest.fixture
def unit_folder(tmp_path):
    """A unit's folder: a form, the 汇总表 consolidate made of it, and files no one reads."""
    folder = tmp_path / "单位"
    folder.mkdir()
    write_tsv(folder / "单位甲.tsv", summary(form(name="甲单位项目")))
    pipeline.consolidate([folder / "单位甲.tsv"], folder / "汇总表.xlsx", cwd=tmp_path)
    (folder / "~$单位甲.xlsx").write_bytes(b"lock")
    (folder / ".隐藏.xlsx").write_bytes(b"hidden")
    (folder / "说明.docx").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "管道.xlsx")
    return folder


def test_check_and_consolidate_skip_the_same_files_and_name_each(unit_folder, tmp_path):
    checked = pipeline.check_sources([unit_folder])
    done = pipeline.consolidate([unit_folder], tmp_path / "out.xlsx", cwd=tmp_path)
    named = {f.file: f.message for f in checked.findings if f.code == "XLT-W190"}
    assert named == {f.file: f.message for f in done.findings if f.code == "XLT-W190"}
    expected = {"汇总表.xlsx": "xltargets 生成的汇总表", "~$单位甲.xlsx": "临时文件", ".隐藏.xlsx": "隐藏文件", "说明.docx": "不是可导入的格式"}
    if hasattr(os, "mkfifo"):
        expected["管道.xlsx"] = "不是普通文件"
    assert {Path(f).name for f in named} == set(expected)
    for file, message in named.items():
        assert expected[Path(file).name] in message and Path(file).name in message
    assert [p.name for p in checked.declaration.projects] == ["甲单位项目"]


def test_a_user_pdf_beside_the_output_is_not_ours(tmp_path):
    from xltargets.importing.ownfiles import is_ours

    mentions = tmp_path / "汇总表.pdf"
    mentions.write_bytes(fmt.pdf_bytes(b"xltargets-consolidate", b"<< /Subject (xltargets-consolidate) >>"))
    assert not is_ours(mentions)
    assert is_ours(_write(tmp_path / "ours.pdf", fmt.pdf_bytes(info=b"<< /Keywords (xltargets-consolidate) >>")))


def _info_in_an_object_stream(keywords: bytes, padding: int) -> bytes:
    """A PDF 1.5 whose document information sits in an object stream inflating to *padding* bytes more
    (its cross-reference is a stream: type 2 entries name objects inside object streams)."""
    import zlib

    head = b"5 0 "
    packed = zlib.compress(head + b"<< /Keywords (" + keywords + b") >>" + b" " * padding, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(head), len(packed), packed)]
    out, offsets = bytearray(b"%PDF-1.5\n"), []
    for n, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535), *(struct.pack(">BIH", 1, o, 0) for o in offsets),
            struct.pack(">BIH", 2, 4, 0), struct.pack(">BIH", 1, xref, 0)]
    data = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Info 5 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(data), data)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


def test_our_mark_is_read_in_the_reader_process_not_here(tmp_path):
    """The PDF at an output path is asked whether it is ours: pdfminer resolves its information dictionary
    wherever the file puts it, here in an object stream inflating to 100 MB (a 389 kB PDF of 400 MB took
    805 MB in this process); in the reader process, under its cap, this process keeps none of it. 100 MB, not
    200: reading it takes 2.1 s (200 MB: 2.9 s) at load 10, and 200 MB passed the 10-s limit at load 12."""
    import tracemalloc

    from xltargets.importing.ownfiles import is_ours

    bomb = _write(tmp_path / "汇总表.pdf", _info_in_an_object_stream(b"xltargets-consolidate", 100_000_000))
    assert bomb.stat().st_size < 400_000
    tracemalloc.start()
    ours = is_ours(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert ours and peak < 20 << 20, peak  # read whole there: it is ours (a mark in an object stream is kept)
    assert not is_ours(_write(tmp_path / "x.pdf", _info_in_an_object_stream(b"draft", 10)))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_skip_warning_has_a_code_of_its_own():
    """Its code is written once in codes.py (a repeated dict key would silently replace another
    code's description) and the consolidate command names skipped files by it."""
    import ast

    import xltargets.importing.codes as codes
    from xltargets.cli.consolidate import SKIPPED
    from xltargets.importing import SKIPPED_CODE

    keys = [k.value for node in ast.walk(ast.parse(Path(codes.__file__).read_text(encoding="utf-8")))
            if isinstance(node, ast.Dict) for k in node.keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert SKIPPED == SKIPPED_CODE and SKIPPED_CODE in codes.IMPORT_CODES


@pytest.mark.parametrize("cut", [1, 2, 3, 5], ids=lambda n: f"last-record-cut-to-{n}-bytes")
def test_an_xlsb_record_cut_short_ends_the_walk(cut):
    """A sheet part whose last record is cut short (the fuzz found one) ends the record walk; it never crashes."""
    from xltargets.importing.errorcells import _xlsb_sheet

    row = bytes([0x00, 0x19]) + (3).to_bytes(4, "little") + bytes(21)  # BrtRowHdr, row 4 (0-based 3)
    cell = bytes([0x03, 0x09]) + (2).to_bytes(4, "little") + bytes(4) + b"\x17"  # BrtCellError #REF! in column C
    begin = bytes([0x91, 0x01, 0x00])  # BrtBeginSheetData
    part = begin + row + cell + bytes([0x03, 0x09]) + (5).to_bytes(4, "little")[:cut]
    assert _xlsb_sheet("Sheet1", "p", part).errors == {(3, 2): "#REF!"}


def _errors_sheet(rows: int, cols: int = 10) -> str:
    from corpus.formats import col_name

    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{col_name(c)}{r}" t="e"><v>#N/A</v></c>' for c in range(cols)) + "</row>"
                   for r in range(1, rows + 1))
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData></worksheet>'


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize(
    "sheets,limit,message",
    [
        pytest.param([("隐藏", 11)], {"cells": 100}, "工作表“隐藏”数据区域至少有 11 行 × 10 列", id="a-sheet-past-its-cells"),
        pytest.param([("甲", 6), ("乙", 6)], {"total_cells": 100}, "共有 101 个单元格", id="the-file-past-its-cells"),
    ],
)
def test_error_cells_are_bounded_like_the_cells_of_a_sheet(tmp_path, monkeypatch, sheets, limit, message):
    """The error cells (read in this process, hidden sheets too, before the reader process measures
    anything) are bounded by the cells a sheet and a file may hold (before: 3 million #N/A in a hidden sheet of a
    7.5 MB file took 900 MB and 17 s; corpus hidden-errors.xlsx)."""
    from corpus import formats as fmt
    from corpus.make_corpus import CLEAN, summary
    from xltargets.importing import limits
    from xltargets.importing.sources import classify

    for key, value in limit.items():
        monkeypatch.setitem(limits.LIMITS, key, value)
    path = fmt.xlsx(tmp_path / "e.xlsx", [("申报表", summary(CLEAN)), *((n, _errors_sheet(r)) for n, r in sheets)],
                    states={n: "hidden" for n, _ in sheets})
    with pytest.raises(InputError, match=message):
        classify(path)


# --------------------------------------------------------------------------- zip members


def _member_cases() -> dict[str, tuple[object, str | None]]:
    """A worksheet part stored in one way each → the message it gets (None: it is read)."""
    import zlib

    sheet = fmt.sheet_xml(summary(CLEAN)).encode()
    deflated = fmt.ZipEntry.deflated("xl/worksheets/sheet1.xml", sheet)
    prefix = len(sheet) // 2  # a header that declares only the first half, with that half's CRC
    return {
        "deflated-as-declared": (deflated, None),
        "stored-as-declared": (fmt.ZipEntry("xl/worksheets/sheet1.xml", sheet), None),
        "inflates-past-its-size": (fmt.ZipEntry(deflated.name, deflated.data, 8, size=prefix, crc=zlib.crc32(sheet[:prefix])), "解压后超过了文件记录的大小"),
        "stored-past-its-size": (fmt.ZipEntry(deflated.name, sheet, 0, size=prefix, crc=zlib.crc32(sheet[:prefix])), "解压后超过了文件记录的大小"),
        "wrong-crc": (fmt.ZipEntry(deflated.name, deflated.data, 8, crc=zlib.crc32(sheet) ^ 1, plain=sheet), "校验失败"),
        "shorter-than-declared": (fmt.ZipEntry(deflated.name, deflated.data, 8, size=len(sheet) + 10, plain=sheet), "已损坏.*校验失败"),
        "cut-mid-stream": (fmt.ZipEntry(deflated.name, deflated.data[: len(deflated.data) // 2], 8, plain=sheet), "已损坏.*校验失败"),
        "bzip2": (fmt.ZipEntry(deflated.name, deflated.data, 12, plain=sheet), "不支持的压缩方式"),
    }


@pytest.mark.parametrize("case", list(_member_cases()))
def test_a_member_is_read_exactly_as_its_header_says(case, tmp_path):
    """Each member is read by zipfile, never past one byte more than its header declares: a member
    that has that byte inflates past its header, a bomb; one that has less, or a wrong CRC, is
    damaged; only stored and deflate (all calamine reads)."""
    from corpus.make_corpus import _package

    entry, message = _member_cases()[case]
    path = tmp_path / f"{case}.xlsx"
    _package(path, {"xl/worksheets/sheet1.xml": entry})
    if message is None:
        assert [g.sheet for g in read_grids(path)] == ["申报表"]
        return
    with pytest.raises(InputError, match=message):
        read_grids(path)


# --------------------------------------------------------------------------- what calamine allocates from

_PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import python_calamine as pc
wb = pc.CalamineWorkbook.from_path(sys.argv[1])
sheet = wb.get_sheet_by_index(0)
print(sheet.height, sheet.width)
"""


def _dimension_claims(kind: str, path: Path) -> Path:
    """A sheet with one value in A1 whose dimension record claims A1:XFD1048576."""
    import struct

    if kind == "xlsx":
        sheet = fmt.sheet_xml([["甲"]]).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
        return fmt.xlsx(path, [("申报表", sheet)])
    body = fmt._brt(0x0081) + fmt._brt(0x0094, struct.pack("<IIII", 0, 1_048_575, 0, 16_383)) + fmt._brt(0x0091)
    body += fmt._brt(0x0000, struct.pack("<IIHHBI", 0, 0, 300, 0, 0, 0))
    body += fmt._brt(0x0005, struct.pack("<II", 0, 0) + struct.pack("<d", 1.0))
    return fmt.xlsb(path, [("申报表", body + fmt._brt(0x0092) + fmt._brt(0x0082))])


@pytest.mark.skipif(os.name != "posix", reason="the address-space cap (RLIMIT_AS) is POSIX")
@pytest.mark.parametrize("kind", ["xlsx", "xlsb"])
def test_calamine_allocates_from_cells_not_from_a_declared_dimension(kind, tmp_path):
    """calamine ignores ``<dimension>`` / BrtWsDim (python-calamine 0.9.1): a sheet claiming 17
    billion cells reads as its one cell under a 1 GB cap, so a workbook whose dimension record is
    wrong (some writers leave a stale one) is read, in the reader process too. If a calamine upgrade
    starts to reserve from the claim, this fails: such files would then be refused by the reader
    process's memory cap (as an .xls DIMENSIONS bomb is: corpus case dims-bomb.xls)."""
    import subprocess
    import sys

    path = _dimension_claims(kind, tmp_path / f"claim.{kind}")
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["1", "1"]
    read_grids(path)  # and xltargets reads it


# --------------------------------------------------------------------------- the parts calamine reads

from corpus.make_corpus import moved_sheet, ods_beside_xlsx, xlsb_sheet_part  # noqa: E402

_PLACES = {
    "xlsx-target-through-dotdot": lambda p: moved_sheet(p, "xl/worksheets/../worksheets/s1", "worksheets/../worksheets/s1"),
    "xlsx-target-in-other-case": lambda p: moved_sheet(p, "xl/worksheets/data1", "WORKSHEETS/DATA1"),
    "xlsx-member-with-backslashes": lambda p: moved_sheet(p, "xl\\worksheets\\data1", "worksheets/data1"),
    "xlsx-workbook-elsewhere": lambda p: moved_sheet(p, "other/data1", "data1", office="other/workbook.xml"),
    "ods-content-beside-an-xlsx-workbook": ods_beside_xlsx,
    "xlsb-part-without-BrtBeginSheet": lambda p: xlsb_sheet_part(p, "xl/worksheets/sheet1.bin", lead=fmt._brt(0x0094, bytes(16))),
}


@pytest.mark.parametrize("place", list(_PLACES))
def test_a_sheet_calamine_finds_where_no_check_looks_is_refused_by_the_reader_process(place, tmp_path):
    """calamine finds the workbook part through _rels/.rels, joins each relationship's target to
    its folder as written, looks members up in any case with "\\" or "/", reads an xlsb sheet from
    BrtBeginSheetData on whatever the part's name or first record, and picks its reader by the
    file's extension: each of these used-range bombs made `check` abort (exit 134) when calamine
    ran in this process. The reader process refuses it; this process reads on."""
    path = _PLACES[place](tmp_path / f"{place}.{place[:4].strip('-')}")
    with pytest.raises(InputError):
        read_grids(path)


# --------------------------------------------------------------------------- what the importer notes on the way


def _scans(path: Path):
    from xltargets.importing.sources import classify

    return {s.name: s for s in classify(path).sheets}


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb"])
def test_error_cells_come_from_the_parts_the_checks_inflate(kind, tmp_path):
    """The checks inflate every part (the Workbook stream of an .xls) and hand the importer's error cells
    what they want (:meth:`ErrorCells.wants`, asked of each chunk): a sheet part without ``t="e"`` is not kept."""
    rows = [["甲", fmt.Error("#REF!")], ["乙", fmt.Error("#N/A")]]
    if kind == "xls":
        rows.append(["丙", fmt.BiffFormula(fmt.ptg_str("≥90(%)"))])
    path = getattr(fmt, kind)(tmp_path / f"e.{kind}", [("申报表", rows), ("说明", [["没有错误"]])])
    scans = _scans(path)
    assert scans["申报表"].errors == {(0, 1): "#REF!", (1, 1): "#N/A", **({(2, 1): "#N/A"} if kind == "xls" else {})}
    assert scans["申报表"].typed == ({(2, 1): "=≥90(%)"} if kind == "xls" else {})
    assert scans["说明"].errors == {}
    if kind != "xls":
        assert scans["申报表"].part and scans["说明"].part
    if kind == "xlsx":
        notes = ErrorCells()
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                notes(info.filename, data if notes.wants(info.filename, data) else None)
        assert scans["申报表"].part.lower() in notes.parts and scans["说明"].part.lower() not in notes.parts


@pytest.mark.parametrize(
    "spoil",
    [lambda wb: wb[:-9], lambda wb: wb.replace("申报表".encode("utf-16-le"), b"\xff" * 6, 1),
     lambda wb: wb.replace(b"\x9c\x01", b"\x9c\x01" + b"\xff\xff\xff\xff", 1)],
    ids=["workbook-bin-cut", "sheet-name-bytes-garbled", "BrtBundleSh-string-past-its-record"],
)
def test_an_xlsb_workbook_bin_that_cannot_name_its_sheets_never_crashes_the_checks(spoil, tmp_path):
    """A BrtBundleSh the importer cannot read leaves its sheets unnamed (their error cells unknown): never a crash."""
    good = fmt.xlsb(tmp_path / "g.xlsb", [("申报表", [["甲", fmt.Error("#REF!")]])])
    bad = tmp_path / "b.xlsb"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, spoil(data) if info.filename == "xl/workbook.bin" else data)
    assert "申报表" not in _scans(bad)


def test_olefile_stops_at_a_looping_chain(tmp_path):
    """cfb-fat-loop.xls: a directory chain that points back at itself. olefile reads a chain no
    further than the sectors the file holds, so reading it in this process ends (here in a child,
    so that a hang would fail the test rather than stall it)."""
    import subprocess
    import sys

    from corpus.make_corpus import build

    (path,) = build(tmp_path, ["cfb-fat-loop.xls"])
    code = "import sys; from pathlib import Path; from xltargets.importing.guard import check_cfb; " \
           "p = Path(sys.argv[1]); print(len(check_cfb(p, open(p, 'rb'))[1] or b''))"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and int(proc.stdout) > 0, proc.stderr[-2000:]


def test_the_reading_safety_module_imports_nothing_of_the_importer():
    """guard.py is the reading safety alone (docs/reliability.md counts its lines): what the importer takes
    from the pass is handed to it (.errorcells), never imported."""
    import ast

    path = Path(__file__).resolve().parents[1] / "src" / "xltargets" / "importing" / "guard.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {"." * n.level + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level}
    assert imported <= {"..errors", ".limits"}, imported


def test_the_line_counts_in_the_docs_are_the_modules_own():
    """docs/reliability.md's table counts the reading-safety modules' lines (issue 14: at most 300
    with the reader process's code); its last column is what ``wc -l`` says of each today."""
    import re

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "reliability.md").read_text(encoding="utf-8")
    total = 0
    for name in ("importing/guard.py", "reader.py"):
        row = re.search(rf"^\| `{name}`.*\| (\d+) \|$", doc, re.M)
        lines = len((root / "src" / "xltargets" / name).read_text(encoding="utf-8").splitlines())
        assert row and int(row.group(1)) == lines, (name, row and row.group(1), lines)
        total += lines
    assert total <= 300, f"issue 14: the reading safety is at most 300 lines, not {total}"


def _loop(data: bytearray, sector: int) -> None:
    """The FAT entry of *sector* points at itself: a chain through it never ends."""
    struct.pack_into("<I", data, 512 + 512 * struct.unpack_from("<I", data, 0x4C)[0] + 4 * sector, sector)


def _entry(data: bytearray, i: int, offset: int) -> int:
    """The position of a field of directory entry *i* (0: the root, 1: the Workbook stream)."""
    return 512 + 512 * struct.unpack_from("<I", data, 0x30)[0] + 128 * i + offset


def _big_stream(data: bytearray, i: int) -> None:
    """Entry *i* declares 4 GB and its chain loops."""
    struct.pack_into("<I", data, _entry(data, i, 0x78), 0xFFFFFFF0)
    _loop(data, struct.unpack_from("<I", data, _entry(data, i, 0x74))[0])


def _many_difat(data: bytearray) -> None:
    """The header counts 4 billion FAT sectors, and as many DIFAT sectors as that takes, the first
    one (sector 0) pointing at itself as the next."""
    struct.pack_into("<I", data, 0x2C, 0xFFFFFFF0)
    struct.pack_into("<II", data, 0x44, 0, (0xFFFFFFF0 - 109 + 126) // 127)
    struct.pack_into("<I", data, 512 + 508, 0)


def _many_minifat(data: bytearray) -> None:
    """The header counts 4 billion mini FAT sectors, and the mini FAT's chain loops."""
    struct.pack_into("<I", data, 0x40, 0xFFFFFFF0)
    _loop(data, struct.unpack_from("<I", data, 0x3C)[0])


_OLE_ATTACKS = {
    "workbook-stream-declares-4-GB-and-loops": lambda d: _big_stream(d, 1),
    "mini-stream-declares-4-GB-and-loops": lambda d: _big_stream(d, 0),
    "difat-counts-4-billion-sectors": _many_difat,
    "mini-fat-counts-4-billion-sectors": _many_minifat,
}


@pytest.mark.skipif(os.name != "posix", reason="the address-space cap (RLIMIT_AS) is POSIX")
@pytest.mark.parametrize("attack", list(_OLE_ATTACKS))
def test_what_olefile_reads_is_bounded_by_the_file(attack, tmp_path):
    """olefile reads a stream as far as its declared size and as many DIFAT / mini FAT sectors as the
    header counts, following chains that may loop: each is first bounded by the file's size, so a
    small file cannot make this process read gigabytes (here under a 1 GB cap, in a child)."""
    import subprocess
    import sys

    path = fmt.xls(tmp_path / "a.xls", [("申报表", summary(CLEAN))])
    data = bytearray(path.read_bytes())
    _OLE_ATTACKS[attack](data)
    path.write_bytes(bytes(data))
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); from pathlib import Path; "
            "from xltargets.errors import InputError; from xltargets.importing.sources import classify\n"
            "try: classify(Path(sys.argv[1])); print('read')\nexcept InputError as exc: print(exc)")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "已损坏（Office 复合文档结构无效" in proc.stdout, (proc.stdout, proc.stderr[-2000:])


def test_an_ods_failed_formulas_are_bounded_like_a_files_cells(tmp_path, monkeypatch):
    """The formulas LibreOffice could not compute are kept for every table, hidden ones too (parsed in
    this process; the reader process sends only the visible): past a file's total_cells, the cached values stay."""
    from corpus import formats as fmt
    from xltargets.importing import limits
    from xltargets.importing.formulas import ods_formula_texts

    cell = ('<table:table-cell table:formula="of:=10.00(所)" office:value-type="string" '
            'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" calcext:value-type="error"/>')
    tables = '<table:table table:name="隐藏">' + f"<table:table-row>{cell * 5}</table:table-row>" * 2 + "</table:table>"
    path = fmt.ods(tmp_path / "f.ods", [], raw_tables=tables)
    assert sum(map(len, ods_formula_texts(path).values())) == 10
    monkeypatch.setitem(limits.LIMITS, "total_cells", 9)
    assert ods_formula_texts(path) == {}


_PROLOGS = {  # what a part may begin with: read (None) or refused as a DTD that can declare entities
    "named-public": ('<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">', None),
    "named-system": ('<!DOCTYPE worksheet SYSTEM "x.dtd">', None),
    "internal-subset": ("<!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]>", "DTD"),
    "entity": ('<!DOCTYPE worksheet [<!ENTITY a "b">]>', "DTD"),
    "named-then-subset": ('<!DOCTYPE worksheet SYSTEM "x.dtd" [<!ATTLIST worksheet x CDATA "1">]>', "DTD"),
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
@pytest.mark.parametrize("prolog", list(_PROLOGS))
def test_a_dtd_only_named_is_read_one_that_can_declare_entities_is_refused(prolog, encoding, tmp_path):
    text, refused = _PROLOGS[prolog]
    grid = summary(CLEAN, form())
    sheet = fmt.sheet_xml(grid, prolog=text)
    if encoding != "utf-8":
        sheet = b"\xff\xfe" + sheet.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(encoding)
    path = fmt.xlsx(tmp_path / "f.xlsx", [("申报表", sheet)])
    if refused:
        with pytest.raises(InputError, match=refused):
            read_grids(path)
    elif encoding != "utf-8":  # calamine reads no UTF-16 sheet: refused, but not as a DTD
        with pytest.raises(InputError) as err:
            read_grids(path)
        assert "DTD" not in str(err.value)
    else:
        plain = fmt.xlsx(tmp_path / "plain.xlsx", [("申报表", grid)])
        assert [g.rows for g in read_grids(path)] == [g.rows for g in read_grids(plain)]
