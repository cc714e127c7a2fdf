/*
 * A fake WPS/ET Application for the add-in's tests (node --test and headless Chromium).
 *
 * It implements the part of the ET object model the add-in uses (Workbook, Worksheets,
 * Worksheet, Range with Value2/Formula/Interior/Comment/NumberFormat, InputBox,
 * GetOpenFilename, GetSaveAsFilename, Workbooks.Open, StatusBar) over plain cell maps,
 * and records every call that reads or writes cells in `log`, so a test can say which
 * ranges a button read and what it wrote.
 */
var FakeWps = (function () {
  "use strict";

  var XL_NONE = -4142;

  function colName(c) {
    var s = "";
    while (c > 0) { var m = (c - 1) % 26; s = String.fromCharCode(65 + m) + s; c = Math.floor((c - 1) / 26); }
    return s;
  }
  function ref(r, c) { return colName(c) + r; }
  function parseRef(text) {
    var m = /^\$?([A-Z]+)\$?(\d+)$/.exec(text.trim().toUpperCase());
    if (!m) throw new Error("bad cell reference " + text);
    var c = 0;
    for (var i = 0; i < m[1].length; i++) c = c * 26 + (m[1].charCodeAt(i) - 64);
    return [parseInt(m[2], 10), c];
  }

  function Cell() {
    this.value = undefined; this.formula = null; this.numberFormat = "General";
    this.color = 0xffffff; this.colorIndex = XL_NONE; this.comment = null;
  }

  function Comment(cell, text, log, where) {
    var self = this;
    this._text = text;
    this.Text = function (t) {
      if (t === undefined) return self._text;
      log.push({ op: "comment.text", where: where, text: t });
      self._text = t;
      return self._text;
    };
    this.Delete = function () { log.push({ op: "comment.delete", where: where }); cell.comment = null; };
  }

  function Range(sheet, r1, c1, r2, c2) {
    var log = sheet._book._app.log;
    var where = sheet.Name + "!" + ref(r1, c1) + (r1 === r2 && c1 === c2 ? "" : ":" + ref(r2, c2));
    var self = this;
    this.Row = r1; this.Column = c1;
    this.Rows = { Count: r2 - r1 + 1 }; this.Columns = { Count: c2 - c1 + 1 };
    this.Worksheet = sheet;
    this.Address = function () { return where.split("!")[1]; };
    function single() { return r1 === r2 && c1 === c2; }
    function cell(r, c) { return sheet._cell(r, c, true); }
    function read(kind) {
      log.push({ op: "read", what: kind, where: where });
      // ET, like Excel, runs out of memory long before 17 billion values; the fake says so instead of trying
      if ((r2 - r1 + 1) * (c2 - c1 + 1) > 5000000) throw new Error("out of memory reading " + where);
      var rows = [];
      for (var r = r1; r <= r2; r++) {
        var row = [];
        for (var c = c1; c <= c2; c++) {
          var x = sheet._cell(r, c, false);
          row.push(x ? (kind === "Formula" && x.formula ? x.formula : x.value) : undefined);
        }
        rows.push(row);
      }
      return single() ? rows[0][0] : rows;
    }
    function write(kind, value) {
      log.push({ op: "write", what: kind, where: where, value: value });
      var rows = Array.isArray(value) ? value : [[value]];
      for (var r = 0; r < rows.length; r++) {
        for (var c = 0; c < rows[r].length; c++) {
          var x = cell(r1 + r, c1 + c), v = rows[r][c];
          x.formula = null;
          if (kind === "Formula" && typeof v === "string" && v.charAt(0) === "=") {
            x.formula = v;
            var link = /^=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)$/.exec(v);
            x.value = link ? link[1].split('""').join('"') : v;
          } else if (typeof v === "string" && v.charAt(0) === "'") {
            x.value = v.slice(1);
          } else {
            x.value = v === null ? undefined : v;
          }
        }
      }
    }
    Object.defineProperty(this, "Value2", { get: function () { return read("Value2"); }, set: function (v) { write("Value2", v); } });
    Object.defineProperty(this, "Formula", { get: function () { return read("Formula"); }, set: function (v) { write("Formula", v); } });
    Object.defineProperty(this, "NumberFormat", {
      get: function () { var x = sheet._cell(r1, c1, false); log.push({ op: "format", where: where }); return x ? x.numberFormat : "General"; },
    });
    this.Interior = {};
    Object.defineProperty(this.Interior, "Color", {
      get: function () { var x = sheet._cell(r1, c1, false); return x ? x.color : 0xffffff; },
      set: function (v) { var x = cell(r1, c1); x.color = v; x.colorIndex = 0; log.push({ op: "fill", where: where, color: v }); },
    });
    Object.defineProperty(this.Interior, "ColorIndex", {
      get: function () { var x = sheet._cell(r1, c1, false); return x ? x.colorIndex : XL_NONE; },
      set: function (v) { var x = cell(r1, c1); x.colorIndex = v; if (v === XL_NONE) x.color = 0xffffff; log.push({ op: "fill", where: where, color: v === XL_NONE ? null : v }); },
    });
    Object.defineProperty(this.Interior, "Pattern", { get: function () { var x = sheet._cell(r1, c1, false); return x && x.colorIndex !== XL_NONE ? 1 : XL_NONE; } });
    Object.defineProperty(this, "Comment", {
      get: function () { var x = sheet._cell(r1, c1, false); return x && x.comment ? x.comment : null; },
    });
    this.AddComment = function (text) {
      var x = cell(r1, c1);
      if (x.comment) throw new Error("the cell already has a comment: " + where);
      log.push({ op: "comment.add", where: where, text: text });
      x.comment = new Comment(x, text, log, where);
      return x.comment;
    };
    this.ClearContents = function () {
      log.push({ op: "clear", where: where });
      Object.keys(sheet._cells).forEach(function (k) { // the cells there are, not every address of a huge range
        var rc = k.split(",").map(Number), x = sheet._cells[k];
        if (rc[0] >= r1 && rc[0] <= r2 && rc[1] >= c1 && rc[1] <= c2) { x.value = undefined; x.formula = null; }
      });
    };
    this.Activate = function () { sheet.Activate(); };
  }

  function Worksheet(book, name, visible) {
    var self = this;
    this._book = book;
    this._cells = {};
    this.Name = name;
    this.Visible = visible === false ? 0 : -1;
    this._cell = function (r, c, create) {
      var k = r + "," + c;
      if (!self._cells[k] && create) self._cells[k] = new Cell();
      return self._cells[k] || null;
    };
    this.Cells = function (r, c) { return new Range(self, r, c, r, c); };
    this.Range = function (a, b) {
      function corners(x) {
        if (x instanceof Range) return [[x.Row, x.Column], [x.Row + x.Rows.Count - 1, x.Column + x.Columns.Count - 1]];
        var parts = String(x).split(":");
        var p = parseRef(parts[0]);
        return [p, parts[1] ? parseRef(parts[1]) : p];
      }
      var ca = corners(a), cb = b === undefined ? ca : corners(b);
      return new Range(self, Math.min(ca[0][0], cb[0][0]), Math.min(ca[0][1], cb[0][1]), Math.max(ca[1][0], cb[1][0]), Math.max(ca[1][1], cb[1][1]));
    };
    Object.defineProperty(this, "UsedRange", {
      get: function () {
        var r1 = Infinity, c1 = Infinity, r2 = 0, c2 = 0;
        Object.keys(self._cells).forEach(function (k) {
          var x = self._cells[k];
          if (x.value === undefined && !x.formula && x.colorIndex === XL_NONE && !x.comment) return;
          var rc = k.split(",").map(Number);
          r1 = Math.min(r1, rc[0]); c1 = Math.min(c1, rc[1]); r2 = Math.max(r2, rc[0]); c2 = Math.max(c2, rc[1]);
        });
        if (!r2) return new Range(self, 1, 1, 1, 1);
        return new Range(self, r1, c1, r2, c2);
      },
    });
    this.Activate = function () { book._app.log.push({ op: "activate", where: self.Name }); book._active = self; };
    /** Worksheet.Copy(Before, After): the sheet, cells and formats, into the workbook of Before/After. */
    this.Copy = function (before, after) {
      var target = (after || before)._book;
      var ws = new Worksheet(target, self.Name, self.Visible !== 0);
      Object.keys(self._cells).forEach(function (k) { ws._cells[k] = Object.assign(new Cell(), self._cells[k], { comment: null }); });
      var list = target._sheets;
      list.splice(after ? list.indexOf(after) + 1 : list.indexOf(before), 0, ws);
      book._app.log.push({ op: "sheet.copy", where: self.Name, from: book.Name, to: target.Name });
    };
    /** Test helpers (not ET): the plain state of a cell. */
    this.cellState = function (text) {
      var p = parseRef(text), x = self._cell(p[0], p[1], false);
      if (!x) return { value: undefined, formula: null, fill: null, comment: null };
      return { value: x.value, formula: x.formula, fill: x.colorIndex === XL_NONE ? null : x.color, comment: x.comment ? x.comment._text : null };
    };
  }

  function Workbook(app, data) {
    var self = this;
    this._app = app;
    this.Name = data.name;
    this.Path = data.path || "";
    this.FullName = (data.path ? data.path + "/" : "") + data.name;
    var sheets = [];
    (data.sheets || []).forEach(function (s) {
      var ws = new Worksheet(self, s.name, s.visible);
      (s.values || []).forEach(function (row, r) {
        row.forEach(function (v, c) { if (v !== null && v !== undefined && v !== "") ws._cell(r + 1, c + 1, true).value = v; });
      });
      Object.keys(s.formats || {}).forEach(function (k) {
        var p = parseRef(k);
        ws._cell(p[0], p[1], true).numberFormat = s.formats[k];
      });
      sheets.push(ws);
    });
    this._sheets = sheets;
    this.Worksheets = {
      get Count() { return sheets.length; },
      Item: function (i) {
        if (typeof i === "number") { if (i < 1 || i > sheets.length) throw new Error("no sheet " + i); return sheets[i - 1]; }
        for (var k = 0; k < sheets.length; k++) if (sheets[k].Name === i) return sheets[k];
        throw new Error("no sheet " + i);
      },
      Add: function (before, after) {
        var ws = new Worksheet(self, "Sheet" + (sheets.length + 1), true);
        var at = after ? sheets.indexOf(after) + 1 : before ? sheets.indexOf(before) : sheets.length;
        sheets.splice(at, 0, ws);
        app.log.push({ op: "sheet.add", where: ws.Name });
        return ws;
      },
    };
    this.Sheets = this.Worksheets;
    this.sheet = function (name) { return self.Worksheets.Item(name); };
    this.Close = function (save) { app.log.push({ op: "Workbook.Close", where: self.Name, save: save }); };
  }

  /** An Application with one open workbook; *answers* scripts InputBox / GetOpenFilename / GetSaveAsFilename. */
  function Application(data, answers) {
    var self = this;
    answers = answers || {};
    this.log = [];
    this.opened = [];
    this.ActiveWorkbook = data ? new Workbook(this, data) : null;
    var status = "";
    Object.defineProperty(this, "StatusBar", {
      get: function () { return status; },
      set: function (v) { status = v; self.log.push({ op: "status", text: v }); },
    });
    this.InputBox = function (prompt) { self.log.push({ op: "InputBox", prompt: prompt }); return answers.input === undefined ? false : answers.input; };
    this.GetOpenFilename = function (filter) { self.log.push({ op: "GetOpenFilename", filter: filter }); return answers.open === undefined ? false : answers.open; };
    this.GetSaveAsFilename = function (initial, filter) { self.log.push({ op: "GetSaveAsFilename", initial: initial, filter: filter }); return answers.save === undefined ? false : answers.save; };
    this.DisplayAlerts = true;
    this.Workbooks = {
      Open: function (path) {
        self.log.push({ op: "Workbooks.Open", path: path, alerts: self.DisplayAlerts });
        self.opened.push(path);
        var data = (answers.books || {})[path];
        if (data === "fail") throw new Error("cannot open " + path);
        return data ? new Workbook(self, data) : {};
      },
    };
  }

  return { Application: Application, ref: ref, parseRef: parseRef, XL_NONE: XL_NONE };
})();
if (typeof module === "object" && module.exports) module.exports = FakeWps;
