"""The font stack: each character is drawn by the first font that has it.

Fonts go by role (SPEC §3): a notice sets its title, body, 一、 headings and （一） headings in
their own typefaces, posters and letters use ``sans``. Each role's chain is: the office's fonts
given for that role, the shipped font of the role, then what every chain shares: the shipped
Noto Sans SC, the extension fallback (CJK Extensions B–H, for rare name characters), the office's
fonts without a role, and last the office's role fonts of other roles. So any character some
configured font has is drawn in every role, and the check needs only one question.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..problems import Problem, Where, error
from ..resources import fonts_dir

SHIPPED_REGULAR = "NotoSansSC-Regular.ttf"
SHIPPED_BOLD = "NotoSansSC-Bold.ttf"
ROLES = ("title", "body", "heading", "subheading", "sans")
# (regular, bold) shipped for each role; fonts/make_fonts.py says where each comes from
SHIPPED_ROLES = {
    "title": ("NotoSerifSC-Bold.ttf", "NotoSerifSC-Bold.ttf"),  # 小标宋-like: heavy serif in both weights
    "body": ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf"),  # 仿宋-like body: see README 「字体」
    "heading": (SHIPPED_REGULAR, SHIPPED_BOLD),  # 黑体: the layout asks for bold
    "subheading": ("LXGWWenKai-Regular.ttf", "LXGWWenKai-Regular.ttf"),  # 楷体 has one weight here
    "sans": (SHIPPED_REGULAR, SHIPPED_BOLD),
}
# rare name characters, PRC forms first (BabelStone Han), HanaMin for what it lacks
SHIPPED_FALLBACK = ("HanExt-BabelStone.ttf", "HanExt-HanaMin.ttf")

# Characters that only steer layout; they are never drawn, so need no glyph.
_LAYOUT_ONLY = {"\n", "\r", "\t"}


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with each destination written as UTF-16BE.

    reportlab writes the code point itself (<82> <2C317>), which is not UTF-16: a reader takes
    the first four digits and 陈𬌗 extracts as 陈ⰱ. A character beyond the BMP must be a
    surrogate pair (<82> <D870DF17>), as the PDF reference requires (§9.10.3).
    """
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1),
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


# TTFont.addObjects looks the function up in its module when it saves, so replacing it there
# fixes every subset of every font, ours and the office's, without copying reportlab's method.
ttfonts.makeToUnicodeCMap = to_unicode_cmap


class Face:
    """One TrueType font, registered with reportlab only when something is measured or drawn in it.

    Seven shipped fonts (the extension fallback alone is 44 MB) would cost 150 MiB if reportlab
    read them all up front; a letter run draws in two of them. Which characters a face has comes
    from its cmap alone, read with fontTools, so the glyph check never loads a font.
    """

    def __init__(self, path: Path):
        self.path = path
        self._font: TTFont | None = None
        self._codes: frozenset[int] | None = None

    @property
    def loaded(self) -> bool:
        return self._font is not None

    def load(self) -> TTFont:
        if self._font is None:
            digest = hashlib.sha1(str(self.path).encode()).hexdigest()[:8]
            font = TTFont(f"nb-{self.path.stem[:24]}-{digest}", str(self.path))
            pdfmetrics.registerFont(font)
            self._font = font
            self._codes = frozenset(font.face.charToGlyph)  # reportlab's own table is the last word
        return self._font

    @property
    def name(self) -> str:
        """The name registered with reportlab."""
        return self.load().fontName

    @property
    def widths(self) -> dict[int, int]:
        """Code point -> advance in 1/1000 em (reportlab's, shared)."""
        return self.load().face.charWidths

    @property
    def default_width(self) -> int:
        return self.load().face.defaultWidth

    def has(self, char: str) -> bool:
        if self._codes is None:
            self._codes = _cmap_codes(self.path)
        return ord(char) in self._codes


def _cmap_codes(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(str(path), lazy=True) as font:
        if "maxp" in font:  # only the codes are wanted: naming every glyph from the cmap first took longer
            font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap() or {})


@cache
def _register(path: Path) -> Face:
    return Face(path)


def load_face(path: Path, where: Where) -> tuple[Face | None, Problem | None]:
    try:
        face = _register(path.resolve())
        face.load()  # the office's file is read now, so a broken one is a located error at check
        return face, None
    except FileNotFoundError:
        return None, error(where, f"找不到字体文件 {path}。")
    except (TTFError, OSError, ValueError, KeyError) as exc:
        return None, error(
            where,
            f"无法使用字体文件 {path.name}：只支持 TrueType（.ttf）字体，OpenType CFF（.otf）和字体集合（.ttc）"
            "不能嵌入 PDF。"
            f"（{exc}）",
        )


@dataclass
class FontStack:
    regular: list[Face]
    bold: list[Face]
    roles: dict[str, FontStack] = field(default_factory=dict, repr=False)  # on the root stack only
    _cache: dict = field(default_factory=dict, repr=False)
    _units: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)  # char -> advance, per weight
    _faces: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)  # char -> drawing face, per weight

    def role(self, name: str) -> FontStack:
        """The chains for one role; the stack itself (sans) for a role it does not know."""
        return self.roles.get(name, self)

    @property
    def primary(self) -> Face:
        """The face a canvas starts with and charts use: the first regular face (Noto Sans SC)."""
        return self.regular[0]

    def faces(self, bold: bool) -> list[Face]:
        return self.bold if bold else self.regular

    def face_for(self, char: str, bold: bool = False) -> Face | None:
        key = (char, bold)
        if key not in self._cache:
            self._cache[key] = next((f for f in self.faces(bold) if f.has(char)), None)
        return self._cache[key]

    def missing(self, text: str) -> list[str]:
        """Characters no font in either weight can draw, in order of first appearance."""
        out: list[str] = []
        for char in dict.fromkeys(text):
            if char in _LAYOUT_ONLY:
                continue
            if self.face_for(char, False) is None or self.face_for(char, True) is None:
                out.append(char)
        return out

    def runs(self, text: str, bold: bool = False) -> list[tuple[Face, str]]:
        """Split text into (face, substring) runs. Text must have passed the glyph check."""
        faces = self._faces[bold]
        runs: list[tuple[Face, str]] = []
        start = 0
        current = None
        for index, char in enumerate(text):
            face = faces.get(char)
            if face is None:
                # the check stage rejects characters no face has; keep layout total anyway
                face = faces[char] = self.face_for(char, bold) or self.faces(bold)[-1]
            if face is not current:
                if current is not None:
                    runs.append((current, text[start:index]))
                current, start = face, index
        if current is not None:
            runs.append((current, text[start:]))
        return runs

    def char_width(self, char: str, size: float, bold: bool = False) -> float:
        face = self.face_for(char, bold) or self.faces(bold)[-1]
        return face.widths.get(ord(char), face.default_width) * size / 1000.0

    def width(self, text: str, size: float, bold: bool = False) -> float:
        # the hottest function in layout (millions of calls for a letter run): one dict lookup per character
        units = self._units[bold]
        total = 0
        for char in text:
            advance = units.get(char)
            if advance is None:
                face = self.face_for(char, bold) or self.faces(bold)[-1]
                advance = units[char] = face.widths.get(ord(char), face.default_width)
            total += advance
        return total * size / 1000.0


def describe_char(char: str) -> str:
    return f"「{char}」（U+{ord(char):04X}）"


def build_stack(user_fonts: list[tuple]) -> tuple[FontStack, list[Problem]]:
    """The root (sans) stack with a stack per role; see the module docstring for the order.

    Each entry is (file, weight, where) or (file, weight, where, role): weight is 'all',
    'regular' or 'bold', role one of ROLES or None for a fallback.
    """
    problems: list[Problem] = []
    by_role: dict[str | None, list[tuple[Face, str]]] = {}
    for entry in user_fonts:
        path, weight, where = entry[:3]
        role = entry[3] if len(entry) > 3 else None
        face, problem = load_face(path, where)
        if problem:
            problems.append(problem)
        if face is not None:
            by_role.setdefault(role, []).append((face, weight))
    shipped = fonts_dir()

    def ship(name: str) -> Face:
        return _register((shipped / name).resolve())

    def pick(entries: list[tuple[Face, str]], bold: bool) -> list[Face]:
        return [face for face, weight in entries if weight in ("all", "bold" if bold else "regular")]

    def unique(faces: list[Face]) -> list[Face]:
        return list({id(face): face for face in faces}.values())

    fallback = [ship(name) for name in SHIPPED_FALLBACK]
    last = [face for role, entries in by_role.items() if role is not None for face, _ in entries]

    def chain(role: str, bold: bool) -> list[Face]:
        own = pick(by_role.get(role, []), bold) + [ship(SHIPPED_ROLES[role][bold])]
        shared = [ship(SHIPPED_BOLD if bold else SHIPPED_REGULAR)] + fallback + pick(by_role.get(None, []), bold)
        # a user font given for one weight only still draws, in the other weight, what nothing else has
        rest = [face for face, _ in by_role.get(None, [])] + last
        return unique(own + shared + rest)

    roles = {role: FontStack(regular=chain(role, False), bold=chain(role, True)) for role in ROLES}
    root = roles["sans"]
    return FontStack(regular=root.regular, bold=root.bold, roles=roles), problems
