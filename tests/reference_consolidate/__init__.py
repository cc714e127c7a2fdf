"""The 汇总表 writers as they were before the speed work (9a09f6b), for comparison.

tests/test_render_equivalence.py writes a 汇总表 workbook with these (openpyxl
cell by cell, ``wb.save``, cached values put in afterwards) and with the
optimised writers, and compares the files part by part. Not used by xltargets.
"""
