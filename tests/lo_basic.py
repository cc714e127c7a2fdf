"""Run Basic procedures of a document in LibreOffice; a script for a Python that has ``uno``.

Not a test module: tests/test_addin_vba_libreoffice.py runs it with the
system Python (Debian's python3-uno), as
``python3 lo_basic.py DOCUMENT LIBRARY CALLS_JSON`` where CALLS_JSON is
``[[module, procedure, [args...]], ...]``; it prints
``[{"ok": true, "result": ...} | {"ok": false, "error": ...}, ...]``.
LibreOffice runs with a profile of its own in a temporary folder and is
ended afterwards; document macros run without a prompt (MacroExecutionMode 4).
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(document, library, calls):
    pipe = "xlt_" + uuid.uuid4().hex
    profile = tempfile.mkdtemp(prefix="xlt-lo-profile-")
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(document), "_blank", 0, (_prop("Hidden", True), _prop("MacroExecutionMode", 4))
        )
        provider = doc.getScriptProvider()
        out = []
        for module, procedure, args in calls:
            uri = "vnd.sun.star.script:%s.%s.%s?language=Basic&location=document" % (library, module, procedure)
            try:
                result = provider.getScript(uri).invoke(tuple(args), (), ())[0]
                out.append({"ok": True, "result": result})
            except Exception as exc:  # a Basic run-time error
                out.append({"ok": False, "error": str(exc)[:500]})
        doc.close(True)
        return out
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:
                pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    calls = json.loads(open(sys.argv[3], encoding="utf-8").read())
    sys.stdout.write(json.dumps(main(sys.argv[1], sys.argv[2], calls), ensure_ascii=False))
