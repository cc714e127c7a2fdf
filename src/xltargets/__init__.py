"""xltargets: 财政项目支出绩效目标申报表 in Excel, checked and consolidated.

The core (this package minus ``xltargets.excel``) never imports xlwings.
The model (pydantic) is imported on first use of its names, so that
``xltargets --version`` and ``-h`` start without it.
"""

from .errors import InputError, TemplateError, WorkbookError, XltargetsError

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

_MODEL_NAMES = ("Declaration", "Project", "Funds", "Indicator")


def __getattr__(name: str):
    if name in _MODEL_NAMES:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
