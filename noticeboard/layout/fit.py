"""Fitting: the largest legible body size that needs the fewest sheets; nothing dropped.

Body text shrinks from the design's preferred size down to the paper's floor. If
the content still does not fit one sheet at the floor, it flows onto as many
sheets as it needs at the floor's sheet count, and the size is raised again as
far as that count allows.
"""

from __future__ import annotations

from dataclasses import replace

from .blocks import Block
from .frame import SheetTemplate
from .sheet import Sheet

SIZE_STEP = 0.25  # points


class LayoutOverflow(Exception):
    """A block does not fit even an empty frame; callers report it, never cut it."""

    def __init__(self, block: Block):
        super().__init__(type(block).__name__)
        self.block = block


def flow(blocks: list[Block], template: SheetTemplate, body: float) -> list[list]:
    """Place blocks into the template's body columns; a list of body items per sheet."""
    ctx = replace(template.ctx, body=body)
    frame = template.frame()
    gap_size = ctx.em(float(template.design.get("body.block_gap")))
    sheets: list[list] = [[]]
    column = 0
    x, top, width, height = frame.columns[0]
    y = top
    pending = list(blocks)
    while pending:
        block = pending.pop(0)
        gap = gap_size if y < top - 1e-6 else 0.0
        available = height - (top - y) - gap
        first, rest = block.split(ctx, width, available)
        if first is not None:
            sheets[-1] += first.place(ctx, x, y - gap, width)
            y -= gap + first.height(ctx, width)
        if rest is not None:
            if first is None and y >= top - 1e-6:
                raise LayoutOverflow(rest)
            column += 1
            if column == len(frame.columns):
                column = 0
                sheets.append([])
            x, top, width, height = frame.columns[column]
            y = top
            pending.insert(0, rest)
    return sheets


def fit(blocks: list[Block], template: SheetTemplate) -> list[Sheet]:
    scale = template.scale
    steps = max(int(round((scale.body - scale.floor) / SIZE_STEP)), 0)
    sizes = [scale.body - i * SIZE_STEP for i in range(steps + 1)]  # largest first

    def attempt(size: float) -> list[list] | None:
        try:
            return flow(blocks, template, size)
        except LayoutOverflow:
            return None

    at_floor = attempt(sizes[-1])
    if at_floor is None:
        raise LayoutOverflow(blocks[0])
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
    total = len(bodies)
    sheets = []
    for number, body in enumerate(bodies, start=1):
        items = template.header_items(number, total) + body + template.footer_items(number, total)
        sheets.append(Sheet(template.width, template.height, items, number, total, size))
    return sheets
