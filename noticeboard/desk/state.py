"""One notice as its page shows it: problems, what a final build would refuse, the sign-off chain and
its history; kept per process until a file it reads changes."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import pipeline
from ..checks import check_signoffs
from ..checks.signoffs import check_changed_since_signoff
from ..kinds.registry import registry
from ..load.signoffs import CHINA
from ..load.workspace import (
    COMMON,
    NOTICES_DIR,
    load_settings,
    load_workspace,
)
from ..load.yamlsrc import load_yaml
from ..models import Notice, Settings
from ..problems import Problem, sorted_problems
from ..publish import register
from ..templates import signoffs as template_signoffs
from .common import _locks_guard, _notice_path, _stat_of, _workspace_stats, _written_lately


@dataclass
class Signoff:
    """One role of the chain, as the clerk sees it."""

    role: str
    state: str  # "signed" | "returned" | "waiting" | "stale" (signed on content that has changed since)
    by: str | None
    date: dt.date | None
    reason: str | None  # the reason given with 退回
    source: str | None  # "workbench" | "file" (reviews: in the notice file)
    ready: bool  # the roles before it are signed, so it may be signed now


@dataclass
class SignoffRecord:
    """One line of signoffs/<id>.yaml, for the history shown on the notice page."""

    role: str
    by: str  # the account's name, as printed (王小红)
    decision: str  # 同意 | 退回
    reason: str
    at: dt.datetime  # aware, local time (Asia/Shanghai)
    fingerprint: str
    current: bool  # made on the content as it is now


@dataclass
class NoticeState:
    id: str
    title: str
    kind: str
    kind_label: str
    file: str
    fingerprint: str  # what a reviewer signs: shown on the page, posted back with the sign-off
    problems: list[Problem]  # `check` for this notice (sign-offs as reminders)
    refusals: list[Problem]  # what a final `build` of it would refuse with (errors), empty when it may print
    chain: list[Signoff]
    history: list[SignoffRecord]
    data_files: list[str]  # the tables it reads (display paths), for the table view
    loaded: bool = True
    takes_table: bool = True  # its kind reads a table that the clerk uploads (a guide or a 公文 does not)


def notice_state(root: Path, notice_id: str) -> NoticeState:
    """Raises LookupError for an id the workspace has no notice file for."""
    path = _notice_path(root, notice_id)
    key = (str(root.resolve()), notice_id)
    cached = _cached_state(root, key)
    if cached is None:  # the notice page is asked for often and changes only when a file does
        with _state_lock(key):  # many readers of one changed notice: one computes, the others wait for it
            cached = _cached_state(root, key)
            if cached is None:
                started = time.time_ns()
                taken = _workspace_stats(root)  # before the load: a file saved during it is not cached as read
                cached = _notice_state(root, path, notice_id)
                extra = _state_extra(root, cached)
                entry = _StateEntry(taken, extra, tuple(_stat_of(root / name) for name in extra), cached)
                if not _racy(entry, started):
                    with _locks_guard:
                        if len(_states) >= MAX_CACHED_STATES and key not in _states:
                            _states.pop(next(iter(_states)))  # the oldest: a workspace has tens of notices
                        _states[key] = entry
    return copy.deepcopy(cached)  # the page may change its copy; the cached one stays as computed


def _notice_state(root: Path, path: Path, notice_id: str) -> NoticeState:
    display = f"{NOTICES_DIR}/{path.name}"
    loaded = load_workspace(root, notice_file=path)
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    checked = pipeline.check(root, [notice.id if notice else path.stem])
    problems = checked.problems
    if notice is None:
        return NoticeState(
            id=notice_id,
            title=path.name,
            kind="",
            kind_label="",
            file=display,
            fingerprint="",
            problems=problems,
            refusals=[p for p in problems if p.is_error],
            chain=[],
            history=[],
            data_files=[],
            loaded=False,
        )
    settings = loaded.workspace.settings
    gate = check_signoffs(notice, settings, final=True) + _changed_since_registered(root, notice, settings)
    refusals = sorted_problems([p for p in problems + gate if p.is_error])
    return NoticeState(
        id=notice.id,
        title=notice.title.value,
        kind=notice.kind,
        kind_label=loaded.kinds[notice.kind].label,
        file=notice.file,
        fingerprint=notice.fingerprint,
        problems=problems,
        refusals=refusals,
        chain=_signoff_chain(notice, settings),
        history=[
            SignoffRecord(
                r.role,
                r.by,
                r.decision,
                r.reason,
                r.at.astimezone(CHINA),
                r.fingerprint,
                r.fingerprint == notice.fingerprint,
            )
            for r in notice.signoff_records
        ],
        data_files=notice.sources[1:],
        takes_table=loaded.kinds[notice.kind].columns is not None,
    )


KEY_IN_MESSAGE = re.compile(r"「([a-z_]+)」")


@functools.cache
def _option_names() -> frozenset[str]:
    """Every key a notice file may have: a quoted word that is one names its field, another is a value."""
    return frozenset(COMMON.names).union(*(spec.options.names for spec in registry().values()))


def field_of(problem: Problem, root: Path, notice_id: str) -> str | None:
    """The form field (YAML key) a problem is about, from its line in the notice file; None when it
    is about a table cell or the file as a whole."""
    where = problem.where
    if where.cell is not None:
        return None
    # a key the file lacks has no line of its own, so its problem sits at the id line (or, refused before
    # the file was written, at none): the message names it
    named = [key for key in KEY_IN_MESSAGE.findall(problem.message) if key in _option_names()]
    if named and where.file.startswith(f"{NOTICES_DIR}/") and where.file.endswith((".yaml", ".yml")):
        return named[0]
    if where.line is None:
        return None
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return None
    if where.file != f"{NOTICES_DIR}/{path.name}":
        return None
    node, _ = load_yaml(path, where.file)
    if node is None or not node.is_map:
        return None
    before = [(line, key) for key, line in node.key_lines.items() if line <= where.line]
    key = max(before)[1] if before else None
    if key == "id" and "签批" in problem.message:
        return None  # the sign-off gate, at the id line for want of a reviews key: about the notice, not its id
    return key


@dataclass
class _StateEntry:
    stats: tuple  # _workspace_stats before the state was computed
    extra: tuple[str, ...]  # files outside the workspace listing it also depends on (fonts, tables elsewhere)
    extra_stats: tuple[str, ...]
    state: NoticeState


_states: dict[tuple[str, str], _StateEntry] = {}
_state_locks: dict[tuple[str, str], threading.Lock] = {}
MAX_CACHED_STATES = 256


def _cached_state(root: Path, key: tuple[str, str]) -> NoticeState | None:
    """The cached state while no file it depends on has changed (by name, time and size). The whole of
    notices/ counts, not only this notice's files: ids and QR codes are checked across notices."""
    with _locks_guard:
        entry = _states.get(key)
    if entry is None:
        return None
    if entry.stats != _workspace_stats(root):
        return None
    if entry.extra_stats != tuple(_stat_of(root / name) for name in entry.extra):
        return None
    return entry.state


def _racy(entry: _StateEntry, started_ns: int) -> bool:
    return _written_lately([stat for _, stat in entry.stats] + list(entry.extra_stats), started_ns)


def _state_extra(root: Path, state: NoticeState) -> tuple[str, ...]:
    """The fonts (their glyphs are checked) and any table outside notices/, as paths from the root."""
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    names = [str(Path(font[0])) for font in settings.fonts]
    names += [name for name in state.data_files if not name.startswith(NOTICES_DIR + "/")]
    return tuple(dict.fromkeys(names))


def _state_lock(key: tuple[str, str]) -> threading.Lock:
    with _locks_guard:
        return _state_locks.setdefault(key, threading.Lock())


def _signoff_chain(notice: Notice, settings: Settings) -> list[Signoff]:
    chain, _ = settings.review_chain(notice.catalogue)
    reviews = {review.role: review for review in notice.reviews}
    found = []
    before_signed = True
    for role in chain:
        review = reviews.get(role)
        if (returned := notice.returned.get(role)) is not None:
            item = Signoff(
                role,
                "returned",
                returned.by,
                returned.at.astimezone(CHINA).date(),
                returned.reason,
                "workbench",
                before_signed,
            )
        elif review is not None:
            item = Signoff(role, "signed", review.by.value, review.date, None, review.source, before_signed)
        elif (stale := notice.stale.get(role)) is not None:
            item = Signoff(role, "stale", stale.by, stale.at.astimezone(CHINA).date(), None, "workbench", before_signed)
        else:
            item = Signoff(role, "waiting", None, None, None, None, before_signed)
        found.append(item)
        before_signed = before_signed and item.state == "signed"
    return found


def _changed_since_registered(root: Path, notice: Notice, settings: Settings) -> list[Problem]:
    """build's refusal of content changed under the sign-offs of its last registered revision."""
    try:
        publications = register.read(root / "out" / register.REGISTER_FILE)
    except register.RegisterError:
        return []  # build says so itself; the notice page has nothing to add
    current = register.history(publications, notice.id)
    return check_changed_since_signoff(notice, template_signoffs(notice, settings), current[-1] if current else None)
