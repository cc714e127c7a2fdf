"""Which files to consolidate.

``SRC`` may name workbooks, TSV files or folders. A folder is read as
``check`` reads it (:func:`xltargets.importing.sources.expand_sources`): our
own outputs (a 汇总表 written by ``consolidate``), temporary and hidden files
are skipped, so rerunning on a folder never feeds the previous 汇总表 back in; an output there that
the reading would read (a workbook not ours) is refused, as ``import`` refuses it
(:func:`xltargets.fileio.check_output_path`). Each skipped file is named, with the reason.
Each project keeps the 实施单位 of its source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..importing.sources import Skipped, expand_sources


__all__ = ["DEFAULT_SOURCE", "resolve_sources"]

#: what ``xltargets consolidate`` reads when given no SRC
DEFAULT_SOURCE = "declarations.xlsm"


def resolve_sources(
    srcs: Sequence[Path], *, cwd: Path, skipped: list[Skipped] | None = None
) -> list[Path]:
    """The files to read, in order; ``./declarations.xlsm`` when *srcs* is empty.

    Files of a folder that are not read go to *skipped*, with the reason.
    """
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
            own: list[Skipped] = []
            found = expand_sources([src], own)
            if not found:
                raise InputError(
                    f"文件夹“{src}”中除汇总表外没有申报表文件。",
                    hint="把各单位的申报表工作簿放进该文件夹，或直接列出文件名。",
                    path=str(src),
                )
            files.extend(found)
            if skipped is not None:
                skipped.extend(own)
        else:
            files.append(src)
    return files
