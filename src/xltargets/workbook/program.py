"""All the template's expressions for one form, evaluated by one jinja2 render.

Evaluating each cell on its own costs a jinja2 call per cell. Instead the
cells of a template are put together into one ordinary jinja2 template: each
cell becomes ``{{ (expression) | xlt_put }}`` (a cell that is one expression,
whose value keeps its type) or ``{% set xlt_t %}text{% endset %}{{ xlt_t | xlt_put }}``
(text with expressions), and the repeat row's cells are wrapped in
``{% for ind in xlt_items %}``. Rendering it once per form hands every value,
in order, to the filter ``xlt_put``, which appends it to the render's list
``xlt_out`` (a filter is called directly by the compiled template; a function
in the context would go through jinja2's ``Context.call`` for each cell). Only jinja2's public API is used; the semantics are
jinja2's own (filters, tests, ``StrictUndefined``, ``finalize``). When the
render fails, the caller evaluates the cells one by one to name the cell.
"""

from __future__ import annotations

from typing import Any, Sequence

import jinja2

from .template import CellSpec, Template, raw_field, whole_expression

__all__ = ["FormProgram"]


class FormProgram:
    """The expressions of *header* cells and of *repeat* cells, rendered together."""

    def __init__(self, t: Template, header: Sequence[CellSpec], repeat: Sequence[CellSpec]):
        self.template = t
        self.header = list(header)
        self.repeat = list(repeat)
        self._raw = [raw_field(s.source) for s in self.header]
        self._raw_repeat = [raw_field(s.source) for s in self.repeat]
        parts = [self._cell(f"xlt_h{i}", s) for i, s in enumerate(self.header)]
        parts.append("{% for " + t.loop_var + " in xlt_items %}")
        parts += [self._cell(f"xlt_r{i}", s) for i, s in enumerate(self.repeat)]
        parts.append("{% endfor %}")
        t.env.filters.setdefault("xlt_put", _collect)
        self._tmpl = t.env.from_string("".join(parts))

    @staticmethod
    def _cell(name: str, spec: CellSpec) -> str:
        expr = whole_expression(spec.source)
        if expr is not None:
            return "{{ (" + expr + ") | xlt_put }}"
        return "{% set " + name + " %}" + spec.source + "{% endset %}{{ " + name + " | xlt_put }}"

    def run(self, project: Any, items: list) -> tuple[list, list[list]]:
        """(header values, one list of repeat-row values per item)."""
        out: list = []
        try:
            self._tmpl.render({"project": project, "xlt_items": items, "xlt_out": out})
        except jinja2.TemplateError:
            self._raise_for_cell(project, items)
            raise
        n = len(self.header)
        head = out[:n]
        for i, key in enumerate(self._raw):
            if key is not None and head[i] is None:
                head[i] = _raw(project, key)
        width = len(self.repeat)
        rows = [out[n + k * width: n + (k + 1) * width] for k in range(len(items))]
        if any(self._raw_repeat):
            for row in rows:
                for i, key in enumerate(self._raw_repeat):
                    if key is not None and row[i] is None:
                        row[i] = _raw(project, key)
        return head, rows

    def _raise_for_cell(self, project: Any, items: list) -> None:
        """Evaluate cell by cell: the cell's own :class:`TemplateError` names the failing cell."""
        context = {"project": project}
        for spec in self.header:
            spec.render(context)
        for item in items:
            ctx = {"project": project, self.template.loop_var: item}
            for spec in self.repeat:
                spec.render(ctx)


@jinja2.pass_context
def _collect(context: jinja2.runtime.Context, value: Any) -> str:
    """The filter ``xlt_put``: *value* appended to the render's ``xlt_out``; it writes nothing."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises, naming the field
    context.parent["xlt_out"].append(value)
    return ""


def _raw(project: Any, key: str) -> Any:
    raw = getattr(project, "raw", None)
    return raw.get(key) if raw else None

