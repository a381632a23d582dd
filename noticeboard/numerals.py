"""Chinese numerals, read and written: heading numbers (一、 （二）), group names (第十一组) and
time limits (二十个工作日). The one place that knows 十 and 百, so that the kinds and the
calendar agree on what 十二 is."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_VALUES = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2}
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
_DIGIT = "[一二两三四五六七八九]"
# 一百零五, 一百二十, 二十三, 十二: hundreds, a 零 standing for empty tens, tens, units
_POSITIONAL = re.compile(rf"(?:({_DIGIT})百)?(零)?(?:({_DIGIT})?(十))?({_DIGIT})?")


def chinese_number(text: str) -> int | None:
    """十二 -> 12, 一百零五 -> 105, 二〇二六 -> 2026 (digit by digit), １２ -> 12; None for anything else."""
    text = text.translate(_WIDE)
    if text.isdigit():
        return int(text)
    if not text:
        return None
    if all(c in _VALUES for c in text):
        return int("".join(str(_VALUES[c]) for c in text))
    match = _POSITIONAL.fullmatch(text)
    if not match:
        return None
    hundreds, zero, tens, ten, units = match.groups()
    if zero and (hundreds is None or ten or not units):
        return None
    value = _VALUES[hundreds] * 100 if hundreds else 0
    if ten:
        value += (_VALUES[tens] if tens else 1) * 10
    return value + (_VALUES[units] if units else 0)


def chinese_numeral(number: int) -> str:
    """12 -> 十二, 20 -> 二十, 105 -> 一百零五: how a heading or a list counts, from 零 to 九百九十九."""
    if number < 10:
        return DIGITS[number]
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    if not hundreds:
        return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[units] if units else "")
    text = DIGITS[hundreds] + "百"
    if tens:
        text += DIGITS[tens] + "十"
    elif units:
        text += "零"
    return text + (DIGITS[units] if units else "")
