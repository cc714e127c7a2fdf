"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser download).

1. The WPS add-in's own page (addin/wps/index.html, loaded from disk like WPS loads it)
   with the fake ``wps`` object of tests/wps/fake_wps.js, against a live
   ``xltargets serve``: 校验 on the seed's sheets marks the cells and writes 校验结果.
2. The browser page at ``/``: drop the seed, see the findings grouped by project,
   download the 汇总表, and ``xltargets dump`` reads back all 41 indicators.

Screenshots go to the test's temporary folder; with XLTARGETS_DOCS_SCREENSHOTS=1 the
page's is written to docs/img/serve-page.png (how docs/wps.md's picture is made).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from servetools import ROOT, cli_json, need, running_service

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_TSV = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"
FAKE = (ROOT / "tests" / "wps" / "fake_wps.js").read_text(encoding="utf-8")
SEED_BOOK = (ROOT / "tests" / "wps" / "seed_workbook.json").read_text(encoding="utf-8")
CHECK = json.loads((ROOT / "tests" / "wps" / "seed_check.json").read_text(encoding="utf-8"))
ERROR_FILL = 0xCEC7FF  # #ffc7ce as Interior.Color (BGR)
WARNING_FILL = 0x9CEBFF  # #ffeb9c


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright (python) is required under CI=true")
        pytest.skip("playwright not installed: pip install playwright (no browser download needed)")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM, "apt-get install chromium")
    sync_playwright = _playwright()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with running_service(tmp_path_factory.mktemp("home")) as svc:
        yield svc


def test_addin_page_marks_the_seed_through_the_live_service(browser, service, tmp_path):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(
        FAKE
        + f"\nwindow.wps = {{Application: new FakeWps.Application({SEED_BOOK}, {{}})}};"
        + f"\nwindow.XLT_CONFIG = {{port: {service.port}, token: {json.dumps(service.token)}}};"
    )
    page.goto((ROOT / "addin" / "wps" / "index.html").as_uri())
    answer = page.evaluate("XltValidate({Id: 'xltValidate'})")  # what the ribbon's onAction calls
    assert dialogs == [], dialogs
    assert answer["findings"] == CHECK["findings"]
    state = page.evaluate(
        """() => {
          const book = wps.Application.ActiveWorkbook;
          const cell = (s, c) => book.sheet(s).cellState(c);
          return {
            a12: cell('生殖健康咨询服务', 'A12'),
            d11: cell('家庭健康促进及优生优育服务', 'D11'),
            e18: cell('计生特殊家庭帮扶及权益维护', 'E18'),
            clean: cell('宣传教育及基层能力建设', 'A12'),
            results: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(r => ['A', 'B', 'C', 'E'].map(c => {
              const s = book.sheet('校验结果').cellState(c + r); return s.formula || s.value; })),
            status: wps.Application.StatusBar,
          };
        }"""
    )
    assert state["a12"]["fill"] == ERROR_FILL
    assert state["a12"]["comment"].startswith("xltargets 校验：\n错误 XLT-E007：")
    assert state["d11"]["fill"] == WARNING_FILL and state["d11"]["comment"].count("XLT-W016") == 3
    assert state["e18"]["fill"] == WARNING_FILL and "XLT-W013" in state["e18"]["comment"]
    assert state["clean"]["fill"] is None and state["clean"]["comment"] is None
    assert state["results"][0][0] == CHECK["summary"]
    assert state["results"][2] == [1, "错误", "XLT-E007", "=HYPERLINK(\"#'生殖健康咨询服务'!A12\",\"生殖健康咨询服务!A12\")"]
    assert [row[2] for row in state["results"][2:8]] == [f["code"] for f in CHECK["findings"]]
    assert state["status"] == CHECK["summary"]
    page.close()


def test_addin_page_says_how_to_start_a_stopped_service(browser, tmp_path):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(
        FAKE + f"\nwindow.wps = {{Application: new FakeWps.Application({SEED_BOOK}, {{}})}};\nwindow.XLT_CONFIG = {{port: 9, token: 'x'}};"
    )
    page.goto((ROOT / "addin" / "wps" / "index.html").as_uri())
    assert page.evaluate("XltValidate({})") is None
    assert len(dialogs) == 1 and "xltargets serve" in dialogs[0] and "未连接到 xltargets 本地服务" in dialogs[0]
    page.close()


def test_browser_page_drop_check_and_download(browser, service, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(service.url + "#token=" + service.token)
    assert "#token" not in page.url, "the token is taken out of the address bar"
    page.wait_for_function("document.getElementById('version').textContent.length > 0")
    data = base64.b64encode(SEED_TSV.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """([name, data]) => {
          const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], name, {type: 'text/tab-separated-values'}));
          return dt;
        }""",
        [SEED_TSV.name, data],
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    headings = page.locator("#projects h2").all_text_contents()
    assert headings == [p["name"] for p in cli_json("dump", str(SEED_TSV))["projects"]]
    expected = cli_json("check", "--json", str(SEED_TSV))
    rows = page.locator("#projects tr.error, #projects tr.warning")
    assert rows.count() == len(expected)
    first = rows.nth(0).locator("td").all_text_contents()
    assert first[0] == "错误" and first[1] == expected[0]["code"] and first[3] == expected[0]["message"]
    assert "错误 1 条，警告" in page.locator("#summary").text_content()
    page.screenshot(path=str(tmp_path / "serve-page.png"), full_page=True)
    if os.environ.get("XLTARGETS_DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "img" / "serve-page.png"), full_page=False)
    with page.expect_download(timeout=120_000) as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename == "汇总表.xlsx"
    out = tmp_path / "汇总表.xlsx"
    download.save_as(str(out))
    dumped = cli_json("dump", str(out))
    assert len(dumped["projects"]) == 4
    assert sum(len(p["indicators"]) for p in dumped["projects"]) == 41
    context.close()


def test_browser_page_without_token_says_what_to_do(browser, service):
    page = browser.new_page()
    page.goto(service.url)
    page.wait_for_selector("#message:not([hidden])")
    assert "访问令牌" in page.locator("#message").text_content()
    page.close()


@pytest.mark.libreoffice
def test_browser_page_downloads_the_pdf(browser, service, soffice, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(service.url + "#token=" + service.token)
    page.wait_for_function("document.getElementById('version').textContent.length > 0")
    page.set_input_files("#files", str(SEED_TSV))  # the other way in: 选择文件
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    assert page.is_enabled("#download-pdf")
    page.fill("#title", "测试单位2024年度项目绩效目标汇总表")
    with page.expect_download(timeout=180_000) as info:
        page.click("#download-pdf")
    out = tmp_path / "汇总表.pdf"
    info.value.save_as(str(out))
    assert info.value.suggested_filename == "汇总表.pdf"
    assert out.read_bytes()[:5] == b"%PDF-"
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        assert "测试单位2024年度项目绩效目标汇总表" in (pdf.pages[0].extract_text() or "").replace("\n", "")
    context.close()


def test_browser_page_shows_a_workbooks_markup_as_text(browser, service, tmp_path):
    """Text from a user's file (a project name, an indicator, the file's own name) holding HTML is shown as text,
    never run as markup (session 7's attack pass: the page sets textContent only; this pins it)."""
    from corpus.make_corpus import CLEAN_ROWS, form, form_tsv

    name = '<img src=x onerror="window.__xss=1">青春健康'
    rows = [list(r) for r in CLEAN_ROWS]
    rows[1][3] = "<script>window.__xss=2</script>培训场次"
    text = form_tsv(form(name=name, rows=rows))
    page = browser.new_page()
    page.goto(service.url + "#token=" + service.token)
    page.wait_for_function("document.getElementById('version').textContent.length > 0")
    transfer = page.evaluate_handle(
        """([name, text]) => { const dt = new DataTransfer(); dt.items.add(new File([text], name)); return dt; }""",
        ['<img src=y onerror="window.__xss=3">.tsv', text],
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    assert page.locator("#projects h2").all_text_contents() == [name]
    assert page.locator("#chosen").text_content() == '<img src=y onerror="window.__xss=3">.tsv'
    assert page.locator("#projects img, #projects script, #chosen img").count() == 0
    assert page.evaluate("window.__xss") is None
    page.close()


@pytest.mark.parametrize(
    "sizes, expect",
    [
        ([101 * 2**20], "有 101.0 MB，超过每个文件 100 MB 的上限，未上传"),
        ([60 * 2**20, 60 * 2**20], "所选的 2 个文件共 120.0 MB，超过一次 100 MB 的上限，未上传"),
    ],
    ids=["one-file-past-100-mb", "two-files-past-100-mb-together"],
)
def test_browser_page_refuses_files_past_the_limits_before_reading_them(browser, service, sizes, expect):
    """A file past the service's limit was read whole into the page as base64 and sent, to be refused after the
    upload (a 413 not naming the file past 140 MB of body); a file of a gigabyte could take the tab down
    (session 8's attack pass). Now the page names it and sends nothing."""
    page = browser.new_page()
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.goto(service.url + "#token=" + service.token)
    page.wait_for_function("document.getElementById('version').textContent.length > 0")
    transfer = page.evaluate_handle(
        """(sizes) => { const dt = new DataTransfer();
                        sizes.forEach((n, i) => dt.items.add(new File([new Uint8Array(n)], `大文件${i + 1}.xlsx`)));
                        return dt; }""",
        sizes,
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("#message:not([hidden])")
    assert expect in page.locator("#message").text_content()
    assert posted == [] and page.locator("#result").is_hidden()
    page.close()


def test_the_pages_upload_limits_are_the_services():
    import re

    from xltargets.importing.limits import LIMITS
    from xltargets.serve.security import MAX_BODY

    text = (ROOT / "src" / "xltargets" / "serve" / "static" / "page.js").read_text(encoding="utf-8")
    mb = int(re.search(r"var MAX_FILE_MB = (\d+);", text).group(1))
    assert mb * 2**20 == LIMITS["file_bytes"]
    assert mb * 2**20 * 4 // 3 + 2**20 < MAX_BODY  # everything the page lets through fits one request as base64
    assert int(re.search(r"var MAX_FILES = (\d+);", text).group(1)) == 1000
