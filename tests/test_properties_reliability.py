"""Property tests of issue 6 (hypothesis).

- random grids fed to the importer yield a declaration or a clean
  XltargetsError, never another exception; the rules and the JSON dump then
  run on whatever was imported without raising;
- random declarations survive declarations workbook → 汇总表 → import unchanged;
- randomly damaged files (bytes flipped, cut, zeroed) of every format are read
  or refused with an InputError, and never kill the process.

Examples: 1,000 per property under CI=true, fewer locally
(``XLTARGETS_EXAMPLES`` overrides both).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.harness import cli_env
from corpus.make_corpus import CLEAN, form, summary

from xltargets import framework as fw
from xltargets.cli.dump import declaration_json
from xltargets.errors import XltargetsError
from xltargets.importing import import_grid
from xltargets.importing.labels import ALL_LABELS

CI = os.environ.get("CI", "").lower() == "true"
EXAMPLES = int(os.environ.get("XLTARGETS_EXAMPLES", "1000" if CI else "80"))

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- random grids

LABELS = sorted(ALL_LABELS) + ["财政项目支出绩效目标申报表", "(2024年度)", "绩效指标", "项目 绩效 目标", "年度(/项目)指标值"]
NAMES = list(fw.LEVEL1) + list(fw.ALL_LEVEL2) + list(fw.QUALITATIVE_VALUES)
TRICKY = [
    "", " ", "\n", "=1+1", "+1", "-5", "@x", "#REF!", "#N/A", "TRUE", "0012", "1e5", "7.11世界人口日", "2024-13-01",
    "明年", "壹佰万", "1,000,00", "≥", ">=90%%", "=abc(个)", "≥" + "9" * 40 + "(个)", "=" + "1" * 30 + ".5(个)",
    "<p>文字</p>", "注：说明", "服务对象满意度 指标", "１２３", "\u200b", "\ufeff项目名称", "项目名称：", "𠀀𠀁",
    "x" * 5000, "=10.00(所)", "≥85.00(分)", "<100(百分比)", "及时", "1e400", "-0", "nan", "inf", "12:30", "1900-01-00",
]

cell_values = st.one_of(
    st.none(),
    st.sampled_from(LABELS),
    st.sampled_from(NAMES),
    st.sampled_from(TRICKY),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@st.composite
def random_grids(draw):
    return draw(st.lists(st.lists(cell_values, max_size=10), max_size=40))


@st.composite
def damaged_forms(draw):
    """A clean stacked 汇总表 grid with a few random edits: cells changed, rows dropped, duplicated, shifted."""
    grid = [list(r) for r in summary(CLEAN, form(name="第二个项目"))]
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["set", "set", "set", "drop", "dup", "shift", "cut", "blank"]))
        if not grid:
            break
        r = draw(st.integers(0, len(grid) - 1))
        if op == "set":
            c = draw(st.integers(0, 8))
            row = grid[r] + [None] * (c + 1 - len(grid[r]))
            row[c] = draw(cell_values)
            grid[r] = row
        elif op == "drop":
            del grid[r]
        elif op == "dup":
            grid.insert(r, list(grid[r]))
        elif op == "shift":
            grid[r] = [None] * draw(st.integers(1, 3)) + grid[r]
        elif op == "cut":
            grid[r] = grid[r][: draw(st.integers(0, 3))]
        else:
            grid.insert(r, [])
    return grid


def _import_and_check(values):
    """What `xltargets check` does with a grid; returns the declaration or None (clean refusal)."""
    from xltargets.rules import check_declaration

    try:
        result = import_grid(values, sheet="申报表", file="fuzz.xlsx")
    except XltargetsError as exc:
        assert exc.message and not exc.message.isascii(), exc.message  # a Chinese message
        return None
    decl = result.declaration
    findings = [*result.findings, *check_declaration(decl)]
    json.dumps(declaration_json(decl), ensure_ascii=False)
    json.dumps([f.as_json() for f in findings], ensure_ascii=False)
    return decl


@SETTINGS
@given(random_grids())
def test_random_grids_import_or_refuse_cleanly(values):
    _import_and_check(values)


@SETTINGS
@given(damaged_forms())
def test_damaged_forms_import_or_refuse_cleanly(values):
    decl = _import_and_check(values)
    if decl is not None:
        # nothing typed into an indicator row is dropped silently
        assert all(isinstance(p.name, str) for p in decl.projects)


# --------------------------------------------------------------------------- random declarations round trip


def test_declaration_survives_workbook_then_summary_then_import(tmp_path):
    """Random declarations → declarations workbook → 汇总表 → import: the same projects, field for field.

    The examples run in two child processes at once (tests/corpus/roundtrip.py),
    half each, so the 1,000 examples of CI use both cores; a failure prints
    hypothesis's shrunk falsifying example.
    """
    shards = 2
    per = max(EXAMPLES // shards, 10)
    procs = [
        subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve().parent / "corpus" / "roundtrip.py"), str(per)],
            cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for _ in range(shards)
    ]
    outputs = []
    for p in procs:
        out, _ = p.communicate(timeout=1800)
        outputs.append((p.returncode, out))
    for code, out in outputs:
        assert code == 0 and f"{per} examples passed" in out, out[-6000:]


# --------------------------------------------------------------------------- damaged files, in a child process

#: runs in a child process (a reader that aborts must fail this test, not kill pytest):
#: damages a clean file N times, reads each with the importer; prints the case before
#: reading it, so the last line names the one that killed it
_FUZZ = textwrap.dedent(
    r"""
    import random, struct, sys, zipfile
    from pathlib import Path
    sys.path.insert(0, sys.argv[5])
    from corpus import formats as fmt
    from xltargets.errors import XltargetsError
    from xltargets.importing import read_sources

    src, work, seed, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mode = sys.argv[6]
    rnd = random.Random(seed)
    TOKENS = [b'r="XFD1"', b'r="A1048576"', b' t="e"', b' t="s"', b"<v>99999</v>", b"<c>", b"</c>", b"<row>",
              b'state="hidden"', b"<is><t>", b'table:number-columns-repeated="3000"', b'office:value-type="float"',
              b"\xff\xfe", b"&amp;", b"&#0;", b"<!DOCTYPE x>"]

    def damage(data):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 6)):
            if not b:
                return b"x"
            p, k = rnd.randrange(len(b)), rnd.choice(["flip", "flip", "cut", "dup", "tok", "int"])
            if k == "flip":
                b[p] ^= 1 << rnd.randrange(8)
            elif k == "cut":
                del b[p:p + rnd.randint(1, 128)]
            elif k == "tok":
                b[p:p] = rnd.choice(TOKENS)
            elif k == "int" and p + 4 <= len(b):
                struct.pack_into("<I", b, p, rnd.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF, 65536]))
            else:
                q = rnd.randrange(len(b))
                b[p:p] = b[q:q + rnd.randint(1, 256)]
        return bytes(b) or b"x"

    data = src.read_bytes()
    if mode == "parts":
        with zipfile.ZipFile(src) as z:
            parts = [(i.filename, z.read(i)) for i in z.infolist()]
    elif mode == "biff":
        import olefile
        stream = olefile.OleFileIO(data).openstream("Workbook").read()
    for i in range(n):
        path = work / f"{i}{src.suffix}"
        if mode == "bytes":
            path.write_bytes(damage(data))
        elif mode == "parts":  # valid zip, damaged XML/BIFF12 inside
            j = rnd.randrange(len(parts))
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for k, (name, body) in enumerate(parts):
                    z.writestr(name, damage(body) if k == j else body)
        else:  # valid compound file, damaged BIFF8 records inside
            fmt.cfb(path, {"Workbook": damage(stream)})
        print(i, flush=True)
        try:
            read_sources([path])
        except XltargetsError:
            pass
        path.unlink()
    print("done", flush=True)
    """
)


@pytest.fixture(scope="module")
def clean_files(tmp_path_factory):
    from corpus import formats as fmt
    from corpus.make_corpus import write_tsv

    d = tmp_path_factory.mktemp("clean")
    grid = summary(CLEAN, form(name="第二个项目"))
    second = [["项目名称", "x", 1.5, True, fmt.Error("#REF!")]]
    out = {
        "xlsx": fmt.xlsx(d / "f.xlsx", [("申报表", grid), ("二", second)]),
        "xls": fmt.xls(d / "f.xls", [("申报表", grid), ("二", second)]),
        "xlsb": fmt.xlsb(d / "f.xlsb", [("申报表", grid), ("二", second)]),
        "ods": fmt.ods(d / "f.ods", [("申报表", grid), ("二", second)]),
    }
    write_tsv(d / "f.tsv", grid)
    out["tsv"] = d / "f.tsv"
    return out


@pytest.mark.parametrize(
    "kind, mode",
    [
        ("xlsx", "bytes"), ("xlsx", "parts"), ("xlsb", "parts"), ("ods", "parts"),
        ("xls", "bytes"), ("xls", "biff"), ("tsv", "bytes"),
    ],
)
def test_damaged_files_are_read_or_refused_never_crash(kind, mode, clean_files, tmp_path):
    """Random damage to each format: read, or an InputError; never another exception, never a dead process."""
    n = max(EXAMPLES, 40)
    proc = subprocess.run(
        [sys.executable, "-c", _FUZZ, str(clean_files[kind]), str(tmp_path), "6", str(n),
         str(Path(__file__).resolve().parent), mode],
        capture_output=True, text=True, env=cli_env(), timeout=900,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )
    last = proc.stdout.strip().splitlines()[-1:] or ["(nothing)"]
    assert proc.returncode == 0 and last == ["done"], (
        f"damaged {kind} ({mode}) #{last[0]} (seed 6) killed the reader: exit {proc.returncode}\n{proc.stderr[-3000:]}"
    )


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
