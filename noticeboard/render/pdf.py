"""Turn laid-out sheets into PDF bytes with reportlab; no layout decisions here."""

from __future__ import annotations

import io
import re
import sys
from array import array
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from ..layout.fonts import FontStack
from ..layout.sheet import (
    ImageItem,
    LineItem,
    QRItem,
    RectItem,
    Sheet,
    TextItem,
)

rl_config.useA85 = 0  # binary page streams: saving is 3× faster and files smaller than with ASCII85 text


@lru_cache(maxsize=64)
def _colour(hex_code: str) -> HexColor:
    return HexColor(hex_code)


@lru_cache(maxsize=64)
def _fill_operator(hex_code: str) -> str:
    """What ``setFillColor`` writes for this colour: reportlab's own number formatting, worked out once."""
    colour = _colour(hex_code)
    return f"{fp_str((colour.red, colour.green, colour.blue))} rg"


@lru_cache(maxsize=8192)
def _numbers(*values: float) -> str:
    # a letter run draws its lines at the same few hundred places on every page
    return fp_str(*values)


def _fast(canvas: Canvas) -> bool:
    """Can text be written straight into the page stream, as drawString would write it?"""
    return canvas.bottomup and canvas._enforceColorSpace is None and type(canvas)._escape is Canvas._escape


def _set_fill(canvas: Canvas, hex_code: str) -> None:
    """``canvas.setFillColor(HexColor(hex_code))``, the same operators and state, without its dispatch."""
    colour = _colour(hex_code)
    canvas._code.append(_fill_operator(hex_code))
    canvas._fillColorObj = colour
    if colour.alpha is not None:  # setFillColor passes a colour's own alpha on (1: the ExtGState stays as it is)
        canvas.setFillAlpha(colour.alpha)


# escapePDF (what Canvas._escape calls) of each byte, as a table for str.translate
_ESCAPES = {code: escapePDF(bytes((code,))) for code in range(256)}
_NBSP = {0xA0: 0x20}  # splitString draws a no-break space as the space
_RUNS = re.compile(rb"(.)\1*", re.DOTALL)


def _split(font: TTFont, text: str, doc) -> list[tuple[int, bytes]]:
    """``font.splitString(text, doc)`` when every character already has its code in this document.

    A new character (or one the font lacks) takes reportlab's own path, which assigns codes.
    With the codes known, the subsets are the runs of equal high bytes, found without a loop
    in Python: a CJK line often switches subsets every few characters.
    """
    state = font.state.get(doc)
    if state is None:
        return font.splitString(text, doc)
    if "\xa0" in text:
        text = text.translate(_NBSP)
    try:
        codes = list(map(state.assignments.__getitem__, map(ord, text)))
    except KeyError:
        return font.splitString(text, doc)
    if not codes:
        return []
    if max(codes) < 256:
        return [(0, bytes(codes))]
    if max(codes) > 0xFFFF:
        return font.splitString(text, doc)
    packed = array("H", codes)
    if sys.byteorder != "little":
        packed.byteswap()
    raw = packed.tobytes()
    low, high = raw[0::2], raw[1::2]
    return [(high[m.start()], low[m.start() : m.end()]) for m in _RUNS.finditer(high)]


def _font_switch(canvas: Canvas, font: TTFont, subset: int, size: float, leading: float) -> str:
    """``/F1+0 12 Tf 14.4 TL`` for this canvas's document, remembered on the canvas."""
    names = canvas.__dict__.setdefault("_noticeboard_switches", {})
    key = (font.fontName, subset, size, leading)
    switch = names.get(key)
    if switch is None:
        name = font.getSubsetInternalName(subset, canvas._doc)
        switch = names[key] = f"{name} {_numbers(size)} Tf {_numbers(leading)} TL"
    return switch


def _draw_string(canvas: Canvas, font: TTFont, size: float, x: float, y: float, text: str) -> None:
    """``canvas.setFont(font, size); canvas.drawString(x, y, text)`` for a TrueType font, byte for byte.

    drawString builds a text object, measures the string (for bidi, which is off) and formats
    each number anew; a letter run draws 60,000 lines, so this writes the same operators directly:
    the position, each subset's font switch at this size and leading, and the escaped codes.
    """
    leading = size * 1.2
    canvas._fontname = font.fontName  # what setFont records, for anything drawn after
    canvas._fontsize = size
    canvas._leading = leading
    parts = []
    current = -1
    for subset, codes in _split(font, text, canvas._doc):
        if subset != current:
            parts.append(_font_switch(canvas, font, subset, size, leading))
            current = subset
        parts.append(f"({codes.decode('latin-1').translate(_ESCAPES)}) Tj")
    canvas._code.append(f"BT 1 0 0 1 {_numbers(x, y)} Tm {' '.join(parts)} T* ET")


def draw_text(canvas: Canvas, item: TextItem, stack: FontStack) -> None:
    x = item.x
    stack = stack.role(item.role)
    runs = stack.runs(item.text, item.bold)
    if not _fast(canvas):
        canvas.setFillColor(_colour(item.colour))
        for index, (face, run) in enumerate(runs):
            canvas.setFont(face.name, item.size)
            canvas.drawString(x, item.y, run)
            if index + 1 < len(runs):
                x += stack.width(run, item.size, item.bold)
        return
    _set_fill(canvas, item.colour)
    for index, (face, run) in enumerate(runs):
        _draw_string(canvas, face.load(), item.size, x, item.y, run)
        if index + 1 < len(runs):  # usually one run: the whole line in one face
            x += stack.width(run, item.size, item.bold)


def _draw_qr(canvas: Canvas, item: QRItem) -> None:
    canvas.setFillColor(HexColor("#FFFFFF"))
    canvas.rect(item.x, item.y, item.size, item.size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(_qr_path(tuple(map(tuple, item.matrix)), item.x, item.y, item.size), stroke=0, fill=1)


@lru_cache(maxsize=16)
def _qr_path(matrix: tuple[tuple[bool, ...], ...], x: float, y0: float, size: float) -> PDFPathObject:
    """The dark runs of each row as rectangles; the receipt register draws the same code on every sheet."""
    modules = len(matrix)
    unit = size / modules
    path = PDFPathObject()
    for row_index, row in enumerate(matrix):
        y = y0 + size - (row_index + 1) * unit
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                # a hair of overlap hides anti-aliasing seams between neighbouring runs
                path.rect(x + start * unit, y - 0.01, (col - start) * unit, unit + 0.02)
                start = None
    return path


def render_pdf(
    sheets: list[Sheet], stack: FontStack, *, title: str, author: str, subject: str = "", watermark: str | None = None
) -> bytes:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (sheets[0].width, sheets[0].height), stack, title=title, author=author, subject=subject)
    for sheet in sheets:
        canvas.setPageSize((sheet.width, sheet.height))
        draw_items(canvas, sheet.items, stack)
        if watermark:
            draw_watermark(canvas, sheet.width, sheet.height, watermark, stack)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def new_canvas(
    buffer: io.BytesIO, size: tuple[float, float], stack: FontStack, *, title: str, author: str, subject: str
) -> Canvas:
    # invariant=1 keeps the bytes identical for identical input, so the register can tell real changes
    # the initial font would otherwise be Helvetica: referenced, never embedded, and without CJK
    canvas = Canvas(
        buffer, pagesize=size, invariant=1, pageCompression=1, initialFontName=stack.primary.name, initialFontSize=10
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("noticeboard")
    return canvas


def draw_items(canvas: Canvas, items: list, stack: FontStack) -> None:
    for item in items:
        if isinstance(item, TextItem):
            draw_text(canvas, item, stack)
        elif isinstance(item, RectItem):
            if item.fill:
                canvas.setFillColor(HexColor(item.fill))
            if item.stroke:
                canvas.setStrokeColor(HexColor(item.stroke))
                canvas.setLineWidth(item.stroke_width)
            canvas.rect(item.x, item.y, item.w, item.h, stroke=1 if item.stroke else 0, fill=1 if item.fill else 0)
        elif isinstance(item, LineItem):
            canvas.setStrokeColor(HexColor(item.colour))
            canvas.setLineWidth(item.width)
            canvas.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, QRItem):
            _draw_qr(canvas, item)
        elif isinstance(item, ImageItem):
            canvas.drawImage(item.path, item.x, item.y, item.w, item.h, preserveAspectRatio=True, mask="auto")


def draw_watermark(canvas: Canvas, width: float, height: float, text: str, stack: FontStack) -> None:
    canvas.saveState()
    size = min(width, height) / 4
    canvas.setFillColor(HexColor("#B3141B"), alpha=0.15)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    width = stack.width(text, size, True)
    x = -width / 2
    for face, run in stack.runs(text, True):
        canvas.setFont(face.name, size)
        canvas.drawString(x, -size / 3, run)
        x += stack.width(run, size, True)
    canvas.restoreState()
