"""screen/: the village's electronic board (电子屏), every current notice sheet by sheet.

Each screen is one PNG at the board's size: the sheet as printed (drawn by pdfium from the
online PDF, so it is the very sheet on the paper board) beside, or above on a portrait board,
a panel in type large enough to read across a room: the title, the 公示期, 第n张/共m张 and the
核验码. Each screen has a page that shows its PNG and turns to the next one by itself with
<meta http-equiv="refresh">: the board's browser needs no JavaScript, and the last page turns
back to index.html, which reloads whatever the latest build wrote.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from ..layout.fonts import FontStack
from ..layout.qr import qr_matrix
from ..layout.text import wrap
from .share import draw_text

BACKGROUND = "#f4f1ea"
RED = "#b3141b"
TEXT = "#1a1a1a"
MUTED = "#404040"


@dataclass
class ScreenNotice:
    id: str
    title: str
    issuer: str
    date_text: str
    display_text: str  # 公示期至2026年4月21日, or "" for a standing notice
    code: str
    pdf: Path  # the online PDF: the print sheets (a letter run's specimen)
    url: str = ""  # the online copy: its QR code in the panel, large enough to scan from the board
    hotline: str = ""


@dataclass
class ScreenPage:
    name: str  # <id>-<n>, the PNG's and the page's name
    title: str
    png: bytes


def _panel(
    pen: ImageDraw.ImageDraw,
    stack: FontStack,
    box: tuple[float, float, float, float],
    notice: ScreenNotice,
    number: int,
    total: int,
    unit: float,
) -> None:
    x, y, width, _ = box
    pen.rectangle((round(x), round(y), round(x + unit * 0.18), round(y + unit * 1.2)), fill=RED)
    x += unit * 0.5
    width -= unit * 0.5
    size = unit * 0.8
    baseline = y + size
    lines = wrap(notice.title, width, size, stack, True)[:4]
    for line in lines:
        draw_text(pen, stack, x, baseline, line, size, True, TEXT)
        baseline += size * 1.3
    baseline += unit * 0.3
    for text, text_size, bold, colour in (
        (f"{notice.issuer}　{notice.date_text}", unit * 0.5, False, MUTED),
        (notice.display_text, unit * 0.5, False, MUTED),
        (f"第{number}张/共{total}张" if total > 1 else "", unit * 0.6, True, RED),
        (f"监督电话：{notice.hotline}" if notice.hotline else "", unit * 0.5, True, TEXT),
        (f"核验码：{notice.code}" if notice.code else "", unit * 0.5, True, TEXT),
    ):
        if not text:
            continue
        for line in wrap(text, width, text_size, stack, bold):
            draw_text(pen, stack, x, baseline, line, text_size, bold, colour)
            baseline += text_size * 1.45
        baseline += unit * 0.15
    if notice.url:  # the QR code again, large: a phone held up to the board opens the online copy
        matrix = qr_matrix(notice.url)
        room = min(width, box[1] + box[3] - baseline - unit * 0.6)
        module = int(room // len(matrix))
        if module >= 4:
            top = baseline
            side = len(matrix) * module
            pen.rectangle((round(x), round(top), round(x) + side - 1, round(top) + side - 1), fill="white")
            for row_index, row in enumerate(matrix):
                for column, dark in enumerate(row):
                    if dark:
                        left = x + column * module
                        pen.rectangle(
                            (left, top + row_index * module, left + module - 1, top + (row_index + 1) * module - 1),
                            fill="black",
                        )
            caption = unit * 0.45
            draw_text(
                pen, stack, x, top + len(matrix) * module + caption * 1.2, "扫码查看网上公开版本", caption, True, TEXT
            )


def _screen(
    sheet: Image.Image, notice: ScreenNotice, number: int, total: int, size: tuple[int, int], stack: FontStack
) -> bytes:
    width, height = size
    pad = round(min(width, height) * 0.03)
    aspect = sheet.width / sheet.height
    # the sheet as large as the board allows, with the panel beside it or below it, whichever leaves it larger
    side_room = (width - 3 * pad) * 0.66, height - 2 * pad
    below_room = width - 2 * pad, (height - 3 * pad) * 0.78
    side_scale = min(side_room[0] / aspect, side_room[1])
    below_scale = min(below_room[0] / aspect, below_room[1])
    sheet_height = round(max(side_scale, below_scale))
    sheet_width = round(sheet_height * aspect)
    image = Image.new("RGB", size, BACKGROUND)
    pen = ImageDraw.Draw(image)
    unit = min(width, height) / 18
    if side_scale >= below_scale:
        left, top = pad, (height - sheet_height) // 2
        panel = (left + sheet_width + pad, pad * 2, width - sheet_width - 3 * pad, height - 4 * pad)
    else:
        left, top = (width - sheet_width) // 2, pad
        panel = (pad, top + sheet_height + pad, width - 2 * pad, height - sheet_height - 3 * pad)
    image.paste(sheet.resize((sheet_width, sheet_height), Image.Resampling.LANCZOS), (left, top))
    pen.rectangle((left - 1, top - 1, left + sheet_width, top + sheet_height), outline="#999999", width=1)
    _panel(pen, stack, panel, notice, number, total, unit)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def screens(notices: list[ScreenNotice], size: tuple[int, int], stack: FontStack) -> list[ScreenPage]:
    """One screen per sheet of every notice, in the order given."""
    pages: list[ScreenPage] = []
    for notice in notices:
        document = pdfium.PdfDocument(str(notice.pdf))
        try:
            total = len(document)
            for index in range(total):
                page = document[index]
                page_width, page_height = page.get_size()
                scale = max(size) * 1.0 / max(page_width, page_height)  # enough pixels for the board, no more
                sheet = page.render(scale=scale).to_pil().convert("RGB")
                pages.append(
                    ScreenPage(
                        f"{notice.id}-{index + 1}",
                        f"{notice.title}　第{index + 1}张/共{total}张",
                        _screen(sheet, notice, index + 1, total, size, stack),
                    )
                )
        finally:
            document.close()
    return pages


def page_html(page: ScreenPage, next_page: str, seconds: int, size: tuple[int, int]) -> str:
    """One screen: its PNG across the whole board, turning to ``next_page`` after ``seconds``."""
    title = html.escape(page.title)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="{seconds}; url={html.escape(next_page)}">\n'
        f'<meta name="viewport" content="width={size[0]}">\n<title>{title}</title>\n'
        "<style>html,body{margin:0;height:100%;background:#000;overflow:hidden}"
        "img{display:block;width:100vw;height:100vh;object-fit:contain}</style>\n</head>\n<body>\n"
        f'<img src="{html.escape(page.name)}.png" alt="{title}" width="{size[0]}" height="{size[1]}">\n'
        "</body>\n</html>\n"
    )


def empty_html(seconds: int) -> str:
    """No current notice: a plain page that looks again after a while."""
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="{seconds}">\n<title>电子屏</title>\n</head>\n'
        '<body style="margin:0;background:#000;color:#fff;font-size:4vw;display:flex;align-items:center;'
        'justify-content:center;height:100vh">\n<p>目前没有正在公示的内容。</p>\n</body>\n</html>\n'
    )


def write_screen(folder: Path, pages: list[ScreenPage], seconds: int, size: tuple[int, int], write) -> list[Path]:
    """screen/index.html (the first screen), screen/<id>-<n>.html and .png; each page refreshes to the next,
    the last back to index.html. ``write(path, bytes)`` is the atomic writer."""
    written: list[Path] = []
    if not pages:
        write(folder / "index.html", empty_html(seconds).encode("utf-8"))
        return [folder / "index.html"]
    names = ["index"] + [page.name for page in pages[1:]]
    for position, page in enumerate(pages):
        following = names[position + 1] if position + 1 < len(pages) else "index"
        path = folder / f"{names[position]}.html"
        write(path, page_html(page, f"{following}.html", seconds, size).encode("utf-8"))
        write(folder / f"{page.name}.png", page.png)
        written += [path, folder / f"{page.name}.png"]
    return written
