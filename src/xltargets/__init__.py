"""xltargets: 财政项目支出绩效目标申报表 in Excel, checked and consolidated.

The core (this package minus ``xltargets.excel``) never imports xlwings.
The model (pydantic) and the errors are imported on first use of their names, so that
``xltargets --version`` and ``-h`` start without pydantic, and the reader process
(:mod:`xltargets.reader`, a fresh interpreter for each process) imports no more than it uses.
"""

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
_ERROR_NAMES = ("XltargetsError", "InputError", "TemplateError", "WorkbookError")


def __getattr__(name: str):
    if name in _MODEL_NAMES:
        from . import model

        return getattr(model, name)
    if name in _ERROR_NAMES:
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
