"""Body blocks that flow into frames: paragraphs, tables and charts.

A block can report its height for a width, split itself to fit a given height,
and place itself as sheet items. Sizes are multiples of ``ctx.body`` so that the
fitter can shrink everything by changing one number.

A block also says what it is (``role``: a heading, a note, a table…), which the online copy
renders by, and where the user's strings it prints came from (``printed()``: each string as
printed, at its cell or line), which the glyph and privacy checks walk.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..models import Text
from ..problems import Where
from .bars import CellBar, bar_items
from .design import Design
from .fonts import FontStack
from .sheet import LineItem, RectItem, TextItem
from .text import balanced_wrap, wrap

PT_PER_MM = 72 / 25.4
ORPHAN_ROWS = 3  # fewest table rows left alone at the foot or the head of a column
# A section of a list (a roster's 村民小组) that begins at the foot of a column brings this many rows:
# its heading over three names, then a turn to the next sheet, reads as a stub.
GROUP_LEAD_ROWS = 5
BAR_SHORTEST = 0.4  # a table bar may shrink to this share of its length before other cells must wrap


@dataclass
class Ctx:
    stack: FontStack
    design: Design
    body: float  # current body type size in points

    @property
    def line_height(self) -> float:
        return self.design.number("body.line_height")

    def em(self, factor: float) -> float:
        return factor * self.body


# What a block is, for the online copy: a Paragraph is one of PARAGRAPH_ROLES; the other blocks have their own.
HEADING, PARAGRAPH, NOTE, SIGNATURE = "heading", "paragraph", "note", "signature"
PARAGRAPH_ROLES = (HEADING, PARAGRAPH, NOTE, SIGNATURE)


class Block:
    keep_with_next: bool = False  # must not end a column: what follows has to begin below it (a heading)
    role: str = "block"

    def printed(self) -> Iterator[Text]:
        """The user's strings this block prints, each as printed and at the place it came from.
        Words the kind writes itself (一、领导班子成员及分工, column labels, computed sums) are not among them."""
        return iter(())

    def height(self, ctx: Ctx, width: float) -> float:
        raise NotImplementedError

    def split(self, ctx: Ctx, width: float, available: float) -> tuple[Block | None, Block | None]:
        """Return (part that fits in ``available``, the rest). Unsplittable blocks fit whole or not at all."""
        return (self, None) if self.height(ctx, width) <= available + 1e-6 else (None, self)

    def split_forced(self, ctx: Ctx, width: float, available: float) -> tuple[Block | None, Block | None]:
        """Split for an empty column, where keep-together rules must give way rather than stall the flow."""
        return self.split(ctx, width, available)

    def min_width(self, ctx: Ctx) -> float:
        """The narrowest column this block can be set in without breaking what must stay whole;
        used to choose how many columns a sheet gets ("auto"). Ten characters by default."""
        return ctx.em(10)

    def place(self, ctx: Ctx, x: float, top: float, width: float) -> list:
        raise NotImplementedError


def strands_next(blocks: list[Block], ctx: Ctx, width: float, available: float, gap: float) -> bool:
    """Would setting ``blocks[0]`` whole in ``available`` leave it at the foot of the column, cut off
    from the block it keeps with? Chains are followed: a heading kept with a paragraph kept with a
    table needs the table to begin in the column too. ``gap`` is the space between blocks."""
    if not blocks[0].keep_with_next or len(blocks) < 2:
        return False
    first, rest = blocks[0].split(ctx, width, available)
    if first is None or rest is not None:
        return False  # not set whole here, so its own continuation follows it anyway
    left = available - first.height(ctx, width) - gap
    if left <= 0:
        return True
    following, _ = blocks[1].split(ctx, width, left)
    return following is None or strands_next(blocks[1:], ctx, width, left, gap)


@dataclass
class Paragraph(Block):
    text: str
    size: float | str = 1.0  # × body, or a design key holding that factor (e.g. "summary.size")
    bold: bool = False
    colour: str = "colours.text"  # "#RRGGBB", or a design key such as "colours.accent"
    align: str = "left"  # left | center | right
    first_indent: float = 0.0  # × size, e.g. 2 for a two-character indent
    lines: list[str] | None = None  # set on a split-off part
    keep_with_next: bool = False  # a heading: never left alone at the foot of a column
    role: str = PARAGRAPH  # one of PARAGRAPH_ROLES
    sources: tuple[Text, ...] = ()  # the user's strings inside ``text``, as printed, at their places

    def __post_init__(self) -> None:
        if self.role not in PARAGRAPH_ROLES:
            raise ValueError(f"a paragraph is one of {PARAGRAPH_ROLES}, not {self.role!r}")
        for source in self.sources:
            if source.value not in self.text:  # a source is what the paragraph prints, never what it might
                raise ValueError(f"{source.value!r} is not printed in {self.text!r}")

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)

    def _size(self, ctx: Ctx) -> float:
        factor = float(ctx.design.get(self.size)) if isinstance(self.size, str) else self.size
        return ctx.em(factor)

    def _lines(self, ctx: Ctx, width: float) -> list[str]:
        if self.lines is not None:
            return self.lines
        size = self._size(ctx)
        indent = "\u3000" * int(self.first_indent) if self.first_indent else ""
        return wrap(indent + self.text, width, size, ctx.stack, self.bold)

    def height(self, ctx: Ctx, width: float) -> float:
        return len(self._lines(ctx, width)) * self._size(ctx) * ctx.line_height

    def split(self, ctx, width, available):
        lines = self._lines(ctx, width)
        step = self._size(ctx) * ctx.line_height
        fit = int((available + 1e-6) // step)
        if fit >= len(lines):
            return self, None
        if fit <= 0:  # also when ``available`` is negative (a column already full)
            return None, self
        return replace(self, lines=lines[:fit]), replace(self, lines=lines[fit:], first_indent=0)

    def place(self, ctx, x, top, width):
        size = self._size(ctx)
        step = size * ctx.line_height
        colour = self.colour if self.colour.startswith("#") else ctx.design.get(self.colour)
        items = []
        baseline = top - (step - size) / 2 - size * 0.88
        for line in self._lines(ctx, width):
            line_width = ctx.stack.width(line, size, self.bold)
            if self.align == "center":
                left = x + (width - line_width) / 2
            elif self.align == "right":
                left = x + width - line_width
            else:
                left = x
            items.append(TextItem(left, baseline, line, size, self.bold, colour))
            baseline -= step
        return items


def _join_lines(lines: list[str]) -> str:
    """Wrapped lines back into one text; a space goes back only between two Latin words."""
    text = ""
    for line in lines:
        if text and line and text[-1].isascii() and text[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            text += " "
        text += line
    return text


@dataclass
class TableColumn:
    label: str
    align: str = "left"  # left | right | center
    wrap: bool = False  # may the cells wrap onto several lines
    bar: float = 0.0  # × body size: length of the bar drawn before the cell text (TableRow.bars); 0 for none
    source: Where | None = None  # where a header the user wrote came from (a roster's columns); None: the kind's own


@dataclass
class TableRow:
    cells: list[str]
    bold: bool = False
    total: bool = False  # shaded
    indent: int = 0  # levels of indentation in the first wrapping column
    bars: dict[int, CellBar] = field(default_factory=dict)  # column index -> the bar drawn in that cell
    strong: set[int] = field(default_factory=set)  # column indexes set in bold in this row (e.g. a status)
    sources: dict[int, Where] = field(default_factory=dict)  # column index -> the cell or line its text came from


@dataclass
class Table(Block):
    columns: list[TableColumn]
    rows: list[TableRow]
    caption: str = ""
    continued: bool = False  # this part follows an earlier one: its caption is ``continued_caption``
    continued_caption: str | None = None  # default: the caption followed by （续表）
    caption_align: str = "left"  # a 公文 centres its table titles
    style: str = "table"  # design key holding colours and padding
    all_rows: list[TableRow] | None = None  # the whole table, so every part gets the same column widths
    _cache: dict = field(default_factory=dict, repr=False, compare=False)  # shared by all parts of a split
    caption_sources: tuple[Text, ...] = ()  # the user's words inside the caption (a group's name), as printed
    lead_rows: int = ORPHAN_ROWS  # fewest rows the table's first part starts with at the foot of a column

    role = "table"

    def printed(self) -> Iterator[Text]:
        yield from self.caption_sources
        for column in self.columns:
            if column.source is not None:
                yield Text(column.label, column.source)
        for row in self.rows:  # not all_rows: those may hold a whole group of tables, kept for the widths
            for index, where in row.sources.items():
                if row.cells[index]:
                    yield Text(row.cells[index], where)

    def _style(self, ctx: Ctx, key: str):
        return ctx.design.get(f"{self.style}.{key}")

    def _bar_room(self, ctx: Ctx, column: TableColumn) -> float:
        """Width a bar column keeps for its bar and the gap before the text."""
        return ctx.em(column.bar + float(self._style(ctx, "bar_gap") or 0.4)) if column.bar else 0.0

    def _pad(self, ctx: Ctx) -> tuple[float, float]:
        return ctx.em(float(self._style(ctx, "cell_pad_x"))), ctx.em(float(self._style(ctx, "cell_pad_y")))

    def widths(self, ctx: Ctx, width: float) -> list[float]:
        key = ("widths", ctx.body, width)
        if key in self._cache:
            return self._cache[key]
        basis = self.all_rows or self.rows
        size = ctx.body
        pad_x, _ = self._pad(ctx)
        indent = ctx.em(float(self._style(ctx, "indent")))
        natural, minimum = [], []
        for index, column in enumerate(self.columns):
            cells = [row.cells[index] for row in basis]
            cell_widths = [
                ctx.stack.width(text, size, row.bold or index in row.strong)
                + (row.indent * indent if column.wrap else 0)
                for text, row in zip(cells, basis)
            ]
            header_width = ctx.stack.width(column.label, size, True)
            widest = max(cell_widths + [header_width])
            natural.append(widest + 2 * pad_x + self._bar_room(ctx, column))
            if column.wrap:
                floor = max(ctx.em(4), min(widest, ctx.em(6)))
            else:
                # numbers stay on one line; headers may wrap to two even lines
                half = column.label if len(column.label) <= 2 else column.label[: (len(column.label) + 1) // 2]
                half_header = ctx.stack.width(half, size, True)  # 序号, 性别: a header split 1+1 is unreadable
                floor = max(cell_widths + [half_header])
            minimum.append(min(floor, widest) + 2 * pad_x + self._bar_room(ctx, column))
        if sum(minimum) > width:
            # squeezed: bars shorten before any text has to wrap
            minimum = [m - self._bar_room(ctx, c) * (1 - BAR_SHORTEST) for m, c in zip(minimum, self.columns)]
        widths = list(natural)
        total = sum(natural)
        if total > width:
            # shrink each column towards its minimum in proportion to its slack
            slack = [n - m for n, m in zip(natural, minimum)]
            excess = total - width
            if sum(slack) >= excess:
                widths = [n - s * excess / sum(slack) for n, s in zip(natural, slack)]
            else:
                # even the minimums do not fit: share the width in proportion and let everything wrap
                widths = [m * width / sum(minimum) for m in minimum]
        elif total < width:
            # spread spare width in proportion, so numbers get air and the name column does not balloon
            widths = [n * width / total for n in natural]
        self._cache[key] = widths
        self._cache[("minimum", ctx.body)] = sum(minimum)
        return widths

    def _cell_lines(self, ctx: Ctx, text: str, width: float, bold: bool, indent: float, header: bool) -> list[str]:
        pad_x, _ = self._pad(ctx)
        breaker = balanced_wrap if header else wrap
        return breaker(text, max(width - 2 * pad_x - indent, ctx.body), ctx.body, ctx.stack, bold)

    def _row_layout(self, ctx: Ctx, widths: list[float], row: TableRow | None):
        """Lines per cell and the row height; ``row`` None is the header row."""
        key = ("row", id(row), ctx.body, tuple(widths))
        if key in self._cache:
            return self._cache[key]
        header = row is None
        indent_step = ctx.em(float(self._style(ctx, "indent")))
        cells = []
        for index, column in enumerate(self.columns):
            if row is None:
                text, indent, bold = column.label, 0.0, True
            else:
                text = row.cells[index]
                indent = row.indent * indent_step if column.wrap else 0.0
                indent += self._bar_space(ctx, index, widths[index])
                bold = row.bold or index in row.strong
            cells.append(self._cell_lines(ctx, text, widths[index], bold, indent, header))
        _, pad_y = self._pad(ctx)
        lines = max(len(c) for c in cells)
        self._cache[key] = cells, lines * ctx.body * ctx.line_height + 2 * pad_y
        return self._cache[key]

    def _caption_block(self, ctx: Ctx) -> Paragraph:
        caption = self.caption
        if self.continued:
            caption = self.continued_caption if self.continued_caption is not None else caption + "（续表）"
        return Paragraph(
            caption,
            float(self._style(ctx, "caption_size")),
            bold=True,
            colour=ctx.design.get("colours.text"),
            align=self.caption_align,
        )

    def _caption_height(self, ctx: Ctx, width: float) -> float:
        if not self.caption:
            return 0.0
        return self._caption_block(ctx).height(ctx, width)  # a long caption in a narrow column wraps

    def min_width(self, ctx: Ctx) -> float:
        """Every column at its minimum: names and numbers on one line, headers on at most two."""
        self.widths(ctx, 0.0)
        return self._cache[("minimum", ctx.body)]

    def _row_heights(self, ctx: Ctx, width: float) -> tuple[float, list[float]]:
        widths = self.widths(ctx, width)
        _, header_height = self._row_layout(ctx, widths, None)
        return header_height, [self._row_layout(ctx, widths, row)[1] for row in self.rows]

    def height(self, ctx, width):
        header, rows = self._row_heights(ctx, width)
        return self._caption_height(ctx, width) + header + sum(rows)

    def split(self, ctx, width, available):
        return self._split(ctx, width, available, forced=False)

    def split_forced(self, ctx, width, available):
        return self._split(ctx, width, available, forced=True)

    def _split(self, ctx: Ctx, width: float, available: float, forced: bool):
        header, rows = self._row_heights(ctx, width)
        used = self._caption_height(ctx, width) + header
        count = 0
        for height in rows:
            if used + height > available + 1e-6:
                break
            used += height
            count += 1
        if count == len(self.rows):
            return self, None
        if not forced:
            # no orphans: a part on its own needs a few rows under its header, and leaves a few for the next
            if len(self.rows) - count < ORPHAN_ROWS:
                count = len(self.rows) - ORPHAN_ROWS
            lead = ORPHAN_ROWS if self.continued else max(self.lead_rows, ORPHAN_ROWS)
            if count < min(lead, len(self.rows)):
                return None, self
        if count == 0:  # forced, and even one row is taller than the column: split that row by lines
            return self._split_first_row(ctx, width, available - used)
        basis = self.all_rows or self.rows
        first = replace(self, rows=self.rows[:count], all_rows=basis)
        rest = replace(self, rows=self.rows[count:], continued=True, all_rows=basis)
        return first, rest

    def _split_first_row(self, ctx: Ctx, width: float, room: float):
        row = self.rows[0]
        cells, _ = self._row_layout(ctx, self.widths(ctx, width), row)
        _, pad_y = self._pad(ctx)
        fit = int((room - 2 * pad_y + 1e-6) // (ctx.body * ctx.line_height))
        if fit < 1:
            return None, self
        head = replace(row, cells=[_join_lines(lines[:fit]) for lines in cells])
        tail = replace(row, cells=[_join_lines(lines[fit:]) for lines in cells])
        basis = self.all_rows or self.rows
        return (
            replace(self, rows=[head], all_rows=basis),
            replace(self, rows=[tail] + self.rows[1:], continued=True, all_rows=basis),
        )

    def place(self, ctx, x, top, width):
        items: list = []
        widths = self.widths(ctx, width)
        pad_x, pad_y = self._pad(ctx)
        rule_colour = self._style(ctx, "rule")
        rule_width = float(self._style(ctx, "rule_width")) * PT_PER_MM
        y = top
        if self.caption:
            items += self._caption_block(ctx).place(ctx, x, y, width)
            y -= self._caption_height(ctx, width)
        table_top = y
        rows = [(None, True)] + [(row, False) for row in self.rows]
        step = ctx.body * ctx.line_height
        for position, (row, is_header) in enumerate(rows):
            cells, height = self._row_layout(ctx, widths, row)
            row_lines = max(len(lines) for lines in cells)
            fill = None
            if is_header:
                fill = self._style(ctx, "header_fill")
            elif row.total:
                fill = self._style(ctx, "total_fill")
            elif position % 2 == 0 and self._style(ctx, "zebra_fill"):
                fill = self._style(ctx, "zebra_fill")
            if fill:
                items.append(RectItem(x, y - height, width, height, fill=fill))
            left = x
            for index, column in enumerate(self.columns):
                lines = cells[index]
                indent = (
                    row.indent * ctx.em(float(self._style(ctx, "indent"))) if (column.wrap and not is_header) else 0.0
                )
                indent += 0.0 if is_header else self._bar_space(ctx, index, widths[index])
                baseline = y - pad_y - (step - ctx.body) / 2 - ctx.body * 0.88
                if is_header:  # a header of fewer lines than its row's tallest sits in the middle, not at the top
                    baseline -= (row_lines - len(lines)) * step / 2
                bold = is_header or row.bold or index in row.strong
                align = "center" if is_header else column.align
                for line in lines:
                    line_width = ctx.stack.width(line, ctx.body, bold)
                    if align == "right":
                        text_x = left + widths[index] - pad_x - line_width
                    elif align == "center":
                        text_x = left + (widths[index] - line_width) / 2
                    else:
                        text_x = left + pad_x + indent
                    colour = self._style(ctx, "header_text") if is_header else ctx.design.get("colours.text")
                    items.append(TextItem(text_x, baseline, line, ctx.body, bold, colour))
                    baseline -= step
                if not is_header and index in row.bars:
                    items += self._bar(ctx, index, row, left, y, widths[index])
                left += widths[index]
            y -= height
            items.append(LineItem(x, y, x + width, y, rule_colour, rule_width))
        # outer frame and column rules
        items.append(LineItem(x, table_top, x + width, table_top, rule_colour, rule_width * 2))
        items.append(LineItem(x, y, x + width, y, rule_colour, rule_width * 2))
        left = x
        for column_width in widths[:-1]:
            left += column_width
            items.append(LineItem(left, table_top, left, y, rule_colour, rule_width))
        items.append(LineItem(x, table_top, x, y, rule_colour, rule_width))
        items.append(LineItem(x + width, table_top, x + width, y, rule_colour, rule_width))
        return items

    def _widest_text(self, ctx: Ctx, index: int) -> float:
        return max(
            ctx.stack.width(r.cells[index], ctx.body, r.bold or index in r.strong) for r in (self.all_rows or self.rows)
        )

    def _bar_space(self, ctx: Ctx, index: int, width: float) -> float:
        """Room a cell of a bar column of ``width`` keeps from its text for the bar: at most the bar's
        share, and never so much that the text must wrap; in a squeezed table the bar shortens first."""
        column = self.columns[index]
        if not column.bar:
            return 0.0
        pad_x, _ = self._pad(ctx)
        return max(min(self._bar_room(ctx, column), width - 2 * pad_x - self._widest_text(ctx, index)), 0.0)

    def _bar(self, ctx: Ctx, index: int, row: TableRow, left: float, top: float, width: float) -> list:
        """The cell's bar: from the left padding to just before the widest text of the column, centred on
        the first line, so every bar of a column has the same track and lengths compare to scale."""
        pad_x, pad_y = self._pad(ctx)
        column = self.columns[index]
        gap = self._bar_room(ctx, column) - ctx.em(column.bar)
        track = width - 2 * pad_x - self._widest_text(ctx, index) - gap
        if track <= 0:
            return []  # squeezed out entirely: the cell's text still says it
        height = ctx.em(float(self._style(ctx, "bar_height") or 0.85))
        centre = top - pad_y - ctx.body * ctx.line_height / 2
        bar = row.bars[index]
        return bar_items(left + pad_x, centre - height / 2, track, height, bar.fraction, ctx.design.get(bar.look) or {})


@dataclass
class ChartRow:
    """One category of a completion chart: its budget is the track (100%), what came in or went out fills it."""

    category: str
    budget: float
    actual: float
    budget_text: str  # the amounts and 完成% as the tables print them, so chart and table never differ by a rounding
    actual_text: str
    percent: str  # 完成%, e.g. "22.2"; "—" when there is no budget

    @property
    def share(self) -> float | None:
        return self.actual / self.budget if self.budget > 0 else None


CHART_SCALE_CAP = 2.0  # × budget: a category far over its budget runs to the end; its label says how far
CHART_ORPHANS = 2  # fewest bars in a part of a split chart
DASH, DASH_GAP = 0.55, 0.35  # × label size, the 序时进度 line's dashes


@dataclass
class BarChart(Block):
    """Budget completion by category (预算数 against 累计数 for each 类), with a legend and a 序时进度 line.

    Each category is one bar: the budget is a light, outlined track standing for 100%, the 累计数 a
    dark, thinner fill inside it, so the two read apart in greyscale by lightness and thickness. All
    tracks share one percentage axis, so a vertical dashed line at the share of the year elapsed
    (序时进度) crosses every bar and says at a glance which category is ahead or behind the calendar.
    Each bar's figures (完成% and 累计/预算) are printed in a column of their own just after the 100%
    end, where nothing else is drawn. A long chart continues in the next column with （续） and the
    same axis, so the bars of both parts can be compared.
    """

    title: str
    rows: list[ChartRow]
    labels: tuple[str, str] = ("预算数", "累计数")  # the track's and the fill's names, in the legend
    elapsed: float | None = None  # 序时进度 as a share of the year (Q1 0.25); None: no line
    style: str = "chart"
    continued: bool = False
    scale: float | None = None  # the axis' right end as a share of budget, kept by every part of a split
    sources: tuple[Text, ...] = ()  # the categories as printed, at their cells
    all_rows: list[ChartRow] | None = None  # rows of every chart stacked with this one: one grid for all of them

    role = "chart"

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.rows]

    def _colour(self, ctx: Ctx, key: str, default: str) -> str:
        return str(ctx.design.get(f"{self.style}.{key}", default))

    def _label_size(self, ctx: Ctx) -> float:
        return ctx.em(float(ctx.design.get(f"{self.style}.label_size", 0.85)))

    def _track_height(self, ctx: Ctx) -> float:
        return ctx.em(float(ctx.design.get(f"{self.style}.bar", 0.9))) * 1.5

    def axis_end(self) -> float:
        """The axis' right end as a share of budget: 100%, or past it in quarters when a category is over."""
        if self.scale is not None:
            return self.scale
        shares = [s for row in self.all_rows or self.rows if (s := row.share) is not None]
        if self.elapsed is not None:
            shares.append(self.elapsed)
        top = max(shares + [1.0])
        return min(math.ceil(top * 4 - 1e-9) / 4, CHART_SCALE_CAP)

    @staticmethod
    def elapsed_label(elapsed: float) -> str:
        percent = round(elapsed * 100, 1)
        return f"序时进度 {percent:g}%"

    def value_lines(self, row: ChartRow) -> list[tuple[str, bool]]:
        """The bar's own figures: 完成% first and bold, then the two amounts it is made of."""
        percent = f"完成 {row.percent}%" if row.percent != "—" else "完成 —"
        return [
            (percent, True),
            (f"{self.labels[1][:2]} {row.actual_text} / {self.labels[0][:2]} {row.budget_text}", False),
        ]

    def _value_width(self, ctx: Ctx) -> float:
        size = self._label_size(ctx)
        basis = self.all_rows or self.rows
        widths = [ctx.stack.width(t, size, bold) for row in basis for t, bold in self.value_lines(row)]
        return max(widths, default=0.0)

    def _gap(self, ctx: Ctx) -> float:
        return self._label_size(ctx) * 0.6

    def _label_width(self, ctx: Ctx, width: float) -> float:
        """The category labels' column: as wide as the widest label, within 40% of the chart and leaving the
        plot at least 30%; a label that does not fit wraps."""
        size = self._label_size(ctx)
        widest = max((ctx.stack.width(r.category, size) for r in self.all_rows or self.rows), default=0)
        room = width - self._value_width(ctx) - self._gap(ctx) - width * 0.3
        return max(min(widest + size, width * 0.4, room), size * 3)

    def _plot(self, ctx: Ctx, x: float, width: float) -> tuple[float, float]:
        """(left, width) of the plot area: between the category labels and the figures."""
        label_width = self._label_width(ctx, width)
        plot_w = width - label_width - self._value_width(ctx) - self._gap(ctx)
        return x + label_width, max(plot_w, self._label_size(ctx) * 2)

    def _label_lines(self, ctx: Ctx, width: float, category: str) -> list[str]:
        size = self._label_size(ctx)
        return wrap(category, self._label_width(ctx, width) - size, size, ctx.stack)

    def _step(self, ctx: Ctx, width: float) -> float:
        """Height per category: room for its bar, its two lines of figures, and however many lines its label takes."""
        size = self._label_size(ctx)
        gap = ctx.em(float(ctx.design.get(f"{self.style}.group_gap", 0.8)))
        basis = self.all_rows or self.rows
        lines = max((len(self._label_lines(ctx, width, r.category)) for r in basis), default=1)
        return max(self._track_height(ctx) + gap, max(lines, 2) * size * 1.2 + gap * 0.75)

    def _title(self) -> str:
        return self.title + ("（续）" if self.continued else "")

    def _legend(self) -> list[tuple[str, str]]:
        """(swatch, label) in the order the chart draws them: the track, its fill, the line over both."""
        entries = [("track", self.labels[0] + "（100%）"), ("fill", self.labels[1])]
        if self.elapsed is not None:
            entries.append(("line", "序时进度（全年已过的比例）"))
        return entries

    def _legend_rows(self, ctx: Ctx, width: float) -> list[list[tuple[str, str, float]]]:
        """Legend entries with their widths, flowed into rows so that none runs past the chart's edge."""
        size = self._label_size(ctx)
        rows: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        for kind, label in self._legend():
            entry = size * 2.4 + ctx.stack.width(label, size)
            if rows[-1] and used + entry > width:
                rows.append([])
                used = 0.0
            rows[-1].append((kind, label, entry))
            used += entry + size * 1.2
        return rows

    def _band(self, ctx: Ctx) -> float:
        """Room above the plot for the 序时进度 label."""
        return self._label_size(ctx) * 1.6 if self.elapsed is not None else 0.0

    def _fixed(self, ctx: Ctx, width: float) -> float:
        title = Paragraph(self._title(), 1.15, bold=True)
        legend = len(self._legend_rows(ctx, width)) * self._label_size(ctx) * 1.6
        return title.height(ctx, width) + legend + self._band(ctx) + self._label_size(ctx) * 2.2

    def height(self, ctx, width):
        return self._fixed(ctx, width) + max(len(self.rows), 1) * self._step(ctx, width)

    def min_width(self, ctx: Ctx) -> float:
        return self._value_width(ctx) + self._gap(ctx) + self._label_size(ctx) * 14

    def split(self, ctx, width, available):
        return self._split(ctx, width, available, forced=False)

    def split_forced(self, ctx, width, available):
        return self._split(ctx, width, available, forced=True)

    def _split(self, ctx: Ctx, width: float, available: float, forced: bool):
        fit = int((available - self._fixed(ctx, width) + 1e-6) // self._step(ctx, width))
        if fit >= len(self.rows):
            return self, None
        if not forced:
            # a bar alone under a chart's title and legend, or left over for the next column, reads as a stray:
            # each part keeps at least two
            fit = min(fit, len(self.rows) - CHART_ORPHANS)
            if fit < CHART_ORPHANS:
                return None, self
        if fit < 1:
            return None, self
        scale = self.axis_end()
        first = replace(self, rows=self.rows[:fit], scale=scale)
        rest = replace(self, rows=self.rows[fit:], continued=True, scale=scale)
        return first, rest

    def _ticks(self, ctx: Ctx, plot_w: float, end: float) -> list[float]:
        """Axis ticks every 25%, or every 50% or 100% when the plot is too narrow for their labels."""
        size = self._label_size(ctx)
        room = ctx.stack.width(f"{end * 100:.0f}%", size) + size
        for step in (0.25, 0.5, 1.0):
            if plot_w * step / end >= room:
                break
        count = int(end / step + 1e-9)
        return [i * step for i in range(count + 1)]

    def _swatch(self, ctx: Ctx, kind: str, x: float, centre: float) -> list:
        size = self._label_size(ctx)
        w, h = size * 1.8, size * 0.9
        outline = self._colour(ctx, "outline", "#4D4D4D")
        if kind == "track":
            return [RectItem(x, centre - h / 2, w, h, fill=self._colour(ctx, "budget", "#D9D9D9"))] + [
                RectItem(x, centre - h / 2, w, h, stroke=outline, stroke_width=size * 0.08)
            ]
        if kind == "fill":
            return [RectItem(x, centre - h * 0.3, w, h * 0.6, fill=self._colour(ctx, "actual", "#B3141B"))]
        return self._dashes(ctx, x + w / 2, centre + h * 0.7, centre - h * 0.7)

    def _dashes(self, ctx: Ctx, x: float, top: float, bottom: float) -> list:
        size = self._label_size(ctx)
        colour = self._colour(ctx, "elapsed", "#1A1A1A")
        items: list = []
        y = top
        while y > bottom + 1e-6:
            end = max(y - size * DASH, bottom)
            # a white edge either side, so the line still shows where it crosses a dark fill in greyscale
            items.append(LineItem(x, y, x, end, "#FFFFFF", size * 0.34))
            items.append(LineItem(x, y, x, end, colour, size * 0.14))
            y = end - size * DASH_GAP
        return items

    def place(self, ctx, x, top, width):
        items: list = []
        text_colour = ctx.design.get("colours.text")
        size = self._label_size(ctx)
        title = Paragraph(self._title(), 1.15, bold=True)
        items += title.place(ctx, x, top, width)
        y = top - title.height(ctx, width)
        for legend_row in self._legend_rows(ctx, width):
            left = x
            centre = y - size * 0.8
            for kind, label, entry in legend_row:
                items += self._swatch(ctx, kind, left, centre)
                items.append(TextItem(left + size * 2.4, centre - size * 0.35, label, size, False, text_colour))
                left += entry + size * 1.2
            y -= size * 1.6
        band_top = y
        y -= self._band(ctx)
        step = self._step(ctx, width)
        plot_x, plot_w = self._plot(ctx, x, width)
        plot_h = max(len(self.rows), 1) * step
        end = self.axis_end()

        def at(share: float) -> float:
            return plot_x + plot_w * min(max(share, 0.0), end) / end

        grid = self._colour(ctx, "grid", "#CCCCCC")
        muted = ctx.design.get("colours.muted")
        for tick in self._ticks(ctx, plot_w, end):
            items.append(LineItem(at(tick), y, at(tick), y - plot_h, grid, size * 0.05))
            label = f"{tick * 100:.0f}%"
            label_w = ctx.stack.width(label, size)
            items.append(TextItem(at(tick) - label_w / 2, y - plot_h - size * 1.2, label, size, False, muted))
        items.append(LineItem(plot_x, y, plot_x, y - plot_h, self._colour(ctx, "outline", "#4D4D4D"), size * 0.08))
        track_h = self._track_height(ctx)
        fill_h = track_h * 0.6
        outline = self._colour(ctx, "outline", "#4D4D4D")
        value_x = plot_x + plot_w + self._gap(ctx)
        for index, row in enumerate(self.rows):
            centre = y - (index + 0.5) * step
            lines = self._label_lines(ctx, width, row.category)
            baseline = centre + (len(lines) - 1) * size * 0.6 - size * 0.35
            for line in lines:
                text_width = ctx.stack.width(line, size)
                items.append(TextItem(plot_x - size * 0.5 - text_width, baseline, line, size, False, text_colour))
                baseline -= size * 1.2
            track_w = at(1.0) - plot_x
            items.append(
                RectItem(plot_x, centre - track_h / 2, track_w, track_h, fill=self._colour(ctx, "budget", "#D9D9D9"))
            )
            items.append(
                RectItem(plot_x, centre - track_h / 2, track_w, track_h, stroke=outline, stroke_width=size * 0.08)
            )
            share = row.share
            if share is not None and share > 0:
                fill = self._colour(ctx, "actual", "#B3141B")
                items.append(RectItem(plot_x, centre - fill_h / 2, at(share) - plot_x, fill_h, fill=fill))
            figures = self.value_lines(row)
            baseline = centre + (len(figures) - 1) * size * 0.6 - size * 0.35
            for text, bold in figures:
                items.append(TextItem(value_x, baseline, text, size, bold, text_colour))
                baseline -= size * 1.2
        if self.elapsed is not None:
            line_x = at(self.elapsed)
            items += self._dashes(ctx, line_x, band_top - size * 1.3, y - plot_h)
            label = self.elapsed_label(self.elapsed)
            label_w = ctx.stack.width(label, size, True)
            left = min(max(line_x - label_w / 2, x), x + width - label_w)
            items.append(TextItem(left, band_top - size * 1.05, label, size, True, text_colour))
        return items


@dataclass
class Spacer(Block):
    em: float = 1.0

    role = "spacer"

    def height(self, ctx, width):
        return ctx.em(self.em)

    def split(self, ctx, width, available):
        return (self, None) if self.height(ctx, width) <= available else (None, None)

    def min_width(self, ctx):
        return 0.0

    def place(self, ctx, x, top, width):
        return []
