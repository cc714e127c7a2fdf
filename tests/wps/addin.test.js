// The WPS add-in's ribbon callbacks against a fake ET Application and a fake service.
// Run: node --test tests/wps/addin.test.js   (pytest runs it too: tests/test_wps_addin.py)
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ADDIN = path.join(__dirname, "..", "..", "addin", "wps");
const FakeWps = require("./fake_wps.js");
const XltMain = require(path.join(ADDIN, "main.js"));
const XltMarks = require(path.join(ADDIN, "js", "marks.js"));
const load = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, name), "utf8"));
const SEED = load("seed_workbook.json");
const BODY = load("seed_body.json");
const CHECK = load("seed_check.json");
const TOKEN = "t".repeat(43);
const VERSION = require(path.join(ADDIN, "js", "service.js")).ADDIN_VERSION;

/** A fake service: answers by path, records every request. */
function fakeService(routes) {
  const requests = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const req = { url, path: u.pathname, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined };
    requests.push(req);
    const route = routes[u.pathname];
    if (route === "down") throw new TypeError("Failed to fetch");
    if (route === "silent") return new Promise(() => {}); // accepts the connection, never answers
    const [status, data] = typeof route === "function" ? route(req) : route || [404, { error: "no" }];
    // a body that is not JSON (another program's web page): json() rejects, as a browser's does
    const json = async () => { if (typeof data === "string") throw new SyntaxError(`Unexpected token '<', "${data.slice(0, 20)}"... is not valid JSON`); return data; };
    return { ok: status < 400, status, json };
  };
  return { fetch, requests };
}

function setup({ routes = {}, answers = {}, data = SEED, env = {} } = {}) {
  const app = new FakeWps.Application(JSON.parse(JSON.stringify(data)), answers);
  const service = fakeService({ "/api/health": [200, { version: VERSION, pdf: true }], ...routes });
  const alerts = [];
  XltMain.setEnv({ app, fetch: service.fetch, alert: (t) => alerts.push(t), config: { port: 47211, token: TOKEN }, ...env });
  return { app, book: app.ActiveWorkbook, service, alerts };
}

const ERROR_FILL = XltMarks.bgr("#ffc7ce");
const WARNING_FILL = XltMarks.bgr("#ffeb9c");

test("ribbon callbacks exist for every button", () => {
  for (const name of ["OnAddinLoad", "XltNewProject", "XltImport", "XltValidate", "XltConsolidate", "XltExportPdf", "XltNewYear", "XltCompareLastYear", "XltHelp"]) {
    assert.equal(typeof XltMain.callbacks[name], "function", name);
  }
});

test("校验 reads each visible sheet from A1 to its used range's end, and no other", async () => {
  const { app } = setup({ routes: { "/api/check": [200, CHECK] } });
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" });
  const reads = app.log.filter((e) => e.op === "read" && e.what === "Value2").map((e) => e.where);
  const expected = BODY.sheets.map((s) => `${s.name}!A1:${FakeWps.ref(s.values.length, Math.max(...s.values.map((r) => r.length)))}`);
  // the first reads are the sheets, in order; later ones are the add-in's own record (none exists yet)
  assert.deepEqual(reads.slice(0, expected.length), expected);
  assert.ok(!reads.some((w) => w.startsWith("下拉列表!")), "the hidden list sheet is not read");
  // only the numbers of date-formatted cells had their format looked at
  const formats = app.log.filter((e) => e.op === "format").map((e) => e.where);
  assert.ok(formats.includes("生殖健康咨询服务!B5") && formats.includes("生殖健康咨询服务!E6"));
  assert.ok(formats.every((w) => !w.endsWith("!A1")), "text cells need no format");
});

test("校验 posts the seed's used ranges with the token, dates as text", async () => {
  const { service } = setup({ routes: { "/api/check": [200, CHECK] } });
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" });
  assert.deepEqual(service.requests.map((r) => `${r.method} ${r.path}`), ["GET /api/health", "POST /api/check"]);
  const post = service.requests[1];
  assert.equal(post.url, "http://127.0.0.1:47211/api/check");
  assert.equal(post.headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(post.headers["Content-Type"], "application/json");
  assert.deepEqual(post.body, BODY);
  assert.equal(post.body.sheets[1].values[4][1], "2024-01-01");
  assert.equal(service.requests[0].headers.Authorization, undefined, "health carries no token");
});

test("校验 marks each finding's cell with a fill and a comment, errors over warnings", async () => {
  const { book, app } = setup({ routes: { "/api/check": [200, CHECK] } });
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" });
  // the seed: an error and a warning on 生殖健康咨询服务!A12, three warnings on
  // 家庭健康促进及优生优育服务!D11, one on 计生特殊家庭帮扶及权益维护!E18
  const byCell = {};
  for (const f of CHECK.findings) (byCell[`${f.sheet}!${f.cell}`] ||= []).push(f);
  assert.equal(CHECK.findings.length, 6);
  assert.deepEqual(Object.keys(byCell), ["生殖健康咨询服务!A12", "家庭健康促进及优生优育服务!D11", "计生特殊家庭帮扶及权益维护!E18"]);
  for (const [where, items] of Object.entries(byCell)) {
    const [sheet, cell] = where.split("!");
    const state = book.sheet(sheet).cellState(cell);
    const error = items.some((f) => f.severity === "error");
    assert.equal(state.fill, error ? ERROR_FILL : WARNING_FILL, where);
    const lines = items.map((f) => `${f.severity === "error" ? "错误" : "警告"} ${f.code}：${f.message}`);
    assert.equal(state.comment, ["xltargets 校验：", ...lines].join("\n"), where);
  }
  const a12 = book.sheet("生殖健康咨询服务").cellState("A12");
  assert.match(a12.comment, /错误 XLT-E007/);
  assert.match(a12.comment, /警告 XLT-W009/);
  assert.equal(app.log.filter((e) => e.op === "comment.add").length, 3);
  assert.equal(app.StatusBar, CHECK.summary);
});

test("校验 fills the 校验结果 sheet with a linked row per finding, and activates it", async () => {
  const { book, app } = setup({ routes: { "/api/check": [200, CHECK] } });
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" });
  const results = book.sheet("校验结果");
  assert.equal(results.cellState("A1").value, CHECK.summary);
  assert.deepEqual(["A2", "B2", "C2", "D2", "E2", "F2"].map((c) => results.cellState(c).value), ["序号", "级别", "规则", "项目", "位置", "问题与修改方法"]);
  CHECK.findings.forEach((f, i) => {
    const r = i + 3;
    assert.equal(results.cellState(`A${r}`).value, i + 1);
    assert.equal(results.cellState(`B${r}`).value, f.severity === "error" ? "错误" : "警告");
    assert.equal(results.cellState(`C${r}`).value, f.code);
    assert.equal(results.cellState(`D${r}`).value, f.project);
    assert.equal(results.cellState(`E${r}`).formula, `=HYPERLINK("#'${f.sheet}'!${f.cell}","${f.sheet}!${f.cell}")`);
    assert.equal(results.cellState(`F${r}`).value, f.message);
  });
  assert.equal(results.cellState(`A${CHECK.findings.length + 3}`).value, undefined);
  const activated = app.log.filter((e) => e.op === "activate").map((e) => e.where);
  assert.deepEqual(activated, ["校验结果"]);
  const record = book.sheet("_xlt_marks");
  assert.equal(record.Visible, 0, "the marks record is hidden");
  assert.equal(record.cellState("A2").value, "生殖健康咨询服务");
  assert.equal(record.cellState("B2").value, "A12");
  assert.equal(record.cellState("E2").value, "error");
});

test("a second 校验 takes off marks that no longer apply and keeps the user's fill and comment", async () => {
  const { book } = setup({ routes: { "/api/check": [200, CHECK] } });
  const sheet = book.sheet("家庭健康促进及优生优育服务");
  const userFill = 0x00ff00;
  sheet.Range("D11").Interior.Color = userFill; // the user's own colour on a cell that will be marked
  const other = book.sheet("计生特殊家庭帮扶及权益维护");
  const warned = CHECK.findings.find((f) => f.sheet === other.Name);
  other.Range(warned.cell).AddComment("我的批注"); // the user's own comment on a cell that will be marked
  await XltMain.callbacks.XltValidate({});
  assert.equal(sheet.cellState("D11").fill, WARNING_FILL);
  assert.equal(other.cellState(warned.cell).comment, "我的批注", "a user's comment is kept");
  // the next run finds nothing: every mark comes off
  const empty = { findings: [], errors: 0, warnings: 0, summary: "xltargets 校验完成：未发现问题。" };
  const again = fakeService({ "/api/health": [200, { version: VERSION }], "/api/check": [200, empty] });
  XltMain.setEnv({ app: book._app, fetch: again.fetch, alert: () => {}, config: { token: TOKEN } });
  await XltMain.callbacks.XltValidate({});
  assert.equal(sheet.cellState("D11").fill, userFill, "the user's fill comes back");
  assert.equal(sheet.cellState("D11").comment, null, "our comment is gone");
  assert.equal(other.cellState(warned.cell).comment, "我的批注");
  for (const f of CHECK.findings) {
    const s = book.sheet(f.sheet).cellState(f.cell);
    if (!(f.sheet === sheet.Name && f.cell === "D11")) assert.equal(s.fill, null, `${f.sheet}!${f.cell}`);
  }
  assert.equal(book.sheet("校验结果").cellState("A1").value, empty.summary);
  assert.equal(book.sheet("校验结果").cellState("A3").value, undefined);
});

test("when the service is not running, 校验 says how to start it and writes nothing", async () => {
  const { app, alerts } = setup({ routes: { "/api/health": "down" } });
  const result = await XltMain.callbacks.XltValidate({});
  assert.equal(result, null);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0], /未连接到 xltargets 本地服务/);
  assert.match(alerts[0], /xltargets serve/);
  assert.ok(!app.log.some((e) => e.op === "write" || e.op === "fill" || e.op === "comment.add"));
});

test("a service of another version is refused with the command to update", async () => {
  const { alerts, service } = setup({ routes: { "/api/health": [200, { version: "0.0.1" }] } });
  await XltMain.callbacks.XltValidate({});
  assert.match(alerts[0], /版本是 0\.0\.1/);
  assert.match(alerts[0], /pip install -U xltargets/);
  assert.equal(service.requests.length, 1, "nothing is posted");
});

// session 8's attack pass: another program on the service's port, or a service that accepts and never answers
for (const [what, health] of [
  ["a web page", [200, "<!DOCTYPE html><html><body>It works!</body></html>"]],
  ["JSON without a version", [200, { status: "ok" }]],
  ["a 404 page", [404, "<html>Not Found</html>"]],
]) {
  test(`another program answering on the port (${what}) is named, with the port and the fix`, async () => {
    const { app, alerts, service } = setup({ routes: { "/api/health": health } });
    assert.equal(await XltMain.callbacks.XltValidate({}), null);
    assert.equal(alerts.length, 1);
    assert.match(alerts[0], /端口 47211 上回应的不是 xltargets 本地服务/);
    assert.match(alerts[0], /xltargets serve --port/);
    assert.match(alerts[0], /xltargets wps install --port/);
    assert.doesNotMatch(alerts[0], /Unexpected token|undefined|加载项出错/);
    assert.equal(service.requests.length, 1, "nothing is posted to it");
    assert.ok(!app.log.some((e) => e.op === "write" || e.op === "fill" || e.op === "comment.add"));
  });
}

test("a service that never answers its health check is named after the time limit, nothing posted", async () => {
  const { alerts, service } = setup({ routes: { "/api/health": "silent" }, env: { healthSeconds: 0.05 } });
  const started = Date.now();
  assert.equal(await XltMain.callbacks.XltValidate({}), null);
  assert.ok(Date.now() - started < 5000);
  assert.match(alerts[0], /xltargets 本地服务.*0\.05 秒内没有响应/);
  assert.match(alerts[0], /重新启动 xltargets serve/);
  assert.equal(service.requests.length, 1);
});

// session 8's attack pass: a used range to XFD1048576 asked ET for 17 billion values (the fake refuses past 5 million)
test("校验 of a sheet whose used range is past the limits says so before ET is asked for a value", async () => {
  const { app, book, alerts, service } = setup({ routes: { "/api/check": [200, CHECK] } });
  const sheet = book.Worksheets.Item(2);
  sheet._cell(1048576, 16384, true).value = "x"; // a stray value far away
  assert.equal(await XltMain.callbacks.XltValidate({}), null);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0], new RegExp(`工作表“${sheet.Name}”数据区域至少有 1,048,576 行 × 16,384 列`));
  assert.match(alerts[0], /Ctrl\+End/);
  assert.ok(!app.log.some((e) => e.op === "read" && e.what === "Value2"), "no sheet was read");
  assert.ok(!app.log.some((e) => e.op === "write" || e.op === "fill" || e.op === "comment.add"));
  assert.deepEqual(service.requests.map((r) => r.path), ["/api/health"]);
});

test("校验 of sheets past a file's cells in all says so before any is read", async () => {
  const { app, book, alerts } = setup({ routes: { "/api/check": [200, CHECK] } });
  for (let i = 1; i <= book.Worksheets.Count; i++) book.Worksheets.Item(i)._cell(100000, 10, true).value = "x";
  assert.equal(await XltMain.callbacks.XltValidate({}), null);
  assert.match(alerts[0], /个单元格，超出每个文件 2,000,000 个的上限/);
  assert.ok(!app.log.some((e) => e.op === "read" && e.what === "Value2"));
});

test("a huge record of marks (a crafted hidden sheet) is forgotten, not read", async () => {
  const { app, book, alerts } = setup({ routes: { "/api/check": [200, CHECK] } });
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" }); // writes the record
  const record = book.Worksheets.Item(XltMarks.MARKS_SHEET || "_xlt_marks");
  record._cell(1048576, 16384, true).value = "x";
  await XltMain.callbacks.XltValidate({ Id: "xltValidate" });
  assert.deepEqual(alerts, []);
  assert.ok(!app.log.some((e) => e.op === "read" && e.where.startsWith("_xlt_marks!") && e.where.endsWith("XFD1048576")));
});

test("a refused token names the command that updates the add-in", async () => {
  const { alerts } = setup({ routes: { "/api/check": [401, { error: "拒绝访问" }] } });
  await XltMain.callbacks.XltValidate({});
  assert.match(alerts[0], /xltargets wps install/);
});

test("the service's Chinese message is shown as it is", async () => {
  const message = "错误：当前工作簿中没有找到申报表（没有“项目名称”栏）。";
  const { alerts } = setup({ routes: { "/api/check": [400, { error: "x", message }] } });
  await XltMain.callbacks.XltValidate({});
  assert.equal(alerts[0], message);
});

test("新建项目 asks for the name, posts it with the sheet names, adds the sheet", async () => {
  const sheet = { name: "新项目", values: [["财政项目支出绩效目标申报表", null], ["项目名称", "新项目"], [null, "=IF(B2=\"\",\"空\",\"\")"]] };
  const { book, service } = setup({ answers: { input: "新项目" }, routes: { "/api/new-project": [200, { sheets: [sheet] }] } });
  const names = await XltMain.callbacks.XltNewProject({});
  assert.deepEqual(names, ["新项目"]);
  assert.deepEqual(service.requests[1].body, { name: "新项目", taken: SEED.sheets.map((s) => s.name) });
  const added = book.sheet("新项目");
  assert.equal(added.cellState("B2").value, "新项目");
  assert.equal(added.cellState("B3").formula, sheet.values[2][1]);
  assert.equal(book.Worksheets.Item(book.Worksheets.Count).Name, "新项目");
});

test("新建项目 cancelled: no request", async () => {
  const { service } = setup({ answers: { input: false } });
  assert.equal(await XltMain.callbacks.XltNewProject({}), null);
  assert.equal(service.requests.length, 0);
});

test("导入 posts the chosen paths and adds the returned sheets", async () => {
  const sheets = [{ name: "甲", values: [["项目名称", "甲"]] }, { name: "乙", values: [["项目名称", "乙"]] }];
  const { book, service, app } = setup({
    answers: { open: ["/home/staff/2023.xlsx", "/home/staff/b.tsv"] },
    routes: { "/api/import": [200, { sheets, findings: [{ code: "XLT-W104", message: "单元格中的 HTML 标记已去掉。" }] }] },
  });
  assert.deepEqual(await XltMain.callbacks.XltImport({}), ["甲", "乙"]);
  assert.deepEqual(service.requests[1].body, { paths: ["/home/staff/2023.xlsx", "/home/staff/b.tsv"], taken: SEED.sheets.map((s) => s.name) });
  assert.equal(book.sheet("乙").cellState("B1").value, "乙");
  assert.equal(app.StatusBar, "已导入 2 个项目；导入时有 1 条提示：单元格中的 HTML 标记已去掉。");
});

test("生成汇总表 proposes a file beside the workbook, posts the sheets and the choice, opens the result", async () => {
  const out = "/home/staff/申报/汇总表.xlsx";
  const { app, service } = setup({ answers: { save: out }, routes: { "/api/consolidate": [200, { path: out }] } });
  assert.equal(await XltMain.callbacks.XltConsolidate({}), out);
  const ask = app.log.find((e) => e.op === "GetSaveAsFilename");
  assert.equal(ask.initial, "/home/staff/申报/汇总表.xlsx");
  assert.deepEqual(service.requests[1].body, { ...BODY, output: out });
  assert.deepEqual(app.opened, [out]);
});

test("导出PDF posts to /api/pdf; without LibreOffice it says so", async () => {
  const out = "/home/staff/申报/汇总表.pdf";
  const ok = setup({ answers: { save: out }, routes: { "/api/pdf": [200, { path: out }] } });
  assert.equal(await XltMain.callbacks.XltExportPdf({}), out);
  assert.deepEqual(ok.service.requests[1].body, { ...BODY, output: out });
  const none = setup({ answers: { save: out }, routes: { "/api/health": [200, { version: VERSION, pdf: false }] } });
  assert.equal(await XltMain.callbacks.XltExportPdf({}), null);
  assert.match(none.alerts[0], /LibreOffice/);
});

test("帮助 shows what the buttons do and the service's state", async () => {
  const { alerts } = setup();
  await XltMain.callbacks.XltHelp({});
  assert.match(alerts[0], /新建项目：/);
  assert.match(alerts[0], /本地服务：已连接/);
  const down = setup({ routes: { "/api/health": "down" } });
  await XltMain.callbacks.XltHelp({});
  assert.match(down.alerts[0], /xltargets serve/);
});

test("新建项目 copies the rendered sheet with its formats from the service's workbook", async () => {
  const values = [["财政项目支出绩效目标申报表"], ["项目名称", "新项目"]];
  const rendered = { name: "xltargets-projects.xlsx", sheets: [{ name: "新项目", visible: true, values, formats: { B2: "@" } }] };
  const path = "/tmp/xlt-sheets-1/xltargets-projects.xlsx";
  const { book, app } = setup({
    answers: { input: "新项目", books: { [path]: rendered } },
    routes: { "/api/new-project": [200, { sheets: [{ name: "新项目", values }], workbook: path }] },
  });
  assert.deepEqual(await XltMain.callbacks.XltNewProject({}), ["新项目"]);
  const copy = app.log.find((e) => e.op === "sheet.copy");
  assert.deepEqual(copy, { op: "sheet.copy", where: "新项目", from: "xltargets-projects.xlsx", to: SEED.name });
  assert.equal(app.log.find((e) => e.op === "Workbooks.Open").alerts, false, "alerts are off while copying");
  assert.equal(app.DisplayAlerts, true, "and back on afterwards");
  assert.ok(app.log.some((e) => e.op === "Workbook.Close" && e.save === false));
  const added = book.sheet("新项目");
  assert.equal(book.Worksheets.Item(book.Worksheets.Count), added);
  assert.equal(added.cellState("B2").value, "新项目");
  assert.equal(added.Range("B2").NumberFormat, "@", "formats come with the copy");
  assert.ok(!app.log.some((e) => e.op === "write" && e.where.startsWith("新项目!")), "no values written over the copy");
});

test("导入 falls back to writing values when WPS cannot open the rendered workbook", async () => {
  const path = "/tmp/xlt-sheets-2/xltargets-projects.xlsx";
  const sheets = [{ name: "甲", values: [["项目名称", "甲"]] }];
  const { book, app } = setup({
    answers: { open: ["/home/staff/a.xlsx"], books: { [path]: "fail" } },
    routes: { "/api/import": [200, { sheets, workbook: path, findings: [] }] },
  });
  assert.deepEqual(await XltMain.callbacks.XltImport({}), ["甲"]);
  assert.equal(book.sheet("甲").cellState("B1").value, "甲");
  assert.equal(app.DisplayAlerts, true);
});

test("新年度 posts the sheets, the chosen output and the workbook's own path, then opens the new workbook", async () => {
  const out = "/home/staff/申报/2025.xlsm";
  const { app, service } = setup({
    answers: { save: out },
    routes: { "/api/new-year": [200, { path: out, year: 2025, findings: [{ message: "项目甲的计划日期跨年，未改动。" }] }] },
  });
  assert.equal(await XltMain.callbacks.XltNewYear({}), out);
  assert.equal(app.log.find((e) => e.op === "GetSaveAsFilename").initial, "/home/staff/申报/新年度申报表.xlsm");
  assert.deepEqual(service.requests[1].body, { ...BODY, output: out, workbook: "/home/staff/申报/declarations.xlsm" });
  assert.deepEqual(app.opened, [out]);
  assert.match(app.StatusBar, /已生成 2025 年度申报工作簿.*1 条提示：项目甲的计划日期跨年/);
});

test("对比上年 posts last year's chosen files with the sheets, opens the 对比 workbook", async () => {
  const out = "/home/staff/申报/对比上年-declarations.xlsx";
  const { app, service } = setup({
    answers: { open: ["/home/staff/2023汇总表.pdf"] },
    routes: { "/api/compare": [200, { path: out, summary: "共有变化：新增项目 1 处。" }] },
  });
  assert.equal(await XltMain.callbacks.XltCompareLastYear({}), out);
  assert.deepEqual(service.requests[1].body, { ...BODY, paths: ["/home/staff/2023汇总表.pdf"], workbook: "/home/staff/申报/declarations.xlsm" });
  assert.deepEqual(app.opened, [out]);
  assert.equal(app.StatusBar, "对比上年：共有变化：新增项目 1 处。（“" + out + "”）");
});
