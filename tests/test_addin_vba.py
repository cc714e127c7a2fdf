"""The VBA the add-in runs, read back with oletools' olevba and checked as text (issue 13 points 3–5).

Nothing here runs Excel. What is checked is the VBA text we generate and
ship, the way Excel will see it: every entry point Excel calls handles its
own errors, the UDF wrappers return an error value (never text) when Python
is unreachable, the Chinese texts decode back exactly, the user's answer
never goes on a command line, and the Python side reads an answer file
written the way the VBA writes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xltargets.addin import build_addin
from xltargets.addin.build import generate_udf_wrappers
from xltargets.addin.sources import default_source_dir, onaction_targets, onload_target
from xltargets.addin.vbatext import MESSAGES, TEXT_MODULE, texts
from xltargets.excel import ribbon

CMD_LIMIT = 8191  # cmd.exe's command line, in characters


def olevba_modules(path: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def vba(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("vba") / "xltargets.xlam"
    build_addin(out)
    return olevba_modules(out)


@pytest.fixture(scope="module")
def described():
    return generate_udf_wrappers().described


def procedures(source: str) -> dict[str, str]:
    """``{name: body}`` of every Sub/Function of a module."""
    out = {}
    pattern = re.compile(r"^(?:(?:Public|Private) )?(Sub|Function) (\w+)\((.*?)\).*?$(.*?)^End \1", re.M | re.S)
    for m in pattern.finditer(source):
        out[m.group(2)] = m.group(4)
    return out


def first_statement(body: str) -> str:
    for line in body.replace("\r", "").split("\n"):
        line = line.strip()
        if line and not line.startswith(("'", "Dim ")):
            return line
    return ""


# -- point 5: the worksheet functions -----------------------------------------------------------


def test_every_udf_wrapper_sets_its_error_handler_first_and_returns_an_error_value(vba):
    funcs = procedures(vba["xlwings_udfs"])
    assert sorted(funcs) == ["XLT_CHECK_FUNDS", "XLT_CHECK_ROW", "XLT_CHECK_TABLE", "XLT_PARSE_VALUE"]
    for name, body in funcs.items():
        assert first_statement(body) == "On Error GoTo failed", name
        handler = body.split("\nfailed:", 1)[1]
        assert re.fullmatch(rf"\s*{name} = CVErr\(xlErrValue\)\s*", handler), (name, handler)
    assert "Err.Description" not in vba["xlwings_udfs"]


def test_the_check_cells_fall_back_on_an_error_value():
    """The template's check cells wrap the UDF in IFERROR: an error value shows the native check."""
    from openpyxl import load_workbook

    wb = load_workbook(Path(__file__).resolve().parents[1] / "declarations.xlsm")
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "XLT_" in c.value]
    assert len(cells) > 20 and all(v.startswith("=IFERROR(XLT_") for v in cells)


def test_texts_decode_back_exactly(vba, described):
    source = vba[TEXT_MODULE]
    found: dict[str, str] = {}
    for case in re.split(r'^    Case "', source, flags=re.M)[1:]:
        key, rest = case.split('"', 1)
        digits = "".join(re.findall(r'^        h = (?:h & )?"([0-9A-F]*)"', rest.split("End Select")[0], flags=re.M))
        found[key] = bytes.fromhex(digits).decode("utf-16-be")
    assert found == texts(described)
    assert found["no_workbook"] == MESSAGES["no_workbook"] and "打开" in found["no_workbook"]
    source.encode("ascii")
    assert max(len(line) for line in source.split("\r\n")) < 1023  # VBA's line limit


def test_every_function_and_argument_has_a_chinese_description(described, vba):
    wrappers = procedures(vba["xlwings_udfs"])
    for func in described:
        assert re.search(r"[\u4e00-\u9fff]", func["description"]) and len(func["description"]) <= 255, func["name"]
        assert func["category"] == "绩效目标"
        header = re.search(rf"^Function {func['name']}\((.*)\)\r?$", vba["xlwings_udfs"], flags=re.M).group(1)
        assert [a["name"] for a in func["args"]] == [p.replace("Optional ", "").strip() for p in header.split(",")]
        for arg in func["args"]:
            assert re.search(r"[\u4e00-\u9fff]", arg["doc"]) and len(arg["doc"]) <= 255, (func["name"], arg)
    assert set(wrappers) == {f["name"] for f in described}


def test_register_functions_calls_macro_options_once_per_udf(vba, described):
    body = procedures(vba[TEXT_MODULE])["RegisterFunctions"]
    assert first_statement(body) == "On Error Resume Next"
    calls = re.findall(r"Application\.MacroOptions Macro:=.*?!(\w+)\", .*ArgumentDescriptions:=Array\((.*)\)", body)
    assert {name: args.count("XltText(") for name, args in calls} == {f["name"]: len(f["args"]) for f in described}


def test_the_ribbon_registers_the_descriptions_when_it_loads(vba):
    ui = (default_source_dir() / "customUI.xml").read_bytes()
    assert onload_target(ui) == ("RibbonXltargets", "OnRibbonLoad")
    body = procedures(vba["RibbonXltargets"])["OnRibbonLoad"]
    assert first_statement(body) == "On Error Resume Next" and "RegisterFunctions" in body


# -- point 4: no Excel error dialog -------------------------------------------------------------


def test_every_entry_point_excel_calls_handles_its_errors(vba):
    ui = (default_source_dir() / "customUI.xml").read_bytes()
    entry = {sub for _m, sub in onaction_targets(ui)} | {"OnRibbonLoad"}
    subs = procedures(vba["RibbonXltargets"])
    for name in entry:
        assert first_statement(subs[name]).startswith("On Error"), name
    for module in ("RibbonXltargets", TEXT_MODULE):  # every public procedure Excel or a cell may call
        for name, body in procedures(vba[module]).items():
            scope = re.search(rf"^(Public |Private )?(Sub|Function) {name}\(", vba[module], flags=re.M).group(1)
            if scope != "Private " and name != "XltText":  # XltText: a Select Case, nothing can fail
                assert first_statement(body).startswith("On Error"), (module, name)


def test_our_modules_declare_no_dll_and_reach_xlwings_only_under_a_handler(vba):
    """DLL calls stay in xlwings' own module; ours reach it through RunPython/XLPy inside error handling."""
    for module in ("RibbonXltargets", TEXT_MODULE, "xlwings_udfs"):
        assert not re.search(r"^\s*(Private |Public )?Declare ", vba[module], flags=re.M), module
    for module in ("RibbonXltargets", "xlwings_udfs"):
        for name, body in procedures(vba[module]).items():
            if "RunPython" in body or "XLPy." in body:
                assert first_statement(body).startswith("On Error GoTo"), (module, name)


def test_no_open_workbook_is_answered_before_python_runs(vba):
    body = procedures(vba["RibbonXltargets"])["OnAction"]
    guard = body.index("If ActiveWorkbook Is Nothing Then")
    assert guard < body.index("RunPython") and guard < body.index("AskUser(")
    assert 'XltText("no_workbook")' in body[guard:body.index("RunPython")]
    python = body.index("If PythonMissing() Then")
    assert guard < python < body.index("RunPython") and 'XltText("no_python")' in body[python:body.index("RunPython")]
    assert 'MsgBox XltText("vba_error")' in body.split("Failed:", 1)[1]


# -- point 3: no command-line limit -------------------------------------------------------------


def test_only_the_answer_files_path_goes_on_the_command_line(vba):
    body = procedures(vba["RibbonXltargets"])["OnAction"]
    (call,) = re.findall(r"^\s*RunPython (.*)$", body, flags=re.M)
    variables = set(re.findall(r"\b(parts\(0\)|HexUtf16\(\w+\)|answer\w*)", call))
    assert variables == {"parts(0)", "HexUtf16(answerFile)"}
    assert "answerFile = WriteAnswer(answer)" in body
    assert "DeleteAnswer answerFile" in body.split("Failed:")[0] and "DeleteAnswer answerFile" in body.split("Failed:")[1]
    writer = procedures(vba["RibbonXltargets"])["WriteAnswer"]
    assert 'TempFolder() & "xltargets-answer-"' in writer and "Print #f, line" in writer
    assert "If Len(line) >= 1024 Then" in writer  # no string grows with the answer


def vba_write_answer(folder: Path, answer: str, stamp: str = "43200", rnd: str = "123456789") -> Path:
    """What RibbonXltargets.WriteAnswer writes on Windows: 4 hex digits a UTF-16 unit, CRLF after 1,024 digits."""
    path = folder / f"xltargets-answer-{stamp}-{rnd}.txt"
    digits = vba_hex(answer)
    lines = [digits[i : i + 1024] for i in range(0, len(digits), 1024)] or [""]
    path.write_bytes("".join(line + "\r\n" for line in lines).encode("ascii"))
    return path


def vba_hex(text: str) -> str:
    units = text.encode("utf-16-le")
    return "".join(f"{int.from_bytes(units[i:i + 2], 'little'):04X}" for i in range(0, len(units), 2))


def xlwings_command_line(python_command: str, *, python: str, workbook: str, pythonpath: str) -> str:
    """The line xlwings' ExecuteWindows gives cmd.exe (xlwings_custom_addin.bas), for a length bound."""
    python_dir = python.rsplit("\\", 1)[0]
    run = f'"{python}" -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(\\"{pythonpath}\\"); {python_command}" '
    drive = f'{python[:2]} & cd "{python_dir}" & '
    tail = f' --wb="{workbook.rsplit(chr(92), 1)[-1]}" --from_xl=1 --app="C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" --hwnd="1234567"'
    log = f' 2> "C:\\Users\\张三\\AppData\\Local\\Temp\\xlwings-{"0" * 36}.log" '
    return "cmd.exe /C " + drive + run + tail + log


def test_two_hundred_long_paths_travel_whole_and_the_command_line_stays_short(tmp_path, monkeypatch):
    folder = tmp_path / "answers"
    folder.mkdir()
    paths = [f"D:\\各单位申报表\\2025年度\\第{i:03d}个单位的项目绩效目标申报表（已审核）\\" + "申" * 8 + f"{i:03d}.xlsx" for i in range(200)]
    paths = [p + "x" * (70 - len(p)) if len(p) < 70 else p for p in paths]
    assert {len(p) for p in paths} == {70}
    answer = "\n".join(paths)
    answer_file = vba_write_answer(folder, answer)

    seen = []
    monkeypatch.setattr(ribbon.adapter, "caller_book", lambda: "BOOK")
    monkeypatch.setattr(ribbon, "perform", lambda book, action, text: seen.append((book, action, text)))
    file_hex = vba_hex(str(answer_file))
    ribbon.run("import", file_hex)
    assert seen == [("BOOK", "import", answer)]
    assert not answer_file.exists()

    workbook = "C:\\Users\\张三\\Documents\\" + "很长的文件夹名称" * 20 + "\\申报表.xlsm"  # Excel's longest: 218
    python = "C:\\Users\\张三\\AppData\\Local\\Programs\\Python\\Python311\\pythonw.exe"
    pythonpath = f"true;{workbook};C:\\Users\\张三\\AppData\\Roaming\\Microsoft\\Excel\\XLSTART\\xltargets.xlam;;;;"
    temp_260 = "C:\\" + "t" * 220 + "\\xltargets-answer-86399-123456789.txt"  # beyond MAX_PATH
    now = f"import xltargets.excel.ribbon as r; r.run('import', '{vba_hex(temp_260)}')"
    line = xlwings_command_line(now, python=python, workbook=workbook, pythonpath=pythonpath)
    assert len(line) < CMD_LIMIT
    before = f"import xltargets.excel.ribbon as r; r.run('import', '{vba_hex(answer)}')"  # the old way
    assert len(xlwings_command_line(before, python=python, workbook=workbook, pythonpath=pythonpath)) > CMD_LIMIT


@pytest.mark.parametrize("name", ["declarations.xlsm", "xltargets-answer-1.txt", "xltargets-answer-43200-1.txt.bak"])
def test_only_answer_files_are_read_or_deleted(tmp_path, name):
    victim = tmp_path / name
    victim.write_text("0041", encoding="ascii")
    with pytest.raises(ribbon.InputError):
        ribbon.read_answer(vba_hex(str(victim)))
    assert victim.exists()


def test_an_unreadable_answer_file_is_a_message(tmp_path, monkeypatch):
    alerts = []

    class App:
        def alert(self, text, title=None):
            alerts.append(text)

    class Book:
        app = App()

    monkeypatch.setattr(ribbon.adapter, "caller_book", lambda: Book())
    monkeypatch.setattr(ribbon, "perform", lambda *a: pytest.fail("must not run"))
    missing = tmp_path / "xltargets-answer-43200-1.txt"
    ribbon.run("import", vba_hex(str(missing)))
    assert len(alerts) == 1 and "读不出" in alerts[0] and "处理办法" in alerts[0]


def test_without_a_workbook_python_says_so_and_deletes_the_answer(tmp_path, monkeypatch, capsys):
    answer_file = vba_write_answer(tmp_path, "项目")

    def no_book():
        raise RuntimeError("no workbook")

    monkeypatch.setattr(ribbon.adapter, "caller_book", no_book)
    ribbon.run("new_project", vba_hex(str(answer_file)))
    assert "没有打开的工作簿" in capsys.readouterr().err
    assert not answer_file.exists()



def test_the_declarations_workbooks_own_macro_speaks_chinese():
    """declarations.xlsm's GoToFirstProblem: its message box is Chinese, read back by olevba."""
    modules = olevba_modules(Path(__file__).resolve().parents[1] / "declarations.xlsm")
    source = modules["Xltargets"]
    assert "No problems found" not in source
    (digits,) = re.findall(r'MsgBox FromHex\("([0-9A-F]+)"\)', source)
    text = bytes.fromhex(digits).decode("utf-16-be")
    assert text == "各项目工作表 G 列的检查单元格都没有发现问题。"
    assert "Private Function FromHex(" in source
    assert not [line for line in source.splitlines() if "MsgBox" in line and re.search(r'MsgBox "[A-Za-z]', line)]
