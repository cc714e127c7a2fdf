"""What a zip package or compound file checked by :mod:`.guard` is: an xlsx, xlsb, ods or
xls; or the refusal that names what it is instead (another zip, a Word document, a password).

Format recognition, not reading safety: python-calamine in the reader process would refuse these too,
with messages a user understands less well (and an encrypted .xls's records would reach the error cells).
"""

from __future__ import annotations

import struct
from pathlib import Path

from .limits import not_a_workbook, password_error

__all__ = ["zip_kind", "cfb_kind"]


def zip_kind(path: Path, names: set[str]) -> str:
    """xlsx, xlsb or ods, by the zip's member *names* (an encrypted ods: calamine's password refusal)."""
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names and names & {"mimetype", "META-INF/manifest.xml"}:
        return "ods"
    raise not_a_workbook(path)


def cfb_kind(path: Path, ole, stream: bytes | None) -> str:
    """xls, for the compound file *ole* (olefile) with its Workbook *stream*: refused when encrypted (an
    encrypted xlsx's EncryptionInfo, an .xls's FILEPASS record in its globals) or when it is no workbook."""
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        raise password_error(path)
    if stream is None:
        raise not_a_workbook(path, "Word 文档" if ole.exists("WordDocument") else "PowerPoint 演示文稿"
                             if ole.exists("PowerPoint Document") else "其他 Office 文档")
    pos, typ = 0, None
    while pos + 4 <= len(stream) and typ != 0x000A:  # the globals, up to EOF
        typ, size = struct.unpack_from("<HH", stream, pos)
        if typ == 0x002F and stream[pos + 4 : pos + 6] not in (b"", b"\0\0"):  # FILEPASS, not XOR "no password"
            raise password_error(path)
        pos += 4 + size
    return "xls"
