"""The content plan (公开计划): what is due, late or stale on a date, and where each sheet goes.

A pure module: loaded data in (``assess``: the workspace, the register, a day), plain values out;
no files read or written, no printing. ``render/boards.py`` draws the boards, ``noticeboard.make_plan``
(commands.py) writes out/plan/, ``cli.py`` prints.

Calendar rules (documented in README):
- periodic entries (annual, quarterly, monthly) are due ``due_days`` after the period ends
  (defaults: 20 for quarterly and monthly, 30 for annual); the due day counts even on a weekend;
  or ``due_workdays`` working days after it, on the official calendar with its 调休 (workdays.py);
- the periods considered run from the first period of the earliest year in which the workspace has
  anything published by ``on`` (a notice or a register row; the year before ``on`` when it has nothing
  yet), and never before the year before ``on``, up to the
  last period that has ended by ``on`` (a period still running is listed only once something for
  it is published);
- on-event entries are due ``lead_days`` before the event (事前公开), or the legal lead of their
  election step (timeline.py); they are listed once published, or once due within 14 days; around
  each event, ``Plan.timelines`` counts back from its day (the whole election timeline);
- standing entries must be reviewed every ``review_days`` (default 365) after their last
  publication;
- ``result_of: E`` entries: every published item of E needs an item of this entry within
  ``result_days`` (default 30) of it, matched by period when both have one.
Publication facts come from the register (out/register.sqlite) when it has rows, else from the
notices' ``date`` and ``period``; anything dated after ``on`` is not yet published.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..dates import parse_period
from ..layout.paper import A_SIZES_MM
from ..load.workspace import SETTINGS_FILE, Loaded
from ..models import Board, CatalogueEntry, Notice, Period, Settings
from ..problems import Problem, Where, error, warning
from ..publish.register import Publication
from . import timeline, workdays

SOON_DAYS = 14
GAP_MM = 20.0
DEFAULT_DUE_DAYS = {"quarterly": 20, "monthly": 20, "annual": 30}
DEFAULT_REVIEW_DAYS = 365
DEFAULT_RESULT_DAYS = 30

# Worst first: the order the table is grouped in.
OVERDUE = "逾期未公开"
MISSING_RESULT = "缺结果公开"
REVIEW = "需复核"
SOON = "待公开"
LATE = "逾期公开"
DONE = "已公开"
STATUS_ORDER = (OVERDUE, MISSING_RESULT, REVIEW, SOON, LATE, DONE)
ALERTS = (OVERDUE, MISSING_RESULT, REVIEW)  # any of these makes `plan` exit 1
SHOWING = "公示中"
ENDED = "已结束"


@dataclass(frozen=True)
class Item:
    """One publication of a catalogue entry, from the register or a notice file."""

    id: str
    catalogue: str
    period: Period | None
    date: dt.date
    display_end: dt.date | None = None
    where: Where | None = None  # the notice file's date line, when known


@dataclass
class Row:
    entry: str  # catalogue id
    title: str
    period: str  # 2026-Q1, 2026-03, 2026, 常设, or the event id
    period_label: str  # as a person reads it: 2026年第一季度
    status: str
    due: dt.date | None
    owner: str
    board: str
    published: dt.date | None = None
    notice: str | None = None
    days_late: int = 0  # 逾期公开 / 逾期未公开 / 需复核 / 缺结果公开: days past the due day
    days_left: int | None = None  # 待公开: days until due
    display: str | None = None  # 公示中 / 已结束 while or after its 公示期

    def notes(self) -> list[str]:
        """What the status alone does not say, as the terminal table and the workbook word it."""
        notes = []
        if self.days_late:
            notes.append(f"超期{self.days_late}天")
        if self.days_left is not None:
            notes.append(f"还有{self.days_left}天")
        if self.display:
            notes.append(self.display)
        return notes

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("due", "published"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass
class Plan:
    on: dt.date
    source: str  # "register" or "notices"
    rows: list[Row]
    timelines: list[timeline.Timeline] = field(default_factory=list)
    guessed: dict[str, set[int]] = field(default_factory=dict)  # entry id -> years counted Monday to Friday

    @property
    def alerts(self) -> list[Row]:
        return [r for r in self.rows if r.status in ALERTS]

    @property
    def timeline_alerts(self) -> list[timeline.Step]:
        return [s for t in self.timelines for s in t.alerts]

    def calendar_problems(self, settings: Settings) -> list[Problem]:
        """One warning for the due days counted past the calendar's years (not one per period)."""
        if not self.guessed:
            return []
        first = next(e for e in settings.catalogue if e.id in self.guessed)
        where = first.key_wheres.get("due_workdays", first.where)
        names = "、".join(f"「{e}」" for e in self.guessed)
        years = set().union(*self.guessed.values())
        return [warning(where, f"目录项{names}的应公开日按工作日计算：{workdays.unknown_message(years)}")]

    def grouped(self) -> list[tuple[str, list[Row]]]:
        return [
            (status, [r for r in self.rows if r.status == status])
            for status in STATUS_ORDER
            if any(r.status == status for r in self.rows)
        ]


# ---------------------------------------------------------------- calendar


def period_end(period: Period) -> dt.date:
    if period.quarter:
        month = period.quarter * 3
    elif period.month:
        month = period.month
    else:
        month = 12
    return dt.date(period.year, month, calendar.monthrange(period.year, month)[1])


def period_start(period: Period) -> dt.date:
    if period.quarter:
        return dt.date(period.year, period.quarter * 3 - 2, 1)
    if period.month:
        return dt.date(period.year, period.month, 1)
    return dt.date(period.year, 1, 1)


def due_date(entry: CatalogueEntry, period: Period, guessed: set[int] | None = None) -> dt.date:
    """The last day an item of a periodic entry is on time: ``due_days`` later (weekends and holidays
    do not move it), or the ``due_workdays``-th working day after the period (years the calendar does
    not know yet are added to ``guessed``)."""
    if entry.due_workdays is not None:
        reckoned = workdays.after(period_end(period), entry.due_workdays)
        if guessed is not None:
            guessed.update(reckoned.guessed)
        return reckoned.date
    days = entry.due_days if entry.due_days is not None else DEFAULT_DUE_DAYS.get(entry.frequency, 20)
    return period_end(period) + dt.timedelta(days=days)


def periods(frequency: str, first_year: int, last_year: int) -> list[Period]:
    result = []
    for year in range(first_year, last_year + 1):
        if frequency == "annual":
            result.append(Period(year))
        elif frequency == "quarterly":
            result += [Period(year, quarter=q) for q in range(1, 5)]
        elif frequency == "monthly":
            result += [Period(year, month=m) for m in range(1, 13)]
    return result


# ---------------------------------------------------------------- sources


def items_from_notices(notices: list[Notice]) -> list[Item]:
    return [Item(n.id, n.catalogue, n.period, n.date, n.display_end, n.at("date")) for n in notices if n.catalogue]


def items_from_register(publications: list[Publication]) -> list[Item]:
    """First publication date per notice id (when it went up), latest revision's 公示期 end."""
    first: dict[str, Publication] = {}
    last: dict[str, Publication] = {}
    for p in publications:
        if not p.catalogue:
            continue
        if p.id not in first or p.revision < first[p.id].revision:
            first[p.id] = p
        if p.id not in last or p.revision > last[p.id].revision:
            last[p.id] = p
    return [Item(i, p.catalogue or "", parse_period(p.period), p.date, last[i].display_end) for i, p in first.items()]


# ---------------------------------------------------------------- statuses


def _row(
    entry: CatalogueEntry, period: str, label: str, due: dt.date | None, on: dt.date, item: Item | None
) -> Row | None:
    row = Row(entry.id, entry.title, period, label, DONE, due, entry.owner or "", entry.board or "")
    if item is not None:
        row.published, row.notice = item.date, item.id
        if due is not None and item.date > due:
            row.status, row.days_late = LATE, (item.date - due).days
        if item.display_end is not None:
            row.display = SHOWING if on <= item.display_end else ENDED
        return row
    if due is None:
        return None
    if due < on:
        row.status, row.days_late = OVERDUE, (on - due).days
        return row
    if (due - on).days <= SOON_DAYS:
        row.status, row.days_left = SOON, (due - on).days
        return row
    return None


def compute(
    settings: Settings,
    items: list[Item],
    on: dt.date,
    source: str = "notices",
    first_year: int | None = None,
    last_year: int | None = None,
) -> Plan:
    """Every entry-period up to ``on``, with its status. ``first_year``/``last_year`` bound the periods."""
    items = [i for i in items if i.date <= on]  # dated later: not up yet
    by_entry: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.date, i.id)):
        by_entry.setdefault(item.catalogue, []).append(item)
    if first_year is None:
        earliest = min((i.date.year for i in items), default=on.year - 1)
        first_year = max(min(earliest, on.year), on.year - 1)
    last = last_year if last_year is not None else on.year
    events = {e.id: e for e in settings.events}
    rows: list[Row] = []
    guessed: dict[str, set[int]] = {}
    for entry in settings.catalogue:
        mine = by_entry.get(entry.id, [])
        if entry.result_of:
            continue  # handled below, against the entry it reports on
        if entry.frequency == "standing":
            rows += _standing(entry, mine, on)
        elif entry.frequency == "on-event":
            event = events.get(entry.event or "")
            if event is None or event.date is None:
                continue
            due = event.date - dt.timedelta(days=timeline.lead_days(entry, event))
            if first_year <= due.year <= last:
                row = _row(entry, event.id, event.title or event.id, due, on, mine[0] if mine else None)
                rows += [row] if row else []
        else:
            for period in periods(entry.frequency, first_year, last):
                match = next((i for i in mine if i.period == period), None)
                if match is None and period_end(period) >= on:
                    continue  # still running and nothing up yet
                years: set[int] = set()
                row = _row(entry, str(period), period.label(), due_date(entry, period, years), on, match)
                rows += [row] if row else []
                if row and years:
                    guessed.setdefault(entry.id, set()).update(years)
    by_id = {e.id: e for e in settings.catalogue}
    for entry in settings.catalogue:
        if entry.result_of and entry.result_of in by_id:
            rows += _results(entry, by_id[entry.result_of], by_entry, on, first_year, last)
    rank = {status: n for n, status in enumerate(STATUS_ORDER)}
    order = {e.id: n for n, e in enumerate(settings.catalogue)}
    rows.sort(key=lambda r: (rank[r.status], order.get(r.entry, 0), r.due or dt.date.min, r.period))
    where_of = {i.id: i.where for i in items if i.where is not None}.get
    return Plan(on, source, rows, timeline.timelines(settings, items, on, where_of), guessed)


def _standing(entry: CatalogueEntry, mine: list[Item], on: dt.date) -> list[Row]:
    row = Row(entry.id, entry.title, "常设", "常设", DONE, None, entry.owner or "", entry.board or "")
    if not mine:
        row.status = OVERDUE
        return [row]
    latest = mine[-1]
    row.published, row.notice = latest.date, latest.id
    row.due = latest.date + dt.timedelta(days=entry.review_days or DEFAULT_REVIEW_DAYS)
    if row.due < on:
        row.status, row.days_late = REVIEW, (on - row.due).days
    elif (row.due - on).days <= SOON_DAYS:
        row.status, row.days_left = SOON, (row.due - on).days
    if latest.display_end is not None:
        row.display = SHOWING if on <= latest.display_end else ENDED
    return [row]


def _results(
    entry: CatalogueEntry,
    source: CatalogueEntry,
    by_entry: dict[str, list[Item]],
    on: dt.date,
    first_year: int,
    last_year: int,
) -> list[Row]:
    """One row per published item of ``source``: its result, due ``result_days`` after it."""
    rows = []
    results = by_entry.get(entry.id, [])
    days = entry.result_days if entry.result_days is not None else DEFAULT_RESULT_DAYS
    for item in by_entry.get(source.id, []):
        if not first_year <= item.date.year <= last_year:
            continue
        due = item.date + dt.timedelta(days=days)
        match = next(
            (
                r
                for r in results
                if r.date >= item.date and (r.period == item.period or r.period is None or item.period is None)
            ),
            None,
        )
        label = f"{item.period.label() if item.period else item.id}（{source.title}的结果）"
        row = _row(entry, str(item.period) if item.period else item.id, label, due, on, match)
        if row is None:
            continue
        if row.status == OVERDUE:
            row.status = MISSING_RESULT
        rows.append(row)
    return rows


# ---------------------------------------------------------------- annual figures


@dataclass
class YearLine:
    entry: str  # catalogue id, "" for the overall line
    title: str
    published: int
    due: int
    late: int

    @property
    def on_time_rate(self) -> float | None:
        """Share of due items published on time; None when nothing was due."""
        if not self.due:
            return None
        return max(0, self.published - self.late) / self.due

    def as_json(self) -> dict:
        return {**asdict(self), "on_time_rate": self.on_time_rate}


def year_figures(settings: Settings, items: list[Item], year: int, on: dt.date) -> list[YearLine]:
    """Per entry and overall (last line) for the periods of ``year``, as known on ``on``."""
    plan = compute(settings, items, on, first_year=year, last_year=year)
    lines = []
    for entry in settings.catalogue:
        mine = [r for r in plan.rows if r.entry == entry.id]
        published = sum(1 for r in mine if r.published)
        due = sum(1 for r in mine if r.published or r.status in (OVERDUE, MISSING_RESULT))
        late = sum(1 for r in mine if r.status == LATE)
        lines.append(YearLine(entry.id, entry.title, published, due, late))
    lines.append(
        YearLine(
            "",
            "合计",
            sum(line.published for line in lines),
            sum(line.due for line in lines),
            sum(line.late for line in lines),
        )
    )
    return lines


# ---------------------------------------------------------------- boards


@dataclass
class Placed:
    notice: str
    entry: str
    title: str
    paper: str
    orientation: str
    x_mm: float
    y_mm: float  # from the board's top edge
    width_mm: float
    height_mm: float
    sheet: int = 1  # which sheet of the notice this is: a 3-sheet poster is three Placed, 1, 2, 3
    sheets: int = 1  # how many sheets the notice prints

    @property
    def label(self) -> str:
        """The notice id, and for a notice of several sheets which one: 2026q2-finance 第2张/共3张."""
        return f"{self.notice} 第{self.sheet}张/共{self.sheets}张" if self.sheets > 1 else self.notice


@dataclass
class BoardPlan:
    board: Board
    placed: list[Placed] = field(default_factory=list)
    overflow: list[Placed] = field(default_factory=list)  # x/y as if the board were tall enough
    needed_height_mm: float = 0.0  # height that would hold every sheet at this width
    needed_width_mm: float = 0.0

    @property
    def fits(self) -> bool:
        return not self.overflow


def sheet_mm(paper: str, orientation: str) -> tuple[float, float]:
    short, long = A_SIZES_MM[paper]
    return (long, short) if orientation == "landscape" else (short, long)


def current_sheets(settings: Settings, notices: list[Notice], on: dt.date) -> list[Notice]:
    """The latest notice per catalogue entry up by ``on`` (else its next one), in catalogue order."""
    sheets = []
    for entry in settings.catalogue:
        mine = sorted((n for n in notices if n.catalogue == entry.id), key=lambda n: (n.date, n.id))
        up = [n for n in mine if n.date <= on]
        if up or mine:
            sheets.append(up[-1] if up else mine[0])
    return sheets


def on_boards(settings: Settings, notices: list[Notice], on: dt.date) -> list[Notice]:
    """The current sheets (``current_sheets``) that go on a board: the notices whose printed sheets
    ``assess`` needs counted."""
    boards = {b.id for b in settings.boards}
    entries = {e.id: e for e in settings.catalogue}
    return [n for n in current_sheets(settings, notices, on) if entries[n.catalogue or ""].board in boards]


def place(
    board: Board,
    sheets: list[Notice],
    entries: dict[str, CatalogueEntry],
    gap: float = GAP_MM,
    sheet_counts: Mapping[str, int] | None = None,
) -> BoardPlan:
    """Rows left to right, top to bottom, ``gap`` between sheets and from the board's edges.

    ``sheet_counts``: how many sheets each notice prints (by id; one when not given). Every sheet
    is placed at its paper size, so a notice of three A4 sheets takes three A4 places."""
    result = BoardPlan(board)
    x, y, row_height = gap, gap, 0.0
    for notice in sheets:
        width, height = sheet_mm(notice.paper, notice.orientation)
        title = entries[notice.catalogue].title if notice.catalogue in entries else notice.title.value
        count = max(1, (sheet_counts or {}).get(notice.id, 1))
        for number in range(1, count + 1):
            if x > gap and x + width + gap > board.width_mm:
                x, y, row_height = gap, y + row_height + gap, 0.0
            placed = Placed(
                notice.id,
                notice.catalogue or "",
                title,
                notice.paper,
                notice.orientation,
                x,
                y,
                width,
                height,
                sheet=number,
                sheets=count,
            )
            too_wide = width + 2 * gap > board.width_mm
            (result.overflow if too_wide or y + height + gap > board.height_mm else result.placed).append(placed)
            x += width + gap
            row_height = max(row_height, height)
    result.needed_height_mm = y + row_height + gap if sheets else 0.0
    result.needed_width_mm = max((p.x_mm + p.width_mm + gap for p in result.placed + result.overflow), default=0.0)
    return result


def overflow_message(plan: BoardPlan) -> str:
    board = plan.board
    sheets = "、".join(
        f"{p.label}（{p.paper}{'横' if p.orientation == 'landscape' else '竖'}版 {p.width_mm:g}×{p.height_mm:g} 毫米）"
        for p in plan.overflow
    )
    width = max(board.width_mm, plan.needed_width_mm)
    return (
        f"公开栏「{board.name or board.id}」（{board.width_mm:g}×{board.height_mm:g} 毫米）放不下：{sheets}。"
        f"按 {GAP_MM:g} 毫米间距排列，全部贴上需要 {width:g}×{plan.needed_height_mm:g} 毫米。"
        f"请换小一号的纸（paper），或把目录项的 board 改到别的公开栏。"
    )


# ---------------------------------------------------------------- the whole command


@dataclass
class Outcome:
    """What ``noticeboard plan`` reports: a value, computed from loaded data alone (``assess``)."""

    plan: Plan
    boards: list[BoardPlan]
    problems: list[Problem]  # noticeboard.yaml errors, calendar and timeline problems, boards that overflow
    written: list[Path] = field(default_factory=list)  # filled by whoever writes out/plan/ (make_plan)
    years: list[YearLine] | None = None

    @property
    def exit_code(self) -> int:
        alerts = self.plan.alerts or self.plan.timeline_alerts
        return 1 if alerts or any(p.is_error for p in self.problems) else 0


def assess(
    loaded: Loaded,
    publications: list[Publication],
    on: dt.date,
    year: int | None = None,
    sheet_counts: Mapping[str, int] | None = None,
) -> Outcome:
    """The plan on ``on`` and each board's sheets, from a loaded workspace and its register.

    Publication facts come from ``publications`` when there are any, else from the notices' own
    dates. With ``year``, only that year's periods, and its figures in ``Outcome.years``.
    ``sheet_counts``: the sheets each notice of ``on_boards`` prints, by id (``make_plan`` lays
    them out); a notice not counted is placed as one sheet."""
    settings = loaded.workspace.settings
    problems = [p for p in loaded.problems if p.is_error and p.where.file == SETTINGS_FILE]
    if publications:
        items, source = items_from_register(publications), "register"
        located = {n.id: n.at("date") for n in loaded.workspace.notices}
        items = [Item(i.id, i.catalogue, i.period, i.date, i.display_end, located.get(i.id)) for i in items]
    else:
        items, source = items_from_notices(loaded.workspace.notices), "notices"
    if year is not None:
        plan = compute(settings, items, on, source, first_year=year, last_year=year)
    else:
        plan = compute(settings, items, on, source)
    problems += plan.calendar_problems(settings)
    problems += [p for t in plan.timelines for p in t.problems]
    entries = {e.id: e for e in settings.catalogue}
    sheets = current_sheets(settings, loaded.workspace.notices, on)
    boards = []
    for board in settings.boards:
        if board.width_mm <= 0 or board.height_mm <= 0:
            continue  # already reported by the loader; nothing to draw to scale
        mine = [s for s in sheets if entries[s.catalogue or ""].board == board.id]
        placed = place(board, mine, entries, sheet_counts=sheet_counts)
        boards.append(placed)
        if not placed.fits:
            problems.append(error(board.where, overflow_message(placed)))
    outcome = Outcome(plan, boards, problems)
    if year is not None:
        outcome.years = year_figures(settings, items, year, on)
    return outcome
