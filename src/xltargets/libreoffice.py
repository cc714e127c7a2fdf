"""LibreOffice headless: convert workbooks to PDF (and other formats).

Used by ``consolidate --pdf`` and by the tests that prove our files in a real
third-party reader. Each call uses a private profile so parallel runs do not
collide, and sets the profile to recalculate formulas on load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import LibreOfficeMissing, XltargetsError
from .progress import report

__all__ = ["find_soffice", "convert", "LibreOfficeMissing", "INSTALL_HINT"]

INSTALL_HINT = (
    "安装 LibreOffice 后重试：Debian/Ubuntu 运行 "
    "`sudo apt-get install libreoffice-calc-nogui fonts-wqy-zenhei`；"
    "Windows/macOS 从 LibreOffice 官网安装，并确保 soffice 在 PATH 中。"
)

_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """Path of the soffice binary, or None."""
    env = os.environ.get("XLTARGETS_SOFFICE")
    if env and Path(env).exists():
        return env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for cand in (
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
    ):
        if Path(cand).exists():
            return cand
    return None


def convert(src: Path, fmt: str, outdir: Path, *, timeout: float = 180) -> Path:
    """Convert *src* to *fmt* (``pdf``, ``ods``, ``xlsx`` …) into *outdir*; return the new file.

    Formulas are recalculated on load. Raises :class:`LibreOfficeMissing`
    without LibreOffice and :class:`XltargetsError` when no output appears.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing("未找到 LibreOffice（soffice），无法生成 PDF。", hint=INSTALL_HINT)
    src = Path(src).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlt-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_XCU, encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{Path(profile).as_posix()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ]
        env = dict(os.environ, HOME=profile)
        report(0, None, f"LibreOffice 生成 {fmt.split(':')[0].upper()}")
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise XltargetsError(f"LibreOffice 转换“{src.name}”超时（{timeout:.0f} 秒）。") from exc
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    if not out.exists():
        raise XltargetsError(
            f"LibreOffice 未能把“{src.name}”转换为 {fmt}。",
            hint=(proc.stderr or proc.stdout or "").strip()[:500] or None,
        )
    return out
