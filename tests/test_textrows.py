"""A TSV's rows split from its text when asked for (importing/textrows.py): the same cells as the
grid made of every row at once, a row let go reads as empty, and the refusals come in the same order."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xltargets.errors import InputError
from xltargets.importing.delimited import split_rows
from xltargets.importing.grid import Grid
from xltargets.importing.limits import LIMITS
from xltargets.importing.sources import read_grids
from xltargets.importing.textrows import TextRows

# what a delimited export without quotes holds: cells, tabs, commas, every line end, spaces a cell is trimmed of
PIECES = st.sampled_from(["项目名称", "万元", "a", " ", "\u00a0", "\t", ",", "\n", "\r", "\r\n", "=10.00(所)", ""])


@given(st.lists(PIECES, max_size=40).map("".join), st.sampled_from(["\t", ","]))
@example("a\r\r\nb\r", "\t")
@example("\n\n", "\t")
@example("a\tb", "\t")
@settings(max_examples=300, deadline=None)
def test_rows_are_the_cells_of_the_whole_grid(text, delimiter):
    whole = Grid.from_values(split_rows(text, delimiter)).rows
    rows = TextRows(text, delimiter)
    assert len(rows) == len(whole)
    assert [rows[r] for r in reversed(range(len(rows)))] == whole[::-1]  # in any order, made again or kept
    assert rows == whole and rows[1:3] == whole[1:3]
    assert rows.holds("万") == any("万" in t for row in whole for t in row)
    if whole:
        rows[0] = ()  # let go: it reads as empty, and what it held is no longer found
        assert rows[0] == () and list(rows)[1:] == whole[1:]
        assert rows.holds("万") == any("万" in t for row in whole[1:] for t in row)


def test_only_the_last_rows_made_are_kept():
    rows = TextRows("".join(f"{r}\tx\n" for r in range(5 * TextRows.KEEP)), "\t")
    first = rows[0]
    assert rows[0] is first  # kept while it is among the last made
    for r in range(1, 2 * TextRows.KEEP):
        rows[r]
    assert rows[0] == first and rows[0] is not first  # made again, the same cells
    assert len(rows._made) <= TextRows.KEEP  # noqa: SLF001 - this module's own


@pytest.mark.parametrize(
    "lines, error",
    [
        pytest.param(["a\t" + "长" * (LIMITS["cell_chars"] + 1)], "B1 有 32,768 个字符", id="long-cell"),
        pytest.param(["a\t " + "长" * LIMITS["cell_chars"] + " "], None, id="long-line-trimmed-cell-fits"),
        pytest.param(["项目名称\t" * 10] + ["x\t" + "长" * (LIMITS["cell_chars"] + 1)], "B2 有 32,768 个字符",
                     id="long-cell-second-row"),
        pytest.param(["a\t" * LIMITS["cols"]] + ["x\t" + "长" * (LIMITS["cell_chars"] + 1)], "16,385 列",
                     id="too-wide-before-the-long-cell"),
    ],
)
def test_refusals_of_the_rows_come_in_the_order_of_the_whole_grid(tmp_path, lines, error):
    path = tmp_path / "d.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if error is None:
        grid, = read_grids(path)
        assert isinstance(grid.rows, TextRows) and len(grid.rows[0][1]) == LIMITS["cell_chars"]
        return
    with pytest.raises(InputError, match=error):
        read_grids(path)
