"""No tofu: every printable character must be in some font of the stack."""

from __future__ import annotations

from typing import Iterable

from ..kinds import KindSpec
from ..layout.fonts import FontStack, describe_char
from ..models import Notice, Text
from ..problems import Problem, error


def printable_texts(notice: Notice, kind: KindSpec) -> Iterable[Text]:
    yield notice.title
    yield notice.issuer
    if notice.hotline:
        yield notice.hotline
    for review in notice.reviews:
        yield review.by
    yield from kind.texts(notice)


def check_glyphs(notice: Notice, kind: KindSpec, fonts: FontStack) -> list[Problem]:
    problems = []
    for text in printable_texts(notice, kind):
        for char in fonts.missing(text.value):
            problems.append(error(text.where, (
                f"字符{describe_char(char)}没有任何字体能显示，印出来会是空框。"
                "请改用常用字或同音字并加注说明，或在 noticeboard.yaml 的 fonts 中加入包含这个字的 TrueType 字体。")))
    return problems
