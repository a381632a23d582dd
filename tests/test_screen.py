"""screen/: the electronic board, every current notice sheet by sheet, turning by itself without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import run
from PIL import Image

from noticeboard import pipeline
from noticeboard.resources import samples_dir

ON = dt.datetime(2026, 4, 13, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # q1 finance and 低保 in their 公示期
REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+); url=([^"]+)">')


def _town(tmp_path: Path, screen: str | None = None) -> Path:
    town = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", town, ignore=shutil.ignore_patterns("out"))
    if screen is not None:
        settings = town / "noticeboard.yaml"
        text = re.sub(r"^screen:.*$", f"screen: {screen}", settings.read_text(encoding="utf-8"), flags=re.M)
        assert f"screen: {screen}" in text
        settings.write_text(text, encoding="utf-8")
    return town


def _chain(folder: Path) -> list[tuple[str, int, str]]:
    """Follow the refreshes from index.html until they come back: (page, seconds, its picture)."""
    seen, page = [], "index.html"
    while True:
        text = (folder / page).read_text(encoding="utf-8")
        assert "<script" not in text
        seconds, following = REFRESH.search(text).groups()
        picture = re.search(r'<img src="([^"]+)"', text).group(1)
        seen.append((page, int(seconds), picture))
        page = following
        if page == "index.html":
            return seen
        assert len(seen) < 50


@pytest.fixture(scope="module")
def april_town(tmp_path_factory) -> Path:
    town = _town(tmp_path_factory.mktemp("screen"))
    result = pipeline.build(town, ids=["2026q1-finance", "2026q2-dibao", "2026-org", "2026-voter-list"], now=ON)
    assert result.ok, result.problems
    return town


def _pages(pdf: Path) -> int:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def test_every_current_sheet_is_a_screen_and_the_pages_turn_round(april_town: Path):
    folder = april_town / "out" / "screen"
    chain = _chain(folder)
    pictures = [picture for _, _, picture in chain]
    finance = _pages(april_town / "out" / "print" / "2026q1-finance.pdf")
    assert finance >= 2
    # newest first; the voter list's 公示期 ended on 3月11日, so it is off the board
    assert pictures == [f"2026q1-finance-{n}.png" for n in range(1, finance + 1)] + [
        "2026q2-dibao-1.png",
        "2026-org-1.png",
    ]
    assert {seconds for _, seconds, _ in chain} == {15}
    assert sorted(p.name for p in folder.glob("*.png")) == sorted(pictures)
    for picture in pictures:
        assert Image.open(folder / picture).size == (1920, 1080)


def test_a_screen_shows_the_sheet_and_a_qr_code_that_opens_the_online_copy(april_town: Path):
    image = Image.open(april_town / "out" / "screen" / "2026q2-dibao-1.png")
    texts = {r.text for r in zxingcpp.read_barcodes(image)}
    assert "https://gk.example.gov.cn/lcz/2026q2-dibao/" in texts


def test_a_portrait_board_at_its_own_size_and_pace(tmp_path: Path):
    town = _town(tmp_path, "{width: 1080, height: 1920, seconds: 20}")
    assert pipeline.build(town, ids=["2026q2-dibao", "2026-org"], now=ON).ok
    folder = town / "out" / "screen"
    chain = _chain(folder)
    assert [picture for *_, picture in chain] == ["2026q2-dibao-1.png", "2026-org-1.png"]
    assert {seconds for _, seconds, _ in chain} == {20}
    for *_, picture in chain:
        image = Image.open(folder / picture)
        assert image.size == (1080, 1920)
    # the portrait sheet fills the board's width, the panel below it
    # between the note under the table and the footer: since issue 19 the table is set larger, with
    # two-line headers centred, and reaches further down the sheet
    row = Image.open(folder / "2026q2-dibao-1.png").convert("L").crop((0, 1200, 1080, 1201))
    assert sum(1 for x in range(1080) if row.getpixel((x, 0)) > 250) > 950


def test_a_notice_whose_display_period_ends_leaves_the_board(april_town: Path, tmp_path: Path):
    town = tmp_path / "town"
    shutil.copytree(april_town, town, symlinks=True)  # out/ is links into its generations
    later = ON + dt.timedelta(days=30)  # both 公示期 over; the standing contacts list stays
    assert pipeline.build(town, ids=["2026-org"], now=later).ok
    assert [picture for *_, picture in _chain(town / "out" / "screen")] == ["2026-org-1.png"]
    assert sorted(p.name for p in (town / "out" / "screen").glob("*.png")) == ["2026-org-1.png"]


def test_drafts_never_reach_the_board(tmp_path: Path):
    town = _town(tmp_path)
    assert run("build", "--draft", "-w", town, "2026-org").exit_code == 0
    assert not (town / "out" / "screen").exists()


def test_a_bad_screen_setting_is_located(tmp_path: Path):
    town = _town(tmp_path, "{width: 100, height: 1080, colour: red}")
    result = run("check", "-w", town)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        re.fullmatch(r"noticeboard\.yaml:\d+: 错误: 「width」（宽度（像素））不能小于 320，现在是 100。", line)
        for line in lines
    ), result.output
    assert any("colour" in line and "screen" in line for line in lines), result.output
