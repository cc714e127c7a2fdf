"""What an edit through openpyxl would drop from a user's workbook, found before anything is written.

openpyxl reads cells, styles, comments, charts and (with Pillow) pictures, but not drawn shapes (text
boxes, arrows, groups), form controls (a button that runs a macro, a check box, ActiveX), a sheet's
extensions (sparklines, slicers, the newer data validations and conditional formats), Excel 365's
threaded comments, data connections, Power Query queries, the data model, timelines, embedded objects
(a Word or PDF file attached in a sheet), a sheet's background or header/footer pictures, a protected sheet's allowed-edit ranges (允许编辑区域: openpyxl
keeps the protection, so staff would lose edit access to those cells), WPS's pictures in cells (``xl/cellimages.xml``) or Excel 365's
dynamic-array (spilling) formulas (a cell's ``cm`` pointing into ``xl/metadata.xml``), its pictures in cells
and data types (stocks, geography: a cell's ``vm`` pointing into ``xl/metadata.xml`` and ``xl/richData/``): saving the
workbook drops them. ``new`` (in place or ``-o``) and ``normalize`` count these objects in the
workbook and in what openpyxl made of it, and refuse when any would be lost: nothing is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from ..errors import InputError

__all__ = ["objects", "require_kept", "quiet_load"]

#: DrawingML objects of a drawing part, whatever the prefix (``xdr:sp``, or ``sp`` in openpyxl's default namespace)
_DRAWN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(sp|grpSp|cxnSp|pic|graphicFrame|contentPart)[\s/>]")
#: a legacy (VML) object's kind: ``Note`` is a comment, which openpyxl keeps; others are form controls
_VML = re.compile(rb"""ObjectType\s*=\s*["'](\w+)["']""")
#: a sheet's extensions openpyxl does not read
_EXTENDED = re.compile(rb"<x14:(dataValidation|conditionalFormatting|sparklineGroup|slicerList)[\s>]")
#: a cell pointing at ``xl/metadata.xml``'s cell metadata (``cm``): an Excel 365 dynamic-array (spilling) formula.
#: openpyxl drops both the attribute and the part: the formula becomes a legacy array formula (``{=…}``), no spill
_SPILLING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bcm\s*=")
#: a cell pointing at ``xl/metadata.xml``'s value metadata (``vm``): Excel 365's picture in a cell (``IMAGE()``, 放置在单元格中)
#: or a linked data type (stocks, geography). openpyxl drops the attribute and ``xl/richData/``: the cell becomes ``#VALUE!``
#: an embedded (OLE) object of a sheet, by its shape: Excel 2010+ writes each twice (``mc:Choice`` and ``mc:Fallback``)
_EMBEDDED = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?oleObject\s[^>]*?\bshapeId\s*=\s*["'](\d+)""")
#: a picture WPS put in a cell (嵌入单元格图片; the cell holds ``=DISPIMG("ID_…",1)``), in ``xl/cellimages.xml``
_CELL_IMAGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?cellImage[\s>]")
#: a sheet's background picture (``<picture r:id>``) and its header/footer pictures (``<legacyDrawingHF r:id>``, ``&G``)
_SHEET_PICTURE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(picture|legacyDrawingHF)\s")
#: an allowed-edit range of a protected sheet (允许编辑区域, ``<protectedRanges><protectedRange sqref=…>``)
_PROTECTED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?protectedRange[\s/>]")
_VALUED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bvm\s*=")

_WORDS = {
    "sp": "文本框或形状",
    "grpSp": "组合图形",
    "cxnSp": "连接线或箭头",
    "pic": "图片",
    "graphicFrame": "图表或 SmartArt",
    "contentPart": "墨迹",
    "control": "表单控件（按钮、复选框等）",
    "dataValidation": "新版数据验证",
    "conditionalFormatting": "新版条件格式",
    "sparklineGroup": "迷你图",
    "slicerList": "切片器",
    "threadedComments": "新版批注（可回复的批注）",
    "connections": "数据连接",
    "query": "Power Query 查询",
    "model": "数据模型（Power Pivot）",
    "activeX": "ActiveX 控件",
    "timeline": "日程表",
    "dynamicArray": "动态数组公式（溢出公式，Excel 365）",
    "embedded": "嵌入的对象（附件、Word/PDF 文档等）",
    "picture": "工作表背景图片",
    "legacyDrawingHF": "页眉页脚中的图片",
    "wpsCellImage": "WPS 单元格内图片（DISPIMG）",
    "valueMetadata": "单元格内图片或数据类型（股票、地理，Excel 365）",
    "protectedRange": "允许编辑区域（受保护工作表中可编辑的单元格区域）",
}
#: whole parts openpyxl does not write back, by where they are (lower case)
_PARTS = {
    "xl/threadedcomments/": "threadedComments",
    "xl/connections.xml": "connections",
    "xl/model/": "model",
    "xl/activex/activex": "activeX",
    "xl/timelines/": "timeline",
}


def _wanted(name: str) -> bool:
    return (name.startswith(("xl/drawings/", "xl/worksheets/sheet")) and name.endswith((".xml", ".vml"))) or (
        name.startswith(tuple(_PARTS)) or name.startswith("customxml/item") or name == "xl/cellimages.xml")


def _count(parts: dict[str, bytes]) -> Counter:
    found: Counter = Counter()
    for name, data in parts.items():
        part = next((kind for where, kind in _PARTS.items() if name.startswith(where)), None)
        if part is not None:
            if not name.endswith(".rels"):
                found[part] += 1
        elif name == "xl/cellimages.xml":
            found["wpsCellImage"] += len(_CELL_IMAGE.findall(data))
        elif name.startswith("customxml/"):  # metadata (SharePoint, labels) is not counted; a query is
            if b"DataMashup" in data:
                found["query"] += 1
        elif name.endswith(".vml"):
            found.update("control" for kind in _VML.findall(data) if kind not in (b"Note", b"Pict"))  # Pict: an embedded object
        elif name.startswith("xl/drawings/"):
            found.update(m.decode() for m in _DRAWN.findall(data))
        else:
            if b"<x14:" in data:
                found.update(m.decode() for m in _EXTENDED.findall(data))
            spilling = len(_SPILLING.findall(data)) if b"cm" in data else 0
            if spilling:
                found["dynamicArray"] += spilling
            if b"picture" in data or b"legacyDrawingHF" in data:
                found.update(m.decode() for m in _SHEET_PICTURE.findall(data))
            if b"protectedRange" in data:
                found["protectedRange"] += len(_PROTECTED.findall(data))
            if b"oleObject" in data:
                found["embedded"] += len(set(_EMBEDDED.findall(data)))
            valued = len(_VALUED.findall(data)) if b"vm" in data else 0
            if valued:
                found["valueMetadata"] += valued
    return found


def objects(path: Path) -> Counter:
    """The objects openpyxl may drop in the workbook at *path* (a file a user named: read within the limits)."""
    from ..importing.limits import LIMITS
    from ..importing.guard import read_parts

    return _count(read_parts(path, _wanted, limit=LIMITS["unzipped_bytes"]))


def quiet_load(load, *args, **kwargs):
    """``load(*args, **kwargs)`` (openpyxl's ``load_workbook``) without its warnings of the extensions it drops
    («… extension is not supported and will be removed», English, on stderr): :func:`require_kept` names them."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*(extension|Extension).*not supported", category=UserWarning)
        return load(*args, **kwargs)


def require_kept(source: Path, before: Counter, written: bytes, *, hint: str) -> None:
    """InputError when *written* (the workbook openpyxl made of *source*) has fewer of *before*'s objects."""
    if not before:
        return
    with zipfile.ZipFile(io.BytesIO(written)) as zf:
        after = _count({n.lower(): zf.read(n) for n in zf.namelist() if _wanted(n.lower())})
    lost = before - after
    if not lost:
        return
    kinds = sorted(lost.items(), key=lambda kv: list(_WORDS).index(kv[0]))
    what = "、".join(f"{n} 个{' ' if _WORDS[k][0].isascii() else ''}{_WORDS[k]}" for k, n in kinds)
    raise InputError(
        f"“{Path(source).name}”中有 xltargets 改写时无法保留的内容：{what}。改写会丢失它们，未做任何修改。",
        hint=hint,
        path=str(source),
        en=f"{Path(source).name} holds objects an openpyxl edit drops ({', '.join(sorted(lost))}); nothing was changed",
    )
