"""The table of commands: name, the module that implements it, one line for ``xltargets -h``.

Adding a command is one module under ``xltargets/cli/`` (see docs/cli.md) and one row
here. The module is imported only when its command runs, so a command's imports never
slow down the others.
"""

from __future__ import annotations

__all__ = ["COMMANDS"]

#: (name, module under xltargets.cli, summary shown by ``xltargets -h``), in the order shown
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("consolidate", "consolidate", "把全部申报表汇总为汇总表工作簿，可选输出 PDF"),
    ("check", "check", "导入并校验申报表，按项目列出错误和警告"),
    ("dump", "dump", "把申报表读成 JSON 输出"),
    ("import", "import_", "导入申报表，生成每个项目一张工作表的申报工作簿"),
    ("new", "new", "在申报工作簿中添加一个项目表"),
    ("normalize", "normalize", "把不规范的指标值改为规范写法，写入新的工作簿（原文件不变）"),
    ("rollover", "rollover", "由本年度的申报表生成新年度的申报工作簿"),
    ("diff", "diff", "对比上年与本年的申报表：项目、资金、指标和目标的变化"),
    ("addin", "addin", "Excel 加载项：生成、安装、查看状态、删除"),
    ("serve", "serve", "启动本地服务，供 WPS 加载项和浏览器页面使用"),
    ("wps", "wps", "WPS 加载项：安装、查看状态、删除"),
)
