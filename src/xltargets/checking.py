"""Reading and checking declarations, on several cores when the input is large.

``check_sources(paths)`` is what ``xltargets check`` does: import every form,
apply every rule, and return the findings in project order.

In one process, the importer's safety scan, python-calamine, the forms and
the rules are each a pass over every sheet, one after the other. A supervising
department's workbook of 1,000 project sheets gives each pass seconds of
work, so the sheets are split into contiguous portions, one per process (this
process takes the first). Each process scans the zip parts of its own sheets,
reads them with python-calamine and reads their forms; then, once this process
has told it what the rules need to know of the other portions (how many forms
there are and how many come before its own, which form holds each 项目名称
first and where, the declaration's year), it runs the rules on its own forms.
Only names, a few origins and the findings travel between processes, never the
forms, so the result is the one a single process gives, finding for finding
(tests/test_checking.py).

A 汇总表 title found in one portion gives its year to forms of the same file
in later portions: those are read again with it, as one process would have
read them. Whenever a portion meets something unusual — an input error, a
workbook over the cell limit, a file without forms, a failing worker — the
work is done again in one process, which gives exactly the error or result a
single process gives. A worker that dies (a
crash inside a reader) becomes an :class:`InputError`, not a crash of the
command.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .errors import InputError
from .findings import Finding, Tally
from .importing import import_grids, read_sources, title_year
from .importing.limits import LIMITS
from .importing.sources import classify, expand_sources, open_workbook, read_grids, sheet_grids
from .importing.zipscan import Package, scan_sheet_parts
from .model import Declaration, Origin, Project

__all__ = ["CheckReport", "check_sources", "merge_findings", "available_cpus", "MAX_PROCESSES"]

#: never more processes than this (memory grows with each; the gain flattens)
MAX_PROCESSES = 4
#: unzipped sheet XML a process must have to read before one more is worth starting:
#: a forked process starts in milliseconds, a spawned one imports everything again (~0.4 s)
MIN_BYTES_PER_PROCESS = {"fork": 2 << 20, "spawn": 24 << 20}
#: whole files that are not xlsx (TSV, xls, ods, xlsb) weigh this many times their size on disk
_FILE_WEIGHT = 4


@dataclass
class CheckReport(Tally):
    """What checking found: the findings in project order, and what was read."""

    findings: list[Finding]
    projects: int
    indicators: int
    #: every form, when one process read them all (None when several processes shared the work)
    declaration: Declaration | None = None
    #: how many processes read the forms
    processes: int = 1



def merge_findings(names: Sequence[str], imported: list[Finding], checked: list[Finding]) -> list[Finding]:
    """Importer and rule findings in project order; the importer's first within a project.

    *names* are the projects' names in order. A rule finding on the same cell
    and field as an importer finding of the same severity says the same thing
    twice and is dropped.
    """
    seen = {(f.project, f.sheet, f.cell, f.severity) for f in imported if f.cell}
    rule_findings = [f for f in checked if not (f.cell and (f.project, f.sheet, f.cell, f.severity) in seen)]
    order = {name: i for i, name in reversed(list(enumerate(names)))}
    merged = [*imported, *rule_findings]
    return sorted(merged, key=lambda f: order.get(f.project, -1) if f.project is not None else -1)


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _start_method() -> str:
    """fork where it is instant and safe (Linux, no other thread running); else spawn, as Python advises."""
    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"


def check_sources(
    paths: Sequence[str | Path], *, processes: int | None = None, start_method: str | None = None,
    min_bytes: int | None = None,
) -> CheckReport:
    """Import *paths* (files or folders) and apply every rule.

    *processes*: at most this many (None: one per available CPU, up to
    :data:`MAX_PROCESSES`); more than one only when the sheets are large enough
    (*min_bytes* of sheet XML per process, by default :data:`MIN_BYTES_PER_PROCESS`).
    Raises :class:`InputError` exactly as a single process would.
    """
    files = expand_sources(paths)
    if not files:
        raise InputError("没有指定输入文件。", hint="在命令后写上申报表文件名。", en="no input file given")
    wanted = min(processes if processes is not None else available_cpus(), MAX_PROCESSES)
    with _fewer_collections():
        if wanted > 1:
            method = start_method or _start_method()
            minimum = min_bytes if min_bytes is not None else MIN_BYTES_PER_PROCESS[method]
            report = _parallel(files, wanted, method, minimum)
            if report is not None:
                return report
        return _single(files)


@contextlib.contextmanager
def _fewer_collections():
    """Let Python's cycle collector run less often while forms are read.

    Reading 1,000 forms leaves some 300,000 long-lived objects (grid rows,
    models) and hardly any cycles; with the default thresholds the collector
    walks them all again every few thousand allocations (~20 % of the time).
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), max(before[1], 20), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _single(files: list[Path]) -> CheckReport:
    from .rules import check_declaration

    result = read_sources(files)
    decl = result.declaration
    findings = merge_findings([p.name for p in decl.projects], result.findings, check_declaration(decl))
    return CheckReport(findings, len(decl.projects), decl.indicator_count, declaration=decl)


# --------------------------------------------------------------------------- planning


@dataclass
class _Segment:
    """Some sheets of one file (or the whole file: ``sheets`` None), read by one process."""

    file: int
    path: Path
    checked: object
    sheets: list[str] | None = None
    weight: int = 0


def _plan(files: list[Path]) -> list[_Segment] | None:
    """One segment per sheet of each xlsx workbook, one per other file; None on any input error."""
    units: list[_Segment] = []
    try:
        for i, path in enumerate(files):
            checked = classify(path, defer_sheets=True)
            if not (isinstance(checked, Package) and checked.deferred):
                size = path.stat().st_size * _FILE_WEIGHT
                units.append(_Segment(i, path, checked, None, size))
                continue
            _wb, visible = open_workbook(path)
            del _wb  # each process opens its own: a file handle is not shared across processes
            shown = set(visible)
            hidden = [info for name, info in checked.deferred.items() if name not in shown]
            if hidden:  # sheets nobody reads are still checked before anything is read
                checked.sheets.extend(scan_sheet_parts(path, hidden, checked.sheet_names))
            for name in visible:
                info = checked.deferred.get(name)
                units.append(_Segment(i, path, checked, [name], info.file_size if info is not None else 0))
    except InputError:
        return None  # one process reads again and raises the same error at the same place
    return units


def _portions(units: list[_Segment], count: int) -> list[list[_Segment]]:
    """*units* cut into *count* contiguous portions of about equal weight, adjacent sheets of a file merged."""
    total = sum(u.weight for u in units)
    portions: list[list[_Segment]] = [[]]
    done = 0
    for u in units:
        if portions[-1] and len(portions) < count and done >= total * len(portions) / count:
            portions.append([])
        last = portions[-1][-1] if portions[-1] else None
        if last is not None and last.file == u.file and last.sheets is not None and u.sheets is not None:
            last.sheets.extend(u.sheets)
            last.weight += u.weight
        else:
            portions[-1].append(_Segment(u.file, u.path, u.checked, list(u.sheets) if u.sheets else None, u.weight))
        done += u.weight
    return [p for p in portions if p]


# --------------------------------------------------------------------------- one portion


@dataclass
class _SegmentRead:
    """What the parent needs to know of one segment after reading it."""

    file: int
    title: str  # the 汇总表 title found above its forms ("" when none)
    first_year: int | None  # the first form's year, if any form has one
    cells: int  # used-range cells read (the limit is per file)
    projects: int


@dataclass
class _PortionRead:
    segments: list[_SegmentRead]
    names: list[str]
    indicators: int
    #: canonical name → (index in the portion, origin) of the portion's first form with it
    firsts: dict[str, tuple[int, Origin | None]] = field(default_factory=dict)


class _Portion:
    """The forms of one portion, read and then checked (in a worker or in this process)."""

    def __init__(self, segments: list[_Segment]):
        self.segments = segments
        self.grids: list[list] = []  # each segment's grids, kept until its forms' years are settled
        self.results: list = []  # each segment's ImportResult

    @property
    def projects(self) -> list[Project]:
        return [p for r in self.results for p in r.declaration.projects]

    @property
    def imported(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def read(self) -> _PortionRead:
        from .rules.context import canonical

        reads = []
        for seg in self.segments:
            cells = [0]
            if seg.sheets is None:
                grids = read_grids(seg.path, seg.checked)
            else:
                package: Package = seg.checked  # type: ignore[assignment]
                infos = [package.deferred[name] for name in seg.sheets if name in package.deferred]
                scans = {s.name: s for s in scan_sheet_parts(seg.path, infos, package.sheet_names) if s.name}
                scans.update({s.name: s for s in package.sheets if s.name and s.name not in scans})
                wb, _visible = open_workbook(seg.path)
                grids = list(sheet_grids(seg.path, wb, seg.sheets, scans, cells))
            # read as if no earlier sheet of the file gave a 汇总表 title; the parent says
            # when one did (reread), as the years of forms without their own may change
            result = import_grids(grids, require_forms=False, source=str(seg.path))
            self.grids.append(grids)
            self.results.append(result)
            reads.append(_SegmentRead(seg.file, result.declaration.title, _first_year(result), cells[0],
                                      len(result.declaration.projects)))
        projects = self.projects
        firsts: dict[str, tuple[int, Origin | None]] = {}
        for i, project in enumerate(projects):
            firsts.setdefault(canonical(project.name), (i, project.origin))
        return _PortionRead(reads, [p.name for p in projects], sum(len(p.indicators) for p in projects), firsts)

    def reread(self, titles: dict[int, str]) -> dict[int, int | None]:
        """Read the forms of segments again with the title earlier sheets gave (segment → title);
        the first form's year of each."""
        years = {}
        for k, title in titles.items():
            seg = self.segments[k]
            self.results[k] = import_grids(self.grids[k], require_forms=False, source=str(seg.path), title=title)
            years[k] = _first_year(self.results[k])
        return years

    def check(
        self, offset: int, count: int, year: int | None, first_names: dict[str, int], origins: dict[int, Origin | None]
    ) -> tuple[list[Finding], list[Finding]]:
        from .rules import RULES
        from .rules.context import Workbook, canonical
        from .rules.runner import check_project

        self.grids = []
        projects = self.projects
        own = {offset + i: p.origin for i, p in enumerate(projects) if first_names.get(canonical(p.name)) == offset + i}
        workbook = Workbook(count, first_names, {**origins, **own})
        found: list[Finding] = []
        for i, project in enumerate(projects):
            found.extend(check_project(project, RULES, year=year, index=offset + i, workbook=workbook))
        return self.imported, found


def _first_year(result) -> int | None:
    """The year of a segment's first form that has one."""
    return next((p.year for p in result.declaration.projects if p.year), None)


def _worker(conn, segments: list[_Segment], limits: dict[str, int]) -> None:
    """A worker process: read its portion, wait for the rules' context, check, answer."""
    LIMITS.update(limits)
    gc.set_threshold(*max(gc.get_threshold(), (50_000, 20, 100)))  # a spawned worker starts with the defaults
    try:
        portion = _Portion(segments)
        try:
            conn.send(("read", portion.read()))
        except Exception:  # noqa: BLE001 - the parent redoes the work in one process and reports it
            conn.send(("again", None))
            return
        message = conn.recv()
        if message[0] == "reread":
            try:
                answer = ("reread", portion.reread(message[1]))
            except Exception:  # noqa: BLE001 - as above
                answer = ("again", None)
            conn.send(answer)
            message = conn.recv()
        if message[0] == "check":
            try:
                answer = ("checked", portion.check(*message[1]))
            except Exception:  # noqa: BLE001 - as above
                answer = ("again", None)
            conn.send(answer)
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


# --------------------------------------------------------------------------- the parent


class _Again(Exception):
    """Do the work again in one process."""


def _parallel(files: list[Path], wanted: int, method: str, min_bytes: int) -> CheckReport | None:
    """The report, read by several processes; None when one process should do it."""
    units = _plan(files)
    if units is None:
        return None
    total = sum(u.weight for u in units)
    count = min(wanted, len(units), max(1, total // max(min_bytes, 1)))
    if count < 2:
        return None
    portions = _portions(units, count)
    if len(portions) < 2:
        return None
    context = multiprocessing.get_context(method)
    workers = []
    done = False
    gc.freeze()  # a forked worker's collector leaves this process's objects alone (no copy-on-write)
    try:
        for segments in portions[1:]:
            mine, theirs = context.Pipe()
            proc = context.Process(target=_worker, args=(theirs, segments, dict(LIMITS)), daemon=True)
            proc.start()
            theirs.close()
            workers.append((proc, mine))
        gc.unfreeze()
        try:
            report = _lead(portions, workers, files)
        except _Again:
            return None
        done = True
        return report
    finally:
        gc.unfreeze()
        for proc, conn in workers:
            conn.close()
            if not done:
                proc.terminate()  # its work is redone in one process, or an error is on its way
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover - a worker that does not stop
                proc.kill()
                proc.join()


def _receive(conn, files: list[Path], expect: str):
    try:
        kind, payload = conn.recv()
    except (EOFError, OSError) as exc:
        names = "、".join(f"“{p.name}”" for p in files[:3]) + ("等" if len(files) > 3 else "")
        raise InputError(
            f"读取{names}时，一个读取进程意外退出（文件结构可能异常），未得到结果。",
            hint="在 Excel/WPS 中打开文件并另存为 .xlsx 后再试；若仍失败，请用 --jobs 1 运行以查看具体原因。",
            path=str(files[0]),
            en="a reading process stopped unexpectedly (the file may be malformed); run with --jobs 1 for details",
        ) from exc
    if kind != expect:
        raise _Again
    return payload


def _lead(portions: list[list[_Segment]], workers: list, files: list[Path]) -> CheckReport:
    own = _Portion(portions[0])
    try:
        reads = [own.read()]
    except Exception as exc:  # noqa: BLE001 - one process redoes the work and raises the right error
        raise _Again from exc
    reads.extend(_receive(conn, files, "read") for _proc, conn in workers)

    # the 汇总表 title of each file as one process carries it from sheet to sheet: where a title
    # an earlier portion found would give this portion's forms other years, they are read again
    titles: dict[int, str] = {}
    rereads: dict[int, dict[int, str]] = {}  # portion → segment → the title earlier sheets gave
    for k, read in enumerate(reads):
        for j, seg in enumerate(read.segments):
            earlier = titles.get(seg.file, "")
            if earlier and seg.projects and (title_year(earlier) is not None or title_year(seg.title) is not None):
                rereads.setdefault(k, {})[j] = earlier
            titles[seg.file] = earlier or seg.title
    if rereads:
        for k, (_proc, conn) in enumerate(workers, start=1):
            if k in rereads:
                conn.send(("reread", rereads[k]))
        for k in sorted(rereads):
            first_years = own.reread(rereads[k]) if k == 0 else _receive(workers[k - 1][1], files, "reread")
            for j, first_year in first_years.items():
                reads[k].segments[j].first_year = first_year

    # what a single process would have decided, from the portions' summaries
    years: dict[int, int | None] = {}
    cells: dict[int, int] = {}
    projects: dict[int, int] = {}
    for read in reads:
        for seg in read.segments:
            if years.get(seg.file) is None:
                years[seg.file] = seg.first_year
            cells[seg.file] = cells.get(seg.file, 0) + seg.cells
            projects[seg.file] = projects.get(seg.file, 0) + seg.projects
    if any(n > LIMITS["total_cells"] for n in cells.values()) or any(not projects.get(i) for i in range(len(files))):
        raise _Again  # over the limit, or a file without forms: one process gives the error
    year = next(
        (y for i in range(len(files)) if (y := title_year(titles.get(i, "")) or years.get(i)) is not None), None
    )

    offsets, first_names, holders = [], {}, {}
    offset = 0
    for k, read in enumerate(reads):
        offsets.append(offset)
        for name, (i, origin) in read.firsts.items():
            if name not in first_names:
                first_names[name] = offset + i
                holders[offset + i] = origin
        offset += len(read.names)
    count = offset

    def context(k: int):
        read, start = reads[k], offsets[k]
        names = {name: first_names[name] for name in read.firsts}
        origins = {i: holders[i] for i in names.values() if not start <= i < start + len(read.names)}
        return start, count, year, names, origins

    for k, (_proc, conn) in enumerate(workers, start=1):
        conn.send(("check", context(k)))
    imported, checked = own.check(*context(0))
    for _proc, conn in workers:
        more_imported, more_checked = _receive(conn, files, "checked")
        imported.extend(more_imported)
        checked.extend(more_checked)
    names = [n for read in reads for n in read.names]
    return CheckReport(
        merge_findings(names, imported, checked),
        count,
        sum(read.indicators for read in reads),
        processes=len(reads),
    )
