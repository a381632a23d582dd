"""A table of long texts beside short one-line columns, and lists that break between names.

Kept apart from ``blocks.Table`` because its width rule (text columns share what the one-line
columns leave, in proportion to their longest cell) suits task lists but would change the
look of the finance and roster tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import BAR_SHORTEST, Block, Ctx, Table
from .fit import SIZE_STEP

# a list of names or units: 王建华、刘春梅、张三丰 or 党政办/经管站; an item keeps its separator
LIST_ITEM = re.compile(r"[^、，,；;/／]*[、，,；;/／]+|[^、，,；;/／]+")
TEXT_COLUMN_FLOOR = 6.0  # × body size: a text column is not narrowed below this while others can give
TEXT_COLUMN_LEAST = 3.0  # × body size: and never below this
NAME_MOST = 8.0  # × body size: a list column is kept as wide as its longest name up to this


@dataclass
class TextTable(Table):
    """A Table whose column widths suit long texts beside short fixed columns (e.g. key tasks).

    The toolkit shrinks every column towards its minimum in proportion to how much wider it
    would like to be, so once the texts wrap at all, a 目标 of 130 characters ends hardly wider
    than a 责任人 of 11 and its row grows 14 lines tall; and when even the minimums overflow,
    every column wraps, a status as 已完/成. Here, once any text must wrap:

    - the one-line columns (序号, 完成时限, the percentage with its bar, 状态) keep one line; the
      bars shorten, down to the toolkit's shortest, only when the text columns are at their floor;
    - the text columns share the rest in proportion to their widest cell, so the long texts get
      the width and a row's cells need about as many lines each; none narrower than six
      characters (or its widest cell, or the longest name of a list), none wider than its widest
      cell; when even those floors overflow, the widest give way first, down to a few characters.

    A cell in ``lists`` (王建华、刘春梅、张三丰) breaks between its names, never inside one (刘春/梅).
    """

    lists: frozenset[str] = frozenset()
    paper: str = ""  # the notice's paper, whose floor size is the last resort for squeezed text columns

    def _cell_lines(self, ctx: Ctx, text: str, width: float, bold: bool, indent: float, header: bool) -> list[str]:
        lines = super()._cell_lines(ctx, text, width, bold, indent, header)
        if header or len(lines) < 2 or text not in self.lists:
            return lines

        def lines_of(part: str) -> list[str]:
            return Table._cell_lines(self, ctx, part.strip(), width, bold, indent, header)

        packed: list[str] = []
        for name in LIST_ITEM.findall(text):
            if packed and len(lines_of(packed[-1] + name)) == 1:
                packed[-1] += name
            else:
                packed.append(name)
        # a single name wider than the column still wraps as any text does
        return [line for part in packed for line in lines_of(part)]

    def _longest_name(self, ctx: Ctx, index: int) -> float:
        names = [
            name
            for row in self.all_rows or self.rows
            if row.cells[index] in self.lists
            for name in LIST_ITEM.findall(row.cells[index])
        ]
        return max((ctx.stack.width(name.strip(), ctx.body) for name in names), default=0.0)

    def widths(self, ctx: Ctx, width: float) -> list[float]:
        return self._layout(ctx, width)[0]

    def split(self, ctx: Ctx, width: float, available: float) -> tuple[Block | None, Block | None]:
        # Above the paper's floor size, a table whose text columns would be squeezed below their
        # floor does not fit: the fitter then tries a smaller size, and three tasks on A4 come out at
        # 9.5 pt in columns of six characters rather than at 11 pt in columns of four.
        if self.paper and self._layout(ctx, width)[1] and ctx.body > ctx.design.paper(self.paper).floor + SIZE_STEP / 2:
            return None, self
        return super().split(ctx, width, available)

    def _layout(self, ctx: Ctx, width: float) -> tuple[list[float], bool]:
        """The widths, and whether the text columns are squeezed below their floor."""
        key = ("task widths", ctx.body, width)
        if key not in self._cache:
            widths, squeezed = self._task_widths(ctx, width)
            self._cache[key] = (widths or super().widths(ctx, width), squeezed)
        return self._cache[key]

    def _task_widths(self, ctx: Ctx, width: float) -> tuple[list[float] | None, bool]:
        """The widths described above, None where the toolkit's own are right (nothing wraps, or
        not even a few characters per text column fit); and whether the text columns are squeezed."""
        if width <= 0:
            return None, True  # min_width asking for the minimums
        rows = self.all_rows or self.rows
        pad = 2 * ctx.em(float(self._style(ctx, "cell_pad_x")))
        measured = [
            [ctx.stack.width(row.cells[i], ctx.body, row.bold or i in row.strong) for row in rows]
            for i in range(len(self.columns))
        ]
        bars = [self._bar_room(ctx, c) for c in self.columns]
        headers = [ctx.stack.width(c.label, ctx.body, True) for c in self.columns]
        # a column's width on one line, without its bar unless the header needs more (完成进度 over
        # a bar and 85%)
        one_line = [
            max(max(cells, default=0.0), header - bar) + pad for cells, header, bar in zip(measured, headers, bars)
        ]
        if sum(one_line) + sum(bars) <= width + 1e-6:
            return None, False  # nothing wraps: the toolkit spreads the spare width
        text = [i for i, c in enumerate(self.columns) if c.wrap]
        if not text:
            return None, False
        high = [one_line[i] for i in text]
        low = [
            min(one_line[i], max(ctx.em(TEXT_COLUMN_FLOOR), min(self._longest_name(ctx, i), ctx.em(NAME_MOST))) + pad)
            for i in text
        ]
        fixed = [i for i, c in enumerate(self.columns) if not c.wrap]
        over = sum(one_line[i] + bars[i] for i in fixed) + sum(low) - width
        bar_total: float = sum(bars)
        shorten = min(over / bar_total, 1 - BAR_SHORTEST) if over > 0 and bar_total else 0.0
        out = [one_line[i] + bars[i] * (1 - shorten) for i in range(len(self.columns))]
        room = width - sum(out[i] for i in fixed)
        if room < len(text) * (ctx.em(TEXT_COLUMN_LEAST) + pad):
            return None, True
        squeezed = sum(low) > room + 1e-6
        shares = _level(room, low) if squeezed else _share(room, high, low, high)
        for i, share in zip(text, shares):
            out[i] = share
        return out, squeezed


def _share(room: float, weights: list[float], low: list[float], high: list[float]) -> list[float]:
    """``room`` split in proportion to ``weights``, each part within its [low, high];
    sum(low) <= room <= sum(high)."""
    parts: list[float | None] = [None] * len(weights)
    while True:
        free = [i for i, p in enumerate(parts) if p is None]
        if not free:
            return [p for p in parts if p is not None]
        left = room - sum(p for p in parts if p is not None)
        total = sum(weights[i] for i in free)
        trial = {i: left * weights[i] / total for i in free}
        clamp = {i: low[i] for i in free if trial[i] < low[i]} or {i: high[i] for i in free if trial[i] > high[i]}
        if not clamp:
            return [trial[i] if parts[i] is None else parts[i] for i in range(len(parts))]  # type: ignore[misc]
        for i, value in clamp.items():
            parts[i] = value


def _level(room: float, wanted: list[float]) -> list[float]:
    """``room`` shared when the parts want more: the largest come down to one common width first."""
    cap = room / len(wanted)
    left, count = room, len(wanted)
    for part in sorted(wanted):
        if part > cap:
            break
        left -= part
        count -= 1
        cap = left / count if count else part
    return [min(part, cap) for part in wanted]
