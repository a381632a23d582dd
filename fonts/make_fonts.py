"""Regenerate every shipped font in fonts/ from its source package, reproducibly.

    pip install fonttools justmytype-intl-cjk==0.1.0
    apt-get install fonts-noto-cjk fonts-lxgw-wenkai fonts-babelstone-han fonts-hanazono
    python fonts/make_fonts.py            # everything
    python fonts/make_fonts.py serif ext  # only some groups: sans serif kai ext

What each file is (README 「字体」 says why each was chosen):

- NotoSansSC-Regular/-Bold.ttf: static 400/700 instances of the variable Noto Sans SC (reportlab
  cannot read variable fonts: it would use the default Thin master). The sans design of posters
  and letters, and 黑体 for 一、 headings.
- NotoSerifSC-Bold.ttf (小标宋-like title) and NotoSerifSC-Regular.ttf (the body, in place of a
  仿宋 that no free font provides in simplified forms): Debian's Noto Serif CJK SC, subset to
  TEXT_RANGES with GB 2312's hanzi (Bold) or all of U+4E00–9FFF (Regular), and converted from CFF
  to TrueType outlines with cu2qu, since reportlab embeds only glyf outlines.
- LXGWWenKai-Regular.ttf: 楷 for （一） headings, subset to TEXT_RANGES and GB 2312's hanzi.
- HanExt-BabelStone.ttf and HanExt-HanaMin.ttf: the fallback for rare name characters, CJK
  Extensions B–H (EXT_RANGES). BabelStone Han first because it draws PRC forms; HanaMin B and A
  (Japanese forms) only for what BabelStone lacks, so coverage is the union of the two.

Subsets drop hinting and OpenType layout (reportlab uses neither) and keep the source's
timestamps, so running this twice writes the same bytes.
"""

from __future__ import annotations

import contextlib
import pathlib
import shutil
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = pathlib.Path(__file__).resolve().parent
LICENSES = HERE / "licenses"
DEBIAN = pathlib.Path("/usr/share/fonts")
NOTO_SERIF = {
    "Regular": DEBIAN / "opentype/noto/NotoSerifCJK-Regular.ttc",
    "Bold": DEBIAN / "opentype/noto/NotoSerifCJK-Bold.ttc",
}
WENKAI = DEBIAN / "truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
BABELSTONE = DEBIAN / "truetype/babelstone/BabelStoneHan.ttf"
HANAMIN = [DEBIAN / "truetype/hanazono/HanaMinB.ttf", DEBIAN / "truetype/hanazono/HanaMinA.ttf"]
COPYRIGHT = pathlib.Path("/usr/share/doc")

# What Chinese running text needs: the BMP part of GB 18030 that a notice can use.
TEXT_RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),  # Basic Latin, Latin-1 (¥ · ×)
    (0x02C6, 0x02DD),  # spacing modifiers (ˇ ˉ)
    (0x0391, 0x03C9),
    (0x0401, 0x0451),  # Greek, Cyrillic (GB 2312 has them)
    (0x2010, 0x205E),  # general punctuation (— … ‰ ※)
    (0x20AC, 0x20AC),  # €
    (0x2100, 0x218F),  # letterlike, number forms (℃ № Ⅰ Ⅻ)
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),  # arrows, mathematical operators
    (0x2312, 0x2312),
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x257F),
    (0x25A0, 0x25FF),  # box drawing, geometric shapes (■ □ ▲ ○ ●)
    (0x2600, 0x26FF),  # ★ ☆ ♀
    (0x2E80, 0x2FDF),  # radicals
    (0x2FF0, 0x303F),  # ideographic description, CJK symbols and punctuation
    (0x3040, 0x30FF),
    (0x3100, 0x312F),  # kana, bopomofo (GB 18030)
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK (㈠ ㊣), CJK compatibility (㎡)
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),  # vertical forms (GB 18030-2022), compatibility and small forms
    (0xFF00, 0xFFEF),  # full-width forms
]
# The body (where names are) has every ideograph of the CJK Unified block; the title and the （一）
# headings, short and in everyday words, have GB 2312's 6,763. A character a role font lacks is
# drawn by Noto Sans SC (all of the BMP's ideographs, Extension A included), then by the
# extension fallback: never tofu, and 20 MB less in the repository.
FULL_HANZI = [(0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def gb2312_hanzi() -> set[int]:
    codes = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                codes.add(ord(bytes([high, low]).decode("gb2312")))
    return codes


# The CJK Extension blocks beyond the BMP, by name as the README reports them.
EXT_BLOCKS = {
    "B": (0x20000, 0x2A6DF),
    "C": (0x2A700, 0x2B73F),
    "D": (0x2B740, 0x2B81F),
    "E": (0x2B820, 0x2CEAF),
    "F": (0x2CEB0, 0x2EBEF),
    "I": (0x2EBF0, 0x2EE5F),
    "G": (0x30000, 0x3134F),
    "H": (0x31350, 0x323AF),
    "兼容补充": (0x2F800, 0x2FA1F),
}
# Code points assigned in each block as of Unicode 15.1 (Python's unicodedata may be older).
EXT_ASSIGNED = {
    "B": (0x20000, 0x2A6DF),
    "C": (0x2A700, 0x2B739),
    "D": (0x2B740, 0x2B81D),
    "E": (0x2B820, 0x2CEA1),
    "F": (0x2CEB0, 0x2EBE0),
    "I": (0x2EBF0, 0x2EE5D),
    "G": (0x30000, 0x3134A),
    "H": (0x31350, 0x323AF),
    "兼容补充": (0x2F800, 0x2FA1D),
}


def _codes(ranges) -> set[int]:
    return {code for low, high in ranges for code in range(low, high + 1)}


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "DSIG", "meta", "vhea", "vmtx", "VORG", "FFTM"]
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.recalc_timestamp = False
    return options


def _subset(font: TTFont, codes: set[int]) -> TTFont:
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=sorted(codes & set(font.getBestCmap())))
    subsetter.subset(font)
    return font


def _save(font: TTFont, name: str) -> None:
    font.recalcTimestamp = False
    font.save(HERE / name)
    print(f"wrote {name}: {len(font.getBestCmap())} characters, {(HERE / name).stat().st_size / 1e6:.1f} MB")


def _cff_to_glyf(font: TTFont) -> None:
    """Quadratic TrueType outlines from CFF cubics (the otf2ttf recipe of fontTools' snippets)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # 1 unit of 1000 em: far below what print shows; CFF winds the other way round
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():  # left side bearings now come from the glyf bounds
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["post"].formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"


def make_sans() -> None:
    import justmytype_intl_cjk
    from fontTools.varLib import instancer

    source_dir = pathlib.Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"
    for style, weight in (("Regular", 400), ("Bold", 700)):
        font = TTFont(source_dir / "NotoSansSC[wght].ttf")
        static = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
        # Give each instance its own names so PDF viewers and the office's font lists tell them apart.
        name_table = static["name"]
        family = "Noto Sans SC"
        name_table.setName(family, 1, 3, 1, 0x409)
        name_table.setName(style, 2, 3, 1, 0x409)
        name_table.setName(f"{family} {style}", 4, 3, 1, 0x409)
        name_table.setName(f"NotoSansSC-{style}", 6, 3, 1, 0x409)
        static["OS/2"].usWeightClass = weight
        static.save(HERE / f"NotoSansSC-{style}.ttf")
        print(f"wrote NotoSansSC-{style}.ttf")
    shutil.copyfile(source_dir / "OFL.txt", HERE / "OFL.txt")


def make_serif() -> None:
    for style, source in NOTO_SERIF.items():
        collection = TTCollection(source)
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Serif CJK SC")
        hanzi = _codes(FULL_HANZI) if style == "Regular" else gb2312_hanzi()
        _subset(font, _codes(TEXT_RANGES) | hanzi)
        _cff_to_glyf(font)
        name_table = font["name"]
        name_table.names = [n for n in name_table.names if n.platformID == 3 and n.langID == 0x409]
        name_table.setName("Noto Serif SC", 1, 3, 1, 0x409)
        name_table.setName(style, 2, 3, 1, 0x409)
        name_table.setName(f"Noto Serif SC {style}", 4, 3, 1, 0x409)
        name_table.setName(f"NotoSerifSC-{style}", 6, 3, 1, 0x409)
        _save(font, f"NotoSerifSC-{style}.ttf")


def make_kai() -> None:
    _save(_subset(TTFont(WENKAI), _codes(TEXT_RANGES) | gb2312_hanzi()), "LXGWWenKai-Regular.ttf")
    LICENSES.mkdir(exist_ok=True)
    shutil.copyfile(COPYRIGHT / "fonts-lxgw-wenkai/copyright", LICENSES / "LXGWWenKai.txt")


def fallback_codes() -> set[int]:
    """Every extension code point, and the BMP ideographs that the shipped Noto Sans SC lacks."""
    noto = set(TTFont(HERE / "NotoSansSC-Regular.ttf", lazy=True).getBestCmap())
    ideographs = _codes(
        [(0x2E80, 0x2FDF), (0x31C0, 0x31EF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F)]
    )
    return _codes(EXT_BLOCKS.values()) | (ideographs - noto)


def make_ext() -> None:
    wanted = fallback_codes()
    babelstone = TTFont(BABELSTONE)
    have = wanted & set(babelstone.getBestCmap())
    _save(_subset(babelstone, have), "HanExt-BabelStone.ttf")
    # HanaMin in one file: B first, then what only A has; both are drawn on the same 1024 em
    rest = wanted - have
    parts = []
    for path in HANAMIN:
        font = TTFont(path)
        mine = rest & set(font.getBestCmap())
        rest -= mine
        if mine:
            parts.append(_subset(font, mine))
    _save(_merge(parts), "HanExt-HanaMin.ttf")
    LICENSES.mkdir(exist_ok=True)
    shutil.copyfile(COPYRIGHT / "fonts-babelstone-han/copyright", LICENSES / "BabelStoneHan.txt")
    shutil.copyfile(COPYRIGHT / "fonts-hanazono/copyright", LICENSES / "Hanazono.txt")


def _merge(parts: list[TTFont]) -> TTFont:
    if len(parts) == 1:
        return parts[0]
    import io
    import tempfile

    from fontTools.merge import Merger

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, part in enumerate(parts):
            path = pathlib.Path(tmp) / f"{index}.ttf"
            part.recalcTimestamp = False
            part.save(path)
            paths.append(str(path))
        merged = Merger().merge(paths)
        buffer = io.BytesIO()
        merged.save(buffer)
    font = TTFont(io.BytesIO(buffer.getvalue()))
    font["name"].setName("HanExt HanaMin", 1, 3, 1, 0x409)
    font["name"].setName("HanExt HanaMin", 4, 3, 1, 0x409)
    font["name"].setName("HanExt-HanaMin", 6, 3, 1, 0x409)
    return font


def coverage() -> dict[str, tuple[int, int]]:
    """Per extension block: (characters the shipped fonts draw, characters assigned)."""
    have: set[int] = set()
    for path in sorted(HERE.glob("*.ttf")):
        have |= set(TTFont(path, lazy=True).getBestCmap())
    return {name: (len(have & _codes([span])), span[1] - span[0] + 1) for name, span in EXT_ASSIGNED.items()}


GROUPS = {"sans": make_sans, "serif": make_serif, "kai": make_kai, "ext": make_ext}


def main(argv: list[str]) -> None:
    for name in argv or list(GROUPS):
        GROUPS[name]()
    for block, (drawn, assigned) in coverage().items():
        print(f"Ext {block}: {drawn}/{assigned}")


if __name__ == "__main__":
    main(sys.argv[1:])
