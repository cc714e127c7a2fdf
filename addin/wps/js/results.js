/*
 * XltResults: the 校验结果 sheet, one row per finding, each linked to its cell
 * (the same rows as the Excel add-in's src/xltargets/excel/results.py).
 */
var XltResults = (function (S) {
  "use strict";

  var HEADER = ["序号", "级别", "规则", "项目", "位置", "问题与修改方法"];
  var LINK_COLUMN = 4;
  var LABELS = { error: "错误", warning: "警告" };

  function quote(text, ch) {
    return text.split(ch).join(ch + ch);
  }

  /** =HYPERLINK("#'表'!E18","表!E18"): works in Excel, WPS and LibreOffice alike. */
  function linkFormula(sheet, cell) {
    var target = "#'" + quote(sheet, "'") + "'!" + cell;
    return '=HYPERLINK("' + quote(target, '"') + '","' + quote(sheet + "!" + cell, '"') + '")';
  }

  function rowsFor(summary, findings) {
    var rows = [[summary], HEADER];
    findings.forEach(function (f, i) {
      var where = "";
      if (f.sheet && f.cell) where = linkFormula(f.sheet, f.cell);
      else if (f.sheet) where = linkFormula(f.sheet, "A1");
      rows.push([i + 1, LABELS[f.severity], f.code, f.project || "", where, f.message]);
    });
    return rows;
  }

  /** Write (or rewrite) the 校验结果 sheet and return it. */
  function writeResults(book, summary, findings) {
    var sheet = S.ensureSheet(book, S.RESULTS_SHEET, true).sheet;
    S.writeRows(sheet, rowsFor(summary, findings), [LINK_COLUMN]);
    return sheet;
  }

  return { HEADER: HEADER, linkFormula: linkFormula, rowsFor: rowsFor, writeResults: writeResults };
})(typeof XltSheets !== "undefined" ? XltSheets : require("./sheets.js"));
if (typeof module === "object" && module.exports) module.exports = XltResults;
