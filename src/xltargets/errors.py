"""The one exception tree of xltargets.

Every message is written for the end user, in Chinese: what is wrong (the
value), which rule it breaks and how to fix it. Only the CLI and the Excel
layer turn these into output; the core only raises them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing was ~15 % of the reader process's start (xltargets.reader)
if TYPE_CHECKING:
    from typing import Sequence

    from .findings import Finding

__all__ = [
    "XltargetsError",
    "InputError",
    "TemplateError",
    "WorkbookError",
    "FindingsBlock",
    "LibreOfficeMissing",
    "ExcelNotAvailable",
    "WpsNotAvailable",
]


class XltargetsError(Exception):
    """Base of every error xltargets raises on purpose."""

    #: exit code the CLI uses for this kind of error
    exit_code = 2

    #: English summary used when a raise site gives none (``{path}`` is filled in)
    default_en = "xltargets error"

    def __init__(
        self, message: str, *, hint: str | None = None, path: str | None = None, en: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.en = en

    @property
    def english(self) -> str:
        """A short English line for the same error (after the Chinese one)."""
        if self.en:
            return self.en
        return f"{self.default_en}: {self.path}" if self.path else self.default_en

    def one_line(self) -> str:
        """The message a user sees, on one line: Chinese (what, fix), then English where it adds a fact.

        The English half names the file or the value (an explicit ``en``, or a ``path``);
        the bare default ("xltargets error") says nothing the Chinese does not, and is left out.
        """
        zh = " ".join(self.message.split())
        if self.hint:
            zh += " 处理办法：" + " ".join(self.hint.split())
        if not self.en and not self.path:
            return f"错误：{zh}"
        return f"错误：{zh} | Error: {self.english}"

    def __str__(self) -> str:  # pragma: no cover - trivial
        parts = [self.message]
        if self.hint:
            parts.append(f"处理办法：{self.hint}")
        return "\n".join(parts)


class InputError(XltargetsError):
    """An input file is unreadable, unsafe, or not a 申报表/汇总表."""

    default_en = "cannot read the input"


class TemplateError(XltargetsError):
    """A workbook template is malformed (bad jinja2 expression, no repeat row)."""

    default_en = "the workbook template is invalid"


class WorkbookError(XltargetsError):
    """An output workbook cannot be written (locked, exists, disk full)."""

    default_en = "cannot write the output"


class FindingsBlock(XltargetsError):
    """``consolidate --strict`` and the declaration has errors: nothing was written."""

    exit_code = 1
    default_en = "the declaration has errors; nothing was written (--strict)"

    def __init__(self, message: str, *, findings: Sequence["Finding"], hint: str | None = None):
        super().__init__(message, hint=hint)
        self.findings = list(findings)


class LibreOfficeMissing(XltargetsError):
    """soffice (LibreOffice) is not installed: no PDF, no recalculation."""

    default_en = "LibreOffice (soffice) is not installed"


class ExcelNotAvailable(XltargetsError):
    """This machine has no Microsoft Excel (neither Windows nor macOS)."""

    default_en = "Microsoft Excel is not available on this machine"


class WpsNotAvailable(XltargetsError):
    """WPS add-ins (jsaddons) exist on Windows and Linux only."""

    default_en = "WPS add-ins exist on Windows and Linux only"
