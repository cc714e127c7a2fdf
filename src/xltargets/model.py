"""The declaration model: Declaration → Project → Indicator → Target.

Pure data: pydantic v2 models, and plain records where there are many of them
(an :class:`Indicator` per row, an :class:`Origin` per thing read: frozen / slotted
dataclasses, validated by pydantic as fields of a model). Where a value came from
(sheet, cell) is kept in ``origin`` fields that are excluded from dumps and from
:func:`content`, so a project read back from a different layout still compares equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, with_config

from .text import CONTROL_CHARACTERS, drop_control_characters, format_number

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
    "Execution",
    "FormKind",
    "FORM_KINDS",
    "Declaration",
]


def _no_control_characters(value: Any) -> Any:
    """A \x01 pasted from another system would make every workbook writer fail: drop it
    from every text field (:func:`xltargets.text.drop_control_characters`)."""
    if isinstance(value, str):
        return drop_control_characters(value)
    if isinstance(value, dict):
        return {k: _no_control_characters(v) for k, v in value.items()}
    return value


_CONTROL_SEARCH = CONTROL_CHARACTERS.search


def _clean(*fields: str):
    """A before-validator that drops control characters from the text *fields*."""
    return field_validator(*fields, mode="before")(lambda cls, v: _no_control_characters(v))


#: formatted quantities by (operator, str(number), decimals, unit): str(number) tells
#: Decimals apart that compare equal (10, 10.0, -0, 0) and gives the number back exactly
_FORMATTED: dict[tuple, str] = {}
_FORMATTED_MAX = 1 << 14


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class _Value(_Model):
    """A target: an immutable value, so one parsed target may be shared by many indicators."""

    model_config = ConfigDict(frozen=True)


class QuantitativeTarget(_Value):
    """``operator number (unit)``, e.g. ``≥90.00(%)``."""

    kind: Literal["quantitative"] = "quantitative"
    operator: Literal["=", "≥", "≤", ">", "<"]
    number: Decimal
    decimals: int = Field(ge=0, description="decimals as written: 2 for 10.00")
    unit: str = ""
    _clean_text = _clean("unit")

    def format(self) -> str:
        """The canonical text: ``≥90.00(%)``, the number with the decimals it was given."""
        key = (self.operator, str(self.number), self.decimals, self.unit)
        text = _FORMATTED.get(key)
        if text is None:
            unit = f"({self.unit})" if self.unit else ""
            text = f"{self.operator}{format_number(self.number, self.decimals)}{unit}"
            if len(_FORMATTED) >= _FORMATTED_MAX:
                _FORMATTED.clear()
            _FORMATTED[key] = text
        return text


class QualitativeTarget(_Value):
    """A 定性 value such as ``及时``."""

    kind: Literal["qualitative"] = "qualitative"
    text: str
    _clean_text = _clean("text")

    def format(self) -> str:
        return self.text


class RawTarget(_Value):
    """A value that could not be understood; kept verbatim, never dropped."""

    kind: Literal["raw"] = "raw"
    text: str
    _clean_text = _clean("text")

    def format(self) -> str:
        return self.text


Target = Annotated[
    Union[QuantitativeTarget, QualitativeTarget, RawTarget], Field(discriminator="kind")
]


@dataclasses.dataclass(slots=True)
class Origin:
    """Where a thing was read: file, sheet, and cell per field name (``{"value": "E18"}``).

    Bookkeeping, not content: a plain dataclass (the importer makes one per
    indicator, tens of thousands), never dumped; a model field of this type
    takes an instance as it is and builds one from a dict.
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    cells: dict[str, str] = dataclasses.field(default_factory=dict)

    def cell(self, field: str) -> str | None:
        return self.cells.get(field)


@with_config(ConfigDict(extra="forbid"))
@dataclasses.dataclass(slots=True)
class Indicator:
    """One row of the 绩效指标 table: a plain record.

    A slotted dataclass, not a model: a declaration holds tens of thousands and the
    importer makes one per row, so making one costs a dataclass's ``__init__`` (~2.6k
    instructions; a pydantic model ~30k, validated or ``model_construct``-ed; a frozen
    dataclass ~11k, one ``object.__setattr__`` a field, so it is not frozen: nothing
    changes an indicator once read, but ``rollover`` drops its origin). Control
    characters are dropped from its texts when it is made (``__post_init__``), as the
    models' validators drop them from theirs. As a field of :class:`Project` it is
    validated by pydantic when it comes as a dict (JSON: types checked, unknown keys
    refused) and taken as it is when it comes as an ``Indicator``; dumps leave out
    ``value_raw`` and ``origin``. Made directly, it trusts its caller as a dataclass
    does: the importer gives it a grid's texts and a parsed target, the rules' plain-row
    path (:mod:`xltargets.rules.runner`) cell texts.
    """

    level1: Annotated[str, Field(description="一级指标")] = ""
    level2: Annotated[str, Field(description="二级指标")] = ""
    level3: Annotated[str, Field(description="三级指标")] = ""
    target: Annotated[Target | None, Field(description="年度(/项目)指标值; None when blank")] = None
    #: the 指标值 text exactly as it stood in the cell (before normalising)
    value_raw: Annotated[str, Field(exclude=True)] = ""
    #: other columns of the row, by header (权重, 分值, 实际完成值, 得分, 偏差原因, 备注 …), as written
    extra: Annotated[dict[str, str], Field(description="extra columns: header → text as written")] = dataclasses.field(
        default_factory=dict)
    origin: Annotated[Origin | None, Field(exclude=True)] = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        # one search over the four texts in the common case (none holds a control character)
        if _CONTROL_SEARCH(f"{self.level1}{self.level2}{self.level3}{self.value_raw}") is not None or (
            self.extra and _CONTROL_SEARCH("".join(map(str, self.extra.values()))) is not None
        ):
            self.level1, self.level2, self.level3, self.value_raw, self.extra = (
                _no_control_characters(v) for v in (self.level1, self.level2, self.level3, self.value_raw, self.extra))

    @property
    def value(self) -> str:
        """The 指标值 as the unit wrote it (``不低于50%``): what the workbook, the 汇总表 and
        ``dump`` show. A target built without its text gives its canonical text."""
        if self.value_raw:
            return self.value_raw
        return self.target.format() if self.target is not None else ""

    @property
    def canonical(self) -> str:
        """The 指标值 in the canonical form (``≥50(%)``), a suggestion only; '' when blank."""
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


#: the kinds of form of the yearly cycle (issue 15, point 6)
FormKind = Literal["project", "department", "self_assessment"]

#: the kind → its name on paper
FORM_KINDS: dict[str, str] = {
    "project": "项目支出绩效目标申报表",
    "department": "部门整体支出绩效目标表",
    "self_assessment": "项目支出绩效自评表",
}


class Execution(_Model):
    """The funds row of a 项目支出绩效自评表 (年度资金总额): budget, execution and score, as written.

    Amounts are read when they are amounts; every cell's text is kept in ``texts``."""

    budget_initial: Decimal | None = Field(None, description="年初预算数")
    budget: Decimal | None = Field(None, description="全年预算数 / 调整后预算数")
    executed: Decimal | None = Field(None, description="全年执行数 / 预算执行数")
    rate: str = Field("", description="执行率, as written")
    weight: str = Field("", description="分值 / 权重, as written")
    score: str = Field("", description="得分, as written")
    actual_goal: str = Field("", description="年度总体目标的实际完成情况")


class Project(_Model):
    """One form: a 财政项目支出绩效目标申报表, or another kind of the same cycle (``kind``).

    ``name`` is the 项目名称, or for a 部门整体 form its 部门名称."""

    kind: FormKind = Field("project", description="form kind: project / department / self_assessment")
    name: str = Field("", description="项目名称 (部门整体: 部门名称)")
    nature: str = Field("", description="项目性质")
    category: str = Field("", description="项目类别")
    department: str = Field("", description="主管部门")
    unit: str = Field("", description="实施单位")
    start: dt.date | None = Field(None, description="计划开始日期")
    end: dt.date | None = Field(None, description="计划完成日期")
    funds: Funds = Field(default_factory=Funds)
    #: the unit the form states for its amounts (a label or header saying 万元); never converted
    money_unit: Literal["元", "万元"] = Field("元", description="金额单位")
    total_goal: str = Field("", description="项目总目标")
    annual_goal: str = Field("", description="年度总体目标")
    #: the period the 项目总目标 label names ("项目总体目标(2024年-2026年)" → "2024年-2026年")
    goal_period: str = Field("", description="项目总目标 period as written on its label")
    year: int | None = Field(None, description="(年度) of the form")
    indicators: list[Indicator] = Field(default_factory=list)
    #: 自评 forms: budget, execution, score and the goal's 实际完成情况
    execution: Execution | None = Field(None, description="项目支出绩效自评表: 预算执行情况")
    #: 部门整体 forms: 年度主要任务 as written, one line a task
    tasks: list[str] = Field(default_factory=list, description="部门整体: 年度主要任务 / 重点工作任务")
    #: the text as written for fields that could not be read (``{"funds.total": "壹佰万"}``,
    #: ``{"start": "明年"}``): the field itself is None, the text is never lost
    raw: dict[str, str] = Field(default_factory=dict, description="unreadable field → text as written")
    _clean_text = _clean("name", "nature", "category", "department", "unit", "total_goal", "annual_goal", "goal_period", "raw")
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
