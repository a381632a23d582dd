"""The load stage: noticeboard.yaml and notices/*.yaml become typed models.

Every file the later stages need is read here (YAML, tables, fonts, designs);
later stages read models only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from .. import privacy
from ..dates import parse_period
from ..kinds import KindSpec
from ..kinds.registry import registry
from ..layout.design import Design, load_design
from ..layout.fonts import ROLES, FontStack, build_stack
from ..models import (
    KIND_NAMES,
    PAPERS,
    Board,
    CatalogueEntry,
    Event,
    Notice,
    PrivacyRule,
    Review,
    Screen,
    Settings,
    Table,
    Text,
    Workspace,
)
from ..problems import Problem, UnreadableInput, Where, error, warning
from ..schedule import timeline, workdays
from . import masking, options, signoffs
from .options import Schema, Values
from .tables import read_table
from .yamlsrc import YNode, load_yaml

SETTINGS_FILE = "noticeboard.yaml"
NOTICES_DIR = "notices"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_DISPLAY_DAYS = 3660  # ten years: longer is a typing slip, and dates overflow past year 9999
FREQUENCIES = ("standing", "annual", "quarterly", "monthly", "on-event")

# noticeboard.yaml (SPEC §3): the help is the reference's explanation (docs/make_reference.py)
SETTINGS = Schema(
    "noticeboard.yaml",
    (
        options.text(
            "issuer", "默认落款单位", "默认落款单位，例如 两城镇人民政府；通知文件里写了 issuer 的以通知文件为准"
        ),
        options.text("base_url", "网上公开地址", "网上公开版本的网址，以 / 结尾；二维码指向 base_url + 编号 + /"),
        options.text("hotline", "监督电话", "监督电话，每张公示都印"),
        options.text_list("reviews", "审核环节", "正式印发前要有的签批环节，按顺序，例如 [初审, 审核, 保密审查]"),
        options.raw(
            "fonts",
            "字体",
            (
                "办公室自己的字体：`{file: fonts/仿宋.ttf, role: body}`；role 是 title、body、heading、subheading、"
                "sans 之一，"
                "`weight: bold` 作粗体；不写 role 的字体只在自带字体都没有某个字时才用"
            ),
        ),
        options.mapping(
            "privacy",
            "隐私遮盖规则",
            "遮盖规则：`id_number: {keep_first: 3, keep_last: 2}`、`mobile: {keep_first: 3, keep_last: 4}`",
        ),
        options.items(
            "events", "事件", "有日期的事件（事前公开）：`{id, title, date, type: election, candidate_lead_days: 5}`"
        ),
        options.items("boards", "公开栏", "实体公开栏：`{id, name, width_mm, height_mm}`，供 plan 排版"),
        options.items(
            "catalogue",
            "公开目录",
            (
                "公开目录：每项 `{id, title, frequency, due_days 或 due_workdays, owner, board, event, lead_days, "
                "review_days, reviews, min_display_days 或 min_display_workdays, step}`，也可以用标准目录的栏目"
                "（事项、内容、依据、时限、主体、渠道、对象、方式）"
            ),
        ),
        options.mapping("screen", "电子屏", "村委会电子屏：`{width: 1920, height: 1080, seconds: 15}`"),
        options.mapping(
            "workbench",
            "工作台",
            (
                "工作台（noticeboard serve）：`{database: postgresql://用户@主机:5432/库名}` 让账号和审计日志存在"
                " PostgreSQL 里（县里一台服务器管几个乡镇时用）；不写就存在工作区的 .workbench/ 里（SQLite）。"
                "密码不写在这里，用 PGPASSWORD 或 .pgpass"
            ),
        ),
    ),
)
WORKBENCH = Schema(
    "workbench",
    (
        options.text(
            "database", "数据库地址", "PostgreSQL 的地址，例如 postgresql://noticeboard@localhost:5432/noticeboard"
        ),
    ),
)
SETTINGS_KEYS = SETTINGS.names
PRIVACY_RULE = Schema(
    "privacy",
    (
        options.count("keep_first", "保留前几位", 3, minimum=0),
        options.count("keep_last", "保留后几位", 2, minimum=0),
    ),
)
EVENT = Schema(
    "events 中的事件",
    (
        options.text("id", "编号", required=True),
        options.text("title", "名称"),
        options.date("date", "日期", required=True),
        options.choice("type", "事件类型", timeline.EVENT_TYPES),
        options.integer("candidate_lead_days", "正式候选人名单提前公布天数", minimum=1),
    ),
)
BOARD = Schema(
    "boards 中的公开栏",
    (
        options.text("id", "编号", required=True),
        options.text("name", "名称"),
        options.number("width_mm", "宽度（毫米）", required=True),
        options.number("height_mm", "高度（毫米）", required=True),
    ),
)
SCREEN = Schema(
    "screen",
    (
        options.count("width", "宽度（像素）", 1920, minimum=320),
        options.count("height", "高度（像素）", 1080, minimum=320),
        options.count("seconds", "每屏停留秒数", 15, minimum=3),
    ),
)
FONT = Schema(
    "fonts 中的字体",
    (
        options.text("file", "字体文件", required=True),
        options.choice("weight", "用于", ("all", "regular", "bold"), default="all"),
        options.choice("role", "用途", ROLES),  # none: a fallback after the shipped fonts (SPEC §3)
    ),
)
# The standard catalogue's columns (基层政务公开标准目录), accepted as the keys of an entry.
STANDARD_COLUMNS = {
    "事项": "title",
    "公开事项": "title",
    "内容": "content",
    "公开内容": "content",
    "依据": "basis",
    "公开依据": "basis",
    "时限": "time_limit",
    "公开时限": "time_limit",
    "主体": "owner",
    "公开主体": "owner",
    "渠道": "channels",
    "公开渠道": "channels",
    "对象": "audience",
    "公开对象": "audience",
    "方式": "mode",
    "公开方式": "mode",
}
CALENDAR = (
    options.integer("due_workdays", "期满后几个工作日内公开", minimum=0),
    options.integer("min_display_days", "最短公示天数", minimum=1),
    options.integer("min_display_workdays", "最短公示工作日数", minimum=1),
    options.choice("step", "选举中的哪一步", tuple(timeline.STEPS)),
)
CALENDAR_KEYS = tuple(option.name for option in CALENDAR)
ENTRY = Schema(
    "catalogue 中的目录项",
    (
        options.text("id", "编号", required=True),
        options.text("title", "名称", required=True),  # unless 事项 gives it
        options.choice("frequency", "公开频次", FREQUENCIES, required=True),
        options.integer("due_days", "期满后几天内公开", minimum=0),
        options.text("owner", "责任单位"),
        options.text("board", "公开栏"),
        options.text("event", "事件"),
        options.integer("lead_days", "提前天数", minimum=0),
        options.integer("review_days", "复核间隔天数", minimum=1),
        options.text("result_of", "对应的办事事项"),
        options.integer("result_days", "几天内公开结果", minimum=0),
        options.text_list("reviews", "审核环节"),
    )
    + CALENDAR
    + tuple(options.text(column, column) for column in STANDARD_COLUMNS),
)

# The keys every notice file may hold, whatever its kind.
COMMON = Schema(
    "通知文件",
    (
        options.text(
            "id", "编号", "编号：小写字母、数字和连字符，全工作区唯一；是文件名，也是网址的一部分", required=True
        ),
        options.text("kind", "类型", "类型，见下文各节", required=True),
        options.text("title", "标题", "标题", required=True),
        options.text("catalogue", "目录项", "属于哪个公开目录项（可以不写）"),
        options.text("period", "所属期间", "所属期间：2026、2026-Q1 或 2026-03"),
        options.text("issuer", "落款单位", "落款单位，覆盖 noticeboard.yaml 的 issuer"),
        options.date(
            "date", "发布日期", "发布日期，印作 2026年4月12日；也可以写 2026/4/12、2026年4月12日", required=True
        ),
        # no maximum of its own: a 公示期 has its own limit, MAX_DISPLAY_DAYS
        options.integer(
            "display_days",
            "公示天数",
            "公示期（天），印作 公示期：2026年4月12日至2026年4月21日",
            minimum=1,
            maximum=None,
        ),
        options.integer(
            "display_workdays",
            "公示工作日数",
            "公示期（工作日，按国务院节假日和调休安排）；和 display_days 只写一个",
            minimum=1,
        ),
        options.choice("paper", "纸张", PAPERS, "纸张：A0 A1 A2 A3 A4 A5", default="A4", normalise=str.upper),
        options.choice(
            "orientation",
            "方向",
            ("portrait", "landscape"),
            "portrait（竖版，默认）或 landscape（横版）",
            default="portrait",
        ),
        options.text("data", "数据文件", "数据表：同一文件夹里的 xlsx、xls 或 CSV（要表格的类型才写）"),
        options.raw("sheet", "工作表", "工作表名；几个工作表依次读成一张表时写成列表 [收入, 支出]"),
        options.mapping("reviews", "审核签批", "签批：`初审: {by: 王小红, date: 2026-04-10}`，每个环节一行"),
        options.text("base_url", "网上公开地址", "网上公开地址，覆盖 noticeboard.yaml 的 base_url"),
        options.text("hotline", "监督电话", "监督电话，覆盖 noticeboard.yaml 的 hotline"),
    ),
)
COMMON_KEYS = COMMON.keys
REVIEW = Schema(
    "审核环节",
    (
        options.text("by", "签批人", required=True),
        options.date("date", "签批日期", required=True),
    ),
)


@dataclass
class Loaded:
    """Everything the load stage produced, including what later stages need to draw."""

    workspace: Workspace
    problems: list[Problem]
    fonts: FontStack
    designs: dict[str, Design] = field(default_factory=dict)
    kinds: dict[str, KindSpec] = field(default_factory=dict)
    notice_files: dict[str, set[str]] = field(default_factory=dict)  # notice id -> files it reads
    yaml_files: dict[str, str] = field(default_factory=dict)  # file stem -> display path, loaded or not
    failed: dict[str, str] = field(default_factory=dict)  # notice id (or file stem) -> display path, not loaded

    @property
    def all_notice_files(self) -> set[str]:
        return set().union(*self.notice_files.values())


def _scalar_text(node: YNode | None) -> str | None:
    if node is None or not node.is_scalar or node.value is None:
        return None
    return str(node.value).strip()


def load_settings(root: Path, problems: list[Problem]) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise UnreadableInput(
            error(
                Where(SETTINGS_FILE), f"{root} 不是工作区：找不到 {SETTINGS_FILE}。可以用 noticeboard init 新建一个。"
            )
        )
    node, found = load_yaml(path, SETTINGS_FILE)
    problems += found
    settings = Settings(file=SETTINGS_FILE)
    if node is None:
        return settings
    values = SETTINGS.values(node, SETTINGS_FILE, problems)
    if (issuer := values["issuer"]) is not None:
        settings.issuer = Text(issuer, values.where("issuer"))
    if (hotline := values["hotline"]) is not None:
        settings.hotline = Text(hotline, values.where("hotline"))
    settings.base_url = _base_url(values)
    settings.base_url_where = values.where("base_url")
    settings.reviews = [text for text, _ in values["reviews"]]
    fonts_node = values["fonts"]
    if fonts_node is not None and fonts_node.value is not None:
        for item in fonts_node.items if fonts_node.is_seq else [fonts_node]:
            settings.fonts.extend(_font_entry(item, root, problems))
    if privacy_node := values["privacy"]:
        for key, value in privacy_node.entries.items():
            _known_rule(key, Where(SETTINGS_FILE, privacy_node.key_lines[key]), problems)
            rule = PRIVACY_RULE.values(value, SETTINGS_FILE, problems, f"privacy.{key}")
            settings.privacy[key] = PrivacyRule(rule["keep_first"], rule["keep_last"])
    for item in values["events"]:
        settings.events.append(_event(EVENT.values(item, SETTINGS_FILE, problems), Where(SETTINGS_FILE, item.line)))
    for item in values["boards"]:
        board = BOARD.values(item, SETTINGS_FILE, problems)
        width = board["width_mm"]
        height = board["height_mm"]
        settings.boards.append(
            Board(
                board["id"] or "",
                board["name"] or "",
                float(width or 0),
                float(height or 0),
                Where(SETTINGS_FILE, item.line),
            )
        )
    if screen_node := values["screen"]:
        screen = SCREEN.values(screen_node, SETTINGS_FILE, problems)
        settings.screen = Screen(screen["width"], screen["height"], screen["seconds"])
    for item in values["catalogue"]:
        settings.catalogue.append(_catalogue_entry(ENTRY.values(item, SETTINGS_FILE, problems), item, problems))
    _check_references(settings, problems)
    if workbench_node := values["workbench"]:
        workbench = WORKBENCH.values(workbench_node, SETTINGS_FILE, problems)
        settings.database_url = _database_url(workbench["database"], workbench.where("database"), problems)
    return settings


def _database_url(url: str | None, where: Where, problems: list[Problem]) -> str | None:
    """A PostgreSQL address without a password: a password in noticeboard.yaml travels with every copy."""
    if url is None:
        return None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        problems.append(
            error(
                where,
                (
                    f"数据库地址「{url}」不对：只能是 PostgreSQL 的地址，例如 "
                    "postgresql://noticeboard@localhost:5432/noticeboard"
                    "（不用 PostgreSQL 时删去这一行，用自带的 SQLite）。"
                ),
            )
        )
        return None
    try:
        password = parts.password
    except ValueError:
        password = None
    if password is not None or "password=" in parts.query.lower():
        problems.append(
            error(
                where,
                (
                    "数据库地址里不能写密码：noticeboard.yaml 会随工作区复制和备份。请删去地址里的密码，"
                    "在服务器上用环境变量 PGPASSWORD 或 .pgpass 文件提供。"
                ),
            )
        )
        return None
    return url


def _known_rule(key: str, where: Where, problems: list[Problem]) -> None:
    """A rule for a kind of number the masking does not know would do nothing without a word."""
    names = list(privacy.DEFAULT_RULES)
    if key in names:
        return
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f"是不是想写 {close[0]}？" if close else f"遮盖规则只能写：{'、'.join(names)}。"
    problems.append(warning(where, f"未知的键 {key}，{hint}这一条现在不起作用。"))


def _catalogue_entry(entry: Values, item: YNode, problems: list[Problem]) -> CatalogueEntry:
    standard = _standard_columns(entry, problems)
    target = CatalogueEntry(
        id=entry["id"] or "",
        title=standard.pop("title", None) or entry["title"] or "",
        frequency=entry["frequency"] or "standing",
        where=Where(SETTINGS_FILE, item.line),
        due_days=entry["due_days"],
        owner=entry["owner"],
        board=entry["board"],
        event=entry["event"],
        lead_days=entry["lead_days"],
        review_days=entry["review_days"],
        result_of=entry["result_of"],
        result_days=entry["result_days"],
        result_where=entry.where("result_of"),
        reviews=[text for text, _ in entry["reviews"]] if entry.has("reviews") else None,
    )
    _calendar_keys(target, entry, standard)
    return target


def _check_references(settings: Settings, problems: list[Problem]) -> None:
    boards = {b.id for b in settings.boards}
    events = {e.id for e in settings.events}
    entries = {e.id for e in settings.catalogue}
    for entry in settings.catalogue:
        if entry.board and entry.board not in boards:
            problems.append(error(entry.where, f"目录项「{entry.id}」的公开栏「{entry.board}」不在 boards 中。"))
        if entry.frequency == "on-event" and not entry.event:
            problems.append(error(entry.where, f"目录项「{entry.id}」是 on-event（随事件公开），需要写 event。"))
        if entry.event and entry.event not in events:
            problems.append(error(entry.where, f"目录项「{entry.id}」的事件「{entry.event}」不在 events 中。"))
        if entry.result_of and entry.result_of not in entries:
            known = "、".join(sorted(entries))
            problems.append(
                error(
                    entry.result_where or entry.where,
                    f"目录项「{entry.id}」的 result_of「{entry.result_of}」不在 catalogue 中。现有：{known}。",
                )
            )
        elif entry.result_of == entry.id:
            problems.append(
                error(
                    entry.result_where or entry.where,
                    f"目录项「{entry.id}」的 result_of 不能指向它自己，请写办事事项那一项的编号。",
                )
            )
        _check_calendar(entry, {e.id: e for e in settings.events}, problems)


def _standard_columns(entry: Values, problems: list[Problem]) -> dict:
    """The Chinese columns given, by field: the title as text, the rest as (text, where). One that
    repeats another key (事项 and title, 主体 and owner) is an error."""
    found: dict[str, tuple[str, Where]] = {}
    for column, name in STANDARD_COLUMNS.items():
        if (value := entry[column]) is None:
            continue
        other = "title" if name == "title" else "owner" if name == "owner" else None
        if (other and entry.has(other)) or name in found:
            given = (
                other
                if other and entry.has(other)
                else next(k for k, v in STANDARD_COLUMNS.items() if v == name and entry.has(k) and k != column)
            )
            problems.append(error(entry.where(column), f"「{column}」和「{given}」说的是同一件事，请只写一个。"))
            continue
        found[name] = (value, entry.where(column))
    return {name: found[name][0] if name == "title" else found[name] for name in found}


def _calendar_keys(target: CatalogueEntry, entry: Values, standard: dict) -> None:
    """The keys counted on the official calendar, the election step and the standard columns."""
    problems = entry.problems
    target.key_wheres = {key: entry.where(key) for key in entry.values}
    target.due_workdays = entry["due_workdays"]
    target.min_display_days = entry["min_display_days"]
    target.min_display_workdays = entry["min_display_workdays"]
    target.step = entry["step"]
    for name in ("content", "basis", "time_limit", "channels", "audience", "mode", "owner"):
        if name in standard and getattr(target, name) is None:
            setattr(target, name, standard[name][0])
    if target.due_days is not None and target.due_workdays is not None:
        problems.append(error(entry.where("due_workdays"), "due_days（天）和 due_workdays（工作日）只能写一个。"))
        target.due_workdays = None
    if target.min_display_days is not None and target.min_display_workdays is not None:
        problems.append(
            error(
                entry.where("min_display_workdays"),
                "min_display_days（天）和 min_display_workdays（工作日）只能写一个。",
            )
        )
        target.min_display_workdays = None
    if "time_limit" in standard:
        text, where = standard["time_limit"]
        target.key_wheres["时限"] = where
        parsed = workdays.parse_time_limit(text)
        explicit = (
            ("workdays", target.due_workdays)
            if target.due_workdays is not None
            else (("days", target.due_days) if target.due_days is not None else None)
        )
        if parsed is not None and explicit is None:
            unit, count = parsed
            if unit == "workdays":
                target.due_workdays = count
            else:
                target.due_days = count
            target.key_wheres["due_workdays" if unit == "workdays" else "due_days"] = where
        elif parsed is not None and explicit is not None and parsed != explicit:
            said = lambda p: f"{p[1]}{'个工作日' if p[0] == 'workdays' else '天'}"  # noqa: E731
            problems.append(
                warning(
                    where,
                    f"时限「{text}」是{said(parsed)}，但 due_{explicit[0]} 写的是{said(explicit)}："
                    f"按 due_{explicit[0]} 计算；两处请改成一致。",
                )
            )
        elif parsed is None and explicit is None and target.frequency in ("annual", "quarterly", "monthly"):
            problems.append(
                warning(where, f"时限「{text}」里没有天数，应公开日按默认计算：请写 due_days 或 due_workdays。")
            )


def _check_calendar(entry: CatalogueEntry, events: dict[str, Event], problems: list[Problem]) -> None:
    event = events.get(entry.event or "")
    if entry.step and (event is None or event.type != timeline.ELECTION):
        problems.append(
            error(
                entry.key_wheres.get("step", entry.where),
                f"目录项「{entry.id}」写了 step（选举中的一步），它的 event 应当是 type: election 的选举事件。",
            )
        )
        return
    legal = timeline.legal_lead(entry, event)
    if legal is not None and entry.lead_days is not None and entry.lead_days < legal:
        basis = timeline.LAW if entry.step == timeline.VOTER_LIST else "本省选举办法（事件的 candidate_lead_days）"
        problems.append(
            error(
                entry.key_wheres.get("lead_days", entry.where),
                f"{timeline.STEPS[entry.step or '']}至少要在选举日前 {legal} 天公布（{basis}），"
                f"lead_days 现在是 {entry.lead_days}：请改为 {legal} 或更多。",
            )
        )


def _event(reader: Values, where: Where) -> Event:
    event = Event(reader["id"] or "", reader["title"] or "", reader["date"], where)
    event.type = reader["type"]
    lead = reader["candidate_lead_days"]
    if lead is not None and event.type != timeline.ELECTION:
        reader.problems.append(
            error(
                reader.where("candidate_lead_days"),
                "candidate_lead_days 只用于村民委员会选举，请同时写 type: election。",
            )
        )
    elif lead is not None:
        event.candidate_lead_days = lead
    return event


def _display_workdays(reader: Values, date: dt.date | None, problems: list[Problem]) -> int | None:
    """A 公示期 in working days: never together with display_days, and past the calendar's years only with a warning."""
    count = reader["display_workdays"]
    if count is None:
        return None
    if reader.has("display_days"):
        problems.append(
            error(
                reader.where("display_workdays"),
                "display_days（公示天数）和 display_workdays（公示工作日数）只能写一个，请删去一个。",
            )
        )
        return None
    if count > MAX_DISPLAY_DAYS:
        problems.append(
            error(reader.where("display_workdays"), f"公示期 {count} 个工作日太长了，最多 {MAX_DISPLAY_DAYS} 个。")
        )
        return None
    if date is not None and (guessed := workdays.display_end(date, count).guessed):
        problems.append(warning(reader.where("display_workdays"), workdays.unknown_message(guessed)))
    return count


def _base_url(reader: Values) -> str | None:
    key = "base_url"
    url = reader[key]
    if url is None:
        return None
    if not re.match(r"^https?://[^\s/]+", url):
        reader.problems.append(
            error(reader.where(key), f"「{key}」应当是以 http:// 或 https:// 开头的网址，现在是「{url}」。")
        )
        return None
    if not url.endswith("/"):
        reader.problems.append(error(reader.where(key), f"「{key}」必须以「/」结尾，请改为「{url}/」。"))
        return None
    return url


def _font_entry(item: YNode, root: Path, problems: list[Problem]) -> list[tuple[Path, str, Where, str | None]]:
    where = Where(SETTINGS_FILE, item.line)
    if item.is_map:
        entry = FONT.values(item, SETTINGS_FILE, problems)
        name, weight, role = entry["file"], entry["weight"], entry["role"]  # no role: a fallback (SPEC §3)
    else:
        name, weight, role = _scalar_text(item), "all", None
    if not name:
        return []
    path = (root / name) if not Path(name).is_absolute() else Path(name)
    if not path.is_file():
        problems.append(error(where, f"找不到字体文件 {name}。请把字体文件放进工作区，路径相对于 noticeboard.yaml。"))
        return []
    return [(path, weight or "all", where, role)]


def load_notice(
    path: Path,
    display: str,
    settings: Settings,
    kinds: dict[str, KindSpec],
    problems: list[Problem],
    root: Path | None = None,
) -> Notice | None:
    node, found = load_yaml(path, display)
    problems += found
    if node is None:
        return None
    rules = privacy.policy(settings.privacy)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    masking.mask_yaml_ids(node, display, rules, problems, lines)  # a typo'd ID number is still one: never printed whole
    kind_name = _scalar_text(node.entries.get("kind"))
    kind = kinds.get(kind_name or "")
    # with an unknown kind, still flag keys that no kind knows
    schema = COMMON + kind.options if kind else sum((spec.options for spec in kinds.values()), COMMON)
    reader = schema.values(node, display, problems, report_unknown=False)
    notice_id = reader["id"]
    if notice_id is not None and not ID_PATTERN.match(notice_id):
        problems.append(
            error(reader.where("id"), f"编号「{notice_id}」只能由小写字母、数字和连字符组成，例如 2026q1-finance。")
        )
    if kind is None:
        _unknown_kind(reader, kind_name, kinds, problems)
    reader.report_unknown()
    title = reader["title"]
    date = reader["date"]
    issuer_text = reader["issuer"]
    issuer = Text(issuer_text, reader.where("issuer")) if issuer_text else settings.issuer
    missing_settings: list[Problem] = []  # said once when no noticeboard.yaml gives any of them
    if issuer is None:
        missing_settings.append(
            error(reader.where(), "没有落款单位：请在通知文件中写 issuer，或在 noticeboard.yaml 中写默认的 issuer。")
        )
    paper = reader["paper"]
    orientation = reader["orientation"]
    period = None
    if (period_text := reader["period"]) is not None:
        period = parse_period(period_text)
        if period is None:
            problems.append(
                error(reader.where("period"), f"期间「{period_text}」写法不对，应为 2026、2026-Q1 或 2026-03。")
            )
    display_days = reader["display_days"]
    if display_days is not None and display_days > MAX_DISPLAY_DAYS:
        problems.append(
            error(
                reader.where("display_days"),
                f"公示期 {display_days} 天太长了，最多 {MAX_DISPLAY_DAYS} 天；长期公开的内容不写 display_days。",
            )
        )
        display_days = None
    display_workdays = _display_workdays(reader, date, problems)
    base_url = _base_url(reader) if reader.has("base_url") else settings.base_url
    if base_url is None and not reader.has("base_url"):
        missing_settings.append(
            error(
                reader.where(),
                (
                    "不知道网上公开地址，无法生成二维码：请在 noticeboard.yaml 中写 base_url（网站上放公开版本的地址，"
                    "以 / 结尾）"
                    "，"
                    "或在通知文件中写 base_url: https://…/。"
                ),
            )
        )
    hotline_text = reader["hotline"]
    hotline = Text(hotline_text, reader.where("hotline")) if hotline_text else settings.hotline
    if hotline is None:
        missing_settings.append(
            error(
                reader.where(),
                "没有监督电话，每张公示都要印：请在 noticeboard.yaml 中写 hotline（或在通知文件中写 hotline）。",
            )
        )
    if len(missing_settings) == 3:
        problems.append(
            error(
                reader.where(),
                (
                    "不知道落款单位、网上公开地址和监督电话：旁边（或上一层文件夹）没有写着它们的 noticeboard.yaml。"
                    "请把工作区的 noticeboard.yaml 复制过来，或在通知文件里写上 issuer: 两城镇人民政府、"
                    "base_url: https://…/ 和 hotline: 0537-1234567 这三行。"
                ),
            )
        )
    else:
        problems += missing_settings
    reader["reviews"]
    # the later pass: what the notice names in noticeboard.yaml, once every key is read; a sign-off's
    # role is said before what is wrong inside it, as the chain it belongs to comes first
    catalogue = _catalogue_reference(reader, settings, problems)
    _check_review_roles(reader, settings, catalogue, problems)
    reviews = _load_reviews(reader, problems)
    if (
        notice_id is None
        or title is None
        or date is None
        or issuer is None
        or kind is None
        or not ID_PATTERN.match(notice_id)
    ):
        return None
    notice = Notice(
        id=notice_id,
        kind=kind.name,
        title=Text(title, reader.where("title")),
        file=display,
        path=path,
        where=reader.where("id"),
        issuer=issuer,
        date=date,
        paper=paper or "A4",
        orientation=orientation or "portrait",
        catalogue=catalogue,
        period=period,
        display_days=display_days,
        display_workdays=display_workdays,
        base_url=base_url,
        hotline=hotline,
        reviews=reviews,
        key_lines=dict(node.key_lines),
        sources=[display],
    )
    problems += timeline.notice_problems(notice, settings)
    if path.stem != notice_id:
        problems.append(
            warning(notice.where, f"文件名与编号不一致（编号是「{notice_id}」），建议把文件改名为 {notice_id}.yaml。")
        )
    table = None
    if kind.columns is not None:
        table = _data_table(notice, reader, kind, root, problems)
        if table is None:
            return notice
        # a repeated or headerless column is reported where it is; the rows still load, so that
        # every other check runs now rather than after this one is fixed
        if not kind.masks_cells:
            masking.mask_table_ids(table, rules, problems)
    else:
        data_name = reader["data"]
        _sheets(reader)  # read as ever, so that a wrong sheet is still said
        if data_name is not None:
            problems.append(error(reader.where("data"), f"{kind.label}不使用数据表，请删去 data。"))
    content, found = kind.load(notice, reader, table, settings)
    problems += found
    notice.content = content
    return notice


def _unknown_kind(reader: Values, kind_name: str | None, kinds: dict[str, KindSpec], problems: list[Problem]) -> None:
    if kind_name is None:
        reader["kind"]  # says what is missing or wrong about it
    elif kind_name in KIND_NAMES:
        problems.append(
            error(reader.where("kind"), f"「{kind_name}」类型本版本尚不能排版，目前可用：{'、'.join(kinds)}。")
        )
    else:
        close = difflib.get_close_matches(kind_name, KIND_NAMES, n=1)
        hint = f"是不是「{close[0]}」？" if close else ""
        problems.append(
            error(reader.where("kind"), f"没有「{kind_name}」这种类型。{hint}只能是：{'、'.join(KIND_NAMES)}。")
        )


def _data_table(
    notice: Notice, reader: Values, kind: KindSpec, root: Path | None, problems: list[Problem]
) -> Table | None:
    """The table a kind with columns is drawn from: ``data`` (and ``sheet``), next to the notice file."""
    data_name = reader["data"]
    sheet = _sheets(reader)
    if data_name is None:
        problems.append(error(reader.where(), f"{kind.label}公示需要数据表：请写 data: 文件名（CSV、xlsx 或 xls）。"))
        return None
    data_path = notice.path.parent / data_name
    folder = Path(notice.file).parent
    data_display = str(folder / data_name)
    if root is not None and not _inside(data_path, root):
        problems.append(
            warning(
                reader.where("data"),
                (
                    f"数据文件 {data_name} 不在工作区 {root} 里面。换一台电脑或备份工作区时会缺这个文件："
                    f"请把它复制到 {folder.as_posix()}/ 目录下，再把 data 改成它的文件名。"
                ),
            )
        )
    notice.sources.append(data_display)
    table, found = read_table(
        data_path,
        data_display,
        sheet=sheet,
        sheet_where=reader.where("sheet"),
        data_where=reader.where("data"),
        specs=kind.columns or [],
        closed=not kind.open_columns,
    )
    problems += found
    return table


def _sheets(reader: Values) -> str | list[str] | None:
    """``sheet:`` names one sheet, or a list of sheets read one after the other as one table."""
    node = reader["sheet"]
    label = COMMON_KEYS["sheet"]
    if node is None or not node.is_seq:
        return reader.text("sheet", label)
    names = [text for text, _ in reader.text_list("sheet", label)]
    if not names:
        reader.problems.append(
            error(reader.where("sheet"), "「sheet」（工作表）的列表是空的：请写工作表名，例如 [收入, 支出]。")
        )
        return None
    return names


def _load_reviews(reader: Values, problems: list[Problem]) -> list[Review]:
    node = reader["reviews"]
    if node is None:
        return []
    reviews = []
    for role, value in node.entries.items():
        entry = REVIEW.values(value, reader.file, problems, f"审核环节「{role}」")
        by = entry["by"]
        date = entry["date"]
        if by:
            reviews.append(Review(role, Text(by, entry.where("by")), date, Where(reader.file, node.key_lines[role])))
    return reviews


def _catalogue_reference(reader: Values, settings: Settings, problems: list[Problem]) -> str | None:
    """The notice's catalogue entry, when noticeboard.yaml has it."""
    catalogue = reader["catalogue"]
    if catalogue is not None and not settings.catalogue:
        # a notice copied out of its workspace (noticeboard render) still prints; only the plan needs the entry
        problems.append(
            warning(
                reader.where("catalogue"),
                (
                    f"没有找到写着公开目录（catalogue）的 noticeboard.yaml，「catalogue: {catalogue}」不起作用，"
                    "只影响公开计划（plan），不影响排印。"
                ),
            )
        )
        return None
    if catalogue is not None and catalogue not in {c.id for c in settings.catalogue}:
        known = "、".join(c.id for c in settings.catalogue)
        problems.append(
            error(
                reader.where("catalogue"),
                f"目录项「{catalogue}」不在 noticeboard.yaml 的 catalogue 中。现有：{known}。",
            )
        )
    return catalogue


def _check_review_roles(reader: Values, settings: Settings, catalogue: str | None, problems: list[Problem]) -> None:
    """Each sign-off names a role of the chain its catalogue entry (or the workspace) asks for."""
    node = reader["reviews"]
    if node is None:
        return
    chain, chain_entry = settings.review_chain(catalogue)  # a catalogue entry may name its own reviewers
    for role in node.entries:
        if chain and role not in chain:
            source = f"目录项「{chain_entry.id}」的 reviews" if chain_entry else " noticeboard.yaml 的 reviews"
            problems.append(
                error(
                    Where(reader.file, node.key_lines[role]),
                    f"审核环节「{role}」不在{source} 中（{'、'.join(chain)}）。",
                )
            )


def _fingerprint(notice: Notice, root: Path | None) -> str:
    """What the content was built from, without the sign-offs: if this changes while the
    sign-offs stay the same, the content was changed after it was signed."""
    digest = hashlib.sha256()
    # what the notice inherits from noticeboard.yaml is printed too: 落款, 监督电话, the QR's address
    inherited = [notice.issuer.value, notice.hotline.value if notice.hotline else "", notice.base_url or ""]
    digest.update("\0".join(inherited).encode("utf-8") + b"\0")
    for number, display in enumerate(notice.sources):
        path = root / display if root is not None else Path(display)
        try:
            data = path.read_bytes()
        except OSError:
            continue  # reported by the load already
        if number == 0:  # the notice's own YAML: leave out the reviews block
            data = _without_reviews(data, notice.key_lines)
        digest.update(display.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()


def _settings_print(settings: Settings, design: Design) -> str:
    """What of the workspace, beside the notice's own files, decides how its sheets come out: the
    privacy policy (keep_first: 12 would print birth dates), the sheet design with its workspace
    overrides and emblem, and the office's fonts. A digest, so that changing any of them after a
    sign-off makes the sign-off stale."""
    digest = hashlib.sha256()
    rules = privacy.policy(settings.privacy)
    digest.update(repr(sorted((kind, repr(rule)) for kind, rule in rules.items())).encode("utf-8") + b"\0")
    digest.update(json.dumps(design.values, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8") + b"\0")
    emblem = design.image("header.emblem")
    extra = [emblem] if emblem is not None else []
    extra += [Path(entry[0]) for entry in settings.fonts]
    for path in extra:
        try:
            stat = path.stat()
        except OSError:
            continue  # reported where the design or the font is loaded
        # name and size: a font is megabytes, and a different file of the very same size is not a real case
        digest.update(f"{path.name}\0{stat.st_size}\0".encode())
    return digest.hexdigest()


def _without_reviews(data: bytes, key_lines: dict[str, int]) -> bytes:
    start = key_lines.get("reviews")
    if start is None:
        return data
    later = [line for line in key_lines.values() if line > start]
    end = min(later) if later else None
    lines = data.split(b"\n")
    return b"\n".join(lines[: start - 1] + (lines[end - 1 :] if end else []))


def load_workspace(root: Path, only: Path | None = None, notice_file: Path | None = None) -> Loaded:
    """Load a workspace. Raises UnreadableInput only when it cannot be read at all.

    With ``only``, just that notice file is loaded (``noticeboard render``); the
    workspace's noticeboard.yaml is used when ``root`` has one.
    With ``notice_file`` (a file in ``notices/``), only that notice of the workspace is loaded, exactly
    as a full load loads it (same display paths, fingerprint and workbench sign-offs): the workbench's
    previews of one notice need nothing else.
    """
    if not root.is_dir():
        raise UnreadableInput(error(Where(str(root)), "找不到这个工作区目录。"))
    problems: list[Problem] = []
    if only is not None and not (root / SETTINGS_FILE).is_file():
        settings = Settings(file=SETTINGS_FILE)
    else:
        settings = load_settings(root, problems)
    fonts, found = build_stack(settings.fonts)
    problems += found
    kinds = registry()
    if only is not None:
        paths = [(only, str(only))]
    elif notice_file is not None:
        paths = [(notice_file, f"{NOTICES_DIR}/{notice_file.name}")]
    else:
        folder = root / NOTICES_DIR
        found_paths = sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml"))) if folder.is_dir() else []
        paths = [(path, f"{NOTICES_DIR}/{path.name}") for path in found_paths]
    notices: list[Notice] = []
    notice_files: dict[str, set[str]] = {}
    failed: dict[str, str] = {}
    for path, display in paths:
        notice = load_notice(path, display, settings, kinds, problems, root)
        if notice is not None:
            notice.content_fingerprint = _fingerprint(notice, root if only is None else None)
            notices.append(notice)
            notice_files.setdefault(notice.id, set()).update(notice.sources)
        else:
            failed[_id_of(path)] = display
    layouts = root / "layouts"
    workspace = Workspace(
        root=root, settings=settings, notices=notices, layouts_dir=layouts if layouts.is_dir() else None
    )
    designs: dict[str, Design] = {}
    for kind in {kinds[n.kind].design: kinds[n.kind] for n in notices}.values():
        designs[kind.design], found = load_design(kind.design, workspace.layouts_dir)
        problems += found
    made_with = {name: _settings_print(settings, design) for name, design in designs.items()}
    for notice in notices:
        notice.fingerprint = hashlib.sha256(
            f"{notice.content_fingerprint}\0{made_with[kinds[notice.kind].design]}".encode()
        ).hexdigest()
        if only is None:  # the workbench's sign-offs belong to the workspace, not to a lone file
            records = signoffs.read_records(root, notice.id, problems)
            signoffs.apply_records(notice, records, settings, problems)
            notice_files[notice.id].add(signoffs.display_path(notice.id))
    yaml_files = {Path(display).stem: display for _, display in paths}
    return Loaded(workspace, problems, fonts, designs, kinds, notice_files, yaml_files, failed)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name the system refuses
        return False


def _id_of(path: Path) -> str:
    """The id a notice file that did not load gives itself, as far as it can be read; else its name."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return path.stem
    match = re.search(r"^id:\s*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?\s*(?:#.*)?$", text, re.MULTILINE)
    return match[1] if match else path.stem
