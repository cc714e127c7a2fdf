"""The template of each form kind in the 汇总表: the shipped ones, or the user's (``consolidate --template``).

A budget office that prints its own layout gives its templates to
``consolidate --template``, any number of times:

* ``--template 模板文件夹`` – a folder holding any of ``declaration.xlsx``
  (申报表), ``self_assessment.xlsx`` (自评表) and ``department.xlsx``
  (部门整体), named as in ``templates/``; each one found replaces the shipped one;
* ``--template 自评表=我们的自评表.xlsx`` – one kind's template (kinds: 申报表,
  自评表, 部门整体, or project, self_assessment, department);
* ``--template 申报表模板.xlsx`` – a file with no kind is the 申报表's.

Kinds not given use the shipped templates (``$XLTARGETS_TEMPLATES`` first).
Every template given is loaded when the option is read, so a broken one is
refused before any source is read or any output written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..model import FORM_KINDS
from ..workbook import Template, load_template
from ..workbook.template import default_template_path

__all__ = ["KIND_TEMPLATES", "KIND_NAMES", "Templates", "shipped_template", "templates_from"]

#: form kind → its template's file name (in templates/, or in a folder given to ``--template``)
KIND_TEMPLATES = {"project": "declaration.xlsx", "self_assessment": "self_assessment.xlsx",
                  "department": "department.xlsx"}

#: what a user may write before ``=`` in ``--template 种类=文件`` → the form kind
KIND_NAMES = {
    "申报表": "project", "项目": "project", "project": "project",
    "自评表": "self_assessment", "自评": "self_assessment", "self_assessment": "self_assessment",
    "部门整体": "department", "department": "department",
}


@dataclass
class Templates:
    """The template of each form kind: the user's where given, else the shipped one (loaded when first used)."""

    given: dict[str, Template] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Template:
        t = self.given.get(kind)
        if t is None:
            t = self.given[kind] = shipped_template(kind)
        return t


def shipped_template(kind: str) -> Template:
    """The template of form *kind* in the templates folder (``$XLTARGETS_TEMPLATES``, else the shipped one)."""
    if kind == "project":
        return load_template()
    name = KIND_TEMPLATES[kind]
    path = default_template_path().with_name(name)
    if not path.exists():  # XLTARGETS_TEMPLATES names a folder with only its own declaration.xlsx
        shipped = Path(__file__).resolve().parents[3] / "templates" / name
        path = shipped if shipped.exists() else path
    return load_template(path)


def templates_from(specs: Iterable[str | Path]) -> Templates:
    """The templates that ``--template`` values *specs* name, loaded (later values win)."""
    given: dict[str, Template] = {}
    for spec in specs:
        given.update(_one(str(spec)))
    return Templates(given)


def _one(spec: str) -> dict[str, Template]:
    name, sep, rest = spec.partition("=")
    kind = KIND_NAMES.get(name.strip()) if sep else None
    if sep and kind is None and not Path(spec).exists():
        raise InputError(
            f"--template “{spec}”：不认识表的种类“{name}”。",
            hint="写成 种类=模板文件，种类为 申报表、自评表 或 部门整体；或给出模板文件夹、申报表模板文件。",
        )
    path = Path(rest if kind else spec)
    if path.is_dir():
        if kind is not None:
            raise InputError(f"--template “{spec}”：{path} 是文件夹，种类=后面应是一个模板文件。",
                             hint="写成 自评表=模板.xlsx；要整体替换，直接给出文件夹。")
        found = {k: path / n for k, n in KIND_TEMPLATES.items() if (path / n).is_file()}
        if not found:
            raise InputError(
                f"模板文件夹“{path}”中没有 {'、'.join(KIND_TEMPLATES.values())} 中的任何一个。",
                hint="模板文件按 templates/ 中的文件名命名：declaration.xlsx（申报表）、"
                     "self_assessment.xlsx（自评表）、department.xlsx（部门整体）。",
            )
        return {k: load_template(p) for k, p in found.items()}
    kind = kind or "project"
    return {kind: _load(path, kind)}


def _load(path: Path, kind: str) -> Template:
    if not path.is_file():
        raise InputError(f"找不到{FORM_KINDS[kind]}的模板文件“{path}”。", hint="检查 --template 后的路径。")
    return load_template(path)
