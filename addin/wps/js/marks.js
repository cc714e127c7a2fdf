/*
 * XltMarks: marking the cells of findings (fill + comment) and taking our own marks off again.
 *
 * The same record as the Excel add-in (src/xltargets/excel/marks.py): the hidden sheet
 * _xlt_marks lists sheet, cell, the fill the cell had before (#rrggbb or empty), whether
 * the comment is ours, and the severity. A re-run restores cells no longer at fault and
 * never touches what we did not mark; a user's own comment is kept.
 */
var XltMarks = (function (S) {
  "use strict";

  var MARK_COLORS = { error: "#ffc7ce", warning: "#ffeb9c" };
  var NOTE_HEADING = "xltargets 校验：";
  var HEADER = ["工作表", "单元格", "原底色", "批注由校验添加", "级别"];
  var XL_NONE = -4142;
  var LABELS = { error: "错误", warning: "警告" };

  /** "#rrggbb" → the BGR number of Interior.Color. */
  function bgr(hex) {
    var n = parseInt(hex.slice(1), 16);
    return ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
  }

  function hexOf(color) {
    var rgb = ((color & 0xff) << 16) | (color & 0xff00) | ((color >> 16) & 0xff);
    return "#" + ("000000" + rgb.toString(16)).slice(-6);
  }

  /** The cell's fill as #rrggbb, or null when it has none. */
  function fillOf(range) {
    var interior = range.Interior;
    if (interior.ColorIndex === XL_NONE || interior.Pattern === XL_NONE) return null;
    return hexOf(interior.Color);
  }

  function setFill(range, hex) {
    if (hex) range.Interior.Color = bgr(hex);
    else range.Interior.ColorIndex = XL_NONE;
  }

  /** {"sheet\u0000cell": {sheet, cell, severity, text}}: one mark per cell, errors over warnings. */
  function cellMarks(findings) {
    var out = {};
    var order = [];
    findings.forEach(function (f) {
      if (!f.sheet || !f.cell) return;
      var key = f.sheet + "\u0000" + f.cell;
      if (!out[key]) {
        out[key] = { sheet: f.sheet, cell: f.cell, severity: "warning", lines: [] };
        order.push(key);
      }
      if (f.severity === "error") out[key].severity = "error";
      out[key].lines.push(LABELS[f.severity] + " " + f.code + "：" + f.message);
    });
    var result = {};
    order.forEach(function (key) {
      var m = out[key];
      result[key] = { sheet: m.sheet, cell: m.cell, severity: m.severity, text: NOTE_HEADING + "\n" + m.lines.join("\n") };
    });
    return result;
  }

  function readMarks(book) {
    var sheet = S.findSheet(book, S.MARKS_SHEET);
    var marks = {};
    if (!sheet) return marks;
    var size;
    try {
      size = S.usedSize(sheet, book);
    } catch (e) {
      return marks; // a crafted workbook's huge hidden record: not read, forgotten
    }
    var rows = S.sheetValues(sheet, size);
    rows.slice(1).forEach(function (row) {
      var s = row[0], c = row[1];
      if (!s || !c) return;
      marks[s + "\u0000" + c] = {
        sheet: String(s), cell: String(c), original: row[2] ? String(row[2]) : null,
        own: !!row[3] && row[3] !== "0", severity: String(row[4] || ""),
      };
    });
    return marks;
  }

  function unmark(book, mark) {
    var sheet = S.findSheet(book, mark.sheet);
    if (!sheet) return;
    var range = sheet.Range(mark.cell);
    var current = fillOf(range);
    if (current === null || current === MARK_COLORS[mark.severity]) setFill(range, mark.original);
    if (mark.own && range.Comment) range.Comment.Delete();
  }

  function mark(range, sheetName, cell, severity, text, previous) {
    var original = previous ? previous.original : fillOf(range);
    setFill(range, MARK_COLORS[severity]);
    var comment = range.Comment;
    var own;
    if (previous && previous.own && comment) {
      comment.Text(text, 1, true);
      own = true;
    } else if (!comment) {
      range.AddComment(text);
      own = true;
    } else {
      own = false; // the user's own comment: keep it
    }
    return { sheet: sheetName, cell: cell, original: original, own: own, severity: severity };
  }

  /** Take off the last run's marks that no longer apply, mark the cells of *findings*, record them. */
  function applyMarks(book, findings) {
    var old = readMarks(book);
    var wanted = cellMarks(findings);
    Object.keys(old).forEach(function (key) {
      if (!wanted[key]) unmark(book, old[key]);
    });
    var made = [];
    Object.keys(wanted).forEach(function (key) {
      var w = wanted[key];
      var sheet = S.findSheet(book, w.sheet);
      if (!sheet) return;
      made.push(mark(sheet.Range(w.cell), w.sheet, w.cell, w.severity, w.text, old[key] || null));
    });
    var record = S.ensureSheet(book, S.MARKS_SHEET, false).sheet;
    S.writeRows(record, [HEADER].concat(made.map(function (m) {
      return [m.sheet, m.cell, m.original || "", m.own ? 1 : 0, m.severity];
    })));
    return made;
  }

  return {
    MARK_COLORS: MARK_COLORS,
    NOTE_HEADING: NOTE_HEADING,
    bgr: bgr,
    hexOf: hexOf,
    cellMarks: cellMarks,
    readMarks: readMarks,
    applyMarks: applyMarks,
  };
})(typeof XltSheets !== "undefined" ? XltSheets : require("./sheets.js"));
if (typeof module === "object" && module.exports) module.exports = XltMarks;
