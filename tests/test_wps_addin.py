"""The WPS add-in (addin/wps/): its ribbon against the CustomUI schema, its callbacks, its JS tests.

The JS itself is tested by ``node --test tests/wps/addin.test.js`` (a fake ET Application);
this module runs that suite and checks what ties the JS to the Python side.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from servetools import need
from xltargets import __version__
from xltargets.serve import DEFAULT_PORT

etree = pytest.importorskip("lxml.etree", reason="lxml validates the ribbon XML against its schema")

ROOT = Path(__file__).resolve().parent.parent
WPS = ROOT / "addin" / "wps"
NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
STATIC = ROOT / "src" / "xltargets" / "serve" / "static"


def _main_functions() -> set[str]:
    return set(re.findall(r"^function ([A-Za-z_$][\w$]*)\s*\(", (WPS / "main.js").read_text(encoding="utf-8"), re.M))


def test_ribbon_validates_against_the_customui_schema():
    schema = etree.XMLSchema(etree.parse(str(ROOT / "addin" / "customUI-subset.xsd")))
    doc = etree.parse(str(WPS / "ribbon.xml"))
    assert schema.validate(doc), schema.error_log


def test_the_schema_check_can_fail():
    schema = etree.XMLSchema(etree.parse(str(ROOT / "addin" / "customUI-subset.xsd")))
    bad = (WPS / "ribbon.xml").read_text(encoding="utf-8").replace('size="large"', 'size="huge"', 1)
    assert not schema.validate(etree.fromstring(bad.encode("utf-8")))


def test_every_callback_names_a_function_main_js_defines():
    doc = etree.parse(str(WPS / "ribbon.xml"))
    names = [b.get("onAction") for b in doc.iter(f"{NS}button")] + [doc.getroot().get("onLoad")]
    defined = _main_functions()
    assert names and all(n in defined for n in names), set(names) - defined
    assert len(set(names)) == len(names)


def test_same_tab_buttons_and_tags_as_the_excel_addin():
    """The six buttons of issue 17 and the two of the annual cycle, as the Excel add-in has them (label, tag, order)."""
    wps = etree.parse(str(WPS / "ribbon.xml"))
    excel = etree.parse(str(ROOT / "addin" / "customUI.xml"))
    ours = [(b.get("label"), b.get("tag")) for b in wps.iter(f"{NS}button")]
    theirs = [(b.get("label"), b.get("tag").split("|")[0]) for b in excel.iter(f"{NS}button")]
    assert [label for label, _ in ours] == ["新建项目", "导入", "校验", "生成汇总表", "导出PDF", "新年度", "对比上年", "帮助"]
    assert ours == theirs
    assert wps.find(f".//{NS}tab").get("label") == excel.find(f".//{NS}tab").get("label") == "绩效目标"


def test_addin_version_and_port_match_the_service():
    text = (WPS / "js" / "service.js").read_text(encoding="utf-8")
    assert re.search(r'ADDIN_VERSION = "([^"]+)"', text).group(1) == __version__
    assert int(re.search(r"DEFAULT_PORT = (\d+)", text).group(1)) == DEFAULT_PORT


def test_the_add_ins_sheet_limits_are_the_clis():
    from xltargets.importing.limits import LIMITS

    text = (WPS / "js" / "sheets.js").read_text(encoding="utf-8")
    found = re.search(r"var LIMITS = \{([^}]*)\}", text).group(1)
    js = {k: int(v) for k, v in re.findall(r"(\w+): (\d+)", found)}
    assert js == {k: LIMITS[k] for k in ("rows", "cols", "cells", "total_cells")}


def test_index_html_loads_every_module_and_main_last():
    html = (WPS / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts[-1] == "main.js"
    for src in scripts:
        assert src == "js/config.js" or (WPS / src).is_file(), src  # config.js is written by `wps install`
    assert {p.relative_to(WPS).as_posix() for p in WPS.rglob("*.js")} <= set(scripts)


@pytest.mark.parametrize("folder", [WPS, STATIC], ids=["addin", "page"])
def test_no_file_loads_anything_from_the_internet(folder):
    for path in folder.rglob("*"):
        if path.suffix in (".html", ".js", ".css", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path
            assert not re.search(r"@import|url\(\s*['\"]?https?:", text), path


def test_js_fixtures_are_up_to_date():
    sys.path.insert(0, str(ROOT / "tests" / "wps"))
    try:
        import make_fixtures
    finally:
        sys.path.pop(0)
    for name, data in make_fixtures.fixtures().items():
        assert json.loads((ROOT / "tests" / "wps" / name).read_text(encoding="utf-8")) == json.loads(make_fixtures.dumps(data)), (
            f"tests/wps/{name} is out of date: run PYTHONPATH=src python3 tests/wps/make_fixtures.py"
        )


def test_node_suite_passes():
    node = need("node", "apt-get install nodejs (node 18 or newer)")
    out = subprocess.run([node, "--test", str(ROOT / "tests" / "wps" / "addin.test.js")], capture_output=True, text=True, encoding="utf-8", timeout=300)
    summary = "\n".join(line for line in out.stdout.splitlines() if line.startswith("# "))
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert re.search(r"^# pass (\d+)", summary, re.M) and int(re.search(r"^# pass (\d+)", summary, re.M).group(1)) >= 20
    assert "# fail 0" in summary


#: texts ET (like Excel) would not keep as text when written to a cell, and texts it keeps (session 7's attack pass)
_CELL_TEXTS = [
    "0012", "1e5", "50%", "1,000.50", "  12 ", "-5", "2024-05-29", "2026/1/1", "5月1日", "2024年1月1日", "12:30", "TRUE", "false",
    "(12)", "１２", "7.11世界人口日", "=1+1", "@SUM(A1)", "'x", "", "项目名称", "XLT-E102", "青春健康 2024", "一、绩效目标", "≥90.00(%)",
]


def test_the_add_ins_text_rule_is_the_pythons(tmp_path):
    """The add-in writes the 校验结果 sheet (and sheets it could not copy) through Range.Formula, which turns a project named
    ``0012`` into the number 12 and ``2024-05-29`` into a date: the JS keeps as text what xltargets.text.looks_like_non_text
    says a spreadsheet would not (before session 7 it kept only text starting with ``= + - @``)."""
    from xltargets.text import looks_like_non_text

    node = need("node", "apt-get install nodejs (node 18 or newer)")
    script = tmp_path / "texts.js"
    script.write_text(
        f"const S = require({json.dumps(str(WPS / 'js' / 'sheets.js'))});\n"
        f"console.log(JSON.stringify({json.dumps(_CELL_TEXTS, ensure_ascii=False)}.map(S.asCellText)));\n",
        encoding="utf-8",
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, encoding="utf-8", timeout=60, check=True)
    expected = ["'" + t if t[:1] == "'" or looks_like_non_text(t) else t for t in _CELL_TEXTS]
    assert json.loads(out.stdout) == expected
    assert expected[0] == "'0012" and expected[-1] == "≥90.00(%)"
