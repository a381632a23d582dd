"""Floor for the letters benchmark: every household's letter text, drawn the dumbest way reportlab allows.

Run in a fresh process by benchmarks/letters.py, timed as a whole and pinned to the same
core as ``noticeboard build``. It does only the work no letter generator can avoid:

* import reportlab and register the same two Noto Sans SC TrueType files (regular, bold);
* read the households CSV (UTF-8 with or without BOM, else GB18030, as noticeboard does);
* for each household, fill the ``{列名}`` placeholders of the pre-wrapped letter lines and
  draw each line with bare ``canvas.drawString`` on its own A4 page;
* save one PDF with reportlab's defaults (fonts subset and embedded).

No layout (the lines were wrapped once by letters.py at a fixed number of characters), no
checks, no QR code, no previews, no online copy, no receipt register.

Usage::

    python benchmarks/baseline_letters_floor.py SPEC.json OUT.pdf [--fonts DIR]

SPEC.json is written by letters.py::

    {"csv": "/tmp/.../households.csv",
     "page_size": [width_pt, height_pt],
     "lines": [["bold" | "regular", size_pt, "尊敬的{户主}户："], ...]}
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from households import read_rows  # the script's folder is on sys.path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEFAULT_FONTS = Path(__file__).resolve().parent.parent / "fonts"
FACES = {"regular": "Floor-Regular", "bold": "Floor-Bold"}
MARGIN = 62.0  # points (22 mm) on every side, like the letter's A4 side margin
LEADING = 1.6  # × font size


def register_fonts(fonts_dir: Path) -> None:
    pdfmetrics.registerFont(TTFont(FACES["regular"], str(fonts_dir / "NotoSansSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FACES["bold"], str(fonts_dir / "NotoSansSC-Bold.ttf")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="the letter's lines and the CSV, written by letters.py")
    parser.add_argument("out", type=Path, help="the PDF to write")
    parser.add_argument("--fonts", type=Path, default=DEFAULT_FONTS, help="folder with the Noto Sans SC TTFs")
    args = parser.parse_args()

    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    register_fonts(args.fonts)
    width, height = spec["page_size"]
    lines = [(FACES[face], size, template) for face, size, template in spec["lines"]]
    pdf = canvas.Canvas(str(args.out), pagesize=(width, height))
    for row in read_rows(Path(spec["csv"])):
        y = height - MARGIN
        for face, size, template in lines:
            y -= size * LEADING
            pdf.setFont(face, size)
            pdf.drawString(MARGIN, y, template.format_map(row))
        pdf.showPage()
    pdf.save()


if __name__ == "__main__":
    main()
