"""The publication register (发布登记): one SQLite row per final publication.

The whole schema lives here, with a version number, so that a later version can
migrate an older register instead of guessing at it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..problems import UnreadableInput, Where, error

SCHEMA_VERSION = 3  # 2 added content_sha256, 3 the 核验码 (code)
REGISTER_FILE = "register.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS publications (
    id          TEXT NOT NULL,     -- the notice id, which names its files and URL
    revision    INTEGER NOT NULL,  -- 1 for the first publication, then 2, 3 … for each change
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    catalogue   TEXT,              -- the catalogue entry it fulfils, if any
    period      TEXT,              -- 2026, 2026-Q1 or 2026-03
    date        TEXT NOT NULL,     -- 发布日期, ISO
    display_end TEXT,              -- last day of the 公示期, ISO
    reviewers   TEXT NOT NULL,     -- 初审：王小红 2026-04-10；审核：…
    sha256      TEXT NOT NULL,     -- of the print PDF
    built_at    TEXT NOT NULL,     -- when this revision was built, ISO with time zone
    content_sha256 TEXT,           -- of the inputs without the sign-offs (schema 2)
    code        TEXT,              -- 核验码 printed beside the QR code, ABCD-EFGH (schema 3)
    PRIMARY KEY (id, revision)
);
"""


# named, not *: a migrated register has its columns in the order they were added
COLUMNS = (
    "id, revision, title, kind, catalogue, period, date, display_end, reviewers, sha256, built_at, content_sha256, code"
)


class RegisterError(Exception):
    """The register file exists but cannot be used (damaged, or from a newer noticeboard)."""


@dataclass(frozen=True)
class Publication:
    id: str
    revision: int
    title: str
    kind: str
    catalogue: str | None
    period: str | None
    date: dt.date
    display_end: dt.date | None
    reviewers: str
    sha256: str
    built_at: str
    content_sha256: str = ""
    code: str = ""  # 核验码; empty for letters and for rows from before schema 3


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path)
        connection.executescript(_SCHEMA)
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise RegisterError(
                f"发布登记 {path.name} 由更新版本的 noticeboard 写成（格式 {row[0]}），请升级 noticeboard。"
            )
        elif int(row[0]) < SCHEMA_VERSION:  # older registers gain the new columns, empty for their rows
            if int(row[0]) < 2:  # schema 1 had no content fingerprint
                connection.execute("ALTER TABLE publications ADD COLUMN content_sha256 TEXT")
            connection.execute("ALTER TABLE publications ADD COLUMN code TEXT")  # schema 2 had no 核验码
            connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        connection.commit()
        return connection
    except sqlite3.DatabaseError as exc:
        raise RegisterError(
            f"发布登记 {path.name} 已损坏，无法读取（{exc}）。请从备份恢复，或移走它后重新 build。"
        ) from exc


def _publication(row: tuple) -> Publication:
    values = list(row)
    values[6] = dt.date.fromisoformat(values[6])
    values[7] = dt.date.fromisoformat(values[7]) if values[7] else None
    values[11] = values[11] or ""
    values[12] = values[12] or ""
    return Publication(*values)


def read(path: Path) -> list[Publication]:
    """Every revision, oldest first. A missing register is an empty one."""
    if not path.is_file():
        return []
    with _connect(path) as connection:
        rows = connection.execute(f"SELECT {COLUMNS} FROM publications ORDER BY date, id, revision").fetchall()
    return [_publication(row) for row in rows]


def read_reported(path: Path, shown: str) -> list[Publication]:
    """``read``, with a register that cannot be used raised as an unreadable input at ``shown``
    (out/register.sqlite as the user knows it): every command that needs the register says so alike."""
    try:
        return read(path)
    except RegisterError as exc:
        raise UnreadableInput(error(Where(shown), str(exc))) from exc


def record(path: Path, entry: Publication) -> Publication | None:
    """Register a final publication; None when the latest revision already has these bytes."""
    connection = _connect(path)
    try:
        latest = connection.execute(
            "SELECT revision, sha256 FROM publications WHERE id = ? ORDER BY revision DESC LIMIT 1", (entry.id,)
        ).fetchone()
        if latest and latest[1] == entry.sha256:
            return None
        revision = latest[0] + 1 if latest else 1
        stored = Publication(**{**entry.__dict__, "revision": revision})
        connection.execute(
            f"INSERT INTO publications ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stored.id,
                stored.revision,
                stored.title,
                stored.kind,
                stored.catalogue,
                stored.period,
                stored.date.isoformat(),
                stored.display_end.isoformat() if stored.display_end else None,
                stored.reviewers,
                stored.sha256,
                stored.built_at,
                stored.content_sha256,
                stored.code or None,
            ),
        )
        connection.commit()
        return stored
    finally:
        connection.close()


def carrying(publications: list[Publication], code: str) -> list[Publication]:
    """The registered revisions whose sheets carry this 核验码 (normally one)."""
    return [p for p in publications if p.code and p.code == code]


def history(publications: list[Publication], notice_id: str) -> list[Publication]:
    return [p for p in publications if p.id == notice_id]


def latest(publications: list[Publication]) -> list[Publication]:
    """The current revision of each notice, newest publication date first."""
    current: dict[str, Publication] = {}
    for publication in publications:
        if publication.id not in current or publication.revision > current[publication.id].revision:
            current[publication.id] = publication
    return sorted(current.values(), key=lambda p: (p.date, p.id), reverse=True)


@dataclass
class YearFigures:
    """The 主动公开情况 figures for an annual report."""

    year: int
    notices: int  # distinct notices first published that year
    revisions: int  # later revisions built that year (corrections and updates)
    by_catalogue: Counter
    by_kind: Counter


def year_figures(publications: list[Publication], year: int) -> YearFigures:
    first = {}
    for publication in publications:
        if publication.revision == 1:
            first[publication.id] = publication
    published = [p for p in first.values() if p.date.year == year]
    revisions = [p for p in publications if p.revision > 1 and p.built_at[:4] == str(year)]
    return YearFigures(
        year=year,
        notices=len(published),
        revisions=len(revisions),
        by_catalogue=Counter(p.catalogue or "" for p in published),
        by_kind=Counter(p.kind for p in published),
    )
