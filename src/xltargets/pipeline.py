"""The one pipeline: read → check → report → consolidate.

Every front end calls these functions and nothing else to get from files or
sheets to findings, a 汇总表 or a declarations workbook: the CLI (``check``,
``consolidate``, ``import``), the Excel layer (ribbon actions through :mod:`xltargets.actions`), the local
service for WPS and the browser. None of them merges, de-duplicates or orders
findings itself: :func:`check` is the one place that does.

>>> report = check_sources(["examples/sh-jishengxie-2024-summary.tsv"])
>>> report.projects, report.indicators
(4, 41)
>>> [f.code for f in report.findings][:2]
['XLT-E007', 'XLT-W009']
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Sequence, Union

from .errors import InputError
from .findings import Finding, Tally
from .importing import ImportResult, import_grids
from .importing import read_sources as _read_files
from .importing import skipped_finding
from .importing.grid import Grid
from .memo import forget
from .model import Declaration
from .progress import report, reporting

if TYPE_CHECKING:  # the consolidation engine (openpyxl, the renderer) is imported when used
    from .consolidate.run import ConsolidateResult

__all__ = [
    "ADDIN_SHEETS",
    "CheckReport",
    "Progress",
    "Sheet",
    "read_sources",
    "read_sheets",
    "unchanged_since_written",
    "check",
    "check_sources",
    "check_sheets",
    "Imported",
    "import_declarations",
    "merge_findings",
    "consolidate",
    "export_pdf",
]

#: progress callback ``progress(done, total, what)`` (:mod:`xltargets.progress`): files about to be
#: read (*what* a Path), then sheets read, projects checked, forms written (*what* a Chinese label)
Progress = Callable[[int, Optional[int], Any], None]
#: one sheet as a front end reads it: its name and its used range from A1 (``UsedRange.Value2``)
Sheet = tuple[str, Sequence[Sequence[Any]]]
#: sheets the add-ins write themselves (results, marks): never read as forms
ADDIN_SHEETS = ("校验结果", "_xlt_marks")


@dataclass
class CheckReport(Tally):
    """What checking found: every finding in order, and the declaration that was read.

    *counts*: how many projects and indicators were checked, when the declaration no longer holds its
    projects (``check_sources(..., keep=False)``: they were let go once checked).
    """

    findings: list[Finding]
    declaration: Declaration
    counts: Optional[tuple[int, int]] = None

    @property
    def projects(self) -> int:
        return self.counts[0] if self.counts is not None else len(self.declaration.projects)

    @property
    def indicators(self) -> int:
        return self.counts[1] if self.counts is not None else self.declaration.indicator_count


# --------------------------------------------------------------------------- read


@contextlib.contextmanager
def _fewer_collections(*, kept: bool = False):
    """Let Python's cycle collector run less often while forms are read, checked and written.

    Reading 1,000 forms leaves some 300,000 long-lived objects (grid rows,
    models) and hardly any cycles; with the default thresholds the collector
    walks them all again every few thousand allocations (~20 % of the time).
    A young generation of 500,000 objects holds what a check of 1,000 forms keeps
    alive (at 50,000 the collector walked them three more times during the check:
    ~0.07 s of CPU); they are freed by reference counting afterwards, and the few
    cycles a check makes wait at most that long.

    *kept*: the caller keeps what was made (a check's report and its declaration): it joins the oldest
    generation as it leaves (``gc.freeze`` then ``gc.unfreeze``, which also lets go anything frozen before),
    instead of being walked by the first young collection after it (~0.045 s of CPU for 1,000 forms).
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 500_000), max(before[1], 20), max(before[2], 100))
    try:
        yield
    finally:
        if kept:
            gc.freeze()
            gc.unfreeze()
        gc.set_threshold(*before)


def read_sources(sources: Sequence[str | Path], *, progress: Progress | None = None) -> ImportResult:
    """Read files and folders (any supported format) into one declaration, every limit applied.

    *progress* is called as ``progress(index, count, path)`` before each file, and
    ``progress(i, n, "读取工作表")`` as the sheets of a file are read (:mod:`xltargets.progress`).
    """
    with _fewer_collections(), reporting(progress):
        return _read_files(sources, on_file=report)


def unchanged_since_written(path: Path) -> bool | None:
    """None: *path* carries no xltargets mark; True: its projects are what xltargets wrote (their
    fingerprint, :mod:`.workbook.mark`); False: changed since."""
    from .errors import XltargetsError
    from .workbook.mark import fingerprint, marked_fingerprint

    if (marked := marked_fingerprint(path)) is None:
        return None
    try:
        projects = read_sources([path]).declaration.projects
    except XltargetsError:
        return False
    return fingerprint(projects) == marked


def read_sheets(sheets: Sequence[Sheet], *, file: str | None = None) -> ImportResult:
    """Read the forms of an open workbook's sheets, given as ``[(name, values)]``.

    *values* is a 2-D list from A1 as Excel/ET give ``UsedRange.Value2``
    (None for blank cells, numbers as floats). The sheets the add-ins write
    (:data:`ADDIN_SHEETS`) are skipped. *file* names the workbook in findings.
    """
    grids = [Grid.from_values(values, sheet=name, file=file) for name, values in sheets if name not in ADDIN_SHEETS]
    result = import_grids(grids, require_forms=False, source=file)
    if not result.declaration.projects:
        raise InputError(
            "当前工作簿中没有找到申报表（没有“项目名称”栏）。",
            hint="先用“新建项目”或“导入”添加项目工作表，再运行本功能。",
            path=file,
            en="no 申报表 (no 项目名称 label) in the open workbook",
        )
    return result


# --------------------------------------------------------------------------- check


def merge_findings(names: Sequence[str], imported: Sequence[Finding], checked: Sequence[Finding]) -> list[Finding]:
    """Importer and rule findings as one list: in project order, the importer's first within a project.

    *names* are the projects' names in order; findings about no project (the
    file as a whole) come first. A finding given twice is kept once, and a rule
    finding on the same cell as an importer finding of the same severity says
    the same thing twice and is dropped.
    """
    seen_cells = {(f.project, f.sheet, f.cell, f.severity) for f in imported if f.cell}
    merged: list[Finding] = []
    seen: set[Finding] = set()
    for f in imported:
        if f not in seen:
            seen.add(f)
            merged.append(f)
    for f in checked:
        if f in seen or (f.cell and (f.project, f.sheet, f.cell, f.severity) in seen_cells):
            continue
        seen.add(f)
        merged.append(f)
    order: dict[str, int] = {}
    for i, name in enumerate(names):
        order.setdefault(name, i)
    return sorted(merged, key=lambda f: order.get(f.project, -1) if f.project is not None else -1)


def check(result: ImportResult) -> CheckReport:
    """Apply every rule to what was read; the importer's and the rules' findings merged (:func:`merge_findings`)."""
    from . import rules

    decl = result.declaration
    found = rules.check_declaration(decl)
    return CheckReport(merge_findings([p.name for p in decl.projects], result.findings, found), decl)


def check_sources(sources: Sequence[str | Path], *, progress: Progress | None = None, keep: bool = True) -> CheckReport:
    """What ``xltargets check`` does: the findings of ``check(read_sources(sources))``, the same in the
    same order, found as :func:`consolidate` finds them (:func:`_check_into`: a file's forms read,
    checked and let go a batch at a time).

    *keep*: the report's declaration holds the projects (a caller that goes on with them, as the
    service does); without, they are let go once checked and the report only counts them.
    ``progress=`` hears what :func:`read_sources` tells, and ``progress(i, n, "校验项目")`` as the rules run.
    """
    from .importing import source_files

    with _fewer_collections(kept=keep), reporting(progress):
        files, skipped = source_files(sources)
        return _check_into(files, None, list(map(skipped_finding, skipped)), keep=keep)


def check_sheets(sheets: Sequence[Sheet], **kw: Any) -> CheckReport:
    """``check(read_sheets(sheets, **kw))``: what the 校验 button does."""
    with _fewer_collections(kept=True):
        return check(read_sheets(sheets, **kw))


# --------------------------------------------------------------------------- import


@dataclass
class Imported:
    """What :func:`import_declarations` wrote: counts, the importer's findings (as :func:`read_sources`
    gives them) and the declaration's title, organisation and year (its projects were let go)."""

    findings: list[Finding]
    declaration: Declaration
    projects: int
    indicators: int


def import_declarations(
    sources: Sequence[str | Path], output: str | Path, *, vba_from: Path | None = None,
    progress: Progress | None = None,
) -> Imported:
    """``xltargets import``: the declarations workbook *output* of the forms of *sources*, written
    atomically (an error anywhere leaves nothing), one project at a time.

    Every file is read (its grids) and its forms counted first, so a file without forms or more
    projects than a workbook may hold is refused before anything is written; then each project is
    read, written and let go (:class:`~xltargets.importing.FormStream`,
    :func:`~xltargets.workbook.build.build_workbook_of`). A file's grids are never held whole: a
    workbook's sheets are made into grids as they are come to (:func:`~xltargets.importing.sources.grid_stream`,
    once to count, once to read; the reader process's answer kept in between), a TSV's rows split from
    its text as they are asked for (:mod:`~xltargets.importing.textrows`). The workbook, the findings and their order are what
    ``build_workbook(read_sources(sources).declaration)`` gives.
    """
    from .importing import FormStream, merge_results, mixed_money_units, source_files
    from .importing.sources import grid_stream
    from .workbook.build import build_workbook_of

    with reporting(progress):
        files, skipped = source_files(sources)
        streams = []
        with _fewer_collections():
            for i, path in enumerate(files):
                report(i, len(files), path)
                # a workbook's sheets made into grids as they are come to: once to count the forms, once
                # to read them (a TSV's rows split from its text as they are asked for: .textrows)
                stream = FormStream(grid_stream(path, again=True))
                if not stream.count():
                    stream.refuse(str(path))
                streams.append(stream)
        # then the collector's usual thresholds: the forms laid out for writing make some cycles, freed
        # by it only (500,000 young objects of them held ~30 MB more at N = 1,000, at the same CPU time)
        count = sum(s.count() for s in streams)
        if any(s.wan for s in streams):
            # a form may state 万元 (the 填写说明's formats, made before any sheet is written, depend
            # on it): its units are read in a first pass, the projects let go
            units = {p.money_unit for s in streams for p in s}
            streams = _again(streams)
        else:
            units = {"元"} if count else set()
        for stream in streams:  # read once more no longer: each form's rows go once it is read
            stream.release_rows = True
        read: list[list[_Read]] = [[] for _ in streams]
        heads: list[ImportResult] = []

        def projects():
            year, pending = None, []  # the declaration's year once sure; projects waiting for it

            def settled(p):
                return p if p.year is not None or year is None else p.model_copy(update={"year": year})

            for k, (stream, path) in enumerate(zip(streams, files)):
                units_seen: set[str] = set()
                for project in stream:
                    # XLT-W111 names the first project of a unit (in the file, and over all files)
                    origin = project.origin if project.money_unit not in units_seen else None
                    units_seen.add(project.money_unit)
                    read[k].append(_Read(project.name, project.unit, project.money_unit, project.year, origin))
                    if year is None and stream.year is not None:
                        year = stream.year  # this file's title states it, no file before stated one
                    if year is None and (pending or project.year is None):
                        pending.append(project)  # its year (or an earlier one's) is not known yet
                        continue
                    while pending:
                        yield settled(pending.pop(0))
                    yield settled(project)
                    del project
                heads.append(stream.result([], read=read[k], source=str(path)))
                stream.release()  # its grids: the frame and the last part are written without them
                if year is None and heads[-1].declaration.year is not None:
                    year = heads[-1].declaration.year
                    while pending:
                        yield settled(pending.pop(0))
            while pending:
                yield settled(pending.pop(0))

        done: list[ImportResult] = []

        def head() -> Declaration:
            if not done:
                rest = [stream.result([], read=read[k], source=str(files[k])) for k, stream in
                        enumerate(streams[len(heads):], start=len(heads))]  # the last file's, before its end
                merged = merge_results([*heads, *rest])
                findings = merged.findings
                if len(streams) > 1:  # merge_results found XLT-W111 over no projects: found over all here
                    findings = [*findings, *mixed_money_units([r for each in read for r in each])]
                done.append(ImportResult(merged.declaration, [*map(skipped_finding, skipped), *findings]))
            return done[0].declaration

        written = build_workbook_of(output, projects(), count, units, head, vba_from=vba_from)
        head()
        return Imported(done[0].findings, done[0].declaration, written.projects, written.indicators)


def _again(streams: list) -> list:
    """Streams of the same grids, from the start."""
    from .importing import FormStream

    return [FormStream(s.grids) for s in streams]


class _Read(NamedTuple):
    """What the declaration's head and XLT-W111 read of a project that was written and let go."""

    name: str
    unit: str
    money_unit: str
    year: Any
    origin: Any


# --------------------------------------------------------------------------- consolidate


def consolidate(
    report_or_sources: Union[CheckReport, Sequence[str | Path]],
    output: Path | None = None,
    *,
    title: str | None = None,
    pdf: bool = False,
    strict: bool = False,
    force: bool = False,
    inputs: Sequence[Path] = (),
    cwd: Path | None = None,
    progress: Progress | None = None,
    against: Sequence[str | Path] = (),
    templates: Sequence[str | Path] = (),
    keep: bool = True,
) -> "ConsolidateResult":
    """The 汇总表 workbook (and with *pdf* its PDF) of a checked report, or of sources read and checked here.

    Sources: files and folders (default ``./declarations.xlsm`` in *cwd*); a
    folder's earlier 汇总表 and *output* itself are not read. *output*
    defaults to ``./汇总表.xlsx``. Nothing is written before every check
    passed: outputs that may not be replaced (an input listed in *inputs* or
    read here never is; a file of someone else needs *force*), LibreOffice for
    *pdf*, and under *strict* the findings (:class:`~xltargets.consolidate.FindingsBlock`).
    *against*: last year's forms (any source): the workbook gets a 对比 sheet of what changed.
    *templates*: ``consolidate --template`` values (a folder of templates, ``自评表=file.xlsx``, or
    the 申报表's file), loaded first: a broken template stops the run before anything is read.

    Sources are read, checked and laid out file by file (:func:`_check_into`); with *keep* false
    the projects are let go once laid out (memory flat in the number of files; the result's
    ``declaration`` then holds no projects, its ``projects``/``indicators``/``totals`` say what
    was written). The findings are merged at the end, as :func:`check` merges them.
    """
    from .consolidate.collect import Summary
    from .consolidate.run import DEFAULT_OUTPUT, check_outputs, write_outputs
    from .consolidate.sources import resolve_sources
    from .consolidate.templates import templates_from

    layouts = templates_from(templates)

    cwd = Path.cwd() if cwd is None else Path(cwd)
    output = Path(output) if output is not None else cwd / DEFAULT_OUTPUT
    against = [Path(a) for a in against]
    inputs = [*inputs, *against]
    with contextlib.ExitStack() as stack:
        summary = None
        if isinstance(report_or_sources, CheckReport):
            report, sources = report_or_sources, list(inputs)
        else:
            skipped: list = []
            sources = resolve_sources([Path(s) for s in report_or_sources], cwd=cwd, skipped=skipped)
            # fail before the (possibly long) reading when the outputs cannot be written; an output in a folder
            # read that the reading would read (a workbook, not our 汇总表) is refused, as import refuses it
            folders = [Path(s) for s in report_or_sources]
            check_outputs(output, pdf=pdf, force=force, inputs=[*sources, *inputs, *folders])
            summary = stack.enter_context(Summary(layouts))
            with _fewer_collections(), reporting(progress):
                # a folder's files not read are named as check names them
                report = _check_into(sources, summary, list(map(skipped_finding, skipped)), keep=keep or bool(against))
            # the texts remembered while reading (~12 MB at 4,000 projects) go before XlsxWriter's records come
            forget()
            sources = [*sources, *inputs]
        last = read_sources(against).declaration if against else None
        # forms written, then the PDF; the collector would walk the whole model again and again while
        # the writers allocate (~0.5 s of CPU at 1,000 projects), and writing makes hardly any cycles
        with _fewer_collections(), reporting(progress):
            return write_outputs(
                report.declaration, report.findings, output, sources=sources, title=title, pdf=pdf, strict=strict, force=force, against=last,
                templates=layouts, summary=summary,
            )


#: forms checked together while a file is consolidated: read, checked, laid out and let go this many
#: at a time, so that memory does not grow with a file's forms (~40 KB of model a form)
CHECK_BATCH = 100


def _check_into(files: Sequence[Path], summary: Any, skipped: list[Finding], *, keep: bool) -> CheckReport:
    """Read, check and hand to *summary* (:class:`~xltargets.consolidate.collect.Summary`, or None) the
    projects of *files*: the one way files are checked (``check`` and ``consolidate``), a few forms at a time (:data:`CHECK_BATCH`): what :func:`check` of :func:`read_sources`
    finds, the same findings in the same order, with at most a batch of projects in memory at a time
    (all of them with *keep*) besides the grids of the file being read, which go form by form.

    The forms are numbered and their names compared over all files, in order
    (``rules.check_projects``: a :class:`~xltargets.rules.context.Workbook` that grows batch by batch).
    A project is checked once its budget year is sure: its form states it, or the declaration's year
    is known (the first file's that states one, as :func:`~xltargets.importing.merge_results` takes it:
    the file's title's, else its first project's that states one); the projects after one that waits
    wait with it, so they are checked, laid out and named in order.
    """
    from . import rules
    from .importing import FormStream, merge_results, mixed_money_units
    from .importing import sources as _sources
    from .rules.context import Workbook

    files = _sources.expand_sources(files)
    heads: list[ImportResult] = []  # each file's declaration without its projects: title, unit, year
    imported, checked = list(skipped), []
    names: list[str] = []  # the projects' names in order
    units: list[_Unit] = []  # what XLT-W111 reads of each project, over all files
    seen_units: set[str] = set()
    kept: list = []
    pending: list = []  # read, not checked yet: in order (the first waits for the declaration's year)
    # how many forms there are, at least: one a file (the importer refuses a file without), then the forms read
    workbook = Workbook(len(files), {}, {})
    year = None  # the declaration's year once sure
    sure = False
    indicators = 0

    def flush(every: bool) -> None:
        """Check the pending projects that can be (*every*: all of them, the year is as sure as it gets)."""
        nonlocal indicators
        ready = len(pending) if every or sure else next(
            (k for k, p in enumerate(pending) if p.year is None), len(pending))
        workbook.count = max(workbook.count, workbook.size + len(pending))
        while ready:
            batch = pending[:min(CHECK_BATCH, ready)]
            del pending[:len(batch)]
            ready -= len(batch)
            checked.extend(rules.check_projects(batch, year=year, workbook=workbook))
            for project in batch:
                indicators += len(project.indicators)
                if summary is not None:
                    summary.add(project)
                names.append(project.name)
                first = project.money_unit not in seen_units
                seen_units.add(project.money_unit)
                units.append(_Unit(project.money_unit, project.name, project.origin if first else None))
            if keep:
                kept.extend(batch)
            # nothing refers back to the projects (a checked form lets its rows go: Form.release), so
            # reference counting frees them here, without the cycle collector _fewer_collections makes rare
            del batch, project

    for i, path in enumerate(files):
        report(i, len(files), path)
        # a workbook's sheets made into grids one at a time, each form's rows let go once it is read
        stream = FormStream(_sources.grid_stream(path), release=True)
        read: list[_Read] = []  # what the file's head needs of its projects
        file_units: set[str] = set()
        stated = None  # the first year a form of the file states
        for project in stream:
            origin = project.origin if project.money_unit not in file_units else None
            file_units.add(project.money_unit)
            read.append(_Read(project.name, project.unit, project.money_unit, project.year, origin))
            stated = stated or project.year
            if not sure and stream.title:  # a title, once found, is the file's: its year, else its first form's
                year = stream.year or stated
                sure = year is not None
            pending.append(project)
            del project
            # a form's label says whether it is alone (Form.label): forms are checked once two are known
            if len(pending) >= CHECK_BATCH and workbook.size + len(pending) >= 2:
                flush(False)
        result = stream.result([], read=read, source=str(path))
        stream.release()
        heads.append(result)
        imported.extend(f for f in result.findings if f.code != _MIXED_UNITS)  # found over all files below
        if not sure and result.declaration.year is not None:
            year, sure = result.declaration.year, True
        flush(False)
    flush(True)
    imported.extend(mixed_money_units(units))
    declaration = merge_results(heads).declaration.model_copy(update={"projects": kept})
    return CheckReport(merge_findings(names, imported, checked), declaration, None if keep else (len(names), indicators))


#: the importer's warning that the forms state their amounts in different units, found over all files
_MIXED_UNITS = "XLT-W111"


class _Unit(NamedTuple):
    """What XLT-W111 reads of a project (:func:`xltargets.importing.mixed_money_units`)."""

    money_unit: str
    name: str
    origin: Any


def export_pdf(
    report: CheckReport, output: Path, *, title: str | None = None, force: bool = False, inputs: Sequence[Path] = ()
) -> Path:
    """The printed 汇总表 (one form a page) of *report*'s projects, as PDF through LibreOffice."""
    from .consolidate.run import export_pdf as _export

    return _export(report.declaration, Path(output), title=title, force=force, inputs=inputs)
