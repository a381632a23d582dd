"""What layout hands to the renderers: sheets of positioned items, in PDF points.

Coordinates have their origin at the lower left of the page, as in PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)  # a register of 10,000 households lays out 100,000 of these
class TextItem:
    x: float  # left end of the baseline
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"
    role: str = "sans"  # which typeface (fonts.ROLES): the notice's title, body and headings have their own


@dataclass(slots=True)
class RectItem:
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(slots=True)
class LineItem:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float


@dataclass
class QRItem:
    x: float
    y: float
    size: float  # side, quiet zone included
    matrix: list[list[bool]]  # quiet zone included
    url: str


@dataclass
class ImageItem:
    x: float
    y: float
    w: float
    h: float
    path: str


Item = TextItem | RectItem | LineItem | QRItem | ImageItem


@dataclass
class Sheet:
    width: float
    height: float
    items: list = field(default_factory=list)
    number: int = 1
    total: int = 1
    body_size: float = 0.0  # the body type size chosen by fitting, for tests and reports

    def texts(self) -> list[str]:
        return [item.text for item in self.items if isinstance(item, TextItem)]
