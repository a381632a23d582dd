"""Problems are values: every stage returns them, one boundary prints them."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"
_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Where:
    """A place in the user's files.

    ``line`` is a 1-based line in a YAML or CSV file. ``cell`` is a spreadsheet
    address such as ``B7`` (with ``sheet``) or a CSV column letter.
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None and self.cell:
            return f"{self.file}[{self.sheet}]!{self.cell}"
        if self.line is not None and self.cell:
            return f"{self.file}:{self.line}:{self.cell}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.line or 0, _column_number(self.cell))


def _column_number(cell: str | None) -> int:
    if not cell:
        return 0
    number = 0
    for char in cell:
        if char.isalpha():
            number = number * 26 + (ord(char.upper()) - 64)
    return number


@dataclass(frozen=True)
class Problem:
    level: str
    where: Where
    message: str

    def __str__(self) -> str:
        from .privacy import masked_text  # here, not at the top: privacy needs models, which need problems

        # a message quoting a cell or a YAML value must never repeat a full ID, mobile or card number
        return masked_text(f"{self.where}: {_LABEL[self.level]}: {self.message}")

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def error(where: Where, message: str) -> Problem:
    return Problem(ERROR, where, message)


def warning(where: Where, message: str) -> Problem:
    return Problem(WARNING, where, message)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: p.where.sort_key())


_OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘已满",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in plain Chinese."""
    return _OS_REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}")


class UnreadableInput(Exception):
    """A file could not be read at all (exit status 2), as opposed to bad content (1)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
