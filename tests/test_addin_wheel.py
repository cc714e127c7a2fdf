"""A user's install, as a user installs: the wheel into a fresh venv with ``[excel]`` only.

Issue 13 point 1: ``pip install "xltargets[excel]"`` followed by ``xltargets
addin build`` / ``install`` must work, so everything the build needs at run
time must come with the ``excel`` extra (nothing from ``test``). The venv has
no access to this environment's packages (no --system-site-packages, no
PYTHONPATH); pip fetches the dependencies from the machine's index.

``addin install`` then runs against a fake Windows user profile: HOME and
APPDATA point into a temporary folder, ``platform.system()`` answers
"Windows", and the two Windows-only pieces of the install check stand in
for the real ones: an empty ``win32com`` package (pywin32) and the xlwings
DLL next to the venv's Python, where xlwings' Windows wheel puts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xltargets.addin.package import is_our_addin

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

FAKE_WINDOWS = """
import platform, runpy, sys
platform.system = lambda: "Windows"
sys.argv = ["xltargets", *sys.argv[1:]]
runpy.run_module("xltargets", run_name="__main__")
"""


def run(cmd, *, env=None, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "XLWINGS"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh venv with the wheel built from this checkout installed with ``[excel]`` only."""
    work = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "venv", str(work / "venv")], env=clean_env())
    bindir = "Scripts" if os.name == "nt" else "bin"
    python = work / "venv" / bindir / ("python.exe" if os.name == "nt" else "python")
    run([str(python), "-m", "pip", "install", "-q", f"{wheel}[excel]"], env=clean_env())
    return python


def test_the_excel_extra_brings_everything_the_build_imports(venv):
    out = run([str(venv), "-m", "pip", "list", "--format=freeze"], env=clean_env()).stdout.lower()
    assert "xlwings==" in out and "pyopenvba==" in out
    for test_only in ("pytest==", "oletools==", "hypothesis=="):
        assert test_only not in out


def test_addin_build_then_install_into_a_fake_windows_profile(venv, tmp_path):
    profile = tmp_path / "Users" / "张三"
    appdata = profile / "AppData" / "Roaming"
    env = clean_env(HOME=str(profile), USERPROFILE=str(profile), APPDATA=str(appdata))

    built = tmp_path / "out" / "xltargets.xlam"
    built.parent.mkdir()
    result = run([str(venv), "-m", "xltargets", "addin", "build", "-o", str(built)], env=env, cwd=tmp_path)
    assert "已生成" in result.stdout and "XLT_CHECK_TABLE" in result.stdout
    assert is_our_addin(built)
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None

    # the Windows-only parts of the install check (pywin32, the DLL xlwings' Windows wheel ships)
    stubs = tmp_path / "stubs"
    (stubs / "win32com").mkdir(parents=True)
    (stubs / "win32com" / "__init__.py").write_text("", encoding="utf-8")
    prefix = Path(run([str(venv), "-c", "import sys; print(sys.prefix)"], env=env).stdout.strip())
    version = run([str(venv), "-c", "import xlwings; print(xlwings.__version__)"], env=env).stdout.strip()
    (prefix / f"xlwings64-{version}.dll").write_bytes(b"")

    env_win = dict(env, PYTHONPATH=str(stubs))
    result = run([str(venv), "-c", FAKE_WINDOWS, "addin", "install"], env=env_win, cwd=tmp_path)
    target = appdata / "Microsoft" / "Excel" / "XLSTART" / "xltargets.xlam"
    assert f"已安装到“{target}”" in result.stdout, result.stdout
    assert is_our_addin(target)
    config = (profile / ".xltargets" / "xltargets.conf").read_bytes()
    assert config.startswith(b'"INTERPRETER_WIN","') and str(venv.parent).encode() in config

    status = run([str(venv), "-c", FAKE_WINDOWS, "addin", "status"], env=env_win, cwd=tmp_path)
    assert f"✓ xltargets.xlam：已安装：{target}" in status.stdout

    removed = run([str(venv), "-c", FAKE_WINDOWS, "addin", "remove"], env=env_win, cwd=tmp_path)
    assert "已从" in removed.stdout and not target.exists()
