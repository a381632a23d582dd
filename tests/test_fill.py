"""Fit that fills the page: type grows on a sheet left empty, A4 keeps board-legible floors and
suggests A3 when a notice takes too many A4 sheets, and charts take space a table leaves."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SMALL_FINANCE_CSV, finance_yaml, findable, make_workspace, pdf_text, run
from python_calamine import CalamineWorkbook

from noticeboard.layout.blocks import PT_PER_MM, BarChart, ChartRow, Paragraph, Spacer, Table, TableColumn, TableRow
from noticeboard.layout.design import load_design
from noticeboard.layout.fit import fit, flow_sheets
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.frame import SheetInfo, SheetTemplate
from noticeboard.layout.paper import page_size
from noticeboard.layout.sheet import LineItem, RectItem, Sheet, TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import check, lay_out
from noticeboard.templates.base import sheet_info

STACK, _ = build_stack([])
INFO = SheetInfo(
    title="测试公示",
    meta=["发布日期：2026年2月20日"],
    issuer="测试村",
    date_text="2026年2月20日",
    hotline="0537-7654321",
    url="https://gk.example.gov.cn/test/t/",
)


def _template(kind: str, paper: str, orientation: str = "portrait") -> SheetTemplate:
    design, problems = load_design(kind)
    assert problems == []
    return SheetTemplate(INFO, design, STACK, paper, page_size(paper, orientation), orientation)


def _laid_out(root: Path, notice_id: str):
    loaded = load_workspace(root)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    template_design = loaded.designs[loaded.kinds[notice.kind].design]
    return loaded, notice, lay_out(notice, loaded), template_design


def _bottom(item) -> float:
    if isinstance(item, TextItem):
        return item.y - 0.15 * item.size  # the descent under the baseline
    if isinstance(item, LineItem):
        return min(item.y1, item.y2)
    if isinstance(item, RectItem):
        return item.y
    return item.y


def _body_columns(root: Path, notice_id: str) -> list[tuple[float, float, float, float]]:
    """The body columns of the notice's sheets, from the same template the poster uses."""
    loaded = load_workspace(root)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    composition = loaded.kinds[notice.kind].compose(notice)
    design = loaded.designs[loaded.kinds[notice.kind].design]
    template = SheetTemplate(
        sheet_info(notice, loaded, composition),
        design,
        loaded.fonts,
        notice.paper,
        page_size(notice.paper, notice.orientation),
        notice.orientation,
    )
    setting = template.column_setting()
    return template.frame(None if setting != "auto" else 1).columns


def _column_foot(sheet: Sheet, column: tuple[float, float, float, float]) -> float | None:
    """The lowest point of what the body sets in ``column``; None when it is empty."""
    x, top, width, height = column
    bottoms = [
        _bottom(item)
        for item in sheet.items
        if isinstance(item, (TextItem, RectItem, LineItem))
        and x - 1 <= getattr(item, "x", getattr(item, "x1", 0.0)) <= x + width + 1
        and top - height - 1 <= _bottom(item) <= top + 1
    ]
    return min(bottoms) if bottoms else None


# -- 1. type grows on a sheet the preferred size leaves empty ---------------------------------


def test_the_dibao_list_on_a3_grows_above_the_design_size_and_fills_the_sheet(town: Path):
    _loaded, _notice, sheets, design = _laid_out(town, "2026q2-dibao")
    scale = design.paper("A3")
    assert len(sheets) == 1
    assert scale.body < sheets[0].body_size <= scale.body * design.number("body.grow")
    (column,) = _body_columns(town, "2026q2-dibao")
    _x, top, _width, height = column
    foot = _column_foot(sheets[0], column)
    assert foot is not None
    assert (top - foot) / height >= 0.75  # it left 24 % of the body empty at the design size
    # the table text grew with the body: every cell is set at the fitted size
    cells = [i for i in sheets[0].items if isinstance(i, TextItem) and i.text in ("韩志军", "郭树成", "第二村民小组")]
    assert cells and all(i.size == pytest.approx(sheets[0].body_size) for i in cells)
    # nothing lost: every name in the data is in the printed PDF
    assert run("build", "-w", town, "--draft").exit_code == 0
    text = pdf_text(town / "out" / "print" / "2026q2-dibao.pdf")
    grid = CalamineWorkbook.from_path(str(town / "notices" / "2026q2-dibao.xlsx")).get_sheet_by_name("低保对象")
    rows = grid.to_python()
    start = next(i for i, row in enumerate(rows) if row and str(row[0]) == "序号")
    names = [str(row[1]) for row in rows[start + 1 :] if row and str(row[1]).strip()]
    assert len(names) == 20 and [n for n in names if not findable(n, text)] == []


def test_growth_stops_at_the_design_cap_and_at_one_sheet():
    template = _template("roster", "A3")
    tiny = [Paragraph("本村低保对象名单如下。")]
    (sheet,) = fit(tiny, template)
    cap = template.scale.body * template.design.number("body.grow")
    assert sheet.body_size == pytest.approx(cap)  # almost empty: as large as the design allows, no larger
    # a sheet already filled past body.fill at the preferred size keeps it
    body = template.scale.body

    def names(count: int) -> Table:
        rows = [TableRow([str(i + 1), f"张{i}"]) for i in range(count)]
        return Table([TableColumn("序号"), TableColumn("姓名")], rows, caption="名单")

    count = 1
    while True:
        filled, columns = flow_sheets([names(count)], template, body, 1)
        if sum(filled[0].used) / sum(c[3] for c in columns) >= template.design.number("body.fill") + 0.02:
            break
        count += 1
    assert len(filled) == 1
    (sheet,) = fit([names(count)], template, columns=1)
    assert sheet.body_size == body
    (sheet,) = fit([names(count // 2)], template, columns=1)  # half as long: grown, still on one sheet
    assert body < sheet.body_size <= cap


def test_a_multi_sheet_notice_does_not_grow():
    template = _template("roster", "A4")
    rows = [TableRow([str(i + 1), f"张{i}"]) for i in range(400)]
    table = Table([TableColumn("序号"), TableColumn("姓名")], rows, caption="名单")
    sheets = fit([table], template, columns=1)
    assert len(sheets) > 1 and all(s.body_size <= template.scale.body for s in sheets)


# -- 2. A4 floors for the board, and the A3 suggestion -------------------------------------------


def test_the_a4_finance_sets_tables_and_footer_at_board_sizes_and_suggests_a3(town: Path):
    _loaded, notice, sheets, design = _laid_out(town, "2026q2-finance")
    assert design.paper("A4").floor >= 12
    assert len(sheets) > 2
    for sheet in sheets:
        assert sheet.body_size >= 12  # the table cells are set at the body size
        cells = [i for i in sheet.items if isinstance(i, TextItem) and i.text in ("增值税", "企业所得税", "行政运行")]
        assert all(i.size >= 12 for i in cells)
        assert min(i.size for i in sheet.items if isinstance(i, TextItem)) >= 9  # the footer's least
    signoffs = [i for i in sheets[0].items if isinstance(i, TextItem) and i.text.startswith("初审")]
    assert signoffs and all(i.size >= 9 for i in signoffs)
    result = check(town, ["2026q2-finance"])
    advice = [p for p in result.problems if "建议改用 A3" in p.message]
    assert len(advice) == 1 and not advice[0].is_error
    assert advice[0].where.file == "notices/2026q2-finance.yaml"
    assert advice[0].where.line == notice.key_lines["paper"]
    assert f"在 A4 纸上要印 {len(sheets)} 张" in advice[0].message and "paper: A3" in advice[0].message
    # and it says what A3 would take, which is what the same notice on A3 gets
    (town / "notices" / "2026q2-finance.yaml").write_text(
        (town / "notices" / "2026q2-finance.yaml").read_text(encoding="utf-8").replace("paper: A4", "paper: A3"),
        encoding="utf-8",
    )
    _, _, on_a3, _ = _laid_out(town, "2026q2-finance")
    assert f"只要 {len(on_a3)} 张，字号 {on_a3[0].body_size:g} 磅" in advice[0].message
    assert len(on_a3) < len(sheets) and on_a3[0].body_size >= sheets[0].body_size
    assert not [p for p in check(town, ["2026q2-finance"]).problems if "建议改用" in p.message]


def test_a_short_a4_notice_gets_no_paper_advice(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0 and "建议改用 A3" not in result.output
    loaded = load_workspace(tmp_path)
    sheets = lay_out(loaded.workspace.notices[0], loaded)
    assert len(sheets) <= 2 and sheets[0].body_size >= 12


def test_the_build_reports_the_a3_advice(town: Path):
    result = run("build", "-w", town, "--draft")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "建议改用 A3" in line]
    assert len(lines) == 1 and lines[0].startswith("notices/2026q2-finance.yaml:")


# -- 3. charts take the space a table leaves; a table reads on one sheet --------------------------


def _caption_sheets(sheets: list[Sheet], text: str) -> list[int]:
    """The sheet of every line that starts with ``text``, in order."""
    return [s.number for s in sheets for i in s.items if isinstance(i, TextItem) and i.text.startswith(text)]


def test_the_a2_finance_fills_its_first_sheet(town: Path):
    """Issue 19: sheet 1 left 60 mm empty under the revenue table while the charts went to sheet 2.

    With the completion charts as tall as their figures need, the expenditure table flows into the room
    under the revenue table and on into the second column (续表), so neither column of sheet 1 is left
    empty; the two charts read together on sheet 2.
    """
    _loaded, _notice, sheets, _design = _laid_out(town, "2026q1-finance")
    assert len(sheets) == 2
    columns = _body_columns(town, "2026q1-finance")
    assert len(columns) == 2
    assert _caption_sheets(sheets, "一、收入") == [1]
    assert _caption_sheets(sheets, "二、支出情况") == [1, 1, 2]  # begun under the revenue table, then （续表）
    assert _caption_sheets(sheets, "三、收入预算") == [2] and _caption_sheets(sheets, "四、支出预算") == [2]
    first = sheets[0]
    feet = [_column_foot(first, column) for column in columns]
    assert all(foot is not None for foot in feet)
    unused = [(foot - (top - height)) / PT_PER_MM for foot, (_, top, _, height) in zip(feet, columns)]  # type: ignore[operator]
    assert max(unused) < 20


def _chart(title: str, categories: int) -> BarChart:
    names = [f"类{i}" for i in range(categories)]
    return BarChart(title, [ChartRow(name, 100.0, 30.0, "100.00", "30.00", "30.0") for name in names], elapsed=0.25)


def _table(caption: str, count: int, lines: int = 1) -> Table:
    """A table whose rows take ``lines`` lines each (a long 科目名称 wraps)."""
    name = "一般公共服务支出政府办公厅（室）及相关机构事务" * lines
    rows = [TableRow([f"科目{i}" + (name if lines > 1 else ""), f"{i}.00"]) for i in range(count)]
    return Table([TableColumn("科目名称", wrap=True), TableColumn("累计数", "right")], rows, caption=caption)


def _filled_but(template: SheetTemplate, room: float) -> list:
    """Blocks that leave exactly ``room`` points free at the foot of the first column."""
    size = template.scale.body
    _, _, width, height = template.frame().columns[0]
    gap = size * template.design.number("body.block_gap")
    heading = Paragraph("一、收入情况")
    ctx = replace(template.ctx, body=size)
    return [heading, Spacer(em=(height - room - heading.height(ctx, width) - gap) / size)]


def test_a_chart_floats_into_the_space_a_table_cannot_start_in():
    template = _template("finance", "A4")
    size = template.scale.body
    ctx = replace(template.ctx, body=size)
    _, _, width, height = template.frame().columns[0]
    gap = size * template.design.number("body.block_gap")
    long = _table("二、支出", 40, lines=3)
    chart = _chart("三、对比", 2)
    room = chart.height(ctx, width) + gap + 2 * PT_PER_MM
    first, _ = long.split(ctx, width, room - gap)
    assert first is None  # the long table cannot begin in that room
    sheets, _ = flow_sheets(_filled_but(template, room) + [long, chart], template, size)
    first_sheet = sheets[0]
    texts = [i.text for i in first_sheet.items if isinstance(i, TextItem)]
    assert "三、对比" in texts  # the chart is set in the room left at the foot
    assert (height - first_sheet.used[0]) < 3 * PT_PER_MM
    assert not any(t.startswith("二、支出") for t in texts)  # the long table starts the next sheet
    every = [i.text for s in sheets for i in s.items if isinstance(i, TextItem)]
    assert [i for i in range(40) if not any(t.startswith(f"科目{i}一般") for t in every)] == []


def test_charts_keep_their_order_and_a_heading_keeps_its_chart():
    template = _template("finance", "A4")
    size = template.scale.body
    ctx = replace(template.ctx, body=size)
    _, _, width, _height = template.frame().columns[0]
    gap = size * template.design.number("body.block_gap")
    big, small = _chart("三、大图", 12), _chart("四、小图", 1)
    room = small.height(ctx, width) + gap + 2 * PT_PER_MM
    assert big.height(ctx, width) > room
    long = _table("二、支出", 40, lines=3)
    sheets, _ = flow_sheets(_filled_but(template, room) + [long, big, small], template, size)
    order = [i.text for s in sheets for i in s.items if isinstance(i, TextItem) and i.text.startswith(("三", "四"))]
    assert order.index("三、大图") < order.index("四、小图")  # the small one does not jump over the big one
    heading = Paragraph("三、说明", keep_with_next=True)
    sheets, _ = flow_sheets(_filled_but(template, room) + [long, heading, small], template, size)
    texts = [[i.text for i in s.items if isinstance(i, TextItem)] for s in sheets]
    where_heading = next(n for n, t in enumerate(texts) if "三、说明" in t)
    where_chart = next(n for n, t in enumerate(texts) if "四、小图" in t)
    assert where_heading == where_chart and texts[where_chart].index("三、说明") < texts[where_chart].index("四、小图")
    # without the heading the small chart does take the room
    sheets, _ = flow_sheets(_filled_but(template, room) + [long, small], template, size)
    assert "四、小图" in [i.text for i in sheets[0].items if isinstance(i, TextItem)]


def test_a_chart_that_a_column_takes_whole_is_not_cut_in_two():
    template = _template("finance", "A4")
    size = template.scale.body
    ctx = replace(template.ctx, body=size)
    _, _, width, _height = template.frame().columns[0]
    gap = size * template.design.number("body.block_gap")
    chart = _chart("三、对比", 6)
    room = chart.height(ctx, width) + gap - 20 * PT_PER_MM  # room for some of its six categories, not all
    first, rest = chart.split(ctx, width, room - gap)
    assert first is not None and rest is not None  # it could be cut
    sheets, _ = flow_sheets([*_filled_but(template, room), chart], template, size)
    titles = [[i.text for i in s.items if isinstance(i, TextItem) and i.text.startswith("三、对比")] for s in sheets]
    assert titles == [[], ["三、对比"]]  # whole on the next sheet, never 三、对比（续）
