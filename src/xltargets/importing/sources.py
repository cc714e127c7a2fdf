"""Opening input files safely and turning each sheet into a :class:`Grid`.

Formats are recognised by their bytes, not their names. Workbooks
(xlsx/xlsm/xlsb/xls/ods) are read with python-calamine (values and merged
ranges; no macros run, no external links followed); TSV text is decoded as
UTF-8, UTF-16 or GB18030. Archives are checked for zip bombs before reading.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from .grid import Grid

__all__ = ["read_grids", "expand_sources", "LIMITS", "SUPPORTED_SUFFIXES"]

#: Limits past which an input is refused (documented in the README).
LIMITS = {
    "file_bytes": 200 * 1024 * 1024,  # 200 MB on disk
    "unzipped_bytes": 1024 * 1024 * 1024,  # 1 GB uncompressed parts
    "zip_ratio": 200,  # compression ratio of a single part above this is a bomb
    "rows": 200_000,  # rows per sheet
    "cells": 5_000_000,  # cells per sheet
    "sheets": 2_000,
}

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".tsv", ".txt")

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def expand_sources(paths) -> list[Path]:
    """Files named, with folders expanded to the workbooks and TSV files inside them."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not f.name.startswith(("~$", ".", "汇总表"))
            )
            if not found:
                raise InputError(
                    f"文件夹“{p}”中没有申报表文件（.xlsx/.xlsm/.tsv）。",
                    hint="把各单位的申报表工作簿放进该文件夹，或直接列出文件名。",
                    path=str(p),
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _check_zip(path: Path, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 50 * 1024 * 1024 and ratio > LIMITS["zip_ratio"]:
            raise InputError(
                f"“{path.name}”中的“{info.filename}”解压后达 {info.file_size // 2**20} MB（压缩比 {ratio:.0f}:1），疑似压缩炸弹，已拒绝读取。",
                hint="请确认文件来源；正常的申报表解压后只有几 MB。",
                path=str(path),
            )
    if total > LIMITS["unzipped_bytes"]:
        raise InputError(
            f"“{path.name}”解压后超过 {LIMITS['unzipped_bytes'] // 2**20} MB，超出上限，已拒绝读取。",
            hint="拆分为较小的工作簿后再导入。",
            path=str(path),
        )


def _classify_zip(path: Path) -> str:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            f"“{path.name}”已损坏（不是完整的 xlsx 压缩包）。",
            hint="重新从 Excel 或 WPS 另存为 .xlsx 后再导入。",
            path=str(path),
        ) from exc
    with zf:
        names = set(zf.namelist())
        _check_zip(path, zf)
        try:
            bad = zf.testzip()
        except Exception as exc:  # noqa: BLE001 - any failure means a broken archive
            raise InputError(
                f"“{path.name}”已损坏（压缩数据无法读取）。",
                hint="重新从 Excel 或 WPS 另存为 .xlsx 后再导入。",
                path=str(path),
            ) from exc
        if bad is not None:
            raise InputError(
                f"“{path.name}”已损坏（“{bad}”校验失败）。",
                hint="重新从 Excel 或 WPS 另存为 .xlsx 后再导入。",
                path=str(path),
            )
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
    raise InputError(
        f"“{path.name}”是一个压缩包，但不是 Excel 工作簿。",
        hint="请提供 .xlsx / .xlsm 工作簿或 TSV 文本。",
        path=str(path),
    )


def _classify_cfb(path: Path) -> str:
    data = path.read_bytes()
    # Encrypted OOXML is a CFB holding EncryptionInfo/EncryptedPackage streams
    # (names stored as UTF-16LE in the directory).
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError(
            f"“{path.name}”受密码保护（已加密），无法读取。",
            hint="在 Excel/WPS 中打开并取消密码（文件→信息→保护工作簿→用密码加密→清空），另存后再导入。",
            path=str(path),
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    raise InputError(
        f"“{path.name}”是 Office 复合文档，但不是 Excel 工作簿。",
        hint="请提供 .xlsx / .xlsm 工作簿或 TSV 文本。",
        path=str(path),
    )


def classify(path: Path) -> str:
    """``xlsx``, ``xlsb``, ``ods``, ``xls`` or ``tsv`` by the file's bytes."""
    if not path.exists():
        raise InputError(f"找不到文件“{path}”。", hint="检查文件名和路径。", path=str(path))
    if path.is_dir():
        raise InputError(f"“{path}”是文件夹。", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"“{path.name}”是空文件。", hint="请提供含申报表的工作簿或 TSV 文本。", path=str(path))
    if size > LIMITS["file_bytes"]:
        raise InputError(
            f"“{path.name}”有 {size // 2**20} MB，超过 {LIMITS['file_bytes'] // 2**20} MB 的上限。",
            hint="拆分为较小的文件后再导入。",
            path=str(path),
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK"):
        return _classify_zip(path)
    if head == _CFB_MAGIC:
        return _classify_cfb(path)
    return "tsv"


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(
            f"“{path.name}”不是文本，也不是可识别的工作簿。",
            hint="请提供 .xlsx / .xlsm 工作簿或 UTF-8 编码的 TSV 文本。",
            path=str(path),
        )
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"“{path.name}”的文字编码无法识别。",
        hint="另存为 UTF-8 编码的文本后再导入。",
        path=str(path),
    )


def _tsv_grid(path: Path) -> Grid:
    text = _decode(path)
    rows: list[list[str]] = []
    if '"' in text:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False)
        rows = [list(r) for r in reader]
    else:
        rows = [line.split("\t") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if len(rows) > LIMITS["rows"]:
        raise InputError(
            f"“{path.name}”有 {len(rows)} 行，超过 {LIMITS['rows']} 行的上限。",
            hint="拆分文件后再导入。",
            path=str(path),
        )
    return Grid.from_values(rows, sheet=None, file=str(path))


def _workbook_grids(path: Path, kind: str) -> Iterator[Grid]:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise InputError(
            f"“{path.name}”无法作为工作簿读取：{str(exc)[:200]}",
            hint="在 Excel/WPS 中打开并另存为 .xlsx 后再导入。",
            path=str(path),
        ) from exc
    metas = wb.sheets_metadata
    if not metas:
        raise InputError(f"“{path.name}”中没有工作表。", hint="请提供含申报表的工作簿。", path=str(path))
    if len(metas) > LIMITS["sheets"]:
        raise InputError(
            f"“{path.name}”有 {len(metas)} 个工作表，超过 {LIMITS['sheets']} 个的上限。",
            hint="拆分工作簿后再导入。",
            path=str(path),
        )
    visible = [m for m in metas if str(m.visible).endswith("Visible") and "Worksheet" in str(m.typ).replace("WorkSheet", "Worksheet")]
    if not visible:
        raise InputError(
            f"“{path.name}”中没有可见的工作表（全部被隐藏）。",
            hint="在 Excel/WPS 中取消隐藏含申报表的工作表后再导入。",
            path=str(path),
        )
    for meta in visible:
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            height, width = sheet.height, sheet.width
            if height > LIMITS["rows"] or height * width > LIMITS["cells"]:
                raise InputError(
                    f"工作表“{meta.name}”有 {height} 行 × {width} 列，超出上限（{LIMITS['rows']} 行，{LIMITS['cells']} 个单元格）。",
                    hint="删除多余的空行或拆分工作表后再导入。",
                    path=str(path),
                )
            values = sheet.to_python(skip_empty_area=False)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise InputError(
                f"“{path.name}”的工作表“{meta.name}”无法读取：{str(exc)[:200]}",
                hint="在 Excel/WPS 中打开并另存为 .xlsx 后再导入。",
                path=str(path),
            ) from exc
        yield Grid.from_values(values, sheet=meta.name, file=str(path))


def read_grids(path: Path) -> list[Grid]:
    """Every visible sheet of *path* as a grid (a TSV file is one grid)."""
    path = Path(path)
    kind = classify(path)
    if kind == "tsv":
        return [_tsv_grid(path)]
    return list(_workbook_grids(path, kind))
