"""Text printed over text, found from the glyph boxes of a PDF page (pypdfium2).

A glyph box is the tight box of one character's ink as pdfium places it on the page, with every
transformation (form XObjects, scaling, rotation) applied, cut to the clip its text is drawn
through: a tile shows the poster through a window, and a glyph cut by the window's edge does not
reach into the border where the tile's own labels are. Two glyphs of *different* lines whose
boxes cross by more than a small tolerance are printed over each other: a villager reads neither.
Glyphs of one line (the same baseline) may touch or kern into each other; only a glyph drawn on
top of another almost entirely (the same character set twice, or two runs on one baseline) counts.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

TOLERANCE_PT = 0.3  # ink boxes of neighbouring lines may graze by this much (anti-aliasing, accents)
SHARE = 0.15  # …or by this share of the smaller glyph's height, whichever is larger
SAME_LINE_SHARE = 0.5  # on one baseline: an overprint only when this share of the smaller box is covered


@dataclass(frozen=True)
class Glyph:
    index: int  # pdfium's character index on the page
    char: str
    left: float
    bottom: float
    right: float
    top: float
    origin_x: float
    origin_y: float
    object: int = 0  # the text object it belongs to (its address): which was painted first

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def width(self) -> float:
        return self.right - self.left

    def __str__(self) -> str:
        return f"「{self.char}」({self.left:.1f}, {self.bottom:.1f})–({self.right:.1f}, {self.top:.1f})"


@dataclass(frozen=True)
class Overprint:
    page: int  # 0-based
    a: Glyph
    b: Glyph
    context_a: str  # a few characters around each glyph, to say which text it is
    context_b: str

    def __str__(self) -> str:
        return f"第{self.page + 1}页：{self.a}「{self.context_a}」压在 {self.b}「{self.context_b}」上"


Rect = tuple[float, float, float, float]  # left, bottom, right, top
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _times(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer``: a form's matrix inside its container's."""
    a, b, c, d, e, f = inner
    return (
        a * outer[0] + b * outer[2],
        a * outer[1] + b * outer[3],
        c * outer[0] + d * outer[2],
        c * outer[1] + d * outer[3],
        e * outer[0] + f * outer[2] + outer[4],
        e * outer[1] + f * outer[3] + outer[5],
    )


def _meet(a: Rect | None, b: Rect | None) -> Rect | None:
    if a is None or b is None:
        return a or b
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _clip_rect(obj, matrix: Matrix) -> Rect | None:
    """The bounding box of an object's clip path in page space (None: not clipped)."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    rect: Rect | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        points = []
        for index in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            points.append(_apply(matrix, x.value, y.value))
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            rect = _meet(rect, (min(xs), min(ys), max(xs), max(ys)))  # the paths intersect
    return rect


def _matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _address(obj) -> int:
    """A page object's identity: pdfium hands out the same pointer for it each time."""
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _covers(outer: Rect, inner: Rect) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


@dataclass
class PageObjects:
    """What the glyph boxes alone do not say: where each text object's clip lets it show, the order
    things are painted in, and the opaque rectangles painted over what came before (knock-outs)."""

    clips: dict[int, Rect] = field(default_factory=dict)  # text object address -> page-space clip box
    order: dict[int, int] = field(default_factory=dict)  # text object address -> painting order
    knockouts: list[tuple[int, Rect]] = field(default_factory=list)  # painting order, page-space box

    def hidden(self, a: Glyph, b: Glyph, where: Rect) -> bool:
        """Is ``where`` of the glyph painted first covered by an opaque rectangle painted before the other?"""
        first, last = sorted((self.order.get(a.object, -1), self.order.get(b.object, -1)))
        return any(first < order < last and _covers(box, where) for order, box in self.knockouts)


def _opaque_rectangle(obj, matrix: Matrix) -> Rect | None:
    """A filled, fully opaque, axis-aligned rectangle (a white box behind a label), in page space."""
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, mode, stroke) or mode.value == 0:
        return None
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) or a.value < 255:
        return None
    own = _matrix(obj)
    if own[1] or own[2] or pdfium_c.FPDFPath_CountSegments(obj) > 5:
        return None  # rotated, or not a rectangle: its box would claim to cover more than it does
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    corners = [_apply(matrix, x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def page_objects(page: pdfium.PdfPage) -> PageObjects:
    found = PageObjects()
    counter = iter(range(1 << 30))

    def walk(objects: list, matrix: Matrix, outer: Rect | None) -> None:
        for obj in objects:
            clip = _meet(outer, _clip_rect(obj, matrix))
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                found.order[_address(obj)] = next(counter)
                if clip is not None:
                    found.clips[_address(obj)] = clip
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                box = _opaque_rectangle(obj, matrix)
                if box is not None:
                    found.knockouts.append((next(counter), _meet(box, clip) or box))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                inner = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
                walk(inner, _times(_matrix(obj), matrix), clip)

    top = [pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))]
    walk(top, IDENTITY, None)
    return found


def glyphs(textpage: pdfium.PdfTextPage, clips: dict[int, Rect] | None = None) -> list[Glyph]:
    """Every printed character of a page with a box that has ink (spaces and generated breaks left
    out), each box cut to its text object's clip (``PageObjects.clips``; a glyph clipped away is left out)."""
    found = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            continue
        char = textpage.get_text_range(index, 1)
        if not char or char.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        owner = _address(pdfium_c.FPDFText_GetTextObject(textpage.raw, index))
        clip = (clips or {}).get(owner)
        if clip is not None:
            left, bottom = max(left, clip[0]), max(bottom, clip[1])
            right, top = min(right, clip[2]), min(top, clip[3])
        if right - left <= 0 or top - bottom <= 0:
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        found.append(Glyph(index, char, left, bottom, right, top, x.value, y.value, owner))
    return found


def _same_line(a: Glyph, b: Glyph) -> bool:
    """One baseline: horizontal text set in one line (or two runs meeting on it)."""
    return abs(a.origin_y - b.origin_y) <= 0.2 * min(a.height, b.height)


def _crossing(a: Glyph, b: Glyph) -> tuple[float, float]:
    return min(a.right, b.right) - max(a.left, b.left), min(a.top, b.top) - max(a.bottom, b.bottom)


def overprints_of(found: list[Glyph], objects: PageObjects | None = None) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs printed over each other (a sweep along x: pages hold thousands of glyphs),
    but for a glyph knocked out by an opaque box painted between the two (``objects``)."""
    pairs = []
    ordered = sorted(found, key=lambda g: g.left)
    active: list[Glyph] = []
    for glyph in ordered:
        active = [g for g in active if g.right > glyph.left]
        for other in active:
            dx, dy = _crossing(glyph, other)
            if dx <= 0 or dy <= 0:
                continue
            where = (
                max(glyph.left, other.left),
                max(glyph.bottom, other.bottom),
                min(glyph.right, other.right),
                min(glyph.top, other.top),
            )
            if objects is not None and objects.hidden(glyph, other, where):
                continue
            if _same_line(glyph, other):
                smaller = min(glyph.width * glyph.height, other.width * other.height)
                if dx * dy > SAME_LINE_SHARE * smaller:
                    pairs.append((other, glyph))
                continue
            tolerance = max(TOLERANCE_PT, SHARE * min(glyph.height, other.height))
            if dx > tolerance and dy > tolerance:
                pairs.append((other, glyph))
        active.append(glyph)
    return pairs


def _context(textpage: pdfium.PdfTextPage, index: int, count: int) -> str:
    start = max(0, index - 6)
    return "".join(textpage.get_text_range(start, min(count, index + 7) - start).split())


def page_overprints(page: pdfium.PdfPage, number: int = 0) -> list[Overprint]:
    textpage = page.get_textpage()
    objects = page_objects(page)
    try:
        count = textpage.count_chars()
        return [
            Overprint(number, a, b, _context(textpage, a.index, count), _context(textpage, b.index, count))
            for a, b in overprints_of(glyphs(textpage, objects.clips), objects)
        ]
    finally:
        textpage.close()


def pdf_overprints(path: Path | str | bytes, pages: range | None = None) -> list[Overprint]:
    """Every overprint on the given pages (default all) of a PDF file or PDF bytes."""
    document = pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        found = []
        for number in pages if pages is not None else range(len(document)):
            page = document[number]
            try:
                found += page_overprints(page, number)
            finally:
                page.close()
        return found
    finally:
        document.close()


def report(found: list[Overprint], limit: int = 10) -> str:
    """The first few overprints as lines a reviewer can find on the sheet."""
    lines = [str(o) for o in found[:limit]]
    if len(found) > limit:
        lines.append(f"……另有 {len(found) - limit} 处")
    return "\n".join(lines)
