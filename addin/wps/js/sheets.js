/*
 * XltSheets: reading a workbook's used ranges through the ET object model and writing plain tables.
 *
 * What is sent is Range.Value2 of each visible sheet from A1, except that a number in a
 * cell with a date format is sent as yyyy-mm-dd text (Value2 gives dates as serial numbers,
 * which would read as numbers, not dates).
 */
var XltSheets = (function () {
  "use strict";

  var RESULTS_SHEET = "校验结果";
  var MARKS_SHEET = "_xlt_marks";
  var OWN_SHEETS = [RESULTS_SHEET, MARKS_SHEET];
  var XL_SHEET_VISIBLE = -1;
  var FORMULA_START = /^[=+\-@']/;
  // text that ET, like Excel, reads as a number, date, time or boolean when written to a cell: the same
  // rule as xltargets.text.looks_like_non_text (0012, 1e5, 50%, 2024-05-29, 5月1日, 12:30, TRUE, (12))
  var NON_TEXT = /^\s*([-+]?[\d０-９,.]*[\d０-９][\d０-９,.]*(e[-+]?[\d０-９]+)?\s*%?|[-+]?[\d０-９]+[.\/\-年月][\d０-９]+([.\/\-月][\d０-９]+)?日?.*|[\d０-９]+\s*[:：]\s*[\d０-９]+.*|(true|false)|\(\s*[\d０-９][\d０-９,.]*\s*\))\s*$/i;

  function sheetsOf(book) {
    var out = [];
    var n = book.Worksheets.Count;
    for (var i = 1; i <= n; i++) out.push(book.Worksheets.Item(i));
    return out;
  }

  function findSheet(book, name) {
    var all = sheetsOf(book);
    for (var i = 0; i < all.length; i++) if (all[i].Name === name) return all[i];
    return null;
  }

  function isVisible(sheet) {
    return sheet.Visible === XL_SHEET_VISIBLE || sheet.Visible === true;
  }

  function as2d(value) {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return [[value]];
    return value.map(function (row) { return Array.isArray(row) ? row : [row]; });
  }

  function isDateFormat(format) {
    if (typeof format !== "string") return false;
    var f = format.replace(/"[^"]*"/g, "").replace(/\[[^\]]*\]/g, "").toLowerCase();
    return /[yd]/.test(f) || /[年月日]/.test(format);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** An Excel serial date (1900 system) as yyyy-mm-dd. */
  function serialToIso(serial) {
    var days = Math.floor(serial);
    var ms = Date.UTC(1899, 11, 30) + days * 86400000;
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }

  /** The sheet's values from A1 to the end of its used range (Value2, dates as text). */
  function sheetValues(sheet) {
    var used = sheet.UsedRange;
    var lastRow = used.Row + used.Rows.Count - 1;
    var lastCol = used.Column + used.Columns.Count - 1;
    var range = sheet.Range(sheet.Cells(1, 1), sheet.Cells(lastRow, lastCol));
    var values = as2d(range.Value2);
    for (var r = 0; r < values.length; r++) {
      for (var c = 0; c < values[r].length; c++) {
        var v = values[r][c];
        if (v === undefined) values[r][c] = null;
        else if (typeof v === "number" && v >= 1 && v < 2958466 && isDateFormat(sheet.Cells(r + 1, c + 1).NumberFormat)) {
          values[r][c] = serialToIso(v);
        }
      }
    }
    return values;
  }

  /** Every visible sheet except the add-in's own, as the service's body {"sheets": [...], "file": ...}. */
  function readBook(book) {
    var sheets = [];
    sheetsOf(book).forEach(function (sheet) {
      if (OWN_SHEETS.indexOf(sheet.Name) >= 0 || !isVisible(sheet)) return;
      sheets.push({ name: sheet.Name, values: sheetValues(sheet) });
    });
    return { sheets: sheets, file: book.Name };
  }

  function sheetNames(book) {
    return sheetsOf(book).map(function (s) { return s.Name; });
  }

  /** Text that ET would read as a formula, number, date or boolean (or whose apostrophe it would take as the
   * text prefix) is kept as text: a leading apostrophe. */
  function asCellText(value) {
    if (typeof value === "string" && (FORMULA_START.test(value) || NON_TEXT.test(value))) return "'" + value;
    return value === undefined ? null : value;
  }

  /** Write *rows* from A1 in one go; columns listed in *formulaColumns* (0-based) may hold formulas. */
  function writeRows(sheet, rows, formulaColumns) {
    formulaColumns = formulaColumns || [];
    var width = 0;
    rows.forEach(function (r) { width = Math.max(width, r.length); });
    if (!rows.length || !width) return;
    var table = rows.map(function (row) {
      var out = [];
      for (var c = 0; c < width; c++) {
        var v = c < row.length ? row[c] : null;
        out.push(formulaColumns.indexOf(c) >= 0 ? (v === undefined ? null : v) : asCellText(v));
      }
      return out;
    });
    sheet.Range(sheet.Cells(1, 1), sheet.Cells(table.length, width)).Formula = table;
  }

  /** The sheet *name* (its contents cleared) or a new one after the last sheet. */
  function ensureSheet(book, name, visible) {
    var sheet = findSheet(book, name);
    if (sheet) {
      sheet.UsedRange.ClearContents();
      return { sheet: sheet, created: false };
    }
    var last = book.Worksheets.Item(book.Worksheets.Count);
    sheet = book.Worksheets.Add(null, last);
    sheet.Name = name;
    if (visible === false) sheet.Visible = 0;
    return { sheet: sheet, created: true };
  }

  return {
    RESULTS_SHEET: RESULTS_SHEET,
    MARKS_SHEET: MARKS_SHEET,
    OWN_SHEETS: OWN_SHEETS,
    sheetsOf: sheetsOf,
    findSheet: findSheet,
    sheetValues: sheetValues,
    readBook: readBook,
    sheetNames: sheetNames,
    serialToIso: serialToIso,
    isDateFormat: isDateFormat,
    asCellText: asCellText,
    writeRows: writeRows,
    ensureSheet: ensureSheet,
  };
})();
if (typeof module === "object" && module.exports) module.exports = XltSheets;
