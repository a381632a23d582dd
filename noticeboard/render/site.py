"""The online copy: each notice's page and the site index, from the same composition as the sheet.

The page is built by walking the very blocks the sheet was laid out from, so it shows
the same title, numbers and names (masked where the sheet is masked), never anything
scraped from the PDF and never more than the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, select_autoescape

from ..layout.bars import CellBar
from ..layout.blocks import BarChart, Paragraph, Spacer, Table
from ..layout.document import AttachmentPage, Attachments, DocParagraph, Signature
from ..layout.flowchart import Flowchart
from ..layout.groups import BalancedColumns, Continued
from ..layout.stats import StatStrip


@dataclass
class HtmlHeading:
    text: str
    level: int = 3
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
    tag: str = "table"


@dataclass
class HtmlStats:
    items: list[tuple[str, str]]
    tag: str = "stats"


@dataclass
class HtmlChart:
    title: str
    series: list[str]
    rows: list[tuple[str, list[tuple[float, float]]]]  # (category, [(value, share of the largest)])
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


WRAP_FROM = 8  # characters: a column with longer cells wraps on a phone; shorter ones stay on one line


def _bar_class(bar: CellBar) -> str:
    return re.sub(r"[^a-z0-9-]", "-", bar.look.lower())


def _table(block: Table) -> HtmlTable:
    numeric = [column.align == "right" for column in block.columns]
    rows = []
    for row in block.all_rows or block.rows:
        cells = []
        for index, text in enumerate(row.cells):
            bar = row.bars.get(index) if getattr(row, "bars", None) else None
            cells.append(HtmlCell(text, bar.fraction if bar else None, _bar_class(bar) if bar else "",
                                  index in getattr(row, "strong", set())))
        rows.append((cells, row.bold, row.total, row.indent))
    wide = [max((len(cells[i].text) for cells, *_ in rows), default=0) > WRAP_FROM for i in range(len(numeric))]
    return HtmlTable(block.caption, [c.label for c in block.columns], numeric, rows, wide)


def _chart(block: BarChart) -> HtmlChart:
    largest = max((v for _, values, _ in block.series for v in values), default=0) or 1
    rows = []
    for index, category in enumerate(block.categories):
        rows.append((category, [(values[index], values[index] / largest) for _, values, _ in block.series]))
    return HtmlChart(block.title, [label for label, _, _ in block.series], rows)


def html_parts(blocks: list) -> list:
    """The page's content, in the order of the sheet."""
    parts: list = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.bold and block.keep_with_next:
                parts.append(HtmlHeading(block.text))
            else:
                parts.append(HtmlParagraph([(block.text, block.bold)], muted=block.colour == "colours.muted"))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, BarChart):
            parts.append(_chart(block))
        elif isinstance(block, StatStrip):
            parts.append(HtmlStats([(s.label, s.value) for s in block.stats]))
        elif isinstance(block, BalancedColumns):
            parts += html_parts(block.blocks)
        elif isinstance(block, Continued):
            parts += html_parts([block.block])
        elif isinstance(block, DocParagraph):
            if block.spans and block.spans[0].role != "body" and len(block.spans) == 1:
                parts.append(HtmlHeading(block.text, 3 if block.spans[0].role == "heading1" else 4))
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
            parts.append(HtmlHeading(f"{label}　{block.title}", 3))
            parts += html_parts(block.blocks)
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


@dataclass
class IndexEntry:
    id: str
    title: str
    date: dt.date
    date_text: str
    status: str  # 公示中 | 已结束 | 未开始 | "" (no 公示期)


@dataclass
class IndexGroup:
    title: str
    entries: list[IndexEntry]


def _environment() -> Environment:
    return Environment(loader=PackageLoader("noticeboard", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def tel_link(hotline: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", hotline)


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
    return _environment().get_template("index.html").render(title=site_title, groups=groups, built_on=built_on,
                                                            webfonts=webfonts or [])


def display_status(start: dt.date, end: dt.date | None, today: dt.date) -> str:
    if end is None:
        return ""
    if today < start:
        return "未开始"
    return "公示中" if today <= end else "已结束"
