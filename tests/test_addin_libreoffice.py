"""LibreOffice loads the add-in's VBA project.

LibreOffice refuses the .xlam extension, so the test converts a copy with
the macro-enabled workbook content type (.xlsm) to ods; the ods then holds
every standard module under ``Basic/<project>/<module>.xml``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from xltargets.addin import build_addin
from xltargets.addin.sources import read_sources
from xltargets.libreoffice import convert

pytestmark = pytest.mark.libreoffice

ADDIN_TYPE = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
XLSM_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def as_xlsm(src, dest):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert ADDIN_TYPE in data
                data = data.replace(ADDIN_TYPE, XLSM_TYPE)
            zout.writestr(info, data)


def basic_body(source: str) -> list[str]:
    """Code lines of a VBA module as LibreOffice keeps them (no Attribute lines, LF)."""
    return [line for line in source.replace("\r\n", "\n").split("\n") if line and not line.startswith("Attribute ")]


def test_libreoffice_loads_every_module(soffice, tmp_path):
    built = build_addin(tmp_path / "xltargets.xlam")
    xlsm = tmp_path / "xltargets-as-workbook.xlsm"
    as_xlsm(built.path, xlsm)
    ods = convert(xlsm, "ods", tmp_path / "out")
    with zipfile.ZipFile(ods) as zf:
        found = {m.group(2): zf.read(m.group(0)) for n in zf.namelist() if (m := re.fullmatch(r"Basic/(xltargets)/(\w+)\.xml", n))}
    expected = {"xlwings", "xlwings_udfs", *read_sources().modules}
    assert expected <= set(found), sorted(found)
    for name in expected:
        text = ET.fromstring(found[name]).text or ""
        lines = [line for line in text.split("\n") if line and not line.startswith(("Rem Attribute", "Option VBASupport"))]
        assert lines == basic_body(built.modules[name]), name
