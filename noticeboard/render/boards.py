"""Draw the content plan: out/plan/<board>.png to scale, and out/plan/index.html."""

from __future__ import annotations

import io
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from PIL import Image, ImageDraw, ImageFont

from ..dates import chinese_date
from ..publish import atomic
from ..resources import fonts_dir
from ..schedule.plan import ALERTS, BoardPlan, Plan
from ..schedule.timeline import before
from ..schedule.workdays import long_date

PNG_WIDTH_PX = 1600  # the board's width in the picture; height follows to scale
BOARD_COLOUR = (196, 160, 110)
FRAME_COLOUR = (120, 80, 40)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts_dir() / "NotoSansSC-Regular.ttf"), size)


def board_png(plan: BoardPlan, previews: Path) -> bytes:
    """The board to scale; each sheet shows its preview (out/preview/<id>.png) or a labelled blank."""
    board = plan.board
    scale = PNG_WIDTH_PX / board.width_mm
    size = (PNG_WIDTH_PX, max(1, round(board.height_mm * scale)))
    image = Image.new("RGB", size, BOARD_COLOUR)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0] - 1, size[1] - 1], outline=FRAME_COLOUR, width=6)
    label_font = _font(max(12, round(size[0] / 80)))
    for sheet in plan.placed:
        box = [
            round(sheet.x_mm * scale),
            round(sheet.y_mm * scale),
            round((sheet.x_mm + sheet.width_mm) * scale),
            round((sheet.y_mm + sheet.height_mm) * scale),
        ]
        width, height = box[2] - box[0], box[3] - box[1]
        preview = previews / f"{sheet.notice}.png"
        if preview.is_file():
            with Image.open(preview) as thumb:
                image.paste(thumb.convert("RGB").resize((width, height)), (box[0], box[1]))
        else:
            draw.rectangle(box, fill=(255, 255, 255))
        draw.rectangle(box, outline=(60, 60, 60), width=2)
        label = f"{sheet.notice}  {sheet.paper}"
        font = _fitting(label, int(label_font.size), width - 8, draw)
        text_box = draw.textbbox((0, 0), label, font=font)
        label_h = int(text_box[3] - text_box[1] + 12)
        # translucent, so the thumbnail's footer (QR, issuer) still shows through
        overlay = Image.new("RGBA", (width, label_h), (0, 0, 0, 170))
        image.paste(overlay, (box[0], box[3] - label_h), overlay)
        draw.text((box[0] + 4, box[3] - label_h / 2), label, fill=(255, 255, 255), font=font, anchor="lm")
        if not preview.is_file():
            draw.multiline_text(
                (box[0] + 6, box[1] + 6),
                _wrap(sheet.title, label_font, width - 12, draw),
                fill=(0, 0, 0),
                font=label_font,
            )
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def _fitting(text: str, size: int, width: int, draw: ImageDraw.ImageDraw) -> ImageFont.FreeTypeFont:
    """The label font, smaller until the label fits the sheet's width (a narrow A4 next to an A1)."""
    font = _font(size)
    while size > 8 and draw.textlength(text, font=font) > width:
        size -= 1
        font = _font(size)
    return font


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
        atomic.write_bytes(path, board_png(board, out / "preview"))
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
