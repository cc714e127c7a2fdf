"""Every limit of importing/limits.py, at its boundary, in every format; and docs/limits.md agrees.

The limits are lowered for the test (monkeypatch on the one LIMITS dict every
reader uses), so the boundary — exactly at the limit is read, one past it is
refused with the documented message — is checked with small files.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from corpus import formats as fmt
from corpus.make_corpus import CLEAN, form, summary, write_tsv

from xltargets.errors import InputError
from xltargets.importing import LIMITS, read_sources
from xltargets.importing.sources import read_grids

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "limits.md"

FORMATS = ["xlsx", "xls", "xlsb", "ods", "tsv"]


def write(kind: str, path: Path, rows: list[list[object]], sheets: int = 1) -> Path:
    path = path.with_suffix(f".{kind}")
    named = [(f"表{i + 1}", rows) for i in range(sheets)]
    if kind == "xlsx":
        return fmt.xlsx(path, named)
    if kind == "xls":
        return fmt.xls(path, named)
    if kind == "xlsb":
        return fmt.xlsb(path, named)
    if kind == "ods":
        return fmt.ods(path, named)
    write_tsv(path, rows)
    return path


def grid(rows: int, cols: int) -> list[list[object]]:
    """*rows* × *cols* cells, each holding a value (the last row and column included)."""
    return [[f"{r}-{c}" for c in range(cols)] for r in range(rows)]


@pytest.mark.parametrize("kind", FORMATS)
def test_rows_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "rows", 40)
    assert len(read_grids(write(kind, tmp_path / "at", grid(40, 3)))[0].rows) >= 40
    with pytest.raises(InputError, match=r"至少有 41 行 × 3 列，超出上限（每个工作表 40 行"):
        read_grids(write(kind, tmp_path / "over", grid(41, 3)))


@pytest.mark.parametrize("kind", FORMATS)
def test_cols_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "cols", 12)
    read_grids(write(kind, tmp_path / "at", grid(2, 12)))
    with pytest.raises(InputError, match=r"至少有 \d 行 × 13 列，超出上限"):
        read_grids(write(kind, tmp_path / "over", grid(2, 13)))


@pytest.mark.parametrize("kind", FORMATS)
def test_cells_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "cells", 100)
    read_grids(write(kind, tmp_path / "at", grid(10, 10)))
    with pytest.raises(InputError, match=r"超出上限（每个工作表 .*、100 个单元格）"):
        read_grids(write(kind, tmp_path / "over", grid(10, 11)))


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb", "ods"])
def test_total_cells_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "total_cells", 200)
    read_grids(write(kind, tmp_path / "at", grid(10, 10), sheets=2))
    with pytest.raises(InputError, match=r"个单元格，超出每个文件 200 个的上限"):
        read_grids(write(kind, tmp_path / "over", grid(10, 10), sheets=3))


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb", "ods"])
def test_sheets_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "sheets", 3)
    read_grids(write(kind, tmp_path / "at", grid(1, 1), sheets=3))
    with pytest.raises(InputError, match=r"有 4 个工作表，超过 3 个的上限"):
        read_grids(write(kind, tmp_path / "over", grid(1, 1), sheets=4))


@pytest.mark.parametrize("kind", FORMATS)
def test_cell_chars_limit(kind, tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "cell_chars", 500)
    read_grids(write(kind, tmp_path / "at", [["项目名称", "字" * 500]]))
    with pytest.raises(InputError, match=r"单元格 B1 有 501 个字符，超过 Excel 单元格 500 个字符的上限"):
        read_grids(write(kind, tmp_path / "over", [["项目名称", "字" * 501]]))


def test_cell_chars_default_is_excels_own():
    assert LIMITS["cell_chars"] == 32_767 and LIMITS["cols"] == 16_384


@pytest.mark.parametrize("kind", FORMATS)
def test_file_bytes_limit(kind, tmp_path, monkeypatch):
    path = write(kind, tmp_path / "f", summary(CLEAN))
    monkeypatch.setitem(LIMITS, "file_bytes", path.stat().st_size)
    assert read_sources([path]).declaration.projects
    monkeypatch.setitem(LIMITS, "file_bytes", path.stat().st_size - 1)
    with pytest.raises(InputError, match=r"MB，超过每个文件 \d+ MB 的上限"):
        read_sources([path])


@pytest.mark.parametrize("kind", ["xlsx", "xlsb", "ods"])
def test_unzipped_bytes_limit(kind, tmp_path, monkeypatch):
    path = write(kind, tmp_path / "f", summary(CLEAN))
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
    monkeypatch.setitem(LIMITS, "unzipped_bytes", total)
    assert read_sources([path]).declaration.projects
    monkeypatch.setitem(LIMITS, "unzipped_bytes", total - 1)
    with pytest.raises(InputError, match="疑似压缩炸弹"):
        read_sources([path])


def test_zip_members_limit(tmp_path, monkeypatch):
    path = write("xlsx", tmp_path / "f", summary(CLEAN))
    with zipfile.ZipFile(path) as z:
        n = len(z.infolist())
    monkeypatch.setitem(LIMITS, "zip_members", n)
    assert read_sources([path]).declaration.projects
    monkeypatch.setitem(LIMITS, "zip_members", n - 1)
    with pytest.raises(InputError, match=rf"含有 {n} 个部件，超过 {n - 1} 个的上限"):
        read_sources([path])


def test_real_forms_are_far_below_the_limits(tmp_path):
    """1,000 stacked forms (a whole bureau's 汇总表) read without touching a limit."""
    forms = [form(name=f"项目{i}") for i in range(1000)]
    path = fmt.xlsx(tmp_path / "big.xlsx", [("汇总表", summary(*forms))])
    (g,) = read_grids(path)
    assert g.height < LIMITS["rows"] / 2 and g.height * 6 < LIMITS["cells"] / 2


# --------------------------------------------------------------------------- the documentation


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_docs_list_every_limit_with_its_value(key):
    """docs/limits.md has a row for each limit naming its key and its current value."""
    value = LIMITS[key]
    shown = f"{value // 2**20} MB" if key.endswith("bytes") else f"{value:,}"
    rows = [line for line in _doc().splitlines() if f"`{key}`" in line]
    assert rows, f"docs/limits.md has no row for `{key}`"
    assert shown in rows[0], f"docs/limits.md shows a stale value for `{key}` (expected {shown}): {rows[0]}"


def test_docs_quote_real_messages():
    """Each message quoted in docs/limits.md is one the code can print (the fixed text between values)."""
    sources = "".join(
        (ROOT / "src" / "xltargets" / "importing" / name).read_text(encoding="utf-8")
        for name in ("limits.py", "sources.py", "guard.py", "pdf.py")
    )
    quoted = re.findall(r"«([^»]+)»", _doc())
    assert len(quoted) >= 8
    for q in quoted:
        for piece in re.split(r"…|\{[^}]*\}|\d[\d,]*|[，。（）]", q):
            piece = piece.strip("“”（）， 。")
            if len(piece) >= 2:
                assert piece in sources, f"docs/limits.md quotes text the code never prints: {piece!r}"


def test_readme_carries_the_limits():
    """The README's Limits section is docs/limits.md, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _doc().strip() in readme


def test_a_thousand_project_workbook_is_within_the_sheet_limit():
    """`import` of 1,000 forms writes 1,002 sheets (填写说明, the lists, one per project):
    `check` and `consolidate` must read what `import` wrote (issue 7's real day)."""
    assert LIMITS["sheets"] >= 1_000 + 2
