"""Make tests/data/office.ttf: a tiny stand-in for an office's own font (仿宋, 小标宋 …).

It holds 两城镇 and, at U+E000 (a private-use code point no shipped font has), a copy of
镇's glyph, standing in for a rare character (生僻字) only the office font can draw.

    python tests/data/make_office_font.py
"""

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[2]
source = ROOT / "fonts" / "NotoSansSC-Regular.ttf"
target = Path(__file__).resolve().parent / "office.ttf"

options = subset.Options()
options.name_IDs = ["*"]
options.notdef_outline = True
font = subset.load_font(str(source), options)
subsetter = subset.Subsetter(options)
subsetter.populate(text="两城镇")
subsetter.subset(font)
glyph = font.getBestCmap()[ord("镇")]
for table in font["cmap"].tables:
    if table.isUnicode():
        table.cmap[0xE000] = glyph
names = font["name"]
for record in names.names:
    if record.nameID in (1, 4):
        record.string = "Office Test"
    elif record.nameID == 6:
        record.string = "OfficeTest-Regular"
font.save(str(target))
print(target, target.stat().st_size)
