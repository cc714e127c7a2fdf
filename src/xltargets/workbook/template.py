"""Loading a 申报表 template: an ordinary .xlsx with jinja2 in its cells.

A finance officer can restyle the template in Excel: fonts, borders, widths,
heights, merges, validations and conditional formatting are all taken from
the file. What the renderer fills in is written in the cells:

* ``{{ project.name }}`` – a cell that is one expression keeps the value's
  type (amounts stay numbers, dates stay dates);
* ``({{ project.year or '' }}年度)`` – text with expressions becomes text;
* ``{% for ind in project.indicators %}`` at the start of one cell marks its
  row as the *repeat row*: it is written once per indicator with ``ind``
  bound to it, and everything below moves down;
* ``{{ ind.level1 | vmerge }}`` – equal neighbouring values in this column
  are merged into one cell, as on the official form; arguments must be equal
  too (``vmerge(ind.level1)`` merges 二级 only within the same 一级). The
  template writes ``{{ ind.level1 | vmerge(ind.level2 in LEVEL1) }}`` so a
  二级 spelled like a 一级 (older forms: 成本指标 under 产出指标) always has
  its 一级 written beside it and cannot be read as a new 一级.

Cells right of the template's print area are tooling (check formulas); the
renderer can leave them out (``checks=False``).

A template may have several repeat rows, each with its own loop (the
部门整体 form: ``{% for task in project.tasks %}`` and then the indicators).
The sheet is then cut into *bands*, each ending at a repeat row (the last
band runs to the end): each band is laid out below the one before, as a
template of its own (:attr:`Template.bands`). A merged range may not cross
from one band into the next, and references in formulas stay within a band.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import framework as fw
from ..errors import TemplateError
from ..tasks import task_cells

__all__ = ["Template", "VMerge", "load_template", "default_template_path", "TEMPLATE_NAME"]

#: File name of the shipped template in ``templates/``.
TEMPLATE_NAME = "declaration.xlsx"

_FOR = re.compile(r"^\s*\{%-?\s*for\s+(?P<var>[A-Za-z_]\w*)\s+in\s+(?P<expr>.+?)\s*-?%\}")
#: a cell holding just ``{{ project.<field> }}``: falls back to ``project.raw[<field>]``
_RAW_FIELD = re.compile(r"^\s*project\.([A-Za-z_][\w.]*)\s*$")
_WHOLE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\}\}).)*)\}\}\s*$", re.DOTALL)


class VMerge(str):
    """A value that asks to be merged with equal neighbours in its column."""

    key: tuple

    def __new__(cls, value: Any, *group: Any):
        obj = super().__new__(cls, "" if value is None else str(value))
        obj.key = (*(str(g) for g in group), str(obj))
        return obj


def _vmerge(value: Any, *group: Any) -> VMerge:
    return VMerge(value, *group)


def _finalize(value: Any) -> Any:
    return "" if value is None else value


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["vmerge"] = _vmerge
    env.globals["LEVEL1"] = fw.LEVEL1
    env.globals["task_cells"] = task_cells  # a 部门整体 task as table cells (name, content, amount)
    return env


@dataclass
class CellSpec:
    """How one template cell is filled: a fixed value or a compiled expression."""

    row: int
    column: int
    #: value of a plain cell (text, number, formula text)
    static: Any = None
    #: True when *static* is a formula to be moved with the rows
    formula: bool = False
    #: evaluates the cell for a context; None for plain cells
    render: Callable[[dict], Any] | None = None
    #: the cell's jinja2 source (without a leading ``{% for %}``); None for plain cells
    source: str | None = None


@dataclass
class Template:
    """A parsed template: the workbook, its form sheet and compiled cells."""

    path: Path
    wb: Workbook
    ws: Worksheet
    cells: list[CellSpec]
    repeat_row: int | None = None
    loop_var: str = "ind"
    loop_items: Callable[[dict], Any] | None = None
    #: first and last column of the printed form (1-based)
    print_columns: tuple[int, int] = (1, 1)
    env: jinja2.Environment = field(default_factory=_environment, repr=False)
    #: compiled rendering plans (see :mod:`.render`), by whether check columns are kept
    plans: dict = field(default_factory=dict, repr=False, compare=False)
    #: the template rows this band covers (first, last); the whole sheet for a one-loop template
    rows: tuple[int, int] = (1, 1)
    #: the bands after this one, laid out below it (templates with several repeat rows)
    bands: list["Template"] = field(default_factory=list, repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.ws.title

    def items(self, context: dict) -> list:
        """The objects the repeat row is written for."""
        if self.loop_items is None:
            return []
        try:
            return list(self.loop_items(context) or [])
        except jinja2.TemplateError as exc:
            raise TemplateError(
                f"模板“{self.path.name}”的重复行（第 {self.repeat_row} 行）循环表达式出错：{exc}",
                hint="检查 {% for … in … %} 中的字段名。",
                path=str(self.path),
            ) from exc


def default_template_path() -> Path:
    """``templates/declaration.xlsx`` beside the source tree (or $XLTARGETS_TEMPLATES)."""
    import os

    env = os.environ.get("XLTARGETS_TEMPLATES")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [here.parents[3] / "templates", here.parent / "templates"]
    for folder in candidates:
        if (folder / TEMPLATE_NAME).exists():
            return folder / TEMPLATE_NAME
    raise TemplateError(
        f"找不到申报表模板 {TEMPLATE_NAME}。",
        hint="确认 templates/ 文件夹随程序一起安装，或设置环境变量 XLTARGETS_TEMPLATES 指向它。",
    )


def _compile(env: jinja2.Environment, text: str, where: str, path: Path) -> Callable[[dict], Any]:
    """One cell's evaluation (jinja2's public API): a whole expression keeps its type, text renders."""
    try:
        m = _WHOLE.match(text)
        if m:
            expr = env.compile_expression(m.group("expr"), undefined_to_none=False)

            def run(ctx: dict) -> Any:
                value = expr(**ctx)
                if isinstance(value, jinja2.Undefined):
                    str(value)  # StrictUndefined: raises UndefinedError naming the field
                return value

        else:
            tmpl = env.from_string(text)

            def run(ctx: dict) -> Any:
                return tmpl.render(**ctx)

        field = raw_field(text)
        if field is None:
            return run

        def with_raw(ctx: dict) -> Any:
            # a date or amount that could not be read is None: show its text as written
            value = run(ctx)
            if value is None:
                raw = getattr(ctx.get("project"), "raw", None)
                if raw and field in raw:
                    return raw[field]
            return value

        return with_raw
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板“{path.name}”单元格 {where} 的表达式有语法错误：{exc.message}",
            hint="改正该单元格中 {{ … }} 或 {% … %} 的写法。",
            path=str(path),
        ) from exc


def whole_expression(text: str) -> str | None:
    """The expression of a cell that is just ``{{ … }}`` (its value keeps its type), else None."""
    m = _WHOLE.match(text)
    return m.group("expr") if m else None


def raw_field(text: str) -> str | None:
    """``name`` for a cell that is just ``{{ project.name }}``: a None value shows ``project.raw[name]``."""
    expr = whole_expression(text)
    m = _RAW_FIELD.match(expr) if expr is not None else None
    return m.group(1) if m else None


def _guard(render: Callable[[dict], Any], where: str, path: Path) -> Callable[[dict], Any]:
    def run(ctx: dict) -> Any:
        try:
            return render(ctx)
        except jinja2.TemplateError as exc:
            raise TemplateError(
                f"模板“{path.name}”单元格 {where} 无法填写：{exc}",
                hint="检查该单元格中的字段名（如 project.name、ind.level3）。",
                path=str(path),
            ) from exc

    return run


def parse_template(wb: Workbook, path: Path, sheet: str | None = None) -> Template:
    """Compile the cells of the form sheet of *wb*."""
    if sheet is not None:
        ws = wb[sheet]
    else:
        visible = [s for s in wb.worksheets if s.sheet_state == "visible"]
        if not visible:
            raise TemplateError(f"模板“{path.name}”中没有可见的工作表。", path=str(path))
        ws = visible[0]
    env = _environment()
    cells: list[CellSpec] = []
    #: repeat row → (loop variable, loop expression)
    loops: dict[int, tuple[str, Callable[[dict], Any]]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None or not hasattr(cell, "column_letter"):
                continue
            spec = CellSpec(row=cell.row, column=cell.column)
            if cell.data_type == "f":
                spec.static, spec.formula = str(value), True
            elif isinstance(value, str) and ("{{" in value or "{%" in value):
                m = _FOR.match(value)
                if m:
                    expr = _compile(env, "{{" + m.group("expr") + "}}", cell.coordinate, path)
                    loops.setdefault(cell.row, (m.group("var"), _guard(expr, cell.coordinate, path)))
                    value = value[m.end():]
                    value = re.sub(r"\{%-?\s*endfor\s*-?%\}\s*$", "", value)
                spec.source = value
                spec.render = _guard(_compile(env, value, cell.coordinate, path), cell.coordinate, path)
            else:
                spec.static = value
            cells.append(spec)
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        area = area.split(",")[0].rpartition("!")[2]
        min_col, _, max_col, _ = range_boundaries(area.replace("$", ""))
        cols = (min_col or 1, max_col or ws.max_column)
    else:
        cols = (1, ws.max_column)
    last_row = ws.max_row
    repeats = sorted(loops)
    # band i ends at the i-th repeat row; the last band runs to the end of the sheet
    ends = repeats[:-1] + [last_row] if repeats else [last_row]
    starts = [1] + [e + 1 for e in ends[:-1]]
    _check_bands(ws, path, list(zip(starts, ends)))
    bands = []
    for (first, last), repeat in zip(zip(starts, ends), repeats or [None]):
        var, items = loops.get(repeat, ("ind", None))
        bands.append(Template(
            path=path,
            wb=wb,
            ws=ws,
            cells=[c for c in cells if first <= c.row <= last],
            repeat_row=repeat,
            loop_var=var,
            loop_items=items,
            print_columns=cols,
            env=env,
            rows=(first, last),
        ))
    bands[0].bands = bands[1:]
    return bands[0]


def _check_bands(ws: Worksheet, path: Path, bands: list[tuple[int, int]]) -> None:
    """Refuse a merged range that crosses from one band of rows into the next (several repeat rows)."""
    if len(bands) < 2:
        return
    for cr in ws.merged_cells.ranges:
        if not any(a <= cr.min_row and cr.max_row <= b for a, b in bands):
            raise TemplateError(
                f"模板“{path.name}”的合并单元格 {cr.coord} 跨越了两个重复行之间的分界"
                f"（各段：{'、'.join(f'第 {a}–{b} 行' for a, b in bands)}）。",
                hint="有多个 {% for … %} 重复行时，每段以其重复行结束；合并单元格不要跨段。",
                path=str(path),
            )


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Template:
    p = Path(path)
    try:
        wb = load_workbook(p)
    except Exception as exc:  # noqa: BLE001 - any failure means an unusable template
        raise TemplateError(
            f"申报表模板“{p.name}”无法打开：{exc}",
            hint="用 Excel 重新另存为 .xlsx，或从版本库恢复 templates/declaration.xlsx。",
            path=str(p),
        ) from exc
    return parse_template(wb, p)


def load_template(path: str | Path | None = None) -> Template:
    """The parsed template at *path* (default: the shipped ``templates/declaration.xlsx``).

    Parsed once per file version; treat the result as read-only.
    """
    p = Path(path) if path is not None else default_template_path()
    if not p.exists():
        raise TemplateError(f"找不到模板文件“{p}”。", hint="检查模板路径。", path=str(p))
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
