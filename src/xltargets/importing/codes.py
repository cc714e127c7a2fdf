"""Finding codes the importer raises (XLT-E1NN / XLT-W1NN), as data.

``rules.rule_docs()`` lists these beside the rule codes in docs/rules.md.
"""

from __future__ import annotations

__all__ = ["IMPORT_CODES"]

#: code → (severity, title in Chinese, description in Chinese)
IMPORT_CODES: dict[str, tuple[str, str, str]] = {
    "XLT-E101": ("error", "一级指标无法确定", "指标行的一级指标为空，且上方没有可继承的一级指标（合并单元格之外）。导入时不猜测，请补填一级指标。"),
    "XLT-E102": ("error", "金额无法识别", "项目资金单元格不是金额（如“壹佰万”“1,000,00”）。请填写阿拉伯数字金额，两位小数，如 1,000,000.00。"),
    "XLT-E103": ("error", "金额为负数", "项目资金不能为负数。请改为 0 或正数。"),
    "XLT-E104": ("error", "日期无法识别", "计划开始/完成日期不是日期（如“2024-13-01”“明年”）。请填写 2024-01-01 格式的日期。"),
    "XLT-W101": ("warning", "单元格含义不明确，已保留原文", "指标行中有多余的单元格，无法确定其含义；导入时保留原文并拼接到三级指标中，请核对。"),
    "XLT-W102": ("warning", "二级指标无法继承", "指标行给出了新的一级指标但二级指标为空；导入时不猜测，请补填二级指标。"),
    "XLT-W103": ("warning", "去掉了 HTML 标记", "单元格中含有 <p> 等 HTML 标记，导入时已去掉，请核对文字。"),
    "XLT-W104": ("warning", "日期按序列号理解", "日期单元格是一个数字，已按 Excel 日期序列号理解，请核对。"),
    "XLT-W106": ("warning", "换行已去掉", "项目名称、性质、类别、主管部门、实施单位中汉字之间的换行（PDF、Word 转换时折行产生）已去掉，请核对。"),
    "XLT-W107": ("warning", "指标值被当成公式", "输入的指标值（如 =10.00(所)）被 Excel、WPS 或 LibreOffice 当成了公式，单元格显示错误值；导入时按公式的文字读入。请在内容前加英文单引号 ' 使其保存为文本。"),
    "XLT-W105": ("warning", "金额以文本形式保存", "金额单元格中有“元”“¥”等字样或多余空格，已按数字理解，请核对。"),
    "XLT-W110": ("warning", "跳过了文件夹中的文件", "文件夹中的临时文件、隐藏文件、不支持的格式和 xltargets 生成的汇总表不读入；每个被跳过的文件都列出名字和原因。"),
}
