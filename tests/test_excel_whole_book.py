"""新建项目 and 导入 keep the workbook whole (issue 13 point 6).

Desktop Excel copies the rendered sheets from a scratch workbook; a copied
sheet brings the names it uses, pointing at the scratch file, which is
deleted afterwards. ``keep_whole`` makes every name refer to the workbook
itself. Proved here in three ways, none of which runs Excel:

* the scratch workbook's sheets reach other sheets only through those names
  (validations, conditional formats, formulas, ``INDIRECT`` targets), so
  names that refer to the workbook itself are all it takes;
* on the remote engine, a workbook whose names point at the scratch file
  (what Excel's copy leaves) gets them re-pointed, and stray sheet-level
  copies deleted, in the recorded actions;
* those actions replayed onto the workbook file and saved: every defined
  name refers to a sheet of that file, and the file has no external links.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formula import Tokenizer
from openpyxl.workbook.defined_name import DefinedName

from test_excel_payload import payload_from_workbook, remote_book, sheet_actions  # noqa: F401

from xltargets import actions as core
from xltargets.excel import actions
from xltargets.excel.ribbon import perform

SCRATCH = "xltargets-projects.xlsx"


@pytest.fixture
def licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> core.RenderedSheets:
    return core.render_new_project("7.11世界人口日宣传", [], tmp_path_factory.mktemp("scratch"))


def plain_workbook(path: Path) -> Path:
    wb = Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "本单位的工作簿"
    wb.save(path)
    return path


def _operands(formula: str) -> list[str]:
    tokens = Tokenizer(formula if formula.startswith("=") else "=" + formula).items
    return [t.value for t in tokens if t.type == "OPERAND" and t.subtype == "RANGE"]


def test_rendered_sheets_reach_other_sheets_only_through_the_list_names(rendered):
    wb = load_workbook(rendered.path)
    lists = rendered.lists
    assert lists is not None and lists.sheet in wb.sheetnames
    level1 = [row[0] for row in lists.values[1:] if row and row[0]]
    assert {f"二级_{name}" for name in level1} <= set(lists.names)  # every INDIRECT("二级_"&B13) target
    for name in rendered.names:
        ws = wb[name]
        formulas = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.formula1]
        formulas += [f for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula]
        formulas += [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
        assert formulas
        for formula in formulas:
            for operand in _operands(formula):
                assert "!" not in operand and "[" not in operand, (formula, operand)  # no sheet or file of its own
                if re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?", operand):
                    continue  # a cell of the sheet itself
                assert operand in lists.names, (formula, operand)
    assert {name: "=" + d.attr_text for name, d in wb.defined_names.items()} == lists.names
    assert all(ref.startswith(f"='{lists.sheet}'!") for ref in lists.names.values())


def test_new_project_in_a_plain_workbook_brings_lists_and_names_of_its_own(tmp_path, licence):
    book = remote_book(payload_from_workbook(plain_workbook(tmp_path / "本单位.xlsx")))
    assert perform(book, "new_project", "7.11世界人口日宣传") == ["7.11世界人口日宣传"]
    acts = sheet_actions(book)
    added = [a["args"][1] for _s, a in acts if a["func"] == "addSheet"]
    assert added == ["下拉列表", "7.11世界人口日宣传"]
    hidden = [s for s, a in acts if a["func"] == "setSheetVisibility"]
    assert hidden == ["下拉列表"]
    defined = {a["args"][0]: a["args"][1] for _s, a in acts if a["func"] == "namesAdd"}
    assert "一级指标" in defined and defined["一级指标"] == "='下拉列表'!$A$2:$A$5"
    assert all(ref.startswith("='下拉列表'!") for ref in defined.values())
    assert not [a for _s, a in acts if SCRATCH in repr(a) or "[" in "".join(map(str, a["args"] or []))]


def _name(name: str, refers_to: str, *, scope: int | None = None, sheet: str | None = None) -> dict:
    return {
        "name": name,
        "refers_to": refers_to,
        "book_scope": scope is None,
        "scope_sheet_index": scope,
        "scope_sheet_name": sheet,
        "sheet_index": None,
        "address": None,
    }


def broken_payload(path: Path) -> dict:
    """A declarations workbook as Excel leaves it after copying a sheet from the scratch file."""
    payload = payload_from_workbook(path)
    payload["names"] = [
        _name("一级指标", f"='[{SCRATCH}]下拉列表'!$A$2:$A$5"),
        _name("二级_产出指标", f"='C:\\Users\\张三\\AppData\\Local\\Temp\\xlt-sheets-1\\[{SCRATCH}]下拉列表'!$D$2:$D$5"),
        _name("定性指标值", "='下拉列表'!$J$2:$J$25"),  # already the workbook's own: left alone
        _name("一级指标", f"='[{SCRATCH}]下拉列表'!$A$2:$A$5", scope=0, sheet=payload["sheets"][0]["name"]),
        _name("单位预算", "='[预算.xlsx]Sheet1'!$A$1"),  # the user's own link to another file: left alone
    ]
    return payload


def test_names_pointing_at_the_scratch_workbook_are_repointed(tmp_path, seed_path, licence):
    from xltargets.importing import read_sources
    from xltargets.workbook.build import build_workbook

    path = tmp_path / "declarations.xlsx"
    build_workbook(read_sources([seed_path]).declaration, path)
    book = remote_book(broken_payload(path))
    names = perform(book, "import", str(seed_path))
    assert len(names) == 4
    acts = [a for _s, a in sheet_actions(book)]
    repointed = {a["args"][0]: a["args"][3] for a in acts if a["func"] == "setNameRefersTo"}
    assert repointed == {"一级指标": "='下拉列表'!$A$2:$A$5", "二级_产出指标": "='下拉列表'!$D$2:$D$5"}
    deleted = [(a["args"][2], a["args"][4], a["args"][5]) for a in acts if a["func"] == "nameDelete"]
    assert deleted == [("一级指标", False, 0)]  # the sheet-level copy only
    added = {a["args"][0] for a in acts if a["func"] == "namesAdd"}
    assert "定性指标值" not in added and "单位预算" not in added and "一级指标" not in added
    assert not [a for a in acts if a["func"] == "addSheet" and a["args"][1] == "下拉列表"]  # the book has its lists


def replay(path: Path, book, out: Path) -> Path:
    """Apply the remote engine's recorded actions to the workbook file, as Excel would, and save it."""
    wb = load_workbook(path)
    for action in book.json()["actions"]:
        func, args = action["func"], action["args"]
        pos = action.get("sheet_position")
        if func == "addSheet":
            wb.create_sheet(args[1], args[0])
        elif func == "setValues":
            ws = wb.worksheets[pos]
            for r, row in enumerate(action["values"]):
                for c, value in enumerate(row):
                    ws.cell(action["start_row"] + r + 1, action["start_column"] + c + 1, value)
        elif func == "setSheetVisibility":
            wb.worksheets[pos].sheet_state = "hidden"
        elif func in ("namesAdd", "setNameRefersTo"):
            name, ref = (args[0], args[1]) if func == "namesAdd" else (args[0], args[3])
            if name in wb.defined_names:
                del wb.defined_names[name]
            wb.defined_names[name] = DefinedName(name, attr_text=ref.lstrip("="))
        elif func == "nameDelete":
            scope = args[5]
            if scope is not None:
                del wb.worksheets[scope].defined_names[args[2]]
            else:
                del wb.defined_names[args[2]]
    wb.save(out)
    return out


def test_the_saved_workbook_has_no_name_outside_itself(tmp_path, licence):
    path = plain_workbook(tmp_path / "本单位.xlsx")
    # as Excel leaves it after the copy: names that point at the scratch file
    wb = load_workbook(path)
    wb.defined_names["一级指标"] = DefinedName("一级指标", attr_text=f"'[{SCRATCH}]下拉列表'!$A$2:$A$5")
    wb.active.defined_names["二级指标"] = DefinedName("二级指标", attr_text=f"'[{SCRATCH}]下拉列表'!$B$2:$B$15")
    wb.save(path)
    payload = payload_from_workbook(path)
    payload["names"] = [
        _name("一级指标", f"='[{SCRATCH}]下拉列表'!$A$2:$A$5"),
        _name("二级指标", f"='[{SCRATCH}]下拉列表'!$B$2:$B$15", scope=0, sheet="封面"),
    ]
    book = remote_book(payload)
    perform(book, "new_project", "7.11世界人口日宣传")
    saved = load_workbook(replay(path, book, tmp_path / "saved.xlsx"))
    refs = {name: d.attr_text for name, d in saved.defined_names.items()}
    refs.update({f"{ws.title}!{n}": d.attr_text for ws in saved for n, d in ws.defined_names.items()})
    assert set(refs) == set(core.render_new_project("x", [], tmp_path).lists.names)
    for name, ref in refs.items():
        assert "[" not in ref and SCRATCH not in ref, (name, ref)
        sheet = ref.split("!")[0].strip("'")
        assert sheet in saved.sheetnames, (name, ref)
    assert saved["下拉列表"].sheet_state == "hidden"
    assert saved["下拉列表"]["A2"].value == "成本指标"
    with zipfile.ZipFile(tmp_path / "saved.xlsx") as zf:
        assert not [n for n in zf.namelist() if n.startswith("xl/externalLinks/")]


def test_keep_whole_is_called_around_the_desktop_copy(tmp_path, licence, monkeypatch):
    """Desktop Excel: names are made the book's own before the copy (so the copy finds them) and after it."""
    book = remote_book(payload_from_workbook(plain_workbook(tmp_path / "本单位.xlsx")))
    calls: list[str] = []
    monkeypatch.setattr(actions.adapter, "copy_sheets_from", lambda b, path, names: calls.append("copy") or True)
    monkeypatch.setattr(actions.adapter, "relink_to_self", lambda b, path: calls.append(f"relink {path.name}"))
    real = actions.keep_whole
    monkeypatch.setattr(actions, "keep_whole", lambda b, lists, scratch: calls.append(f"whole {scratch}") or real(b, lists, scratch=scratch))
    perform(book, "new_project", "项目甲")
    assert calls == [f"whole {SCRATCH}", "copy", f"whole {SCRATCH}", f"relink {SCRATCH}"]
