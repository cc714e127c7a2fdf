"""Answers remembered for texts that recur on thousands of forms, and a way to let them all go.

:func:`remembered` is :func:`functools.lru_cache` for a pure function of texts
(labels, targets, names, cell values, row heights), registered so that
:func:`forget` can empty every such cache at once: ``consolidate`` does once
its sources are read and checked, so that the ~12 MB they hold at 4,000
projects is reused for the workbook XlsxWriter keeps until it is closed
(docs/bench.md). Forgetting changes no answer, only the time of the next call.
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

__all__ = ["remembered", "forget"]

F = TypeVar("F", bound=Callable)

_CACHES: list = []


def remembered(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize=maxsize)``, emptied by :func:`forget`."""

    def wrap(func: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(func)
        _CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def forget() -> None:
    """Empty every cache made by :func:`remembered`."""
    for cached in _CACHES:
        cached.cache_clear()
