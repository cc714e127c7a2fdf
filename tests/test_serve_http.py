"""``xltargets serve`` over real HTTP: every endpoint and every refusal (issue 17).

One service runs for the module (``python -m xltargets serve --port 0`` with its
own HOME); the body-limit test starts a second one in this process with a small
limit. The findings for the seed's cells must equal ``xltargets check --json``'s.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason='the service needs pip install "xltargets[serve]"')
httpx = pytest.importorskip("httpx")

from servetools import ROOT, cli_json, running_service  # noqa: E402
from xltargets import __version__  # noqa: E402

SEED_TSV = ROOT / "examples" / "sh-jishengxie-2024-summary.tsv"
BODY = json.loads((ROOT / "tests" / "wps" / "seed_body.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with running_service(tmp_path_factory.mktemp("home")) as svc:
        yield svc


@pytest.fixture(scope="module")
def client(service):
    with httpx.Client(base_url=service.url.rstrip("/"), headers=service.auth, timeout=120) as c:
        yield c


def _upload(*paths: Path) -> dict:
    return {"files": [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]}


def _no_traceback(resp) -> None:
    assert "Traceback" not in resp.text and 'File "' not in resp.text


# --- running ------------------------------------------------------------------


def test_ready_line_names_the_url_on_loopback(service):
    assert service.line.count("\n") == 1
    assert service.line.startswith(f"xltargets 服务已启动：http://127.0.0.1:{service.port}/#token=")


def test_serve_json_is_private_and_names_port_token_pid(service):
    path = service.home / ".xltargets" / "serve.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"port": service.port, "token": service.token, "pid": service.process.pid}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_listens_on_loopback_only(service):
    other = [a for a in {i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} if not a.startswith("127.")]
    for address in other[:2]:
        with pytest.raises(OSError):
            socket.create_connection((address, service.port), timeout=2).close()
    socket.create_connection(("127.0.0.1", service.port), timeout=2).close()


# --- endpoints ----------------------------------------------------------------


def test_health_needs_no_token(service):
    resp = httpx.get(service.api("/api/health"))
    assert resp.status_code == 200
    assert resp.json()["version"] == __version__


def test_check_of_the_seed_sheets_equals_check_json(client):
    resp = client.post("/api/check", json=BODY)
    assert resp.status_code == 200, resp.text
    cli = cli_json("check", "--json", "declarations.xlsm", cwd=ROOT)
    assert resp.json()["findings"] == cli
    assert len(cli) == 6
    assert {f["file"] for f in cli} == {"declarations.xlsm"}  # the file each finding is in (scripts of a folder need it)
    assert resp.json()["errors"] == 1 and resp.json()["warnings"] == 5


def test_check_answer_is_the_js_fixture(client):
    expected = json.loads((ROOT / "tests" / "wps" / "seed_check.json").read_text(encoding="utf-8"))
    assert client.post("/api/check", json=BODY).json() == expected


def test_check_of_uploaded_files_equals_check_json(client):
    resp = client.post("/api/check", json=_upload(SEED_TSV))
    assert resp.status_code == 200, resp.text
    findings = resp.json()["findings"]
    assert findings == cli_json("check", "--json", SEED_TSV.name, cwd=SEED_TSV.parent)
    assert findings and {f["file"] for f in findings} == {SEED_TSV.name}  # the upload's name, never the service's temp copy
    # nothing is coloured or commented in an uploaded file: the summary only counts
    answer = resp.json()
    assert answer["summary"] == f"xltargets 校验完成：{answer['errors']} 个错误，{answer['warnings']} 个警告。"


def test_check_of_the_sheets_says_the_add_in_marks_the_cells(client):
    """The add-in colours and comments the cells and writes 校验结果 with the findings the summary announces."""
    assert "已标色并加批注" in client.post("/api/check", json=BODY).json()["summary"]


def test_consolidate_returns_the_summary_workbook(client, tmp_path):
    resp = client.post("/api/consolidate", json={**BODY, "title": "测试单位2024年度项目绩效目标汇总表"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in resp.headers["content-disposition"]
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(resp.content)
    dumped = cli_json("dump", str(out))
    assert len(dumped["projects"]) == 4
    assert sum(len(p["indicators"]) for p in dumped["projects"]) == 41


def test_consolidate_of_uploaded_files(client, tmp_path):
    resp = client.post("/api/consolidate", json=_upload(SEED_TSV))
    assert resp.status_code == 200, resp.text
    (tmp_path / "b.xlsx").write_bytes(resp.content)
    assert sum(len(p["indicators"]) for p in cli_json("dump", str(tmp_path / "b.xlsx"))["projects"]) == 41


def test_consolidate_writes_where_the_user_chose(client, tmp_path):
    out = tmp_path / "选的位置.xlsx"
    resp = client.post("/api/consolidate", json={**BODY, "output": str(out)})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"path": str(out)}
    assert out.read_bytes()[:2] == b"PK"
    # ours: it may be replaced by the next run
    assert client.post("/api/consolidate", json={**BODY, "output": str(out)}).status_code == 200


@pytest.mark.parametrize(
    "output",
    [
        pytest.param("relative.xlsx", id="relative-path"),
        pytest.param("{tmp}/wrong-suffix.txt", id="not-xlsx"),
        pytest.param("{tmp}/no-such-folder/a.xlsx", id="missing-folder"),
        pytest.param("{tmp}/foreign.xlsx", id="foreign-file"),
        pytest.param("{tmp}/link.xlsx", id="symlink"),
        pytest.param("{tmp}/../escape.xlsx", id="dot-dot"),
    ],
)
def test_consolidate_refuses_outputs_it_may_not_write(client, tmp_path, output):
    (tmp_path / "foreign.xlsx").write_bytes(b"the user's own file")
    (tmp_path / "target.xlsx").write_bytes(b"elsewhere")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "target.xlsx")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()}
    resp = client.post("/api/consolidate", json={**BODY, "output": output.format(tmp=tmp_path)})
    assert 400 <= resp.status_code < 500, resp.text
    assert resp.json()["error"] and "处理办法" in resp.json()["message"]
    _no_traceback(resp)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()} == before
    assert not (tmp_path.parent / "escape.xlsx").exists()
    # the fix is said in the add-in's words, not the CLI's (session 7: «换一个文件名，或加 --force 覆盖它» before)
    assert "--force" not in resp.json()["message"] and " -o " not in resp.json()["message"]


def test_new_project_gives_the_template_sheet(client):
    resp = client.post("/api/new-project", json={"name": "社区 健康讲座", "taken": ["社区 健康讲座"]})
    assert resp.status_code == 200, resp.text
    (sheet,) = resp.json()["sheets"]
    assert sheet["name"] != "社区 健康讲座"  # apart from the sheet the workbook has
    cells = [v for row in sheet["values"] for v in row]
    assert "社区 健康讲座" in cells and "项目名称" in cells
    # the template's check formulas come as formulas, for Range.Formula
    assert any(isinstance(v, str) and v.startswith("=IF(") for v in cells)
    from openpyxl import load_workbook

    book = load_workbook(resp.json()["workbook"])  # the rendered workbook the add-in copies from
    assert book.sheetnames[0] == sheet["name"]


def test_imported_text_that_looks_like_a_formula_stays_text(client):
    assert "=10.00(所)" in SEED_TSV.read_text(encoding="utf-8")  # a 指标值 of the seed
    resp = client.post("/api/import", json={"paths": [str(SEED_TSV)]})
    assert resp.status_code == 200, resp.text
    cells = [v for s in resp.json()["sheets"] for row in s["values"] for v in row]
    assert "'=10.00(所)" in cells and "=10.00(所)" not in cells


def test_imported_text_that_looks_like_a_number_or_date_stays_text(client, tmp_path):
    """Range.Formula (what the add-in writes a sheet it could not copy with) turns ``0012`` into 12, ``1e5`` into
    100000 and ``2024-05-29`` into a date: such project names come behind an apostrophe, like ``=…`` (session 7)."""
    from corpus.make_corpus import BUILDERS

    BUILDERS["number-like-names.tsv"](tmp_path)
    resp = client.post("/api/import", json={"paths": [str(tmp_path / "number-like-names.tsv")]})
    assert resp.status_code == 200, resp.text
    cells = [v for s in resp.json()["sheets"] for row in s["values"] for v in row]
    for name in ("0012", "1e5", "2024-05-29", "7.11世界人口日主题宣传活动"):
        assert "'" + name in cells and name not in cells, name
    assert "项目名称" in cells and "'项目名称" not in cells  # other text as it is


def test_import_reads_the_chosen_file(client):
    resp = client.post("/api/import", json={"paths": [str(SEED_TSV)], "taken": []})
    assert resp.status_code == 200, resp.text
    names = [s["name"] for s in resp.json()["sheets"]]
    assert names == [p["name"] for p in cli_json("dump", str(SEED_TSV))["projects"]]


def test_import_reads_a_chosen_wps_et_file(client, tmp_path):
    """The add-in's open dialog offers *.et (WPS 表格's format): the service reads it, as check does."""
    from corpus import formats as fmt
    from corpus.make_corpus import CLEAN, summary

    et = fmt.xls(tmp_path / "单位乙.et", [("申报表", summary(CLEAN))])
    resp = client.post("/api/import", json={"paths": [str(et)], "taken": []})
    assert resp.status_code == 200, resp.text
    assert [s["name"] for s in resp.json()["sheets"]] == [p["name"] for p in cli_json("dump", str(et))["projects"]]


def test_import_of_uploaded_files(client):
    resp = client.post("/api/import", json={**_upload(SEED_TSV), "taken": []})
    assert resp.status_code == 200, resp.text
    assert len(resp.json()["sheets"]) == 4


@pytest.mark.libreoffice
def test_pdf_of_the_seed(client, soffice):
    resp = client.post("/api/pdf", json=BODY)
    assert resp.status_code == 200, resp.text
    assert resp.content[:5] == b"%PDF-"
    assert resp.headers["content-type"] == "application/pdf"


def test_page_is_served_without_token_in_chinese(service):
    resp = httpx.get(service.url)
    assert resp.status_code == 200
    assert 'lang="zh-CN"' in resp.text
    assert "绩效目标" in resp.text


# --- refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong"}, id="wrong-token"),
        pytest.param({"Authorization": "Basic abc"}, id="not-bearer"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/api/check", "/api/consolidate", "/api/pdf", "/api/new-project", "/api/import", "/api/new-year", "/api/compare"]
)
def test_every_endpoint_but_health_needs_the_token(service, headers, path):
    resp = httpx.post(service.api(path), json=BODY, headers=headers)
    assert resp.status_code == 401
    assert "令牌" in resp.json()["error"]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "192.168.1.5:{port}", "0.0.0.0:{port}"]
)
def test_foreign_host_is_refused_dns_rebinding(service, host):
    for method, path in (("GET", "/api/health"), ("GET", "/"), ("POST", "/api/check")):
        resp = httpx.request(method, service.api(path), headers={**service.auth, "Host": host.format(port=service.port)}, json=BODY)
        assert resp.status_code == 403, (method, path)
        assert "不是本机地址" in resp.json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_loopback_hosts_are_accepted(service, host):
    resp = httpx.get(service.api("/api/health"), headers={"Host": host.format(port=service.port)})
    assert resp.status_code == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1", "http://localhost", "chrome-extension://abc"])
def test_foreign_origin_is_refused(service, origin):
    resp = httpx.post(service.api("/api/check"), json=BODY, headers={**service.auth, "Origin": origin})
    assert resp.status_code == 403
    assert "access-control-allow-origin" not in resp.headers
    pre = httpx.options(service.api("/api/check"), headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 403
    assert "access-control-allow-origin" not in pre.headers


@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "http://localhost:{port}", "null", "file://"])
def test_own_page_and_addin_origins_get_cors_for_exactly_themselves(service, origin):
    origin = origin.format(port=service.port)
    pre = httpx.options(
        service.api("/api/check"),
        headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"},
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == origin
    assert "Authorization" in pre.headers["access-control-allow-headers"]
    assert pre.headers["access-control-allow-methods"] == "GET, POST"
    resp = httpx.post(service.api("/api/check"), json=BODY, headers={**service.auth, "Origin": origin})
    assert resp.status_code == 200
    assert resp.headers["access-control-allow-origin"] == origin


def test_a_declared_oversized_body_is_refused_before_reading(service):
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\nAuthorization: Bearer {service.token}\r\n"
                "Content-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n{"
            ).encode()
        )
        head = b""
        while b"}" not in head:
            chunk = sock.recv(65536)
            if not chunk:
                break
            head += chunk
        head = head.decode("utf-8", "replace")
    assert head.startswith("HTTP/1.1 413")
    assert "上限" in head


@pytest.mark.parametrize(
    "framing",
    [
        pytest.param(b"Transfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n", id="chunked"),
        pytest.param(b"Content-Length: 104857600\r\n\r\n{\"files\": [", id="declared-100MB"),
    ],
)
def test_a_request_without_the_token_is_refused_before_its_body_is_read(service, framing):
    """Any web page can send ``Origin: null`` (a sandboxed iframe, a data: URL): it passes the Origin check
    like the WPS add-in. Without the token it must not make the service keep up to 140 MB of body for
    it (before: the body was read whole, up to 140 MB a request, and only then refused)."""
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: null\r\nContent-Type: application/json\r\n" + framing
        )
        head = sock.recv(65536).decode("utf-8", "replace")  # the body never ends: only a refusal can answer
    assert head.startswith("HTTP/1.1 401"), head
    assert "访问令牌" in head


def test_a_streamed_oversized_body_is_refused(tmp_path):
    """A second service in this process, limit 64 kB; a chunked body past it gets 413 JSON."""
    import uvicorn

    from xltargets.serve.app import create_app
    from xltargets.serve.server import bind

    sock = bind(0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(port=port, token="k" * 43, max_body=65536), log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)

        def chunks():
            for _ in range(40):
                yield b" " * 4096

        resp = httpx.post(
            f"http://127.0.0.1:{port}/api/check",
            content=chunks(),
            headers={"Authorization": "Bearer " + "k" * 43, "Content-Type": "application/json"},
        )
        assert resp.status_code == 413
        assert "上限" in resp.json()["error"]
        ok = httpx.post(f"http://127.0.0.1:{port}/api/check", json=BODY, headers={"Authorization": "Bearer " + "k" * 43})
        assert ok.status_code == 200
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _rows(n: int, width: int = 1) -> list:
    return [[None] * width for _ in range(n)]


BAD_BODIES = [
    pytest.param(b"{not json", "application/json", 400, "不是有效的 JSON", id="invalid-json"),
    pytest.param(b"[1, 2]", "application/json", 400, "JSON 对象", id="not-an-object"),
    pytest.param(json.dumps(BODY).encode(), "text/plain", 415, "Content-Type", id="wrong-content-type"),
    pytest.param(b"{}", "application/json", 400, "没有工作表", id="no-sheets"),
    pytest.param(json.dumps({"sheets": [{"values": [[1]]}]}).encode(), "application/json", 400, "没有名称", id="sheet-without-name"),
    pytest.param(json.dumps({"sheets": [{"name": "a", "values": [[{"x": 1}]]}]}).encode(), "application/json", 400, "不是文字、数字或空", id="object-in-a-cell"),
    pytest.param(json.dumps({"sheets": [{"name": "a", "values": [["项目"]]}]}).encode(), "application/json", 400, "没有找到申报表", id="no-forms"),
    pytest.param(json.dumps({"sheets": [{"name": "大表", "values": _rows(100_001)}]}).encode(), "application/json", 400, "100,000 行", id="rows-over-limit"),
    pytest.param(json.dumps({"sheets": [{"name": "宽表", "values": [[None] * 16_385]}]}).encode(), "application/json", 400, "16,384 列", id="columns-over-limit"),
    pytest.param(json.dumps({"sheets": [{"name": "长文", "values": [["字" * 32_768]]}]}).encode(), "application/json", 400, "32,767 个字符", id="cell-over-limit"),
    pytest.param(json.dumps({"sheets": [{"name": f"s{i}", "values": [[1]]} for i in range(4_001)]}).encode(), "application/json", 400, "4,000 个的上限", id="sheets-over-limit"),
    pytest.param(json.dumps({"files": [{"name": "a.xlsx", "data": "@@@"}]}).encode(), "application/json", 400, "base64", id="bad-base64"),
    pytest.param(json.dumps({"files": [{"name": "a.xlsx", "data": base64.b64encode(b"not a workbook").decode()}]}).encode(), "application/json", 400, "a.xlsx", id="upload-not-a-workbook"),
    pytest.param(json.dumps({"files": [{"name": "../../etc/passwd.tsv", "data": base64.b64encode("项目\n".encode()).decode()}]}).encode(), "application/json", 400, "passwd.tsv", id="upload-name-with-path"),
    pytest.param(b'{"sheets":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json", 400, "嵌套过深", id="nested-too-deeply"),
    pytest.param(b'{"sheets": [{"name": "a", "values": [["x", "\\ud83d"]]}]}', "application/json", 400, "第 1 个工作表第 1 行第 2 列", id="half-an-emoji-in-a-cell"),
    pytest.param(b'{"sheets": [{"name": "\\udc00", "values": [["x"]]}]}', "application/json", 400, "第 1 个工作表的名称", id="half-an-emoji-in-a-sheet-name"),
]


@pytest.mark.parametrize("body,ctype,status,text", BAD_BODIES)
def test_bad_input_gets_the_chinese_message_as_json_4xx(service, body, ctype, status, text):
    resp = httpx.post(service.api("/api/check"), content=body, headers={**service.auth, "Content-Type": ctype}, timeout=60)
    assert resp.status_code == status, resp.text
    assert text in resp.json()["error"] + resp.json()["message"]
    assert resp.json()["message"].startswith("错误：")
    _no_traceback(resp)


@pytest.mark.parametrize(
    "body,text",
    [
        pytest.param({"paths": ["examples/sh-jishengxie-2024-summary.tsv"]}, "不是完整路径", id="relative"),
        pytest.param({"paths": ["/nonexistent/a.xlsx"]}, "找不到文件", id="missing"),
        pytest.param({"paths": [str(ROOT / "examples")]}, "不是普通文件", id="folder"),
        pytest.param({"paths": [str(ROOT / "pyproject.toml")]}, "不是可导入的文件类型", id="not-a-form-type"),
        pytest.param({"paths": []}, "没有文件路径", id="empty"),
        pytest.param({"paths": [str(SEED_TSV)], "taken": "x"}, "taken", id="taken-not-a-list"),
    ],
)
def test_import_refuses_paths_it_should_not_read(client, body, text):
    resp = client.post("/api/import", json=body)
    assert resp.status_code == 400, resp.text
    assert text in resp.json()["error"]
    _no_traceback(resp)


def test_import_refuses_a_symlink(client, tmp_path):
    link = tmp_path / "link.tsv"
    link.symlink_to(SEED_TSV)
    resp = client.post("/api/import", json={"paths": [str(link)]})
    assert resp.status_code == 400 and "不是普通文件" in resp.json()["error"]


@pytest.mark.parametrize(
    "path,body",
    [
        pytest.param("/api/new-project", {"name": "项目\ud83d"}, id="new-project-name"),
        pytest.param("/api/import", {"paths": ["/tmp/\udc80.xlsx"]}, id="import-path"),
        pytest.param("/api/consolidate", {**BODY, "title": "标题\ud83d"}, id="consolidate-title"),
    ],
)
def test_half_a_utf16_pair_is_refused_by_every_endpoint(client, path, body):
    """JSON.stringify writes a lone surrogate as \\udXXX; Python reads it into a str no file or answer can
    hold (before: 500 "内部错误" from new-project, a plain-text 500 from import)."""
    resp = client.post(path, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert "不成对的 UTF-16 代理项" in resp.json()["error"]
    _no_traceback(resp)


def test_an_upload_with_a_very_long_name_is_read(client):
    """A name of 150 Chinese characters (450 bytes: over ext4's 255) is shortened, keeping its extension
    (before: 500 "内部错误", File name too long)."""
    data = base64.b64encode(SEED_TSV.read_bytes()).decode()
    resp = client.post("/api/check", json={"files": [{"name": "项" * 150 + ".tsv", "data": data}]})
    assert resp.status_code == 200, resp.text
    assert resp.json()["projects"]


@pytest.mark.parametrize(
    "given,written",
    [
        pytest.param("NUL.xlsx", "_NUL.xlsx", id="nul"),
        pytest.param("con", "_con", id="con-lowercase"),
        pytest.param("COM1.tsv", "_COM1.tsv", id="com1"),
        pytest.param("CONOUT$.xlsx", "_CONOUT$.xlsx", id="conout"),
        pytest.param("CONTROL.xlsx", "CONTROL.xlsx", id="not-a-device"),
        pytest.param("项" * 100 + ".xlsx", "项" * 65 + ".xlsx", id="long-name-kept-under-200-bytes"),
        pytest.param("..", "文件1", id="dots-only"),
    ],
)
def test_an_uploaded_name_becomes_a_file_name_every_system_can_hold(given, written):
    """Uploads are written under their own name in a private folder: on Windows "NUL.xlsx" is the null
    device whatever the extension (the bytes would go nowhere and the read would say 不是普通文件), and a
    name over 255 bytes cannot be created on ext4."""
    from xltargets.serve.inputs import _file_name

    assert _file_name(given, 0) == written
    assert len(written.encode()) <= 200


def test_new_project_needs_a_name(client):
    resp = client.post("/api/new-project", json={"name": "   "})
    assert resp.status_code == 400 and "项目名称为空" in resp.json()["error"]


@pytest.mark.parametrize("method,path,status", [("GET", "/api/nothing", 404), ("GET", "/api/check", 405), ("DELETE", "/api/check", 405)])
def test_unknown_routes_answer_json(client, method, path, status):
    resp = client.request(method, path)
    assert resp.status_code == status
    assert resp.json()["error"]


def test_serve_json_forgets_the_port_when_the_service_stops(tmp_path):
    with running_service(tmp_path / "home") as svc:
        token = svc.token
    data = json.loads((tmp_path / "home" / ".xltargets" / "serve.json").read_text())
    assert data == {"port": 0, "token": token, "pid": None}
    with running_service(tmp_path / "home") as again:  # the token survives a restart
        assert again.token == token
    with running_service(tmp_path / "home", "--new-token") as renewed:
        assert renewed.token != token


def test_a_port_in_use_is_a_chinese_error(service, tmp_path):
    import subprocess
    import sys

    from servetools import _env

    out = subprocess.run(
        [sys.executable, "-m", "xltargets", "serve", "--port", str(service.port)],
        env=_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    assert f"端口 {service.port} 已被占用" in out.stderr
    assert "Traceback" not in out.stderr


def test_other_commands_never_import_the_web_stack():
    """Starlette and uvicorn load only for ``xltargets serve`` (startup time of every other command)."""
    import subprocess
    import sys

    from servetools import _env

    code = (
        "import sys, contextlib, io\n"
        "from xltargets.cli.app import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    app(['check', '--json', {str(SEED_TSV)!r}])\n"
        "    try:\n        app(['wps', '-h'])\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'anyio', 'h11')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env(Path.home()), capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


@pytest.mark.parametrize(
    "mode,kept", [pytest.param(0o600, True, id="private-kept"), pytest.param(0o644, False, id="readable-by-others-renewed")]
)
def test_the_token_is_kept_only_while_serve_json_is_private(tmp_path, mode, kept):
    from xltargets.serve.state import ServeState, load_token, write_state

    write_state(ServeState(port=0, token="a" * 43), tmp_path)
    path = tmp_path / ".xltargets" / "serve.json"
    os.chmod(path, mode)
    assert (load_token(tmp_path) == "a" * 43) is kept


def test_serve_json_is_never_written_through_a_symlink(tmp_path):
    from xltargets.errors import XltargetsError
    from xltargets.serve.state import ServeState, write_state

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".xltargets").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(XltargetsError):
        write_state(ServeState(port=1, token="b" * 43), tmp_path)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.libreoffice
def test_a_dropped_pdf_is_checked_like_check_reads_it(client, soffice, tmp_path):
    """Last year's published PDF: the page's upload gives what ``check`` gives for the file."""
    made = client.post("/api/pdf", json=_upload(SEED_TSV))
    assert made.status_code == 200, made.text
    pdf = tmp_path / "去年的汇总表.pdf"
    pdf.write_bytes(made.content)
    resp = client.post("/api/check", json=_upload(pdf))
    assert resp.status_code == 200, resp.text
    assert resp.json()["findings"] == cli_json("check", "--json", pdf.name, cwd=tmp_path)
    assert len(resp.json()["projects"]) == 4


@pytest.mark.parametrize(
    "raw", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fserve%2fapp.py", "/%2e%2e/pyproject.toml"]
)
def test_static_files_never_leave_their_folder(service, raw):
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as sock:
        sock.sendall(f"GET {raw} HTTP/1.1\r\nHost: 127.0.0.1:{service.port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert not head.startswith(b"HTTP/1.1 200"), head
    assert b"root:" not in body and b"[project]" not in body and b"import" not in body


BAD_FILES = [
    pytest.param("坏文件.xlsx", b"not a workbook", id="not-a-workbook"),
    pytest.param("空.tsv", b"", id="empty"),
    pytest.param("无表.tsv", "项目\t内容\n".encode(), id="no-forms"),
    pytest.param("宏病毒.xlsm", b"PK\x03\x04" + b"\0" * 40, id="broken-zip"),
]


@pytest.mark.parametrize("name,data", BAD_FILES)
def test_a_bad_upload_gets_exactly_the_cli_message(client, tmp_path, name, data):
    import subprocess
    import sys

    from servetools import _env

    (tmp_path / name).write_bytes(data)
    cli = subprocess.run(
        [sys.executable, "-m", "xltargets", "check", name], cwd=tmp_path, env=_env(Path.home()), capture_output=True, text=True
    )
    assert cli.returncode == 2
    resp = client.post("/api/check", json=_upload(tmp_path / name))
    assert resp.status_code == 400
    assert resp.json()["message"] == cli.stderr.strip()
    assert "xlt-serve-" not in resp.text, "the private upload folder is not shown"


def test_new_year_writes_next_years_workbook_where_the_user_chose(client, tmp_path):
    import shutil
    import zipfile

    book = tmp_path / "declarations.xlsm"
    shutil.copyfile(ROOT / "declarations.xlsm", book)
    out = tmp_path / "2025.xlsm"
    resp = client.post("/api/new-year", json={**BODY, "output": str(out), "workbook": str(book)})
    assert resp.status_code == 200, resp.text
    assert resp.json()["path"] == str(out) and resp.json()["year"] == 2025
    dumped = cli_json("dump", str(out))
    assert dumped["year"] == 2025 and len(dumped["projects"]) == 4
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" in z.namelist()  # the open workbook's macros come along


@pytest.mark.parametrize("output", ["{tmp}/declarations.xlsm", "{tmp}/foreign.xlsm", "{tmp}/a.txt", "relative.xlsm", None])
def test_new_year_refuses_outputs_it_may_not_write(client, tmp_path, output):
    import shutil

    book = tmp_path / "declarations.xlsm"
    shutil.copyfile(ROOT / "declarations.xlsm", book)
    (tmp_path / "foreign.xlsm").write_bytes(b"the user's own")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    body = {**BODY, "workbook": str(book)}
    if output:
        body["output"] = output.format(tmp=tmp_path)
    resp = client.post("/api/new-year", json=body)
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_compare_writes_the_comparison_next_to_the_workbook(client, tmp_path):
    import shutil

    book = tmp_path / "declarations.xlsm"
    shutil.copyfile(ROOT / "declarations.xlsm", book)
    (tmp_path / "对比上年-declarations.xlsx").write_bytes(b"an earlier one: kept")
    resp = client.post("/api/compare", json={**BODY, "paths": [str(SEED_TSV)], "workbook": str(book)})
    assert resp.status_code == 200, resp.text
    out = Path(resp.json()["path"])
    assert out == tmp_path / "对比上年-declarations(2).xlsx"
    assert out.read_bytes()[:2] == b"PK"
    assert (tmp_path / "对比上年-declarations.xlsx").read_bytes() == b"an earlier one: kept"
    assert resp.json()["summary"]


@pytest.mark.parametrize("name", ["长" * 83 + ".xlsm", "long" * 60 + ".xlsx"], ids=["83-chinese-characters", "240-letters"])
def test_compare_next_to_a_workbook_with_a_long_name_gets_a_name_the_folder_can_hold(client, tmp_path, name):
    """对比上年-<name>.xlsx of a workbook named with 83 Chinese characters (254 bytes: a legal name) was past 255
    bytes: «内部错误» (500, OSError ENAMETOOLONG) before session 7; its name is shortened."""
    import shutil

    book = tmp_path / name
    shutil.copyfile(ROOT / "declarations.xlsm", book)
    resp = client.post("/api/compare", json={**BODY, "paths": [str(SEED_TSV)], "workbook": str(book)})
    assert resp.status_code == 200, resp.text
    out = Path(resp.json()["path"])
    assert out.parent == tmp_path and out.is_file() and out.name.startswith("对比上年-" + name[:20])
    assert len(os.fsencode(out.name)) <= 200


_ODD_PATHS = {
    "name-of-300-letters": "{tmp}/" + "a" * 300 + ".xlsx",
    "name-of-100-chinese-characters": "{tmp}/" + "长" * 100 + ".xlsx",
    "path-of-6000-characters": "{tmp}/" + "a/" * 3000 + "x.xlsx",
    "nul": "{tmp}/a\x00b.xlsx",
}


@pytest.mark.parametrize("what", list(_ODD_PATHS))
@pytest.mark.parametrize(
    "path,key",
    [("/api/import", "paths"), ("/api/compare", "paths"), ("/api/consolidate", "output"), ("/api/pdf", "output"),
     ("/api/new-year", "output"), ("/api/compare", "workbook"), ("/api/new-year", "workbook")],
    ids=["import-paths", "compare-paths", "consolidate-output", "pdf-output", "new-year-output", "compare-workbook", "new-year-workbook"],
)
def test_a_path_no_file_system_can_hold_is_refused_or_ignored_never_an_internal_error(client, tmp_path, path, key, what):
    """A name past 255 bytes or a path past 4,096 (stat raises ENAMETOOLONG), a NUL: until session 7 each path field
    answered 500 «内部错误» for the first two, and an output with a NUL too. A chosen file or output is refused (4xx, the
    Chinese message); an open workbook's path that cannot be a file is an unsaved workbook's (nothing to protect)."""
    odd = _ODD_PATHS[what].format(tmp=tmp_path)
    body = {**BODY, key: [odd] if key == "paths" else odd}
    if key == "workbook":
        body.update(paths=[str(SEED_TSV)], output=str(tmp_path / "next.xlsm"))
    resp = client.post(path, json=body)
    _no_traceback(resp)
    if key == "workbook" and resp.status_code == 200:  # (a path past the field's 4,096 characters is refused)
        assert what != "path-of-6000-characters"
    else:
        assert 400 <= resp.status_code < 500, resp.text
        assert "处理办法" in resp.json()["message"]
    assert not any(p.name.startswith("a") for p in tmp_path.iterdir())


def test_compare_of_an_unsaved_workbook_goes_to_the_services_own_folder(client):
    resp = client.post("/api/compare", json={**BODY, "paths": [str(SEED_TSV)], "workbook": "工作簿1"})
    assert resp.status_code == 200, resp.text
    out = Path(resp.json()["path"])
    assert out.is_file() and out.parent.name.startswith("xlt-sheets-")
    assert not (ROOT / out.name).exists()


def test_the_sheets_own_check_formulas_computed_by_wps_change_no_finding(client):
    """Value2 in WPS gives the in-sheet check formulas' results (declarations.xlsm stores none): same findings."""
    from openpyxl import load_workbook

    book = load_workbook(ROOT / "declarations.xlsm")
    sheets = []
    formulas = 0
    for sheet in BODY["sheets"]:
        values = [list(row) for row in sheet["values"]]
        for row in book[sheet["name"]].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    r, c = cell.row - 1, cell.column - 1
                    values += [[] for _ in range(r + 1 - len(values))]
                    values[r] += [None] * (c + 1 - len(values[r]))
                    values[r][c] = "✗ 本表有 2 处问题，见 G 列" if r == 0 else "✗ 年度资金申请总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金（差 1.00 元）"
                    formulas += 1
        width = max(len(r) for r in values)
        sheets.append({"name": sheet["name"], "values": [r + [None] * (width - len(r)) for r in values]})
    assert formulas > 40
    computed = client.post("/api/check", json={**BODY, "sheets": sheets})
    assert computed.status_code == 200, computed.text
    assert computed.json()["findings"] == client.post("/api/check", json=BODY).json()["findings"]


def test_a_file_that_kills_the_reader_process_leaves_the_next_request_served(client, tmp_path):
    """Tried, held: an uploaded bomb kills the service's reader process (its memory cap); the answer names the
    file, and the next request (a good file, another bomb, then a good one) gets a fresh reader process."""
    from corpus.make_corpus import build

    build(tmp_path, ["sparse-bomb.xlsx", "clean.xlsx"])
    for name in ["sparse-bomb.xlsx", "clean.xlsx", "sparse-bomb.xlsx", "clean.xlsx"]:
        resp = client.post("/api/check", json=_upload(tmp_path / name))
        if name == "clean.xlsx":
            assert resp.status_code == 200 and resp.json()["projects"], resp.text
        else:
            assert resp.status_code == 400 and "读取时所需内存超过" in resp.json()["error"], resp.text
        _no_traceback(resp)
