"""Problems are values: every stage returns them, one boundary prints them."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass

from .privacy import masked_text

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
    """``message`` is masked when the problem is made: a message quoting a cell or a YAML value never
    carries a full ID, mobile or card number to any reader (terminal, plan page, JSON, Python)."""

    level: str
    where: Where
    message: str
    unreadable: bool = False  # the file could not be read at all (SPEC §4: exit 2), not bad content (exit 1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", masked_text(self.message))

    def __str__(self) -> str:
        return masked_text(f"{self.where}: {_LABEL[self.level]}: {self.message}")  # a file name may hold one too

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def error(where: Where, message: str) -> Problem:
    return Problem(ERROR, where, message)


def unreadable(where: Where, message: str) -> Problem:
    """An error about a file that cannot be read at all: a damaged workbook, an unknown encoding."""
    return Problem(ERROR, where, message, unreadable=True)


def warning(where: Where, message: str) -> Problem:
    return Problem(WARNING, where, message)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: p.where.sort_key())


_HELD = "文件被其他程序占用或没有权限：请关掉打开着它的程序（例如 PDF 阅读器），或检查文件夹的权限"
_OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: _HELD,
    errno.EPERM: _HELD,
    errno.EBUSY: _HELD,
    errno.ETXTBSY: _HELD,
    errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘已满：请腾出磁盘空间后再试",
    errno.EDQUOT: "磁盘已满（超出了磁盘配额）：请腾出空间后再试",
    errno.EFBIG: "文件太大，磁盘放不下",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.ENAMETOOLONG: "文件名太长：请把文件名或文件夹名改短",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ELOOP: "路径中的快捷方式（链接）绕成了圈",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EIO: "磁盘读写出错：磁盘或 U 盘可能坏了",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.EINVAL: "文件名中有系统不允许的字符",
}
_WINDOWS_HELD = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: open in another program


def os_reason(exc: OSError) -> str:
    """An operating-system error in plain Chinese: the one place that puts such errors into words."""
    if getattr(exc, "winerror", None) in _WINDOWS_HELD:
        return _HELD
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return f"系统错误 {exc.errno}" if exc.errno else "读写文件时出错"


class UnreadableInput(Exception):
    """A file could not be read at all (exit status 2), as opposed to bad content (1)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
