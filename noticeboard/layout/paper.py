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

# SPEC §3: the least QR side on each paper, quiet zone included, for a code of version 3; a design may
# ask for more, never less, and a denser code grows from it (layout/qr.py side_for_version)
QR_MINIMUM_MM = {"A5": 25.0, "A4": 30.0, "A3": 40.0, "A2": 55.0, "A1": 75.0, "A0": 100.0}


def page_size(paper: str, orientation: str = "portrait") -> tuple[float, float]:
    """Width and height in points."""
    short, long = A_SIZES_MM[paper]
    if orientation == "landscape":
        return long * mm, short * mm
    return short * mm, long * mm
