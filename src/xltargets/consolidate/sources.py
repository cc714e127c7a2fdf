"""Which files to consolidate.

``SRC`` may name workbooks, TSV files or folders. Inside a folder, files
that are our own outputs (a 汇总表 written by ``consolidate``) and the output
being written are skipped, so rerunning on a folder never feeds the previous
汇总表 back in. Each project keeps the 实施单位 of its source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..importing.sources import expand_sources
from .marker import is_ours

__all__ = ["DEFAULT_SOURCE", "resolve_sources"]

#: what ``xltargets consolidate`` reads when given no SRC
DEFAULT_SOURCE = "declarations.xlsm"


def _same(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


def resolve_sources(srcs: Sequence[Path], *, cwd: Path, output: Path | None = None) -> list[Path]:
    """The files to read, in order; ``./declarations.xlsm`` when *srcs* is empty."""
    if not srcs:
        default = cwd / DEFAULT_SOURCE
        if not default.exists():
            raise InputError(
                f"当前文件夹“{cwd}”中没有 {DEFAULT_SOURCE}。",
                hint=f"在放有 {DEFAULT_SOURCE} 的文件夹中运行，或在命令后写上申报表文件或文件夹。",
                path=str(default),
            )
        return [default]
    files: list[Path] = []
    for src in srcs:
        src = Path(src)
        try:
            is_dir = src.is_dir()
        except OSError:  # e.g. a name too long: the importer says so when it reads it
            is_dir = False
        if is_dir:
            found = [f for f in expand_sources([src]) if not _same(f, output) and not is_ours(f)]
            if not found:
                raise InputError(
                    f"文件夹“{src}”中除汇总表外没有申报表文件。",
                    hint="把各单位的申报表工作簿放进该文件夹，或直接列出文件名。",
                    path=str(src),
                )
            files.extend(found)
        else:
            files.append(src)
    return files
