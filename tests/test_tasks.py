"""task_cells: a 部门整体 task (as the importer joined its row) back into name, content and amount."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltargets.tasks import SEPARATOR, TaskCells, task_cells


@pytest.mark.parametrize(
    "task, cells",
    [
        ("大气污染防治 | 开展重点行业治理 | 800.00", ("大气污染防治", "开展重点行业治理", "800.00")),
        ("任务名称 | 主要内容 | 预算金额", ("任务名称", "主要内容", "预算金额")),
        ("水环境监测 | 450.00", ("水环境监测", "", "450.00")),
        ("水环境监测 | 1,250万元", ("水环境监测", "", "1,250万元")),
        ("任务名称 | 金额（万元）", ("任务名称", "", "金额（万元）")),
        ("水环境监测 | 完成断面监测", ("水环境监测", "完成断面监测", "")),
        ("开展重点行业大气污染治理，预算800万元", ("开展重点行业大气污染治理，预算800万元", "", "")),
        ("甲 | 乙 | 丙 | 12.50", ("甲", "乙 | 丙", "12.50")),
        ("甲 | 乙 | 丙", ("甲", "乙 | 丙", "")),
        ("", ("", "", "")),
    ],
    ids=["three-cells", "heading-row", "name-amount", "amount-with-unit", "amount-heading", "name-content",
         "one-text", "middle-joined", "no-amount", "empty"],
)
def test_task_cells(task, cells):
    assert task_cells(task) == TaskCells(*cells)


def test_anything_but_text_is_an_empty_row():
    assert task_cells(None) == task_cells(object()) == TaskCells("", "", "")


_part = st.text(alphabet=st.sampled_from("任务内容金额万元0123456789.,|（）甲乙 "), min_size=1, max_size=8).map(str.strip).filter(
    lambda t: t and SEPARATOR.strip() not in t)


@given(st.lists(_part, min_size=1, max_size=5))
def test_the_cells_joined_again_are_the_task_as_written(parts):
    """What the 汇总表 prints reads back (the importer joins a row's non-empty cells with " | ")."""
    task = SEPARATOR.join(parts)
    c = task_cells(task)
    assert SEPARATOR.join(x for x in (c.name, c.content, c.amount) if x) == task
