"""Each sample's online page in a real browser at phone size (360×740): no sideways scroll, content visible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from noticeboard.resources import fonts_dir

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SAMPLES = ["2026q1-finance", "2026q2-finance", "2026-org", "2026q2-tasks", "2026-election-notice",
           "2026-voter-list", "2026q2-dibao"]
# Keep Chromium off the network: this machine has none, and the page must need none.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it with apt-get)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]' brings playwright")
    # A phone has CJK system fonts; this machine may not, so point fontconfig at the shipped ones.
    config = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{fonts_dir()}</dir>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>', encoding="utf-8")
    with playwright_api.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, env={"FONTCONFIG_FILE": str(config)})
        yield instance
        instance.close()


@pytest.mark.parametrize("notice_id", SAMPLES + ["index"])
def test_page_fits_a_phone_and_shows_its_content(browser, built_town: Path, tmp_path: Path, notice_id: str):
    site = built_town / "out" / "site"
    path = site / "index.html" if notice_id == "index" else site / notice_id / "index.html"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, "the page scrolls sideways at 360 px"
    assert page.locator("h1").is_visible()
    if notice_id != "index":
        cell = page.locator("main table td, main p").first
        assert cell.is_visible() and cell.inner_text().strip()
    assert [url for url in requests if not url.startswith("file:")] == []
    page.screenshot(path=str(tmp_path / f"{notice_id}.png"))
    assert (tmp_path / f"{notice_id}.png").stat().st_size > 5000
    page.close()
