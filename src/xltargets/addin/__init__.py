"""The Excel add-in as a build product, and its installation. Pure Python: no xlwings.

``build_addin`` turns ``addin/*.bas`` + ``addin/customUI.xml`` + the UDF
wrappers into ``xltargets.xlam``; ``install``/``status``/``remove`` put it
into (or take it out of) Excel's startup folder. ``udfcore`` is the core
behind the worksheet functions.
"""

from .build import ADDIN_NAME, BuildResult, build_addin

__all__ = ["build_addin", "BuildResult", "ADDIN_NAME"]
