"""Reading the clerk's tables: CSV in any of the encodings WPS writes, xlsx and xls.

Every cell keeps its address so that a later check can say
``2026q2-finance.xlsx[收支表]!C7`` instead of "row 5".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .models import Cell, Column, Row, Table
from .privacy import masked_text  # messages quote cells, and a cell may hold an ID number
from .problems import Problem, Where, error

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = (".csv",) + SPREADSHEET_SUFFIXES
_HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class ColumnSpec:
    key: str  # English alias, used as the canonical key
    zh: str  # Chinese header
    required: bool = True
    aliases: tuple[str, ...] = ()  # the other names clerks give this column (年初预算数 for 预算数)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").lower()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def decode_csv(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM) first, then GB18030, which also covers GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None  # UTF-16 or a binary file: not something we can guess safely
        return text
    return None


def _read_csv_grid(path: Path, display: str) -> tuple[list[tuple[int, list[str]]] | None, Problem | None]:
    raw = path.read_bytes()
    text = decode_csv(raw)
    if text is None:
        return None, error(
            Where(display),
            "无法识别这个 CSV 文件的编码。请在 Excel/WPS 中「另存为」CSV UTF-8（逗号分隔）后再试。",
        )
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for record in reader:
            rows.append((previous_end + 1, record))
            previous_end = reader.line_num
    except csv.Error as exc:
        return None, error(Where(display, previous_end + 1), f"CSV 格式有误（{exc}），请检查这一行的引号。")
    return rows, None


def _read_spreadsheet_grid(path: Path, display: str, sheet: str | None, sheet_where: Where):
    from python_calamine import CalamineWorkbook  # imported lazily: only spreadsheets need it

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for damaged files
        return None, None, error(Where(display), "无法打开这个表格文件，它可能已损坏或不是 Excel 文件。请用 Excel 或 WPS 打开后重新保存为 xlsx。")
    names = list(workbook.sheet_names)
    if not names:
        return None, None, error(Where(display), "表格文件里没有工作表。")
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        return None, None, error(
            sheet_where, f"表格 {display} 里没有名为「{sheet}」的工作表。现有的工作表：{'、'.join(names)}。"
        )
    grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [(index + 1, [_cell_text(v) for v in row]) for index, row in enumerate(grid)], sheet, None


def read_table(path: Path, display: str, *, sheet: str | None, sheet_where: Where, data_where: Where,
               specs: list[ColumnSpec]) -> tuple[Table | None, list[Problem]]:
    """Load a table. Missing required columns and an empty table are problems here."""
    if not path.is_file():
        return None, [error(data_where, f"找不到数据文件 {display}。请检查文件名，或把文件放到 notices/ 目录下。")]
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        return None, [error(data_where, f"数据文件 {display} 的格式不支持，只能用 CSV、xlsx 或 xls。")]
    if suffix == ".csv":
        if sheet is not None:
            return None, [error(sheet_where, "CSV 文件没有工作表，请删去「sheet」。")]
        grid, problem = _read_csv_grid(path, display)
        used_sheet = None
    else:
        grid, used_sheet, problem = _read_spreadsheet_grid(path, display, sheet, sheet_where)
    if problem:
        return None, [problem]
    assert grid is not None

    def where(row: int, col: int) -> Where:
        letter = column_letter(col)
        if used_sheet is not None:
            return Where(display, sheet=used_sheet, cell=f"{letter}{row}")
        return Where(display, line=row, cell=letter)

    aliases: dict[str, str] = {}
    for spec in specs:
        aliases[_normalise_header(spec.zh)] = spec.key
        aliases[_normalise_header(spec.key)] = spec.key
        for other in spec.aliases:
            aliases.setdefault(_normalise_header(other), spec.key)

    rows = [(number, [c.strip() for c in record]) for number, record in grid if any(c.strip() for c in record)]
    if not rows:
        return None, [error(data_where, f"数据文件 {display} 是空的，没有任何内容。")]

    # A title line often sits above the header; take the first row that names a known column.
    header_index = 0
    if specs:
        for index, (_, record) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            if any(_normalise_header(c) in aliases for c in record if c):
                header_index = index
                break
    else:  # any columns: a leading line with a single cell is a title, when a wider row follows
        for index, (_, record) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            if sum(1 for c in record if c) >= 2:
                header_index = index
                break
    header_number, header_record = rows[header_index]
    columns: list[Column] = []
    seen: dict[str, Column] = {}
    index_of: dict[str, int] = {}
    problems: list[Problem] = []
    for col, header in enumerate(header_record):
        if not header:
            continue
        key = aliases.get(_normalise_header(header), header)
        column = Column(key=key, header=header, letter=column_letter(col), where=where(header_number, col))
        if key in seen:
            problems.append(error(column.where, f"「{masked_text(header)}」列与 {seen[key].letter} 列重复，请删去其中一列。"))
            continue
        seen[key] = column
        index_of[key] = col
        columns.append(column)
    header_where = where(header_number, 0)
    for spec in specs:
        if spec.required and spec.key not in seen:
            present = "、".join(c.header for c in columns) or "（无）"
            problems.append(
                error(header_where, f"缺少「{spec.zh}」列（也可写作 {spec.key}）。表头现有：{present}。")
            )
    table_rows: list[Row] = []
    headed = {col for col, header in enumerate(header_record) if header}  # duplicates are reported at the header
    for number, record in rows[header_index + 1:]:
        for col, text in enumerate(record):
            if text and col not in headed:
                problems.append(error(where(number, col), (
                    f"这一格有内容「{masked_text(text)}」，但 {column_letter(col)} 列没有表头，这一列不会印出。"
                    f"请在第 {header_number} 行给这一列写上表头，或删去这一列。")))
        cells = {}
        for key, col in index_of.items():
            text = record[col] if col < len(record) else ""
            cells[key] = Cell(text, where(number, col))
        if any(cell.text for cell in cells.values()):
            table_rows.append(Row(number, cells))
    if not table_rows and not problems:
        problems.append(error(header_where, f"数据文件 {display} 只有表头，没有数据行。"))
    table = Table(display=display, sheet=used_sheet, header_where=header_where, columns=columns, rows=table_rows)
    return table, problems


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
