"""A notice's tables: an upload (refused with a message when it is not a table), the table view with
the cells problems name marked, and the clerk's fix of one cell."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import privacy
from ..kinds.registry import registry
from ..load.tables.grid import column_index, column_letter, read_csv, read_spreadsheet
from ..load.workspace import (
    NOTICES_DIR,
    Loaded,
    load_workspace,
)
from ..load.yamlsrc import load_yaml
from ..problems import Problem, Where, error, os_reason
from ..publish import atomic
from .common import (
    MAX_UPLOAD_BYTES,
    TABLE_SUFFIXES,
    WORKBENCH_DIR,
    Written,
    _check_notice,
    _lock,
    _notice_path,
    _own_problems,
    _scalar,
)
from .forms import set_keys


@dataclass
class Mark:
    level: str  # "error" | "warning"
    message: str


@dataclass
class Grid:
    """One sheet of an uploaded table, as the clerk sees it in Excel: cell texts by row and column,
    with the cells that problems name marked."""

    file: str  # display path: notices/x.xlsx
    sheet: str | None  # None for CSV
    columns: list[str]  # A, B, C …
    rows: list[tuple[int, list[str]]]  # (1-based row number, cell texts); masked like everything else
    marks: dict[str, list[Mark]]  # "C7" -> marks
    editable: bool  # set_cell can change a cell here (CSV, or xlsx without formulas)
    truncated: bool = False  # only the first rows are shown
    # cells whose text is shown masked: a fix form must not offer that text as the cell's value,
    # or saving it unchanged would write the stars over the real number
    masked: set[str] = field(default_factory=set)


MAX_GRID_ROWS = 500


def _unsafe_name(filename: str) -> bool:
    return (
        not filename
        or "/" in filename
        or "\\" in filename
        or ".." in filename
        or ":" in filename
        or filename.startswith(".")
        or "\0" in filename
    )


def _readable(path: Path, display: str) -> Problem | None:
    """None when the file is a table its suffix promises, else why not."""
    if path.suffix.lower() == ".csv":
        try:
            _, problem = read_csv(path, display)
        except OSError as exc:
            return error(Where(display), f"无法读取（{os_reason(exc)}）。")
        return problem
    _, _, problem = read_spreadsheet(path, display, None, Where(display))
    return problem


def save_table(root: Path, notice_id: str, filename: str, data: bytes) -> Written:
    """An uploaded table for a notice. Refused with a message (nothing written): a name with a path
    in it (/, \\, .., a drive), a suffix not in TABLE_SUFFIXES, more than MAX_UPLOAD_BYTES, content
    that is not a readable table of that type. Else written atomically into notices/ (keeping the
    suffix, named <id>.<suffix>), the notice's ``data:`` (and ``sheet:`` dropped if the new file
    lacks it) updated, and `check`'s problems for the notice returned."""
    shown = Where(filename or "上传的文件")
    if _unsafe_name(filename):
        return Written(notice_id, None, [error(shown, "文件名里不能有路径（/、\\、..、盘符）。请只上传表格文件本身。")])
    suffix = Path(filename).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        allowed = "、".join(TABLE_SUFFIXES)
        return Written(
            notice_id, None, [error(shown, f"只能上传表格文件（{allowed}），这个文件是「{suffix or '无后缀'}」。")]
        )
    if len(data) > MAX_UPLOAD_BYTES:
        return Written(
            notice_id,
            None,
            [
                error(
                    shown,
                    # the web layer reads no more than one byte past the limit, so the size itself is not known
                    f"文件太大，超过了最大 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。请删去不用的工作表或图片后再传。",
                )
            ],
        )
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return Written(notice_id, None, [error(shown, "没有这份通知，请先建好通知再上传表格。")])
    display = f"{NOTICES_DIR}/{path.name}"
    spec = registry().get(_scalar(load_yaml(path, display)[0], "kind") or "")
    if spec is not None and spec.columns is None:
        return Written(notice_id, None, [error(shown, f"{spec.label}不使用数据表，不用上传表格。")])
    stored = _stored_suffix(suffix, data)
    target = path.parent / f"{notice_id}{stored}"
    scratch = root / WORKBENCH_DIR / "tmp"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as made:
            candidate = Path(made) / f"{notice_id}{stored}"
            candidate.write_bytes(data)
            problem = _readable(candidate, filename)
            if problem is not None and suffix == ".et":
                return Written(notice_id, None, [error(shown, _WPS_UNREADABLE)])
            if problem is not None:
                return Written(notice_id, None, [error(shown, f"这个文件读不出表格：{problem.message}")])
            sheets = _sheet_names(candidate)
            with _lock(root, notice_id):
                atomic.publish(candidate, target)
                node, _ = load_yaml(path, display)
                changes = {"data": target.name}
                sheet = _scalar(node, "sheet")
                sheet_node = node.entries.get("sheet") if node is not None and node.is_map else None
                named = [sheet] if sheet else [i.value for i in sheet_node.items] if sheet_node is not None else []
                if named and (sheets is None or any(name not in sheets for name in named)):
                    changes["sheet"] = ""  # the new file lacks it: read its first sheet
                text = path.read_text(encoding="utf-8-sig")
                atomic.write_bytes(path, set_keys(text, changes).encode("utf-8"))
    except OSError as exc:
        return Written(notice_id, None, [error(shown, f"无法保存（{os_reason(exc)}）。")])
    return Written(notice_id, target, _check_notice(root, notice_id))


def _stored_suffix(suffix: str, data: bytes) -> str:
    """The suffix an upload is kept under, which the load stage reads by. A WPS .et is the binary
    (OLE2, BIFF8) workbook an .xls is, and calamine reads it as one, so it is kept as .xls; one that
    WPS wrote as a zip of XML is an .xlsx. Anything else in it is refused when it does not read."""
    if suffix != ".et":
        return suffix
    return ".xlsx" if data.startswith(b"PK\x03\x04") else ".xls"


def _sheet_names(path: Path) -> list[str] | None:
    if path.suffix.lower() == ".csv":
        return None
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # calamine's own errors: read already succeeded, so this is not expected
        return None


_WPS_UNREADABLE = (
    "这个 WPS 表格（.et）读不出来。请在 WPS 里打开它，点「文件 → 另存为」，"
    "文件类型选 Excel 格式（.xlsx），再上传另存的文件。"
)
_FORMULA = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[ >/]")  # <f>, <f t="shared" …>, <x:f> from other writers


def _has_formulas(path: Path) -> bool:
    """Does any sheet of an xlsx hold a formula (openpyxl would keep it, but not its saved value)?"""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as member:
                        chunk = b""
                        while block := member.read(1 << 20):
                            if _FORMULA.search(chunk[-16:] + block):
                                return True
                            chunk = block
    except (OSError, zipfile.BadZipFile):
        return True
    return False


def _editable(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix == ".csv" or (suffix == ".xlsx" and not _has_formulas(path))


def _data_files(root: Path, path: Path) -> tuple[list[tuple[str, list[str | None]]], list[Problem], Loaded | None]:
    """(display path, sheets) of each table the notice reads, the problems to mark, and the load."""
    display = f"{NOTICES_DIR}/{path.name}"
    loaded = load_workspace(root, notice_file=path)
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    node, _ = load_yaml(path, display)
    data = _scalar(node, "data")
    sheet_node = node.entries.get("sheet") if node is not None and node.is_map else None
    sheets: list[str | None] = [None]
    if sheet_node is not None and sheet_node.is_seq:
        sheets = [str(i.value) for i in sheet_node.items if isinstance(i.value, str)] or [None]
    elif sheet_node is not None and isinstance(sheet_node.value, str):
        sheets = [sheet_node.value]
    files: list[tuple[str, list[str | None]]] = []
    sources = notice.sources[1:] if notice is not None else ([f"{NOTICES_DIR}/{data}"] if data else [])
    for source in sources:
        files.append((source, sheets if data and source == f"{NOTICES_DIR}/{data}" else [None]))
    problems = _own_problems(loaded, notice) if notice is not None else list(loaded.problems)
    return files, problems, loaded


def table_grids(root: Path, notice_id: str) -> list[Grid]:
    """Each sheet the notice reads, with problems of the form FILE[SHEET]!C7 or FILE:7:C marked."""
    path = _notice_path(root, notice_id)
    files, problems, loaded = _data_files(root, path)
    rules = privacy.policy(loaded.workspace.settings.privacy) if loaded else None
    grids = []
    for display, sheets in files:
        file_path = root / display
        if not file_path.is_file():
            continue
        suffix = file_path.suffix.lower()
        editable = _editable(file_path)
        for sheet in sheets:
            if suffix in (".csv", ".txt"):
                raw, _ = read_csv(file_path, display)
            else:
                raw, _names, _ = read_spreadsheet(file_path, display, sheet, Where(display))
            if raw is None:
                continue
            rows = raw.rows[:MAX_GRID_ROWS]
            width = max((len(cells) for _, cells in rows), default=0)
            shown_rows: list[tuple[int, list[str]]] = []
            masked: set[str] = set()
            for number, cells in rows:
                texts = [privacy.masked_text(c, rules) for c in cells]
                masked.update(f"{column_letter(i)}{number}" for i, (c, t) in enumerate(zip(cells, texts)) if c != t)
                shown_rows.append((number, texts + [""] * (width - len(cells))))
            grid = Grid(
                file=display,
                sheet=raw.sheet,
                columns=[column_letter(i) for i in range(width)],
                rows=shown_rows,
                marks={},
                editable=editable,
                truncated=len(raw.rows) > MAX_GRID_ROWS,
                masked=masked,
            )
            for problem in problems:
                where = problem.where
                if where.file != display or not where.cell:
                    continue
                if raw.sheet is not None and where.sheet == raw.sheet:
                    name = where.cell
                elif raw.sheet is None and where.sheet is None and where.line is not None:
                    name = f"{where.cell}{where.line}"
                else:
                    continue
                if not re.fullmatch(r"[A-Z]+[0-9]+", name):
                    continue
                grid.marks.setdefault(name, []).append(Mark(problem.level, problem.message))
            grids.append(grid)
    return grids


_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$")
# what a value may start with and still be a number, which Excel and WPS take as a number, not a formula
_SIGNED_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)%?")
XLSX_MAX_COLUMN = 16384  # XFD
XLSX_MAX_ROW = 1048576
XLSX_MAX_TEXT = 32767  # characters Excel keeps in a cell
_FORMULA_START = "单元格不能以 =、+、-、@ 开头：Excel 和 WPS 会把它当成公式。要写负数就写 -12.5。"
_BLANK_START = "单元格不能以制表符或回车开头：Excel 和 WPS 会把后面的内容当成公式。请删掉开头的空白。"


class _Refused(Exception):
    """A cell the file cannot take (out of the table's range): the message for the clerk."""


def _formula_risk(value: str) -> str | None:
    """Why ``value`` would be read as a formula when the table is opened in Excel/WPS, else None.
    A number (-12.5, +3, (12.5)) and a lone "-" are plain values."""
    if value[:1] in ("\t", "\r"):
        return _BLANK_START
    text = value.lstrip(" ")
    if not text or _SIGNED_NUMBER.fullmatch(text) or text == "-":
        return None
    if text[0] in "=+@-":
        return _FORMULA_START
    return None


def set_cell(root: Path, notice_id: str, file: str, sheet: str | None, cell: str, value: str) -> Written:
    """Change one cell of the notice's table in place (the clerk's fix of a red cell), atomically;
    refused with a message where the file is not editable here (xls/et, or an xlsx with formulas:
    「请在 Excel/WPS 里改好后重新上传」), where the value would be a formula in Excel/WPS, or where the
    cell lies past what the file can hold (xlsx: XFD1048576; CSV: one row past the last, one column
    past the widest row). Returns `check`'s problems for the notice."""
    shown = Where(file, sheet=sheet, cell=cell) if sheet else Where(file)
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return Written(notice_id, None, [error(shown, "没有这份通知。")])
    files, _, _ = _data_files(root, path)
    if file not in [display for display, _ in files]:
        return Written(notice_id, None, [error(shown, "这份通知不读这个表格，不能在这里改。")])
    match = _CELL.fullmatch((cell or "").upper())
    if match is None:
        return Written(notice_id, None, [error(shown, f"单元格「{cell}」写法不对，应为 C7 这样的写法。")])
    letters, row = match[1], int(match[2])
    target = root / file
    suffix = target.suffix.lower()
    if suffix == ".csv":
        shown = Where(file, line=row, cell=letters)
    elif sheet is None:
        shown = Where(file, cell=f"{letters}{row}")
    risk = _formula_risk(value)
    if risk is not None:
        return Written(notice_id, None, [error(shown, risk)])
    if not _editable(target):
        return Written(
            notice_id,
            None,
            [error(shown, "这个表格不能在这里改（有公式，或不是 xlsx/CSV）。请在 Excel/WPS 里改好后重新上传。")],
        )
    if suffix != ".csv" and (column_index(letters) >= XLSX_MAX_COLUMN or row > XLSX_MAX_ROW):
        return Written(
            notice_id,
            None,
            [error(shown, f"单元格「{letters}{row}」超出了表格的范围：xlsx 最多到 XFD 列、第 {XLSX_MAX_ROW} 行。")],
        )
    if suffix != ".csv" and len(value) > XLSX_MAX_TEXT:
        return Written(notice_id, None, [error(shown, f"内容太长：一个单元格最多 {XLSX_MAX_TEXT} 个字。")])
    with _lock(root, notice_id):
        try:
            if suffix == ".csv":
                data = _csv_with(target.read_bytes(), row, column_index(letters), value)
                if data is None:
                    return Written(
                        notice_id, None, [error(shown, "这个 CSV 文件读不出来，请在 Excel/WPS 里改好后重新上传。")]
                    )
            else:
                data = _xlsx_with(target, sheet, f"{letters}{row}", value)
                if data is None:
                    return Written(notice_id, None, [error(shown, f"表格里没有名为「{sheet}」的工作表。")])
            atomic.write_bytes(target, data)
        except _Refused as refused:
            return Written(notice_id, None, [error(shown, str(refused))])
        except OSError as exc:
            return Written(notice_id, None, [error(shown, f"无法保存（{os_reason(exc)}）。")])
    return Written(notice_id, target, _check_notice(root, notice_id))


def _csv_with(raw: bytes, row: int, column: int, value: str) -> bytes | None:
    """The CSV with one cell changed, in its own encoding, mark and line ends; other records untouched.
    A cell past the next row or past the column after the widest row is refused (_Refused): a typo
    there would write thousands of blank lines or columns."""
    bom = b""
    for mark in (b"\xef\xbb\xbf", b"\x84\x31\x95\x33"):
        if raw.startswith(mark):
            bom, raw = mark, raw[len(mark) :]
    encoding = None
    for candidate in ("utf-8", "gb18030"):
        try:
            text = raw.decode(candidate)
            encoding = candidate
            break
        except UnicodeDecodeError:
            continue
    if encoding is None or "\x00" in text:
        return None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    ending = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    spans: dict[int, tuple[int, list[str]]] = {}
    try:
        for record in reader:
            spans[previous_end + 1] = (reader.line_num, record)
            previous_end = reader.line_num
    except csv.Error:
        return None
    if row not in spans and row != previous_end + 1:
        if row > previous_end:
            raise _Refused(
                f"第 {row} 行超出了表格：这个 CSV 只有 {previous_end} 行，最多只能在第 {previous_end + 1} 行添一行。"
            )
        raise _Refused(f"第 {row} 行在上一行的单元格里面（那个单元格的内容占了好几行），请改那一行。")
    width = max((len(record) for _, record in spans.values()), default=0)
    if column > width:
        widest = f"最宽的一行只到 {column_letter(width - 1)} 列" if width else "表格是空的"
        raise _Refused(f"{column_letter(column)} 列超出了表格：{widest}，最多只能在 {column_letter(width)} 列添一列。")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    if row in spans:
        end, record = spans[row]
        record = record + [""] * (column + 1 - len(record))
        record[column] = value
        writer.writerow(record)
        lines[row - 1 : end] = [out.getvalue()]
    else:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += ending
        writer.writerow([""] * column + [value])
        lines.append(out.getvalue())
    return bom + "".join(lines).encode(encoding)


def _xlsx_with(path: Path, sheet: str | None, cell: str, value: str) -> bytes | None:
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = openpyxl.load_workbook(path)
    if sheet is not None and sheet not in workbook.sheetnames:
        return None
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    target = worksheet[cell]
    if value == "":
        target.value = None
    elif _NUMBER.match(value.strip()):
        target.value = float(value) if "." in value else int(value)
    else:
        try:
            target.value = value
        except IllegalCharacterError as exc:
            raise _Refused("内容里有看不见的控制字符，表格存不了。请重新输入这个值。") from exc
        # text is text: openpyxl would take a leading "=" for a formula, which Excel then runs
        target.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
