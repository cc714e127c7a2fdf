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
from typing import Iterable, NoReturn

from openpyxl.workbook.workbook import Workbook

from ..errors import InputError, TemplateError
from ..fileio import require_suffix
from ..importing.guard import open_input, read_parts
from ..importing.limits import LIMITS
from .template import default_template_path

__all__ = ["VBA_PART", "default_vba_path", "read_vba", "attach_vba", "macro_source", "refuse_dropping_macros"]

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


def macro_source(out: str | Path, sources: Iterable[str | Path], *, alternative: str = "") -> Path | None:
    """The first .xlsm file of *sources*, whose VBA a workbook made from them carries; None when there is none.

    A command that continues a workbook (``new -o``, ``rollover``, 新年度) keeps its kind: from an .xlsm it
    writes an .xlsm, never an .xlsx that would drop the macros (the 校验 button) without a word. *out* named
    .xlsx is then refused (:func:`refuse_dropping_macros`); *alternative* ends that message (a way to get a
    workbook without macros on purpose). Call it after the output's name is checked to be a workbook's.
    """
    xlsm = [Path(s) for s in sources if Path(s).suffix.lower() == ".xlsm" and Path(s).is_file()]
    if not xlsm:
        return None
    if Path(out).suffix.lower() != ".xlsm":
        refuse_dropping_macros(Path(out), f"“{xlsm[0].name}”", alternative=alternative)
    return xlsm[0]


def refuse_dropping_macros(out: Path, source: str, *, alternative: str = "") -> NoReturn:
    """The WorkbookError for writing the macros of *source* (“d.xlsm”, 原工作簿 …) into the macro-free *out*."""
    require_suffix(
        out, (".xlsm",), "申报工作簿",
        why=f"（{source}带宏，存为 {out.suffix or '无扩展名文件'} 会丢失其中的宏和“校验”按钮{alternative}）",
    )
    raise AssertionError("require_suffix accepted a name that is not .xlsm")  # pragma: no cover


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
    part = VBA_PART.lower()  # read_parts names a member in lower case
    vba = read_parts(path, part.__eq__, limit=LIMITS["file_bytes"]).get(part) if data.startswith(b"PK") else None
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
