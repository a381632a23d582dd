"""The raw grid of a table file: every non-blank row with its number, before any meaning.

This is the only place that opens a clerk's table file. It reads CSV in the encodings
Excel and WPS write, xlsx/xlsm/xls/ods through python-calamine, and it refuses, in
seconds and bounded memory, files that would make a reader allocate gigabytes: a stray
value at XFD1048576 makes calamine build a dense 17-billion-cell range, and a zip bomb
decompresses to far more than its size. It also finds formulas whose values were never
saved, because calamine then returns empty cells that would read as zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...problems import Problem, Where, error, unreadable

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = (".csv", ".txt") + SPREADSHEET_SUFFIXES

# Far beyond any disclosure table (a 10,000-household letter run is 10,000 × 10), far below
# what a 2-core office PC can hold: 2 million cells of used area.
MAX_AREA = 2_000_000
# What the parts of a workbook we read may decompress to, all together.
MAX_UNPACKED = 64 * 1024 * 1024
_CHUNK = 1024 * 1024

_BOMS = (b"\xef\xbb\xbf", b"\x84\x31\x95\x33")  # UTF-8, GB18030


@dataclass
class Grid:
    """One sheet (or CSV file) as rows of raw cell texts, not stripped (indentation means a level)."""

    display: str
    sheet: str | None  # None for CSV
    rows: list[tuple[int, list[str]]]  # (1-based row number, texts); blank rows left out
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # (row0, col0, row1, col1): rows 1-based, cols 0-based

    def where(self, row: int, col: int) -> Where:
        letter = column_letter(col)
        if self.sheet is not None:
            return Where(self.display, sheet=self.sheet, cell=f"{letter}{row}")
        return Where(self.display, line=row, cell=letter)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number - 1


def cell_text(value: object) -> str:
    """A spreadsheet value as the clerk sees it; text keeps its leading spaces."""
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
    return str(value).rstrip()


def decode_csv(raw: bytes) -> str | None:
    """UTF-8 first, then GB18030 (which covers GBK and GB2312); UTF-16 when it says so.

    Every byte-order mark goes, however many there are: a file saved twice by a tool that
    adds one each time starts with two, and GB18030 has its own (84 31 95 33).
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = raw.decode("utf-16").lstrip("\ufeff")  # Excel's 「Unicode 文本」
        except UnicodeDecodeError:
            return None
        return None if "\x00" in text else text  # UTF-32 starts with the same two bytes
    stripped = True
    while stripped:
        stripped = False
        for bom in _BOMS:
            if raw.startswith(bom):
                raw, stripped = raw[len(bom) :], True
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None  # UTF-16 without a mark, or a binary file: not something to guess
        return text.lstrip("\ufeff")
    return None


def read_csv(path: Path, display: str) -> tuple[Grid | None, Problem | None]:
    raw = path.read_bytes()
    text = decode_csv(raw)
    if text is None:
        return None, unreadable(
            Where(display),
            ("无法识别这个 CSV 文件的编码。请在 Excel 或 WPS 中「另存为」「CSV UTF-8（逗号分隔）」后再试。"),
        )
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    width = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            cells = [c.rstrip() for c in record]
            if reader.line_num - start >= 1 and (swallowed := _swallowed(cells, delimiter, width)):
                return None, error(
                    Where(display, start),
                    (
                        f'从第 {start} 行起的引号「"」没有配对，后面 {swallowed} 行都被读进了同一格。'
                        "请在这一行找到多出的或缺少的引号，改好后再试（在 Excel 或 WPS 中打开再另存为 CSV 也可以）。"
                    ),
                )
            if any(c.strip() for c in cells):
                rows.append((start, cells))
                width = max(width, sum(1 for c in cells if c.strip()))
    except csv.Error:
        return None, error(
            Where(display, previous_end + 1),
            (
                f'第 {previous_end + 1} 行的引号「"」没有配对，文件到结尾也没有找到另一半。'
                "请在这一行补上或删去引号后再试。"
            ),
        )
    return Grid(display, None, rows), None


def _swallowed(cells: list[str], delimiter: str, width: int) -> int:
    """How many whole rows an unclosed quote swallowed into one cell (0: a real multi-line cell).

    A cell may hold line breaks (Alt+Enter), but a line inside it that has as many
    separators as a row of the table has cells is a row that a missing quote swallowed.
    """
    need = max(2, width - 1)
    for cell in cells:
        if "\n" in cell:
            lines = cell.split("\n")[1:]
            rows = sum(1 for line in lines if line.count(delimiter) >= need)
            if rows:
                return rows
    return 0


def read_spreadsheet(
    path: Path, display: str, sheet: str | None, sheet_where: Where
) -> tuple[Grid | None, list[str], Problem | None]:
    """One sheet of a workbook. Returns the grid, the workbook's sheet names and any problem."""
    from python_calamine import CalamineWorkbook  # imported lazily: only spreadsheets need it

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".ods"):
        problem = _check_zip(path, display)
        if problem:
            return None, [], problem
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for damaged files
        return (
            None,
            [],
            unreadable(
                Where(display),
                (
                    "无法打开这个表格文件，它可能已损坏，或者不是 Excel/WPS 表格。"
                    "请用 Excel 或 WPS 打开后另存为 xlsx 再试。"
                ),
            ),
        )
    names = list(workbook.sheet_names)
    if not names:
        return None, names, error(Where(display), "表格文件里没有工作表。")
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        return (
            None,
            names,
            error(sheet_where, (f"表格 {display} 里没有名为「{sheet}」的工作表。现有的工作表：{'、'.join(names)}。")),
        )
    if suffix in (".xlsx", ".xlsm"):
        problem = _scan_xlsx_sheet(path, display, sheet)
        if problem:
            return None, names, problem
    try:
        data = workbook.get_sheet_by_name(sheet)
    except Exception:
        return (
            None,
            names,
            error(
                Where(display, sheet=sheet, cell="A1"),
                (f"无法读取工作表「{sheet}」，文件可能已损坏。请用 Excel 或 WPS 打开后另存为 xlsx 再试。"),
            ),
        )
    area = data.height * data.width
    if area > MAX_AREA:  # .xls and .ods, whose size the scan above cannot see before reading
        return None, names, _too_large(display, sheet, data.height, data.width)
    values = data.to_python(skip_empty_area=False)
    rows = []
    for index, record in enumerate(values):
        cells = [cell_text(v) for v in record]
        if any(c.strip() for c in cells):
            rows.append((index + 1, cells))
    merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (data.merged_cell_ranges or [])]
    return Grid(display, sheet, rows, merged), names, None


def _too_large(display: str, sheet: str, rows: int, cols: int, ref: str | None = None) -> Problem:
    far = ref or f"{column_letter(cols - 1)}{rows}"
    return error(
        Where(display, sheet=sheet, cell=far),
        (
            f"工作表「{sheet}」用到了远在 {far} 的格子（{rows} 行 × {cols} 列），不像一张公示表，"
            f"多半是那里误填了内容。请在 Excel 或 WPS 中按 Ctrl+End 跳到最后一格，删去多余的行和列，保存后再试。"
        ),
    )


def _check_zip(path: Path, display: str) -> Problem | None:
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return unreadable(
            Where(display),
            ("无法打开这个表格文件，它可能已损坏，或者不是 Excel/WPS 表格。请用 Excel 或 WPS 打开后另存为 xlsx 再试。"),
        )
    if declared > MAX_UNPACKED:
        return _unpacks_too_far(display)
    return None


def _unpacks_too_far(display: str) -> Problem:
    return error(
        Where(display),
        (
            f"表格文件 {display} 解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，远超一张公示表，可能已损坏。"
            "请用 Excel 或 WPS 打开，只留下要公示的工作表，另存为新的 xlsx 后再试。"
        ),
    )


def _read_member(archive: zipfile.ZipFile, name: str, budget: list[int]) -> bytes | None:
    """A member, read in chunks so that a zip whose headers lie cannot unpack past the budget."""
    out = bytearray()
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            out += chunk
            budget[0] -= len(chunk)
            if budget[0] < 0:
                return None
    return bytes(out)


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_TARGET_FIRST = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_END = re.compile(rb"</(?:\w+:)?c>")


def _xml_unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return re.sub(r"&#(x?)([0-9a-fA-F]+);", lambda m: chr(int(m.group(2), 16 if m.group(1) else 10)), text)


def _sheet_member(archive: zipfile.ZipFile, sheet: str, budget: list[int]) -> str | None:
    present = set(archive.namelist())
    workbook = _read_member(archive, "xl/workbook.xml", budget) or b"" if "xl/workbook.xml" in present else b""
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = _read_member(archive, rels_name, budget) or b"" if rels_name in present else b""
    ids = {_xml_unescape(name): rid for name, rid in _SHEET.findall(workbook)}
    ids.update({_xml_unescape(name): rid for rid, name in _SHEET_ID_FIRST.findall(workbook)})
    targets = dict(_REL.findall(rels))
    targets.update({rid: target for target, rid in _REL_TARGET_FIRST.findall(rels)})
    rid = ids.get(sheet)
    target = targets.get(rid) if rid else None
    if target is None:
        return None
    name = target.decode("utf-8", "replace")
    if name.startswith("/"):
        return name.lstrip("/")
    return str(PurePosixPath("xl") / name)


def _scan_xlsx_sheet(path: Path, display: str, sheet: str) -> Problem | None:
    """Find the sheet's real used area and any formula without a saved value, before calamine reads it."""
    budget = [MAX_UNPACKED]
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet, budget)
            if member is None or member not in archive.namelist():
                return None  # an unusual workbook: calamine reads it, and the area is checked after
            data = _read_member(archive, member, budget)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return unreadable(
            Where(display),
            ("无法打开这个表格文件，它可能已损坏，或者不是 Excel/WPS 表格。请用 Excel 或 WPS 打开后另存为 xlsx 再试。"),
        )
    if data is None:
        return _unpacks_too_far(display)
    max_row = max_col = -1
    far_ref = ""
    unsaved: list[str] = []
    for match in _CELL.finditer(data):
        if match.group(2):  # <c r="…"/>: a formatted cell with nothing in it, which calamine skips
            continue
        end = _CELL_END.search(data, match.end())
        inner = data[match.end() : end.start()] if end else b""
        has_value = (b"<v>" in inner and b"<v></v>" not in inner) or b"<is>" in inner or b"<v " in inner
        formula = b"<f" in inner
        if not has_value and not formula:
            continue
        ref = _REF.search(match.group(1))
        if ref is None:
            continue
        row, col = int(ref.group(2)), column_index(ref.group(1).decode())
        if formula and not has_value:
            unsaved.append(f"{ref.group(1).decode()}{row}")
        if row > max_row or col > max_col:
            if row * (col + 1) > max_row * (max_col + 1):
                far_ref = f"{ref.group(1).decode()}{row}"
            max_row, max_col = max(max_row, row), max(max_col, col)
    if max_row >= 0 and max_row * (max_col + 1) > MAX_AREA:
        return _too_large(display, sheet, max_row, max_col + 1, far_ref)
    if unsaved:
        more = f"等 {len(unsaved)} 格" if len(unsaved) > 1 else ""
        return error(
            Where(display, sheet=sheet, cell=unsaved[0]),
            (
                f"工作表「{sheet}」里的公式没有保存计算结果（{unsaved[0]}{more}），读出来会是空的。"
                "用 Excel 或 WPS 打开这个文件，保存一次再试。"
            ),
        )
    return None
