"""Events and the law's deadlines around them: 事前公开, and a village election's timeline.

The load stage asks ``notice_problems`` about each notice (a 公示期 shorter than the legal minimum,
a 公示期 that runs past the event it precedes, a list posted too late for the legal lead); ``plan``
asks ``timelines`` what must be up by when around each election.

The election rules (《中华人民共和国村民委员会组织法》第十四条; the candidate list from the
province's 村民委员会选举办法, chosen by the event's ``candidate_lead_days``):
- the voter list (选民名单) is published at least 20 days before election day;
- objections to it within 5 days of its publication, and a ruling within 3 days of an objection;
- the list of formal candidates (正式候选人名单) ``candidate_lead_days`` days before (default 5).
Day counts follow 民法典第二百零一条: the day of publication is not counted, so 5 days from
20 February is 25 February.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..dates import chinese_date
from ..models import CatalogueEntry, Event, Notice, Settings
from ..problems import Problem, error, warning
from .workdays import display_end as workday_end
from .workdays import long_date

ELECTION = "election"
EVENT_TYPES = (ELECTION,)
VOTER_LIST = "voter-list"
CANDIDATES = "candidates"
STEPS = {VOTER_LIST: "选民名单", CANDIDATES: "正式候选人名单"}
VOTER_LIST_LEAD_DAYS = 20
OBJECTION_DAYS = 5
RULING_DAYS = 3
DEFAULT_CANDIDATE_LEAD_DAYS = 5
LAW = "《村民委员会组织法》第十四条"
PROVINCE_RULES = "本省村民委员会选举办法"
# how long around an election `plan` shows its timeline
SHOW_BEFORE_DAYS = 30  # before its first step is due
SHOW_AFTER_DAYS = 30  # after election day


def legal_lead(entry: CatalogueEntry, event: Event | None) -> int | None:
    """The days before an election that the law requires for this entry's step, if it is one."""
    if event is None or event.type != ELECTION:
        return None
    if entry.step == VOTER_LIST:
        return VOTER_LIST_LEAD_DAYS
    if entry.step == CANDIDATES:
        return event.candidate_lead_days
    return None


def lead_days(entry: CatalogueEntry, event: Event | None) -> int:
    """How many days before the event an on-event entry is due: its own lead_days, else the law's."""
    if entry.lead_days is not None:
        return entry.lead_days
    return legal_lead(entry, event) or 0


def _basis(entry: CatalogueEntry) -> str:
    return LAW if entry.step == VOTER_LIST else PROVINCE_RULES


# ---------------------------------------------------------------- a notice against its entry and event


def _display_key(notice: Notice) -> str:
    return "display_workdays" if notice.display_workdays is not None else "display_days"


def _length(notice: Notice) -> str:
    if notice.display_workdays is not None:
        return f"{notice.display_workdays}个工作日"
    return f"{notice.display_days}天"


def minimum_end(entry: CatalogueEntry, start: dt.date) -> tuple[dt.date, str, str] | None:
    """The earliest end of a legal 公示期 from ``start``: (end, 7天 / 7个工作日, the key to write)."""
    if entry.min_display_workdays is not None:
        return (
            workday_end(start, entry.min_display_workdays).date,
            f"{entry.min_display_workdays}个工作日",
            f"display_workdays: {entry.min_display_workdays}",
        )
    if entry.min_display_days is not None:
        return (
            start + dt.timedelta(days=entry.min_display_days - 1),
            f"{entry.min_display_days}天",
            f"display_days: {entry.min_display_days}",
        )
    return None


def notice_problems(notice: Notice, settings: Settings) -> list[Problem]:
    entry = next((e for e in settings.catalogue if e.id == notice.catalogue), None)
    if entry is None:
        return []
    problems = []
    end = notice.display_end
    named = f"目录项「{entry.id}」（{entry.title}）"
    if (minimum := minimum_end(entry, notice.date)) is not None:
        required, least, key = minimum
        if end is None:
            problems.append(
                error(
                    notice.at("catalogue"),
                    f"{named}的公示期至少{least}，这份通知没有写公示期：请写 {key}（至少到{chinese_date(required)}）。",
                )
            )
        elif end < required:
            problems.append(
                error(
                    notice.at(_display_key(notice)),
                    f"公示期{_length(notice)}（到{chinese_date(end)}），短于{named}规定的至少{least}"
                    f"（应至少到{chinese_date(required)}）：请改为 {key} 或更长。",
                )
            )
    event = next((e for e in settings.events if e.id == entry.event), None)
    if event is None or event.date is None or entry.frequency != "on-event":
        return problems
    if end is not None and end > event.date:
        problems.append(
            error(
                notice.at(_display_key(notice)),
                f"公示期到{chinese_date(end)}，晚于它要事前公开的「{event.title or event.id}」"
                f"（{long_date(event.date)}）：请缩短公示期，在{chinese_date(event.date)}或之前结束。",
            )
        )
    legal = legal_lead(entry, event)
    if legal is not None and notice.date > event.date - dt.timedelta(days=legal):
        latest = event.date - dt.timedelta(days=legal)
        problems.append(warning(notice.at("date"), _too_late(entry, event, notice.date, legal, latest)))
    return problems


def held(event: Event) -> dt.date:
    """The event's date; only an event with a date is checked against or gets a timeline."""
    if event.date is None:
        raise ValueError(f"event {event.id} has no date")
    return event.date


def _too_late(entry: CatalogueEntry, event: Event, published: dt.date, legal: int, latest: dt.date) -> str:
    ahead = (held(event) - published).days
    what = STEPS[entry.step] if entry.step else entry.title
    return (
        f"{what}应在选举日（{chinese_date(held(event))}）的{legal}日前公布（{_basis(entry)}），"
        f"最迟{long_date(latest)}；这份{chinese_date(published)}才发布，只提前了{ahead}天。"
        f"请与乡镇换届选举指导小组商定推迟选举日，不能照常选举。"
    )


# ---------------------------------------------------------------- the timeline `plan` shows

UP = "已公开"
LATE = "公开晚了"
MISSING = "逾期未公开"
PENDING = "待办"
RUNNING = "进行中"
PASSED = "已过"
TODAY = "今天"


@dataclass
class Step:
    due: dt.date
    what: str
    basis: str
    status: str
    note: str = ""
    entry: str | None = None
    notice: str | None = None
    published: dt.date | None = None
    alert: bool = False

    def as_json(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "what": self.what,
            "basis": self.basis,
            "status": self.status,
            "note": self.note,
            "entry": self.entry,
            "notice": self.notice,
            "published": self.published.isoformat() if self.published else None,
            "alert": self.alert,
        }


@dataclass
class Timeline:
    event: Event
    steps: list[Step]
    problems: list[Problem] = field(default_factory=list)

    @property
    def alerts(self) -> list[Step]:
        return [s for s in self.steps if s.alert]

    def as_json(self) -> dict:
        return {
            "event": self.event.id,
            "title": self.event.title,
            "date": held(self.event).isoformat(),
            "type": self.event.type,
            "steps": [s.as_json() for s in self.steps],
        }


def before(event: Event, day: dt.date) -> str:
    """选举日前20天, 选举日当天, 选举日后3天: the timeline counts from the event."""
    days = (held(event) - day).days
    name = "选举日" if event.type == ELECTION else "事件"
    if days == 0:
        return f"{name}当天"
    return f"{name}前{days}天" if days > 0 else f"{name}后{-days}天"


def _pending(step: Step, on: dt.date) -> Step:
    left = (step.due - on).days
    step.status = TODAY if left == 0 else PENDING
    step.note = step.note or (f"还有{left}天" if left > 0 else "今天截止")
    return step


def timelines(settings: Settings, items, on: dt.date, where_of=None) -> list[Timeline]:
    """A timeline for each event with catalogue entries (or of type election) near ``on``.

    ``items`` are plan.Item values (publications up by ``on``); ``where_of(notice_id)`` locates a
    notice for the problems, when the caller knows its file.
    """
    result = []
    for event in settings.events:
        if event.date is None:
            continue
        entries = [e for e in settings.catalogue if e.event == event.id and e.frequency == "on-event"]
        if not entries and event.type != ELECTION:
            continue
        timeline = _timeline(event, entries, [i for i in items if i.date <= on], on, where_of)
        first = min(s.due for s in timeline.steps)
        if first - dt.timedelta(days=SHOW_BEFORE_DAYS) <= on <= held(event) + dt.timedelta(days=SHOW_AFTER_DAYS):
            result.append(timeline)
    return result


def _timeline(event: Event, entries: list[CatalogueEntry], items, on: dt.date, where_of) -> Timeline:
    day = held(event)
    steps: list[Step] = []
    problems: list[Problem] = []
    voter_list_date: dt.date | None = None
    covered = {e.step for e in entries if e.step}
    for entry in entries:
        legal = legal_lead(entry, event)
        due = day - dt.timedelta(days=lead_days(entry, event))
        basis = _basis(entry) if legal is not None else f"公开目录（lead_days: {lead_days(entry, event)}）"
        mine = sorted((i for i in items if i.catalogue == entry.id), key=lambda i: (i.date, i.id))
        step = Step(due, entry.title, basis, UP, entry=entry.id)
        if mine:
            item = mine[0]
            step.notice, step.published = item.id, item.date
            where = where_of(item.id) if where_of else None
            notes = [f"{chinese_date(item.date)}公开（{before(event, item.date)}）"]
            if item.date > due:
                step.status, step.alert = LATE, True
                if legal is not None and item.date > day - dt.timedelta(days=legal):
                    problems.append(
                        error(
                            where or entry.where,
                            _too_late(entry, event, item.date, legal, day - dt.timedelta(days=legal)),
                        )
                    )
                    notes.append(f"不足法定的{legal}天")
                else:
                    notes.append(f"晚于{chinese_date(due)}")
            if item.display_end is not None and item.display_end > day:
                step.alert = True
                notes.append(f"公示期到{chinese_date(item.display_end)}，晚于{chinese_date(day)}")
                problems.append(
                    error(
                        where or entry.where,
                        f"「{entry.title}」的公示期到{chinese_date(item.display_end)}，晚于它要事前公开的"
                        f"「{event.title or event.id}」（{long_date(day)}）。",
                    )
                )
            step.note = "，".join(notes)
            if entry.step == VOTER_LIST:
                voter_list_date = item.date
        elif due < on:
            step.status, step.alert = MISSING, True
            step.note = f"超期{(on - due).days}天"
        else:
            _pending(step, on)
        steps.append(step)
    if event.type == ELECTION:
        for kind, lead in ((VOTER_LIST, VOTER_LIST_LEAD_DAYS), (CANDIDATES, event.candidate_lead_days)):
            if kind in covered:
                continue
            due = day - dt.timedelta(days=lead)
            basis = LAW if kind == VOTER_LIST else f"{PROVINCE_RULES}（candidate_lead_days: {lead}）"
            step = Step(
                due, f"公布{STEPS[kind]}", basis, PASSED, note=f"公开目录中没有这一项（step: {kind}），无法核对是否公布"
            )
            steps.append(step if due < on else _pending(step, on))
        steps += _objections(event, voter_list_date, on)
        steps.append(
            Step(
                day,
                "选举日",
                "-",
                TODAY if on == day else (PASSED if on > day else PENDING),
                note="当天" if on == day else ("已举行" if on > day else f"还有{(day - on).days}天"),
            )
        )
    steps.sort(key=lambda s: (s.due, s.what == "选举日"))
    return Timeline(event, steps, problems)


def _objections(event: Event, published: dt.date | None, on: dt.date) -> list[Step]:
    """The objection and ruling windows, from the voter list's publication (or its latest legal day)."""
    day = held(event)
    start = published or day - dt.timedelta(days=VOTER_LIST_LEAD_DAYS)
    objections = start + dt.timedelta(days=OBJECTION_DAYS)
    ruling = objections + dt.timedelta(days=RULING_DAYS)
    since = f"选民名单{chinese_date(start)}公布" if published else "从选民名单最迟公布日算"
    steps = []
    for due, what, days, opened in (
        (objections, "对选民名单提出异议（申诉）截止", OBJECTION_DAYS, start),
        (ruling, "选举委员会作出处理决定并公布截止", RULING_DAYS, start),
    ):
        basis = f"{LAW}（{'公布之日起' if due == objections else '收到申诉之日起'}{days}日内）"
        if on > due:
            status, note = PASSED, f"{since}，已截止"
        elif on > opened and published is not None:
            status, note = RUNNING, f"{since}，还有{(due - on).days}天"
        else:
            status, note = PENDING, since
        step = Step(due, what, basis, status, note=note)
        if due >= day:
            step.alert = True
            step.note += "；晚于选举日，选民名单必须更早公布"
        steps.append(step)
    return steps
