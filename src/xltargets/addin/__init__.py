"""The Excel add-in as a build product, and its installation. Pure Python: no xlwings.

``build_addin`` turns ``addin/*.bas`` + ``addin/customUI.xml`` + the UDF
wrappers into ``xltargets.xlam``; ``install``/``status``/``remove`` put it
into (or take it out of) Excel's startup folder. The cores behind the
worksheet functions and ribbon buttons are :mod:`xltargets.udfcore` and
:mod:`xltargets.actions`, next to the pipeline.
"""

from .build import ADDIN_NAME, BuildResult, build_addin

__all__ = ["build_addin", "BuildResult", "ADDIN_NAME"]
