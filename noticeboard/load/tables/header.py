"""Finding the header the way a clerk wrote it.

A clerk's sheet starts with a title row, a 「单位：万元」 row, sometimes blank columns, and
then a header of one row or two (执行数 merged over 本期 and 累计). Each row near the top is
scored by how many of the kind's columns it names, under any of their other names, with
units and line breaks taken out of the header text; a second row is joined to the first
when that names more columns. The unit a header carries (「预算数（万元）」) is kept so the
reader can cross-check it against the notice's ``unit:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...problems import Where
from .grid import Grid

SEARCH_ROWS = 30  # the header is somewhere in the first rows; a title block is rarely longer


@dataclass(frozen=True)
class ColumnSpec:
    key: str  # English alias, used as the canonical key
    zh: str  # Chinese header
    required: bool = True
    # The other names clerks give this column, best first: when a sheet has two of them
    # (年初预算数 and 调整预算数), the first listed is used. "re:" starts a regular expression
    # over the normalised header (1-3月累计).
    aliases: tuple[str, ...] = ()


_SPACE = re.compile(r"[\s\u3000\ufeff\u200b\u200c\u200d\u2060]+")
_INVISIBLE = re.compile(r"[\ufeff\u200b\u200c\u200d\u2060]")


def shown(raw: str) -> str:
    """A header as messages quote it: one line, without the invisible marks a BOM or a web copy leaves."""
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", raw)).strip()


_BRACKETED = re.compile(r"[(\[【<〈《][^)\]】>〉》]*[)\]】>〉》]")
_UNIT_WORD = re.compile(r"(万元|千元|亿元|元)")
_UNIT_TAIL = re.compile(r"(单位:.*|/(万元|千元|亿元|元))$")
_WIDTH = str.maketrans("（）：％［］，", "():%[],")


def normalise(text: str) -> str:
    return _SPACE.sub("", text).translate(_WIDTH).lower().strip("*★☆")


def unit_in(text: str) -> str | None:
    """The money unit a header or a unit row names: 「预算数（万元）」, 「单位：元」."""
    n = normalise(text)
    for part in _BRACKETED.findall(n) + [m.group(0) for m in _UNIT_TAIL.finditer(n)]:
        if found := _UNIT_WORD.search(part):
            return found.group(1)
    return None


def bare(text: str) -> str:
    """The header without its unit or bracketed remark: 「预算数\n（万元）」 -> 预算数."""
    return _UNIT_TAIL.sub("", _BRACKETED.sub("", normalise(text)))


class Names:
    """Every name a kind's columns go by, normalised, with how preferred each is."""

    def __init__(self, specs: list[ColumnSpec]):
        self.specs = specs
        self.exact: dict[str, tuple[str, int]] = {}
        self.patterns: list[tuple[re.Pattern[str], str, int]] = []
        for spec in specs:
            names = [spec.zh, *spec.aliases, spec.key]
            for priority, name in enumerate(names):
                if name.startswith("re:"):
                    self.patterns.append((re.compile(name[3:]), spec.key, priority))
                else:
                    self.exact.setdefault(normalise(name), (spec.key, priority))

    def match(self, text: str) -> tuple[str, int] | None:
        if not text.strip():
            return None
        for candidate in dict.fromkeys((normalise(text), bare(text))):
            if not candidate:
                continue
            if candidate in self.exact:
                return self.exact[candidate]
            for pattern, key, priority in self.patterns:
                if pattern.fullmatch(candidate):
                    return key, priority
        return None

    def described(self) -> str:
        """The names a header may use, for a message: 科目编码（或 科目代码、编码）."""
        parts = []
        for spec in self.specs:
            others = [a for a in spec.aliases if not a.startswith("re:")][:3]
            parts.append(f"{spec.zh}（或 {'、'.join(others)}）" if others else spec.zh)
        return "、".join(parts)


@dataclass
class HeaderColumn:
    col: int
    key: str  # the spec's key, or the header text itself for a column the kind does not know
    header: str  # as the clerk wrote it, two rows joined as 执行数/本期
    where: Where
    known: bool
    priority: int = 0
    unit: str | None = None


@dataclass
class Header:
    first: int  # index into grid.rows of the (first) header row
    height: int  # 1 or 2 rows
    columns: list[HeaderColumn]

    @property
    def score(self) -> int:
        return len({c.key for c in self.columns if c.known})

    @property
    def data_start(self) -> int:
        return self.first + self.height


def _label(grid: Grid, index: int, names: Names) -> Header:
    number, cells = grid.rows[index]
    columns = []
    for col, raw in enumerate(cells):
        text = shown(raw)
        if not text:
            continue
        found = names.match(raw)
        key, priority = found if found else (text, 0)
        columns.append(HeaderColumn(col, key, text, grid.where(number, col), found is not None, priority, unit_in(raw)))
    return Header(index, 1, columns)


def _spans(grid: Grid, row_number: int, parents: list[str], children: list[str]) -> list[str]:
    """Each column's parent text, a merged parent spread over the columns it covers.

    Merge ranges say it exactly (xlsx, xls). A CSV has none: there a parent is spread
    right over the blank parent cells whose child cell is filled.
    """
    width = max(len(parents), len(children))
    parents = parents + [""] * (width - len(parents))
    children = children + [""] * (width - len(children))
    filled = list(parents)
    merged = False
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= row_number <= r1 and c0 < width and parents[c0].strip():
            merged = True
            for col in range(c0, min(c1 + 1, width)):
                filled[col] = parents[c0]
    if not merged:
        current = ""
        for col in range(width):
            if parents[col].strip():
                current = parents[col]
            elif children[col].strip() and current:
                filled[col] = current
            else:
                current = ""
    return filled


def _joined(grid: Grid, index: int, names: Names) -> Header | None:
    if index + 1 >= len(grid.rows):
        return None
    (number, parents), (below, children) = grid.rows[index], grid.rows[index + 1]
    filled = _spans(grid, number, parents, children)
    children = children + [""] * (len(filled) - len(children))
    columns = []
    for col, (parent, child) in enumerate(zip(filled, children)):
        parent_text, child_text = shown(parent), shown(child)
        if not parent_text and not child_text:
            continue
        if parent_text and child_text:
            candidates = [parent_text + child_text, child_text, parent_text]
            written = f"{parent_text}/{child_text}"
        else:
            candidates = [parent_text or child_text]
            written = parent_text or child_text
        found = None
        for candidate in candidates:
            if found := names.match(candidate):
                break
        key, priority = found if found else (written, 0)
        at = grid.where(below if child_text else number, col)
        unit = unit_in(child) or unit_in(parent)
        columns.append(HeaderColumn(col, key, written, at, found is not None, priority, unit))
    return Header(index, 2, columns)


def find_header(grid: Grid, names: Names) -> Header | None:
    """The row (or pair of rows) near the top that names the most of the kind's columns."""
    count = min(SEARCH_ROWS, len(grid.rows))
    singles = [_label(grid, index, names) for index in range(count)]
    best: Header | None = None
    for index in range(count):
        candidates: list[Header] = [singles[index]]
        joined = _joined(grid, index, names)
        # two rows make the header only when together they name more than either alone:
        # a title row merged over the whole width would otherwise be joined to a real header
        below = singles[index + 1].score if index + 1 < count else 0
        if joined is not None and joined.score > max(singles[index].score, below):
            candidates.append(joined)
        for header in candidates:
            if header.score and (best is None or header.score > best.score):
                best = header  # an earlier row wins a tie
    return best


def first_wide_row(grid: Grid, names: Names) -> Header | None:
    """For a table of any columns: a leading line with a single cell is a title, when a wider row follows."""
    for index in range(min(SEARCH_ROWS, len(grid.rows))):
        if sum(1 for c in grid.rows[index][1] if c.strip()) >= 2:
            return _label(grid, index, names)
    return _label(grid, 0, names) if grid.rows else None
