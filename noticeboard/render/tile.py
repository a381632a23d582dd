"""Tiling: a large poster printed on an office printer's A4 or A3 sheets, then glued together.

Each poster page becomes one form XObject, copied into the output once; every tile page and
the assembly map draw that XObject through a clip, so vector content stays vector and the
output grows only by the small per-tile frame (marks and labels drawn with reportlab).

Geometry, in points: a tile's printable window is the sheet less a 5 mm border on every side
(printers cannot print there, so no poster content goes there). The poster is cut into equal
strips, as few as cover it, so the grid is exactly the poster: no tile at an edge is mostly
blank, and each tile prints only its own strip (its viewport) inside the window. Neighbouring
viewports share ``overlap`` of poster content: the glue strip. Assembly is shingled: the right
tile is laid over its left neighbour's right strip, the upper row over the lower row's top strip,
so each tile is trimmed along its viewport's left edge (not in the first column) and bottom edge
(not in the last row), and the seams lie on those trimmed edges. A viewport sits on its sheet
where the white it leaves is cut off or covered: the first column's at the window's left edge,
the others' at its right; the last row's at the window's foot, the others' at its top. Marks and
labels go outside the viewport, so none prints over the poster.

QR codes across a seam: a caller that drew the poster (``build``) passes the QR squares it
knows. For any other PDF the codes are found with zxing-cpp on a low-resolution rendering
when zxing-cpp is installed; without it the check is skipped (``TileResult.qr_checked``).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..layout.fonts import FontStack, build_stack
from ..layout.paper import A_SIZES_MM
from ..layout.text import wrap

if TYPE_CHECKING:
    import pikepdf  # imported where used: the CLI loads this module, but only tiling needs qpdf

SHEETS = ("A4", "A3")
BORDER = 5 * mm  # printers' unprintable border: poster content never goes there
DEFAULT_OVERLAP_MM = 10.0
DAMAGED = "这个 PDF 已损坏，无法读取。请重新生成或重新下载。"  # qpdf's own reason is English and technical
LABEL_SIZE = 6.5  # points: fits the 5 mm border with room to spare
MARK = "#000000"
SEAM = "#D0021B"


class TileError(Exception):
    """The input cannot be tiled as asked; ``str(exc)`` is the Chinese message for the user."""


class TileRefused(TileError):
    """The poster needs no tiling: a refusal (exit 1), not a misuse of the command (exit 2)."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def scaled(self, factor: float, dx: float = 0.0, dy: float = 0.0) -> Box:
        return Box((self.x0 - dx) * factor, (self.y0 - dy) * factor, (self.x1 - dx) * factor, (self.y1 - dy) * factor)


@dataclass(frozen=True)
class Tile:
    number: int  # 1-based, reading order: rows top to bottom, columns left to right
    row: int  # 1-based from the top
    column: int  # 1-based from the left
    viewport: Box  # the part of the (scaled) poster this tile prints, poster coordinates
    x: float = BORDER  # where the viewport's lower-left corner is on the sheet
    y: float = BORDER

    @property
    def on_sheet(self) -> Box:
        """The viewport on the sheet: the clip the poster is printed through."""
        v = self.viewport
        return Box(self.x, self.y, self.x + v.x1 - v.x0, self.y + v.y1 - v.y0)


@dataclass
class Grid:
    """How one poster page is cut into tiles. Poster coordinates are scaled points, origin lower left."""

    sheet: str
    sheet_w: float  # the sheet in the orientation used
    sheet_h: float
    poster_w: float  # the poster after scaling
    poster_h: float
    overlap: float
    rows: int
    columns: int
    tiles: list[Tile] = field(default_factory=list)

    @property
    def window_w(self) -> float:
        return self.sheet_w - 2 * BORDER

    @property
    def window_h(self) -> float:
        return self.sheet_h - 2 * BORDER

    @property
    def landscape(self) -> bool:
        return self.sheet_w > self.sheet_h

    @property
    def extent(self) -> Box:
        """The union of all viewports: the poster itself."""
        return Box(
            self.tiles[0].viewport.x0, self.tiles[-1].viewport.y0, self.tiles[-1].viewport.x1, self.tiles[0].viewport.y1
        )

    def seams_x(self) -> list[float]:
        """Vertical seams: the trimmed left edges of columns 2…"""
        return [t.viewport.x0 for t in self.tiles if t.row == 1 and t.column > 1]

    def seams_y(self) -> list[float]:
        """Horizontal seams: the trimmed bottom edges of every row but the last."""
        return [t.viewport.y0 for t in self.tiles if t.column == 1 and t.row < self.rows]

    def visible(self, tile: Tile) -> Box:
        """What of a tile still shows once the board is assembled."""
        v = tile.viewport
        right = v.x1 - self.overlap if tile.column < self.columns else v.x1
        top = v.y1 - self.overlap if tile.row > 1 else v.y1
        return Box(v.x0, v.y0, right, top)


@dataclass
class TileResult:
    data: bytes
    grids: list[Grid]  # one per poster page
    warnings: list[str]
    qr_checked: bool

    @property
    def tile_count(self) -> int:
        return sum(len(g.tiles) for g in self.grids)


def sheet_size(sheet: str) -> tuple[float, float]:
    """Portrait width and height of a sheet, in points."""
    short, long = A_SIZES_MM[sheet]
    return short * mm, long * mm


def fits_on_sheet(width: float, height: float, sheet: str) -> bool:
    """Would a poster of this size (points) print whole on one sheet, in either orientation?"""
    short, long = sheet_size(sheet)
    tolerance = 0.01 * mm
    a, b = sorted((width, height))
    return a <= short + tolerance and b <= long + tolerance


def _count(length: float, window: float, overlap: float) -> int:
    """Fewest windows, each sharing ``overlap`` with the next, that cover ``length``."""
    return max(1, math.ceil((length - overlap) / (window - overlap) - 1e-9))


def _strip(length: float, count: int, overlap: float) -> float:
    """The length of each of ``count`` equal strips that cover ``length``, neighbours sharing ``overlap``."""
    return (length + (count - 1) * overlap) / count


def _offset(index: int, count: int, window: float, strip: float) -> float:
    """Where a strip starts on its sheet (x from the left, or y from the foot; ``index`` 0 is the
    first column, or the last row), so that the white it leaves is trimmed off or covered by the
    neighbour laid over it: one strip alone is centred; otherwise the first column sits against the
    window's left edge and the last row against its foot, every other against the opposite edge."""
    if count == 1:
        return BORDER + (window - strip) / 2
    return BORDER if index == 0 else BORDER + window - strip


def plan_grid(poster_w: float, poster_h: float, sheet: str, overlap: float) -> Grid:
    """The grid with the fewest tiles over both orientations of the sheet (ties: the less blank
    paper, then the poster's own orientation), cut into equal strips that are exactly the poster."""
    short, long = sheet_size(sheet)
    options = []
    for index, (sw, sh) in enumerate(((short, long), (long, short))):
        ww, wh = sw - 2 * BORDER, sh - 2 * BORDER
        columns, rows = _count(poster_w, ww, overlap), _count(poster_h, wh, overlap)
        blank = rows * columns * (ww * wh - _strip(poster_w, columns, overlap) * _strip(poster_h, rows, overlap))
        same_orientation = (sw > sh) == (poster_w > poster_h)
        options.append((rows * columns, round(blank), not same_orientation, index, sw, sh, rows, columns))
    *_, sw, sh, rows, columns = min(options)
    grid = Grid(sheet, sw, sh, poster_w, poster_h, overlap, rows, columns)
    strip_w, strip_h = _strip(poster_w, columns, overlap), _strip(poster_h, rows, overlap)
    for r in range(rows):
        y = _offset(rows - 1 - r, rows, grid.window_h, strip_h)
        for c in range(columns):
            x0 = c * (strip_w - overlap)
            y1 = poster_h - r * (strip_h - overlap)
            x = _offset(c, columns, grid.window_w, strip_w)
            viewport = Box(x0, y1 - strip_h, x0 + strip_w, y1)
            grid.tiles.append(Tile(r * columns + c + 1, r + 1, c + 1, viewport, x, y))
    return grid


def check_options(sheet: str, overlap_mm: float, scale: float) -> None:
    if sheet not in SHEETS:
        raise TileError(f"纸张只能是 {'、'.join(SHEETS)}，不能是「{sheet}」。")
    if not scale > 0:
        raise TileError("缩放比例（--scale）要大于 0，例如 1 表示原大，0.8 表示缩小到八成。")
    half = A_SIZES_MM[sheet][0] / 2
    if overlap_mm < 0:
        raise TileError("重叠宽度（--overlap）不能是负数。一般用 10 毫米。")
    if overlap_mm >= half:
        raise TileError(
            f"重叠宽度 {overlap_mm:g} 毫米太大：要小于纸张短边的一半（{sheet} 为 {half:g} 毫米）。一般用 10 毫米。"
        )


def _open(data: bytes) -> pikepdf.Pdf:
    import pikepdf

    if b"%PDF-" not in data[:1024]:
        raise TileError("这不是 PDF 文件。请给出 noticeboard build 生成的海报 PDF（out/print/ 里的 .pdf）。")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise TileError("这个 PDF 设了打开密码，无法读取。请用没有加密的原文件。") from exc
    except pikepdf.PdfError as exc:
        raise TileError(DAMAGED) from exc
    if pdf.is_encrypted:
        pdf.close()
        raise TileError("这个 PDF 已加密（设有权限密码），不能拆开重排。请用没有加密的原文件。")
    try:
        if len(pdf.pages) == 0:
            raise TileError("这个 PDF 没有任何页面，可能已损坏。请重新生成。")
    except pikepdf.PdfError as exc:
        raise TileError(DAMAGED) from exc
    return pdf


def _transformed_bbox(xobject: pikepdf.Object) -> Box:
    """The XObject's bounding box in the space it is drawn in (its /Matrix applied)."""
    x0, y0, x1, y1 = (float(v) for v in xobject.BBox)
    a, b, c, d, e, f = (float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    points = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


# --- QR codes across seams -------------------------------------------------------------------


def _find_qr_codes(data: bytes, boxes: list[Box]) -> list[list[Box]] | None:
    """QR squares per page in the poster's own coordinates, or None when zxing-cpp is not installed."""
    try:
        import zxingcpp
    except ImportError:
        return None
    import pypdfium2 as pdfium

    found: list[list[Box]] = []
    document = pdfium.PdfDocument(data)
    try:
        for page, _box in zip(document, boxes):
            if page.get_rotation() % 360:
                found.append([])
                continue
            left, bottom, right, top = page.get_cropbox()
            k = max(1.0, 3000 / max(right - left, top - bottom))  # about 3000 px: QR modules stay ≥ 3 px
            image = page.render(scale=k).to_pil()
            codes = []
            for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)):
                p = result.position
                xs = [pt.x for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
                ys = [pt.y for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
                codes.append(Box(left + min(xs) / k, top - max(ys) / k, left + max(xs) / k, top - min(ys) / k))
            found.append(codes)
    finally:
        document.close()
    return found


def seam_warnings(grid: Grid, qr: Box, page_label: str) -> list[str]:
    """A warning when a QR square (scaled poster coordinates) is crossed by a seam."""
    crossed = any(qr.x0 < x < qr.x1 for x in grid.seams_x()) or any(qr.y0 < y < qr.y1 for y in grid.seams_y())
    if not crossed:
        return []
    numbers = [t.number for t in grid.tiles if _intersects(grid.visible(t), qr)]
    return [
        f"{page_label}二维码跨过了第{'、'.join(map(str, numbers))}张之间的拼缝，贴好后可能扫不出来。"
        f"请把这几张仔细对齐贴平，或调整重叠宽度（--overlap）、缩放（--scale）让拼缝避开二维码。"
    ]


def _intersects(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


# --- drawing the frame: marks, labels, the assembly map ---------------------------------------


def _text(
    canvas: Canvas,
    stack: FontStack,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    colour: str = MARK,
    anchor: str = "start",
) -> float:
    width = stack.width(text, size, bold)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    canvas.setFillColor(HexColor(colour))
    for face, run in stack.runs(text, bold):
        canvas.setFont(face.name, size)
        canvas.drawString(x, y, run)
        x += stack.width(run, size, bold)
    return width


def _fit_text(stack: FontStack, text: str, size: float, width: float) -> str:
    """Cut text to a width, ending in an ellipsis where it was cut."""
    if stack.width(text, size) <= width:
        return text
    while text and stack.width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _tile_frame(canvas: Canvas, stack: FontStack, grid: Grid, tile: Tile, title: str, page_label: str) -> None:
    """Marks and labels of one tile, all outside its viewport (the poster is printed inside it)."""
    b = BORDER
    view = tile.on_sheet
    x0, y0, x1, y1 = view.x0, view.y0, view.x1, view.y1
    o = grid.overlap
    gap, length = 0.8 * mm, b - 2 * mm  # marks stop short of the viewport and of the paper edge
    canvas.setStrokeColor(HexColor(MARK))
    canvas.setLineWidth(0.4)
    # crop marks at the viewport's corners: the cut lines, extended outwards
    for x in (x0, x1):
        for y, outward in ((y0, -1), (y1, 1)):
            canvas.line(x, y + outward * gap, x, y + outward * (gap + length))
    for y in (y0, y1):
        for x, outward in ((x0, -1), (x1, 1)):
            canvas.line(x + outward * gap, y, x + outward * (gap + length), y)
    # glue strips: ticks where the neighbour's trimmed edge goes
    canvas.setStrokeColor(HexColor(SEAM))
    canvas.setDash(1.5, 1)
    glue_right = tile.column < grid.columns
    glue_top = tile.row > 1
    if glue_right:
        for y, outward in ((y0, -1), (y1, 1)):
            canvas.line(x1 - o, y + outward * gap, x1 - o, y + outward * (gap + length))
    if glue_top:
        for x, outward in ((x0, -1), (x1, 1)):
            canvas.line(x + outward * gap, y1 - o, x + outward * (gap + length), y1 - o)
    canvas.setDash()
    size = LABEL_SIZE
    # the label, in the band above the viewport (hidden under the next row once glued, or trimmed)
    label = (
        f"{page_label}第{tile.number}张（第{tile.row}行第{tile.column}列），共{len(grid.tiles)}张"
        f"　{grid.sheet}{'横放' if grid.landscape else '竖放'}"
    )
    baseline = y1 + (b - size * 0.72) / 2
    room = (x1 - x0) - 4 * mm
    glue_note = f"▼ 上边{o / mm:g}毫米是粘贴区" if glue_top else ""
    if glue_note:
        room -= stack.width(glue_note, size) + 4 * mm
        end = x1 - o - 2 * mm if glue_right else x1 - 2 * mm  # clear of the glue tick
        room -= x1 - end - 2 * mm
        _text(canvas, stack, end, baseline, glue_note, size, colour=SEAM, anchor="end")
    title_room = room - stack.width(label, size) - 3 * mm
    shown = _fit_text(stack, title, size, title_room) if title_room > 10 * mm else ""
    width = _text(canvas, stack, x0 + 2 * mm, baseline, label, size)
    if shown:
        _text(canvas, stack, x0 + 2 * mm + width + 3 * mm, baseline, shown, size)
    # the band below says whether to trim there
    baseline = y0 - b + (b - size * 0.72) / 2
    if tile.row < grid.rows:
        _text(canvas, stack, (x0 + x1) / 2, baseline, "✂ 沿下边的角线剪齐，压在下一行的粘贴区上", size, anchor="middle")
    # beside the viewport, set vertically
    for edge, note, colour in (
        (x0, "✂ 沿左边的角线剪齐，压在左边一张的粘贴区上" if tile.column > 1 else "", MARK),
        (x1, f"右边{o / mm:g}毫米是粘贴区，由右边一张压住" if glue_right else "", SEAM),
    ):
        if not note:
            continue
        canvas.saveState()
        centre = edge - b / 2 if edge == x0 else edge + b / 2
        canvas.translate(centre + size * 0.36, (y0 + y1) / 2)
        canvas.rotate(90)
        _text(canvas, stack, 0, 0, note, size, colour=colour, anchor="middle")
        canvas.restoreState()


@dataclass(frozen=True)
class _MapPlacement:
    sheet_w: float
    sheet_h: float
    k: float  # map points per poster point
    gx: float  # where the poster's origin falls on the map page
    gy: float


MAP_MARGIN = 15 * mm
MAP_STEPS_BAND = 40 * mm  # the assembly steps at the foot of the map
MAP_HEADINGS = 8.0  # 第1列 / 第1行, points
MAP_ROW_HEADINGS_W = 12 * mm


@dataclass
class _MapHeader:
    """The map's heading block, set before the picture so the picture goes below all of it."""

    lines: list[tuple[str, float, float]]  # text, size, baseline from the top of the page
    bottom: float  # from the top of the page: the lowest descender of the block


def _map_header(stack: FontStack, grid: Grid, title: str, page_label: str, scale: float, width: float) -> _MapHeader:
    lines: list[tuple[str, float, float]] = []
    y = MAP_MARGIN + 5 * mm
    lines.append((f"{page_label}拼贴示意图", 18, y))
    for line in wrap(title, width, 11, stack)[:2]:
        y += 6 * mm
        lines.append((line, 11, y))
    orientation = "横放" if grid.landscape else "竖放"
    sentence = (
        f"共{len(grid.tiles)}张 {grid.sheet} 纸（{orientation}）：{grid.rows}行 × {grid.columns}列，"
        f"相邻两张重叠 {grid.overlap / mm:g} 毫米；拼好后 {grid.poster_w / mm:.0f} × {grid.poster_h / mm:.0f} 毫米"
        + (f"（原大的 {scale:.0%}）" if abs(scale - 1) > 1e-9 else "（原大）")
        + "。"
    )
    y += 2 * mm  # a little air between the title and what the grid is
    for line in wrap(sentence, width, 9, stack):
        y += 4.5 * mm
        lines.append((line, 9, y))
    return _MapHeader(lines, y + 9 * 0.3)


def _map_placement(grid: Grid, header_bottom: float) -> _MapPlacement:
    """The picture below the header, the column headings and a gap included, above the steps;
    as large as fits, centred across and set against the top."""
    short, long = sheet_size(grid.sheet)
    sw, sh = (long, short) if grid.poster_w > grid.poster_h else (short, long)
    top = sh - header_bottom - 3 * mm - MAP_HEADINGS - 2.5 * mm  # headings: 2.5 mm over the grid
    left = MAP_MARGIN + MAP_ROW_HEADINGS_W
    box_w, box_h = sw - MAP_MARGIN - left, top - MAP_STEPS_BAND
    ext = grid.extent
    k = min(box_w / (ext.x1 - ext.x0), box_h / (ext.y1 - ext.y0))
    x = left + (box_w - k * (ext.x1 - ext.x0)) / 2
    return _MapPlacement(sw, sh, k, x - k * ext.x0, top - k * ext.y1)


def map_badges(grid: Grid, place: _MapPlacement) -> list[tuple[Tile, Box, float]]:
    """Each tile's number on the map: an opaque white box centred on what shows of the tile once
    assembled (it hides the poster under it, so the number is never printed over its text), and
    the number's size."""
    k = place.k
    size = max(8.0, min(22.0, k * min(grid.window_w, grid.window_h) / 6))
    badges = []
    for tile in grid.tiles:
        v = grid.visible(tile)
        cx, cy = place.gx + k * (v.x0 + v.x1) / 2, place.gy + k * (v.y0 + v.y1) / 2
        half_w = size * (0.45 + 0.3 * len(str(tile.number)))
        half_h = size * 0.7
        badges.append((tile, Box(cx - half_w, cy - half_h, cx + half_w, cy + half_h), size))
    return badges


def _map_page(canvas: Canvas, stack: FontStack, grid: Grid, title: str, page_label: str, scale: float) -> _MapPlacement:
    short, long = sheet_size(grid.sheet)
    head_width = (long if grid.poster_w > grid.poster_h else short) - 2 * MAP_MARGIN
    header = _map_header(stack, grid, title, page_label, scale, head_width)
    place = _map_placement(grid, header.bottom)
    sw, sh, k = place.sheet_w, place.sheet_h, place.k
    canvas.setPageSize((sw, sh))
    margin = MAP_MARGIN
    for line, size, baseline in header.lines:
        _text(canvas, stack, margin, sh - baseline, line, size)

    def at(x: float, y: float) -> tuple[float, float]:
        return place.gx + k * x, place.gy + k * y

    # the poster is drawn underneath (by the caller); the outline, seams and numbers go on top
    px0, py0 = at(0, 0)
    canvas.setStrokeColor(HexColor("#888888"))
    canvas.setLineWidth(0.5)
    canvas.rect(px0, py0, k * grid.poster_w, k * grid.poster_h, stroke=1, fill=0)
    ext = grid.extent
    ex0, ey0 = at(ext.x0, ext.y0)
    ex1, ey1 = at(ext.x1, ext.y1)
    canvas.setStrokeColor(HexColor(SEAM))
    canvas.setLineWidth(1.2)
    canvas.rect(ex0, ey0, ex1 - ex0, ey1 - ey0, stroke=1, fill=0)
    for x in grid.seams_x():
        canvas.line(at(x, 0)[0], ey0, at(x, 0)[0], ey1)
    for y in grid.seams_y():
        canvas.line(ex0, at(0, y)[1], ex1, at(0, y)[1])
    for tile, badge, number_size in map_badges(grid, place):
        canvas.setFillColor(HexColor("#FFFFFF"))
        canvas.setStrokeColor(HexColor(SEAM))
        canvas.setLineWidth(1)
        canvas.rect(badge.x0, badge.y0, badge.x1 - badge.x0, badge.y1 - badge.y0, stroke=1, fill=1)
        cx, cy = (badge.x0 + badge.x1) / 2, (badge.y0 + badge.y1) / 2
        _text(canvas, stack, cx, cy - number_size * 0.36, str(tile.number), number_size, colour=SEAM, anchor="middle")
    for tile in grid.tiles:  # row and column headings outside the grid
        v = grid.visible(tile)
        if tile.row == 1:
            x = at((v.x0 + v.x1) / 2, 0)[0]
            _text(canvas, stack, x, ey1 + 2.5 * mm, f"第{tile.column}列", MAP_HEADINGS, anchor="middle")
        if tile.column == 1:
            y = at(0, (v.y0 + v.y1) / 2)[1] - 3
            _text(canvas, stack, ex0 - 2 * mm, y, f"第{tile.row}行", MAP_HEADINGS, anchor="end")
    steps = [
        "怎么拼：",
        f"1. 用 {grid.sheet} 纸按「实际大小 / 100%」打印，不要选「适合页面」或「缩小」。",
        "2. 每张的左边（第1列除外）和下边（最后一行除外）沿角线剪齐，剪掉白边。",
        f"3. 从最下一行贴起，从左到右：每张压住左边一张右侧 {grid.overlap / mm:g} 毫米的粘贴区，",
        f"    上一行再压住下一行上侧 {grid.overlap / mm:g} 毫米的粘贴区（像瓦片一样，雨水不会渗进缝里）。",
        "4. 每张纸的上边白边印有编号，贴之前按上图核对位置。",
    ]
    y = MAP_STEPS_BAND - 8 * mm
    for line in steps:
        _text(canvas, stack, margin, y, line, 9)
        y -= 5 * mm
    return place


def _frame_pdf(grids: list[Grid], title: str, scale: float) -> tuple[bytes, list[_MapPlacement]]:
    stack, _ = build_stack([])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1, initialFontName=stack.primary.name)
    canvas.setTitle(f"{title}（拼贴）")
    canvas.setCreator("noticeboard")
    placements = []
    for index, grid in enumerate(grids):
        page_label = f"第{index + 1}页 " if len(grids) > 1 else ""
        placements.append(_map_page(canvas, stack, grid, title, page_label, scale))
        canvas.showPage()
        for tile in grid.tiles:
            canvas.setPageSize((grid.sheet_w, grid.sheet_h))
            _tile_frame(canvas, stack, grid, tile, title, page_label)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue(), placements


# --- putting it together -----------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _draw_ops(name: pikepdf.Name, matrix: tuple[float, ...], clip: Box | None) -> bytes:
    clip_ops = (
        f"{_num(clip.x0)} {_num(clip.y0)} {_num(clip.x1 - clip.x0)} {_num(clip.y1 - clip.y0)} re W n " if clip else ""
    )
    return f"q {clip_ops}{' '.join(_num(v) for v in matrix)} cm {name} Do Q\n".encode("ascii")


def tile_pdf(
    data: bytes,
    sheet: str,
    overlap_mm: float = DEFAULT_OVERLAP_MM,
    scale: float = 1.0,
    title: str | None = None,
    qr_codes: list[list[Box]] | None = None,
    fallback_title: str = "海报",
) -> TileResult:
    """Tile every page of a poster PDF. ``qr_codes``: QR squares per page in the poster's own
    coordinates (quiet zone excluded), when the caller knows them. Raises TileError."""
    import pikepdf

    check_options(sheet, overlap_mm, scale)
    overlap = overlap_mm * mm
    source = _open(data)
    try:
        try:
            xobjects = [page.as_form_xobject() for page in source.pages]
        except pikepdf.PdfError as exc:
            raise TileError(DAMAGED) from exc
        boxes = [_transformed_bbox(x) for x in xobjects]
        if title is None:
            raw = source.docinfo.get("/Title") if source.docinfo is not None else None
            title = str(raw).strip() if raw is not None else ""
        title = title or fallback_title  # the PDF's own /Title first, then (from the CLI) the file name
        grids = []
        for box in boxes:
            width, height = (box.x1 - box.x0) * scale, (box.y1 - box.y0) * scale
            if fits_on_sheet(width, height, sheet):
                raise TileRefused(
                    f"海报（{width / mm:.0f} × {height / mm:.0f} 毫米）不比 {sheet} 纸大，不用拼贴："
                    f"直接用 {sheet} 纸打印即可，或用 --scale 放大后再拼贴。"
                )
            grids.append(plan_grid(width, height, sheet, overlap))

        warnings: list[str] = []
        qr_checked = True
        if qr_codes is None:
            qr_codes = _find_qr_codes(data, boxes)
            qr_checked = qr_codes is not None
        for index, (grid, box) in enumerate(zip(grids, boxes)):
            page_label = f"第{index + 1}页的" if len(grids) > 1 else ""
            for code in (qr_codes or [])[index] if qr_codes and index < len(qr_codes) else []:
                warnings += seam_warnings(grid, code.scaled(scale, box.x0, box.y0), page_label)

        frame, placements = _frame_pdf(grids, title, scale)
        out = pikepdf.open(io.BytesIO(frame))
        page_index = 0
        for grid, box, xobject, place in zip(grids, boxes, xobjects, placements):
            shared = out.copy_foreign(xobject)  # once per poster page; every tile refers to this copy
            pages: list[tuple[pikepdf.Page, Box | None, float, float, float]] = [
                (out.pages[page_index], None, place.k * scale, place.gx, place.gy)
            ]
            for number, tile in enumerate(grid.tiles, start=page_index + 1):
                v = tile.viewport
                pages.append((out.pages[number], tile.on_sheet, scale, tile.x - v.x0, tile.y - v.y0))
            for page, clip, factor, ox, oy in pages:
                name = page.add_resource(shared, pikepdf.Name.XObject, prefix="Poster")
                matrix = (factor, 0, 0, factor, ox - factor * box.x0, oy - factor * box.y0)
                page.contents_add(out.make_stream(_draw_ops(name, matrix, clip)), prepend=True)
            page_index += 1 + len(grid.tiles)
        result = io.BytesIO()
        out.save(
            result, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True
        )
        return TileResult(result.getvalue(), grids, warnings, qr_checked)
    finally:
        source.close()
