"""Zip-level edits of the add-in package.

openpyxl refuses ``.xlam`` and drops xlwings' 2007 ribbon relationship, so
the package is rewritten member by member: the ribbon XML is replaced, the
VBA project finished, the config sheet renamed, everything else copied as
is. Member times are pinned to 1980-01-01 so a build is reproducible.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable

from ..errors import TemplateError

__all__ = ["rewrite_package", "RIBBON_REL_2007", "ribbon_part", "FIXED_TIME", "is_addin_package", "is_our_addin"]

RIBBON_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: the main part of an Excel add-in package (.xlam)
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
#: what the ribbon of every add-in xltargets builds calls (addin/customUI.xml)
OUR_CALLBACK = b"RibbonXltargets."


def _zip_member(path: Path, name: str) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read(name)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None


def is_addin_package(path: Path) -> bool:
    """True for an Excel add-in package: a zip whose main part is an add-in and that carries VBA."""
    types = _zip_member(path, "[Content_Types].xml")
    return bool(types and ADDIN_CONTENT_TYPE.encode() in types and _zip_member(path, "xl/vbaProject.bin"))


def is_our_addin(path: Path) -> bool:
    """True for an add-in xltargets built: an add-in package whose ribbon calls ``RibbonXltargets``."""
    if not is_addin_package(path):
        return False
    ui = _zip_member(path, "customUI/customUI.xml") or b""
    return OUR_CALLBACK in ui


def ribbon_part(zf: zipfile.ZipFile) -> str:
    """Name of the customUI part the package's 2007 ribbon relationship points at."""
    import xml.etree.ElementTree as ET

    rels = ET.fromstring(zf.read("_rels/.rels"))
    for rel in rels:
        if rel.get("Type") == RIBBON_REL_2007:
            return rel.get("Target", "").lstrip("/")
    raise TemplateError("xlwings 加载项模板中没有功能区（customUI）关系。", hint="重新安装 xlwings。")


def rewrite_package(
    src: Path,
    out: Path,
    *,
    custom_ui: bytes,
    edit: dict[str, Callable[[bytes], bytes]],
) -> None:
    """Copy the package *src* to *out*, replacing the ribbon XML and applying *edit* per member."""
    with zipfile.ZipFile(src) as zin:
        ribbon = ribbon_part(zin)
        names = zin.namelist()
        missing = [name for name in edit if name not in names]
        if missing:
            raise TemplateError(f"xlwings 加载项模板中缺少部件：{', '.join(missing)}。", hint="重新安装 xlwings。")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in names:
                data = custom_ui if name == ribbon else zin.read(name)
                if name in edit:
                    data = edit[name](data)
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zout.writestr(info, data)
