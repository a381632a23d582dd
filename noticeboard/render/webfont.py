"""The online copy's own font for rare characters (SPEC §5): a WOFF2 subset per page.

A phone that scans the QR code has the common ideographs, not the rare ones a name may hold
(CJK Extensions A to H, the newest additions to the main block). The page carries exactly
those it uses, cut from the same fonts that print them on the sheet, in one WOFF2 file per
source font, declared with @font-face and a unicode-range so the browser takes nothing else
from them. Nothing is fetched from elsewhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from ..layout.fonts import FontStack

FAMILY = "nb-rare"  # the CSS family name the page's font list starts with
# what phones lack: Extension A, the main block after GBK's 9FA5, and the supplementary planes
_RARE_RANGES = ((0x3400, 0x4DBF), (0x9FA6, 0x9FFF), (0x20000, 0x3FFFF))


@dataclass(frozen=True)
class WebFont:
    file: str  # beside the page
    unicode_range: str  # CSS, e.g. U+20BB7,U+2C317
    data: bytes


def is_rare(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _RARE_RANGES)


def rare_chars(text: str) -> list[str]:
    return sorted(char for char in set(text) if is_rare(char))  # a page repeats a few thousand characters


@lru_cache(maxsize=8)
def _font_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _woff2(path: Path, chars: list[str]) -> bytes:
    font = TTFont(io.BytesIO(_font_bytes(path)), lazy=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # the copyright and the names stay with the glyphs
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE", "GSUB", "GPOS", "GDEF"]
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    font.flavor = "woff2"
    font.recalcTimestamp = False
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def web_fonts(text: str, stack: FontStack, prefix: str = "rare") -> list[WebFont]:
    """The WOFF2 subsets for the rare characters of ``text``, drawn by the faces the sheet uses."""
    by_face: dict[Path, list[str]] = {}
    for char in rare_chars(text):
        face = stack.face_for(char)
        if face is not None:  # the check has refused characters no font has
            by_face.setdefault(face.path, []).append(char)
    fonts = []
    for index, (path, chars) in enumerate(by_face.items(), start=1):
        unicode_range = ",".join(f"U+{ord(c):X}" for c in chars)
        fonts.append(WebFont(f"{prefix}-{index}.woff2", unicode_range, _woff2(path, chars)))
    return fonts
