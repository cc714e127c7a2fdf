"""``pip install "xltargets[serve]"`` as a user installs it: the wheel into a fresh venv with ``[serve]`` only.

Then ``xltargets serve`` answers 校验 for the seed's sheets and serves its page
(the static files come with the wheel), and ``xltargets wps install`` finds the
add-in's files in the wheel. The venv sees nothing of this environment (no
PYTHONPATH, no system site-packages); pip fetches dependencies from the index.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
httpx = pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parents[1]

from test_addin_wheel import clean_env, run  # noqa: E402  (the same way of installing, one copy)


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    work = tmp_path_factory.mktemp("serve-wheel")
    run([sys.executable, "-m", "venv", str(work / "venv")], env=clean_env())
    python = work / "venv" / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
    run([str(python), "-m", "pip", "install", "-q", f"{wheel}[serve]"], env=clean_env())
    return python


def test_serve_from_the_wheel_checks_the_seed_and_serves_its_page(venv, tmp_path):
    env = clean_env(HOME=str(tmp_path), USERPROFILE=str(tmp_path))
    proc = subprocess.Popen(
        [str(venv), "-m", "xltargets", "serve", "--port", "0"], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(120)
    try:
        m = re.search(r"(http://127\.0\.0\.1:\d+)/#token=([\w-]+)", lines[0] if lines else "")
        assert m, lines
        base, token = m.groups()
        body = json.loads((ROOT / "tests" / "wps" / "seed_body.json").read_text(encoding="utf-8"))
        expected = json.loads((ROOT / "tests" / "wps" / "seed_check.json").read_text(encoding="utf-8"))
        resp = httpx.post(base + "/api/check", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=120)
        assert resp.status_code == 200, resp.text
        assert resp.json()["findings"] == expected["findings"]
        page = httpx.get(base + "/")
        assert page.status_code == 200 and "绩效目标" in page.text
        assert httpx.get(base + "/static/page.js").status_code == 200
    finally:
        proc.terminate()
        proc.wait(20)
        proc.stdout.close()


def test_wps_install_from_the_wheel(venv, tmp_path):
    env = clean_env(HOME=str(tmp_path), USERPROFILE=str(tmp_path))
    env.pop("XDG_DATA_HOME", None)
    out = run([str(venv), "-m", "xltargets", "wps", "install"], env=env, cwd=tmp_path)
    assert "已安装 WPS 加载项" in out.stdout
    folder = next((tmp_path / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons").glob("xltargets_*"))
    assert (folder / "ribbon.xml").read_bytes() == (ROOT / "addin" / "wps" / "ribbon.xml").read_bytes()
    assert (folder / "main.js").is_file() and (folder / "js" / "config.js").is_file()


def test_the_reader_process_runs_from_the_wheel(venv, tmp_path):
    """The reader process (``python -I -S -c "… import xltargets.reader …"``: python-calamine for workbooks,
    pdfplumber for PDFs) runs from the installed wheel, for every workbook format and a PDF."""
    from corpus.make_corpus import build
    from test_pdf_import import CLEAN_PDF

    build(tmp_path, ["clean.xlsx", "clean.xls", "clean.xlsb", "clean.ods"])
    (tmp_path / "forms.pdf").write_bytes(CLEAN_PDF)
    env = clean_env(HOME=str(tmp_path), USERPROFILE=str(tmp_path))
    out = run([str(venv), "-m", "xltargets", "check", "forms.pdf"], env=env, cwd=tmp_path)
    assert "共 1 个项目、6 条绩效指标" in out.stdout
    for name in ("clean.xlsx", "clean.xls", "clean.xlsb", "clean.ods"):
        out = run([str(venv), "-m", "xltargets", "check", name], env=env, cwd=tmp_path)
        assert "共 1 个项目、6 条绩效指标" in out.stdout, name
