"""The reader process (xltargets.reader): python-calamine reads a user's workbook in one
long-lived child process with a memory cap and a time limit.

The bombs of the corpus are read here *without* the pre-scan (importing/guard.py),
straight through the reader process: each must give a clear InputError within a
bounded time and memory, and this process must go on reading.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import pytest

from corpus.make_corpus import build
from xltargets import reader
from xltargets.errors import InputError
from xltargets.importing.limits import LIMITS
from xltargets.importing.sources import open_workbook, sheet_grids

MEMORY = "读取时所需内存超过"
#: corpus bombs → what the user sees when the reader process alone stands between them and the machine
BOMBS = {
    "sparse-bomb.xlsx": MEMORY,  # A1 + XFD1048576: calamine allocates 17 billion cells when it opens the sheet
    "sheet-part-elsewhere.xlsx": MEMORY,
    "wide-bomb.xlsb": MEMORY,
    "sheet-record-first.xlsb": MEMORY,
    "repeat-bomb.ods": MEMORY,  # a row repeated 100,000 × 1,000
    "ods-beside-xlsx.ods": MEMORY,
    "dims-bomb.xls": MEMORY,  # calamine reserves from a forged DIMENSIONS record
    "orphan-workbook.xls": MEMORY,
    "cfb-fat-loop.xls": MEMORY,  # calamine follows a looping sector chain until memory runs out
    "biff-formula-cut.xls": "无法读取（文件结构异常）",  # a Rust panic, caught in the reader process
}
CLEAN = ["clean.xlsx", "clean.xls", "clean.xlsb", "clean.ods"]
BUDGET = 256 << 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    build(folder, [*BOMBS, *CLEAN])
    return folder


@pytest.fixture
def fresh():
    """A test starts and ends with no reader process."""
    reader.close()
    yield reader
    reader.close()


def _read(path):
    """The grids of *path* through the reader process alone: no pre-scan."""
    book, _ = open_workbook(path)
    return list(sheet_grids(path, book, {}))


def _pid() -> int:
    return reader._process().proc.pid


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@pytest.mark.skipif(os.name != "posix", reason="the cap here is RLIMIT_AS (POSIX); Windows uses a job object")
@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_past_the_pre_scan_is_refused_by_the_reader_process(name, corpus, fresh, monkeypatch):
    """Without the pre-scan, each bomb costs a reader process, never this one: a clear message within
    seconds, the reader process under its cap, this process's memory unchanged, the next file read."""
    monkeypatch.setitem(LIMITS, "reader_memory_bytes", BUDGET)
    _read(corpus / "clean.xlsx")  # the reader process started: what follows is the bomb's alone
    own, children, before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _children_peak_mb(), _pid()
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        _read(corpus / name)
    seconds = time.monotonic() - start
    said = info.value.one_line()
    assert BOMBS[name] in said and "Traceback" not in said and "panicked" not in said
    if BOMBS[name] == MEMORY:
        assert "256 MB" in said and "数据区域大得异常" in said
    if BOMBS[name] == MEMORY and name.endswith((".xlsx", ".xlsb")):  # calamine allocates when it opens the sheet
        assert "的工作表“申报表”读取时" in said, "the sheet being read is named"
    assert seconds < 30, f"{name}: {seconds:.1f} s"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - own < 50 * 1024, "this process grew"
    [grid] = _read(corpus / "clean.xlsx")  # and the next file is read
    assert grid.sheet == "申报表"
    if BOMBS[name] == MEMORY:
        assert _pid() != before, "a reader process that ran out of memory is not reused"
        if children < 300:  # no bigger child before (RUSAGE_CHILDREN keeps the largest ever reaped)
            assert _children_peak_mb() < 300 + 40, "the reader process went past its cap"


def test_one_reader_process_serves_many_files_and_is_replaced_after_a_killed_one(corpus, fresh):
    first = None
    for _ in range(3):
        for name in CLEAN:
            assert [g.sheet for g in _read(corpus / name)] == ["申报表"]
            first = first or _pid()
            assert _pid() == first, "a file started a new reader process"
    with pytest.raises(InputError, match="文件结构异常"):
        _read(corpus / "biff-formula-cut.xls")  # a panic: caught in the reader process, which goes on
    assert _pid() == first
    with pytest.raises(InputError, match=MEMORY):
        _read(corpus / "sparse-bomb.xlsx")  # an abort: the reader process is gone
    _read(corpus / "clean.xlsx")
    assert _pid() != first


def test_the_start_is_paid_once(corpus, fresh):
    """A reader process's start (an interpreter and python-calamine) is worth many small files:
    a folder of files pays it once. The figures are printed (docs/reliability.md quotes them)."""
    start = time.perf_counter()
    _read(corpus / "clean.xlsx")
    first = time.perf_counter() - start
    times = []
    for name in CLEAN * 5:
        start = time.perf_counter()
        _read(corpus / name)
        times.append(time.perf_counter() - start)
    each = sorted(times)[len(times) // 2]
    print(f"first file (with the start) {first * 1000:.0f} ms, then {each * 1000:.1f} ms a file")
    assert each < first


def test_the_reader_process_imports_no_more_than_it_uses():
    """Its start is paid by every process that reads a workbook (the 40-project check is mostly starts): the
    package's errors and typing (~15 % of its instructions, through ``xltargets/__init__``) stay out of it."""
    start = reader.command()[-1].replace("r.main()", "import xltargets.bookvalues, python_calamine; print(sorted(sys.modules))")
    loaded = subprocess.run([*reader.command()[:-1], start], capture_output=True, text=True, check=True).stdout
    assert "'xltargets.reader'" in loaded and "'python_calamine'" in loaded
    for needless in ("typing", "xltargets.errors", "decimal", "pydantic"):
        assert f"'{needless}'" not in loaded, needless


def test_threads_share_the_reader_and_a_bomb_harms_no_other_file(corpus, fresh):
    """The local service reads in several threads: they take turns with the one reader process, and a
    bomb that kills it while another thread waits costs that thread nothing but a fresh process."""
    import threading

    failures: list[str] = []

    def clean() -> None:
        for _ in range(10):
            for name in CLEAN:
                try:
                    assert [g.sheet for g in _read(corpus / name)] == ["申报表"]
                except Exception as exc:  # noqa: BLE001 - collected for the assertion below
                    failures.append(f"{name}: {exc}")

    def bombs() -> None:
        for _ in range(3):
            with pytest.raises(InputError, match=MEMORY):
                _read(corpus / "sparse-bomb.xlsx")

    threads = [threading.Thread(target=clean) for _ in range(3)] + [threading.Thread(target=bombs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures[:3]


def test_a_file_past_the_time_limit_is_stopped(corpus, fresh, monkeypatch):
    assert _read(corpus / "clean.xlsx")  # started: a time past the limit is the file's from now on
    monkeypatch.setitem(LIMITS, "read_seconds", 0.05)
    with pytest.raises(InputError, match="读取超过 0.05 秒的上限") as info:
        _read(corpus / "repeat-bomb.ods")
    assert "已损坏" in info.value.one_line()
    monkeypatch.setitem(LIMITS, "read_seconds", 60)
    assert _read(corpus / "clean.xlsx")


def test_a_reader_silent_from_its_start_is_not_told_as_a_broken_file(corpus, fresh, monkeypatch):
    """A reader process that never said it started (a machine too busy, a hung import) within the file's time: the
    file was never reached, so not «读取超过 60 秒的上限…文件结构异常或已损坏» (session 6's attack pass)."""
    monkeypatch.setattr(reader, "command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setitem(LIMITS, "read_seconds", 0.5)
    with pytest.raises(InputError, match="读取进程未能启动（未响应）") as info:
        _read(corpus / "clean.xlsx")
    assert "已损坏" not in info.value.one_line()


def test_a_reader_that_cannot_start_says_so(corpus, fresh, monkeypatch):
    monkeypatch.setattr(reader, "command", lambda: [sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(InputError, match="读取进程未能启动") as info:
        _read(corpus / "clean.xlsx")
    assert "重新安装" in info.value.one_line()


def test_the_corpus_zygote_owns_no_reader_when_it_forks():
    """The corpus harness forks its cases from a warm process (tests/corpus/zygote.py) that imports xltargets.cli
    and reads nothing: a fork never shares its parent's reader process (reader.py has no fork hook)."""
    code = "import sys, xltargets.cli; r = sys.modules.get('xltargets.reader'); print(r is None or r._current is None)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split()[-1] == "True", run.stderr


def test_what_a_library_prints_in_the_reader_process_reaches_no_frame(tmp_path, fresh, monkeypatch):
    """The child's fd 1 goes to the null device before anything is imported: Python's print and a raw write to
    fd 1 (a library's, a Rust panic's) leave the frames whole; the handler's return value is the last frame."""
    (tmp_path / "noisy.py").write_text("import os\n\ndef serve(request, send):\n    print('noise' * 10_000)\n"
                                       "    os.write(1, b'raw noise')\n    send('values', [])\n    return ('done', 7)\n")
    command = reader.command
    hook = f"sys.path.append({str(tmp_path)!r}); r._OPS['book'] = ('noisy', 'json'); r.main()"
    monkeypatch.setattr(reader, "command", lambda: [*command()[:-1], command()[-1].replace("r.main()", hook)])
    for _ in range(2):
        with reader.session({"op": "book", "memory": 1 << 30}) as receive:
            assert [receive(30), receive(30)] == [("values", []), ("done", 7)]


def test_the_ribbons_check_starts_no_reader(fresh, corpus):
    """The 校验 button reads cells through Excel (pipeline.check_sheets), never a file."""
    import openpyxl

    from xltargets.pipeline import check_sheets

    wb = openpyxl.load_workbook(corpus / "clean.xlsx")
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert check_sheets(sheets, file="clean.xlsx").projects == 1
    assert reader._current is None


def test_version_starts_no_reader():
    code = "import sys; from xltargets.cli.app import app; app(['--version']); print('xltargets.reader' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split()[-1] == "False", run.stderr


def test_a_host_embedding_python_is_not_started_as_the_reader(monkeypatch):
    """Under a host that embeds Python (sys.executable is the host, not python), the reader process is
    the interpreter of sys.exec_prefix, never a second copy of the host."""
    monkeypatch.setattr(sys, "executable", os.path.join(sys.exec_prefix, "EXCEL.EXE"))
    exe = reader.command()[0]
    assert os.path.basename(exe).lower().startswith("python") and exe.startswith(sys.exec_prefix)


@pytest.mark.parametrize(
    ("env", "written"),
    [pytest.param({"PYTHONDONTWRITEBYTECODE": "1"}, False, id="dont-write-bytecode"), pytest.param({}, True, id="default")],
)
def test_the_reader_writes_bytecode_only_where_its_parent_would(tmp_path, env, written):
    """``python -I`` ignores PYTHONDONTWRITEBYTECODE: the reader process gets ``-B`` (``-IB``) when its parent
    writes no bytecode, so it leaves no __pycache__ where the parent would leave none."""
    import shutil

    from openpyxl import Workbook

    src = tmp_path / "src"
    package = os.path.dirname(reader.__file__)  # the code under test
    shutil.copytree(package, src / "xltargets", ignore=shutil.ignore_patterns("__pycache__"))
    book = tmp_path / "申报表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(book)
    code = "from xltargets.pipeline import read_sources; import sys; read_sources([sys.argv[1]])"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    run = subprocess.run([sys.executable, "-c", code, str(book)], env={**clean, **env, "PYTHONPATH": str(src)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    cached = sorted(p.name for p in src.rglob("*.pyc"))
    assert any(name.startswith("bookvalues.") for name in cached) == written, cached
    if not written:
        assert cached == []  # the parent wrote none (the environment), and the child none either


def test_the_windows_cap_is_set_as_documented_with_a_stand_in_win32job(monkeypatch):
    """The calls cap_memory makes where there is no RLIMIT_AS (Windows), against stand-ins for pywin32's
    modules (this is no Windows): one job made and entered once; each file its process memory limit; a
    failure, or no pywin32, leaves the reader process uncapped but reading (no error)."""
    import types

    calls = []
    job = types.ModuleType("win32job")
    job.JobObjectExtendedLimitInformation, job.JOB_OBJECT_LIMIT_PROCESS_MEMORY = 9, 0x100
    job.CreateJobObject = lambda attributes, name: calls.append(("create", attributes, name)) or "job"
    job.AssignProcessToJobObject = lambda handle, process: calls.append(("assign", handle, process))
    job.QueryInformationJobObject = lambda handle, kind: {"BasicLimitInformation": {"LimitFlags": 0x2000},
                                                          "ProcessMemoryLimit": 0, "JobMemoryLimit": 0}

    def set_information(handle, kind, info):
        calls.append(("set", handle, kind, info["BasicLimitInformation"]["LimitFlags"], info["ProcessMemoryLimit"]))

    job.SetInformationJobObject = set_information
    api = types.ModuleType("win32api")
    api.GetCurrentProcess = lambda: -1  # the pseudo-handle
    monkeypatch.setitem(sys.modules, "resource", None)  # an import error: no RLIMIT_AS, as on Windows
    monkeypatch.setattr(reader, "_job", [])
    assert reader.cap_memory(1 << 30) is None and not calls  # no pywin32 here: uncapped, silently
    stand_ins = {"pywin32_bootstrap": types.ModuleType("pywin32_bootstrap"), "win32api": api, "win32job": job}
    for name, module in stand_ins.items():
        monkeypatch.setitem(sys.modules, name, module)
    reader.cap_memory(1 << 30)
    reader.cap_memory(256 << 20)
    assert calls == [
        ("create", None, ""),
        ("assign", "job", -1),
        ("set", "job", 9, 0x2100, 1 << 30),  # the job's other limits kept, the process memory limit added
        ("set", "job", 9, 0x2100, 256 << 20),
    ]
    job.SetInformationJobObject = lambda *args: 1 / 0
    assert reader.cap_memory(1 << 30) is None


@pytest.mark.parametrize("module", ["pickle", "struct", "threading"])
def test_a_users_folder_on_the_path_shadows_no_standard_module_in_the_reader(corpus, fresh, tmp_path, monkeypatch, module):
    """xlwings puts the workbook's folder on ``sys.path``; a user's ``pickle.py`` (or any script named like a
    standard module) there must not be what the reader process imports: its path puts the standard library
    first, then this package, then this process's path in order."""
    folder = tmp_path / "我的文档"
    folder.mkdir()
    (folder / f"{module}.py").write_text("raise ImportError('a user script, not the standard module')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    assert [g.sheet for g in _read(corpus / "clean.xlsx")] == ["申报表"]


def test_a_long_path_of_folders_that_do_not_exist_does_not_stop_the_reader(corpus, fresh, monkeypatch):
    """The child's path is written into its command (Windows: at most 32,767 characters; Linux: 128 kB an argument):
    a path of 1,600 entries that do not exist (a host's settings, a moved install) made it too long to start
    («读取进程未能启动：Argument list too long»); only entries that exist are written (session 6's attack pass)."""
    monkeypatch.setattr(sys, "path", [*sys.path, *(f"/nonexistent/{'x' * 80}{i}" for i in range(1600))])
    assert len(" ".join(reader.command())) < 32_767
    assert [g.sheet for g in _read(corpus / "clean.xlsx")] == ["申报表"]


def test_a_path_with_quotes_backslashes_and_chinese_is_written_into_the_command_intact(corpus, fresh, tmp_path, monkeypatch):
    """The child's path is a Python literal in its ``-c`` command: a folder named with both quotes, a backslash, a
    line break and Chinese reaches the child as it is (a quoting slip would be a SyntaxError: «读取进程未能启动»)."""
    folder = tmp_path / "路径 'q\"\\x\n"
    folder.mkdir()
    (folder / "marker_module_xyz.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    code = reader.command()[-1]
    assert str(folder) in eval(code.split("sys.path += ", 1)[1].split("; import", 1)[0])  # noqa: S307 - our own literal
    assert [g.sheet for g in _read(corpus / "clean.xlsx")] == ["申报表"]
