"""The list of notices with their plan status, kept per process until a workspace file changes."""

from __future__ import annotations

import copy
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import check_signoffs, run_checks
from ..load.workspace import (
    load_workspace,
)
from ..models import Notice, Settings
from ..problems import Problem, sorted_problems
from ..publish import register
from ..render.site import display_status
from ..schedule import plan as plan_module
from ..schedule.plan import assess
from .common import NOT_PUBLISHED, _in_notice_files, _locks_guard, _workspace_stats, _written_lately


@dataclass
class NoticeRow:
    id: str
    title: str
    kind: str  # finance …
    kind_label: str  # 财政收支公开 …  (the kind's Chinese label)
    file: str  # notices/<id>.yaml
    date: dt.date | None
    catalogue: str | None  # entry id
    catalogue_title: str | None
    board: str | None  # board id from the catalogue entry
    board_name: str | None
    status: (
        str  # the plan status in Chinese: 待公开 逾期未公开 逾期公开 已公开 需复核 缺结果公开, or 未发布/公示中/已结束
    )
    showing: str | None  # 公示中 / 已结束 / None (no 公示期)
    errors: int
    warnings: int
    chain: list[str]  # the roles this notice needs, in order
    signed: list[str]  # roles signed on the current content (file or workbench)
    waiting: list[str]  # roles not yet signed on the current content
    returned: list[str]  # roles whose latest word on the current content is 退回
    loaded: bool = True  # False: the notice file did not load (errors say why); most fields then blank


@dataclass
class Overview:
    rows: list[NoticeRow]
    boards: list[tuple[str, str]]  # (id, name) for the filter
    catalogue: list[tuple[str, str]]  # (id, title) for the filter
    problems: list[Problem]  # shared ones (noticeboard.yaml, layouts): shown above the list
    due: list[str] = field(default_factory=list)  # plan lines due or late that no notice fulfils yet, as sentences


def overview(root: Path, on: dt.date | None = None, board: str | None = None, catalogue: str | None = None) -> Overview:
    """The notices with their plan status, filtered by board and/or catalogue entry (None: all)."""
    on = on or dt.date.today()
    started = time.time_ns()
    stats = _workspace_stats(root)
    key = (str(root.resolve()), on, dt.date.today(), stats)
    with _locks_guard:
        cached = _overviews.get(key)
    if cached is None:  # the list page is asked for often and changes only when a file does
        cached = _overview(root, on)
        if not _written_lately((stat for _, stat in stats), started):
            with _locks_guard:
                if len(_overviews) >= 8:
                    _overviews.clear()
                _overviews[key] = cached
    seen = copy.deepcopy(cached)
    if board is not None:
        seen.rows = [row for row in seen.rows if row.board == board]
    if catalogue is not None:
        seen.rows = [row for row in seen.rows if row.catalogue == catalogue]
    return seen


def _overview(root: Path, on: dt.date) -> Overview:
    loaded = load_workspace(root)
    settings = loaded.workspace.settings
    publications = register.read_reported(root / "out" / register.REGISTER_FILE, "out/" + register.REGISTER_FILE)
    outcome = assess(loaded, publications, on)
    rows_by_notice = {row.notice: row for row in outcome.plan.rows if row.notice}
    notices = loaded.workspace.notices
    problems = loaded.problems + run_checks(loaded, notices)
    for notice in notices:
        problems += check_signoffs(notice, settings, final=False)
    published = {p.id for p in publications}
    entries = {entry.id: entry for entry in settings.catalogue}
    boards = {b.id: b.name for b in settings.boards}
    rows: list[NoticeRow] = []
    for notice in notices:
        files = loaded.notice_files.get(notice.id, set())
        own = [p for p in problems if p.where.file in files]
        entry = entries.get(notice.catalogue or "")
        plan_row = rows_by_notice.get(notice.id)
        showing = display_status(notice.date, notice.display_end, on) or None
        if plan_row is not None:
            status = plan_row.status
        elif notice.id in published:
            status = plan_module.DONE
        else:
            status = NOT_PUBLISHED
        chain, signed, waiting, returned = _chain_words(notice, settings)
        rows.append(
            NoticeRow(
                id=notice.id,
                title=notice.title.value,
                kind=notice.kind,
                kind_label=loaded.kinds[notice.kind].label,
                file=notice.file,
                date=notice.date,
                catalogue=notice.catalogue,
                catalogue_title=entry.title if entry else None,
                board=entry.board if entry else None,
                board_name=boards.get(entry.board or "") if entry else None,
                status=status,
                showing=showing if showing in (plan_module.SHOWING, plan_module.ENDED) else None,
                errors=sum(1 for p in own if p.is_error),
                warnings=sum(1 for p in own if not p.is_error),
                chain=chain,
                signed=signed,
                waiting=waiting,
                returned=returned,
            )
        )
    known = {n.id for n in notices}
    for failed_id, display in loaded.failed.items():
        if failed_id in known:
            continue
        own = [p for p in loaded.problems if p.where.file == display]
        rows.append(
            NoticeRow(
                id=failed_id,
                title=Path(display).name,
                kind="",
                kind_label="",
                file=display,
                date=None,
                catalogue=None,
                catalogue_title=None,
                board=None,
                board_name=None,
                status="无法读取",
                showing=None,
                errors=sum(1 for p in own if p.is_error),
                warnings=sum(1 for p in own if not p.is_error),
                chain=[],
                signed=[],
                waiting=[],
                returned=[],
                loaded=False,
            )
        )
    rows.sort(key=lambda row: (row.loaded, row.date or dt.date.min), reverse=True)
    rows.sort(key=lambda row: row.loaded)  # a notice that did not load comes first: it needs fixing
    shared = [p for p in loaded.problems + outcome.problems if not _in_notice_files(p, loaded)]
    due = [
        f"{row.title}（{row.period_label}）：{row.status}" + (f"，应在 {row.due.isoformat()} 前公开" if row.due else "")
        for row in outcome.plan.rows
        if not row.notice and row.status in (plan_module.OVERDUE, plan_module.SOON, plan_module.MISSING_RESULT)
    ]
    return Overview(
        rows=rows,
        boards=[(b.id, b.name) for b in settings.boards],
        catalogue=[(e.id, e.title) for e in settings.catalogue],
        problems=sorted_problems(shared),
        due=due,
    )


_overviews: dict[tuple, Overview] = {}


def _chain_words(notice: Notice, settings: Settings) -> tuple[list[str], list[str], list[str], list[str]]:
    chain, _ = settings.review_chain(notice.catalogue)
    signed_roles = {review.role for review in notice.reviews}
    signed = [role for role in chain if role in signed_roles]
    waiting = [role for role in chain if role not in signed_roles]
    returned = [role for role in chain if role in notice.returned]
    return list(chain), signed, waiting, returned
