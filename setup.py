"""Ships the repo-root ``templates/`` and ``addin/`` folders inside the wheel.

They live at the root so a finance officer finds and restyles them; a regular
(non-editable) install copies them into the package, where the template loader
(``workbook/templates``) and the add-in builder (``addin/source``) look next.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = {"templates": "xltargets/workbook/templates", "addin": "xltargets/addin/source"}


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for src, dst in DATA.items():
            if (ROOT / src).is_dir():
                shutil.copytree(
                    ROOT / src,
                    Path(self.build_lib) / dst,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                )


setup(cmdclass={"build_py": BuildPyWithData})
