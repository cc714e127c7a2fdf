"""The ``xltargets`` command line. Only this package prints.

One module per command (``check.py``, ``consolidate.py``, ...), listed in
:mod:`.commands`; each defines ``configure(parser)`` and ``run(args) -> exit code``.
See docs/cli.md for how to add one. :func:`main` turns every
:class:`~xltargets.errors.XltargetsError` into one Chinese line and an exit code,
never a traceback.
"""

from __future__ import annotations

from .app import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, app, main

__all__ = ["app", "main", "EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT", "EXIT_INTERNAL"]
