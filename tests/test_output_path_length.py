"""An output path too long for the system: Windows without long paths enabled cannot open a path past 259
characters, and every output is first written to a temporary file beside it, 14 characters longer
(``.<name>.<8 random>.tmp``). An output path of 246 to 259 characters passed every check and failed at its
temporary file with the generic «写入…失败：No such file or directory» (session 8's attack pass, "noticed").
Now the message names the length and the fix: a shorter folder or name. No Windows here: the OSError is
simulated as Windows raises it (``winerror`` 206, or errno ENOENT from the C runtime's open past MAX_PATH).
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

import pytest

from xltargets import fileio
from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.errors import WorkbookError


def _windows_206(*args, **kwargs):
    exc = FileNotFoundError(errno.ENOENT, "文件名或扩展名太长。")
    exc.winerror = 206  # ERROR_FILENAME_EXCED_RANGE, as os.* functions raise it on Windows
    raise exc


def _c_runtime_not_found(*args, **kwargs):
    raise FileNotFoundError(errno.ENOENT, "No such file or directory")


def _name_too_long(*args, **kwargs):
    raise OSError(errno.ENAMETOOLONG, "File name too long")


def _long_output(tmp_path: Path, length: int) -> Path:
    """An output path of exactly *length* characters, in a folder that exists."""
    name = "汇总表.xlsx"
    folder = tmp_path / ("d" * (length - len(str(tmp_path)) - len(name) - 2))
    folder.mkdir()
    out = folder / name
    assert len(str(out)) == length
    return out


CASES = {
    "windows-error-206": (_windows_206, False),
    "windows-not-found-past-max-path": (_c_runtime_not_found, True),
    "name-too-long-errno": (_name_too_long, False),
}


@pytest.mark.parametrize("raise_, windows", CASES.values(), ids=list(CASES))
def test_a_path_too_long_for_its_temporary_file_is_named_with_the_fix(tmp_path, monkeypatch, raise_, windows):
    out = _long_output(tmp_path, 250)
    monkeypatch.setattr(tempfile, "mkstemp", raise_)
    monkeypatch.setattr(fileio, "_ON_WINDOWS", windows, raising=False)
    with pytest.raises(WorkbookError) as caught:
        fileio.atomic_write(out, lambda tmp: tmp.write_bytes(b"x"))
    text = str(caught.value) + (caught.value.hint or "")
    assert "输出路径太长（250 个字符，写入时旁边的临时文件还要再长 14 个字符）" in text, text
    assert "较短的文件夹" in text and "较短的文件名" in text and "259 个字符" in text, text
    assert "失败" not in text
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("windows", [True, False], ids=["windows", "linux"])
def test_a_short_path_not_found_is_not_called_too_long(tmp_path, monkeypatch, windows):
    """ENOENT is only the length on Windows, past MAX_PATH once the temporary file's 14 characters are added."""
    out = _long_output(tmp_path, 245)
    monkeypatch.setattr(tempfile, "mkstemp", _c_runtime_not_found)
    monkeypatch.setattr(fileio, "_ON_WINDOWS", windows, raising=False)
    with pytest.raises(WorkbookError) as caught:
        fileio.atomic_write(out, lambda tmp: tmp.write_bytes(b"x"))
    assert "太长" not in str(caught.value) and "失败" in str(caught.value)


def test_the_cli_says_so_exit_2_nothing_written(tmp_path, monkeypatch, seed_path):
    out = _long_output(tmp_path, 255)
    monkeypatch.setattr(tempfile, "mkstemp", _windows_206)
    res = CliRunner().invoke(app, ["import", str(seed_path), "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 2, res.output
    assert "输出路径太长（255 个字符" in res.stderr and "较短的文件夹" in res.stderr, res.stderr
    assert "Traceback" not in res.output + res.stderr
    assert list(out.parent.iterdir()) == []


def test_a_name_too_long_for_its_temporary_file_is_called_a_name_too_long(tmp_path):
    """Linux: a name of 250 bytes fits, its temporary file's (264) does not: a real ENAMETOOLONG, said of the name."""
    out = tmp_path / ("d" * 245 + ".xlsx")
    with pytest.raises(WorkbookError) as caught:
        fileio.atomic_write(out, lambda tmp: tmp.write_bytes(b"x"))
    assert "输出文件名" in str(caught.value) and "太长（250 个字符）" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
