"""CJK line breaking that obeys 禁则 (line-start and line-end prohibitions).

We break text ourselves instead of using reportlab's Paragraph: its CJK wrap was
seen putting ， and 。 at line starts, and its markup parser would need every
user string escaped. Here user text is only ever measured and drawn verbatim.
"""

from __future__ import annotations

import re
import unicodedata

from .fonts import FontStack

# A line must not start with these (closing punctuation, 顿号, ellipsis, dash, units).
NO_LINE_START = set("，。、；：？！）》」』”’〕】〗〉｝］…‥—·～%‰℃,.;:?!)]}>")
# A line must not end with these (opening brackets and quotes).
NO_LINE_END = set("（《「『“‘〔【〖〈｛［([{<")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _units(text: str) -> list[str]:
    """Split a line of text into unbreakable units, 禁则 already applied."""
    raw: list[str] = []
    for token in re.findall(r"[ \t]+|.", text.replace("\r", "")):
        if token[0] in " \t":
            raw.append(" ")  # a breakable, droppable space
            continue
        char = token
        if raw and not _is_wide(char) and char not in NO_LINE_START and char not in NO_LINE_END \
                and raw[-1] != " " and not _is_wide(raw[-1][-1]) and raw[-1][-1] not in NO_LINE_END:
            raw[-1] += char  # keep runs of Latin letters and digits (amounts, phone numbers) whole
        else:
            raw.append(char)
    units: list[str] = []
    for unit in raw:
        if units and unit != " " and unit[0] in NO_LINE_START:
            if units[-1] != " ":
                units[-1] += unit
            elif len(units) >= 2:  # "word ，": keep the space, but never start a line with the comma
                units.pop()
                units[-1] += " " + unit
            else:
                units.append(unit)
        elif units and units[-1].rstrip(" ")[-1:] in NO_LINE_END and units[-1].strip(" "):
            units[-1] += unit  # an opening bracket stays with what follows, even across a space
        else:
            units.append(unit)
    return units


def _kinsoku_pieces(unit: str) -> list[str]:
    pieces: list[str] = []
    for char in unit:
        if pieces and (char in NO_LINE_START or pieces[-1][-1] in NO_LINE_END):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def wrap(text: str, width: float, size: float, stack: FontStack, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points. Newlines are hard breaks.

    Nothing is dropped: a unit wider than the line (a long URL, say) is split by
    character as a last resort.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, size, stack, bold))
    return lines


def _wrap_paragraph(text: str, width: float, size: float, stack: FontStack, bold: bool) -> list[str]:
    if not text.strip():
        return [""]
    lines: list[str] = []
    current = ""
    current_width = 0.0
    for unit in _units(text):
        unit_width = stack.width(unit, size, bold)
        if unit == " ":
            if current:
                current += unit
                current_width += unit_width
            continue
        if current_width + unit_width <= width + 1e-6:
            current += unit
            current_width += unit_width
            continue
        if current.strip():
            lines.append(current.rstrip(" "))
        current, current_width = "", 0.0
        if unit_width <= width + 1e-6:
            current, current_width = unit, unit_width
            continue
        # an over-long unit (a URL, a long number): break between characters, still obeying 禁则
        for piece in _kinsoku_pieces(unit):
            piece_width = stack.width(piece, size, bold)
            if current and current_width + piece_width > width + 1e-6:
                lines.append(current)
                current, current_width = "", 0.0
            if piece_width > width + 1e-6:  # nothing legal is left: any break beats running off the sheet
                for char in piece:
                    char_width = stack.char_width(char, size, bold)
                    if current and current_width + char_width > width + 1e-6:
                        lines.append(current)
                        current, current_width = "", 0.0
                    current += char
                    current_width += char_width
                continue
            current += piece
            current_width += piece_width
    if current.strip():
        lines.append(current.rstrip(" "))
    return lines or [""]


def kinsoku_violations(lines: list[str]) -> list[str]:
    """Lines that break a 禁则 rule, for tests and self-checks."""
    bad = []
    for index, line in enumerate(lines):
        if index > 0 and line and line[0] in NO_LINE_START:
            bad.append(line)
        if index < len(lines) - 1 and line and line[-1] in NO_LINE_END:
            bad.append(line)
    return bad


def balanced_wrap(text: str, width: float, size: float, stack: FontStack, bold: bool = False) -> list[str]:
    """Like wrap, but with lines of even length: 完成/预算% rather than 完成预/算%."""
    lines = wrap(text, width, size, stack, bold)
    if len(lines) < 2:
        return lines
    low, high = 0.0, width
    for _ in range(12):  # bisect for the narrowest width that needs no more lines
        middle = (low + high) / 2
        if len(wrap(text, middle, size, stack, bold)) <= len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, high, size, stack, bold)
