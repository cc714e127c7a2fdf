"""Build templates/vbaProject.bin from templates/Xltargets.bas.

Run after editing the .bas: ``python templates/make_vba.py``. The project is
made with pyOpenVBA (a new Excel project, our module added, the bare Module1
dropped) and stored source-only: ``_VBA_PROJECT`` is the 7-byte stream with
version 0xFFFF, so Excel compiles the modules from source on open
(MS-OVBA 2.3.4.1). Every workbook xltargets writes carries this file
byte for byte.
"""

from __future__ import annotations

import struct
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "Xltargets.bas"
OUT = HERE / "vbaProject.bin"
VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def module_name(source: str) -> str:
    first = source.splitlines()[0]
    return first.split('"')[1]


def build(out: Path = OUT) -> bytes:
    from pyopenvba import ExcelFile
    from pyopenvba.cfb import CFB

    source = SOURCE.read_text(encoding="ascii").replace("\r\n", "\n").replace("\n", "\r\n")
    name = module_name(source)
    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp) / "new.xlsm"
        done = Path(tmp) / "done.xlsm"
        ExcelFile.create_new(new).close()
        with ExcelFile(new) as wb:
            project = wb.vba_project()
            for existing in list(project.module_names()):
                if existing.casefold() == "module1":
                    project.delete_module(existing)
            project.add_module(name, source)
            for existing in project.module_names():
                module = project.get_module(existing)
                module.source = module.source
                module.dirty = True
            wb.save(done)
        with zipfile.ZipFile(done) as zf:
            data = zf.read("xl/vbaProject.bin")
    cfb = CFB.from_bytes(data)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    data = cfb.to_bytes()
    out.write_bytes(data)
    return data


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(OUT)
