"""customUI.xml against the RibbonX schema subset in addin/customUI-subset.xsd.

The subset is ours (the elements and attributes we use, with the full
schema's type limits); the negative cases show it rejects what Excel would
reject (a wrong size, an overlong keytip, a duplicate id, a button without
a callback) and everything we did not deliberately allow.
"""

from __future__ import annotations

import pytest

from xltargets.addin.sources import button_tags, default_source_dir

etree = pytest.importorskip("lxml.etree", reason="lxml validates the ribbon XML against its schema")

ADDIN_SRC = default_source_dir()
NS = "http://schemas.microsoft.com/office/2006/01/customui"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(ADDIN_SRC / "customUI-subset.xsd")))


def test_customui_validates(schema):
    doc = etree.parse(str(ADDIN_SRC / "customUI.xml"))
    assert schema.validate(doc), schema.error_log


def test_every_button_has_a_unique_action_tag():
    tags = button_tags((ADDIN_SRC / "customUI.xml").read_bytes())
    assert sorted(tags.values()) == sorted(set(tags.values()))
    assert set(tags.values()) == {"new_project", "import", "validate", "consolidate", "export_pdf", "new_year", "compare_last_year", "help"}


def test_labels_are_the_staff_names():
    doc = etree.parse(str(ADDIN_SRC / "customUI.xml"))
    labels = [b.get("label") for b in doc.iter(f"{{{NS}}}button")]
    assert labels == ["新建项目", "导入", "校验", "生成汇总表", "导出PDF", "新年度", "对比上年", "帮助"]
    assert doc.find(f".//{{{NS}}}tab").get("label") == "绩效目标"


def _button(**attrs: str) -> bytes:
    base = {"id": "b1", "label": "校验", "onAction": "RibbonXltargets.OnAction", "tag": "validate"}
    base.update(attrs)
    base = {k: v for k, v in base.items() if v is not None}
    attr_text = " ".join(f'{k}="{v}"' for k, v in base.items())
    return (
        f'<customUI xmlns="{NS}"><ribbon><tabs><tab id="t" label="绩效目标"><group id="g" label="校验">'
        f"<button {attr_text}/><button id=\"b2\" label=\"x\" onAction=\"A.B\" tag=\"x\"/>"
        "</group></tab></tabs></ribbon></customUI>"
    ).encode()


@pytest.mark.parametrize(
    "attrs",
    [
        {"size": "huge"},
        {"keytip": "ABCD"},
        {"id": "b2"},
        {"onAction": None},
        {"label": ""},
        {"imageMso": "not an id"},
        {"colour": "red"},
    ],
    ids=["bad-size", "long-keytip", "duplicate-id", "no-callback", "empty-label", "bad-imagemso", "unknown-attribute"],
)
def test_schema_rejects(schema, attrs):
    assert schema.validate(etree.fromstring(_button())), schema.error_log
    assert not schema.validate(etree.fromstring(_button(**attrs)))
