"""Rule metadata: the :func:`rule` decorator and the :class:`Rule` record.

The decorator only attaches a :class:`Rule` to the function (as
``__xlt_rule__``) and returns the function unchanged, so every rule stays a
plain function a test can call. :func:`collect` gathers the decorated
functions of the rule modules into the registry, in definition order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable, Literal, get_args

from ..findings import Severity

__all__ = ["Rule", "rule", "collect", "Scope", "RowSet", "CODE_PATTERN"]

#: Where a rule looks: indicator rows one by one, the indicator table, or the whole form
#: (header, funds, goals; ``form.workbook`` for checks across forms). A row rule is called once a
#: form with the rows of its :data:`RowSet` (a sequence of ``Row``, in row order) and reports on
#: each row for itself; a table or form rule is called once a form with the ``Form``.
Scope = Literal["row", "table", "form"]

#: The rows a row rule is given (``Form.row_sets``): every row, or only those it could
#: report on — a rule that looks at quantities is not given a row holding none.
#: The rule still checks for itself; the set only saves calling it in vain.
RowSet = Literal["all", "quantity", "qualitative", "valued", "blank", "unreadable", "unnamed", "repeated", "extra"]

#: XLT-E0NN / XLT-W0NN; XLT-E1NN / XLT-W1NN belong to the importer.
CODE_PATTERN = re.compile(r"^XLT-(?P<letter>[EW])0(?P<number>\d\d)$")

_ATTR = "__xlt_rule__"


@dataclass(frozen=True)
class Rule:
    """One check: stable code, severity, Chinese title and description, the function."""

    code: str
    severity: Severity
    title_zh: str
    description_zh: str
    scope: Scope
    #: the check's number in docs/domain.md (None for checks beyond the list)
    domain_rule: int | None
    function: Callable
    #: row rules: the rows it is run on (see :data:`RowSet`)
    rows: RowSet = "all"

    @property
    def name(self) -> str:
        return self.function.__name__


def rule(
    code: str,
    title_zh: str,
    description_zh: str,
    *,
    scope: Scope,
    domain_rule: int | None,
    rows: RowSet = "all",
) -> Callable[[Callable], Callable]:
    """Attach rule metadata to a function; the severity follows the code's letter.

    *rows* (row rules only): the rows the runner gives it, when it can only report
    on some (``"quantity"``: rows with a quantitative 指标值 …, see :data:`RowSet`).
    """
    m = CODE_PATTERN.match(code)
    if m is None:
        raise ValueError(f"rule code {code!r} is not XLT-E0NN / XLT-W0NN")
    severity = Severity.ERROR if m.group("letter") == "E" else Severity.WARNING
    if rows not in get_args(RowSet) or (rows != "all" and scope != "row"):
        raise ValueError(f"rule {code}: rows={rows!r} is not one of {get_args(RowSet)} (row rules only)")

    def attach(func: Callable) -> Callable:
        setattr(
            func,
            _ATTR,
            Rule(code, severity, title_zh, description_zh, scope, domain_rule, func, rows),
        )
        return func

    return attach


def collect(modules: Iterable[ModuleType]) -> tuple[Rule, ...]:
    """The rules defined in *modules*, ordered by domain rule number then code."""
    found: list[Rule] = []
    seen: set[str] = set()
    for module in modules:
        for value in vars(module).values():
            meta = getattr(value, _ATTR, None)
            if isinstance(meta, Rule) and meta.function is value:
                if meta.code in seen:
                    raise ValueError(f"rule code {meta.code} registered twice")
                seen.add(meta.code)
                found.append(meta)
    return tuple(sorted(found, key=lambda r: (r.domain_rule or 99, int(r.code[-3:]))))
