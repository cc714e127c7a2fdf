"""An edit through openpyxl (``new`` in place or ``-o``, ``normalize``) never drops what a user drew in the workbook.

openpyxl keeps cells, comments, charts and pictures, but not text boxes and shapes, form controls, or a
sheet's x14 extensions (sparklines, the newer conditional formats). Until session 8's attack pass
``xltargets new 申报.xlsx --name …`` rewrote the workbook in place without them (a 盖章处 text box, a
button running a macro: gone, exit 0). Now such a workbook is refused, exit 2, nothing written; what
openpyxl keeps is edited as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from xltargets.cli import app
from xltargets.cli.testing import CliRunner


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _png(path: Path) -> Path:
    import base64

    path.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
    return path


def _add(kind: str, wb, ws, folder: Path) -> None:
    if kind == "text-box":
        ws.insert_textbox("H2", "盖章处：本表经单位负责人审核", {"width": 300, "height": 80})
    elif kind == "button":
        ws.insert_button("H8", {"macro": "Module1.Run", "caption": "校验"})
    elif kind == "sparkline":
        ws.add_sparkline("H12", {"range": "'申报表'!E20:E22"})
    elif kind == "data-bar-2010":
        ws.conditional_format("H14:H16", {"type": "data_bar", "data_bar_2010": True})
    elif kind == "chart":
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "='申报表'!$H$20:$H$22"})
        ws.insert_chart("J2", chart)
    elif kind == "picture":
        ws.insert_image("J20", str(_png(folder / "seal.png")))
    elif kind == "comment":
        ws.write_comment("B9", "单位负责人：请核对")
    elif kind == "spilling-formulas":  # Excel 365's dynamic arrays: a cell's cm="1" points into xl/metadata.xml
        ws.write_dynamic_array_formula("J20:J22", "=SORT(H20:H22)")
        ws.write_dynamic_array_formula("K20:K20", "=SUM(LEN(H20:H22))")
    elif kind == "pictures-in-cells":  # Excel 365's 放置在单元格中: a cell's vm="1" points into xl/metadata.xml, xl/richData/
        ws.embed_image("J20", str(_png(folder / "seal.png")))
        ws.embed_image("J21", str(folder / "seal.png"))
    elif kind == "background-picture":
        ws.set_background(str(_png(folder / "seal.png")))
    elif kind == "header-picture":  # a unit's logo printed on every page
        ws.set_header("&L&G", {"image_left": str(_png(folder / "seal.png"))})
    elif kind == "wps-pictures-in-cells":  # WPS's 嵌入单元格图片: the cell's formula names a picture of xl/cellimages.xml
        ws.write_formula("J20", '=_xlfn.DISPIMG("ID_5B3C0F",1)', None, '=DISPIMG("ID_5B3C0F",1)')
        ws.write_formula("J21", '=_xlfn.DISPIMG("ID_77A1E2",1)', None, '=DISPIMG("ID_77A1E2",1)')
    elif kind == "protected-ranges":  # 允许编辑区域 of a protected sheet: openpyxl keeps the protection, drops the ranges
        ws.protect()
        ws.unprotect_range("C17:C20", "填报区")
        ws.unprotect_range("H20:H22", None, "abc")
    elif kind == "legacy-array-formula":  # {=…}: openpyxl keeps it
        ws.write_array_formula("J20:J22", "{=H20:H22*2}")


#: parts Excel 365 writes that openpyxl does not write back (added to the zip XlsxWriter made)
_PARTS = {
    "threaded-comment": {
        "xl/threadedComments/threadedComment1.xml":
            '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
            '<threadedComment ref="B9" id="{00000000-0001-0000-0000-000000000000}"><text>请核对金额</text>'
            "</threadedComment></ThreadedComments>",
    },
    "power-query": {
        "xl/connections.xml": '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<connection id="1" name="查询 - 表1" type="5"/></connections>',
        "customXml/item1.xml": '<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAA</DataMashup>',
    },
}


def _wps_cell_image(n: int) -> str:
    return (f'<etc:cellImage><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{n}" name="ID_{n}" descr="img"/><xdr:cNvPicPr/>'
            f'</xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId{n}"/></xdr:blipFill></xdr:pic></etc:cellImage>')


_PARTS["wps-pictures-in-cells"] = {
    "xl/cellimages.xml": '<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData" '
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{_wps_cell_image(1)}{_wps_cell_image(2)}'
    "</etc:cellImages>",
    "xl/_rels/cellimages.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="media/image1.png"/></Relationships>',
}
#: an embedded Word document (an attachment) as Excel 2010+ writes it: twice (x14 and its fallback), its VML shape a Pict
_PARTS["embedded-document"] = {
    "xl/embeddings/Microsoft_Word_Document.docx": "PK",
    "xl/drawings/vmlDrawing9.vml": '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">'
    '<v:shape id="_x0000_s1025" type="#_x0000_t75"><x:ClientData ObjectType="Pict"><x:CF>Pict</x:CF></x:ClientData>'
    "</v:shape></xml>",
}
#: what such a workbook's sheet holds after its page margins
_SHEET = {
    "embedded-document": '<oleObjects><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x14"><oleObject progId="Word.Document.12" shapeId="1025" r:id="rId3"><objectPr defaultSize="0" '
    'r:id="rId4"><anchor moveWithCells="1"><from><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>19</xdr:row>'
    "<xdr:rowOff>0</xdr:rowOff></from><to><xdr:col>11</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>23</xdr:row>"
    '<xdr:rowOff>0</xdr:rowOff></to></anchor></objectPr></oleObject></mc:Choice><mc:Fallback><oleObject '
    'progId="Word.Document.12" shapeId="1025" r:id="rId3"/></mc:Fallback></mc:AlternateContent></oleObjects>',
}


def _with_parts(path: Path, parts: dict[str, str], sheet: str = "") -> None:
    """*parts* added to the workbook at *path*, *sheet* put in its first sheet after the page margins."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        had = {n: zf.read(n) for n in zf.namelist()}
    if sheet:
        xml = had["xl/worksheets/sheet1.xml"].decode()
        xml = re.sub(r"(<pageMargins[^>]*/>)", lambda m: m[1] + sheet, xml, count=1)
        had["xl/worksheets/sheet1.xml"] = xml.replace("<worksheet ", '<worksheet xmlns:xdr="http://schemas.'
                                                      'openxmlformats.org/drawingml/2006/spreadsheetDrawing" ', 1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**had, **parts}.items():
            zf.writestr(name, data)


def _seed_form(path: Path, seed_path: Path):
    """A workbook a user made at *path*, its sheet 申报表 holding the seed's first form as values: (wb, ws), open."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("申报表")
    for r, line in enumerate(seed_path.read_text(encoding="utf-8").splitlines()[:26]):
        for c, value in enumerate(line.split("\t")):
            if value:
                ws.write_string(r, c, value)
    return wb, ws


def _workbook(folder: Path, seed_path: Path, kind: str) -> Path:
    """The seed's first form as values in a workbook a user made, with *kind* added to its sheet."""
    path = folder / "申报.xlsx"
    wb, ws = _seed_form(path, seed_path)
    for r in (19, 20, 21):
        ws.write_number(r, 7, r)
    _add(kind, wb, ws, folder)
    wb.close()
    if kind in _PARTS:
        _with_parts(path, _PARTS[kind], _SHEET.get(kind, ""))
    return path


DROPPED = {
    "text-box": "1 个文本框或形状",
    "button": "1 个表单控件",
    "sparkline": "1 个迷你图",
    "data-bar-2010": "1 个新版条件格式",
    "threaded-comment": "1 个新版批注",
    "power-query": "1 个数据连接、1 个 Power Query 查询",
    "spilling-formulas": "2 个动态数组公式",
    "pictures-in-cells": "2 个单元格内图片或数据类型",
    "background-picture": "1 个工作表背景图片",
    "header-picture": "1 个页眉页脚中的图片",
    "wps-pictures-in-cells": "2 个 WPS 单元格内图片",
    "embedded-document": "1 个嵌入的对象（附件",
    "protected-ranges": "2 个允许编辑区域",
}
KEPT = ["chart", "picture", "comment", "legacy-array-formula"]


@pytest.mark.parametrize("kind", sorted(DROPPED))
@pytest.mark.parametrize("command", ["new-in-place", "new-o", "normalize"])
def test_an_edit_that_would_drop_what_openpyxl_cannot_keep_is_refused(tmp_path, seed_path, kind, command):
    book = _workbook(tmp_path, seed_path, kind)
    before = book.read_bytes()
    out = tmp_path / "另存.xlsx"
    args = {
        "new-in-place": ["new", book, "--name", "新增项目"],
        "new-o": ["new", book, "--name", "新增项目", "-o", out],
        "normalize": ["normalize", book, "-o", out],
    }[command]
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert f"无法保留的内容：{DROPPED[kind]}" in res.stderr and "未做任何修改" in res.stderr
    assert "Traceback" not in res.output + res.stderr
    assert book.read_bytes() == before and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["申报.xlsx"] + (["seal.png"] if kind in ("picture", "pictures-in-cells", "background-picture", "header-picture") else []))


@pytest.mark.parametrize("kind", KEPT)
def test_what_openpyxl_keeps_is_edited_as_before(tmp_path, seed_path, kind):
    from xltargets.workbook.keeps import objects

    book = _workbook(tmp_path, seed_path, kind)
    had = objects(book)
    res = run("new", book, "--name", "新增项目")
    assert res.exit_code == 0, res.output
    assert objects(book) == had
    import openpyxl

    assert "新增项目" in openpyxl.load_workbook(book).sheetnames


@pytest.mark.parametrize("command", ["new-in-place", "normalize"])
def test_words_in_red_or_bold_inside_a_cell_keep_their_look(tmp_path, seed_path, command):
    """A 年度总体目标 with one sentence in bold red (rich text): ``new`` in place read it as plain text and wrote it back
    plain, the words kept and their look lost (session 8's attack pass)."""
    import zipfile

    path = tmp_path / "申报.xlsx"
    wb, ws = _seed_form(path, seed_path)
    red = wb.add_format({"color": "red", "bold": True})
    ws.write_rich_string("C17", "扩大工作覆盖面。", red, "实现街镇级全覆盖", "；加大宣传力度")
    wb.close()
    out = path if command == "new-in-place" else tmp_path / "规范.xlsx"
    res = run("new", path, "--name", "新增项目") if command == "new-in-place" else run("normalize", path, "-o", out)
    assert res.exit_code == 0, res.output
    path = out
    with zipfile.ZipFile(path) as zf:
        parts = b"".join(zf.read(n) for n in zf.namelist() if n.startswith(("xl/worksheets/sheet", "xl/sharedStrings")))
    assert b'<b val="1"/><color rgb="FFFF0000"/>' in parts
    import openpyxl

    cell = openpyxl.load_workbook(path)["申报表"]["C17"].value
    assert cell == "扩大工作覆盖面。实现街镇级全覆盖；加大宣传力度"
