"""The built add-in, read back by third-party readers (oletools' olevba, lxml, zipfile).

One build per session (``built`` fixture); each test checks one property a
real Excel relies on: modules exactly as their sources, a source-only VBA
project Excel must compile, a ribbon whose callbacks exist and that obeys
the RibbonX schema.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest

from xltargets.addin import build_addin
from xltargets.addin.build import CONF_SHEET_NEW, _check_onactions, _check_wrappers, failsafe_wrappers, generate_udf_wrappers
from xltargets.addin.package import RIBBON_REL_2007
from xltargets.addin.sources import default_source_dir, onaction_targets, read_sources
from xltargets.addin.vbaproject import VBA_PROJECT_STREAM
from xltargets.addin.xlwings_files import ribbon_template, xlwings_module_source, xlwings_version
from xltargets.errors import TemplateError, WorkbookError

ADDIN_SRC = default_source_dir()


def olevba_modules(path: Path) -> dict[str, str]:
    """``{module name: source}`` as oletools' olevba extracts them."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()


def vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("addin") / "xltargets.xlam"
    return build_addin(out)


@pytest.fixture(scope="session")
def read_back(built) -> dict[str, str]:
    return olevba_modules(built.path)


def test_sources_are_crlf_ascii_with_name_first():
    sources = read_sources()
    assert "RibbonXltargets" in sources.modules
    for name, text in sources.modules.items():
        raw = (ADDIN_SRC / f"{name}.bas").read_bytes()
        assert raw.startswith(f'Attribute VB_Name = "{name}"\r\n'.encode())
        assert b"\n" not in raw.replace(b"\r\n", b"")
        raw.decode("ascii")


@pytest.mark.parametrize("module", sorted(read_sources().modules), ids=str)
def test_olevba_reads_each_bas_module_exactly(read_back, module):
    assert read_back[module] == (ADDIN_SRC / f"{module}.bas").read_bytes().decode("ascii")


def test_olevba_reads_xlwings_module_with_our_project_name(read_back):
    text = read_back["xlwings"]
    assert text == xlwings_module_source()
    assert 'Public Const PROJECT_NAME As String = "xltargets"' in text
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings_version()}"' in text


def test_olevba_reads_generated_udf_wrappers(built, read_back):
    vba = failsafe_wrappers(generate_udf_wrappers().vba)
    assert read_back["xlwings_udfs"] == vba
    wrapped = re.findall(r"^Function (\w+)\(", vba, flags=re.M)
    assert sorted(wrapped) == sorted(built.udfs) == ["XLT_CHECK_FUNDS", "XLT_CHECK_ROW", "XLT_CHECK_TABLE", "XLT_PARSE_VALUE"]
    assert 'XLPy.CallUDF("xltargets.excel.udfs", "XLT_CHECK_TABLE"' in vba
    assert "ActiveWorkbook, Application.Caller" in vba  # the add-in form, not ThisWorkbook


def test_template_modules_kept_and_its_ribbon_module_gone(read_back):
    template = olevba_modules(ribbon_template())
    assert set(read_back) == (set(template) - {"RibbonMyAddin"}) | {"RibbonXltargets", "xlwings_udfs", "XltargetsText"}
    for name in ("Dictionary", "ThisWorkbook", "Sheet2"):
        assert read_back[name] == template[name]


def test_vba_project_is_source_only(built):
    from pyopenvba import ExcelFile
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(vba_bin(built.path))
    stream = cfb.get_stream_in_storage("VBA", "_VBA_PROJECT")
    assert stream == VBA_PROJECT_STREAM
    reserved1, version, reserved2 = struct.unpack_from("<HHB", stream)
    assert (reserved1, version, reserved2, len(stream)) == (0x61CC, 0xFFFF, 0, 7)
    assert not [s for s in cfb.list_streams_in_storage("VBA") if s.startswith("__SRP_")]
    with ExcelFile(built.path) as wb:
        project = wb.vba_project()
        assert {m.name: m.text_offset for m in project.modules} == {m.name: 0 for m in project.modules}
        assert project.name == "xltargets"
        assert wb.validate() == []


def test_project_stream_lists_every_module_once(built):
    from pyopenvba.cfb import CFB

    text = CFB.from_bytes(vba_bin(built.path)).get_stream("PROJECT").decode("cp1252")
    assert 'Name="xltargets"' in text
    workspace = text.split("[Workspace]\r\n", 1)[1].rstrip("\r\n").split("\r\n")
    assert "" not in workspace
    names = [line.split("=", 1)[0] for line in workspace]
    assert sorted(names) == sorted(set(names))
    assert {"RibbonXltargets", "xlwings_udfs", "xlwings", "XltargetsText"} <= set(names)


def test_package_keeps_2007_ribbon_relationship_and_our_customui(built):
    with zipfile.ZipFile(built.path) as zf:
        rels = zf.read("_rels/.rels").decode()
        assert f'Type="{RIBBON_REL_2007}" Target="customUI/customUI.xml"' in rels
        assert zf.read("customUI/customUI.xml") == (ADDIN_SRC / "customUI.xml").read_bytes()
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in zf.read("[Content_Types].xml").decode()
        assert f'name="{CONF_SHEET_NEW}"' in zf.read("xl/workbook.xml").decode()
        assert zf.testzip() is None


def test_every_onaction_names_an_existing_sub(read_back):
    ui = (ADDIN_SRC / "customUI.xml").read_bytes()
    targets = onaction_targets(ui)
    assert len(targets) == 8  # one per button
    for module, sub in targets:
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)\r$", read_back[module], flags=re.M), (module, sub)


def test_onaction_check_rejects_a_missing_sub():
    ui = b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs><tab id="t" label="t"><group id="g" label="g"><button id="b" label="b" tag="x" onAction="RibbonXltargets.Gone"/></group></tab></tabs></ribbon></customUI>'
    with pytest.raises(TemplateError, match="RibbonXltargets.Gone"):
        _check_onactions(ui, read_sources().modules)


def test_build_fails_when_a_udf_has_no_wrapper():
    with pytest.raises(TemplateError, match="XLT_MISSING"):
        _check_wrappers("Function XLT_A(x)\r\nEnd Function\r\n", ["XLT_A"], ["XLT_A", "XLT_MISSING"])
    with pytest.raises(TemplateError, match="XLT_STRAY"):
        _check_wrappers("Function XLT_A(x)\r\nFunction XLT_STRAY(x)\r\n", ["XLT_A", "XLT_STRAY"], ["XLT_A"])


def test_generator_finds_an_undecorated_udf(tmp_path, monkeypatch):
    (tmp_path / "xlt_fake_udfs.py").write_text(
        "import xlwings as xw\n__all__ = ['XLT_A', 'XLT_B']\n@xw.func\ndef XLT_A(x):\n    return x\ndef XLT_B(x):\n    return x\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    w = generate_udf_wrappers("xlt_fake_udfs")
    assert (w.udfs, w.declared) == (["XLT_A"], ["XLT_A", "XLT_B"])
    with pytest.raises(TemplateError, match="XLT_B"):
        _check_wrappers(w.vba, w.udfs, w.declared)


def test_build_is_reproducible(built, tmp_path):
    again = build_addin(tmp_path / "again.xlam")
    assert again.path.read_bytes() == built.path.read_bytes()


@pytest.mark.parametrize("name", ["xltargets.xlsm", "xltargets"], ids=["xlsm", "no-suffix"])
def test_build_refuses_a_non_xlam_output(tmp_path, name):
    with pytest.raises(WorkbookError, match=r"\.xlam"):
        build_addin(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "file_name, content, message",
    [
        ("Lf.bas", b'Attribute VB_Name = "Lf"\nSub A()\nEnd Sub\n', "CRLF"),
        ("Cn.bas", 'Attribute VB_Name = "Cn"\r\nSub A()\r\n  MsgBox "校验"\r\nEnd Sub\r\n'.encode(), "ASCII"),
        ("Named.bas", b'Attribute VB_Name = "Other"\r\nSub A()\r\nEnd Sub\r\n', "VB_Name"),
        ("Late.bas", b"Option Explicit\r\nAttribute VB_Name = \"Late\"\r\n", "VB_Name"),
    ],
    ids=["lf-line-ends", "chinese-in-vba", "name-differs", "name-not-first"],
)
def test_bad_bas_sources_are_refused(tmp_path, file_name, content, message):
    (tmp_path / file_name).write_bytes(content)
    (tmp_path / "customUI.xml").write_bytes((ADDIN_SRC / "customUI.xml").read_bytes())
    with pytest.raises(TemplateError, match=message):
        read_sources(tmp_path)


def test_onaction_check_rejects_an_onload_without_its_sub():
    ui = b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui" onLoad="RibbonXltargets.Gone"><ribbon/></customUI>'
    with pytest.raises(TemplateError, match="RibbonXltargets.Gone"):
        _check_onactions(ui, read_sources().modules)
