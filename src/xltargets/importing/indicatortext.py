"""A project's indicators written as one text in one cell (广州 2026: the 项目支出绩效目标表 of
广东's budget system prints a 绩效指标 column, one cell a project)::

    1.1－产出指标，11－数量指标，项目专职环保员数量；实施周期指标值：≦核定人数，年度指标值：≦核定人数；
    2、1－产出指标，12－质量指标，环境应急事件响应率；实施周期指标值：100%，年度指标值：100%;…

Each item: its number, the 一级 with its code, the 二级 with its code, the 三级, then
实施周期指标值 (optional) and 年度指标值. The parts are separated by ，or ；(both widths); the
numbers restart within a cell. Every name and value is kept as written: only the one separator
after a part is dropped (a 。 ending a value stays, it may be the value's own). A 年度指标值 left
empty (广州 2026: 「…年度指标值：7、2－效益指标，…」) is empty: the next item starts after its colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TextIndicator", "split_indicator_text", "looks_like_indicator_text", "starts_indicator_text"]

_SEP = "，,；;"
#: an item's start: its number, then 1－产出指标，11－数量指标， (codes and names, any dash)
_HEAD = re.compile(
    rf"(?:^|(?<=[{_SEP}。])|(?<=指标值[：:]))\s*\d{{1,3}}[、.．]\s*(?P<c1>[1-9])\s*[－\-—]\s*(?P<l1>[^{_SEP}]{{1,12}}?)\s*[{_SEP}]"
    rf"\s*(?P<c2>[1-9]\d)\s*[－\-—]\s*(?P<l2>[^{_SEP}]{{1,16}}?)\s*[{_SEP}]"
)
_PERIOD = "实施周期指标值"
_ANNUAL = "年度指标值"
#: the 三级 ends at ，；or 。(广州 2026: 「地块土壤环境质量达到管控要求。实施周期指标值：…」); the colon after
#: 指标值 may be missing (「实施周期指标值》90%」: the value is 》90%, as written)
_BODY = re.compile(
    rf"^(?P<l3>.+?)[{_SEP}。]\s*(?:{_PERIOD}[：:]?(?P<period>.*?)[{_SEP}]?\s*)?{_ANNUAL}[：:]?(?P<annual>.*)$", re.S
)


@dataclass(frozen=True)
class TextIndicator:
    level1: str
    level2: str
    level3: str
    value: str  #: 年度指标值, as written
    period_value: str | None  #: 实施周期指标值, as written (None when the item has none)


def looks_like_indicator_text(text: str) -> bool:
    """True for a cell that writes indicators as numbered items with 年度指标值."""
    return _ANNUAL in text and _HEAD.search(text) is not None


def starts_indicator_text(text: str) -> bool:
    """True for a cell whose text starts with such an item: a whole cell, not the rest of one cut by a
    page break."""
    return _ANNUAL in text and _HEAD.match(text) is not None


def split_indicator_text(text: str) -> list[TextIndicator] | None:
    """The indicators of *text*, in order; None when any of it is not an item as described above
    (text before the first item, an item without 三级 or 年度指标值): nothing is guessed."""
    text = text.strip()
    heads = list(_HEAD.finditer(text))
    if not heads or heads[0].start() != 0:
        return None
    out = []
    for k, head in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        body = _BODY.match(text[head.end():end].strip())
        if body is None:
            return None
        annual = body.group("annual").strip()
        if annual[-1:] in (";", "；"):
            annual = annual[:-1].rstrip()
        period = body.group("period")
        out.append(TextIndicator(head.group("l1"), head.group("l2"), body.group("l3").strip(), annual,
                                 None if period is None else period.strip()))
    return out
