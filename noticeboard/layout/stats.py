"""A strip of figure tiles (e.g. counts by status and a mean), read first from across the room.

Each tile shows a label over a large figure. A tile may carry a legend swatch in a
bar look (see bars.py), so the strip also explains the bars below it. Tiles share the
width evenly and wrap onto further rows when the column is too narrow for them all.

Design keys under ``style`` (default "stats"), sizes × body size:
    label_size, value_size, pad, gap, fill, frame, frame_width (mm), strong_frame_width (mm)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bars import swatch_items
from .blocks import PT_PER_MM, Block, Ctx
from .sheet import RectItem, TextItem

SWATCH = (1.6, 0.8)  # × label size: width and height of a legend swatch
SWATCH_GAP = 0.4  # × label size between the swatch and its label


@dataclass
class Stat:
    label: str
    value: str
    look: str | None = None  # design key of a bar look: a legend swatch before the label
    strong: bool = False  # heavier frame and bold label, so it stands out without colour


@dataclass
class StatStrip(Block):
    stats: list[Stat]
    style: str = "stats"

    role = "stats"  # figures the kind computes: no user string among them

    def _get(self, ctx: Ctx, key: str, default):
        return ctx.design.get(f"{self.style}.{key}", default)

    def _sizes(self, ctx: Ctx) -> tuple[float, float, float, float]:
        """(label size, value size, padding, gap between tiles) in points."""
        return (
            ctx.em(float(self._get(ctx, "label_size", 1.0))),
            ctx.em(float(self._get(ctx, "value_size", 2.0))),
            ctx.em(float(self._get(ctx, "pad", 0.6))),
            ctx.em(float(self._get(ctx, "gap", 0.8))),
        )

    def _label_width(self, ctx: Ctx, stat: Stat, size: float) -> float:
        swatch = size * (SWATCH[0] + SWATCH_GAP) if stat.look else 0.0
        return swatch + ctx.stack.width(stat.label, size, stat.strong)

    def _grid(self, ctx: Ctx, width: float) -> tuple[int, int, float]:
        """(tiles per row, rows, tile width)."""
        label, value, pad, gap = self._sizes(ctx)
        widest = max(max(self._label_width(ctx, s, label), ctx.stack.width(s.value, value, True)) for s in self.stats)
        need = widest + 2 * pad
        per_row = max(1, min(len(self.stats), int((width + gap) // (need + gap))))
        rows = math.ceil(len(self.stats) / per_row)
        return per_row, rows, (width - gap * (per_row - 1)) / per_row

    def _tile_height(self, ctx: Ctx) -> float:
        label, value, pad, _ = self._sizes(ctx)
        return 2 * pad + label * ctx.line_height + value * 1.25

    def height(self, ctx, width):
        if not self.stats:
            return 0.0
        _, rows, _ = self._grid(ctx, width)
        gap = self._sizes(ctx)[3]
        return rows * self._tile_height(ctx) + (rows - 1) * gap

    def place(self, ctx, x, top, width):
        if not self.stats:
            return []
        label_size, value_size, pad, gap = self._sizes(ctx)
        per_row, _, tile_width = self._grid(ctx, width)
        tile_height = self._tile_height(ctx)
        text_colour = ctx.design.get("colours.text")
        frame = self._get(ctx, "frame", "#4D4D4D")
        items: list = []
        for index, stat in enumerate(self.stats):
            row, col = divmod(index, per_row)
            left = x + col * (tile_width + gap)
            tile_top = top - row * (tile_height + gap)
            frame_width = float(self._get(ctx, "strong_frame_width" if stat.strong else "frame_width", 0.3)) * PT_PER_MM
            items.append(
                RectItem(
                    left,
                    tile_top - tile_height,
                    tile_width,
                    tile_height,
                    fill=self._get(ctx, "fill", None),
                    stroke=frame,
                    stroke_width=frame_width,
                )
            )
            # label line, centred, with its swatch
            label_left = left + (tile_width - self._label_width(ctx, stat, label_size)) / 2
            line_top = tile_top - pad
            baseline = line_top - (ctx.line_height * label_size - label_size) / 2 - label_size * 0.88
            if stat.look:
                sw, sh = SWATCH[0] * label_size, SWATCH[1] * label_size
                centre = line_top - ctx.line_height * label_size / 2
                items += swatch_items(label_left, centre - sh / 2, sw, sh, ctx.design.get(stat.look) or {})
                label_left += sw + SWATCH_GAP * label_size
            items.append(TextItem(label_left, baseline, stat.label, label_size, stat.strong, text_colour))
            # the figure
            value_width = ctx.stack.width(stat.value, value_size, True)
            value_baseline = line_top - ctx.line_height * label_size - value_size * 1.02
            items.append(
                TextItem(
                    left + (tile_width - value_width) / 2, value_baseline, stat.value, value_size, True, text_colour
                )
            )
        return items
