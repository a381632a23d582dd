"""Where a notice that cannot be set is most likely to need a change (issue 13)."""

from __future__ import annotations

import re

from ..kinds import KindSpec
from ..models import Notice, Text
from .glyphs import printable_texts

LONG_CELL = 100  # characters: a cell this long is the first suspect when a table cannot be set

_UNBROKEN = re.compile(r"[0-9A-Za-z_\-./:@#%&+=~]+")  # a run a line may not break inside


def longest_cell(notice: Notice, kind: KindSpec) -> tuple[Text, int] | None:
    """The notice's longest table cell, with its longest run that cannot break, if it is long at all."""
    cells = [t for t in printable_texts(notice, kind) if t.where.cell]
    if not cells:
        return None
    cell = max(cells, key=lambda t: len(t.value))
    if len(cell.value) < LONG_CELL:
        return None
    return cell, max((len(m) for m in _UNBROKEN.findall(cell.value)), default=0)
