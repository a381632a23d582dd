"""Running text written in a notice file (``body:``), split into located paragraphs.

Shared by the kinds that take prose (公告、通知 and 致村民的一封信). ``body`` is a list of
paragraphs, or one text (``body: |``) with a blank line between paragraphs. Inside one
paragraph, line breaks are joined (no space between Chinese characters). A line that starts
with a heading number (一、 （一） 1. （1）) starts a new paragraph even without a blank line.
Each paragraph keeps the file line it starts on, so messages can point at it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..layout.document import heading_level
from ..models import Notice, Text
from ..problems import Problem, Where, error
from .yamlsrc import MapReader, YNode

_WIDE_JOIN = re.compile(r"[\u2e80-\uffef]")
# YAML's folded style (>) joins lines with a space, which Chinese text never has between characters
_FOLDED_SPACE = re.compile(r"(?<=[\u2e80-\uffef]) (?=[\u2e80-\uffef])")


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph: Chinese joins without a space, Latin words keep one."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (_WIDE_JOIN.match(text[-1]) or _WIDE_JOIN.match(line[0])):
            text += " "
        text += line
    return text


def split_paragraphs(
    value: str, folded: bool = False, breaks: re.Pattern | None = None, one_per_line: bool = False
) -> list[tuple[str, str]]:
    """(paragraph, its first source line) for one text: blank lines and heading numbers start paragraphs.

    A line matching ``breaks`` (e.g. a table marker) is a paragraph of its own. In a folded
    scalar (``body: >``) YAML has already joined the lines of a paragraph and turned each blank
    line into a single line break, so there every line is a paragraph, as it is everywhere
    with ``one_per_line`` (a letter, typed line by line: 尊敬的…： then 您好！…).
    """
    paragraphs: list[tuple[str, str]] = []
    current: list[str] = []
    for raw in value.split("\n"):
        if (folded or one_per_line) and current:
            paragraphs.append((join_lines(current), current[0]))
            current = []
        line = _FOLDED_SPACE.sub("", raw.strip())
        alone = bool(line) and breaks is not None and bool(breaks.match(line))
        starts_new = bool(line) and (heading_level(line)[0] > 0 or alone)
        if (not line or starts_new) and current:
            paragraphs.append((join_lines(current), current[0]))
            current = []
        if line:
            current.append(line)
            if alone:
                paragraphs.append((line, line))
                current = []
    if current:
        paragraphs.append((join_lines(current), current[0]))
    return paragraphs


class _SourceLines:
    """Finds the file line a paragraph starts on, for messages: block scalars do not keep them."""

    def __init__(self, path: Path):
        try:
            self.lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def folded(self, line: int) -> bool:
        """Does the scalar that starts on this line use the folded style (>)?"""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return bool(re.search(r"(^|[\s:-])>[-+0-9]*\s*(#.*)?$", text))

    def find(self, text: str, start: int) -> int | None:
        # a short probe: a folded (>) scalar has joined the paragraph's first lines into one
        probe = text.split()[0][:4] if text.split() else ""
        for number in range(start, len(self.lines) + 1):
            if probe and probe in self.lines[number - 1]:
                return number
        return None


def read_body(
    notice: Notice,
    reader: MapReader,
    label: str,
    what: str,
    problems: list[Problem],
    breaks: re.Pattern | None = None,
    one_per_line: bool = False,
) -> list[Text]:
    """The paragraphs of ``body:``, each at the file line it starts on.

    ``label`` is the key's Chinese name (正文) and ``what`` names the text for the
    "empty" message (公告或通知的正文, 信的正文).
    """
    node = reader.raw("body")
    if node is None:
        problems.append(
            error(
                reader.where(),
                (
                    f"通知文件缺少「body」（{label}），请补上：可以写成段落列表（每段以「- 」开头），"
                    "或写 body: | 再在下面逐段书写，段与段之间空一行。"
                ),
            )
        )
        return []
    if node.is_map:
        problems.append(
            error(reader.where("body"), f"「body」（{label}）应当是段落列表或一段文字，不能是「键: 值」的映射。")
        )
        return []
    source = _SourceLines(notice.path)
    items: list[YNode] = node.value if node.is_seq else [node]  # type: ignore[assignment]
    paragraphs: list[Text] = []
    cursor = reader.where("body").line or 1
    bad_items = 0
    for item in items:
        if not item.is_scalar:
            bad_items += 1
            problems.append(
                error(Where(reader.file, item.line), f"「body」（{label}）的每一项都应当是一段文字，不能是列表或映射。")
            )
            continue
        if item.value is None or not str(item.value).strip():
            continue
        cursor = max(cursor, item.line)
        for text, first in split_paragraphs(str(item.value), source.folded(item.line), breaks, one_per_line):
            found = source.find(first, cursor)
            line = found or item.line
            cursor = found + 1 if found else cursor  # each paragraph starts on a later line
            paragraphs.append(Text(text, Where(reader.file, line)))
    if not paragraphs and not bad_items:
        problems.append(error(reader.where("body"), f"「body」（{label}）是空的，请写上{what}。"))
    return paragraphs
