"""Benchmark of the annual cycle (issue 16): PDF import and diff, each against its floor.

    python bench/bench_annual.py [--runs 3] [--forms 29] [--projects 1000] [--alt]

1. **PDF import.** A 60-page 部门预算公开 PDF: a real district budget of 31
   pages without forms (tests/realforms/pdf/putuo-wanli-2025-budget.pdf) followed
   by a 汇总表 of synthetic forms printed by LibreOffice (``consolidate --pdf``),
   merged with pypdf. Floor: pdfplumber's own ``extract_tables()`` over every
   page. Goal: import < 5 s and ≤ 1.5× the floor. With ``--alt`` the same pages
   also go through PyMuPDF's ``find_tables()`` into the same grids and forms
   reader (speed and accuracy of the alternative; PyMuPDF is AGPL and not a
   dependency: install it yourself to run this).
2. **diff.** Two declarations workbooks of N projects (bench/synth.py; the
   second rolled over with a few hundred edits). Floor: reading both
   (pipeline.read_sources). Goal: ``diff`` (read both + compare + JSON) ≤ 1.5×.

Every measurement runs in a fresh child process (time excludes interpreter
start; each side imports what it needs inside the timed part when the other
side must too, e.g. pdfplumber); the sides are interleaved, medians reported.
Writes bench/RESULTS-annual.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
REAL = ROOT / "tests" / "realforms" / "pdf" / "putuo-wanli-2025-budget.pdf"
RESULTS = ROOT / "bench" / "RESULTS-annual.md"


# --------------------------------------------------------------------------- children


def _child_pdf_floor(pdf: str) -> dict:
    t = time.perf_counter()
    import pdfplumber

    tables = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            tables += len(page.extract_tables())
            page.close()
    return {"seconds": time.perf_counter() - t, "tables": tables}


def _child_pdf_ours(pdf: str) -> dict:
    from xltargets.pipeline import read_sources

    t = time.perf_counter()
    decl = read_sources([pdf]).declaration
    return {"seconds": time.perf_counter() - t, "projects": len(decl.projects), "contents": [p.content() for p in decl.projects]}


def _child_pdf_alt(pdf: str) -> dict:
    """PyMuPDF's tables through our grids and the forms reader."""
    from xltargets.importing import import_grids
    from xltargets.importing.pdf import PageTables, TableCells, grids_from_pages, join_wrapped

    t = time.perf_counter()
    import pymupdf

    pages = []
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc, start=1):
            result = PageTables(number=number, height=page.rect.height, chars=1)
            for table in sorted(page.find_tables().tables, key=lambda tb: (tb.bbox[1], tb.bbox[0])):
                rows = []
                for row, texts in zip(table.rows, table.extract()):
                    rows.append([(round(b[0], 1), join_wrapped(x)) for b, x in zip(row.cells, texts) if b is not None and x is not None])
                result.tables.append(TableCells(bbox=tuple(table.bbox), rows=rows))
                titles = []
                top = table.bbox[1]
                for block in page.get_text("blocks", clip=(0, max(0, top - 60), page.rect.width, top)):
                    text = block[4].strip().replace("\n", "")
                    if "汇总表" in text or "申报表" in text or "年度" in text:
                        titles.append(text)
                result.titles.append(titles)
            pages.append(result)
    decl = import_grids(grids_from_pages(pages, file=pdf), source=pdf).declaration
    return {"seconds": time.perf_counter() - t, "projects": len(decl.projects), "contents": [p.content() for p in decl.projects]}


def _child_read_both(old: str, new: str) -> dict:
    from xltargets.pipeline import read_sources

    t = time.perf_counter()
    a = read_sources([old]).declaration
    b = read_sources([new]).declaration
    return {"seconds": time.perf_counter() - t, "projects": [len(a.projects), len(b.projects)]}


def _child_diff(old: str, new: str) -> dict:
    from xltargets.diff import compare
    from xltargets.diff.report import as_json
    from xltargets.pipeline import read_sources

    t = time.perf_counter()
    comparison = compare(read_sources([old]).declaration, read_sources([new]).declaration)
    text = json.dumps(as_json(comparison), ensure_ascii=False)
    return {"seconds": time.perf_counter() - t, "changes": len(comparison.changes), "summary": comparison.summary(), "bytes": len(text)}


CHILDREN = {
    "pdf-floor": _child_pdf_floor,
    "pdf-ours": _child_pdf_ours,
    "pdf-alt": _child_pdf_alt,
    "read-both": _child_read_both,
    "diff": _child_diff,
}


def _cpu() -> float:
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _run(step: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, __file__, "--child", step, *args], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.splitlines()[-1])


# --------------------------------------------------------------------------- inputs


def make_pdf(work: Path, forms: int) -> tuple[Path, Path, int]:
    """The 60-page budget PDF and the TSV of its forms; its page count."""
    import pypdf
    import synth

    tsv = synth.write_tsv(synth.declaration(forms, seed=16), work / "forms.tsv")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    subprocess.run([sys.executable, "-m", "xltargets", "consolidate", str(tsv), "-o", str(work / "汇总表.xlsx"), "--pdf", "--force"],
                   check=False, env=env, capture_output=True, cwd=work)
    writer = pypdf.PdfWriter()
    for part in (REAL, work / "汇总表.pdf"):
        writer.append(str(part))
    out = io.BytesIO()
    writer.write(out)
    pdf = work / "budget60.pdf"
    pdf.write_bytes(out.getvalue())
    return pdf, tsv, len(pypdf.PdfReader(str(pdf)).pages)


def make_workbooks(work: Path, n: int) -> tuple[Path, Path, int]:
    """Last year's and this year's declarations workbooks; the number of edits made."""
    import random
    from decimal import Decimal

    import synth
    from xltargets.model import Indicator
    from xltargets.rollover import rollover
    from xltargets.targets import parsed
    from xltargets.workbook.build import build_workbook

    old = synth.declaration(n)
    new = rollover(old, old.year + 1, keep_funds=True, drop=[p.name for p in old.projects[::50]]).declaration
    rng = random.Random(16)
    edits = 0
    for p in new.projects:
        r = rng.random()
        if r < 0.2:
            ind = rng.choice(p.indicators)
            ind.value_raw = "≥95.00(%)"
            ind.target = parsed(ind.value_raw).target
            edits += 1
        elif r < 0.3:
            p.funds.annual = (p.funds.annual or Decimal(0)) + Decimal("1000.00")
            edits += 1
        elif r < 0.35:
            p.indicators.append(Indicator(level1="效益指标", level2="社会效益指标", level3="新增指标", value_raw="≥1(个)",
                                          target=parsed("≥1(个)").target))
            edits += 1
        elif r < 0.37:
            p.name += "（续）"
            edits += 1
    a, b = work / "old.xlsx", work / "new.xlsx"
    build_workbook(old, a)
    build_workbook(new, b)
    return a, b, edits


# --------------------------------------------------------------------------- main


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--forms", type=int, default=29)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--alt", action="store_true", help="also measure PyMuPDF (must be installed)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="the report (default bench/RESULTS-annual.md)")
    ap.add_argument("--child", nargs="+")
    args = ap.parse_args(argv)
    if args.child:
        step, *rest = args.child
        before = _cpu()
        result = CHILDREN[step](*rest)
        result["cpu"] = _cpu() - before  # this process and its children (the PDF reader's child)
        print(json.dumps(result, ensure_ascii=False, default=str))
        return 0
    from xltargets.pipeline import read_sources

    load = os.getloadavg()[0]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf, tsv, pages = make_pdf(work, args.forms)
        expected = [p.content() for p in read_sources([tsv]).declaration.projects]
        sides = ["pdf-floor", "pdf-ours"] + (["pdf-alt"] if args.alt else [])
        times: dict[str, list[float]] = {s: [] for s in sides}
        cpu: dict[str, list[float]] = {s: [] for s in sides}
        accuracy: dict[str, str] = {}
        for _ in range(args.runs):
            for side in sides:
                r = _run(side, str(pdf))
                times[side].append(r["seconds"])
                cpu[side].append(r["cpu"])
                if "contents" in r:
                    got = r["contents"]
                    same = sum(1 for a, b in zip(got, expected) if a == b)
                    accuracy[side] = f"{len(got)} forms found, {same} of {len(expected)} identical to the TSV's"
        floor, ours = _median(times["pdf-floor"]), _median(times["pdf-ours"])
        cfloor, cours = _median(cpu["pdf-floor"]), _median(cpu["pdf-ours"])
        lines += [
            "## PDF import",
            "",
            f"A {pages}-page budget PDF: {REAL.name} (31 pages, no forms) + a 汇总表 of {args.forms} forms printed by LibreOffice.",
            "",
            "| side | wall s (median) | × floor | CPU s (median) | × floor | forms |",
            "|---|---:|---:|---:|---:|---|",
            f"| pdfplumber `extract_tables()` over every page (floor) | {floor:.2f} | 1.00 | {cfloor:.2f} | 1.00 | |",
            f"| xltargets import (pdfplumber, child process, grids, forms reader) | {ours:.2f} | {ours / floor:.2f} | {cours:.2f} | {cours / cfloor:.2f} | {accuracy.get('pdf-ours', '')} |",
        ]
        if args.alt:
            alt, calt = _median(times["pdf-alt"]), _median(cpu["pdf-alt"])
            lines.append(f"| PyMuPDF `find_tables()` + the same grids and forms reader | {alt:.2f} | {alt / floor:.2f} | {calt:.2f} | {calt / cfloor:.2f} | {accuracy.get('pdf-alt', '')} |")
        lines += [
            "",
            f"Targets: import < 5 s: **{'met' if ours < 5 else 'NOT met'}** (wall {ours:.2f} s, CPU {cours:.2f} s); "
            f"≤ 1.5× the floor: **{'met' if ours / floor <= 1.5 else 'NOT met'}** (wall {ours / floor:.2f}×, CPU {cours / cfloor:.2f}×).",
            "",
        ]
        old, new, edits = make_workbooks(work, args.projects)
        times = {"read-both": [], "diff": []}
        cpu = {"read-both": [], "diff": []}
        last = {}
        for _ in range(args.runs):
            for side in times:
                r = _run(side, str(old), str(new))
                times[side].append(r["seconds"])
                cpu[side].append(r["cpu"])
                last[side] = r
        floor, ours = _median(times["read-both"]), _median(times["diff"])
        cfloor, cours = _median(cpu["read-both"]), _median(cpu["diff"])
        lines += [
            "## diff",
            "",
            f"Two declarations workbooks of {args.projects} projects × 15 indicators (bench/synth.py); the second rolled over "
            f"with {edits} edits and {len(range(0, args.projects, 50))} projects dropped "
            f"({last['diff']['changes']} changes found).",
            "",
            "| side | wall s (median) | × floor | CPU s (median) | × floor |",
            "|---|---:|---:|---:|---:|",
            f"| reading both (floor) | {floor:.2f} | 1.00 | {cfloor:.2f} | 1.00 |",
            f"| xltargets diff (read both, compare, JSON) | {ours:.2f} | {ours / floor:.2f} | {cours:.2f} | {cours / cfloor:.2f} |",
            "",
            f"Target ≤ 1.5×: **{'met' if ours / floor <= 1.5 else 'NOT met'}** (wall {ours / floor:.2f}×, CPU {cours / cfloor:.2f}×).",
            "",
        ]
    head = [
        "# Benchmark of the annual cycle (issue 16)",
        "",
        f"`python bench/bench_annual.py --runs {args.runs}{' --alt' if args.alt else ''}` on {time.strftime('%Y-%m-%d')}; "
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average at the start {load:.1f}, at the end {os.getloadavg()[0]:.1f} (other work shares the machine: "
        "wall times stretch with it, CPU times much less). Each side runs in a fresh process, interleaved; medians.",
        "",
    ]
    args.out.write_text("\n".join(head + lines), encoding="utf-8")
    print("\n".join(head + lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
