"""Peer for the letters benchmark: the same household letters made with typst (its Python binding).

Run in a fresh process by benchmarks/letters.py, timed as a whole and pinned to the same core as
``noticeboard build``. It does what a clerk would do with typst instead of noticeboard: data plus
a template, one page per household, each with its own QR code.

* import typst and read the same households CSV (UTF-8 with or without BOM, else GB18030), sorted
  by 村民小组 then 户号 as the letter notice asks;
* encode each household's address (``<base_url><id>/?h=<户号>``) with the very QR coder the
  letters use: noticeboard/layout/qr.py of the noticeboard being measured, loaded on its own
  (not the package, whose import would add noticeboard's start-up to typst's time). One version
  for the run, the fixed mask, level Q, as the letters have. typst has no QR code of its own and
  its QR packages come from the network, which a benchmark must not need; so both sides pay the
  same encoding cost and typst gets the modules as an 8-bit grey image (one pixel per module,
  quiet zone included, drawn pixelated so the edges stay sharp, as the letters' stencil mask is);
* write the households (JSON) and the codes (one binary file) beside a typst template, which
  lays out every letter: the 送： line, the title, the body with each ``{列名}`` filled in typst,
  the issuer and date, a rule, the QR code with its caption, the address and the hotline; text in
  Noto Sans SC from fonts/ (only those two files are offered, as noticeboard registers only what
  it draws), A4, the letter design's margins and sizes (layouts/letter.yaml);
* compile to PDF and write it.

Usage::

    python benchmarks/peer_typst.py SPEC.json OUT.pdf --fonts DIR

SPEC.json is the floor's spec (see baseline_letters_floor.py) with a ``letter`` entry written by
letters.py: title, issuer, date, paragraphs (the body, one per line, with ``{列名}``), base_url,
notice id and hotline.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import typst
from households import read_rows  # the script's folder is on sys.path

FACES = ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
QUIET_ZONE = 4

# Sizes and lengths from layouts/letter.yaml (A4) and colours from layouts/base.yaml; lengths in mm, sizes in pt.
TEMPLATE = """\
#let data = json("data.json")
#let codes = read("codes.bin", encoding: none)
#let n = data.modules
#let text-colour = rgb("#1A1A1A")
#let muted = rgb("#4D4D4D")
#set page(paper: "a4", margin: (top: 20mm, bottom: 14mm, x: 22mm))
#set text(font: "Noto Sans SC", size: 14pt, lang: "zh", region: "cn", fill: text-colour)
#set par(leading: 0.6em, spacing: 0.9em)
#let fill(template, household) = {
  let out = template
  for (key, value) in household { out = out.replace("{" + key + "}", value) }
  out
}
#for (index, household) in data.households.enumerate() {
  let size = n * n
  let value(key) = household.at(key)
  text(size: 10pt, fill: muted)[送：#value("村民小组")　户号 #value("户号")　户主 #value("户主")　#value("地址")]
  v(4mm)
  align(center, text(size: 22pt, weight: "bold", fill: rgb("#B3141B"), data.title))
  v(0.9 * 22pt)
  for paragraph in data.paragraphs {
    let filled = fill(paragraph.text, household)
    if paragraph.role == "heading" [#par(text(weight: "bold", filled))]
    else if paragraph.role == "salutation" [#par(filled)]
    else [#par("　　" + filled)]
  }
  v(1.2 * 14pt)
  align(right, box(inset: (right: 1em), align(left)[#data.issuer \\ #data.date]))
  place(bottom + left, block(width: 100%)[
    #line(length: 100%, stroke: 0.6pt + rgb("#B3141B"))
    #v(2mm)
    #grid(columns: (30mm, 1fr), column-gutter: 10pt, align: horizon,
      image(codes.slice(index * size, (index + 1) * size), format: (encoding: "luma8", width: n, height: n),
            width: 30mm, scaling: "pixelated"),
      [#text(size: 10pt, weight: "bold")[扫码查看网上公开版本] \\
       #text(size: 9pt, fill: muted, household.at("url")) \\
       #text(size: 10pt, weight: "bold")[监督电话：#data.hotline]])
  ])
  if index + 1 < data.households.len() { pagebreak() }
}
"""


def load_coder_module():
    """noticeboard/layout/qr.py of the noticeboard on the path, as a module of its own."""
    package = importlib.util.find_spec("noticeboard")  # finds the package without importing it
    if package is None or package.origin is None:
        raise SystemExit("noticeboard is not importable here")
    path = Path(package.origin).parent / "layout" / "qr.py"
    spec = importlib.util.spec_from_file_location("noticeboard_letter_qr", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encoder(qr, version: int):
    """``url -> stencil integer`` (row_bytes bytes a row, left module in the high bit), count, row_bytes."""
    if hasattr(qr, "letter_coder"):
        coder = qr.letter_coder(version)
        return coder.stencil, coder.count, coder.row_bytes
    count = 17 + 4 * version  # an older noticeboard: its qrcode-based fast_matrix, packed the same way
    row_bytes = (count + 7) // 8

    def stencil(url: str) -> int:
        value = 0
        for row in qr.fast_matrix(url, version):
            bits = 0
            for dark in row:
                bits = (bits << 1) | dark
            value = (value << row_bytes * 8) | (bits << (row_bytes * 8 - count))
        return value

    return stencil, count, row_bytes


GREY = str.maketrans({"1": "\x00", "0": "\xff"})


def grey_image(value: int, count: int, row_bytes: int) -> bytes:
    """One byte per module, dark 0, quiet zone included."""
    width = row_bytes * 8
    bits = format(value, f"0{count * width}b")
    side = "0" * QUIET_ZONE
    blank = "0" * (count + 2 * QUIET_ZONE)
    rows = (
        [blank] * QUIET_ZONE
        + [side + bits[r * width : r * width + count] + side for r in range(count)]
        + [blank] * QUIET_ZONE
    )
    return "".join(rows).translate(GREY).encode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="the letter and the CSV, written by letters.py")
    parser.add_argument("out", type=Path, help="the PDF to write")
    parser.add_argument("--fonts", type=Path, required=True, help="folder with the Noto Sans SC TTFs")
    args = parser.parse_args()

    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    letter = spec["letter"]
    rows = sorted(read_rows(Path(spec["csv"])), key=lambda row: (row["村民小组"], row["户号"]))
    base = f"{letter['base_url']}{letter['notice_id']}/"
    for row in rows:
        row["url"] = f"{base}?h={quote(row['户号'], safe='')}"
    qr = load_coder_module()
    longest = max((row["url"] for row in rows), key=lambda url: len(url.encode("utf-8")))
    stencil, count, row_bytes = encoder(qr, qr.qr_version(longest))
    codes = b"".join(grey_image(stencil(row["url"]), count, row_bytes) for row in rows)

    folder = Path(tempfile.mkdtemp(prefix=".typst-", dir=args.out.parent))
    try:
        fonts = folder / "fonts"
        fonts.mkdir()
        for name in FACES:
            (fonts / name).symlink_to(args.fonts / name)
        (folder / "codes.bin").write_bytes(codes)
        (folder / "data.json").write_text(
            json.dumps(
                {
                    "modules": count + 2 * QUIET_ZONE,
                    "households": rows,
                    "title": letter["title"],
                    "issuer": letter["issuer"],
                    "date": letter["date"],
                    "hotline": letter["hotline"],
                    "paragraphs": letter["paragraphs"],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        (folder / "main.typ").write_text(TEMPLATE, encoding="utf-8")
        pdf = typst.compile(
            str(folder / "main.typ"), root=str(folder), font_paths=[str(fonts)], ignore_system_fonts=True
        )
        args.out.write_bytes(pdf)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
