"""xltargets: 财政项目支出绩效目标申报表 in Excel, checked and consolidated.

The core (this package minus ``xltargets.excel``) never imports xlwings.
"""

from .errors import InputError, TemplateError, WorkbookError, XltargetsError
from .model import Declaration, Funds, Indicator, Project

__all__ = [
    "Declaration",
    "Project",
    "Funds",
    "Indicator",
    "XltargetsError",
    "InputError",
    "TemplateError",
    "WorkbookError",
    "__version__",
]

__version__ = "0.1.0"
