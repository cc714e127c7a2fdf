#!/usr/bin/env python3
"""The round-trip property, run in this process: ``python tests/corpus/roundtrip.py EXAMPLES``.

Random declaration → declarations workbook (``build_workbook``) → 汇总表
(``consolidate``) → import (``read_sources``): every project comes back equal,
field for field (``Project.content()``). Prints ``N examples passed`` and exits
0, or prints hypothesis's falsifying example and exits 1.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from corpus.strategies import declarations  # noqa: E402


def round_trip(decl, folder: Path) -> None:
    from xltargets.pipeline import consolidate
    from xltargets.importing import read_sources
    from xltargets.workbook.build import build_workbook

    book = build_workbook(decl, folder / "declarations.xlsx")
    summary = folder / "汇总表.xlsx"
    consolidate([book], summary)
    back = read_sources([summary]).declaration
    assert [p.content() for p in back.projects] == [p.content() for p in decl.projects]


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50
    count = [0]

    @settings(
        max_examples=n, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(declarations())
    def prop(decl):
        count[0] += 1
        with tempfile.TemporaryDirectory(prefix="xlt-rt-") as d:
            round_trip(decl, Path(d))

    prop()
    print(f"{n} examples passed ({count[0]} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
