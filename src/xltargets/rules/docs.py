"""docs/rules.md, generated from the rule registry and the importer's codes."""

from __future__ import annotations

import importlib
from typing import Sequence

from ..findings import Severity
from .registry import Rule

__all__ = ["rule_docs", "import_codes"]

_SCOPES = {"row": "指标行", "table": "指标表", "form": "申报表"}

_HEADER = """\
# Validation rules

<!-- Generated from src/xltargets/rules and src/xltargets/importing/codes.py.
     Do not edit: regenerate with `PYTHONPATH=src python -m xltargets.rules > docs/rules.md`. -->

Every finding of `xltargets check` (and of the Excel add-in's 校验) carries one
of the codes below, a severity, a location (project, sheet, cell, field) and a
Chinese message that names the value, what is wrong and how to fix it.

- **XLT-E0NN** (错误, error): the form is wrong; `xltargets check` exits 1.
- **XLT-W0NN** (警告, warning): a budget reviewer would ask about it.
- A rule code's number, minus a multiple of 20, is the number of the reviewer
  check in the domain notes (domain.md, "Checks reviewers apply"): XLT-E003,
  XLT-E023, XLT-W043 and XLT-W063 are the parts of check 3. Numbers 17/37 (template text)
  go beyond that list.
- **XLT-E1NN / XLT-W1NN** come from the importer (reading the file), not from the rules.

The vocabulary the rules use (indicator framework, known 项目性质/项目类别, units,
keywords, thresholds) is plain data in `src/xltargets/framework.py`.

Scope: 指标行 = checked row by row (also by the add-in's per-row check);
指标表 = the indicator table as a whole; 申报表 = the whole form (header, funds, goals).
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def import_codes() -> dict[str, tuple[str, str, str]]:
    """The importer's codes, or {} while the importer has none."""
    try:
        module = importlib.import_module("xltargets.importing.codes")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("xltargets.importing"):
            return {}
        raise
    return dict(getattr(module, "IMPORT_CODES", {}))


def rule_docs(rules: Sequence[Rule]) -> str:
    """The Markdown text of docs/rules.md."""
    lines = [_HEADER, "## Rules", ""]
    lines.append("| 代码 | 级别 | 检查 | 范围 | 名称 | 说明 | 函数 |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in rules:
        check = str(r.domain_rule) if r.domain_rule else "—"
        function = f"`{r.function.__module__.rsplit('.', 1)[-1]}.{r.name}`"
        lines.append(
            f"| {r.code} | {r.severity.label} | {check} | {_SCOPES[r.scope]} | {_cell(r.title_zh)} "
            f"| {_cell(r.description_zh)} | {function} |"
        )
    lines += ["", "## Importer codes", ""]
    codes = import_codes()
    if codes:
        lines.append("| 代码 | 级别 | 名称 | 说明 |")
        lines.append("|---|---|---|---|")
        for code, (severity, title, description) in sorted(codes.items()):
            label = Severity(severity).label
            lines.append(f"| {code} | {label} | {_cell(title)} | {_cell(description)} |")
    else:
        lines.append("The importer defines no codes yet.")
    return "\n".join(lines) + "\n"
