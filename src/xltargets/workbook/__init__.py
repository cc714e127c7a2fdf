"""The declarations workbook: one sheet per project, rendered from a template.

Public surface:

* :func:`load_template` – the parsed 申报表 template (``templates/declaration.xlsx``);
* :func:`render_project` – one form into any worksheet at any row, returns rows used;
* :func:`build_workbook` – the whole declarations workbook (XlsxWriter, 64 sheets at a time: :mod:`.batched`), written atomically;
* :func:`add_project_sheet`, :func:`save_workbook` – adding a project to an existing workbook (openpyxl).

See docs/workbook.md.
"""

from __future__ import annotations

from .build import add_project_sheet, build_workbook, save_workbook
from .render import render_project
from .template import Template, load_template

__all__ = [
    "Template",
    "load_template",
    "render_project",
    "build_workbook",
    "add_project_sheet",
    "save_workbook",
]
