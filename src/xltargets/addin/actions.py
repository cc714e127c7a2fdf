"""The core behind the ribbon buttons: plain grids and paths in, results out. No xlwings.

Each ribbon action in ``xltargets.excel.actions`` reads the open workbook's
cells, calls exactly one function here and writes the result back.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import InputError, WorkbookError
from ..fileio import atomic_output, check_output_path
from ..findings import Finding, Tally
from ..importing import Grid, import_grids, read_sources
from ..model import Declaration, Project

__all__ = [
    "CheckOutcome",
    "RenderedSheets",
    "check_grids",
    "write_summary",
    "write_summary_pdf",
    "render_new_project",
    "render_imported",
    "scratch_folder",
]


@dataclass
class CheckOutcome(Tally):
    """What 校验 found in the open workbook."""

    findings: list[Finding]

    @property
    def summary(self) -> str:
        """The status bar line."""
        if not self.findings:
            return "xltargets 校验完成：未发现问题。"
        return (
            f"xltargets 校验完成：{self.errors} 个错误，{self.warnings} 个警告；"
            "有问题的单元格已标色并加批注，详见“校验结果”工作表。"
        )


def _declaration(grids: Sequence[Grid]) -> tuple[Declaration, list[Finding]]:
    result = import_grids(grids, require_forms=False)
    if not result.declaration.projects:
        raise InputError(
            "当前工作簿中没有找到申报表（没有“项目名称”栏）。",
            hint="先用“新建项目”或“导入”添加项目工作表，再运行本功能。",
        )
    return result.declaration, result.findings


def check_grids(grids: Sequence[Grid]) -> CheckOutcome:
    """Import the workbook's sheets and apply every rule: importer findings first, then the rules'."""
    from ..rules import check_declaration

    decl, findings = _declaration(grids)
    return CheckOutcome([*findings, *check_declaration(decl)])


def write_summary(grids: Sequence[Grid], out: Path, *, inputs: Sequence[Path] = ()) -> Path:
    """The 汇总表 workbook of the open workbook's projects, written atomically to *out* (.xlsx)."""
    from ..consolidate import summary_title, write_workbook
    from ..consolidate.marker import is_ours
    from ..rules import check_declaration

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookError(f"汇总表“{out.name}”须保存为 .xlsx。", hint="文件名以 .xlsx 结尾。", path=str(out))
    check_output_path(out, force=is_ours(out), inputs=inputs)
    decl, findings = _declaration(grids)
    findings = [*findings, *check_declaration(decl)]
    with atomic_output(out) as tmp:
        write_workbook(tmp, decl, findings, title=summary_title(decl), base_dir=out.parent)
    return out


def write_summary_pdf(grids: Sequence[Grid], out: Path, *, inputs: Sequence[Path] = ()) -> Path:
    """The printed 汇总表 (one form a page) of the open workbook's projects, as PDF via LibreOffice."""
    from ..consolidate import summary_title, write_pdf
    from ..consolidate.marker import is_ours

    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise WorkbookError(f"“{out.name}”须保存为 .pdf。", hint="文件名以 .pdf 结尾。", path=str(out))
    check_output_path(out, force=is_ours(out), inputs=inputs)
    decl, _findings = _declaration(grids)
    write_pdf(out, decl, title=summary_title(decl))
    return out


@dataclass
class RenderedSheets:
    """Project sheets rendered from the template into a workbook file, ready to copy into the open book."""

    path: Path
    names: list[str]
    #: cell values of each sheet from A1 (for engines that cannot copy formatted sheets)
    values: dict[str, list[list]] = field(default_factory=dict)


def _render(projects: Sequence[Project], taken: Sequence[str], folder: Path, *, year: int | None = None) -> RenderedSheets:
    from openpyxl import Workbook

    from ..workbook.build import add_project_sheet
    from ..workbook.lists import ensure_lists
    from ..workbook.sheetnames import unique_sheet_name

    wb = Workbook()
    scratch = wb.active
    ensure_lists(wb)
    names: list[str] = []
    used = list(taken)
    for project in projects:
        ws = add_project_sheet(wb, project, year=year)
        ws.title = unique_sheet_name(ws.title, used + [s for s in wb.sheetnames if s != ws.title])
        used.append(ws.title)
        names.append(ws.title)
    wb.remove(scratch)
    path = folder / "xltargets-projects.xlsx"
    wb.save(path)
    values = {
        name: [[cell.value for cell in row] for row in wb[name].iter_rows()] for name in names
    }
    return RenderedSheets(path=path, names=names, values=values)


def render_new_project(name: str, taken: Sequence[str], folder: Path) -> RenderedSheets:
    """One empty 申报表 for project *name*, its sheet named legally and apart from *taken*."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("项目名称为空，未新建项目。", hint="在弹出的对话框中输入项目名称。")
    return _render([Project(name=name)], taken, Path(folder))


def render_imported(paths: Sequence[Path], taken: Sequence[str], folder: Path) -> tuple[RenderedSheets, list[Finding]]:
    """The forms of *paths* (汇总表 or 申报表, TSV or workbooks) as project sheets, and the importer's findings."""
    result = read_sources(list(paths))
    decl = result.declaration
    return _render(decl.projects, taken, Path(folder), year=decl.year), result.findings


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for rendered sheets (the caller removes it)."""
    return tempfile.TemporaryDirectory(prefix="xlt-sheets-")
