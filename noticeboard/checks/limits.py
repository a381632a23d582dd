"""Sizes that no sheet can carry: found at ``check``, so that ``build`` never meets them first (issue 13)."""

from __future__ import annotations

from ..kinds import KindSpec
from ..models import Notice
from ..problems import Problem, error
from .glyphs import printable_texts

MAX_CELL_CHARS = 500  # a cell longer than this is a paragraph pasted into a table: no column can set it readably


def check_limits(notice: Notice, kind: KindSpec) -> list[Problem]:
    problems = []
    for text in printable_texts(notice, kind):
        if text.where.cell and len(text.value) > MAX_CELL_CHARS:
            problems.append(error(text.where, (
                f"这一格有 {len(text.value)} 个字，太长了，表格里放不下、也没法读（最多 {MAX_CELL_CHARS} 个字）。"
                "请删减，或把这段话写进通知的正文。")))
    return problems
