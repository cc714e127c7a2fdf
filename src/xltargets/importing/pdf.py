"""Published PDFs (部门预算公开): their 绩效目标 tables as grids for the forms reader.

A PDF is read with pdfplumber (on pdfminer.six). Each ruled table becomes rows
of cells placed by their left edge; a form's tables across pages (a table cut
by a page break) are chained into one :class:`~.grid.Grid`, so the ordinary
forms reader (:mod:`.forms`) reads them exactly as it reads a workbook sheet.
There is no second form parser here: this module only turns tables into grids.

- A page whose text has neither 指标 nor 项目名称 is not searched for tables,
  unless the previous page had tables (it may continue one of them).
- A table is kept when it holds a form label (项目名称, 一级/二级/三级指标, 指标值)
  or continues the kept table of the previous page (first table of its page,
  same left and right edges, no form title above it, and no 项目名称 row of its own
  at its top, below any title and year rows). Other tables and pages are skipped, and so is a chain of kept tables
  without any indicator header (a budget table listing 项目名称 is no form).
- Same edges: the same left and right edges, or a left edge that is one of the previous table's
  column edges with only empty cells left of it there (北京 2026: an empty narrow column printed on
  the table's first page only).
- Leading rows of a continuation that repeat a header row already seen in the
  form (the indicator header printed again on each page) are dropped.
- A list's project cells cut by the page break (北京 2026, WPS: the text printed clipped on both
  pages, each part where it falls) are joined to the project's row above the break
  (:func:`_cut_project_row`).
- A header-block row cut by the page break (an empty cell under the label, text only
  under the texts of the chain's last row, before any indicator header) is joined
  to the row above it: 「…补助资」 + 「金」.
- A cell wrapped over lines is joined: no space between lines, except between
  two Latin letters or where a blank is printed at the wrap (once); blanks printed
  inside a line are kept as printed (``办结率=  按期``).
- Cell texts stay text: ``=10.00(所)``, ``0012`` or ``2024-01-01`` are never
  turned into numbers or formulas.
- Above each kept table, a line reading as the form title, ``(2024年度)`` or a
  汇总表 title is kept as a one-cell row (the year and the title come from it), and so
  is the line introducing a goal list (「2026年，本部门重点项目绩效目标情况如下：」).
- A table headed ``项目 | 预算数 | 绩效目标`` (a goal list, 广州市交通运输局 2026) is a form's
  table; it is kept when one of its 绩效目标 cells writes indicators (:mod:`.indicatortext`).

Hostile PDFs: pdfminer is pure Python and can be slow on crafted input, so the
pages are read in the reader process (:mod:`xltargets.reader`, which runs
:func:`xltargets.pdfpages.serve`; :func:`_bounded` here) under its memory cap,
a wall-clock time limit per page and a page limit (:data:`.limits.LIMITS`). A scanned PDF (no text layer), a PDF that
needs a password, a broken PDF and a PDF without any 绩效目标 table are refused
with a message; nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import reader
from ..errors import InputError
from ..pdfpages import PageTables, TableCells, extract_pages, join_wrapped
from ..progress import report
from .cells import label_of
from .grid import Grid
from .indicatortext import looks_like_indicator_text, starts_indicator_text
from .labels import GOAL_LIST_INTRO, INDICATOR_HEADERS, VALUE_HEADERS, is_goal_list_header
from .limits import LIMITS, reader_failure

__all__ = ["pdf_grids", "extract_pages", "grids_from_pages", "join_wrapped", "PageTables", "TableCells"]

#: a cell holding one of these (normalised) makes a table a form's table
_FORM_LABELS = frozenset(["项目名称", "项目名称(资金使用单位)", *INDICATOR_HEADERS, *VALUE_HEADERS])
#: a chain holding none of these has no indicator table: no form (a 项目名称 list of a budget table)
_INDICATOR_LABELS = frozenset([*INDICATOR_HEADERS, *VALUE_HEADERS])
#: text above a table kept as a row: the form title ("…绩效目标表", "…绩效目标填报表"), "(2024年度)",
#: a 汇总表 title; the same rows at the top of a table are no reason to call it a continuation
_TITLE_LINE = re.compile(r"汇总表|绩效目标(申报|填报)?表|^\(?\d{4}年度?\)?$")
#: the unit of amounts in a line above a table (长沙 2026: 「部门名称：长沙市信访局 单位：万元」): kept as a row
_UNIT_LINE = re.compile(r"单位[：:]万元$")
#: points within which two left edges are one column, and two tables have the same edges
_X_TOLERANCE = 2.5


# --------------------------------------------------------------------------- grids


def _is_form_table(table: TableCells) -> bool:
    return any(label_of(t) in _FORM_LABELS for row in table.rows for _, t in row if t) or any(
        is_goal_list_header([label_of(t) for _, t in row if t]) for row in table.rows)


def _same_edges(a: TableCells, b: TableCells) -> bool:
    """True when *b* has *a*'s left and right edges; or its right edge and a left edge that is one of
    *a*'s column edges, every column of *b* being one of *a*'s, with only empty cells left of it in *a*
    (北京 2026: WPS prints an empty narrow column left of the 项目支出绩效目标表 on its first page only)."""
    if abs(a.bbox[2] - b.bbox[2]) > _X_TOLERANCE:
        return False
    if abs(a.bbox[0] - b.bbox[0]) <= _X_TOLERANCE:
        return True
    left = b.bbox[0] - _X_TOLERANCE
    if a.bbox[0] > left or any(t for row in a.rows for x, t in row if x < left):
        return False
    edges = {x for row in a.rows for x, _ in row}
    return all(any(abs(x - e) <= _X_TOLERANCE for e in edges) for row in b.rows for x, _ in row)


def _row_key(row: list[tuple[float, str]]) -> tuple[str, ...]:
    return tuple(label_of(t) for _, t in row if t)


@dataclass
class _Chain:
    """A form table and the tables continuing it on the next pages, as rows of (x, text)."""

    page: int
    rows: list[list[tuple[float, str]]] = field(default_factory=list)
    header_keys: set[tuple[str, ...]] = field(default_factory=set)
    last: TableCells | None = None
    last_page: int = 0
    titles: list[str] = field(default_factory=list)  # the title lines above its first table


def _header_keys(table: TableCells) -> set[tuple[str, ...]]:
    """Rows of *table* down to its indicator header row: what a continuation may repeat."""
    keys: set[tuple[str, ...]] = set()
    for row in table.rows:
        key = _row_key(row)
        if key:
            keys.add(key)
        if any(k in INDICATOR_HEADERS for k in key):
            break
    return keys


def _is_title_row(key: tuple[str, ...]) -> bool:
    """A row holding only a form title or a year line ("(2023年度)"), as WPS prints them inside the ruling."""
    return all(_TITLE_LINE.search(text) for text in key)


def _starts_form(table: TableCells, chain: _Chain | None) -> bool:
    """True when *table*'s first row with text, below any title rows, is a 项目名称 row not seen
    before in *chain* (上海市普陀区 2023: each form on its own page starts with its title and year
    inside the table, at the same edges as the form before it)."""
    titled = False
    for row in table.rows:
        key = _row_key(row)
        if key and not _is_title_row(key):
            # under a title of its own, a 项目名称 row starts a form even when the name is the one
            # before (福州市医疗保障局 2026: three forms named 综合工作经费 on pages 37–39)
            return "项目名称" in key and (titled or chain is None or key not in chain.header_keys)
        titled = titled or bool(key)
    return False


def _form_titles(lines: list[str]) -> list[str]:
    """The lines above a table that read as a form title or a year line."""
    return [label_of(t) for t in lines if _TITLE_LINE.search(label_of(t))]


def _titled(lines: list[str], chain: _Chain) -> bool:
    """True when a form title of its own stands above a table (泉州 2026: 「XX项目绩效目标表」 over each
    form, at the same edges as the form on the page before): the table starts a form, it continues
    none. The chain's own title printed again on each page (长沙 2026: 「2026年项目支出绩效目标表」 over
    every page of one list table) is no new form."""
    titles = _form_titles(lines)
    return bool(titles) and titles != chain.titles


def _chains(pages: list[PageTables]) -> list[_Chain]:
    chains: list[_Chain] = []
    current: _Chain | None = None
    for page in pages:
        for k, table in enumerate(page.tables):
            continues = (
                current is not None
                and k == 0
                and current.last_page == page.number - 1
                and current.last is _last_table(pages, current.last_page)
                and _same_edges(current.last, table)
                and not _starts_form(table, current)
                and not _titled(page.titles[k], current)
            )
            if continues:
                rows = list(table.rows)
                while rows and (not _row_key(rows[0]) or _row_key(rows[0]) in current.header_keys):
                    rows.pop(0)  # a header repeated on the continuation page
                if rows and current.rows and _cut_by_the_page_break(current.rows, rows[0]):
                    current.rows[-1] = _joined(current.rows[-1], rows.pop(0))
                elif rows and table.open_top and (start := _cut_project_row(current.rows, rows[0])) is not None:
                    rows[0] = _join_project_cells(current.rows, start, rows[0])
                current.rows.extend(rows)
                current.last, current.last_page = table, page.number
                continue
            if not _is_form_table(table):
                current = None
                continue
            current = _Chain(page=page.number, titles=_form_titles(page.titles[k]))
            chains.append(current)
            current.rows.extend([(0.0, t)] for t in page.titles[k] if _TITLE_LINE.search(label_of(t)) or GOAL_LIST_INTRO.match(label_of(t)))
            current.rows.extend([(0.0, m.group(0))] for t in page.titles[k] if (m := _UNIT_LINE.search(label_of(t))))
            current.rows.extend(table.rows)
            current.header_keys |= _header_keys(table)
            current.last, current.last_page = table, page.number
    return chains


def _cut_by_the_page_break(rows: list[list[tuple[float, str]]], first: list[tuple[float, str]]) -> bool:
    """True when *first*, the first row of a continuation page, is the rest of the chain's last row,
    cut by the page break (福州市医疗保障局 2026: 「项目名称 | …补助资」, then 「 | 金」): the chain has
    no indicator header yet (a header block's row), *first* holds an empty cell under the last row's
    label and text only under the last row's texts. Below the indicator header a row with blank
    merged cells is an ordinary new row, and stays one."""
    if any(label_of(t) in INDICATOR_HEADERS for row in rows for _, t in row if t):
        return False
    if any(_TEXT_MARK in t and starts_indicator_text(t) for _, t in (*rows[-1], *first)):
        # 广州 2026: a list of whole 绩效指标 texts is printed from a spreadsheet, whose rows never
        # break across pages: a project row, or a unit's row after one, is a row of its own
        return False
    last = {round(x): t for x, t in rows[-1]}
    near = lambda x: next((k for k in last if abs(k - x) <= _X_TOLERANCE), None)  # noqa: E731
    blanks = [near(x) for x, t in first if not t]
    texts = [near(x) for x, t in first if t]
    return (
        bool(texts)
        and any(k is not None and last[k] for k in blanks)
        and all(k is not None and last[k] for k in texts)
    )


def _first_indicator_x(rows: list[list[tuple[float, str]]]) -> float | None:
    """The left edge of the chain's first indicator column (its indicator header's leftmost cell)."""
    for row in rows:
        xs = [x for x, t in row if t and label_of(t) in INDICATOR_HEADERS]
        if xs:
            return min(xs)
    return None


def _cut_project_row(rows: list[list[tuple[float, str]]], first: list[tuple[float, str]]) -> int | None:
    """The index of the list row whose project cells *first* (the first row of a continuation page whose
    top has no ruling) finishes, else None. 北京 2026 (WPS): a project's merged cells (项目名称, amounts,
    绩效目标) cut by the page break print part of their text on each page, each part where it falls
    (「…849-办公设备购置类」 above the break, 「项目」 below it; or only the start of the goal above it and
    the name, amounts and the rest of the goal below; or nothing above it). The parts fill different
    cells: the last row where project cells start above (empty cells included: a row inside a merged
    cell has none) and *first* are one project's when one holds text in a cell the other leaves
    empty. Two rows filling the same cells are two projects (a project's cells ending at the break,
    the next project's starting below it)."""
    edge = _first_indicator_x(rows)
    if edge is None:
        return None
    left = {round(x): t for x, t in first if t and x < edge - _X_TOLERANCE}
    if not left:
        return None
    # the last row where project cells start (a cell inside a merged cell is no cell of its row)
    start = next((i for i in range(len(rows) - 1, -1, -1) if any(x < edge - _X_TOLERANCE for x, _ in rows[i])), None)
    if start is None or any(label_of(t) in INDICATOR_HEADERS for _, t in rows[start] if t):
        return None
    above = {round(x): t for x, t in rows[start] if t and x < edge - _X_TOLERANCE}
    near = lambda x, cells: any(abs(k - x) <= _X_TOLERANCE for k in cells)  # noqa: E731
    if above and all(near(x, above) for x in left) and all(near(x, left) for x in above):
        return None
    return start


def _join_project_cells(rows: list[list[tuple[float, str]]], start: int,
                        first: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """The rest of the project cells in *first* joined to row *start*'s (in place); *first* without them."""
    edge = _first_indicator_x(rows)
    rest = [(x, t) for x, t in first if t and x < edge - _X_TOLERANCE]
    rows[start] = _joined(rows[start], rest)
    return [(x, "" if (x, t) in rest else t) for x, t in first]


def _joined(row: list[tuple[float, str]], rest: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """*row* with the texts of *rest* (its part on the next page) added to the cells above them."""
    out = []
    for x, t in row:
        more = next((u for xx, u in rest if u and abs(xx - x) <= _X_TOLERANCE), "")
        out.append((x, join_wrapped(f"{t}\n{more}") if more else t))
    return out


def _last_table(pages: list[PageTables], number: int) -> TableCells | None:
    page = pages[number - 1]
    return page.tables[-1] if page.tables else None


def _columns(rows: list[list[tuple[float, str]]]) -> list[float]:
    """The left edges of the chain's columns (edges closer than the tolerance are one)."""
    edges = sorted({x for row in rows for x, _ in row})
    merged: list[float] = []
    for x in edges:
        if not merged or x - merged[-1] > _X_TOLERANCE:
            merged.append(x)
    return merged


def _grid(chain: _Chain, file: str) -> Grid:
    columns = _columns(chain.rows)
    index = {}
    for x in {x for row in chain.rows for x, _ in row}:
        # the last column starting at or left of x (within the tolerance)
        i = 0
        for j, edge in enumerate(columns):
            if edge <= x + _X_TOLERANCE:
                i = j
        index[x] = i
    width = len(columns)
    values = []
    for row in chain.rows:
        out = [""] * width
        for x, text in row:
            c = index[x]
            out[c] = f"{out[c]}{text}" if out[c] else text
        values.append(out)
    return Grid.from_values(values, sheet=f"第{chain.page}页", file=file)


def _has_indicator_table(chain: _Chain) -> bool:
    """True when the chain holds an indicator header (一级/二级/三级指标, 指标值): every 绩效目标 form
    has one. A budget table listing 项目名称 (项目支出预算表, 烟台 2026) has none and is no form."""
    return any(label_of(t) in _INDICATOR_LABELS or (_TEXT_MARK in t and looks_like_indicator_text(t))
               for row in chain.rows for _, t in row if t)


#: a cell writing a project's indicators as one text (广州 2026, :mod:`.indicatortext`) holds this
_TEXT_MARK = "年度指标值"


def grids_from_pages(pages: list[PageTables], *, file: str) -> list[Grid]:
    """One grid per chain of form tables, in page order (empty when no page holds a form). A form whose text
    holds a character its font maps to no Unicode (``(cid:123)``, a glyph id) is refused: its text is not the form's."""
    chains = [chain for chain in _chains(pages) if _has_indicator_table(chain)]
    turned = {page.number for page in pages if page.turned * 2 > page.chars}
    for chain in chains:
        if chain.page in turned:  # its columns were read as rows: never a form as printed
            raise refuse_turned(Path(file), chain.page)
        if any("(cid:" in t for row in chain.rows for _, t in row):
            raise refuse_unmapped(Path(file), chain.page)
    return [_grid(chain, file) for chain in chains]


# --------------------------------------------------------------------------- limits and refusals


def _refuse(path: Path, message: str, hint: str, en: str) -> InputError:
    return InputError(f"“{path.name}”{message}", hint=hint, path=str(path), en=f"cannot read {path.name}: {en}")


_MEMORY_FIX = "删除与绩效目标表无关的页面（或只导出含绩效目标表的页）后再导入。"
_NOT_PDF_HINT = "请提供含绩效目标表的 PDF（部门预算公开文件），或相应的 Excel 工作簿。"


def _classify_failure(path: Path, kind: str, detail: str) -> InputError:
    if kind == "password":
        return _refuse(
            path,
            "是加密的 PDF，需要密码才能打开，无法读取。",
            "用 PDF 阅读器输入密码后另存为不加密的 PDF，或向发布单位索取 Excel 版本后再导入。",
            "an encrypted PDF that needs a password",
        )
    return _refuse(
        path,
        "不是可读取的 PDF（文件结构损坏或不完整）。",
        "用 PDF 阅读器打开并另存（或“打印为 PDF”）后再导入。",
        f"a broken PDF ({detail})",
    )


def refuse_unmapped(path: Path, page: int) -> InputError:
    return _refuse(
        path,
        f"第 {page} 页的文字无法提取：所用字体没有文字映射（ToUnicode），读出的是字形编号（如 (cid:123)），不是汉字。",
        "请向发布单位索取 Excel 版本或文字可复制的 PDF（在 PDF 阅读器中复制一段表格文字，能粘贴出正确汉字的才能读取）。",
        f"page {page}: its fonts map glyphs to no Unicode (no ToUnicode), the text cannot be extracted",
    )


def refuse_turned(path: Path, page: int) -> InputError:
    return _refuse(
        path,
        f"第 {page} 页的表格是横着（或倒着）排的：文字没有正向排列，无法按行列读取。",
        "用 PDF 阅读器把该页旋转为正向（文字正着）后保存，再导入；或向发布单位索取 Excel 版本。",
        f"page {page}: its text runs sideways or upside down; rotate the page upright and save it",
    )


def refuse_pdf_pages(path: Path, pages: int) -> InputError:
    return _refuse(
        path,
        f"有 {pages:,} 页，超过每个 PDF {LIMITS['pdf_pages']:,} 页的上限，已拒绝读取。",
        "只导出含绩效目标表的页面（如用 PDF 阅读器“打印为 PDF”并选择页码）后再导入。",
        f"{pages:,} pages, over the limit of {LIMITS['pdf_pages']:,}",
    )


def refuse_pdf_page_time(path: Path, page: int) -> InputError:
    """Page *page* (0: opening the file, its cross-reference table) took longer than a page may."""
    what, what_en = (f"第 {page} 页读取", f"page {page}") if page else ("打开文件（读取其目录结构）", "opening it")
    return _refuse(
        path,
        f"{what}超过 {LIMITS['pdf_page_seconds']} 秒的上限，已停止读取（页面内容异常复杂或文件已损坏）。",
        "用 PDF 阅读器打开并另存（或只导出含绩效目标表的页面）后再导入。",
        f"{what_en} took longer than {LIMITS['pdf_page_seconds']} s",
    )


# --------------------------------------------------------------------------- the reader process

#: seconds the reader process may take to start and import pdfplumber, before it opens the PDF
_START_SECONDS = 60


def _bounded(path: Path) -> list[PageTables]:
    """The pages of *path* read in the reader process (:mod:`xltargets.reader`, :func:`.pdfpages.serve`)
    within the PDF limits: its memory capped there, each page's wall-clock time limited here."""
    request = {"op": "pdf", "path": str(path), "pages": LIMITS["pdf_pages"], "memory": LIMITS["reader_memory_bytes"]}
    page, count = None, 0  # page: None until the reader process starts on the file, 0 while it opens it
    timeout = _START_SECONDS
    try:
        with reader.session(request) as receive:
            while True:
                kind, *args = receive(timeout)
                # opening (page 0) may read the whole cross-reference table: one page's time
                timeout = LIMITS["pdf_page_seconds"]
                if kind == "opening":
                    page = 0
                elif kind == "count":
                    count = args[0]
                elif kind == "page":
                    page = args[0]
                    report(page - 1, count, "读取 PDF 页")  # xltargets.progress: the page about to be read
                elif kind == "done":
                    return args[0]
                elif kind == "error" and args[0] == "pages":
                    raise refuse_pdf_pages(path, args[1])
                elif kind == "error":
                    raise _classify_failure(path, *args)
    except reader.ReaderFailure as failure:
        if failure.kind == "time" and page is None:  # no frame in _START_SECONDS: the file was not reached
            raise reader_failure(path, reader.ReaderFailure("start", f"{_START_SECONDS} 秒内未开始读取")) from None
        if failure.kind == "time":
            raise refuse_pdf_page_time(path, page) from None
        if failure.kind == "crash":
            raise _classify_failure(path, "broken", f"读取进程异常退出，代码 {failure.detail}") from None
        raise reader_failure(path, failure, fix=_MEMORY_FIX) from None


# --------------------------------------------------------------------------- entry point


def pdf_grids(path: str | Path) -> list[Grid]:
    """The 绩效目标 forms of the PDF at *path* as grids (see the module docstring).

    Raises :class:`InputError` for a scanned, encrypted, broken or oversized
    PDF, one past the time or memory limit, and one without any form.
    """
    path = Path(path)
    pages = _bounded(path)
    grids = grids_from_pages(pages, file=str(path))
    if grids:
        return grids
    if not any(p.chars for p in pages):
        if any(p.images for p in pages):
            raise _refuse(
                path,
                "是扫描件（页面是图片，没有文字层），无法读取其中的表格。",
                "请使用发布单位提供的文字版 PDF 或 Excel 工作簿；扫描件需先用 OCR 软件识别为文字（本程序不做 OCR）。",
                "a scanned PDF (images, no text layer); OCR is not supported",
            )
        raise _refuse(path, "中没有任何文字。", _NOT_PDF_HINT, "no text in it")
    for page in pages:  # a page mostly of glyph ids, or of turned text with a form's words: no form could be read
        if page.unmapped * 2 > page.chars:
            raise refuse_unmapped(path, page.number)
        if page.turned * 2 > page.chars and page.tables:
            raise refuse_turned(path, page.number)
    raise refuse_no_form(path, pages)


def refuse_no_form(path: Path, pages: list[PageTables]) -> InputError:
    """No page holds a form. When a table lists projects with their 绩效目标 but no indicators (湖州
    2026: 表11 「2026年市级部门项目支出绩效表」, 单位名称 | 项目名称 | 金额 | 项目总体绩效目标), the message
    names it, what it has and what a form needs: it is no layout xltargets can read as forms."""
    for chain in _chains(pages):
        goal = next((t for row in chain.rows[:4] for _, t in row
                     if "绩效目标" in label_of(t) and not GOAL_LIST_INTRO.match(label_of(t))), None)
        if goal is None or _has_indicator_table(chain):
            continue
        page = pages[chain.page - 1]
        title = next((t for lines in page.titles for t in lines if "绩效" in t), "")
        named = f"的“{label_of(title)}”" if title else "的表格"
        return _refuse(
            path,
            f"的 {len(pages)} 页中没有找到绩效目标表：第 {chain.page} 页{named}列出了项目名称和“{label_of(goal)}”，"
            "但没有绩效指标（一级指标、二级指标、三级指标和指标值各一栏，或逐条写出全部指标的“绩效指标”栏），不能读成申报表。",
            "请提供含绩效指标的项目支出绩效目标表（部门预算公开文件中的 PDF，或 Excel 工作簿）。",
            f"no 绩效目标 table on any of its {len(pages)} pages: the table on page {chain.page} lists projects and "
            "their goals but no indicators",
        )
    return _refuse(
        path,
        f"的 {len(pages)} 页中没有找到绩效目标表（没有含“项目名称”或“三级指标”的表格）。",
        _NOT_PDF_HINT,
        f"no 绩效目标 table on any of its {len(pages)} pages",
    )
