"""The importer builds its models without validating them again when a sheet is plain text:
the result must be what validation gives, object for object (fields set, order, pickles).
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltargets.importing import forms, import_grid, read_path
from xltargets.importing.cells import label_of, normalise_label
from xltargets.importing.grid import Grid
from xltargets.model import (
    Funds,
    Indicator,
    Origin,
    Project,
    QualitativeTarget,
    QuantitativeTarget,
    RawTarget,
    copy_model,
    trusted,
)

SEED = Path(__file__).resolve().parent.parent / "examples" / "sh-jishengxie-2024-summary.tsv"


def _state(model) -> object:
    """Everything of a model pickling keeps, recursively, with the fields-set order."""
    if isinstance(model, list):
        return [_state(m) for m in model]
    if not hasattr(model, "__pydantic_fields_set__"):
        return (type(model), model)
    return (
        type(model),
        list(model.__pydantic_fields_set__),
        model.__pydantic_extra__,
        model.__pydantic_private__,
        {k: _state(v) for k, v in model.__dict__.items()},
    )


def _full(cls, given: dict) -> dict:
    return {name: given.get(name, field.get_default(call_default_factory=True)) for name, field in cls.model_fields.items()}


SAMPLES = [
    pytest.param(Origin, {"file": "a.xlsx", "sheet": "表1", "row": 12, "cells": {"value": "E12"}}, id="origin"),
    pytest.param(Origin, {"sheet": None}, id="origin-some"),
    pytest.param(Funds, {"annual_other": Decimal("0.00"), "total": Decimal("1391700.00"), "annual": None}, id="funds-out-of-order"),
    pytest.param(QuantitativeTarget, {"operator": "≥", "number": Decimal("90.00"), "decimals": 2, "unit": "%"}, id="quantity"),
    pytest.param(QualitativeTarget, {"text": "及时"}, id="qualitative"),
    pytest.param(RawTarget, {"text": "=abc(个)"}, id="raw"),
    pytest.param(
        Indicator,
        {"level1": "产出指标", "level2": "数量指标", "level3": "培训场次", "target": None, "value_raw": "",
         "origin": Origin(row=3)},
        id="indicator",
    ),
    pytest.param(
        Project,
        {"name": "项目", "start": dt.date(2024, 1, 1), "funds": Funds(), "year": 2024, "raw": {"end": "明年"}},
        id="project-some",
    ),
]


@pytest.mark.parametrize("cls, given", SAMPLES)
def test_trusted_builds_what_validation_builds(cls, given):
    built = trusted(cls, _full(cls, given), given)
    validated = cls(**given)
    assert built == validated
    assert _state(built) == _state(validated)
    assert pickle.dumps(built) == pickle.dumps(validated)
    assert built.model_dump() == validated.model_dump()


@pytest.mark.parametrize("cls, given", SAMPLES)
def test_copy_model_is_copy(cls, given):
    model = cls(**given)
    assert _state(copy_model(model)) == _state(copy.copy(model))
    assert copy_model(model) is not model


def _cold(make):
    # which str objects the results share (and so the pickles' memo) depends on these caches
    forms._parsed.cache_clear()  # targets.parsed
    label_of.cache_clear()
    return make()


def _import_both(monkeypatch, make):
    fast = _cold(make)
    monkeypatch.setattr(forms, "_trusted_grid", lambda grid: False)  # every model validated
    slow = _cold(make)
    monkeypatch.undo()
    return fast, slow


def _same(fast, slow):
    a, b = fast.declaration, slow.declaration
    assert a.content() == b.content()
    assert _state(a) == _state(b)
    assert [p.origin for p in a.projects] == [p.origin for p in b.projects]
    assert [i.origin for p in a.projects for i in p.indicators] == [i.origin for p in b.projects for i in p.indicators]
    assert pickle.dumps(a) == pickle.dumps(b)
    assert [f.as_json() for f in fast.findings] == [f.as_json() for f in slow.findings]


def test_seed_reads_the_same_without_validation(monkeypatch):
    assert Grid.from_values([["a", "b"]]).plain()
    fast, slow = _import_both(monkeypatch, lambda: read_path(SEED))
    assert fast.declaration.indicator_count > 20
    _same(fast, slow)


def _seed_rows() -> list[list[str]]:
    return [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]


def test_irregular_form_reads_the_same_without_validation(monkeypatch):
    rows = _seed_rows()
    rows.insert(20, ["", "", "", "", "", "多余"])  # a stray cell
    for r, row in enumerate(rows):
        if len(row) > 4 and row[4].startswith("≥"):
            row[4] = "＞＝" + row[4][1:] + " "  # spelled operators, trailing space
        if r % 7 == 0 and len(row) > 3:
            row[3] = "<p>" + row[3] + "</p>"
    rows.append(["注：", "以上"])
    fast, slow = _import_both(monkeypatch, lambda: import_grid(rows, sheet="表1", file="x.xlsx"))
    _same(fast, slow)


@pytest.mark.parametrize("bad", ["\x01", "\x0b", "\x1f"], ids=["x01", "x0b", "x1f"])
def test_control_characters_take_the_validating_path(bad):
    rows = _seed_rows()
    for row in rows:
        if len(row) > 3 and row[3]:
            row[3] = row[3][:1] + bad + row[3][1:]
    grid = Grid.from_values(rows, sheet="表1")
    assert not grid.plain()
    decl = import_grid(rows, sheet="表1").declaration
    assert decl.indicator_count > 20
    assert not any(bad in i.level3 for p in decl.projects for i in p.indicators)


def test_cells_that_are_not_plain_str_are_not_plain():
    class Text(str):
        pass

    assert not Grid(rows=[["a", Text("b")]]).plain()
    assert not Grid(rows=[["a", 1]]).plain()
    assert Grid(rows=[["a", "b"]]).plain()
    grid = Grid(rows=[[Text(c) for c in row] for row in _seed_rows()], sheet="s")
    decl = import_grid(_seed_rows(), sheet="s").declaration
    from xltargets.importing import import_grids

    subclassed = import_grids([grid]).declaration
    assert _state(subclassed) == _state(decl)


def test_grid_caches_are_not_pickled():
    grid = Grid.from_values([["项目名称", "甲"]], sheet="s")
    assert grid.labelled(0) == ((0, "项目名称", "项目名称"), (1, "甲", "甲"))
    assert grid.plain()
    again = pickle.loads(pickle.dumps(grid))
    assert again == grid
    assert "_cells" not in again.__dict__ and "_plain" not in again.__dict__
    assert again.nonempty(0) == [(0, "项目名称"), (1, "甲")]


def test_each_indicator_owns_its_target():
    """Targets of equal 指标值 texts are parsed once, but never shared: changing one changes no other."""
    decl = import_grid(_seed_rows() + _seed_rows()[4:], sheet="s").declaration
    targets = [i.target for p in decl.projects for i in p.indicators if i.target is not None]
    assert len({t.format() for t in targets}) < len(targets)  # texts repeat
    assert len({id(t) for t in targets}) == len(targets)
    assert len({id(t.__pydantic_fields_set__) for t in targets}) == len(targets)


def _label_by_regex(text: str) -> str:
    """normalise_label as first written: tags, then every \\s, then the brackets and colon."""
    import re

    from xltargets.importing.cells import _LABEL_TRANS, strip_html

    return re.sub(r"\s+", "", strip_html(text)[0]).translate(_LABEL_TRANS)


_LABEL_CHARS = list("项目名称（）():：／/ab") + [" ", "\t", "\n", "\u3000", "\u00a0", "\x0b", "\x1c", "\x85", "\u2028", "&nbsp;", "<p>",
                                                 "</p>", "<br/>", '<span class="x">', "<P>", "<", ">"]


@given(st.lists(st.sampled_from(_LABEL_CHARS), max_size=12).map("".join))
def test_normalise_label_is_the_regex_one(text):
    label = normalise_label(text)
    assert label == _label_by_regex(text)
    assert type(label) is str and (label is not text or text == "")  # a new str, as translate() gave


def test_str_split_splits_where_re_s_matches():
    import re
    import sys

    space = re.compile(r"\s")
    assert [c for c in range(sys.maxunicode + 1) if bool(space.match(chr(c))) != chr(c).isspace()] == []
