"""Checking an OLE2 compound file (.xls, an encrypted .xlsx, a .doc …) with olefile, before
python-calamine reads it in the reader process.

olefile reads the header, the FAT and the directory, and a stream no further than its declared
size, following chains without an end marker check: the header's counts and the sizes it reads are
first bounded by the file's size (``test_what_olefile_reads_is_bounded_by_the_file``), so a looping
chain ends (``test_olefile_stops_at_a_looping_chain``). Refused here: an encrypted package
(EncryptionInfo, EncryptedPackage) or an .xls whose globals hold a FILEPASS record (the password
message), a compound file without a Workbook/Book stream (naming what it is: a Word or PowerPoint
document), and what olefile cannot read. The Workbook stream is handed to the importer (*seen*: its
error cells, :mod:`.errorcells`; its number formats read it through :func:`workbook_stream`).
"""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

from ..errors import InputError
from .limits import Checked, broken, password_error

__all__ = ["inspect_cfb", "workbook_stream"]

def _open(path: Path, fh) -> tuple[olefile.OleFileIO, bytes | None]:
    """olefile's reading of the file, and its Workbook stream (None without one): olefile reads as many
    DIFAT and mini FAT sectors as the header counts, and a stream as far as its declared size, through
    chains that may loop; each count and size is first bounded by the file's size."""
    size, _ = fh.seek(0, 2), fh.seek(0)
    head = fh.read(512)
    if len(head) == 512 and max(struct.unpack_from("<I", head, 0x2C)[0], *struct.unpack_from("<I4xI", head, 0x40)) > size // 512:
        raise broken(path, "Office 复合文档结构无效：文件头记录的扇区数超过文件大小", "the header counts more sectors than the file holds")
    try:
        ole = olefile.OleFileIO(fh)
        book = next((b for b in ("Workbook", "Book") if ole.exists(b)), None)  # calamine's order; any letter case
        if ole.root.size > size or book and ole.get_size(book) > size:
            raise OSError("a stream declares more bytes than the file holds")
        return ole, book and ole.openstream(book).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError, RuntimeError) as exc:
        raise broken(path, "Office 复合文档结构无效", f"invalid compound file ({exc})") from exc


def workbook_stream(path: Path, fh) -> bytes | None:
    """The Workbook (else Book) stream of the compound file open as *fh*, as olefile reads it; None without one."""
    return _open(path, fh)[1]


def inspect_cfb(path: Path, fh, seen=None) -> Checked:
    """Check the compound file open as *fh*; return it as an .xls (its stream given to *seen*) or raise a clear InputError."""
    ole, stream = _open(path, fh)
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        raise password_error(path)
    if stream is None:
        what = "Word 文档" if ole.exists("WordDocument") else "PowerPoint 演示文稿" if ole.exists("PowerPoint Document") else "其他 Office 文档"
        raise InputError(f"“{path.name}”是{what}，不是 Excel 工作簿。", hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                         path=str(path), en=f"cannot read {path.name}: an Office file but no workbook")
    pos, typ = 0, None
    while pos + 4 <= len(stream) and typ != 0x000A:  # the globals: a FILEPASS record says the workbook is encrypted
        typ, size = struct.unpack_from("<HH", stream, pos)
        if typ == 0x002F and stream[pos + 4 : pos + 6] not in (b"", b"\0\0"):
            raise password_error(path)
        pos += 4 + size
    if seen is not None:
        seen("Workbook", stream)
    return Checked("xls")
