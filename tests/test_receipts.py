"""The receipt register (签收登记表) of a letter run: layout and the PDF it renders to."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import decode_qr, findable, pdf_pages, pdf_text, render_page

from noticeboard.layout.blocks import PT_PER_MM
from noticeboard.layout.design import load_design
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.frame import SheetInfo
from noticeboard.layout.receipts import ReceiptGroup, ReceiptRow, lay_out_receipts
from noticeboard.layout.sheet import LineItem, QRItem, TextItem
from noticeboard.render.pdf import render_pdf

URL = "https://gk.example.gov.cn/lcz/2026-election-letter/"
LETTER = "致全体村民的一封信"
LONG_ADDRESS = "小庄村第二村民小组后街东头老供销社院内向北第三户（原村小学旧址旁边的二层小楼，门前有两棵大槐树）"
LONG_HEAD = "欧阳娜娜·买买提艾力·阿不都热合曼"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英桂兰志强春梅海燕玉珍德明红霞丽华文军"
A4 = (595.276, 841.89)


@pytest.fixture(scope="module")
def stack():
    return build_stack([])[0]


@pytest.fixture(scope="module")
def design():
    return load_design("letter")[0]


def _info(**changes) -> SheetInfo:
    values = {
        "title": LETTER,
        "meta": [],
        "issuer": "小庄村村民选举委员会",
        "date_text": "2026年2月20日",
        "hotline": "0537-1234567",
        "url": URL,
        "signoffs": "初审：王小红 2026-02-18　审核：李建国 2026-02-19",
    }
    values.update(changes)
    return SheetInfo(**values)


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3 + 1) % len(GIVEN)]


def _groups() -> list[ReceiptGroup]:
    groups, n = [], 0
    for index, (name, size) in enumerate((("第一村民小组", 30), ("第二村民小组", 48), ("第三村民小组", 42))):
        rows = []
        for _ in range(size):
            n += 1
            rows.append(ReceiptRow(f"370801{n:04d}", _name(n), f"小庄村{index + 1}组{n % 97 + 1}号"))
        groups.append(ReceiptGroup(name, rows))
    groups[1].rows[4].address = LONG_ADDRESS
    groups[1].rows[6].head = LONG_HEAD
    return groups


def _page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return ["".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def register(stack, design, tmp_path_factory):
    groups = _groups()
    sheets = lay_out_receipts(LETTER, groups, _info(), design, stack)
    path = tmp_path_factory.mktemp("receipts") / "receipts.pdf"
    path.write_bytes(render_pdf(sheets, stack, title="签收登记表", author="小庄村村民选举委员会"))
    return groups, sheets, path


def _grid(sheet):
    """(x of the vertical rules, y of the full-width horizontal rules, top down) of a sheet's table."""
    verticals = sorted({round(i.x1, 3) for i in sheet.items if isinstance(i, LineItem) and i.x1 == i.x2})
    left, right = verticals[0], verticals[-1]
    horizontals = sorted(
        {
            round(i.y1, 3)
            for i in sheet.items
            if isinstance(i, LineItem) and i.y1 == i.y2 and i.x1 <= left + 1 and i.x2 >= right - 1
        },
        reverse=True,
    )
    return verticals, horizontals


def _table_texts(sheet):
    _, horizontals = _grid(sheet)
    return [i for i in sheet.items if isinstance(i, TextItem) and horizontals[-1] < i.y < horizontals[0]]


def _numbers(sheet) -> list[int]:
    """The 序号 column, top down: the table's text left of the first inner rule, below the labels."""
    verticals, horizontals = _grid(sheet)
    items = [i for i in _table_texts(sheet) if i.x < verticals[1] and i.y < horizontals[1]]
    return [int(i.text) for i in sorted(items, key=lambda i: -i.y)]


def _sheets_of(groups, sheets):
    """Sheet indexes per group, by the group line each sheet carries."""
    owner = []
    for sheet in sheets:
        names = [g.name for g in groups if any(t.startswith(f"村民小组：{g.name}") for t in sheet.texts())]
        assert len(names) == 1, sheet.texts()[:4]
        owner.append(names[0])
    return {g.name: [i for i, name in enumerate(owner) if name == g.name] for g in groups}


def test_every_household_is_in_the_pdf(register):
    groups, _, path = register
    text = pdf_text(path)
    for group in groups:
        for row in group.rows:
            assert findable(row.household, text), row.household
            assert findable(row.head, text), row.head
            assert findable(row.address, text), row.address
    assert findable(f"《{LETTER}》发放签收登记表", text)
    assert "扫码查看网上公开版本" in text and URL in text
    assert "监督电话：0537-1234567" in text and "小庄村村民选举委员会" in text and "2026年2月20日" in text


def test_each_group_starts_on_a_new_sheet_and_numbers_restart(register):
    groups, sheets, _ = register
    by_group = _sheets_of(groups, sheets)
    start = 0
    for group in groups:
        indexes = by_group[group.name]
        assert indexes == list(range(start, start + len(indexes)))  # contiguous, in the given order
        start += len(indexes)
        first = sheets[indexes[0]].texts()
        assert f"村民小组：{group.name}　本组共 {len(group.rows)} 户" in first
        assert all("续表" in " ".join(sheets[i].texts()) for i in indexes[1:])
        assert "续表" not in " ".join(first)
        numbers = [n for i in indexes for n in _numbers(sheets[i])]
        assert numbers == list(range(1, len(group.rows) + 1))
        households = [r.household for r in group.rows]
        on_sheets = [t for i in indexes for t in sheets[i].texts() if t in households]
        assert on_sheets == households  # every household once, in order, on its own group's sheets
        assert group.rows[0].household in sheets[indexes[0]].texts()
    assert start == len(sheets)


def test_totals_line_closes_each_group(register):
    groups, sheets, path = register
    by_group = _sheets_of(groups, sheets)
    pages = _page_texts(path)
    for group in groups:
        indexes = by_group[group.name]
        totals = f"本组共 {len(group.rows)} 户，已签收"
        assert [i for i, s in enumerate(sheets) if totals in s.texts()] == [indexes[-1]]
        last = pages[indexes[-1]]
        assert f"本组共{len(group.rows)}户，已签收" in last
        assert "发放人（签字）" in last and "核对人（签字）" in last


def test_sheet_numbers_size_and_qr(register):
    _, sheets, path = register
    pages = _page_texts(path)
    total = len(sheets)
    assert len(pages) == total
    for number, text in enumerate(pages, 1):
        assert re.findall(r"第(\d+)张/共(\d+)张", text) == [(str(number), str(total))]
    for width, height in pdf_pages(path):
        assert abs(width - A4[0]) < 0.01 and abs(height - A4[1]) < 0.01
    for index in (0, total - 1):
        assert decode_qr(render_page(path, index, dpi=150)) == [URL]
    codes = [[i for i in sheet.items if isinstance(i, QRItem)] for sheet in sheets]
    assert all(len(qr) == 1 and qr[0].size >= 30 * PT_PER_MM - 0.01 and qr[0].url == URL for qr in codes)
    assert len({id(qr[0].matrix) for qr in codes}) == 1  # built once for the whole register


def test_rows_are_tall_enough_to_sign_and_text_stays_in_its_cell(register, stack):
    _, sheets, _ = register
    tall = 0
    for sheet in sheets:
        verticals, horizontals = _grid(sheet)
        heights = [a - b for a, b in itertools.pairwise(horizontals[1:])]  # below the label row
        assert heights and min(heights) >= 10 * PT_PER_MM - 0.01
        tall += sum(1 for h in heights if h > 11 * PT_PER_MM)
        for item in _table_texts(sheet):  # inside one cell: between two rules, both ways
            width = stack.width(item.text, item.size, item.bold)
            left = max(x for x in verticals if x <= item.x)
            right = min(x for x in verticals if x > item.x)
            assert item.x + width <= right - 0.5, item
            top = min(y for y in horizontals if y > item.y)
            bottom = max(y for y in horizontals if y <= item.y)
            assert item.y - item.size * 0.12 >= bottom + 0.5 and item.y + item.size * 0.88 <= top - 0.5, item
            assert item.x >= left + 0.5
    assert tall == 2  # the long address and the long name grew their rows


def test_no_text_crosses_the_margins(register, stack, design):
    _, sheets, _ = register
    margin = design.number("receipts.margin") * PT_PER_MM
    for sheet in sheets:
        assert (sheet.width, sheet.height) == pytest.approx(A4, abs=0.01)
        for item in sheet.items:
            if isinstance(item, TextItem):
                width = stack.width(item.text, item.size, item.bold)
                assert item.x >= margin - 0.01 and item.x + width <= sheet.width - margin + 0.01, item
                assert item.y - item.size * 0.12 >= margin - 0.01, item
                assert item.y + item.size * 0.88 <= sheet.height - margin + 0.01, item
        assert min(i.size for i in _table_texts(sheet)) >= 10.5  # legible at a desk


def test_long_cells_wrap_within_one_sheet(register):
    groups, sheets, _ = register
    row = groups[1].rows[4]
    holders = [i for i, s in enumerate(sheets) if row.household in s.texts()]
    assert len(holders) == 1
    texts = sheets[holders[0]].texts()
    names = {"村民小组", groups[1].name}  # the group column's label and cells are not address pieces
    pieces = [t for t in texts if t and t in LONG_ADDRESS and t not in names]
    assert len(pieces) >= 2 and "".join(pieces) == LONG_ADDRESS  # wrapped, all on the household's sheet
    holder = next(s for s in sheets if groups[1].rows[6].household in s.texts())
    pieces = [t for t in holder.texts() if t and t in LONG_HEAD and t not in names]
    assert len(pieces) >= 2 and "".join(pieces) == LONG_HEAD


def test_one_unnamed_group_without_addresses(stack, design, tmp_path):
    rows = [ReceiptRow(f"H{n:04d}", _name(n), "") for n in range(1, 46)]
    title = "关于做好小庄村第十二届村民委员会换届选举工作致全体村民和外出务工人员的一封公开信"
    sheets = lay_out_receipts(title, [ReceiptGroup("", rows)], _info(hotline=None, signoffs=None), design, stack)
    path = tmp_path / "receipts.pdf"
    path.write_bytes(render_pdf(sheets, stack, title="t", author="a"))
    text = pdf_text(path)
    assert len(sheets) >= 2
    for row in rows:
        assert findable(row.household, text) and findable(row.head, text)
    assert findable(f"《{title}》发放签收登记表", text)
    assert "村民小组" not in text and "未分组" not in text and "地址" not in text
    assert "共 45 户" in sheets[0].texts() and "共 45 户，已签收" in sheets[-1].texts()
    numbers = [n for sheet in sheets for n in _numbers(sheet)]
    assert numbers == list(range(1, 46))
    labels = [t for t in sheets[0].texts() if t in {"序号", "户号", "户主", "地址", "签收人（签字）", "签收日期"}]
    assert labels == ["序号", "户号", "户主", "签收人（签字）", "签收日期"]
    assert decode_qr(render_page(path, len(sheets) - 1, dpi=150)) == [URL]


def test_huge_cell_continues_rather_than_being_cut(stack, design):
    rows = [ReceiptRow("H0001", "张三", "很长的地址" * 300), ReceiptRow("H0002", "李四", "一组2号")]
    sheets = lay_out_receipts(LETTER, [ReceiptGroup("第一村民小组", rows)], _info(), design, stack)
    assert len(sheets) >= 2
    texts = [t for sheet in sheets for t in sheet.texts() if t.startswith(("很", "长的"))]
    assert "".join(texts).count("很长的地址") == 300
    assert "本组共 2 户，已签收" in sheets[-1].texts()


def test_empty_register_still_makes_a_sheet(stack, design):
    sheets = lay_out_receipts(LETTER, [], _info(), design, stack)
    assert len(sheets) == 1 and "共 0 户，已签收" in sheets[0].texts()


def test_blank_group_beside_named_groups_is_labelled(stack, design):
    groups = [
        ReceiptGroup("第一村民小组", [ReceiptRow("H1", "张三", "")]),
        ReceiptGroup("", [ReceiptRow("H2", "李四", "")]),
    ]
    sheets = lay_out_receipts(LETTER, groups, _info(), design, stack)
    assert len(sheets) == 2 and "村民小组：（未填）　本组共 1 户" in sheets[1].texts()
