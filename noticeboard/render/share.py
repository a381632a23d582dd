"""share.png: the whole notice as one tall picture, 1080 px wide, for village WeChat groups.

Drawn from the same parts as the online copy (render/site.py walks the sheet's own blocks),
set for a phone held upright: the WeChat viewer shows a 1080 px picture across the screen,
so the body is 40 px (about 13 CSS px on a 3× phone) and wide tables are cards, one row a
card, as on the phone page. The QR code, the address and the 核验码 come at the end.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from ..layout.fonts import FontStack
from ..layout.frame import QR_CAPTION
from ..layout.qr import qr_matrix
from ..layout.text import wrap
from . import site as site_pages

WIDTH = 1080
MARGIN = 60
INNER = WIDTH - 2 * MARGIN
BODY = 40
LEADING = 1.55
RED = "#b3141b"
TEXT = "#1a1a1a"
MUTED = "#404040"
RULE = "#bbbbbb"
QR_MODULE = 10  # px: 37 modules of a version-3 code with its quiet zone make a 370 px code


@cache
def _pil_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def draw_text(
    pen: ImageDraw.ImageDraw,
    stack: FontStack,
    x: float,
    baseline: float,
    text: str,
    size: float,
    bold: bool = False,
    colour: str = TEXT,
) -> None:
    """Text on its baseline, each run in the font that has its characters (rare names included)."""
    for face, run in stack.runs(text, bold):
        pen.text((x, baseline), run, font=_pil_font(str(face.path), round(size)), fill=colour, anchor="ls")
        x += stack.width(run, size, bold)


@dataclass
class _Op:
    kind: str
    args: tuple


@dataclass
class Picture:
    """Drawing operations recorded top to bottom, so the picture's height is known before it is drawn."""

    stack: FontStack
    ops: list[_Op] = field(default_factory=list)
    y: float = 0.0

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return self.stack.width(text, size, bold)

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool = False, colour: str = TEXT) -> None:
        self.ops.append(_Op("text", (x, baseline, text, size, bold, colour)))

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str | None = None,
        outline: str | None = None,
        width: int = 2,
    ) -> None:
        self.ops.append(_Op("rect", (x, y, w, h, fill, outline, width)))

    def lines(
        self,
        text: str,
        x: float,
        width: float,
        size: float,
        bold: bool = False,
        colour: str = TEXT,
        align: str = "left",
        leading: float = LEADING,
    ) -> float:
        """Wrapped text from the current y; returns the height taken and moves y below it."""
        step = size * leading
        top = self.y
        for line in wrap(text, width, size, self.stack, bold) or [""]:
            spare = width - self.width(line, size, bold)
            left = x + {"left": 0, "right": spare, "center": spare / 2}[align]
            self.text(left, self.y + size * 1.05, line, size, bold, colour)
            self.y += step
        return self.y - top

    def draw(self, height: int) -> Image.Image:
        image = Image.new("RGB", (WIDTH, height), "white")
        pen = ImageDraw.Draw(image)
        for op in self.ops:
            if op.kind == "rect":
                x, y, w, h, fill, outline, width = op.args
                if w < 1 or h < 1:  # a bar for nothing (a zero or negative figure) draws nothing
                    continue
                pen.rectangle(
                    (round(x), round(y), round(x + w) - 1, round(y + h) - 1),
                    fill=fill,
                    outline=outline,
                    width=width if outline else 0,
                )
            elif op.kind == "text":
                draw_text(pen, self.stack, *op.args)
            elif op.kind == "qr":
                x, y, matrix = op.args
                image.paste((0, 0, 0), (x, y), _modules_mask(matrix))
        return image


def _modules_mask(matrix: list[list[bool]]) -> Image.Image:
    """The code's dark modules as a mask, QR_MODULE px a module: one paste, the same pixels as a
    rectangle per module (a thousand of them) would give."""
    size = len(matrix)
    mask = Image.frombytes("L", (size, size), bytes(255 if dark else 0 for row in matrix for dark in row))
    return mask.resize((size * QR_MODULE, size * QR_MODULE), Image.Resampling.NEAREST)


def _table(picture: Picture, part: site_pages.HtmlTable) -> None:
    if part.caption:
        picture.y += 10
        picture.lines(part.caption, MARGIN, INNER, 36, True)
        picture.y += 6
    if part.cards:
        for cells, _strong, total, indent in part.rows:
            _card(picture, part, cells, total, indent)
    else:
        _grid(picture, part)
    picture.y += 24


def _card(picture: Picture, part: site_pages.HtmlTable, cells, total: bool, indent: int) -> None:
    inset = 28 * min(indent, 2)
    x, width = MARGIN + inset, INNER - inset
    top = picture.y
    ops_before = len(picture.ops)
    picture.y += 18
    text_x, text_width = x + 30, width - 54
    if part.title_column is not None:
        title = cells[part.title_column].text
        if part.prefix_column is not None and cells[part.prefix_column].text:
            title = f"{cells[part.prefix_column].text}　{title}"
        picture.lines(title, text_x, text_width, 42, True)
    if part.key_column is not None:
        key = cells[part.key_column]
        picture.lines(part.headers[part.key_column], text_x, text_width, 28, False, MUTED, leading=1.3)
        if key.bar is not None:
            bar_width = text_width * 0.55
            picture.rect(text_x, picture.y + 14, bar_width, 34, "white", "#555555", 2)
            picture.rect(
                text_x + 3,
                picture.y + 17,
                max(0.0, (bar_width - 6) * key.bar),
                28,
                RED if "late" in key.look else ("#1f5c3a" if "done" in key.look else "#6f8fb3"),
            )
            picture.text(text_x + bar_width + 20, picture.y + 56, key.text, 60, True)
            picture.y += 72
        else:
            picture.lines(key.text, text_x, text_width, 60, True, leading=1.25)
    pairs = [
        i
        for i in range(len(cells))
        if i not in (part.title_column, part.key_column, part.prefix_column) and cells[i].text
    ]
    # figures sit three to a line (a finance row), words two: each pair reads without wrapping
    per_row = 3 if pairs and all(part.numeric[i] for i in pairs) else 2
    slot = (text_width - 30 * (per_row - 1)) / per_row
    column = 0
    row_top = row_bottom = picture.y
    for index in pairs:
        cell = cells[index]
        look = site_pages.BADGES.get(cell.text)
        colour = {"late": RED, "done": "#1f5c3a"}.get(look or "", TEXT)
        if picture.width(cell.text, 36) > slot or picture.width(part.headers[index], 28) > slot:
            picture.y = row_bottom if column else picture.y
            column = 0
            picture.y += 6
            picture.lines(part.headers[index], text_x, text_width, 28, False, MUTED, leading=1.3)
            picture.lines(cell.text, text_x, text_width, 36, cell.strong or bool(look), colour)
            row_top = row_bottom = picture.y
            continue
        picture.y = row_top + 6
        left = text_x + column * (slot + 30)
        picture.lines(part.headers[index], left, slot, 28, False, MUTED, leading=1.3)
        picture.lines(cell.text, left, slot, 36, cell.strong or bool(look), colour)
        row_bottom = max(row_bottom, picture.y)
        column += 1
        if column == per_row:
            column = 0
            row_top = row_bottom
    picture.y = max(row_bottom, picture.y) + 16
    # the card's box and its red edge go under the text: inserted before the card's own operations
    box = [
        _Op("rect", (x, top, width, picture.y - top, "#fbf3e6" if total else "white", RULE, 2)),
        _Op("rect", (x, top, 8, picture.y - top, RED if not indent else "#d98a8e", None, 0)),
    ]
    picture.ops[ops_before:ops_before] = box
    picture.y += 16


def _grid(picture: Picture, part: site_pages.HtmlTable) -> None:
    """A table narrow enough to stay a table; a long narrow one (a voter list) runs in two or three columns."""
    size, pad, gap = 32, 10, 30
    natural = [
        max(
            [picture.width(part.headers[i], size, True)]
            + [picture.width(cells[i].text, size) for cells, *_ in part.rows]
        )
        + 2 * pad
        for i in range(len(part.headers))
    ]
    across = max(1, min(3, int((INNER + gap) // (sum(natural) + gap)), -(-len(part.rows) // 8)))
    room = (INNER - gap * (across - 1)) / across
    scale = min(1.0, room / sum(natural))
    widths = [w * scale for w in natural]

    def row(left: float, texts: list[str], bold: bool, fill: str | None) -> None:
        top = picture.y
        start = len(picture.ops)
        bottom = top
        x = left
        for index, (text, width) in enumerate(zip(texts, widths)):
            picture.y = top + pad * 0.6
            align = "right" if part.numeric[index] and picture.width(text, size, bold) <= width - 2 * pad else "left"
            picture.lines(text, x + pad, width - 2 * pad, size, bold, align=align, leading=1.45)
            bottom = max(bottom, picture.y + pad * 0.4)
            x += width
        boxes = []
        x = left
        for width in widths:
            boxes.append(_Op("rect", (x, top, width + 2, bottom - top + 2, fill, RULE, 2)))
            x += width
        picture.ops[start:start] = boxes
        picture.y = bottom

    top = picture.y
    lowest = top
    per_column = -(-len(part.rows) // across)
    for column in range(across):
        picture.y = top
        left = MARGIN + column * (room + gap)
        row(left, part.headers, True, "#f4e1e1")
        for cells, strong, total, _ in part.rows[column * per_column : (column + 1) * per_column]:
            row(left, [c.text for c in cells], strong or total, "#fbf3e6" if total else None)
        lowest = max(lowest, picture.y)
    picture.y = lowest


def _chart(picture: Picture, part: site_pages.HtmlChart) -> None:
    """The sheet's chart: per category a light outlined track (预算数, 100%), a dark thinner fill (累计数),
    the 序时进度 dashed across every bar, and the figures under the bar, where nothing else is drawn."""
    picture.y += 10
    picture.lines(part.title, MARGIN, INNER, 36, True)
    if part.elapsed is not None:
        picture.lines(f"虚线为{part.elapsed_label}（全年已过的比例）", MARGIN, INNER, 30, False, MUTED)
    track = INNER
    for row in part.rows:
        picture.y += 8
        picture.lines(row.category, MARGIN, INNER, 34, True)
        top = picture.y + 6
        picture.rect(MARGIN, top, track * part.budget_end, 40, "#d9d9d9", "#4d4d4d", 2)
        picture.rect(MARGIN, top + 10, track * row.fill, 20, "#b3141b")
        if part.elapsed is not None:
            x = MARGIN + track * part.elapsed
            for dash in range(0, 56, 14):  # dashes, as on the sheet: a line, not another bar
                picture.rect(x - 2, top - 8 + dash, 4, 9, "#1a1a1a")
        picture.y = top + 48
        percent = f"完成 {row.percent}%" if row.percent != "—" else "完成 —"
        picture.text(MARGIN, picture.y + 34, percent, 32, True)
        picture.text(
            MARGIN + picture.width(percent, 32, True) + 30,
            picture.y + 34,
            f"{part.series[1]} {row.actual}　{part.series[0]} {row.budget}",
            30,
            False,
            MUTED,
        )
        picture.y += 48
    picture.y += 24


def _stats(picture: Picture, part: site_pages.HtmlStats) -> None:
    per_row = 3
    gap = 20
    width = (INNER - gap * (per_row - 1)) / per_row
    for start in range(0, len(part.items), per_row):
        top = picture.y
        for offset, (label, value) in enumerate(part.items[start : start + per_row]):
            x = MARGIN + offset * (width + gap)
            picture.rect(x, top, width, 130, "white", "#999999", 2)
            picture.text(x + 20, top + 44, label, 28, False, MUTED)
            picture.text(x + 20, top + 106, value, 48, True)
        picture.y = top + 130 + gap
    picture.y += 10


# WeChat shows a long picture by scrolling; past about twenty screens nobody reads on, and a
# 1080 × 20,000 picture is already 65 MB while it is drawn (a 10,000-entry ledger would be gigabytes).
MAX_BODY = 20_000


def _cut(picture: Picture, limit: float) -> None:
    """Drop what lies below ``limit`` (every op keeps its top or baseline second) and clip what crosses it."""
    kept = []
    for op in picture.ops:
        y = op.args[1]
        if op.kind == "text" and y > limit:
            continue
        if op.kind == "rect":
            if y >= limit:
                continue
            x, top, w, h, fill, outline, width = op.args
            if top + h > limit:
                op = _Op("rect", (x, top, w, limit - top, fill, outline, width))
        kept.append(op)
    picture.ops = kept
    picture.y = limit


def share_png(page: site_pages.NoticePage, stack: FontStack, url: str) -> bytes:
    """The notice as one PNG, 1080 px wide, from the online copy's parts."""
    picture = Picture(stack)
    # the red band with the title
    band_start = len(picture.ops)
    picture.y = 44
    picture.lines(page.title, MARGIN, INNER, 56, True, "white", leading=1.35)
    picture.y += 8
    by_line = f"{page.issuer}　{page.date_text}" + (f"　{page.status}" if page.status else "")
    picture.lines(by_line, MARGIN, INNER, 32, False, "white")
    picture.y += 28
    picture.ops.insert(band_start, _Op("rect", (0, 0, WIDTH, picture.y, RED, None, 0)))
    picture.y += 30
    if page.draft:
        picture.lines("草稿：尚未完成审核签批，不是正式公开版本。", MARGIN, INNER, 38, True, RED)
    for item in page.meta:
        picture.lines(item, MARGIN, INNER, 32, False, MUTED)
    picture.y += 20
    for part in page.parts:
        if part.tag == "heading":
            picture.y += 24
            top = picture.y
            size = 46 if part.level <= 2 else 42
            picture.lines(part.text, MARGIN + (24 if part.level <= 2 else 0), INNER - 24, size, True, leading=1.4)
            if part.level <= 2:
                picture.rect(MARGIN, top + 6, 8, picture.y - top - 10, RED)
            picture.y += 10
        elif part.tag == "paragraph":
            text = "".join(t for t, _ in part.spans)
            bold = len(part.spans) == 1 and part.spans[0][1]
            picture.lines(text, MARGIN, INNER, 34 if part.muted else BODY, bold, MUTED if part.muted else TEXT)
            picture.y += 14
        elif part.tag == "table":
            _table(picture, part)
        elif part.tag == "chart":
            _chart(picture, part)
        elif part.tag == "stats":
            _stats(picture, part)
        elif part.tag == "list":
            picture.y += 20
            picture.lines(part.label, MARGIN, INNER, 46, True)
            for number, item in enumerate(part.items, 1):
                picture.lines(f"{number}. {item}", MARGIN + 20, INNER - 20, BODY)
        elif part.tag == "signature":
            picture.y += 30
            picture.lines(part.issuer, MARGIN, INNER, BODY, align="right")
            picture.lines(part.date_text, MARGIN, INNER, BODY, align="right")
    if picture.y > MAX_BODY:  # a year's ledger or a county's voter list: the picture shows the start
        _cut(picture, MAX_BODY)
        picture.y += 20
        picture.lines(
            "……内容较长，这张图只印了前面一部分。完整内容请扫描下方二维码，查看网上公开版本。",
            MARGIN,
            INNER,
            38,
            True,
            RED,
        )
    # the end: 监督电话, the QR code that opens the online copy, its address and the 核验码
    picture.y += 30
    picture.rect(MARGIN, picture.y, INNER, 5, RED)
    picture.y += 30
    if page.hotline:
        picture.lines(f"监督电话：{page.hotline}", MARGIN, INNER, 44, True)
    picture.lines(f"{page.issuer}　{page.date_text}", MARGIN, INNER, 34, False, MUTED)
    picture.y += 30
    matrix = qr_matrix(url)
    side = len(matrix) * QR_MODULE
    picture.ops.append(_Op("qr", ((WIDTH - side) // 2, round(picture.y), matrix)))
    picture.y += side + 10
    picture.lines(QR_CAPTION, MARGIN, INNER, 38, True, align="center")
    picture.lines(url, MARGIN, INNER, 30, False, MUTED, align="center")
    if page.code:
        picture.lines(f"核验码：{page.code}", MARGIN, INNER, 44, True, align="center")
        picture.lines(
            "与公开栏纸质版二维码旁的核验码一致，即为同一版本。", MARGIN, INNER, 30, False, MUTED, align="center"
        )
    picture.y += 50
    image = picture.draw(round(picture.y))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
