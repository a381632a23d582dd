"""notice: 公告 and 通知 (SPEC §2), set as a GB/T 9704-2012 document (layout/document.py).

Keys, besides the common ones:

``body`` (正文, required)
    A list of paragraphs, or one text (``body: |``) with a blank line between paragraphs.
    Inside one paragraph, line breaks are joined (no space between Chinese characters).
    A line that starts with a heading number starts a new paragraph even without a blank
    line. Headings (GB/T 9704 7.3.3) are recognised at the start of a paragraph:
    ``一、`` level 1 (bold, 黑体-like), ``（一）`` level 2 (bold unless the design says not),
    ``1.`` (or ``1、``) and ``（1）`` levels 3 and 4 (body style). When text runs on after a level 1 or 2
    heading, only the heading up to its first 。 is set in the heading style.
``tables`` (表格, optional)
    A list of data files (CSV, xlsx, xls) relative to the notice file, each either a file
    name or ``{data: 投票站.csv, caption: 投票站设置, sheet: 工作表名}``. The first non-empty
    row is the header; every column prints, in file order. A paragraph that is exactly
    ``【表1】`` puts table 1 there; tables not placed that way follow the last paragraph.
    Without a caption a table is captioned 表1, 表2 …; later parts are marked （续表）.
``attachments`` (附件, optional)
    A list of attachment titles, printed under the body as 附件：1.… (GB/T 9704 7.3.4);
    numbering is added, so titles carry no number and no final punctuation. An item
    ``{title: 投票站设置一览表, data: 投票站.csv}`` also prints the attachment itself after the
    signature, on pages of its own: 附件1 in 黑体 at the top left, the title centred on line 3,
    then the table (CSV, xlsx, xls; ``sheet:`` as for tables) or the text of a .txt file.
``to`` (主送机关, optional)
    For a 通知: the addressees, printed flush left above the body (e.g. 各村民小组：).
``seal`` (盖章, optional, ``true`` or ``false``)
    ``seal: true`` lays out the signature for a seal (GB/T 9704 7.3.5.1): the date 右空四字, the
    issuer centred above it, and room for a 42 mm seal pressing on both.
``mask`` (遮盖号码, optional, ``true`` or ``false``)
    ``mask: true`` masks every ID number, mobile and bank card found in the title, the body,
    the addressees, the attachments and the tables, at load, by the workspace ``privacy``
    policy (370***********1X, 138****5678): the full number never reaches the PDF or the
    online copy. Landlines with an area code, amounts and dates stay as written. Without it,
    such a number is refused by the privacy scanner (checks/privacy.py) at its paragraph's line.

The 署名 is the notice's issuer and the date its ``date``, at the lower right without a seal
(7.3.5.2), with room left to stamp one, or laid out for one with ``seal: true``. ``orientation`` is always portrait.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import privacy
from ..dates import chinese_date, notice_display_period
from ..layout.blocks import Table as TableBlock
from ..layout.blocks import TableColumn, TableRow
from ..layout.document import (
    AttachmentPage,
    Attachments,
    DocParagraph,
    Signature,
    Span,
    heading_level,
    heading_phrase,
)
from ..load import options
from ..load.bodytext import read_body
from ..load.options import Schema, Values
from ..load.tables import read_table
from ..models import Notice, Settings, Table, Text, Workspace
from ..numerals import chinese_number, chinese_numeral
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, table_notes

TABLES = options.items("tables", "表格")
TO = options.text("to", "主送机关")
MASK = options.raw("mask", "遮盖号码")  # true or false here: a notice has no columns to name
SEAL = options.boolean("seal", "盖章")
OPTIONS = Schema("通知文件", (options.raw("body", "正文"), TABLES, options.raw("attachments", "附件"), TO, MASK, SEAL))
KEYS = OPTIONS.keys
TABLE = Schema(
    "tables 中的表格",
    (
        options.text("data", "数据文件", required=True),
        options.text("caption", "表题"),
        options.text("sheet", "工作表"),
    ),
)
ATTACHMENT = Schema(
    "attachments 中的附件",
    (
        options.text("title", "附件名称", required=True),
        options.text("data", "附件文件"),
        options.text("sheet", "工作表"),
    ),
)
TABLE_MARKER = re.compile(r"^【表(\d+)】$")
_ATTACHMENT_NUMBER = re.compile(r"^\d+\s*[.．、]\s*")
_FINAL_PUNCTUATION = "。，、；：！？.,;:!?"
HEADING_MAX_CHARS = 28  # one line: longer, it is a paragraph that happens to start with a number
_NUMERIC_CELL = re.compile(r"^[\d,.，%\-+]+$")


@dataclass
class NoticeTable:
    table: Table
    caption: Text | None
    where: Where  # the entry in ``tables:``


@dataclass
class AttachmentFile:
    """What an attachment that names a file prints on its own pages: a table, or paragraphs."""

    table: Table | None = None
    paragraphs: list[Text] = field(default_factory=list)


@dataclass
class NoticeContent:
    to: Text | None
    body: list[Text | int]  # a paragraph, or the index of the table placed at that point
    tables: list[NoticeTable]
    attachments: list[Text]
    files: list[AttachmentFile | None] = field(default_factory=list)  # per attachment, when it names a file
    seal: bool = False

    @property
    def paragraphs(self) -> list[Text]:
        return [item for item in self.body if isinstance(item, Text)]


# -- load -------------------------------------------------------------------------------------


def _tables(notice: Notice, reader: Values, problems: list[Problem]) -> list[NoticeTable]:
    tables: list[NoticeTable] = []
    items = reader[TABLES]
    for index, item in enumerate(items, start=1):
        caption = None
        sheet = None
        sheet_where = data_where = Where(reader.file, item.line)
        if item.is_map:
            entry = TABLE.values(item, reader.file, problems, f"tables 的第{index}项")
            data = entry["data"]
            if (caption_text := entry["caption"]) is not None:
                caption = Text(caption_text, entry.where("caption"))
            sheet = entry["sheet"]
            data_where, sheet_where = entry.where("data"), entry.where("sheet")
        elif item.is_scalar and item.value is not None and str(item.value).strip():
            data = str(item.value).strip()
        else:
            problems.append(
                error(data_where, (f"tables 的第{index}项应当是数据文件名，或 {{data: 文件名, caption: 表题}}。"))
            )
            continue
        if not data:
            continue
        display = str(Path(notice.file).parent / data)
        notice.sources.append(display)
        table, found = read_table(
            notice.path.parent / data, display, sheet=sheet, sheet_where=sheet_where, data_where=data_where, specs=[]
        )
        problems += found
        if table is not None:
            tables.append(NoticeTable(table, caption, Where(reader.file, item.line)))
    return tables


def _attachments(
    notice: Notice, reader: Values, problems: list[Problem]
) -> tuple[list[Text], list[AttachmentFile | None]]:
    node = reader["attachments"]
    label = KEYS["attachments"]
    if node is None or node.value is None:
        return [], []
    if not node.is_seq:
        problems.append(
            error(
                reader.where("attachments"),
                (f"「attachments」（{label}）应当是一个列表：每个附件名称占一行，以「- 」开头，例如「- 选民登记表」。"),
            )
        )
        return [], []
    titles: list[Text] = []
    files: list[AttachmentFile | None] = []
    for index, item in enumerate(node.items, start=1):
        where = Where(reader.file, item.line)
        attached: AttachmentFile | None = None
        if item.is_map:
            entry = ATTACHMENT.values(item, reader.file, problems, f"attachments 的第{index}项")
            raw_title = entry["title"]
            where = entry.where("title")
            data = entry["data"]
            if data:
                attached = _attachment_file(
                    notice, data, entry["sheet"], entry.where("data"), entry.where("sheet"), problems
                )
            if not raw_title:
                continue
        elif not item.is_scalar or item.value is None or not str(item.value).strip():
            problems.append(
                error(
                    where,
                    (f"「attachments」（{label}）的每一项都应当是一个附件名称，或 {{title: 附件名称, data: 文件名}}。"),
                )
            )
            continue
        else:
            raw_title = str(item.value)
        title = raw_title.strip()
        if match := _ATTACHMENT_NUMBER.match(title):
            problems.append(
                warning(
                    where,
                    f"附件名称前的序号「{match.group(0).strip()}」不必写，附件会自动编号；已按去掉序号排印，请删去。",
                )
            )
            title = title[match.end() :]
        if title and title[-1] in _FINAL_PUNCTUATION:
            problems.append(
                warning(where, f"附件名称「{title}」末尾不加标点符号（GB/T 9704），请删去「{title[-1]}」。")
            )
        titles.append(Text(title, where))
        files.append(attached)
    return titles, files


def _attachment_file(
    notice: Notice, data: str, sheet: str | None, data_where: Where, sheet_where: Where, problems: list[Problem]
) -> AttachmentFile | None:
    path = notice.path.parent / data
    display = str(Path(notice.file).parent / data)
    if path.suffix.lower() in (".txt", ".md"):
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            problems.append(error(data_where, f"找不到附件文件 {data}。路径相对于这个通知文件。"))
            return None
        except (OSError, UnicodeDecodeError):
            problems.append(
                error(data_where, f"附件文件 {data} 无法按 UTF-8 读取。请在记事本或 WPS 中另存为 UTF-8 文本。")
            )
            return None
        notice.sources.append(display)
        paragraphs, start = [], None
        lines = raw.splitlines()
        for number, line in enumerate(lines + [""], start=1):
            if line.strip():
                start = start or number
                continue
            if start is not None:
                text = "".join(part.strip() for part in lines[start - 1 : number - 1])
                paragraphs.append(Text(text, Where(display, start)))
                start = None
        return AttachmentFile(paragraphs=paragraphs)
    notice.sources.append(display)
    table, found = read_table(path, display, sheet=sheet, sheet_where=sheet_where, data_where=data_where, specs=[])
    problems += found
    if table is None or any(p.is_error for p in found):
        return None
    return AttachmentFile(table=table)


def _place_tables(paragraphs: list[Text], tables: list[NoticeTable], problems: list[Problem]) -> list[Text | int]:
    body: list[Text | int] = []
    placed: dict[int, Where] = {}
    for paragraph in paragraphs:
        match = TABLE_MARKER.match(paragraph.value)
        if not match:
            body.append(paragraph)
            continue
        number = int(match.group(1))
        if not 1 <= number <= len(tables):
            available = f" tables 中只有 {len(tables)} 个表格" if tables else "没有写 tables"
            problems.append(
                error(
                    paragraph.where,
                    f"「{paragraph.value}」指向第{number}个表格，但{available}。请改正序号或在 tables 中加上数据文件。",
                )
            )
            continue
        if number in placed:
            problems.append(
                error(paragraph.where, f"「{paragraph.value}」已经在 {placed[number]} 用过，一个表格只能放一处。")
            )
            continue
        placed[number] = paragraph.where
        body.append(number - 1)
    body += [index for index in range(len(tables)) if index + 1 not in placed]
    return body


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[NoticeContent | None, list[Problem]]:
    problems: list[Problem] = []
    if notice.orientation == "landscape":
        problems.append(
            warning(
                notice.at("orientation"),
                "公告、通知按 GB/T 9704 竖版排印，横向（landscape）不起作用，请删去 orientation。",
            )
        )
        notice.orientation = "portrait"
    to_text = reader[TO]
    paragraphs = read_body(notice, reader, KEYS["body"], "公告或通知的正文", problems, breaks=TABLE_MARKER)
    tables = _tables(notice, reader, problems)
    attachments, files = _attachments(notice, reader, problems)
    body = _place_tables(paragraphs, tables, problems)
    seal = reader[SEAL]
    if not paragraphs:
        return None, problems
    to = Text(to_text, reader.where("to")) if to_text else None
    content = NoticeContent(to, body, tables, attachments, files, seal)
    if _wants_mask(reader, problems):
        _mask(notice, content, settings)
    return content, problems


def _wants_mask(reader: Values, problems: list[Problem]) -> bool:
    node = reader[MASK]
    if node is not None and (node.is_seq or node.is_map):
        problems.append(
            error(
                reader.where("mask"),
                (
                    "公告、通知的「mask」（遮盖号码）写 true 或 false，不列列名：mask: true 会遮盖标题、正文和表格中的"
                    "全部身份证号、手机号和银行卡号。"
                ),
            )
        )
        return False
    return reader.boolean(MASK.name, MASK.label)


def _mask(notice: Notice, content: NoticeContent, settings: Settings) -> None:
    """Mask every personal number in what the notice prints, before layout sees it."""
    rules = privacy.policy(settings.privacy)

    def masked(text: Text) -> Text:
        value, found = privacy.mask(text.value, rules)
        return Text(value, text.where) if found else text

    notice.title = masked(notice.title)
    if content.to:
        content.to = masked(content.to)
    content.body = [masked(item) if isinstance(item, Text) else item for item in content.body]
    content.attachments = [masked(item) for item in content.attachments]
    for attached in content.files:
        if attached:
            attached.paragraphs = [masked(item) for item in attached.paragraphs]
    file_tables = [NoticeTable(f.table, None, Where("", None)) for f in content.files if f and f.table]
    for item in content.tables + file_tables:
        if item.caption:
            item.caption = masked(item.caption)
        for column in item.table.columns:
            column.header = masked(Text(column.header, column.where)).value
        for row in item.table.rows:
            for cell in row.cells.values():
                cell.text = masked(Text(cell.text, cell.where)).value


# -- check ------------------------------------------------------------------------------------


def _heading_number(level: int, marker: str) -> int | None:
    digits = re.sub(r"[、（）().．]", "", marker)
    return int(digits) if level >= 3 else chinese_number(digits)


def _marker(level: int, number: int) -> str:
    return {
        1: f"{chinese_numeral(number)}、",
        2: f"（{chinese_numeral(number)}）",
        3: f"{number}.",
        4: f"（{number}）",
    }[level]


def check(notice: Notice, content: NoticeContent | None, workspace: Workspace) -> list[Problem]:
    """Heading numbers run on without gaps at each level (a new higher heading restarts the lower ones)."""
    if content is None:
        return []
    problems: list[Problem] = []
    last = {1: 0, 2: 0, 3: 0, 4: 0}
    for paragraph in content.paragraphs:
        level, marker = heading_level(paragraph.value)
        number = _heading_number(level, marker) if level else None
        if number is None:
            continue
        expected = last[level] + 1
        if number != expected and number != 1:
            problems.append(
                warning(
                    paragraph.where,
                    (
                        f"序号「{marker}」不连续："
                        f"前面同级的序号到 {_marker(level, last[level]) if last[level] else '（无）'}，"
                        f"这里应是「{_marker(level, expected)}」。请检查是否漏了一段或序号写错。"
                    ),
                )
            )
        last[level] = number
        for deeper in range(level + 1, 5):
            last[deeper] = 0
    return problems


# -- compose ----------------------------------------------------------------------------------


def _paragraph(source: Text) -> DocParagraph:
    text = source.value
    level, _ = heading_level(text)
    phrase = heading_phrase(text) if level else ""
    # a heading on a line of its own (一、选举日期和地点) stays with what follows; a list item does not
    heading_only = bool(level) and text[-1] not in _FINAL_PUNCTUATION and len(text) <= HEADING_MAX_CHARS
    if level in (1, 2):
        spans = [Span(phrase, f"heading{level}")] + ([Span(text[len(phrase) :])] if text != phrase else [])
    else:
        spans = [Span(text)]
    return DocParagraph(spans, keep_with_next=heading_only, sources=(source,))


def _table(item: NoticeTable, number: int | None) -> TableBlock:
    columns = []
    for column in item.table.columns:
        cells = [row.text(column.key) for row in item.table.rows]
        numeric = all(_NUMERIC_CELL.match(c) for c in cells if c) and any(cells)
        columns.append(
            TableColumn(
                column.header, "right" if numeric else "left", wrap=any(len(c) > 8 for c in cells), source=column.where
            )
        )
    keys = [c.key for c in item.table.columns]
    rows = [
        TableRow(
            [row.text(key) for key in keys],
            sources={i: row.cells[key].where for i, key in enumerate(keys) if key in row.cells},
        )
        for row in item.table.rows
    ]
    caption = item.caption.value if item.caption else (f"表{number}" if number else "")
    return TableBlock(
        columns,
        rows,
        caption=caption,
        caption_align="center",  # 公文 tables: title centred
        caption_sources=(item.caption,) if item.caption else (),
    )


def compose(notice: Notice, content: NoticeContent) -> Composition:
    blocks: list = []
    if content.to:
        blocks.append(DocParagraph([Span(content.to.value)], indent=0, sources=(content.to,)))
    for item in content.body:
        if isinstance(item, int):
            blocks.append(_table(content.tables[item], item + 1))
            blocks += table_notes(content.tables[item].table)
        else:
            blocks.append(_paragraph(item))
    if content.attachments:
        blocks.append(Attachments([t.value for t in content.attachments], tuple(content.attachments)))
    blocks.append(Signature(notice.issuer.value, chinese_date(notice.date), seal=content.seal))
    numbered = len(content.attachments) > 1
    for index, (title, attached) in enumerate(zip(content.attachments, content.files), start=1):
        if attached is None:
            continue
        inner: list = [_paragraph(p) for p in attached.paragraphs]
        if attached.table:
            inner.append(_table(NoticeTable(attached.table, None, title.where), None))
        blocks.append(AttachmentPage(index if numbered else None, title.value, inner, title))
    period = notice_display_period(notice)
    meta = [f"公示期：{period}"] if period is not None else []
    return Composition(blocks=blocks, meta=meta, layout="document")


KIND = KindSpec(
    name="notice",
    label="公告通知",
    design="notice",
    options=OPTIONS,
    content=NoticeContent,
    columns=None,
    load=load,
    check=check,
    compose=compose,
    masks=privacy.MASK_ALL,
)
