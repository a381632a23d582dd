"""letter: 致村民的一封信, one letter per household (SPEC §2), and its 签收登记表.

Keys, besides the common ones:

``body`` (正文, required)
    The letter, one paragraph per line (``body: |``), or a list of paragraphs. ``{列名}``
    is replaced by that column of the household's row, e.g. ``尊敬的{户主}户：``; ``{{`` and
    ``}}`` print a brace. A first line ending in ：is the salutation, set flush left; a line
    that starts with 一、 or （一） is a heading; ``此致`` is indented and ``敬礼！`` flush left,
    as a Chinese letter sets them. The issuer and the date follow at the lower right.
``sort_by`` (排序列, optional)
    Columns to order the letters by, e.g. ``[村民小组, 户号]``, so that each group
    leader's stack comes out together. Numbers inside values sort as numbers (第二 before
    第十, 2 before 10). Without it the letters follow the data file.
``qr_per_household`` (每户二维码, optional)
    ``true`` gives each letter its own QR code, ``base_url + id + "/?h=<户号>"``, so the
    committee can see which households opened it. Otherwise every letter carries the
    online copy's address.
``imposition`` (拼版, optional)
    ``2up`` with ``paper: A5`` prints two letters on each A4 sheet, with a cut line.
``mask`` (遮盖列, optional)
    Columns whose ID numbers, mobiles and bank cards are masked before printing
    (noticeboard.masking).

The data (``data:``) has one row per household: 户号 and 户主 are required; 村民小组 and 地址
are printed on each letter and in the receipt register when present. Every 户号 must be
filled in and unique: the receipt register and the per-household QR code rely on it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..dates import chinese_date
from ..layout.document import DocParagraph, Signature, Span, heading_level
from ..layout.letter import NAMED_SLOT, LetterRun
from ..load import masking, options
from ..load.bodytext import join_lines, read_body
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec
from ..models import Column, Notice, Settings, Table, Text, Workspace
from ..numerals import chinese_number
from ..privacy import MASK_COLUMNS, masked_text
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec

COLUMNS = [
    ColumnSpec("household", "户号", aliases=("户编号", "户编码")),
    ColumnSpec("head", "户主", aliases=("户主姓名",)),
    ColumnSpec("group", "村民小组", required=False, aliases=("组别", "小组", "所在小组", "村组")),
    ColumnSpec("address", "地址", required=False, aliases=("住址", "家庭住址", "家庭地址", "居住地址")),
]
ALIASES = {spec.key: spec.zh for spec in COLUMNS}
QR_PER_HOUSEHOLD = options.boolean("qr_per_household", "每户二维码")
IMPOSITION = options.text("imposition", "拼版")
OPTIONS = Schema(
    "通知文件",
    (
        options.raw("body", "正文"),
        options.raw("sort_by", "排序列"),
        QR_PER_HOUSEHOLD,
        IMPOSITION,
        options.raw(masking.KEY, masking.LABEL),
    ),
)
KEYS = OPTIONS.keys
PAPERS = ("A4", "A5")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|｛([^｛｝\n]*)｝|[{}]")
_NUMBER_RUN = re.compile(r"\d+|[零一二三四五六七八九十百]+")
_NUMBER_CELL = re.compile(r"\d+\.0+|\d+(\.\d+)?[eE][+-]?\d+")  # 301001.0, 3.70102E+17: a number cell


@dataclass(frozen=True)
class Slot:
    """A placeholder: the column (canonical key) whose value goes here."""

    key: str
    name: str  # as written in the body, e.g. 户主


@dataclass
class LetterParagraph:
    segments: list[str | Slot]
    role: str  # salutation | heading | body | closing (此致) | flush (敬礼)
    where: Where

    @property
    def slots(self) -> list[Slot]:
        return [s for s in self.segments if isinstance(s, Slot)]

    def fill(self, values: dict[str, str]) -> str:
        return "".join(s if isinstance(s, str) else values.get(s.key, "") for s in self.segments)

    def shown(self) -> str:
        """The paragraph with its placeholders named, not filled: 尊敬的〔户主〕户："""
        return "".join(s if isinstance(s, str) else NAMED_SLOT.format(s.name) for s in self.segments)


@dataclass
class Household:
    values: dict[str, str]  # column key -> cell text (masked where declared)
    row: int
    where: Where  # the row's 户号 cell
    sort_values: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def number(self) -> str:
        return self.values.get("household", "")


@dataclass
class LetterContent:
    paragraphs: list[LetterParagraph]
    households: list[Household]  # in print order (sort_by applied)
    columns: dict[str, Column]  # key -> column, for headers in messages and on the letter
    qr_per_household: bool = False
    imposition: str | None = None  # "2up"
    printed: list[Text] = field(default_factory=list)  # every value a letter or the register prints

    @property
    def used_keys(self) -> list[str]:
        return list(dict.fromkeys(s.key for p in self.paragraphs for s in p.slots))


# -- load -------------------------------------------------------------------------------------


def _find(table: Table, name: str) -> Column | None:
    return masking.find_column(table, name, ALIASES)


def _parse(text: Text, table: Table, problems: list[Problem]) -> list[str | Slot]:
    present = "、".join(masked_text(c.header) for c in table.columns)
    segments: list[str | Slot] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text.value):
        segments.append(text.value[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            segments.append(token[0])
            continue
        if token.startswith("｛"):  # typed with a Chinese input method: a placeholder only if it names a column
            column = _find(table, match.group(2).strip())
            segments.append(Slot(column.key, match.group(2).strip()) if column else token)
            continue
        if token in ("{", "}"):
            problems.append(
                error(
                    text.where,
                    (
                        f"正文中有一个没有配对的「{token}」。占位符要写成 {{列名}}，例如 {{户主}}；"
                        "要印出花括号本身，请写两个：{{ 或 }}。"
                    ),
                )
            )
            segments.append(token)
            continue
        name = match.group(1).strip()
        column = _find(table, name) if name else None
        if column is None:
            shown = token if name else "{}"
            problems.append(
                error(
                    text.where,
                    (
                        f"正文中的占位符「{shown}」在数据表 {table.display} 中没有对应的列。"
                        f"请改成表头里的列名，写成 {{列名}}。表中现有的列：{present}。"
                    ),
                )
            )
            segments.append(token)
            continue
        segments.append(Slot(column.key, name))
    segments.append(text.value[position:])
    merged: list[str | Slot] = []
    for segment in segments:
        if isinstance(segment, str) and merged and isinstance(merged[-1], str):
            merged[-1] += segment
        elif segment != "":
            merged.append(segment)
    return merged


def _role(index: int, text: str) -> str:
    if index == 0 and text.rstrip().endswith(("：", ":")) and len(text) <= 40:
        return "salutation"
    if heading_level(text)[0] in (1, 2):
        return "heading"
    if text.strip() == "此致":
        return "closing"
    if text.startswith("敬礼"):
        return "flush"
    return "body"


def _natural(value: str) -> tuple:
    """Sort key where 第二 < 第十 < 第十一 and 9 < 10, for group names and household numbers."""
    key: list[tuple[int, int | str]] = []
    position = 0
    for match in _NUMBER_RUN.finditer(value):
        if match.start() > position:
            key.append((1, value[position : match.start()]))
        run = match.group(0)
        number = int(run) if run.isdigit() else chinese_number(run)
        key.append((0, number) if number is not None else (1, run))
        position = match.end()
    if position < len(value):
        key.append((1, value[position:]))
    return tuple(key)


def _imposition(notice: Notice, reader: Values, problems: list[Problem]) -> str | None:
    value = reader[IMPOSITION]
    if value is None:
        return None
    if value.strip().lower() != "2up":
        problems.append(
            error(
                reader.where("imposition"),
                (
                    f"「imposition」（{KEYS['imposition']}）只能写 2up（两封 A5 信拼在一张 A4 纸上），"
                    f"不能写「{value}」。"
                ),
            )
        )
        return None
    if notice.paper != "A5":
        problems.append(
            error(
                reader.where("imposition"),
                (f"imposition: 2up 是把两封 A5 信拼在一张 A4 纸上，请同时写 paper: A5（现在是 {notice.paper}）。"),
            )
        )
        return None
    return "2up"


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[LetterContent | None, list[Problem]]:
    assert table is not None
    problems: list[Problem] = []
    if notice.paper not in PAPERS:
        problems.append(
            error(
                notice.at("paper"),
                (
                    "一封信印在一张纸上，只能用 A4 或 A5（两封拼一张 A4 时写 paper: A5 和 imposition: 2up），"
                    f"不能用 {notice.paper}。"
                ),
            )
        )
    if tail := table.notes + table.signatures:
        problems.append(
            warning(
                tail[0].where,
                (
                    f"表格下方的「{tail[0].value[:20]}」等 {len(tail)} 行是说明，不会印在信上。要告诉各户的话，"
                    "请写进 body。"
                ),
            )
        )
    if notice.orientation == "landscape":
        problems.append(
            warning(notice.at("orientation"), "信按竖版排印，横向（landscape）不起作用，请删去 orientation。")
        )
        notice.orientation = "portrait"
    for label, text in (("标题", notice.title), ("落款", notice.issuer)):
        if re.search(r"[{｛][^{}｛｝]+[}｝]", text.value):
            problems.append(
                warning(
                    text.where,
                    (
                        f"{label}「{text.value}」里的花括号不会换成各户的内容：占位符只在正文（body）里起作用，"
                        f"每封信的{label}都一样。"
                    ),
                )
            )
    texts = read_body(notice, reader, KEYS["body"], "信的正文", problems, one_per_line=True)
    paragraphs = [
        LetterParagraph(_parse(text, table, problems), _role(index, text.value), text.where)
        for index, text in enumerate(texts)
    ]
    sort_columns, found = masking.named_columns(reader, "sort_by", KEYS["sort_by"], table, ALIASES)
    problems += found
    imposition = _imposition(notice, reader, problems)
    qr_per_household = reader[QR_PER_HOUSEHOLD]
    declared, found = masking.declared_columns(reader, table, ALIASES)
    problems += found
    if any(p.is_error for p in problems) or not paragraphs:
        return None, problems
    masking.mask_columns(table, declared, settings)
    content = LetterContent(paragraphs, [], {c.key: c for c in table.columns}, qr_per_household, imposition)
    printed_keys = list(dict.fromkeys(["household", "head", "group", "address"] + content.used_keys))
    used = set(content.used_keys)
    first_row: dict[str, Where] = {}
    group_above = ""
    for row in table.rows:
        # a line break typed inside a cell (Alt+Enter) would split a name across two lines of the letter
        values = {key: join_lines(row.text(key).splitlines()) for key in printed_keys if key in row.cells}
        if "group" in values:  # a 村民小组 cell merged over its rows in Excel reads as blank below the first
            values["group"] = group_above = values["group"] or group_above
        where = row.cells["household"].where
        number = values["household"]
        if not number:
            problems.append(
                error(where, "这一户的「户号」是空的。每户都要有户号：签收登记表和二维码都靠它区分各户，请补上。")
            )
        elif _NUMBER_CELL.fullmatch(number):
            problems.append(
                error(
                    where,
                    (
                        f"户号「{number}」被 Excel 存成了数字，前面的 0 或后几位可能已经丢失。"
                        "请把户号这一列设为「文本」格式，重新录入后再保存。"
                    ),
                )
            )
        elif (same := unicodedata.normalize("NFKC", number)) in first_row:  # ０３ is 03 typed in full width
            problems.append(
                error(
                    where,
                    (
                        f"户号「{masked_text(number)}」与 {first_row[same]} 重复：同一户印了两封信，或者户号录错了。"
                        "请改正。"
                    ),
                )
            )
        else:
            first_row[same] = where
        for key in printed_keys:
            cell = row.cells.get(key)
            if cell is None:
                continue
            if values[key]:
                content.printed.append(Text(values[key], cell.where))
            elif key in used and key != "household":  # an empty 户号 is an error of its own, above
                header = content.columns[key].header
                problems.append(
                    warning(
                        cell.where,
                        (
                            f"第 {row.number} 行的「{header}」是空的，这一户的信里 {{{header}}} 的位置会空着。请补上，"
                            "或确认就是空的。"
                        ),
                    )
                )
        sort_values = {column.key: values.get(column.key, row.text(column.key)) for column in sort_columns}
        content.households.append(Household(values, row.number, where, sort_values))
    if sort_columns:  # stable: households equal on every sort column keep the file's order
        keys = [column.key for column in sort_columns]
        # the text itself breaks ties, so 第1组 and 第一组 (the same number) never interleave
        content.households.sort(key=lambda h: tuple((_natural(v), v) for v in (h.sort_values.get(k, "") for k in keys)))
    return content, problems


# -- check ------------------------------------------------------------------------------------


def check(notice: Notice, content: LetterContent | None, workspace: Workspace) -> list[Problem]:
    """A letter has no rules of its own beyond those of its load: the privacy scanner
    (checks/privacy.py) reads the template and every household value it prints."""
    return []


# -- compose ----------------------------------------------------------------------------------


def _doc_paragraph(paragraph: LetterParagraph) -> DocParagraph:
    text = paragraph.shown()
    if paragraph.role == "heading":
        return DocParagraph(
            [Span(text, "heading1" if heading_level(text)[0] == 1 else "heading2")], keep_with_next=True
        )
    indent = 0.0 if paragraph.role in ("salutation", "flush") else 2.0
    return DocParagraph([Span(text)], indent=indent)


def _labels(content: LetterContent) -> dict[str, str]:
    """What each column is called where no household fills it: as the body names it, else its Chinese name."""
    labels = {key: ALIASES.get(key, column.header) for key, column in content.columns.items()}
    named: dict[str, str] = {}
    for paragraph in content.paragraphs:
        for slot in paragraph.slots:
            named.setdefault(slot.key, slot.name)
    return labels | named


def compose(notice: Notice, content: LetterContent) -> Composition:
    """The online copy's blocks (the letter with its placeholders named) and the run for the printer."""
    blocks: list = [_doc_paragraph(p) for p in content.paragraphs]  # 公文 blocks, set by the document template
    blocks.append(Signature(notice.issuer.value, chinese_date(notice.date)))
    run = LetterRun(
        paragraphs=content.paragraphs,
        households=content.households,
        labels=_labels(content),
        qr_per_household=content.qr_per_household,
        imposition=content.imposition,
    )
    meta = [f"发布日期：{chinese_date(notice.date)}", f"逐户发放，共{len(content.households)}户"]
    # every letter prints the template's own words and its household's values; the checks read them here
    template = [Text(p.fill({}), p.where) for p in content.paragraphs]
    return Composition(blocks=blocks, meta=meta, layout="letter", letters=run, printed=template + content.printed)


KIND = KindSpec(
    name="letter",
    label="一封信",
    design="letter",
    options=OPTIONS,
    content=LetterContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
    open_columns=True,
    masks=MASK_COLUMNS,
)
