"""QR codes sized by version (SPEC §3) and the warning for an address denser than version 5.

A paper's minimum QR side holds for a version-3 code (29 modules, 37 with the quiet zone); a denser
code grows so that no module is smaller than the minimum divided by 37. Asserted on the laid-out
items of every template that draws a code: poster footer, 公文 page, letter, receipt register.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SETTINGS, SMALL_FINANCE_CSV, finance_yaml, make_workspace, run

from noticeboard.layout.blocks import PT_PER_MM
from noticeboard.layout.design import load_design
from noticeboard.layout.document import DocumentTemplate
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.frame import SheetInfo, SheetTemplate
from noticeboard.layout.letter import LetterRun, plan_letters
from noticeboard.layout.paper import QR_MINIMUM_MM, page_size
from noticeboard.layout.qr import (
    PLAIN_VERSION,
    QUIET_ZONE,
    qr_version,
    side_for_version,
    url_capacity,
    version_modules,
)
from noticeboard.layout.receipts import ReceiptGroup, ReceiptRow, lay_out_receipts
from noticeboard.layout.sheet import QRItem, TextItem
from noticeboard.load.workspace import load_workspace

STACK, _ = build_stack([])
PAPERS = list(QR_MINIMUM_MM)
VERSIONS = range(1, 11)
# a township's real address is this long: 117 characters before the notice's id
LONG_BASE = "https://www.rizhao.gov.cn/donggang/liangchengzhen/zwgk/fdzdgknr/czyjs/xiangzhenzhengfu-caizheng-shouzhi-gongkai/2026/"
assert len(LONG_BASE) == 117


def url_of_version(version: int) -> str:
    """An address that just fills a code of ``version``: the densest that version carries."""
    url = ("https://gk.example.gov.cn/" + "x" * 200)[: url_capacity(version) - 1] + "/"  # versions 1-2 hold no real one
    assert qr_version(url) == version
    return url


def info(url: str) -> SheetInfo:
    return SheetInfo(
        title="测试镇2026年第一季度财政收支情况公示",
        meta=["发布日期：2026年4月12日"],
        issuer="测试镇人民政府",
        date_text="2026年4月12日",
        hotline="0537-7654321",
        url=url,
        signoffs="初审：王小红 2026-04-10　审核：李建国 2026-04-11",
        code="ABCD-EFGH",
    )


def the_qr(items: list) -> QRItem:
    codes = [i for i in items if isinstance(i, QRItem)]
    assert len(codes) == 1
    return codes[0]


def assert_modules(qr: QRItem, version: int, minimum_mm: float) -> None:
    """The code is of ``version`` and no module is below minimum / 37, nor the code below the minimum."""
    assert len(qr.matrix) == version_modules(version)
    module_mm = qr.size / len(qr.matrix) / PT_PER_MM
    assert module_mm >= minimum_mm / 37 - 1e-9
    assert qr.size / PT_PER_MM >= minimum_mm - 1e-9


def text_boxes(items: list, stack=STACK) -> list[tuple[float, float, float, float, str]]:
    boxes = []
    for item in items:
        if isinstance(item, TextItem) and item.text.strip():
            width = stack.width(item.text, item.size, item.bold)
            boxes.append((item.x, item.y - item.size * 0.2, item.x + width, item.y + item.size * 0.85, item.text))
    return boxes


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.01 and min(a[3], b[3]) - max(a[1], b[1]) > 0.01


def assert_nothing_overprints(items: list, qr: QRItem, stack=STACK) -> None:
    """No two lines of text share ink, and no text lies on the code's dark modules."""
    boxes = text_boxes(items, stack)
    quiet = qr.size * QUIET_ZONE / len(qr.matrix)
    dark = (qr.x + quiet, qr.y + quiet, qr.x + qr.size - quiet, qr.y + qr.size - quiet)
    for index, box in enumerate(boxes):
        assert not overlaps(box, dark), box[4]
        for other in boxes[index + 1 :]:
            assert not overlaps(box, other), (box[4], other[4])


# --------------------------------------------------------------------------- the rule itself


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("version", VERSIONS)
def test_side_for_version_keeps_every_module_at_the_minimum_over_37(paper: str, version: int):
    minimum = QR_MINIMUM_MM[paper]
    side = side_for_version(minimum, version)
    assert side / version_modules(version) >= minimum / 37 - 1e-12
    # exactly as large as the rule needs: the minimum up to version 3, 37ths of it beyond
    assert side == pytest.approx(max(minimum, version_modules(version) * minimum / 37))


def test_version_3_is_the_minimum_and_the_long_township_address_grows_the_code():
    assert version_modules(3) == 37
    assert side_for_version(40, 3) == 40 and side_for_version(40, 1) == 40
    url = LONG_BASE + "2026q1-finance/"
    assert qr_version(url) == 10
    assert side_for_version(40, qr_version(url)) == pytest.approx(40 * 65 / 37)  # 70 mm on A3, not 40


def test_url_capacity_agrees_with_qr_version():
    for version in VERSIONS:
        capacity = url_capacity(version)
        assert qr_version("h" * capacity) <= version < qr_version("h" * (capacity + 1))
    assert url_capacity(PLAIN_VERSION) == 60


# --------------------------------------------------------------------------- every template


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_poster_footer_by_version_every_paper(paper: str, orientation: str):
    design = load_design("finance")[0]
    for version in VERSIONS:
        url = url_of_version(version)
        template = SheetTemplate(info(url), design, STACK, paper, page_size(paper, orientation), orientation)
        items = template.footer_items(1, 3)
        qr = the_qr(items)
        assert_modules(qr, version, QR_MINIMUM_MM[paper])
        assert qr.y + qr.size <= template.margin + template.footer_height + 0.01  # under the footer rule
        assert_nothing_overprints(items, qr)
        margin = template.margin
        for x1, _, x2, _, text in text_boxes(items):
            assert margin - 0.5 <= x1 and x2 <= template.width - margin + 0.5, (version, text)
        # the address beside the code is all there, wrapped into the room left of the right-hand block
        beside = "".join(i.text for i in items if isinstance(i, TextItem) and i.x > qr.x + qr.size - 0.01)
        assert url in beside


def test_long_address_footer_wraps_beside_a_larger_code():
    design = load_design("finance")[0]
    url = LONG_BASE + "2026q1-finance/"
    template = SheetTemplate(info(url), design, STACK, "A4", page_size("A4"), "portrait")
    items = template.footer_items(1, 1)
    qr = the_qr(items)
    assert qr.size / PT_PER_MM == pytest.approx(30 * 65 / 37)  # 52.7 mm, not the 30 mm of a short address
    address = [i for i in items if isinstance(i, TextItem) and i.text and i.text in url]
    assert len(address) >= 2 and "".join(i.text for i in address) == url
    assert template.footer_height >= qr.size


@pytest.mark.parametrize("paper", PAPERS)
def test_document_page_by_version_every_paper(paper: str):
    design = load_design("notice")[0]
    sans = STACK.role("sans")
    for version in VERSIONS:
        template = DocumentTemplate(info(url_of_version(version)), design, STACK, paper)
        g = template.geometry
        items = template.footer_items(1, 2)
        qr = the_qr(items)
        assert_modules(qr, version, QR_MINIMUM_MM[paper])
        quiet = qr.size * QUIET_ZONE / len(qr.matrix)
        assert qr.y + quiet >= g.edge - 1e-6  # the dark modules keep off the printers' margin
        assert qr.y + qr.size - quiet <= g.bottom - 1e-6  # and below the 版心
        assert_nothing_overprints(items, qr, sans)


def test_document_a4_keeps_22_lines_up_to_version_5():
    design = load_design("notice")[0]
    lines = {v: DocumentTemplate(info(url_of_version(v)), design, STACK, "A4").geometry.lines for v in VERSIONS}
    assert all(lines[v] == 22 for v in range(1, PLAIN_VERSION + 1))
    assert all(lines[v] < 22 for v in range(PLAIN_VERSION + 1, 11))  # denser codes cost whole lines


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_letter_by_version(paper: str):
    design = load_design("letter")[0]
    minimum = max(float(design.get(f"letter.papers.{paper}.qr")), QR_MINIMUM_MM[paper])
    for version in VERSIONS:
        url = url_of_version(version)
        plan = plan_letters(
            LetterRun([], [], {}),
            design,
            STACK,
            paper,
            title="致全体村民的一封信",
            issuer="小庄村村民选举委员会",
            date_text="2026年2月20日",
            hotline="0537-1234567",
            url=url,
        )
        assert plan.qr_version == version
        module_mm = plan.qr_side / version_modules(version) / PT_PER_MM
        assert module_mm >= minimum / 37 - 1e-9
        # the letter's own stricter reading: the code without its quiet zone meets the minimum
        assert plan.qr_side * (1 - 2 * QUIET_ZONE / version_modules(version)) / PT_PER_MM >= minimum - 1e-9
        text = [i for i in plan.foot.items if isinstance(i, TextItem)]
        assert all(i.x >= plan.qr_x + plan.qr_side - plan.qr_side * QUIET_ZONE / version_modules(version) for i in text)


def test_receipts_by_version():
    design = load_design("letter")[0]
    groups = [ReceiptGroup("第一村民小组", [ReceiptRow(f"030100{n}", "张三", "小庄村一组") for n in range(1, 6)])]
    for version in VERSIONS:
        sheets = lay_out_receipts("致全体村民的一封信", groups, info(url_of_version(version)), design, STACK)
        qr = the_qr(sheets[0].items)
        assert_modules(qr, version, QR_MINIMUM_MM["A4"])
        assert_nothing_overprints(sheets[0].items, qr)


# --------------------------------------------------------------------------- the warning at check


def _finance(root: Path, notice_id: str, **extra: str) -> dict[str, str]:
    return {
        f"notices/{notice_id}.yaml": finance_yaml(notice_id, data=f"{notice_id}.csv", **extra),
        f"notices/{notice_id}.csv": SMALL_FINANCE_CSV,
    }


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "二维码" in line and ": 警告: " in line]


def test_a_long_base_url_is_one_warning_at_its_line(tmp_path: Path):
    files = {**_finance(tmp_path, "t-a4"), **_finance(tmp_path, "t-a3", paper="A3"), **_finance(tmp_path, "q1")}
    settings = SETTINGS.replace("https://gk.example.gov.cn/test/", LONG_BASE)
    make_workspace(tmp_path, files, settings)
    line = settings.splitlines().index(f"base_url: {LONG_BASE}") + 1
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    warnings = _warnings(result.output)
    assert len(warnings) == 1, result.output  # one for the address, not one per notice
    message = warnings[0]
    assert message.startswith(f"noticeboard.yaml:{line}: 警告: ")
    room = url_capacity(PLAIN_VERSION) - len("t-a4/")  # the longest id still has to fit
    assert "base_url 有 117 个字符" in message
    assert f"第 {qr_version(LONG_BASE + 't-a4/')} 版" in message and "比第 5 版密" in message
    assert f"把 base_url 缩短到 {room} 个字符以内" in message
    assert "本工作区 3 条通知的二维码就都在第 5 版以内" in message
    # the suggestion is right: an address that long keeps every code at version 5
    assert qr_version("https://" + "g" * (room - len("https:///")) + "/t-a4/") <= PLAIN_VERSION


def test_a_long_id_alone_is_warned_at_that_notice(tmp_path: Path):
    long_id = "2026-liangchengzhen-q1-caizheng-shouzhi-gongkai"
    make_workspace(tmp_path, {**_finance(tmp_path, "q1"), **_finance(tmp_path, long_id)})
    result = run("check", "-w", tmp_path)
    warnings = _warnings(result.output)
    assert len(warnings) == 1, result.output
    room = url_capacity(PLAIN_VERSION) - len("https://gk.example.gov.cn/test/") - 1
    assert warnings[0].startswith(f"notices/{long_id}.yaml:1: 警告: 编号「{long_id}」有 {len(long_id)} 个字符")
    assert f"编号不超过 {room} 个字符" in warnings[0]
    assert not any(w.startswith("noticeboard.yaml") for w in warnings)


def test_a_notice_with_its_own_long_base_url_is_warned_at_that_line(tmp_path: Path):
    make_workspace(tmp_path, {**_finance(tmp_path, "q1"), **_finance(tmp_path, "q2", base_url=LONG_BASE)})
    result = run("check", "-w", tmp_path)
    warnings = _warnings(result.output)
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith("notices/q2.yaml:10: 警告: 网上公开地址 base_url 有 117 个字符")


def test_short_addresses_are_not_warned(tmp_path: Path):
    make_workspace(tmp_path, {**_finance(tmp_path, "q1"), **_finance(tmp_path, "2026-q1-finance-township")})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 0 and not _warnings(result.output), result.output


def test_the_warning_is_a_problem_with_its_place(tmp_path: Path):
    settings = SETTINGS.replace("https://gk.example.gov.cn/test/", LONG_BASE)
    make_workspace(tmp_path, _finance(tmp_path, "q1"), settings)
    loaded = load_workspace(tmp_path)
    from noticeboard.checks import run_checks

    problems = [p for p in run_checks(loaded, loaded.workspace.notices) if "二维码" in p.message]
    assert len(problems) == 1 and not problems[0].is_error
    assert (problems[0].where.file, problems[0].where.line) == ("noticeboard.yaml", 2)
