"""The font stack: each character is drawn by the first font that has it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..problems import Problem, Where, error
from ..resources import fonts_dir

SHIPPED_REGULAR = "NotoSansSC-Regular.ttf"
SHIPPED_BOLD = "NotoSansSC-Bold.ttf"

# Characters that only steer layout; they are never drawn, so need no glyph.
_LAYOUT_ONLY = {"\n", "\r", "\t"}


@dataclass
class Face:
    """One registered TrueType font."""

    name: str  # the name registered with reportlab
    path: Path
    glyphs: dict[int, int]  # code point -> glyph: reportlab's own table, shared rather than copied
    widths: dict[int, int]  # code point -> advance in 1/1000 em (reportlab's, shared)
    default_width: int

    def has(self, char: str) -> bool:
        return ord(char) in self.glyphs


@cache
def _register(path: Path) -> Face:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    name = f"nb-{path.stem[:24]}-{digest}"
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    face = font.face
    return Face(name=name, path=path, glyphs=face.charToGlyph, widths=face.charWidths, default_width=face.defaultWidth)


def load_face(path: Path, where: Where) -> tuple[Face | None, Problem | None]:
    try:
        return _register(path.resolve()), None
    except FileNotFoundError:
        return None, error(where, f"找不到字体文件 {path}。")
    except (TTFError, OSError, ValueError, KeyError) as exc:
        return None, error(
            where,
            f"无法使用字体文件 {path.name}：只支持 TrueType（.ttf）字体，OpenType CFF（.otf）和字体集合（.ttc）不能嵌入 PDF。（{exc}）",
        )


@dataclass
class FontStack:
    regular: list[Face]
    bold: list[Face]
    _cache: dict = field(default_factory=dict, repr=False)
    _units: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)  # char -> advance, per weight
    _faces: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)  # char -> drawing face, per weight

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


def build_stack(user_fonts: list[tuple[Path, str, Where]]) -> tuple[FontStack, list[Problem]]:
    """User fonts first (each for 'all', 'regular' or 'bold'), then the shipped Noto Sans SC."""
    problems: list[Problem] = []
    regular: list[Face] = []
    bold: list[Face] = []
    for path, weight, where in user_fonts:
        face, problem = load_face(path, where)
        if problem:
            problems.append(problem)
            continue
        if weight in ("all", "regular"):
            regular.append(face)
        if weight in ("all", "bold"):
            bold.append(face)
    shipped = fonts_dir()
    regular.append(_register((shipped / SHIPPED_REGULAR).resolve()))
    bold.append(_register((shipped / SHIPPED_BOLD).resolve()))
    return FontStack(regular=regular, bold=bold), problems
