"""Importing published PDFs (issue 16, point 1): the 绩效目标 tables read into the same model as a workbook.

The PDFs here are drawn by tests/corpus/pdfmaker.py (ruled tables of CJK text,
as LibreOffice and WPS print them) or printed by LibreOffice from our own 汇总表.
Each is compared with the same forms read from a TSV file: the PDF reader only
turns tables into grids, the forms reader is the one every format uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.harness import cli_env
from corpus.make_corpus import CLEAN_ROWS, form, form_tsv, summary
from corpus.pdfmaker import Image, Table, Text, bomb, form_pages, form_pdf, pdf
from seed_facts import FACTS, facts_of
from xltargets.errors import InputError
from xltargets.importing import LIMITS, read_sources
from xltargets.importing.pdf import PageTables, TableCells, grids_from_pages, join_wrapped


def _both(tmp_path: Path, grid, **kw):
    """The forms of *grid* read from a TSV file and from a PDF drawn of it."""
    tsv = tmp_path / "forms.tsv"
    tsv.write_text(form_tsv(grid), encoding="utf-8")
    path = tmp_path / "forms.pdf"
    path.write_bytes(form_pdf(grid, **kw))
    return read_sources([tsv]), read_sources([path])


def _content(result):
    return [p.content() for p in result.declaration.projects]


LONG_ROWS = [list(r) for r in CLEAN_ROWS] + [
    ["", "", "数量指标", f"第{i}期培训班", f"={i}.00(期)"] for i in range(1, 60)
]

NUMBER_LIKE = form(
    name="7.11世界人口日宣传",
    start="2024/1/1",
    rows=[
        ["绩效指标", "成本指标", "经济成本指标", "0012", "≤100000.00(元)"],
        ["", "产出指标", "数量指标", "2024-01-01", "=SUM(A1:A2)"],
        ["", "", "质量指标", "1E5", "+10"],
        ["", "效益指标", "社会效益指标", "529会员日", "@人次"],
        ["", "满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"],
    ],
)


CENTRAL = [  # the layout of central departments' 项目支出绩效目标表 (主管部门及代码, 万元, four indicator columns)
    ["项目支出绩效目标表"], ["(2023年度)"],
    ["项目名称", "国家天文科学数据中心", "", "", ""],
    ["主管部门及代码", "[173]中国科学院", "实施单位", "中国科学院国家天文台", ""],
    ["项目资金（万元）", "年度资金总额", "1,200.00", "", ""],
    ["", "其中：财政拨款", "1,200.00", "", ""],
    ["", "其他资金", "0.00", "", ""],
    ["年度总体目标", "保障数据中心平稳运行，提供天文数据服务。", "", "", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
    ["", "产出指标", "数量指标", "数据服务次数", "≥100万次"],
    ["", "", "质量指标", "系统可用率", "≥99%"],
    ["", "效益指标", "社会效益指标", "支撑科研成果", "显著"],
    ["", "满意度指标", "服务对象满意度指标", "用户满意度", "≥90%"],
]


@pytest.mark.parametrize(
    "grid, kw",
    [
        pytest.param(summary(form()), {}, id="one-form"),
        pytest.param(CENTRAL, {"widths": [90, 100, 100, 130, 110]}, id="central-layout"),
        pytest.param(summary(form(), form(name="第二个项目", annual="80,000.00", fiscal="80,000.00")), {}, id="two-forms"),
        pytest.param(summary(form(rows=LONG_ROWS)), {"rows_per_page": 30}, id="split-over-3-pages"),
        pytest.param(
            summary(form(rows=LONG_ROWS)), {"rows_per_page": 30, "repeat_header": True}, id="split-header-repeated"
        ),
        pytest.param(summary(form(goal="本项目" * 60)), {}, id="goal-wrapped-over-lines"),
        pytest.param(summary(form(name="家庭健康促进及优生优育服务项目（第二期）")), {}, id="name-wrapped"),
        pytest.param(summary(NUMBER_LIKE), {}, id="number-and-formula-like-values"),
        pytest.param(form(), {}, id="no-summary-title"),
    ],
)
def test_pdf_reads_as_the_same_forms_as_tsv(tmp_path, grid, kw):
    tsv, got = _both(tmp_path, grid, **kw)
    assert _content(got) == _content(tsv)
    assert got.declaration.title == tsv.declaration.title
    assert got.declaration.year == tsv.declaration.year
    assert [f.code for f in got.findings] == [f.code for f in tsv.findings]


def test_split_form_is_one_project_with_every_row(tmp_path):
    tsv, got = _both(tmp_path, summary(form(rows=LONG_ROWS)), rows_per_page=30, repeat_header=True)
    (project,) = got.declaration.projects
    assert len(project.indicators) == len(LONG_ROWS)
    assert [i.level3 for i in project.indicators][-2:] == ["第58期培训班", "第59期培训班"]
    assert not any(i.level3 == "三级指标" for i in project.indicators)  # the repeated header is no indicator


def test_number_like_values_stay_text(tmp_path):
    _, got = _both(tmp_path, summary(NUMBER_LIKE))
    (project,) = got.declaration.projects
    assert project.name == "7.11世界人口日宣传"
    assert [i.level3 for i in project.indicators] == ["0012", "2024-01-01", "1E5", "529会员日", "满意度"]
    assert [i.value_raw for i in project.indicators][1:4] == ["=SUM(A1:A2)", "+10", "@人次"]


def test_pages_without_forms_are_skipped(tmp_path):
    grid = summary(form(), form(name="第二个项目"))
    pages = form_pages(grid)
    other = [Text(60, 40, "一、部门基本情况"), Text(60, 60, "本部门主要职责是……（文字页）")]
    table = [Text(60, 40, "收支预算总表"), Table(40, 60, [150, 100, 150, 100], [["收入", "预算数", "支出", "预算数"], ["一般公共预算拨款", "100.00", "一般公共服务", "100.00"]])]
    path = tmp_path / "budget.pdf"
    path.write_bytes(pdf([other, table, pages[0], table, pages[1], other]))
    tsv = tmp_path / "forms.tsv"
    tsv.write_text(form_tsv(grid), encoding="utf-8")
    assert _content(read_sources([path])) == _content(read_sources([tsv]))


def test_budget_table_listing_projects_is_no_form(tmp_path):
    """A 项目支出预算表 (a 项目名称 column, amounts, no indicator table; 烟台 2026) is skipped, not read
    as a form without indicators."""
    budget = [Text(60, 40, "项目支出预算表"), Table(40, 60, [160, 80, 80], [["项目名称", "项目类别", "合计"], ["审计业务经费", "其他运转类", "31.00"]])]
    grid = summary(form())
    path = tmp_path / "budget.pdf"
    path.write_bytes(pdf([budget, *form_pages(grid)]))
    tsv = tmp_path / "forms.tsv"
    tsv.write_text(form_tsv(grid), encoding="utf-8")
    assert _content(read_sources([path])) == _content(read_sources([tsv]))


def test_other_table_after_a_form_is_not_joined_to_it(tmp_path):
    """A different table at the top of the next page (other edges) is no continuation."""
    pages = form_pages(summary(form()))
    other = [Table(40, 40, [200, 200], [["项目", "金额"], ["其他支出", "3.00"]])]
    path = tmp_path / "forms.pdf"
    path.write_bytes(pdf([*pages, other]))
    (project,) = read_sources([path]).declaration.projects
    assert len(project.indicators) == len(CLEAN_ROWS)


def _table(x0: float, x1: float, rows):
    return TableCells(bbox=(x0, 100.0, x1, 700.0), rows=[[(x0 + 10.0 * c, t) for c, t in enumerate(r)] for r in rows])


def test_continuation_drops_every_repeated_header_row():
    head = [["项目名称", "甲"], ["一级指标", "二级指标", "三级指标", "指标值"]]
    first = PageTables(1, 842.0, [_table(40, 500, [*head, ["产出指标", "数量指标", "场次", "=1(场)"]])], [[]], 10)
    second = PageTables(2, 842.0, [_table(40, 500, [*head, ["", "", "人次", "=2(人)"]])], [[]], 10)
    (grid,) = grids_from_pages([first, second], file="x.pdf")
    texts = [[t for t in row if t] for row in grid.rows]
    assert texts == [*head, ["产出指标", "数量指标", "场次", "=1(场)"], ["人次", "=2(人)"]]


@pytest.mark.parametrize("title", ["财政项目支出绩效目标填报表", "项目支出绩效目标表"], ids=["填报表", "目标表"])
def test_next_form_with_its_title_inside_the_ruling_is_a_new_form(title):
    """WPS prints one form a page with the title and the year inside the table, at the same edges
    as the form before (上海市普陀区 2023, tests/realforms/pdf): the next page's table is a new form
    with its own year, not a continuation of the first."""
    def page(number, name):
        rows = [[title], ["（2023年度）"], ["项目名称", name], ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "场次", "=1(场)"]]
        return PageTables(number, 842.0, [_table(40 + number, 500 - number, rows)], [[]], 10)

    grids = grids_from_pages([page(1, "甲"), page(2, "乙")], file="x.pdf")
    assert [[t for t in grid.rows[2] if t] for grid in grids] == [["项目名称", "甲"], ["项目名称", "乙"]]
    assert all([t for t in grid.rows[1] if t] == ["（2023年度）"] for grid in grids)


def test_a_line_printed_in_two_fonts_stays_one_line(tmp_path):
    """WPS sets digits in a Latin font whose top is 3.3 pt below the CJK characters' on the same
    line (福州 2026, tests/realforms/pdf): the cell is still read left to right, not as two lines."""
    from xltargets.pdfpages import extract_pages

    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf([[Table(40, 40, [100, 200], [["指标值", ""]]), Text(144, 46.3, "≤5137.26"), Text(216, 43, "平方米")]]))
    (page,) = extract_pages(path)
    assert [t for _, t in page.tables[0].rows[0]] == ["指标值", "≤5137.26平方米"]


@pytest.mark.parametrize(
    "text, joined",
    [
        ("上海市卫生健康委员\n会", "上海市卫生健康委员会"),
        ("≥150000.0\n0(人次)", "≥150000.00(人次)"),
        ("Family health\npromotion", "Family health promotion"),
        ("abc\n123", "abc123"),
        ("  一行  ", "一行"),
        ("第一行\n\n第二行", "第一行第二行"),
        # 长沙市信访局 2026 (tests/realforms/pdf): a space printed where the line wraps is kept, once
        ("群众人数 \n×100%", "群众人数 ×100%"),
        ("聘请总人数\n ×100%", "聘请总人数 ×100%"),
        ("办结率=  按期办结的信访件\n数量", "办结率=  按期办结的信访件数量"),
    ],
    ids=["cjk", "number", "latin-words", "latin-digits", "spaces", "blank-line", "space-before-the-wrap",
         "space-after-the-wrap", "two-spaces-kept"],
)
def test_wrapped_cell_lines_are_joined(text, joined):
    assert join_wrapped(text) == joined


# --------------------------------------------------------------------------- refusals


def _encrypted(data: bytes, user: str) -> bytes:
    import io

    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CLEAN_PDF = form_pdf(summary(form()))
MANY_CELLS = pdf([[Text(20, 5, "项目名称"), Table(20, 20, [5.5] * 100, [["项"] * 100 for _ in range(140)], row_height=5.5)]])


@pytest.mark.parametrize(
    "make, limits, message",
    [
        pytest.param(lambda: _encrypted(CLEAN_PDF, "secret"), {}, "是加密的 PDF，需要密码才能打开", id="encrypted"),
        pytest.param(lambda: pdf([[Image(0, 0, 595, 842)]] * 2), {}, "是扫描件（页面是图片，没有文字层）", id="scanned"),
        pytest.param(lambda: pdf([[Text(50, 50, "部门预算公开说明")]]), {}, "中没有找到绩效目标表", id="no-form"),
        pytest.param(lambda: pdf([[]]), {}, "中没有任何文字", id="blank"),
        pytest.param(lambda: CLEAN_PDF[: len(CLEAN_PDF) // 2], {}, "不是可读取的 PDF", id="truncated"),
        pytest.param(lambda: b"%PDF-1.4\n" + bytes(range(256)) * 40, {}, "不是可读取的 PDF", id="garbage"),
        pytest.param(lambda: pdf([[Text(10, 10, "页")]] * 6), {"pdf_pages": 5}, "有 6 页，超过每个 PDF 5 页的上限", id="pages"),
        pytest.param(lambda: MANY_CELLS, {"pdf_page_seconds": 1}, "第 1 页读取超过 1 秒的上限", id="time-per-page"),
        pytest.param(lambda: bomb(200 << 20), {"reader_memory_bytes": 64 << 20}, "所需内存超过 64 MB 的上限", id="memory"),
    ],
)
def test_bad_pdf_is_refused_with_a_message(tmp_path, monkeypatch, make, limits, message):
    for key, value in limits.items():
        monkeypatch.setitem(LIMITS, key, value)
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    with pytest.raises(InputError) as info:
        read_sources([path])
    assert message in info.value.one_line()
    assert "Traceback" not in info.value.one_line()


_FRAMES = "import pickle, sys, time; o = sys.stdout.buffer; o.write(b''.join(pickle.dumps(f) for f in {frames})); " \
    "o.flush(); time.sleep(60)"  # the reader's frames: one pickle each


@pytest.mark.parametrize("frames, message", [
    ([], "读取进程未能启动（未响应）"),
    ([("ready",)], "读取进程未能启动（0.5 秒内未开始读取）"),
    ([("ready",), ("opening",)], "打开文件（读取其目录结构）超过 0.5 秒的上限"),
    ([("ready",), ("opening",), ("count", 3), ("page", 1), ("page", 2)], "第 2 页读取超过 0.5 秒的上限"),
], ids=["no-frame", "started", "opening", "page-2"])
def test_a_pdf_reading_that_hangs_is_told_where_it_hung(tmp_path, monkeypatch, frames, message):
    """Session 6's attack pass: a reader process silent before its first frame (60 s) was told as «第 1 页读取超过
    10 秒», and one hanging while it opened the file as page 1 too."""
    from xltargets import reader
    from xltargets.importing import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "_START_SECONDS", 0.5)
    monkeypatch.setitem(LIMITS, "pdf_page_seconds", 0.5)
    monkeypatch.setattr(reader, "command", lambda: [sys.executable, "-c", _FRAMES.format(frames=frames)])
    reader.close()
    path = tmp_path / "hangs.pdf"
    path.write_bytes(CLEAN_PDF)
    try:
        with pytest.raises(InputError) as info:
            read_sources([path])
    finally:
        reader.close()
    assert message in info.value.one_line()


def test_owner_password_only_pdf_is_read(tmp_path):
    """Many published PDFs forbid editing with an owner password: no password is needed to read them."""
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted(CLEAN_PDF, ""))
    assert len(read_sources([path]).declaration.projects) == 1


# --------------------------------------------------------------------------- the CLI and LibreOffice


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xltargets", *args], cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=300
    )


@pytest.mark.libreoffice
def test_seed_round_trip_through_libreoffice_pdf_keeps_all_85_facts(tmp_path, seed_path, soffice):
    """Our own 汇总表 printed by LibreOffice (as units publish it), imported again: every seed fact."""
    run = _cli("consolidate", str(seed_path), "-o", str(tmp_path / "汇总表.xlsx"), "--pdf", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    pdf_path = tmp_path / "汇总表.pdf"
    got = read_sources([pdf_path])
    assert facts_of(got.declaration) == FACTS
    tsv = read_sources([seed_path])
    assert _content(got) == _content(tsv)
    assert got.declaration.title == tsv.declaration.title == "上海市计划生育协会2024年度项目绩效目标汇总表"
    # the CLI commands accept it too
    dump = _cli("dump", str(pdf_path), cwd=tmp_path)
    assert dump.returncode == 0, dump.stderr
    assert len(json.loads(dump.stdout)["projects"]) == 4
    check = _cli("check", str(pdf_path), cwd=tmp_path)
    assert "共 4 个项目、41 条绩效指标" in check.stdout
    imported = _cli("import", str(pdf_path), "-o", str(tmp_path / "2024.xlsx"), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert facts_of(read_sources([tmp_path / "2024.xlsx"]).declaration) == FACTS


@pytest.mark.libreoffice
def test_number_like_text_survives_libreoffice_pdf(tmp_path, soffice):
    tsv = tmp_path / "forms.tsv"
    tsv.write_text(form_tsv(summary(NUMBER_LIKE)), encoding="utf-8")
    run = _cli("consolidate", str(tsv), "-o", str(tmp_path / "汇总表.xlsx"), "--pdf", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert _content(read_sources([tmp_path / "汇总表.pdf"])) == _content(read_sources([tsv]))


# --------------------------------------------------------------------------- real published PDFs

REAL = Path(__file__).parent / "realforms" / "pdf"


def test_real_district_budget_without_forms_is_refused(tmp_path):
    """上海市普陀区 2025 部门预算 (tests/realforms/SOURCES.md): 31 pages of text and budget tables, no form."""
    with pytest.raises(InputError) as info:
        read_sources([REAL / "putuo-wanli-2025-budget.pdf"])
    assert "的 31 页中没有找到绩效目标表" in info.value.one_line()


#: real published PDFs with forms (tests/realforms/SOURCES.md; every fact in the JSON of the same name,
#: compared by tests/test_realforms.py): file → (pages, the pages holding forms)
REAL_WITH_FORMS = {
    "putuo-wanli-2023-budget.pdf": (35, [31, 32, 33, 34, 35]),
    "guojia-xinfangju-2026-budget.pdf": (37, [30, 31, 32]),
    "fuzhou-shangwuju-2026-budget.pdf": (43, [29, 31, 32, 33, 34, 36, 38, 39]),  # 29, 34, 36 continue on the next page
    # pages 28–37 of 41 (cut): eight forms named by their titles at the same edges, then the 部门整体 form
    "quanzhou-zhengfuban-2026-budget.pdf": (10, [2, 3, 4, 5, 6, 7, 8, 9, 10]),
    "yantai-shenjiju-2026-budget.pdf": (7, [2, 3, 4, 5, 6, 7]),  # pages 29–35 of 38 (cut)
    # pages 26–39 of 44 (cut): form 1 starts at the foot of page 1 and continues on page 2
    "fuzhou-yibaoju-2026-budget.pdf": (14, [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]),
    # pages 22–25 of 25 (cut): a project list over pages 1–2, a 部门整体 list over pages 3–4
    "changsha-zhijiao-2026-budget.pdf": (4, [1, 3]),
    # pages 22–32 of 32 (cut): a list of four projects over pages 1–8, a 部门整体 list over pages 9–11
    "changsha-xinfangju-2026-budget.pdf": (11, [1, 9]),
}


@pytest.mark.parametrize("name", sorted(REAL_WITH_FORMS), ids=lambda n: n.removesuffix(".pdf"))
def test_real_budget_forms_are_found_on_their_pages(name):
    """Each form of a real 部门预算 PDF is read from its own page and every other page is skipped;
    the facts of each form are compared in tests/test_realforms.py."""
    from xltargets.importing.pdf import pdf_grids

    pages, form_pages_ = REAL_WITH_FORMS[name]
    facts = json.loads((REAL / name).with_suffix(".json").read_text(encoding="utf-8"))
    grids = pdf_grids(REAL / name)
    assert [g.sheet for g in grids] == [f"第{n}页" for n in form_pages_]
    got = read_sources([REAL / name]).declaration
    assert [p.name for p in got.projects] == [f["header"]["name"] for f in facts["forms"]]
    assert [len(p.indicators) for p in got.projects] == [len(f["indicators"]) for f in facts["forms"]]
    assert len(form_pages_) <= pages


def test_real_budget_pages_before_the_forms_are_skipped(tmp_path):
    """The real budget's 31 pages, then our forms: only the forms are read."""
    pypdf = pytest.importorskip("pypdf")
    import io

    forms = tmp_path / "forms.pdf"
    forms.write_bytes(form_pdf(summary(form(), form(name="第二个项目"))))
    writer = pypdf.PdfWriter()
    writer.append(str(REAL / "putuo-wanli-2025-budget.pdf"))
    writer.append(str(forms))
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "budget.pdf"
    path.write_bytes(buf.getvalue())
    tsv = tmp_path / "forms.tsv"
    tsv.write_text(form_tsv(summary(form(), form(name="第二个项目"))), encoding="utf-8")
    assert _content(read_sources([path])) == _content(read_sources([tsv]))


def test_reader_child_ignores_the_current_folder_and_runs_this_package(tmp_path):
    """The reader is a fresh interpreter (``python -I -S -c "… import xltargets.reader …"``): a
    ``pdfplumber.py`` in the user's folder does not shadow the library, and the child imports xltargets
    from where the parent did, even when only ``sys.path`` says so (a host such as xlwings) and
    PYTHONPATH is empty."""
    import xltargets

    (tmp_path / "pdfplumber.py").write_text("raise SystemExit('shadowed')\n", encoding="utf-8")
    (tmp_path / "forms.pdf").write_bytes(CLEAN_PDF)
    home = str(Path(xltargets.__file__).resolve().parent.parent)
    script = (
        f"import sys; sys.path.insert(0, {home!r})\n"
        "from xltargets.importing import read_sources\n"
        "print(len(read_sources(['forms.pdf']).declaration.projects))\n"
    )
    env = {k: v for k, v in cli_env().items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-P", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "1", run.stderr


_READY = "import pickle, sys; sys.stdout.buffer.write(pickle.dumps(('ready',))); sys.stdout.flush(); "


@pytest.fixture
def fresh_reader():
    """No reader process before or after the test (one started with another command is not reused)."""
    from xltargets import reader

    reader.close()
    yield reader
    reader.close()


@pytest.mark.parametrize(
    "child, message",
    [
        ("import sys; sys.exit(1)", "读取进程未能启动"),
        (_READY + "sys.exit(1)", "读取进程异常退出，代码 1"),
        (_READY + "import os; os.kill(os.getpid(), 9)", "所需内存超过"),
    ],
    ids=["cannot-start", "crash", "killed-by-the-kernel"],
)
def test_child_that_dies_gives_a_message(tmp_path, monkeypatch, fresh_reader, child, message):
    """A reader process that fails to start, crashes or is killed (the kernel's out-of-memory killer
    sends SIGKILL) gives a message, never a traceback or a hang."""
    if "os.kill" in child and sys.platform == "win32":
        pytest.skip("no signals on Windows")
    monkeypatch.setattr(fresh_reader, "command", lambda: [sys.executable, "-c", child])
    path = tmp_path / "forms.pdf"
    path.write_bytes(CLEAN_PDF)
    with pytest.raises(InputError) as info:
        read_sources([path])
    assert message in info.value.one_line()


def test_pages_are_reported_as_they_are_read(tmp_path):
    """Progress (issue 13 point 12): a PDF reports its pages, one by one, to the installed callback."""
    from xltargets.pipeline import read_sources as pipeline_read

    path = tmp_path / "forms.pdf"
    path.write_bytes(form_pdf(summary(form(rows=LONG_ROWS)), rows_per_page=30))
    heard = []
    pipeline_read([path], progress=lambda done, total, what: heard.append((done, total, what)))
    pages = [(done, total) for done, total, what in heard if what == "读取 PDF 页"]
    assert pages and pages == [(i, pages[0][1]) for i in range(pages[0][1])]
    assert pages[0][1] >= 3
