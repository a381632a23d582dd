"""CJK line breaking that obeys 禁则 (line-start and line-end prohibitions).

We break text ourselves instead of using reportlab's Paragraph: its CJK wrap was
seen putting ， and 。 at line starts, and its markup parser would need every
user string escaped. Here user text is only ever measured and drawn verbatim.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Protocol

from .fonts import FontStack

# A line must not start with these (closing punctuation, 顿号, ellipsis, dash, units).
NO_LINE_START = set("，。、；：？！）》」』”’〕】〗〉｝］…‥—·～%‰℃,.;:?!)]}>")
# A line must not end with these (opening brackets and quotes).
NO_LINE_END = set("（《「『“‘〔【〖〈｛［([{<")


class Measure(Protocol):
    """What line breaking asks of a font stack; a stand-in (the widest of several stacks) can answer too."""

    def width(self, text: str, size: float, bold: bool = False) -> float: ...

    def char_width(self, char: str, size: float, bold: bool = False) -> float: ...


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


_WIDE, _NO_START, _NO_END = 1, 2, 4
_FLAGS: dict[str, int] = {}  # char -> the three properties above; every line of every sheet asks


def _flags(char: str) -> int:
    flags = _FLAGS.get(char)
    if flags is None:
        flags = _FLAGS[char] = (
            (_WIDE if _is_wide(char) else 0)
            | (_NO_START if char in NO_LINE_START else 0)
            | (_NO_END if char in NO_LINE_END else 0)
        )
    return flags


def _units(text: str) -> list[str]:
    """Split a line of text into unbreakable units, 禁则 already applied."""
    raw: list[str] = []
    known = _FLAGS
    last = -1  # flags of the last character put in ``raw``; -1: a space (or nothing yet), -2: see below
    for char in text:
        flags = known.get(char)
        if flags is None:
            if char == " " or char == "\t":
                if last != -1 or not raw:
                    raw.append(" ")  # a breakable, droppable space, one for a run of them
                    last = -1
                continue
            if char == "\r":  # dropped before the line is split
                continue
            if char == "\n":  # not part of a line, but it ends a run of spaces
                if last == -1:
                    last = -2  # a space is last, and a space after the break is a unit of its own
                continue
            flags = _flags(char)
        if not flags and last >= 0 and not last & (_WIDE | _NO_END):
            raw[-1] += char  # keep runs of Latin letters and digits (amounts, phone numbers) whole
        else:
            raw.append(char)
        last = flags
    units: list[str] = []
    opens = False  # does units[-1] end (spaces aside) in an opening bracket or quote?
    for unit in raw:
        if units and unit != " " and unit[0] in NO_LINE_START:
            if units[-1] != " ":
                units[-1] += unit
            elif len(units) >= 2:  # "word ，": keep the space, but never start a line with the comma
                units.pop()
                units[-1] += " " + unit
            else:
                units.append(unit)
        elif opens:
            units[-1] += unit  # an opening bracket stays with what follows, even across a space
        else:
            units.append(unit)
        if unit != " ":
            opens = unit[-1] in NO_LINE_END
        elif units[-1] != " ":
            end = units[-1].rstrip(" ")[-1:]
            opens = bool(end) and end in NO_LINE_END
        else:
            opens = False
    return units


@lru_cache(maxsize=1024)
def _remembered_units(text: str) -> tuple[str, ...]:
    return tuple(_units(text))


def _units_of(text: str) -> tuple[str, ...] | list[str]:
    """``_units``, remembered for short texts: a fitting loop wraps the same table cells and headings
    at every size it tries. Long texts are not kept: a letter run fills each household's paragraphs
    in, every one different, and keeping them cost 12 MiB at ten thousand letters."""
    return _remembered_units(text) if len(text) <= _REMEMBERED_LENGTH else _units(text)


_REMEMBERED_LENGTH = 80


def _kinsoku_pieces(unit: str) -> list[str]:
    pieces: list[str] = []
    for char in unit:
        if pieces and (char in NO_LINE_START or pieces[-1][-1] in NO_LINE_END):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def wrap(text: str, width: float, size: float, stack: Measure, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points. Newlines are hard breaks.

    Nothing is dropped: a unit wider than the line (a long URL, say) is split by
    character as a last resort.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, size, stack, bold))
    return lines


def _wrap_paragraph(text: str, width: float, size: float, stack: Measure, bold: bool) -> list[str]:
    if not text.strip():
        return [""]
    lines: list[str] = []
    current = ""
    current_width = 0.0
    # what FontStack.width reads (most units are one character); a stand-in stack measures for itself
    advances = stack._units[bold] if type(stack) is FontStack else {}
    for unit in _units_of(text):
        advance = advances.get(unit)
        unit_width = stack.width(unit, size, bold) if advance is None else advance * size / 1000.0
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


def balanced_wrap(text: str, width: float, size: float, stack: Measure, bold: bool = False) -> list[str]:
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
