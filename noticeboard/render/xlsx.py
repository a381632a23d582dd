"""Spreadsheets for the county's inspection (督查): the year's catalogue with its status, and the
register's annual counts. Columns follow the standard catalogue (基层政务公开标准目录): 事项, 内容,
依据, 时限, 主体, 渠道, 对象, 方式, then what the plan knows."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..dates import chinese_date
from ..models import CatalogueEntry, Settings
from ..publish import atomic
from ..schedule import timeline
from ..schedule.workdays import long_date

HEADER_FILL = PatternFill("solid", fgColor="F4E1E1")
ALERT_FILL = PatternFill("solid", fgColor="FDE8E8")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_WIDTH = 22  # characters (a CJK character counts two): longer cells wrap, so the page stays legible
FREQUENCY_NAMES = {"standing": "常设", "annual": "每年", "quarterly": "每季度", "monthly": "每月", "on-event": "随事件"}
CATALOGUE_HEADERS = [
    "序号",
    "事项",
    "内容",
    "依据",
    "时限",
    "主体",
    "渠道",
    "对象",
    "方式",
    "频次",
    "期间",
    "应公开日",
    "发布日",
    "情况",
    "说明",
    "通知编号",
]


def time_limit(entry: CatalogueEntry, settings: Settings) -> str:
    """The 时限 as written, else said from the keys (期满后20个工作日内, 选举日前20日)."""
    if entry.time_limit:
        return entry.time_limit
    if entry.frequency == "on-event":
        event = next((e for e in settings.events if e.id == entry.event), None)
        days = timeline.lead_days(entry, event)
        return f"{'选举日' if event and event.type == timeline.ELECTION else '事件'}前{days}日"
    if entry.frequency == "standing":
        return f"常设，每{entry.review_days or 365}天复核"
    if entry.due_workdays is not None:
        return f"期满后{entry.due_workdays}个工作日内"
    if entry.due_days is not None:
        return f"期满后{entry.due_days}日内"
    return ""


def _sheet(
    workbook: Workbook,
    title: str,
    headers: list[str],
    rows: list[list],
    alerts: frozenset[int] | set[int] = frozenset(),
    first: bool = False,
):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for number, row in enumerate(rows):
        sheet.append(row)
        if number in alerts:
            for cell in sheet[sheet.max_row]:
                cell.fill = ALERT_FILL
    for index, header in enumerate(headers, start=1):
        values = [header] + [row[index - 1] for row in rows]
        width = max(_width(str(v)) for v in values if v is not None)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(6, width + 2))
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, len(headers) + 1)]
    for number, line in enumerate(sheet.iter_rows(), start=1):
        for cell in line:
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        # neither openpyxl nor every reader sizes a wrapped row by itself: a cut-off line prints as lost
        wrapped = max(
            (-(-_width(str(c.value)) // max(1, int(w) - 1)) for c, w in zip(line, widths) if c.value is not None),
            default=1,
        )
        sheet.row_dimensions[number].height = 18 * max(1, wrapped)
    sheet.freeze_panes = "A2"
    # printed for the inspection: A4 landscape, all columns on one page wide, the header on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    return sheet


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _save(workbook: Workbook, path: Path) -> Path:
    data = io.BytesIO()
    workbook.save(data)
    atomic.write_bytes(path, data.getvalue())
    return path


def plan_workbook(path: Path, settings: Settings, plan, years, year: int, alerts_of=()) -> Path:
    """Sheet 1: each entry and period of ``year`` with its status (rows whose status is in
    ``alerts_of`` shaded); sheet 2: the year's figures; then each event's timeline."""
    boards = {b.id: b.name or b.id for b in settings.boards}
    rows: list[list] = []
    alerts: set[int] = set()
    by_entry: dict[str, list] = {}
    for row in plan.rows:
        by_entry.setdefault(row.entry, []).append(row)
    for entry in settings.catalogue:
        mine = sorted(by_entry.get(entry.id, []), key=lambda r: (r.due or r.published or plan.on, r.period))
        common = [
            entry.title,
            entry.content or "",
            entry.basis or "",
            time_limit(entry, settings),
            entry.owner or "",
            entry.channels or boards.get(entry.board or "", ""),
            entry.audience or "",
            entry.mode or "",
            FREQUENCY_NAMES.get(entry.frequency, entry.frequency),
        ]
        if not mine:
            rows.append([len(rows) + 1, *common, "", "", "", "本年没有应公开的期次", "", ""])
            continue
        for row in mine:
            if row.status in alerts_of:
                alerts.add(len(rows))
            rows.append(
                [
                    len(rows) + 1,
                    *common,
                    row.period_label,
                    long_date(row.due) if row.due else "",
                    chinese_date(row.published) if row.published else "",
                    row.status,
                    "，".join(row.notes()),
                    row.notice or "",
                ]
            )
    workbook = Workbook()
    _sheet(workbook, f"{year}年公开目录", CATALOGUE_HEADERS, rows, alerts, first=True)
    figures = [
        [
            line.title,
            line.published,
            line.due,
            "" if line.on_time_rate is None else f"{line.on_time_rate:.0%}",
            line.late,
        ]
        for line in years
    ]
    _sheet(workbook, "完成情况", ["目录项", "已公开", "应公开", "按时率", "逾期公开"], figures)
    for line in plan.timelines:
        steps = [
            [long_date(s.due), timeline.before(line.event, s.due), s.what, s.status, s.note, s.basis]
            for s in line.steps
        ]
        marked = {n for n, s in enumerate(line.steps) if s.alert}
        _sheet(workbook, f"{line.event.id}时间表"[:31], ["日期", "倒数", "事项", "情况", "说明", "依据"], steps, marked)
    return _save(workbook, path)


def register_workbook(path: Path, figures, publications: list, names: dict[str, str], year: int) -> Path:
    """The year's 主动公开 counts (as `register --year` prints them) and the year's register rows;
    ``names`` turns catalogue ids and kind names into what a reader knows them by."""
    rows = [["主动公开条数", figures.notices], ["修订次数", figures.revisions]]
    rows += [
        [f"按公开目录：{name or '未归类'}", count]
        for name, count in sorted(figures.by_catalogue.items(), key=lambda item: (-item[1], item[0]))
    ]
    rows += [
        [f"按类型：{name}", count]
        for name, count in sorted(figures.by_kind.items(), key=lambda item: (-item[1], item[0]))
    ]
    workbook = Workbook()
    _sheet(workbook, f"{year}年主动公开情况", ["项目", "数量"], rows, first=True)
    listed = [
        [
            chinese_date(p.date),
            p.id,
            p.revision,
            p.title,
            names.get(p.kind, p.kind),
            names.get(p.catalogue or "", p.catalogue or ""),
            chinese_date(p.display_end) if p.display_end else "",
            p.reviewers,
            p.sha256,
        ]
        for p in publications
        if p.date.year == year or p.built_at[:4] == str(year)
    ]
    _sheet(
        workbook,
        "发布登记",
        ["发布日期", "编号", "版次", "标题", "类型", "目录项", "公示期至", "签批", "PDF SHA-256"],
        listed,
    )
    return _save(workbook, path)
