"""``import`` streamed (pipeline.import_declarations): each project read, written and let go.

The workbook, the findings and the declaration's head are what the whole-declaration
path gives (``build_workbook(read_sources(...).declaration)``), byte for byte; at most a
project is alive while the sheets are written; refusals come before anything is written.
"""

from __future__ import annotations

import gc
import sys
import zipfile
from pathlib import Path

import pytest

from xltargets.errors import InputError, WorkbookError
from xltargets.model import Project
from xltargets.pipeline import import_declarations, read_sources
from xltargets.workbook.build import build_workbook

HERE = Path(__file__).parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"
REAL = HERE / "realforms"


def _no_year(tmp_path: Path, last: str | None) -> Path:
    """The example without the title's year; every form's "(2024年度)" dropped, the last one's
    made *last* (a year found only after some forms were read)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("2024年度项目绩效目标汇总表", "项目绩效目标汇总表")
    parts = text.split("(2024年度)")
    assert len(parts) > 2
    text = "".join(parts[:-1]) + (f"({last}年度)" if last else "") + parts[-1]
    path = tmp_path / f"noyear-{last}.tsv"
    path.write_text(text, encoding="utf-8")
    return path


CASES = {
    "summary-tsv": lambda tmp: [EXAMPLE],
    "wanyuan-form": lambda tmp: [REAL / "anhui-chizhou-tangxi-2022-ziping.xlsx"],
    "two-forms-one-sheet": lambda tmp: [REAL / "sichuan-jingyan-mata-2023-huizong.xlsx"],
    "mixed-units-two-files": lambda tmp: [EXAMPLE, REAL / "anhui-chizhou-tangxi-2022-ziping.xlsx"],
    "list-table-pdf-year-of-first-project": lambda tmp: [REAL / "pdf" / "fuzhou-yibaoju-2026-budget.pdf"],
    "year-found-after-forms": lambda tmp: [_no_year(tmp, "2023")],
    "no-year-anywhere": lambda tmp: [_no_year(tmp, None)],
    "year-in-second-file": lambda tmp: [_no_year(tmp, None), _no_year(tmp, "2023")],
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_streamed_import_writes_what_the_whole_declaration_gives(case, tmp_path):
    sources = CASES[case](tmp_path)
    whole = read_sources(sources)
    build_workbook(whole.declaration, tmp_path / "whole.xlsm")
    streamed = import_declarations(sources, tmp_path / "streamed.xlsm")
    assert streamed.findings == whole.findings
    assert streamed.declaration == whole.declaration.model_copy(update={"projects": []})
    assert (streamed.projects, streamed.indicators) == (len(whole.declaration.projects), whole.declaration.indicator_count)
    with zipfile.ZipFile(tmp_path / "whole.xlsm") as a, zipfile.ZipFile(tmp_path / "streamed.xlsm") as b:
        assert b.namelist() == a.namelist()
        assert [n for n in a.namelist() if a.read(n) != b.read(n)] == []


def test_one_project_alive_while_the_sheets_are_written(tmp_path):
    """200 projects (four part workbooks): when every 50th sheet is written, one Project lives."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    synth.write_tsv(synth.declaration(200), tmp_path / "d.tsv")
    alive: list[int] = []

    def projects() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is Project)

    before = projects()  # kept by other tests of this process

    def progress(done, total, what):
        if what == "写入项目表" and done % 50 == 49:
            alive.append(projects() - before)

    result = import_declarations([tmp_path / "d.tsv"], tmp_path / "d.xlsm", progress=progress)
    assert result.projects == 200
    assert alive == [1, 1, 1, 1]


def test_a_file_without_forms_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    empty = tmp_path / "empty.tsv"
    empty.write_text("只有一行字\n", encoding="utf-8")

    def never(*a, **k):
        raise AssertionError("written")

    monkeypatch.setattr("xltargets.workbook.build.write_projects", never)
    with pytest.raises(InputError, match="没有找到申报表"):
        import_declarations([EXAMPLE, empty], tmp_path / "out.xlsm")
    assert list(tmp_path.iterdir()) == [empty]


def test_too_many_projects_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    from xltargets.importing.limits import LIMITS

    def never(*a, **k):
        raise AssertionError("written")

    monkeypatch.setattr("xltargets.workbook.build.write_projects", never)
    monkeypatch.setitem(LIMITS, "sheets", 7)  # the example's 4 projects and a form: 5 + 2 sheets fit, 6 + 2 not
    with pytest.raises(WorkbookError, match="6 个项目需要 8 个工作表"):
        import_declarations([EXAMPLE, REAL / "anhui-chizhou-tangxi-2022-ziping.xlsx", REAL / "anhui-jinzhai-kaifaqu-2021-wuye.xlsx"],
                            tmp_path / "out.xlsm")
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_writing_leaves_nothing(tmp_path, monkeypatch):
    """A failure at the last project (after several part workbooks) leaves no output and no temporary file."""
    import xltargets.workbook.build as build

    real = build.layout_form
    calls = []

    def failing(t, project, **kw):
        calls.append(project.name)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return real(t, project, **kw)

    monkeypatch.setattr(build, "layout_form", failing)
    monkeypatch.setattr("xltargets.workbook.batched.BATCH", 2)
    with pytest.raises(RuntimeError):
        import_declarations([EXAMPLE], tmp_path / "out.xlsm")
    assert list(tmp_path.iterdir()) == []



READ_FILES = [EXAMPLE, *sorted(REAL.glob("*.xlsx")), REAL / "pdf" / "fuzhou-yibaoju-2026-budget.pdf"]


@pytest.mark.parametrize("path", READ_FILES, ids=[p.name for p in READ_FILES])
def test_rows_let_go_as_forms_are_read_give_the_same_projects(path):
    """A stream that lets each form's rows go once it is read (``import``'s) reads what one that
    keeps them reads; while the first project is handed out the last form's rows are still there,
    at the end every form's rows are gone."""
    from xltargets.importing import FormStream
    from xltargets.importing.sources import read_grids

    kept = FormStream(read_grids(path))
    expected = list(kept)
    grids = read_grids(path)
    stream = FormStream(grids, release=True)
    assert stream.count() == kept.count()

    def rows_of(span_index: int) -> list:
        return [grid.row(r) for grid, spans in zip(grids, stream._spans)  # noqa: SLF001 - this module's own
                for span in spans[span_index:][:1] for r in range(span.start, span.end)]

    got = []
    for project in stream:
        if not got and sum(map(len, stream._spans)) > 1:  # noqa: SLF001
            assert any(rows_of(-1))
        got.append(project)
    assert got == expected
    assert stream.findings == kept.findings
    assert not any(rows_of(0)) and not any(rows_of(-1))


def test_counting_a_large_grid_keeps_few_labelled_rows(tmp_path):
    """Counting the forms (the first pass over every row) does not keep each row's labelled cells:
    they are worked out again, form by form, as the forms are read."""
    from xltargets.importing import FormStream
    from xltargets.importing.sources import read_grids

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    synth.write_tsv(synth.declaration(40), tmp_path / "d.tsv")
    grid, = read_grids(tmp_path / "d.tsv")
    assert FormStream([grid]).count() == 40
    kept = grid.labelled_rows().kept()
    assert kept < grid.height // 10


def _held_when_writing_begins(source: Path, output: Path) -> int:
    """Bytes the Python heap holds (tracemalloc) once *source*'s forms are counted, as the first sheet is written."""
    import tracemalloc

    held: list[int] = []

    def progress(done, total, what):
        if what == "写入项目表" and done == 0:
            held.append(tracemalloc.get_traced_memory()[0])
            tracemalloc.stop()  # the writing is not measured: it runs at full speed

    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        import_declarations([source], output, progress=progress)
    finally:
        tracemalloc.stop()
    return held[0] - start


@pytest.mark.parametrize("kind", ["tsv", "xlsx"])
def test_import_does_not_hold_the_whole_grid_while_it_writes(tmp_path, kind):
    """Counting the forms and then reading them form by form holds the file's text (a TSV) or the
    reader process's answer (a workbook), ~2-4 KB a project, not its grid made whole (~12 KB a project:
    a list and a string a cell): what is held when writing begins grows by less than 8 KB a project.
    Measured by tracemalloc (bytes, not time), so load does not move it."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))

    def source(n: int) -> Path:
        decl = synth.declaration(n)
        if kind == "tsv":
            return synth.write_tsv(decl, tmp_path / f"d{n}.tsv")
        return build_workbook(decl, tmp_path / f"d{n}.xlsx")

    _held_when_writing_begins(source(5), tmp_path / "warm.xlsm")  # what is remembered once (templates, formats)
    small, large = (_held_when_writing_begins(source(n), tmp_path / f"o{n}.xlsm") for n in (20, 100))
    assert (large - small) / 80 < 8_000
