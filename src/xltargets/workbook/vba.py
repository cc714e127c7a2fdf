"""The VBA project a macro-enabled workbook carries, kept byte for byte.

openpyxl writes ``xl/vbaProject.bin`` (and the macro-enabled content type)
only for a workbook with a ``vba_archive``: a zip it copies VBA parts from.
:func:`attach_vba` gives a new workbook such an archive around the bytes of
a vbaProject.bin: the shipped ``templates/vbaProject.bin`` (built from
``templates/Xltargets.bas``), or the project of an existing .xlsm.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..errors import InputError, TemplateError
from ..importing.guard import open_input
from ..importing.limits import LIMITS
from ..importing.package import read_part
from .template import default_template_path

__all__ = ["VBA_PART", "default_vba_path", "read_vba", "attach_vba"]

VBA_PART = "xl/vbaProject.bin"

_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    "</Types>"
)
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def default_vba_path() -> Path:
    """``templates/vbaProject.bin`` beside the template."""
    return default_template_path().parent / "vbaProject.bin"


def read_vba(source: str | Path | None = None) -> bytes:
    """Bytes of a vbaProject.bin: from a .bin file, from an .xlsm, or the shipped default."""
    path = Path(source) if source is not None else default_vba_path()
    if not path.exists():
        raise (TemplateError if source is None else InputError)(
            f"找不到 VBA 工程文件“{path}”。",
            hint="运行 python templates/make_vba.py 重新生成，或用 --vba-from 指定一个 .xlsm。",
            path=str(path),
        )
    with open_input(path, what="VBA 工程文件或 .xlsm 工作簿") as fh:  # a regular file within the size limit
        data = fh.read()
    if data.startswith(_CFB_MAGIC):
        return data
    vba = read_part(path, VBA_PART, limit=LIMITS["file_bytes"]) if data.startswith(b"PK") else None
    if vba is None:
        raise InputError(
            f"“{path.name}”中没有 VBA 工程（{VBA_PART}）。",
            hint="指定一个含宏的 .xlsm 工作簿，或不指定以使用默认的 VBA 工程。",
            path=str(path),
        )
    return vba


def attach_vba(wb: Workbook, vba: bytes) -> None:
    """Make *wb* macro-enabled, carrying *vba* as its ``xl/vbaProject.bin``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr(VBA_PART, vba)
    wb.vba_archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    if not wb.code_name:
        wb.code_name = "ThisWorkbook"
