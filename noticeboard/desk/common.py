"""What every part of the workbench's library shares: the roles and limits it names, where a notice's
file is, the per-notice locks, file stats, today where the boards are, and a notice's own problems."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import pipeline
from ..checks import run_checks
from ..load import signoffs as load_signoffs
from ..load.signoffs import CHINA
from ..load.workspace import (
    ID_PATTERN,
    NOTICES_DIR,
    SETTINGS_FILE,
    Loaded,
    _id_of,
)
from ..load.yamlsrc import YNode
from ..models import Notice
from ..problems import Problem, UnreadableInput
from ..publish import register

OFFICER = "信息员"  # may create and edit notices, upload tables, run the final build
ADMIN = "管理员"  # may manage nothing more than the CLI's `user` does, but reads the audit log and builds
WORKBENCH_DIR = ".workbench"
SIGNOFFS_DIR = "signoffs"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused with a message
TABLE_SUFFIXES = (
    ".xlsx",
    ".xlsm",
    ".xls",
    ".et",
    ".csv",
)  # what an upload may be (a WPS .et is read as the workbook it holds: tables.py)
AGREE = "同意"
RETURN = "退回"
RACY_NS = 50_000_000  # more than a tick of any file system clock the workbench runs on (Linux: 4–10 ms)


@dataclass
class Written:
    notice_id: str | None
    path: Path | None  # the notice file written, None when nothing was written
    problems: list[Problem]  # why not (errors, located at the form's keys), or the check's findings after writing


NOT_PUBLISHED = "未发布"
_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _today() -> dt.date:
    """Today where the boards are: the date a sign-off made now carries (its time is written in +08:00),
    so a notice dated today in the form is never 'signed after it was published' on a server kept in UTC."""
    return dt.datetime.now(CHINA).date()


def _workspace_stats(root: Path) -> tuple:
    """Every file the list depends on, by name, time and size (and the register through its link)."""
    names = [SETTINGS_FILE, f"out/{register.REGISTER_FILE}"]
    for folder in (NOTICES_DIR, load_signoffs.SIGNOFFS_DIR, "layouts"):
        if (root / folder).is_dir():
            names += sorted(str(p.relative_to(root)) for p in (root / folder).rglob("*") if p.is_file())
    return tuple((name, _stat_of(root / name)) for name in names)


def _lock(root: Path, notice_id: str) -> threading.Lock:
    """One lock per notice: two requests for the same notice wait for each other, others do not."""
    key = (str(root.resolve()), notice_id)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _notice_path(root: Path, notice_id: str) -> Path:
    """notices/<id>.yaml, or the file whose id: line says so; LookupError when there is none."""
    if not ID_PATTERN.match(notice_id or ""):
        raise LookupError(notice_id)
    folder = root / NOTICES_DIR
    for suffix in (".yaml", ".yml"):
        if (folder / f"{notice_id}{suffix}").is_file():
            return folder / f"{notice_id}{suffix}"
    if folder.is_dir():
        for path in sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml"))):
            if _id_of(path) == notice_id:
                return path
    raise LookupError(notice_id)


def _in_notice_files(problem: Problem, loaded: Loaded) -> bool:
    return problem.where.file in loaded.all_notice_files or problem.where.file in loaded.yaml_files.values()


def _own_problems(loaded: Loaded, notice: Notice) -> list[Problem]:
    """What stops this notice from printing, sign-offs aside: its load and check errors and the shared ones."""
    files = loaded.notice_files.get(notice.id, set())
    problems = loaded.problems + run_checks(loaded, [notice])
    return [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]


def _written_lately(stats: Iterable[str], started_ns: int) -> bool:
    """Was a file written so shortly before its stat was taken (``started_ns``) that a second write in
    the same tick of the file system's clock, of the same size, would leave the stat unchanged? Then
    what was read is not kept (git's "racy" entries): the next caller reads it again."""
    newest = max((int(stat.split("\0")[0]) for stat in stats if stat != "-"), default=0)
    return newest >= started_ns - RACY_NS


def _stat_of(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "-"
    return f"{stat.st_mtime_ns}\0{stat.st_size}"


def _check_notice(root: Path, notice_id: str) -> list[Problem]:
    try:
        return pipeline.check(root, [notice_id]).problems
    except UnreadableInput as exc:
        return [exc.problem]


def _scalar(node: YNode | None, key: str) -> str | None:
    if node is None or not node.is_map:
        return None
    value = node.entries.get(key)
    return str(value.value) if value is not None and isinstance(value.value, str) else None
