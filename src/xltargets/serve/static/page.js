/*
 * The browser page of xltargets serve: drop files, see the findings grouped by project,
 * download the 汇总表 (and its PDF). No external resources: it works without internet.
 *
 * The token comes in the address xltargets serve prints (http://127.0.0.1:PORT/#token=...);
 * it is kept in sessionStorage and taken out of the address bar.
 */
(function () {
  "use strict";

  var LABELS = { error: "错误", warning: "警告" };
  var files = [];
  var health = null;

  function token() {
    var m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem("xltargets-token", m[1]);
      history.replaceState(null, "", location.pathname);
    }
    return sessionStorage.getItem("xltargets-token") || "";
  }

  function $(id) { return document.getElementById(id); }

  function show(text, info) {
    var box = $("message");
    box.textContent = text;
    box.className = info ? "message info" : "message";
    box.hidden = !text;
  }

  async function api(path, body) {
    var init = { method: body === undefined ? "GET" : "POST", headers: { Authorization: "Bearer " + token() } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var resp;
    try {
      resp = await fetch(path, init);
    } catch (e) {
      throw new Error("无法连接 xltargets 本地服务。请确认运行 xltargets serve 的命令行窗口仍然开着，然后刷新本页面。");
    }
    if (!resp.ok) {
      var data = {};
      try { data = await resp.json(); } catch (e2) { data = {}; }
      if (resp.status === 401) throw new Error("访问令牌缺失或已失效：请用 xltargets serve 打印的完整地址（含 #token=…）重新打开本页面。");
      throw new Error(data.message || data.error || "服务返回错误（HTTP " + resp.status + "）。");
    }
    return resp;
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve({ name: file.name, data: String(reader.result).split(",", 2)[1] || "" }); };
      reader.onerror = function () { reject(new Error("无法读取文件“" + file.name + "”。")); };
      reader.readAsDataURL(file);
    });
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function render(answer) {
    $("summary").textContent = answer.findings.length
      ? "共 " + answer.findings.length + " 个问题：错误 " + answer.errors + " 条，警告 " + answer.warnings + " 条。"
      : "未发现问题。";
    var groups = {};
    var order = [];
    (answer.projects || []).forEach(function (p) { if (!groups[p]) { groups[p] = []; order.push(p); } });
    answer.findings.forEach(function (f) {
      var key = f.project || "（整个文件）";
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(f);
    });
    var root = $("projects");
    root.textContent = "";
    order.forEach(function (name) {
      var h = document.createElement("h2");
      h.textContent = name;
      root.appendChild(h);
      var items = groups[name];
      if (!items.length) {
        var p = document.createElement("p");
        p.className = "ok";
        p.textContent = "✓ 未发现问题";
        root.appendChild(p);
        return;
      }
      var table = document.createElement("table");
      var head = document.createElement("tr");
      ["级别", "规则", "位置", "问题与修改方法"].forEach(function (t) { var th = document.createElement("th"); th.textContent = t; head.appendChild(th); });
      table.appendChild(head);
      items.forEach(function (f) {
        var tr = document.createElement("tr");
        tr.className = f.severity;
        cell(tr, LABELS[f.severity] || f.severity, "level");
        cell(tr, f.code, "code");
        cell(tr, f.sheet && f.cell ? f.sheet + "!" + f.cell : f.cell || f.sheet || "", "where");
        cell(tr, f.message, "fix");
        table.appendChild(tr);
      });
      root.appendChild(table);
    });
    $("result").hidden = false;
  }

  /** The service's limits (xltargets LIMITS["file_bytes"]; a request body of 140 MB holds 100 MB as base64; a test keeps them). */
  var MAX_FILE_MB = 100;
  var MAX_FILES = 1000;

  function mb(bytes) { return (bytes / 1048576).toFixed(1); }

  /** Why *list* cannot be sent, before a byte of it is read into the page ("" when it can). */
  function tooLarge(list) {
    var limit = MAX_FILE_MB * 1048576, total = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i].size > limit) {
        return "文件“" + list[i].name + "”有 " + mb(list[i].size) + " MB，超过每个文件 " + MAX_FILE_MB + " MB 的上限，未上传。请拆分后分别拖入。";
      }
      total += list[i].size;
    }
    if (list.length > MAX_FILES) return "一次选了 " + list.length + " 个文件，超过 " + MAX_FILES + " 个的上限，未上传。请分几次拖入。";
    if (total > limit) {
      return "所选的 " + list.length + " 个文件共 " + mb(total) + " MB，超过一次 " + MAX_FILE_MB + " MB 的上限，未上传。请分几次拖入。";
    }
    return "";
  }

  async function check(list) {
    files = [];
    var refused = tooLarge(list);
    if (refused) {
      $("result").hidden = true;
      show(refused);
      return;
    }
    show("正在读取和校验 " + list.length + " 个文件……", true);
    $("chosen").textContent = list.map(function (f) { return f.name; }).join("、");
    try {
      files = await Promise.all(list.map(readFile));
      var answer = await (await api("/api/check", { files: files })).json();
      render(answer);
      show("");
    } catch (e) {
      $("result").hidden = true;
      show(e.message);
    }
  }

  async function download(path, name, button) {
    if (!files.length) return;
    button.disabled = true;
    show("正在生成“" + name + "”……", true);
    try {
      var body = { files: files };
      var title = $("title").value.trim();
      if (title) body.title = title;
      var blob = await (await api(path, body)).blob();
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      show("已生成“" + name + "”，请在浏览器的下载列表中查看。", true);
    } catch (e) {
      show(e.message);
    } finally {
      button.disabled = false;
      if (path === "/api/pdf" && health && !health.pdf) button.disabled = true;
    }
  }

  function init() {
    var drop = $("drop");
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      var list = Array.prototype.slice.call(e.dataTransfer.files || []);
      if (list.length) check(list);
    });
    $("files").addEventListener("change", function (e) {
      var list = Array.prototype.slice.call(e.target.files || []);
      if (list.length) check(list);
      e.target.value = "";
    });
    $("download-xlsx").addEventListener("click", function (e) { download("/api/consolidate", "汇总表.xlsx", e.target); });
    $("download-pdf").addEventListener("click", function (e) { download("/api/pdf", "汇总表.pdf", e.target); });
    if (!token()) show("本页面需要访问令牌：请用 xltargets serve 在命令行打印的完整地址（http://127.0.0.1:端口/#token=…）打开。");
    api("/api/health").then(function (r) { return r.json(); }).then(function (h) {
      health = h;
      $("version").textContent = h.version;
      if (!h.pdf) { $("download-pdf").disabled = true; $("pdf-note").hidden = false; }
    }).catch(function (e) { show(e.message); });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
