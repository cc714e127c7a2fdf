"""The add-in's VBA project: modules from source, compiled by Excel on load.

pyOpenVBA (MIT) sets, adds and deletes modules. Afterwards the project is
made to look exactly like the add-ins xlwings ships: ``_VBA_PROJECT`` is the
7-byte stream with version 0xFFFF and no performance cache, so Excel
compiles every module from its source on open (MS-OVBA 2.3.4.1: "MUST be
0xFFFF on write"), and no module stream carries p-code (every MODULEOFFSET
is 0). The project is renamed to ``xltargets`` in the dir and PROJECT
streams.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import TemplateError

__all__ = ["write_modules", "finish_project_bin", "VBA_PROJECT_STREAM", "PROJECT_NAME"]

PROJECT_NAME = "xltargets"

#: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001: what xlwings ships.
VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def write_modules(template: Path, out: Path, modules: dict[str, str], *, drop: tuple[str, ...] = ()) -> None:
    """Copy *template* to *out* with each of *modules* set (existing) or added, and *drop* deleted."""
    from pyopenvba import ExcelFile

    with ExcelFile(template) as wb:
        project = wb.vba_project()
        existing = {name.casefold(): name for name in project.module_names()}
        for name in drop:
            if name.casefold() in existing:
                project.delete_module(existing.pop(name.casefold()))
        for name, source in modules.items():
            if name.casefold() in existing:
                wb.set_module(existing.pop(name.casefold()), source)
            else:
                project.add_module(name, source)
        for name in existing.values():  # kept modules: rewrite source-only, dropping their p-code
            module = project.get_module(name)
            module.source = module.source
            module.dirty = True
        _rename_project(project, PROJECT_NAME)
        wb.save(out)


def _rename_project(project, name: str) -> None:
    """Rewrite the PROJECTNAME record (id 0x0004) in the dir stream prefix pyOpenVBA re-emits."""
    raw = project.dir_raw
    pos = 0
    while pos + 6 <= project.dir_modules_offset:
        rid, size = struct.unpack_from("<HI", raw, pos)
        if rid == 0x0009:  # PROJECTVERSION: Reserved=4 then 6 bytes
            pos += 6 + 6
            continue
        if rid == 0x0004:
            new = struct.pack("<HI", 0x0004, len(name)) + name.encode("ascii")
            old_len = 6 + size
            project.dir_raw = raw[:pos] + new + raw[pos + old_len :]
            project.dir_modules_offset += len(new) - old_len
            project.name = name
            project.dir_structure_dirty = True
            return
        pos += 6 + size
    raise TemplateError("xlwings 加载项模板的 VBA 工程中找不到工程名记录。")


def finish_project_bin(data: bytes) -> bytes:
    """Force the source-only ``_VBA_PROJECT`` stream and tidy the PROJECT stream of a vbaProject.bin."""
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(data)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    text = cfb.get_stream("PROJECT").decode("cp1252")
    lines = text.split("\r\n")
    out: list[str] = []
    in_workspace = False
    for line in lines:
        if line.startswith("Name="):
            line = f'Name="{PROJECT_NAME}"'
        if line == "[Workspace]":
            in_workspace = True
        elif in_workspace and line == "":
            continue  # pyOpenVBA leaves a blank line between old and added entries
        out.append(line)
    new_text = "\r\n".join(out)
    if not new_text.endswith("\r\n"):
        new_text += "\r\n"
    cfb.write_stream("PROJECT", new_text.encode("cp1252"))
    return cfb.to_bytes()
