"""draw_text writes exactly what reportlab's setFillColor, setFont and drawString write."""

from __future__ import annotations

import io
import random

from reportlab.lib.colors import HexColor

from noticeboard.layout.fonts import build_stack
from noticeboard.layout.sheet import TextItem
from noticeboard.render.pdf import draw_text, new_canvas

# Latin, digits, PDF's special characters, a no-break space, CJK beyond one 256-glyph subset,
# a rare character from the extension fallback and one no font has
CHARACTERS = "abcXYZ0189 ()\\\\%\u00a0，。（）《》" + "".join(chr(0x4E00 + i * 37) for i in range(700)) + "𬌗\U000e0100"


def reportlab_text(canvas, item: TextItem, stack) -> None:
    """The way draw_text drew before it wrote the operators itself."""
    canvas.setFillColor(HexColor(item.colour))
    x = item.x
    stack = stack.role(item.role)
    runs = stack.runs(item.text, item.bold)
    for index, (face, run) in enumerate(runs):
        canvas.setFont(face.name, item.size)
        canvas.drawString(x, item.y, run)
        if index + 1 < len(runs):
            x += stack.width(run, item.size, item.bold)


def test_draw_text_writes_the_bytes_reportlab_writes():
    stack, _ = build_stack([])
    rng = random.Random(14)
    items = [
        TextItem(
            rng.choice([62.36, 70.0, 100.123456]),
            rng.uniform(0, 800),
            "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(0, 40))),
            rng.choice([9.0, 10.5, 12, 14.0]),
            rng.random() < 0.3,
            rng.choice(["#1A1A1A", "#B3141B"]),
        )
        for _ in range(400)
    ]
    pdfs = []
    for draw in (draw_text, reportlab_text):
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, (595.28, 841.89), stack, title="t", author="a", subject="s")
        for page in range(0, len(items), 100):
            for item in items[page : page + 100]:
                draw(canvas, item, stack)
            canvas.showPage()
        canvas.save()
        pdfs.append(buffer.getvalue())
    assert pdfs[0] == pdfs[1]
