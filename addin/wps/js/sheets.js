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

  /** The CLI's limits (xltargets.importing.limits.LIMITS; tests/test_wps_addin.py keeps them equal). */
  var LIMITS = { rows: 100000, cols: 16384, cells: 1000000, total_cells: 2000000 };

  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function tooLarge(message) {
    var error = new Error(message);
    error.name = "XltError"; // shown as it is, like the service's messages
    return error;
  }

  /**
   * Rows and columns from A1 to the end of the sheet's used range, refused past the limits before a value is
   * read: a stray value at XFD1048576 (or a crafted workbook) would ask ET for 17 billion values.
   */
  function usedSize(sheet, book) {
    var used = sheet.UsedRange;
    var rows = used.Row + used.Rows.Count - 1;
    var cols = used.Column + used.Columns.Count - 1;
    if (rows > LIMITS.rows || cols > LIMITS.cols || rows * cols > LIMITS.cells) {
      throw tooLarge(
        "“" + book.Name + "”的工作表“" + sheet.Name + "”数据区域至少有 " + thousands(rows) + " 行 × " + thousands(cols) + " 列，" +
        "超出上限（每个工作表 " + thousands(LIMITS.rows) + " 行、" + thousands(LIMITS.cols) + " 列、" + thousands(LIMITS.cells) +
        " 个单元格），未读取。\n\n处理办法：按 Ctrl+End 找到最后一个单元格，删除表格下方和右侧多余的行和列" +
        "（选中后“删除”，不是“清除内容”），保存后重试。"
      );
    }
    return [rows, cols];
  }

  /** The sheet's values from A1 to the end of its used range (Value2, dates as text); *size*: usedSize's. */
  function sheetValues(sheet, size) {
    var lastRow = size[0];
    var lastCol = size[1];
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
    var read = sheetsOf(book).filter(function (sheet) { return OWN_SHEETS.indexOf(sheet.Name) < 0 && isVisible(sheet); });
    var sizes = read.map(function (sheet) { return usedSize(sheet, book); }); // every sheet measured before any is read
    var total = sizes.reduce(function (sum, size) { return sum + size[0] * size[1]; }, 0);
    if (total > LIMITS.total_cells) {
      throw tooLarge(
        "“" + book.Name + "”的各工作表共有 " + thousands(total) + " 个单元格，超出每个文件 " + thousands(LIMITS.total_cells) +
        " 个的上限，未读取。\n\n处理办法：删除各工作表下方和右侧多余的行和列，或拆分为几个较小的工作簿后重试。"
      );
    }
    var sheets = read.map(function (sheet, i) { return { name: sheet.Name, values: sheetValues(sheet, sizes[i]) }; });
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
    LIMITS: LIMITS,
    usedSize: usedSize,
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
