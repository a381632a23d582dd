"""Plain typed models: what the load stage produces and every later stage reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .privacy import PrivacyRule
from .problems import Where
from .schedule import workdays

PAPERS = ("A0", "A1", "A2", "A3", "A4", "A5")
KIND_NAMES = ("finance", "contacts", "tasks", "notice", "roster", "ledger", "letter", "guide")


@dataclass(frozen=True)
class Text:
    """A user string with the place it came from, so checks can point at it."""

    value: str
    where: Where


@dataclass
class Cell:
    text: str
    where: Where
    indent: int = 0  # leading spaces the clerk typed (a full-width one counts two): a level in a codeless table


@dataclass
class Row:
    number: int  # 1-based row in the file or sheet
    cells: dict[str, Cell]  # keyed by canonical column key
    part: int = 0  # which of side-by-side tables or listed sheets the row came from, in reading order

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


@dataclass
class Column:
    key: str  # canonical key (English alias for known columns, else the header text)
    header: str  # as written in the file
    letter: str
    where: Where


@dataclass
class Table:
    display: str  # path as shown in messages
    sheet: str | None
    header_where: Where
    columns: list[Column]
    rows: list[Row]
    notes: list[Text] = field(default_factory=list)  # 注：… under the table, printed under it as written
    signatures: list[Text] = field(default_factory=list)  # 制表人：… 审核人：… lines, printed as written
    units: list[Text] = field(default_factory=list)  # money units the sheet names (单位：万元, 预算数（万元）)
    unprinted: list[Column] = field(default_factory=list)  # headed columns the kind does not print
    parts: int = 1  # how many side-by-side tables or sheets were read

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Event:
    id: str
    title: str
    date: dt.date | None
    where: Where
    type: str | None = None  # "election": the event has the legal timeline of a 村民委员会选举
    candidate_lead_days: int = 5  # 正式候选人名单 this many days before (the province's 选举办法)


@dataclass
class Screen:
    """The village's electronic board (电子屏): its size in pixels and how long each screen stays up."""

    width: int = 1920
    height: int = 1080
    seconds: int = 15


@dataclass
class Board:
    id: str
    name: str
    width_mm: float
    height_mm: float
    where: Where


@dataclass
class CatalogueEntry:
    id: str
    title: str
    frequency: str
    where: Where
    due_days: int | None = None
    owner: str | None = None
    board: str | None = None
    event: str | None = None
    lead_days: int | None = None
    review_days: int | None = None
    result_of: str | None = None  # another entry whose every item needs a result notice (办事结果)
    result_days: int | None = None
    result_where: Where | None = None
    due_workdays: int | None = None  # working days after the period ends, on the official calendar
    min_display_days: int | None = None  # the legal minimum 公示期 of this entry's notices
    min_display_workdays: int | None = None
    step: str | None = None  # which legal step of its election event this entry is (voter-list, candidates)
    # the standard catalogue's columns (基层政务公开标准目录), kept as written for the 督查 export
    content: str | None = None  # 内容
    basis: str | None = None  # 依据
    time_limit: str | None = None  # 时限, e.g. 信息形成或变更之日起20个工作日内
    channels: str | None = None  # 渠道
    audience: str | None = None  # 对象
    mode: str | None = None  # 方式
    key_wheres: dict[str, Where] = field(default_factory=dict)  # the line of each key given
    reviews: list[str] | None = (
        None  # this entry's own sign-off chain (a village's 报账员初审 …), instead of the workspace's
    )


@dataclass
class Settings:
    file: str
    issuer: Text | None = None
    base_url: str | None = None
    base_url_where: Where | None = None  # its line, for a check that blames the address
    hotline: Text | None = None
    reviews: list[str] = field(default_factory=list)
    fonts: list[tuple] = field(default_factory=list)  # (file, weight, where, role or None for a fallback)
    privacy: dict[str, PrivacyRule] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    catalogue: list[CatalogueEntry] = field(default_factory=list)
    screen: Screen = field(default_factory=Screen)
    database_url: str | None = None  # workbench: {database: postgresql://…}; None: the SQLite default

    def review_chain(self, catalogue: str | None) -> tuple[list[str], CatalogueEntry | None]:
        """The sign-offs a notice of ``catalogue`` needs, and the entry that set them (None: the workspace's)."""
        entry = next((e for e in self.catalogue if e.id == catalogue), None)
        if entry is not None and entry.reviews is not None:
            return entry.reviews, entry
        return self.reviews, None


@dataclass
class Review:
    role: str
    by: Text
    date: dt.date | None
    where: Where
    source: str = "file"  # "file": the notice's reviews block; "workbench": a record in signoffs/<id>.yaml


@dataclass(frozen=True)
class SignoffRecord:
    """One sign-off made in the workbench, as signoffs/<id>.yaml holds it."""

    role: str
    by: str
    decision: str  # 同意 | 退回
    reason: str
    at: dt.datetime  # aware
    fingerprint: str  # the notice's content fingerprint it was made on
    where: Where  # its line in signoffs/<id>.yaml


@dataclass
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def is_first(self) -> bool:
        """The first period of the year, where 累计数 must equal 本期数."""
        return self.quarter == 1 or self.month == 1 or (self.quarter is None and self.month is None)

    def previous(self) -> Period | None:
        if self.quarter and self.quarter > 1:
            return Period(self.year, quarter=self.quarter - 1)
        if self.month and self.month > 1:
            return Period(self.year, month=self.month - 1)
        return None

    def label(self) -> str:
        names = {1: "一", 2: "二", 3: "三", 4: "四"}
        if self.quarter:
            return f"{self.year}年第{names[self.quarter]}季度"
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年"

    def __str__(self) -> str:
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)


@dataclass
class Notice:
    """The common part of every notice; ``content`` is the kind's own model."""

    id: str
    kind: str
    title: Text
    file: str  # display path of the YAML file
    path: Path
    where: Where  # the id line
    issuer: Text
    date: dt.date
    paper: str = "A4"
    orientation: str = "portrait"
    catalogue: str | None = None
    period: Period | None = None
    display_days: int | None = None
    display_workdays: int | None = None  # a 公示期 in working days (调休 included); never with display_days
    base_url: str | None = None
    hotline: Text | None = None
    reviews: list[Review] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # display paths of every file it was loaded from
    # what a reviewer signs: content_fingerprint and every workspace setting the sheets are made with
    # (the privacy policy that masks them, the sheet design, the office fonts); a change to any of them
    # makes the workbench's sign-offs on it stale
    fingerprint: str = ""
    # SHA-256 of the files it was loaded from except its sign-offs: what the register has always stored
    # as content_sha256, so a workspace built before the workbench is not taken for changed after signing
    content_fingerprint: str = ""
    content: object = None
    signoff_records: list[SignoffRecord] = field(default_factory=list)  # signoffs/<id>.yaml, in file order
    returned: dict[str, SignoffRecord] = field(default_factory=dict)  # role -> 退回 on the current content
    stale: dict[str, SignoffRecord] = field(default_factory=dict)  # role -> latest 同意 on older content only

    @property
    def display_end(self) -> dt.date | None:
        """The last day of the 公示期: the one date the sheet, the online copy, the register and plan use."""
        if self.display_workdays is not None:
            return workdays.display_end(self.date, self.display_workdays).date
        if self.display_days is None:
            return None
        return self.date + dt.timedelta(days=self.display_days - 1)

    @property
    def url(self) -> str:
        return f"{self.base_url}{self.id}/"

    def at(self, key: str) -> Where:
        return Where(self.file, self.key_lines.get(key, self.where.line))


@dataclass
class Workspace:
    root: Path
    settings: Settings
    notices: list[Notice]
    layouts_dir: Path | None = None
