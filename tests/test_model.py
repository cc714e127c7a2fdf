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
    """The importer builds a plain sheet's models with pydantic's model_construct: validating
    them again changes nothing, field for field, and they pickle and copy as validated ones do."""
    import copy
    import pickle

    from xltargets.importing import read_sources
    from xltargets.model import Funds, Indicator, Origin, Project

    projects = read_sources([seed_path]).declaration.projects
    assert projects
    for p in projects:
        assert isinstance(p.origin, Origin) and all(isinstance(ind.origin, Origin) for ind in p.indicators)
        for cls, model in [(Project, p), (Funds, p.funds)] + [(Indicator, ind) for ind in p.indicators]:
            again = cls(**{name: getattr(model, name) for name in model.model_fields_set})
            assert again == model and again.model_fields_set == model.model_fields_set
            assert [type(getattr(again, n)) for n in cls.model_fields] == [type(getattr(model, n)) for n in cls.model_fields]
        assert pickle.loads(pickle.dumps(p)) == p == copy.deepcopy(p)
