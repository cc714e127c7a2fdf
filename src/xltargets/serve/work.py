"""What each endpoint does: one pipeline call each, on inputs already checked by :mod:`.inputs`.

Nothing here re-assembles the read → check → report → consolidate flow: each
function hands its input to :mod:`xltargets.pipeline` (or to the ribbon's core,
:mod:`xltargets.actions`, for new and imported sheets) and shapes the answer.
All functions are blocking (the app runs them one at a time: in a worker thread, or a small
check of cells right in the event loop's thread).
"""

from __future__ import annotations

import collections
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from .inputs import Sheets, chosen_paths, has_files, parse_names, parse_sheets, text_field, uploaded_files

__all__ = ["check", "quick", "preload", "consolidate", "pdf", "new_project", "import_files", "new_year", "compare", "Output", "pdf_available"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Output:
    """A file the service made: its bytes (to download) or where it was written (the path the user chose)."""

    name: str
    media_type: str
    data: bytes | None = None
    path: Path | None = None


def _report(body: dict, uploads: list[Path] | None):
    """The pipeline's CheckReport of the body's sheets, or of the uploaded files."""
    from ..pipeline import check_sheets, check_sources

    if uploads is not None:
        return check_sources(uploads)
    sheets: Sheets = parse_sheets(body)
    return check_sheets(sheets.items, file=sheets.file)


def _with_report(body: dict, use):
    """``use(report, uploads)`` with the report of the body (uploaded files live while it runs)."""
    if has_files(body):
        with uploaded_files(body) as paths:
            return use(_report(body, paths), paths)
    return use(_report(body, None), [])


def _findings_json(findings, uploads) -> list[dict]:
    """``check --json``'s objects; a finding in an uploaded file names the file as uploaded, not the
    service's private temporary copy (each upload is ``<tmp>/<i>/<name>``)."""
    answer = [f.as_json() for f in findings]
    if uploads:
        for item in answer:
            if item["file"]:
                item["file"] = Path(item["file"]).name
    return answer


def preload() -> None:
    """Import what a check of cells needs now, at start, rather than in the first request."""
    from .. import actions, pipeline, rules  # noqa: F401


def quick(body: dict) -> bool:
    """Whether :func:`check` of *body* is a matter of milliseconds: cells, not files to read (maybe through LibreOffice)."""
    return not has_files(body)


def check(body: dict) -> dict[str, Any]:
    """``POST /api/check``: the findings as ``check --json`` gives them, the counts and the status line."""
    from ..actions import status_line

    def answer(report, uploads):
        return {
            "findings": _findings_json(report.findings, uploads),
            "projects": [p.name for p in report.declaration.projects],
            "errors": report.errors,
            "warnings": report.warnings,
            "summary": status_line(report, marked=not uploads),  # uploaded files are only read, never marked
        }

    return _with_report(body, answer)


def _chosen_output(body: dict, suffixes: tuple[str, ...], what: str) -> Path | None:
    """The absolute path the user chose in a save dialog (add-in), checked; None for a download."""
    from ..fileio import require_suffix

    text = text_field(body, "output", max_len=4096)
    if text is None:
        return None
    out = Path(text)
    if not out.is_absolute() or ".." in out.parts or "\x00" in text:
        raise WorkbookError(
            f"保存位置“{text}”不是完整路径，须是以 {' 或 '.join(suffixes)} 结尾的完整路径。",
            hint="在保存对话框中选择文件夹并输入文件名。",
            path=text,
            en=f"the output must be an absolute {'/'.join(suffixes)} path",
        )
    require_suffix(out, suffixes, what)
    try:
        link = out.is_symlink() or out.parent.is_symlink()
    except OSError as exc:  # a name or path too long for the file system (500 «内部错误» before session 7)
        raise WorkbookError(
            f"保存位置“{text}”无法使用：{exc.strerror or exc}。", hint="换一个较短的文件名或文件夹。", path=text,
            en=f"the output cannot be used: {exc.strerror or exc}",
        ) from None
    if link:
        raise WorkbookError(
            f"保存位置“{text}”是符号链接，xltargets 不写入符号链接。", hint="换一个保存位置。", path=text, en="the output is a symlink"
        )
    return out


def _output(body: dict, suffix: str, what: str, name: str, media_type: str, write) -> Output:
    """Write through *write(report, out, inputs)* where the user chose, or into a private folder and return the bytes."""
    chosen = _chosen_output(body, (suffix,), what)
    with tempfile.TemporaryDirectory(prefix="xlt-serve-out-", ignore_cleanup_errors=True) as tmp:  # as uploaded_files
        out = chosen or Path(tmp) / name
        _with_report(body, lambda report, uploads: write(report, out, uploads))
        if chosen:
            return Output(out.name, media_type, path=out)
        return Output(out.name, media_type, data=out.read_bytes())


def consolidate(body: dict) -> Output:
    """``POST /api/consolidate``: the 汇总表 workbook; bytes, or written where the user chose."""
    from ..pipeline import consolidate as run

    title = text_field(body, "title", max_len=200)
    return _output(body, ".xlsx", "汇总表工作簿", "汇总表.xlsx", XLSX, lambda report, out, inputs: run(report, out, title=title, inputs=inputs))


def pdf_available() -> bool:
    from ..libreoffice import find_soffice

    return find_soffice() is not None


def pdf(body: dict) -> Output:
    """``POST /api/pdf``: the printed 汇总表 (needs LibreOffice); bytes, or written where the user chose."""
    from ..pipeline import export_pdf

    title = text_field(body, "title", max_len=200)
    return _output(body, ".pdf", "PDF", "汇总表.pdf", PDF, lambda report, out, inputs: export_pdf(report, out, title=title, inputs=inputs))


def _rendered(rendered) -> list[dict[str, Any]]:
    """Each rendered sheet's cells from A1, ready for ``Range.Formula`` (:class:`xltargets.actions.RenderedSheets`)."""
    return [{"name": name, "values": rendered.values[name]} for name in rendered.names]


#: the last rendered workbooks, each in its own private temporary folder: the add-in opens one to
#: copy its sheets with their formats, dropdowns and check formulas; older ones are removed
_RENDERED: collections.deque = collections.deque()
_RENDERED_KEEP = 8
_RENDERED_LOCK = threading.Lock()


def _scratch() -> Path:
    from ..actions import scratch_folder

    folder = scratch_folder()
    with _RENDERED_LOCK:
        _RENDERED.append(folder)
        while len(_RENDERED) > _RENDERED_KEEP:
            _RENDERED.popleft().cleanup()
    return Path(folder.name)


def _sheets_answer(rendered) -> dict[str, Any]:
    return {"sheets": _rendered(rendered), "workbook": str(rendered.path)}


def new_project(body: dict) -> dict[str, Any]:
    """``POST /api/new-project``: an empty form from the template: its cells, and the rendered
    workbook the add-in may copy the formatted sheet from."""
    from ..actions import render_new_project

    name = text_field(body, "name", required=True, max_len=500)
    return _sheets_answer(render_new_project(name, parse_names(body), _scratch()))


def import_files(body: dict) -> dict[str, Any]:
    """``POST /api/import``: the forms of the chosen (add-in) or uploaded (page) files as
    project sheets (cells and rendered workbook), and the importer's findings."""
    from ..actions import render_imported

    taken = parse_names(body)
    if has_files(body):
        with uploaded_files(body) as paths:
            rendered, findings = render_imported(paths, taken, _scratch())
        return {**_sheets_answer(rendered), "findings": _findings_json(findings, paths)}
    rendered, findings = render_imported(chosen_paths(body), taken, _scratch())
    return {**_sheets_answer(rendered), "findings": _findings_json(findings, None)}


def _open_workbook(body: dict) -> Path | None:
    """``body["workbook"]``: the full path of the open workbook (Workbook.FullName), when it is a saved file."""
    text = text_field(body, "workbook", max_len=4096)
    if text is None:
        return None
    path = Path(text)
    try:
        if not path.is_absolute() or ".." in path.parts or path.is_symlink() or not path.is_file():
            return None  # an unsaved workbook ("工作簿1") or a file gone since: nothing to keep or protect
    except OSError:  # a name too long to be a file here: no saved workbook either
        return None
    return path


def new_year(body: dict) -> dict[str, Any]:
    """``POST /api/new-year`` (新年度): next year's declarations workbook of the sheets, written where the user chose."""
    from ..actions import write_next_year

    out = _chosen_output(body, (".xlsm", ".xlsx"), "申报工作簿")
    if out is None:
        raise WorkbookError("请选择新年度申报工作簿的保存位置（output）。", hint="在保存对话框中选择文件夹并输入文件名。", en="no output given")
    sheets = parse_sheets(body)
    source = _open_workbook(body)
    result = write_next_year(sheets.items, out, file=sheets.file, inputs=[source] if source else [])
    return {"path": str(out), "year": result.declaration.year, "findings": [f.as_json() for f in result.findings]}


def compare(body: dict) -> dict[str, Any]:
    """``POST /api/compare`` (对比上年): the 对比 workbook of last year's chosen files against the sheets,
    next to the open workbook (a free name), or in the service's private folder for an unsaved one."""
    from ..actions import comparison_path, write_comparison
    from ..diff.report import summary_line

    sheets = parse_sheets(body)
    last = chosen_paths(body)
    source = _open_workbook(body)
    folder = source.parent if source is not None else _scratch()
    out = comparison_path(folder, Path(source.name if source else sheets.file).stem)
    comparison = write_comparison(sheets.items, last, out, file=sheets.file)
    return {"path": str(out), "summary": summary_line(comparison)}
