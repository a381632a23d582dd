"""Draw the content plan: out/plan/<board>.png to scale, and out/plan/index.html."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from jinja2 import Environment, PackageLoader, select_autoescape
from PIL import Image, ImageDraw, ImageFont

from ..dates import chinese_date
from ..publish import atomic
from ..resources import fonts_dir
from ..schedule.plan import ALERTS, BoardPlan, Placed, Plan
from ..schedule.timeline import before
from ..schedule.workdays import long_date

PNG_WIDTH_PX = 1600  # the narrowest picture; height follows to scale
PX_PER_MM = 0.6  # at least: an A4 is 126 px wide, room for its label in type one can read
BOARD_COLOUR = (196, 160, 110)
FRAME_COLOUR = (120, 80, 40)
LABEL_BAND = (40, 40, 40)  # opaque: the sheet's own text never shows through the label
MIN_LABEL_PX = 9

Px = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class Drawn:
    """One placed sheet as the picture draws it, in pixels: what tests check without reading pixels."""

    placed: Placed
    box: Px  # the sheet, to scale
    label_lines: list[str]  # the notice id, then 第2张/共3张 and the paper
    label_size: int  # font size, px
    label_box: Px  # the opaque band at the sheet's foot that holds the label
    line_boxes: list[Px]  # each label line's ink, inside label_box
    title_lines: list[str] = field(default_factory=list)  # a sheet without a picture shows its title
    title_boxes: list[Px] = field(default_factory=list)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts_dir() / "NotoSansSC-Regular.ttf"), size)


def scale_of(plan: BoardPlan) -> float:
    """Pixels per millimetre of the board's picture."""
    return max(PNG_WIDTH_PX / plan.board.width_mm, PX_PER_MM)


def _label_lines(sheet: Placed) -> list[str]:
    which = f"第{sheet.sheet}张/共{sheet.sheets}张 · " if sheet.sheets > 1 else ""
    return [sheet.notice, f"{which}{sheet.paper}{'横' if sheet.orientation == 'landscape' else '竖'}"]


def _fit_lines(lines: list[str], size: int, width: int, draw: ImageDraw.ImageDraw) -> tuple[list[str], int]:
    """The label at the largest size (down to MIN_LABEL_PX) whose lines fit ``width``; at the
    smallest size a line still too long is broken between characters rather than run past the sheet."""
    while size > MIN_LABEL_PX and any(draw.textlength(line, font=_font(size)) > width for line in lines):
        size -= 1
    font = _font(size)
    return [part for line in lines for part in _wrap(line, font, width, draw).split("\n")], size


def layout(plan: BoardPlan, pictured: set[tuple[str, int]] | None = None) -> list[Drawn]:
    """Where each sheet, its label and (when it has no picture: not in ``pictured``, as
    (notice, sheet)) its title go on the picture of the board."""
    scale = scale_of(plan)
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    base = max(12, round(plan.board.width_mm * scale / 90))
    drawn = []
    for sheet in plan.placed:
        box = (
            round(sheet.x_mm * scale),
            round(sheet.y_mm * scale),
            round((sheet.x_mm + sheet.width_mm) * scale),
            round((sheet.y_mm + sheet.height_mm) * scale),
        )
        pad = 4
        lines, size = _fit_lines(_label_lines(sheet), base, box[2] - box[0] - 2 * pad, draw)
        font = _font(size)
        step = round(size * 1.25)
        band_top = box[3] - len(lines) * step - 2 * pad
        line_boxes = []
        for n, line in enumerate(lines):
            left, top, right, bottom = draw.textbbox((box[0] + pad, band_top + pad + n * step), line, font=font)
            line_boxes.append((round(left), round(top), round(right), round(bottom)))
        titles: list[str] = []
        title_boxes: list[Px] = []
        if pictured is not None and (sheet.notice, sheet.sheet) not in pictured:
            title_font = _font(base)
            y = box[1] + 6
            for line in _wrap(sheet.title, title_font, box[2] - box[0] - 12, draw).split("\n"):
                left, top, right, bottom = draw.textbbox((box[0] + 6, y), line, font=title_font)
                if bottom > band_top - 4:
                    break  # what does not fit above the label is left out, never set over it
                titles.append(line)
                title_boxes.append((round(left), round(top), round(right), round(bottom)))
                y += round(base * 1.25)
        band = (box[0], band_top, box[2], box[3])
        drawn.append(Drawn(sheet, box, lines, size, band, line_boxes, titles, title_boxes))
    return drawn


def _pictures(plan: BoardPlan, out: Path) -> dict[tuple[str, int], Image.Image]:
    """Each sheet's picture: its page of out/print/<id>.pdf when that file has as many pages as the
    notice prints sheets (a print from an older layout would show the wrong pages), else for the
    first sheet the preview (out/preview/<id>.png); none for the rest (a labelled blank)."""
    pictures: dict[tuple[str, int], Image.Image] = {}
    scale = scale_of(plan)
    for notice in dict.fromkeys(p.notice for p in plan.placed):
        sheets = [p for p in plan.placed if p.notice == notice]
        pdf = out / "print" / f"{notice}.pdf"
        if pdf.is_file():
            document = pdfium.PdfDocument(str(pdf))
            try:
                if len(document) == sheets[0].sheets:
                    for sheet in sheets:
                        page = document[sheet.sheet - 1]
                        factor = sheet.width_mm * scale / page.get_width()
                        pictures[(notice, sheet.sheet)] = page.render(scale=max(factor, 0.05)).to_pil()
                    continue
            finally:
                document.close()
        preview = out / "preview" / f"{notice}.png"
        if preview.is_file() and sheets[0].sheet == 1:
            with Image.open(preview) as thumb:
                pictures[(notice, 1)] = thumb.convert("RGB")
    return pictures


def board_png(plan: BoardPlan, out: Path) -> bytes:
    """The board to scale; each sheet shows its picture (``_pictures``) or a blank with its title,
    and at its foot an opaque band with the notice id, which sheet of how many, and the paper."""
    board = plan.board
    scale = scale_of(plan)
    size = (round(board.width_mm * scale), max(1, round(board.height_mm * scale)))
    image = Image.new("RGB", size, BOARD_COLOUR)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0] - 1, size[1] - 1], outline=FRAME_COLOUR, width=6)
    pictures = _pictures(plan, out)
    base = max(12, round(board.width_mm * scale / 90))
    title_font = _font(base)
    for item in layout(plan, set(pictures)):
        box = item.box
        width, height = box[2] - box[0], box[3] - box[1]
        picture = pictures.get((item.placed.notice, item.placed.sheet))
        if picture is not None:
            image.paste(picture.convert("RGB").resize((width, height)), (box[0], box[1]))
        else:
            draw.rectangle(box, fill=(255, 255, 255))
            for n, line in enumerate(item.title_lines):
                draw.text((box[0] + 6, box[1] + 6 + n * round(base * 1.25)), line, fill=(0, 0, 0), font=title_font)
        draw.rectangle(item.label_box, fill=LABEL_BAND)
        draw.rectangle(box, outline=(60, 60, 60), width=2)
        font = _font(item.label_size)
        step = round(item.label_size * 1.25)
        for n, line in enumerate(item.label_lines):
            draw.text((box[0] + 4, item.label_box[1] + 4 + n * step), line, fill=(255, 255, 255), font=font)
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def _wrap(text: str, font, width: int, draw: ImageDraw.ImageDraw) -> str:
    lines, line = [], ""
    for char in text:
        if line and draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = ""
        line += char
    return "\n".join([*lines, line])


def write(out: Path, plan: Plan, boards: list[BoardPlan], errors: list[str], title: str) -> list[Path]:
    """Write every board picture and the index page; returns the paths written."""
    folder = out / "plan"
    written = []
    for board in boards:
        path = folder / f"{board.board.id}.png"
        atomic.write_bytes(path, board_png(board, out))
        written.append(path)
    environment = Environment(
        loader=PackageLoader("noticeboard", "render/html"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = environment.get_template("plan.html").render(
        plan=plan,
        boards=boards,
        errors=errors,
        title=title,
        alerts=ALERTS,
        timelines=plan.timelines,
        long_date=long_date,
        chinese_date=chinese_date,
        before=before,
    )
    path = folder / "index.html"
    atomic.write_bytes(path, html.encode("utf-8"))
    written.append(path)
    return written
