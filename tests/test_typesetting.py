"""Typesetting a print shop would accept: no lone last characters, numbers kept with their units,
roster groups that do not start or end as stubs, header cells centred in their row."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.layout.blocks import GROUP_LEAD_ROWS, ORPHAN_ROWS, Ctx, Table, TableColumn, TableRow
from noticeboard.layout.design import load_design
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.sheet import TextItem
from noticeboard.layout.text import (
    _AFTER_NUMBER,
    NO_LINE_END,
    NO_LINE_START,
    NUMBER_UNITS,
    balanced_wrap,
    kinsoku_violations,
    wrap,
)
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.resources import samples_dir

STACK, _ = build_stack([])
SIZE = 10.0
EM = SIZE  # a CJK character is one em wide


def visible(line: str) -> int:
    return sum(1 for c in line if not c.isspace() and c not in NO_LINE_START and c not in NO_LINE_END)


# -- rule 1: no single-character last line ------------------------------------------------------


def _greedy(text: str, width: float) -> list[str]:
    """The plain fill the breaker used to make: as many characters as fit, 禁则 aside."""
    lines = [""]
    for char in text:
        if lines[-1] and char not in NO_LINE_START and STACK.width(lines[-1] + char, SIZE) > width + 1e-6:
            lines.append("")
        lines[-1] += char
    return lines


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("巩固拓展脱贫攻坚成果衔接乡村振兴", 15 * EM),  # 乡村振/兴 in the q2 finance table
        ("机关事业单位基本养老保险缴费支出", 15 * EM),  # …缴费支/出
        ("现将小庄村第十二届村民委员会换届选举有关事项公告如下：", 25 * EM),  # 如/下： in the notice
        ("主持镇纪委全面工作，负责党风廉政建设、纪律审查和村务监督委员会的指导工作。", 35 * EM),
    ],
)
def test_a_lone_last_character_takes_one_from_the_line_before(text: str, width: float):
    before = _greedy(text, width)
    assert visible(before[-1]) == 1  # the case is real
    lines = wrap(text, width, SIZE, STACK)
    assert "".join(lines) == text
    assert len(lines) == len(before)  # no line more: the paragraph keeps its height
    assert visible(lines[-1]) >= 2
    assert len(lines[-1]) == len(before[-1]) + 1  # one character came down, not more
    assert kinsoku_violations(lines) == []


def test_a_two_character_line_is_not_robbed_to_leave_one_above():
    # three per line: 上年/同期/数 can only move the lone character up, so it stays
    assert wrap("上年同期数", 2 * EM + 1, SIZE, STACK) == ["上年", "同期", "数"]
    assert wrap("甲乙丙丁戊", 4 * EM + 1, SIZE, STACK) == ["甲乙丙", "丁戊"]  # not 甲乙丙丁/戊


def test_headers_balance_without_a_lone_character():
    for text in ("完成预算%", "同比增减%", "上年同期数", "农村最低生活保障金支出"):
        for width in (3 * EM, 4 * EM, 5 * EM, 8 * EM):
            lines = balanced_wrap(text, width, SIZE, STACK, bold=True)
            if len(lines) >= 2 and visible(lines[-2]) >= 3:
                assert visible(lines[-1]) >= 2, (text, width, lines)


def test_the_indented_first_line_counts_in_the_pull():
    """A 公文 paragraph of two lines, the first narrower by its indent: the break must honour both."""
    text = "现将小庄村第十二届村民委员会换届选举有关事项公告如下："
    lines = wrap(text, 14 * EM, SIZE, STACK, first_width=12 * EM)
    assert "".join(lines) == text
    assert STACK.width(lines[0], SIZE) <= 12 * EM + 1e-6
    assert all(STACK.width(line, SIZE) <= 14 * EM + 1e-6 for line in lines[1:])
    assert visible(lines[-1]) >= 2


# -- rule 2: a number stays with its unit ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("一般公共预算收入完成2,468.78万元，完成预算的52.3%", "2,468.78万元，"),
        ("已在城关、河东、前洼3个村示范片区推进", "3个"),
        ("硬化主干道路15.6公里，完善错车道和安全设施", "15.6公里，"),
        ("完成28个村生活垃圾分类设施配置，改造户厕1200户", "1200户"),
        ("民主评议并在村务公开栏公示7天", "7天"),
        ("保障标准每人每月100元/月发放", "100元/月"),
        ("受理后30日内办结，符合条件的3户12人", "12人"),
    ],
)
def test_a_number_never_leaves_its_unit(text: str, whole: str):
    start = text.index(whole)
    for width in range(3 * int(EM), 30 * int(EM)):
        lines = wrap(text, width, SIZE, STACK)
        assert "".join(lines) == text
        if STACK.width(whole, SIZE) > width:
            continue  # wider than the line: it must break somewhere
        ends = [sum(len(line) for line in lines[: i + 1]) for i in range(len(lines) - 1)]
        assert not [end for end in ends if start < end < start + len(whole)], (width, lines)


def test_a_number_wider_than_the_line_leaves_its_unit_before_its_digits_split():
    lines = wrap("2,468.78万元", STACK.width("2,468.78", SIZE) + 1, SIZE, STACK)
    assert lines == ["2,468.78", "万元"]


def test_the_unit_set_holds_what_the_sheets_count_in():
    for unit in ("万元", "元", "亿元", "%", "‰", "个", "户", "人", "名", "项", "次", "张", "间", "亩", "平方米"):
        assert unit in NUMBER_UNITS
    for unit in ("米", "公里", "千米", "吨", "斤", "公斤", "日", "天", "月", "年", "岁"):
        assert unit in NUMBER_UNITS


# -- the property for rules 1 and 2 ---------------------------------------------------------------

CJK = list("镇村组户财政收支情况公示乡振兴巩固拓展脱贫攻坚成果衔接道路硬化改造完成预算")
NUMBERS = st.from_regex(r"\A[1-9][0-9]{0,4}(,[0-9]{3})?(\.[0-9]{1,2})?\Z")
PUNCTUATION = list("，。、；")
TOKENS = st.one_of(
    st.sampled_from(CJK), st.sampled_from(CJK), NUMBERS, st.sampled_from(NUMBER_UNITS), st.sampled_from(PUNCTUATION)
)


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans no break may fall inside: every number with the unit word after it."""
    spans = []
    for number in re.finditer(r"[0-9][0-9,.]*[0-9]|[0-9]", text):
        unit = _AFTER_NUMBER.match(text, number.end())
        spans.append((number.start(), unit.end() if unit else number.end()))
    return spans


def _legal(text: str, offset: int, spans: list[tuple[int, int]]) -> bool:
    """May a line break fall before text[offset]? 禁则, and not inside a protected span."""
    if text[offset] in NO_LINE_START or text[offset - 1] in NO_LINE_END:
        return False
    return not any(start < offset < end for start, end in spans)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=40).map("".join), st.integers(min_value=25, max_value=300))
def test_property_nothing_lost_no_lone_last_character_no_number_split(text: str, width: int):
    lines = wrap(text, width, SIZE, STACK)
    assert "".join(lines) == text  # nothing lost, nothing added
    spans = _protected(text)
    breaks = [sum(len(line) for line in lines[: i + 1]) for i in range(len(lines) - 1)]
    for offset in breaks:
        for start, end in spans:
            if start < offset < end:  # allowed only when the number and its unit are wider than a line
                while end < len(text) and text[end] in NO_LINE_START:
                    end += 1  # 100， goes as one: the comma may not start the next line either
                assert STACK.width(text[start:end], SIZE) > width, (lines, text[start:end])
    if len(lines) >= 2 and visible(lines[-1]) == 1 and visible(lines[-2]) >= 3:
        # a lone last character only where no legal break in the line before leaves a last line that fits
        before_start = breaks[-2] if len(breaks) >= 2 else 0
        last_start = breaks[-1]
        for offset in range(before_start + 1, last_start):
            fits = STACK.width(text[offset:], SIZE) <= width + 1e-6
            assert not (fits and _legal(text, offset, spans)), (lines, offset)


# -- rule 4: header cells centred in their row -----------------------------------------------------


def _ctx(kind: str = "finance", body: float = SIZE) -> Ctx:
    design, problems = load_design(kind)
    assert problems == []
    return Ctx(STACK, design, body)


def test_header_cells_centre_horizontally_and_vertically():
    ctx = _ctx()
    table = Table(
        [TableColumn("科目名称"), TableColumn("上年同期决算数", align="right"), TableColumn("备注")],
        [TableRow(["一般公共服务支出", "1,234.56", "无"])],
    )
    width = 17 * EM
    items = [i for i in table.place(ctx, 0.0, 500.0, width) if isinstance(i, TextItem)]
    widths = table.widths(ctx, width)
    lefts = [0.0, widths[0], widths[0] + widths[1]]
    columns: dict[int, list[TextItem]] = {}
    for item in (i for i in items if i.bold):
        columns.setdefault(max(c for c, left in enumerate(lefts) if item.x >= left - 1e-6), []).append(item)
    assert sorted(len(lines) for lines in columns.values()) == [1, 1, 2]  # one header wraps, two do not
    tall = max(columns.values(), key=len)
    middle = (tall[0].y + tall[-1].y) / 2
    for column, lines in columns.items():
        assert sum(i.y for i in lines) / len(lines) == pytest.approx(middle, abs=0.01)  # the row's middle
        for item in lines:  # and each line centred on its own, even in a right-aligned column
            centre = lefts[column] + widths[column] / 2
            assert item.x + STACK.width(item.text, item.size, True) / 2 == pytest.approx(centre, abs=0.01)


# -- rule 3: groups keep rows together at a break --------------------------------------------------


def _group_table(rows: int, lead: int = GROUP_LEAD_ROWS) -> Table:
    return Table(
        [TableColumn("序号", align="right"), TableColumn("姓名")],
        [TableRow([str(n), f"村民{n}"]) for n in range(1, rows + 1)],
        caption=f"第一村民小组（{rows}人）",
        continued_caption="第一村民小组（续）",
        lead_rows=lead,
    )


def test_a_group_does_not_start_as_a_stub_at_the_foot_of_a_column():
    ctx = _ctx("roster")
    width = 12 * EM
    table = _group_table(20)
    header = table.height(ctx, width) - sum(table._row_heights(ctx, width)[1])
    row = table._row_heights(ctx, width)[1][0]
    for fits in range(0, GROUP_LEAD_ROWS):
        first, rest = table.split(ctx, width, header + fits * row + 0.5)
        assert first is None and rest is table  # heading and rows go on to the next column whole
    first, rest = table.split(ctx, width, header + GROUP_LEAD_ROWS * row + 0.5)
    assert first is not None and rest is not None
    assert len(first.rows) == GROUP_LEAD_ROWS and rest.continued


def test_a_group_never_leaves_fewer_than_its_orphan_rows_at_the_head_of_the_next():
    ctx = _ctx("roster")
    width = 12 * EM
    for rows in range(4, 12):
        table = _group_table(rows)
        header = table.height(ctx, width) - sum(table._row_heights(ctx, width)[1])
        row = table._row_heights(ctx, width)[1][0]
        for fits in range(rows):
            first, rest = table.split(ctx, width, header + fits * row + 0.5)
            if first is not None and rest is not None:
                assert len(first.rows) >= GROUP_LEAD_ROWS and len(rest.rows) >= ORPHAN_ROWS >= 2


def _rows_per_group_part(sheets, names: set[str]) -> list[tuple[int, str, int]]:
    """(sheet, caption, names under it) for every caption of a group laid out on the sheets."""
    parts = []
    for number, sheet in enumerate(sheets, 1):
        texts = [i for i in sheet.items if isinstance(i, TextItem)]
        captions = [i for i in texts if re.fullmatch(r"第.村民小组（(\d+人|续)）", i.text)]
        counts = {id(c): 0 for c in captions}
        for item in texts:
            if item.text not in names or item.size != sheet.body_size:
                continue
            above = [c for c in captions if c.x <= item.x + 1e-6 and c.y > item.y]
            column_x = max(c.x for c in above)
            owner = min((c for c in above if c.x == column_x), key=lambda c: c.y - item.y)
            counts[id(owner)] += 1
        parts += [(number, c.text, counts[id(c)]) for c in captions]
    return parts


def test_voter_list_groups_start_and_continue_with_enough_rows(tmp_path: Path):
    town = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", town)
    loaded = load_workspace(town)
    notice = next(n for n in loaded.workspace.notices if n.id == "2026-voter-list")
    names = {line.split(",")[1] for line in (town / "notices" / "2026-voter-list.csv").read_text("utf-8").splitlines()}
    parts = _rows_per_group_part(lay_out(notice, loaded), names)
    assert len(parts) > 6  # groups split over columns and sheets: the case is real
    for sheet, caption, count in parts:
        least = ORPHAN_ROWS if caption.endswith("（续）") else GROUP_LEAD_ROWS
        assert count >= least, (sheet, caption, count)


# -- the sample sheets, as laid out ------------------------------------------------------------------


def _segments(sheet) -> list[str]:
    """The sheet's text runs: items on one baseline whose gaps are under an em, joined in order."""
    by_line: dict[tuple[float, float], list[TextItem]] = {}
    for item in sheet.items:
        if isinstance(item, TextItem) and item.text.strip():
            by_line.setdefault((round(item.y, 1), item.size), []).append(item)
    runs = []
    for (_, size), items in by_line.items():
        items.sort(key=lambda i: i.x)
        text, end = "", None
        for item in items:
            if end is not None and item.x - end > size:
                runs.append(text)
                text = ""
            text += item.text
            end = item.x + STACK.width(item.text, item.size, item.bold)
        runs.append(text)
    return runs


@pytest.fixture(scope="module")
def town_sheets(tmp_path_factory) -> dict[str, list]:
    town = tmp_path_factory.mktemp("typeset") / "town"
    shutil.copytree(samples_dir() / "town", town)
    loaded = load_workspace(town)
    wanted = ("2026-election-notice", "2026-org", "2026q2-finance", "2026q2-tasks", "guide-dibao", "2026-assets")
    return {n.id: lay_out(n, loaded) for n in loaded.workspace.notices if n.id in wanted}


def test_samples_print_no_line_of_one_character(town_sheets):
    lone = re.compile(r"[\u4e00-\u9fff][，。、；：？！）》」』”%]*")
    words = {"是", "否"}  # a flowchart's branch labels: whole words, not the end of a wrapped text
    found = {
        notice: [run for sheet in sheets for run in _segments(sheet) if lone.fullmatch(run) and run not in words]
        for notice, sheets in town_sheets.items()
    }
    assert found == {notice: [] for notice in town_sheets}


@pytest.mark.parametrize(
    ("notice", "whole"),
    [
        ("2026q2-finance", "2,468.78万元"),
        ("2026q2-finance", "乡村振兴"),
        ("2026q2-tasks", "3个"),  # 前洼3个村: the number keeps its measure word (the noun 村 may wrap)
        ("2026q2-tasks", "15.6公里"),
        ("2026q2-tasks", "1200户"),
        ("2026q2-tasks", "8000亩"),
        ("2026q2-tasks", "8月底"),
        ("guide-dibao", "7天"),
        ("2026-assets", "6间"),
        ("2026-election-notice", "公告如下"),
    ],
)
def test_samples_keep_numbers_with_their_units(town_sheets, notice: str, whole: str):
    runs = [run for sheet in town_sheets[notice] for run in _segments(sheet)]
    assert any(whole in run for run in runs), whole
