"""Each sample's online page in a real browser (Debian's Chromium through playwright) at two phone
widths and a desktop one: no sideways scroll, every number in view, phone numbers tap-to-call and
whole, and axe-core finding nothing serious."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from noticeboard.render.site import PHONE
from noticeboard.resources import fonts_dir

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
WIDTHS = [360, 390, 1280]
# Keep Chromium off the network: this machine has none, and the page must need none.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Every element holding text directly: where it lies, whether it is drawn, and what it says.
TEXT_BOXES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || seen.has(element) || element.closest('style,script')) continue;
    seen.add(element);
    const range = document.createRange(); range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    const tel = element.closest('a[href^="tel:"]');
    out.push({tag: element.tagName, text: node.textContent, left: rect.left, right: rect.right,
              shown: element.checkVisibility() && rect.width > 0,
              tel: tel ? tel.getAttribute('href') : null, telLines: tel ? tel.getClientRects().length : 0});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it with apt-get)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]' brings playwright")
    # A phone has CJK system fonts; this machine may not, so point fontconfig at the shipped ones.
    config = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts_dir()}</dir>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>',
        encoding="utf-8",
    )
    with playwright_api.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, env={"FONTCONFIG_FILE": str(config)})
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install '.[test]' brings axe")
    return module.Axe()


def _open(browser, built_town: Path, notice_id: str, width: int):
    site = built_town / "out" / "site"
    path = site / "index.html" if notice_id == "index" else site / notice_id / "index.html"
    page = browser.new_page(viewport={"width": width, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notice_id", SAMPLES + ["index"])
def test_page_fits_the_screen_and_shows_every_number(
    browser, axe, built_town: Path, tmp_path: Path, notice_id: str, width: int
):
    page, requests = _open(browser, built_town, notice_id, width)
    try:
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"the page scrolls sideways at {width} px"
        assert page.locator("h1").is_visible()
        boxes = page.evaluate(TEXT_BOXES)
        shown_text = "".join(page.evaluate("document.body.innerText").split())
        too_wide = [b["text"][:30] for b in boxes if b["shown"] and (b["left"] < -1 or b["right"] > inner_width + 1)]
        assert too_wide == [], f"text beyond the screen's edge at {width} px"
        for box in boxes:
            if re.search(r"\d", box["text"]) and not box["shown"]:
                # a number hidden in one place (a card's 序号 column) must be shown in another
                assert "".join(box["text"].split()) in shown_text, box
        for box in boxes:
            for match in PHONE.finditer(box["text"]):
                assert box["tel"] == "tel:" + re.sub(r"\D", "", match.group()), (match.group(), box)
                assert box["telLines"] == 1, f"{match.group()} breaks across lines at {width} px"
        if notice_id != "index":
            cell = page.locator("main td:visible, main p:visible").first
            assert cell.is_visible() and cell.inner_text().strip()
        assert [url for url in requests if not url.startswith("file:")] == []
        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
        if width == 360:
            page.screenshot(path=str(tmp_path / f"{notice_id}.png"), full_page=True)
            assert (tmp_path / f"{notice_id}.png").stat().st_size > 5000
    finally:
        page.close()


def test_contacts_rows_are_cards_with_tap_to_call_office_numbers(browser, built_town: Path):
    page, _ = _open(browser, built_town, "2026-org", 360)
    try:
        card = page.locator("table.cards tbody tr").first
        box = card.bounding_box()
        assert box["width"] <= 360 and box["x"] >= 0
        assert card.locator("th[scope=row]").inner_text() == "高志远"
        link = card.locator('a[href="tel:05371234501"]')
        assert link.inner_text() == "0537-1234501" and link.is_visible()
        assert page.locator('main a[href^="tel:"]').count() >= 9  # eight leaders and the 监督电话, at least
        # the row's name is its heading: the same row at 1280 px is an ordinary table row again
        page.set_viewport_size({"width": 1280, "height": 800})
        assert page.evaluate("getComputedStyle(document.querySelector('table.cards tbody tr')).display") == "table-row"
    finally:
        page.close()


def test_tasks_card_sets_the_progress_large_and_the_status_as_a_badge(browser, built_town: Path):
    page, _ = _open(browser, built_town, "2026q2-tasks", 360)
    try:
        card = page.locator("table.cards tbody tr").first
        key = card.locator(".card-key")
        assert key.inner_text().strip() == "65%"
        size = float(page.evaluate("s => parseFloat(getComputedStyle(s).fontSize)", key.element_handle()))
        assert size >= 22
        assert card.locator(".badge").inner_text() == "推进中"
        assert page.locator("header .badge").inner_text() in ("公示中", "已结束", "未开始")
    finally:
        page.close()
