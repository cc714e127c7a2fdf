"""The mark of a declarations workbook that ``import`` wrote, so that a rerun may replace it.

The README promises that an existing output is replaced without ``--force`` when
xltargets wrote it. A declarations workbook is also where users type, so "xltargets
wrote it" must mean "and nobody changed it since": the workbook carries, as a custom
document property (:data:`PROPERTY`), a fingerprint of the projects it was written with
(names, header, funds, goals, every indicator as written). A rerun reads the workbook
back; when its projects still give that fingerprint, replacing it loses nothing. A
project added with ``new``, a value typed in Excel or WPS (both keep custom properties
when they save) changes the fingerprint, and the rerun is refused without ``--force``.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Iterable

from ..model import FUND_FIELDS, Declaration, Project

__all__ = ["PROPERTY", "Fingerprint", "fingerprint", "mark", "marked_fingerprint"]

PROPERTY = "xltargets-declarations"
#: docProps/custom.xml of a real workbook is a few hundred bytes; a larger one is not read
_MAX_CUSTOM_XML = 1 << 20
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"


def _facts(p: Project) -> tuple:
    return (
        p.name, p.nature, p.category, p.department, p.unit, str(p.start), str(p.end),
        tuple(str(getattr(p.funds, key)) for key in FUND_FIELDS), p.total_goal, p.annual_goal,
        tuple((i.level1, i.level2, i.level3, i.value) for i in p.indicators),
    )


class Fingerprint:
    """:func:`fingerprint` of projects given one at a time (:meth:`add`), for a writer that lets
    each go once written."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, project: Project) -> None:
        self._digest.update(repr(_facts(project)).encode("utf-8"))

    def value(self) -> str:
        return "sha256:" + self._digest.hexdigest()[:32]


def fingerprint(projects: Iterable[Project]) -> str:
    """A short hash of what the projects say (not where: sheet names and cells do not count)."""
    digest = Fingerprint()
    for project in projects:
        digest.add(project)
    return digest.value()


def mark(workbook, declaration: Declaration, value: str | None = None) -> None:
    """Put the fingerprint of *declaration* (or *value*, its projects' :class:`Fingerprint`) on the
    XlsxWriter *workbook* being written."""
    workbook.set_custom_property(PROPERTY, value if value is not None else fingerprint(declaration.projects))


def marked_fingerprint(path: Path) -> str | None:
    """The fingerprint *path* was written with, or None (not a workbook xltargets marked)."""
    from defusedxml import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > _MAX_CUSTOM_XML:
                return None
            root = ET.fromstring(zf.read(info))
    except Exception:  # noqa: BLE001 - anything unreadable simply carries no mark
        return None
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        if prop.get("name") == PROPERTY:
            value = prop.find(f"{_VT_NS}lpwstr")
            return value.text if value is not None else None
    return None
