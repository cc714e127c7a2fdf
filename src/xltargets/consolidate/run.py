"""The last step of the pipeline: a checked report → 汇总表 workbook (→ PDF).

:func:`xltargets.pipeline.consolidate` reads and checks the sources and
calls :func:`write_outputs`. Nothing is written until every check passed:
outputs that may not be overwritten, LibreOffice for ``--pdf``, and (under
``strict``) the findings. Both outputs are written atomically; sources are
only ever read.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import FindingsBlock, LibreOfficeMissing
from ..fileio import atomic_output, check_output_path, require_suffix
from ..findings import Finding
from ..libreoffice import INSTALL_HINT, convert, find_soffice
from ..model import Declaration
from .collect import Summary
from .marker import is_ours
from .title import check_title, summary_title
from .templates import Templates
from .workbook import write_summary_only, write_workbook

__all__ = ["DEFAULT_OUTPUT", "ConsolidateResult", "FindingsBlock", "check_outputs", "write_outputs", "export_pdf", "write_pdf", "check_pdf_output", "printable_workbook"]

#: what ``xltargets consolidate`` writes when given no ``-o``
DEFAULT_OUTPUT = "汇总表.xlsx"


@dataclass
class ConsolidateResult:
    """What a consolidation read and wrote."""

    declaration: Declaration
    findings: list[Finding]
    sources: list[Path]
    title: str
    output: Path
    pdf: Path | None = None
    written: list[Path] = field(default_factory=list)
    #: the changes against last year (``--against``), when asked for
    comparison: object | None = None
    #: how many projects and indicators were written, and 年度资金申请总额 per money unit (元 or 万元):
    #: known even when *declaration* holds no projects (a streamed consolidation lets them go)
    projects: int = 0
    indicators: int = 0
    totals: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def _pdf_path(output: Path, pdf: bool) -> Path | None:
    return output.with_suffix(".pdf") if pdf else None


def check_outputs(output: Path, *, pdf: bool = False, force: bool = False, inputs: Sequence[Path] = ()) -> None:
    """Refuse, before anything is read or written, outputs that cannot be written.

    *output* must be an .xlsx; it and its PDF may replace our own earlier
    output, anything else needs *force*, and an input never; ``pdf`` needs LibreOffice.
    """
    output = Path(output)
    why = "（要同时生成 PDF，加 --pdf）" if output.suffix.lower() == ".pdf" else "（汇总表不含宏）"
    require_suffix(output, (".xlsx",), "汇总表工作簿", why=why)
    pdf_path = _pdf_path(output, pdf)
    for out in (output, pdf_path):
        if out is not None:
            # our own earlier output may be replaced; anything else needs --force
            check_output_path(out, force=force or is_ours(out), inputs=inputs)
    if pdf_path is not None and find_soffice() is None:
        raise LibreOfficeMissing("未找到 LibreOffice（soffice），无法生成 PDF；未写入任何文件。", hint=INSTALL_HINT)


def write_outputs(
    declaration: Declaration,
    findings: Sequence[Finding],
    output: Path,
    *,
    sources: Sequence[Path] = (),
    title: str | None = None,
    pdf: bool = False,
    strict: bool = False,
    force: bool = False,
    against: Declaration | None = None,
    templates: Templates | None = None,
    summary: Summary | None = None,
) -> ConsolidateResult:
    """Write the 汇总表 workbook (and its PDF) of a checked declaration and its *findings* (a report of
    :func:`xltargets.pipeline.check`).

    *against* (last year's declaration) adds the 对比 sheet of what changed since.
    *templates*: each form kind's template (``consolidate --template``; default the shipped ones).
    *summary*: the report's projects as gathered while they were read (:class:`.collect.Summary`,
    laid out with *templates*), when *declaration* no longer holds them.

    校验结果 lists the *findings* as they are. *sources* are never
    overwritten. Raises :class:`FindingsBlock` under *strict* when there are
    errors, before anything is written.
    """
    output = Path(output)
    pdf_path = _pdf_path(output, pdf)
    check_title(title)
    check_outputs(output, pdf=pdf, force=force, inputs=sources)
    decl = declaration
    findings = list(findings)
    errors = [f for f in findings if f.is_error]
    if strict and errors:
        raise FindingsBlock(
            f"校验发现 {len(errors)} 个错误，--strict 下未写入任何文件。",
            hint="按上面列出的错误修改申报表后重试，或去掉 --strict 先生成汇总表。",
            findings=findings,
        )
    with contextlib.ExitStack() as stack:
        if summary is None:
            summary = stack.enter_context(Summary.of(decl, templates))
        the_title = title or summary_title(decl, summary.heads)
        result = ConsolidateResult(decl, findings, list(sources), the_title, output, pdf_path,
                                   projects=summary.projects, indicators=summary.indicators, totals=summary.totals())
        with atomic_output(output) as tmp:
            comparison = None
            if against is not None:
                from ..diff import compare

                comparison = result.comparison = compare(against, decl)
            write_workbook(tmp, summary, findings, title=the_title, base_dir=output.parent, comparison=comparison)
            if pdf_path is not None:  # inside: a PDF that fails (or Ctrl+C while LibreOffice prints) leaves no workbook either
                write_pdf(pdf_path, summary, title=the_title, templates=summary.templates)
    result.written.append(output)
    if pdf_path is not None:
        result.written.append(pdf_path)
    return result


def export_pdf(
    declaration: Declaration, out: Path, *, title: str | None = None, force: bool = False, inputs: Sequence[Path] = ()
) -> Path:
    """Only the printed 汇总表 of *declaration*, as PDF at *out* (checked like every output)."""
    check_title(title)
    out = check_pdf_output(out, force=force, inputs=inputs)
    if find_soffice() is None:
        raise LibreOfficeMissing("未找到 LibreOffice（soffice），无法生成 PDF；未写入任何文件。", hint=INSTALL_HINT)
    write_pdf(out, declaration, title=title or summary_title(declaration))
    return out


def check_pdf_output(out: Path, *, force: bool = False, inputs: Sequence[Path] = ()) -> Path:
    """*out* if a PDF may be written there: a .pdf, not an input, and new, ours or *force*."""
    out = Path(out)
    require_suffix(out, (".pdf",), "PDF")
    check_output_path(out, force=force or is_ours(out), inputs=inputs)
    return out


def printable_workbook(
    declaration: Declaration,
    out: Path,
    folder: Path,
    *,
    title: str | None = None,
    force: bool = False,
    inputs: Sequence[Path] = (),
    name: str | None = None,
) -> Path:
    """The workbook whose print is the PDF *out* (only the 汇总表 sheet), written into *folder* as *name*.

    For a front end that prints with its own office program (the Excel
    add-in's 导出PDF uses Excel's export); *out* is checked like every output.
    """
    out = check_pdf_output(out, force=force, inputs=inputs)
    book = Path(folder) / (name or f"{out.stem}.xlsx")
    write_summary_only(book, declaration, title=title or summary_title(declaration))
    return book


def write_pdf(path: Path, declaration: Declaration | Summary, *, title: str, templates: Templates | None = None) -> None:
    """Print the form sheets (汇总表, and one per further form kind) to *path* through LibreOffice (atomically)."""
    with tempfile.TemporaryDirectory(prefix="xlt-pdf-") as tmpdir:
        book = Path(tmpdir) / f"{path.stem}.xlsx"
        write_summary_only(book, declaration, title=title, templates=templates)
        made = convert(book, "pdf", Path(tmpdir) / "out")
        with atomic_output(path) as tmp:
            shutil.copyfile(made, tmp)
