"""The model: control characters never reach a workbook writer."""

from __future__ import annotations

import pytest

from xltargets.model import Declaration, Indicator, Project, QualitativeTarget
from xltargets.workbook import build_workbook


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x1f", "\x00"], ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_are_dropped_from_every_text(char):
    p = Project(
        name=f"项目{char}名称",
        unit=f"单位{char}",
        raw={"start": f"明年{char}"},
        indicators=[Indicator(level1="产出指标", level2="数量指标", level3=f"三级{char}", target=QualitativeTarget(text=f"及{char}时"))],
    )
    d = Declaration(organisation=f"单位{char}", projects=[p])
    assert (p.name, p.unit, p.raw["start"], p.indicators[0].level3) == ("项目名称", "单位", "明年", "三级")
    assert p.indicators[0].value == "及时"
    assert d.organisation == "单位"


def test_line_breaks_and_tabs_are_kept():
    p = Project(name="甲\n乙\t丙")
    assert p.name == "甲\n乙\t丙"


def test_a_project_with_control_characters_writes(tmp_path):
    p = Project(name="a\x01b", indicators=[Indicator(level1="产出指标", level2="数量指标", level3="x\x02y")])
    out = build_workbook(Declaration(organisation="单\x03位", projects=[p]), tmp_path / "a.xlsx")
    assert out.exists()


def test_imported_models_are_what_validation_builds(seed_path):
    """The importer's models (validated) and its indicators (plain records): validating them again
    changes nothing, field for field, and they pickle and copy as validated ones do."""
    import copy
    import dataclasses
    import pickle

    from pydantic import TypeAdapter

    from xltargets.importing import read_sources
    from xltargets.model import Funds, Indicator, Origin, Project

    projects = read_sources([seed_path]).declaration.projects
    assert projects
    as_indicator = TypeAdapter(Indicator)
    for p in projects:
        assert isinstance(p.origin, Origin) and all(isinstance(ind.origin, Origin) for ind in p.indicators)
        for cls, model in [(Project, p), (Funds, p.funds)]:
            again = cls(**{name: getattr(model, name) for name in model.model_fields_set})
            assert again == model and again.model_fields_set == model.model_fields_set
            assert [type(getattr(again, n)) for n in cls.model_fields] == [type(getattr(model, n)) for n in cls.model_fields]
        for ind in p.indicators:  # a record validated from a dict of its fields (as JSON gives it) is the same
            fields = {f.name: getattr(ind, f.name) for f in dataclasses.fields(Indicator)}
            again = as_indicator.validate_python(fields)
            assert again == ind and type(again) is Indicator
            assert [type(getattr(again, n)) for n in fields] == [type(getattr(ind, n)) for n in fields]
        assert pickle.loads(pickle.dumps(p)) == p == copy.deepcopy(p)


def test_an_indicator_from_json_is_validated():
    """As a field of a project, an indicator given as a dict is validated: types, unknown keys, texts."""
    import pydantic

    p = Project.model_validate({"indicators": [{"level3": "a\x01b", "target": {"kind": "qualitative", "text": "及时"}}]})
    assert p.indicators[0] == Indicator(level3="ab", target=QualitativeTarget(text="及时"))
    for bad in ({"level3": 5}, {"levelx": "a"}, {"target": {"kind": "no"}}):
        with pytest.raises(pydantic.ValidationError):
            Project.model_validate({"indicators": [bad]})
    dumped = Project(indicators=[Indicator(level1="a", value_raw="x", origin=None)]).model_dump()["indicators"]
    assert dumped == [{"level1": "a", "level2": "", "level3": "", "target": None, "extra": {}}]
