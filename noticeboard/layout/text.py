"""CJK line breaking that obeys 禁则 (line-start and line-end prohibitions).

We break text ourselves instead of using reportlab's Paragraph: its CJK wrap was
seen putting ， and 。 at line starts, and its markup parser would need every
user string escaped. Here user text is only ever measured and drawn verbatim.

Beyond 禁则, two rules a print shop asks for: a number stays on the line of its unit or measure
word (2,468.78万元, 3个村, 12公里, 25%), and a paragraph never ends on a line of one character
(乡村振/兴 becomes 乡村/振兴): the last line takes a unit down from the line before it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol

from .fonts import FontStack

# A line must not start with these (closing punctuation, 顿号, ellipsis, dash, units).
NO_LINE_START = set("，。、；：？！）》」』”’〕】〗〉｝］…‥—·～%‰℃,.;:?!)]}>")
# A line must not end with these (opening brackets and quotes).
NO_LINE_END = set("（《「『“‘〔【〖〈｛［([{<")

DIGITS = set("0123456789０１２３４５６７８９")
# Units and measure words a number keeps on its line: money, counts, areas, lengths, weights, time.
# A number is followed by one or two of them (5人次, 2026年度, 3万余元), or by one over another (元/月).
NUMBER_UNITS = (
    ("万元", "亿元", "千元", "百元", "元", "角", "万", "亿", "千", "百")  # money, and 万 of anything
    + ("%", "‰", "℃", "倍", "度")
    + ("个", "户", "人", "名", "位", "项", "次", "张", "间", "套", "栋", "座", "所", "处", "家", "条", "件", "台")
    + ("辆", "批", "份", "本", "册", "页", "笔", "组", "届", "期", "号", "室", "层")
    + ("亩", "顷", "平方米", "平方公里", "平方千米", "立方米", "米", "公里", "千米", "厘米", "毫米")
    + ("吨", "斤", "公斤", "千克", "克", "升")
    + ("日", "天", "月", "年", "岁", "周岁", "周", "小时", "时", "分钟", "分", "秒")
)
_UNIT_SIGNS = frozenset("%‰℃")  # units written as one narrow sign: a number after one is a new number
_UNIT = "|".join(re.escape(u) for u in sorted(NUMBER_UNITS, key=len, reverse=True))
_AFTER_NUMBER = re.compile(rf"[余多]?(?:{_UNIT}){{1,2}}(?:[/／](?:{_UNIT}))?")
_LONGEST_AFTER_NUMBER = 16  # characters: longer than any match of _AFTER_NUMBER (余平方公里/平方公里)


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
        if (
            not flags
            and last >= 0
            and not last & (_WIDE | _NO_END)
            and not (raw[-1][-1] in _UNIT_SIGNS and char in DIGITS)
        ):
            # keep runs of Latin letters and digits (amounts, phone numbers) whole; a number after 25%
            # starts a unit of its own, so that it can keep its own unit word (增长25%1万元 is 25% / 1万元)
            raw[-1] += char
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
    return _glue_numbers(units)


class _Glued(str):
    """A unit made of a number and its unit word; ``parts`` are where it may break as a last resort,
    when the whole is wider than the line."""

    parts: tuple[str, ...]


def _glue_numbers(units: list[str]) -> list[str]:
    """Join a number to the unit word after it (2,468.78 + 万元), and wide digits to each other.

    A number's own digits, separators and decimals are one unit already (see ``_units``)."""
    out: list[str] = []
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if unit[-1] not in DIGITS or index >= len(units):
            out.append(unit)
            continue
        ahead, stop = "", index
        while stop < len(units) and units[stop] != " " and len(ahead) < _LONGEST_AFTER_NUMBER:
            ahead += units[stop]
            stop += 1
        if ahead[:1] in DIGITS:  # full-width digits are wide, so each was a unit of its own
            units[index] = unit + units[index]
            continue
        match = _AFTER_NUMBER.match(ahead)
        if match is None:
            out.append(unit)
            continue
        word, taken = "", index
        while len(word) < match.end():  # whole units: the word may end inside one (元，)
            word += units[taken]
            taken += 1
        glued = _Glued(unit + word)
        glued.parts = (unit, word)
        out.append(glued)
        index = taken
    return out


@lru_cache(maxsize=1024)
def _remembered_units(text: str) -> tuple[str, ...]:
    return tuple(_units(text))


def _units_of(text: str) -> tuple[str, ...] | list[str]:
    """``_units``, remembered for short texts: a fitting loop wraps the same table cells and headings
    at every size it tries. Long texts are not kept: a letter run fills each household's paragraphs
    in, every one different, and keeping them cost 12 MiB at ten thousand letters."""
    return _remembered_units(text) if len(text) <= _REMEMBERED_LENGTH else _units(text)


_REMEMBERED_LENGTH = 80


_IN_NUMBER = DIGITS | {",", "."}


def _kinsoku_pieces(unit: str, numbers: bool = True) -> list[str]:
    """Where an over-long unit may break: between characters, but not against 禁则 and never inside a
    number (镇%10 glues as one unit, since % may not start a line; it breaks as 镇% / 10, not 镇%1 / 0)."""
    pieces: list[str] = []
    for char in unit:
        if pieces and (
            char in NO_LINE_START
            or pieces[-1][-1] in NO_LINE_END
            or (numbers and char in _IN_NUMBER and pieces[-1][-1] in DIGITS)
            or (numbers and char in DIGITS and pieces[-1][-1] in _IN_NUMBER and pieces[-1][-2:-1] in DIGITS)
        ):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def wrap(
    text: str, width: float, size: float, stack: Measure, bold: bool = False, first_width: float | None = None
) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points. Newlines are hard breaks.

    ``first_width`` (default ``width``) is the first line's, e.g. narrower for an indent.
    Nothing is dropped: a unit wider than the line (a long URL, say) is split by
    character as a last resort.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, size, stack, bold, width if lines else first_width))
    return lines


def _visible(line: str) -> int:
    """Characters of ``line`` other than spaces and punctuation: a line of 兴。 holds one."""
    return sum(1 for char in line if not char.isspace() and char not in NO_LINE_START and char not in NO_LINE_END)


def _wrap_paragraph(
    text: str, width: float, size: float, stack: Measure, bold: bool, first_width: float | None = None
) -> list[str]:
    if not text.strip():
        return [""]
    lines: list[list[str]] = []  # each line as the units (or pieces of over-long units) it holds
    current: list[str] = []
    current_width = 0.0
    limit = (width if first_width is None else first_width) + 1e-6
    # what FontStack.width reads (most units are one character); a stand-in stack measures for itself
    advances = stack._units[bold] if type(stack) is FontStack else {}

    def measure(piece: str) -> float:
        advance = advances.get(piece)
        return stack.width(piece, size, bold) if advance is None else advance * size / 1000.0

    def new_line() -> None:
        nonlocal current, current_width, limit
        lines.append(current)
        current, current_width, limit = [], 0.0, width + 1e-6

    for unit in _units_of(text):
        unit_width = measure(unit)
        if unit == " ":
            if current:
                current.append(unit)
                current_width += unit_width
            continue
        if current_width + unit_width <= limit:
            current.append(unit)
            current_width += unit_width
            continue
        if "".join(current).strip():
            new_line()
        else:
            current, current_width = [], 0.0
        if unit_width <= limit:
            current, current_width = [unit], unit_width
            continue
        # an over-long unit (a URL, a long number with its unit): break where it least hurts. A number
        # leaves its unit word first; then between characters, still obeying 禁则; then anywhere,
        # since any break beats running off the sheet.
        for part in unit.parts if isinstance(unit, _Glued) else (unit,):
            part_width = measure(part)
            if current and current_width + part_width > limit:
                new_line()
            if part_width <= limit:
                current.append(part)
                current_width += part_width
                continue
            for piece in _kinsoku_pieces(part):
                if len(piece) > 1 and measure(piece) > limit and any(char in DIGITS for char in piece):
                    # a number wider than the line (with the 。 glued to it) splits after all, but still by
                    # 禁则, so that 1234567。 does not leave its 。 to start the next line
                    bits = _kinsoku_pieces(piece, numbers=False)
                else:
                    bits = [piece]
                for bit in bits:
                    bit_width = measure(bit)
                    if current and current_width + bit_width > limit:
                        new_line()
                    if bit_width > limit:
                        for char in bit:
                            char_width = stack.char_width(char, size, bold)
                            if current and current_width + char_width > limit:
                                new_line()
                            current.append(char)
                            current_width += char_width
                        continue
                    current.append(bit)
                    current_width += bit_width
    if "".join(current).strip():
        lines.append(current)
    if len(lines) >= 2:
        _pull_down(lines, width, measure)
    return ["".join(line).rstrip(" ") for line in lines] or [""]


def _pull_down(lines: list[list[str]], width: float, measure) -> None:
    """A last line of one character takes the last unit of the line before it (乡村振/兴 → 乡村/振兴),
    when that still fits and does not just move the lone character up (a line of two is left be)."""
    last, before = lines[-1], lines[-2]
    if _visible("".join(last)) != 1:
        return
    spaced = before[-1] == " "  # the break was at a space, which then goes down with the unit
    head = before[:-1] if spaced else before[:]
    while head and head[-1] == " ":
        head.pop()
    if len(head) < 2:
        return
    unit = head.pop()
    while head and head[-1] == " ":
        head.pop()
    if not head or not (_visible("".join(head)) >= 2 or _visible("".join(before)) >= 3):
        return
    down = [unit] + ([" "] if spaced else []) + last
    if sum(measure(piece) for piece in down) > width + 1e-6:
        return
    lines[-2:] = [head, down]


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
