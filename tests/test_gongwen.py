"""The 公文 look (SPEC §3, GB/T 9704-2012): typefaces by role, 标点挤压, the seal, attachment pages."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import make_workspace, pdf_text, run

from noticeboard.layout.document import compress_punctuation
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.sheet import QRItem, TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out

MM = 72 / 25.4
STACK, _ = build_stack([])
BODY = """\
根据有关规定，现将事项通知如下：

一、总体要求

（一）工作目标。2026年4月27日，全面清理积存垃圾，填写登记表（见附件2）。

（二）责任分工。各村民小组长负责本组，村委会统一督查。"""


def notice_yaml(body: str = BODY, **extra: str) -> str:
    fields = {
        "id": "t-notice",
        "kind": "notice",
        "title": "测试村关于开展人居环境整治的通知",
        "issuer": "测试村民委员会",
        "date": "2026-04-12",
        "display_days": "10",
        "paper": "A4",
    }
    fields.update(extra)
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return text + "body: |\n" + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))


def sheets_of(root: Path):
    loaded = load_workspace(root)
    assert [p for p in loaded.problems if p.is_error] == []
    return lay_out(loaded.workspace.notices[0], loaded)


def texts(sheet) -> list[TextItem]:
    return [i for i in sheet.items if isinstance(i, TextItem) and i.text.strip()]


def line_with(sheets, needle: str) -> list[TextItem]:
    for sheet in sheets:
        for baseline in {round(i.y, 3) for i in texts(sheet)}:
            items = sorted((i for i in texts(sheet) if round(i.y, 3) == baseline), key=lambda i: i.x)
            if needle in "".join(i.text for i in items):
                return items
    raise AssertionError(f"{needle!r} not laid out")


def char_positions(items: list[TextItem]) -> list[tuple[str, float, float]]:
    """(character, x, natural advance) of every character of a line, as drawn."""
    out = []
    for item in items:
        stack = STACK.role(item.role)
        x = item.x
        for char in item.text:
            width = stack.char_width(char, item.size, item.bold)
            out.append((char, x, width))
            x += width
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gongwen")
    make_workspace(root, {"notices/t-notice.yaml": notice_yaml()})
    result = run("build", "-w", root, "--draft")
    assert result.exit_code == 0, result.output
    return root


# --------------------------------------------------------------------------- typefaces by role


def test_the_notice_uses_four_font_programs_by_role(built: Path):
    embedded = set()
    with pikepdf.open(built / "out" / "print" / "t-notice.pdf") as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                name = str(font.BaseFont).split("+", 1)[1]
                assert font.FontDescriptor.get("/FontFile2") is not None, name  # embedded TrueType
                embedded.add(name)
    expected = {"NotoSerifSC-Bold", "NotoSerifSC-Regular", "NotoSansSC-Bold", "LXGWWenKai-Regular"}
    assert expected <= {re.sub(r"-\d+$", "", n) for n in embedded}, embedded


def test_each_part_is_set_in_its_role(built: Path):
    sheets = sheets_of(built)
    roles: dict[str, list[str]] = {}
    last = None
    for baseline in sorted({round(i.y, 3) for i in texts(sheets[0])}, reverse=True):
        line = sorted((i for i in texts(sheets[0]) if round(i.y, 3) == baseline), key=lambda i: i.x)
        for item in line:  # a justified line is set piece by piece: join a role's run back up
            runs = roles.setdefault(item.role, [])
            if runs and last is not None and last.role == item.role and round(last.y, 3) == baseline:
                runs[-1] += item.text
            else:
                runs.append(item.text)
            last = item
        last = None
    assert roles["title"] == ["测试村关于开展人居环境整治的通知"]
    assert roles["heading"] == ["一、总体要求"]
    assert "（一）工作目标。" in roles["subheading"] and "（二）责任分工。" in roles["subheading"]
    assert any("各村民小组长负责本组" in t for t in roles["body"])
    assert "测试村民委员会" in roles["body"] and "— 1 —" in roles["body"]
    assert all(not i.bold for i in texts(sheets[0]) if i.role == "subheading")  # 楷体, not bold


# --------------------------------------------------------------------------- 标点挤压


def test_a_closing_mark_before_another_mark_takes_half_an_em():
    size = 16.0
    advances, shifts = compress_punctuation(list("件2）。正"), [size, size / 2, size, size, size], size)
    assert advances == [size, size / 2, size / 2, size, size]
    assert shifts == [0.0] * 5
    advances, shifts = compress_punctuation(list("《（见"), [size] * 3, size)
    assert advances == [size, size / 2, size] and shifts == [0.0, -size / 2, 0.0]
    assert compress_punctuation(list("日，"), [size, size], size) == ([size, size], [0.0, 0.0])


def test_compressed_punctuation_on_the_page(built: Path):
    sheets = sheets_of(built)
    size = sheets[0].body_size
    chars = char_positions(line_with(sheets, "（见附件2）。"))
    text = "".join(c for c, _, _ in chars)
    start = text.index("2）。")
    (_, x_paren, w_paren), (_, x_stop, _) = chars[start + 1], chars[start + 2]
    assert w_paren == pytest.approx(size)
    assert x_stop - x_paren == pytest.approx(size / 2, abs=0.01)  # ） gives up its blank half before 。
    # a justified line opens no gap before a comma: 日， stays one em apart
    chars = char_positions(line_with(sheets, "27日，"))
    text = "".join(c for c, _, _ in chars)
    day = text.index("27日，") + 2
    assert chars[day + 1][1] - chars[day][1] == pytest.approx(chars[day][2], abs=0.01)


# --------------------------------------------------------------------------- the bottom block


def test_the_hotline_is_at_least_12_pt_beside_the_qr_code(built: Path):
    sheet = sheets_of(built)[0]
    hotline = next(i for i in texts(sheet) if i.text.startswith("监督电话"))
    qr = next(i for i in sheet.items if isinstance(i, QRItem))
    assert hotline.size >= 12
    assert qr.y <= hotline.y <= qr.y + qr.size
    caption = next(i for i in texts(sheet) if i.text == "扫码查看网上公开版本")
    assert caption.y > hotline.y  # one block: caption, address, telephone
    assert all(i.y < (297 - 37 - 225) * MM for i in (hotline, caption))


# --------------------------------------------------------------------------- the seal


def test_seal_layout_date_four_characters_in_and_issuer_centred_above(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-notice.yaml": notice_yaml(seal="true")})
    sheets = sheets_of(tmp_path)
    size = sheets[0].body_size
    body = STACK.role("body")
    date = next(i for i in texts(sheets[-1]) if i.text == "2026年4月12日")
    issuer = next(i for i in texts(sheets[-1]) if i.text == "测试村民委员会")
    date_right = date.x + body.width(date.text, size)
    assert date_right == pytest.approx((28 + 156) * MM - 4 * size, abs=0.01)  # 右空四字
    issuer_centre = issuer.x + body.width(issuer.text, size) / 2
    assert issuer_centre == pytest.approx(date.x + body.width(date.text, size) / 2, abs=0.01)
    pitch = 225 / 22 * MM
    assert issuer.y - date.y == pytest.approx(pitch, abs=0.01)
    # two free lines above the 署名, and the seal's 42 mm fit from the first of them down the page
    last_body = min(i.y for i in texts(sheets[-1]) if i.role == "body" and i.y > issuer.y and i.size == size)
    assert last_body - issuer.y == pytest.approx(3 * pitch, abs=0.01)
    seal_top = last_body - 0.12 * size - pitch * 0.9  # the top of the first free line, give or take the descent
    assert seal_top - 42 * MM >= (297 - 37 - 225) * MM - 0.01


def test_without_seal_the_signature_is_as_before(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-notice.yaml": notice_yaml()})
    sheets = sheets_of(tmp_path)
    size = sheets[0].body_size
    date = next(i for i in texts(sheets[-1]) if i.text == "2026年4月12日")
    assert date.x + STACK.role("body").width(date.text, size) == pytest.approx((28 + 156) * MM - 2 * size, abs=0.01)


def test_seal_must_be_true_or_false(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-notice.yaml": notice_yaml(seal="盖")})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-notice.yaml:8: 错误: 「seal」（盖章）应当写 true 或 false，现在是「盖」。" in result.output


# --------------------------------------------------------------------------- attachments


ATTACHMENTS = """\
attachments:
  - 测试村环境整治责任分工表
  - {title: 测试村环境整治登记表, data: 登记表.csv}
"""


def test_an_attachment_that_names_a_file_gets_its_own_pages(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/t-notice.yaml": notice_yaml() + ATTACHMENTS,
            "notices/登记表.csv": "村民小组,户主,完成情况\n第一村民小组,张三,已完成\n第二村民小组,李四,未完成\n",
        },
    )
    sheets = sheets_of(tmp_path)
    assert len(sheets) == 2
    page = sheets[1]
    top = (297 - 37) * MM
    pitch = 225 / 22 * MM
    label = next(i for i in texts(page) if i.text == "附件2")
    assert label.role == "heading" and label.x == pytest.approx(28 * MM, abs=0.01)  # 黑体, 顶格
    assert top - label.y == pytest.approx(0.88 * label.size, abs=0.01)  # line 1
    title = next(i for i in texts(page) if i.text == "测试村环境整治登记表")
    assert title.role == "title"
    assert top - 2 * pitch - title.y == pytest.approx(0.88 * title.size, abs=0.01)  # line 3
    width = STACK.role("title").width(title.text, title.size, title.bold)
    assert title.x + width / 2 == pytest.approx((28 + 78) * MM, abs=0.01)  # centred
    assert {"张三", "李四", "未完成"} <= {i.text for i in texts(page)}
    assert "张三" not in {i.text for i in texts(sheets[0])}
    text = "".join(pdf_text_of(tmp_path).split())
    assert "附件：1.测试村环境整治责任分工表" in text and "2.测试村环境整治登记表" in text


def pdf_text_of(root: Path) -> str:
    result = run("build", "-w", root, "--draft")
    assert result.exit_code == 0, result.output
    return pdf_text(root / "out" / "print" / "t-notice.pdf")


def test_a_missing_attachment_file_is_located(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-notice.yaml": notice_yaml() + ATTACHMENTS})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-notice.yaml:" in result.output and "登记表.csv" in result.output
    assert "Traceback" not in result.output


def test_a_text_attachment_prints_its_paragraphs(tmp_path: Path):
    yaml_text = notice_yaml() + "attachments:\n  - {title: 测试村村规民约, data: 村规民约.txt}\n"
    make_workspace(
        tmp_path,
        {"notices/t-notice.yaml": yaml_text, "notices/村规民约.txt": "一、爱护环境\n\n不乱扔垃圾，不乱堆乱放。\n"},
    )
    sheets = sheets_of(tmp_path)
    assert next(i for i in texts(sheets[1]) if i.text == "附件").role == "heading"
    text = "".join(pdf_text_of(tmp_path).split())
    assert "不乱扔垃圾，不乱堆乱放。" in text and "附件：测试村村规民约" in text


# --------------------------------------------------------------------------- tables


def test_a_table_title_is_centred(tmp_path: Path):
    body = BODY + "\n\n【表1】"
    yaml_text = notice_yaml(body) + "tables:\n  - {data: 分工.csv, caption: 责任分工表}\n"
    make_workspace(tmp_path, {"notices/t-notice.yaml": yaml_text, "notices/分工.csv": "小组,负责人\n第一组,张三\n"})
    sheets = sheets_of(tmp_path)
    caption = next(i for i in texts(sheets[0]) if i.text == "责任分工表")
    width = STACK.role(caption.role).width(caption.text, caption.size, caption.bold)
    assert caption.x + width / 2 == pytest.approx((28 + 78) * MM, abs=0.01)
