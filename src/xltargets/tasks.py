"""The 年度主要任务 of a 部门整体 form as the cells of a table row: name, content, amount.

``Project.tasks`` keeps each task as written: the importer joins a task row's
cells with `` | `` (``"大气污染防治 | 开展重点行业治理 | 800.00"``), and a task
written as one line of text stays one text. :func:`task_cells` splits a task
back into the columns the 汇总表 prints (templates: ``task_cells(task).name``):
the first part is the task, the last the amount when it reads as one (or as an
amount column's heading), the parts between are the content. Nothing is
changed: the cells joined again give the task as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SEPARATOR", "TaskCells", "task_cells"]

#: how the importer joins the cells of one task row
SEPARATOR = " | "

_AMOUNT = re.compile(r"^[¥￥]?\s*-?[\d,，]*\d(?:\.\d+)?\s*(?:万元|元)?$")
#: an amount column's heading: 预算金额, 金额（万元）, 资金, 预算数 …
_AMOUNT_HEADING = re.compile(r"^(?:预算)?(?:金额|资金|预算数|经费|预算)(?:[（(][^）)]*[）)])?$")


@dataclass(frozen=True)
class TaskCells:
    """One task as table cells, each as written ('' when the task has no such part)."""

    name: str
    content: str
    amount: str


def _is_amount(text: str) -> bool:
    text = text.strip()
    return bool(_AMOUNT.match(text) or _AMOUNT_HEADING.match(text))


def task_cells(task: object) -> TaskCells:
    """*task* (a ``Project.tasks`` entry; anything else is an empty row) as name, content and amount."""
    text = task if isinstance(task, str) else ""
    parts = text.split(SEPARATOR)
    if len(parts) == 1:
        return TaskCells(text, "", "")
    if len(parts) == 2:
        first, second = parts
        return TaskCells(first, "", second) if _is_amount(second) else TaskCells(first, second, "")
    if _is_amount(parts[-1]):
        return TaskCells(parts[0], SEPARATOR.join(parts[1:-1]), parts[-1])
    return TaskCells(parts[0], SEPARATOR.join(parts[1:]), "")
