/*
 * The ribbon callbacks of the xltargets WPS add-in (ribbon.xml names each one).
 *
 * Each button reads the workbook through the ET object model, calls one endpoint of the
 * local service (xltargets serve) and writes the result back, as the Excel add-in's
 * ribbon actions do (src/xltargets/excel/actions.py). Errors are shown in Chinese,
 * never thrown at WPS. Every callback returns a Promise (the tests wait for it).
 *
 * The environment (the ET Application, fetch, alert) comes from the globals WPS gives;
 * tests replace it with XltMain.setEnv({...}).
 */
var XltService = typeof XltService !== "undefined" ? XltService : require("./js/service.js");
var XltSheets = typeof XltSheets !== "undefined" ? XltSheets : require("./js/sheets.js");
var XltMarks = typeof XltMarks !== "undefined" ? XltMarks : require("./js/marks.js");
var XltResults = typeof XltResults !== "undefined" ? XltResults : require("./js/results.js");

var XLT_HELP_TEXT =
  "xltargets：财政项目支出绩效目标申报表\n\n" +
  "新建项目：按模板新建一张项目工作表。\n" +
  "导入：把已有的汇总表或申报表导入为项目工作表。\n" +
  "校验：检查所有项目工作表，问题单元格标色并加批注，结果见“校验结果”工作表。\n" +
  "生成汇总表：把所有项目合成汇总表工作簿，保存并打开。\n" +
  "导出PDF：把汇总表导出为 PDF（需要安装 LibreOffice）。\n" +
  "新年度：由本工作簿生成下一年度的申报工作簿（资金清空，指标保留）。\n" +
  "对比上年：选择上年的汇总表、申报表或 PDF，生成“对比”工作簿。\n\n" +
  "这些按钮需要本机运行 xltargets 本地服务：在命令行运行 xltargets serve。\n" +
  "详细说明见 xltargets 的 docs/wps.md。";

var XLT_OPEN_FILTER = "汇总表或申报表 (*.xlsx;*.xlsm;*.xls;*.et;*.ods;*.tsv;*.txt;*.csv;*.pdf),*.xlsx;*.xlsm;*.xls;*.et;*.ods;*.tsv;*.txt;*.csv;*.pdf";

var xltEnvOverride = null;
var xltRibbon = null;

function xltEnv() {
  if (xltEnvOverride) return xltEnvOverride;
  var root = typeof window !== "undefined" ? window : globalThis;
  var app = root.wps && root.wps.Application ? root.wps.Application : root.Application;
  return {
    app: app,
    fetch: root.fetch ? root.fetch.bind(root) : null,
    alert: function (text) { root.alert(text); },
    config: typeof XLT_CONFIG !== "undefined" ? XLT_CONFIG : null,
  };
}

function xltStatus(env, text) {
  try { env.app.StatusBar = text; } catch (e) { /* no status bar: the alert says it */ }
}

function xltBook(env) {
  var book = env.app.ActiveWorkbook;
  if (!book) throw new XltService.XltError("请先打开申报表工作簿（declarations.xlsm 或含项目工作表的工作簿）。");
  return book;
}

/** Run one button: errors become a Chinese message box, never an exception in WPS. */
async function xltRun(body) {
  var env = xltEnv();
  try {
    return await body(env);
  } catch (e) {
    var text = e && e.name === "XltError" ? e.message : "xltargets 加载项出错：" + (e && e.message ? e.message : e);
    xltStatus(env, "xltargets：" + text.split("\n")[0]);
    env.alert(text);
    return null;
  }
}

/**
 * Copy the rendered sheets, formats, dropdowns and check formulas and all, from the workbook the
 * service rendered (answer.workbook) after the last sheet of *book*, as the Excel add-in does.
 * Returns the names of the sheets copied (possibly fewer than asked, when WPS refused).
 */
function xltCopySheets(env, book, answer) {
  var copied = [];
  if (!answer.workbook || !env.app.Workbooks) return copied;
  var app = env.app;
  var alerts = app.DisplayAlerts;
  var src = null;
  try {
    app.DisplayAlerts = false; // a name both books define resolves to the book's own (the same lists)
    src = app.Workbooks.Open(answer.workbook, 0, true);
    answer.sheets.forEach(function (s) {
      src.Worksheets.Item(s.name).Copy(null, book.Worksheets.Item(book.Worksheets.Count));
      copied.push(s.name);
    });
  } catch (e) {
    /* an engine that cannot copy between books: the rest is written as values */
  } finally {
    try { if (src && src.Close) src.Close(false); } catch (e2) { /* already closed */ }
    try { app.DisplayAlerts = alerts; } catch (e3) { /* read-only */ }
  }
  return copied;
}

/** Add rendered project sheets after the last sheet (copied with formats, else their values and formulas); the first is activated. */
function xltAddSheets(env, book, answer) {
  var copied = xltCopySheets(env, book, answer);
  var names = [];
  answer.sheets.forEach(function (s) {
    if (copied.indexOf(s.name) < 0) {
      var last = book.Worksheets.Item(book.Worksheets.Count);
      var sheet = book.Worksheets.Add(null, last);
      sheet.Name = s.name;
      XltSheets.writeRows(sheet, s.values, s.values.length ? s.values[0].map(function (_, i) { return i; }) : []);
    }
    names.push(s.name);
  });
  if (names.length) XltSheets.findSheet(book, names[0]).Activate();
  return names;
}

function OnAddinLoad(ribbonUI) {
  xltRibbon = ribbonUI;
  return true;
}

/** 新建项目: ask for the project name, add its empty form from the template. */
function XltNewProject(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var name = env.app.InputBox("请输入新项目的项目名称：", "新建项目", "", undefined, undefined, undefined, undefined, 2);
    if (name === false || name === null || name === undefined || String(name).trim() === "") return null;
    await XltService.ready(env);
    var answer = await XltService.postJson(env, "/api/new-project", { name: String(name), taken: XltSheets.sheetNames(book) });
    var names = xltAddSheets(env, book, answer);
    xltStatus(env, "已新建项目工作表“" + names[0] + "”。");
    return names;
  });
}

/** 导入: pick files, add their forms as project sheets. */
function XltImport(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var picked = env.app.GetOpenFilename(XLT_OPEN_FILTER, 1, "导入汇总表或申报表", undefined, true);
    if (picked === false || picked === null || picked === undefined) return null;
    var paths = Array.isArray(picked) ? picked : [picked];
    if (!paths.length) return null;
    await XltService.ready(env);
    var answer = await XltService.postJson(env, "/api/import", { paths: paths.map(String), taken: XltSheets.sheetNames(book) });
    var names = xltAddSheets(env, book, answer);
    // the notes are about the files read (校验 of the workbook cannot show them): say them (actions.import_notes)
    var found = answer.findings || [];
    var notes = found.length
      ? "；导入时有 " + found.length + " 条提示：" + found.slice(0, 2).map(function (f) { return String(f.message || "").replace(/。$/, ""); }).join("；") +
        (found.length > 2 ? "……（共 " + found.length + " 条）" : "")
      : "";
    xltStatus(env, "已导入 " + names.length + " 个项目" + notes + "。");
    return names;
  });
}

/** 校验: post the used ranges, mark the findings' cells, write 校验结果. */
function XltValidate(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    await XltService.ready(env);
    var answer = await XltService.postJson(env, "/api/check", XltSheets.readBook(book));
    XltMarks.applyMarks(book, answer.findings);
    var sheet = XltResults.writeResults(book, answer.summary, answer.findings);
    if (answer.findings.length) sheet.Activate();
    xltStatus(env, answer.summary);
    return answer;
  });
}

function xltDefaultOutput(book, name) {
  var folder = book.Path ? String(book.Path) : "";
  if (!folder) return name;
  var sep = folder.indexOf("\\") >= 0 ? "\\" : "/";
  return folder.replace(/[\\/]$/, "") + sep + name;
}

function xltAskSave(env, book, name, filter) {
  var chosen = env.app.GetSaveAsFilename(xltDefaultOutput(book, name), filter, 1, "保存" + name);
  if (chosen === false || chosen === null || chosen === undefined || String(chosen) === "") return null;
  return String(chosen);
}

/** 生成汇总表: the 汇总表 workbook of this book's projects, saved where the user chose, then opened. */
function XltConsolidate(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var output = xltAskSave(env, book, "汇总表.xlsx", "Excel 工作簿 (*.xlsx),*.xlsx");
    if (!output) return null;
    await XltService.ready(env);
    var body = XltSheets.readBook(book);
    body.output = output;
    var answer = await XltService.postJson(env, "/api/consolidate", body);
    xltStatus(env, "已生成汇总表“" + answer.path + "”。");
    env.app.Workbooks.Open(answer.path);
    return answer.path;
  });
}

/** 导出PDF: the printed 汇总表 as PDF, saved where the user chose. */
function XltExportPdf(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var output = xltAskSave(env, book, "汇总表.pdf", "PDF 文件 (*.pdf),*.pdf");
    if (!output) return null;
    var health = await XltService.ready(env);
    if (health.pdf === false) {
      throw new XltService.XltError("导出 PDF 需要 LibreOffice，运行 xltargets 服务的电脑上没有找到它。\n\n请安装 LibreOffice 后重新启动 xltargets serve。");
    }
    var body = XltSheets.readBook(book);
    body.output = output;
    var answer = await XltService.postJson(env, "/api/pdf", body);
    xltStatus(env, "已导出 PDF“" + answer.path + "”。");
    env.alert("已导出 PDF：\n" + answer.path);
    return answer.path;
  });
}

function xltFullName(book) {
  return book.Path ? String(book.FullName) : "";
}

/** 新年度: next year's declarations workbook of this book's projects, saved where the user chose, then opened. */
function XltNewYear(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var output = xltAskSave(env, book, "新年度申报表.xlsm", "启用宏的工作簿 (*.xlsm),*.xlsm");
    if (!output) return null;
    await XltService.ready(env);
    var body = XltSheets.readBook(book);
    body.output = output;
    body.workbook = xltFullName(book);
    var answer = await XltService.postJson(env, "/api/new-year", body);
    var notes = answer.findings && answer.findings.length
      ? "；" + answer.findings.length + " 条提示：" + answer.findings.map(function (f) { return f.message; }).join("；") : "";
    xltStatus(env, "已生成 " + answer.year + " 年度申报工作簿“" + answer.path + "”，资金已清空，请重新填写" + notes + "。");
    env.app.Workbooks.Open(answer.path);
    return answer.path;
  });
}

/** 对比上年: pick last year's files; the 对比 workbook (next to this one) is written and opened. */
function XltCompareLastYear(control) {
  return xltRun(async function (env) {
    var book = xltBook(env);
    var picked = env.app.GetOpenFilename("上年的汇总表、申报表或 PDF (*.xlsx;*.xlsm;*.xls;*.et;*.pdf;*.tsv;*.csv),*.xlsx;*.xlsm;*.xls;*.et;*.pdf;*.tsv;*.csv", 1, "对比上年", undefined, true);
    if (picked === false || picked === null || picked === undefined) return null;
    var paths = (Array.isArray(picked) ? picked : [picked]).map(String);
    if (!paths.length) return null;
    await XltService.ready(env);
    var body = XltSheets.readBook(book);
    body.paths = paths;
    body.workbook = xltFullName(book);
    var answer = await XltService.postJson(env, "/api/compare", body);
    xltStatus(env, "对比上年：" + answer.summary + "（“" + answer.path + "”）");
    env.app.Workbooks.Open(answer.path);
    return answer.path;
  });
}

/** 帮助: what the buttons do, and whether the service answers. */
function XltHelp(control) {
  return xltRun(async function (env) {
    var state;
    try {
      var health = await XltService.ready(env);
      state = "本地服务：已连接（" + XltService.baseUrl(env) + "/，版本 " + health.version + "）。";
    } catch (e) {
      state = "本地服务：" + e.message;
    }
    env.alert(XLT_HELP_TEXT + "\n\n" + state);
    return state;
  });
}

var XltMain = {
  setEnv: function (env) { xltEnvOverride = env; },
  callbacks: { OnAddinLoad: OnAddinLoad, XltNewProject: XltNewProject, XltImport: XltImport, XltValidate: XltValidate,
    XltConsolidate: XltConsolidate, XltExportPdf: XltExportPdf, XltNewYear: XltNewYear,
    XltCompareLastYear: XltCompareLastYear, XltHelp: XltHelp },
  HELP_TEXT: XLT_HELP_TEXT,
};
if (typeof module === "object" && module.exports) module.exports = XltMain;
