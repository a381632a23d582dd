"""guide: a service guide (办事指南) for the 便民服务中心 window (SPEC §2).

Keys: ``conditions`` (申请条件: a text or a list), ``materials`` (申请材料: a list of texts, or
of ``{name, copies, requirement}`` for a table with 份数 and 要求), ``steps`` (办理流程: a list
of ``{step, who, days}``, where an item ``{if: 条件, then: …, else: …}`` branches), and the
strip under the flowchart: ``time_limit`` (办结时限), ``place`` (办理地点), ``hours`` (办公时间),
``phone`` (咨询电话), ``fees`` (收费标准, default 不收费) and ``basis`` (设定依据).

A branch's ``then`` and ``else`` name where the path goes: ``next`` (the step after the
branch, the default for ``then``), the ``id`` of a later step (the paths rejoin), or a text
that ends the path (``else: 一次性告知需补正的材料，退回申请人``). A step may carry an ``id`` for
that. Going back to an earlier step would make a loop, which a sheet cannot show plainly:
it is an error, as is a target that no step has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..layout.blocks import HEADING, Paragraph, TableColumn, TableRow
from ..layout.blocks import Table as TableBlock
from ..layout.flowchart import DECISION, END, STEP, Flowchart, FlowEdge, FlowNode
from ..load import options
from ..load.options import Schema, Values
from ..load.yamlsrc import YNode
from ..models import Notice, Settings, Table, Text, Workspace
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta

STEPS = options.items("steps", "办理流程")
OPTIONS = Schema(
    "通知文件",
    (
        options.raw("conditions", "申请条件"),
        options.raw("materials", "申请材料"),
        STEPS,
        options.text("time_limit", "办结时限"),
        options.text("place", "办理地点"),
        options.text("hours", "办公时间"),
        options.text("phone", "咨询电话"),
        options.text("fees", "收费标准"),
        options.text("basis", "设定依据"),
    ),
)
KEYS = OPTIONS.keys  # the labels printed beside the strip's items
MATERIAL = Schema(
    "申请材料",
    (
        options.text("name", "材料名称", required=True),
        options.text("copies", "份数"),
        options.text("requirement", "要求"),
    ),
)
BRANCH_ENTRY = Schema(
    "办理流程中的判断",
    (
        options.text("if", "判断条件", required=True),
        options.raw("then", "符合时"),
        options.raw("else", "不符合时"),
    ),
)
STEP_ENTRY = Schema(
    "办理流程中的一步",
    (
        options.text("step", "办理事项"),
        options.text("who", "经办"),
        options.text("days", "办理时间（工作日）"),
        options.text("id", "编号"),
    ),
)
STRIP = ("time_limit", "place", "hours", "phone", "fees", "basis")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DAYS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(个)?\s*(工作日|天|日)?\s*$")
_LIMIT = re.compile(r"(\d+(?:\.\d+)?)\s*个?\s*工作日")
_AT_ONCE = ("即办", "即时办结", "当场办结", "当即办结", "立即办理")
NEXT = "next"


@dataclass
class Material:
    name: Text
    copies: str = ""
    requirement: str = ""


@dataclass
class Step:
    text: Text
    who: str = ""
    days: Decimal | None = None
    id: str | None = None


@dataclass
class Branch:
    condition: Text
    then: str | None  # NEXT, a step id, or None with then_end
    otherwise: str | None
    then_end: Text | None = None  # a text that ends the path
    else_end: Text | None = None
    where: Where | None = None


@dataclass
class GuideContent:
    conditions: list[Text]
    materials: list[Material]
    items: list[Step | Branch]
    strip: dict[str, Text]
    limit_days: Decimal | None


def _texts(reader: Values, key: str) -> list[Text]:
    node = reader[key]
    if node is None or node.value is None:
        return []
    if node.is_scalar:
        parts = [p.strip() for p in re.split(r"\n\s*\n|\n", str(node.value)) if p.strip()]
        return [Text(p, reader.where(key)) for p in parts]
    return [Text(text, where) for text, where in reader.text_list(key, KEYS[key])]


def _materials(reader: Values, problems: list[Problem]) -> list[Material]:
    node = reader["materials"]
    if node is None or node.value is None:
        return []
    if node.is_scalar:
        return [Material(t) for t in _texts(reader, "materials")]
    if not node.is_seq:
        problems.append(error(reader.where("materials"), "「materials」（申请材料）应当是一个列表，每项一种材料。"))
        return []
    out = []
    for item in node.items:
        where = Where(reader.file, item.line)
        if item.is_map:
            entry = MATERIAL.values(item, reader.file, problems)
            name = entry["name"]
            if name:
                out.append(Material(Text(name, entry.where("name")), entry["copies"] or "", entry["requirement"] or ""))
        elif item.is_scalar and item.value is not None and str(item.value).strip():
            out.append(Material(Text(str(item.value).strip(), where)))
        else:
            problems.append(
                error(where, "申请材料的每一项应当是材料名称，或 {name: 材料名称, copies: 份数, requirement: 要求}。")
            )
    return out


def _days(entry: Values, problems: list[Problem]) -> Decimal | None:
    value = entry["days"]
    if value is None:
        return None
    match = _DAYS.match(value)
    if not match:
        problems.append(error(entry.where("days"), f"「days」（工作日）应当是天数，例如 3，现在是「{value}」。"))
        return None
    return Decimal(match.group(1))


def _target(value: YNode | None, reader: Values, key: str, problems: list[Problem]) -> tuple[str | None, Text | None]:
    if value is None or value.value is None:
        return None, None
    if not value.is_scalar or not str(value.value).strip():
        problems.append(
            error(
                Where(reader.file, value.line),
                (f"「{key}」应当写去向：next（下一步）、某一步的 id，或一句结束这条路的话（如「退回补正」）。"),
            )
        )
        return None, None
    text = str(value.value).strip()
    if text == NEXT or _ID.match(text):
        return text, None
    return None, Text(text, Where(reader.file, value.line))


def _steps(reader: Values, problems: list[Problem]) -> list[Step | Branch]:
    items: list[Step | Branch] = []
    nodes = reader[STEPS]
    for number, node in enumerate(nodes, start=1):
        where = Where(reader.file, node.line)
        if node.is_scalar and node.value is not None and str(node.value).strip():
            items.append(Step(Text(str(node.value).strip(), where)))
            continue
        if not node.is_map:
            problems.append(
                error(where, f"办理流程第{number}项应当是一步：{{step: 做什么, who: 谁办, days: 几个工作日}}。")
            )
            continue
        if "if" in node.entries:
            entry = BRANCH_ENTRY.values(node, reader.file, problems, f"办理流程第{number}项（判断）")
            condition = entry["if"]
            then, then_end = _target(entry["then"], entry, "then", problems)
            otherwise, else_end = _target(entry["else"], entry, "else", problems)
            if otherwise is None and else_end is None and not any(p.where.line == node.line for p in problems):
                problems.append(
                    error(where, f"办理流程第{number}项的判断缺少「else」：不符合条件时怎么办（如「退回补正」）？")
                )
            if condition:
                items.append(
                    Branch(
                        Text(condition, entry.where("if")),
                        then if then or then_end else NEXT,
                        otherwise,
                        then_end,
                        else_end,
                        where,
                    )
                )
            continue
        entry = STEP_ENTRY.values(node, reader.file, problems, f"办理流程第{number}步")
        text = entry["step"]
        if not text:
            problems.append(error(where, f"办理流程第{number}步没有写办什么：请写 step: 例如「窗口受理」。"))
            continue
        step_id = entry["id"]
        if step_id is not None and not _ID.match(step_id):
            problems.append(
                error(entry.where("id"), f"步骤编号「{step_id}」只能由小写字母、数字和连字符组成，例如 review。")
            )
            step_id = None
        items.append(Step(Text(text, entry.where("step")), entry["who"] or "", _days(entry, problems), step_id))
    return items


def _check_flow(items: list[Step | Branch], problems: list[Problem]) -> None:
    ids = {item.id: position for position, item in enumerate(items) if isinstance(item, Step) and item.id}
    for position, item in enumerate(items):
        if not isinstance(item, Branch):
            continue
        assert item.where is not None
        exits = []
        for key, target in (("then", item.then), ("else", item.otherwise)):
            if target is None:
                continue
            if target == NEXT:
                if position + 1 >= len(items):
                    problems.append(
                        error(item.where, f"判断「{item.condition.value}」是最后一项，它的「{key}」没有下一步可去。")
                    )
                exits.append(position + 1)
                continue
            if target not in ids:
                known = "、".join(ids) or "（还没有步骤写了 id）"
                problems.append(
                    error(
                        item.where,
                        (
                            f"判断「{item.condition.value}」的「{key}」要去「{target}」，但没有哪一步的 id 是它。"
                            "现有的 id："
                            f"{known}。"
                        ),
                    )
                )
                continue
            if ids[target] <= position:
                earlier = items[ids[target]]  # only a step has an id
                named = earlier.text.value if isinstance(earlier, Step) else earlier.condition.value
                problems.append(
                    error(
                        item.where,
                        (
                            f"判断「{item.condition.value}」的「{key}」回到了前面的「{named}」，流程成了一个圈，"
                            "海报上画不清楚。请把回头的那条路写成一句话结束，例如 else: 退回补正后重新提交。"
                        ),
                    )
                )
                continue
            exits.append(ids[target])
        if len(exits) == 2 and position + 1 not in exits:
            problems.append(
                error(
                    item.where,
                    (
                        f"判断「{item.condition.value}」的两个去向都不是紧接着的下一步。请把其中一个去向的步骤排在这个判断的后面。"
                    ),
                )
            )


def _limit_days(text: Text | None, problems: list[Problem]) -> Decimal | None:
    if text is None:
        return None
    if any(word in text.value for word in _AT_ONCE):
        return Decimal(0)
    match = _LIMIT.search(text.value)
    return Decimal(match.group(1)) if match else None


def _longest_days(items: list[Step | Branch]) -> Decimal:
    """Working days along the slowest path: a rejoining branch may skip steps, a finished path adds none."""
    ids = {item.id: position for position, item in enumerate(items) if isinstance(item, Step) and item.id}
    best: dict[int, Decimal] = {}

    def walk(position: int) -> Decimal:
        if position >= len(items):
            return Decimal(0)
        if position in best:
            return best[position]
        item = items[position]
        if isinstance(item, Step):
            value = (item.days or Decimal(0)) + walk(position + 1)
        else:
            options = []
            for target, end in ((item.then, item.then_end), (item.otherwise, item.else_end)):
                if end is not None:
                    options.append(Decimal(0))
                elif target == NEXT:
                    options.append(walk(position + 1))
                elif target in ids and ids[target] > position:
                    options.append(walk(ids[target]))
            value = max(options, default=Decimal(0))
        best[position] = value
        return value

    return walk(0)


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[GuideContent | None, list[Problem]]:
    problems: list[Problem] = []
    conditions = _texts(reader, "conditions")
    materials = _materials(reader, problems)
    items = _steps(reader, problems)
    if not reader.has("steps"):
        problems.append(
            error(
                reader.where(),
                "办事指南缺少「steps」（办理流程）：请按顺序列出每一步，"
                "如 - {step: 窗口受理, who: 便民服务中心, days: 1}。",
            )
        )
    elif not items and not any(p.is_error for p in problems):
        problems.append(error(reader.where("steps"), "「steps」（办理流程）是空的：请按顺序列出每一步。"))
    _check_flow(items, problems)
    strip: dict[str, Text] = {}
    for key in STRIP:
        value = reader[key]
        if value:
            strip[key] = Text(value, reader.where(key))
    strip.setdefault("fees", Text("不收费", reader.where()))
    for key in ("time_limit", "place", "phone"):
        if key not in strip:
            problems.append(warning(reader.where(), f"没有写「{key}」（{KEYS[key]}），办事群众最想知道这一项。"))
    limit = _limit_days(strip.get("time_limit"), problems)
    if "time_limit" in strip and limit is None:
        problems.append(
            warning(
                strip["time_limit"].where,
                (
                    f"办结时限「{strip['time_limit'].value}」里没有读出工作日数（如「5个工作日」「即办」），无法和各步骤的时间核对。"
                ),
            )
        )
    if limit is not None and not any(p.is_error for p in problems):
        total = _longest_days(items)
        if total > limit:
            problems.append(
                error(
                    reader.where("steps"),
                    (
                        f"办理流程各步骤合计要 {total.normalize():f} 个工作日，"
                        f"超过了办结时限「{strip['time_limit'].value}」"
                        f"（{limit.normalize():f} 个工作日）。请核对各步的 days 或办结时限。"
                    ),
                )
            )
    if not materials:
        problems.append(warning(reader.where(), "没有写「materials」（申请材料），群众不知道要带什么。"))
    return GuideContent(conditions, materials, items, strip, limit), problems


def _detail(step: Step) -> str:
    parts = []
    if step.who:
        parts.append(step.who)
    if step.days is not None:
        parts.append("当场办结" if step.days == 0 else f"{step.days.normalize():f}个工作日")
    return " · ".join(parts)


def flowchart(content: GuideContent) -> Flowchart:
    nodes: list[FlowNode] = []
    edges: list[FlowEdge] = []
    index_of: dict[int, int] = {}
    for position, item in enumerate(content.items):
        index_of[position] = len(nodes)
        if isinstance(item, Step):
            nodes.append(FlowNode(STEP, item.text.value, _detail(item)))
        else:
            nodes.append(FlowNode(DECISION, item.condition.value))
    ids = {item.id: position for position, item in enumerate(content.items) if isinstance(item, Step) and item.id}
    for position, item in enumerate(content.items):
        source = index_of[position]
        if isinstance(item, Step):
            if position + 1 < len(content.items):
                edges.append(FlowEdge(source, index_of[position + 1]))
            continue
        for label, target, end in (("是", item.then, item.then_end), ("否", item.otherwise, item.else_end)):
            if end is not None:
                nodes.append(FlowNode(END, end.value))
                edges.append(FlowEdge(source, len(nodes) - 1, label))
            elif target == NEXT and position + 1 < len(content.items):
                edges.append(FlowEdge(source, index_of[position + 1], label))
            elif target in ids:
                edges.append(FlowEdge(source, index_of[ids[target]], label))
    return Flowchart(nodes, edges, sources=tuple(_flow_sources(content)))


def _flow_sources(content: GuideContent) -> Iterable[Text]:
    """The flowchart's user strings, at the line each came from (a step's 经办 at its step)."""
    for item in content.items:
        if isinstance(item, Step):
            yield item.text
            if item.who:
                yield Text(item.who, item.text.where)
        else:
            yield item.condition
            for end in (item.then_end, item.else_end):
                if end is not None:
                    yield end


def check(notice: Notice, content: GuideContent | None, workspace: Workspace) -> list[Problem]:
    return []  # every rule of a guide is about the guide itself, checked as it loads


def _heading(text: str) -> Paragraph:
    return Paragraph(text, "guide.heading_size", bold=True, colour="colours.accent", keep_with_next=True, role=HEADING)


def compose(notice: Notice, content: GuideContent) -> Composition:
    blocks: list = []
    numerals = iter("一二三四五六")
    if content.conditions:
        blocks.append(_heading(f"{next(numerals)}、申请条件"))
        many = len(content.conditions) > 1
        for number, condition in enumerate(content.conditions, start=1):
            blocks.append(
                Paragraph(
                    f"{number}. {condition.value}" if many else condition.value, "guide.text_size", sources=(condition,)
                )
            )
    if content.materials:
        blocks.append(_heading(f"{next(numerals)}、申请材料"))
        if any(m.copies or m.requirement for m in content.materials):
            columns = [
                TableColumn("序号", "center"),
                TableColumn("材料名称", "left", wrap=True),
                TableColumn("份数", "center"),
                TableColumn("要求", "left", wrap=True),
            ]
            # 份数 and 要求 are written on the material's own line
            rows = [
                TableRow(
                    [str(n), m.name.value, m.copies, m.requirement], sources=dict.fromkeys((1, 2, 3), m.name.where)
                )
                for n, m in enumerate(content.materials, start=1)
            ]
            blocks.append(TableBlock(columns, rows))
        else:
            for number, material in enumerate(content.materials, start=1):
                blocks.append(
                    Paragraph(f"{number}. {material.name.value}", "guide.text_size", sources=(material.name,))
                )
    blocks.append(_heading(f"{next(numerals)}、办理流程"))
    blocks.append(flowchart(content))
    blocks.append(_heading(f"{next(numerals)}、办理须知"))
    # two items a row: the strip stays short enough to sit under the flowchart on the same sheet
    items: list[tuple[str, Text | None]] = [(KEYS[key], content.strip[key]) for key in STRIP if key in content.strip]
    if len(items) % 2:
        items.append(("", None))
    rows = [
        TableRow(
            [a, b.value if b else "", c, d.value if d else ""],
            strong={0, 2},
            sources={index: text.where for index, text in ((1, b), (3, d)) if text},
        )
        for (a, b), (c, d) in zip(items[::2], items[1::2])
    ]
    blocks.append(
        TableBlock(
            [
                TableColumn("事项", "left"),
                TableColumn("内容", "left", wrap=True),
                TableColumn("事项", "left"),
                TableColumn("内容", "left", wrap=True),
            ],
            rows,
        )
    )
    return Composition(blocks=blocks, meta=dates_meta(notice))


KIND = KindSpec(
    name="guide",
    label="办事指南",
    design="guide",
    options=OPTIONS,
    content=GuideContent,
    columns=None,
    load=load,
    check=check,
    compose=compose,
)
