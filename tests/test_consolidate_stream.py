"""The consolidation streamed file by file (``keep=False``, what ``xltargets consolidate`` runs):
the same findings as ``check`` of the same files, the same workbook as when the model is kept,
and nothing written when a later file fails."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from xltargets.errors import InputError
from xltargets.pipeline import check_sources, consolidate


def _values(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


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
    assert streamed.findings == check_sources(files).findings == kept.findings
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

    import xltargets.importing as importing
    from xltargets.model import Project

    alive = []
    read_path = importing.read_path

    def counting(path):
        alive.append(sum(isinstance(o, Project) for o in gc.get_objects()))
        return read_path(path)

    monkeypatch.setattr(importing, "read_path", counting)
    folder = _folder(tmp_path, seed_path, 3)
    made = consolidate([folder], tmp_path / "汇总表.xlsx", keep=keep, cwd=tmp_path)
    assert made.projects == 12
    base = alive[0]  # the importer's own prototypes
    assert [n - base for n in alive] == ([0, 0, 0] if not keep else [0, 4, 8])
