#!/usr/bin/env python3
"""What XlsxWriter's public API costs per formula kind of one project sheet.

    python bench/formula_cost.py            # 200 sheets a kind, median of 3 rounds
    python bench/formula_cost.py --sheets 5 # a quick look (the smoke test)

XlsxWriter rewrites every formula it is given with regular expressions (to
prefix newer Excel functions with ``_xlfn.``): ~29 for a cell formula, ~130
for a validation or conditional-format formula; there is no public switch.
This lays out one project sheet (15 indicators + the blank rows, as
``import`` does) and times, in CPU time, XlsxWriter writing only its cell
formulas, only its validations, only its conditional formats (each into a
new constant-memory sheet, the workbook closed, minus the same number of
empty sheets), and prints the cost per sheet with the formulas' count and
length. Only packages from pyproject.toml are needed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

SHEETS = 200


def _form():
    from xltargets.model import Indicator, Project
    from xltargets.workbook.build import BLANK_ROWS
    from xltargets.workbook.layout import layout_form
    from xltargets.workbook.template import load_template

    project = Project(name="项目", indicators=[Indicator() for _ in range(15)])
    return layout_form(load_template(), project, sheet="项目", blank_rows=BLANK_ROWS)


def _write(form, kind: str, sheets: int = SHEETS) -> float:
    """CPU seconds a sheet for XlsxWriter to take and write *kind* of *form* (``none``: an empty sheet)."""
    import xlsxwriter

    from xltargets.workbook.layout import FORMULA
    from xltargets.workbook.xlsxform import _bounds, validation_options

    cells = [(r, c, v) for (r, c), (k, v, _, _) in sorted(form.cells.items()) if k == FORMULA]
    wb = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    start = time.process_time()
    for _ in range(sheets):
        ws = wb.add_worksheet()
        if kind == "cell":
            for r, c, v in cells:
                ws.write_formula(r - 1, c - 1, v, None, "")
        elif kind == "validation":
            for sqref, dv, f1, f2, texts in form.validations:
                opts = validation_options(dv, f1, f2, texts)
                if " " in sqref:
                    opts["multi_range"] = sqref
                ws.data_validation(*_bounds(sqref.split()[0]), opts)
        elif kind == "conditional format":
            for sqref, _rule, formulas in form.conditional_formats:
                opts = {"type": "formula", "criteria": "=" + formulas[0], "format": None}
                if " " in sqref:
                    opts["multi_range"] = sqref
                ws.conditional_format(*_bounds(sqref.split()[0]), opts)
    wb.close()
    return (time.process_time() - start) / sheets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=SHEETS, help="sheets a kind and round (default %(default)s)")
    sheets = parser.parse_args(argv).sheets
    form = _form()
    cells = [v for _, (k, v, _, _) in sorted(form.cells.items()) if k == "f"]
    validations = [f for _, _, f1, f2, _ in form.validations for f in (f1, f2) if f]
    formats = [f for _, _, fs in form.conditional_formats for f in fs]
    shape = {
        "cell": (len(cells), sum(map(len, cells))),
        "validation": (len(form.validations), sum(map(len, validations))),
        "conditional format": (len(form.conditional_formats), sum(map(len, formats))),
    }
    print("| formula kind | per sheet | characters | ms a sheet (CPU) |")
    print("|---|---:|---:|---:|")
    total = 0.0
    for kind, (count, chars) in shape.items():
        ms = statistics.median((_write(form, kind, sheets) - _write(form, "none", sheets)) * 1000 for _ in range(3))
        total += ms
        print(f"| {kind} | {count} | {chars:,} | {ms:.1f} |")
    print(f"| all | | | {total:.1f} |")


if __name__ == "__main__":
    main()
