"""Fitting: the largest legible body size that needs the fewest sheets; nothing dropped.

Body text shrinks from the design's preferred size down to the paper's floor. If
the content still does not fit one sheet at the floor, it flows onto as many
sheets as it needs at the floor's sheet count, and the size is raised again as
far as that count allows. A single sheet that the preferred size leaves less than
``body.fill`` full grows its type (headings, tables and charts with it) up to
``body.grow`` times the preferred size, as far as it still fits the one sheet.

Charts float: a chart that fits whole in the space under a block that cannot start
there takes that space, and when a block would run over the foot of a sheet while it
fits whole on the next, the charts after it may fill this sheet instead, so that the
table reads on one sheet and no column is left half empty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .blocks import PT_PER_MM, Block, strands_next
from .frame import SheetTemplate
from .sheet import Sheet

SIZE_STEP = 0.25  # points
MAX_AUTO_COLUMNS = 24  # a bound for "auto" columns, far above what any paper takes
FLOATING_ROLES = ("chart",)  # blocks that may move ahead of the one before them, into space it leaves
GAP_TOLERANCE = 20 * PT_PER_MM  # a float may take a sheet's space from a table only if it leaves less than this unused


class LayoutOverflow(Exception):
    """A block does not fit even an empty frame; callers report it, never cut it."""

    def __init__(self, block: Block):
        super().__init__(type(block).__name__)
        self.block = block


@dataclass
class Filled:
    """One sheet's body: its items, what goes on to the next sheet, and how much of each column it used."""

    items: list
    pending: list[Block]
    used: list[float]  # points from the top of each column to the foot of its last block
    carried: int | None = None  # index in the sheet's input of the block that begins here and runs over


def auto_columns(blocks: list[Block], template: SheetTemplate, body: float) -> int:
    """As many body columns as the widest of the blocks' narrowest widths allows at ``body``."""
    ctx = replace(template.ctx, body=body)
    need = max((block.min_width(ctx) for block in blocks), default=0.0)
    count = 1
    while need > 0 and count < MAX_AUTO_COLUMNS and template.column_width(count + 1) >= need:
        count += 1
    return count


def _floats(block: Block) -> bool:
    return block.role in FLOATING_ROLES


def _fill_sheet(
    pending: list[Block], columns: list, ctx, gap_size: float, limit: float | None = None, floats: bool = False
) -> Filled:
    """Fill one sheet's columns from ``pending``.

    ``limit`` caps every column's height (balancing); without it, a block that fits no
    empty column raises LayoutOverflow. With ``floats``, the charts later in ``pending`` that
    fit whole in the space left under a block that cannot start there are set in that space.
    """
    items: list = []
    queue = list(enumerate(pending))  # (where it stood in ``pending``, the block or the part of it still to set)
    used: list[float] = []
    carried: int | None = None
    for x, top, width, height in columns:
        if limit is not None:
            height = min(height, limit)
        y = top
        while queue:
            origin, block = queue.pop(0)
            gap = gap_size if y < top - 1e-6 else 0.0
            available = height - (top - y) - gap
            first, rest = block.split(ctx, width, available)
            if (
                first is not None
                and rest is not None
                and y < top - 1e-6
                and _whole_elsewhere(block, ctx, width, height)
            ):
                first, rest = None, block  # a chart that an empty column takes whole is not cut in two
            if (
                first is not None
                and rest is None
                and y < top - 1e-6
                and strands_next([block] + [b for _, b in queue], ctx, width, available, gap_size)
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
            if first is None and floats and not _floats(block) and y < top - 1e-6:
                y = _set_floats(queue, items, ctx, (x, y, top, width, height), gap_size)
            if rest is not None:
                queue.insert(0, (origin, rest))
                carried = origin if first is not None else None
                break
            carried = None
        used.append(top - y)
        if not queue:
            break
    used += [0.0] * (len(columns) - len(used))
    return Filled(items, [block for _, block in queue], used, carried if queue else None)


def _whole_elsewhere(block: Block, ctx, width: float, height: float) -> bool:
    """Is ``block`` a chart that an empty column of ``height`` would take whole?"""
    return _floats(block) and block.height(ctx, width) <= height + 1e-6


def _set_floats(queue: list, items: list, ctx, column: tuple, gap_size: float) -> float:
    """Set the charts of ``queue`` that fit whole under the column's foot, in their order (one that does
    not fit stops the rest: charts never overtake each other); where the column now ends. A chart that
    a heading keeps with stays with it."""
    x, y, top, width, height = column
    index = 0
    while index < len(queue):
        block = queue[index][1]
        if _floats(block) and not (index > 0 and queue[index - 1][1].keep_with_next):
            first, rest = block.split(ctx, width, height - (top - y) - gap_size)
            if first is None or rest is not None:
                break
            items += first.place(ctx, x, y - gap_size, width)
            y -= gap_size + first.height(ctx, width)
            queue.pop(index)
            continue
        index += 1
    return y


def _unused(filled: Filled, columns: list) -> float:
    return sum(column[3] for column in columns) - sum(filled.used)


def _sheet(pending: list[Block], columns: list, ctx, gap_size: float, floats: bool) -> Filled:
    """One sheet from ``pending``. With ``floats``: a block that begins here and would run over the sheet's
    foot, though it fits whole on a sheet of its own, begins the next sheet instead when the charts after
    it fill the space it leaves (to within GAP_TOLERANCE): the table is read on one sheet."""
    filled = _fill_sheet(pending, columns, ctx, gap_size, floats=floats)
    index = filled.carried
    if not floats or not index:  # None, or 0: the sheet's first block, perhaps continued from the last sheet
        return filled
    charts = [block for block in pending[index + 1 :] if _floats(block)]
    if not charts or _fill_sheet([pending[index]], columns, ctx, gap_size).pending:
        return filled  # nothing to move up, or the block runs over a whole sheet anyway
    for count in range(len(charts), 0, -1):
        trial = _fill_sheet(pending[:index] + charts[:count], columns, ctx, gap_size, floats=True)
        if trial.pending or _unused(trial, columns) > _unused(filled, columns) + GAP_TOLERANCE:
            continue
        moved = {id(block) for block in charts[:count]}
        return Filled(trial.items, [b for b in pending[index:] if id(b) not in moved], trial.used, None)
    return filled


def _balanced_sheet(pending: list[Block], columns: list, ctx, gap_size: float) -> Filled | None:
    """The last sheet with its columns evened out: the shortest column height that still takes
    everything, so a list ends in columns of equal length instead of one full and one stub."""
    low, high = 0.0, max(height for _, _, _, height in columns)
    best = None
    while high - low > ctx.body * 0.5:
        middle = (low + high) / 2
        filled = _fill_sheet(pending, columns, ctx, gap_size, limit=middle)
        if filled.pending:
            low = middle
        else:
            best, high = filled, middle
    return best


def _column_count(blocks: list[Block], template: SheetTemplate, body: float, columns: int | str | None) -> int:
    setting = template.column_setting() if columns is None else columns
    return auto_columns(blocks, template, body) if setting == "auto" else int(setting)


def flow_sheets(
    blocks: list[Block], template: SheetTemplate, body: float, columns: int | str | None = None, balance: bool = False
) -> tuple[list[Filled], list]:
    """The sheets' bodies at ``body`` and the body columns they were filled into."""
    ctx = replace(template.ctx, body=body)
    frame = template.frame(_column_count(blocks, template, body, columns))
    gap_size = ctx.em(float(template.design.get("body.block_gap")))
    floats = any(_floats(block) for block in blocks)
    sheets: list[Filled] = []
    pending = list(blocks)
    while pending:
        filled = _sheet(pending, frame.columns, ctx, gap_size, floats)
        if not filled.pending and balance and len(frame.columns) > 1:
            filled = _balanced_sheet(pending, frame.columns, ctx, gap_size) or filled
        sheets.append(filled)
        pending = filled.pending
    return sheets or [Filled([], [], [0.0] * len(frame.columns))], frame.columns


def flow(
    blocks: list[Block], template: SheetTemplate, body: float, columns: int | str | None = None, balance: bool = False
) -> list[list]:
    """Place blocks into the template's body columns; a list of body items per sheet.

    ``columns`` overrides the design's column count; "auto" takes as many as fit at
    ``body``. With ``balance`` the columns of the last sheet are evened out.
    """
    sheets, _ = flow_sheets(blocks, template, body, columns, balance)
    return [filled.items for filled in sheets]


def fill_ratio(sheet: Filled, columns: list) -> float:
    """How much of a sheet's body its blocks take: the used height of every column over their whole height."""
    whole = sum(column[3] for column in columns)
    return sum(sheet.used) / whole if whole > 0 else 1.0


def _grown(blocks: list[Block], template: SheetTemplate, columns: int | str | None, best: tuple) -> tuple:
    """A single sheet under ``body.fill`` full at the preferred size: the largest size up to ``body.grow`` times
    it that still fits one sheet (a step search, as downwards); otherwise ``best`` as it is."""
    size, sheets, frame_columns = best
    body = template.scale.body
    limit = body * float(template.design.get("body.grow", 1.0))
    target = float(template.design.get("body.fill", 0.0))
    if len(sheets) != 1 or size < body - 1e-6 or limit <= body or fill_ratio(sheets[0], frame_columns) >= target:
        return best
    sizes = [body + i * SIZE_STEP for i in range(round((limit - body) / SIZE_STEP) + 1)]  # smallest first
    low, high = 0, len(sizes) - 1  # sizes[low] is known to fit
    while low < high:
        middle = (low + high + 1) // 2
        try:
            result, result_columns = flow_sheets(blocks, template, sizes[middle], columns)
        except LayoutOverflow:
            result = []
        if len(result) == 1:
            best = (sizes[middle], result, result_columns)
            low = middle
        else:
            high = middle - 1
    return best


def fit(blocks: list[Block], template: SheetTemplate, columns: int | str | None = None) -> list[Sheet]:
    """``columns``: as for ``flow``; None takes the design's. "auto" columns also balance the last sheet."""
    scale = template.scale
    steps = max(round((scale.body - scale.floor) / SIZE_STEP), 0)
    sizes = [scale.body - i * SIZE_STEP for i in range(steps + 1)]  # largest first

    def attempt(size: float) -> tuple[list[Filled], list] | None:
        try:
            return flow_sheets(blocks, template, size, columns)
        except LayoutOverflow:
            return None

    try:
        at_floor, floor_columns = flow_sheets(blocks, template, sizes[-1], columns)
    except LayoutOverflow:
        if _column_count(blocks, template, sizes[-1], columns) == 1:
            raise  # the culprit block goes up to the caller, which names it
        columns = 1  # the design's columns are too narrow for this content: give it the full width
        return fit(blocks, template, columns)
    target = len(at_floor)
    # binary search for the largest size that still needs only `target` sheets
    low, high = 0, len(sizes) - 1  # sizes[high] is known to work
    best = (sizes[-1], at_floor, floor_columns)
    while low < high:
        middle = (low + high) // 2
        result = attempt(sizes[middle])
        if result is not None and len(result[0]) <= target:
            best = (sizes[middle], *result)
            high = middle
        else:
            low = middle + 1
    best = _grown(blocks, template, columns, best)
    size, filled, _ = best
    bodies = [sheet.items for sheet in filled]
    if (template.column_setting() if columns is None else columns) == "auto":
        bodies = flow(blocks, template, size, columns, balance=True)  # same sheets, the last one evened out
    total = len(bodies)
    sheets = []
    for number, body in enumerate(bodies, start=1):
        items = template.header_items(number, total) + body + template.footer_items(number, total)
        sheets.append(Sheet(template.width, template.height, items, number, total, size))
    return sheets
