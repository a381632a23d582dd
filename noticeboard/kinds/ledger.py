"""ledger: 村级财务收支公开 (SPEC §2), the village's own accounts, item by item.

The table is a 收支明细 as a 三资 platform exports it or a 村会计 keeps it in Excel: one row
per entry (日期, 凭证号, 收支类别 or 科目, 摘要, 收入金额, 支出金额, 经手人, 证明人), with
rows that are not entries mixed in wherever the clerk put them:

- balance rows, named 期初余额/上期结余 (opening) and 期末余额/本期结余 (closing), the name in
  the 摘要, 科目 or 日期 column and the amount in 余额, 收入 or 支出 (the first filled);
- total rows (本月合计, 本期收入合计, 支出合计, 本年累计 …), recognised by name in the same places;
- trailing notes (注：…) and signature lines (制表人：… 审核人：…), printed under the table.

Everything the villager is told is computed here: the balance line is opening + income −
expense, never the clerk's figure; the clerk's totals and closing balance are checked against
it (errors at the cell). Negative amounts, written -180 or (180.00), are 红字冲销 (a correction
of an earlier entry): accepted, summed as negative, printed with a minus and explained.

``opening_balance`` and ``closing_balance`` give the balances when the table does not carry them.
A ledger of a 一事一议 project or of a 专项资金 is the same kind with its own title and period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..layout.blocks import NOTE, SIGNATURE, Paragraph, TableColumn, TableRow
from ..layout.blocks import Table as TableBlock
from ..layout.stats import Stat, StatStrip
from ..load import options
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec, parse_amount
from ..models import Cell, Notice, Period, Row, Settings, Table, Text, Workspace
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta

COLUMNS = [
    ColumnSpec("date", "日期", aliases=("记账日期", "凭证日期", "业务日期", "发生日期", "入账日期")),
    ColumnSpec(
        "voucher",
        "凭证号",
        required=False,
        aliases=("凭证编号", "凭证字号", "凭证号码", "记账凭证号", "凭证字", "凭证"),
    ),
    ColumnSpec(
        "account",
        "收支类别",
        required=False,
        aliases=("科目", "会计科目", "科目名称", "收支科目", "收支项目", "收支类型", "类别"),
    ),
    ColumnSpec("summary", "摘要", aliases=("事由", "摘要说明", "收支事由", "收支内容", "内容")),
    ColumnSpec("income", "收入金额", aliases=("收入", "收入金额(元)", "收入(元)", "借方金额", "借方", "借方金额(元)")),
    ColumnSpec("expense", "支出金额", aliases=("支出", "支出金额(元)", "支出(元)", "贷方金额", "贷方", "贷方金额(元)")),
    ColumnSpec("balance", "余额", required=False, aliases=("余额(元)", "结余", "结存")),
    ColumnSpec("handler", "经手人", required=False, aliases=("经办人", "报账人")),
    ColumnSpec(
        "witness",
        "证明人",
        required=False,
        aliases=("证明人(审核人)", "审核人", "证明人/审核人", "验收人", "证明(验收)人"),
    ),
]
LABEL = {c.key: c.zh for c in COLUMNS}
# amounts in 元 where the table does not carry them; written as text so that 1,200.00 reads as the clerk means it
OPTIONS = Schema("通知文件", (options.text("opening_balance", "期初余额"), options.text("closing_balance", "期末余额")))
KEYS = OPTIONS.keys
LABEL_KEYS = ("summary", "account", "date", "voucher")  # where a clerk writes 期初余额 or 本月合计
TEXT_KEYS = ("voucher", "account", "summary", "handler", "witness")
TOLERANCE = Decimal("0.005")  # amounts are in 元 to the 分
CENT = Decimal("0.01")
OBJECTION = "对公开内容有异议的，请在公示期内向村务监督委员会反映"
CORRECTION_NOTE = "注：金额前带「-」的是红字冲销，即冲减（更正）以前记错或退回的款项。"

_PAREN = re.compile(r"[（(][^）)]*[）)]")
_OPENING = re.compile(r"(期初|上期|上月|上季度?|上年|年初|月初|季初)(余额|结余|结存|结转|结转余额)")
_CLOSING = re.compile(r"(期末|本期|本月|本季度?|本年|月末|季末|年末)(余额|结余|结存)")
_TOTAL = re.compile(r"(本月|本期|本季度?|当月|当期|本年|全年|当年)?(发生额)?(收入|支出)?(发生额)?(合计|小计|总计)")
_CUMULATIVE = re.compile(r"(本年|本季度?)?累计(收入|支出)?(发生额)?(合计)?")
_MONTH_TOTAL = re.compile(r"(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(发生额)?(收入|支出)?(发生额)?(合计|小计)")
_MONTHS = {name: number for number, name in enumerate("一二三四五六七八九", start=1)} | {
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_NOTE = re.compile(r"^(注|说明|备注|附注)\s*[0-9一二三四五六七八九十]*\s*[：:]")
_SIGNATURE = re.compile(
    r"^(制表人?|填表人|编制人|审核人?|复核人?|会计|出纳|报账员|记账人?|村会计|负责人|"
    r"主管|村务监督委员会主任|监委会主任|填报日期|制表日期|编制日期|日期)\s*[：:]"
)
_EMPTY = {"", "-", "—", "——", "－", "/", "／"}
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SERIAL = re.compile(r"^(\d{5})(\.0+)?$")  # a date cell Excel saved as a number (常规 format): days since 1899-12-30
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Entry:
    source: Row
    date: dt.date
    income: Decimal | None
    expense: Decimal | None
    balance: Decimal | None  # the clerk's running balance, when the table has a 余额 column

    def cell(self, key: str) -> Cell:
        return self.source.cells.get(key) or next(iter(self.source.cells.values()))

    def text(self, key: str) -> str:
        return self.source.text(key).strip()


@dataclass
class Given:
    """A row the clerk wrote that is not an entry: a balance or a total, with its amounts as given."""

    source: Row
    label: str  # as written, e.g. 本月收入合计
    label_key: str  # the column it was written in
    side: str | None  # "income", "expense", or None for both (本月合计)
    amounts: dict[str, Decimal]  # key -> value, only the filled ones
    month: int | None = None  # a quarter's or a year's 1月合计: the total of that month's entries only

    def amount_cell(self, keys: Iterable[str]) -> tuple[str, Decimal] | None:
        for key in keys:
            if key in self.amounts:
                return key, self.amounts[key]
        return None


@dataclass
class LedgerContent:
    table: Table
    entries: list[Entry]  # in date order (file order within a day)
    opening: Decimal | None
    opening_where: Where | None
    opening_label: str | None
    closing_given: Decimal | None
    closing_where: Where | None
    closing_label: str | None  # the clerk's name for it; None where the table has no closing row
    totals: list[Given]
    cumulative: list[Given]
    notes: list[Text]
    signatures: list[Text]
    has: set[str]  # optional columns present
    complete: bool = True  # every entry loaded: sums are only checked over a complete ledger

    @property
    def income(self) -> Decimal:
        return sum((e.income for e in self.entries if e.income is not None), Decimal(0))

    @property
    def expense(self) -> Decimal:
        return sum((e.expense for e in self.entries if e.expense is not None), Decimal(0))

    def total_of(self, side: str, month: int | None = None) -> Decimal:
        """The sum of one side's entries, over the period or over one month of it."""
        return sum(
            (
                getattr(e, side)
                for e in self.entries
                if getattr(e, side) is not None and (month is None or e.date.month == month)
            ),
            Decimal(0),
        )

    @property
    def closing(self) -> Decimal | None:
        """Computed, never copied: opening + income − expense."""
        return None if self.opening is None else self.opening + self.income - self.expense

    @property
    def has_corrections(self) -> bool:
        return any((e.income or 0) < 0 or (e.expense or 0) < 0 for e in self.entries)


def amount(value: Decimal) -> str:
    """12,345.60, with a minus for a 红字冲销."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def _label(text: str) -> str:
    """A cell as a row name: no spaces, no bracketed asides (本月（本期）收入合计 → 本月收入合计)."""
    return _PAREN.sub("", re.sub(r"\s+", "", text)).strip("：:")


def _row_kind(row: Row, period: Period | None) -> tuple[str, str, str, str | None] | None:
    """("opening"|"closing"|"total"|"cumulative", label as written, column key, side) for a named row.

    本年收入合计 totals a year's ledger; in a month's or a quarter's it is the year so far (累计)."""
    for key in LABEL_KEYS:
        written = row.text(key).strip()
        name = _label(written)
        if not name or len(name) > 16:
            continue
        if _OPENING.fullmatch(name):
            return "opening", written, key, None
        if _CLOSING.fullmatch(name):
            return "closing", written, key, None
        if match := _TOTAL.fullmatch(name):
            yearly = match[1] in ("本年", "全年", "当年") and period is not None and (period.month or period.quarter)
            return (
                "cumulative" if yearly else "total",
                written,
                key,
                {"收入": "income", "支出": "expense"}.get(match[3] or ""),
            )
        if match := _CUMULATIVE.fullmatch(name):
            return "cumulative", written, key, {"收入": "income", "支出": "expense"}.get(match[2] or "")
        if match := _MONTH_TOTAL.fullmatch(name):
            month = int(match[1]) if match[1].isdigit() else _MONTHS[match[1]]
            if 1 <= month <= 12:
                return f"month{month}", written, key, {"收入": "income", "支出": "expense"}.get(match[3] or "")
    return None


def _trailer(row: Row, table: Table) -> tuple[str, str] | None:
    """("note"|"signature", the row's text as one line) for a 注： or a 制表人： row."""
    cells = [
        row.cells[c.key].text.strip() for c in table.columns if row.cells.get(c.key) and row.cells[c.key].text.strip()
    ]
    if not cells:
        return None
    if _NOTE.match(cells[0]):
        return "note", "".join(cells) if len(cells) == 1 else "　".join(cells)
    if any(_SIGNATURE.match(c) for c in cells):
        return "signature", "　　".join(cells)
    return None


def period_bounds(period: Period) -> tuple[dt.date, dt.date]:
    if period.quarter:
        first, last = period.quarter * 3 - 2, period.quarter * 3
    elif period.month:
        first = last = period.month
    else:
        first, last = 1, 12
    return dt.date(period.year, first, 1), dt.date(period.year, last, calendar.monthrange(period.year, last)[1])


def parse_day(text: str, period: Period | None) -> dt.date | None:
    """2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305; 3月5日 or 3-5 in the period's year."""
    text = text.strip()
    try:
        if match := _YMD.match(text) or _COMPACT.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if (match := _MD.match(text)) and period is not None:
            return dt.date(period.year, int(match[1]), int(match[2]))
        if (match := _SERIAL.match(text)) and 36526 <= int(match[1]) <= 73051:  # 2000-01-01 … 2099-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(match[1]))
    except ValueError:
        return None
    return None


def _parse(cell: Cell | None, key: str, problems: list[Problem]) -> tuple[Decimal | None, bool]:
    """(value or None when empty, ok). Zero counts as empty: exports fill the other column with 0.00."""
    if cell is None or cell.text.strip() in _EMPTY:
        return None, True
    value = parse_amount(cell.text.strip().removesuffix("元"))  # 180元, as some clerks type it
    if value is None:
        problems.append(
            error(
                cell.where,
                (
                    f"「{LABEL[key]}」应当是金额，现在是「{cell.text}」。请只填数字，如 1,280.00；"
                    "红字冲销写成 -180.00 或 (180.00)。"
                ),
            )
        )
        return None, False
    return (value if value != 0 else None), True


def _key_amount(reader: Values, key: str, problems: list[Problem]) -> Decimal | None:
    text = reader[key]
    if text is None:
        return None
    value = parse_amount(text)
    if value is None:
        problems.append(error(reader.where(key), f"「{key}」（{KEYS[key]}）应当是金额，现在是「{text}」。"))
    return value


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[LedgerContent | None, list[Problem]]:
    assert table is not None
    problems: list[Problem] = []
    period = notice.period
    if period is None and not reader.has("period"):
        problems.append(
            error(
                reader.where(),
                (
                    "村级财务公开要写 period（所属期间），如 2026-03（月）、2026-Q1（季度）或 2026（全年），"
                    "才能核对每一笔的日期。"
                ),
            )
        )
    # a column this kind does not print is named by the table reader, as for every kind
    has = {key for key in ("voucher", "account", "balance", "handler", "witness") if table.column(key)}
    entries: list[Entry] = []
    opening = closing = None
    opening_where = closing_where = None
    opening_label, closing_label = None, None
    totals: list[Given] = []
    cumulative: list[Given] = []
    # the reader has already taken the 注： and 制表人： rows under the table; a trailer the
    # clerk wrote inside the table (between entries) is still caught row by row below
    notes: list[Text] = list(table.notes)
    signatures: list[Text] = list(table.signatures)
    complete = True
    for row in table.rows:
        if trailer := _trailer(row, table):
            first = next(c for c in row.cells.values() if c.text.strip())
            (notes if trailer[0] == "note" else signatures).append(Text(trailer[1], first.where))
            continue
        named = _row_kind(row, period)
        if named is not None:
            what, written, key, side = named
            amounts: dict[str, Decimal] = {}
            for amount_key in ("income", "expense", "balance"):
                value, ok = _parse(row.cells.get(amount_key), amount_key, problems)
                complete &= ok
                if value is not None:
                    amounts[amount_key] = value
            given = Given(row, written, key, side, amounts)
            if what.startswith("month"):  # 1月合计 in a quarter's ledger; in March's own ledger, 3月合计 is 本月合计
                given.month = int(what[5:]) if not (period and period.month) else None
                what = "total"
            if what in ("opening", "closing"):
                found = given.amount_cell(("balance", "income", "expense"))
                value, where = (found[1], row.cells[found[0]].where) if found else (Decimal(0), row.cells[key].where)
                if what == "opening":
                    if opening is not None:
                        problems.append(
                            error(row.cells[key].where, f"期初余额写了两行（另见 {opening_where}），请删去一行。")
                        )
                    opening, opening_where, opening_label = value, where, written
                else:
                    if closing is not None:
                        problems.append(
                            error(row.cells[key].where, f"期末余额写了两行（另见 {closing_where}），请删去一行。")
                        )
                    closing, closing_where, closing_label = value, where, written
            else:
                (totals if what == "total" else cumulative).append(given)
            continue
        entry = _entry(row, period, has, problems)
        if entry is None:
            complete = False
        else:
            entries.append(entry)
    opening, opening_where = _from_key(reader, "opening_balance", opening, opening_where, problems)
    closing, closing_where = _from_key(reader, "closing_balance", closing, closing_where, problems)
    if opening is None:
        problems.append(
            error(
                table.header_where,
                (
                    "没有期初余额，算不出本期结余：请在第一笔之前加一行「期初余额」（或「上期结余」）并填上金额，"
                    "或在通知文件中写 opening_balance: 金额（新设的账写 0）。"
                ),
            )
        )
    if not entries and not any(p.is_error for p in problems):
        problems.append(error(table.header_where, f"数据表 {table.display} 里没有一笔收支，只有余额或合计行。"))
    entries.sort(key=lambda e: e.date)  # stable: file order within a day
    content = LedgerContent(
        table,
        entries,
        opening,
        opening_where,
        opening_label,
        closing,
        closing_where,
        closing_label,
        totals,
        cumulative,
        notes,
        signatures,
        has,
        complete=complete and not any(p.is_error for p in problems),
    )
    return content, problems


def _from_key(
    reader: Values, key: str, value: Decimal | None, where: Where | None, problems: list[Problem]
) -> tuple[Decimal | None, Where | None]:
    """A balance from the notice file, where the table does not carry it; both must agree."""
    if not reader.has(key):
        return value, where
    given = _key_amount(reader, key, problems)
    if given is None:
        return value, where
    if value is not None and abs(value - given) > TOLERANCE:
        problems.append(
            error(
                reader.where(key),
                (
                    f"「{key}」写的是 {amount(given)} 元，但表中（{where}）是 {amount(value)} 元。两处只留一处，"
                    "或改成一致。"
                ),
            )
        )
        return value, where
    return given, reader.where(key) if value is None else where


def _entry(row: Row, period: Period | None, has: set[str], problems: list[Problem]) -> Entry | None:
    ok = True
    date_cell = row.cells["date"]
    summary = row.text("summary").strip()
    what = f"「{summary}」" if summary else "这一笔"
    day = None
    if not date_cell.text.strip():
        problems.append(error(date_cell.where, f"{what}没有日期，请填上记账日期，如 2026-03-05。"))
        ok = False
    else:
        day = parse_day(date_cell.text, period)
        if day is None:
            problems.append(
                error(date_cell.where, (f"日期「{date_cell.text}」看不懂，请写成 2026-03-05 或 2026年3月5日。"))
            )
            ok = False
        elif period is not None:
            start, end = period_bounds(period)
            if not start <= day <= end:
                problems.append(
                    error(
                        date_cell.where,
                        (
                            f"{what}的日期 {day.isoformat()} 不在所属期间{period.label()}"
                            f"（{start.isoformat()} 至 {end.isoformat()}）内。请核对日期；"
                            "别的期间的账请放到那一期的公示里。"
                        ),
                    )
                )
    if not summary:
        problems.append(error(row.cells["summary"].where, "摘要是空的：每一笔都要写明收支事由，村民才看得懂。"))
    income, income_ok = _parse(row.cells.get("income"), "income", problems)
    expense, expense_ok = _parse(row.cells.get("expense"), "expense", problems)
    balance, balance_ok = _parse(row.cells.get("balance"), "balance", problems) if "balance" in has else (None, True)
    if income_ok and expense_ok:
        if income is not None and expense is not None:
            problems.append(
                error(
                    row.cells["income"].where,
                    (
                        f"{what}同时填了收入 {amount(income)} 元和支出 {amount(expense)} 元。一笔账只能是收入或支出："
                        "请拆成两行，或删去其中一个金额。"
                    ),
                )
            )
            ok = False
        elif income is None and expense is None:
            problems.append(
                error(
                    row.cells["income"].where,
                    (f"{what}既没有收入金额也没有支出金额，请填上金额。如果这一行是说明文字，请写成「注：……」。"),
                )
            )
            ok = False
    if not (ok and income_ok and expense_ok and balance_ok) or day is None:
        return None
    return Entry(row, day, income, expense, balance)


def _previous(notice: Notice, workspace: Workspace) -> Notice | None:
    previous = notice.period.previous() if notice.period else None
    if previous is None or notice.catalogue is None:
        return None
    for other in workspace.notices:
        if (
            other is not notice
            and other.kind == "ledger"
            and other.period == previous
            and other.catalogue == notice.catalogue
            and other.issuer.value == notice.issuer.value
            and isinstance(other.content, LedgerContent)
            and other.content.complete
        ):
            return other
    return None


def check(notice: Notice, content: LedgerContent | None, workspace: Workspace) -> list[Problem]:
    if content is None or not content.complete:
        return []  # an entry that did not load would make every sum look wrong: fix the load errors first
    problems: list[Problem] = []
    income, expense = content.income, content.expense
    sums = {"income": ("收入", income), "expense": ("支出", expense)}
    for given in content.totals + ([] if notice.period is None or not notice.period.is_first else content.cumulative):
        sides = [given.side] if given.side else ["income", "expense"]
        for side in sides:
            noun, computed = sums[side]
            if given.month is not None:
                noun, computed = f"{given.month}月{noun}", content.total_of(side, given.month)
            keys = (side, "balance", "income", "expense") if given.side else (side,)
            found = given.amount_cell(keys)
            if found is None:
                if given.side or computed != 0:
                    problems.append(
                        error(
                            given.source.cells[given.label_key].where,
                            f"「{given.label}」这一行没有{noun}金额，请填上（本期各笔{noun}之和是 {amount(computed)} "
                            "元）"
                            "。",
                        )
                    )
                continue
            key, value = found
            if abs(value - computed) > TOLERANCE:
                problems.append(
                    error(
                        given.source.cells[key].where,
                        (
                            f"「{given.label}」的{noun.removeprefix(f'{given.month}月') if given.month else noun}是 "
                            f"{amount(value)} 元，"
                            f"但{'本期' if given.month is None else ''}各笔{noun}之和是 {amount(computed)} 元，"
                            f"相差 {amount(value - computed)} 元。请核对这一行和上面各笔的金额。"
                        ),
                    )
                )
    closing, opening = content.closing, content.opening  # a closing is computed from an opening
    if (
        closing is not None
        and opening is not None
        and content.closing_given is not None
        and abs(content.closing_given - closing) > TOLERANCE
    ):
        problems.append(
            error(
                content.closing_where or notice.at("data"),
                (
                    f"「{content.closing_label or '期末余额'}」是 {amount(content.closing_given)} 元，"
                    f"但期初余额 {amount(opening)} 元"
                    f" + 本期收入 {amount(income)} 元 − 本期支出 {amount(expense)} 元 = {amount(closing)} 元，"
                    f"相差 {amount(content.closing_given - closing)} 元。请核对各笔金额和余额。"
                ),
            )
        )
    if closing is not None and closing < 0:
        problems.append(
            warning(
                content.closing_where or notice.at("data"),
                (
                    f"本期结余算出来是 {amount(closing)} 元，是负数：账上的钱不会少于零。"
                    "请核对是否漏记了收入、多记了支出，或期初余额写错了。"
                ),
            )
        )
    problems += _check_running(content)
    previous = _previous(notice, workspace)
    if previous is not None and content.opening is not None:
        before = KIND.content(previous)
        if before.closing is not None and abs(before.closing - content.opening) > TOLERANCE:
            problems.append(
                error(
                    content.opening_where or notice.at("data"),
                    (
                        f"期初余额 {amount(content.opening)} 元与上期（{previous.period}，{previous.file}）的本期结余 "
                        f"{amount(before.closing)} 元不一致：本期的期初就是上期的期末，请核对。"
                    ),
                )
            )
    return problems


def _check_running(content: LedgerContent) -> list[Problem]:
    """A 余额 column the clerk kept entry by entry, in the order of the file."""
    if "balance" not in content.has or content.opening is None:
        return []
    running = content.opening
    for entry in sorted(content.entries, key=lambda e: e.source.number):
        running += (entry.income or 0) - (entry.expense or 0)
        if entry.balance is not None and abs(entry.balance - running) > TOLERANCE:
            return [
                error(
                    entry.cell("balance").where,
                    (
                        f"「{entry.text('summary')}」这一行的余额是 {amount(entry.balance)} 元，"
                        "按上一行余额加收入减支出"
                        f"应为 {amount(running)} 元，相差 {amount(entry.balance - running)} 元。"
                        "请核对这一行（后面各行的余额可能也要改）"
                        "。"
                    ),
                )
            ]
    return []  # one message for one cause: after the first wrong balance every later one differs too


# -- the sheet ---------------------------------------------------------------------


def _words(period: Period | None) -> tuple[str, str]:
    """(上期, 本期) as a villager says them for this period."""
    if period is not None and period.month:
        return "上月", "本月"
    if period is not None and period.quarter:
        return "上季度", "本季度"
    if period is not None:
        return "上年", "本年"
    return "上期", "本期"


@dataclass
class BalanceStrip(StatStrip):
    """The four figures in one row, or two rows of two: never three over one, which reads as if
    本期结余 were apart from the sum that makes it."""

    def _grid(self, ctx, width):
        per_row, rows, tile_width = super()._grid(ctx, width)
        if per_row in (2, 3) and len(self.stats) == 4:
            gap = self._sizes(ctx)[3]
            return 2, 2, (width - gap) / 2
        return per_row, rows, tile_width


def _strip(notice: Notice, content: LedgerContent) -> StatStrip:
    before, now = _words(notice.period)
    closing = content.closing
    return BalanceStrip(
        [
            Stat(f"{before}结余（元）", amount(content.opening or Decimal(0))),
            Stat(f"{now}收入（元）", amount(content.income)),
            Stat(f"{now}支出（元）", amount(content.expense)),
            Stat(f"{now}结余（元）", amount(closing if closing is not None else Decimal(0)), strong=True),
        ],
        style="ledger_stats",
    )


def _balance_line(notice: Notice, content: LedgerContent) -> Paragraph:
    """The sum that makes the balance, in the clerk's own names for the two balances where given."""
    before, now = _words(notice.period)
    opening = content.opening_label or f"{before}结余"
    closing = content.closing_label or f"{now}结余"
    return Paragraph(
        f"{opening} {amount(content.opening or Decimal(0))} 元 + {now}收入 {amount(content.income)} 元 − "
        f"{now}支出 {amount(content.expense)} 元 = {closing} {amount(content.closing or Decimal(0))} 元",
        size="ledger_summary.size",
        bold=True,
    )


def _by_account(notice: Notice, content: LedgerContent) -> TableBlock | None:
    if "account" not in content.has:
        return None
    sides: dict[str, dict[str, list[Decimal]]] = {"income": {}, "expense": {}}
    for entry in content.entries:
        side = "income" if entry.income is not None else "expense"
        name = entry.text("account") or "未分类"
        amounts = sides[side].setdefault(name, [])
        if (value := entry.income if entry.income is not None else entry.expense) is not None:
            amounts.append(value)
    rows = []
    for side, noun in (("income", "收入"), ("expense", "支出")):
        for name, values in sides[side].items():
            total = amount(sum(values, Decimal(0)))
            rows.append(
                TableRow(
                    [
                        noun,
                        name,
                        f"{len(values)}笔",
                        total if side == "income" else "",
                        total if side == "expense" else "",
                    ]
                )
            )
    rows.append(
        TableRow(
            ["合计", "", f"{len(content.entries)}笔", amount(content.income), amount(content.expense)],
            bold=True,
            total=True,
        )
    )
    _, now = _words(notice.period)
    columns = [
        TableColumn("收支", "center"),
        TableColumn("收支类别", "left", wrap=True),
        TableColumn("笔数", "right"),
        TableColumn("收入金额", "right"),
        TableColumn("支出金额", "right"),
    ]
    return TableBlock(columns, rows, caption=f"一、{now}收支分类")


def _entries_table(notice: Notice, content: LedgerContent, number: str) -> TableBlock:
    layout: list[tuple[str, TableColumn]] = [("date", TableColumn("日期", "center"))]
    if "voucher" in content.has:
        layout.append(("voucher", TableColumn("凭证号", "center")))
    if "account" in content.has:
        layout.append(("account", TableColumn("收支类别", "left", wrap=True)))
    layout += [
        ("summary", TableColumn("摘要", "left", wrap=True)),
        ("income", TableColumn("收入金额", "right")),
        ("expense", TableColumn("支出金额", "right")),
    ]
    if "balance" in content.has:
        layout.append(("balance", TableColumn("余额", "right")))
    for key in ("handler", "witness"):
        if key in content.has:
            layout.append((key, TableColumn(LABEL[key], "center", wrap=True)))
    keys = [key for key, _ in layout]

    def day(value: dt.date) -> str:
        return f"{value.month}月{value.day}日"

    def line(values: dict[str, str], sources: dict[str, Where] | None = None, **style) -> TableRow:
        places = {keys.index(key): where for key, where in (sources or {}).items() if key in keys}
        return TableRow([values.get(key, "") for key in keys], sources=places, **style)

    def texts_of(entry: Entry) -> dict[str, Where]:
        return {key: entry.source.cells[key].where for key in TEXT_KEYS if key in entry.source.cells}

    def label_of(given) -> dict[str, Where]:
        return {"summary": given.source.cells[given.label_key].where}

    rows = []
    if "balance" in content.has and content.opening is not None:
        rows.append(
            line({"summary": content.opening_label or "期初余额", "balance": amount(content.opening)}, bold=True)
        )
    amounts = {"income", "expense"}
    for entry in content.entries:
        values = {key: entry.text(key) for key in keys if key not in amounts | {"date", "balance"}}
        values["date"] = day(entry.date)
        negative = set()
        for key in ("income", "expense"):
            value = getattr(entry, key)
            if value is not None:
                values[key] = amount(value)
                if value < 0:
                    negative.add(keys.index(key))
        if entry.balance is not None:
            values["balance"] = amount(entry.balance)
        rows.append(line(values, texts_of(entry), strong=negative))
    covered = {
        side
        for given in content.totals
        if given.month is None
        for side in ([given.side] if given.side else ["income", "expense"])
    }
    for given in content.totals:  # the clerk's totals, as named, with the amounts that were checked
        sides = [given.side] if given.side else ["income", "expense"]
        values = {"summary": given.label}
        for side in sides:
            values[side] = amount(content.total_of(side, given.month))
        rows.append(line(values, label_of(given), bold=True, total=True))
    if covered != {"income", "expense"}:
        _, now = _words(notice.period)
        rows.append(
            line(
                {"summary": f"{now}合计", "income": amount(content.income), "expense": amount(content.expense)},
                bold=True,
                total=True,
            )
        )
    for given in content.cumulative:  # 本年累计: printed as the clerk gave it
        values = {"summary": given.label}
        for side in [given.side] if given.side else ["income", "expense"]:
            found = given.amount_cell((side,) if not given.side else (side, "income", "expense", "balance"))
            if found:
                values[side] = amount(found[1])
        rows.append(line(values, label_of(given), bold=True, total=True))
    if "balance" in content.has and content.closing is not None:
        rows.append(
            line(
                {"summary": content.closing_label or "期末余额", "balance": amount(content.closing)},
                bold=True,
                total=True,
            )
        )
    caption = f"{number}、收支明细（按日期先后）"
    return TableBlock(
        [column for _, column in layout], rows, caption=caption, continued_caption=f"{number}、收支明细（续）"
    )


def compose(notice: Notice, content: LedgerContent) -> Composition:
    meta = dates_meta(notice)
    if notice.period is not None:
        meta.append(f"所属期间：{notice.period.label()}")
    meta.append("单位：元")  # said once, in the meta line every sheet carries; the table captions do not repeat it
    blocks: list = [_strip(notice, content), _balance_line(notice, content)]
    numerals = iter("一二三四")
    if (accounts := _by_account(notice, content)) is not None:
        next(numerals)
        blocks.append(accounts)
    blocks.append(_entries_table(notice, content, next(numerals)))
    if content.has_corrections:
        blocks.append(Paragraph(CORRECTION_NOTE, size=0.95))
    for note in content.notes:
        blocks.append(Paragraph(note.value, size=0.95, role=NOTE, sources=(note,)))
    for signature in content.signatures:
        blocks.append(Paragraph(signature.value, size=0.95, role=SIGNATURE, sources=(signature,)))
    closing = []
    if notice.display_end is not None:
        closing.append(f"公示期：{dates_meta(notice)[1].split('：', 1)[1]}。")
    closing.append(OBJECTION + (f"（监督电话：{notice.hotline.value}）。" if notice.hotline else "。"))
    blocks.append(Paragraph("".join(closing), size="ledger_summary.size", bold=True))
    return Composition(blocks=blocks, meta=meta)


KIND = KindSpec(
    name="ledger",
    label="村级财务收支",
    design="ledger",
    options=OPTIONS,
    content=LedgerContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
)
