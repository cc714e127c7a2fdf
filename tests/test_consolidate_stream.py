"""The consolidation streamed file by file (``keep=False``, what ``xltargets consolidate`` runs):
the same findings as ``check`` of the same files, the same workbook as when the model is kept,
and nothing written when a later file fails."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from xltargets.errors import InputError
from xltargets.pipeline import check, check_sources, consolidate, read_sources


def _values(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def _whole(files):
    """The reference: every file read whole, then all its forms checked at once (``rules.check_declaration``)."""
    return check(read_sources(files))


def _folder(tmp_path, seed_path, copies):
    folder = tmp_path / "forms"
    folder.mkdir()
    for i in range(copies):
        # the same forms in several files: the names repeat across files (XLT-E048 names the other file)
        shutil.copy(seed_path, folder / f"{i}-{seed_path.name}")
    return folder


@pytest.mark.parametrize("copies", [1, 3], ids=["one-file", "three-files"])
def test_streamed_findings_and_workbook_are_the_kept_ones(tmp_path, seed_path, copies):
    folder = _folder(tmp_path, seed_path, copies)
    files = sorted(folder.iterdir())
    streamed = consolidate(files, tmp_path / "streamed.xlsx", keep=False, cwd=tmp_path)
    kept = consolidate(files, tmp_path / "kept.xlsx", cwd=tmp_path)
    assert streamed.findings == _whole(files).findings == kept.findings == check_sources(files).findings
    if copies > 1:
        assert any(f.code == "XLT-E048" and "文件“0-" in f.message for f in streamed.findings)
    assert streamed.declaration.projects == [] and len(kept.declaration.projects) == 4 * copies
    assert (streamed.projects, streamed.indicators) == (4 * copies, kept.declaration.indicator_count)
    assert streamed.totals == kept.totals and streamed.title == kept.title
    assert _values(tmp_path / "streamed.xlsx") == _values(tmp_path / "kept.xlsx")


def test_a_later_file_that_fails_leaves_nothing_written(tmp_path, seed_path):
    folder = _folder(tmp_path, seed_path, 2)
    (folder / "9-broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    out = tmp_path / "汇总表.xlsx"
    with pytest.raises(InputError):
        consolidate([folder], out, keep=False, cwd=tmp_path)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms"]


@pytest.mark.parametrize("keep", [False, True], ids=["streamed", "kept"])
def test_a_files_projects_are_let_go_before_the_next_is_read(tmp_path, seed_path, monkeypatch, keep):
    """Streamed, no project of an earlier file is alive (not even as cyclic garbage: a checked form
    lets go of its rows) when the next file is read; kept, they all are."""
    import gc

    import xltargets.importing.sources as sources
    from xltargets.model import Project

    alive = []
    grid_stream = sources.grid_stream

    def counting(path, *args, **kw):
        alive.append(sum(isinstance(o, Project) for o in gc.get_objects()))
        return grid_stream(path, *args, **kw)

    monkeypatch.setattr(sources, "grid_stream", counting)
    folder = _folder(tmp_path, seed_path, 3)
    made = consolidate([folder], tmp_path / "汇总表.xlsx", keep=keep, cwd=tmp_path)
    assert made.projects == 12
    base = alive[0]  # the importer's own prototypes
    assert [n - base for n in alive] == ([0, 0, 0] if not keep else [0, 4, 8])


# --------------------------------------------------------------------------- a file's forms in batches


def _seed_variant(seed_path, variant: str) -> str:
    """The seed 汇总表's text, changed so that the year or the names need the forms after a batch."""
    text = seed_path.read_text(encoding="utf-8")
    if variant in ("no-title", "title-without-year"):
        # the declaration's year is the first one a form states: the second form's 2023, which the first
        # form (no year of its own) must wait for
        title = "上海市计划生育协会2024年度项目绩效目标汇总表"
        text = text.replace(title, "" if variant == "no-title" else "上海市计划生育协会项目绩效目标汇总表", 1)
        text = text.replace("(2024年度)", "", 1).replace("(2024年度)", "(2023年度)", 1)
    elif variant == "same-names":
        text = text.replace("家庭健康促进及优生优育服务", "生殖健康咨询服务 ")  # XLT-E048 within the file
    return text


@pytest.mark.parametrize("batch", [1, 3, 100], ids=["batch-1", "batch-3", "batch-100"])
@pytest.mark.parametrize("variant", ["seed", "no-title", "title-without-year", "same-names"])
@pytest.mark.parametrize("copies", [1, 2], ids=["one-file", "two-files"])
def test_a_file_checked_in_batches_finds_what_check_finds(tmp_path, seed_path, monkeypatch, batch, variant, copies):
    """``consolidate`` checks a file's forms a batch at a time (``pipeline.CHECK_BATCH``), never the
    whole file at once: the findings are ``check``'s of the whole files, in the same order."""
    import xltargets.pipeline as pipeline
    import xltargets.rules as rules

    monkeypatch.setattr(pipeline, "CHECK_BATCH", batch)
    sizes = []
    check_projects = rules.check_projects

    def recording(projects, **kw):
        sizes.append(len(projects))
        return check_projects(projects, **kw)

    monkeypatch.setattr(rules, "check_projects", recording)
    folder = tmp_path / "forms"
    folder.mkdir()
    for k in range(copies):
        (folder / f"{k}.tsv").write_text(_seed_variant(seed_path, variant), encoding="utf-8")
    files = sorted(folder.iterdir())
    whole = _whole(files)
    streamed = consolidate(files, tmp_path / "streamed.xlsx", keep=False, cwd=tmp_path)
    assert streamed.findings == whole.findings
    assert sum(sizes) == 4 * copies and max(sizes) <= batch
    if batch == 1:
        assert len(sizes) == 4 * copies  # form by form
    # ``check`` goes the same way: batch by batch, its projects let go, the same findings and counts
    sizes.clear()
    checked = check_sources(files, keep=False)
    assert checked.findings == whole.findings and checked.declaration.projects == []
    assert (checked.projects, checked.indicators) == (whole.projects, whole.indicators)
    assert sum(sizes) == 4 * copies and max(sizes) <= batch
    if variant in ("no-title", "title-without-year"):
        assert whole.declaration.year == streamed.declaration.year == 2023
        # the first form, read before the year, is checked against 2023 (its dates are 2024's)
        assert any(f.code.startswith("XLT-W") and "2023" in f.message and f.project == "生殖健康咨询服务"
                   for f in streamed.findings)
    if variant == "same-names":
        assert [f.code for f in streamed.findings].count("XLT-E048") == 1 + 4 * (copies - 1)


def test_a_files_projects_are_let_go_batch_by_batch(tmp_path, seed_path, monkeypatch):
    """Streamed, a file's projects are checked, laid out and let go a batch at a time: when a batch
    is checked, the projects alive are that batch's (the file's forms are never all in memory)."""
    import gc

    import xltargets.pipeline as pipeline
    import xltargets.rules as rules
    from xltargets.model import Project

    base = sum(isinstance(o, Project) for o in gc.get_objects())  # the importer's own prototypes
    monkeypatch.setattr(pipeline, "CHECK_BATCH", 1)
    alive = []
    check_projects = rules.check_projects

    def counting(projects, **kw):
        alive.append(sum(isinstance(o, Project) for o in gc.get_objects()) - base)
        return check_projects(projects, **kw)

    monkeypatch.setattr(rules, "check_projects", counting)
    made = consolidate([seed_path], tmp_path / "汇总表.xlsx", keep=False, cwd=tmp_path)
    assert made.projects == 4
    # the first form waits for the second (whether a form is alone changes its label: Form.label)
    assert alive == [2, 1, 1, 1]
