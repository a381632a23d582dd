"""The workbench's library (``noticeboard/desk.py``): everything the web pages show or do, as plain
values. No Django here and no HTML: the web layer (noticeboard/web/) only calls these, checks who
is signed in, and renders templates. No layout or check logic lives in the web layer (issue 21).

THIS FILE IS THE AGREED INTERFACE between helper L (library, implements it) and helper W (web,
calls it). Names, fields and signatures below are fixed; L may ADD fields/functions, never rename.
Every function takes the workspace root; every user-facing string is Simplified Chinese; every
problem is a noticeboard.problems.Problem (located, masked). Nothing here prints or raises for bad
input: bad input is returned as problems. ``UnreadableInput`` may still be raised where the
workspace itself cannot be read (the web shows its message).

Where the workbench keeps things in the workspace:
  signoffs/<id>.yaml        the sign-off records made in the workbench (written only by sign());
                            the load stage reads them, so `noticeboard build` counts them (SPEC §4)
  .workbench/               the web app's own: workbench.sqlite3 (accounts, sessions, audit log; the
                            SQLite default), secret_key, previews/ (the preview cache)
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from . import pipeline, privacy
from .checks import check_signoffs, run_checks
from .checks.signoffs import check_changed_since_signoff
from .kinds.registry import registry
from .layout.letter import LetterOverflow
from .load import options
from .load import signoffs as load_signoffs
from .load.signoffs import CHINA
from .load.tables.grid import column_index, column_letter, read_csv, read_spreadsheet
from .load.workspace import (
    COMMON,
    ID_PATTERN,
    NOTICES_DIR,
    SETTINGS_FILE,
    Loaded,
    _id_of,
    load_settings,
    load_workspace,
)
from .load.yamlsrc import YNode, load_yaml
from .models import Notice, Settings
from .models import SignoffRecord as ModelRecord
from .pipeline import Result
from .problems import Problem, UnreadableInput, Where, error, has_errors, os_reason, sorted_problems, warning
from .publish import atomic, register
from .render.site import display_status
from .schedule import plan as plan_module
from .schedule.plan import assess
from .starter import new_notice
from .templates import signoffs as template_signoffs
from .templates.letter import LettersLaidOut

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
)  # what an upload may be (WPS .et included if calamine reads it)
AGREE = "同意"
RETURN = "退回"


def roles(root: Path) -> list[str]:
    """Every role an account may hold in this workspace: 信息员, 管理员, then each review role of
    noticeboard.yaml's reviews and of every catalogue entry's own chain, in order, without repeats."""
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    found = [OFFICER, ADMIN, *settings.reviews]
    for entry in settings.catalogue:
        found += entry.reviews or []
    return list(dict.fromkeys(found))


def database_url(root: Path) -> str | None:
    """noticeboard.yaml ``workbench: {database: postgresql://user@host:5432/name}`` (declared in the
    settings schema, validated with its line), or None for the SQLite default. The web layer lets
    the environment variable NOTICEBOARD_DATABASE override it; a password is never written here
    (libpq's PGPASSWORD / .pgpass supply it)."""
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    wrong = [p for p in problems if p.is_error and p.where.file == SETTINGS_FILE and "数据库" in p.message]
    if wrong:  # never fall back to SQLite without a word: the accounts would seem to vanish
        raise UnreadableInput(wrong[0])
    return settings.database_url


# ---------------------------------------------------------------- the list of notices


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
    key = (str(root.resolve()), on, dt.date.today(), _workspace_stats(root))
    with _locks_guard:
        cached = _overviews.get(key)
    if cached is None:  # the list page is asked for often and changes only when a file does
        cached = _overview(root, on)
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


# ---------------------------------------------------------------- one notice


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
    )


def field_of(problem: Problem, root: Path, notice_id: str) -> str | None:
    """The form field (YAML key) a problem is about, from its line in the notice file; None when it
    is about a table cell or the file as a whole."""
    where = problem.where
    if where.cell is not None or where.line is None:
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
    return max(before)[1] if before else None


# ---------------------------------------------------------------- previews


@dataclass
class Previews:
    images: list[Path]  # one PNG per sheet, in order, as the final build will print them (no watermark)
    problems: list[Problem]  # why there are none (errors), or layout warnings
    fingerprint: str
    reused: bool  # True: served from the cache (nothing changed)


def previews(root: Path, notice_id: str, width_px: int = 1200) -> Previews:
    """Every sheet of one notice as PNG, in .workbench/previews/<id>/. Only this notice is loaded and
    laid out (plus noticeboard.yaml); cached by fingerprint (and settings and layouts), so an unchanged
    notice costs a stat. Letters: the first few letters and the receipt register's first page are
    enough (say so in Previews.problems as a warning: 预览只显示前N封)."""
    path = _notice_path(root, notice_id)
    folder = root / WORKBENCH_DIR / PREVIEWS_DIR / notice_id
    with _lock(root, notice_id):
        manifest = _read_manifest(folder, width_px)
        if manifest is not None:
            quick = _stat_key(root, manifest.get("watch", []), width_px)
            images = [folder / name for name in manifest.get("images", [])]
            if manifest.get("quick") == quick and all(image.is_file() for image in images):
                return Previews(images, _problems_from(manifest), manifest.get("fingerprint", ""), True)
        return _make_previews(root, path, folder, width_px, manifest)


# ---------------------------------------------------------------- forms and writing notices


@dataclass
class FieldSpec:
    name: str  # YAML key
    label: str  # Chinese label
    help: str  # Chinese help
    type: str  # "text" | "textarea" | "integer" | "number" | "date" | "choice" | "boolean"
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label) for "choice"
    default: str = ""


def kinds() -> list[tuple[str, str]]:
    """(kind, Chinese label) of every kind, for the choose-a-kind page."""
    return [(name, spec.label) for name, spec in registry().items()]


def form_fields(root: Path, kind: str) -> list[FieldSpec]:
    """The form for a notice of ``kind``, generated from the common and the kind's option schema:
    scalar keys only (id, title, date, display_days, paper, orientation, catalogue as a choice of the
    workspace's entries, period, issuer, hotline, the kind's own scalars, ``body`` as textarea for
    the notice kind …). Never ``reviews`` (sign-offs are made by signing) nor ``data`` (the upload)."""
    spec = registry().get(kind)
    if spec is None:
        raise LookupError(kind)
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    fields: list[FieldSpec] = []
    for option in (COMMON + spec.options).options:
        if option.name in NOT_IN_FORM:
            continue
        made = _field(option, settings)
        if made is not None:
            fields.append(made)
    return fields


def notice_values(root: Path, notice_id: str) -> dict[str, str]:
    """The current values of the notice file's scalar keys, as the form shows them."""
    path = _notice_path(root, notice_id)
    node, _ = load_yaml(path, f"{NOTICES_DIR}/{path.name}")
    values: dict[str, str] = {}
    if node is None or not node.is_map:
        return values
    for key, value in node.entries.items():
        if (key in NOT_IN_FORM and key != "kind") or not value.is_scalar:
            continue  # kind is not in the form, but says which form edits a notice that does not load
        values[key] = "" if value.value is None else str(value.value)
    return values


@dataclass
class Written:
    notice_id: str | None
    path: Path | None  # the notice file written, None when nothing was written
    problems: list[Problem]  # why not (errors, located at the form's keys), or the check's findings after writing


def write_notice(root: Path, kind: str, values: dict[str, str], notice_id: str | None = None) -> Written:
    """Create (notice_id None: values["id"]) or update the notice file from the form's values, as the
    same YAML `noticeboard new` writes (commented keys; an update keeps the file's comments, its
    ``reviews`` and ``data`` and any key the form does not show). A new id that exists is refused;
    for a kind with a table, a new notice gets the kind's template table (as `new`), named <id>.xlsx.
    Written atomically. The result's problems are `check`'s for this notice."""
    return _write_notice(root, kind, values, notice_id)


def template(kind: str) -> tuple[str, bytes]:
    """The kind's table template, as `noticeboard new` writes it: (file name, xlsx bytes)."""
    spec = registry().get(kind)
    if spec is None or spec.columns is None:
        raise LookupError(kind)
    with tempfile.TemporaryDirectory(prefix="noticeboard-template-") as folder:
        started = new_notice(folder, kind, "template")
        table = next(p for p in started.files if p.suffix == ".xlsx")
        return f"{kind}-模板.xlsx", table.read_bytes()


def save_table(root: Path, notice_id: str, filename: str, data: bytes) -> Written:
    """An uploaded table for a notice. Refused with a message (nothing written): a name with a path
    in it (/, \\, .., a drive), a suffix not in TABLE_SUFFIXES, more than MAX_UPLOAD_BYTES, content
    that is not a readable table of that type. Else written atomically into notices/ (keeping the
    suffix, named <id>.<suffix>), the notice's ``data:`` (and ``sheet:`` dropped if the new file
    lacks it) updated, and `check`'s problems for the notice returned."""
    return _save_table(root, notice_id, filename, data)


# ---------------------------------------------------------------- the table view


@dataclass
class Mark:
    level: str  # "error" | "warning"
    message: str


@dataclass
class Grid:
    """One sheet of an uploaded table, as the clerk sees it in Excel: cell texts by row and column,
    with the cells that problems name marked."""

    file: str  # display path: notices/x.xlsx
    sheet: str | None  # None for CSV
    columns: list[str]  # A, B, C …
    rows: list[tuple[int, list[str]]]  # (1-based row number, cell texts); masked like everything else
    marks: dict[str, list[Mark]]  # "C7" -> marks
    editable: bool  # set_cell can change a cell here (CSV, or xlsx without formulas)
    truncated: bool = False  # only the first rows are shown


def table_grids(root: Path, notice_id: str) -> list[Grid]:
    """Each sheet the notice reads, with problems of the form FILE[SHEET]!C7 or FILE:7:C marked."""
    return _table_grids(root, notice_id)


def set_cell(root: Path, notice_id: str, file: str, sheet: str | None, cell: str, value: str) -> Written:
    """Change one cell of the notice's table in place (the clerk's fix of a red cell), atomically;
    refused with a message where the file is not editable here (xls/et, or an xlsx with formulas:
    「请在 Excel/WPS 里改好后重新上传」). Returns `check`'s problems for the notice."""
    return _set_cell(root, notice_id, file, sheet, cell, value)


# ---------------------------------------------------------------- sign-offs


def sign(
    root: Path,
    notice_id: str,
    role: str,
    by: str,
    held: set[str],
    decision: str,
    reason: str,
    fingerprint: str,
    at: dt.datetime | None = None,
) -> list[Problem]:
    """Record ``by``'s 同意/退回 for ``role`` on the content with ``fingerprint``. Refused (errors, nothing
    written) when: ``role`` is not in ``held``; ``role`` is not in the notice's chain; the notice's
    content has changed since the page was shown (fingerprint differs: 「内容已改动，请重新查看后再签」);
    退回 without a reason; a role before it in the chain has not agreed to the current content (同意 only).
    Appends to signoffs/<id>.yaml atomically. Empty list: recorded."""
    return _sign(root, notice_id, role, by, held, decision, reason, fingerprint, at)


# ---------------------------------------------------------------- the final build and its files


def final_build(root: Path, notice_ids: list[str] | None = None, tile_sheet: str | None = None) -> Result:
    """`noticeboard build` (not --draft) of these notices, or of all: the same function the CLI calls.
    ``tile_sheet`` (A4 or A3): also the tiles of every poster bigger than that sheet (`build --tile`)."""
    return pipeline.build(root, ids=notice_ids or None, tile_sheet=tile_sheet)


@dataclass
class Download:
    label: str  # 印刷版 PDF、签收登记表、A4 拼贴 …
    path: Path  # under out/


def downloads(root: Path, notice_id: str) -> list[Download]:
    """What the last final build wrote for this notice that a clerk takes to the printer."""
    found = []
    folder = root / "out" / "print"
    for suffix, label in DOWNLOADS:
        path = folder / f"{notice_id}{suffix}.pdf"
        if path.is_file():
            found.append(Download(label, path))
    return found


# ---------------------------------------------------------------- the library's own workings

NOT_PUBLISHED = "未发布"
PREVIEWS_DIR = "previews"
PREVIEW_LETTERS = 3  # letters shown in a preview; the run itself may be thousands
CACHE_VERSION = "1"  # bumped when the pictures would change for the same input
MAX_GRID_ROWS = 500
NOT_IN_FORM = {"kind", "reviews", "data", "sheet"}
DOWNLOADS = (("", "印刷版 PDF"), ("-receipts", "签收登记表"), ("-tiles", "拼贴打印 PDF"))
CHOICE_LABELS = {"portrait": "竖版", "landscape": "横版"}
_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _today() -> dt.date:
    """Today where the boards are: the date a sign-off made now carries (its time is written in +08:00),
    so a notice dated today in the form is never 'signed after it was published' on a server kept in UTC."""
    return dt.datetime.now(CHINA).date()


_overviews: dict[tuple, Overview] = {}


@dataclass
class _StateEntry:
    stats: tuple  # _workspace_stats before the state was computed
    extra: tuple[str, ...]  # files outside the workspace listing it also depends on (fonts, tables elsewhere)
    extra_stats: tuple[str, ...]
    state: NoticeState


_states: dict[tuple[str, str], _StateEntry] = {}
_state_locks: dict[tuple[str, str], threading.Lock] = {}
MAX_CACHED_STATES = 256
RACY_NS = 50_000_000  # more than a tick of any file system clock the workbench runs on (Linux: 4–10 ms)


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
    """Was a file written so shortly before the stats were taken that a second write within the same
    tick of the file system's clock, of the same size, would leave its stat unchanged? Then the state
    is not kept (git's "racy" entries): the next caller computes it again."""
    stats = [stat for _, stat in entry.stats] + list(entry.extra_stats)
    newest = max((int(stat.split("\0")[0]) for stat in stats if stat != "-"), default=0)
    return newest >= started_ns - RACY_NS


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


def _chain_words(notice: Notice, settings: Settings) -> tuple[list[str], list[str], list[str], list[str]]:
    chain, _ = settings.review_chain(notice.catalogue)
    signed_roles = {review.role for review in notice.reviews}
    signed = [role for role in chain if role in signed_roles]
    waiting = [role for role in chain if role not in signed_roles]
    returned = [role for role in chain if role in notice.returned]
    return list(chain), signed, waiting, returned


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


def _own_problems(loaded: Loaded, notice: Notice) -> list[Problem]:
    """What stops this notice from printing, sign-offs aside: its load and check errors and the shared ones."""
    files = loaded.notice_files.get(notice.id, set())
    problems = loaded.problems + run_checks(loaded, [notice])
    return [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]


# ---------------------------------------------------------------- previews


def _watch(root: Path, loaded: Loaded, notice: Notice | None, path: Path) -> list[str]:
    """Every file the pictures depend on, relative to the root: their stats decide a cache hit."""
    watched = [f"{NOTICES_DIR}/{path.name}", SETTINGS_FILE]
    if notice is not None:
        watched += notice.sources[1:] + [load_signoffs.display_path(notice.id)]
    layouts = root / "layouts"
    if layouts.is_dir():
        watched += sorted(str(p.relative_to(root)) for p in layouts.rglob("*") if p.is_file())
    for font in loaded.workspace.settings.fonts:
        font_path = Path(font[0])
        watched.append(str(font_path.relative_to(root)) if font_path.is_relative_to(root) else str(font_path))
    return list(dict.fromkeys(watched))


def _stat_key(root: Path, watched: list[str], width_px: int, taken: dict[str, str] | None = None) -> str:
    """``taken``: stats read earlier (before the load), so a file saved during the load is not
    cached as if its new stat went with the old content."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{width_px}".encode())
    for name in watched:
        stat = taken[name] if taken is not None and name in taken else _stat_of(root / name)
        digest.update(f"\0{name}\0{stat}".encode())
    return digest.hexdigest()


def _stat_of(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "-"
    return f"{stat.st_mtime_ns}\0{stat.st_size}"


def _stats_now(root: Path, notice_id: str) -> dict[str, str]:
    """The stats of every file a notice's pictures may depend on, but fonts: one listing of notices/ and layouts/."""
    names = [SETTINGS_FILE, load_signoffs.display_path(notice_id)]
    for folder in (root / NOTICES_DIR, root / "layouts"):
        if folder.is_dir():
            names += [str(p.relative_to(root)) for p in folder.rglob("*") if p.is_file()]
    return {name: _stat_of(root / name) for name in names}


def _content_key(root: Path, watched: list[str], notice: Notice | None, width_px: int) -> str:
    """The pictures' input by content, for when only the stats changed (a file saved unchanged)."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{width_px}\0{notice.fingerprint if notice else ''}".encode())
    if notice is not None:
        digest.update(_signoffs_text(notice).encode())
    for name in watched:
        if name.startswith(NOTICES_DIR + "/"):
            continue  # in the fingerprint already
        try:
            digest.update(b"\0" + name.encode() + b"\0" + (root / name).read_bytes())
        except OSError:
            digest.update(b"\0" + name.encode() + b"\0-")
    return digest.hexdigest()


def _signoffs_text(notice: Notice) -> str:
    return "\0".join(f"{r.role}:{r.by.value}:{r.date}" for r in notice.reviews)


def _manifest(folder: Path, width_px: int) -> Path:
    return folder / f"manifest-{width_px}.json"  # one per width: a list page's thumbnails never evict the sheets


def _read_manifest(folder: Path, width_px: int) -> dict | None:
    try:
        data = json.loads(_manifest(folder, width_px).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("width") == width_px else None


def _problem_data(problem: Problem) -> dict:
    where = problem.where
    return {
        "level": problem.level,
        "file": where.file,
        "line": where.line,
        "sheet": where.sheet,
        "cell": where.cell,
        "message": problem.message,
    }


def _problems_from(manifest: dict) -> list[Problem]:
    found = []
    for item in manifest.get("problems", []):
        where = Where(item["file"], item.get("line"), item.get("sheet"), item.get("cell"))
        found.append(Problem(item["level"], where, item["message"]))
    return found


def _make_previews(root: Path, path: Path, folder: Path, width_px: int, manifest: dict | None) -> Previews:
    taken = _stats_now(root, folder.name)
    loaded = load_workspace(root, notice_file=path)
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    watched = _watch(root, loaded, notice, path)
    quick = _stat_key(root, watched, width_px, taken)
    key = _content_key(root, watched, notice, width_px)
    fingerprint = notice.fingerprint if notice else ""
    if manifest is not None and manifest.get("key") == key:
        images = [folder / name for name in manifest.get("images", [])]
        if all(image.is_file() for image in images):
            manifest["quick"] = quick
            manifest["watch"] = watched
            atomic.write_bytes(_manifest(folder, width_px), json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
            return Previews(images, _problems_from(manifest), fingerprint, True)
    problems: list[Problem] = []
    pages: list[bytes] = []
    if notice is None:
        problems = sorted_problems(p for p in loaded.problems if p.is_error)
    else:
        own = _own_problems(loaded, notice)
        if has_errors(own) or notice.content is None:
            problems = sorted_problems(p for p in own if p.is_error)
        else:
            pages, problems = _pages(notice, loaded, width_px)
    names = []
    for number, page in enumerate(pages, start=1):
        name = f"{key[:16]}-{number:03d}.png"
        atomic.write_bytes(folder / name, page)
        names.append(name)
    record = {
        "width": width_px,
        "quick": quick,
        "key": key,
        "fingerprint": fingerprint,
        "watch": watched,
        "images": names,
        "problems": [_problem_data(p) for p in problems],
    }
    atomic.write_bytes(_manifest(folder, width_px), json.dumps(record, ensure_ascii=False).encode("utf-8"))
    keep = set(names) | set((manifest or {}).get("images", []))
    for other in folder.glob("manifest-*.json"):  # every width's current set stays
        if other != _manifest(folder, width_px):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                keep |= set(json.loads(other.read_text(encoding="utf-8")).get("images", []))
    for old in folder.glob("*.png"):  # the previous set stays too, for a page that still shows it
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return Previews([folder / name for name in names], problems, fingerprint, False)


def _pages(notice: Notice, loaded: Loaded, width_px: int) -> tuple[list[bytes], list[Problem]]:
    """The final (not draft) sheets as PNG, drawn in memory."""
    composition = loaded.kinds[notice.kind].compose(notice)
    laid = pipeline.laid_out(notice, loaded, composition)
    if isinstance(laid, LettersLaidOut):
        return _letter_pages(laid, width_px)
    if not laid.printable:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    return _rasterise(laid.pdf(False), width_px), list(laid.warnings)


def _letter_pages(laid: LettersLaidOut, width_px: int) -> tuple[list[bytes], list[Problem]]:
    from .render.letters import render_letters

    notice = laid.notice
    if laid.plan is None:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    households = laid.run.households[:PREVIEW_LETTERS]
    try:
        letters = render_letters(
            laid.plan,
            households,
            laid.fonts,
            two_up=laid.run.imposition == "2up",
            title=notice.title.value,
            author=notice.issuer.value,
            subject=notice.url,
        )
    except LetterOverflow:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    pages = _rasterise(letters, width_px)
    pages += _rasterise(laid._receipts(False), width_px, first=1)
    problems = []
    if len(laid.run.households) > len(households):
        problems.append(
            warning(
                notice.where,
                f"预览只显示前{len(households)}封信和签收登记表的第一页；正式印发时每户一封，共{len(laid.run.households)}封。",
            )
        )
    return pages, problems


def _rasterise(pdf: bytes, width_px: int, first: int | None = None) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document) if first is None else min(first, len(document))
        pages = []
        for index in range(count):
            page = document[index]
            width, _ = page.get_size()
            image = page.render(scale=width_px / width).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG", compress_level=1)  # a preview is looked at once; speed over size
            pages.append(out.getvalue())
            page.close()
        return pages
    finally:
        document.close()


# ---------------------------------------------------------------- forms


def _field(option, settings: Settings) -> FieldSpec | None:
    kind = option.type
    label, help_text = option.label, option.help or option.label
    if option.name == "catalogue":
        choices = [(e.id, e.title) for e in settings.catalogue]
        return FieldSpec(option.name, label, help_text, "choice", False, choices)
    if option.name == "body":
        return FieldSpec(option.name, label, help_text, "textarea", option.required)
    if isinstance(kind, options.TextValue):
        return FieldSpec(option.name, label, help_text, "text", option.required, default=kind.default or "")
    if isinstance(kind, (options.IntegerValue, options.CountValue)):
        default = "" if kind.default is None else str(kind.default)
        return FieldSpec(option.name, label, help_text, "integer", option.required, default=default)
    if isinstance(kind, options.NumberValue):
        return FieldSpec(option.name, label, help_text, "number", option.required)
    if isinstance(kind, options.DateValue):
        default = _today().isoformat() if option.name == "date" else ""
        return FieldSpec(option.name, label, help_text, "date", option.required, default=default)
    if isinstance(kind, options.BooleanValue):
        return FieldSpec(option.name, label, help_text, "boolean", False, default="true" if kind.default else "")
    if isinstance(kind, options.ChoiceValue):
        choices = [(c, CHOICE_LABELS.get(c, c)) for c in kind.choices]
        return FieldSpec(option.name, label, help_text, "choice", option.required, choices, kind.default or "")
    return None  # lists and mappings are written in the file (or by signing, uploading)


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\x7f-\x9f\u2028\u2029\ufeff][^\n\r\t\x7f-\x9f\u2028\u2029\ufeff]*")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(.*)$")
_COMMENTED_KEY = re.compile(r"^#\s?([A-Za-z_][A-Za-z0-9_-]*):(.*)$")
_NULL_WORDS = {"~", "null", "Null", "NULL"}
# what YAML reads as a line break (NEL, LS, PS) or refuses in a file, beyond what JSON escapes
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_scalar(value: str) -> str:
    """A form value as YAML that reads back as exactly that text: plain where safe, else double-quoted."""
    if (
        _PLAIN.fullmatch(value)
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and value not in _NULL_WORDS
        and not _YAML_UNSAFE.search(value)
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar,
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)  # once YAML's own line breaks are escaped too


def _comment_of(rest: str) -> str:
    """The trailing `  # …` of a key line's value part, outside quotes; '' when none."""
    quote = None
    for index, char in enumerate(rest):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"" and not rest[:index].strip():
            quote = char
        elif char == "#" and (index == 0 or rest[index - 1] in " \t"):
            start = index
            while start > 0 and rest[start - 1] in " \t":
                start -= 1
            return rest[start:]
    return ""


def _block_end(lines: list[str], start: int) -> int:
    """The line after key ``start``'s value: the next line at column 0 that is not blank."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _value_lines(key: str, value: str, comment: str) -> list[str]:
    if "\n" in value and not _YAML_UNSAFE.search(value) and not set("\t\r") & set(value.replace("\r\n", "\n")):
        texts = value.replace("\r\n", "\n").rstrip("\n").split("\n")
        body = [f"  {line}".rstrip() + "\n" for line in texts]
        indicator = "|2" if texts[0].startswith(" ") else "|"  # a first line that starts with a space sets no indent
        return [f"{key}: {indicator}{comment}\n", *body]
    return [f"{key}: {yaml_scalar(value)}{comment}\n"]


def set_keys(text: str, values: dict[str, str]) -> str:
    """``text`` (a notice file) with each key set to its value, or removed where the value is empty;
    every other line (comments, reviews, data, keys the form does not show) kept as it is."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, value in values.items():
        found = next((i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line)) and m[1] == key), None)
        if found is not None:
            end = _block_end(lines, found)
            rest = _TOP_KEY.match(lines[found])[2]  # type: ignore[index]
            comment = _comment_of(rest) if end == found + 1 or rest.strip().startswith(("|", ">")) else ""
            if rest.strip().startswith(("|", ">")):
                comment = _comment_of(rest.strip()[1:].lstrip("-+0123456789"))
            lines[found:end] = _value_lines(key, value, comment.rstrip("\n")) if value != "" else []
            continue
        if value == "":
            continue
        commented = next((i for i, line in enumerate(lines) if (m := _COMMENTED_KEY.match(line)) and m[1] == key), None)
        if commented is not None:
            comment = _comment_of(_COMMENTED_KEY.match(lines[commented])[2]).rstrip("\n")  # type: ignore[index]
            lines[commented : commented + 1] = _value_lines(key, value, comment)
            continue
        reviews = next((i for i, line in enumerate(lines) if line.startswith(("reviews:", "# reviews:"))), None)
        at = reviews if reviews is not None else len(lines)
        while at > 0 and lines[at - 1].startswith("#") and reviews is not None:
            at -= 1  # before the reviews block's own explanation
        lines[at:at] = _value_lines(key, value, "")
    return "".join(lines)


def _form_values(root: Path, kind: str, values: dict[str, str]) -> dict[str, str]:
    fields = {f.name: f for f in form_fields(root, kind)}
    chosen = {}
    for name, value in values.items():
        spec = fields.get(name)
        if spec is None or name == "id":
            continue
        value = (value or "").strip() if spec.type != "textarea" else (value or "").rstrip()
        if spec.type == "boolean":
            value = "true" if value.lower() in ("true", "on", "1", "yes", "是") else ("" if not value else "false")
        chosen[name] = value
    return chosen


def _check_notice(root: Path, notice_id: str) -> list[Problem]:
    try:
        return pipeline.check(root, [notice_id]).problems
    except UnreadableInput as exc:
        return [exc.problem]


def _write_notice(root: Path, kind: str, values: dict[str, str], notice_id: str | None) -> Written:
    if notice_id is not None:
        try:
            path = _notice_path(root, notice_id)
        except LookupError:
            return Written(None, None, [error(Where(f"{NOTICES_DIR}/{notice_id}.yaml"), "没有这份通知。")])
        display = f"{NOTICES_DIR}/{path.name}"
        given = (values.get("id") or notice_id).strip()
        if given != notice_id:
            return Written(
                notice_id, None, [error(Where(display, 1), "编号（id）不能在这里改：它是文件名，也是网址的一部分。")]
            )
        node, _ = load_yaml(path, display)
        file_kind = _scalar(node, "kind") if node is not None else None
        chosen = _form_values(root, file_kind or kind, values)
        with _lock(root, notice_id):
            text = path.read_text(encoding="utf-8-sig")
            atomic.write_bytes(path, set_keys(text, chosen).encode("utf-8"))
        return Written(notice_id, path, _check_notice(root, notice_id))
    new_id = (values.get("id") or "").strip()
    where = Where(f"{NOTICES_DIR}/{new_id or '（新通知）'}.yaml")
    if kind not in registry():
        return Written(None, None, [error(where, f"没有「{kind}」这种类型，只能是：{'、'.join(registry())}。")])
    if not ID_PATTERN.match(new_id):
        return Written(
            None, None, [error(where, f"编号「{new_id}」只能由小写字母、数字和连字符组成，例如 2026q1-finance。")]
        )
    try:
        existing = _notice_path(root, new_id)
    except LookupError:
        existing = None
    if existing is not None:
        return Written(
            None, None, [error(where, f"编号「{new_id}」已经有了（{NOTICES_DIR}/{existing.name}），请换一个。")]
        )
    folder = root / NOTICES_DIR
    scratch = root / WORKBENCH_DIR / "tmp"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as made:  # same disk: each file moves in by one rename
            started = new_notice(made, kind, new_id, today=_today())
            if started.problems:
                return Written(None, None, started.problems)
            yaml_made = Path(made) / NOTICES_DIR / f"{new_id}.yaml"
            text = set_keys(yaml_made.read_text(encoding="utf-8"), _form_values(root, kind, values))
            yaml_made.write_text(text, encoding="utf-8")
            folder.mkdir(parents=True, exist_ok=True)
            for made_file in started.files:
                if made_file.suffix != ".yaml" and (folder / made_file.name).exists():
                    continue  # a table of that name is the clerk's own: never replaced by the template
                atomic.publish(made_file, folder / made_file.name)
    except OSError as exc:
        return Written(None, None, [error(where, f"无法写入（{os_reason(exc)}）。")])
    return Written(new_id, folder / f"{new_id}.yaml", _check_notice(root, new_id))


def _scalar(node: YNode | None, key: str) -> str | None:
    if node is None or not node.is_map:
        return None
    value = node.entries.get(key)
    return str(value.value) if value is not None and isinstance(value.value, str) else None


# ---------------------------------------------------------------- tables


def _unsafe_name(filename: str) -> bool:
    return (
        not filename
        or "/" in filename
        or "\\" in filename
        or ".." in filename
        or ":" in filename
        or filename.startswith(".")
        or "\0" in filename
    )


def _readable(path: Path, display: str) -> Problem | None:
    """None when the file is a table its suffix promises, else why not."""
    if path.suffix.lower() == ".csv":
        try:
            _, problem = read_csv(path, display)
        except OSError as exc:
            return error(Where(display), f"无法读取（{os_reason(exc)}）。")
        return problem
    _, _, problem = read_spreadsheet(path, display, None, Where(display))
    return problem


def _save_table(root: Path, notice_id: str, filename: str, data: bytes) -> Written:
    shown = Where(filename or "上传的文件")
    if _unsafe_name(filename):
        return Written(notice_id, None, [error(shown, "文件名里不能有路径（/、\\、..、盘符）。请只上传表格文件本身。")])
    suffix = Path(filename).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        allowed = "、".join(TABLE_SUFFIXES)
        return Written(
            notice_id, None, [error(shown, f"只能上传表格文件（{allowed}），这个文件是「{suffix or '无后缀'}」。")]
        )
    if len(data) > MAX_UPLOAD_BYTES:
        return Written(
            notice_id,
            None,
            [
                error(
                    shown,
                    f"文件太大（{len(data) // (1024 * 1024)} MB），最大 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。"
                    "请删去不用的工作表或图片后再传。",
                )
            ],
        )
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return Written(notice_id, None, [error(shown, "没有这份通知，请先建好通知再上传表格。")])
    display = f"{NOTICES_DIR}/{path.name}"
    spec = registry().get(_scalar(load_yaml(path, display)[0], "kind") or "")
    if spec is not None and spec.columns is None:
        return Written(notice_id, None, [error(shown, f"{spec.label}不使用数据表，不用上传表格。")])
    stored = ".xls" if suffix == ".et" else suffix  # calamine reads a WPS .et as the binary workbook it is
    target = path.parent / f"{notice_id}{stored}"
    scratch = root / WORKBENCH_DIR / "tmp"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as made:
            candidate = Path(made) / f"{notice_id}{stored}"
            candidate.write_bytes(data)
            problem = _readable(candidate, filename)
            if problem is not None:
                return Written(notice_id, None, [error(shown, f"这个文件读不出表格：{problem.message}")])
            sheets = _sheet_names(candidate)
            with _lock(root, notice_id):
                atomic.publish(candidate, target)
                node, _ = load_yaml(path, display)
                changes = {"data": target.name}
                sheet = _scalar(node, "sheet")
                sheet_node = node.entries.get("sheet") if node is not None and node.is_map else None
                named = [sheet] if sheet else [i.value for i in sheet_node.items] if sheet_node is not None else []
                if named and (sheets is None or any(name not in sheets for name in named)):
                    changes["sheet"] = ""  # the new file lacks it: read its first sheet
                text = path.read_text(encoding="utf-8-sig")
                atomic.write_bytes(path, set_keys(text, changes).encode("utf-8"))
    except OSError as exc:
        return Written(notice_id, None, [error(shown, f"无法保存（{os_reason(exc)}）。")])
    return Written(notice_id, target, _check_notice(root, notice_id))


def _sheet_names(path: Path) -> list[str] | None:
    if path.suffix.lower() == ".csv":
        return None
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # calamine's own errors: read already succeeded, so this is not expected
        return None


_FORMULA = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[ >/]")  # <f>, <f t="shared" …>, <x:f> from other writers


def _has_formulas(path: Path) -> bool:
    """Does any sheet of an xlsx hold a formula (openpyxl would keep it, but not its saved value)?"""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as member:
                        chunk = b""
                        while block := member.read(1 << 20):
                            if _FORMULA.search(chunk[-16:] + block):
                                return True
                            chunk = block
    except (OSError, zipfile.BadZipFile):
        return True
    return False


def _editable(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix == ".csv" or (suffix == ".xlsx" and not _has_formulas(path))


def _data_files(root: Path, path: Path) -> tuple[list[tuple[str, list[str | None]]], list[Problem], Loaded | None]:
    """(display path, sheets) of each table the notice reads, the problems to mark, and the load."""
    display = f"{NOTICES_DIR}/{path.name}"
    loaded = load_workspace(root, notice_file=path)
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    node, _ = load_yaml(path, display)
    data = _scalar(node, "data")
    sheet_node = node.entries.get("sheet") if node is not None and node.is_map else None
    sheets: list[str | None] = [None]
    if sheet_node is not None and sheet_node.is_seq:
        sheets = [str(i.value) for i in sheet_node.items if isinstance(i.value, str)] or [None]
    elif sheet_node is not None and isinstance(sheet_node.value, str):
        sheets = [sheet_node.value]
    files: list[tuple[str, list[str | None]]] = []
    sources = notice.sources[1:] if notice is not None else ([f"{NOTICES_DIR}/{data}"] if data else [])
    for source in sources:
        files.append((source, sheets if data and source == f"{NOTICES_DIR}/{data}" else [None]))
    problems = _own_problems(loaded, notice) if notice is not None else list(loaded.problems)
    return files, problems, loaded


def _table_grids(root: Path, notice_id: str) -> list[Grid]:
    path = _notice_path(root, notice_id)
    files, problems, loaded = _data_files(root, path)
    rules = privacy.policy(loaded.workspace.settings.privacy) if loaded else None
    grids = []
    for display, sheets in files:
        file_path = root / display
        if not file_path.is_file():
            continue
        suffix = file_path.suffix.lower()
        editable = _editable(file_path)
        for sheet in sheets:
            if suffix in (".csv", ".txt"):
                raw, _ = read_csv(file_path, display)
            else:
                raw, _names, _ = read_spreadsheet(file_path, display, sheet, Where(display))
            if raw is None:
                continue
            rows = raw.rows[:MAX_GRID_ROWS]
            width = max((len(cells) for _, cells in rows), default=0)
            grid = Grid(
                file=display,
                sheet=raw.sheet,
                columns=[column_letter(i) for i in range(width)],
                rows=[
                    (number, [privacy.masked_text(c, rules) for c in cells] + [""] * (width - len(cells)))
                    for number, cells in rows
                ],
                marks={},
                editable=editable,
                truncated=len(raw.rows) > MAX_GRID_ROWS,
            )
            for problem in problems:
                where = problem.where
                if where.file != display or not where.cell:
                    continue
                if raw.sheet is not None and where.sheet == raw.sheet:
                    name = where.cell
                elif raw.sheet is None and where.sheet is None and where.line is not None:
                    name = f"{where.cell}{where.line}"
                else:
                    continue
                if not re.fullmatch(r"[A-Z]+[0-9]+", name):
                    continue
                grid.marks.setdefault(name, []).append(Mark(problem.level, problem.message))
            grids.append(grid)
    return grids


_CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$")


def _set_cell(root: Path, notice_id: str, file: str, sheet: str | None, cell: str, value: str) -> Written:
    shown = Where(file, sheet=sheet, cell=cell) if sheet else Where(file)
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return Written(notice_id, None, [error(shown, "没有这份通知。")])
    files, _, _ = _data_files(root, path)
    if file not in [display for display, _ in files]:
        return Written(notice_id, None, [error(shown, "这份通知不读这个表格，不能在这里改。")])
    match = _CELL.match((cell or "").upper())
    if match is None:
        return Written(notice_id, None, [error(shown, f"单元格「{cell}」写法不对，应为 C7 这样的写法。")])
    letters, row = match[1], int(match[2])
    target = root / file
    suffix = target.suffix.lower()
    if not _editable(target):
        return Written(
            notice_id,
            None,
            [error(shown, "这个表格不能在这里改（有公式，或不是 xlsx/CSV）。请在 Excel/WPS 里改好后重新上传。")],
        )
    with _lock(root, notice_id):
        try:
            if suffix == ".csv":
                data = _csv_with(target.read_bytes(), row, column_index(letters), value)
                if data is None:
                    return Written(
                        notice_id, None, [error(shown, "这个 CSV 文件读不出来，请在 Excel/WPS 里改好后重新上传。")]
                    )
            else:
                data = _xlsx_with(target, sheet, f"{letters}{row}", value)
                if data is None:
                    return Written(notice_id, None, [error(shown, f"表格里没有名为「{sheet}」的工作表。")])
            atomic.write_bytes(target, data)
        except OSError as exc:
            return Written(notice_id, None, [error(shown, f"无法保存（{os_reason(exc)}）。")])
    return Written(notice_id, target, _check_notice(root, notice_id))


def _csv_with(raw: bytes, row: int, column: int, value: str) -> bytes | None:
    """The CSV with one cell changed, in its own encoding, mark and line ends; other records untouched."""
    bom = b""
    for mark in (b"\xef\xbb\xbf", b"\x84\x31\x95\x33"):
        if raw.startswith(mark):
            bom, raw = mark, raw[len(mark) :]
    encoding = None
    for candidate in ("utf-8", "gb18030"):
        try:
            text = raw.decode(candidate)
            encoding = candidate
            break
        except UnicodeDecodeError:
            continue
    if encoding is None or "\x00" in text:
        return None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    ending = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    spans: dict[int, tuple[int, list[str]]] = {}
    try:
        for record in reader:
            spans[previous_end + 1] = (reader.line_num, record)
            previous_end = reader.line_num
    except csv.Error:
        return None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    if row in spans:
        end, record = spans[row]
        record = record + [""] * (column + 1 - len(record))
        record[column] = value
        writer.writerow(record)
        lines[row - 1 : end] = [out.getvalue()]
    else:
        while len(lines) < row - 1:
            lines.append(ending)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += ending
        writer.writerow([""] * column + [value])
        lines.append(out.getvalue())
    return bom + "".join(lines).encode(encoding)


def _xlsx_with(path: Path, sheet: str | None, cell: str, value: str) -> bytes | None:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    if sheet is not None and sheet not in workbook.sheetnames:
        return None
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    typed: object = value
    if _NUMBER.match(value.strip()):
        typed = float(value) if "." in value else int(value)
    worksheet[cell] = typed if value != "" else None
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- signing


def _sign(
    root: Path,
    notice_id: str,
    role: str,
    by: str,
    held: set[str],
    decision: str,
    reason: str,
    fingerprint: str,
    at: dt.datetime | None,
) -> list[Problem]:
    shown = Where(load_signoffs.display_path(notice_id))
    if role not in held:
        return [error(shown, f"你没有「{role}」这个签批角色，不能替别人签。")]
    if decision not in (AGREE, RETURN):
        return [error(shown, "只能选「同意」或「退回」。")]
    reason = (reason or "").strip()
    if decision == RETURN and not reason:
        return [error(shown, "退回要写明理由，让信息员知道改什么。")]
    if not (by or "").strip():
        return [error(shown, "签批人的名字是空的。请管理员给这个账号填上姓名。")]
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return [error(shown, "没有这份通知。")]
    with _lock(root, notice_id):
        loaded = load_workspace(root, notice_file=path)
        notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
        if notice is None:
            return [error(Where(f"{NOTICES_DIR}/{path.name}"), "这份通知读不出来，先请信息员改好，再签批。")]
        chain, _ = loaded.workspace.settings.review_chain(notice.catalogue)
        if role not in chain:
            return [error(shown, f"这份通知的审核环节是 {'→'.join(chain) or '（无）'}，没有「{role}」。")]
        if fingerprint != notice.fingerprint:
            return [error(shown, "内容已改动，请重新查看后再签。")]
        if decision == AGREE:
            signed = {review.role for review in notice.reviews}
            before = [r for r in chain[: chain.index(role)] if r not in signed]
            if before:
                waiting = "、".join(f"「{r}」" for r in before)
                return [error(shown, f"要按 {'→'.join(chain)} 的顺序签批：{waiting}还没有同意现在的内容。")]
        moment = (at or dt.datetime.now(CHINA)).astimezone(CHINA)
        record = ModelRecord(role, by.strip(), decision, reason, moment, fingerprint, shown)
        target = root / load_signoffs.display_path(notice.id)
        try:
            existing = target.read_text(encoding="utf-8") if target.is_file() else load_signoffs.HEADER
        except (OSError, UnicodeDecodeError) as exc:
            reason_text = os_reason(exc) if isinstance(exc, OSError) else "不是 UTF-8"
            return [error(shown, f"无法读取签批记录（{reason_text}）。")]
        if not existing.endswith("\n"):
            existing += "\n"
        try:
            atomic.write_bytes(target, (existing + load_signoffs.record_text(record)).encode("utf-8"))
        except OSError as exc:
            return [error(shown, f"无法保存签批（{os_reason(exc)}）。")]
    return []
