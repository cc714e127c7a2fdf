"""One project's 申报表 laid out from the template: cells, merges, heights, checks.

:func:`layout_form` turns (template, project, start row) into a :class:`Form`:
plain data that a writer puts into a worksheet. XlsxWriter writes new
workbooks from it (:mod:`.xlsxform`), openpyxl edits existing ones
(:mod:`.render`), so both give the same form.

The template is compiled once into a :class:`Plan` (which cells, which styles,
which values are fixed, how formulas and ranges move); the repeat row is laid
out once per indicator (plus ``blank_rows`` empty ones to fill in) and
everything below it moves down, formulas included (see :mod:`.refs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import NamedTuple

import jinja2
from jinja2 import nodes
from openpyxl.utils import get_column_letter, range_boundaries

from ..errors import TemplateError
from ..memo import remembered
from ..model import Indicator, Project
from .fit import row_height
from .program import FormProgram
from .refs import RowMap, _tokens, split_sheet
from .template import Template, VMerge
from .values import MAX_CELL_TEXT, TEXT, cell_value, text_cell

__all__ = ["Form", "Plan", "plan_for", "layout_form", "FORMULA"]

#: the kind of a formula cell in :attr:`Form.cells`
FORMULA = "f"

#: the texts of a data validation that may hold jinja2 expressions (rendered per project)
VALIDATION_TEXTS = ("errorTitle", "error", "promptTitle", "prompt")


@dataclass
class Form:
    """A laid-out form. Rows and columns are 1-based sheet coordinates.

    ``cells`` maps (row, col) to ``(kind, value, style, quote)``: kind is one
    of :mod:`.values`' kinds, :data:`FORMULA`, or None for an empty styled
    cell; ``style`` indexes :attr:`Plan.styles` (None: no style).
    """

    cells: dict[tuple[int, int], tuple]
    merges: list[tuple[int, int, int, int]]
    heights: dict[int, float]
    #: (moved range, template DataValidation, formula1, formula2, {attribute: rendered text})
    validations: list[tuple]
    #: (moved range, template Rule, moved formulas)
    conditional_formats: list[tuple]
    first_row: int
    last_row: int
    rm: RowMap = field(repr=False, default=None)


class Plan:
    """A template compiled for laying out forms with or without the check columns."""

    def __init__(self, t: Template, checks: bool):
        lo, hi = t.print_columns
        self.template = t
        self.checks = checks
        self.columns = range(1, t.ws.max_column + 1) if checks else range(lo, hi + 1)
        keep = self.columns
        #: template cells with a style (also empty bordered ones), in sheet order
        self.styles = [src for row in t.ws.iter_rows() for src in row if src.column in keep and src.has_style]
        self.style_at = {(src.row, src.column): k for k, src in enumerate(self.styles)}
        first, last = t.rows
        #: the styles of this band's rows (all of them for a one-loop template), by index in ``styles``
        self.band_styles = [(k, src) for k, src in enumerate(self.styles) if first <= src.row <= last]
        self.wrap = [bool(src.alignment is not None and src.alignment.wrap_text) for src in self.styles]
        self.size = [float(src.font.sz or 11) if src.font is not None else 11.0 for src in self.styles]
        specs = [s for s in t.cells if s.column in keep]
        self.fixed = [s for s in specs if s.render is None]
        header = [s for s in specs if s.render is not None and s.row != t.repeat_row]
        repeat = [s for s in specs if s.render is not None and s.row == t.repeat_row]
        self.program = FormProgram(t, header, repeat)
        #: the style of each header / repeat-row expression cell, in the program's order
        self.header_styles = [self.style_at.get((s.row, s.column)) for s in self.program.header]
        self.repeat_styles = [self.style_at.get((s.row, s.column)) for s in self.program.repeat]
        #: every styled cell of the band as (template row, column, its empty cell)
        self.blanks = [(src.row, src.column, (None, None, k, False)) for k, src in self.band_styles]
        self.merges = sorted(
            ((cr.min_col, cr.min_row, cr.max_col, cr.max_row) for cr in t.ws.merged_cells.ranges),
            key=lambda m: (m[1], m[0]),
        )
        self.merges = [m for m in self.merges if m[0] in keep and m[2] in keep and first <= m[1] and m[3] <= last]
        self.repeat_spans = {c1: c2 for c1, r1, c2, r2 in self.merges if r1 == r2 == t.repeat_row}
        self.heights = [(r, dim.height) for r, dim in t.ws.row_dimensions.items()
                        if dim.height is not None and first <= r <= last]
        self.widths = [
            (dim.min or 1, dim.max or dim.min or 1, dim.width, bool(dim.hidden))
            for dim in t.ws.column_dimensions.values()
            if dim.width and (dim.min or 1) in keep
        ]
        self.validations = [dv for dv in t.ws.data_validations.dataValidation
                            if _in_rows(str(dv.sqref), first, last)] if checks else []
        #: per validation, its texts that hold jinja2 (``{{ project.money_unit }}``), compiled
        self.validation_texts = [
            {attr: t.env.from_string(text) for attr in VALIDATION_TEXTS
             if isinstance(text := getattr(dv, attr), str) and ("{{" in text or "{%" in text)}
            for dv in self.validations
        ]
        #: per validation text, the project fields it reads when those alone decide it (else None)
        self.validation_fields = [
            {attr: _project_fields(t.env, getattr(dv, attr)) for attr in texts}
            for dv, texts in zip(self.validations, self.validation_texts)
        ]
        #: validation texts rendered, by (validation, attribute, the project fields' values)
        self.rendered_texts: dict[tuple, str] = {}
        self.conditional_formats = (
            [(str(cf.sqref), list(cf.rules)) for cf in t.ws.conditional_formatting
             if _in_rows(str(cf.sqref), first, last)] if checks else []
        )
        formulas = [spec.static for spec in self.fixed if spec.formula]
        formulas += [f for dv in self.validations for f in (dv.formula1, dv.formula2) if f]
        formulas += [f for _, rules in self.conditional_formats for rule in rules for f in rule.formula]
        #: a formula of the band names the template's own sheet (then it names each form's sheet instead)
        self.names_sheet = any(_names_sheet(f, t.title) for f in formulas)
        self._widths: dict[tuple[int, int], float] = {}
        #: XlsxWriter format properties by (style, quote), worked out once for every workbook (:mod:`.xlsxform`)
        self.format_props: dict[tuple[int, bool], dict] = {}

    def width(self, c1: int, c2: int) -> float:
        """Width of template columns c1..c2 (a merged cell) in column-width units."""
        w = self._widths.get((c1, c2))
        if w is None:
            total = 0.0
            for c in range(c1, c2 + 1):
                dim = self.template.ws.column_dimensions.get(get_column_letter(c))
                total += dim.width if dim is not None and dim.width else 8.43
            w = self._widths[(c1, c2)] = total
        return w


def _in_rows(sqref: str, first: int, last: int) -> bool:
    """True when the first range of *sqref* starts within rows first..last (its band)."""
    _, min_row, _, _ = range_boundaries(sqref.split()[0])
    return first <= (min_row or 1) <= last


def _project_fields(env: jinja2.Environment, text: str) -> tuple[str, ...] | None:
    """The fields ``project.<field>`` that jinja2 *text* reads, when it reads no other name and
    ``project`` only so (its rendering is then decided by their values); else None."""
    try:
        ast = env.parse(text)
    except jinja2.TemplateError:
        return None
    names = list(ast.find_all(nodes.Name))
    fields = {n.attr for n in ast.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "project"}
    uses = sum(1 for n in ast.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "project")
    if any(n.name != "project" or n.ctx != "load" for n in names) or uses != len(names):
        return None
    return tuple(sorted(fields))


def plan_for(t: Template, checks: bool) -> Plan:
    """The template's plan (made once per template and *checks*)."""
    plan = t.plans.get(checks)
    if plan is None:
        plan = t.plans[checks] = Plan(t, checks)
    return plan


@remembered(1 << 15)
def _moved(rm: RowMap, formula: str, sheet: str, new_sheet: str, on_copy: int | None) -> str:
    return rm.formula(formula, sheet=sheet, new_sheet=new_sheet, on_copy=on_copy)


@remembered(1 << 12)
def _names_sheet(formula: str, sheet: str) -> bool:
    """True when a reference in *formula* is qualified with *sheet* (RowMap.formula re-qualifies those)."""
    lead = formula if formula.startswith("=") else "=" + formula
    return any(is_range and split_sheet(value)[0] == sheet for value, is_range in _tokens(lead))


def moved_formula(rm: RowMap, formula: str, sheet: str, new_sheet: str, on_copy: int | None = None) -> str:
    """``rm.formula(...)``, remembered; the new sheet's name matters only where the formula names the old one."""
    if not _names_sheet(formula, sheet):
        new_sheet = sheet
    return _moved(rm, formula, sheet, new_sheet, on_copy)


@remembered(1 << 12)
def moved_sqref(rm: RowMap, sqref: str) -> str:
    return rm.sqref(sqref)


class _Shape(NamedTuple):
    """What a band's layout owes to the template and the row map alone, not to the project: the same
    for every form of as many rows at the same place (every project sheet of ``import``)."""

    #: the styled empty cells and the fixed values and formulas, as :attr:`Form.cells` holds them
    cells: dict
    #: the wrapped fixed texts by row: (text, column, style)
    texts: dict
    #: the template's row heights, moved
    heights: dict
    #: (moved range, template DataValidation, formula1, formula2) of each validation of the plan
    validations: list
    #: (moved range, template Rule, moved formulas)
    formats: list


@remembered(16)
def _shape(plan: Plan, rm: RowMap, sheet: str) -> _Shape:
    """The project-independent part of a band laid out with *rm* on sheet *sheet* (remembered: every
    project sheet of a workbook has its form at the top, and most have as many rows as the others)."""
    t = plan.template
    repeat, title = t.repeat_row, t.title
    copy_rows = [rm.copy_row(i) for i in range(rm.count)] if repeat is not None else []
    first = rm.first
    cells: dict[tuple[int, int], tuple] = {}
    for row, col, empty in plan.blanks:  # every styled template cell (also the empty, bordered ones)
        if row == repeat:
            for copy in copy_rows:
                cells[(copy, col)] = empty
        else:
            cells[(first(row), col)] = empty
    texts: dict[int, list[tuple[str, int, int | None]]] = {}
    for spec in plan.fixed:
        style = plan.style_at.get((spec.row, spec.column))
        for i, row in enumerate(copy_rows if spec.row == repeat else (first(spec.row),)):
            if spec.formula:
                on_copy = i if spec.row == repeat else None
                cells[(row, spec.column)] = (FORMULA, moved_formula(rm, spec.static, title, sheet, on_copy), style, False)
            else:
                kind, stored, quote = cell_value(spec.static, (sheet, row, spec.column))
                cells[(row, spec.column)] = (kind, stored, style, quote)
                if kind == TEXT and style is not None and plan.wrap[style]:
                    texts.setdefault(row, []).append((stored, spec.column, style))
    heights: dict[int, float] = {}
    for r, height in plan.heights:
        if r == repeat:
            for row in copy_rows:
                heights[row] = float(height)
        else:
            heights[first(r)] = float(height)
    validations = [
        (moved_sqref(rm, str(dv.sqref)), dv,
         moved_formula(rm, dv.formula1, title, sheet) if dv.formula1 else None,
         moved_formula(rm, dv.formula2, title, sheet) if dv.formula2 else None)
        for dv in plan.validations
    ]
    formats = []
    for sqref, rules in plan.conditional_formats:
        new_ref = moved_sqref(rm, sqref)
        # a conditional format's formula is relative to its range's first cell: on the repeat row (or above it),
        # that is the first copy, so "$D$13:$D13" stays the rows up to this one, as a cell formula on the row does
        on_copy = 0 if repeat is not None and _top_row(sqref) <= repeat else None
        for rule in rules:
            formats.append((new_ref, rule, [moved_formula(rm, f, title, sheet, on_copy) for f in rule.formula]))
    return _Shape(cells, texts, heights, validations, formats)


def _value(value):
    """Jinja results to cell values: a VMerge is its text, Markup/str are str."""
    if isinstance(value, VMerge):
        return str(value)
    return value


def layout_form(
    t: Template,
    project: Project,
    *,
    sheet: str,
    start_row: int = 1,
    blank_rows: int = 0,
    checks: bool = True,
) -> Form:
    """Lay out *project*'s 申报表 with its top at *start_row* of the sheet called *sheet*.

    A template with several repeat rows is laid out band by band, each below the one
    before (:attr:`Template.bands`); *blank_rows* go to the last band's repeat row."""
    if t.bands:
        forms = [_layout_band(t, project, sheet=sheet, start_row=start_row, checks=checks)]
        for i, band in enumerate(t.bands):
            last = i == len(t.bands) - 1
            forms.append(layout_form(band, project, sheet=sheet, start_row=forms[-1].last_row + 1,
                                     blank_rows=blank_rows if last else 0, checks=checks))
        return _joined(forms)
    return _layout_band(t, project, sheet=sheet, start_row=start_row, blank_rows=blank_rows, checks=checks)


def _joined(forms: list[Form]) -> Form:
    """One form of the bands laid out one below the other."""
    cells: dict = {}
    heights: dict = {}
    for f in forms:
        cells.update(f.cells)
        heights.update(f.heights)
    return Form(cells, [m for f in forms for m in f.merges], heights, [v for f in forms for v in f.validations],
                [c for f in forms for c in f.conditional_formats], forms[0].first_row, forms[-1].last_row, forms[0].rm)


def _layout_band(
    t: Template,
    project: Project,
    *,
    sheet: str,
    start_row: int = 1,
    blank_rows: int = 0,
    checks: bool = True,
) -> Form:
    """Lay out one band of the template (the whole template when it has one repeat row)."""
    plan = plan_for(t, checks)
    # the item of an empty row: a blank indicator for the indicators' loop (``ind``), else empty text
    blank = Indicator if t.loop_var == "ind" else str
    items = t.items({"project": project}) + [blank() for _ in range(max(blank_rows, 0))]
    if t.repeat_row is not None and not items:
        items = [blank()]
    repeat = t.repeat_row
    rm = RowMap(offset=start_row - t.rows[0], repeat=repeat, count=max(len(items), 1))
    count = rm.count
    copy_rows = [rm.copy_row(i) for i in range(count)] if repeat is not None else []
    # the styled empty cells, fixed values and formulas, heights, validations, conditional formats
    shape = _shape(plan, rm, sheet if plan.names_sheet else t.title)
    cells = dict(shape.cells)
    # wrapped text per row: (text, col, style)
    texts: dict[int, list[tuple[str, int, int | None]]] = {row: list(found) for row, found in shape.texts.items()}
    first = rm.first
    wrap = plan.wrap

    def put(row: int, col: int, value, style: int | None) -> None:
        if value.__class__ is str and len(value) <= MAX_CELL_TEXT:  # most values: cell_value's remembered part
            kind, stored, quote = text_cell(value)
        else:
            kind, stored, quote = cell_value(value, (sheet, row, col))
        cells[(row, col)] = (kind, stored, style, quote)
        if kind == TEXT and style is not None and wrap[style]:
            texts.setdefault(row, []).append((stored, col, style))

    head, rows = plan.program.run(project, items) if (plan.program.header or plan.program.repeat) else ([], [])
    for spec, style, value in zip(plan.program.header, plan.header_styles, head):
        put(first(spec.row), spec.column, _value(value), style)
    vmerge: dict[int, list[tuple]] = {}
    repeat_cells = list(zip(plan.program.repeat, plan.repeat_styles))
    for i, values in enumerate(rows):
        row = copy_rows[i]
        for (spec, style), value in zip(repeat_cells, values):
            if value.__class__ is VMerge:
                vmerge.setdefault(spec.column, []).append((i, value.key if value else None))
                value = str(value)
            put(row, spec.column, value, style)

    # merges: template merges moved/grown, repeat-row merges per copy, vertical runs
    merges: list[tuple[int, int, int, int]] = []
    for c1, r1, c2, r2 in plan.merges:
        if r1 == r2 == repeat:
            if c1 in vmerge:
                continue  # merged below together with the vertical runs
            for i in range(count):
                merges.append((c1, copy_rows[i], c2, copy_rows[i]))
        else:
            a, b = rm.span(r1, r2)
            merges.append((c1, a, c2, b))
    for col, marks in vmerge.items():
        c2 = plan.repeat_spans.get(col, col)
        keys = {i: key for i, key in marks}
        i = 0
        while i < count:
            j = i
            while keys.get(i) is not None and j + 1 < count and keys.get(j + 1) == keys[i]:
                j += 1
            if j > i or c2 > col:
                merges.append((col, copy_rows[i], c2, copy_rows[j]))
            for k in range(i + 1, j + 1):
                _, _, style, _ = cells.get((copy_rows[k], col), (None, None, None, False))
                cells[(copy_rows[k], col)] = (None, None, style, False)
            i = j + 1
    merges = _without_nested(merges)

    # row heights: template heights, grown to fit wrapped text
    heights = dict(shape.heights)
    widths = {}
    tall: set[tuple[int, int]] = set()
    for c1, r1, c2, r2 in merges:
        if r1 == r2:
            widths[(r1, c1)] = (c1, c2)
        else:
            tall.update(product(range(r1, r2 + 1), range(c1, c2 + 1)))
    for row, row_texts in texts.items():
        best = heights.get(row) or 0
        for text, col, style in row_texts:
            if (row, col) in tall:
                continue  # spans rows: its rows are sized by their own cells
            c1, c2 = widths.get((row, col), (col, col))
            best = max(best, row_height(text, plan.width(c1, c2), plan.size[style]))
        if best:
            heights[row] = best

    validations = [
        (sqref, dv, f1, f2, {attr: _validation_text(tmpl, project, t, attr, plan, k) for attr, tmpl in jinja_texts.items()})
        for k, ((sqref, dv, f1, f2), jinja_texts) in enumerate(zip(shape.validations, plan.validation_texts))
    ]
    return Form(cells, merges, heights, validations, list(shape.formats), start_row, rm.last(t.rows[1]), rm)


#: the most validation texts a plan remembers (one per distinct value of the fields they read)
_RENDERED_TEXTS = 4096


def _top_row(sqref: str) -> int:
    """The first row of a conditional format's range (``"B5 D5:F5"`` → 5)."""
    return range_boundaries(str(sqref).split()[0])[1] or 1


def _validation_text(tmpl, project: Project, t: Template, attr: str, plan: Plan | None = None, k: int = 0) -> str:
    """A validation message of the template rendered for *project* (TemplateError naming it on failure);
    remembered in *plan* by the values of the project fields it reads, when those alone decide it."""
    fields = plan.validation_fields[k].get(attr) if plan is not None else None
    key = None
    if fields is not None:
        key = (k, attr, tuple(getattr(project, f, None) for f in fields))
        try:
            text = plan.rendered_texts.get(key)
        except TypeError:  # a field of no hashable value
            key = text = None
        if text is not None:
            return text
    text = _render_validation_text(tmpl, project, t, attr)
    if key is not None and len(plan.rendered_texts) < _RENDERED_TEXTS:
        plan.rendered_texts[key] = text
    return text


def _render_validation_text(tmpl, project: Project, t: Template, attr: str) -> str:
    try:
        return tmpl.render(project=project)
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"模板“{t.path.name}”的数据验证提示（{attr}）无法填写：{exc}",
            hint="检查数据验证的输入信息或出错警告中 {{ … }} 的字段名（如 project.money_unit）。",
            path=str(t.path),
        ) from exc


def _without_nested(merges: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Merges in order, without one that lies inside or overlaps an earlier one (Excel allows neither)."""
    kept: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for merge in merges:
        c1, r1, c2, r2 = merge
        area = list(product(range(r1, r2 + 1), range(c1, c2 + 1)))
        if taken.isdisjoint(area):
            taken.update(area)
            kept.append(merge)
    return kept
