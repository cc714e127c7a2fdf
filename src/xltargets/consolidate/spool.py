"""Plain data kept on disk instead of in memory: items pickled one after another, read back in order.

The file is an anonymous temporary file (deleted when closed, and by the system if the
process dies) holding only what this process wrote into it.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Any, Iterator

__all__ = ["Spool"]


class Spool:
    """Items pickled one after another into an anonymous temporary file, read back in order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="xlt-")
        self.count = 0

    def put(self, item: Any) -> None:
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        self._file.seek(0)
        load = pickle.load
        for _ in range(self.count):
            yield load(self._file)
        self._file.seek(0, 2)  # more may be added after a replay

    def close(self) -> None:
        self._file.close()
