"""finance: 财政收支情况 (SPEC §2), the quarterly revenue and expenditure disclosure.

Codes follow 政府收支分类科目: revenue codes start with 1, expenditure with 2;
3 digits is a 类, 5 a 款, 7 a 项, and a row's parent is the row whose code is its
longest present prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..layout.blocks import BarChart, ChartRow, Paragraph, TableColumn, TableRow
from ..layout.blocks import Table as TableBlock
from ..load import options
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec, parse_amount
from ..models import Notice, Period, Row, Settings, Table, Text, Workspace
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta, table_notes

AMOUNTS = ("budget", "period", "ytd", "last_year")
COLUMNS = [
    ColumnSpec(
        "code",
        "科目编码",
        required=False,
        aliases=("科目代码", "编码", "代码", "科目编号", "科目号", "功能分类科目编码", "预算科目编码"),
    ),
    ColumnSpec(
        "name",
        "科目名称",
        aliases=(
            "项目",
            "科目",
            "项目名称",
            "收入项目",
            "支出项目",
            "收入科目",
            "支出科目",
            "预算科目",
            "收支项目",
            "名称",
        ),
    ),
    ColumnSpec(
        "budget",
        "预算数",
        aliases=(
            "调整预算数",
            "调整后预算数",
            "调整预算",
            "本年预算数",
            "全年预算数",
            "年度预算数",
            "预算",
            "全年预算",
            "年度预算",
            "预算金额",
            "年初预算数",
            "年初预算",
        ),
    ),
    ColumnSpec(
        "period",
        "本期数",
        aliases=(
            "本期",
            "本月数",
            "本月",
            "本季数",
            "本季度数",
            "本季度",
            "本期执行数",
            "本月执行数",
            "本季执行数",
            "本期发生数",
            "本期发生额",
            "执行数本期",
            "执行数本月",
            "执行数本季",
            "本期完成",
            "本月完成",
        ),
    ),
    ColumnSpec(
        "ytd",
        "累计数",
        aliases=(
            "累计",
            "本年累计",
            "本年累计数",
            "累计执行数",
            "本年累计执行数",
            "执行数累计",
            "执行数本年累计",
            "累计完成",
            "本年累计完成",
            "年初至今累计",
            r"re:\d{1,2}(-|~|～|至|到|—)\d{1,2}月(累计)?(数|执行数|完成数)?",
        ),
    ),
    ColumnSpec(
        "last_year",
        "上年同期数",
        required=False,
        aliases=("上年同期", "去年同期", "上年同期累计", "上年同期执行数", "上年累计", "上年同期完成", "去年同期数"),
    ),
    # The clerk's own percentages: recomputed from the amounts, theirs compared with a warning.
    ColumnSpec(
        "budget_pct",
        "完成预算%",
        required=False,
        aliases=(
            "完成预算",
            "完成%",
            "完成率",
            "完成预算比例",
            "预算完成率",
            "执行率",
            "预算执行率",
            "占预算%",
            "累计完成预算%",
            "完成预算百分比",
        ),
    ),
    ColumnSpec(
        "change_pct",
        "同比增减%",
        required=False,
        aliases=(
            "同比增减",
            "同比增长%",
            "同比增长",
            "增减%",
            "增减率",
            "比上年同期增减%",
            "比上年同期增减",
            "同比±%",
            "同比",
            "比上年增减%",
            "比上年增减",
        ),
    ),
]
LABEL = {c.key: c.zh for c in COLUMNS}
SECTIONS = {"revenue": "收入", "expenditure": "支出"}
LEVELS = {3: 0, 5: 1, 7: 2}
LEVEL_NAMES = ("类", "款", "项", "目")
TOLERANCE = Decimal("0.01")
PERCENT_TOLERANCE = Decimal("0.1")
UNIT_IN_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}
UNIT = options.choice("unit", "金额单位", tuple(UNIT_IN_YUAN))
OPTIONS = Schema("通知文件", (UNIT,))
# Subtotals that township tables write without 合计 in the name (SPEC §2).
SUBTOTAL_NAMES = (
    "一般公共预算收入",
    "一般公共预算支出",
    "本年收入",
    "本年支出",
    "政府性基金预算收入",
    "政府性基金预算支出",
    "政府性基金收入",
    "政府性基金支出",
)
_NUMBERING = (
    (re.compile(r"^[一二三四五六七八九十百]+\s*[、.．]"), 0),
    (re.compile(r"^[（(]\s*[一二三四五六七八九十百]+\s*[）)]"), 1),
    (re.compile(r"^\d+\s*(、|[.．](?!\d))"), 2),
    (re.compile(r"^[（(]\s*\d+\s*[）)]"), 3),
)
_PARTIAL = re.compile(r"^其中\s*[:：]?")


@dataclass
class FinanceRow:
    source: Row
    code: str | None
    name: str
    amounts: dict[str, Decimal]
    section: str
    is_total: bool
    level: int  # 0 类, 1 款, 2 项, 3 目; -1 for a total
    bad: bool = False  # a cell did not read as a number: sums over this row are not checked
    grand: bool = False  # a total of its whole side (收入总计, or the side's last 合计)
    partial: bool = False  # 其中：…, a part of its parent that need not add up to it

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
    coded: bool = True  # 科目编码 given; otherwise levels come from numbering and indentation
    complete: bool = True  # the unit is right and every row has a name: sums mean something
    parents: dict[int, int] = field(default_factory=dict)  # row index -> parent row index

    def section(self, name: str) -> list[FinanceRow]:
        return [r for r in self.rows if r.section == name]

    def roots(self, section: str) -> list[FinanceRow]:
        indexes = [
            i for i, r in enumerate(self.rows) if r.section == section and not r.is_total and i not in self.parents
        ]
        return [self.rows[i] for i in indexes]

    def computed_total(self, section: str, key: str) -> Decimal:
        return sum((r.amounts[key] for r in self.roots(section)), Decimal(0))

    def total_span(self, index: int) -> list[FinanceRow]:
        """The 类 a total adds up: all of its side for a grand total, else those since the previous total."""
        total = self.rows[index]
        if total.grand:
            return self.roots(total.section)
        start = 0
        for earlier in range(index - 1, -1, -1):
            row = self.rows[earlier]
            if row.is_total and row.section == total.section:
                start = earlier + 1
                break
        return [
            r
            for i, r in enumerate(self.rows[start:index], start)
            if r.section == total.section and not r.is_total and i not in self.parents
        ]


def _numbering(name: str) -> int | None:
    for pattern, level in _NUMBERING:
        if pattern.match(name):
            return level
    return None


def _is_total_name(name: str) -> bool:
    return "合计" in name or "总计" in name or "小计" in name


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[FinanceContent | None, list[Problem]]:
    problems: list[Problem] = []
    assert table is not None
    unit, unit_right = _unit(reader, table, problems)
    if notice.period is None and not reader.has("period"):
        problems.append(
            warning(reader.where(), "没有写 period（所属期间，如 2026-Q1），无法核对累计数，小结也只能写「本期」。")
        )
    coded = table.column("code") is not None and any(row.text("code").strip() for row in table.rows)
    rows: list[FinanceRow] = []
    seen_codes: dict[str, Where] = {}
    complete = unit_right
    since_total = 0  # subjects since the previous total: a subtotal name with none above it is a heading
    for row in table.rows:
        name = row.text("name")
        code = row.text("code").replace(" ", "") or None
        if not name:
            problems.append(error(row.cells["name"].where, "科目名称是空的，请填写。"))
            complete = False
            continue
        # a coded row is a subject even when its name contains 合计 (e.g. 综合计划管理)
        is_total = code is None and (_is_total_name(name) or (name in SUBTOTAL_NAMES and since_total > 0))
        if not is_total and coded:
            if code is None:
                problems.append(
                    error(
                        row.cells["code"].where,
                        (
                            f"「{name}」缺少科目编码，而表中其他科目都有编码。类用3位、款用5位、项用7位编码；"
                            "合计行请在名称里写「合计」或「总计」。"
                        ),
                    )
                )
                complete = False
                continue
            if not code.isdigit() or len(code) not in LEVELS or code[0] not in "12":
                problems.append(
                    error(
                        row.cells["code"].where,
                        (
                            f"科目编码「{code}」不对：应为3位（类）、5位（款）或7位（项）数字，收入以1开头，支出以2开头。"
                        ),
                    )
                )
                complete = False
                continue
            if code in seen_codes:
                problems.append(
                    error(row.cells["code"].where, f"科目编码「{code}」重复出现（另见 {seen_codes[code]}）。")
                )
                complete = False
                continue
            seen_codes[code] = row.cells["code"].where
        amounts: dict[str, Decimal] = {}
        bad = False
        for key in AMOUNTS:
            cell = row.cells.get(key)
            if cell is None or not cell.text or cell.text in ("-", "—", "－"):
                amounts[key] = Decimal(0)
                continue
            value = parse_amount(cell.text)
            if value is None:
                problems.append(
                    error(
                        cell.where, f"「{LABEL[key]}」应当是数字，现在是「{cell.text}」。请只填数字，可以带千分位逗号。"
                    )
                )
                bad = True
                value = Decimal(0)
            amounts[key] = value
        level = -1 if is_total else (LEVELS[len(code)] if code else 0)
        since_total = 0 if is_total else since_total + 1
        rows.append(
            FinanceRow(
                row, code, name, amounts, "revenue", is_total, level, bad=bad, partial=bool(_PARTIAL.match(name))
            )
        )
    content = FinanceContent(unit, table, rows, table.column("last_year") is not None, coded=coded, complete=complete)
    _sections(content, problems)
    if coded:
        by_code = {r.code: i for i, r in enumerate(rows) if r.code and not r.is_total}
        for index, subject in enumerate(rows):
            if subject.code and not subject.is_total:
                for length in (5, 3):
                    if length < len(subject.code) and subject.code[:length] in by_code:
                        content.parents[index] = by_code[subject.code[:length]]
                        break
    else:
        _levels(content)
    _grand_totals(content)
    _percent_columns(content, problems)
    sides = {r.section for r in rows if not r.is_total}
    if rows and len(sides) == 1:
        have, lack = ("收入", "支出") if "revenue" in sides else ("支出", "收入")
        problems.append(
            warning(
                notice.at("data"),
                (
                    f"表格里只有{have}，没有{lack}。如果{lack}在另一个工作表，请把 sheet 写成列表，"
                    "例如 sheet: [收入, 支出]；"
                    f"如果本期只公开{have}，可以不管这条提醒。"
                ),
            )
        )
    return content, problems


def _unit(reader: Values, table: Table, problems: list[Problem]) -> tuple[str, bool]:
    """The notice's unit, cross-checked against every unit the sheet names; the sheet's when the notice names none."""
    given = reader[UNIT]
    right = not reader.has("unit") or given is not None
    written = [u for u in table.units]
    for unit in written:
        if unit.value not in UNIT_IN_YUAN:
            problems.append(
                error(unit.where, f"表格写的单位是「{unit.value}」，公示只能用元或万元：请把表格换算成元或万元。")
            )
            return given or "元", False
    sheet_units = {u.value for u in written}
    if len(sheet_units) > 1:
        first = written[0]
        other = next(u for u in written if u.value != first.value)
        problems.append(
            error(
                other.where,
                (f"表格里写了两种单位：{first.where} 是「{first.value}」，这里是「{other.value}」。请统一成一种单位。"),
            )
        )
        return given or first.value, False
    if written and given and written[0].value != given:
        problems.append(
            error(
                written[0].where,
                (
                    f"表格写的是单位「{written[0].value}」，但通知文件的 unit 写的是「{given}」。"
                    f"请把 unit 改成 {written[0].value}，或把表格换算成{given}。"
                ),
            )
        )
        return given, False
    return given or (written[0].value if written else "元"), right


def _sections(content: FinanceContent, problems: list[Problem]) -> None:
    """Revenue or expenditure for every row: by code where there is one, else by position.

    Rows above the revenue total are revenue (SPEC §2): the split is after the last total
    that names 收入, else where the second of two side-by-side tables or sheets begins,
    else after the first total that names no side.
    """
    rows = content.rows
    totals = [i for i, r in enumerate(rows) if r.is_total]
    named = [i for i in totals if "收入" in rows[i].name]
    split: int | None = None
    if named:
        split = named[-1] + 1
    elif content.table.parts > 1:
        split = next((i for i, r in enumerate(rows) if r.source.part > 0), None)
    else:
        plain = [i for i in totals if "支出" not in rows[i].name]
        if plain and any(not r.is_total for r in rows[plain[0] + 1 :]):
            split = plain[0] + 1
    first_subject = next((r for r in rows if not r.is_total), None)
    starts_with_expenditure = (
        split is None
        and first_subject is not None
        and "支出" in first_subject.name
        and "收入" not in first_subject.name
    )
    for index, row in enumerate(rows):
        if row.code:
            row.section = "revenue" if row.code[0] == "1" else "expenditure"
        elif row.is_total and "支出" in row.name and "收入" not in row.name:
            row.section = "expenditure"
        elif row.is_total and "收入" in row.name and "支出" not in row.name:
            row.section = "revenue"
        elif starts_with_expenditure or (split is not None and index >= split):
            row.section = "expenditure"
        else:
            row.section = "revenue"


def _levels(content: FinanceContent) -> None:
    """Levels and parents of a table without codes, from 一、（一）1.（1） numbering and indentation."""
    rows = content.rows
    used = sorted({n for r in rows if not r.is_total and (n := _numbering(r.name)) is not None})
    rank = {n: i for i, n in enumerate(used)}  # a table numbered only （一） and 1. starts at （一）
    stack: list[tuple[int, int, int]] = []  # (indent, level, row index) of the rows above that may be parents
    last_numbered: int | None = None
    for index, row in enumerate(rows):
        if row.is_total:
            stack, last_numbered = [], None
            continue
        if (index and rows[index - 1].source.part != row.source.part) or (
            index and rows[index - 1].section != row.section
        ):
            stack, last_numbered = [], None
        indent = row.source.cells["name"].indent
        number = _numbering(row.name)
        if number is not None:
            level = rank[number]
            last_numbered = level
            stack = [entry for entry in stack if entry[1] < level]
        elif stack and indent > stack[-1][0]:
            level = stack[-1][1] + 1
        elif stack and indent > 0:
            while stack and stack[-1][0] >= indent:
                stack.pop()
            level = stack[-1][1] + 1 if stack else 0
        elif last_numbered is not None and indent == 0 and stack and stack[-1][0] == 0:
            # 一、税收收入 then an unindented 增值税: under the numbered row (CSV loses indentation)
            level = last_numbered + 1
            stack = [entry for entry in stack if entry[1] < level]
        else:
            level = 0
            stack = []
        row.level = min(level, len(LEVEL_NAMES) - 1)
        parent = next((entry[2] for entry in reversed(stack) if entry[1] < row.level), None)
        if parent is not None:
            content.parents[index] = parent
        stack.append((indent, row.level, index))


def _grand_totals(content: FinanceContent) -> None:
    for section in SECTIONS:
        totals = [r for r in content.rows if r.is_total and r.section == section]
        if not totals:
            continue
        named = [r for r in totals if "总计" in r.name]
        (named[-1] if named else totals[-1]).grand = True


def _clerk_percent(text: str) -> Decimal | None:
    value = text.strip().rstrip("%％").strip()
    if not value or value in ("-", "—", "－"):
        return None
    return parse_amount(value)


def _percent_columns(content: FinanceContent, problems: list[Problem]) -> None:
    """The clerk's 完成预算% and 同比增减% are recomputed; theirs is compared, and a difference warned of."""
    for row in content.rows:
        if row.bad:
            continue
        for key, computed in (
            ("budget_pct", _percent(row.amounts["ytd"], row.amounts["budget"])),
            ("change_pct", _change(row.amounts["ytd"], row.amounts["last_year"])),
        ):
            cell = row.source.cells.get(key)
            if cell is None or not cell.text:
                continue
            theirs = _clerk_percent(cell.text)
            if computed == "—" or theirs is None:
                continue
            ours = Decimal(computed)
            # Excel stores 21.5% as 0.215: either reading that matches is the clerk's number
            if min(abs(theirs - ours), abs(theirs * 100 - ours)) > PERCENT_TOLERANCE:
                written = cell.text
                if "%" not in written and "％" not in written and abs(theirs) <= Decimal("1.5"):
                    written = f"{(theirs * 100).normalize():f}%（单元格里是 {cell.text}）"
                problems.append(
                    warning(
                        cell.where,
                        (
                            f"「{row.label}」的{LABEL[key]}表中写的是 {written}，按表中金额算是 {computed}%，"
                            f"海报印的是算出的 {computed}%。请核对这一格的公式。"
                        ),
                    )
                )


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def _differs(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) > TOLERANCE


def _previous_notice(notice: Notice, workspace: Workspace) -> Notice | None:
    previous = notice.period.previous() if notice.period else None
    if previous is None:
        return None
    for other in workspace.notices:
        if (
            other is not notice
            and other.kind == "finance"
            and other.period == previous
            and other.catalogue == notice.catalogue
            and other.issuer.value == notice.issuer.value
            and isinstance(other.content, FinanceContent)
            and other.content.complete
            and not any(r.bad for r in other.content.rows)
        ):
            return other
    return None


def check(notice: Notice, content: FinanceContent | None, workspace: Workspace) -> list[Problem]:
    if content is None:
        return []
    problems: list[Problem] = []
    if not content.complete:
        return []  # a wrong unit or a row without a name makes every sum meaningless; fix those first
    keys = [k for k in AMOUNTS if k != "last_year" or content.has_last_year]
    unit = content.unit
    children: dict[int, list[int]] = {}
    for child, parent in content.parents.items():
        children.setdefault(parent, []).append(child)
    # A cell that is not a number is reported where it is; every sum it does not take part in
    # is still checked, so that fixing one error does not bring up the next.
    for parent, kids in children.items():
        row = content.rows[parent]
        if row.bad or any(content.rows[k].bad or content.rows[k].partial for k in kids):
            continue
        names = LEVEL_NAMES[min(row.level + 1, len(LEVEL_NAMES) - 1)]
        for key in keys:
            total = sum((content.rows[k].amounts[key] for k in kids), Decimal(0))
            if _differs(row.amounts[key], total):
                problems.append(
                    error(
                        row.cell(key),
                        (
                            f"「{row.label}」的{LABEL[key]}是 {_amount(row.amounts[key])}{unit}，但其下各{names}之和是 "
                            f"{_amount(total)}{unit}，相差 {_amount(row.amounts[key] - total)}{unit}。"
                            "请核对这一行和它下面的明细。"
                        ),
                    )
                )
    bad_sides = {r.section for r in content.rows if r.bad}
    for index, row in enumerate(content.rows):
        if row.is_total and row.section not in bad_sides:
            section = SECTIONS[row.section]
            span = content.total_span(index)
            what = f"各{section}类之和" if row.grand else f"上面各{section}类（自上一个合计行以来）之和"
            for key in keys:
                computed = sum((r.amounts[key] for r in span), Decimal(0))
                if _differs(row.amounts[key], computed):
                    problems.append(
                        error(
                            row.cell(key),
                            (
                                f"「{row.name}」的{LABEL[key]}是 {_amount(row.amounts[key])}{unit}，但{what}是 "
                                f"{_amount(computed)}{unit}，相差 {_amount(row.amounts[key] - computed)}{unit}。"
                            ),
                        )
                    )
        if row.bad:
            continue
        if row.amounts["ytd"] < row.amounts["period"] - TOLERANCE:
            problems.append(
                error(
                    row.cell("ytd"),
                    (
                        f"「{row.label}」的累计数 {_amount(row.amounts['ytd'])} 小于本期数 "
                        f"{_amount(row.amounts['period'])}，"
                        "累计数应包含本期数，请核对。"
                    ),
                )
            )
        elif notice.period and notice.period.is_first and _differs(row.amounts["ytd"], row.amounts["period"]):
            problems.append(
                error(
                    row.cell("ytd"),
                    (
                        f"{notice.period.label()}是本年第一期，「{row.label}」的累计数应等于本期数 "
                        f"{_amount(row.amounts['period'])}，现在是 {_amount(row.amounts['ytd'])}。"
                    ),
                )
            )
    problems += _check_chain(notice, content, workspace)
    return problems


def _check_chain(notice: Notice, content: FinanceContent, workspace: Workspace) -> list[Problem]:
    previous = _previous_notice(notice, workspace)
    if previous is None:
        return []
    before = KIND.content(previous)
    factor = UNIT_IN_YUAN[before.unit] / UNIT_IN_YUAN[content.unit]
    earlier = {(r.section, r.code or r.name): r for r in before.rows}
    problems = []
    for row in content.rows:
        if row.bad:
            continue
        match = earlier.get((row.section, row.code or row.name))
        prior = match.amounts["ytd"] * factor if match else Decimal(0)
        expected = prior + row.amounts["period"]
        if _differs(row.amounts["ytd"], expected):
            problems.append(
                error(
                    row.cell("ytd"),
                    (
                        f"「{row.label}」的累计数应等于上期（{previous.period}，{previous.file}）"
                        f"累计数 {_amount(prior)} "
                        f"加本期数 {_amount(row.amounts['period'])}，即 {_amount(expected)}，"
                        f"现在是 {_amount(row.amounts['ytd'])}。"
                    ),
                )
            )
    return problems


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
            clause += (
                "，与上年同期持平" if rounded == 0 else f"，比上年同期{'增长' if change > 0 else '下降'}{rounded}%"
            )
        clauses.append(clause)
    return f"{when}，{'；'.join(clauses)}。"


def _table(content: FinanceContent, section: str) -> TableBlock:
    columns = [TableColumn("科目编码", "left")] if content.coded else []
    columns += [
        TableColumn("科目名称", "left", wrap=True),
        TableColumn("预算数", "right"),
        TableColumn("本期数", "right"),
        TableColumn("累计数", "right"),
    ]
    if content.has_last_year:
        columns.append(TableColumn("上年同期数", "right"))
    columns.append(TableColumn("完成预算%", "right"))
    if content.has_last_year:
        columns.append(TableColumn("同比增减%", "right"))
    rows = []
    for row in content.section(section):
        a = row.amounts
        cells = [row.code or ""] if content.coded else []
        cells += [row.name, _amount(a["budget"]), _amount(a["period"]), _amount(a["ytd"])]
        if content.has_last_year:
            cells.append(_amount(a["last_year"]))
        cells.append(_percent(a["ytd"], a["budget"]))
        if content.has_last_year:
            cells.append(_change(a["ytd"], a["last_year"]))
        sources = {
            index: row.source.cells[key].where
            for index, key in enumerate(["code", "name"][not content.coded :])
            if key in row.source.cells
        }
        rows.append(
            TableRow(
                cells,
                bold=row.is_total or row.level == 0,
                total=row.is_total,
                indent=max(row.level, 0),
                sources=sources,
            )
        )
    return TableBlock(columns, rows)


def elapsed_share(period: Period | None) -> float | None:
    """序时进度: the share of the year gone by at the end of the period (Q1 25%, March 3/12, a year 100%)."""
    if period is None:
        return None
    if period.quarter:
        return period.quarter / 4
    if period.month:
        return period.month / 12
    return 1.0


def _chart(notice: Notice, content: FinanceContent, section: str, number: str) -> BarChart | None:
    categories = [r for r in content.section(section) if r.level == 0] or content.roots(section)
    if not categories:
        return None
    noun = SECTIONS[section]
    return BarChart(
        title=f"{number}、{noun}预算完成进度",
        rows=[
            ChartRow(
                r.name,
                float(r.amounts["budget"]),
                float(r.amounts["ytd"]),
                _amount(r.amounts["budget"]),
                _amount(r.amounts["ytd"]),
                _percent(r.amounts["ytd"], r.amounts["budget"]),
            )
            for r in categories
        ],
        elapsed=elapsed_share(notice.period),
        sources=tuple(Text(r.name, r.source.cells["name"].where) for r in categories if "name" in r.source.cells),
    )


def _grid(tables: list[TableBlock]) -> None:
    """The revenue and the expenditure table are one kind of table: both take their column widths from the
    rows of both (Table.all_rows), so 科目, 预算数, 本期数 … line up down the sheet."""
    every = [row for table in tables for row in table.rows]
    for table in tables:
        table.all_rows = every


def compose(notice: Notice, content: FinanceContent) -> Composition:
    # the unit is said once, in the meta line every sheet carries; captions and chart titles do not repeat it
    meta = dates_meta(notice)
    meta.append(f"单位：{content.unit}")
    blocks: list = [Paragraph(_summary(notice, content), size="summary.size", first_indent=2)]
    sections = [s for s in SECTIONS if content.section(s)]
    numerals = iter("一二三四")
    tables = []
    for section in sections:
        table = _table(content, section)
        table.caption = f"{next(numerals)}、{SECTIONS[section]}情况"
        tables.append(table)
    _grid(tables)
    blocks += tables
    blocks += table_notes(content.table)
    charts = [c for section in sections if (c := _chart(notice, content, section, next(numerals)))]
    every = [row for chart in charts for row in chart.rows]
    for chart in charts:  # one axis for both charts: the same plot and figures columns, the same 100% end
        chart.all_rows = every
    blocks += charts
    return Composition(blocks=blocks, meta=meta)


KIND = KindSpec(
    name="finance",
    label="财政收支",
    design="finance",
    options=OPTIONS,
    content=FinanceContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
)
