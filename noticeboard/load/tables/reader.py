"""Reading the clerk's tables as they keep them, for every kind that takes one.

The steps: the raw grid (grid.py), the header (header.py), then the rows below it up to
the notes (注：…) and signature lines (制表人：…) that close a table. Two side-by-side
tables (左收右支) and a list of sheets are read one after the other as one table, each
row remembering which part it came from. Every cell keeps its address so that a later
check can say ``2026q2-finance.xlsx[收支表]!C7`` instead of "row 5".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ...models import Cell, Column, Row, Table, Text
from ...privacy import masked_text  # messages quote cells, and a cell may hold an ID number
from ...problems import Problem, Where, error, warning
from . import grid as grids
from .grid import Grid, column_letter
from .header import ColumnSpec, Header, HeaderColumn, Names, find_header, first_wide_row, unit_in

_NOTE = re.compile(
    r"^(注|说明|备注|附注|数据来源|资料来源)\s*[0-9０-９一二三四五六七八九十]*\s*[:：、.．]|^注\s*[0-9０-９]"
)
_SIGNATURE_LABELS = (
    "制表人|制表|填表人|填报人|填报|审核人|审核|复核人|复核|审批人|负责人|单位负责人|财务负责人|分管领导|主管领导|"
    "主管会计|会计主管|会计|出纳|记账|经办人|制表日期|填报日期|填表日期|报送日期|编制日期|打印日期|日期"
)
# With a colon any of the labels; alone in its cell only those that are never a value
# (会计 or 出纳 alone can be a 职务 in a list of village officials).
_SIGNATURE = re.compile(rf"^({_SIGNATURE_LABELS})\s*[:：]|^(制表人|填表人|填报人|制表日期|填报日期|填表日期)$")
_LOST_CHARACTER = re.compile(r"\ufffd|[\u3400-\u9fff\U00020000-\U0003ffff]\?|\?[\u3400-\u9fff\U00020000-\U0003ffff]")
_LOST_SHOWN = 5
SAMPLE_MARK = "示例，请改写"  # what `noticeboard new` writes into its template's grey sample row


def _indent(raw: str) -> int:
    """Leading spaces as a clerk indents a 款 under its 类: a full-width space counts two."""
    width = 0
    for char in raw:
        if char == " ":
            width += 1
        elif char == "\u3000":
            width += 2
        elif char == "\t":
            width += 4
        else:
            break
    return width


def _short(where: Where) -> str:
    """A cell named within its own file: B7 in a sheet, 7:B in a CSV."""
    return f"{where.cell}" if where.sheet is not None else f"{where.line}:{where.cell}"


def _first_text(cells: list[str]) -> str:
    return next((c.strip() for c in cells if c.strip()), "")


def _is_signature(cells: list[str]) -> bool:
    texts = [c.strip() for c in cells if c.strip()]
    return bool(texts) and bool(_SIGNATURE.match(texts[0])) and len(texts) <= 8


def _blocks(columns: list[HeaderColumn]) -> tuple[list[list[HeaderColumn]], list[HeaderColumn], list[HeaderColumn]]:
    """Split a header into side-by-side tables where its columns repeat (左收右支).

    Returns the blocks, the columns that lost to a better-named twin (年初预算数 beside
    调整预算数), and true duplicates (the same column written twice).
    """
    blocks: list[list[HeaderColumn]] = [[]]
    for column in columns:
        current = blocks[-1]
        twin = next((c for c in current if c.known and column.known and c.key == column.key), None)
        leading = next((c for c in current if c.known), None)
        # a table starts again when its leading column comes back (收入项目 … 支出项目 …), or any
        # column comes back under the very same name; 调整预算数 after 年初预算数 is a better-named twin
        again = twin is not None and (twin.priority == column.priority or twin is leading)
        if again and sum(1 for c in current if c.known) >= 2:
            blocks.append([column])
        else:
            current.append(column)
    if len(blocks) > 1 and any(sum(1 for c in b if c.known) < 2 for b in blocks):
        blocks = [[c for b in blocks for c in b]]  # not two tables, just a repeated column
    kept_blocks, demoted, duplicates = [], [], []
    for block in blocks:
        kept: dict[str, HeaderColumn] = {}
        order: list[HeaderColumn] = []
        for column in block:
            other = kept.get(column.key)
            if other is None:
                kept[column.key] = column
                order.append(column)
            elif column.known and column.priority != other.priority:
                better, worse = (column, other) if column.priority < other.priority else (other, column)
                kept[column.key] = better
                order[order.index(other)] = better
                demoted.append(worse)
            else:
                duplicates.append(column)
        kept_blocks.append(order)
    return kept_blocks, demoted, duplicates


class _Reading:
    """One table being assembled from one or more grids."""

    def __init__(self, display: str, names: Names, specs: list[ColumnSpec], closed: bool):
        self.display = display
        self.names = names
        self.specs = specs
        self.closed = closed
        self.problems: list[Problem] = []
        self.columns: dict[str, Column] = {}
        self.rows: list[Row] = []
        self.notes: list[Text] = []
        self.signatures: list[Text] = []
        self.units: list[Text] = []
        self.unprinted: list[Column] = []
        self.lost: list[tuple[str, Where]] = []
        self.header_where: Where | None = None
        self.part = 0
        self.sample_seen = False

    def add(self, grid: Grid) -> None:
        header = find_header(grid, self.names) if self.specs else None
        needed = 1 if not any(s.required for s in self.specs) else 2
        if self.specs and (header is None or header.score < min(needed, len(self.specs))):
            if any(s.required for s in self.specs):
                self.problems.append(self._no_header(grid))
                return
            header = None
        if header is None:
            header = first_wide_row(grid, self.names)
            if header is None:
                return
        if self.header_where is None:
            self.header_where = grid.where(grid.rows[header.first][0], 0)
        self._units_above(grid, header)
        blocks, demoted, duplicates = _blocks(header.columns)
        for column in duplicates:
            first = next(c for b in blocks for c in b if c.key == column.key)
            self.problems.append(
                error(
                    column.where,
                    (f"「{masked_text(column.header)}」列与 {column_letter(first.col)} 列重复，请删去其中一列。"),
                )
            )
        for column in demoted:
            better = next(c for b in blocks for c in b if c.key == column.key)
            self.unprinted.append(Column(column.header, column.header, column_letter(column.col), column.where))
            self.problems.append(
                warning(
                    column.where,
                    (
                        f"「{column.header}」列不会印出：{self._zh(column.key)}取的是 {column_letter(better.col)} 列"
                        f"「{better.header}」。如果应当公开「{column.header}」，请把它改名为「{self._zh(column.key)}」，"
                        f"并把另一列改成别的名字。"
                    ),
                )
            )
        for block in blocks:
            for column in block:
                if column.key not in self.columns:
                    self.columns[column.key] = Column(
                        column.key, column.header, column_letter(column.col), column.where
                    )
                if column.unit:
                    self.units.append(Text(column.unit, column.where))
        self._data(grid, header, blocks, {c.col for c in header.columns})
        self.part += len(blocks)

    def _zh(self, key: str) -> str:
        return next((s.zh for s in self.specs if s.key == key), key)

    def _no_header(self, grid: Grid) -> Problem:
        shown = []
        for number, cells in grid.rows[:5]:
            texts = [masked_text(c.strip()) for c in cells if c.strip()]
            line = "｜".join(texts)
            shown.append(f"第{number}行「{line[:60]}{'…' if len(line) > 60 else ''}」")
        looked = "；".join(shown) or "（表格是空的）"
        where = grid.where(grid.rows[0][0], 0) if grid.rows else Where(self.display)
        return error(
            where,
            (
                f"在 {self.display}{f'（工作表「{grid.sheet}」）' if grid.sheet else ' '}的前 "
                f"{min(len(grid.rows), 30)} 行里"
                f"找不到表头。前几行是：{looked}。表头应当写这些列名：{self.names.described()}。"
                "请把表头改成其中的名字（可以带单位，如「预算数（万元）」）。"
            ),
        )

    def _units_above(self, grid: Grid, header: Header) -> None:
        for number, cells in grid.rows[: header.first]:
            for col, text in enumerate(cells):
                if ("单位" in text or "（" in text or "(" in text) and (unit := unit_in(text)):
                    self.units.append(Text(unit, grid.where(number, col)))

    def _data(self, grid: Grid, header: Header, blocks: list[list[HeaderColumn]], headed: set[int]) -> None:
        rows = [(number, list(cells)) for number, cells in grid.rows[header.data_start :]]
        position = {number: index for index, (number, _) in enumerate(rows)}
        # a merged cell (村民小组 over its households) holds its value for every row it covers
        for r0, c0, r1, _ in grid.merged:
            if r1 > r0 and r0 in position:
                value = rows[position[r0]][1][c0] if c0 < len(rows[position[r0]][1]) else ""
                for number in range(r0 + 1, r1 + 1):
                    if number in position:
                        cells = rows[position[number]][1]
                        cells += [""] * (c0 + 1 - len(cells))
                        if not cells[c0].strip():
                            cells[c0] = value
        headless: dict[int, list[tuple[int, str]]] = {}
        by_part: list[list[Row]] = [[] for _ in blocks]  # side-by-side tables read one after the other
        tail = False
        header_row = grid.rows[header.first + header.height - 1][0]
        for number, cells in rows:
            first = _first_text(cells)
            if (
                tail
                and not _is_signature(cells)
                and not _NOTE.match(first)
                and sum(1 for col, c in enumerate(cells) if c.strip() and col in headed) >= max(3, len(headed) // 2)
            ):
                self.problems.append(
                    warning(
                        grid.where(number, 0),
                        (
                            f"第 {number} 行在表格下方的「注」或签名行之后，却像一行数据，所以没有当作数据读入，"
                            "而是照原样印在注的后面。如果它是数据，请把它移到「注」的上面。"
                        ),
                    )
                )
            if tail or _NOTE.match(first) or _is_signature(cells):
                tail = True
                text = "　".join(c.strip() for c in cells if c.strip())
                where = grid.where(number, next(i for i, c in enumerate(cells) if c.strip()))
                (self.signatures if _is_signature(cells) else self.notes).append(Text(text, where))
                continue
            for col, text in enumerate(cells):
                if text.strip() and col not in headed:
                    headless.setdefault(col, []).append((number, text.strip()))
            if any(SAMPLE_MARK in c for c in cells) and not self.sample_seen:
                self.sample_seen = True
                col = next(i for i, c in enumerate(cells) if SAMPLE_MARK in c)
                self.problems.append(
                    error(
                        grid.where(number, col),
                        (
                            f"第 {number} 行是模板里灰色的示例行（写着「{SAMPLE_MARK}」），请改写成真实内容，"
                            "或者删去这一行。"
                        ),
                    )
                )
            for part, block in enumerate(blocks):
                row_cells = {}
                for column in block:
                    raw = cells[column.col] if column.col < len(cells) else ""
                    where = grid.where(number, column.col)
                    text = raw.strip()
                    row_cells[column.key] = Cell(text, where, _indent(raw))
                    if text and _LOST_CHARACTER.search(text):
                        self.lost.append((text, where))
                if any(cell.text for cell in row_cells.values()):
                    by_part[part].append(Row(number, row_cells, part=self.part + part))
        for part_rows in by_part:
            self.rows += part_rows
        for col, found in sorted(headless.items()):
            number, text = found[0]
            more = f"等 {len(found)} 格" if len(found) > 1 else ""
            self.problems.append(
                error(
                    grid.where(number, col),
                    (
                        f"这一格有内容「{masked_text(text)}」{more}，但 {column_letter(col)} 列没有表头，"
                        "这一列不会印出。"
                        f"请在第 {header_row} 行给这一列写上表头，或删去这一列。"
                    ),
                )
            )

    def finish(self, data_where: Where) -> tuple[Table | None, list[Problem]]:
        problems = self.problems
        if self.header_where is None:
            if not problems:
                problems.append(error(data_where, f"数据文件 {self.display} 是空的，没有任何内容。"))
            return None, problems
        columns = list(self.columns.values())
        missing = [s for s in self.specs if s.required and s.key not in self.columns]
        if missing:
            present = "、".join(c.header for c in columns) or "（无）"
            names = "、".join(f"「{s.zh}」" for s in missing)

            def other_names(spec: ColumnSpec) -> str:
                return "、".join([a for a in spec.aliases if not a.startswith("re:")][:4] + [spec.key])

            if len(missing) == 1:
                others = f"也可写作 {other_names(missing[0])}"
            else:
                others = "；".join(f"{s.zh}也可写作 {other_names(s)}" for s in missing)
            problems.append(error(self.header_where, f"缺少{names}列（{others}）。表头现有：{present}。"))
        if self.closed and not missing:  # a missing column is the one message; the rest follows from it
            known = {s.key for s in self.specs}
            self.unprinted += [c for c in columns if c.key not in known]
            extra = [c for c in columns if c.key not in known]
            if extra:
                listed = "、".join(f"「{masked_text(c.header)}」（{c.letter} 列）" for c in extra)
                printed = "、".join(s.zh for s in self.specs)
                problems.append(
                    warning(
                        extra[0].where,
                        (
                            f"{listed}不会印出：这类公示只印 {printed}。要公开的内容，请并入要印的列，"
                            "或写在表格下方以「注：」开头的行里；不需要公开的话可以不管这条提醒。"
                        ),
                    )
                )
        if self.lost:
            shown = "、".join(f"{_short(where)}「{masked_text(text)}」" for text, where in self.lost[:_LOST_SHOWN])
            more = f"等 {len(self.lost)} 格" if len(self.lost) > _LOST_SHOWN else ""
            problems.append(
                warning(
                    self.lost[0][1],
                    (
                        f"{shown}{more}里有「?」或「�」，像是文件另存为 ANSI/GBK 时丢了生僻字。"
                        "请在 Excel 或 WPS 中「另存为」「CSV UTF-8」或 xlsx，再核对这些名字。"
                    ),
                )
            )
        if not self.rows and not any(p.is_error for p in problems):
            problems.append(error(self.header_where, f"数据文件 {self.display} 只有表头，没有数据行。"))
        if missing:
            return None, problems  # a kind cannot read its rows without its columns; nothing below would be true
        first_sheet = self.header_where.sheet
        table = Table(
            display=self.display,
            sheet=first_sheet,
            header_where=self.header_where,
            columns=columns,
            rows=self.rows,
            notes=self.notes,
            signatures=self.signatures,
            units=self.units,
            unprinted=self.unprinted,
            parts=self.part,
        )
        return table, problems


def read_table(
    path: Path,
    display: str,
    *,
    sheet: str | Sequence[str] | None,
    sheet_where: Where,
    data_where: Where,
    specs: list[ColumnSpec],
    closed: bool = False,
) -> tuple[Table | None, list[Problem]]:
    """Load a table. Missing required columns and an empty table are problems here.

    ``closed``: the kind prints only its own columns, so any other headed column is
    named in a warning rather than dropped without a word.
    """
    if not path.is_file():
        return None, [error(data_where, f"找不到数据文件 {display}。请检查文件名，或把文件放到 notices/ 目录下。")]
    suffix = path.suffix.lower()
    if suffix not in grids.TABLE_SUFFIXES:
        hint = "WPS 表格自己的 .et 格式请在 WPS 中「另存为」xlsx。" if suffix in (".et", ".ett") else ""
        return None, [error(data_where, f"数据文件 {display} 的格式不支持，只能用 CSV、xlsx 或 xls。{hint}")]
    sheets: list[str | None] = [sheet] if sheet is None or isinstance(sheet, str) else list(sheet)
    reading = _Reading(display, Names(specs), specs, closed)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            return None, [error(sheet_where, "CSV 文件没有工作表，请删去「sheet」。")]
        grid, problem = grids.read_csv(path, display)
        if problem:
            return None, [problem]
        assert grid is not None
        reading.add(grid)
    else:
        for name in sheets:
            grid, _, problem = grids.read_spreadsheet(path, display, name, sheet_where)
            if problem:
                return None, [problem]
            assert grid is not None
            if not grid.rows:
                reading.problems.append(
                    error(
                        Where(display, sheet=grid.sheet, cell="A1"),
                        (
                            f"工作表「{grid.sheet}」是空的。"
                            + ("请检查 sheet 写的工作表名。" if len(sheets) > 1 else "")
                        ),
                    )
                )
                continue
            reading.add(grid)
    return reading.finish(data_where)


_AMOUNT = re.compile(r"^(\d{1,3}([,，]\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$")


def parse_amount(text: str) -> Decimal | None:
    """Parse an amount as written in a ledger; None when it is not a number.

    Thousands separators, a leading ¥, accounting parentheses for negatives and the
    scientific notation spreadsheets use for very large numbers are accepted.
    """
    value = text.strip().replace(" ", "").replace("¥", "").replace("￥", "")
    negative = False
    if (value[:1], value[-1:]) in (("(", ")"), ("（", "）")):
        negative, value = True, value[1:-1]
    if value[:1] in "+-" and value:
        negative, value = negative != (value[0] == "-"), value[1:]
    if not _AMOUNT.match(value):
        return None
    number = Decimal(value.replace(",", "").replace("，", ""))
    return -number if negative else number
