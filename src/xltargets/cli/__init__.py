"""The ``xltargets`` command line. Only this package prints.

Each sub-module registers its commands on :data:`app`; :func:`main` turns
every :class:`~xltargets.errors.XltargetsError` into a short Chinese message
(what failed, the hint) and an exit code, never a traceback.
"""

from __future__ import annotations

from ._app import app, main

# command modules register themselves on import
from . import check as _check  # noqa: F401,E402

for _name in ("workbook", "consolidate", "addin"):
    try:
        __import__(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a feature not built yet
        if _exc.name != f"{__name__}.{_name}":
            raise

__all__ = ["app", "main"]
