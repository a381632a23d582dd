"""No tofu: every printable character must be in some font of the stack."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from ..kinds import KindSpec
from ..layout.fonts import FontStack, describe_char
from ..models import Notice, Text
from ..problems import Problem, error

INVISIBLE = {"Cf", "Cc", "Zl", "Zp"}  # format and control characters, line and paragraph separators


def printable_texts(notice: Notice, kind: KindSpec) -> Iterator[Text]:
    """What the notice prints: the common fields its page template prints around the body, then every
    user string of its composition (``Composition.texts``), which the online copy publishes too."""
    yield notice.title
    yield Text(notice.url, notice.at("id"))  # printed beside the QR code, so its id and base_url count too
    yield notice.issuer
    if notice.hotline:
        yield notice.hotline
    for review in notice.reviews:
        yield review.by
    if notice.content is not None:  # a notice whose content did not load prints nothing of it
        yield from kind.compose(notice).texts()


def check_glyphs(texts: Iterable[Text], fonts: FontStack) -> list[Problem]:
    problems = []
    for text in texts:
        for char in fonts.missing(text.value):
            if unicodedata.category(char) in INVISIBLE:
                problems.append(
                    error(
                        text.where,
                        (
                            f"这里有一个看不见的字符（U+{ord(char):04X}），"
                            "多半是从网页或微信复制时带进来的。请删去它（可以把这一格重新输入一遍）。"
                        ),
                    )
                )
                continue
            problems.append(
                error(
                    text.where,
                    (
                        f"字符{describe_char(char)}没有任何字体能显示，印出来会是空框。"
                        "请改用常用字或同音字并加注说明，"
                        "或在 noticeboard.yaml 的 fonts 中加入包含这个字的 TrueType 字体。"
                    ),
                )
            )
    return problems
