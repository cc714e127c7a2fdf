"""Adding a project to an existing declarations workbook (``xltargets new``).

The workbook is read twice: by the importer (to know its projects, by their
labels) and by openpyxl (to add a sheet while keeping everything else,
VBA included, byte for byte).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..errors import InputError, WorkbookError
from ..model import Declaration, Project
from .keeps import quiet_load

__all__ = ["open_workbook", "new_project", "require_workbook_name"]


def require_workbook_name(path: Path) -> None:
    """InputError unless *path* names an .xlsx/.xlsm workbook (the only kinds a sheet can be added to)."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(
            f"“{Path(path).name}”不是 .xlsx/.xlsm 工作簿，无法在其中添加项目表。",
            hint="用 xltargets import 先生成申报工作簿（.xlsm）。",
            path=str(path),
        )


def open_workbook(path: Path) -> Workbook:
    """Load *path* for editing (VBA kept for .xlsm); InputError when it is no workbook."""
    path = Path(path)
    require_workbook_name(path)
    try:
        # rich_text: a cell with words in red or bold keeps them (read as plain text, they were written back plain)
        return quiet_load(load_workbook, path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True, rich_text=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"“{path.name}”无法作为工作簿打开：{exc}",
            hint="在 Excel/WPS 中打开并另存为 .xlsm 后重试。",
            path=str(path),
        ) from exc


def _common(values: list) -> object:
    distinct = {v for v in values if v not in (None, "")}
    return distinct.pop() if len(distinct) == 1 else None


def new_project(existing: Declaration, name: str, like: str | None = None) -> Project:
    """The project to add: a copy of *like* renamed, or a blank form.

    A blank form takes 主管部门, 实施单位, 项目性质, 项目类别, the year and the amounts' unit from the
    workbook's projects when they all agree. *like* names a project (项目名称)
    or its sheet.
    """
    name = name.strip()
    if not name:
        raise InputError("项目名称不能为空。", hint="用 --name 给出新项目的名称。")
    if any(p.name.strip() == name for p in existing.projects):
        raise WorkbookError(
            f"工作簿中已有项目“{name}”，同一项目不能出现两次。",
            hint="换一个项目名称；要复制已有项目请用 --like 原项目名称。",
        )
    if like is not None:
        for p in existing.projects:
            if like.strip() in (p.name.strip(), (p.origin.sheet if p.origin else None)):
                return p.model_copy(update={"name": name}, deep=True)
        known = "、".join(p.name for p in existing.projects) or "（没有项目）"
        raise InputError(
            f"工作簿中没有名为“{like}”的项目或工作表，无法复制。",
            hint=f"--like 后写已有的项目名称，现有项目：{known}。",
        )
    ps = existing.projects
    return Project(
        name=name,
        department=str(_common([p.department for p in ps]) or ""),
        unit=str(_common([p.unit for p in ps]) or ""),
        nature=str(_common([p.nature for p in ps]) or ""),
        category=str(_common([p.category for p in ps]) or ""),
        year=_common([p.year for p in ps]) or existing.year,
        money_unit=_common([p.money_unit for p in ps]) or "元",  # a 万元 workbook's new form is in 万元 too
    )
