"""letter (致村民的一封信): one letter per household, its receipt register and its online copy.

The 600-household sample is built once (built_town) and read back as a villager and a group
leader see it: one A4 page per household, in 村民小组 then 户号 order, each with its own
户号, 户主, 地址 and QR code. Bad inputs are small workspaces checked through the CLI, each
message asserted with its location and exit code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import shutil
import sqlite3
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import (
    SETTINGS,
    decode_qr,
    findable,
    make_workspace,
    pdf_pages,
    pdf_text,
    render_page,
    run,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.layout.blocks import PT_PER_MM
from noticeboard.layout.letter import LetterOverflow, letter_page, letter_sheets
from noticeboard.layout.qr import QUIET_ZONE
from noticeboard.layout.sheet import QRItem, TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.render import letters as render_letters
from noticeboard.resources import samples_dir
from noticeboard.templates.letter import plan_for

SAMPLE = "2026-election-letter"
SAMPLE_URL = f"https://gk.example.gov.cn/lcz/{SAMPLE}/"
URL = "https://gk.example.gov.cn/test/t-letter/"  # conftest.SETTINGS base_url + id
A4 = (595.276, 841.89)
A5 = (419.528, 595.276)
GROUP_NUMERALS = "一二三四五六七八九"
ID_NUMBER = "11010519491231002X"  # GB 11643's own example: a valid check digit
HOUSEHOLDS = """\
户号,户主,村民小组,地址
0101001,张三,第一村民小组,一组1号
0101002,李四,第二村民小组,二组2号
0101003,王五,第一村民小组,一组3号
"""
BODY = (
    "尊敬的{户主}户：\n您好！请您家（户号{户号}）按时参加投票。\n三、严肃换届纪律\n"
    "不得以金钱、财物拉票贿选。\n此致\n敬礼！"
)


# --------------------------------------------------------------------------- helpers


def letter_yaml(body: str | None = BODY, **extra: str) -> str:
    """A letter notice. Lines: 1–7 the common keys, then ``extra`` in order, then ``body: |``."""
    fields = {
        "id": "t-letter",
        "kind": "letter",
        "title": "致全体村民的一封信",
        "issuer": "测试村村民选举委员会",
        "date": "2026-02-20",
        "paper": "A4",
        "data": "t-households.csv",
    }
    fields.update(extra)
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    if body is not None:
        text += "body: |\n" + "".join(f"  {line}\n" for line in body.split("\n"))
    return text


def body_line(extra: int = 0) -> int:
    """The file line of ``body:`` in letter_yaml with ``extra`` keys beyond the common seven."""
    return 8 + extra


def workspace(root: Path, yaml_text: str, households: str | bytes = HOUSEHOLDS) -> Path:
    return make_workspace(root, {"notices/t-letter.yaml": yaml_text, "notices/t-households.csv": households})


def households_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def check(root: Path) -> tuple[int, str]:
    result = run("check", "-w", root)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def build(root: Path, *args: str) -> Path:
    result = run("build", "-w", root, *args)
    assert result.exit_code == 0, result.output
    return root / "out"


def page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def flat(text: str) -> str:
    return "".join(text.split())


def sample_rows() -> list[dict[str, str]]:
    raw = (samples_dir() / "town" / "notices" / "2026-households.csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("gbk"))))


def group_order(name: str) -> int:
    """第一村民小组 → 1 … 第六村民小组 → 6 (the sample's groups are 一 to 六)."""
    return GROUP_NUMERALS.index(re.match(r"第(.)", name).group(1)) + 1


ADDRESSEE = re.compile(r"送：(\S+)\u3000户号 (\S+)\u3000户主 (\S+)\u3000(\S+)")


def addressee_numbers(texts: list[str]) -> list[str]:
    """The 户号 of each page's 送：line, in page order."""
    numbers = []
    for text in texts:
        match = ADDRESSEE.search(text)
        assert match, text[-300:]
        numbers.append(match.group(2))
    return numbers


def char_x(page, needle: str) -> list[float]:
    """Left edge of every occurrence of ``needle`` on a pdfium page."""
    textpage = page.get_textpage()
    searcher = textpage.search(needle)
    found = []
    while (hit := searcher.get_next()) is not None:
        found.append(textpage.get_charbox(hit[0])[0])
    return found


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_pdf(built_town: Path) -> Path:
    return built_town / "out" / "print" / f"{SAMPLE}.pdf"


@pytest.fixture(scope="module")
def sample_texts(sample_pdf: Path) -> list[str]:
    return page_texts(sample_pdf)


@pytest.fixture(scope="module")
def expected_order() -> list[dict[str, str]]:
    """sort_by: [村民小组, 户号]: 第一 … 第六 by numeral, 户号 ascending within a group."""
    return sorted(sample_rows(), key=lambda r: (group_order(r["村民小组"]), int(r["户号"])))


def spot_pages(expected: list[dict[str, str]]) -> list[int]:
    heads = [i for i, r in enumerate(expected) if r["户主"].startswith("欧阳") or "·" in r["户主"]]
    assert len(heads) >= 3  # 欧阳 twice and a middle-dot name, in the sample
    return sorted({0, len(expected) // 2, len(expected) - 1, *heads})


def test_sample_has_one_a4_page_per_household(sample_pdf: Path):
    rows = sample_rows()
    assert len(rows) == 600
    sizes = pdf_pages(sample_pdf)
    assert len(sizes) == len(rows)
    for width, height in sizes:
        assert width == pytest.approx(A4[0], abs=0.01) and height == pytest.approx(A4[1], abs=0.01)


def test_sample_fonts_are_embedded_and_subset(sample_pdf: Path):
    raw = sample_pdf.read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts
    for name in fonts:
        assert re.match(rb"[A-Z]{6}\+", name), name
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type\s*/FontDescriptor", raw)) > 0


def test_sample_follows_sort_by_group_then_household(sample_texts, expected_order):
    # the file has a few households appended out of order: sorting must move them into their group
    assert [r["户号"] for r in sample_rows()] != [r["户号"] for r in expected_order]
    assert addressee_numbers(sample_texts) == [r["户号"] for r in expected_order]


def test_sample_spot_pages_carry_their_own_household(sample_texts, expected_order):
    for index in spot_pages(expected_order):
        row, text = expected_order[index], sample_texts[index]
        match = ADDRESSEE.search(text)
        assert match.groups() == (row["村民小组"], row["户号"], row["户主"], row["地址"]), (index, match.groups())
        assert f"尊敬的{row['户主']}户：" in text, index
        assert findable(f"户号{row['户号']}，{row['村民小组']}）送达这封信", text), index
        # the static paragraphs are form XObjects: extraction must still see them
        for static in (
            "三、严肃换届纪律",
            "选举坚持公开、公平、公正",
            "此致",
            "敬礼！",
            "小庄村村民选举委员会",
            "2026年2月20日",
        ):
            assert static in text, (index, static)
        # no other household's details leak onto this page
        for other in (expected_order[index - 1], expected_order[(index + 1) % len(expected_order)]):
            assert other["户号"] not in text


def test_sample_qr_codes_decode_to_each_households_address(sample_pdf: Path, expected_order):
    spots = spot_pages(expected_order)
    for index in spots[:3] + spots[-2:]:
        number = expected_order[index]["户号"]
        assert decode_qr(render_page(sample_pdf, index, dpi=150)) == [f"{SAMPLE_URL}?h={number}"], index


def test_sample_salutation_uses_each_head(sample_texts, expected_order):
    salutations = [re.search(r"尊敬的(\S+?)户：", text).group(1) for text in sample_texts]
    assert salutations == [r["户主"] for r in expected_order]


# --------------------------------------------------------------------------- receipt register


def test_receipts_list_every_household_on_numbered_a4_sheets(built_town: Path):
    path = built_town / "out" / "print" / f"{SAMPLE}-receipts.pdf"
    texts = page_texts(path)
    sizes = pdf_pages(path)
    assert len(sizes) == len(texts) > 1
    for width, height in sizes:
        assert width == pytest.approx(A4[0], abs=0.01) and height == pytest.approx(A4[1], abs=0.01)
    for number, text in enumerate(texts, start=1):
        assert f"第{number}张/共{len(texts)}张" in flat(text), number
    listed = re.findall(r"\b03\d{5}\b", "\n".join(texts))
    assert sorted(listed) == sorted(r["户号"] for r in sample_rows())  # each once, none missing
    whole = flat("\n".join(texts))
    for row in sample_rows()[::37]:
        assert row["户主"] in whole and row["地址"] in whole
    for label in ("序号", "户号", "户主", "村民小组", "地址", "签收人（签字）", "签收日期"):  # SPEC §2's columns
        assert all(label in flat(text) for text in texts), label


# --------------------------------------------------------------------------- online copy


def test_online_copy_names_the_placeholders_and_holds_no_household(built_town: Path):
    folder = built_town / "out" / "site" / SAMPLE
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "尊敬的〔户主〕户：" in html
    assert "户号〔户号〕，〔村民小组〕" in html
    assert "三、严肃换届纪律" in html
    assert "小庄村村民选举委员会" in html and "2026年2月20日" in html
    pdf = folder / f"{SAMPLE}.pdf"
    text = pdf_text(pdf)
    assert "尊敬的〔户主〕户：" in text
    for row in sample_rows():
        for key in ("户号", "户主", "地址"):
            assert row[key] not in html, (key, row[key])
            assert row[key] not in text, (key, row[key])
    assert len(pdf_pages(pdf)) == 1
    assert decode_qr(render_page(pdf, 0, dpi=150)) == [SAMPLE_URL]


# --------------------------------------------------------------------------- small workspaces


def test_a_gbk_households_file(tmp_path: Path):
    rows = (
        "户号,户主,村民小组,地址\n0101001,欧阳秀英,第一村民小组,东头老粮站后院\n"
        "0101002,阿依古丽·吐尔逊,第一村民小组,村委会西侧胡同\n"
    )
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您好！您家住在{地址}。"), rows.encode("gbk"))
    assert rows.encode("gbk").decode("gbk") == rows and rows.encode("gbk") != rows.encode("utf-8")
    texts = page_texts(build(tmp_path) / "print" / "t-letter.pdf")
    assert len(texts) == 2
    assert "尊敬的欧阳秀英户：" in texts[0] and "您家住在东头老粮站后院。" in texts[0]
    assert "尊敬的阿依古丽·吐尔逊户：" in texts[1] and "您家住在村委会西侧胡同。" in texts[1]


def test_without_qr_per_household_every_letter_points_to_the_online_copy(tmp_path: Path):
    workspace(tmp_path, letter_yaml())
    path = build(tmp_path) / "print" / "t-letter.pdf"
    assert len(pdf_pages(path)) == 3
    for index in range(3):
        assert decode_qr(render_page(path, index, dpi=150)) == [URL]
    assert "?h=" not in pdf_text(path)


def test_qr_per_household_and_file_order_without_sort_by(tmp_path: Path):
    workspace(tmp_path, letter_yaml(qr_per_household="true"))
    path = build(tmp_path) / "print" / "t-letter.pdf"
    assert addressee_numbers(page_texts(path)) == ["0101001", "0101002", "0101003"]
    assert decode_qr(render_page(path, 1, dpi=150)) == [f"{URL}?h=0101002"]


def test_sort_by_reads_numbers_inside_values(tmp_path: Path):
    rows = households_csv(
        [
            {"户号": "10", "户主": "甲", "村民小组": "第十村民小组"},
            {"户号": "9", "户主": "乙", "村民小组": "第十村民小组"},
            {"户号": "1", "户主": "丙", "村民小组": "第十一村民小组"},
            {"户号": "2", "户主": "丁", "村民小组": "第二村民小组"},
        ]
    )
    workspace(tmp_path, letter_yaml(sort_by="[村民小组, 户号]"), rows)
    loaded = load_workspace(tmp_path)
    notice = loaded.workspace.notices[0]
    households = loaded.kinds["letter"].compose(notice).letters.households
    assert [h.values["head"] for h in households] == ["丁", "乙", "甲", "丙"]


def test_a5_two_up_cut_and_stack(tmp_path: Path):
    count = 5
    rows = households_csv(
        [
            {"户号": f"01010{n:02d}", "户主": f"户主{n}", "村民小组": "第一村民小组", "地址": f"一组{n}号"}
            for n in range(1, count + 1)
        ]
    )
    workspace(tmp_path, letter_yaml(paper="A5", imposition="2up", qr_per_household="true"), rows)
    path = build(tmp_path) / "print" / "t-letter.pdf"
    half = math.ceil(count / 2)
    sizes = pdf_pages(path)
    assert len(sizes) == half
    for width, height in sizes:  # A4 landscape
        assert width == pytest.approx(A4[1], abs=0.01) and height == pytest.approx(A4[0], abs=0.01)
    document = pdfium.PdfDocument(str(path))
    try:
        for sheet in range(half):
            page = document[sheet]
            middle = page.get_size()[0] / 2
            pairs = [(sheet, True), (sheet + half, False)] if sheet + half < count else [(sheet, True)]
            for letter, left in pairs:
                xs = char_x(page, f"01010{letter + 1:02d}")
                assert xs, (sheet, letter)
                assert all((x < middle) == left for x in xs), (sheet, letter, xs)
            others = set(range(count)) - {letter for letter, _ in pairs}
            assert not any(char_x(page, f"01010{n + 1:02d}") for n in others), sheet
            image = page.render(scale=150 / 72).to_pil()
            width, height = image.size
            halves = [image.crop((0, 0, width // 2, height)), image.crop((width // 2, 0, width, height))]
            for (letter, _), piece in zip(pairs, halves):
                assert decode_qr(piece) == [f"{URL}?h=01010{letter + 1:02d}"], (sheet, letter)
            if len(pairs) == 1:
                assert decode_qr(halves[1]) == []
    finally:
        document.close()


def test_a5_alone_prints_a5_pages(tmp_path: Path):
    workspace(tmp_path, letter_yaml(paper="A5"))
    path = build(tmp_path) / "print" / "t-letter.pdf"
    sizes = pdf_pages(path)
    assert len(sizes) == 3
    for width, height in sizes:
        assert width == pytest.approx(A5[0], abs=0.01) and height == pytest.approx(A5[1], abs=0.01)
    assert decode_qr(render_page(path, 2, dpi=150)) == [URL]


def test_draft_letters_and_receipts_carry_the_watermark(tmp_path: Path):
    workspace(tmp_path, letter_yaml())
    out = build(tmp_path, "--draft")
    for name in ("t-letter.pdf", "t-letter-receipts.pdf"):
        texts = page_texts(out / "print" / name)
        assert texts and all("草稿" in text for text in texts), name
    final = build(tmp_path)  # and the final build carries none
    assert "草稿" not in pdf_text(final / "print" / "t-letter.pdf")


def test_long_runs_are_rendered_in_chunks_and_joined_in_order(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(render_letters, "CHUNK_SHEETS", 2)  # 5 letters: three chunks joined by pdfium
    rows = households_csv([{"户号": f"01010{n:02d}", "户主": f"户主{n}"} for n in range(1, 6)])
    workspace(tmp_path, letter_yaml(qr_per_household="true"), rows)
    path = build(tmp_path) / "print" / "t-letter.pdf"
    texts = page_texts(path)
    assert [re.search(r"送：户号 (\d+)", t).group(1) for t in texts] == [f"01010{n:02d}" for n in range(1, 6)]
    assert all("三、严肃换届纪律" in t for t in texts)
    assert decode_qr(render_page(path, 3, dpi=150)) == [f"{URL}?h=0101004"]
    objects_by_name: dict[str, set] = {}  # a subset name means one font program, across the joined chunks
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for xobject in page.Resources.get("/XObject", {}).values():
                for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                    objects_by_name.setdefault(str(font.BaseFont), set()).add(font.objgen)
            for font in page.Resources.get("/Font", {}).values():
                objects_by_name.setdefault(str(font.BaseFont), set()).add(font.objgen)
    assert len(objects_by_name) >= 6 and all(len(objects) == 1 for objects in objects_by_name.values())
    first = path.read_bytes()
    shutil.rmtree(tmp_path / "out")
    assert (build(tmp_path) / "print" / "t-letter.pdf").read_bytes() == first  # same letters, same bytes


# --------------------------------------------------------------------------- bad input


def test_a_good_letter_checks_clean(tmp_path: Path):
    workspace(tmp_path, letter_yaml())
    code, out = check(tmp_path)
    assert code == 0, out
    assert "检查完成：0 个错误，0 个警告。" in out


def test_placeholder_without_a_column(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的{户名}户：\n您好！"))
    code, out = check(tmp_path)
    assert code == 1
    assert (
        f"notices/t-letter.yaml:{body_line() + 1}: 错误: 正文中的占位符「{{户名}}」在数据表 notices/t-households.csv "
        "中没有对应的列。"
    ) in out
    assert "表中现有的列：户号、户主、村民小组、地址。" in out


def test_empty_value_for_a_used_placeholder_is_a_warning_and_the_letter_prints(tmp_path: Path):
    # 地址 is empty on another row, but the body does not use it: no warning for that one
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS.replace("李四", "").replace("一组3号", ""))
    code, out = check(tmp_path)
    assert code == 0, out
    assert "notices/t-households.csv:3:B: 警告: 第 3 行的「户主」是空的，这一户的信里 {户主} 的位置会空着。" in out
    assert "检查完成：0 个错误，1 个警告。" in out
    texts = page_texts(build(tmp_path) / "print" / "t-letter.pdf")
    assert len(texts) == 3
    assert "尊敬的户：" in texts[1] and "户号0101002" in flat(texts[1])


LONG_BODY = "尊敬的{户主}户：\n" + "\n".join(
    ["村民选举委员会特向您家送达这封信，请您和家人按时参加投票，珍惜民主权利。" * 4] * 21
)


def test_body_too_long_for_one_sheet(tmp_path: Path):
    assert len(LONG_BODY) > 3000
    workspace(tmp_path, letter_yaml(LONG_BODY))
    code, out = check(tmp_path)
    assert code == 1
    prefix = f"notices/t-letter.yaml:{body_line()}: 错误: 信的正文太长：字号缩到最小也放不进一张 A4 纸（还多出约"
    assert prefix in out and "一封信只印一张纸，请删减正文。" in out
    result = run("build", "-w", tmp_path)
    assert result.exit_code == 1
    assert prefix in result.output and "未生成：t-letter" in result.output
    out_dir = tmp_path / "out"
    assert not (out_dir / "print").exists() or not any((out_dir / "print").iterdir())
    assert not (out_dir / "site" / "t-letter").exists()


def test_body_too_long_counts_whole_lines(tmp_path: Path):
    workspace(tmp_path, letter_yaml(LONG_BODY))
    _, out = check(tmp_path)
    assert re.search(r"还多出约 \d+ 行）", out), out


LONG_ADDRESS = "小庄村" + "东头老粮站后院向北第三户" * 150


def test_one_households_overlong_value_is_located_at_its_row(tmp_path: Path):
    workspace(
        tmp_path,
        letter_yaml("尊敬的{户主}户：\n您好！请您家（{地址}）按时投票。"),
        HOUSEHOLDS.replace("二组2号", LONG_ADDRESS),
    )
    code, out = check(tmp_path)
    assert code == 1
    assert (
        "notices/t-households.csv:3:A: 错误: 户号「0101002」这一户信顶上的「送：」一行（村民小组、户号、户主、地址）"
        "超过了 3 行。请缩短这一户的地址或户主。"
    ) in out, out
    assert "信的正文太长" not in out and out.count("错误:") == 1
    result = run("build", "-w", tmp_path)  # build names the same household, and writes no letters
    assert result.exit_code == 1 and "户号「0101002」" in result.output
    assert not (tmp_path / "out" / "print" / "t-letter.pdf").exists()


# A's long note fits; B's long Latin words go one to a line, so its letter takes more room than
# one sheet has: B alone is refused, at its row.
WORD = "Xiaozhuang-village-east-end-courtyard-No.12"
NARROW_BUT_TALL = " ".join([WORD] * 40)
WIDE_BUT_SHORT = "东头老粮站后院" * 12  # two lines of the 送：line at most
OVERFLOW_BODY = "尊敬的{户主}户：\n说明：{说明}\n" + "\n".join(
    ["村民选举委员会特向您家送达这封信，请您按时参加投票。" * 2] * 3
)


def overflow_workspace(root: Path) -> Path:
    rows = households_csv(
        [
            {"户号": "0101001", "户主": "张三", "地址": "一组1号", "说明": WIDE_BUT_SHORT},
            {"户号": "0101002", "户主": "李四", "地址": "一组2号", "说明": NARROW_BUT_TALL},
            {"户号": "0101003", "户主": "王五", "地址": "一组3号", "说明": "无"},
        ]
    )
    return workspace(root, letter_yaml(OVERFLOW_BODY), rows)


def test_a_households_letter_that_overflows_is_located_at_its_row(tmp_path: Path):
    overflow_workspace(tmp_path)
    prefix = "notices/t-households.csv:3:A: 错误: 户号「0101002」这一户的信放不进一张 A4 纸（多出约"
    code, out = check(tmp_path)  # check lays out every letter
    assert code == 1
    assert prefix in out and "请缩短这一格，或删减正文。" in out
    assert out.count("错误:") == 1  # the others fit
    result = run("build", "-w", tmp_path)
    assert result.exit_code == 1
    assert prefix in result.output
    assert not (tmp_path / "out" / "print" / "t-letter.pdf").exists()


def test_letter_page_raises_for_the_household_that_overflows(tmp_path: Path):
    overflow_workspace(tmp_path)
    loaded = load_workspace(tmp_path)
    notice = loaded.workspace.notices[0]
    letter_run = loaded.kinds["letter"].compose(notice).letters
    plan = plan_for(notice, loaded, letter_run)
    first, second, third = letter_run.households
    letter_page(plan, first)
    letter_page(plan, third)
    with pytest.raises(LetterOverflow) as caught:
        letter_page(plan, second)
    assert caught.value.household is second and caught.value.lines_over >= 1


def test_duplicate_household_number(tmp_path: Path):
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS + "0101002,赵六,第一村民小组,一组9号\n")
    code, out = check(tmp_path)
    assert code == 1
    assert (
        "notices/t-households.csv:5:A: 错误: 户号「0101002」与 notices/t-households.csv:3:A 重复："
        "同一户印了两封信，或者户号录错了。"
    ) in out


def test_a_household_number_typed_in_full_width_is_the_same_number(tmp_path: Path):
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS + "０１０１００２,赵六,第一村民小组,一组9号\n")
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-households.csv:5:A: 错误: 户号「０１０１００２」与 notices/t-households.csv:3:A 重复：" in out, (
        out
    )


def test_empty_household_number(tmp_path: Path):
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS + ",赵六,第一村民小组,一组9号\n")
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-households.csv:5:A: 错误: 这一户的「户号」是空的。每户都要有户号" in out


def test_empty_household_number_is_reported_once(tmp_path: Path):
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS + ",赵六,第一村民小组,一组9号\n")
    _, out = check(tmp_path)
    assert out.count("notices/t-households.csv:5:A:") == 1, out


@pytest.mark.parametrize(
    "column, alias, renamed", [("户号", "户编号、户编码、household", "编号"), ("户主", "户主姓名、head", "姓名")]
)
def test_a_required_column_missing(tmp_path: Path, column: str, alias: str, renamed: str):
    workspace(tmp_path, letter_yaml("尊敬的村民：\n您好！"), HOUSEHOLDS.replace(column, renamed))
    code, out = check(tmp_path)
    assert code == 1
    headers = "、".join(HOUSEHOLDS.splitlines()[0].replace(column, renamed).split(","))
    assert f"notices/t-households.csv:1:A: 错误: 缺少「{column}」列（也可写作 {alias}）。表头现有：{headers}。" in out


def test_paper_a3_is_refused(tmp_path: Path):
    workspace(tmp_path, letter_yaml(paper="A3"))
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-letter.yaml:6: 错误: 一封信印在一张纸上，只能用 A4 或 A5" in out and "不能用 A3。" in out


def test_two_up_needs_a5(tmp_path: Path):
    workspace(tmp_path, letter_yaml(imposition="2up"))
    code, out = check(tmp_path)
    assert code == 1
    assert (
        "notices/t-letter.yaml:8: 错误: imposition: 2up 是把两封 A5 信拼在一张 A4 纸上，"
        "请同时写 paper: A5（现在是 A4）。" in out
    )


def test_imposition_other_than_two_up(tmp_path: Path):
    workspace(tmp_path, letter_yaml(paper="A5", imposition="4up"))
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-letter.yaml:8: 错误: 「imposition」（拼版）只能写 2up" in out and "不能写「4up」。" in out


def test_sort_by_an_unknown_column(tmp_path: Path):
    workspace(tmp_path, letter_yaml(sort_by="[小组, 户号]"))
    code, out = check(tmp_path)
    assert code == 1
    assert (
        "notices/t-letter.yaml:8: 错误: 「sort_by」（排序列）中的「小组」"
        "在数据表 notices/t-households.csv 中没有这一列。请改成表头里的列名。表中现有的列：户号、户主、村民小组、地址。"
    ) in out


def test_landscape_is_a_warning_and_prints_portrait(tmp_path: Path):
    workspace(tmp_path, letter_yaml(orientation="landscape"))
    code, out = check(tmp_path)
    assert code == 0
    assert "notices/t-letter.yaml:8: 警告: 信按竖版排印，横向（landscape）不起作用，请删去 orientation。" in out
    for width, height in pdf_pages(build(tmp_path) / "print" / "t-letter.pdf"):
        assert width == pytest.approx(A4[0], abs=0.01) and height == pytest.approx(A4[1], abs=0.01)


def test_doubled_braces_print_literal_braces(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n{{户号}}是{户号}，写成 {{ 和 }}。"))
    code, out = check(tmp_path)
    assert code == 0, out
    texts = page_texts(build(tmp_path) / "print" / "t-letter.pdf")
    assert "{户号}是0101001，写成 { 和 }。" in texts[0]
    html = (tmp_path / "out" / "site" / "t-letter" / "index.html").read_text(encoding="utf-8")
    assert "{户号}是〔户号〕" in html


def id_households() -> str:
    return f"户号,户主,身份证号,地址\n0101001,张三,{ID_NUMBER},一组1号\n0101002,李四,,一组2号\n"


def test_a_full_id_number_in_a_printed_column_is_an_error(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您好！身份证号{身份证号}。"), id_households())
    code, out = check(tmp_path)
    assert code == 1
    assert (
        "notices/t-households.csv:2:C: 错误: 这一格有完整的身份证号（110*************2X），印出来会泄露个人信息。"
        in out
    )


def test_a_full_id_number_in_the_address_is_an_error_even_unused_by_the_body(tmp_path: Path):
    workspace(
        tmp_path, letter_yaml("尊敬的{户主}户：\n您好！"), id_households().replace("一组1号", "身份证" + ID_NUMBER)
    )
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-households.csv:2:D: 错误: 这一格有完整的身份证号" in out  # 地址 is on every letter


def test_a_masked_id_column_prints_masked(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您好！身份证号{身份证号}。", mask="[身份证号]"), id_households())
    code, out = check(tmp_path)
    assert code == 0 and "错误" not in out.replace("0 个错误", ""), out
    out_dir = build(tmp_path)
    text = pdf_text(out_dir / "print" / "t-letter.pdf")
    assert "身份证号110*************2X。" in text
    everything = (
        text
        + pdf_text(out_dir / "print" / "t-letter-receipts.pdf")
        + (out_dir / "site" / "t-letter" / "index.html").read_text(encoding="utf-8")
    )
    assert ID_NUMBER not in everything and ID_NUMBER[:17] not in everything


# --------------------------------------------------------------------------- layout property

VALUE_CHARS = "张王李欧阳秀英阿依古丽吐尔逊·东头老粮站后院号组村abcXYZ<>&\"'{}（）《》，。、-"
heads = st.text(alphabet=VALUE_CHARS, min_size=1, max_size=12)  # the salutation stays one line
addresses = st.text(alphabet=VALUE_CHARS, min_size=1, max_size=40)  # wraps the body and the 送：line


@pytest.fixture(scope="module")
def property_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("letter-property")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=heads, address=addresses)
def test_any_values_stay_inside_the_margins_and_print_whole(property_root: Path, head: str, address: str):
    rows = households_csv(
        [
            {"户号": "0101001", "户主": "张三", "地址": "一组1号"},
            {"户号": "0101002", "户主": head, "地址": address},
            {"户号": "0101003", "户主": "欧阳秀英", "地址": "东头老粮站后院"},
        ]
    )
    root = property_root / "ws"
    shutil.rmtree(root, ignore_errors=True)
    workspace(
        root,
        letter_yaml("尊敬的{户主}户：\n您好！请您家（{地址}）按时参加投票。\n三、严肃换届纪律\n此致\n敬礼！"),
        rows,
    )
    loaded = load_workspace(root)
    assert not [p for p in loaded.problems if p.is_error], [str(p) for p in loaded.problems]
    notice = loaded.workspace.notices[0]
    letter_run = loaded.kinds["letter"].compose(notice).letters
    assert letter_run.households[1].values["head"] == head and letter_run.households[1].values["address"] == address
    plan = plan_for(notice, loaded, letter_run)
    margins = loaded.designs["letter"].get("letter.papers.A4")
    side = float(margins["side"]) * PT_PER_MM
    safe = 10 * PT_PER_MM  # no printer cuts off text this far from the edge
    sheets = letter_sheets(plan, letter_run.households)
    assert len(sheets) == 3
    for sheet in sheets:
        texts = [i for i in sheet.items if isinstance(i, TextItem) and i.text.strip()]
        qr = next(i for i in sheet.items if isinstance(i, QRItem))
        for item in texts:
            right = item.x + plan.stack.width(item.text, item.size, item.bold)
            assert item.x >= side - 0.01 and right <= sheet.width - side + 0.01, item
            assert safe <= item.y and item.y + item.size <= sheet.height - safe, item
            if qr.y <= item.y <= qr.y + qr.size:  # beside the QR code, never on it
                assert item.x >= qr.x + qr.size * (1 - QUIET_ZONE / len(qr.matrix)) - 0.01, item
        body = [i for i in texts if i.size == pytest.approx(plan.size)]
        assert min(i.y for i in body) >= plan.bottom - 0.01
    page = sheets[1]
    texts = [i for i in page.items if isinstance(i, TextItem)]
    assert any(i.text == f"尊敬的{head}户：" for i in texts), [i.text for i in texts]
    body_text = "".join(
        i.text for i in sorted((i for i in texts if i.size == pytest.approx(plan.size)), key=lambda i: (-i.y, i.x))
    )
    assert f"（{address}）按时参加投票。" in body_text
    addressee = "".join(
        i.text
        for i in sorted(
            (i for i in texts if i.size == pytest.approx(plan.small) and i.y > plan.height / 2), key=lambda i: -i.y
        )
    )
    assert f"户主 {head}" in addressee and addressee.endswith(address)


# -- progress ----------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_appears_on_a_terminal_once_a_run_takes_a_second(monkeypatch):
    from noticeboard.cli import TerminalProgress

    clock = iter([0.0, 0.5, 1.5, 2.0])  # start, then three updates
    monkeypatch.setattr("noticeboard.cli.time.monotonic", lambda: next(clock))
    stream = _Terminal()
    progress = TerminalProgress(stream)
    progress.start(600, "2026-election-letter")
    progress.advance(200)
    assert stream.getvalue() == ""  # half a second in: no bar yet
    progress.advance(200)
    progress.advance(200)
    progress.finish()
    shown = stream.getvalue()
    assert "正在排印 2026-election-letter" in shown and "600/600" in shown and "100%" in shown


def test_a_short_run_shows_no_bar(monkeypatch):
    from noticeboard.cli import TerminalProgress

    stream = _Terminal()
    progress = TerminalProgress(stream)
    progress.start(3, "t-letter")
    progress.advance(3)
    progress.finish()
    assert stream.getvalue() == ""


def test_no_progress_bar_when_the_output_is_not_a_terminal(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您好！"))
    result = run("build", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    assert "正在排印" not in result.output and "\x1b[" not in result.output


# -- the register ------------------------------------------------------------------------------


def test_a_household_changed_after_sign_off_is_refused_and_a_re_signed_change_is_a_new_revision(tmp_path: Path):
    settings = SETTINGS + "reviews: [审核]\n"
    signed = letter_yaml() + "reviews:\n  审核: {by: 王小红, date: 2026-02-18}\n"
    make_workspace(tmp_path, {"notices/t-letter.yaml": signed, "notices/t-households.csv": HOUSEHOLDS}, settings)
    assert "已登记 t-letter 第1版" in run("build", "-w", tmp_path).output
    data = tmp_path / "notices" / "t-households.csv"
    data.write_text(HOUSEHOLDS.replace("张三", "张叁"), encoding="utf-8")
    refused = run("build", "-w", tmp_path)  # the letters are content: the specimen online is the same
    assert refused.exit_code == 1 and "签批之后改动过" in refused.output, refused.output
    (tmp_path / "notices" / "t-letter.yaml").write_text(signed.replace("2026-02-18", "2026-02-19"), encoding="utf-8")
    assert "已登记 t-letter 第2版" in run("build", "-w", tmp_path).output
    data.write_text(HOUSEHOLDS.replace("张三", "张山"), encoding="utf-8")
    again = run("build", "-w", tmp_path)  # and after that re-sign, the next change is caught again
    assert again.exit_code == 1 and "签批之后改动过" in again.output, again.output
    rows = (
        sqlite3.connect(tmp_path / "out" / "register.sqlite")
        .execute("SELECT revision, sha256 FROM publications WHERE id = 't-letter' ORDER BY revision")
        .fetchall()
    )
    assert [r[0] for r in rows] == [1, 2]
    letters = (tmp_path / "out" / "print" / "t-letter.pdf").read_bytes()
    assert rows[-1][1] == hashlib.sha256(letters).hexdigest()  # the register names the letters as printed


# -- what real office files do ------------------------------------------------------------------


def _letters_in_order(root: Path) -> list[str]:
    return [re.search(r"户主 (\S+)", text).group(1) for text in page_texts(root / "out" / "print" / "t-letter.pdf")]


def test_a_group_cell_merged_over_its_rows_is_read_down(tmp_path: Path):
    # Excel's merged 村民小组 cells (and the CSV saved from them) are blank below the first row
    rows = (
        "户号,户主,村民小组,地址\n0102001,李一,第二村民小组,二组1号\n0102002,李二,,二组2号\n"
        "0101001,张一,第一村民小组,一组1号\n0101002,张二,,一组2号\n"
    )
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您好！（{村民小组}）", sort_by="[村民小组, 户号]"), rows)
    code, out = check(tmp_path)
    assert code == 0 and "0 个警告" in out, out
    build(tmp_path)
    assert _letters_in_order(tmp_path) == ["张一", "张二", "李一", "李二"]
    receipts = pdf_text(tmp_path / "out" / "print" / "t-letter-receipts.pdf")
    assert receipts.count("本组共 2 户，已签收") == 2 and "未填" not in receipts


def test_the_same_group_number_written_two_ways_does_not_interleave(tmp_path: Path):
    rows = "户号,户主,村民小组,地址\n01,甲,第1组,a\n02,乙,第一组,b\n03,丙,第1组,c\n04,丁,第一组,d\n"
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：", sort_by="[村民小组, 户号]"), rows)
    build(tmp_path)
    assert _letters_in_order(tmp_path) == ["甲", "丙", "乙", "丁"]


def test_a_household_number_excel_stored_as_a_number_is_an_error(tmp_path: Path):
    rows = "户号,户主\n3.70102198001011E+17,张三\n301001.0,李四\n0301003,王五\n"
    workspace(tmp_path, letter_yaml("尊敬的{户主}户："), rows)
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-households.csv:2:A: 错误: 户号「3.70102198001011E+17」被 Excel 存成了数字" in out
    assert "notices/t-households.csv:3:A: 错误: 户号「301001.0」被 Excel 存成了数字" in out
    assert "请把户号这一列设为「文本」格式" in out and out.count("错误:") == 2


def test_a_line_break_inside_a_cell_does_not_split_the_name(tmp_path: Path):
    rows = households_csv([{"户号": "0101001", "户主": "王五\n（户主）", "地址": "一组\n12号"}])
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n您家住在{地址}。"), rows)
    build(tmp_path)
    text = pdf_text(tmp_path / "out" / "print" / "t-letter.pdf")
    assert "尊敬的王五（户主）户：" in text and "您家住在一组12号。" in text


def test_an_unpaired_brace_is_an_error_and_full_width_braces_name_a_column(tmp_path: Path):
    workspace(tmp_path, letter_yaml("尊敬的｛户主｝户：\n请带上{户口本。"))
    code, out = check(tmp_path)
    assert code == 1
    assert "notices/t-letter.yaml:10: 错误: 正文中有一个没有配对的「{」。占位符要写成 {列名}" in out, out
    assert out.count("错误:") == 1  # ｛户主｝ is the 户主 column
    workspace(tmp_path, letter_yaml("尊敬的｛户主｝户：\n｛不是列名｝照印。"))
    build(tmp_path)
    text = pdf_text(tmp_path / "out" / "print" / "t-letter.pdf")
    assert "尊敬的张三户：" in text and "｛不是列名｝照印。" in text


def test_a_placeholder_in_the_title_is_a_warning(tmp_path: Path):
    workspace(tmp_path, letter_yaml(title="致{户主}户的一封信"))
    code, out = check(tmp_path)
    assert code == 0
    assert "notices/t-letter.yaml:3: 警告: 标题「致{户主}户的一封信」里的花括号不会换成各户的内容" in out, out


def test_render_of_a_letter_file_streams_and_reports_a_household_that_does_not_fit(tmp_path: Path):
    workspace(tmp_path, letter_yaml())
    result = run("render", tmp_path / "notices" / "t-letter.yaml", "-o", tmp_path / "letters.pdf")
    assert result.exit_code == 0, result.output
    assert len(pdf_pages(tmp_path / "letters.pdf")) == 3
    workspace(tmp_path, letter_yaml(), HOUSEHOLDS.replace("二组2号", LONG_ADDRESS))
    result = run("render", tmp_path / "notices" / "t-letter.yaml", "-o", tmp_path / "again.pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output and "程序内部出错" not in result.output
    assert "notices/t-households.csv:3:A: 错误: 户号「0101002」" in result.output, result.output
    assert not (tmp_path / "again.pdf").exists()


def test_the_specimen_names_each_placeholder_as_the_body_does(tmp_path: Path):
    rows = "household,head,address\n0101001,张三,一组1号\n"
    workspace(tmp_path, letter_yaml("尊敬的{户主}户：\n地址：{address}"), rows)
    out = build(tmp_path)
    specimen = pdf_text(out / "site" / "t-letter" / "t-letter.pdf")
    html = (out / "site" / "t-letter" / "index.html").read_text("utf-8")
    for text in (specimen, html):
        assert "尊敬的〔户主〕户：" in text and "地址：〔address〕" in text
    assert "张三" not in specimen + html
