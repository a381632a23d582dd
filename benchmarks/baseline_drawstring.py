"""Baseline for the noticeboard benchmark: the same text, drawn the dumbest way reportlab allows.

Run in a fresh process by benchmarks/run.py, timed as a whole, exactly like
``noticeboard build``. It does only the work no poster generator can avoid:

* import reportlab and register the same two Noto Sans SC TrueType files
  (regular and bold; parsing and subsetting ~10 MB fonts is most of the cost);
* draw every line of text of every poster with bare ``canvas.drawString``,
  one line per row, top to bottom, with the same paper size and page count;
* save each PDF (fonts subset and embedded, as noticeboard does).

No layout, no checks, no tables, charts, QR codes or PNG previews.

Usage::

    python benchmarks/baseline_drawstring.py TEXT.json OUT_DIR [--fonts DIR]

TEXT.json is written by run.py::

    {"documents": [{"name": "2026q1-finance",
                    "page_size": [width_pt, height_pt],
                    "pages": [["line", "line", ...], ...]}, ...]}
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEFAULT_FONTS = Path(__file__).resolve().parent.parent / "fonts"
REGULAR, BOLD = "Baseline-Regular", "Baseline-Bold"
MARGIN = 36.0  # points (half an inch) on every side
MAX_SIZE = 12.0  # font size cap in points; shrunk when a page holds many lines


def register_fonts(fonts_dir: Path) -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts_dir / "NotoSansSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts_dir / "NotoSansSC-Bold.ttf")))


def draw_document(document: dict, out_dir: Path) -> None:
    width, height = document["page_size"]
    pdf = canvas.Canvas(str(out_dir / f"{document['name']}.pdf"), pagesize=(width, height))
    for lines in document["pages"]:
        # Spread the page's lines evenly over the printable height.
        leading = (height - 2 * MARGIN) / max(len(lines), 1)
        size = min(MAX_SIZE, leading * 0.8)
        y = height - MARGIN - size
        for number, line in enumerate(lines):
            # The first line of a page is the poster title: bold, so both faces get embedded
            # just as in noticeboard's output.
            pdf.setFont(BOLD if number == 0 else REGULAR, size)
            pdf.drawString(MARGIN, y, line)
            y -= leading
        pdf.showPage()
    pdf.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text_json", type=Path, help="lines per page, written by run.py")
    parser.add_argument("out_dir", type=Path, help="folder for the PDFs")
    parser.add_argument("--fonts", type=Path, default=DEFAULT_FONTS, help="folder with the Noto Sans SC TTFs")
    args = parser.parse_args()

    spec = json.loads(args.text_json.read_text(encoding="utf-8"))
    register_fonts(args.fonts)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for document in spec["documents"]:
        draw_document(document, args.out_dir)


if __name__ == "__main__":
    main()
