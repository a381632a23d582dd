"""site/<id>/share.png: the whole notice as one tall picture for WeChat groups, QR code at the end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from conftest import decode_qr
from PIL import Image

SAMPLES = [
    "2026q1-finance",
    "2026q2-finance",
    "2026-org",
    "2026q2-tasks",
    "2026-election-notice",
    "2026-voter-list",
    "2026q2-dibao",
    "2026-election-letter",
]
BASE = "https://gk.example.gov.cn/lcz/"


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_share_picture_is_1080_wide_and_its_qr_opens_the_online_copy(built_town: Path, notice_id: str):
    site = built_town / "out" / "site" / notice_id
    image = Image.open(site / "share.png")
    assert image.format == "PNG" and image.width == 1080
    assert image.height > 1500  # the whole notice, not a thumbnail of its first sheet
    end = image.crop((0, image.height - 1100, 1080, image.height))  # the QR code comes last
    results = zxingcpp.read_barcodes(end)
    assert [r.text for r in results] == [f"{BASE}{notice_id}/"]
    assert results[0].position.top_left.y > 200
    assert 'href="share.png"' in (site / "index.html").read_text(encoding="utf-8")


def test_share_picture_has_large_type_and_no_blank_stretch(built_town: Path):
    image = Image.open(built_town / "out" / "site" / "2026q2-tasks" / "share.png").convert("L")
    # every 600 px band holds ink: the picture is drawn all the way down, not padded
    for top in range(0, image.height - 600, 600):
        band = image.crop((0, top, 1080, top + 600))
        assert band.getextrema()[0] < 100, f"blank from {top} px"
    # the red band across the top, as on the online copy
    assert Image.open(built_town / "out" / "site" / "2026q2-tasks" / "share.png").convert("RGB").getpixel((10, 10)) == (
        0xB3,
        0x14,
        0x1B,
    )


def test_share_picture_is_drawn_from_the_parts_not_the_pdf(built_town: Path, tmp_path: Path):
    from noticeboard.load.workspace import load_workspace
    from noticeboard.render import share
    from noticeboard.render import site as site_pages

    loaded = load_workspace(built_town)
    notice = next(n for n in loaded.workspace.notices if n.id == "2026q2-dibao")
    composition = loaded.kinds[notice.kind].compose(notice)
    page = site_pages.NoticePage(
        id=notice.id,
        title="测试标题",
        issuer="某村",
        date_text="2026年4月8日",
        meta=[],
        hotline="0537-1234567",
        pdf_file="x.pdf",
        sha256="0",
        parts=site_pages.html_parts(composition.blocks),
        code="ABCD-EFGH",
    )
    data = share.share_png(page, loaded.fonts, notice.url)
    image = Image.open(io.BytesIO(data))
    assert image.width == 1080
    assert [r.text for r in zxingcpp.read_barcodes(image.crop((0, image.height - 1100, 1080, image.height)))] == [
        notice.url
    ]


def test_a_very_long_notice_makes_a_picture_of_bounded_height():
    from noticeboard.layout.fonts import build_stack
    from noticeboard.render import site as site_pages
    from noticeboard.render.share import MAX_BODY, share_png

    stack, _ = build_stack([])
    rows = [([site_pages.HtmlCell(f"第{n}笔"), site_pages.HtmlCell(f"{n}.00")], False, False, 0) for n in range(6000)]
    table = site_pages.HtmlTable("明细", ["摘要", "金额"], [False, True], rows, [False, False])
    page = site_pages.NoticePage(
        "t", "很长的公示", "测试村民委员会", "2026年3月1日", [], "0537-1234567", "t.pdf", "0" * 64, [table]
    )
    data = share_png(page, stack, "https://gk.example.gov.cn/test/t/")
    with Image.open(io.BytesIO(data)) as image:
        assert image.width == 1080 and MAX_BODY < image.height < MAX_BODY + 3000
        assert decode_qr(image.crop((0, image.height - 2500, 1080, image.height))) == [
            "https://gk.example.gov.cn/test/t/"
        ]
