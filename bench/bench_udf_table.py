"""Python time of the whole-table UDF on a 30-row indicator table (target: under 5 ms).

Run: PYTHONPATH=src python3 bench/bench_udf_table.py
Measures ``xltargets.excel.udfs.XLT_CHECK_TABLE`` as called from a cell
(four 30-cell columns, merged 一级/二级 left blank), median of many calls.
"""

from __future__ import annotations

import statistics
import time

from xltargets.excel.udfs import XLT_CHECK_TABLE


def table(rows: int = 30):
    groups = [
        ("成本指标", "经济成本指标", "成本控制率", "≤100.00(%)"),
        ("产出指标", "数量指标", "培训场次", "≥{n}.00(场)"),
        ("产出指标", "质量指标", "培训合格率", "≥9{d}.00(%)"),
        ("产出指标", "时效指标", "按时完成率", "=100.00(%)"),
        ("效益指标", "社会效益指标", "知晓率提升", "提升"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90.00(%)"),
    ]
    l1, l2, l3, v = [], [], [], []
    previous = ("", "")
    for i in range(rows):
        a, b, c, value = groups[i * len(groups) // rows]
        l1.append(a if a != previous[0] else None)
        l2.append(b if (a, b) != previous else None)
        previous = (a, b)
        l3.append(f"{c}{i}")
        v.append(value.format(n=i + 1, d=i % 10))
    return l1, l2, l3, v


def main(repeat: int = 300) -> None:
    cols = table()
    XLT_CHECK_TABLE(*cols)  # warm up imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = XLT_CHECK_TABLE(*cols)
        times.append(time.perf_counter() - start)
    assert len(out) == 30
    print(f"XLT_CHECK_TABLE, 30 rows: median {statistics.median(times) * 1000:.2f} ms, "
          f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.2f} ms over {repeat} calls")
    print(f"messages on {sum(1 for r in out if r[0])} of 30 rows")


if __name__ == "__main__":
    main()
