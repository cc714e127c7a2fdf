"""The add-in's own VBA, executed: LibreOffice Basic (VBA support mode) runs the shipped modules.

No Excel here, but LibreOffice runs VBA source. The modules the build puts
into xltargets.xlam (``RibbonXltargets`` and the generated ``XltargetsText``,
byte for byte) go into a plain macro workbook, LibreOffice converts it and
runs their procedures through UNO (tests/lo_basic.py, with the system
Python's ``uno``). xlwings' own module is left out: LibreOffice does not
compile its ``#If``/``Declare`` lines, and nothing of ours needs it here.

What runs for real: a UDF wrapper whose call into xlwings fails (here
``XLPy`` does not exist at all, as when the DLL cannot be loaded) returns the
error value 2015 (``#VALUE!``); ``XltText`` (every Chinese text decodes back),
``WriteAnswer`` (the answer file of 200 paths of 70 characters that Python
then reads and deletes), ``HexUtf16`` and ``TempFolder``, and the
declarations workbook's own ``FromHex``. What only Excel can show (the
ribbon, ``RunPython``, ``MacroOptions``) is in docs/addin.md, "在 Windows 上验证".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xltargets.addin import build_addin
from xltargets.addin.build import generate_udf_wrappers
from xltargets.addin.vbatext import TEXT_MODULE, texts
from xltargets.excel import ribbon
from xltargets.libreoffice import convert

pytestmark = pytest.mark.libreoffice

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = Path("/usr/bin/python3")


@pytest.fixture(scope="module")
def uno_python(soffice) -> str:
    """A Python that can ``import uno`` (Debian's python3-uno). Skips without it, fails under CI=true."""
    ok = SYSTEM_PYTHON.exists() and subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, timeout=60
    ).returncode == 0
    if not ok:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("python3-uno is required under CI=true but /usr/bin/python3 cannot import uno")
        pytest.skip("LibreOffice's Python bridge missing: apt-get install python3-uno")
    return str(SYSTEM_PYTHON)


def run_basic(python: str, document: Path, library: str, calls: list, tmp_path: Path, *, env: dict | None = None) -> list:
    spec = tmp_path / f"calls-{len(list(tmp_path.iterdir()))}.json"
    spec.write_text(json.dumps(calls, ensure_ascii=False), encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [python, str(HERE / "lo_basic.py"), str(document), library, str(spec)],
        capture_output=True, text=True, encoding="utf-8", timeout=300, env={**clean, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


#: test-only VBA: calls a UDF wrapper the way a cell would get its value, and describes what came back
PROBE = (
    'Attribute VB_Name = "Probe"\r\nOption Explicit\r\n\r\n'
    "Public Function CallRow() As String\r\n"
    "    Dim v As Variant\r\n"
    '    v = XLT_CHECK_ROW("产出指标", "数量指标", "培训人次", ">=100(人次)")\r\n'
    '    CallRow = CStr(IsError(v)) & "|" & CStr(VarType(v)) & "|" & CStr(CLng(v))\r\n'
    "End Function\r\n"
)
#: stands in for xlwings' GetConfig: the interpreter the config file names, as last set by SetInterpreter
XLWINGS_STUB = (
    'Attribute VB_Name = "xlwings"\r\nOption Explicit\r\nPrivate interpreter As String\r\n\r\n'
    "Public Function SetInterpreter(value As String) As String\r\n"
    "    interpreter = value\r\n"
    "    SetInterpreter = value\r\n"
    "End Function\r\n\r\n"
    'Public Function GetConfig(configKey As String, Optional default As String = "") As Variant\r\n'
    "    GetConfig = interpreter\r\n"
    "End Function\r\n"
)


@pytest.fixture(scope="module")
def addin_ods(tmp_path_factory, soffice) -> Path:
    """An ods whose Basic library holds the add-in's RibbonXltargets, XltargetsText and xlwings_udfs, and the probe."""
    from pyopenvba import ExcelFile

    folder = tmp_path_factory.mktemp("vba-lo")
    built = build_addin(folder / "xltargets.xlam")
    ExcelFile.create_new(folder / "empty.xlsm").close()
    with ExcelFile(folder / "empty.xlsm") as wb:
        project = wb.vba_project()
        for name in ("RibbonXltargets", TEXT_MODULE, "xlwings_udfs"):
            project.add_module(name, built.modules[name])
        project.add_module("Probe", PROBE)
        project.add_module("xlwings", XLWINGS_STUB)
        wb.save(folder / "modules.xlsm")
    return convert(folder / "modules.xlsm", "ods", folder / "out")


ANSWER = "\n".join(
    p + "x" * (70 - len(p))
    for p in (f"D:\\各单位申报表\\2025年度\\第{i:03d}个单位\\" + "项" * 30 + f"{i:03d}.xlsx" for i in range(200))
) + "\n😀 a'b\"c"
CHINESE_PATH = "C:\\Users\\张三\\AppData\\Local\\Temp\\x.txt"


@pytest.fixture(scope="module")
def session(uno_python, addin_ods, tmp_path_factory) -> dict:
    """Every call of these tests in ONE LibreOffice session (a start costs seconds); results by name."""
    folder = tmp_path_factory.mktemp("basic")
    temp = folder / "Temp 张三"
    temp.mkdir()
    python = folder / "张三" / "pythonw.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    interpreters = {"exists": str(python), "gone": f"{python}-gone", "not-recorded": "", "on-path": "pythonw"}
    keys = list(texts(generate_udf_wrappers().described)) + ["no_such_key"]
    named: list[tuple[str, list]] = [
        ("udf", ["Probe", "CallRow", []]),
        ("temp folder", ["RibbonXltargets", "TempFolder", []]),
        ("written", ["RibbonXltargets", "WriteAnswer", [ANSWER]]),
        ("hexed", ["RibbonXltargets", "HexUtf16", [CHINESE_PATH]]),
    ]
    for case, value in interpreters.items():
        named += [(f"set {case}", ["xlwings", "SetInterpreter", [value]]), (f"missing {case}", ["RibbonXltargets", "PythonMissing", []])]
    named += [(f"text {key}", [TEXT_MODULE, "XltText", [key]]) for key in keys]
    got = run_basic(uno_python, addin_ods, "VBAProject", [call for _n, call in named], folder, env={"TEMP": str(temp)})
    return {"temp": temp, **{name: result for (name, _c), result in zip(named, got)}}


def test_a_udf_whose_python_is_unreachable_returns_value_error(session):
    assert session["udf"] == {"ok": True, "result": "True|10|2015"}  # IsError, vbError, xlErrValue (#VALUE!)


@pytest.mark.parametrize("case, missing", [("exists", False), ("gone", True), ("not-recorded", False), ("on-path", False)])
def test_a_recorded_python_that_is_gone_is_noticed_before_running(session, case, missing):
    assert session[f"set {case}"]["ok"]
    assert session[f"missing {case}"] == {"ok": True, "result": missing}


def test_every_text_decodes_in_basic(session):
    expected = texts(generate_udf_wrappers().described)
    assert {key: session[f"text {key}"]["result"] for key in expected} == expected
    assert session["text no_such_key"] == {"ok": True, "result": ""}


def test_the_answer_file_basic_writes_is_what_python_reads(session, monkeypatch):
    temp = session["temp"]
    assert {len(p) for p in ANSWER.split("\n")[:200]} == {70}
    assert session["temp folder"] == {"ok": True, "result": f"{temp}{os.sep}"}
    assert session["written"]["ok"], session["written"]
    path = Path(session["written"]["result"])
    assert path.parent == temp and ribbon.ANSWER_FILE.fullmatch(path.name), path
    lines = path.read_text(encoding="ascii").splitlines()
    assert len("".join(lines)) == 4 * len(ANSWER.encode("utf-16-le")) // 2  # 4 hex digits a UTF-16 unit
    assert max(len(line) for line in lines) <= 1024 and len(lines) > 50

    seen = []
    monkeypatch.setattr(ribbon.adapter, "caller_book", lambda: "BOOK")
    monkeypatch.setattr(ribbon, "perform", lambda book, action, text: seen.append(text))
    ribbon.run("import", str(path).encode("utf-16-be").hex().upper())
    assert seen == [ANSWER]
    assert not path.exists()
    assert bytes.fromhex(session["hexed"]["result"]).decode("utf-16-be") == CHINESE_PATH


def test_the_declarations_workbooks_message_decodes_in_basic(uno_python, tmp_path, soffice):
    import re

    from test_addin_vba import olevba_modules

    workbook = HERE.parent / "declarations.xlsm"
    (digits,) = re.findall(r'MsgBox FromHex\("([0-9A-F]+)"\)', olevba_modules(workbook)["Xltargets"])
    ods = convert(workbook, "ods", tmp_path / "out")
    (got,) = run_basic(uno_python, ods, "VBAProject", [["Xltargets", "FromHex", [digits]]], tmp_path)
    assert got == {"ok": True, "result": "各项目工作表 G 列的检查单元格都没有发现问题。"}


if sys.platform.startswith("win"):  # pragma: no cover
    pytestmark = [pytestmark, pytest.mark.skip(reason="the Basic runner uses Debian's python3-uno")]
