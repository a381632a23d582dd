"""End to end on the sample town: what a villager and an auditor would check on the posters."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import decode_qr, findable, pdf_pages, pdf_text, render_page, run
from PIL import Image
from python_calamine import CalamineWorkbook

MM = 72 / 25.4
SAMPLES = {
    "2026q1-finance": ("A2", "landscape"),
    "2026q2-finance": ("A4", "portrait"),
}
A_SERIES = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297), "A5": (148, 210)}


def _input_rows(town: Path, notice_id: str) -> list[list[str]]:
    if notice_id == "2026q1-finance":
        with open(town / "notices" / "2026q1-finance.csv", encoding="utf-8-sig", newline="") as stream:
            return list(csv.reader(stream))[1:]
    grid = (
        CalamineWorkbook.from_path(str(town / "notices" / "2026q2-finance.xlsx"))
        .get_sheet_by_name("收支表")
        .to_python()
    )
    start = next(i for i, row in enumerate(grid) if row and row[0] == "科目编码")
    rows = []
    for row in grid[start + 2 :]:  # a two-row header: 执行数 over 本期 and 累计
        if str(row[0]).startswith(("注", "制表人")):
            break  # the note and the signature line under the table
        if any(str(v) for v in row):
            rows.append([str(v) for v in row])
    return rows


def _amount(text: str) -> str:
    return f"{Decimal(text.replace(',', '')):,.2f}"


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_build_writes_print_pdf_and_preview(built_town: Path, notice_id: str):
    pdf = built_town / "out" / "print" / f"{notice_id}.pdf"
    png = built_town / "out" / "preview" / f"{notice_id}.png"
    assert pdf.read_bytes().startswith(b"%PDF")
    with Image.open(png) as image:
        assert max(image.size) == 1600


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_page_sizes_are_exact_a_series(built_town: Path, notice_id: str):
    paper, orientation = SAMPLES[notice_id]
    short, long = A_SERIES[paper]
    expected = (long * MM, short * MM) if orientation == "landscape" else (short * MM, long * MM)
    for width, height in pdf_pages(built_town / "out" / "print" / f"{notice_id}.pdf"):
        assert width == pytest.approx(expected[0], abs=0.01)
        assert height == pytest.approx(expected[1], abs=0.01)


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_qr_decodes_on_every_sheet_at_150_dpi(built_town: Path, notice_id: str):
    pdf = built_town / "out" / "print" / f"{notice_id}.pdf"
    for index in range(len(pdf_pages(pdf))):
        assert decode_qr(render_page(pdf, index, dpi=150)) == [f"https://gk.example.gov.cn/lcz/{notice_id}/"]


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_every_input_string_is_in_the_pdf_text(built_town: Path, notice_id: str):
    text = pdf_text(built_town / "out" / "print" / f"{notice_id}.pdf")
    rows = _input_rows(built_town, notice_id)
    assert len(rows) > 40
    missing = []
    for code, name, *amounts in rows:
        for needle in [code, name] + [_amount(a) for a in amounts if a]:
            if needle and not findable(needle, text):
                missing.append(needle)
    assert missing == []


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_every_font_is_embedded_and_subset(built_town: Path, notice_id: str):
    raw = (built_town / "out" / "print" / f"{notice_id}.pdf").read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts, "no fonts found"
    for name in fonts:
        assert re.match(rb"[A-Z]{6}\+", name), f"{name!r} is not a subset"
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", raw)) > 0


def test_sheet_carries_title_issuer_dates_hotline_and_qr_caption(built_town: Path):
    text = pdf_text(built_town / "out" / "print" / "2026q1-finance.pdf")
    for needle in [
        "两城镇2026年第一季度财政收支情况公示",
        "两城镇人民政府",
        "发布日期：2026年4月12日",
        "公示期：2026年4月12日至2026年4月21日",
        "单位：万元",
        "监督电话：0537-1234567",
        "扫码查看网上公开版本",
        "https://gk.example.gov.cn/lcz/2026q1-finance/",
    ]:
        assert findable(needle, text), needle


def test_computed_percentages_and_summary(built_town: Path):
    text = "".join(pdf_text(built_town / "out" / "print" / "2026q1-finance.pdf").split())
    # 收入合计: 累计 1,323.50 of budget 6,347.00 = 20.85% -> 20.9; last year 1,383.79 -> -4.36% -> -4.4
    assert "收入合计6,347.001,323.501,323.501,383.7920.9-4.4" in text
    assert "2026年第一季度，收入累计1,323.50万元，完成预算的20.9%，比上年同期下降4.4%" in text


def test_continuation_sheets_are_numbered_with_repeated_headers(built_town: Path):
    pdf = built_town / "out" / "print" / "2026q2-finance.pdf"
    document = pdfium.PdfDocument(str(pdf))
    try:
        count = len(document)
        assert count >= 2
        for index, page in enumerate(document, start=1):
            text = "".join(page.get_textpage().get_text_range().split())
            assert f"第{index}张/共{count}张" in text
            if index == 1 or re.search(r"2\d{6}", text):  # a sheet that carries table rows
                assert "科目名称" in text  # the table header is repeated
                # a later sheet continues a table (续表), unless a table begins there: at the 12 pt A4 floor
                # the expenditure table starts on sheet 2 (issue 19)
                begins = (
                    "二、支出情况科目编码" in text
                )  # the caption, not its （续表）; the unit is said once, in the meta line
                assert ("（续表）" in text) == (index > 1 and not begins)
    finally:
        document.close()


def test_rebuilding_gives_identical_bytes(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    first = (town / "out" / "print" / "2026q2-finance.pdf").read_bytes()
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    assert (town / "out" / "print" / "2026q2-finance.pdf").read_bytes() == first


def test_init_creates_a_workspace_that_builds(tmp_path: Path):
    result = run("init", tmp_path / "新镇")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "新镇" / "noticeboard.yaml").is_file()
    assert run("check", "-w", tmp_path / "新镇").exit_code == 0


def test_init_refuses_a_non_empty_directory(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("x")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert "不是空的" in result.output
    assert (tmp_path / "keep.txt").read_text() == "x"
