"""The one exception tree of xltargets.

Every message is written for the end user, in Chinese: what is wrong (the
value), which rule it breaks and how to fix it. Only the CLI and the Excel
layer turn these into output; the core only raises them.
"""

from __future__ import annotations

__all__ = [
    "XltargetsError",
    "InputError",
    "TemplateError",
    "WorkbookError",
]


class XltargetsError(Exception):
    """Base of every error xltargets raises on purpose."""

    #: exit code the CLI uses for this kind of error
    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path

    def __str__(self) -> str:  # pragma: no cover - trivial
        parts = [self.message]
        if self.hint:
            parts.append(f"处理办法：{self.hint}")
        return "\n".join(parts)


class InputError(XltargetsError):
    """An input file is unreadable, unsafe, or not a 申报表/汇总表."""


class TemplateError(XltargetsError):
    """A workbook template is malformed (bad jinja2 expression, no repeat row)."""


class WorkbookError(XltargetsError):
    """An output workbook cannot be written (locked, exists, disk full)."""
