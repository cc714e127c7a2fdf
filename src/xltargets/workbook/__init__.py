"""The declarations workbook: one sheet per project, rendered from a template.

Public surface:

* :func:`load_template` – the parsed 申报表 template (``templates/declaration.xlsx``);
* :func:`render_project` – one form into any worksheet at any row;
* :func:`build_workbook` – the whole declarations workbook, written atomically.
"""

from __future__ import annotations

from .render import render_project
from .template import Template, load_template

__all__ = ["Template", "load_template", "render_project"]
