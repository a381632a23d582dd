"""Body blocks that flow into frames: paragraphs, tables and charts.

A block can report its height for a width, split itself to fit a given height,
and place itself as sheet items. Sizes are multiples of ``ctx.body`` so that the
fitter can shrink everything by changing one number.

A block also says what it is (``role``: a heading, a note, a table…), which the online copy
renders by, and where the user's strings it prints came from (``printed()``: each string as
printed, at its cell or line), which the glyph and privacy checks walk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..models import Text
from ..problems import Where
from .bars import CellBar, bar_items
from .design import Design
from .fonts import FontStack
from .sheet import BarChartItem, BarSeries, LineItem, RectItem, TextItem
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
class BarChart(Block):
    """Horizontal grouped bars (e.g. 预算数 against 累计数 for each 类), with a legend.

    A long chart continues in the next column with （续） and the same value axis, so
    the bars of both parts can be compared.
    """

    title: str
    categories: list[str]
    series: list[tuple[str, list[float], str]]  # (label, values, colour or a colour key of the style)
    style: str = "chart"
    continued: bool = False
    value_range: tuple[float, float] | None = None  # the whole chart's (min, max), kept by every part
    sources: tuple[Text, ...] = ()  # the categories as printed, at their cells

    role = "chart"

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)

    def _colour(self, ctx: Ctx, colour: str) -> str:
        return ctx.design.get(f"{self.style}.{colour}", colour)

    def _label_size(self, ctx: Ctx) -> float:
        return ctx.em(float(ctx.design.get(f"{self.style}.label_size", 0.85)))

    def _label_width(self, ctx: Ctx, width: float) -> float:
        label = self._label_size(ctx)
        widest = max((ctx.stack.width(c, label) for c in self.categories), default=0)
        return min(widest + label, width * 0.4)

    def _label_lines(self, ctx: Ctx, width: float, category: str) -> list[str]:
        label = self._label_size(ctx)
        return wrap(category, self._label_width(ctx, width) - label, label, ctx.stack)

    def _step(self, ctx: Ctx, width: float) -> float:
        """Height per category: room for its bars, and for its label however many lines it wraps to."""
        bar = ctx.em(float(ctx.design.get(f"{self.style}.bar", 0.9)))
        gap = ctx.em(float(ctx.design.get(f"{self.style}.group_gap", 0.8)))
        lines = max((len(self._label_lines(ctx, width, c)) for c in self.categories), default=1)
        return max(len(self.series) * bar + gap, lines * self._label_size(ctx) * 1.2 + gap / 2)

    def _title(self) -> str:
        return self.title + ("（续）" if self.continued else "")

    def _fixed(self, ctx: Ctx, width: float) -> float:
        title = Paragraph(self._title(), 1.15, bold=True)
        return title.height(ctx, width) + ctx.em(1.0) * ctx.line_height + self._label_size(ctx) * 2.2

    def height(self, ctx, width):
        return self._fixed(ctx, width) + max(len(self.categories), 1) * self._step(ctx, width)

    def split(self, ctx, width, available):
        fit = int((available - self._fixed(ctx, width) + 1e-6) // self._step(ctx, width))
        if fit >= len(self.categories):
            return self, None
        if fit < 1:
            return None, self
        values = [v for _, vs, _ in self.series for v in vs]
        whole = self.value_range or (min(values, default=0.0), max(values, default=0.0))

        def part(start: int, stop: int | None, continued: bool) -> BarChart:
            return replace(
                self,
                categories=self.categories[start:stop],
                continued=continued,
                value_range=whole,
                series=[(label, vs[start:stop], colour) for label, vs, colour in self.series],
            )

        return part(0, fit, self.continued), part(fit, None, True)

    def place(self, ctx, x, top, width):
        items: list = []
        title = Paragraph(self._title(), 1.15, bold=True)
        items += title.place(ctx, x, top, width)
        y = top - title.height(ctx, width)
        label_size = self._label_size(ctx)
        legend_x = x
        swatch = label_size * 0.9
        for label, _, colour in self.series:
            items.append(RectItem(legend_x, y - label_size * 1.1, swatch * 1.6, swatch, fill=self._colour(ctx, colour)))
            items.append(
                TextItem(
                    legend_x + swatch * 2,
                    y - label_size * 1.05,
                    label,
                    label_size,
                    False,
                    ctx.design.get("colours.text"),
                )
            )
            legend_x += swatch * 2.6 + ctx.stack.width(label, label_size)
        y -= ctx.em(1.0) * ctx.line_height
        step = self._step(ctx, width)
        plot_height = max(len(self.categories), 1) * step
        label_width = self._label_width(ctx, width)
        plot_x = x + label_width
        plot_w = width - label_width - label_size * 3
        for index, category in enumerate(self.categories):
            lines = self._label_lines(ctx, width, category)
            centre = y - (index + 0.5) * step
            baseline = centre + (len(lines) - 1) * label_size * 0.6 - label_size * 0.35
            for line in lines:
                text_width = ctx.stack.width(line, label_size)
                items.append(
                    TextItem(
                        plot_x - label_size * 0.5 - text_width,
                        baseline,
                        line,
                        label_size,
                        False,
                        ctx.design.get("colours.text"),
                    )
                )
                baseline -= label_size * 1.2
        values = [v for _, vs, _ in self.series for v in vs]
        low, high = self.value_range or (min(values, default=0.0), max(values, default=0.0))
        items.append(
            BarChartItem(
                x=plot_x,
                y=y - plot_height,
                w=plot_w,
                h=plot_height,
                series=[
                    BarSeries(label, list(values), self._colour(ctx, colour)) for label, values, colour in self.series
                ],
                axis_size=label_size,
                axis_colour=ctx.design.get("colours.muted"),
                value_min=min(low, 0.0),
                value_max=max(high, 0.0),
            )
        )
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
