"""Fitting: the largest legible body size that needs the fewest sheets; nothing dropped.

Body text shrinks from the design's preferred size down to the paper's floor. If
the content still does not fit one sheet at the floor, it flows onto as many
sheets as it needs at the floor's sheet count, and the size is raised again as
far as that count allows.
"""

from __future__ import annotations

from dataclasses import replace

from .blocks import Block, strands_next
from .frame import SheetTemplate
from .sheet import Sheet

SIZE_STEP = 0.25  # points
MAX_AUTO_COLUMNS = 24  # a bound for "auto" columns, far above what any paper takes


class LayoutOverflow(Exception):
    """A block does not fit even an empty frame; callers report it, never cut it."""

    def __init__(self, block: Block):
        super().__init__(type(block).__name__)
        self.block = block


def auto_columns(blocks: list[Block], template: SheetTemplate, body: float) -> int:
    """As many body columns as the widest of the blocks' narrowest widths allows at ``body``."""
    ctx = replace(template.ctx, body=body)
    need = max((block.min_width(ctx) for block in blocks), default=0.0)
    count = 1
    while need > 0 and count < MAX_AUTO_COLUMNS and template.column_width(count + 1) >= need:
        count += 1
    return count


def _fill_sheet(
    pending: list[Block], columns: list, ctx, gap_size: float, limit: float | None = None
) -> tuple[list, list[Block]]:
    """Fill one sheet's columns from ``pending``; its items and the blocks left over.

    ``limit`` caps every column's height (balancing); without it, a block that fits no
    empty column raises LayoutOverflow.
    """
    items: list = []
    pending = list(pending)
    for x, top, width, height in columns:
        if limit is not None:
            height = min(height, limit)
        y = top
        while pending:
            block = pending.pop(0)
            gap = gap_size if y < top - 1e-6 else 0.0
            available = height - (top - y) - gap
            first, rest = block.split(ctx, width, available)
            if (
                first is not None
                and rest is None
                and y < top - 1e-6
                and strands_next([block] + pending, ctx, width, available, gap_size)
            ):
                first, rest = None, block  # a heading is not left at the foot of a column
            if first is not None:
                items += first.place(ctx, x, y - gap, width)
                y -= gap + first.height(ctx, width)
            if first is None and y >= top - 1e-6 and limit is None:
                first, rest = block.split_forced(ctx, width, available)  # an empty column takes what fits
                if first is None:
                    raise LayoutOverflow(block)
                items += first.place(ctx, x, y - gap, width)
                y -= gap + first.height(ctx, width)
            if rest is not None:
                pending.insert(0, rest)
                break
        if not pending:
            break
    return items, pending


def _balanced_sheet(pending: list[Block], columns: list, ctx, gap_size: float) -> list | None:
    """The last sheet with its columns evened out: the shortest column height that still takes
    everything, so a list ends in columns of equal length instead of one full and one stub."""
    low, high = 0.0, max(height for _, _, _, height in columns)
    best = None
    while high - low > ctx.body * 0.5:
        middle = (low + high) / 2
        items, rest = _fill_sheet(pending, columns, ctx, gap_size, limit=middle)
        if rest:
            low = middle
        else:
            best, high = items, middle
    return best


def _column_count(blocks: list[Block], template: SheetTemplate, body: float, columns: int | str | None) -> int:
    setting = template.column_setting() if columns is None else columns
    return auto_columns(blocks, template, body) if setting == "auto" else int(setting)


def flow(
    blocks: list[Block], template: SheetTemplate, body: float, columns: int | str | None = None, balance: bool = False
) -> list[list]:
    """Place blocks into the template's body columns; a list of body items per sheet.

    ``columns`` overrides the design's column count; "auto" takes as many as fit at
    ``body``. With ``balance`` the columns of the last sheet are evened out.
    """
    ctx = replace(template.ctx, body=body)
    frame = template.frame(_column_count(blocks, template, body, columns))
    gap_size = ctx.em(float(template.design.get("body.block_gap")))
    sheets: list[list] = []
    pending = list(blocks)
    while pending:
        items, rest = _fill_sheet(pending, frame.columns, ctx, gap_size)
        if not rest and balance and len(frame.columns) > 1:
            items = _balanced_sheet(pending, frame.columns, ctx, gap_size) or items
        sheets.append(items)
        pending = rest
    return sheets or [[]]


def fit(blocks: list[Block], template: SheetTemplate, columns: int | str | None = None) -> list[Sheet]:
    """``columns``: as for ``flow``; None takes the design's. "auto" columns also balance the last sheet."""
    scale = template.scale
    steps = max(round((scale.body - scale.floor) / SIZE_STEP), 0)
    sizes = [scale.body - i * SIZE_STEP for i in range(steps + 1)]  # largest first

    def attempt(size: float) -> list[list] | None:
        try:
            return flow(blocks, template, size, columns)
        except LayoutOverflow:
            return None

    try:
        at_floor = flow(blocks, template, sizes[-1], columns)
    except LayoutOverflow:
        if _column_count(blocks, template, sizes[-1], columns) == 1:
            raise  # the culprit block goes up to the caller, which names it
        columns = 1  # the design's columns are too narrow for this content: give it the full width
        return fit(blocks, template, columns)
    target = len(at_floor)
    # binary search for the largest size that still needs only `target` sheets
    low, high = 0, len(sizes) - 1  # sizes[high] is known to work
    best = (sizes[-1], at_floor)
    while low < high:
        middle = (low + high) // 2
        result = attempt(sizes[middle])
        if result is not None and len(result) <= target:
            best = (sizes[middle], result)
            high = middle
        else:
            low = middle + 1
    size, bodies = best
    if (template.column_setting() if columns is None else columns) == "auto":
        bodies = flow(blocks, template, size, columns, balance=True)  # same sheets, the last one evened out
    total = len(bodies)
    sheets = []
    for number, body in enumerate(bodies, start=1):
        items = template.header_items(number, total) + body + template.footer_items(number, total)
        sheets.append(Sheet(template.width, template.height, items, number, total, size))
    return sheets
