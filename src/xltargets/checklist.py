"""What ``addin`` and ``wps`` install, status and remove report: a list of checks, one line each.

Shared by :mod:`xltargets.addin.install` (Excel) and :mod:`xltargets.wps.install` (WPS),
printed by their CLI commands through :func:`report_lines`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Check", "report_lines"]


@dataclass(frozen=True)
class Check:
    """One line of a report: what was checked, whether it is fine, what to do.

    ``note``: the line only informs (something optional that is absent, such as an add-in
    file not built yet): marked ``·``, neither a success nor a failure, and never
    counted against the report.
    """

    what: str
    ok: bool
    detail: str = ""
    note: bool = False

    @property
    def mark(self) -> str:
        if self.note:
            return "·"
        return "✓" if self.ok else "✗"

    @property
    def line(self) -> str:
        return f"{self.mark} {self.what}：{self.detail}"


def report_lines(report) -> list[str]:
    """The printed *report* (``checks``, ``done``: a line or several, ``hint``): a line a check,
    then what was done, then the hint; empty parts left out."""
    done = report.done
    lines = [check.line for check in report.checks]
    lines.extend([done] if isinstance(done, str) else done)
    lines.append(report.hint)
    return [line for line in lines if line]
