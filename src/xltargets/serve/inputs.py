"""The request bodies of the service: checked against the CLI's input limits, turned into core inputs.

Two kinds of input reach the same core functions:

* ``{"sheets": [{"name": …, "values": [[…], …]}]}``: a workbook's used ranges
  as the WPS/Excel object model gives them (``Range.Value2``), from A1;
* ``{"files": [{"name": …, "data": "<base64>"}]}``: files dropped on the browser
  page, written into a private temporary folder and read from there like the
  CLI reads them (every file limit applies there again).

Every refusal is an :class:`~xltargets.errors.InputError` with the CLI's
Chinese message; nothing here touches a path the request names.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError, XltargetsError
from ..importing.limits import LIMITS, refuse_cell_length, refuse_sheet_size, refuse_total_cells

__all__ = ["Sheets", "parse_sheets", "parse_names", "uploaded_files", "text_field", "has_files", "broken_text"]

_CELL_TYPES = (str, int, float, bool, type(None))
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_SURROGATE = re.compile("[\ud800-\udfff]")
BOOK = "当前工作簿"


def _bad(message: str, hint: str, en: str) -> InputError:
    return InputError(message, hint=hint, en=en)


def text_field(body: dict, key: str, *, required: bool = False, max_len: int = 1024) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise _bad(f"请求缺少“{key}”。", f"在请求的 JSON 中给出 “{key}”（文字）。", f"missing {key!r}")
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise _bad(
            f"请求中的“{key}”须是不超过 {max_len} 个字符的文字。", f"改正 “{key}” 后重试。", f"{key!r} must be text of at most {max_len} characters"
        )
    return value


def parse_names(body: dict, key: str = "taken") -> list[str]:
    """A list of sheet names (the sheets the workbook already has)."""
    value = body.get(key) or []
    if not isinstance(value, list) or len(value) > LIMITS["sheets"] or not all(isinstance(v, str) and len(v) <= 255 for v in value):
        raise _bad(f"请求中的“{key}”须是工作表名称的列表。", f"改正 “{key}” 后重试。", f"{key!r} must be a list of sheet names")
    return value


@dataclass(frozen=True)
class Sheets:
    """Named 2-D value lists, checked against the limits; *file* names the workbook in messages."""

    items: list[tuple[str, list[list[Any]]]]
    file: str = BOOK


def _rows(name: str, values: Any, file: str) -> tuple[list[list[Any]], int]:
    if values is None:
        return [], 0
    if not isinstance(values, list):  # a one-cell used range comes as a scalar from Value2
        values = [[values]]
    if len(values) > LIMITS["rows"]:
        refuse_sheet_size(Path(file), name, len(values), max((len(r) for r in values if isinstance(r, list)), default=0))
    width = 0
    rows = []
    for r, row in enumerate(values):
        if not isinstance(row, list):
            row = [row]
        width = max(width, len(row))
        if width > LIMITS["cols"] or len(values) * width > LIMITS["cells"]:
            refuse_sheet_size(Path(file), name, len(values), width)
        for c, cell in enumerate(row):
            if cell.__class__ not in _CELL_TYPES:
                raise _bad(
                    f"工作表“{name}”第 {r + 1} 行第 {c + 1} 列的值不是文字、数字或空。",
                    "按 Range.Value2 的格式发送单元格的值（二维数组）。",
                    f"sheet {name}: cell at row {r + 1}, column {c + 1} is not text, a number or empty",
                )
            if cell.__class__ is str and len(cell) > LIMITS["cell_chars"]:
                from ..importing.cellref import cell_ref

                refuse_cell_length(Path(file), name, cell_ref(r, c), len(cell))
        rows.append(row)
    return rows, len(values) * width


def parse_sheets(body: dict) -> Sheets:
    """``body["sheets"]`` checked against the CLI's limits (sheets, rows, columns, cells, characters)."""
    file = text_field(body, "file", max_len=255) or BOOK
    sheets = body.get("sheets")
    if not isinstance(sheets, list) or not sheets:
        raise _bad(
            "请求中没有工作表（sheets）。",
            "按 {\"sheets\": [{\"name\": 工作表名, \"values\": 二维数组}]} 发送工作簿的已用区域。",
            "no sheets in the request",
        )
    if len(sheets) > LIMITS["sheets"]:
        raise InputError(
            f"“{file}”有 {len(sheets):,} 个工作表，超过 {LIMITS['sheets']:,} 个的上限。",
            hint="拆分为几个较小的工作簿后再校验。",
            en=f"{len(sheets):,} sheets, over the limit of {LIMITS['sheets']:,}",
        )
    items = []
    total = 0
    for i, sheet in enumerate(sheets):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str) or not sheet["name"]:
            raise _bad(f"第 {i + 1} 个工作表没有名称（name）。", "每个工作表须有 name 和 values。", f"sheet {i + 1} has no name")
        rows, cells = _rows(sheet["name"], sheet.get("values"), file)
        total += cells
        if total > LIMITS["total_cells"]:
            refuse_total_cells(Path(file), total)
        items.append((sheet["name"], rows))
    return Sheets(items, file)


def has_files(body: dict) -> bool:
    return "files" in body


def broken_text(body: Any) -> str | None:
    """Where the parsed JSON *body* holds a lone UTF-16 surrogate (no file, no answer can carry one), in
    words for a message (the cell by position: the sheet's own name may be the broken text); None if nowhere."""
    stack: list[tuple[Any, tuple]] = [(body, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return _place(path)
        elif isinstance(value, dict):
            stack.extend((v, (*path, str(k) if not _SURROGATE.search(str(k)) else "?")) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return None


def _place(path: tuple) -> str:
    if len(path) == 5 and path[0] == "sheets" and path[2] == "values":
        return f"第 {path[1] + 1} 个工作表第 {path[3] + 1} 行第 {path[4] + 1} 列的单元格"
    if len(path) == 4 and path[0] == "sheets" and path[2] == "values":  # a row given as a scalar
        return f"第 {path[1] + 1} 个工作表第 {path[3] + 1} 行的单元格"
    if len(path) == 3 and path[0] == "sheets" and path[2] == "name":
        return f"第 {path[1] + 1} 个工作表的名称"
    return "请求中的“" + ".".join(str(p) for p in path) + "”" if path else "请求"


#: names a file may not have on Windows (the device, whatever the extension): CON, NUL, COM1 …
_DEVICE = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(\.|$)")
#: the longest upload name in UTF-8 bytes: ext4 and most file systems allow 255, Windows 255 UTF-16 units
_NAME_BYTES = 200


def _file_name(name: Any, i: int) -> str:
    if not isinstance(name, str):
        name = ""
    name = _UNSAFE_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if len(name.encode("utf-8", "replace")) > _NAME_BYTES:  # shortened, keeping its extension
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix if dot and stem and len(suffix) <= 8 else ""
        stem = name[: len(name) - len(suffix)]
        stem = stem.encode("utf-8", "replace")[: _NAME_BYTES - len(suffix.encode())].decode("utf-8", "ignore")
        name = stem + suffix
    if _DEVICE.match(name):  # a device on Windows: writing "NUL.xlsx" would write nowhere
        name = "_" + name
    return name or f"文件{i + 1}"


@contextlib.contextmanager
def uploaded_files(body: dict) -> Iterator[list[Path]]:
    """``body["files"]`` written into a private temporary folder (removed afterwards), one subfolder each."""
    files = body.get("files")
    if not isinstance(files, list) or not files:
        raise _bad("请求中没有文件（files）。", "把申报表、汇总表或 PDF 文件拖到页面上。", "no files in the request")
    if len(files) > 1000:
        raise _bad(f"一次上传了 {len(files)} 个文件，超过 1000 个的上限。", "分几次上传。", "more than 1000 files")
    limit = LIMITS["file_bytes"]
    # a file that cannot be removed (Windows: an antivirus scanning the new file, a reader still holding it) stays
    # behind rather than turning the finished answer into «内部错误»
    with tempfile.TemporaryDirectory(prefix="xlt-serve-", ignore_cleanup_errors=True) as tmp:
        paths = []
        for i, item in enumerate(files):
            item = item if isinstance(item, dict) else {}
            name = _file_name(item.get("name"), i)
            data = item.get("data")
            if not isinstance(data, str):
                raise _bad(f"文件“{name}”没有内容。", "重新选择该文件。", f"{name}: no data")
            if len(data) * 3 // 4 > limit + 3:
                raise InputError(
                    f"“{name}”有 {len(data) * 3 / 4 / 2**20:.1f} MB，超过每个文件 {limit // 2**20} MB 的上限。",
                    hint="拆分文件后分别上传。",
                    en=f"{name}: over the limit of {limit // 2**20} MB a file",
                )
            try:
                raw = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise _bad(f"文件“{name}”的内容不是有效的 base64。", "重新选择该文件。", f"{name}: data is not base64") from None
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = folder / name
            path.write_bytes(raw)
            paths.append(path)
        try:
            yield paths
        except XltargetsError as exc:  # the user's file names, not our private folder
            _forget_folder(exc, Path(tmp))
            raise


def _forget_folder(exc: XltargetsError, folder: Path) -> None:
    """Take the private upload folder out of an error's texts: what remains is the file's own name."""
    prefix = re.compile(re.escape(str(folder)) + r"[\\/]\d+[\\/]")
    for attr in ("message", "hint", "en", "path"):
        value = getattr(exc, attr, None)
        if isinstance(value, str):
            setattr(exc, attr, prefix.sub("", value))


def chosen_paths(body: dict) -> list[Path]:
    """``body["paths"]``: the files the user picked in the add-in's open dialog (absolute, regular files)."""
    from ..importing.sources import SUPPORTED_SUFFIXES

    paths = body.get("paths")
    if not isinstance(paths, list) or not paths or len(paths) > 1000 or not all(isinstance(p, str) and p for p in paths):
        raise _bad("请求中没有文件路径（paths）。", "在“打开”对话框中选择要导入的文件。", "no paths in the request")
    out = []
    for text in paths:
        path = Path(text)
        if not path.is_absolute() or ".." in path.parts:
            raise _bad(f"“{text}”不是完整路径。", "在“打开”对话框中选择文件。", f"{text}: not an absolute path")
        try:
            regular = not path.is_symlink() and path.is_file()
        except OSError:  # a name or path too long to be a file here
            regular = False
        if not regular:
            raise _bad(f"找不到文件“{text}”（或它不是普通文件）。", "在“打开”对话框中重新选择文件。", f"{text}: not a regular file")
        if path.suffix.lower() not in SUPPORTED_SUFFIXES + (".csv", ".pdf"):
            raise _bad(
                f"“{path.name}”不是可导入的文件类型。",
                "选择 xlsx、xlsm、xls、et、ods、TSV/CSV 或 PDF 文件。",
                f"{path.name}: not a supported file type",
            )
        out.append(path)
    return out
