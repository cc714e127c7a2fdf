"""The 帮助 text: what the ribbon's buttons do, as the Excel add-in shows it (its VBA when no workbook is
open, :mod:`xltargets.addin.vbatext`; Python's help action, :mod:`xltargets.excel.actions`)."""

__all__ = ["HELP_TEXT"]

HELP_TEXT = (
    "xltargets：财政项目支出绩效目标申报表\n\n"
    "新建项目：按模板新建一张项目工作表。\n"
    "导入：把已有的汇总表或申报表导入为项目工作表。\n"
    "校验：检查所有项目工作表，问题单元格标色并加批注，结果见“校验结果”工作表。\n"
    "生成汇总表：把所有项目合成汇总表工作簿并打开。\n"
    "导出PDF：用 Excel 把汇总表导出为 PDF（每个项目一页）。\n"
    "新年度：由本工作簿生成下一年度的申报工作簿（日期、年度改为新年度，资金清空，指标保留）。\n"
    "对比上年：选择上年的汇总表、申报表或 PDF，列出与上年相比的变化（对比工作簿）。\n\n"
    "详细说明见 xltargets 源码中的 docs/addin.md。"
)
