"""The layout toolkit: line breaking, fitting, paper sizes, QR sizes, nothing overlapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    SMALL_FINANCE_CSV,
    decode_qr,
    finance_yaml,
    findable,
    make_workspace,
    pdf_pages,
    pdf_text,
    render_page,
    run,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.layout.blocks import PT_PER_MM
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.sheet import QRItem, TextItem
from noticeboard.layout.text import NO_LINE_END, NO_LINE_START, _kinsoku_pieces, kinsoku_violations, wrap
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out

STACK, _ = build_stack([])
QR_MINIMUM_MM = {"A5": 25, "A4": 30, "A3": 40, "A2": 55, "A1": 75, "A0": 100}
A_SERIES = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297), "A5": (148, 210)}

PROSE = (
    "两城镇人民政府根据《中华人民共和国政府信息公开条例》第二十条，现将本季度财政收支情况公示如下：收入合计1,323.50万元，"
    "完成预算的20.9%；支出合计1,189.94万元。（单位：万元）如有异议，请于公示期内向镇纪委反映，电话：0537-1234567。"
    "“一般公共服务支出”“农林水支出”增幅较大……主要是乡村振兴项目集中拨付——详见附表。"
)


@pytest.mark.parametrize("width", range(40, 400, 7))
def test_wrap_obeys_kinsoku_at_every_width(width):
    lines = wrap(PROSE, width, 10, STACK)
    assert kinsoku_violations(lines) == []
    assert "".join(lines).replace(" ", "") == PROSE.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("两城镇财政收支情况公示ab12 ，。、；：？！）》」』”（《「『“")),
        min_size=1,
        max_size=80,
    ),
    st.integers(min_value=25, max_value=300),
)
def test_wrap_never_loses_characters_and_keeps_kinsoku(text, width):
    lines = wrap(text, width, 10, STACK)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # 禁则 may only give way when a run that must stay together is wider than the line itself
    if all(STACK.width(piece, 10) <= width for piece in _kinsoku_pieces(text.replace(" ", ""))):
        assert kinsoku_violations(lines) == []


def test_rendered_paragraph_lines_obey_kinsoku(tmp_path: Path):
    """Extract the lines of a real rendered summary paragraph and check no line starts with ，。 etc."""
    csv = SMALL_FINANCE_CSV
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(paper="A5"), "notices/t-finance.csv": csv})
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    text = pdf_text(tmp_path / "out" / "print" / "t-finance.pdf")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 10
    assert not [line for line in lines if line[0] in NO_LINE_START]
    assert not [line for line in lines if line[-1] in NO_LINE_END]


def test_markup_characters_print_as_written(tmp_path: Path):
    title = "<b>测试</b> & \"引号\" 'x' &amp; <font name=x>"
    make_workspace(
        tmp_path,
        {
            "notices/t-finance.yaml": finance_yaml(title=f"'{title.replace(chr(39), chr(39) * 2)}'"),
            "notices/t-finance.csv": SMALL_FINANCE_CSV,
        },
    )
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    assert findable(title, pdf_text(tmp_path / "out" / "print" / "t-finance.pdf"))


def test_300_rows_continue_over_sheets_and_nothing_is_lost(tmp_path: Path):
    lines = ["科目编码,科目名称,预算数,本期数,累计数,上年同期数"]
    names = []
    for group in range(3):
        code = f"2{group + 1:02d}"
        kids = [
            (f"{code}{k + 1:02d}", f"{code}类第{k + 1}款（用于检验续表与换行的较长名称）", 1000 + k, 100 + k)
            for k in range(99)
        ]
        budget = sum(k[2] for k in kids)
        period = sum(k[3] for k in kids)
        lines.append(f'{code},第{group + 1}类支出,"{budget:,}.00","{period:,}.00","{period:,}.00","{period:,}.00"')
        names.append(f"第{group + 1}类支出")
        for kid_code, name, b, p in kids:
            lines.append(f'{kid_code},{name},"{b:,}.00",{p}.00,{p}.00,{p}.00')
            names.append(name)
    assert len(lines) - 1 == 300
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": "\n".join(lines) + "\n"}
    )
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "print" / "t-finance.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) > 3
    text = pdf_text(pdf)
    assert [n for n in names if not findable(n, text)] == []
    assert f"第{len(pages)}张/共{len(pages)}张" in text
    assert text.count("（续表）") == len(pages) - 1
    loaded = load_workspace(tmp_path)
    sheets = lay_out(loaded.workspace.notices[0], loaded)
    assert sheets[0].body_size >= loaded.designs["finance"].paper("A4").floor


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("paper", ["A5", "A4", "A3", "A2", "A1", "A0"])
def test_every_paper_size_is_exact_and_its_qr_decodes(tmp_path: Path, paper: str, orientation: str):
    make_workspace(
        tmp_path,
        {
            "notices/t-finance.yaml": finance_yaml(paper=paper, orientation=orientation),
            "notices/t-finance.csv": SMALL_FINANCE_CSV,
        },
    )
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    pdf = tmp_path / "out" / "print" / "t-finance.pdf"
    short, long = A_SERIES[paper]
    expected = (long, short) if orientation == "landscape" else (short, long)
    for width, height in pdf_pages(pdf):
        assert (width, height) == pytest.approx((expected[0] * PT_PER_MM, expected[1] * PT_PER_MM), abs=0.01)
    loaded = load_workspace(tmp_path)
    sheet = lay_out(loaded.workspace.notices[0], loaded)[0]
    qr = next(item for item in sheet.items if isinstance(item, QRItem))
    assert qr.size / PT_PER_MM >= QR_MINIMUM_MM[paper] - 1e-6
    if paper in ("A5", "A4", "A3"):  # the big sheets are decoded in test_big_sheets_qr (slow)
        assert decode_qr(render_page(pdf, 0, dpi=150)) == ["https://gk.example.gov.cn/test/t-finance/"]


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A2", "A1", "A0"])
def test_big_sheets_qr_decodes_at_150_dpi(tmp_path: Path, paper: str):
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": finance_yaml(paper=paper), "notices/t-finance.csv": SMALL_FINANCE_CSV}
    )
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    image = render_page(tmp_path / "out" / "print" / "t-finance.pdf", 0, dpi=150)
    assert decode_qr(image) == ["https://gk.example.gov.cn/test/t-finance/"]


def _boxes(sheet):
    for item in sheet.items:
        if isinstance(item, TextItem) and item.text.strip():
            width = STACK.width(item.text, item.size, item.bold)
            yield (item.x, item.y - item.size * 0.2, item.x + width, item.y + item.size * 0.85, item.text)


@pytest.mark.parametrize("fixture", ["2026q1-finance", "2026q2-finance"])
def test_no_text_overlaps_and_all_inside_the_margins(built_town: Path, fixture: str):
    loaded = load_workspace(built_town)
    notice = next(n for n in loaded.workspace.notices if n.id == fixture)
    margin = loaded.designs["finance"].paper(notice.paper).margin * PT_PER_MM
    for sheet in lay_out(notice, loaded):
        boxes = list(_boxes(sheet))
        for x1, y1, x2, y2, text in boxes:
            assert margin - 0.5 <= x1 and x2 <= sheet.width - margin + 0.5, text
            assert margin - 0.5 <= y1 and y2 <= sheet.height - margin + 0.5, text
        boxes.sort()
        for i, (ax1, ay1, ax2, ay2, at) in enumerate(boxes):
            for bx1, by1, bx2, by2, bt in boxes[i + 1 :]:
                if bx1 >= ax2 - 0.01:
                    break
                overlap = min(ax2, bx2) - max(ax1, bx1) > 0.01 and min(ay2, by2) - max(ay1, by1) > 0.01
                assert not overlap, (at, bt)


def _assert_no_overlap(sheets):
    for sheet in sheets:
        boxes = sorted(_boxes(sheet))
        for i, (ax1, ay1, ax2, ay2, at) in enumerate(boxes):
            assert ax1 >= 0 and ax2 <= sheet.width and ay1 >= 0 and ay2 <= sheet.height, at
            for bx1, by1, bx2, by2, bt in boxes[i + 1 :]:
                if bx1 >= ax2 - 0.01:
                    break
                assert not (min(ax2, bx2) - max(ax1, bx1) > 0.01 and min(ay2, by2) - max(ay1, by1) > 0.01), (at, bt)


def test_a_chart_with_many_categories_continues_and_long_labels_do_not_collide(tmp_path: Path):
    lines = ["科目编码,科目名称,预算数,本期数,累计数"]
    for i in range(1, 100):
        name = f"第{i}类支出（用于检验图表续排的很长很长很长的类名称）" if i % 7 == 0 else f"第{i}类支出"
        lines.append(f"2{i:02d},{name},{100 + i}.00,{-5 if i == 3 else 10 + i}.00,{-5 if i == 3 else 10 + i}.00")
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": "\n".join(lines) + "\n"}
    )
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "print" / "t-finance.pdf")
    assert "（续）" in text
    assert [i for i in range(1, 100) if not findable(f"第{i}类支出", text)] == []
    loaded = load_workspace(tmp_path)
    _assert_no_overlap(lay_out(loaded.workspace.notices[0], loaded))


def test_rows_too_tall_for_the_keep_together_rule_still_continue(tmp_path: Path):
    long = "建成小庄、河东、前洼三个村示范片区，完成村庄绿化美化和产业路配套，" * 12
    rows = "\n".join(f"{i},任务{i},乡村振兴办,王建华,{long}{i},50,2026-12-31," for i in range(1, 5))
    csv = "序号,任务,责任单位,责任人,目标,进度,完成时限,备注\n" + rows + "\n"
    yaml = finance_yaml("t-tasks", "t-tasks.csv").replace("kind: finance", "kind: tasks").replace("unit: 万元\n", "")
    make_workspace(tmp_path, {"notices/t-tasks.yaml": yaml, "notices/t-tasks.csv": csv})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "print" / "t-tasks.pdf")
    assert all(findable(f"{long}{i}", text) for i in range(1, 5))


def test_a_single_row_taller_than_a_column_is_split_by_lines(tmp_path: Path):
    huge = "负责全镇经济发展规划和招商引资，承担工业、商贸、统计、安全生产和项目建设的服务与监管工作。" * 40
    csv = f"部门,姓名,职务,分管工作,办公电话,办公地点\n领导班子,高志远,党委书记,{huge},0537-1234501,301室\n"
    yaml = finance_yaml("t-org", "t-org.csv", paper="A5").replace("kind: finance", "kind: contacts")
    yaml = yaml.replace("unit: 万元\n", "").replace("period: 2026-Q1\n", "")
    make_workspace(tmp_path, {"notices/t-org.yaml": yaml, "notices/t-org.csv": csv})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "print" / "t-org.pdf"
    assert len(pdf_pages(pdf)) >= 2
    assert findable(huge, pdf_text(pdf))
