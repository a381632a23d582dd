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

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .pipeline import Result
from .problems import Problem

OFFICER = "信息员"  # may create and edit notices, upload tables, run the final build
ADMIN = "管理员"  # may manage nothing more than the CLI's `user` does, but reads the audit log and builds
WORKBENCH_DIR = ".workbench"
SIGNOFFS_DIR = "signoffs"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused with a message
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".csv")  # what an upload may be (WPS .et included if calamine reads it)
AGREE = "同意"
RETURN = "退回"


def roles(root: Path) -> list[str]:
    """Every role an account may hold in this workspace: 信息员, 管理员, then each review role of
    noticeboard.yaml's reviews and of every catalogue entry's own chain, in order, without repeats."""


def database_url(root: Path) -> str | None:
    """noticeboard.yaml ``workbench: {database: postgresql://user@host:5432/name}`` (declared in the
    settings schema, validated with its line), or None for the SQLite default. The web layer lets
    the environment variable NOTICEBOARD_DATABASE override it; a password is never written here
    (libpq's PGPASSWORD / .pgpass supply it)."""


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
    status: str  # the plan status in Chinese: 待公开 逾期未公开 逾期公开 已公开 需复核 缺结果公开, or 未发布/公示中/已结束
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


def field_of(problem: Problem, root: Path, notice_id: str) -> str | None:
    """The form field (YAML key) a problem is about, from its line in the notice file; None when it
    is about a table cell or the file as a whole."""


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


def form_fields(root: Path, kind: str) -> list[FieldSpec]:
    """The form for a notice of ``kind``, generated from the common and the kind's option schema:
    scalar keys only (id, title, date, display_days, paper, orientation, catalogue as a choice of the
    workspace's entries, period, issuer, hotline, the kind's own scalars, ``body`` as textarea for
    the notice kind …). Never ``reviews`` (sign-offs are made by signing) nor ``data`` (the upload)."""


def notice_values(root: Path, notice_id: str) -> dict[str, str]:
    """The current values of the notice file's scalar keys, as the form shows them."""


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


def template(kind: str) -> tuple[str, bytes]:
    """The kind's table template, as `noticeboard new` writes it: (file name, xlsx bytes)."""


def save_table(root: Path, notice_id: str, filename: str, data: bytes) -> Written:
    """An uploaded table for a notice. Refused with a message (nothing written): a name with a path
    in it (/, \\, .., a drive), a suffix not in TABLE_SUFFIXES, more than MAX_UPLOAD_BYTES, content
    that is not a readable table of that type. Else written atomically into notices/ (keeping the
    suffix, named <id>.<suffix>), the notice's ``data:`` (and ``sheet:`` dropped if the new file
    lacks it) updated, and `check`'s problems for the notice returned."""


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


def set_cell(root: Path, notice_id: str, file: str, sheet: str | None, cell: str, value: str) -> Written:
    """Change one cell of the notice's table in place (the clerk's fix of a red cell), atomically;
    refused with a message where the file is not editable here (xls/et, or an xlsx with formulas:
    「请在 Excel/WPS 里改好后重新上传」). Returns `check`'s problems for the notice."""


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


# ---------------------------------------------------------------- the final build and its files


def final_build(root: Path, notice_ids: list[str] | None = None) -> Result:
    """`noticeboard build` (not --draft) of these notices, or of all: the same function the CLI calls."""


@dataclass
class Download:
    label: str  # 印刷版 PDF、签收登记表、A4 拼贴 …
    path: Path  # under out/


def downloads(root: Path, notice_id: str) -> list[Download]:
    """What the last final build wrote for this notice that a clerk takes to the printer."""
