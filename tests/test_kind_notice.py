"""notice: 公告 and 通知 as GB/T 9704-2012 document pages (layout/document.py).

Geometry is read back from the laid-out items (plain data, no PDF); what a villager and
an auditor see is read back from real PDFs: text, QR codes at 150 dpi, fonts, page sizes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import (
    DATA,
    SETTINGS,
    decode_qr,
    findable,
    make_workspace,
    pdf_pages,
    pdf_text,
    render_page,
    run,
)
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from noticeboard.layout.blocks import PT_PER_MM
from noticeboard.layout.design import load_design
from noticeboard.layout.document import DocParagraph, DocumentTemplate, Span, heading_level, heading_phrase
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.frame import SheetInfo
from noticeboard.layout.qr import QUIET_ZONE
from noticeboard.layout.sheet import QRItem, TextItem
from noticeboard.layout.text import kinsoku_violations
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.render.pdf import render_pdf
from noticeboard.resources import samples_dir

MM = PT_PER_MM
STACK, _ = build_stack([])
DESIGN, _ = load_design("notice")
SAMPLE = "2026-election-notice"
SAMPLE_FILES = ("2026-election-notice.yaml", "2026-election-stations.csv")
URL = "https://gk.example.gov.cn/test/"
A_SERIES = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297), "A5": (148, 210)}
PITCH_MM = 225 / 22


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample town's settings and this kind's sample only, built once."""
    root = tmp_path_factory.mktemp("notice") / "town"
    (root / "notices").mkdir(parents=True)
    shutil.copy(samples_dir() / "town" / "noticeboard.yaml", root)
    for name in SAMPLE_FILES:
        shutil.copy(samples_dir() / "town" / "notices" / name, root / "notices")
    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output.replace("0 个警告", ""), result.output
    return root


def notice_yaml(body: str | None = "正文第一段。", notice_id: str = "t-notice", **extra: str) -> str:
    fields = {
        "id": notice_id,
        "kind": "notice",
        "title": "测试村关于开展人居环境整治的通知",
        "issuer": "测试村民委员会",
        "date": "2026-04-12",
        "paper": "A4",
    }
    fields.update(extra)
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    if body is not None:
        text += "body: |\n" + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    return text


def workspace(root: Path, yaml_text: str, files: dict[str, str] | None = None, settings: str = SETTINGS) -> Path:
    return make_workspace(root, {"notices/t-notice.yaml": yaml_text, **(files or {})}, settings=settings)


def sheets_of(root: Path, notice_id: str = "t-notice"):
    loaded = load_workspace(root)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    return lay_out(notice, loaded)


def texts(sheet) -> list[TextItem]:
    return [item for item in sheet.items if isinstance(item, TextItem) and item.text.strip()]


def body_lines(sheet, size: float) -> dict[float, list[TextItem]]:
    """Body-size text items inside the 版心 (A4), grouped by baseline."""
    top, bottom = (297 - 37) * MM, (297 - 37 - 225) * MM
    lines: dict[float, list[TextItem]] = {}
    for item in texts(sheet):
        if abs(item.size - size) < 1e-6 and bottom < item.y < top:
            lines.setdefault(round(item.y, 3), []).append(item)
    return lines


def right_edge(item: TextItem) -> float:
    return item.x + STACK.role(item.role).width(item.text, item.size, item.bold)


def find_item(sheets, text: str) -> tuple[int, TextItem]:
    for number, sheet in enumerate(sheets, start=1):
        for item in texts(sheet):
            if item.text == text:
                return number, item
    raise AssertionError(f"{text!r} not laid out")


def line_at(sheets, prefix: str) -> list[TextItem]:
    """The items of the line that starts with ``prefix`` (a justified line is set piece by piece)."""
    for sheet in sheets:
        for baseline in {round(i.y, 3) for i in texts(sheet)}:
            items = sorted((i for i in texts(sheet) if round(i.y, 3) == baseline), key=lambda i: i.x)
            if "".join(i.text for i in items).startswith(prefix):
                return items
    raise AssertionError(f"no line starts with {prefix!r}")


def build(root: Path, *args: str):
    result = run("build", "-w", root, *args)
    assert result.exit_code == 0, result.output
    return root / "out" / "print"


def long_body(clauses: int) -> tuple[str, list[str]]:
    parts, needles = [], []
    for n in range(1, clauses + 1):
        clause = f"第{n}条　各村民小组要落实门前三包责任，清理房前屋后杂物，第{n}条规定的事项于五月底前完成。"
        needles.append(clause)
        parts.append(clause)
        if n % 7 == 0:
            parts.append(f"{'一二三四五六七八九十'[(n // 7 - 1) % 10]}、第{n // 7}部分")
    return "\n\n".join(parts), needles


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    "text, level, marker",
    [
        ("一、选举日期和地点", 1, "一、"),
        ("十二、其他", 1, "十二、"),
        ("（一）选举日期。本届……", 2, "（一）"),
        ("(三)投票", 2, "(三)"),
        ("1. 登记时间", 3, "1."),
        ("12．登记", 3, "12．"),
        ("2、登记地点", 3, "2、"),
        ("（1）户籍在本村", 4, "（1）"),
        ("(2)户籍", 4, "(2)"),
        ("1.5万元已拨付", 0, ""),
        ("根据《中华人民共和国村民委员会组织法》", 0, ""),
        ("一是加强领导", 0, ""),
    ],
)
def test_heading_levels(text, level, marker):
    assert heading_level(text) == (level, marker)


def test_heading_phrase_stops_at_the_first_full_stop():
    assert heading_phrase("（一）选举日期。本届选举日为3月18日。") == "（一）选举日期。"
    assert heading_phrase("一、选举日期和地点") == "一、选举日期和地点"


def test_heading_styles_in_the_sample(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    heading = find_item(sheets, "一、选举日期和地点")[1]
    assert heading.bold and heading.role == "heading"  # 黑体
    run_in = line_at(sheets, "（一）选举日期。")
    assert "".join(i.text for i in run_in if i.role == "subheading") == "（一）选举日期。", (
        "only the heading phrase is 楷体"
    )
    assert not any(i.bold for i in run_in)
    assert run_in[-1].role == "body"
    for prefix in ("1. 登记时间", "（1）户籍", "二、选民登记"):
        items = line_at(sheets, prefix)
        assert all(i.bold for i in items) == prefix.startswith("二"), prefix
        assert {i.role for i in items} == ({"heading"} if prefix.startswith("二") else {"body"}), prefix


def test_level_two_style_follows_the_design(tmp_path: Path):
    workspace(
        tmp_path,
        notice_yaml("一、总体要求\n\n（一）工作目标。全面清理积存垃圾。"),
        {"layouts/notice.yaml": "document:\n  heading2_bold: true\n"},
    )
    sheets = sheets_of(tmp_path)
    assert find_item(sheets, "一、总体要求")[1].bold
    assert all(i.bold for i in texts(sheets[0]) if i.text.startswith("（一）"))


# --------------------------------------------------------------------------- A4 geometry


def test_a4_text_stays_inside_the_type_area(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    assert len(sheets) == 2
    for sheet in sheets:
        assert (sheet.width, sheet.height) == pytest.approx((210 * MM, 297 * MM))
        for item in texts(sheet):
            if (297 - 37 - 225) * MM < item.y < (297 - 37) * MM:
                assert item.x >= 28 * MM - 0.01 and right_edge(item) <= (28 + 156) * MM + 0.01, item.text


def test_a4_first_line_starts_at_37_mm_and_title_is_centred_22_pt(sample: Path):
    sheet = sheets_of(sample, SAMPLE)[0]
    title = next(i for i in texts(sheet) if i.text == "小庄村第十二届村民委员会换届选举公告")
    assert title.size == pytest.approx(22)
    assert title.y + 0.88 * title.size == pytest.approx((297 - 37) * MM, abs=0.01)
    centre = (title.x + right_edge(title)) / 2
    assert centre == pytest.approx((28 + 156 / 2) * MM, abs=0.5)


def test_a4_body_is_on_the_22_line_grid_with_28_characters(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    size = sheets[0].body_size
    assert size == pytest.approx(156 * MM / 28)  # 三号 set on the 28-character grid
    top = (297 - 37) * MM
    for sheet in sheets:
        for baseline, items in body_lines(sheet, size).items():
            slot = (top - baseline - 0.88 * size) / (PITCH_MM * MM)
            assert slot == pytest.approx(round(slot), abs=1e-4)
            line = "".join(i.text for i in sorted(items, key=lambda i: i.x))
            assert STACK.width(line, size) <= 156 * MM + 0.01
            assert sum(1 if ord(c) > 0x2E80 else 0.5 for c in line) <= 28
    # an indented paragraph of plain Chinese holds exactly 26 + 28 characters on its first two lines
    lines = [
        line
        for line in (
            [
                "".join(i.text for i in sorted(v, key=lambda i: i.x))
                for _, v in sorted(body_lines(sheets[0], size).items(), reverse=True)
            ]
        )
    ]
    assert lines[0] == "根据《中华人民共和国村民委员会组织法》和上级关于村民"
    assert len(lines[1]) == 28


def test_a_full_page_holds_22_lines(tmp_path: Path):
    body = "\n\n".join(f"第{n}段：保持村容整洁。" for n in range(1, 60))
    workspace(tmp_path, notice_yaml(body))
    sheets = sheets_of(tmp_path)
    lines = sorted(body_lines(sheets[1], sheets[1].body_size), reverse=True)
    assert len(lines) == 22
    top = (297 - 37) * MM - 0.88 * sheets[1].body_size
    assert lines[0] == pytest.approx(top, abs=0.01)
    assert lines[0] - lines[-1] == pytest.approx(21 * PITCH_MM * MM, abs=0.01)


def test_body_lines_obey_kinsoku(sample: Path):
    text = pdf_text(sample / "out" / "print" / f"{SAMPLE}.pdf")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("— ")]
    assert kinsoku_violations(lines) == []


def test_first_line_indent_is_two_characters(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    size = sheets[0].body_size
    _, item = find_item(sheets, "一、选举日期和地点")
    assert item.x == pytest.approx(28 * MM + 2 * size, abs=0.01)


# --------------------------------------------------------------------------- running parts


def test_page_numbers_outside_edge_7_mm_below_the_type_area(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    size = sheets[0].body_size
    for number, sheet in enumerate(sheets, start=1):
        item = next(i for i in texts(sheet) if i.text == f"— {number} —")
        assert item.y + 0.88 * item.size == pytest.approx((297 - 37 - 225 - 7) * MM, abs=0.01)
        assert item.size == pytest.approx(14)
        if number % 2:
            assert right_edge(item) == pytest.approx((28 + 156) * MM - size, abs=0.01)
        else:
            assert item.x == pytest.approx(28 * MM + size, abs=0.01)


def test_qr_in_the_bottom_margin_on_the_inner_side(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    for number, sheet in enumerate(sheets, start=1):
        qr = next(i for i in sheet.items if isinstance(i, QRItem))
        assert qr.size >= 30 * MM - 1e-6
        # the dark modules in the bottom margin, 4 mm from the edge and 1 mm below the 版心; the white
        # quiet zone may reach into the printers' margin and the blank leading of the last line
        quiet = qr.size * QUIET_ZONE / len(qr.matrix)
        assert qr.y + quiet >= 4 * MM - 1e-6 and qr.y + qr.size - quiet <= (297 - 37 - 225 - 1) * MM + 1e-6
        assert qr.y + qr.size <= (297 - 37 - 225) * MM + 0.35 * PITCH_MM * MM
        assert qr.x >= 4 * MM and qr.x + qr.size <= 206 * MM
        assert (qr.x < 105 * MM) == (number % 2 == 1), "the code sits opposite the page number"


def test_every_page_carries_qr_hotline_title_issuer_and_date(sample: Path):
    pdf = sample / "out" / "print" / f"{SAMPLE}.pdf"
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    assert len(pages) == 2
    for index, text in enumerate(pages):
        for needle in [
            "小庄村第十二届村民委员会换届选举公告",
            "小庄村村民选举委员会",
            "2026年2月20日",
            "监督电话：0537-1234567",
            "扫码查看网上公开版本",
            f"https://gk.example.gov.cn/lcz/{SAMPLE}/",
            "公示期：2026年2月20日至2026年3月11日",
            f"第{index + 1}张/共2张",
        ]:
            assert findable(needle, text), (index, needle)
        assert decode_qr(render_page(pdf, index, dpi=150)) == [f"https://gk.example.gov.cn/lcz/{SAMPLE}/"]


def test_signature_and_date_follow_7_3_5(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    size = sheets[0].body_size
    page, issuer = find_item(sheets, "小庄村村民选举委员会")
    _, date = next(
        (n, i)
        for n, s in enumerate(sheets, 1)
        for i in texts(s)
        if i.text == "2026年2月20日" and abs(i.size - size) < 1e-6
    )
    assert page == len(sheets)
    assert right_edge(issuer) == pytest.approx((28 + 156) * MM - 2 * size, abs=0.01)
    assert date.x == pytest.approx(issuer.x + 2 * size, abs=0.01)
    assert issuer.y - date.y == pytest.approx(PITCH_MM * MM, abs=0.01)
    # the 署名 keeps text with it on its page, one blank line above it
    assert len(body_lines(sheets[page - 1], size)) > 4


def test_a_date_longer_than_the_issuer_keeps_two_characters_and_pushes_the_issuer_left(tmp_path: Path):
    workspace(tmp_path, notice_yaml(issuer="村委会"))
    sheets = sheets_of(tmp_path)
    size = sheets[0].body_size
    _, issuer = find_item(sheets, "村委会")
    _, date = find_item(sheets, "2026年4月12日")
    assert right_edge(date) == pytest.approx((28 + 156) * MM - 2 * size, abs=0.01)
    assert issuer.x == pytest.approx(date.x - 2 * size, abs=0.01)


def test_attachments_follow_7_3_4(sample: Path):
    sheets = sheets_of(sample, SAMPLE)
    size = sheets[0].body_size
    _, label = find_item(sheets, "附件：")
    _, first = find_item(sheets, "1.")
    _, second = find_item(sheets, "2.")
    assert label.x == pytest.approx(28 * MM + 2 * size, abs=0.01)
    assert first.x == pytest.approx(second.x) and first.y == pytest.approx(label.y)
    assert first.y - second.y == pytest.approx(PITCH_MM * MM, abs=0.01)


def test_no_running_header_and_later_pages_name_the_notice_in_the_footer(sample: Path):
    sheets = sheets_of(sample, SAMPLE)

    def above(sheet):
        return [i.text for i in texts(sheet) if i.y > (297 - 37) * MM]

    def below(sheet):
        return "".join(i.text for i in texts(sheet) if i.y < (297 - 37 - 225) * MM)

    assert above(sheets[0]) == [] and above(sheets[1]) == []  # 公文 carry no running header
    assert "小庄村第十二届村民委员会换届选举公告" not in below(sheets[0])
    assert "小庄村第十二届村民委员会换届选举公告" in below(sheets[1])
    assert "小庄村村民选举委员会　2026年2月20日" in below(sheets[1])


# --------------------------------------------------------------------------- content and PDF


def _sample_strings(root: Path) -> list[str]:
    data = yaml.safe_load((root / "notices" / f"{SAMPLE}.yaml").read_text("utf-8"))
    strings = [data["title"], data["issuer"]]
    strings += ["".join(p.split("\n")) for p in data["body"].split("\n\n") if p.strip() and p.strip() != "【表1】"]
    strings += [t["caption"] for t in data["tables"]] + data["attachments"]
    for line in (root / "notices" / SAMPLE_FILES[1]).read_text("utf-8-sig").splitlines():
        strings += [cell for cell in line.split(",") if cell]
    return strings


def test_every_input_string_is_in_the_pdf(sample: Path):
    text = pdf_text(sample / "out" / "print" / f"{SAMPLE}.pdf")
    strings = _sample_strings(sample)
    assert len(strings) > 30
    assert [s for s in strings if not findable(s, text)] == []


def test_the_table_sits_where_the_marker_is(sample: Path):
    text = "".join(pdf_text(sample / "out" / "print" / f"{SAMPLE}.pdf").split())
    assert (
        text.index("投票站投票：") < text.index("小庄村第十二届村民委员会选举投票站设置") < text.index("二、选民登记")
    )
    assert "【表1】" not in text


def test_fonts_are_embedded_and_subset(sample: Path):
    raw = (sample / "out" / "print" / f"{SAMPLE}.pdf").read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts
    for name in fonts:
        assert re.match(rb"[A-Z]{6}\+", name), name
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", raw)) > 0


def test_a_workspace_font_with_a_role_sets_that_role(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    workspace(
        tmp_path,
        notice_yaml("两城镇各村民小组要做好环境整治。"),
        settings=SETTINGS + "fonts: [{file: office.ttf, role: body}]\n",
    )
    raw = (build(tmp_path, "--draft") / "t-notice.pdf").read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>\[]+)", raw))
    assert any(name.startswith(b"nb-office") or b"Office" in name for name in fonts), fonts
    assert "两城镇各村民小组要做好环境整治。" in "".join(pdf_text(tmp_path / "out" / "print" / "t-notice.pdf").split())


def test_a_workspace_font_without_a_role_is_only_a_fallback(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    workspace(tmp_path, notice_yaml("两城镇各村民小组要做好环境整治。"), settings=SETTINGS + "fonts: [office.ttf]\n")
    raw = (build(tmp_path, "--draft") / "t-notice.pdf").read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>\[]+)", raw))
    assert not any(name.startswith(b"nb-office") or b"Office" in name for name in fonts), fonts
    assert b"NotoSerifSC-Regular" in fonts


def test_a_three_page_notice_keeps_every_clause(tmp_path: Path):
    body, clauses = long_body(24)
    workspace(tmp_path, notice_yaml(body, display_days="10"))
    pdf = build(tmp_path, "--draft") / "t-notice.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    text = pdf_text(pdf)
    assert [c for c in clauses if not findable(c, text)] == []
    assert kinsoku_violations([line.strip() for line in text.splitlines() if line.strip() and "—" not in line]) == []
    for index in range(3):
        assert decode_qr(render_page(pdf, index, dpi=150)) == [f"{URL}t-notice/"]
        assert f"第{index + 1}张/共3张" in "".join(pdf_text(pdf).split())
    sheets = sheets_of(tmp_path)
    assert [sheet.texts().count(f"— {n} —") for n, sheet in enumerate(sheets, 1)] == [1, 1, 1]


def test_a_long_table_continues_with_its_header(tmp_path: Path):
    rows = "\n".join(f"第{n}户,{n}号,已整治" for n in range(1, 41))
    workspace(
        tmp_path,
        notice_yaml("整治情况如下：", tables="[{data: t.csv, caption: 整治情况}]"),
        {"notices/t.csv": "户,门牌号,情况\n" + rows + "\n"},
    )
    pdf = build(tmp_path, "--draft") / "t-notice.pdf"
    text = pdf_text(pdf)
    assert len(pdf_pages(pdf)) >= 2
    assert "整治情况（续表）" in "".join(text.split())
    assert all(findable(f"第{n}户{n}号", text) for n in range(1, 41))


# --------------------------------------------------------------------------- other papers


def test_a3_scales_the_a4_proportions(tmp_path: Path):
    workspace(tmp_path, notice_yaml("一、总体要求\n\n各村民小组要落实门前三包责任。", paper="A3"))
    sheets = sheets_of(tmp_path)
    k = 297 / 210
    sheet = sheets[0]
    assert (sheet.width, sheet.height) == pytest.approx((297 * MM, 420 * MM))
    title = next(i for i in texts(sheet) if i.text == "测试村关于开展人居环境整治的通知")
    assert title.size == pytest.approx(22 * k)
    assert title.y + 0.88 * title.size == pytest.approx((420 - 37 * k) * MM, abs=0.01)
    assert sheet.body_size == pytest.approx(156 * k * MM / 28)
    _, heading = find_item(sheets, "一、总体要求")
    assert heading.x == pytest.approx(28 * k * MM + 2 * sheet.body_size, abs=0.01)
    qr = next(i for i in sheet.items if isinstance(i, QRItem))
    assert qr.size >= 40 * MM
    number = next(i for i in texts(sheet) if i.text == "— 1 —")
    assert number.size == pytest.approx(14 * k)
    pdf = build(tmp_path, "--draft") / "t-notice.pdf"
    assert pdf_pages(pdf) == [pytest.approx((297 * MM, 420 * MM), abs=0.01)]
    assert decode_qr(render_page(pdf, 0, dpi=150)) == [f"{URL}t-notice/"]


def test_a5_gives_up_lines_for_its_qr_code(tmp_path: Path):
    workspace(tmp_path, notice_yaml(paper="A5"))
    sheet = sheets_of(tmp_path)[0]
    qr = next(i for i in sheet.items if isinstance(i, QRItem))
    assert qr.size >= 25 * MM - 1e-6 and qr.y >= 4 * MM - 1e-6
    lowest = min(i.y for i in texts(sheet) if i.size == pytest.approx(sheet.body_size))
    assert lowest > qr.y + qr.size
    pdf = build(tmp_path, "--draft") / "t-notice.pdf"
    assert decode_qr(render_page(pdf, 0, dpi=150)) == [f"{URL}t-notice/"]


# --------------------------------------------------------------------------- bad input


def _check(root: Path) -> tuple[int, str]:
    result = run("check", "-w", root)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_body_missing(tmp_path: Path):
    workspace(tmp_path, notice_yaml(None))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:1: 错误: 通知文件缺少「body」（正文），请补上" in out


@pytest.mark.parametrize("body_line", ["body:", "body: ''", "body: []", "body: |\n\n\n"])
def test_body_empty(tmp_path: Path, body_line: str):
    workspace(tmp_path, notice_yaml(None) + body_line + "\n")
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:7: 错误: 「body」（正文）是空的，请写上公告或通知的正文。" in out


def test_body_as_a_mapping(tmp_path: Path):
    workspace(tmp_path, notice_yaml(None) + "body:\n  第一段: 内容\n")
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:7: 错误: 「body」（正文）应当是段落列表或一段文字" in out


def test_a_table_file_missing(tmp_path: Path):
    workspace(tmp_path, notice_yaml("正文。", tables="\n  - {data: 没有.csv, caption: 表}"))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:8: 错误: 找不到数据文件 notices/没有.csv。" in out


def test_a_table_file_missing_in_a_mapping_entry(tmp_path: Path):
    workspace(tmp_path, notice_yaml("正文。", tables="\n  - data: 没有.xlsx\n    caption: 表"))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:8: 错误: 找不到数据文件 notices/没有.xlsx。" in out


def test_an_empty_table_file(tmp_path: Path):
    workspace(tmp_path, notice_yaml("正文。", tables="[t.csv]"), {"notices/t.csv": "户,门牌号\n"})
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t.csv:1:A: 错误: 数据文件 notices/t.csv 只有表头，没有数据行。" in out


@pytest.mark.parametrize("value", ["选民登记表", "{a: 选民登记表}"])
def test_attachments_not_a_list(tmp_path: Path, value: str):
    workspace(tmp_path, notice_yaml("正文。", attachments=value))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:7: 错误: 「attachments」（附件）应当是一个列表" in out


def test_a_table_marker_without_its_table(tmp_path: Path):
    workspace(tmp_path, notice_yaml("正文如下：\n\n【表2】"))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:10: 错误: 「【表2】」指向第2个表格，但没有写 tables。" in out


def test_heading_numbers_with_a_gap_are_a_warning(tmp_path: Path):
    workspace(tmp_path, notice_yaml("一、总体要求\n\n三、工作安排"))
    code, out = _check(tmp_path)
    assert code == 0
    assert "notices/t-notice.yaml:10: 警告: 序号「三、」不连续：前面同级的序号到 一、，这里应是「二、」。" in out


def test_numbered_attachment_titles_are_a_warning_and_print_once_numbered(tmp_path: Path):
    workspace(tmp_path, notice_yaml("正文。", attachments="\n  - 1. 登记表\n  - 2. 推荐表。"))
    code, out = _check(tmp_path)
    assert code == 0
    assert "notices/t-notice.yaml:8: 警告: 附件名称前的序号「1.」不必写" in out
    assert "notices/t-notice.yaml:9: 警告: 附件名称「推荐表。」末尾不加标点符号" in out
    sheets = sheets_of(tmp_path)
    assert find_item(sheets, "登记表")


def test_landscape_is_a_warning_and_prints_portrait(tmp_path: Path):
    workspace(tmp_path, notice_yaml(orientation="landscape"))
    code, out = _check(tmp_path)
    assert code == 0
    assert "notices/t-notice.yaml:7: 警告: 公告、通知按 GB/T 9704 竖版排印" in out
    sheet = sheets_of(tmp_path)[0]
    assert sheet.width < sheet.height


def test_a_character_no_font_has_is_located_in_the_body(tmp_path: Path):
    workspace(tmp_path, notice_yaml("第一段。\n\n第二段有个\ue000字。"))
    code, out = _check(tmp_path)
    assert code == 1
    assert "notices/t-notice.yaml:10: 错误: 字符「\ue000」（U+E000）没有任何字体能显示" in out


def test_paragraph_locations_in_a_list_and_in_folded_text(tmp_path: Path):
    body = (
        "body:\n  - 第一段。\n  - >\n    折叠的段落，\n    第二行有\ue000吗\n\n"
        "    另一段有个\ue000字\n  - 二、标题\ue000\n"
    )
    workspace(tmp_path, notice_yaml(None) + body)
    code, out = _check(tmp_path)
    assert code == 1
    for line in (10, 13, 14):
        assert f"notices/t-notice.yaml:{line}: 错误: 字符「\ue000」" in out, out
    loaded = load_workspace(tmp_path)
    paragraphs = [t.value for t in loaded.workspace.notices[0].content.paragraphs]
    assert paragraphs == ["第一段。", "折叠的段落，第二行有\ue000吗", "另一段有个\ue000字", "二、标题\ue000"]


def test_lines_of_a_paragraph_join_and_headings_start_new_ones(tmp_path: Path):
    workspace(tmp_path, notice_yaml("各户要清理房前\n屋后杂物，保持 clean\nand tidy。\n1. 第一项\n（1）细目"))
    loaded = load_workspace(tmp_path)
    paragraphs = [t.value for t in loaded.workspace.notices[0].content.paragraphs]
    assert paragraphs == ["各户要清理房前屋后杂物，保持 clean and tidy。", "1. 第一项", "（1）细目"]


def test_addressees_print_flush_left_above_the_body(tmp_path: Path):
    workspace(tmp_path, notice_yaml("现将有关事项通知如下。", to="各村民小组："))
    sheets = sheets_of(tmp_path)
    _, to = find_item(sheets, "各村民小组：")
    _, body = find_item(sheets, "现将有关事项通知如下。")
    assert to.x == pytest.approx(28 * MM, abs=0.01)
    assert to.y - body.y == pytest.approx(PITCH_MM * MM, abs=0.01)
    assert body.x == pytest.approx(28 * MM + 2 * sheets[0].body_size, abs=0.01)


# --------------------------------------------------------------------------- long words at a paragraph start

# Units that cannot break at a space: they used to lose their first two characters when they did not fit
# beside the first-line indent (the indent went into the text as two U+3000 and was sliced off again).
LONG_URL = "https://gk.example.gov.cn/lcz/2026/zhengwugongkai/notice-0001234567.html"
LONG_NUMBER = "1234567890" * 4
LONG_WORD = "Donaudampfschifffahrtselektrizitaetshauptbetriebswerk"  # fits a full line, not an indented one
LONGER_WORD = "Rindfleischetikettierungsueberwachungsaufgabenuebertragungsgesetz"  # wider than a full line
LEADING = {  # each paragraph's long unit is unique, so finding one in the PDF cannot borrow from another
    "url": f"{LONG_URL}是本通知的网上公开版本，请扫码或在浏览器中输入地址查看。",
    "number": f"{LONG_NUMBER}为本次补贴发放的银行批次号，请各户核对存折。",
    "word": f"{LONG_WORD} 是一个很长的德文单词，排版时一个字母也不能丢。",
    "longer word": f"{LONGER_WORD}也是一个德文单词。",
    "only a url": LONG_URL.replace("0001234567", "0007654321"),
    "heading then url": "一、网上公开地址",
    "url after a heading": LONG_URL.replace("notice", "detail") + "可查看全文。",
    "run-in heading and url": "（一）查询地址。" + LONG_URL.replace("lcz", "xzc") + "。",
    "level 1 heading and word": "二、" + LONGER_WORD.upper(),
    "level 3 heading and number": "1. " + LONG_NUMBER[::-1] + "号批次",
    "number after a heading": "9876543210" * 4 + "为备用批次号。",
}


def test_the_long_units_are_long_enough():
    size = 156 * MM / 28
    assert len(LONG_URL) == 72 and len(LONG_NUMBER) == 40
    body = STACK.role("body")  # the face the notice's body is set in, not the sans of the posters
    assert 26 * size < body.width(LONG_WORD, size) < 28 * size
    assert body.width(LONG_URL, size) > 28 * size and body.width(LONGER_WORD, size) > 28 * size


@pytest.fixture(scope="module")
def leading(tmp_path_factory) -> tuple[Path, list]:
    root = tmp_path_factory.mktemp("leading")
    workspace(root, notice_yaml("\n\n".join(LEADING.values())))
    pdf = build(root, "--draft") / "t-notice.pdf"
    return pdf, sheets_of(root)


@pytest.mark.parametrize("case", LEADING)
def test_a_long_unit_at_a_paragraph_start_keeps_every_character(leading, case: str):
    pdf, _sheets = leading
    paragraph = LEADING[case]
    assert "".join(paragraph.split()) in "".join(pdf_text(pdf).split())


def test_long_unit_paragraphs_are_whole_indented_and_inside_the_type_area(leading):
    _, sheets = leading
    size = sheets[0].body_size
    lines = [
        sorted(items, key=lambda i: i.x)
        for sheet in sheets
        for _, items in sorted(body_lines(sheet, size).items(), reverse=True)
    ]
    for items in lines:
        assert items[0].x >= 28 * MM - 0.01
        assert max(right_edge(i) for i in items) <= (28 + 156) * MM + 0.01, [i.text for i in items]
    # walk the lines paragraph by paragraph: each starts indented two characters and holds exactly its text
    texts_ = ["".join(i.text for i in items).replace(" ", "") for items in lines]
    index = 0
    for paragraph in LEADING.values():
        assert lines[index][0].x == pytest.approx(28 * MM + 2 * size, abs=0.01), paragraph
        laid_out = ""
        while len(laid_out) < len(paragraph.replace(" ", "")):
            laid_out += texts_[index]
            index += 1
        assert laid_out == paragraph.replace(" ", "")


def test_a_notice_that_is_only_a_url(tmp_path: Path):
    workspace(tmp_path, notice_yaml(LONG_URL))
    text = pdf_text(build(tmp_path, "--draft") / "t-notice.pdf")
    assert LONG_URL in "".join(text.split())


def _chunks():
    cjk = st.text(
        alphabet=st.sampled_from(list("村民委员会公告通知选举登记各户清理杂物") + list("，。、（）《》“”")),
        min_size=1,
        max_size=30,
    )

    def latin(min_size: int):
        return st.text(alphabet=st.sampled_from(list("abcdefxyzABCXYZ0123456789")), min_size=min_size, max_size=120)

    mixed = st.lists(st.one_of(cjk, latin(1), st.just(" ")), min_size=1, max_size=12).map("".join)
    # half the paragraphs open with a run that may not fit beside the indent: where characters used to go
    return st.one_of(mixed, st.tuples(latin(40), mixed).map("".join))


# a justified line of 标点挤压 and Latin digits ending exactly at the 版心 edge: the serif body's digits
# are narrower or wider than the sans ones, so it only fits when measured in the face it is drawn in
JUSTIFIED_TO_THE_EDGE = "“““”举“”举“”举“”举“”举“000000A““01“”“"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_chunks(),
    bold_chars=st.integers(min_value=0, max_value=20),
    indent=st.sampled_from([0.0, 2.0]),
    paper=st.sampled_from(["A4", "A5", "A0"]),
)
@example(text=JUSTIFIED_TO_THE_EDGE, bold_chars=0, indent=0.0, paper="A4")
def test_document_lines_keep_every_character(text: str, bold_chars: int, indent: float, paper: str):
    assume(text.strip())
    info = SheetInfo("测试通知", [], "测试村民委员会", "2026年4月12日", None, f"{URL}t-notice/")
    template = DocumentTemplate(info, DESIGN, STACK, paper)
    g = template.geometry
    spans = [Span(text[:bold_chars], "heading1"), Span(text[bold_chars:])]
    sheets = template.lay_out([DocParagraph([s for s in spans if s.text], indent=indent)])
    lines: list[list[TextItem]] = []
    for sheet in sheets:
        body = [
            i
            for i in sheet.items
            if isinstance(i, TextItem) and i.size == pytest.approx(g.size) and g.bottom < i.y < g.top
        ]
        for baseline in sorted({round(i.y, 3) for i in body}, reverse=True):
            lines.append(sorted((i for i in body if round(i.y, 3) == baseline), key=lambda i: i.x))
    laid_out = "".join(i.text for line in lines for i in line)
    assert laid_out.replace(" ", "") == text.replace(" ", "")
    assert "".join(i.text for line in lines for i in line if i.bold).replace(" ", "") == text[:bold_chars].replace(
        " ", ""
    )
    assert lines[0][0].x == pytest.approx(g.left + indent * g.char, abs=0.01)
    for line in lines:
        assert line[0].x >= g.left - 0.01
        assert max(right_edge(i) for i in line) <= g.right + 0.01  # measured in the face it is drawn in


def test_a_justified_line_with_compressed_punctuation_ends_at_the_edge_in_the_pdf():
    info = SheetInfo("测试通知", [], "测试村民委员会", "2026年4月12日", None, f"{URL}t-notice/")
    template = DocumentTemplate(info, DESIGN, STACK, "A4")
    g = template.geometry
    sheets = template.lay_out([DocParagraph([Span(JUSTIFIED_TO_THE_EDGE)], indent=0.0)])
    document = pdfium.PdfDocument(render_pdf(sheets, STACK, title="测试通知", author="测试村民委员会"))
    page = document[0]
    textpage = page.get_textpage()
    boxes = []  # (character, left, right, bottom) of the body text, by each glyph's advance
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if char.strip() and g.bottom < bottom and top < g.top - g.pitch:  # below the title
            boxes.append((char, left, right, round(bottom, 1)))
    assert "".join(char for char, *_ in boxes) == JUSTIFIED_TO_THE_EDGE
    first_line = [box for box in boxes if box[3] == boxes[0][3]]
    assert len(first_line) == len(JUSTIFIED_TO_THE_EDGE) - 1  # the last “ may not end a line: it goes to the next
    assert first_line[0][1] == pytest.approx(g.left, abs=0.05)
    assert first_line[-1][2] == pytest.approx(g.right, abs=0.05)  # justified to the 版心 edge, not past it
    assert max(right for _, _, right, _ in boxes) <= g.right + 0.05
    # 标点挤压: the second of 「A““」 is drawn half an em into the first, which keeps its place
    a = next(i for i, box in enumerate(first_line) if box[0] == "A")
    assert first_line[a + 2][1] - first_line[a + 1][1] == pytest.approx(g.size / 2, abs=0.05)
    document.close()
