"""``xltargets dump``: the declaration as JSON."""

from __future__ import annotations

import json
import sys

from .output import shown

DESCRIPTION = "把申报表读成 JSON 输出（项目、资金、绩效指标）。"

__all__ = ["configure", "run", "declaration_json"]


def configure(parser) -> None:
    parser.add_argument("src", nargs="+", metavar="文件", help="申报表/汇总表：xlsx/xlsm/xlsb/xls/ods 工作簿、TSV/CSV 文本、PDF 或文件夹")


def declaration_json(decl) -> dict:
    """The declaration as plain JSON data: each indicator with its ``value`` as the unit wrote
    it and, beside it, ``parsed`` (operator, number, unit; None when not a quantity) and
    ``canonical`` (the suggested text, applied only by ``xltargets normalize``)."""
    from ..model import QuantitativeTarget

    data = decl.model_dump(mode="json")
    for pdata, project in zip(data["projects"], decl.projects):
        for idata, ind in zip(pdata["indicators"], project.indicators):
            idata["value"] = ind.value
            t = ind.target
            idata["parsed"] = (
                {"operator": t.operator, "number": str(t.number), "unit": t.unit}
                if isinstance(t, QuantitativeTarget) else None
            )
            idata["canonical"] = ind.canonical
    return data


def read_sources(sources, **kwargs):
    """The importer (imported when the command runs)."""
    from ..pipeline import read_sources as read

    return read(sources, **kwargs)


def run(args) -> int:
    result = read_sources(args.src)
    sys.stdout.write(shown(json.dumps(declaration_json(result.declaration), ensure_ascii=False, indent=2)) + "\n")
    return 0
