"""Finance sheets: completion charts with their figures and 序时进度, the unit said once, one column grid
for the revenue and the expenditure table (issue 19). Asserted on the laid-out sheets, not on pixels."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace, run

from noticeboard.dates import parse_period
from noticeboard.kinds.finance import elapsed_share
from noticeboard.layout.blocks import BarChart, ChartRow, Ctx
from noticeboard.layout.blocks import Table as TableBlock
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.sheet import LineItem, RectItem, TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.render import site as site_pages
from noticeboard.resources import samples_dir

STACK, _ = build_stack([])
FINANCE = ["2026q1-finance", "2026q2-finance"]
LEDGERS = ["2026-01-village-finance", "2026-02-village-finance", "2026-03-village-finance"]


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> tuple:
    target = tmp_path_factory.mktemp("town") / "town"
    shutil.copytree(samples_dir() / "town", target, ignore=shutil.ignore_patterns("out"))
    loaded = load_workspace(target)
    return loaded, {n.id: n for n in loaded.workspace.notices}


def _sheets(town, notice_id: str):
    loaded, notices = town
    return lay_out(notices[notice_id], loaded)


def _texts(sheet) -> list[TextItem]:
    return [item for item in sheet.items if isinstance(item, TextItem)]


def _box(item: TextItem) -> tuple[float, float, float, float]:
    width = STACK.width(item.text, item.size, item.bold)
    return item.x, item.y - item.size * 0.2, item.x + width, item.y + item.size * 0.85


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.01 and min(a[3], b[3]) - max(a[1], b[1]) > 0.01


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


@pytest.mark.parametrize(
    ("period", "share"),
    [("2026-Q1", 0.25), ("2026-Q2", 0.5), ("2026-Q4", 1.0), ("2026-03", 0.25), ("2026-05", 5 / 12), ("2026", 1.0)],
)
def test_elapsed_share_is_the_year_gone_by_at_the_end_of_the_period(period: str, share: float):
    assert elapsed_share(parse_period(period)) == pytest.approx(share)
    assert elapsed_share(None) is None


@pytest.mark.parametrize(
    ("notice_id", "label"), [("2026q1-finance", "序时进度 25%"), ("2026q2-finance", "序时进度 50%")]
)
def test_every_bar_carries_its_figures_and_the_elapsed_line_crosses_the_chart(town, notice_id: str, label: str):
    _, notices = town
    notice = notices[notice_id]
    content = notice.content
    texts = [t.text for sheet in _sheets(town, notice_id) for t in _texts(sheet)]
    for section in ("revenue", "expenditure"):
        for row in [r for r in content.section(section) if r.level == 0]:
            budget, ytd = row.amounts["budget"], row.amounts["ytd"]
            percent = f"{(ytd * 100 / budget).quantize(Decimal('0.1'))}"
            assert f"完成 {percent}%" in texts, row.name
            assert f"累计 {ytd:,.2f} / 预算 {budget:,.2f}" in texts, row.name
    assert texts.count(label) == 2  # one line, labelled once, on each of the two charts


def _chart_sheet(town, notice_id: str):
    """The sheet holding the start of the expenditure chart, and the chart's title item."""
    for sheet in _sheets(town, notice_id):
        for item in _texts(sheet):
            if item.text.endswith("支出预算完成进度"):
                return sheet, item
    raise AssertionError("no expenditure chart")


@pytest.mark.parametrize("notice_id", FINANCE)
def test_legend_is_in_drawing_order_and_the_elapsed_line_sits_at_its_share(town, notice_id: str):
    sheet, title = _chart_sheet(town, notice_id)
    texts = _texts(sheet)
    first = max((t for t in texts if t.text == "预算数（100%）" and t.y < title.y), key=lambda t: t.y)
    legend = [t for t in texts if abs(t.y - first.y) < 0.01 and t.x >= title.x - 1]
    names = [t.text for t in sorted(legend, key=lambda t: t.x)]
    assert names[:3] == ["预算数（100%）", "累计数", "序时进度（全年已过的比例）"]
    # drawing order: the track (budget colour) of the first bar comes before its fill (actual colour)
    below = title.y - title.size * 3
    rects = [item for item in sheet.items if isinstance(item, RectItem) and item.fill and item.y < below]
    fills = [r.fill for r in rects if r.x >= title.x - 1]
    track, fill = "#DDDDDD", "#B3141B"
    assert fills.index(track) < fills.index(fill)
    # the track and the fill differ in lightness, not only in hue, and the fill is thinner
    assert _luminance(track) - _luminance(fill) > 0.4
    first_track = next(r for r in rects if r.fill == track and r.w > title.size * 5)  # not the legend's swatch
    first_fill = next(r for r in rects if r.fill == fill and r.y > first_track.y - 1)
    assert first_fill.h < first_track.h * 0.8
    # the dashed 序时进度 line: vertical dashes at one x, the track's left + share × its 100% length
    dashes = [i for i in sheet.items if isinstance(i, LineItem) and i.colour == "#1A1A1A" and i.x1 == i.x2]
    xs = {round(d.x1, 2) for d in dashes if first_track.y - 50 < d.y1 < title.y}
    share = 0.25 if notice_id == "2026q1-finance" else 0.5
    assert any(abs(x - (first_track.x + share * first_track.w)) < 0.05 for x in xs)
    # every figure is in dark text
    figures = [t for t in texts if t.text.startswith(("完成 ", "累计 "))]
    assert figures and all(_luminance(t.colour) < 0.3 for t in figures)


@pytest.mark.parametrize("notice_id", FINANCE + LEDGERS)
def test_no_chart_or_table_text_prints_over_another(town, notice_id: str):
    for sheet in _sheets(town, notice_id):
        boxes = sorted((_box(t), t.text) for t in _texts(sheet) if t.text.strip())
        for i, (a, at) in enumerate(boxes):
            for b, bt in boxes[i + 1 :]:
                if b[0] >= a[2] - 0.01:
                    break
                assert not _overlaps(a, b), (at, bt)


@pytest.mark.parametrize("notice_id", FINANCE + LEDGERS)
def test_the_unit_is_said_once_per_sheet_in_the_meta_line(town, notice_id: str):
    unit = "单位：元" if notice_id in LEDGERS else "单位：万元"
    for sheet in _sheets(town, notice_id):
        texts = [t.text for t in _texts(sheet)]
        assert sum(text.count("单位：") for text in texts) == 1, texts
        assert any(unit in text and "发布日期" in text for text in texts)  # the meta line


def _table_grids(sheet) -> list[list[float]]:
    """Each table's column rules as offsets from its left edge: vertical lines sharing one top and bottom."""
    spans: dict[tuple[float, float], list[float]] = {}
    for item in sheet.items:
        if isinstance(item, LineItem) and abs(item.x1 - item.x2) < 1e-6 and item.colour == "#8C8C8C":
            spans.setdefault((round(item.y1, 2), round(item.y2, 2)), []).append(item.x1)
    grids = []
    for xs in spans.values():
        if len(xs) >= 6:
            xs = sorted(xs)
            grids.append([round(x - xs[0], 2) for x in xs])
    return grids


@pytest.mark.parametrize("notice_id", FINANCE)
def test_revenue_and_expenditure_tables_share_one_column_grid(town, notice_id: str):
    grids = [grid for sheet in _sheets(town, notice_id) for grid in _table_grids(sheet)]
    assert len(grids) >= 3  # 收入, 支出 and its continuation(s)
    assert all(grid == grids[0] for grid in grids), grids


def test_the_two_tables_of_a_composition_take_their_widths_from_both(town):
    loaded, notices = town
    notice = notices["2026q1-finance"]
    from noticeboard.kinds.finance import compose

    tables = [b for b in compose(notice, notice.content).blocks if isinstance(b, TableBlock)]
    assert [t.caption for t in tables] == ["一、收入情况", "二、支出情况"]
    ctx = Ctx(STACK, loaded.designs["finance"], 11.0)
    for width in (300.0, 480.0, 760.0):
        assert tables[0].widths(ctx, width) == tables[1].widths(ctx, width)


def _ctx(town, body: float = 10.0) -> Ctx:
    loaded, _ = town
    return Ctx(STACK, loaded.designs["finance"], body)


def _rows(count: int) -> list[ChartRow]:
    return [
        ChartRow(f"第{i}类支出", 100.0 + i, 20.0 + i, f"{100 + i:,.2f}", f"{20 + i:,.2f}", "20.0") for i in range(count)
    ]


@pytest.mark.parametrize("available_rows", range(1, 8))
def test_a_split_chart_keeps_two_bars_a_part_and_one_axis(town, available_rows: int):
    ctx = _ctx(town)
    chart = BarChart("四、支出预算完成进度", _rows(6), elapsed=0.25)
    width = 400.0
    room = chart._fixed(ctx, width) + available_rows * chart._step(ctx, width)
    first, rest = chart.split(ctx, width, room)
    if first is None:
        assert available_rows < 2
        return
    parts = [first] + ([rest] if rest else [])
    assert all(len(p.rows) >= 2 for p in parts)
    assert sum(len(p.rows) for p in parts) == 6
    assert all(p.axis_end() == chart.axis_end() for p in parts)


@pytest.mark.parametrize("width", [180.0, 260.0, 400.0, 700.0])
@pytest.mark.parametrize("elapsed", [None, 1 / 12, 0.25, 1.0])
def test_figures_never_print_over_labels_bars_or_each_other(town, width: float, elapsed: float | None):
    ctx = _ctx(town)
    rows = [
        ChartRow("一般公共服务支出", 250.0, 60.0, "250.00", "60.00", "24.0"),
        ChartRow("外交支出", 0.0, 5.0, "0.00", "5.00", "—"),
        ChartRow("国防支出（超出预算很多的一类，名字也很长很长）", 20.0, 30.0, "20.00", "30.00", "150.0"),
        ChartRow("公共安全支出", 40.0, -2.0, "40.00", "-2.00", "-5.0"),
        ChartRow("农林水支出", 1810.0, 1810.0, "1,810.00", "1,810.00", "100.0"),
    ]
    chart = BarChart("四、支出预算完成进度", rows, elapsed=elapsed)
    items = chart.place(ctx, 20.0, 800.0, width)
    texts = [t for t in items if isinstance(t, TextItem)]
    boxes = [_box(t) for t in texts]
    for i, a in enumerate(boxes):
        assert a[0] >= 20.0 - 0.5 and a[2] <= 20.0 + width + 0.5, texts[i].text  # inside the chart's column
        for j in range(i + 1, len(boxes)):
            assert not _overlaps(a, boxes[j]), (texts[i].text, texts[j].text)
    # no figure sits on a bar: bars are the filled rectangles below the legend
    legend_bottom = min(t.y for t in texts if t.text == "累计数") - ctx.em(1)
    bars = [r for r in items if isinstance(r, RectItem) and r.y + r.h < legend_bottom]
    for text, box in zip(texts, boxes):
        for bar in bars:
            assert not _overlaps(box, (bar.x, bar.y, bar.x + bar.w, bar.y + bar.h)), text.text
    assert chart.height(ctx, width) >= 800.0 - min(b[1] for b in boxes) - 1e-6


def test_the_online_copy_shows_the_same_figures_and_the_elapsed_line(town):
    _, notices = town
    notice = notices["2026q1-finance"]
    from noticeboard.kinds.finance import compose

    blocks = compose(notice, notice.content).blocks
    charts = [p for p in site_pages.html_parts(blocks) if isinstance(p, site_pages.HtmlChart)]
    assert [c.title for c in charts] == ["三、收入预算完成进度", "四、支出预算完成进度"]
    tax = charts[0].rows[0]
    assert (tax.category, tax.budget, tax.actual, tax.percent) == ("税收收入", "3,069.00", "680.99", "22.2")
    assert charts[0].elapsed_label == "序时进度 25%"
    assert charts[0].elapsed == pytest.approx(0.25 * charts[0].budget_end)
    assert tax.fill == pytest.approx(680.99 / 3069.00 * charts[0].budget_end, abs=1e-4)


def test_the_built_page_and_share_picture_carry_the_chart(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV})
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    page = (tmp_path / "out" / "site" / "t-finance" / "index.html").read_text(encoding="utf-8")
    assert "（虚线为序时进度 25%）" in page
    assert "26.7%" in page and "300.00" in page and "80.00" in page
    assert (tmp_path / "out" / "site" / "t-finance" / "share.png").stat().st_size > 5000
