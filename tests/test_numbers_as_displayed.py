"""Issue 15, point 5: a 指标值 stored as a number reads as the user sees it (its number format)."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from xltargets import pipeline
from xltargets.importing import read_sources
from xltargets.importing.numfmt import BiffFormats, OdsFormats, SheetFormats, XlsbFormats, display

import layouts
from corpus import formats as fmt
from corpus.formats import Formatted


@pytest.mark.parametrize(
    "stored,code,shown",
    [("0.95", "0%", "95%"), ("1", "0%", "100%"), ("1", "0.00%", "100.00%"), ("0.855", "0.0%", "85.5%"),
     ("85", "0.00", "85.00"), ("1234.5", "#,##0.00", "1,234.50"), ("90", "General", "90"),
     ("0.95", "0%;[Red]-0%", "95%"), ("45292", "yyyy-mm-dd", "45292"), ("85", "0.00_ ", "85.00"),
     ("1234.5", "#,##0.00_);[Red]\\(#,##0.00\\)", "1,234.50"), ("0.95", "0.0%_)", "95.0%"), ("85", "0.00 \"分\"", "85"),
     ("0.95", "0." + "0" * 30, "0.95" + "0" * 28), ("1e27", "0.00", "1" + "0" * 27 + ".00"), ("1e-05", "0.0000000000000000000000000000%", "0.0010000000000000000000000000%"),
     ("0.95", "0." + "0" * 31, "0.95"), ("1e999", "0%", "1e999")],
    ids=["percent", "one-is-100", "percent-2dp", "percent-1dp", "fixed-2dp", "grouped", "general", "sections", "date-untouched",
         "padded-fixed", "padded-accounting", "padded-percent", "literal-text-untouched",
         "30-decimals-past-28-digits", "27-digit-integer-2dp", "small-percent-28dp", "31-decimals-no-excel-format", "no-double"],
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


# ---- the same in an ods and an .xls (a copy saved by LibreOffice or WPS must read as the xlsx does)

#: 指标值 column E of four indicator rows (13-16): stored number, number format, what the user sees
SHOWN = {13: Formatted(0.95, "0%", "95%"), 14: Formatted(1, "0.00%", "100.00%"),
         15: Formatted(1234.5, "#,##0.00", "1,234.50"), 16: Formatted(85, "0.00_ ", "85.00")}


def _formatted_grid(pad: int = 0) -> list[list]:
    grid = layouts.seed_like(pad=pad) + [[""] * pad + ["", "", "", "完成率", ""]]
    for row, f in SHOWN.items():
        grid[row - 1][pad + 4] = f
    return grid


def _values(path) -> list[str]:
    return [i.value for i in read_sources([path]).declaration.projects[0].indicators]


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx", "ods", "xls"])
def test_libreoffice_copies_read_as_shown(soffice, tmp_path, target):
    from xltargets.libreoffice import convert

    grid = _formatted_grid()
    path = layouts.write_xlsx(tmp_path / "src.xlsx", {"表": [[v.value if isinstance(v, Formatted) else v for v in r] for r in grid]})
    wb = openpyxl.load_workbook(path)
    for row, f in SHOWN.items():
        wb["表"].cell(row, 5).number_format = f.code
    wb.save(path)
    made = convert(path, target, tmp_path / "out")
    assert _values(made) == [f.shown for f in SHOWN.values()]


def _ods_repeated(path, grid):
    """An ods whose two leading empty rows and two leading empty columns are written as repeats."""
    table = fmt.ods_table("表", [[], []] + grid)
    table = table.replace("<table:table-row></table:table-row><table:table-row></table:table-row>",
                          '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>', 1)
    table = table.replace("<table:table-cell/><table:table-cell/>", '<table:table-cell table:number-columns-repeated="2"/>')
    return fmt.ods(path, [], raw_tables=table)


@pytest.mark.parametrize(
    "name,write,pad",
    [("f.ods", lambda p, g: fmt.ods(p, [("表", g)]), 0), ("r.ods", _ods_repeated, 2),
     ("f.xls", lambda p, g: fmt.xls(p, [("表", g)]), 0), ("f.xlsb", lambda p, g: fmt.xlsb(p, [("表", g)]), 0),
     ("p.xlsb", lambda p, g: fmt.xlsb(p, [("前", [["说明"]]), ("表", g)]), 2)],
    ids=["ods", "ods-repeated-rows-and-columns", "xls-number-and-rk", "xlsb-real-and-rk", "xlsb-second-sheet-padded"],
)
def test_numbers_read_as_shown_without_libreoffice(tmp_path, name, write, pad):
    assert _values(write(tmp_path / name, _formatted_grid(pad))) == [f.shown for f in SHOWN.values()]


@pytest.mark.parametrize(
    "cell,value",
    [(Formatted(85, "0.00", "¥85.00"), "85"), (Formatted(0.95, "0%", "96%"), "0.95"),
     (Formatted(45292, "0", "2024-01-01"), "45292"), (Formatted(0.95, "0%", ""), "0.95"),
     (Formatted(85, "0.00_ ", "85.00 "), "85.00")],
    ids=["currency-sign", "not-this-value", "date", "no-text", "padding-space-read-as-shown"],
)
def test_ods_displays_other_than_numbers_give_the_stored_number(tmp_path, cell, value):
    grid = layouts.seed_like()
    grid[12][4] = cell
    assert _values(fmt.ods(tmp_path / "o.ods", [("表", grid)]))[0] == value


def test_xls_general_and_unreadable_formats_give_the_stored_number(tmp_path):
    grid = layouts.seed_like()
    grid[12][4], grid[13][4] = Formatted(0.95, "General", ""), 0.8
    assert _values(fmt.xls(tmp_path / "g.xls", [("表", grid)]))[:2] == ["0.95", "0.8"]


@pytest.mark.parametrize("reader", [BiffFormats, OdsFormats, SheetFormats, XlsbFormats], ids=["xls", "ods", "xlsx", "xlsb"])
@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600],
                         ids=["empty", "broken-zip", "cfb-header-only"])
def test_unreadable_formats_give_the_stored_number(tmp_path, reader, content):
    path = tmp_path / "x"
    path.write_bytes(content)
    assert reader(path, "表").shown(12, 4, "0.95") == "0.95"


def _cut_styles(data: bytes) -> bytes:
    return data[: data.index(b"\x2f\x10", data.index(b"\xe9\x04")) + 5]  # a BrtXF of cellXfs cut short


@pytest.mark.parametrize(
    "spoil",
    [lambda d: b"\xff" * len(d), _cut_styles, lambda d: d.replace(b"\x2c", b"\x2c\x7f", 1)],
    ids=["garbage-styles", "styles-cut-in-a-BrtXF", "BrtFmt-size-past-the-end"],
)
def test_xlsb_malformed_styles_give_the_stored_number(tmp_path, spoil):
    """calamine refuses such a file (a clear error); the formats reader alone gives the stored number."""
    import zipfile

    grid = layouts.seed_like()
    grid[12][4] = Formatted(0.95, "0%", "95%")
    good = fmt.xlsb(tmp_path / "g.xlsb", [("表", grid)])
    bad = tmp_path / "b.xlsb"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, spoil(data) if info.filename == "xl/styles.bin" else data)
    assert _values(good)[0] == "95%"
    assert XlsbFormats(good, "表").shown(12, 4, "0.95") == "95%"
    assert XlsbFormats(bad, "表").shown(12, 4, "0.95") == "0.95"


def _three_xlsx(path, sheets):
    path = layouts.write_xlsx(path, {name: [[v.value if isinstance(v, Formatted) else v for v in row] for row in grid]
                                     for name, grid in sheets})
    wb = openpyxl.load_workbook(path)
    for name, _ in sheets:
        wb[name].cell(13, 5).number_format = "0%"
    wb.save(path)
    return path


@pytest.mark.parametrize("suffix,loader,write", [("xls", "_biff_globals", fmt.xls), ("xlsb", "_xlsb_styles", fmt.xlsb)],
                         ids=["xls", "xlsb"])
def test_formats_read_once_per_file(tmp_path, monkeypatch, suffix, loader, write):
    """Three project sheets each asking: what the file gives every sheet (an .xls's Workbook stream and globals,
    an xlsb's styles.bin) is read once, not once a sheet."""
    from xltargets.importing import numfmt

    calls = []
    real = getattr(numfmt, loader)
    monkeypatch.setattr(numfmt, loader, lambda path, *rest: calls.append(path) or real(path, *rest))
    sheets = []
    for i in range(3):
        grid = layouts.seed_like(name=f"项目{i}")
        grid[12][4] = Formatted(0.95, "0%", "95%")
        sheets.append((f"表{i}", grid))
    path = write(tmp_path / f"three.{suffix}", sheets)
    projects = read_sources([path]).declaration.projects
    assert [p.indicators[0].value for p in projects] == ["95%"] * 3
    assert len(calls) == 1


def _typed_book(path, sheets: int, typed: set[int]):
    """A workbook (xlsx, xls or xlsb by *path*'s suffix) of *sheets* project sheets; a number (0.95 formatted 0%)
    typed in E13 of the sheets *typed*, text elsewhere (an xlsx: E13 formatted 0% in each)."""
    grids = []
    for i in range(sheets):
        grid = layouts.seed_like(name=f"项目{i}")
        if i in typed:
            grid[12][4] = Formatted(0.95, "0%", "95%")
        grids.append((f"表{i}", grid))
    write = {".xlsx": _three_xlsx, ".xls": fmt.xls, ".xlsb": fmt.xlsb, ".ods": fmt.ods}[path.suffix]
    return write(path, grids), [g[12][4] for _, g in grids]


#: per kind: the loader of a batch of sheets (its seam), and a sheet's index from its key (a part or a sheet name)
_LOADERS = {"xlsx": ("_xlsx_codes", lambda part: int(part.rsplit("sheet", 1)[1].split(".")[0]) - 1),
            "xls": ("_biff_codes", lambda name: int(name[1:])), "xlsb": ("_xlsb_codes", lambda name: int(name[1:])),
            "ods": ("_ods_texts", lambda name: int(name[1:]))}


@pytest.mark.parametrize("kind,sheets,typed,parsed,openings", [
    *[(kind, 6, set(), [], 0) for kind in _LOADERS],
    *[(kind, 6, {3}, [3], 1) for kind in _LOADERS],
    *[(kind, 6, {0, 4}, [0, 4], 2) for kind in _LOADERS],
    *[(kind, 6, set(range(6)), [0, 1, 2, 3, 4, 5], 3) for kind in ("xlsx", "xlsb", "ods")],
    ("xls", 6, set(range(6)), [0, 1, 2, 3, 4, 5], 6),
    *[(kind, 6, {1, 2}, [1, 2, 3], 2) for kind in ("xlsx", "xlsb", "ods")], ("xls", 6, {1, 2}, [1, 2], 2),
    *[(kind, 8, {0, 1, 3, 4, 5, 6, 7}, [0, 1, 2, 3, 4, 5, 6, 7], 4) for kind in ("xlsx", "xlsb", "ods")],
    ("xlsx", 8, {0, 1, 3}, [0, 1, 2, 3, 4, 5, 6], 3)],
    ids=[f"{kind}-{case}" for case in ("no-typed-number", "one-sheet", "two-sheets-apart") for kind in _LOADERS]
        + ["xlsx-every-sheet", "xlsb-every-sheet", "ods-every-sheet", "xls-every-sheet-one-substream-each",
           "xlsx-two-in-a-row", "xlsb-two-in-a-row", "ods-two-in-a-row", "xls-two-in-a-row",
           "xlsx-all-but-one", "xlsb-all-but-one", "ods-all-but-one", "xlsx-half-a-batch-asked-reads-ahead"])
@pytest.mark.parametrize("read", [lambda paths: read_sources(paths), lambda paths: pipeline.check_sources(paths)],
                         ids=["all-grids-first", "grids-one-at-a-time"])
def test_sheets_are_read_for_the_sheets_that_ask(tmp_path, monkeypatch, kind, sheets, typed, parsed, openings, read):
    """Only the sheets holding a typed number are read (one typed number read every sheet of the file until
    session 6 for an xlsx: 2.3 s at 1,000 sheets; until session 7 for an .xls, an xlsb and an ods). In an xlsx, an
    xlsb and an ods, sheets asking one after another are read in doubling batches (1, 2, 4 …: each batch one opening
    of the package, an ods's content.xml parsed as far as the batch's last table, not once a sheet), each sheet once,
    fewer than four sheets read a sheet asking, a sheet that does not ask among them no longer starting the batches
    anew (1,000 sheets, 56 not asking: 165 openings until session 7); an .xls's Workbook stream is read once
    (olefile reads it whole, and BIFF keeps the formats in its globals), then each asking sheet's substream alone.
    The same where the grids are made one at a time as ``check`` makes them (:func:`.sources.grid_stream`): until
    session 8 a sheet was known to the batches only once its grid was made, so each asking sheet was read alone
    (947 openings of the package for 1,000 sheets)."""
    from xltargets.importing import numfmt

    loader, index = _LOADERS[kind]
    batches = []
    real = getattr(numfmt, loader)
    monkeypatch.setattr(numfmt, loader, lambda path, keys, *rest: batches.append(list(keys)) or real(path, keys, *rest))
    path, cells = _typed_book(tmp_path / f"typed.{kind}", sheets, typed)
    projects = read([path]).declaration.projects
    assert [p.indicators[0].value for p in projects] == ["95%" if i in typed else cells[i] for i in range(sheets)]
    done = [index(key) for batch in batches for key in batch]
    assert (done, len(batches)) == (parsed, openings)


def test_the_files_cell_budget_is_shared_by_the_parts_read_one_by_one(tmp_path, monkeypatch):
    """The cell tags walked for one file stay within one total_cells budget however the parts are asked: the parts
    read before it is spent keep their formats, the part that reaches it and every part asked after give the stored
    numbers."""
    from xltargets.importing import limits

    path, _ = _typed_book(tmp_path / "typed.xlsx", 6, {0, 3, 5})
    tags = [len(re.findall(rb"<c[ >]", zipfile.ZipFile(path).read(f"xl/worksheets/sheet{i + 1}.xml"))) for i in range(6)]
    monkeypatch.setitem(limits.LIMITS, "total_cells", tags[0] + tags[3] + tags[5] - 1)
    book: dict = {}
    forms = [SheetFormats(path, f"xl/worksheets/sheet{i + 1}.xml", book) for i in range(6)]
    assert [forms[i].shown(12, 4, "0.95") for i in (0, 3, 5)] == ["95%", "95%", "0.95"]
    assert book["budget"] == -1
    monkeypatch.setitem(limits.LIMITS, "total_cells", tags[0] + tags[3] + tags[5])
    book = {}
    forms = [SheetFormats(path, f"xl/worksheets/sheet{i + 1}.xml", book) for i in range(6)]
    assert [forms[i].shown(12, 4, "0.95") for i in (0, 3, 5)] == ["95%", "95%", "95%"]
    assert book["budget"] == 0


# ---- bounds: what a crafted styles part or sheet part can make this in-process reader do

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _styled_book(path, cells: str, *, formats: int = 0, xfs: int = 1):
    """An xlsx whose styles part has *formats* custom number formats and XF 1..*xfs* showing 0%;
    *cells*: the sheet's raw <row> elements."""
    numfmts = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="0.00"/>' for i in range(formats))
    percent = '<xf numFmtId="9"/>' * xfs
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}"><numFmts>{numfmts}</numFmts>'
              f'<cellStyleXfs><xf numFmtId="4"/></cellStyleXfs><cellXfs><xf numFmtId="0"/>{percent}</cellXfs></styleSheet>')
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    return fmt.xlsx(path, [("表", sheet)], styles=styles)


def test_a_styles_part_past_excels_number_of_formats_is_not_read(tmp_path):
    """200,000 number formats (Excel keeps at most 65,490 cell formats): the stored number stays, and the
    part is not read whole (a million formats, 2.6 MB zipped: 1.09 GB and 21 s before; 46 MB and 0.2 s)."""
    import tracemalloc

    from xltargets.importing.numfmt import _xlsx_codes

    path = _styled_book(tmp_path / "f.xlsx", '<row r="1"><c r="A1" s="1"><v>0.95</v></c></row>', formats=200_000)
    tracemalloc.start()
    codes = _xlsx_codes(path, ["xl/worksheets/sheet1.xml"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert codes == {"xl/worksheets/sheet1.xml": {}}
    assert peak < 30 << 20, peak
    ok = _styled_book(tmp_path / "ok.xlsx", '<row r="1"><c r="A1" s="1"><v>0.95</v></c></row>', formats=300)
    assert SheetFormats(ok, "xl/worksheets/sheet1.xml").shown(0, 0, "0.95") == "95%"


def test_an_empty_formatted_cell_is_no_number(tmp_path):
    """Only cells holding a value are kept: 20,000 empty cells in a percent format cost no entry (4 million
    kept 1 GB before)."""
    from xltargets.importing.numfmt import _xlsx_codes

    empty = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in "BCDEFGHIJK") + "</row>" for r in range(2, 2002))
    path = _styled_book(tmp_path / "e.xlsx", '<row r="1"><c r="A1" s="1"><v>0.95</v></c></row>' + empty)
    assert _xlsx_codes(path, ["xl/worksheets/sheet1.xml"]) == {"xl/worksheets/sheet1.xml": {(0, 0): "0%"}}


def test_cell_tags_past_the_files_budget_give_the_stored_numbers(tmp_path, monkeypatch):
    """The cell tags walked for one file are bounded (LIMITS total_cells): past it no format is used."""
    from xltargets.importing import limits
    from xltargets.importing.numfmt import _xlsx_codes

    row = '<row r="1"><c r="A1" s="1"><v>0.95</v></c>' + "".join(f'<c r="{c}1" s="1"/>' for c in "BCDEFGHIJK") + "</row>"
    path = _styled_book(tmp_path / "b.xlsx", row)
    assert _xlsx_codes(path, ["xl/worksheets/sheet1.xml"])["xl/worksheets/sheet1.xml"] == {(0, 0): "0%"}
    monkeypatch.setitem(limits.LIMITS, "total_cells", 5)
    assert _xlsx_codes(path, ["xl/worksheets/sheet1.xml"]) == {"xl/worksheets/sheet1.xml": {}}


def test_an_ods_tables_repeats_are_bounded_hidden_or_not(tmp_path, monkeypatch):
    """The displayed texts of an ods are kept for every table, hidden ones too (parsed in this process,
    whatever the reader process measured), each repeat a row or a column: a 2 kB table of 300 rows, each a number
    repeated over 16,384 columns, made 4.9 million entries (437 MB in this process). Past a file's
    total_cells entries, the stored numbers stay."""
    import tracemalloc

    from xltargets.importing import limits
    from xltargets.importing.numfmt import _ods_texts

    row = ('<table:table-row><table:table-cell office:value-type="float" office:value="1" '
           'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>')
    visible = fmt.ods_table("表", _formatted_grid())
    path = fmt.ods(tmp_path / "h.ods", [], raw_tables=visible + '<table:table table:name="隐藏">' + row * 300 + "</table:table>")
    assert path.stat().st_size < 10_000
    monkeypatch.setitem(limits.LIMITS, "total_cells", 200_000)
    tracemalloc.start()
    texts = _ods_texts(path, ["表", "隐藏"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert texts["隐藏"] == {} and peak < 40 << 20, (len(texts["隐藏"]), peak)
    assert len(texts["表"]) == len(SHOWN)  # the table read before the budget was spent keeps its texts
    monkeypatch.setitem(limits.LIMITS, "total_cells", 2_000_000)
    assert _values(fmt.ods(tmp_path / "ok.ods", [("表", _formatted_grid())])) == [f.shown for f in SHOWN.values()]


@pytest.mark.parametrize("kind,formats_of", [("xls", BiffFormats), ("xlsb", XlsbFormats)], ids=["xls", "xlsb"])
def test_xls_and_xlsb_number_cells_are_bounded_like_a_files_cells(tmp_path, monkeypatch, kind, formats_of):
    """Every asking sheet's number cells are kept (an .xls MULRK record holds 1,370 cells in 8 kB), within one
    total_cells budget for the file however the sheets ask: the sheets read before it is spent keep their formats,
    the sheet that reaches it and every sheet asked after give the stored numbers (an .xls or xlsb past it gave
    every sheet its stored numbers until session 7, when every sheet was read at the first question)."""
    from xltargets.importing import limits

    path = getattr(fmt, kind)(tmp_path / f"f.{kind}", [(f"表{i}", _formatted_grid()) for i in range(3)])
    shown = [f.shown for f in SHOWN.values()]

    def read(cells: int) -> list[list[str]]:
        monkeypatch.setitem(limits.LIMITS, "total_cells", cells)
        book: dict = {}
        forms = [formats_of(path, f"表{i}", book) for i in range(3)]
        return [[forms[i].shown(row - 1, 4, str(f.value)) for row, f in SHOWN.items()] for i in (0, 2)]

    assert read(2 * len(SHOWN)) == [shown, shown]
    assert read(2 * len(SHOWN) - 1) == [shown, [str(f.value) for f in SHOWN.values()]]
    assert read(len(SHOWN) - 1) == [[str(f.value) for f in SHOWN.values()]] * 2


def test_an_ods_is_parsed_no_further_than_the_asking_tables(tmp_path, monkeypatch):
    """content.xml is parsed as far as the end of the asked table: a table after it is never parsed (until session
    7 the first question parsed every table; here the one after, past the file's budget, made every table give its
    stored number)."""
    from xltargets.importing import limits

    row = ('<table:table-row><table:table-cell office:value-type="float" office:value="1" '
           'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>')
    tables = fmt.ods_table("表", _formatted_grid()) + '<table:table table:name="后">' + row * 300 + "</table:table>"
    path = fmt.ods(tmp_path / "a.ods", [], raw_tables=tables)
    monkeypatch.setitem(limits.LIMITS, "total_cells", 200_000)
    book: dict = {}
    first, after = OdsFormats(path, "表", book), OdsFormats(path, "后", book)
    assert [first.shown(row - 1, 4, str(f.value)) for row, f in SHOWN.items()] == [f.shown for f in SHOWN.values()]
    assert after.shown(0, 0, "1") == "1" and book["budget"] == -1


# ---- a sheet part's number cells as expat reads them, however the XML is written

def _part(cells: str, root: str = f' xmlns="{_MAIN}"', head: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') -> bytes:
    return f'{head}<worksheet{root}><sheetData><row r="1">{cells}</row></sheetData></worksheet>'.encode()


_A1 = {(0, 0): "0%"}
_SHEET_PARTS = {  # name → (part, the number cells whose format shows numbers differently)
    "excel": (_part('<c r="A1" s="1"><v>0.95</v></c><c r="B1" s="2" t="s"><v>0</v></c><c r="C1" s="1"/>'), _A1),
    "openpyxl-t-n": (_part('<c r="A1" s="1" t="n"><v>0.95</v></c><c r="B1" s="1" t="n"></c>'), _A1),
    "t-before-s": (_part('<c r="AB1" t="n" s="1"><v>1</v></c>'), {(0, 27): "0%"}),
    "formula-then-value": (_part('<c r="A1" s="1"><f>1/2</f><v>0.5</v></c>'), _A1),
    "text-in-a-percent-style": (_part('<c r="A1" s="1" t="inlineStr"><is><t>95%</t></is></c><c r="B1" s="1" t="str"><f>"x"</f><v>x</v></c>'), {}),
    "style-with-leading-zero": (_part('<c r="A1" s="01"><v>0.95</v></c>'), _A1),
    "style-10-not-1": (_part('<c r="A1" s="10"><v>0.95</v></c><c r="B1" s="21"><v>1</v></c>'), {(0, 1): "0.00"}),
    "empty-value": (_part('<c r="A1" s="1"><v/></c><c r="B1" s="1"><v></v></c>'), {(0, 0): "0%", (0, 1): "0%"}),
    "no-value-then-a-value-outside-the-cell": (_part('<c r="A1" s="1"></c><x><v>1</v></x>'), {}),
    "value-inside-an-inline-string": (_part('<c r="A1" s="1"><is><v>1</v></is></c>'), {}),
    "other-attributes": (_part('<c r="A1" s="1" cm="1" vm="2" ph="1"><v>0.95</v></c>'), _A1),
    "no-declaration": (_part('<c r="A1" s="1"><v>0.95</v></c>', head=""), _A1),
    "attributes-in-another-order": (_part('<c s="1" r="A1"><v>0.95</v></c>'), _A1),
    "single-quoted": (_part("<c r='A1' s='1'><v>0.95</v></c>"), _A1),
    "spaced": (_part('<c r="A1"  s = "1"><v>0.95</v></c>'), _A1),
    "a-comment": (_part('<!-- <c r="B1" s="1"><v>1</v></c> --><c r="A1" s="0"><v>0.95</v></c>'), {}),
    "cdata": (_part('<c r="A1" s="1" t="inlineStr"><is><t><![CDATA[<c r="B1" s="1"><v>1</v></c>]]></t></is></c>'), {}),
    "prefixed": (_part('<x:c r="A1" s="1"><x:v>0.95</x:v></x:c>', root=f' xmlns="{_MAIN}" xmlns:x="{_MAIN}"'), _A1),
    "another-default-namespace": (_part('<c r="A1" s="1"><v>0.95</v></c>', root=' xmlns="urn:other"'), {}),
    "value-in-another-namespace": (_part('<c r="A1" s="1"><v xmlns="urn:other">0.95</v></c>'), {}),
    "utf-16": (b"\xff\xfe" + _part('<c r="A1" s="1"><v>0.95</v></c>', head='<?xml version="1.0" encoding="UTF-16"?>').decode().encode("utf-16-le"), _A1),
    "latin-1-declared": (_part('<c r="A1" s="1"><v>0.95</v></c>', head="<?xml version='1.0' encoding = 'ISO-8859-1'?>"), _A1),
    "an-entity-declared": (_part('<c r="A1" s="1"><v>0.95</v></c>', head='<!DOCTYPE worksheet [<!ENTITY a "1">]>'), {}),
    "not-well-formed": (_part('<c r="A1" s="1"><v>0.95</v></c><c>'), {}),
    "after-the-cells": (_part('<c r="A1" s="1"><v>0.95</v></c>').replace(b"</worksheet>", b'<mergeCells/><c r="B1" s="1"><v>1</v></c></worksheet>'), _A1),
}


@pytest.mark.parametrize("name", _SHEET_PARTS)
def test_a_sheet_parts_number_cells_are_read_however_the_xml_is_written(name):
    """A part is parsed by expat, called back at each element's start only (~3× faster than defusedxml's iterparse,
    1.6 ms a part of a form re-saved by openpyxl): a number cell (``t`` absent or ``n``) holding a ``<v>`` of its own,
    whose style shows numbers differently, in SpreadsheetML's namespace; nothing past the sheet's cells; nothing of a
    part that declares an entity or is not well-formed (its stored numbers stay)."""
    import io

    from xltargets.importing.numfmt import _sheet_codes

    data, cells = _SHEET_PARTS[name]
    assert _sheet_codes(io.BytesIO(data), {1: "0%", 21: "0.00"}, 10**6)[1] == cells


def test_a_parts_cell_tags_count_against_the_files_budget(tmp_path, monkeypatch):
    from xltargets.importing import limits
    from xltargets.importing.numfmt import _xlsx_codes

    path = _styled_book(tmp_path / "p.xlsx", '<row r="1"><c r="A1" s="1"><v>0.95</v></c><c r="B1" s="1"/><c r="C1"/></row>')
    monkeypatch.setitem(limits.LIMITS, "total_cells", 3)
    book: dict = {}
    assert _xlsx_codes(path, ["xl/worksheets/sheet1.xml"], book) == {"xl/worksheets/sheet1.xml": {(0, 0): "0%"}}
    assert book["budget"] == 0
    monkeypatch.setitem(limits.LIMITS, "total_cells", 2)
    book = {}
    assert _xlsx_codes(path, ["xl/worksheets/sheet1.xml"], book) == {"xl/worksheets/sheet1.xml": {}}
    assert book["budget"] == -1


def test_an_ods_content_declaring_an_entity_gives_the_stored_numbers(tmp_path):
    """content.xml is parsed by expat with the entity handlers raising (as defusedxml's): an entity declared is
    refused, nothing of the file's texts is used (the package check refuses such a file before any of this)."""
    import zipfile

    from xltargets.importing.numfmt import _ods_texts

    table = ('<table:table table:name="表"><table:table-row><table:table-cell office:value-type="percentage" '
             'office:value="0.95"><text:p>{}</text:p></table:table-cell></table:table-row></table:table>')
    root = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{}'
            '</office:spreadsheet></office:body></office:document-content>')
    for name, head, text, texts in (("plain.ods", "", "95%", {0: {0: "95%"}}),
                                    ("entity.ods", '<!DOCTYPE d [<!ENTITY p "95&#37;">]>', "&p;", {})):
        with zipfile.ZipFile(tmp_path / name, "w") as zf:
            zf.writestr("content.xml", head + root.format(table.format(text)))
        assert _ods_texts(tmp_path / name, ["表"]) == {"表": texts}
