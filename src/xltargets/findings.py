"""Findings: what a rule (or the importer) reports about a declaration."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

__all__ = ["Severity", "Finding", "Tally"]


class Severity(str, Enum):
    """How bad a finding is: errors make a form wrong, warnings make a reviewer ask."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


class Finding(BaseModel):
    """One problem, located as precisely as known.

    ``code`` is stable (``XLT-E003``); ``message`` is Chinese and says what is
    wrong and how to fix it.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    project: str | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    file: str | None = None
    #: the text suggested for the cell (XLT-W043: the canonical 指标值); applied only on request
    #: (``xltargets normalize``), never silently
    suggestion: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_json(self) -> dict:
        """The object ``xltargets check --json`` prints."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "project": self.project,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "message": self.message,
            **({"suggestion": self.suggestion} if self.suggestion is not None else {}),
        }


class Tally:
    """Counts of errors and warnings, for a class with a ``findings`` list."""

    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors
