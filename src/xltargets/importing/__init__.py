"""Importing 申报表 / 汇总表 from TSV/CSV text, any workbook sheet and published PDFs.

A file becomes grids (:mod:`.sources`: TSV/CSV read here, :mod:`.delimited`; workbooks and PDFs
read by python-calamine and pdfplumber in the reader process, :mod:`xltargets.reader`, after
:mod:`.guard` checked the file here), the grids become
forms found by their labels (:mod:`.forms`), the forms a :class:`~xltargets.model.Declaration`.
Limits: :mod:`.limits` (docs/limits.md); how it reads: docs/importer.md.

>>> result = read_sources(["examples/sh-jishengxie-2024-summary.tsv"])
>>> len(result.declaration.projects)
4
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import InputError
from ..findings import Finding, Severity
from ..model import Declaration, Origin
from ..progress import report
from .cells import normalise_label
from .forms import _Ctx, find_forms, is_list_header, read_form, read_list
from .grid import Grid
from .sources import LIMITS, Skipped, expand_sources, grid_stream

__all__ = ["ImportResult", "FormStream", "read_sources", "skipped_finding", "SKIPPED_CODE", "merge_results", "read_path", "import_grid", "import_grids", "source_files", "title_year", "Grid", "LIMITS"]

_TITLE = re.compile(r"^(?P<org>.*?)(?P<year>\d{4})\s*年度?.*汇总表")


@dataclass
class ImportResult:
    """A declaration and what the importer noticed while reading it."""

    declaration: Declaration
    findings: list[Finding] = field(default_factory=list)


def _preamble(grid: Grid, end: int) -> str:
    for r in range(end):
        for _, t in grid.nonempty(r):
            if "汇总表" in t:
                return t.strip()
    return ""


def mixed_money_units(projects) -> list[Finding]:
    """XLT-W111 when forms state their amounts in different units (元 and 万元): amounts are kept
    as written, never converted, so a total over them would mix units. Names the first form in
    the less common unit."""
    units = [p.money_unit for p in projects]
    if len(set(units)) < 2:
        return []
    seen = list(dict.fromkeys(units))  # in order of first appearance
    rare = min(reversed(seen), key=units.count)  # on a tie, the unit that came later
    common = next(u for u in seen if u != rare)
    first = next(p for p in projects if p.money_unit == rare)
    origin = first.origin
    return [Finding(
        code="XLT-W111",
        severity=Severity.WARNING,
        message=(f"项目“{first.name}”的金额单位是{rare}，其他 {units.count(common)} 个项目是{common}；"
                 f"金额按原文保留、不换算，汇总表按单位分别合计，不能相加。请把各表的金额统一为同一单位后再汇总。"),
        project=first.name or None,
        sheet=origin.sheet if origin else None,
        cell=origin.cells.get("form") if origin else None,
        field="funds",
        file=origin.file if origin else None,
    )]


def title_year(title: str) -> int | None:
    """The year of a 汇总表 title (``上海市计划生育协会2024年度…汇总表`` → 2024)."""
    m = _TITLE.match(normalise_label(title)) if title else None
    return int(m.group("year")) if m else None


class FormStream:
    """The projects of *grids*, one at a time, in order: what :func:`import_grids` reads, for a
    caller that writes each project and lets it go (``import`` of thousands of forms).

    The 汇总表 title (and the year of forms without their own "(2024年度)") is the first one found
    above the forms of a grid; *title* is the one the earlier sheets of the same workbook gave, when
    the grids are its later sheets. :attr:`findings` grows as the projects are read (a form's
    findings before it is handed out). :meth:`count` says how many projects there are before any
    is handed out; :meth:`result` is the declaration of what was read.
    """

    def __init__(self, grids: Sequence[Grid], *, title: str | None = None, release: bool = False) -> None:
        self.grids = grids
        self.release_rows = release  # let each form's rows go once it is read (the grids are not read again)
        self.title = title or ""
        self.year = title_year(self.title)
        self.findings: list[Finding] = []
        self._seen: list[Grid] = []  # the grids iterated before the first project (what a refusal names)
        self._spans: list[list] | None = None  # each grid's forms, once counted
        self._lists: dict[tuple[int, int], tuple[list, list[Finding]]] = {}  # list tables read by count()
        #: whether a cell holds 万 (a form may state its amounts in 万元), found by :meth:`count`
        self.wan = False

    def _forms(self, number: int, grid: Grid) -> list:
        # the forms are read right after: the rows looked at are kept for them, unless they go form by form
        spans = self._spans[number] if self._spans is not None else find_forms(grid, keep=not self.release_rows)
        if spans and not self.title:
            self.title = _preamble(grid, spans[0].start)
            self.year = title_year(self.title)
        return spans

    def _read(self, number: int, k: int, grid: Grid, span) -> tuple[list, list[Finding]]:
        kept = self._lists.pop((number, k), None)
        if kept is not None:
            return kept
        ctx = _Ctx(grid=grid)
        if is_list_header(grid, span.name_row):  # one row per indicator, projects merged down
            return read_list(ctx, span, default_year=self.year), ctx.findings
        return [read_form(ctx, span, default_year=self.year)], ctx.findings

    def count(self) -> int:
        """How many projects the grids hold, found before any is read (a list table is read here
        and kept until handed out; each other form is one project). The grids are iterated once
        for it, and again as the projects are read."""
        if self._spans is None:
            title, year = self.title, self.year
            self._spans = []
            for number, grid in enumerate(self.grids):
                spans = find_forms(grid, keep=False)
                self._spans.append(spans)
                self.wan = self.wan or grid.holds("万")
                if spans and not self.title:
                    self.title = _preamble(grid, spans[0].start)
                    self.year = title_year(self.title)
                for k, span in enumerate(spans):
                    if is_list_header(grid, span.name_row):
                        self._lists[number, k] = self._read(number, k, grid, span)
                grid.forget()  # the rows looked at: worked out again, form by form, as the forms are read
            self.title, self.year = title, year  # found again, in order, as the forms are read
            self._total = sum(len(s) for s in self._spans) + sum(len(p) - 1 for p, _ in self._lists.values())
        return self._total

    def __iter__(self):
        """The projects in order. *grids* may be made as they are come to (a
        :class:`~.sources.GridStream`, iterated once: then :meth:`count` is not asked)."""
        seen = self._seen
        for number, grid in enumerate(self.grids):
            report(number, len(self.grids), "读取工作表")
            if seen is not None:
                seen.append(grid)
            for k, span in enumerate(self._forms(number, grid)):
                projects, findings = self._read(number, k, grid, span)
                if self.release_rows:
                    grid.release(span.start, span.end)
                self.findings.extend(findings)
                if projects and seen is not None:
                    seen = self._seen = None  # a project was read: no refusal names the grids
                yield from projects
            grid.forget()  # its forms are read: what was worked out for them is freed now

    def release(self) -> None:
        """Let the grids go, once every project was handed out (:meth:`result` still works)."""
        self.grids = []

    def result(self, projects: list, *, read: Sequence | None = None, require_forms: bool = True,
               source: str | None = None) -> ImportResult:
        """The declaration of *projects* and the findings, once every project was read.

        *read*: what was read of each project (anything with ``name``, ``unit``, ``money_unit``,
        ``year`` and ``origin``), when *projects* were handed on and let go (then ``[]``)."""
        read = projects if read is None else read
        if not read and require_forms:
            self.refuse(source)
        title, year = self.title, self.year
        organisation = ""
        m = _TITLE.match(normalise_label(title)) if title else None
        if m:
            organisation = m.group("org")
        if year is None:
            year = next((p.year for p in read if p.year), None)
        if not organisation:
            units = {p.unit for p in read if p.unit}
            if len(units) == 1:
                organisation = units.pop()
        return ImportResult(
            declaration=Declaration(title=title, organisation=organisation, year=year, projects=projects,
                                    origin=Origin(file=source)),
            findings=[*self.findings, *mixed_money_units(read)],
        )

    def refuse(self, source: str | None) -> None:
        """The error of grids that hold no form."""
        where = f"“{Path(source).name}”" if source else "输入"
        seen = _what_was_found(self._seen or self.grids)  # the grids iterated, when they were made one by one
        found = f"找到的是：{seen}。" if seen else "其中没有文字。"
        raise InputError(
            f"{where}中没有找到申报表（没有“项目名称”栏）。{found}",
            hint="请提供绩效目标申报表、部门整体支出绩效目标表、绩效自评表或汇总表（xlsx/xlsm/xlsb/xls/ods 工作簿、CSV/TSV 文本或 PDF）。",
            path=source,
            en=f"no 申报表 found (no 项目名称 label) in {source or 'the input'}",
        )


def import_grids(
    grids: Sequence[Grid], *, require_forms: bool = True, source: str | None = None, title: str | None = None,
    release: bool = False,
) -> ImportResult:
    """Read every form of every grid into one declaration (:class:`FormStream`, every project kept;
    with *release*, each form's rows let go once read: for grids not read again)."""
    stream = FormStream(grids, title=title, release=release)
    return stream.result(list(stream), require_forms=require_forms, source=source)


def _what_was_found(grids: Sequence[Grid], count: int = 3) -> str:
    """The first texts of the grids (a title, a header), quoted: what a refused file holds."""
    texts: list[str] = []
    for grid in grids:
        for r in range(min(grid.height, 50)):
            for _, t in grid.nonempty(r):
                t = " ".join(t.split())
                if t not in texts:
                    texts.append(t[:30] + ("…" if len(t) > 30 else ""))
                if len(texts) >= count:
                    return "、".join(f"“{x}”" for x in texts)
    return "、".join(f"“{x}”" for x in texts)


def import_grid(values: Sequence[Sequence[Any]], *, sheet: str | None = None, file: str | None = None) -> ImportResult:
    """Read forms from a plain 2-D list of cell values (e.g. a range read by the add-in)."""
    return import_grids([Grid.from_values(values, sheet=sheet, file=file)], source=file)


def read_path(path: str | Path) -> ImportResult:
    """Read one file (TSV, xlsx, xlsm, xlsb, xls, ods)."""
    path = Path(path)
    # the grids are this call's own: a workbook's sheets made into grids as they are come to, each form's
    # rows let go once read (at 3,998 projects, consolidate's peak RSS 225 -> 210 MB)
    return import_grids(grid_stream(path), source=str(path), release=True)


def merge_results(results: Sequence[ImportResult]) -> ImportResult:
    """Many sources → one declaration: projects and findings in source order.

    The title and organisation are kept only when all sources share one unit.
    """
    if len(results) == 1:
        return results[0]
    decls = [r.declaration for r in results]
    orgs = {d.organisation for d in decls if d.organisation}
    one_org = len(orgs) <= 1
    projects = [p for d in decls for p in d.projects]
    findings = [f for r in results for f in r.findings if f.code != "XLT-W111"]
    return ImportResult(
        declaration=Declaration(
            title=next((d.title for d in decls if d.title), "") if one_org else "",
            organisation=next(iter(orgs), "") if one_org else "",
            year=next((d.year for d in decls if d.year), None),
            projects=projects,
        ),
        findings=findings + mixed_money_units(projects),
    )


def source_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """The files to read of *paths* (folders expanded) and the files of folders that are not read."""
    skipped: list[Skipped] = []
    files = expand_sources(paths, skipped)
    if not files:
        raise InputError("没有指定输入文件。", hint="在命令后写上申报表文件名。", en="no input file given")
    return files, skipped


def read_sources(
    paths: Sequence[str | Path], *, on_file: Callable[[int, int, Path], None] | None = None
) -> ImportResult:
    """Read several files or folders into one declaration (projects in order).

    *on_file* is called as ``on_file(index, count, path)`` before each file is
    read (progress bars).
    """
    files, skipped = source_files(paths)
    results = []
    for i, path in enumerate(files):
        if on_file is not None:
            on_file(i, len(files), path)
        results.append(read_path(path))
    merged = merge_results(results)
    if skipped:
        merged = ImportResult(merged.declaration, [*map(skipped_finding, skipped), *merged.findings])
    return merged


#: the code of the warning that names a file of a folder that was not read
SKIPPED_CODE = "XLT-W190"


def skipped_finding(skipped: Skipped) -> Finding:
    """The warning that names a file of a folder that was not read, and why."""
    return Finding(code=SKIPPED_CODE, severity=Severity.WARNING, file=str(skipped.path),
                   message=f"已跳过文件夹中的“{skipped.path.name}”：它{skipped.reason}。")
