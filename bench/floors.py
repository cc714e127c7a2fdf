"""The floors the benchmark compares with, measured in the same run on the same files.

* **write floor** – XlsxWriter writing *the same cells with the same formats*
  as a workbook xltargets produced: :func:`extract_plan` reads that workbook
  once with openpyxl (not timed) into a plain plan (values, types, one format
  per distinct cell style, merges, row heights, column widths, data
  validation, conditional formats, defined names, page setup, hyperlinks,
  tables, the VBA project); :func:`write_plan` writes the plan with
  XlsxWriter (timed).
* **read floor** – python-calamine reading every cell of every sheet of a
  file (:func:`read_all_cells`).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["extract_plan", "write_plan", "read_all_cells", "plan_stats"]

_BORDERS = {
    None: 0, "thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7,
    "mediumDashed": 8, "dashDot": 9, "mediumDashDot": 10, "dashDotDot": 11, "mediumDashDotDot": 12,
    "slantDashDot": 13,
}
_VERTICAL = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify", "distributed": "vdistributed"}
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _color(c) -> str | None:
    rgb = getattr(c, "rgb", None) if c is not None else None
    if isinstance(rgb, str) and len(rgb) == 8:
        return "#" + rgb[2:]
    return None


def _font(props: dict, font) -> None:
    if font is None:
        return
    if font.name:
        props["font_name"] = font.name
    if font.sz:
        props["font_size"] = float(font.sz)
    if font.b:
        props["bold"] = True
    if font.i:
        props["italic"] = True
    if font.u:
        props["underline"] = 1 if font.u == "single" else 2
    if font.strike:
        props["font_strikeout"] = True
    color = _color(font.color)
    if color:
        props["font_color"] = color


def _fill(props: dict, fill) -> None:
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return
    props["pattern"] = 1
    color = _color(fill.fgColor) or _color(fill.start_color)
    if color:
        props["bg_color"] = color


def cell_format(cell) -> dict:
    """XlsxWriter format properties of an openpyxl cell's style."""
    props: dict[str, Any] = {}
    _font(props, cell.font)
    _fill(props, cell.fill)
    b = cell.border
    for side in ("left", "right", "top", "bottom"):
        s = getattr(b, side)
        if s is not None and s.style:
            props[side] = _BORDERS.get(s.style, 1)
            color = _color(s.color)
            if color:
                props[f"{side}_color"] = color
    a = cell.alignment
    if a.horizontal and a.horizontal != "general":
        props["align"] = "center_across" if a.horizontal == "centerContinuous" else a.horizontal
    if a.vertical:
        props["valign"] = _VERTICAL.get(a.vertical, a.vertical)
    if a.wrap_text:
        props["text_wrap"] = True
    if a.shrink_to_fit:
        props["shrink"] = True
    if a.indent:
        props["indent"] = int(a.indent)
    if a.text_rotation:
        props["rotation"] = int(a.text_rotation)
    if cell.number_format and cell.number_format != "General":
        props["num_format"] = cell.number_format
    if cell.protection.locked is False:
        props["locked"] = False
    if cell.protection.hidden:
        props["hidden"] = True
    if cell.quotePrefix:
        props["quote_prefix"] = True
    return props


def _dxf(dxf) -> dict:
    props: dict[str, Any] = {}
    if dxf is None:
        return props
    _font(props, dxf.font)
    if dxf.fill is not None:
        color = _color(dxf.fill.bgColor) or _color(dxf.fill.fgColor)
        if color:
            props["bg_color"] = color
    return props


def _dv_options(dv) -> dict:
    kind = dv.type or "any"
    opts: dict[str, Any] = {
        "ignore_blank": bool(dv.allow_blank),
        "show_input": bool(dv.showInputMessage),
        "show_error": bool(dv.showErrorMessage),
    }
    if dv.errorStyle and dv.errorStyle != "stop":
        opts["error_type"] = "warning" if dv.errorStyle == "warning" else "information"
    for key, attr in (("input_title", "promptTitle"), ("input_message", "prompt"),
                      ("error_title", "errorTitle"), ("error_message", "error")):
        value = getattr(dv, attr)
        if value:
            opts[key] = value
    f1 = "=" + dv.formula1 if dv.formula1 else None
    f2 = "=" + dv.formula2 if dv.formula2 else None
    if kind == "list":
        opts.update(validate="list", source=f1)
    elif kind == "custom":
        opts.update(validate="custom", value=f1)
    else:
        op = {"greaterThanOrEqual": ">=", "lessThanOrEqual": "<=", "greaterThan": ">", "lessThan": "<",
              "equal": "==", "notEqual": "!=", "notBetween": "not between"}.get(dv.operator or "", "between")
        opts.update(validate=kind, criteria=op)
        if op in ("between", "not between"):
            opts.update(minimum=f1, maximum=f2)
        else:
            opts.update(value=f1)
    return opts


def _ranges(sqref: str) -> list[str]:
    return str(sqref).split()


def extract_plan(path: Path) -> dict:
    """Everything XlsxWriter needs to write the cells of *path* again, as plain data."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries

    path = Path(path)
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=False)
    formats: list[dict] = []
    format_ids: dict[tuple, int] = {}
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for (r, c), cell in sorted(ws._cells.items()):
            value = cell._value
            if value is None and not cell.has_style:
                continue
            fid = None
            if cell.has_style:
                key = tuple(cell._style)
                fid = format_ids.get(key)
                if fid is None:
                    fid = format_ids[key] = len(formats)
                    formats.append(cell_format(cell))
            kind = cell.data_type if value is not None else "blank"
            if kind == "f":
                value = str(value)
            cells.append((r - 1, c - 1, kind, value, fid, cell.hyperlink.location if cell.hyperlink else None,
                          cell.hyperlink.target if cell.hyperlink else None))
        merges = [range_boundaries(str(m)) for m in ws.merged_cells.ranges]
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
        widths = []
        for letter, d in ws.column_dimensions.items():
            if d.width or d.hidden:
                widths.append(((d.min or 1) - 1, (d.max or d.min or 1) - 1, d.width, bool(d.hidden)))
        dvs = [(_ranges(dv.sqref), _dv_options(dv)) for dv in ws.data_validations.dataValidation]
        cfs = []
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                cfs.append((_ranges(cf.sqref), ["=" + f for f in rule.formula], _dxf(rule.dxf)))
        ps = ws.page_setup
        tables = [(t.displayName, t.ref, [c.name for c in t.tableColumns] if t.tableColumns else None,
                   t.tableStyleInfo.name if t.tableStyleInfo else None) for t in ws.tables.values()]
        sheets.append({
            "title": ws.title,
            "hidden": ws.sheet_state != "visible",
            "cells": cells,
            "merges": merges,
            "heights": heights,
            "widths": widths,
            "dvs": dvs,
            "cfs": cfs,
            "paper": int(ps.paperSize) if ps.paperSize else None,
            "landscape": ps.orientation == "landscape",
            "fit": (ps.fitToWidth, ps.fitToHeight) if ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage else None,
            "print_area": ws.print_area if isinstance(ws.print_area, str) else (ws.print_area[0] if ws.print_area else None),
            "print_title_rows": ws.print_title_rows,
            "gridlines": ws.sheet_view.showGridLines is not False,
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "row_breaks": [b.id for b in ws.row_breaks.brk],
            "footer": ws.oddFooter.center.text if ws.oddFooter and ws.oddFooter.center.text else None,
            "tables": tables,
            "charts": len(ws._charts),
        })
    names = [(n.name, n.attr_text) for n in wb.defined_names.values()]
    vba = None
    if path.suffix.lower() == ".xlsm":
        with zipfile.ZipFile(path) as zf:
            if "xl/vbaProject.bin" in zf.namelist():
                vba = zf.read("xl/vbaProject.bin")
    return {"formats": formats, "sheets": sheets, "names": names, "vba": vba, "suffix": path.suffix.lower()}


def plan_stats(plan: dict) -> dict:
    """Counts that say how much the floor writes."""
    return {
        "sheets": len(plan["sheets"]),
        "cells": sum(len(s["cells"]) for s in plan["sheets"]),
        "merges": sum(len(s["merges"]) for s in plan["sheets"]),
        "formats": len(plan["formats"]),
        "validations": sum(len(s["dvs"]) for s in plan["sheets"]),
        "conditional_formats": sum(len(s["cfs"]) for s in plan["sheets"]),
    }


def _first_cell(ref: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(ref.split(":")[0].replace("$", ""))


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    a, _, b = ref.replace("$", "").partition(":")
    r1, c1 = xl_cell_to_rowcol(a)
    r2, c2 = xl_cell_to_rowcol(b or a)
    return r1, c1, r2, c2


def _lean_worksheet_class():
    """XlsxWriter's Worksheet without its formula rewriting.

    XlsxWriter runs up to ~130 regular expressions over every formula (cell,
    validation, conditional format) to prefix newer functions with ``_xlfn.``;
    on formula-heavy sheets such as the 申报表 that is most of its time. None
    of our formulas uses such a function (:func:`formulas_unchanged` checks,
    untimed), so the lean class writes the very same bytes, faster: the
    stricter floor.
    """
    from xlsxwriter.worksheet import Worksheet

    class LeanWorksheet(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            if formula.startswith("{"):
                formula = formula[1:]
            if formula.startswith("="):
                formula = formula[1:]
            if formula.endswith("}"):
                formula = formula[:-1]
            return formula

    return LeanWorksheet


def formulas_unchanged(plan: dict) -> bool:
    """True when XlsxWriter's formula rewriting leaves every formula of *plan* as it is."""
    from xlsxwriter.worksheet import Worksheet

    full = Worksheet()
    lean = _lean_worksheet_class()()
    formulas = set()
    for s in plan["sheets"]:
        formulas.update(v for _, _, kind, v, *_ in s["cells"] if kind == "f")
        for _, opts in s["dvs"]:
            formulas.update(v for k, v in opts.items() if k in ("source", "value", "minimum", "maximum") and v)
        for _, fs, _ in s["cfs"]:
            formulas.update(fs)
    return all(full._prepare_formula(f, True) == lean._prepare_formula(f, True) for f in formulas)


def write_plan(plan: dict, out: Path, *, lean: bool = True) -> None:
    """Write *plan* with XlsxWriter: the floor of every xltargets writer.

    *lean* skips XlsxWriter's formula rewriting (see :func:`_lean_worksheet_class`);
    only valid when :func:`formulas_unchanged` holds.
    """
    import xlsxwriter

    out = Path(out)
    worksheet_class = _lean_worksheet_class() if lean else None
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    formats = [wb.add_format(props) for props in plan["formats"]]
    dxfs: dict[tuple, Any] = {}
    vba_tmp = None
    if plan["vba"] is not None and out.suffix.lower() == ".xlsm":
        vba_tmp = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
        vba_tmp.write(plan["vba"])
        vba_tmp.close()
        wb.add_vba_project(vba_tmp.name)
    for s in plan["sheets"]:
        ws = wb.add_worksheet(s["title"], worksheet_class=worksheet_class)
        if s["hidden"]:
            ws.hide()
        for c1, c2, width, hidden in s["widths"]:
            ws.set_column(c1, c2, width, None, {"hidden": hidden} if hidden else None)
        for r, h in s["heights"].items():
            ws.set_row(r - 1, h)
        for r1c1 in s["merges"]:
            c1, r1, c2, r2 = r1c1
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None)
        for r, c, kind, value, fid, location, target in s["cells"]:
            fmt = formats[fid] if fid is not None else None
            if location or target:
                url = f"internal:{location}" if location else target
                ws.write_url(r, c, url, fmt, value if isinstance(value, str) else None)
            elif kind == "s":
                ws.write_string(r, c, value, fmt)
            elif kind == "n":
                ws.write_number(r, c, value, fmt)
            elif kind == "f":
                ws.write_formula(r, c, value, fmt, "")
            elif kind == "d":
                ws.write_datetime(r, c, value, fmt)
            elif kind == "b":
                ws.write_boolean(r, c, value, fmt)
            else:
                ws.write_blank(r, c, None, fmt)
        for ranges, opts in s["dvs"]:
            r1, c1, r2, c2 = _bounds(ranges[0])
            o = dict(opts)
            if len(ranges) > 1:
                o["multi_range"] = " ".join(ranges)
            ws.data_validation(r1, c1, r2, c2, o)
        for ranges, formulas, dxf in s["cfs"]:
            r1, c1, r2, c2 = _bounds(ranges[0])
            key = tuple(sorted(dxf.items()))
            if key not in dxfs:
                dxfs[key] = wb.add_format(dxf)
            o = {"type": "formula", "criteria": formulas[0] if formulas else "=TRUE", "format": dxfs[key]}
            if len(ranges) > 1:
                o["multi_range"] = " ".join(ranges)
            ws.conditional_format(r1, c1, r2, c2, o)
        if s["paper"]:
            ws.set_paper(s["paper"])
        if s["landscape"]:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if s["fit"]:
            ws.fit_to_pages(s["fit"][0] or 0, s["fit"][1] or 0)
        if s["print_area"]:
            ws.print_area(s["print_area"].rpartition("!")[2].replace("$", ""))
        if s["print_title_rows"]:
            a, _, b = s["print_title_rows"].replace("$", "").partition(":")
            ws.repeat_rows(int(a) - 1, int(b or a) - 1)
        if not s["gridlines"]:
            ws.hide_gridlines(2)
        if s["freeze"]:
            ws.freeze_panes(*_first_cell(s["freeze"]))
        if s["autofilter"]:
            ws.autofilter(s["autofilter"])
        if s["row_breaks"]:
            ws.set_h_pagebreaks(s["row_breaks"])
        if s["footer"]:
            ws.set_footer("&C" + s["footer"])
        for name, ref, columns, style in s["tables"]:
            r1, c1, r2, c2 = _bounds(ref)
            opts: dict[str, Any] = {"name": name, "style": style}
            if columns:
                opts["columns"] = [{"header": h} for h in columns]
            ws.add_table(r1, c1, r2, c2, opts)
        for _ in range(s["charts"]):
            chart = wb.add_chart({"type": "bar"})
            chart.add_series({"values": [s["title"], 2, 5, 2 + 10, 5]})
            ws.insert_chart("A1", chart)
    for name, ref in plan["names"]:
        wb.define_name(name, "=" + ref)
    wb.close()
    if vba_tmp is not None:
        Path(vba_tmp.name).unlink()


def read_all_cells(path: Path) -> int:
    """python-calamine: every cell of every sheet of *path*; returns the number of cells."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    n = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        n += sum(len(r) for r in rows)
    return n
