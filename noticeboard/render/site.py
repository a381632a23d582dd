"""The online copy: each notice's page and the site index, from the same composition as the sheet.

The page is built by walking the very blocks the sheet was laid out from, so it shows
the same title, numbers and names (masked where the sheet is masked), never anything
scraped from the PDF and never more than the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..dates import chinese_date
from ..layout.bars import CellBar
from ..layout.blocks import HEADING, NOTE, PARAGRAPH, SIGNATURE, BarChart, Paragraph, Spacer, Table
from ..layout.document import AttachmentPage, Attachments, DocParagraph, Signature
from ..layout.flowchart import Flowchart
from ..layout.groups import BalancedColumns, Continued
from ..layout.stats import StatStrip


@dataclass
class HtmlHeading:
    text: str
    level: int = 2
    tag: str = "heading"


@dataclass
class HtmlParagraph:
    spans: list[tuple[str, bool]]  # (text, strong)
    muted: bool = False
    tag: str = "paragraph"


@dataclass
class HtmlCell:
    text: str
    bar: float | None = None  # 0..1 for a progress bar
    look: str = ""  # a CSS class for the bar
    strong: bool = False


@dataclass
class HtmlTable:
    caption: str
    headers: list[str]
    numeric: list[bool]
    rows: list[tuple[list[HtmlCell], bool, bool, int]]  # (cells, strong, total, indent)
    wide: list[bool] = field(default_factory=list)  # columns whose long cells should wrap
    cards: bool = False  # too wide for a phone: each row becomes a card below 48rem
    title_column: int | None = None  # a card's heading (the row's name)
    key_column: int | None = None  # a card's figure set large (progress, amount)
    prefix_column: int | None = None  # 序号 or 科目编码: written before a card's heading instead of as a pair
    full: list[bool] = field(default_factory=list)  # columns whose cells take a card's whole width
    label: str = ""  # names the table's region: its caption, else the heading above it
    tag: str = "table"


@dataclass
class HtmlStats:
    items: list[tuple[str, str]]
    tag: str = "stats"


@dataclass
class HtmlChartRow:
    category: str
    budget: str  # the amounts as the sheet prints them
    actual: str
    percent: str  # 完成%, "—" for no budget
    fill: float  # the bar's filled share of the track, 0..1 (the track stands for the chart's axis end)


@dataclass
class HtmlChart:
    title: str
    series: list[str]  # the track's and the fill's names (预算数, 累计数)
    rows: list[HtmlChartRow]
    budget_end: float  # where 100% of the budget falls on the track, 0..1
    elapsed: float | None  # where 序时进度 falls on the track, 0..1; None: no line
    elapsed_label: str
    tag: str = "chart"


@dataclass
class HtmlList:
    label: str
    items: list[str]
    tag: str = "list"


@dataclass
class HtmlSignature:
    issuer: str
    date_text: str
    tag: str = "signature"


SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
WRAP_FROM = 12  # characters: a column with longer cells wraps on a phone; shorter ones stay on one line


def _bar_class(bar: CellBar) -> str:
    return re.sub(r"[^a-z0-9-]", "-", bar.look.lower())


PHONE_WIDTH = 328  # px a table may take on a 360 px phone, inside the page's margins
HALF_CARD = 140  # px: a cell wider than half a card on a 360 px phone takes the card's whole width
CELL_PADDING = 17  # px of padding and border per cell
# a card's figure set large: the first column whose header holds one of these (a bar column comes first)
KEY_HEADERS = ("进度", "累计", "金额", "合计", "总计")
TITLE_SKIP = ("序号", "编号", "编码", "代码")  # identifiers: a pair in the card, not its heading


def text_width(text: str, size: float = 15.6) -> float:
    """Rough rendered width in px: CJK and full-width characters take one em, the rest about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.56 for c in text)


def _fits_a_phone(headers: list[str], rows: list[list[str]]) -> bool:
    width = 0.0
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows]
        widest = max([text_width(header)] + [text_width(c) for c in cells])
        width += min(widest, 7 * 15.6) + CELL_PADDING  # a long cell wraps, but not below 7 characters
    return width <= PHONE_WIDTH and all(max((len(r[i]) for r in rows), default=0) <= 16 for i in range(len(headers)))


def _title_column(headers: list[str], numeric: list[bool]) -> int | None:
    for index, header in enumerate(headers):
        if not numeric[index] and not any(word in header for word in TITLE_SKIP):
            return index
    return None


def _key_column(headers: list[str], numeric: list[bool], rows) -> int | None:
    for index in range(len(headers)):
        if any(cells[index].bar is not None for cells, *_ in rows):
            return index
    for word in KEY_HEADERS:
        for index, header in enumerate(headers):
            if word in header and numeric[index]:
                return index
    return None


def _unpaired(block: Table) -> Table:
    """A print table set two pairs to a row (事项 内容 事项 内容) reads one pair to a row online."""
    labels = [c.label for c in block.columns]
    half = len(labels) // 2
    if half < 1 or len(labels) % 2 or labels[:half] != labels[half:]:
        return block
    rows = []
    for row in block.rows:
        for part in (row.cells[:half], row.cells[half:]):
            if any(part):
                rows.append(replace(row, cells=list(part), strong={i for i in row.strong if i < half}, bars={}))
    return replace(block, columns=block.columns[:half], rows=rows)


def _table(block: Table) -> HtmlTable:
    block = _unpaired(block)
    numeric = [column.align == "right" for column in block.columns]
    rows = []
    # block.rows, not all_rows: all_rows may hold a whole group of tables, kept only for equal column widths
    for row in block.rows:
        cells = []
        for index, text in enumerate(row.cells):
            bar = row.bars.get(index) if getattr(row, "bars", None) else None
            cells.append(
                HtmlCell(
                    text,
                    bar.fraction if bar else None,
                    _bar_class(bar) if bar else "",
                    index in getattr(row, "strong", set()),
                )
            )
        rows.append((cells, row.bold, row.total, row.indent))
    wide = [max((len(cells[i].text) for cells, *_ in rows), default=0) > WRAP_FROM for i in range(len(numeric))]
    headers = [c.label for c in block.columns]
    cards = not _fits_a_phone(headers, [[c.text for c in cells] for cells, *_ in rows])
    title = _title_column(headers, numeric) if cards else None
    prefix = next((i for i in range(title) if any(w in headers[i] for w in TITLE_SKIP)), None) if title else None
    full = [max((text_width(cells[i].text) for cells, *_ in rows), default=0) > HALF_CARD for i in range(len(headers))]
    return HtmlTable(
        block.caption,
        headers,
        numeric,
        rows,
        wide,
        cards,
        title,
        _key_column(headers, numeric, rows) if cards else None,
        prefix,
        full,
    )


def _chart(block: BarChart) -> HtmlChart:
    """The sheet's chart as the phone shows it: the same bars on the same axis, the same figures and 序时进度."""
    end = block.axis_end()
    rows = [
        HtmlChartRow(
            row.category,
            row.budget_text,
            row.actual_text,
            row.percent,
            min(max(row.share or 0.0, 0.0), end) / end,
        )
        for row in block.rows
    ]
    elapsed = block.elapsed
    return HtmlChart(
        block.title,
        list(block.labels),
        rows,
        1.0 / end,
        None if elapsed is None else min(elapsed, end) / end,
        "" if elapsed is None else block.elapsed_label(elapsed),
    )


def _paragraph(block: Paragraph) -> HtmlHeading | HtmlParagraph:
    """By the paragraph's role: a heading is a heading (一、 a section, h2; （一） one level below);
    notes and signatures read as the sheet sets them, a line of text in the page's flow."""
    if block.role == HEADING:
        return HtmlHeading(block.text, 3 if SUBHEADING.match(block.text) else 2)
    if block.role in (PARAGRAPH, NOTE, SIGNATURE):
        return HtmlParagraph([(block.text, block.bold)], muted=block.colour == "colours.muted")
    raise TypeError(f"no online form for a paragraph of role {block.role!r}")


def html_parts(blocks: list) -> list:
    """The page's content, in the order of the sheet."""
    parts = _html_parts(blocks)
    heading = "表格"
    for part in parts:  # every table region gets its own name, which screen readers list
        if isinstance(part, HtmlHeading):
            heading = part.text
        elif isinstance(part, HtmlTable):
            part.label = part.caption or heading
    return parts


def _html_parts(blocks: list) -> list:
    parts: list = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, BarChart):
            parts.append(_chart(block))
        elif isinstance(block, StatStrip):
            parts.append(HtmlStats([(s.label, s.value) for s in block.stats]))
        elif isinstance(block, BalancedColumns):
            parts += _html_parts(block.blocks)
        elif isinstance(block, Continued):
            parts += _html_parts([block.block])
        elif isinstance(block, DocParagraph):
            if block.spans and block.spans[0].role != "body" and len(block.spans) == 1:
                parts.append(HtmlHeading(block.text, 2 if block.spans[0].role == "heading1" else 3))
            else:
                parts.append(HtmlParagraph([(s.text, s.role != "body") for s in block.spans]))
        elif isinstance(block, Attachments):
            parts.append(HtmlList("附件", list(block.titles)))
        elif isinstance(block, Signature):
            parts.append(HtmlSignature(block.issuer, block.date_text))
        elif isinstance(block, Flowchart):
            parts.append(HtmlList("办理步骤", block.as_list()))
        elif isinstance(block, AttachmentPage):
            label = "附件" if block.number is None else f"附件{block.number}"
            parts.append(HtmlHeading(f"{label}　{block.title}", 2))
            parts += _html_parts(block.blocks)
        elif isinstance(block, Spacer):
            continue
        else:  # a new block type must say how it reads online; failing loudly beats leaving content out
            raise TypeError(f"no online form for {type(block).__name__}")
    return parts


@dataclass
class Revision:
    number: int
    date_text: str
    built_at: str
    sha256: str
    file: str | None  # None: this revision's PDF is not on the site (its register was rebuilt)
    code: str = ""  # 核验码


@dataclass
class NoticePage:
    id: str
    title: str
    issuer: str
    date_text: str
    meta: list[str]
    hotline: str | None
    pdf_file: str
    sha256: str
    parts: list
    revisions: list[Revision] = field(default_factory=list)
    draft: bool = False
    signoffs: str | None = None
    pdf_label: str = "印刷版 PDF"  # a letter run links its specimen: each household's letter stays offline
    webfonts: list = field(default_factory=list)  # webfont.WebFont: the page's own rare characters
    status: str = ""  # 公示中 | 已结束 | 未开始 | "" (no 公示期), on the day of the build
    code: str = ""  # the 核验码 printed beside the sheet's QR code
    share: bool = False  # share.png is written beside the page


@dataclass
class IndexEntry:
    id: str
    title: str
    date: dt.date
    date_text: str
    status: str  # 公示中 | 已结束 | 未开始 | "" (no 公示期)
    code: str = ""  # 核验码 of the current revision


@dataclass
class IndexGroup:
    title: str
    entries: list[IndexEntry]


# A phone number as Chinese notices write them: a landline with its area code (0537-1234567, with an
# extension -801), a mobile (13812345678), a 400 number. Not inside a longer number, nor a masked one.
PHONE = re.compile(r"(?<![\d*.,，])(?:0\d{2,3}-?\d{7,8}(?:-\d{1,4})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?![\d*])")
BADGES = {"公示中": "open", "已结束": "closed", "未开始": "soon", "已完成": "done", "推进中": "open", "滞后": "late"}


def tel_link(hotline: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", hotline)


def with_phones(text: str) -> Markup:
    """Escaped ``text`` with every phone number in it a tap-to-call link that never breaks across lines."""
    out, last = [], 0
    for match in PHONE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<a class="tel" href="{}">{}</a>').format(tel_link(match.group()), match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def chinese_dates(text: str) -> str:
    """Every ISO day in ``text`` (a sign-off line) written the Chinese way: 2026-04-10 → 2026年4月10日."""
    return ISO_DAY.sub(lambda m: chinese_date(dt.date(int(m[1]), int(m[2]), int(m[3]))), text)


def readable_time(stamp: str) -> str:
    """An ISO build time (2026-04-12T09:30:05+08:00) as 2026年4月12日 09:30."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


@cache  # compiling the page templates took longer than rendering every page of a build with them
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("noticeboard", "render/html"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(phones=with_phones, when=readable_time, badge=BADGES.get, cn_dates=chinese_dates)
    return environment


def notice_html(page: NoticePage) -> str:
    return _environment().get_template("notice.html").render(page=page, tel=tel_link, webfonts=page.webfonts)


def with_webfonts(render, stack, prefix: str = "rare") -> tuple[str, list]:
    """``render(webfonts) -> html`` once to see which rare characters the page holds, then again
    with the WOFF2 subsets that draw exactly those; returns (html, fonts to write beside it)."""
    from .webfont import web_fonts

    html = render([])
    fonts = web_fonts(html, stack, prefix) if stack is not None else []
    return (render(fonts) if fonts else html), fonts


def index_html(site_title: str, groups: list[IndexGroup], built_on: dt.date, webfonts: list | None = None) -> str:
    return (
        _environment()
        .get_template("index.html")
        .render(title=site_title, groups=groups, built_on=built_on, webfonts=webfonts or [])
    )


def display_status(start: dt.date, end: dt.date | None, today: dt.date) -> str:
    if end is None:
        return ""
    if today < start:
        return "未开始"
    return "公示中" if today <= end else "已结束"
