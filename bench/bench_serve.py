"""``POST /api/check`` of a warm ``xltargets serve`` against ``check``'s in-process time for the same cells.

Run: PYTHONPATH=src python3 bench/bench_serve.py [--repeat 200] [--out bench/SERVE.md]

The cells are the seed's (tests/wps/seed_body.json: declarations.xlsm's sheets as the
WPS add-in posts them). Two floors, both in this process: what ``xltargets check
declarations.xlsm`` does for the same cells (:func:`xltargets.pipeline.check_sources`:
reading the workbook, then checking), and the bare pipeline call the service makes
(:func:`xltargets.pipeline.check_sheets` on the same sheets). The service is a real
``python -m xltargets serve --port 0`` in its own process, asked over one kept-alive
HTTP connection, so the ratio is what the HTTP layer, JSON and the input limits
add. Both are medians of warm runs, measured in alternation. Targets (issue 17):
≤ 50 ms warm, ≤ 1.3x the floor, idle RSS < 120 MB.
"""

from __future__ import annotations

import argparse
import os
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servetools import running_service  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process *pid* (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)

    import http.client
    import socket

    from xltargets.pipeline import check_sheets, check_sources

    seed = ROOT / "declarations.xlsm"
    body = json.loads((ROOT / "tests" / "wps" / "seed_body.json").read_text(encoding="utf-8"))
    sheets = [(s["name"], s["values"]) for s in body["sheets"]]
    with tempfile.TemporaryDirectory() as home, running_service(Path(home)) as svc:
        time.sleep(1.0)
        idle_start = rss_mb(svc.process.pid)
        # one kept-alive connection without Nagle's delay, as a browser (WPS' Chromium) opens it
        conn = http.client.HTTPConnection("127.0.0.1", svc.port)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {**svc.auth, "Content-Type": "application/json"}

        def post() -> tuple[int, bytes]:
            conn.request("POST", "/api/check", body=payload, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()

        for _ in range(20):  # warm both
            assert post()[0] == 200
            check_sheets(sheets, file=body["file"])
            check_sources([seed])
        served, floor, command = [], [], []
        floor_cpu = 0.0
        server_cpu = cpu_seconds(svc.process.pid)
        for _ in range(args.repeat):
            t = time.perf_counter()
            status, data = post()
            served.append(time.perf_counter() - t)
            assert status == 200
            t, c = time.perf_counter(), time.process_time()
            report = check_sheets(sheets, file=body["file"])
            floor.append(time.perf_counter() - t)
            floor_cpu += time.process_time() - c
            t = time.perf_counter()
            check_sources([seed])
            command.append(time.perf_counter() - t)
        server_cpu = cpu_seconds(svc.process.pid) - server_cpu
        assert json.loads(data)["findings"] == [f.as_json() for f in report.findings]
        conn.close()
        time.sleep(2.0)
        idle_after = rss_mb(svc.process.pid)
    s_ms, f_ms, c_ms = (statistics.median(x) * 1000 for x in (served, floor, command))
    rows = [
        ("POST /api/check, seed's sheets, warm (median)", f"{s_ms:.2f} ms", "≤ 50 ms", s_ms <= 50),
        ("`check declarations.xlsm` in process (check_sources), same cells", f"{c_ms:.2f} ms", "", None),
        ("ratio service / check in process", f"{s_ms / c_ms:.2f}x", "≤ 1.3x", s_ms / c_ms <= 1.3),
        ("check_sheets in process, same cells (the bare pipeline call)", f"{f_ms:.2f} ms", "", None),
        ("ratio service / check_sheets (HTTP, JSON, input limits)", f"{s_ms / f_ms:.2f}x", "(no target)", None),
        ("service CPU a request (user+system of its process)", f"{server_cpu / args.repeat * 1000:.2f} ms", "", None),
        ("check_sheets CPU a call", f"{floor_cpu / args.repeat * 1000:.2f} ms", "", None),
        ("ratio of CPU (not disturbed by other processes' load)", f"{server_cpu / floor_cpu:.2f}x", "(no target)", None),
        ("idle RSS after start", f"{idle_start:.0f} MB", "< 120 MB", idle_start < 120),
        (f"idle RSS after {args.repeat + 20} checks", f"{idle_after:.0f} MB", "< 120 MB", idle_after < 120),
    ]
    lines = [
        "# xltargets serve: POST /api/check against check's in-process time",
        "",
        f"`PYTHONPATH=src python3 bench/bench_serve.py --repeat {args.repeat}` on {platform.platform()}, "
        f"Python {platform.python_version()}, {len(body['sheets'])} sheets (the seed's 4 project sheets and 填写说明), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
        *[f"| {m} | {v} | {t} | {'' if ok is None else ('yes' if ok else 'NO')} |" for m, v, t, ok in rows],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0 if all(ok is not False for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
