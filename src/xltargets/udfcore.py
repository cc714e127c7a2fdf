"""The core behind the worksheet functions: plain cell values in, plain values out.

Each UDF of ``xltargets.excel.udfs`` calls exactly one function here. The
checks are the rules engine's row, table and form rules run over plain
values, so a check cell says what ``xltargets check`` and the 校验 button
say. Pure Python: no xlwings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import FUND_FIELDS, Funds, Project, QuantitativeTarget, QualitativeTarget, RawTarget
from .targets import parse_target
from .text import cell_text

__all__ = ["check_rows", "check_row", "check_funds", "parse_value", "SEPARATOR"]

#: between two messages in one check cell: the native checks' separator (``workbook.checks.SEP``).
#: ``G1`` counts the messages by their labels (``错误：``/``警告：``), so any separator counts alike
SEPARATOR = "；"

#: the money units a form may state (``Project.money_unit``)
MONEY_UNITS = ("元", "万元")


def _column(values: Any) -> list[Any]:
    """One column of cells as a flat list (a single cell gives a list of one)."""
    if values is None or isinstance(values, (str, int, float, Decimal)):
        return [values]
    out: list[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(v)
        else:
            out.append(v)
    return out


def _joined(messages: list[str]) -> str:
    """One cell's text: errors first, then warnings, each group in form order."""
    return SEPARATOR.join(sorted(messages, key=lambda m: not m.startswith("XLT-E")))


def _rows(*columns: Any) -> list[list[Any]]:
    """Parallel columns as rows, aligned at their last cell (the current row); a shorter column
    (a single cell) is blank above."""
    cols = [_column(c) for c in columns]
    height = max(len(c) for c in cols)
    cols = [[None] * (height - len(c)) + c for c in cols]
    return [list(row) for row in zip(*cols)]


def check_rows(level1: Any, level2: Any, level3: Any, value: Any) -> list[str]:
    """One text per row ('' when the row is fine) for four parallel columns of an indicator table.

    Blank 一级/二级 cells inherit the row above (merged cells). Messages about
    the table as a whole (a missing 一级, too many 定性 values) go on its first
    non-blank row; a repeated 三级 on the repeat, as ``check`` reports it.
    """
    from .rules import RULES
    from .rules.runner import indicator_rows_messages

    columns = [_column(c) for c in (level1, level2, level3, value)]
    height = max(len(c) for c in columns)
    rows = [[c[i] if i < len(c) else None for c in columns] for i in range(height)]
    per_row, table = indicator_rows_messages(rows, RULES)
    if table:
        first = next((i for i, row in enumerate(rows) if any(cell_text(v) for v in row)), 0)
        per_row[first] = [*table, *per_row[first]]
    return [_joined(messages) for messages in per_row]


def check_row(level1: Any, level2: Any, level3: Any, value: Any) -> str:
    """'' or the messages about one indicator row (row rules), errors first, joined by ``；``.

    Each argument may be a single cell or a column running from the table's
    first row down to this row (``$B$13:B15``); the columns are aligned at
    their last cell, this row. Blank 一级/二级 cells inherit from above, as
    merged cells do; with 三级 as such a column (``$D$13:D15``) a 三级 that an
    earlier row already has is flagged here (XLT-E022), as ``check`` flags the
    repeat. A row whose own four cells are blank (the form's spare rows for
    new indicators) is fine, as the sheet's native check and ``check`` treat it.
    """
    from .rules import RULES
    from .rules.runner import indicator_rows_messages

    from .rules.context import canonical

    rows = _rows(level1, level2, level3, value)
    if not any(cell_text(v) for v in rows[-1]):
        return ""
    name = canonical(cell_text(rows[-1][2]))
    if not (name and any(canonical(cell_text(row[2])) == name for row in rows[:-1])):
        # no repeat above (the rule's own comparison): the rows above count only for the
        # 一级/二级 this row inherits, so only those go in (a long column stays cheap)
        above = [[row[0], row[1], None, None] for row in rows[:-1] if cell_text(row[0]) or cell_text(row[1])]
        rows = above + rows[-1:]
    per_row, _ = indicator_rows_messages(rows, [r for r in RULES if r.scope == "row"])
    return _joined(per_row[-1])


def check_funds(
    annual: Any,
    annual_fiscal: Any,
    annual_carryover: Any,
    annual_other: Any,
    total: Any = None,
    total_fiscal: Any = None,
    total_other: Any = None,
    unit: Any = None,
) -> str:
    """'' or the messages about the 项目资金 block (sums to the cent, total below annual …).

    *unit* is the amounts' unit as the sheet states it (元 or 万元; blank: 元): the messages name it."""
    from .rules import check_project

    money_unit = cell_text(unit).strip() or "元"
    if money_unit not in MONEY_UNITS:
        return f"金额单位“{cell_text(unit)}”无法识别：请写 元 或 万元（与表中“项目资金”标明的单位一致）。"

    given = dict(
        annual=annual,
        annual_fiscal=annual_fiscal,
        annual_carryover=annual_carryover,
        annual_other=annual_other,
        total=total,
        total_fiscal=total_fiscal,
        total_other=total_other,
    )
    amounts: dict[str, Decimal | None] = {}
    for key, raw in given.items():
        text = cell_text(raw).replace(",", "")
        if not text:
            amounts[key] = None
            continue
        try:
            amounts[key] = Decimal(text)
        except ArithmeticError:
            return (f"{FUND_FIELDS[key].removeprefix('其中：')}“{cell_text(raw)}”不是金额："
                    f"请填写数字（{money_unit}，两位小数）。")
    findings = check_project(Project(funds=Funds(**amounts), money_unit=money_unit))
    return SEPARATOR.join(
        f"{f.code} {f.severity.label}：{f.message}" for f in findings if (f.field or "").startswith("funds.")
    )


def parse_value(text: Any) -> list[Any]:
    """A 指标值 as ``[operator, number, unit]``; ``["定性", "", text]`` for a 定性 value,
    ``["", "", ""]`` for a blank cell and ``["无法识别", "", text]`` when it cannot be read."""
    parsed = parse_target(cell_text(text))
    target = parsed.target
    if target is None:
        return ["", "", ""]
    if isinstance(target, QuantitativeTarget):
        return [target.operator, float(target.number), target.unit]
    if isinstance(target, QualitativeTarget):
        return ["定性", "", target.text]
    assert isinstance(target, RawTarget)
    return ["无法识别", "", target.text]
