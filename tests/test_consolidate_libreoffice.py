"""The 汇总表 in a real third-party reader: LibreOffice prints it, poppler reads the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from servetools import need

from xltargets.consolidate import marker
from xltargets.pipeline import consolidate
from xltargets.libreoffice import convert

pytestmark = pytest.mark.libreoffice

NAMES = ["生殖健康咨询服务", "家庭健康促进及优生优育服务", "计生特殊家庭帮扶及权益维护", "宣传教育及基层能力建设"]
VALUES = ["=10.00(所)", "<100(百分比)", "≥150000.00(人次)", "及时", "社会效益良好", "=500000.00(到达量)", "≥85.00(分)"]
CJK_FONTS = ("WenQuanYi", "WQY", "NotoSansCJK", "NotoSerifCJK", "Noto Sans CJK", "Noto Serif CJK", "SourceHan", "SimSun", "DroidSansFallback")


def _poppler(tool: str) -> str:
    return need(tool, "apt-get install poppler-utils")  # skips on a user's machine, fails under CI=true


def pdf_text(pdf: Path) -> str:
    """The PDF's text in content order with all whitespace removed (a wrapped cell reads as one)."""
    out = subprocess.run([_poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def made(tmp_path_factory, seed_path, soffice):
    work = tmp_path_factory.mktemp("consolidate-lo")
    return consolidate([seed_path], work / "汇总表.xlsx", cwd=work, pdf=True)


def test_pdf_is_written_beside_the_workbook(made):
    assert made.pdf == made.output.with_suffix(".pdf")
    assert made.pdf.read_bytes().startswith(b"%PDF")
    assert marker.is_ours(made.pdf)


def test_pdf_shows_the_title_every_project_and_sample_values(made):
    text = pdf_text(made.pdf)
    assert "上海市计划生育协会2024年度项目绩效目标汇总表" in text
    for name in NAMES:
        assert name in text, name
    for value in VALUES:
        assert value in text, value
    for amount in ("571,000.00", "1,391,700.00", "820,000.00", "1,451,000.00"):
        assert amount in text


def test_pdf_has_one_page_per_form_and_only_the_summary_sheet(made):
    assert pdf_pages(made.pdf) == 4
    text = pdf_text(made.pdf)
    assert "指标明细" not in text and "合计" not in text


def test_pdf_embeds_a_cjk_font(made):
    out = subprocess.run([_poppler("pdffonts"), str(made.pdf)], capture_output=True, text=True, check=True).stdout
    assert any(name in out for name in CJK_FONTS), out


def test_libreoffice_computes_the_funds_total(made, tmp_path):
    """The whole workbook opens in LibreOffice; its recalculated SUM prints 4,233,700.00."""
    pdf = convert(made.output, "pdf", tmp_path)
    text = pdf_text(pdf)
    assert "合计" in text and "4,233,700.00" in text
    assert "≥90.00(百分比)" in text
