"""Issue 15: the seed re-saved the ways users re-save it keeps all 85 facts.

Every variant is made here from examples/sh-jishengxie-2024-summary.tsv: comma CSV
in UTF-8, UTF-8 with BOM, GBK, GB18030 and UTF-16; the TSV in GBK and UTF-16 without
a BOM; split value columns (指标性质 / 指标值 / 计量单位); an xlsx made by LibreOffice's
default text import, in which typed values became formulas (runs in CI).
"""

from __future__ import annotations

import csv
import io
import subprocess

import pytest

from xltargets.importing import read_sources
from xltargets.model import QuantitativeTarget
from xltargets.targets import format_number

import layouts
from seed_facts import expected_facts, facts


def seed_rows(seed_path):
    return [line.split("\t") for line in seed_path.read_text(encoding="utf-8").splitlines()]


def test_the_seed_has_85_facts(seed_path):
    assert len(expected_facts()) == 85
    assert facts(read_sources([seed_path]).declaration) == expected_facts()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_comma_csv(seed_path, tmp_path, encoding):
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(seed_rows(seed_path))
    path = tmp_path / "seed.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    assert b"\t" not in path.read_bytes().decode(encoding).encode()
    assert facts(read_sources([path]).declaration) == expected_facts()


@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le", "utf-16"])
def test_tsv_in_other_encodings(seed_path, tmp_path, encoding):
    path = tmp_path / "seed.txt"
    path.write_bytes(seed_path.read_text(encoding="utf-8").encode(encoding))
    assert facts(read_sources([path]).declaration) == expected_facts()


def test_csv_told_from_tsv_by_content_not_name(seed_path, tmp_path):
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(seed_rows(seed_path))
    path = tmp_path / "seed.tsv"  # a CSV under a TSV name
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert facts(read_sources([path]).declaration) == expected_facts()
    named_csv = tmp_path / "seed2.csv"  # and a TSV under a CSV name
    named_csv.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert facts(read_sources([named_csv]).declaration) == expected_facts()


def test_lone_quote_in_a_tsv_cell_is_text(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8").replace("青春健康高校项目", '"青春健康高校项目', 1)
    path = tmp_path / "quote.tsv"
    path.write_text(text, encoding="utf-8")
    got = facts(read_sources([path]).declaration)
    want = [tuple('"青春健康高校项目' if x == "青春健康高校项目" else x for x in f) for f in expected_facts()]
    assert got == want


def test_quoted_multiline_cell_in_a_tsv_still_read(tmp_path):
    grid = layouts.seed_like()
    lines = ["\t".join(r) for r in grid]
    lines[10] = '\t\t\t"第一行\n第二行，含""引号"""'
    path = tmp_path / "q.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = read_sources([path]).declaration.projects[0]
    assert p.annual_goal == '第一行\n第二行，含"引号"'
    assert len(p.indicators) == 3


def _split_layout(decl) -> list[list[str]]:
    rows: list[list[str]] = []
    for p in decl.projects:
        f = p.funds
        rows += [
            ["财政项目支出绩效目标申报表"], [f"({p.year}年度)"],
            ["项目名称", p.name, "项目性质", p.nature, "项目类别", p.category],
            ["主管部门", p.department, "实施单位", p.unit],
            ["计划开始日期", str(p.start), "计划完成日期", str(p.end)],
            ["项目资金(元)", "年度资金申请总额", f"{f.annual:,.2f}"],
            ["", "其中：当年财政拨款", f"{f.annual_fiscal:,.2f}"],
            ["", "上年结转资金", f"{f.annual_carryover:,.2f}"],
            ["", "其他资金", f"{f.annual_other:,.2f}"],
            ["年度总体目标", p.annual_goal],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"],
        ]
        for i in p.indicators:
            t = i.target
            if isinstance(t, QuantitativeTarget):
                rows.append(["", i.level1, i.level2, i.level3, t.operator, format_number(t.number, t.decimals), t.unit])
            else:
                rows.append(["", i.level1, i.level2, i.level3, "", t.format(), ""])
        rows.append([""])
    return rows


@pytest.mark.parametrize("fmt", ["tsv", "xlsx"])
def test_split_value_columns(seed_path, tmp_path, fmt):
    grid = _split_layout(read_sources([seed_path]).declaration)
    if fmt == "tsv":
        path = tmp_path / "split.tsv"
        path.write_text("\n".join("\t".join(r) for r in grid) + "\n", encoding="utf-8")
    else:
        path = layouts.write_xlsx(tmp_path / "split.xlsx", {"汇总": grid})
    decl = read_sources([path]).declaration
    assert facts(decl) == expected_facts()
    seed = read_sources([seed_path]).declaration
    # the joined text is the seed's text, cell for cell
    assert [i.value for p in decl.projects for i in p.indicators] == [i.value for p in seed.projects for i in p.indicators]


def libreoffice_text_import(soffice, src, fmt, tmp_path):
    """*src* (a TSV) opened by LibreOffice's default text import and saved as *fmt*: typed
    values such as =10.00(所) become formulas."""
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--infilter=CSV:9,34,76",
         "--convert-to", "xls:MS Excel 97" if fmt == "xls" else fmt, "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    return tmp_path / "out" / f"{src.stem}.{fmt}"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_default_import_made_formulas(seed_path, tmp_path, soffice, fmt):
    """LibreOffice's text import (tab-separated) turns =10.00(所) into a formula whose cached value is
    #VALUE! (xlsx) or Err:509, read as empty (ods); the importer reads the formula text and warns,
    cell by cell."""
    src = tmp_path / "seed.tsv"
    src.write_bytes(seed_path.read_bytes())
    path = libreoffice_text_import(soffice, src, fmt, tmp_path)
    if fmt == "xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(path).active
        formula_cells = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    else:
        import zipfile

        from xltargets.importing.cellref import cell_ref

        content = zipfile.ZipFile(path).read("content.xml").decode("utf-8")
        assert content.count('table:formula="of:=') >= 10
        from xltargets.importing.formulas import ods_formula_texts

        formula_cells = [cell_ref(r, c) for cells in ods_formula_texts(path).values() for r, c in cells]
        assert len(formula_cells) == content.count('table:formula="of:=')
    assert len(formula_cells) >= 10  # the variant really holds formulas
    result = read_sources([path])
    assert facts(result.declaration) == expected_facts()
    w107 = sorted(f.cell for f in result.findings if f.code == "XLT-W107")
    assert w107 == sorted(formula_cells)
    assert all("'" in f.message for f in result.findings if f.code == "XLT-W107")


def test_libreoffice_xls_keeps_no_text_of_failed_formulas(seed_path, tmp_path, soffice):
    """Saved as .xls, LibreOffice writes each of the seed's 20 typed =10.00(所) as a FORMULA whose
    tokens are ptgErr #N/A alone (cached #VALUE!): the text is not in the file. The importer keeps
    the error text and warns (XLT-W112) at each cell; the other 65 facts are kept."""
    src = tmp_path / "seed.tsv"
    src.write_bytes(seed_path.read_bytes())
    path = libreoffice_text_import(soffice, src, "xls", tmp_path)
    from xltargets.importing.cellref import cell_ref
    from seed_facts import value_fact

    typed = sorted(cell_ref(r, c) for r, row in enumerate(seed_rows(seed_path)) for c, v in enumerate(row) if v.startswith("="))
    assert len(typed) == 20
    result = read_sources([path])
    assert sorted(f.cell for f in result.findings if f.code == "XLT-W112") == typed
    assert not [f for f in result.findings if f.code == "XLT-W107"]
    lost = value_fact("#VALUE!")
    want = [f[:-1] + (lost,) if f[1] == "indicator" and f[-1][:2] == ("quantity", "=") else f for f in expected_facts()]
    assert sum(a != b for a, b in zip(want, expected_facts())) == 20
    assert facts(result.declaration) == want


from hypothesis import given, settings, strategies as st  # noqa: E402

_CELL = st.text(alphabet=st.sampled_from(['"', "\t", "\n", ",", "a", "项", " ", "\r"]), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=5), st.sampled_from(["\t", ","]))
def test_what_excel_quotes_reads_back_cell_for_cell(grid, delimiter):
    """A grid written as Excel writes TSV/CSV (a cell with a quote, delimiter or line break quoted, quotes
    doubled) reads back cell for cell: the quote scanner (.delimited._scan, str.find from quote to quote)
    and the csv path agree with the csv module's writer."""
    from xltargets.importing.delimited import split_rows

    grid = [[c.replace("\r", "") for c in row] for row in grid]  # Excel writes no bare \r in a cell
    grid = [row for row in grid if row != [""]]  # an empty line is no row
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(grid)
    text = buf.getvalue()
    assert split_rows(text, delimiter) == grid


@pytest.mark.parametrize(
    "text,rows",
    [
        pytest.param('a\t"b\n', [["a", '"b']], id="lone-quote-opening"),
        pytest.param('a\tb"c\n', [["a", 'b"c']], id="quote-inside-a-cell"),
        pytest.param('a"b\t"c"\n', [['a"b', "c"]], id="quote-inside-a-cell-then-a-quoted-one"),
        pytest.param('"a"b\tc\n', [['"a"b', "c"]], id="text-after-the-closing-quote"),
        pytest.param('"a\nb"\tc\n', [["a\nb", "c"]], id="line-break-in-quotes"),
        pytest.param('"a""b"\n', [['a"b']], id="doubled-quote"),
    ],
)
def test_tsv_quotes_as_typed(text, rows):
    from xltargets.importing.delimited import split_rows

    assert split_rows(text, "\t") == rows


@pytest.mark.parametrize(
    "text,rows",
    [
        pytest.param("", [], id="empty"),
        pytest.param("\n", [[""]], id="one-empty-line"),
        pytest.param("a\tb", [["a", "b"]], id="no-final-newline"),
        pytest.param("a\tb\n\n", [["a", "b"], [""]], id="empty-last-line-kept"),
        pytest.param("a\r\nb\rc\nd\r", [["a"], ["b"], ["c"], ["d"]], id="crlf-bare-cr-lf"),
        pytest.param("a\r\r\nb", [["a"], [""], ["b"]], id="cr-then-crlf"),
    ],
)
def test_tsv_rows_made_one_at_a_time(text, rows):
    """A TSV without quotes (the usual export) is split a line at a time as the rows are taken
    (.delimited.iter_rows: no copy of the text, no list of its lines); \\r, \\n and \\r\\n each end a
    line, as split_rows has them."""
    import types

    from xltargets.importing.delimited import iter_rows, split_rows

    assert isinstance(iter_rows(text, "\t"), types.GeneratorType)
    assert list(iter_rows(text, "\t")) == split_rows(text, "\t") == rows
