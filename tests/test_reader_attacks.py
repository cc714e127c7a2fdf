"""Attacks on the reader process (xltargets.reader, xltargets.bookvalues) that its own tests
(tests/test_reader_process.py) do not try: what a small crafted workbook can make the reader
process and the parent hold, and the message when the memory cap is hit inside python-calamine.

Each file is a few kB: one shared string of 32,000 characters that every cell of the sheet
references. calamine hands each cell its own copy, so the values of the answer are
cells × 32,000 characters, whatever the file's size. Each test runs one reading in a fresh
interpreter and reads its peak memory (``VmHWM``: ``ru_maxrss`` would keep the peak of the pytest
process that started it) and the reader process's.

The three gaps this file first pinned as strict xfails are closed (reader.py, bookvalues.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import formats as fmt

pytestmark = pytest.mark.skipif(os.name != "posix", reason="measured with RLIMIT_AS and ru_maxrss (POSIX)")

ROOT = Path(__file__).resolve().parent.parent
_PROBE = r"""
import json, resource, sys
from pathlib import Path
from xltargets import reader
from xltargets.errors import XltargetsError
from xltargets.pipeline import check_sources

message = ""
for _ in range(int(sys.argv[2])):
    try:
        check_sources([Path(sys.argv[1])])
    except XltargetsError as exc:
        message = exc.one_line()
try:  # a reader process that ran out of memory is gone
    status = open(f"/proc/{reader._current.proc.pid}/status").read()
    rss = int(status.split("VmRSS:")[1].split()[0]) // 1024
except (AttributeError, FileNotFoundError):
    rss = 0
reader.close()
# this process's own peak: VmHWM starts afresh at exec; ru_maxrss does not (it keeps the peak of the
# process that started it, e.g. a whole test session's pytest, 392 MB)
try:
    peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024
except OSError:  # no /proc (macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 2**20
print(json.dumps({"message": message, "parent_mb": peak,
                  "reader_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "reader_rss_after_mb": rss}))
"""


def _shared_string_bomb(path: Path, cells: int, char: str) -> Path:
    """A workbook whose *cells* cells all reference one shared string of 32,000 *char*."""
    row = "".join(f'<c r="{c}{{r}}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
    rows = "".join(f'<row r="{r}">{row.format(r=r)}</row>' for r in range(1, cells // 10 + 1))
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{fmt._NS}"><sheetData>{rows}</sheetData></worksheet>'
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{fmt._NS}" count="1" uniqueCount="1"><si><t>{char * 32000}</t></si></sst>'
    return fmt.xlsx(path, [("申报表", sheet)], shared_strings=sst)


def _probe(path: Path, times: int = 1) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(times)], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _refused_within(path: Path, message: str, limit: int) -> bool:
    """*path* is refused by ``classify`` with *message*, tracing less than *limit* bytes at the peak."""
    import tracemalloc

    from xltargets.errors import InputError
    from xltargets.importing.sources import classify

    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=message):
            classify(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, peak
    return True


def test_a_small_file_cannot_make_the_parent_hold_hundreds_of_megabytes(tmp_path):
    """8,000 cells × 32,000 characters: the reader process makes 256 M characters of values (748 MB, under its
    cap); the parent held them all (521 MB for a 40 kB file) until the values a workbook may send were bounded
    (``values_bytes``, 64 MB pickled, checked in the reader process before a sheet is sent)."""
    path = _shared_string_bomb(tmp_path / "shared.xlsx", 8000, "a")
    assert path.stat().st_size < 100_000
    got = _probe(path)
    assert got["parent_mb"] < 200, got
    # refused in the reader process: past values_bytes, or (its values and their pickle near 1 GB) past its cap
    assert "单元格内容共超过 64 MB" in got["message"] or "读取时所需内存超过" in got["message"], got


def test_the_memory_cap_hit_inside_to_python_says_memory(tmp_path):
    """10,000 cells × 32,000 Chinese characters (640 MB of values): under the 1 GB cap python-calamine's
    ``to_python`` fails to allocate a string and pyo3 panics ('PyObject pointer is null'); bookvalues.py
    reads that panic as the MemoryError it is, so the user gets the memory message (the cause and the fix),
    not “文件结构异常”."""
    got = _probe(_shared_string_bomb(tmp_path / "shared.xlsx", 10_000, "培"))
    assert "读取时所需内存超过" in got["message"], got


def test_the_reader_process_gives_back_what_a_large_file_took(tmp_path):
    """After 8,000 × 32,000 characters the reader process stayed at ~266 MB resident for the life of the
    parent (the WPS service and Excel keep one all day), and each request's cap, its size then + 1 GB, moved
    up by what the last file left. Now it trims glibc's heap before it answers (~15 MB after), and the cap
    counts from its size at its first request."""
    got = _probe(_shared_string_bomb(tmp_path / "shared.xlsx", 8000, "a"), times=2)
    assert got["reader_rss_after_mb"] < 120, got


def test_a_workbook_of_many_long_distinct_strings_reads(tmp_path):
    """Held: what a legitimate large workbook of long texts makes is read (the bound the gaps above ask for
    must not refuse it): 400 cells of 20,000 different characters each, 8 M characters in all."""
    rows = []
    for r in range(1, 41):
        rows.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{(c * 20000)}</t></is></c>' for c in "ABCDEFGHIJ") + "</row>")
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{fmt._NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    got = _probe(fmt.xlsx(tmp_path / "long.xlsx", [("申报表", sheet)]))
    assert "没有找到申报表" in got["message"], got  # read whole, then no form in it


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONWARNINGS": "error"},
        {"PYTHONSTARTUP": "/nonexistent/startup.py"},
        {"PYTHONDEVMODE": "1"},
        {"PYTHONMALLOC": "debug"},
        {"PYTHONSAFEPATH": "1", "PYTHONNOUSERSITE": "1"},
        {"PYTHONVERBOSE": "1"},
    ],
    ids=lambda env: "+".join(env),
)
def test_the_reader_process_reads_under_the_users_python_settings(tmp_path, env):
    """Tried, held: the reader process inherits the environment; warnings as errors, a startup file,
    development mode, the debug allocator or verbose imports (on stderr, the null device there) change
    nothing of what is read."""
    from corpus.make_corpus import CLEAN, summary

    path = fmt.xlsx(tmp_path / "clean.xlsx", [("申报表", summary(CLEAN))])
    run = subprocess.run(
        [sys.executable, "-m", "xltargets", "check", str(path)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0 and "共 1 个项目、6 条绩效指标；错误 0 条" in run.stdout, run.stdout + run.stderr[-2000:]


def test_a_large_part_is_checked_without_holding_it_whole(tmp_path):
    """A 5 MB xlsx whose hidden sheet part inflates to 200 MB (a comment of 190 MB after its cells): the
    parent peaked at 401 MB (measured) while it checked the part whole, though the reader process never reads
    a hidden sheet's values. Each member is now checked 1 MB at a time (CRC, the DTD search over a window) and
    only the parts the error cells want are held: 36 MB."""
    from corpus.make_corpus import CLEAN, summary

    body = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 90_001))  # within the row limit: the hidden sheet is measured
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{fmt._NS}"><sheetData>{body}</sheetData><!-- {"x" * 190_000_000} --></worksheet>'
    path = fmt.xlsx(tmp_path / "big.xlsx", [("申报表", summary(CLEAN)), ("隐藏", sheet)], states={"隐藏": "hidden"})
    del sheet
    got = _probe(path)
    assert got["message"] == "" and got["parent_mb"] < 200, got


def test_a_zip_of_a_hundred_thousand_members_is_refused_before_they_are_listed(tmp_path):
    """The member limit is 10,000; zipfile.ZipFile lists every member first: an 86 MB zip of a million
    empty members took 566 MB and 6.3 s CPU in this process before its refusal (measured), which said
    “不是 Excel 工作簿” rather than naming the count. The end-of-central-directory record gives the count
    before anything is listed."""
    import zipfile

    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        for i in range(100_000):
            z.writestr(zipfile.ZipInfo(f"{i:x}"), b"")
    assert _refused_within(path, "含有 100001 个部件，超过 10000 个的上限", 16 << 20)
    # a count that lies (one member): zipfile lists what the directory holds, so its size is bounded too
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\x01\x00\x01\x00"
    zip64 = data.rfind(b"PK\x06\x06")  # 100,001 members: zipfile wrote the ZIP64 end record
    data[zip64 + 24 : zip64 + 40] = (1).to_bytes(8, "little") * 2
    path.write_bytes(bytes(data))
    assert _refused_within(path, "的部件目录有 .* 字节，超过 10000 个部件应有的大小", 16 << 20)


@pytest.mark.parametrize("verb", ["new", "normalize"])
def test_a_hidden_sheet_past_the_limits_is_refused_before_openpyxl_loads_it(tmp_path, monkeypatch, capsys, verb):
    """The reading-safety pre-scan measured every sheet; the reader process measures the visible ones only.
    ``new BOOK --name`` and ``normalize`` then open the whole workbook with openpyxl here: a 4 MB workbook
    whose hidden sheet holds 2 million cells took 966 MB and 163 s (wall, loaded machine) in ``new``
    (measured). Shown here with the file limit lowered to 1,000 cells and a hidden sheet of 2,000."""
    from corpus.formats import col_name
    from corpus.make_corpus import CLEAN, summary
    from xltargets.cli import main
    from xltargets.importing import limits

    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{col_name(c)}{r}"><v>1</v></c>' for c in range(20)) + "</row>" for r in range(1, 101))
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{fmt._NS}"><sheetData>{body}</sheetData></worksheet>'
    book = fmt.xlsx(tmp_path / "book.xlsx", [("申报表", summary(CLEAN)), ("隐藏", sheet)], states={"隐藏": "hidden"})
    monkeypatch.setitem(limits.LIMITS, "total_cells", 1000)
    argv = {"new": ["new", book, "--name", "新项目"], "normalize": ["normalize", book, "-o", tmp_path / "out.xlsx"]}[verb]
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in argv])
    printed = capsys.readouterr()
    assert exit_.value.code == 2, printed.out + printed.err
