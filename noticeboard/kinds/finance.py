"""finance: 财政收支情况 (SPEC §2), the quarterly revenue and expenditure disclosure.

Codes follow 政府收支分类科目: revenue codes start with 1, expenditure with 2;
3 digits is a 类, 5 a 款, 7 a 项, and a row's parent is the row whose code is its
longest present prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from ..layout.blocks import BarChart, Paragraph, Table as TableBlock, TableColumn, TableRow
from ..models import Notice, Row, Settings, Table, Text, Workspace
from ..problems import Problem, Where, error, warning
from ..tables import ColumnSpec, parse_amount
from ..yamlsrc import MapReader
from . import Composition, KindSpec, dates_meta

AMOUNTS = ("budget", "period", "ytd", "last_year")
COLUMNS = [
    ColumnSpec("code", "科目编码"),
    ColumnSpec("name", "科目名称"),
    ColumnSpec("budget", "预算数"),
    ColumnSpec("period", "本期数"),
    ColumnSpec("ytd", "累计数"),
    ColumnSpec("last_year", "上年同期数", required=False),
]
LABEL = {c.key: c.zh for c in COLUMNS}
SECTIONS = {"revenue": "收入", "expenditure": "支出"}
LEVELS = {3: 0, 5: 1, 7: 2}
LEVEL_NAMES = ("类", "款", "项")
TOLERANCE = Decimal("0.01")
UNIT_IN_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


@dataclass
class FinanceRow:
    source: Row
    code: str | None
    name: str
    amounts: dict[str, Decimal]
    section: str
    is_total: bool
    level: int  # 0 类, 1 款, 2 项; -1 for a total

    def cell(self, key: str) -> Where:
        cell = self.source.cells.get(key)
        return cell.where if cell else self.source.cells["name"].where

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


@dataclass
class FinanceContent:
    unit: str
    table: Table
    rows: list[FinanceRow]
    has_last_year: bool
    complete: bool = True  # every row loaded; sums are only checked over a complete table
    parents: dict[int, int] = field(default_factory=dict)  # row index -> parent row index

    def section(self, name: str) -> list[FinanceRow]:
        return [r for r in self.rows if r.section == name]

    def roots(self, section: str) -> list[FinanceRow]:
        indexes = [i for i, r in enumerate(self.rows) if r.section == section and not r.is_total and i not in self.parents]
        return [self.rows[i] for i in indexes]

    def computed_total(self, section: str, key: str) -> Decimal:
        return sum((r.amounts[key] for r in self.roots(section)), Decimal(0))


def _section_of(code: str | None, name: str, previous: str | None) -> str | None:
    if code and code[0] == "1":
        return "revenue"
    if code and code[0] == "2":
        return "expenditure"
    if "收入" in name:
        return "revenue"
    if "支出" in name:
        return "expenditure"
    return previous


def load(notice: Notice, reader: MapReader, table: Table | None, settings: Settings) -> tuple[FinanceContent | None, list[Problem]]:
    problems: list[Problem] = []
    unit = reader.choice("unit", "金额单位", tuple(UNIT_IN_YUAN), default="元")
    unit_given_right = not reader.has("unit") or reader.text("unit", "金额单位") in UNIT_IN_YUAN
    if notice.period is None and not reader.has("period"):
        problems.append(warning(reader.where(), "没有写 period（所属期间，如 2026-Q1），无法核对累计数，小结也只能写「本期」。"))
    assert table is not None
    rows: list[FinanceRow] = []
    seen_codes: dict[str, Where] = {}
    previous_section = None
    for row in table.rows:
        name = row.text("name")
        code = row.text("code").replace(" ", "") or None
        # a coded row is a subject even when its name contains 合计 (e.g. 综合计划管理)
        is_total = ("合计" in name or "总计" in name) and code is None
        if not name:
            problems.append(error(row.cells["name"].where, "科目名称是空的，请填写。"))
            continue
        if not is_total:
            if code is None:
                problems.append(error(row.cells["code"].where, f"「{name}」缺少科目编码。类用3位、款用5位、项用7位编码。"))
                continue
            if not code.isdigit() or len(code) not in LEVELS or code[0] not in "12":
                problems.append(error(
                    row.cells["code"].where,
                    f"科目编码「{code}」不对：应为3位（类）、5位（款）或7位（项）数字，收入以1开头，支出以2开头。",
                ))
                continue
            if code in seen_codes:
                problems.append(error(row.cells["code"].where, f"科目编码「{code}」重复出现（另见 {seen_codes[code]}）。"))
                continue
            seen_codes[code] = row.cells["code"].where
        section = _section_of(code, name, previous_section)
        if section is None:
            problems.append(error(row.cells["name"].where, f"无法判断「{name}」属于收入还是支出，请写成「收入合计」或「支出合计」。"))
            continue
        previous_section = section
        amounts: dict[str, Decimal] = {}
        bad = False
        for key in AMOUNTS:
            cell = row.cells.get(key)
            if cell is None or not cell.text:
                amounts[key] = Decimal(0)
                continue
            value = parse_amount(cell.text)
            if value is None:
                problems.append(error(cell.where, f"「{LABEL[key]}」应当是数字，现在是「{cell.text}」。请只填数字，可以带千分位逗号。"))
                bad = True
                continue
            amounts[key] = value
        if bad:
            continue
        level = -1 if is_total or code is None else LEVELS[len(code)]
        rows.append(FinanceRow(row, code, name, amounts, section, is_total, level))
    content = FinanceContent(unit or "元", table, rows, table.column("last_year") is not None,
                             complete=unit_given_right and not any(p.is_error for p in problems))
    by_code = {r.code: i for i, r in enumerate(rows) if r.code and not r.is_total}
    for index, row in enumerate(rows):
        if row.code and not row.is_total:
            for length in (5, 3):
                if length < len(row.code) and row.code[:length] in by_code:
                    content.parents[index] = by_code[row.code[:length]]
                    break
    return content, problems


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def _differs(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) > TOLERANCE


def _previous_notice(notice: Notice, workspace: Workspace) -> Notice | None:
    previous = notice.period.previous() if notice.period else None
    if previous is None:
        return None
    for other in workspace.notices:
        if (other is not notice and other.kind == "finance" and other.period == previous
                and other.catalogue == notice.catalogue and other.issuer.value == notice.issuer.value
                and isinstance(other.content, FinanceContent) and other.content.complete):
            return other
    return None


def check(notice: Notice, workspace: Workspace) -> list[Problem]:
    content: FinanceContent | None = notice.content  # type: ignore[assignment]
    if content is None:
        return []
    problems: list[Problem] = []
    if not content.complete:
        return []  # a row that did not load would make every sum above it look wrong; fix the load errors first
    keys = [k for k in AMOUNTS if k != "last_year" or content.has_last_year]
    unit = content.unit
    children: dict[int, list[int]] = {}
    for child, parent in content.parents.items():
        children.setdefault(parent, []).append(child)
    for parent, kids in children.items():
        row = content.rows[parent]
        names = LEVEL_NAMES[row.level + 1] if row.level < 2 else "项"
        for key in keys:
            total = sum((content.rows[k].amounts[key] for k in kids), Decimal(0))
            if _differs(row.amounts[key], total):
                problems.append(error(row.cell(key), (
                    f"「{row.label}」的{LABEL[key]}是 {_amount(row.amounts[key])}{unit}，但其下各{names}之和是 "
                    f"{_amount(total)}{unit}，相差 {_amount(row.amounts[key] - total)}{unit}。请核对这一行和它下面的明细。")))
    for row in content.rows:
        if row.is_total:
            section = SECTIONS[row.section]
            for key in keys:
                computed = content.computed_total(row.section, key)
                if _differs(row.amounts[key], computed):
                    problems.append(error(row.cell(key), (
                        f"「{row.name}」的{LABEL[key]}是 {_amount(row.amounts[key])}{unit}，但各{section}类之和是 "
                        f"{_amount(computed)}{unit}，相差 {_amount(row.amounts[key] - computed)}{unit}。")))
        if row.amounts["ytd"] < row.amounts["period"] - TOLERANCE:
            problems.append(error(row.cell("ytd"), (
                f"「{row.label}」的累计数 {_amount(row.amounts['ytd'])} 小于本期数 {_amount(row.amounts['period'])}，"
                "累计数应包含本期数，请核对。")))
        elif notice.period and notice.period.is_first and _differs(row.amounts["ytd"], row.amounts["period"]):
            problems.append(error(row.cell("ytd"), (
                f"{notice.period.label()}是本年第一期，「{row.label}」的累计数应等于本期数 "
                f"{_amount(row.amounts['period'])}，现在是 {_amount(row.amounts['ytd'])}。")))
    problems += _check_chain(notice, content, workspace)
    return problems


def _check_chain(notice: Notice, content: FinanceContent, workspace: Workspace) -> list[Problem]:
    previous = _previous_notice(notice, workspace)
    if previous is None:
        return []
    before: FinanceContent = previous.content  # type: ignore[assignment]
    factor = UNIT_IN_YUAN[before.unit] / UNIT_IN_YUAN[content.unit]
    earlier = {(r.section, r.code or r.name): r for r in before.rows}
    problems = []
    for row in content.rows:
        match = earlier.get((row.section, row.code or row.name))
        prior = match.amounts["ytd"] * factor if match else Decimal(0)
        expected = prior + row.amounts["period"]
        if _differs(row.amounts["ytd"], expected):
            problems.append(error(row.cell("ytd"), (
                f"「{row.label}」的累计数应等于上期（{previous.period}，{previous.file}）累计数 {_amount(prior)} "
                f"加本期数 {_amount(row.amounts['period'])}，即 {_amount(expected)}，现在是 {_amount(row.amounts['ytd'])}。")))
    return problems


def texts(notice: Notice) -> Iterable[Text]:
    content: FinanceContent | None = notice.content  # type: ignore[assignment]
    if content is None:
        return
    for row in content.rows:
        for key in ("code", "name"):
            cell = row.source.cells.get(key)
            if cell and cell.text:
                yield Text(cell.text, cell.where)


def _percent(numerator: Decimal, base: Decimal) -> str:
    if base == 0:
        return "—"
    return f"{(numerator * 100 / base).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def _change(value: Decimal, base: Decimal) -> str:
    if base <= 0:  # a change against nothing, or against a negative base, is not a percentage anyone can read
        return "—"
    return _percent(value - base, base)


def _summary(notice: Notice, content: FinanceContent) -> str:
    when = notice.period.label() if notice.period else "本期"
    unit = content.unit
    clauses = []
    for section, noun in (("revenue", "收入"), ("expenditure", "支出")):
        if not content.section(section):
            continue
        ytd = content.computed_total(section, "ytd")
        budget = content.computed_total(section, "budget")
        clause = f"{noun}累计{_amount(ytd)}{unit}"
        if budget:
            clause += f"，完成预算的{_percent(ytd, budget)}%"
        last = content.computed_total(section, "last_year")
        if content.has_last_year and last > 0:
            change = (ytd - last) * 100 / last
            rounded = abs(change).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            clause += "，与上年同期持平" if rounded == 0 else f"，比上年同期{'增长' if change > 0 else '下降'}{rounded}%"
        clauses.append(clause)
    return f"{when}，{'；'.join(clauses)}。"


def _table(content: FinanceContent, section: str) -> TableBlock:
    columns = [
        TableColumn("科目编码", "left"), TableColumn("科目名称", "left", wrap=True),
        TableColumn("预算数", "right"), TableColumn("本期数", "right"), TableColumn("累计数", "right"),
    ]
    if content.has_last_year:
        columns.append(TableColumn("上年同期数", "right"))
    columns.append(TableColumn("完成预算%", "right"))
    if content.has_last_year:
        columns.append(TableColumn("同比增减%", "right"))
    rows = []
    for row in content.section(section):
        a = row.amounts
        cells = [row.code or "", row.name, _amount(a["budget"]), _amount(a["period"]), _amount(a["ytd"])]
        if content.has_last_year:
            cells.append(_amount(a["last_year"]))
        cells.append(_percent(a["ytd"], a["budget"]))
        if content.has_last_year:
            cells.append(_change(a["ytd"], a["last_year"]))
        rows.append(TableRow(cells, bold=row.is_total or row.level == 0, total=row.is_total, indent=max(row.level, 0)))
    return TableBlock(columns, rows)


def _chart(notice: Notice, content: FinanceContent, section: str, number: str) -> BarChart | None:
    categories = [r for r in content.section(section) if r.level == 0] or content.roots(section)
    if not categories:
        return None
    noun = SECTIONS[section]
    return BarChart(
        title=f"{number}、{noun}预算与累计完成对比（单位：{content.unit}）",
        categories=[r.name for r in categories],
        series=[("预算数", [float(r.amounts["budget"]) for r in categories], "budget"),
                ("累计数", [float(r.amounts["ytd"]) for r in categories], "actual")],
    )


def compose(notice: Notice) -> Composition:
    content: FinanceContent = notice.content  # type: ignore[assignment]
    meta = dates_meta(notice)
    meta.append(f"单位：{content.unit}")
    blocks: list = [Paragraph(_summary(notice, content), size="summary.size", first_indent=2)]
    sections = [s for s in SECTIONS if content.section(s)]
    numerals = iter("一二三四")
    for section in sections:
        table = _table(content, section)
        table.caption = f"{next(numerals)}、{SECTIONS[section]}情况（单位：{content.unit}）"
        blocks.append(table)
    for section in sections:
        chart = _chart(notice, content, section, next(numerals))
        if chart:
            blocks.append(chart)
    return Composition(blocks=blocks, meta=meta)


KIND = KindSpec(
    name="finance",
    label="财政收支",
    design="finance",
    keys={"unit": "金额单位"},
    columns=COLUMNS,
    load=load,
    check=check,
    texts=texts,
    compose=compose,
)
