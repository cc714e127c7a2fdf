"""Finding and reading stacked 申报表 forms in a grid, by their labels.

No field is read from a fixed cell: each form starts at a 项目名称 label, each
value is the next non-label cell to the right of its label (or, for the
goals, the text below it), and the 绩效指标 table starts at its header row.
Rows whose columns are shifted, merged cells left blank, stray spaces inside
labels and ``<p>`` tags are all tolerated; what cannot be decided is kept
verbatim and reported, never dropped and never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
import re
from dataclasses import dataclass, field

from .. import framework as fw
from ..findings import Finding, Severity
from ..memo import remembered
from ..model import Execution, Funds, Indicator, Origin, Project
from ..targets import ParsedTarget, is_known_qualitative
from ..targets import parsed as _parsed
from ..model import QualitativeTarget, QuantitativeTarget
from ..text import EXCEL_DIGITS
from .cells import DateError, MoneyError, parse_date, parse_money, strip_html
from .cells import label_of as normalise_label
from .cellref import COLUMNS, col_letters
from .codes import IMPORT_CODES
from .grid import Grid
from .indicatortext import looks_like_indicator_text, split_indicator_text
from .labels import (
    ALL_LABELS,
    BLOCK_LABELS,
    DEPARTMENT_NAME_LABELS,
    EXECUTION_HEADERS,
    EXECUTION_PREFIXES,
    NAME_LABELS,
    SELF_GOAL_LABELS,
    COLUMN_HEADERS,
    EXTRA_HEADERS,
    FISCAL_FUNDS,
    FUNDS_OVER_AMOUNTS,
    FOOTER_PREFIXES,
    FORM_TITLE,
    FUND_LABELS,
    GOAL_LABELS,
    HEADER_FIELDS,
    INDICATOR_HEADERS,
    LIST_COLUMNS,
    TEXT_LIST_FUNDS,
    TEXT_LIST_INDICATORS,
    GOAL_LIST_INTRO,
    GOAL_LIST_NAME,
    LEVEL_SYNONYMS,
    OPERATOR_HEADERS,
    OTHER_FUNDS,
    PERIOD_LABELS,
    SHORT_FIELDS,
    TITLE_LINE,
    UNIT_HEADERS,
    VALUE_HEADERS,
    SYNONYMS,
    YEAR_LINE,
    canonical_label,
    split_inline,
    split_label,
    is_goal_list_header,
    UNREAD_FUNDS,
    UNREAD_LABELS,
)

__all__ = ["find_forms", "read_form", "read_list", "is_list_header", "FormSpan"]

# labels (normalise_label) and 指标值 (_parsed) repeat across thousands of forms: each
# distinct text is worked out once


def parse_target(text: str) -> ParsedTarget:
    """:func:`xltargets.targets.parse_target`, remembered (the target is immutable and shared); its own list of notes."""
    p = _parsed(text)
    return ParsedTarget(p.target, list(p.notes))


@dataclass
class FormSpan:
    """Rows [start, end) of one form in a grid; ``name_row`` holds 项目名称."""

    start: int
    name_row: int
    end: int


@dataclass
class _Ctx:
    grid: Grid
    findings: list[Finding] = field(default_factory=list)
    project: str | None = None

    def report(self, code: str, message: str, r: int | None = None, c: int | None = None, fieldname: str | None = None):
        severity = Severity(IMPORT_CODES[code][0])
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                message=message,
                project=self.project,
                sheet=self.grid.sheet,
                cell=self.grid.ref(r, c) if r is not None and c is not None else None,
                field=fieldname,
                file=self.grid.file,
            )
        )


@remembered(1 << 14)
def label_key(label: str) -> tuple[str, str] | None:
    """(canonical label, tail) when the normalised *label* is a form label, else None.

    Synonyms (:data:`~.labels.SYNONYMS`) give their canonical label; a label with a
    bracketed tail gives it as *tail*: ``项目资金(万元)`` → (``项目资金``, ``万元``),
    ``项目总体目标(2024年-2026年)`` → (``项目总目标``, ``2024年-2026年``).
    """
    if label in ALL_LABELS:
        return canonical_label(label), ""
    base, tail = split_label(label)
    if tail and base in ALL_LABELS:
        return canonical_label(base), tail
    if "：" in label:
        if label[-1] == "：":  # "项目名称：", its value in the next cell
            return label_key(label[:-1])
        inline = split_inline(label)  # "项目名称：XXX", its value in the same cell (see inline_value)
        if inline is not None:
            return canonical_label(inline[0]), ""
    return None


def inline_value(text: str) -> str | None:
    """The value of a header field written with its label in one cell, as written (only the label,
    the colon and the spaces or line break around it removed): ``"预算单位: 奉节县…"`` → ``"奉节县…"``;
    None when *text* is no such cell (see :func:`~.labels.split_inline`)."""
    if ("：" not in text and ":" not in text) or split_inline(normalise_label(text)) is None:
        return None
    if "<" in text:
        text = strip_html(text)[0]
    i = min(i for i in (text.find(":"), text.find("：")) if i >= 0)
    return text[i + 1:].strip()


@remembered(1 << 14)
def _name_label(n: str) -> str | None:
    """The label a form starts at (:data:`~.labels.NAME_LABELS`) that the normalised cell *n*
    holds: alone, before a colon (``项目名称：``) or with its value (``项目名称：XXX``)."""
    if n in _NAME_LABELS:
        return n
    if "：" not in n:
        return None
    head = n[:-1] if n[-1] == "：" else (split_inline(n) or ("",))[0]
    return head if head in _NAME_LABELS else None


def _row_names(cells) -> list[str]:
    """The labels a form starts at in a row of (col, text, label) cells."""
    return [m for m in (_name_label(n) for _, _, n in cells) if m is not None]


def _is_name_row(cells) -> bool:
    """True when a row holds a label a form starts at (:func:`_row_names`), checked cheaply first:
    every row of every sheet is asked."""
    names = list(map(_label, cells))
    if not _NAME_LABELS.isdisjoint(names):
        return True
    if names and names[0] == GOAL_LIST_NAME:
        return is_goal_list_header(names)
    return "：" in "".join(names) and any(_name_label(n) is not None for n in names)


def _is_label(text: str) -> bool:
    return label_key(normalise_label(text)) is not None


def is_title_row(cells) -> bool:
    """True for a row (``(col, text, label)`` items) that is a form's title or its year line."""
    if not cells or len(cells) > 2:
        return False
    n = cells[0][2]
    if n[-1:] not in _TITLE_ENDS:  # every title and year line ends so: most rows need no regex
        return False
    return n == FORM_TITLE or YEAR_LINE.match(n) is not None or TITLE_LINE.match(n) is not None


_TITLE_ENDS = frozenset("表)度年0123456789")


_NAME_LABELS = frozenset(NAME_LABELS)
_VALUE_HEADER_SET = frozenset(VALUE_HEADERS)
#: labels that name many things besides a form: a form starts at them only under its title row
_WEAK_NAME_LABELS = frozenset({"部门", "单位名称", "部门名称"})
#: what forms write in an amount cell that does not apply
_NOT_APPLICABLE = frozenset({"/", "／", "—", "——", "-", "－", "*", "无"})
#: the year a title names: "部门预算项目支出绩效自评表(2023年度)"
_TITLE_YEAR = re.compile(r"(\d{4})年度?")


#: a title that names its project (福建 2026: 泉州 prints 「XX项目绩效目标表」 and no 项目名称 row)
_NAMED_TITLE_END = "项目绩效目标表"
#: what precedes 项目绩效目标表 in a title that names no project ("1.", "2026年度", "部门")
_GENERIC_TITLE = re.compile(r"^[\d.、()]*(?:\d{4}年度?)?(?:部门|单位|财政|预算|市级|本级|支出)*$")
#: a space the PDF extractor puts where a title's font leaves a gap beside a CJK character
_CJK_GAP = re.compile(r"\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+")


def title_name(cells) -> str | None:
    """The project a one-cell title row names (``办公楼物业项目绩效目标表`` → ``办公楼物业``), else None."""
    if len(cells) != 1 or not cells[0][2].endswith(_NAMED_TITLE_END):
        return None
    text = cells[0][1].strip()
    if not text.endswith(_NAMED_TITLE_END):
        return None
    name = _CJK_GAP.sub("", text[: -len(_NAMED_TITLE_END)]).strip()
    return None if not name or _GENERIC_TITLE.match(normalise_label(name)) else name


def _named_title_starts(grid: Grid, titles: list[int], name_rows: list[int]) -> list[int]:
    """The title rows naming a project (:func:`title_name`) that start a form of their own: no
    项目名称 row follows them before their indicator header (福州 prints both, 泉州 the title only)."""
    rows_cells = grid.labelled_rows()
    starts = []
    for i, t in enumerate(titles):
        limit = min([r for r in name_rows if r > t][:1] + titles[i + 1:i + 2] + [grid.height])
        if any(_is_header({canonical_label(n) for _, _, n in rows_cells[r]}) for r in range(t + 1, limit)):
            starts.append(t)
    return starts


def find_forms(grid: Grid, *, keep: bool = True) -> list[FormSpan]:
    """Every form in *grid*, in order. *keep*: keep each row's labelled cells (:meth:`Grid.labelled`)
    for the forms read right after; else each row is looked at once and not kept (a large grid
    counted before its forms are read, or read with its rows let go form by form)."""
    labelled = grid.labelled
    name_rows = []
    titles = []
    for r, cells in enumerate(grid.labelled_rows() if keep else grid.scan()):
        if _is_name_row(cells):
            name_rows.append(r)
        elif len(cells) == 1 and cells[0][2][-1:] == "表" and title_name(cells) is not None:
            titles.append(r)
    named = _named_title_starts(grid, titles, name_rows) if titles else []
    if named:
        name_rows = sorted(name_rows + named)
    spans: list[FormSpan] = []
    prev_name = -1
    for i, nr in enumerate(name_rows):
        start = nr
        for r in range(nr - 1, max(prev_name, nr - 8), -1):
            if is_title_row(labelled(r)):
                start = r
        if start == nr and nr not in named and _WEAK_NAME_LABELS.issuperset(_row_names(labelled(nr))) and not (
                is_goal_list_header(list(map(_label, labelled(nr))))):
            continue  # "部门" / "单位名称" start a form only under a form's title (a staff list has 部门 too)
        spans.append(FormSpan(start=start, name_row=nr, end=grid.height))
        if spans[:-1]:
            spans[-2].end = start
        prev_name = nr
    return spans


def _value_right(grid: Grid, r: int, c: int, *, inline_ok: bool = False) -> tuple[str, int | None]:
    """Text of the first non-empty cell right of (r, c) before the next label; *inline_ok*: a cell
    that reads as a label with its value (``实施单位：由乡政府组织实施``) is text (a goal's)."""
    for cc, t, n in grid.labelled(r):
        if cc <= c:
            continue
        if label_key(n) is not None and not (inline_ok and split_inline(n) is not None):
            return "", None
        return t, cc
    return "", None


def _header_value(grid: Grid, r: int, c: int) -> tuple[str, int | None]:
    """The value of the header label at (r, c): in its own cell after a colon (``项目名称：XXX``),
    else the first cell right of it (:func:`_value_right`)."""
    own = inline_value(grid.get(r, c))
    if own is not None:
        return own, c
    return _value_right(grid, r, c)


def _header_spot(grid: Grid, spots: list[tuple[int, int]]) -> tuple[int, int, str, int | None] | None:
    """Which of the *spots* of one header label gives its value: (row, col, value, value col).

    The first label with its value in a cell of its own: the form's own ``实施单位 | 云雾土家族乡``
    wins over a ``预算单位：奉节县…`` line above the form; that line gives the value only when
    there is no own cell or it is blank (nothing written is lost)."""
    if not spots:
        return None
    if len(spots) == 1:
        r, c = spots[0]
        return (r, c, *_header_value(grid, r, c))
    own = [rc for rc in spots if inline_value(grid.get(*rc)) is None]
    inline = [rc for rc in spots if rc not in own]
    if own:
        r, c = own[0]
        text, cc = _value_right(grid, r, c)
        if text or not inline:
            return r, c, text, cc
    r, c = inline[0]
    return (r, c, *_header_value(grid, r, c))


def _is_header(texts: set[str]) -> bool:
    """True when a row's canonical labels *texts* head the 绩效指标 table."""
    if "三级指标" in texts or ("一级指标" in texts and "二级指标" in texts):
        return True
    if RUN_TOGETHER_HEADER in texts and not _VALUE_HEADER_SET.isdisjoint(texts) and "指标性质" in texts:
        return True  # 活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位 (北京 2026 预算13表): one cell, three levels
    # a header that lost a cell still heads the table
    return ("一级指标" in texts or "二级指标" in texts) and not _VALUE_HEADER_SET.isdisjoint(texts)


@remembered(1 << 14)
def _cell_facts(n: str) -> tuple[tuple[str, str] | None, str, str | None, bool, bool]:
    """What a cell's label *n* can say about its form, worked out once per distinct text:
    (:func:`label_key`, its canonical label, its 预算执行情况 column key, whether it states 万元,
    whether it is a label with its value, :func:`~.labels.split_inline`)."""
    execution = EXECUTION_HEADERS.get(split_label(n)[0] if n.endswith(")") else n)
    if execution is None:
        execution = next((k for prefix, k in EXECUTION_PREFIXES if n.startswith(prefix)), None)
    wan = n.startswith(("单位", "(单位", "金额单位")) and n.endswith(("万元", "万元)")) and len(n) <= 12
    return label_key(n), canonical_label(n), execution, wan, split_inline(n) is not None


@dataclass
class _Zone:
    """What the rows above a form's 绩效指标 table say, read in one pass (:func:`_read_zone`)."""

    header: int | None  # the table's header row
    labels: dict[str, list[tuple[int, int]]]  # canonical label → its cells
    tails: dict[tuple[int, int], str]  # the tail written on each label that has one
    year: int | None  # "(2024年度)" above the header block
    titles: str  # the labels above the name row, joined
    wan: bool  # a header of the block says 万元 (``单位：万元``)
    execution: tuple[int, dict[str, int], dict[int, str], dict[int, str]] | None  # the 预算执行情况 header
    # row, its columns by Execution field, the name of each header, the headers with no field


def _read_zone(grid: Grid, span: FormSpan, year: int | None) -> _Zone:
    """One pass over the rows of *span* down to its table's header row: the header, the labels and
    their tails, the year and title lines, a 万元 header and a 预算执行情况 block (*year*: the default)."""
    rows_cells = grid.labelled_rows()
    name_row = span.name_row
    labels: dict[str, list[tuple[int, int]]] = {}
    tails: dict[tuple[int, int], str] = {}
    titles: list[str] = []
    header = execution = None
    wan = False
    for r in range(span.start, min(span.end, len(rows_cells))):
        cells = rows_cells[r]
        if not cells:
            continue
        facts = [(c, _cell_facts(n)) for c, _, n in cells]
        if r >= name_row:
            if _is_header({f[1] for _, f in facts}):
                header = r
                break
            if execution is None:
                cols: dict[str, int] = {}
                for c, f in facts:
                    if f[2] is not None and f[2] not in cols:
                        cols[f[2]] = c
                if len(cols) >= 3 and ("executed" in cols or "budget" in cols):
                    # the headers of its other columns (历年结余结转, 资金结余率(%)⑧=⑦/④): no field
                    heads = {c: _column_name(n) for c, _, n in cells}
                    extra = {c: heads[c] for c, f in facts if f[2] is None and f[0] is None and heads[c]}
                    execution = (r, cols, heads, extra)
        else:
            for _, _, n in cells:
                titles.append(n)
                m = YEAR_LINE.match(n) or (_TITLE_YEAR.search(n) if TITLE_LINE.match(n) else None)
                if m:
                    year = int(m.group(1))
        prev = None
        for c, f in facts:
            if f[3]:
                wan = True
            key = f[0]
            if key is not None:
                if prev in GOAL_LABELS and f[4]:
                    prev = None
                    continue  # "年度总体目标 | 实施单位：由乡政府组织实施": the goal (_goal_text), no label
                labels.setdefault(key[0], []).append((r, c))
                if key[1]:
                    tails[(r, c)] = key[1]
                    if key[1] in _WAN_TAILS:
                        wan = True
            prev = key[0] if key is not None else None
    return _Zone(header, labels, tails, year, "".join(titles), wan, execution)


_FUND_ROW_LABELS = (*FUND_LABELS, *OTHER_FUNDS, *FISCAL_FUNDS, *UNREAD_FUNDS)

_WAN_TAILS = frozenset(("万元", "单位：万元", "单位:万元"))

#: a column header's name without the formula or the unit after it: ``资金结余率(%)⑧=⑦/④`` → ``资金结余率``
_COLUMN_NAME = re.compile(r"^[^①②③④⑤⑥⑦⑧⑨⑩(=]+")


def _column_name(n: str) -> str:
    m = _COLUMN_NAME.match(n)
    return m.group(0) if m else ""


def _goal_text(ctx: _Ctx, r: int, c: int, stop_row: int, fieldname: str) -> tuple[str, str | None]:
    grid = ctx.grid
    text, cc = _value_right(grid, r, c, inline_ok=True)
    if text:
        return _clean_goal(ctx, text, r, cc, fieldname), grid.ref(r, cc)
    right = len(max(grid.rows[r:stop_row] or [[]], key=len))
    for cc, _, n in grid.labelled(r):
        if cc > c and label_key(n) is not None:
            right = cc
            break
    parts: list[str] = []
    first: str | None = None
    for rr in range(r + 1, stop_row):
        cells = grid.labelled(rr)
        if any(label_key(n) is not None for _, _, n in cells):
            break
        for cc, t, _ in cells:
            if c <= cc < right:
                parts.append(_clean_goal(ctx, t, rr, cc, fieldname))
                first = first or grid.ref(rr, cc)
    return "\n".join(parts), first or grid.ref(r + 1, c)


def _clean_goal(ctx: _Ctx, text: str, r: int, c: int, fieldname: str) -> str:
    cleaned, had_tags = strip_html(text)
    if had_tags:
        ctx.report("XLT-W103", f"单元格中的 HTML 标记（如 <p>）已去掉：“{text[:30]}…”。请核对文字。", r, c, fieldname)
    return cleaned


def _target_like(text: str) -> bool:
    t = _parsed(text).target
    if isinstance(t, QuantitativeTarget):
        return True
    return isinstance(t, QualitativeTarget) and is_known_qualitative(t.text)


def read_form(ctx: _Ctx, span: FormSpan, *, default_year: int | None = None) -> Project:
    """Read one form of *ctx.grid* into a :class:`Project` (findings go to *ctx*)."""
    grid = ctx.grid
    zone = _read_zone(grid, span, default_year)  # the form's year: "(2024年度)" above the header block
    header, labels, tails, year = zone.header, zone.labels, zone.tails, zone.year
    zone_end = header if header is not None else span.end
    cells: dict[str, str] = {}
    values: dict[str, object] = {}
    raw_texts: dict[str, str] = {}  # unreadable dates/amounts, kept as written

    # header fields
    for label, name in HEADER_FIELDS.items():
        spot = _header_spot(grid, labels.get(label, []))
        if spot is not None:
            r, c, text, cc = spot
            if name in SHORT_FIELDS and "\n" in text:
                joined = unwrap(text)
                if joined != text:
                    ctx.report("XLT-W106", f"“{text}”中的换行已去掉，按“{joined}”读入，请核对。", r, cc, name)
                    text = joined
            values[name] = text
            cells[name] = grid.ref(r, cc if cc is not None else c + 1)
    unread = []  # labelled values the model has no field for: kept in the file, named in one finding
    for label in UNREAD_LABELS:
        spot = _header_spot(grid, labels[label]) if label in labels else None  # 30 labels, most absent
        if spot is not None and spot[2].strip() and spot[2].strip() not in _NOT_APPLICABLE:  # "—": a blank that says so
            r, c, text, cc = spot
            unread.append((r, cc if cc is not None else c + 1, label, text))
    if "name" not in values and span.name_row == span.start:
        named = title_name(grid.labelled(span.name_row))
        if named is not None:  # the title names the project: 「办公楼物业项目绩效目标表」
            values["name"] = named
            cells["name"] = grid.ref(span.name_row, grid.labelled(span.name_row)[0][0])
    ctx.project = str(values.get("name", "")) or None
    if not values.get("start") and not values.get("end"):
        for label in PERIOD_LABELS:
            spot = _header_spot(grid, labels[label]) if label in labels else None
            if spot is not None:
                r, c, text, cc = spot
                period = parse_period(text)
                if period is not None:
                    values["start"], values["end"] = period
                    cells["start"] = cells["end"] = grid.ref(r, cc if cc is not None else c + 1)
    for name in ("start", "end"):
        if isinstance(values.get(name), dt.date):
            continue  # from a 项目起止时间 period
        raw = str(values.get(name, ""))
        try:
            date, serial = parse_date(raw)
        except DateError:
            date, serial = None, False
            label = "计划开始日期" if name == "start" else "计划完成日期"
            ctx.report("XLT-E104", f"{label}“{raw}”不是有效日期。请填写形如 2024-01-01 的日期。", *_rc(cells[name]), name)
            raw_texts[name] = raw
        if serial:
            ctx.report("XLT-W104", f"日期“{raw}”按 Excel 序列号理解为 {date.isoformat()}，请核对。", *_rc(cells[name]), name)
        values[name] = date

    # funds
    funds: dict[str, object] = {}
    annual_spots = labels.get("年度资金申请总额", [])
    if "项目资金总额" not in labels and len(annual_spots) >= 2 and annual_spots[0][0] == annual_spots[1][0]:
        # 资金总额 | … | 当年资金总额 side by side: the left one is the whole project's
        labels["项目资金总额"], labels["年度资金申请总额"] = annual_spots[:1], annual_spots[1:]
    annual_col = min((c for _, c in labels.get("年度资金申请总额", [])), default=None)
    spots: list[tuple[str, int, int]] = []
    for label, name in FUND_LABELS.items():
        for r, c in labels.get(label, [])[:1]:
            spots.append((name, r, c))
    total_first = "total" in {name for name, _, _ in spots}
    for labels_of, (total_name, annual_name) in ((OTHER_FUNDS, ("total_other", "annual_other")),
                                                 (FISCAL_FUNDS, ("total_fiscal", "annual_fiscal"))):
        positional = sorted(rc for label in labels_of for rc in labels.get(label, []))
        for i, (r, c) in enumerate(positional[:2]):
            if annual_col is not None:
                name = total_name if c < annual_col else annual_name
            else:  # one block: the annual one, unless a 项目资金总额 names the multi-year one
                name = total_name if (i == 0 and total_first) else annual_name
            spots.append((name, r, c))
    amount_unit = "万元" if zone.wan else "元"  # as :func:`_amount_unit` says
    below, unread_below = _funds_below(grid, span.start, zone_end)
    unread.extend(unread_below)
    spots[:0] = [(name, r, c) for name, (r, c) in below.items()]
    for name, r, c in spots:
        if name in funds:
            continue
        if name in below and (r, c) == below[name]:
            text, cc = grid.get(r, c), c
        else:
            text, cc = _value_right(grid, r, c)
        key = f"funds.{name}"
        cells[key] = grid.ref(r, cc if cc is not None else c + 1)
        if text.strip() in _NOT_APPLICABLE:  # "/" or "—": not applicable, a blank that says so
            raw_texts[key] = text
            funds[name] = None
            continue
        if text.endswith("万元") and amount_unit in ("万元", "元"):
            # the unit written in the cell ("10000万元"): the amount in 万元, the form's unit 万元
            if amount_unit == "元" and not any(f for f in funds.values() if f is not None):
                amount_unit = "万元"
            if amount_unit == "万元":
                text = text[:-2].strip()
        try:
            amount, decorated = parse_money(text)
        except MoneyError:
            ctx.report("XLT-E102", f"{FUND_LABEL_ZH[name]}“{text}”不是金额。请填写阿拉伯数字金额（两位小数），如 1,000,000.00。", r, cc, key)
            raw_texts[key] = text
            amount, decorated = None, False
        # an amount has no more digits than its text has characters: most texts are too short to ask
        if amount is not None and len(text) > EXCEL_DIGITS and len(amount.normalize().as_tuple().digits) > EXCEL_DIGITS:
            ctx.report(
                "XLT-E102",
                f"{FUND_LABEL_ZH[name]}“{text}”有 {len(amount.normalize().as_tuple().digits)} 位有效数字，"
                f"超过 Excel 能精确保存的 {EXCEL_DIGITS} 位（写入工作簿会丢失尾数）。请核对金额（元），"
                "Excel 能精确保存的最大两位小数金额为 9,999,999,999,999.99。",
                r, cc, key,
            )
            raw_texts[key] = text
            amount, decorated = None, False
        if decorated:
            ctx.report("XLT-W105", f"{FUND_LABEL_ZH[name]}“{text}”中含有“元”“¥”或空格，已按 {amount:z,.2f} 理解，请核对。", r, cc, key)
        if amount is not None and amount < 0:
            ctx.report("XLT-E103", f"{FUND_LABEL_ZH[name]}“{text}”为负数。项目资金不能为负，请改为 0 或正数。", r, cc, key)
        funds[name] = amount

    # goals
    for label, name in GOAL_LABELS.items():
        for r, c in labels.get(label, [])[:1]:
            while (r, c + 1) in labels[label] and grid.get(r, c + 1) == grid.get(r, c):
                c += 1  # the label printed in two cells (北京 2026: a block label over a row label)
            text, ref = _goal_text(ctx, r, c, zone_end, name)
            values[name] = text
            cells[name] = ref or grid.ref(r, c + 1)
            if name == "total_goal" and (r, c) in tails:
                values["goal_period"] = tails[(r, c)]

    if not values.get("annual_goal") and not values.get("total_goal"):
        for r, c in labels.get("总体目标", [])[:1]:
            text, cc = _value_right(grid, r, c, inline_ok=True)
            if text:  # 总体目标 | text (泉州's 部门整体 form): the goal, not a block heading
                values["annual_goal"] = _clean_goal(ctx, text, r, cc, "annual_goal")
                cells["annual_goal"] = grid.ref(r, cc)

    # the kind of form: by its title, the label it starts at, its 预算执行情况 block
    titles = zone.titles
    start_labels = set(_row_names(grid.labelled(span.name_row)))
    execution = _execution(grid, zone.execution, labels, set(cells.values()), unread)
    if unread:
        by_cell = {(r, c): (label, text) for r, c, label, text in unread}  # a funds row's cell: its column named
        listed = "、".join(f"{label}“{text}”（{grid.ref(r, c)}）" for (r, c), (label, text) in sorted(by_cell.items()))
        first = min(by_cell)
        ctx.report("XLT-W113", f"以下栏目未导入（xltargets 没有对应字段），原文件中保留：{listed}。", *first)
    if "自评" in titles or execution is not None:
        kind = "self_assessment"
    elif "部门整体" in titles or not DEPARTMENT_NAME_LABELS.isdisjoint(start_labels):
        kind = "department"
    else:
        kind = "project"
    if kind == "self_assessment":
        goals = {}
        for label, name in SELF_GOAL_LABELS.items():
            for r, c in labels.get(label, [])[:1]:
                text = _text_below(grid, r, c, zone_end)
                if text and name not in goals:
                    goals[name] = _clean_goal(ctx, text, r + 1, c, name)
        if "annual_goal" in goals:
            values["annual_goal"] = goals["annual_goal"]
        if execution is None:
            execution = {}
        execution["actual_goal"] = goals.get("actual_goal", "")
        execution = Execution(**execution)
    else:
        execution = None
    tasks: list[str] = []
    if kind == "department":
        for label in ("年度主要任务", "重点工作任务"):
            for r, c in labels.get(label, [])[:1]:
                tasks = _task_rows(grid, r, zone_end)

    indicators = _read_indicators(ctx, header, span.end) if header is not None else []
    if header is None:
        _report_rows_without_header(ctx, span)
    if header is not None:
        cells["indicators"] = grid.ref(header, 0)
    cells["form"] = grid.ref(span.name_row, 0)
    project = {
        "kind": kind,
        "name": str(values.get("name", "")),
        "nature": str(values.get("nature", "")),
        "category": str(values.get("category", "")),
        "department": str(values.get("department", "")),
        "unit": str(values.get("unit", "")),
        "start": values.get("start"),
        "end": values.get("end"),
        "funds": None,
        "money_unit": amount_unit,
        "total_goal": str(values.get("total_goal", "")),
        "annual_goal": str(values.get("annual_goal", "")),
        "goal_period": str(values.get("goal_period", "")),
        "year": year,
        "indicators": indicators,
        "execution": execution,
        "tasks": tasks,
        "raw": raw_texts,
        "origin": {"file": grid.file, "sheet": grid.sheet, "row": span.name_row + 1, "cells": cells},
    }
    # validated (pydantic): one call for the project, its funds, execution and tasks; the indicators
    # are records already (taken as they are) — as cheap as model_construct, and nothing unchecked
    project["funds"] = Funds(**funds)
    project["origin"] = Origin(**project["origin"])
    return Project(**project)


def _funds_below(grid: Grid, start: int, stop: int) -> tuple[dict[str, tuple[int, int]], list]:
    """Funds whose headers stand over their amounts (北京 2026 部门整体: 预算支出总额 | 财政拨款 over
    合计 / 基本支出 / 项目支出 | 其他资金 over the same, the amounts in the row below): each field's
    amount cell, by :data:`~.labels.FUNDS_OVER_AMOUNTS`, and the amounts with no field (row, col,
    header, text: 财政拨款基本支出) for XLT-W113; empty for any other layout."""
    for r in range(start, stop):
        for c, _, n in grid.labelled(r):
            if n != FUNDS_OVER_AMOUNTS[0]:
                continue
            out = {"annual": (r + 2, c)}
            blocks = [(cc, head) for cc, _, head in grid.labelled(r) if head in FUNDS_OVER_AMOUNTS[1]]
            unread = []
            for cc, _, sub in grid.labelled(r + 1):
                block = next((head for bc, head in reversed(blocks) if bc <= cc), None)
                if block is None:
                    continue
                if canonical_label(sub) == "年度资金申请总额":  # 合计: the block's total
                    out.setdefault(FUNDS_OVER_AMOUNTS[1][block], (r + 2, cc))
                elif grid.get(r + 2, cc).strip():
                    unread.append((r + 2, cc, f"{block}{sub}", grid.get(r + 2, cc)))
            if any(grid.get(rr, cc) for rr, cc in out.values()):
                return out, unread
    return {}, []


def _amount_unit(grid: Grid, labels, tails, r0: int, r1: int) -> str:
    """万元 when a funds label or a header of the funds block says so (``项目资金(万元)``,
    ``金额(万元)``, ``单位：万元``), else 元."""
    for (r, c), tail in tails.items():
        if tail in ("万元", "单位：万元", "单位:万元"):
            return "万元"
    for r in range(r0, r1):
        for _, _, n in grid.labelled(r):
            if n.startswith(("单位", "(单位", "金额单位")) and n.endswith(("万元", "万元)")) and len(n) <= 12:
                return "万元"
    return "元"


_WRAPPED = re.compile(r"(?<=[\u3400-\u9fff（）()])[ \t]*\n[ \t]*(?=[\u3400-\u9fff（）()])")


def unwrap(text: str) -> str:
    """A short value wrapped by a PDF or Word conversion, joined: ``"阶段\\n性项\\n目"`` → ``"阶段性项目"``.

    Only line breaks between two Chinese characters are wrapping; any other break
    (``"A\\nB"``, ``"0\\n0"``) is the user's and stays.
    """
    return _WRAPPED.sub("", text) if "\n" in text else text


def _task_rows(grid: Grid, r: int, stop: int) -> list[str]:
    """The 年度主要任务 of a 部门整体 form: from its label's row down to the next label's row,
    each row's cells (right of the label column) joined by " | ", as written. A row that is
    one cell of several lines (the 汇总表's 部门整体 section writes them so) is one task a line."""
    out = []
    for rr in range(r, stop):
        cells = grid.labelled(rr)
        if rr > r and any(label_key(n) is not None for _, _, n in cells):
            break
        texts = [t for _, t, n in cells if label_key(n) is None]
        if len(texts) == 1 and "\n" in texts[0]:
            out.extend(line.strip() for line in texts[0].splitlines() if line.strip())
        elif texts:
            out.append(" | ".join(texts))
    return out


_PERIOD = re.compile(
    r"^(\d{4})[年./-]?(\d{1,2})月?(?:[./-]?(\d{1,2})日?)?\s*[-—－~～至到]+\s*"
    r"(\d{4})[年./-]?(\d{1,2})月?(?:[./-]?(\d{1,2})日?)?$"
)


def parse_period(text: str) -> tuple[dt.date, dt.date] | None:
    """``"202001-202012"``, ``"2024年1月-2024年12月"``, ``"2024.01.01-2024.12.31"`` → (start, end):
    a month alone is its first day (start) or its last day (end); None when no period."""
    m = _PERIOD.match(text.replace(" ", ""))
    if m is None:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = dt.date(int(y1), int(m1), int(d1) if d1 else 1)
        last = calendar.monthrange(int(y2), int(m2))[1]
        end = dt.date(int(y2), int(m2), int(d2) if d2 else last)
    except ValueError:
        return None
    return start, end


def _text_below(grid: Grid, r: int, c: int, stop: int) -> str:
    """The first text below (r, c) in its column before *stop* and before another label."""
    for rr in range(r + 1, min(stop, r + 4)):
        for cc, t, n in grid.labelled(rr):
            if cc == c:
                return "" if label_key(n) is not None else t
    return ""


def _execution(grid: Grid, block, labels, read: set[str], unread: list) -> dict | None:
    """The 预算执行情况 row of a 自评 form: *block* is its header row and columns by their headers
    (:func:`_read_zone`); the values of the 年度资金总额 (or 总额) row; None when the form has no such block.

    Written values of the block that are not read go to *unread* (label, value, cell): the total
    row's columns with no field (历年结余结转, 资金结余率), and the other funds rows' values
    (其中:当年财政拨款, 其中:中央补助) except the cells *read* as funds."""
    if block is None:
        return None
    r, cols, heads, extra = block
    total = [rc for rc in labels.get("年度资金申请总额", []) if rc[0] > r]
    rows = sorted({rc for label in _FUND_ROW_LABELS for rc in labels.get(label, []) if rc[0] > r})
    for rr, lc in rows:
        is_total = bool(total) and rr == total[0][0]
        row_label = normalise_label(grid.get(rr, lc))
        for c in sorted({*cols.values(), *extra}):
            text = grid.get(rr, c)
            if c <= lc or not text.strip() or text.strip() in _NOT_APPLICABLE or grid.ref(rr, c) in read:
                continue
            if is_total and c in extra:
                unread.append((rr, c, extra[c], text))
            elif not is_total:
                unread.append((rr, c, f"{row_label} {heads[c]}", text))
    if not total:
        return {}
    tr = total[0][0]
    out: dict = {}
    for key, c in cols.items():
        text = grid.get(tr, c)
        if key in ("budget_initial", "budget", "executed"):
            try:
                out[key] = parse_money(text)[0]
            except MoneyError:
                out[key] = None
        else:
            out[key] = text
    return out


FUND_LABEL_ZH = {
    "total": "项目资金总额",
    "total_fiscal": "项目资金总额中的财政资金",
    "total_other": "项目资金总额中的其他资金",
    "annual": "年度资金申请总额",
    "annual_fiscal": "当年财政拨款",
    "annual_carryover": "上年结转资金",
    "annual_other": "年度资金中的其他资金",
}

_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _rc(ref: str | None) -> tuple[int | None, int | None]:
    if not ref:
        return None, None
    m = _REF.match(ref)
    if not m:
        return None, None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


#: the framework's names as sets (looked up once per cell)
_LEVEL1 = frozenset(fw.LEVEL1)
_ALL_LEVEL2 = frozenset(fw.ALL_LEVEL2)
_LEVEL_NAMES = _LEVEL1 | _ALL_LEVEL2
_BLOCK_LABELS = frozenset(BLOCK_LABELS)
_INDICATOR_HEADERS = frozenset(INDICATOR_HEADERS)
_label = operator.itemgetter(2)  # (col, text, label) → label


@remembered(1 << 14)
def _level_name(n: str) -> str:
    """A 一级/二级 name as the framework spells it (产出类指标 → 产出指标; 产出指标(50分), the
    一级 of a 自评 form with its points, → 产出指标); remembered (asked for most cells of every table)."""
    if n[-1:] == ")":
        base, tail = split_label(n)
        if tail.endswith("分") and (base in _LEVEL1 or base in _ALL_LEVEL2):
            return base
    elif n[-1:] == "分":
        m = _RANGE_POINTS.match(n)  # 成本指标(0-20)分: Chongqing's 审批表 gives a range of points
        if m is not None and (m.group(1) in _LEVEL1 or m.group(1) in _ALL_LEVEL2):
            return m.group(1)
    return LEVEL_SYNONYMS.get(n, n)


_RANGE_POINTS = re.compile(r"^(.+?)\(\d+(?:\.\d+)?(?:[-~～—]\d+(?:\.\d+)?)?\)分$")


def _join_value(op: str, value: str, unit: str) -> str:
    """One 指标值 from split columns: ``≥ | 85 | 分`` → ``≥85(分)``; nothing dropped."""
    text = value
    if op and not (value and value[0] in "=≥≤><＝＞＜≧≦"):
        text = op + value
    if unit and value and (unit not in value or unit == value):
        text = f"{text}({unit})"  # a unit equal to the value is not "already written in it"
    elif unit and not value:
        text = f"{text}{unit}" if text else ""
    return text


def _is_operator(text: str) -> bool:
    t = text.strip()
    return t in _OPERATORS or t in fw.OPERATOR_ALIASES or t in fw.OPERATOR_SUFFIXES


_OPERATORS = frozenset(fw.OPERATORS)
_BARE_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE]-?\d+)?$")
#: a 指标值 that can take an operator and a unit from split columns: a number, or one with its operator
_NUMERIC_START = re.compile(r"^\s*(?:[=≥≤><＝＞＜≧≦]|>=|<=)?\s*[+-]?\d")
#: what a 指标性质 column holds when it holds no operator (kept as a fact of the indicator)
_PROPERTY_WORDS = frozenset(
    w + suffix for w in ("正向", "反向", "中性", "定量", "定性", "共性", "个性") for suffix in ("", "指标")
)
#: a 三级 that only says "and so on": with no value, a placeholder row of the template
PLACEHOLDER_LEVEL3 = frozenset({"……", "…", "...", "......", "……。", "⋯⋯"})


def _report_rows_without_header(ctx: _Ctx, span: FormSpan) -> None:
    """A form whose 绩效指标 table has no header row the importer knows: its rows are not read; say so,
    row by row (XLT-W110). The table starts at the first row holding a 一级/二级 name; every row after it
    is one of its rows (one whose 一级/二级 cells are merged and left blank, ``人人人 | =0(个)``, was not
    named until session 8) until a footer (注：, 合计, 填报人 …) or a title row."""
    grid = ctx.grid
    table = False
    for r in range(span.name_row + 1, span.end):
        cells = grid.labelled(r)
        named = next(((c, t) for c, t, n in cells if _level_name(n) in _LEVEL_NAMES), None)
        if named is None and table and cells:
            if is_title_row(cells) or cells[0][2].startswith(FOOTER_PREFIXES):
                break
            named = cells[0][:2]
        if named is not None:
            table = True
            ctx.report(
                "XLT-W110",
                f"第 {r + 1} 行像绩效指标行（“{named[1][:20]}”），但表中没有可识别的表头（一级指标、二级指标、三级指标、指标值），"
                "未读入。请补上表头后再导入。",
                r,
                named[0],
                "indicators",
            )


def _report_rows_after(ctx: _Ctx, r0: int, end: int, l3c: int) -> None:
    """Rows from the footer *r0* to *end* that still look like indicators (a 一级/二级 name, or a
    指标值 at or right of the 三级 column) are not read: say so, row by row (XLT-W109)."""
    grid = ctx.grid
    for r in range(r0, end):
        cells = grid.labelled(r)
        if is_title_row(cells):
            return
        for c, t, n in cells:
            if n in _LEVEL_NAMES or (c >= l3c and _target_like(t)):
                ctx.report(
                    "XLT-W109",
                    f"绩效指标表在第 {r0 + 1} 行（“{grid.labelled(r0)[0][1][:20]}”）结束，"
                    f"但第 {r + 1} 行仍像指标行（“{t[:20]}”），未读入。请核对：指标行应写在表尾（注、合计、填报人等）之前。",
                    r,
                    c,
                    "indicators",
                )
                break


#: the header of a column holding a form's indicators, 一级, 二级 and 三级 run together in one cell
RUN_TOGETHER_HEADER = "绩效指标"


_BY_LENGTH_LEVEL1 = sorted(_LEVEL1, key=lambda n: (-len(n), n))
_BY_LENGTH_LEVEL2 = sorted(_ALL_LEVEL2, key=lambda n: (-len(n), n))


def split_levels(text: str) -> tuple[str, str, str] | None:
    """A cell that runs 一级, 二级 and 三级 together, split: 「产出指标质量指标来信扫描完成率」 →
    (产出指标, 质量指标, 来信扫描完成率). Only when it starts with a framework 一级 name followed by
    one of that 一级's own 二级 names and a 三级 follows; every part kept exactly as written.
    None for any other text (a 三级 that merely begins with such a word is not cut)."""
    for level1 in _BY_LENGTH_LEVEL1:
        if text.startswith(level1):
            rest = text[len(level1):]
            for level2 in _BY_LENGTH_LEVEL2:  # the longest name first: the same split every run
                if rest.startswith(level2) and fw.is_known_pair(level1, level2) and rest[len(level2):].strip():
                    return level1, level2, rest[len(level2):]
    return None


def _read_indicators(
    ctx: _Ctx, header: int, end: int, *, start: int | None = None, ignore: frozenset = frozenset()
) -> list[Indicator]:
    """The rows of the 绩效指标 table below *header*, as :class:`~xltargets.model.Indicator` records.

    *start*: the first row to read (default: the row after *header*); *ignore*: columns that are
    not the table's (a list table's project columns, :func:`read_list`)."""
    grid = ctx.grid
    labelled = grid.labelled
    hcols: dict[str, int] = {}
    vc: int | None = None
    op_col: int | None = None
    unit_col: int | None = None
    extras: dict[int, str] = {}  # column → fact key (权重, 得分 …)
    header_cells = tuple(it for it in labelled(header) if it[0] not in ignore)
    long_cols: dict[int, str] = {}  # (长期)/(中期) columns beside the (年度) ones
    for c, _, n in header_cells:
        canon = canonical_label(n)
        if n[-1:] == ")":
            base, tail = split_label(n)
            if tail in ("长期", "中期"):
                long_cols[c] = n
                extras[c] = n  # kept as a fact of the row, under its header
                continue
            if tail == "年度":
                canon = canonical_label(base)
            elif tail.removesuffix("分").isdigit() and canonical_label(base) in EXTRA_HEADERS:
                canon = canonical_label(base)  # the points the column sums to: "分值(90)" (国家信访局 2026), "(90分)"
        if canon in INDICATOR_HEADERS:
            hcols.setdefault(INDICATOR_HEADERS[canon], c)
        elif canon in VALUE_HEADERS:
            if vc is None:
                vc = c
        elif canon in OPERATOR_HEADERS:
            op_col = c
        elif canon in UNIT_HEADERS:
            unit_col = c
        elif canon in EXTRA_HEADERS:
            extras[c] = EXTRA_HEADERS[canon]
    run_col = None  # a 绩效指标 column holding 一级, 二级 and 三级 run together (:func:`split_levels`)
    if not hcols:
        run_col = next((c for c, _, n in header_cells if canonical_label(n) == RUN_TOGETHER_HEADER), None)
    if run_col is not None:
        hcols["level3"] = run_col
        for c, _, n in header_cells:
            if c < run_col:
                extras[c] = n  # 活动: a fact of each row, as its header names it
    if vc is None:
        vc = max((c for c, _, _ in header_cells if c not in extras and c != op_col and c != unit_col), default=3)
    # the columns a split value or an extra fact is read from: never part of a name
    roles = {c for c in (op_col, unit_col) if c is not None} | set(extras)
    l3c = hcols.get("level3", max(vc - 1, 0))
    l2c = hcols.get("level2")
    two_level = l2c is None and "level1" in hcols and "level3" in hcols
    # Columns right of the 指标值 column that carry their own header (e.g. a
    # 校验 column of check formulas) are not part of the table; cells there
    # without a header are kept, so nothing a person typed is dropped.
    headed = {c for c, _, _ in header_cells if c > vc and c not in roles} | ignore
    level1_col = hcols.get("level1", max(l3c - 2, 0))
    level2_col = hcols.get("level2", max(l3c - 1, 0))
    file, sheet = grid.file, grid.sheet
    formulas = grid.formulas
    formats = grid.formats
    rows_cells = grid.labelled_rows()

    # the header's own 一级/二级 columns (a three-level header only): where an unknown name is a level
    level1_at = hcols.get("level1", -1) if len(hcols) == 3 else -1
    level2_at = hcols.get("level2", -1) if len(hcols) == 3 else -1

    def l3_at(items, k: int) -> bool:
        return any(it[0] == l3c for it in items[k + 1:])

    out: list[Indicator] = []
    append = out.append
    cur_l1: tuple[str, str] | None = None  # (name, cell)
    cur_l2: tuple[str, str] | None = None
    columns, ncolumns = COLUMNS, len(COLUMNS)
    for r in range(header + 1 if start is None else start, min(end, len(rows_cells))):
        row_number = str(r + 1)  # a cell of this row is columns[c] + row_number (= cell_ref(r, c))
        # (col, text, label) of the cells that count
        row_cells = rows_cells[r]
        items = [it for it in row_cells if it[0] not in headed and it[2] not in _BLOCK_LABELS]
        if not items:
            continue
        first = items[0][2]
        # is_title_row(row_cells), its first test inline (most rows fail it)
        if (len(row_cells) <= 2 and row_cells[0][2][-1:] in _TITLE_ENDS and is_title_row(row_cells)) or (
            first.startswith(FOOTER_PREFIXES) and _LEVEL_NAMES.isdisjoint(map(_label, items))
        ):
            # a footer (注：, 合计, 填报人 …) ends the table; a row holding 一级/二级 names does not
            _report_rows_after(ctx, r, end, l3c)
            break
        if not _HEADER_WORDS.isdisjoint(map(_label, items)):
            continue  # a repeated header row (continuation page)
        op_text = unit_text = ""
        facts: dict[str, str] = {}
        if roles:
            kept = []
            for it in items:
                c = it[0]
                if c == op_col:
                    op_text = it[1]
                elif c == unit_col:
                    unit_text = it[1]
                elif c in extras:
                    facts[extras[c]] = it[1]
                else:
                    kept.append(it)
            items = kept
            if op_text and not _is_operator(op_text):
                facts["指标性质"] = op_text  # 正向/定量 …: a fact of its own, never glued on
                if op_text not in _PROPERTY_WORDS:
                    # neither an operator nor a word of the kind (常因错列: a 三级 one column off)
                    ctx.report(
                        "XLT-W101",
                        f"第 {r + 1} 行的指标性质列写有“{op_text}”，既不是运算符（≥、≤、=…）也不是"
                        f"正向/反向/定量/定性，无法确定含义；已原样保留为指标性质，请核对是否错列。",
                        r,
                        op_col,
                        "value",
                    )
                op_text = ""
            if not op_text and _is_operator(facts.get("指标方向", "")):
                # 指标性质 正向 | 指标方向 = (乌海's form): the operator stands in the direction column
                op_text = facts.pop("指标方向")
        if run_col is not None and items and items[0][0] == run_col:
            levels = split_levels(items[0][1])
            if levels is not None:
                c = items[0][0]
                items[:1] = [(c, levels[0], levels[0]), (c, levels[1], levels[1]), (c, levels[2], levels[2])]
                ctx.report(
                    "XLT-W116",
                    f"第 {r + 1} 行的绩效指标“{levels[0]}{levels[1]}{levels[2]}”把一级、二级、三级指标写在一个单元格里；"
                    f"已拆为一级“{levels[0]}”、二级“{levels[1]}”、三级“{levels[2]}”，请核对。",
                    r,
                    c,
                    "level3",
                )
        if len(items) > 2 and _level_name(items[0][2]) not in _LEVEL_NAMES:
            # text typed before the 一级/二级 cells of a row ("见附件" left of the table): kept as a
            # fact of its own, reported, so the names after it still count
            for j in (1, 2):
                if _level_name(items[j][2]) in _LEVEL_NAMES and items[j][0] <= l3c:
                    stray = items[:j]
                    items = items[j:]
                    facts["未识别"] = "".join(t for _, t, _ in stray)
                    ctx.report(
                        "XLT-W101",
                        f"第 {r + 1} 行一级/二级指标前有多余的单元格（{'、'.join(t for _, t, _ in stray)}），"
                        "无法确定含义；已原样保留（未识别），请核对。",
                        r,
                        stray[0][0],
                        "level1",
                    )
                    break
        l1 = l2 = None
        k, count = 0, len(items)
        while k < count:
            c, t, n = items[k]
            n = _level_name(n)
            # 成本指标 is a 一级 today and a 二级 under 产出指标 on older forms:
            # in the 二级 column it is a 二级 (its 一级 comes from the merged cell above).
            # A 一级 followed by one of its own 二级 (成本指标 | 经济成本指标) is the 一级 of a row
            # shifted right, whatever its column.
            as_level2 = n in _ALL_LEVEL2 and l2c is not None and c >= l2c and not (
                k + 1 < count and fw.is_known_pair(n, _level_name(items[k + 1][2]))
            )
            if l1 is None and l2 is None and n in _LEVEL1 and not as_level2:
                l1 = (n, (columns[c] if c < ncolumns else col_letters(c)) + row_number)
            elif l2 is None and (n in _ALL_LEVEL2 or (l1 is not None and n in _LEVEL1)):
                l2 = (n, (columns[c] if c < ncolumns else col_letters(c)) + row_number)
            elif l2 is None and n.endswith("指标") and count - k >= 2 and c < l3c:
                l2 = (n, (columns[c] if c < ncolumns else col_letters(c)) + row_number)
            elif l2 is None and c == (level2_at if l1 is not None else level1_at) and l3_at(items, k):
                # a name the framework does not know, in the header's 一级/二级 column with a 三级 to
                # its right (泉州 2026: 一般性支出情况 | 一般性支出情况): kept as written, never glued on
                # the 三级 (the check says it is not in the framework)
                l2 = (t, (columns[c] if c < ncolumns else col_letters(c)) + row_number) if l1 is not None else None
                if l1 is None:
                    l1 = (t, (columns[c] if c < ncolumns else col_letters(c)) + row_number)
            else:
                break
            k += 1
        if long_cols and facts:
            # a long-term 一级/二级 equal to the row's own is the same cell printed twice
            for c, key in long_cols.items():
                if key in facts and facts[key] in (
                    l1 and l1[0], l2 and l2[0], cur_l1 and cur_l1[0], cur_l2 and cur_l2[0]
                ) and not key.startswith(("三级", "指标值")):
                    del facts[key]
        rest = items[k:]
        if not rest and not (op_text or unit_text or facts) and (l1 is not None or l2 is not None):
            # a placeholder: the form prints the category with no 三级 and no value
            if l1 is not None:
                cur_l1, cur_l2 = l1, None
            if l2 is not None:
                cur_l2 = l2
            continue
        if two_level and l2 is not None and l1 is None:
            parent = fw.level1_of(l2[0])
            if parent is not None and (cur_l1 is None or not fw.is_known_pair(cur_l1[0], l2[0])):
                l1 = (parent, l2[1])
        value_item = None
        for it in rest:
            if it[0] == vc:
                value_item = it
                break
        if value_item is not None and rest[-1][0] > vc:
            value_item = None  # something was typed right of the 指标值 column
        if value_item is None and rest:
            # one cell left: the value if it stands at/after the 指标值 column, or if it
            # reads as a value outside the 三级 column (a shifted row); in the 三级
            # column it is the 三级 (a blank 指标值), even when it looks like "0012".
            last_c, last_t, _ = rest[-1]
            if len(rest) >= 2 or last_c >= vc or (last_c != l3c and _target_like(last_t)):
                value_item = rest[-1]
        if value_item is not None:
            rest.remove(value_item)
        if rest:
            level3_col, level3 = rest[0][0], rest[0][1]
        else:
            level3_col, level3 = l3c, ""
        if len(rest) > 1:
            joined = "".join(t for _, t, _ in rest)
            ctx.report(
                "XLT-W101",
                f"第 {r + 1} 行有多余的单元格（{'、'.join(t for _, t, _ in rest)}），无法确定含义；已合并为三级指标“{joined}”，请核对。",
                r,
                rest[1][0],
                "level3",
            )
            level3 = joined
        # inheritance of merged 一级/二级 cells
        if l1 is not None:
            cur_l1 = l1
            if l2 is None and not two_level:
                ctx.report(
                    "XLT-W102",
                    f"第 {r + 1} 行给出了一级指标“{l1[0]}”但二级指标为空，导入时不猜测。请补填二级指标。",
                    r,
                    hcols.get("level2", l3c - 1),
                    "level2",
                )
            if l2 is None:
                cur_l2 = None
        elif cur_l1 is None:
            ctx.report(
                "XLT-E101",
                f"第 {r + 1} 行的一级指标为空，上方也没有可继承的一级指标。请补填一级指标。",
                r,
                level1_col,
                "level1",
            )
        if l2 is not None:
            cur_l2 = l2
        level1 = cur_l1 if cur_l1 else ("", grid.ref(r, level1_col))
        level2 = cur_l2 if cur_l2 else ("", grid.ref(r, level2_col))
        if value_item is not None:
            raw_value, value_col = value_item[1], value_item[0]
            if formats is not None and _BARE_NUMBER.match(raw_value):
                raw_value = formats.shown(r, value_col, raw_value)  # 0.95 formatted 0% reads "95%"
        else:
            raw_value, value_col = "", vc
        if not raw_value and not facts and not op_text and not unit_text and level3 in PLACEHOLDER_LEVEL3:
            continue  # "……" under a 二级: the template's "and so on" row, a placeholder
        if roles and not raw_value and (op_text or unit_text or "指标性质" in facts):
            # split columns with the 指标值 column blank: the text stands one column off; kept
            # as written, as the 指标值, and reported (never a unit or a word silently lost)
            parts = [op_text, facts.pop("指标性质", ""), unit_text]
            raw_value = "".join(parts)
            col = op_col if (op_text or parts[1]) else unit_col
            ctx.report(
                "XLT-W108",
                f"第 {r + 1} 行的指标值列为空，但指标性质/计量单位列写有“{'”“'.join(x for x in parts if x)}”；"
                f"已按原文读作指标值“{raw_value}”，请核对并把指标值写在指标值列。",
                r,
                col,
                "value",
            )
        elif (op_text or unit_text) and not _NUMERIC_START.match(raw_value):
            # a word (及时) cannot take an operator or a unit: both kept as facts, reported
            if op_text:
                facts["指标性质"] = op_text
            if unit_text:
                facts["计量单位"] = unit_text
            ctx.report(
                "XLT-W108",
                f"第 {r + 1} 行的指标值“{raw_value}”不是数值，指标性质/计量单位列却写有"
                f"“{'”“'.join(x for x in (op_text, unit_text) if x)}”；未拼接，原文分别保留，请核对。",
                r,
                value_col,
                "value",
            )
        elif op_text or unit_text:
            raw_value = _join_value(op_text, raw_value, unit_text)
        elif formulas and (r, value_col) in formulas and formulas[(r, value_col)] is None:
            ctx.report(
                "XLT-W112",
                f"指标值被表格软件当成了公式，文件中只存有错误值 {raw_value}，没有输入的文字（LibreOffice 另存为 .xls 时"
                f"如此），原指标值已丢失。请重新输入该指标值，并在前面加英文单引号 '（如 '=10.00(所)），使其保存为文本。",
                r,
                value_col,
                "value",
            )
        elif formulas and (r, value_col) in formulas:
            ctx.report(
                "XLT-W107",
                f"指标值“{raw_value}”被表格软件当成了公式（显示为错误值），已按输入的文字读入。"
                f"请在该单元格的内容前加英文单引号 '（如 '{raw_value}），使其保存为文本。",
                r,
                value_col,
                "value",
            )
        target = _parsed(raw_value).target  # targets are immutable: shared, not copied
        cells = {
            "level1": level1[1],
            "level2": level2[1],
            "level3": (columns[level3_col] if level3_col < ncolumns else col_letters(level3_col)) + row_number,
            "value": (columns[value_col] if value_col < ncolumns else col_letters(value_col)) + row_number,
        }
        # a record (a frozen dataclass): the texts are the grid's, the target a parsed one
        append(Indicator(level1[0], level2[0], level3, target, raw_value, facts, Origin(file, sheet, r + 1, cells)))
    return out


#: every text of a header cell of the indicator table, as written (synonyms included)
_HEADER_WORDS = frozenset([*COLUMN_HEADERS, *(s for s, c in SYNONYMS.items() if c in COLUMN_HEADERS)])


# --------------------------------------------------------------------------- list tables


def is_list_header(grid: Grid, r: int) -> bool:
    """True when row *r* heads a list table: 项目名称 and 三级指标 side by side, one row per
    indicator (部门预算 publications list every project's indicators in one table)."""
    if is_goal_list_header(list(map(_label, grid.labelled(r)))):
        return True
    texts = {canonical_label(n) for _, _, n in grid.labelled(r)}
    if "项目名称" not in texts:
        return False
    return "三级指标" in texts or _indicator_header_below(grid, r) is not None or _text_column(grid, r) is not None


def _text_column(grid: Grid, r: int) -> int | None:
    """The column of a list header *r* whose indicators are one text a project (广州 2026:
    项目名称（资金使用单位） | 总计： | 财政拨款 | … | 绩效目标 | 绩效指标, :mod:`.indicatortext`), else None."""
    cells = grid.labelled(r)
    if "绩效目标" not in {n for _, _, n in cells}:
        return None
    return next((c for c, _, n in cells if n == TEXT_LIST_INDICATORS), None)


def _indicator_header_below(grid: Grid, r: int) -> int | None:
    """The row under a two-row list header (长沙 2026: 单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标
    over 一级指标 | 二级指标 | 三级指标 …), else None. The cell right of the name header is a header
    too: a form's ``项目名称 | 甲`` over its indicator header is no list."""
    cells = grid.labelled(r)
    names = [i for i, (_, _, n) in enumerate(cells) if canonical_label(n) == "项目名称"]
    if not names or names[0] + 1 >= len(cells):
        return None
    right = cells[names[0] + 1][2]
    if label_key(right) is None and right not in LIST_COLUMNS:
        return None
    for below in (r + 1, r + 2):  # 长沙's 部门整体 list: 资金总额 / 按收入性质分 … between the two
        if below < grid.height and "三级指标" in {canonical_label(n) for _, _, n in grid.labelled(below)}:
            return below
    return None


def _funds_under_header(grid: Grid, r: int) -> bool:
    """True when the row under list header *r* holds only amount columns of the list (北京 2026:
    项目总额 | 其中： over 财政资金 | 其他资金): the second row of its header."""
    if r + 1 >= grid.height:
        return False
    cells = grid.labelled(r + 1)
    return bool(cells) and all(LIST_COLUMNS.get(n) in ("annual_fiscal", "annual_other") for _, _, n in cells)


def read_list(ctx: _Ctx, span: FormSpan, *, default_year: int | None = None) -> list[Project]:
    """The projects of a list table whose header is ``span.name_row``::

        单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重
        820001-… | 村组干部报酬 | 3,309,840.00 | 按时发放… | 效益指标 | 社会效益指标 | 维护社会稳定 | ≥ | 95 | % | 10
                 |            |              |          | 产出指标 | 时效指标     | 维持时效     | ≥ | 1  | 年 | 20

    A row with a 项目名称 starts a project; the project cells of the rows below are blank (merged).
    The 单位名称 carries down. A row with a 单位名称 and no 项目名称 and no indicator (the 部门's
    total) starts no project. Indicator columns are read as in a form's table.
    """
    grid = ctx.grid
    header = span.name_row
    below = _indicator_header_below(grid, header)
    table_header = header if below is None else below
    text_col = _text_column(grid, header) if below is None else None
    goal_list = is_goal_list_header(list(map(_label, grid.labelled(header))))
    cols: dict[str, int] = {}
    wan = False  # 长春 2026: 年度资金总额(万元), the only place the unit is written
    # 北京 2026: 其中： over 财政资金 / 其他资金, a second header row of the project columns only
    last_header = header + 1 if below is None and _funds_under_header(grid, header) else table_header
    for r in range(header, last_header + 1):
        for c, _, n in grid.labelled(r):
            key = LIST_COLUMNS.get(n) or LIST_COLUMNS.get(canonical_label(n))
            if key is None and text_col is not None:
                key = TEXT_LIST_FUNDS.get(n)
            if key is None and goal_list and n == GOAL_LIST_NAME:
                key = "name"
            if key is None and n.endswith(")"):
                base, tail = split_label(n)
                key = LIST_COLUMNS.get(base) or LIST_COLUMNS.get(canonical_label(base))
                wan = wan or (key == "annual" and tail in _WAN_TAILS)
            if key is not None and key not in cols:
                cols[key] = c
    titles = "".join(n for r in range(span.start, header) for _, _, n in grid.labelled(r))
    kind = "department" if "部门整体" in titles else "project"
    if "name" not in cols and "unit" in cols:  # a 部门整体 list (长沙 2026) names units, one a department
        cols["name"] = cols.pop("unit")
    # every column left of the indicator table is the project's (长沙's 按收入性质分 / 按支出性质分 amounts
    # have no field): never an indicator's cell
    first_level = min((c for c, _, n in grid.labelled(table_header) if canonical_label(n) in INDICATOR_HEADERS), default=0)
    if goal_list:  # the goal column holds a goal, or the project's indicators as one text
        text_col = cols["annual_goal"]
    if text_col is not None:
        first_level = text_col
    ignore = frozenset(cols.values()) | frozenset(range(first_level))
    # the project's columns with no field (单位编码, 按收入性质分 一般公共预算 …): named by their lowest header
    heads: dict[int, str] = {}
    for r in range(header, last_header + 1):
        for c, _, n in grid.labelled(r):
            if c < first_level:
                heads[c] = n
    read_keys = ("name", "unit", "annual", "annual_fiscal", "annual_other", "annual_goal")
    unread_cols = sorted(c for c in heads if c not in {cols[k] for k in read_keys if k in cols})
    year = default_year
    for r in range(span.start, header):
        for _, _, n in grid.labelled(r):
            m = YEAR_LINE.match(n) or (_TITLE_YEAR.search(n) if TITLE_LINE.match(n) else None)
            if m:
                year = int(m.group(1))
    if goal_list and header > 0 and len(intro := grid.labelled(header - 1)) == 1:
        m = GOAL_LIST_INTRO.match(intro[0][2])
        year = int(m.group(1)) if m else year
    money_unit = "万元" if wan else _amount_unit(grid, {}, {}, span.start, header)
    name_col = cols["name"]
    last_project_col = max(cols.values())
    same_project = [k for k in ("name", "annual", "annual_goal") if k in cols]
    starts = []
    for r in range(table_header + 1, span.end):
        if not grid.get(r, name_col):
            continue
        if starts and all(grid.get(r, cols[k]) == grid.get(starts[-1], cols[k]) for k in same_project):
            # the merged project cells printed again on the next page: the same project (the 单位编码,
            # a merged cell of its own, may be printed on another row of that page)
            continue
        starts.append(r)
    units = {  # a row naming a unit (长沙 2026: 201056 | 某办公室 | 270.00) and no indicator, over a project
        r for i, r in enumerate(starts)
        if not goal_list and i + 1 < len(starts) and not any(c > last_project_col for c, _, _ in grid.labelled(r))
        and starts[i + 1] == r + 1
    }
    unit = ""
    projects = []
    for r in range(table_header + 1, span.end):
        if "unit" in cols and grid.get(r, cols["unit"]):
            unit = grid.get(r, cols["unit"])
        if r in units:
            unit = grid.get(r, name_col)
            continue
        if r not in starts:
            continue
        end = next((s for s in starts if s > r), span.end)
        ctx.project = grid.get(r, name_col)
        funds: dict = {}
        raw: dict = {}
        cells = {"form": grid.ref(r, name_col), "name": grid.ref(r, name_col)}
        for key in ("annual", "annual_fiscal", "annual_other"):
            if key not in cols:
                continue
            text = grid.get(r, cols[key])
            cells[f"funds.{key}"] = grid.ref(r, cols[key])
            try:
                funds[key] = parse_money(text)[0]
            except MoneyError:
                raw[f"funds.{key}"] = text
                ctx.report("XLT-E102", f"预算数“{text}”不是金额。请填写阿拉伯数字金额（两位小数），如 1,000,000.00。",
                           r, cols[key], f"funds.{key}")
        unread = [(c, grid.get(r, c)) for c in unread_cols]
        unread = [(c, t) for c, t in unread if t.strip() and t.strip() not in _NOT_APPLICABLE]
        if unread:
            listed = "、".join(f"{heads[c]}“{t}”（{grid.ref(r, c)}）" for c, t in unread)
            ctx.report("XLT-W113", f"以下栏目未导入（xltargets 没有对应字段），原文件中保留：{listed}。", r, unread[0][0])
        goal = grid.get(r, cols["annual_goal"]) if "annual_goal" in cols else ""
        if goal_list:
            goal, indicators = _goal_or_indicators(ctx, r, text_col)
        elif text_col is not None:
            indicators = _text_indicators(ctx, r, text_col)
        else:
            indicators = _read_indicators(ctx, table_header, end, start=r, ignore=ignore)
        projects.append(Project(
            kind=kind,
            name=grid.get(r, name_col),
            unit=unit,
            annual_goal=goal,
            year=year,
            money_unit=money_unit,
            funds=Funds(**funds),
            indicators=indicators,
            raw=raw,
            origin=Origin(file=grid.file, sheet=grid.sheet, row=r + 1, cells=cells),
        ))
    return projects


def _text_indicators(ctx: _Ctx, r: int, c: int) -> list[Indicator]:
    """The indicators written as one text in cell (r, c) (:mod:`.indicatortext`), each value as
    written; a text that is not such items is reported (XLT-W114) and gives none: nothing guessed."""
    grid = ctx.grid
    text = grid.get(r, c)
    if not text.strip():
        return []
    items = split_indicator_text(text)
    ref = grid.ref(r, c)
    if items is None:
        shown = text if len(text) <= 60 else text[:60] + "…"
        ctx.report(
            "XLT-W114",
            f"绩效指标“{shown}”无法拆分为指标：应为“1、1－产出指标，11－数量指标，三级指标；实施周期指标值：…，"
            f"年度指标值：…”这样逐条编号的写法。该项目的绩效指标未导入，请按原文件核对并补填。",
            r, c, "level3",
        )
        return []
    return [
        Indicator(i.level1, _framework_level2(i.level2), i.level3, _parsed(i.value).target, i.value,
                  {} if i.period_value is None else {"实施周期指标值": i.period_value},
                  Origin(grid.file, grid.sheet, r + 1, {"level1": ref, "level2": ref, "level3": ref, "value": ref}))
        for i in items
    ]


def _goal_or_indicators(ctx: _Ctx, r: int, c: int) -> tuple[str, list[Indicator]]:
    """A goal list's 绩效目标 cell (r, c) (:data:`~.labels.GOAL_LIST_NAME`): the project's indicators when
    it writes them as numbered items (广州市交通运输局 2026, 城维计划-广园快速路日常养护及道路检测项目),
    else its goal, kept whole, and an XLT-W115 saying the project has no indicators to import."""
    grid = ctx.grid
    text = grid.get(r, c)
    if looks_like_indicator_text(text):
        indicators = _text_indicators(ctx, r, c)
        return ("", indicators) if indicators else (text, [])  # not split (XLT-W114): the text is kept
    if text.strip():
        ctx.report(
            "XLT-W115",
            f"项目“{ctx.project}”的绩效目标（{grid.ref(r, c)}）是一段文字，没有逐条写出的绩效指标："
            "已导入项目名称、预算数和绩效目标（作为年度总体目标），没有指标可导入；请按该项目的绩效目标申报表补填绩效指标。",
            r, c, "annual_goal",
        )
    return text, []


def _framework_level2(name: str) -> str:
    """A 二级 the text writes without 指标 (广州 2026: 22－社会效益, the framework's 社会效益指标, its code
    22): the framework's name, as :data:`~.labels.LEVEL_SYNONYMS` maps 产出类指标; any other name as written."""
    return f"{name}指标" if name not in _ALL_LEVEL2 and f"{name}指标" in _ALL_LEVEL2 else name
