"""The 指标值 grammar: parse and format targets.

Canonical quantitative form is ``op number(unit)`` with the number written
with the decimals it was given (``=10.00(所)``, ``<100(百分比)``). Input is
normalised (full-width operators, ``>=``, words such as 不低于, missing
brackets, missing operator, glued units) and :func:`parse_target` says what it
normalised, so a rule can warn; a form is never rejected for its spelling.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .framework import (
    ASSESSMENT_GRADES,
    OPERATOR_ALIASES,
    OPERATOR_SUFFIXES,
    GLUED_UNITS,
    OPERATORS,
    QUALITATIVE_VALUES,
    UNITS,
)
from .memo import remembered
from .model import QualitativeTarget, QuantitativeTarget, RawTarget
from .text import format_number

__all__ = [
    "parse_target",
    "format_target",
    "format_number",
    "ParsedTarget",
    "looks_quantitative",
    "is_known_qualitative",
    "parsed",
]

_ALIASES = sorted(OPERATOR_ALIASES.items(), key=lambda kv: -len(kv[0]))
_SUFFIXES = sorted(OPERATOR_SUFFIXES.items(), key=lambda kv: -len(kv[0]))
#: a unit glued on without brackets is accepted when known (:data:`~xltargets.framework.GLUED_UNITS`)
#: or at most this long (``250万``); so is a unit per another made of such parts (``7万元/人``)
_GLUED_UNIT_MAX = 2
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_QUANT = re.compile(
    rf"^(?P<op>[=≥≤><])?\s*(?P<num>{_NUMBER})\s*(?P<rest>.*)$", re.DOTALL
)
_BRACKETED = re.compile(r"^[(（]\s*(?P<unit>[^()（）]*?)\s*[)）]$")
_BAD_UNIT = re.compile(r"[\d=≥≤><()（）%％]")


class ParsedTarget:
    """Result of :func:`parse_target`: the target plus what was normalised."""

    __slots__ = ("target", "notes")

    def __init__(self, target, notes: list[str]):
        self.target = target
        self.notes = notes

    @property
    def normalised(self) -> bool:
        return bool(self.notes)


def format_target(target) -> str:
    """Canonical text of a target (inverse of :func:`parse_target` on canonical input)."""
    return "" if target is None else target.format()


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text


def _fold(text: str) -> str:
    """Full-width digits/letters/brackets to ASCII (NFKC), keeping ≥ ≤."""
    return unicodedata.normalize("NFKC", text)


#: Excel's error values (#REF!, #N/A …): a broken formula, never a 定性 value
_EXCEL_ERROR = re.compile(r"^#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$")


def looks_quantitative(text: str) -> bool:
    """True when *text* starts with an operator or carries a digit: meant as a number."""
    t = _fold(_clean(text))
    if not t:
        return False
    if t[0] in "=≥≤><":
        return True
    for alias in OPERATOR_ALIASES:
        if t.startswith(alias) and any(ch.isdigit() for ch in t):
            return True
    return bool(re.match(r"^[+-]?\d", t))


def _take_prefix_operator(text: str, notes: list[str]) -> str:
    """Replace a spelled operator at the start (``>=``, ``＞``, 不低于) by the canonical one."""
    for alias, canon in _ALIASES:
        if text.startswith(alias):
            notes.append(f"运算符“{alias}”按“{canon}”理解")
            return canon + text[len(alias):]
    return text


def _take_suffix_operator(rest: str, notes: list[str]) -> tuple[str, str | None]:
    """``%以上`` → (``%``, ``≥``): a trailing 以上/以下/以内 stands for the operator."""
    for word, canon in _SUFFIXES:
        if rest.endswith(word):
            notes.append(f"“{word}”按运算符“{canon}”理解")
            return rest[: -len(word)].strip(), canon
    return rest, None


_DIGITS = re.compile(r"\d(?:[\d.,]*\d)?")
#: a number in the full-width digits of the Chinese IME's full-width mode (＝１００（个）)
_FULL_WIDTH_NUMBER = re.compile(r"[０-９](?:[０-９.,．，]*[０-９])?")


#: unit signs NFKC would spell out in ASCII (``㎡`` → ``m2``, ``㎏`` → ``kg``, ``℃`` → ``°C``): a unit is kept as
#: written, and ``m2`` would read as a unit holding a digit (``≥153.3㎡``, 广州 2026, was unreadable)
_UNIT_SIGNS = re.compile(r"[\u3371-\u33df\u2103\u2109]|(?<=[A-Za-z])[²³]")
#: private-use stand-ins for those signs while the text is folded (NFKC leaves them alone)
_STAND_IN = 0xF000
_PRIVATE_USE = re.compile("[\uf000-\uf8ff]")


def _may_shield(text: str) -> bool:
    """True when *text* may hold a unit sign and holds no private-use character a stand-in could be."""
    return not text.isascii() and _PRIVATE_USE.search(text) is None


def _shield_unit_signs(text: str) -> tuple[str, dict[str, str]]:
    """*text* with each unit sign (:data:`_UNIT_SIGNS`) replaced by a private-use stand-in, and the
    stand-ins' map back. ``m²`` is a unit; ``10²`` stays a superscript (no number reads it)."""
    signs: dict[str, str] = {}

    def stand_in(m: re.Match) -> str:
        sign = m.group()
        ch = chr(_STAND_IN + ord(sign) % 0x1000)
        signs[ch] = sign
        return ch

    return _UNIT_SIGNS.sub(stand_in, text), signs


def _note_full_width_digits(raw: str, notes: list[str]) -> None:
    """Note each number of *raw* written in full-width digits (NFKC reads them as 0–9): they look
    like 0–9 in a cell, so the warning names them, as the sheet's row check does (半角)."""
    for m in _FULL_WIDTH_NUMBER.finditer(raw):
        notes.append(f"全角数字“{m.group()}”按半角“{unicodedata.normalize('NFKC', m.group())}”理解")


def _ascii_digits(text: str, notes: list[str]) -> str:
    """*text* with the decimal digits of other scripts (Arabic-Indic ٠–٩, Devanagari ०–९ …) as 0–9, each run
    noted: they are digits of a number, written in a way a reviewer asks to change (a suggestion, never a
    silent rewrite: the text as written is kept)."""
    if text.isascii():
        return text

    def ascii_run(m: re.Match) -> str:
        run = m.group()
        if run.isascii():
            return run
        plain = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in run)
        notes.append(f"数字“{run}”不是 0–9 的写法，按“{plain}”理解")
        return plain

    return _DIGITS.sub(ascii_run, text)


def _read_unit(rest: str, raw: str, notes: list[str]) -> str | None:
    """The unit after the number, or None when *rest* is no unit at all."""
    if rest == "":
        notes.append("缺少计量单位")
        return ""
    bracketed = _BRACKETED.match(rest)
    if bracketed:
        unit = bracketed.group("unit").strip()
        if "（" in raw or "）" in raw:
            notes.append("全角括号按半角理解")
        if not unit:
            notes.append("括号内缺少计量单位")
        return unit
    if rest == "%":
        notes.append("单位“%”未加括号")
        return "%"
    if not _BAD_UNIT.search(rest) and all(map(_is_glued_unit, rest.split("/"))):
        notes.append(f"单位“{rest}”未加括号")
        return rest
    return None


def _is_glued_unit(part: str) -> bool:
    """True when *part* (a unit glued on, or one side of its ``/``) reads as a unit: a known one
    (:data:`~xltargets.framework.UNITS`, :data:`~xltargets.framework.GLUED_UNITS`) or a short one."""
    return part in UNITS or part in GLUED_UNITS or 0 < len(part) <= _GLUED_UNIT_MAX


def parse_target(text: str | None) -> ParsedTarget:
    """Parse one 指标值 cell.

    Returns a :class:`ParsedTarget` whose ``target`` is None for a blank cell,
    a :class:`QuantitativeTarget`, a :class:`QualitativeTarget`, or a
    :class:`RawTarget` when the text is meant as a number but cannot be read
    (``≥``, ``=abc(个)``, ``>=90%%``). ``notes`` lists the normalisations, in
    Chinese, for a warning.
    """
    if text is None:
        return ParsedTarget(None, [])
    raw = _clean(str(text))
    if not raw:
        return ParsedTarget(None, [])
    if raw[-1] == "。" and len(raw) > 1:
        # a sentence's full stop after a number (广州市交通运输局 2026: 「年度指标值:47.1公里。」): the number is
        # read without it, and the note says so; words keep their 。 (a 定性 value is kept whole)
        bare = parse_target(raw[:-1])
        if isinstance(bare.target, QuantitativeTarget):
            return ParsedTarget(bare.target, [*bare.notes, "末尾的句号“。”已去掉"])
    notes: list[str] = []
    if not raw.isascii():
        _note_full_width_digits(raw, notes)
    shielded, signs = _shield_unit_signs(raw) if _may_shield(raw) else (raw, {})
    folded = _ascii_digits(_fold(_take_prefix_operator(shielded, notes)), notes)
    m = _QUANT.match(folded)
    if m and any(ch.isdigit() and not ch.isdecimal() for ch in shielded):
        # ² ① are no digits of a number: NFKC would read =10²(场) as =102(场); kept as written
        return ParsedTarget(RawTarget(text=raw), [])
    if m:
        op = m.group("op")
        num_text = m.group("num")
        rest = m.group("rest").strip()
        if op is None:
            rest, op = _take_suffix_operator(rest, notes)
        if signs:
            rest = "".join(signs.get(ch, ch) for ch in rest)
        unit = _read_unit(rest, raw, notes)
        if unit is None or _BAD_UNIT.search(unit.replace("%", "")) or unit.count("%") > 1:
            return ParsedTarget(RawTarget(text=raw), [])
        if "," in num_text:
            notes.append("数值中的千分位逗号已去掉")
        number = Decimal(num_text.replace(",", ""))
        decimals = max(0, -number.as_tuple().exponent) if "." in num_text else 0
        if number.is_zero() and number.is_signed():
            notes.append(f"“{num_text}”即 {format_number(number, decimals)}，零不写负号")
        if op is None:
            op = "="
            notes.append("缺少运算符，按“=”理解")
        target = QuantitativeTarget(operator=op, number=number, decimals=decimals, unit=unit)
        if format_target(target) != raw and not notes:
            notes.append(f"已规范为“{format_target(target)}”")
        return ParsedTarget(target, notes)
    if looks_quantitative(raw) or _EXCEL_ERROR.match(raw):
        return ParsedTarget(RawTarget(text=raw), [])
    # words, not a number: an operator word at the start (大于预期) is just a word
    text_q = " ".join(raw.split())
    return ParsedTarget(QualitativeTarget(text=text_q), ["去掉了多余的空白"] if text_q != raw else [])


@remembered(1 << 16)
def parsed(text: str) -> ParsedTarget:
    """:func:`parse_target`, remembered: one shared result per text, to read and never change
    (targets are immutable: the importer shares one among the indicators that wrote the same text)."""
    return parse_target(text)


def is_known_qualitative(text: str) -> bool:
    """True for a 定性 value on the known list (or an assessment grade)."""
    return text in QUALITATIVE_VALUES or text in ASSESSMENT_GRADES


# keep the tuple referenced for readers: canonical operators
assert set(OPERATORS) == {"=", "≥", "≤", ">", "<"}
