"""The 办理流程 of a service guide as a flowchart: boxes and arrows a person in the queue can follow.

Steps run top-down in one column; a decision is a diamond whose "next" exit goes down
(是) and whose other exit goes right (否), either to an end box beside it (退回补正) or
along a lane down to a later step (the paths rejoin). A long flow wraps into two columns
joined by a connector through the gutter, and beyond that continues on the next sheet.

``arrange`` is pure geometry (boxes, polylines, text lines) so that tests can check that
no two boxes overlap, every arrow joins two boxes and text stays inside its box without
drawing anything; ``Flowchart.place`` turns it into sheet items.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..models import Text
from .blocks import Block, Ctx
from .sheet import LineItem, RectItem, TextItem
from .text import wrap

STEP, DECISION, END = "step", "decision", "end"
LONG_FLOW = 6  # steps and decisions from which a flow wraps into two columns where the width allows


@dataclass(frozen=True)
class FlowNode:
    kind: str  # step | decision | end
    text: str
    detail: str = ""  # 经办：便民服务中心 · 1个工作日


@dataclass(frozen=True)
class FlowEdge:
    source: int  # node indexes
    target: int
    label: str = ""  # 是 / 否


@dataclass
class Box:
    node: int
    kind: str
    x: float  # left, in the block's own coordinates: x to the right, y downwards from the top
    y: float  # top
    w: float
    h: float
    lines: list[tuple[str, float, bool, float, float]]  # (text, size, bold, left, baseline from the top)

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x + self.w <= other.x
            or other.x + other.w <= self.x
            or self.y + self.h <= other.y
            or other.y + other.h <= self.y
        )

    def touches(self, point: tuple[float, float], tolerance: float = 0.5) -> bool:
        px, py = point
        return (
            self.x - tolerance <= px <= self.x + self.w + tolerance
            and self.y - tolerance <= py <= self.y + self.h + tolerance
        )


@dataclass
class Arrow:
    points: list[tuple[float, float]]
    label: str = ""
    label_at: tuple[float, float] = (0.0, 0.0)  # left end of the label's baseline
    source: int | None = None  # node indexes; None for a connector to or from another sheet
    target: int | None = None


@dataclass
class Arrangement:
    boxes: list[Box]
    arrows: list[Arrow]
    height: float
    texts: list[tuple[str, float, float, float]] = field(default_factory=list)  # free labels: text, size, x, baseline


@dataclass
class Flowchart(Block):
    nodes: list[FlowNode]
    edges: list[FlowEdge]
    main: list[int] | None = None  # the steps and decisions this part shows, in order; None: all
    columns: int | None = None  # None: two when the flow is long and the column wide enough, else one
    from_before: bool = False  # continues a flow begun on the sheet before
    to_after: bool = False  # goes on on the next sheet
    sources: tuple[Text, ...] = ()  # the steps, conditions and outcomes as printed, at their lines

    role = "flow"

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)

    # -- geometry ------------------------------------------------------------------------------

    def _main(self) -> list[int]:
        return self.main if self.main is not None else [i for i, n in enumerate(self.nodes) if n.kind != END]

    def _size(self, ctx: Ctx) -> float:
        return ctx.em(float(ctx.design.get("flow.size", 1.0)))

    def _columns(self, ctx: Ctx, width: float) -> int:
        # Decided by the flow, not by the room left: the fitter shrinks type until a sheet holds
        # everything, and a long flow set in one column would take that room from what follows.
        if self.columns is not None:
            return self.columns
        return 2 if len(self._main()) >= LONG_FLOW and width >= self._min_two_columns(ctx) else 1

    def arrange(self, ctx: Ctx, width: float, columns: int | None = None) -> Arrangement:
        columns = columns or self._columns(ctx, width)
        size = self._size(ctx)
        small = size * float(ctx.design.get("flow.detail_size", 0.8))
        lh = ctx.line_height
        pad = size * 0.5
        gap = size * float(ctx.design.get("flow.gap", 1.9))  # room for an arrow and its 是/否
        gutter = size * 2.5 if columns == 2 else 0.0
        column_width = (width - gutter) / columns
        main_w = column_width * 0.56
        side_x = column_width * 0.68
        side_w = column_width - side_x
        lane_step = size * 0.9
        main = self._main()
        shown = set(main)
        side_of: dict[int, int] = {}  # decision -> end node drawn beside it
        for edge in self.edges:
            if edge.source in shown and self.nodes[edge.target].kind == END:
                side_of[edge.source] = edge.target

        def text_lines(text: str, wrap_width: float, text_size: float, bold: bool) -> list[str]:
            return wrap(text, max(wrap_width, text_size * 2), text_size, ctx.stack, bold)

        def make_box(index: int, x: float, y: float, w: float) -> Box:
            node = self.nodes[index]
            if node.kind == DECISION:
                inner = w * 0.62  # a diamond's text sits in its middle
                lines = text_lines(
                    node.text + "？" if not node.text.endswith(("？", "?")) else node.text, inner - pad, size, True
                )
                text_h = len(lines) * size * lh
                h = max(text_h * 2.0 + pad * 2, size * 4)
                top = (h - text_h) / 2
                placed = [
                    (
                        line,
                        size,
                        True,
                        x + (w - ctx.stack.width(line, size, True)) / 2,
                        top + (i + 1) * size * lh - (lh - 1) * size / 2,
                    )
                    for i, line in enumerate(lines)
                ]
                return Box(index, DECISION, x, y, w, h, [(t, s, b, left, y + base) for t, s, b, left, base in placed])
            main_lines = [
                (line, size, node.kind == STEP) for line in text_lines(node.text, w - 2 * pad, size, node.kind == STEP)
            ]
            detail_lines = (
                [(line, small, False) for line in text_lines(node.detail, w - 2 * pad, small, False)]
                if node.detail
                else []
            )
            placed = []
            cursor = pad
            for text, text_size, bold in main_lines + detail_lines:
                cursor += text_size * lh
                left = x + (w - ctx.stack.width(text, text_size, bold)) / 2
                placed.append((text, text_size, bold, left, y + cursor - (lh - 1) * text_size / 2))
            return Box(index, node.kind, x, y, w, cursor + pad, placed)

        # split the main sequence into columns of about equal height, never inside a lane
        heights = [make_box(i, 0, 0, main_w).h for i in main]
        spans = [
            (main.index(e.source), main.index(e.target))
            for e in self.edges
            if e.source in shown and e.target in shown and main.index(e.target) > main.index(e.source) + 1
        ]
        cut = len(main)
        if columns == 2 and len(main) > 1:
            total = sum(heights) + gap * len(main)
            best = None
            running = 0.0
            for position in range(1, len(main)):
                running += heights[position - 1] + gap
                if any(a < position <= b for a, b in spans):
                    continue
                score = abs(running - total / 2)
                if best is None or score < best[0]:
                    best = (score, position)
            cut = best[1] if best else len(main)
        groups = [main[:cut], main[cut:]] if cut < len(main) else [main]

        boxes: list[Box] = []
        arrows: list[Arrow] = []
        texts: list[tuple[str, float, float, float]] = []
        placed: dict[int, Box] = {}
        bottoms = []
        for column, group in enumerate(groups):
            left = column * (column_width + gutter)
            y = gap if (column > 0 or self.from_before) else 0.0
            for index in group:
                box = make_box(index, left, y, main_w)
                side = None
                if index in side_of:
                    side = make_box(side_of[index], left + side_x, y, side_w)
                    row_h = max(box.h, side.h)
                    box.y += (row_h - box.h) / 2
                    box.lines = [(t, s, b, lx, base + (row_h - box.h) / 2) for t, s, b, lx, base in box.lines]
                    side.y += (row_h - side.h) / 2
                    side.lines = [(t, s, b, lx, base + (row_h - side.h) / 2) for t, s, b, lx, base in side.lines]
                    boxes.append(side)
                    placed[side.node] = side
                    y += row_h + gap
                else:
                    y += box.h + gap
                boxes.append(box)
                placed[index] = box
            bottoms.append(y - gap)
        height = max(bottoms) + (gap if self.to_after else 0.0)

        def bottom_of(box: Box) -> tuple[float, float]:
            return box.x + box.w / 2, box.y + box.h

        def top_of(box: Box) -> tuple[float, float]:
            return box.x + box.w / 2, box.y

        label_size = size * 0.9
        lanes: list[tuple[float, float, int]] = []  # (from y, to y, lane number) in use
        for position, index in enumerate(main):
            box = placed[index]
            outgoing = [e for e in self.edges if e.source == index]
            for edge in outgoing:
                target = placed.get(edge.target)
                if target is None:
                    continue
                label_at = (0.0, 0.0)
                if target.kind == END and self.nodes[index].kind == DECISION:
                    start = (box.x + box.w, box.y + box.h / 2)
                    points = [start, (target.x, start[1])]
                    label_at = (start[0] + label_size * 0.4, start[1] - label_size * 0.4)
                elif main.index(edge.target) == position + 1 and target.x == box.x:
                    start = bottom_of(box)
                    points = [start, top_of(target)]
                    label_at = (start[0] + label_size * 0.5, start[1] + label_size * 1.2)
                elif main.index(edge.target) == position + 1:  # the connector to the next column
                    start, end = bottom_of(box), top_of(target)
                    mid_x = box.x + column_width + gutter / 2
                    points = [
                        start,
                        (start[0], start[1] + gap / 2),
                        (mid_x, start[1] + gap / 2),
                        (mid_x, end[1] - gap / 2),
                        (end[0], end[1] - gap / 2),
                        end,
                    ]
                    label_at = (start[0] + label_size * 0.5, start[1] + label_size * 1.2)
                else:  # down a lane to a later step: the paths rejoin
                    start = (box.x + box.w, box.y + box.h / 2) if self.nodes[index].kind == DECISION else bottom_of(box)
                    end = (target.x + target.w, target.y + target.h / 2)
                    used = {lane for a, b, lane in lanes if not (end[1] < a or b < start[1])}
                    lane = next(n for n in range(len(lanes) + 1) if n not in used)
                    lanes.append((start[1], end[1], lane))
                    lane_x = box.x + main_w + lane_step * (lane + 1)
                    points = [start, (lane_x, start[1]), (lane_x, end[1]), end]
                    label_at = (start[0] + label_size * 0.4, start[1] - label_size * 0.4)
                arrows.append(Arrow(points, edge.label, label_at, index, edge.target))
        if self.from_before and groups[0]:
            first = placed[groups[0][0]]
            end = top_of(first)
            arrows.append(
                Arrow([(end[0], 0.0), end], "接上张", (end[0] + label_size * 0.5, label_size * 1.1), None, first.node)
            )
        if self.to_after and groups[-1]:
            last = placed[groups[-1][-1]]
            start = bottom_of(last)
            arrows.append(
                Arrow(
                    [start, (start[0], start[1] + gap)],
                    "续下张",
                    (start[0] + label_size * 0.5, start[1] + gap * 0.7),
                    last.node,
                    None,
                )
            )
        return Arrangement(boxes, arrows, height, texts)

    # -- the Block protocol --------------------------------------------------------------------

    def _min_two_columns(self, ctx: Ctx) -> float:
        return self._size(ctx) * 34  # each column keeps boxes about eight characters wide

    def height(self, ctx, width):
        return self.arrange(ctx, width).height

    def min_width(self, ctx):
        return self._size(ctx) * 16

    def split(self, ctx, width, available):
        if self.height(ctx, width) <= available + 1e-6:
            return self, None
        if self._columns(ctx, width) == 1 and width >= self._min_two_columns(ctx):
            two = replace(self, columns=2)
            if two.height(ctx, width) <= available + 1e-6:
                return two, None
        return self._split_across(ctx, width, available)

    def split_forced(self, ctx, width, available):
        head, rest = self.split(ctx, width, available)
        if head is None and rest is not None and len(rest._main()) > 1:
            main = rest._main()
            return (
                replace(rest, main=main[:1], to_after=True),
                replace(rest, main=main[1:], from_before=True, columns=1),
            )
        return head, rest

    def _split_across(self, ctx, width, available):
        """The longest run of steps that fits here, cut where no lane crosses; the rest goes on."""
        main = self._main()
        spans = [
            (main.index(e.source), main.index(e.target)) for e in self.edges if e.source in main and e.target in main
        ]
        columns = 2 if width >= self._min_two_columns(ctx) else 1
        for cut in range(len(main) - 1, 0, -1):
            if any(a < cut <= b for a, b in spans):
                continue
            head = replace(self, main=main[:cut], to_after=True, columns=columns)
            if head.height(ctx, width) <= available + 1e-6:
                return head, replace(self, main=main[cut:], from_before=True, columns=1)
        return None, self

    def place(self, ctx, x, top, width):
        arrangement = self.arrange(ctx, width)
        design = ctx.design
        stroke = design.get("flow.stroke", "#1A1A1A")
        line_width = float(design.get("flow.line_width", 0.35)) * 72 / 25.4
        text_colour = design.get("colours.text")
        items: list = []
        for box in arrangement.boxes:
            bx, by = x + box.x, top - box.y - box.h
            if box.kind == DECISION:
                cx, cy = bx + box.w / 2, by + box.h / 2
                corners = [(cx, by + box.h), (bx + box.w, cy), (cx, by), (bx, cy)]
                for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1]):
                    items.append(LineItem(x1, y1, x2, y2, stroke, line_width))
            else:
                fill = design.get("flow.end_fill" if box.kind == END else "flow.step_fill", "#FFFFFF")
                items.append(
                    RectItem(
                        bx,
                        by,
                        box.w,
                        box.h,
                        fill=fill,
                        stroke=stroke,
                        stroke_width=line_width * (0.8 if box.kind == END else 1.0),
                    )
                )
            for text, size, bold, left, baseline in box.lines:
                items.append(TextItem(x + left, top - baseline, text, size, bold, text_colour))
        head = self._size(ctx) * 0.45
        for arrow in arrangement.arrows:
            points = [(x + px, top - py) for px, py in arrow.points]
            for (x1, y1), (x2, y2) in pairwise(points):
                items.append(LineItem(x1, y1, x2, y2, stroke, line_width))
            (x1, y1), (x2, y2) = points[-2], points[-1]
            length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-6)
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            for side in (1, -1):  # the arrowhead: two short strokes back from the tip
                items.append(
                    LineItem(
                        x2,
                        y2,
                        x2 - head * ux + side * head * 0.55 * uy,
                        y2 - head * uy - side * head * 0.55 * ux,
                        stroke,
                        line_width,
                    )
                )
            if arrow.label:
                lx, ly = arrow.label_at
                items.append(
                    TextItem(x + lx, top - ly, arrow.label, self._size(ctx) * 0.9, True, design.get("colours.accent"))
                )
        return items

    def as_list(self) -> list[str]:
        """The flow as numbered sentences, for the online copy and screen readers."""
        main = [i for i, n in enumerate(self.nodes) if n.kind != END]
        number = {index: position + 1 for position, index in enumerate(main)}
        out = []
        for index in main:
            node = self.nodes[index]
            if node.kind == STEP:  # the list numbers the steps; a branch says 转第N步 by that number
                out.append(node.text + (f"（{node.detail}）" if node.detail else ""))
                continue
            exits = []
            for edge in (e for e in self.edges if e.source == index):
                target = self.nodes[edge.target]
                where = f"转第{number[edge.target]}步" if target.kind != END else target.text
                exits.append(f"{edge.label}：{where}")
            out.append(f"判断{node.text}——" + "；".join(exits))
        return out
