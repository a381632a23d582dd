"""Every name a village holds: CJK Extensions A to H print in the right glyph and extract as themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import make_workspace, pdf_text, run

from noticeboard.layout.fonts import build_stack, to_unicode_cmap

# one family name + a rare given-name character from each block, and the shipped font that draws it
RARE = {
    "Ext A": ("吴䶮", "NotoSansSC-Regular.ttf"),
    "Ext B": ("张𠮷", "HanExt-BabelStone.ttf"),
    "Ext B (HanaMin only)": ("钱𠀣", "HanExt-HanaMin.ttf"),
    "Ext B 2": ("李𠀋", "HanExt-BabelStone.ttf"),
    "Ext C": ("王𪜀", "HanExt-BabelStone.ttf"),
    "Ext D": ("赵𫝀", "HanExt-BabelStone.ttf"),
    "Ext E": ("陈𬌗", "NotoSansSC-Regular.ttf"),
    "Ext F": ("刘𬺰", "HanExt-BabelStone.ttf"),
    "Ext G": ("孙𰀀", "HanExt-BabelStone.ttf"),
    "Ext G 2": ("冯𰻝", "NotoSansSC-Regular.ttf"),
    "Ext H": ("周𱍐", "HanExt-BabelStone.ttf"),
    "GB 18030-2022 (U+9FB4, out of the PUA)": ("郑龴", "NotoSansSC-Regular.ttf"),
    "GB 18030-2022 (U+20087, out of the PUA)": ("何𠂇", "NotoSansSC-Regular.ttf"),
    "Unicode 13 URO (U+9FFC)": ("林鿼", "HanExt-BabelStone.ttf"),
}
NAMES = [name for name, _ in RARE.values()]
STACK, _ = build_stack([])


@pytest.mark.parametrize("block", list(RARE))
def test_each_block_is_drawn_by_a_shipped_font_in_both_weights(block: str):
    name, font = RARE[block]
    char = name[-1]
    assert STACK.face_for(char).path.name == font
    assert STACK.face_for(char, bold=True) is not None
    for role in ("title", "body", "heading", "subheading"):
        assert STACK.role(role).face_for(char) is not None, role


def test_the_tounicode_map_writes_surrogate_pairs():
    cmap = to_unicode_cmap("AAAAAA+X", [0x9648, 0x2C317, 0x31350])
    assert "<00> <9648>" in cmap
    assert "<01> <D870DF17>" in cmap  # 𬌗, not <2C317>
    assert "<02> <D884DF50>" in cmap  # 𱍐


ROSTER_YAML = """\
id: t-rare
kind: roster
title: 测试村2026年低保对象公示
issuer: 测试村村民委员会
date: 2026-04-12
display_days: 7
paper: A4
data: t-rare.csv
columns: [序号, 姓名, 村民小组]
"""


def _roster_csv() -> str:
    rows = ["序号,姓名,村民小组"] + [f"{i},{name},第一村民小组" for i, name in enumerate(NAMES, start=1)]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def rare_roster(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rare")
    make_workspace(root, {"notices/t-rare.yaml": ROSTER_YAML, "notices/t-rare.csv": _roster_csv()})
    result = run("build", "-w", root, "--draft")
    assert result.exit_code == 0, result.output
    return root / "out" / "print" / "t-rare.pdf"


def test_a_roster_with_names_from_every_extension_extracts_them_as_themselves(rare_roster: Path):
    text = pdf_text(rare_roster)
    missing = [name for name in NAMES if name not in text]
    assert missing == []
    assert "\ufffd" not in text


def test_every_tounicode_destination_in_the_roster_is_utf16(rare_roster: Path):
    """No code point is written as such: every destination is 4 hex digits, or a surrogate pair."""
    seen_pairs = 0
    with pikepdf.open(rare_roster) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/ToUnicode") is not None:
                cmap = obj.ToUnicode.read_bytes().decode("ascii")
                cmap = cmap[cmap.index("beginbfchar") : cmap.index("endbfchar")]
                for destination in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", cmap):
                    assert len(destination) in (4, 8), destination
                    if len(destination) == 8:
                        assert 0xD800 <= int(destination[:4], 16) <= 0xDBFF
                        seen_pairs += 1
    assert seen_pairs >= 10


def test_the_extension_fonts_are_embedded_as_subsets(rare_roster: Path):
    raw = rare_roster.read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>\[]+)", raw))
    assert b"BabelStoneHan" in fonts and any(b"HanaMin" in name for name in fonts), fonts


LETTER_YAML = """\
id: t-letter
kind: letter
title: 致全体村民的一封信
issuer: 测试村村民选举委员会
date: 2026-02-20
paper: A4
data: t-households.csv
body: |
  尊敬的{户主}户：
  请您家（户号{户号}）按时参加投票。
"""


def test_letters_to_households_with_rare_names_carry_each_name(tmp_path: Path):
    rows = ["户号,户主,村民小组,地址"] + [
        f"01010{i:02d},{name},第一村民小组,一组{i}号" for i, name in enumerate(NAMES, 1)
    ]
    make_workspace(tmp_path, {"notices/t-letter.yaml": LETTER_YAML, "notices/t-households.csv": "\n".join(rows) + "\n"})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(tmp_path / "out" / "print" / "t-letter.pdf"))
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    assert len(pages) == len(NAMES)
    for name, page in zip(NAMES, pages):
        assert f"尊敬的{name}户" in "".join(page.split()), name
    receipts = pdf_text(tmp_path / "out" / "print" / "t-letter-receipts.pdf")
    assert [name for name in NAMES if name not in receipts] == []


def test_a_character_no_font_has_is_still_a_located_error(tmp_path: Path):
    csv = _roster_csv() + f"{len(NAMES) + 1},冯\U00031383,第一村民小组\n"  # Ext H, in no shipped font
    make_workspace(tmp_path, {"notices/t-rare.yaml": ROSTER_YAML, "notices/t-rare.csv": csv})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    line = len(NAMES) + 2
    assert f"notices/t-rare.csv:{line}:B: 错误: 字符「\U00031383」（U+31383）没有任何字体能显示" in result.output


def test_a_notice_with_rare_names_in_its_body_extracts_them(tmp_path: Path):
    body = "经审核，以下人员符合条件：" + "、".join(NAMES) + "。"
    notice = (
        "id: t-notice\nkind: notice\ntitle: 关于低保对象的公示\nissuer: 测试村村民委员会\n"
        f"date: 2026-04-12\npaper: A4\nbody: |\n  {body}\n"
    )
    make_workspace(tmp_path, {"notices/t-notice.yaml": notice})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    text = "".join(pdf_text(tmp_path / "out" / "print" / "t-notice.pdf").split())
    assert "、".join(NAMES) in text


def test_the_online_copy_carries_a_woff2_of_exactly_its_rare_characters(rare_roster: Path):
    from fontTools.ttLib import TTFont

    from noticeboard.render.webfont import is_rare

    folder = rare_roster.parent.parent / "site" / "t-rare"
    html = (folder / "index.html").read_text("utf-8")
    faces = re.findall(
        r'@font-face\{font-family:"nb-rare";src:url\("([^"]+)"\) format\("woff2"\);'
        r"unicode-range:([^;]+);",
        html,
    )
    assert faces, "no @font-face for the rare names"
    assert 'font-family:"nb-rare",' in html
    wanted = {c for name in NAMES for c in name if is_rare(c)}
    assert len(wanted) >= 10
    carried: set[str] = set()
    for file, unicode_range in faces:
        assert "/" not in file and not file.startswith("http")  # beside the page, nothing external
        font = TTFont(folder / file)
        assert font.flavor == "woff2"
        cmap = {chr(c) for c in font.getBestCmap()}
        assert cmap == {chr(int(u[2:], 16)) for u in unicode_range.split(",")}
        carried |= cmap
    assert carried == wanted  # exactly the rare characters the page uses
    assert sum((folder / f).stat().st_size for f, _ in faces) < 100_000


def test_a_phone_without_the_rare_glyphs_draws_them_from_the_page_font(rare_roster: Path, tmp_path: Path):
    """Chromium with only Noto Sans SC as a system font: every nb-rare face loads, from the page's folder."""
    import shutil

    from noticeboard.resources import fonts_dir

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it with apt-get)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    (tmp_path / "fonts").mkdir()
    shutil.copy(fonts_dir() / "NotoSansSC-Regular.ttf", tmp_path / "fonts")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    page_file = rare_roster.parent.parent / "site" / "t-rare" / "index.html"
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], env={"FONTCONFIG_FILE": str(config)}
        )
        page = browser.new_page(viewport={"width": 360, "height": 740})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        statuses = page.evaluate("[...document.fonts].map(f => f.family + ':' + f.status)")
        browser.close()
    assert statuses and set(statuses) == {"nb-rare:loaded"}, statuses
    assert all(url.startswith(page_file.parent.as_uri()) for url in requests), requests
