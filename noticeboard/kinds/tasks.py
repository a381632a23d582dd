"""tasks: 重点工作目标完成情况 (SPEC §2), key-task progress with a bar per task.

Status is derived, never typed: 已完成 at 100; 滞后 when the deadline is before the
notice date and progress is below 100; otherwise 推进中. A deadline equal to the
notice date is not yet late.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..dates import chinese_date
from ..layout.bars import CellBar
from ..layout.blocks import Table as TableBlock
from ..layout.blocks import TableColumn, TableRow
from ..layout.stats import Stat, StatStrip
from ..layout.texttable import LIST_ITEM, TextTable
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec
from ..models import Notice, Row, Settings, Table, Workspace
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta, table_notes

COLUMNS = [
    ColumnSpec("no", "序号", required=False, aliases=("编号",)),
    ColumnSpec(
        "task",
        "任务",
        aliases=("重点任务", "工作任务", "重点工作", "任务名称", "目标任务", "工作内容", "项目名称", "重点工作任务"),
    ),
    ColumnSpec("unit", "责任单位", aliases=("牵头单位", "责任部门", "主责单位", "承办单位", "牵头部门")),
    ColumnSpec("owner", "责任人", required=False, aliases=("负责人", "分管领导", "联系领导", "责任领导")),
    ColumnSpec("target", "目标", required=False, aliases=("目标要求", "工作目标", "年度目标", "任务目标", "具体目标")),
    ColumnSpec(
        "progress", "进度", aliases=("完成进度", "工作进度", "进展", "完成比例", "完成百分比", "进度%", "完成率")
    ),
    ColumnSpec("deadline", "完成时限", aliases=("时限", "完成时间", "截止时间", "截止日期", "时间节点", "完成期限")),
    ColumnSpec("note", "备注", required=False, aliases=("说明",)),
]
TEXT_KEYS = ("no", "task", "unit", "owner", "target", "note")

DONE, GOING, LATE = "已完成", "推进中", "滞后"
LOOKS = {DONE: "progress.done", GOING: "progress.going", LATE: "progress.late"}
HUNDRED = Decimal(100)

# Work with no end date (常态化 duties) is never late; the words print as written.
OPEN_ENDED = {"长期", "长期坚持", "长期推进", "持续", "持续推进", "常态化", "常态化推进", "常年"}
_FULL_DATE = [
    re.compile(r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$"),
]
_MONTH = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})()$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(底|末|份)?$"),
]
_YEAR_END = re.compile(r"^(\d{4})年(底|末)?$")
_TIME_OF_DAY = re.compile(r"[ T]00:00(:00)?$")  # a spreadsheet date exported with its midnight
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
LIST_KEYS = ("unit", "owner")

# A note that says the work is done: "已完成", "已全部完工"… but not "未完成" or "已完成3个村",
# which describes part of the work and is normal while progress is below 100.
_CLAIM = re.compile(
    r"(?<![未没])(已经?|均已|业已|已全部|已全面)(完成|完工|竣工)(?![\d一二三四五六七八九十百]|[^，,；;。]*?\d)"
)


@dataclass
class Deadline:
    date: dt.date | None  # None: open-ended (长期)
    label: str  # as printed


@dataclass
class Task:
    source: Row
    no: str
    progress: Decimal  # 0..100
    progress_label: str  # as printed, e.g. "85%"
    deadline: Deadline

    def text(self, key: str) -> str:
        return self.source.text(key)

    def cell(self, key: str) -> Where:
        cell = self.source.cells.get(key)
        return cell.where if cell else self.source.cells["task"].where


@dataclass
class TasksContent:
    table: Table
    tasks: list[Task]
    as_of: dt.date  # the notice date, against which lateness is judged

    def status(self, task: Task) -> str:
        return status_of(task.progress, task.deadline.date, self.as_of)

    def counts(self) -> dict[str, int]:
        counts = {DONE: 0, GOING: 0, LATE: 0}
        for task in self.tasks:
            counts[self.status(task)] += 1
        return counts

    def mean(self) -> Decimal:
        if not self.tasks:
            return Decimal(0)
        total = sum((t.progress for t in self.tasks), Decimal(0))
        return (total / len(self.tasks)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def has(self, key: str) -> bool:
        return self.table.column(key) is not None and any(t.text(key) for t in self.tasks)


def status_of(progress: Decimal, deadline: dt.date | None, as_of: dt.date) -> str:
    if progress >= HUNDRED:
        return DONE
    if deadline is not None and deadline < as_of:
        return LATE
    return GOING


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, spreadsheet: bool = False) -> Deadline | str:
    """A Deadline, or the reason (plain Chinese) it cannot be read."""
    value = _TIME_OF_DAY.sub("", unicodedata.normalize("NFKC", text).strip()).replace(" ", "")
    if value in OPEN_ENDED:
        return Deadline(None, text.strip())
    try:
        for pattern in _FULL_DATE:
            if match := pattern.match(value):
                day_date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
                return Deadline(day_date, chinese_date(day_date))
        for pattern in _MONTH:
            if match := pattern.match(value):
                year, month = int(match[1]), int(match[2])
                return Deadline(_month_end(year, month), f"{year}年{month}月{match[3] or ''}")
        if match := _YEAR_END.match(value):
            return Deadline(dt.date(int(match[1]), 12, 31), f"{match[1]}年{match[2] or ''}")
    except ValueError:
        return f"完成时限「{text}」不是有效日期，请核对年、月、日。"
    # a date cell that lost its date format arrives as Excel's day number, e.g. 46203
    if spreadsheet and re.fullmatch(r"\d{5}", value) and 20000 <= int(value) <= 80000:
        day_date = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Deadline(day_date, chinese_date(day_date))
    return (
        f"完成时限「{text}」无法识别。请写成 2026-06-30、2026年6月30日，或 2026年6月（表示当月底）；"
        "没有期限的长期工作请写「长期」。"
    )


def parse_progress(text: str) -> tuple[Decimal, bool] | None:
    """(number, written with a % sign), or None when it is not a number."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    percent = value.endswith("%")
    value = value.removesuffix("%")
    if not _NUMBER.match(value):
        return None
    return Decimal(value), percent


def _percent_label(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return f"{text}%"


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[TasksContent | None, list[Problem]]:
    assert table is not None
    problems: list[Problem] = []
    spreadsheet = table.sheet is not None
    parsed: list[tuple[Row, Decimal, bool, Deadline]] = []
    plain: list[Decimal] = []  # every readable progress written without a % sign, rows with other errors too
    for row in table.rows:
        bad = False
        if not row.text("task"):
            problems.append(error(row.cells["task"].where, "任务名称是空的，请填写这项重点工作的名称。"))
            bad = True
        progress_cell = row.cells["progress"]
        progress = None
        if not progress_cell.text:
            problems.append(error(progress_cell.where, "进度是空的，请填写0到100之间的数字，如 60 或 60%。"))
        elif (progress := parse_progress(progress_cell.text)) is None:
            problems.append(
                error(
                    progress_cell.where,
                    (
                        f"进度应当是0到100之间的数字（可以带%），现在是「{progress_cell.text}」。"
                        "请改成如 60 或 60% 的写法。"
                    ),
                )
            )
        elif not 0 <= progress[0] <= 100:
            problems.append(
                error(progress_cell.where, (f"进度应在0到100之间，现在是「{progress_cell.text}」。完成了就写100。"))
            )
            progress = None
        deadline_cell = row.cells["deadline"]
        deadline: Deadline | str
        if not deadline_cell.text:
            deadline = "完成时限是空的。请填写日期，如 2026-06-30；没有期限的长期工作请写「长期」。"
        else:
            deadline = parse_deadline(deadline_cell.text, spreadsheet)
        if isinstance(deadline, str):
            problems.append(error(deadline_cell.where, deadline))
        if progress is not None and not progress[1]:
            plain.append(progress[0])
        if bad or progress is None or isinstance(deadline, str):
            continue
        parsed.append((row, progress[0], progress[1], deadline))
    # Excel stores a cell formatted as 85% as 0.85, and 100% as 1; calamine hands us the raw number.
    # When every plain number of a spreadsheet's column is at most 1 (a column of only 100% and 0%
    # too), they are such fractions: 1 is 100%, not 1%. The clerk is told at the header what was
    # assumed, as a column of 1% and 0% would read the same. CSV is text and means what it says.
    as_fractions = spreadsheet and bool(plain) and all(v <= 1 for v in plain)
    if as_fractions and any(plain):
        column = table.column("progress")
        assert column is not None  # a required column: the table was not read without it
        problems.append(
            warning(
                column.where,
                (
                    f"「{column.header}」列的数都不大于1，按百分比格式读取：1 即 100%，0.85 即 85%。"
                    "如不是这样，请把进度写成 0–100 的数，如 60 或 60%。"
                ),
            )
        )
    tasks = []
    for number, (row, value, percent, deadline) in enumerate(parsed, start=1):
        if as_fractions and not percent:
            value = value * HUNDRED
        tasks.append(Task(row, row.text("no") or str(number), value, _percent_label(value), deadline))
    return TasksContent(table, tasks, notice.date), problems


def check(notice: Notice, content: TasksContent | None, workspace: Workspace) -> list[Problem]:
    if content is None:
        return []
    problems: list[Problem] = []
    for task in content.tasks:
        note = task.text("note")
        if task.progress < HUNDRED and note and (_CLAIM.search(note) or note.strip("。. ") == "完成"):
            problems.append(
                warning(
                    task.cell("note"),
                    (
                        f"备注写着已完成，但「{task.text('task')}」的进度是 {task.progress_label}。"
                        "如果已经全部完成，请把进度改为100；否则请改写备注，写明完成了哪一部分。"
                    ),
                )
            )
    return problems


def _table(content: TasksContent, paper: str) -> TableBlock:
    keys: list[tuple[str, TableColumn]] = [
        ("no", TableColumn("序号", "center")),
        ("task", TableColumn("重点任务", "left", wrap=True)),
    ]
    if content.has("target"):
        keys.append(("target", TableColumn("目标", "left", wrap=True)))
    # 责任单位 and 责任人 may be lists (王建华、刘春梅、张三丰): they wrap rather than take the width of
    # 目标; the short fixed texts (序号, dates, the percentage, 状态) stay on one line
    keys.append(("unit", TableColumn("责任单位", "left", wrap=True)))
    if content.has("owner"):
        keys.append(("owner", TableColumn("责任人", "center", wrap=True)))
    keys += [
        ("deadline", TableColumn("完成时限", "center")),
        ("progress", TableColumn("完成进度", "right", bar=6.0)),
        ("status", TableColumn("状态", "center")),
    ]
    if content.has("note"):
        keys.append(("note", TableColumn("备注", "left", wrap=True)))
    names = [key for key, _ in keys]
    bar_index = names.index("progress")
    # a late task's status and percentage are bold: it must stand out without colour, while the
    # rest of its row stays as easy to read as any other
    late_cells = {names.index("status"), bar_index}
    rows = []
    for task in content.tasks:
        status = content.status(task)
        values = {"no": task.no, "deadline": task.deadline.label, "progress": task.progress_label, "status": status}
        cells = [values[key] if key in values else task.text(key) for key in names]
        sources = {
            index: task.source.cells[key].where
            for index, key in enumerate(names)
            if key in TEXT_KEYS + ("deadline",) and key in task.source.cells
        }
        rows.append(
            TableRow(
                cells,
                strong=late_cells if status == LATE else set(),
                bars={bar_index: CellBar(float(task.progress / HUNDRED), LOOKS[status])},
                sources=sources,
            )
        )
    lists = frozenset(
        t.text(key) for t in content.tasks for key in LIST_KEYS if len(LIST_ITEM.findall(t.text(key))) > 1
    )
    return TextTable([column for _, column in keys], rows, caption="各项重点工作推进情况", lists=lists, paper=paper)


def _strip(content: TasksContent) -> StatStrip:
    counts = content.counts()
    return StatStrip(
        [
            Stat("重点任务", f"{len(content.tasks)}项"),
            Stat(DONE, f"{counts[DONE]}项", look=LOOKS[DONE]),
            Stat(GOING, f"{counts[GOING]}项", look=LOOKS[GOING]),
            Stat(LATE, f"{counts[LATE]}项", look=LOOKS[LATE], strong=counts[LATE] > 0),
            Stat("平均进度", _percent_label(content.mean())),
        ]
    )


def compose(notice: Notice, content: TasksContent) -> Composition:
    meta = dates_meta(notice)
    meta.append(f"进度截至：{chinese_date(content.as_of)}")
    return Composition(blocks=[_strip(content), _table(content, notice.paper), *table_notes(content.table)], meta=meta)


KIND = KindSpec(
    name="tasks",
    label="重点工作",
    design="tasks",
    options=Schema("通知文件", ()),  # everything a task list says is in its table
    content=TasksContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
)
