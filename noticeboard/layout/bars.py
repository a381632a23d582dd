"""Progress bars composed from plain rectangles and lines, so no renderer knows about them.

A bar has a track (the whole length, 100%) and a fill drawn to scale inside it. Its
look comes from a design mapping, so that states can differ in more than colour and
still read on a black-and-white printout:

    fill: "#1F5130"        colour of the filled part (omit for none)
    hatch: "#B3141B"       draw diagonal hatching in this colour over the fill
    outline: "#1A1A1A"     colour of the track's outline
    outline_width: 0.09    × bar height
    track: "#FFFFFF"       colour of the empty part

Every look is meant to be told apart by pattern and weight as well as by hue.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sheet import LineItem, RectItem

HATCH_STEP = 0.45  # × bar height between hatch lines
HATCH_WIDTH = 0.11  # × bar height, stroke of a hatch line
DEFAULT_OUTLINE = "#4D4D4D"


@dataclass
class CellBar:
    """A bar a table cell draws before its text: ``fraction`` of the track, in the look at ``look``."""

    fraction: float  # 0..1, clamped when drawn
    look: str  # a design key holding the look mapping, e.g. "progress.late"


def hatch_segments(x: float, y: float, w: float, h: float, step: float) -> list[tuple[float, float, float, float]]:
    """45° lines (rising to the right) every ``step`` points, clipped to the rectangle."""
    segments: list[tuple[float, float, float, float]] = []
    if w <= 0 or h <= 0 or step <= 0:
        return segments
    # a line is x' - y' = c in rectangle-local coordinates; c runs from -h to w
    c = -h + step / 2
    while c < w:
        x1, y1 = (c, 0.0) if c >= 0 else (0.0, -c)
        end = min(w, c + h)
        x2, y2 = end, end - c
        segments.append((x + x1, y + y1, x + x2, y + y2))
        c += step
    return segments


def bar_items(x: float, y: float, w: float, h: float, fraction: float, look: dict) -> list:
    """Items for one bar whose track is (x, y, w, h); the fill is ``fraction`` of ``w``, from the left."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = w * fraction
    outline = look.get("outline", DEFAULT_OUTLINE)
    outline_width = float(look.get("outline_width", 0.06)) * h
    items: list = []
    if look.get("track"):
        items.append(RectItem(x, y, w, h, fill=look["track"]))
    if filled > 0:
        if look.get("fill"):
            items.append(RectItem(x, y, filled, h, fill=look["fill"]))
        if look.get("hatch"):
            for x1, y1, x2, y2 in hatch_segments(x, y, filled, h, h * HATCH_STEP):
                items.append(LineItem(x1, y1, x2, y2, look["hatch"], h * HATCH_WIDTH))
            # a firm edge where the hatched part ends, so its length reads exactly
            items.append(LineItem(x + filled, y, x + filled, y + h, look["hatch"], outline_width))
    items.append(RectItem(x, y, w, h, stroke=outline, stroke_width=outline_width))
    return items


def swatch_items(x: float, y: float, w: float, h: float, look: dict) -> list:
    """A legend swatch: a full bar in the look."""
    return bar_items(x, y, w, h, 1.0, look)
