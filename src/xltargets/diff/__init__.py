"""What changed between two years' declarations (``xltargets diff``, ``consolidate --against``).

:func:`compare` matches projects and indicators and lists the changes
(:mod:`.changes`); :mod:`.report` prints them or makes JSON of them;
:mod:`xltargets.consolidate.comparison_sheet` writes the 对比 sheet.
"""

from .changes import Change, Comparison, compare, target_direction

__all__ = ["Change", "Comparison", "compare", "target_direction"]
