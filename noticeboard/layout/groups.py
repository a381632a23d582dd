"""Blocks that hold other blocks: even columns inside one frame, and continuation heads.

``BalancedColumns`` sets a run of blocks side by side in as many columns as the width
allows, cut at an even height, so that a short list does not hang in one column with
empty paper beside it. ``Continued`` heads the later parts of a split block with a
short line, so a reader who meets a part at the top of a column knows what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..models import Text
from .blocks import Block, Ctx, Paragraph, Spacer, strands_next

BALANCE_TOLERANCE = 0.5  # points: how close the search for the even height gets


@dataclass
class BalancedColumns(Block):
    """``blocks`` in columns of even height; the design's ``<style>.max_columns`` and
    ``<style>.min_width`` (× body) bound how many. When they do not fit the space left,
    the columns are filled to the foot and the rest continues in the next frame.
    A Spacer at the head of a column is dropped: it only separates blocks."""

    blocks: list[Block]
    style: str = "balance"
    filled: list[list[Block]] | None = None  # a split-off part: each column's blocks, already cut to fit
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    role = "columns"

    def printed(self) -> Iterator[Text]:
        for block in self.blocks:
            yield from block.printed()

    # -- geometry -----------------------------------------------------------------
    def _gaps(self, ctx: Ctx) -> tuple[float, float]:
        """(between blocks in a column, between columns), as in the body frame."""
        return ctx.em(float(ctx.design.get("body.block_gap"))), ctx.em(float(ctx.design.get("body.column_gap")))

    def min_width(self, ctx: Ctx) -> float:
        return max(
            [ctx.em(float(ctx.design.get(f"{self.style}.min_width", 20)))]
            + [block.min_width(ctx) for block in self.blocks]
        )

    def _count(self, ctx: Ctx, width: float) -> int:
        if self.filled is not None:
            return len(self.filled)
        _, column_gap = self._gaps(ctx)
        fits = int((width + column_gap) // (self.min_width(ctx) + column_gap))
        most = int(ctx.design.get(f"{self.style}.max_columns", 3))
        return max(1, min(fits, most, len(self.blocks)))

    def _column_width(self, ctx: Ctx, width: float, count: int) -> float:
        _, column_gap = self._gaps(ctx)
        return (width - column_gap * (count - 1)) / count

    # -- filling ------------------------------------------------------------------
    def _fill(self, ctx: Ctx, column_width: float, height: float, count: int):
        """Fill ``count`` columns of ``height`` in order: (blocks per column, height used per column, left over)."""
        gap_size, _ = self._gaps(ctx)
        columns: list[list[Block]] = [[] for _ in range(count)]
        used = [0.0] * count
        pending = list(self.blocks)
        index = 0
        while pending and index < count:
            block, column = pending[0], columns[index]
            if not column and isinstance(block, Spacer):
                pending.pop(0)
                continue
            gap = gap_size if column else 0.0
            available = height - used[index] - gap
            first, rest = block.split(ctx, column_width, available)
            if rest is None and strands_next(pending, ctx, column_width, available, gap_size):
                if not column:
                    break  # not even an empty column here holds a heading with what it heads: next frame
                first, rest = None, block  # a heading moves on with what it heads
            if first is not None:
                column.append(first)
                used[index] += gap + first.height(ctx, column_width)
            if rest is None:
                pending.pop(0)
                continue
            pending[0] = rest
            if first is None and not column:
                break  # taller than a whole column at this height
            index += 1
        return columns, used, pending

    def _balanced(self, ctx: Ctx, width: float) -> tuple[list[list[Block]], float]:
        """The lowest even height that takes every block, and the columns cut at it."""
        key = (ctx.body, width)
        if key not in self._cache:
            count = self._count(ctx, width)
            column_width = self._column_width(ctx, width, count)
            gap_size, _ = self._gaps(ctx)
            single = sum(b.height(ctx, column_width) for b in self.blocks) + gap_size * len(self.blocks) + 1.0
            columns, used, _ = self._fill(ctx, column_width, single, count)
            low, high = single / count, single
            while high - low > BALANCE_TOLERANCE:
                middle = (low + high) / 2
                attempt, attempt_used, rest = self._fill(ctx, column_width, middle, count)
                if rest:
                    low = middle
                else:
                    high, columns, used = middle, attempt, attempt_used
            self._cache[key] = (columns, max(used))
        return self._cache[key]

    # -- Block --------------------------------------------------------------------
    def height(self, ctx, width):
        if self.filled is not None:
            column_width = self._column_width(ctx, width, len(self.filled))
            gap_size, _ = self._gaps(ctx)
            return max(
                sum(b.height(ctx, column_width) for b in column) + gap_size * max(len(column) - 1, 0)
                for column in self.filled
            )
        return self._balanced(ctx, width)[1]

    def split(self, ctx, width, available):
        if self.filled is not None:
            return super().split(ctx, width, available)
        if self._balanced(ctx, width)[1] <= available + 1e-6:
            return self, None
        count = self._count(ctx, width)
        columns, _, rest = self._fill(ctx, self._column_width(ctx, width, count), available, count)
        if not any(columns):
            return None, self
        first = replace(self, filled=columns)
        return first, (replace(self, blocks=rest) if rest else None)

    def place(self, ctx, x, top, width):
        columns = self.filled if self.filled is not None else self._balanced(ctx, width)[0]
        column_width = self._column_width(ctx, width, len(columns))
        gap_size, column_gap = self._gaps(ctx)
        items: list = []
        for index, column in enumerate(columns):
            left = x + index * (column_width + column_gap)
            y = top
            for position, block in enumerate(column):
                gap = gap_size if position else 0.0
                items += block.place(ctx, left, y - gap, column_width)
                y -= gap + block.height(ctx, column_width)
        return items


@dataclass
class Continued(Block):
    """``block`` whose later parts start with ``head`` (e.g. 党政办公室（续）)."""

    block: Block
    head: Paragraph
    continued: bool = False  # this is a later part

    role = "continued"

    def printed(self) -> Iterator[Text]:
        yield from self.head.printed()
        yield from self.block.printed()

    def _head_height(self, ctx: Ctx, width: float) -> float:
        return self.head.height(ctx, width) if self.continued else 0.0

    def min_width(self, ctx):
        return self.block.min_width(ctx)

    def height(self, ctx, width):
        return self._head_height(ctx, width) + self.block.height(ctx, width)

    def split(self, ctx, width, available):
        return self._split(ctx, width, available, forced=False)

    def split_forced(self, ctx, width, available):
        return self._split(ctx, width, available, forced=True)

    def _split(self, ctx: Ctx, width: float, available: float, forced: bool):
        splitter = self.block.split_forced if forced else self.block.split
        first, rest = splitter(ctx, width, available - self._head_height(ctx, width))
        if rest is None:
            return self, None
        if first is None:
            return None, self
        return replace(self, block=first), replace(self, block=rest, continued=True)

    def place(self, ctx, x, top, width):
        items: list = []
        if self.continued:
            items += self.head.place(ctx, x, top, width)
            top -= self.head.height(ctx, width)
        return items + self.block.place(ctx, x, top, width)
