"""Exact ISO 216 A-series sizes."""

from __future__ import annotations

from reportlab.lib.units import mm

# ISO 216 sizes in millimetres; PDF page boxes are these converted exactly to points.
A_SIZES_MM = {
    "A0": (841, 1189),
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
}


def page_size(paper: str, orientation: str = "portrait") -> tuple[float, float]:
    """Width and height in points."""
    short, long = A_SIZES_MM[paper]
    if orientation == "landscape":
        return long * mm, short * mm
    return short * mm, long * mm
