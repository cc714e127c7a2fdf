"""The declaration model: Declaration → Project → Indicator → Target.

Pure data (pydantic v2). Where a value came from (sheet, cell) is kept in
``origin`` fields that are excluded from dumps and from :func:`content`, so a
project read back from a different layout still compares equal.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "QuantitativeTarget",
    "QualitativeTarget",
    "RawTarget",
    "Target",
    "Origin",
    "Indicator",
    "Funds",
    "FUND_FIELDS",
    "Project",
    "Declaration",
    "has_control_characters",
    "trusted",
    "copy_model",
]


#: control characters no xlsx cell may hold (XML 1.0): dropped from every text field
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _no_control_characters(value: Any) -> Any:
    """A \x01 pasted from another system would make every workbook writer fail: drop it."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {k: _no_control_characters(v) for k, v in value.items()}
    return value


def has_control_characters(text: str) -> bool:
    """True when *text* holds a character the models drop (see :func:`_no_control_characters`)."""
    return _CONTROL.search(text) is not None


def _clean(*fields: str):
    """A before-validator that drops control characters from the text *fields*."""
    return field_validator(*fields, mode="before")(lambda cls, v: _no_control_characters(v))


_format_target = None  # xltargets.targets.format_target


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class QuantitativeTarget(_Model):
    """``operator number (unit)``, e.g. ``≥90.00(%)``."""

    kind: Literal["quantitative"] = "quantitative"
    operator: Literal["=", "≥", "≤", ">", "<"]
    number: Decimal
    decimals: int = Field(ge=0, description="decimals as written: 2 for 10.00")
    unit: str = ""
    _clean_text = _clean("unit")

    def format(self) -> str:
        global _format_target
        if _format_target is None:  # targets imports this module: looked up on first use
            from .targets import format_target as _format_target
        return _format_target(self)


class QualitativeTarget(_Model):
    """A 定性 value such as ``及时``."""

    kind: Literal["qualitative"] = "qualitative"
    text: str
    _clean_text = _clean("text")

    def format(self) -> str:
        return self.text


class RawTarget(_Model):
    """A value that could not be understood; kept verbatim, never dropped."""

    kind: Literal["raw"] = "raw"
    text: str
    _clean_text = _clean("text")

    def format(self) -> str:
        return self.text


Target = Annotated[
    Union[QuantitativeTarget, QualitativeTarget, RawTarget], Field(discriminator="kind")
]


class Origin(_Model):
    """Where a thing was read: file, sheet, and cell per field name (``{"value": "E18"}``)."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    cells: dict[str, str] = Field(default_factory=dict)

    def cell(self, field: str) -> str | None:
        return self.cells.get(field)


class Indicator(_Model):
    """One row of the 绩效指标 table."""

    level1: str = Field("", description="一级指标")
    level2: str = Field("", description="二级指标")
    level3: str = Field("", description="三级指标")
    target: Target | None = Field(None, description="年度(/项目)指标值; None when blank")
    #: the 指标值 text exactly as it stood in the cell (before normalising)
    value_raw: str = Field("", exclude=True)
    _clean_text = _clean("level1", "level2", "level3", "value_raw")
    origin: Origin | None = Field(None, exclude=True, repr=False)

    @property
    def value(self) -> str:
        """The 指标值 text as formatted (``=10.00(所)``); '' when blank."""
        return self.target.format() if self.target is not None else ""


#: Funds fields in form order, with their labels on the form.
FUND_FIELDS: dict[str, str] = {
    "total": "项目资金总额",
    "total_fiscal": "其中：财政资金",
    "total_other": "其他资金",
    "annual": "年度资金申请总额",
    "annual_fiscal": "其中：当年财政拨款",
    "annual_carryover": "上年结转资金",
    "annual_other": "其他资金",
}


class Funds(_Model):
    """项目资金（元）: the multi-year block and the annual block. None = blank."""

    total: Decimal | None = Field(None, description="项目资金总额")
    total_fiscal: Decimal | None = Field(None, description="其中：财政资金")
    total_other: Decimal | None = Field(None, description="其他资金 (项目资金总额)")
    annual: Decimal | None = Field(None, description="年度资金申请总额")
    annual_fiscal: Decimal | None = Field(None, description="其中：当年财政拨款")
    annual_carryover: Decimal | None = Field(None, description="上年结转资金")
    annual_other: Decimal | None = Field(None, description="其他资金 (年度)")


class Project(_Model):
    """One 财政项目支出绩效目标申报表."""

    name: str = Field("", description="项目名称")
    nature: str = Field("", description="项目性质")
    category: str = Field("", description="项目类别")
    department: str = Field("", description="主管部门")
    unit: str = Field("", description="实施单位")
    start: dt.date | None = Field(None, description="计划开始日期")
    end: dt.date | None = Field(None, description="计划完成日期")
    funds: Funds = Field(default_factory=Funds)
    total_goal: str = Field("", description="项目总目标")
    annual_goal: str = Field("", description="年度总体目标")
    year: int | None = Field(None, description="(年度) of the form")
    indicators: list[Indicator] = Field(default_factory=list)
    #: the text as written for fields that could not be read (``{"funds.total": "壹佰万"}``,
    #: ``{"start": "明年"}``): the field itself is None, the text is never lost
    raw: dict[str, str] = Field(default_factory=dict, description="unreadable field → text as written")
    _clean_text = _clean("name", "nature", "category", "department", "unit", "total_goal", "annual_goal", "raw")
    origin: Origin | None = Field(None, exclude=True, repr=False)

    def content(self) -> dict:
        """Everything but origins: equal for the same form read from any layout."""
        return self.model_dump(mode="json")


class Declaration(_Model):
    """A set of forms: a 汇总表 or a declarations workbook."""

    title: str = Field("", description="汇总表 title")
    organisation: str = Field("", description="单位")
    year: int | None = Field(None, description="年度")
    projects: list[Project] = Field(default_factory=list)
    origin: Origin | None = Field(None, exclude=True, repr=False)
    _clean_text = _clean("title", "organisation")

    def content(self) -> dict:
        return self.model_dump(mode="json")

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)

    @property
    def annual_total(self) -> Decimal:
        return sum((p.funds.annual or Decimal(0) for p in self.projects), Decimal(0))


# -- building models from values that are valid already ---------------------------------

_object_setattr = object.__setattr__


def _trusted(cls, values: dict, fields_set: set[str]):
    """What ``model_construct`` does when *values* holds every field (no defaults to fill)."""
    m = cls.__new__(cls)
    _object_setattr(m, "__dict__", values)
    _object_setattr(m, "__pydantic_fields_set__", fields_set)
    _object_setattr(m, "__pydantic_extra__", None)
    _object_setattr(m, "__pydantic_private__", None)
    return m


def _fields_set(values: dict, given) -> set[str]:
    # added one by one in field order, as validation adds them: the same set, iterated
    # in the same order (a set built from a dict is sized differently)
    return set([name for name in values if name in given] if given is not None else list(values))


def _same_as_validated() -> bool:
    """True when :func:`trusted` builds exactly what validation builds (this pydantic's internals)."""
    try:
        samples = [
            (Origin, {"file": "f", "sheet": "s", "row": 3, "cells": {"value": "E3"}}),
            (Funds, {"annual": None, "total": Decimal("1.00")}),
            (QualitativeTarget, {"text": "及时"}),
        ]
        for cls, given in samples:
            values = {name: given.get(name, field.default) for name, field in cls.model_fields.items()}
            built, validated = _trusted(cls, values, _fields_set(values, given)), cls(**given)
            if built.__getstate__() != validated.__getstate__() or built != validated:
                return False
            if list(built.model_fields_set) != list(validated.model_fields_set):
                return False
        return True
    except Exception:  # pragma: no cover - another pydantic: validate instead
        return False


_TRUSTED_OK = _same_as_validated()


def trusted(cls, values: dict, given=None):
    """``cls(**{name: values[name] for name in given})`` for values that are valid and clean
    already, without validating them again.

    *values* holds every field of *cls*, in field order, each of the field's type and any
    text without control characters (what validation would return unchanged); *given*
    names the fields a caller passed (default: all), the model's ``model_fields_set``.
    The importer builds tens of thousands of indicators from text it checked once per
    sheet. Where this pydantic builds models differently, this validates (same result).
    """
    if not _TRUSTED_OK:
        return cls(**(values if given is None else {k: v for k, v in values.items() if k in given}))
    # _trusted, inline (called once per indicator and origin)
    m = cls.__new__(cls)
    _object_setattr(m, "__dict__", values)
    _object_setattr(m, "__pydantic_fields_set__", _fields_set(values, given) if given is not None else set(list(values)))
    _object_setattr(m, "__pydantic_extra__", None)
    _object_setattr(m, "__pydantic_private__", None)
    return m


def copy_model(model):
    """``copy.copy(model)``: a shallow copy, without pydantic's generic path."""
    if _TRUSTED_OK and model.__pydantic_extra__ is None and model.__pydantic_private__ is None:
        return _trusted(type(model), model.__dict__.copy(), model.__pydantic_fields_set__.copy())
    return copy.copy(model)
