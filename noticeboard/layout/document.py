"""The GB/T 9704-2012 document page (公文格式), for 公告 and 通知: the "document" template.

A4 geometry, from the design's ``document`` keys: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm,
22 lines of 28 characters. Text sits on a grid of ``lines`` slots per page (pitch = 225 mm / 22);
each line's characters start at the top of their slot, so the first line starts exactly at
the 天头. The body size is 三号 (16 pt) capped by the grid: 156 mm / 28 = 15.8 pt, which is how
a word processor's 28-character grid sets 三号 and makes 28 characters fill the line.
On A3 to A0 every length and size is multiplied by the paper's width over 210 mm.

What each page carries, keeping the 版心 free for the document itself:

- page 1: the title (centred, on the grid, balanced lines when it wraps), a blank line, then
  the body; later pages carry no running header, as 公文 never do;
- every page: in the bottom margin, on the inner side, one compact block: the QR code, beside
  it 扫码查看网上公开版本, the address, the 监督电话 (at least 12 pt on A4) and one small line with
  the issuer, the date, the 公示期 and 第N张/共M张 (and the title on later pages); on the outer side the
  page number ``— N —`` 7 mm below the 版心, one character in from its edge (odd pages
  right, even pages left, GB/T 9704 7.5). When the margin cannot hold the QR code's dark modules
  at the size SPEC §3 gives its version (A5 from version 4, larger paper from version 6), the
  版心 gives up whole lines at its foot instead.

Typefaces go by role (fonts.ROLES): the title in ``title`` (小标宋-like), the body, signature
and page numbers in ``body`` (仿宋-like), 一、 headings in ``heading`` (黑体) and （一） headings in
``subheading`` (楷体); the bottom-margin block in ``sans``. Adjacent full-width punctuation is
compressed (标点挤压): a closing mark before another mark gives up its blank half, an opening
mark after another opening mark gives up its blank half, and a justified line never opens a gap
before a closing mark or after an opening one.

Blocks are plain data built by a kind: ``DocParagraph`` (spans with roles body / heading1 /
heading2, looked up in the design), ``Attachments`` (附件说明, 7.3.4), ``Signature`` (署名 and
成文日期, 7.3.5: without a seal, or with ``seal`` room for a 42 mm one), ``AttachmentPage`` (an
attachment on pages of its own, 7.3.4) and the toolkit's ``blocks.Table``. Layout turns them into
one-slot line units and table-row units, then fills pages: blank lines never start a page, a
paragraph keeps at least two lines on each side of a page break, a heading stays with what
follows, tables repeat their header with （续表）, and the signature keeps its last two lines of
text with it plus a free line under the date, so a seal can still be stamped over it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from ..models import Text
from .blocks import PT_PER_MM, Ctx, Table
from .design import Design
from .fit import LayoutOverflow
from .fonts import FontStack
from .frame import QR_CAPTION, SheetInfo
from .paper import A_SIZES_MM, QR_MINIMUM_MM
from .qr import QUIET_ZONE, qr_matrix, qr_side, qr_version, version_modules
from .sheet import QRItem, Sheet, TextItem
from .text import balanced_wrap, wrap

ASCENT = 0.88  # × size: from the top of the em box to the baseline, as blocks.Paragraph places text
A4_WIDTH_MM = 210.0
MAX_JUSTIFY_CHARS = 2.5  # a line shorter than this (in characters) is spread to the full width; longer gaps stay ragged
TABLE_AIR = 0.35  # × pitch, below a table before the next line
FOOTER_LEADING = 1.2  # × size, the lines beside the QR code
FOOTER_SEPARATOR = "　"  # between the items of the small line; lines break there first
_ITEM_BREAK = "\x1f"  # marks those places until the small line is wrapped (an item may hold a 　 itself)
SEAL_MM = 42.0  # the diameter of an official seal (公章), GB/T 9704 7.3.5.1
FONT_ROLES = {"body": "body", "heading1": "heading", "heading2": "subheading", "title": "title"}
OPENING = frozenset("（「『《〈【〔〖［｛“‘")
CLOSING = frozenset("）」』》〉】〕〗］｝”’。，、；：！？")
PUNCTUATION = OPENING | CLOSING

# 结构层次序数 (GB/T 9704 7.3.3): 一、 （一） 1. （1）
_NUMERAL = "[一二三四五六七八九十百零〇]+"
HEADING_PATTERNS = (
    (1, re.compile(rf"^{_NUMERAL}、")),
    (2, re.compile(rf"^[（(]{_NUMERAL}[）)]")),
    (3, re.compile(r"^\d+[.．、](?!\d)")),  # GB/T writes 1. ; offices often type 1、
    (4, re.compile(r"^[（(]\d+[）)]")),
)
_SENTENCE_END = re.compile(r"[。！？]")


def heading_level(text: str) -> tuple[int, str]:
    """(level, marker) of a paragraph that starts with 一、 （一） 1. or （1）; (0, "") otherwise."""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            return level, match.group(0)
    return 0, ""


def heading_phrase(text: str) -> str:
    """The heading part of a heading paragraph: up to its first full stop, or all of it.

    GB/T practice runs text on after a heading: "（一）选举日期。本届选举日为……" sets only
    "（一）选举日期。" in the heading style.
    """
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


# -- blocks a kind builds ------------------------------------------------------------------


@dataclass
class Span:
    text: str
    role: str = "body"  # body | heading1 | heading2: the design says which weight each uses


@dataclass
class DocParagraph:
    spans: list[Span]
    indent: float = 2.0  # first-line indent in characters; 0 for 顶格 (主送机关)
    keep_with_next: bool = False  # a heading line, or the line that introduces a table
    sources: tuple[Text, ...] = ()  # the user's strings inside the spans, as printed, at their lines

    role = "paragraph"  # its spans carry the heading levels

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)


@dataclass
class Attachments:
    """附件说明: 附件：1.名称, later numbers under the first, wrapped names under the name's first character."""

    titles: list[str]
    sources: tuple[Text, ...] = ()  # the titles, at their lines

    role = "attachments"

    def printed(self) -> Iterator[Text]:
        return iter(self.sources)


@dataclass
class Signature:
    """署名 two characters in from the right, the date under it two characters further right (7.3.5.2);
    with ``seal``: the date 右空四字, the 署名 centred above it, room for a 42 mm seal over both (7.3.5.1)."""

    issuer: str
    date_text: str
    seal: bool = False

    role = "signature"

    def printed(self) -> Iterator[Text]:
        return iter(())  # the issuer is the notice's own, which the checks take from the notice


@dataclass
class AttachmentPage:
    """An attachment on pages of its own (7.3.4): 附件N in 黑体 at the top left, its title on line 3."""

    number: int | None  # None when the notice has a single attachment: then just 附件
    title: str
    blocks: list  # DocParagraph and blocks.Table, as in the body
    title_source: Text | None = None

    role = "attachment"

    def printed(self) -> Iterator[Text]:
        if self.title_source is not None:
            yield self.title_source
        for block in self.blocks:
            yield from block.printed()


# -- geometry ------------------------------------------------------------------------------


@dataclass
class PageGeometry:
    """Everything in points, origin at the lower left of the page."""

    width: float
    height: float
    scale: float  # paper width / 210 mm
    left: float  # 版心 left edge (订口)
    top: float  # 版心 top edge (天头)
    text_width: float
    pitch: float  # one line slot
    lines: int  # slots per page
    size: float  # body type size
    title_size: float
    page_number_size: float
    page_number_gap: float
    table_size: float
    footer_size: float
    hotline_size: float
    qr: float  # QR side, quiet zone included
    edge: float  # least distance from the paper edge

    @property
    def right(self) -> float:
        return self.left + self.text_width

    @property
    def bottom(self) -> float:
        return self.top - self.lines * self.pitch

    @property
    def char(self) -> float:
        """One character of body text: the unit of every GB/T indent (空二字 …)."""
        return self.size

    def slot_top(self, slot: int) -> float:
        return self.top - slot * self.pitch


def page_geometry(design: Design, paper: str, url: str = "") -> PageGeometry:
    short, long = A_SIZES_MM[paper]
    scale = short / A4_WIDTH_MM

    def value(key: str) -> float:
        return float(design.get(f"document.{key}"))

    mm = PT_PER_MM * scale  # one A4 millimetre on this paper
    text_width = value("width") * mm
    lines = int(value("lines"))
    pitch = value("height") * mm / lines
    size = min(value("body_size") * scale, text_width / value("chars"))
    # the QR code: this paper's SPEC minimum, or the A4 size scaled up, whichever is larger, and
    # larger again for a dense code (SPEC §3: no module below minimum / 37)
    qr = qr_side(max(design.paper(paper).qr, QR_MINIMUM_MM[paper], design.paper("A4").qr * scale), url) * PT_PER_MM
    edge = value("edge") * PT_PER_MM
    height = long * PT_PER_MM
    top = height - value("top") * mm
    gap = 1.0 * mm  # between the 版心 and the QR code
    # the bottom margin must hold the QR code's dark modules; its white quiet zone may reach into the
    # printers' margin below and the last slot's leading above (blank under every line and table);
    # if the margin cannot hold them (A5, or a dense code), the 版心 gives up whole lines
    quiet = qr * QUIET_ZONE / version_modules(qr_version(url))
    need = edge + qr - 2 * quiet + max(gap, quiet - TABLE_AIR * pitch)
    margin = top - lines * pitch
    if margin < need - 1e-6:
        lines -= math.ceil((need - margin) / pitch)
    return PageGeometry(
        width=short * PT_PER_MM,
        height=height,
        scale=scale,
        left=value("inner") * mm,
        top=top,
        text_width=text_width,
        pitch=pitch,
        lines=lines,
        size=size,
        title_size=value("title_size") * scale,
        page_number_size=value("page_number_size") * scale,
        page_number_gap=value("page_number_gap") * mm,
        table_size=value("table_size") * scale,
        footer_size=value("footer_size") * scale,
        hotline_size=value("hotline_size") * scale,
        qr=qr,
        edge=edge,
    )


# -- units: what pages are filled with -------------------------------------------------------


@dataclass
class _Piece:
    dx: float  # from the 版心 left edge
    text: str
    size: float
    bold: bool
    role: str = "body"  # the font role (fonts.ROLES)


@dataclass
class _Line:
    """One grid slot: text pieces, or nothing (a blank line)."""

    pieces: list[_Piece]
    keep_with_next: bool = False
    page_break: bool = False  # starts a new page (an attachment)

    @property
    def blank(self) -> bool:
        return not self.pieces


@dataclass
class _Row:
    """One row of a table; consecutive rows on a page become one table part."""

    table: Table
    index: int
    keep_with_next: bool = False
    blank = False


_Unit = _Line | _Row


@dataclass
class DocumentTemplate:
    info: SheetInfo
    design: Design
    stack: FontStack
    paper: str
    geometry: PageGeometry = field(init=False)

    def __post_init__(self):
        self.geometry = page_geometry(self.design, self.paper, self.info.url)
        self.colour = self.design.get("colours.text")
        self.muted = self.design.get("colours.muted")
        self.justify = bool(self.design.get("document.justify", True))
        self.table_ctx = Ctx(self.stack, self.design, self.geometry.table_size)

    def _bold(self, role: str) -> bool:
        if role == "body":
            return False
        return bool(self.design.get(f"document.{role}_bold", True))

    def _font(self, role: str) -> FontStack:
        """The stack of a span role (body, heading1, heading2, title) or of a font role."""
        return self.stack.role(FONT_ROLES.get(role, role))

    # -- lines ----------------------------------------------------------------------------
    def _set_line(
        self, chars: list[tuple[str, bool, str]], x0: float, width: float, size: float, justify: bool
    ) -> list[_Piece]:
        """Pieces for one line of (character, bold, font role) starting at ``x0``.

        Adjacent full-width punctuation is compressed first (标点挤压, see the module docstring).
        Justified lines then spread their slack over the gaps next to wide (CJK) characters, so
        numbers and Latin words stay whole and no gap opens inside a run of punctuation; the
        line then ends exactly at the 版心 edge.
        """
        widths = [self._font(r).char_width(c, size, b) for c, b, r in chars]
        advances, shifts = compress_punctuation([c for c, _, _ in chars], widths, size)
        natural = sum(advances)
        slack = width - natural
        gaps: list[int] = []
        if justify and 1e-3 < slack <= MAX_JUSTIFY_CHARS * size:
            gaps = [i for i in range(1, len(chars)) if _gap_allowed(chars[i - 1][0], chars[i][0])]
        extra = slack / len(gaps) if gaps else 0.0
        gap_set = set(gaps)
        pieces: list[_Piece] = []
        x = x0
        end = None  # where the last piece's text ends, drawn at its natural advances
        for i, ((char, bold, role), w) in enumerate(zip(chars, widths)):
            if i in gap_set:
                x += extra
            at = x + shifts[i]
            last = pieces[-1] if pieces else None
            if last and last.bold == bold and last.role == role and end is not None and abs(end - at) < 1e-6:
                last.text += char
            else:
                pieces.append(_Piece(at, char, size, bold, role))
            end = at + w
            x += advances[i]
        return pieces

    def _break(
        self, text: str, first_width: float, width: float, bold: bool, stack: FontStack | _Widest | None = None
    ) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of each line: the first ``first_width`` wide (the indent), the rest ``width``.

        The indent is a narrower first line, not leading spaces in the text: wrap may put spaces
        on a line of their own or strip them (U+3000 is whitespace to str.strip), so slicing them
        off again could cut real characters. wrap keeps every line verbatim and drops only the
        single spaces at its breaks, so the lines are consecutive slices of ``text``.
        """
        size = self.geometry.size
        stack = stack or self._font("body")
        lines = wrap(text, width, size, stack, bold, first_width=first_width)  # one breaker: no lone last character
        spans: list[tuple[int, int]] = []
        start = 0
        for line in lines:
            if not text.startswith(line, start):
                while text.startswith(" ", start):
                    start += 1  # the space dropped at the break
            if not text.startswith(line, start):
                raise ValueError(f"wrap changed the text of {line!r}")  # its contract broke: never print less
            end = start + len(line)
            first_char, last_char = start, end
            while first_char < last_char and text[first_char] == " ":
                first_char += 1  # a last-resort break inside "word ”" can leave a space at a line start
            while last_char > first_char and text[last_char - 1] == " ":
                last_char -= 1
            if first_char < last_char:
                spans.append((first_char, last_char))
            start = end
        if text[start:].strip(" "):
            raise ValueError(f"wrap lost {text[start:]!r}")
        return spans

    def _paragraph(self, paragraph: DocParagraph) -> list[_Line]:
        g = self.geometry
        chars: list[tuple[str, bool, str]] = []
        for span in paragraph.spans:
            bold = self._bold(span.role)
            role = FONT_ROLES.get(span.role, "body")
            for char in span.text:
                if not char.isspace():
                    chars.append((char, bold, role))
                elif chars and chars[-1][0] != " ":
                    chars.append((" ", bold, role))  # a run of whitespace, across spans too, is one breakable space
        if chars and chars[-1][0] == " ":
            chars.pop()
        text = "".join(c for c, _, _ in chars)
        if not text:
            return [_Line([])]
        x_indent = paragraph.indent * g.char
        any_bold = any(b for _, b, _ in chars)
        # a paragraph in two typefaces (a run-in 楷体 heading) is broken by the wider of the two for
        # every unit, so no line outgrows the 版心; _set_line then measures each piece in its own
        roles = list(dict.fromkeys(r for _, _, r in chars))
        measure = self._font(roles[0]) if len(roles) == 1 else _Widest([self._font(r) for r in roles])
        spans = self._break(text, g.text_width - x_indent, g.text_width, any_bold, measure)
        lines: list[_Line] = []
        for index, (start, end) in enumerate(spans):
            x0 = x_indent if index == 0 else 0.0
            last = index == len(spans) - 1
            pieces = self._set_line(chars[start:end], x0, g.text_width - x0, g.size, self.justify and not last)
            lines.append(_Line(pieces))
        if paragraph.keep_with_next:
            for line in lines:
                line.keep_with_next = True
        elif len(lines) >= 2:
            lines[0].keep_with_next = True  # no single first line at the foot of a page
            lines[-2].keep_with_next = True  # no single last line at the head of the next
        return lines

    def _title(self) -> list[_Line]:
        g = self.geometry
        bold = self._bold("title")
        size = g.title_size
        stack = self._font("title")
        lines = balanced_wrap(self.info.title, g.text_width, size, stack, bold)
        out = []
        for line in lines:
            width = stack.width(line, size, bold)
            out.append(_Line([_Piece((g.text_width - width) / 2, line, size, bold, "title")], keep_with_next=True))
        out.append(_Line([], keep_with_next=True))  # GB/T: the body starts one line under the title
        return out

    def _attachments(self, block: Attachments) -> list[_Line]:
        g = self.geometry
        c = g.char
        stack = self._font("body")
        label = "附件："
        x_label = 2 * c
        x_number = x_label + stack.width(label, g.size)
        lines: list[_Line] = [_Line([], keep_with_next=True)]  # 正文下空一行
        numbered = len(block.titles) > 1
        for index, title in enumerate(block.titles, start=1):
            number = f"{index}." if numbered else ""
            x_name = x_number + stack.width(number, g.size)
            names = wrap(title, g.text_width - x_name, g.size, stack)
            for line_index, name in enumerate(names):
                pieces = []
                if line_index == 0:
                    if index == 1:
                        pieces.append(_Piece(x_label, label, g.size, False))
                    if number:
                        pieces.append(_Piece(x_number, number, g.size, False))
                pieces.append(_Piece(x_name, name, g.size, False))
                lines.append(_Line(pieces, keep_with_next=True))
        lines[-1].keep_with_next = False
        return lines

    def _signature(self, block: Signature) -> list[_Line]:
        if block.seal:
            return self._sealed_signature(block)
        g = self.geometry
        c = g.char
        stack = self._font("body")
        issuer_width = stack.width(block.issuer, g.size)
        date_width = stack.width(block.date_text, g.size)
        # 署名 right-aligned two characters in; the date starts two characters right of the 署名's first
        # character, unless that brings it closer than two characters to the edge: then the date keeps
        # two characters of space and the 署名 moves left with it
        issuer_x = min(g.text_width - 2 * c - issuer_width, g.text_width - 2 * c - date_width - 2 * c)
        issuer_x = max(issuer_x, 0.0)
        date_x = issuer_x + 2 * c
        issuer_lines = wrap(block.issuer, g.text_width - issuer_x, g.size, stack)
        lines = [_Line([], keep_with_next=True)]  # 正文（或附件说明）下空一行
        lines += [_Line([_Piece(issuer_x, line, g.size, False)], keep_with_next=True) for line in issuer_lines]
        lines.append(_Line([_Piece(date_x, block.date_text, g.size, False)], keep_with_next=True))
        lines.append(_Line([_Piece(0.0, "", g.size, False)]))  # room under the date for a seal; never dropped
        return lines

    def seal_slots(self) -> int:
        """Grid lines a 42 mm seal spans (4.1 on A4, where the pitch is 10.2 mm)."""
        g = self.geometry
        return math.ceil(SEAL_MM * PT_PER_MM * g.scale / g.pitch - 1e-6)

    def _sealed_signature(self, block: Signature) -> list[_Line]:
        """7.3.5.1: 成文日期 右空四字; the 署名 centred on the date above it; the seal, centred on them
        and pressing down on both, starts within one line of the text above: two free lines, the
        署名 and the date in the seal's lower half, and free lines under the date to its foot."""
        g = self.geometry
        c = g.char
        stack = self._font("body")
        date_width = stack.width(block.date_text, g.size)
        date_x = max(g.text_width - 4 * c - date_width, 0.0)
        centre = date_x + date_width / 2
        issuer_lines = wrap(block.issuer, g.text_width, g.size, stack)
        lines = [_Line([], keep_with_next=True), _Line([], keep_with_next=True)]
        for line in issuer_lines:
            width = stack.width(line, g.size)
            x = min(max(centre - width / 2, 0.0), g.text_width - width)
            lines.append(_Line([_Piece(x, line, g.size, False)], keep_with_next=True))
        lines.append(_Line([_Piece(date_x, block.date_text, g.size, False)], keep_with_next=True))
        below = max(self.seal_slots() - len(lines) + 1, 1)  # the seal's foot, counted from the first free line
        for _ in range(below - 1):
            lines.append(_Line([_Piece(0.0, "", g.size, False)], keep_with_next=True))
        lines.append(_Line([_Piece(0.0, "", g.size, False)]))  # never dropped: the seal needs it
        return lines

    def _attachment_page(self, block: AttachmentPage) -> list[_Unit]:
        """附件N 顶格 on the page's first line in 黑体, the title centred on line 3, then its content."""
        g = self.geometry
        label = "附件" if block.number is None else f"附件{block.number}"
        head = _Line(
            [_Piece(0.0, label, g.size, self._bold("heading1"), "heading")], keep_with_next=True, page_break=True
        )
        units: list[_Unit] = [head, _Line([_Piece(0.0, "", g.size, False)], keep_with_next=True)]  # line 2: free
        stack = self._font("title")
        bold = self._bold("title")
        for line in balanced_wrap(block.title, g.text_width, g.title_size, stack, bold):
            width = stack.width(line, g.title_size, bold)
            units.append(
                _Line([_Piece((g.text_width - width) / 2, line, g.title_size, bold, "title")], keep_with_next=True)
            )
        units.append(_Line([], keep_with_next=True))
        for inner in block.blocks:
            units += self._block_units(inner, units)
        return units

    def _block_units(self, block, units: list[_Unit]) -> Sequence[_Unit]:
        if isinstance(block, DocParagraph):
            return self._paragraph(block)
        if isinstance(block, Table):
            if units:
                units[-1].keep_with_next = True  # the line that introduces a table stays with it
            return self._table_rows(block)
        raise TypeError(f"a document page cannot hold {type(block).__name__}")

    def _table_rows(self, table: Table) -> list[_Row]:
        table.all_rows = list(table.rows)
        count = len(table.rows)
        rows = [_Row(table, i) for i in range(count)]
        for row in rows[:2] + rows[max(count - 3, 0) : count - 1]:
            row.keep_with_next = True  # at least three rows on each side of a break
        return rows

    @staticmethod
    def _keep_last_lines(units: list[_Unit]) -> None:
        """The 附件说明 and the signature take the last two lines of text with them to a new page:
        a page holding only them would look like a separate document."""
        for unit in [u for u in units if not u.blank][-2:]:
            unit.keep_with_next = True

    def units(self, blocks: list) -> list[_Unit]:
        units: list[_Unit] = list(self._title())
        for block in blocks:
            if isinstance(block, (DocParagraph, Table)):
                units += self._block_units(block, units)
            elif isinstance(block, AttachmentPage):
                if units:
                    units[-1].keep_with_next = False  # an attachment starts its own page
                units += self._attachment_page(block)
            elif isinstance(block, Attachments):
                self._keep_last_lines(units)
                units += self._attachments(block)
            elif isinstance(block, Signature):
                self._keep_last_lines(units)
                units += self._signature(block)
            else:
                raise TypeError(f"a document page cannot hold {type(block).__name__}")
        return units

    # -- filling pages ---------------------------------------------------------------------
    def _part(self, rows: list[_Row]) -> Table:
        table = rows[0].table
        first = rows[0].index
        every = table.all_rows if table.all_rows is not None else table.rows
        return replace(table, rows=every[first : rows[-1].index + 1], continued=first > 0)

    def _part_slots(self, rows: list[_Row]) -> int:
        height = self._part(rows).height(self.table_ctx, self.geometry.text_width)
        return math.ceil(height / self.geometry.pitch + TABLE_AIR - 1e-6)

    def _runs(self, page: list[_Unit]):
        """(units, slots) per line or per table part, in order."""
        index = 0
        while index < len(page):
            unit = page[index]
            if isinstance(unit, _Row):
                end = index
                rows: list[_Row] = []
                while end < len(page) and isinstance(row := page[end], _Row) and row.table is unit.table:
                    rows.append(row)
                    end += 1
                yield rows, self._part_slots(rows)
                index = end
            else:
                yield [unit], 1
                index += 1

    def _slots(self, page: list[_Unit]) -> int:
        return sum(slots for _, slots in self._runs(page))

    def paginate(self, units: list[_Unit]) -> list[list[_Unit]]:
        lines = self.geometry.lines
        pages: list[list[_Unit]] = [[]]
        for unit in units:
            page = pages[-1]
            if getattr(unit, "page_break", False) and page:
                pages.append([unit])
                continue
            if unit.blank and not page:
                continue  # a blank line never starts a page
            if self._slots(page + [unit]) <= lines:
                page.append(unit)
                continue
            if not page:
                raise LayoutOverflow(unit)  # type: ignore[arg-type]
            moved: list[_Unit] = []
            while page and page[-1].keep_with_next:
                moved.insert(0, page.pop())
            if not any(not u.blank for u in page):
                page.extend(moved)  # the whole page is one chain: break inside it after all
                moved = []
            fresh = [u for i, u in enumerate(moved + [unit]) if not (i == 0 and u.blank)]
            if self._slots(fresh) > lines:
                if moved:
                    page.extend(moved)
                    fresh = [] if unit.blank else [unit]
                if self._slots(fresh) > lines:
                    raise LayoutOverflow(unit)  # type: ignore[arg-type]
            pages.append(fresh)
        return [page for page in pages if page] or [[]]

    # -- drawing a page ----------------------------------------------------------------------
    def body_items(self, page: list[_Unit]) -> list:
        g = self.geometry
        items: list = []
        slot = 0
        for run, slots in self._runs(page):
            top = g.slot_top(slot)
            if isinstance(run[0], _Row):
                items += self._part(run).place(self.table_ctx, g.left, top, g.text_width)
            else:
                for piece in run[0].pieces:
                    if piece.text:
                        items.append(
                            TextItem(
                                g.left + piece.dx,
                                top - ASCENT * piece.size,
                                piece.text,
                                piece.size,
                                piece.bold,
                                self.colour,
                                piece.role,
                            )
                        )
            slot += slots
        return items

    def page_number_items(self, number: int) -> list:
        g = self.geometry
        size = g.page_number_size
        text = f"— {number} —"
        stack = self._font("body")  # GB/T 9704 7.5: 宋体 numerals, the serif of the body here
        width = stack.width(text, size)
        x = g.right - g.char - width if number % 2 else g.left + g.char
        return [TextItem(x, g.bottom - g.page_number_gap - ASCENT * size, text, size, False, self.colour, "body")]

    def _page_number_room(self) -> float:
        g = self.geometry
        return g.char + self._font("body").width("— 999 —", g.page_number_size) + g.char

    def _footer_lines(self, number: int, total: int) -> list[tuple[str, float, bool, str, bool]]:
        """(text, size, bold, colour, may shrink) of the block beside the QR code.

        One compact block: the caption, the address, the 监督电话 at its own size (never below
        12 pt on A4, so it reads from a step away), then one small line with the issuer, the
        date, the 公示期 and 第N张/共M张, and on later pages the title: there is no running header.
        """
        g = self.geometry
        size = g.footer_size
        lines = [(QR_CAPTION, size, True, self.colour, True), (self.info.url, size * 0.85, False, self.muted, True)]
        if self.info.code:  # beside the QR code, so the paper can be compared with the page it opens
            lines.append((f"核验码：{self.info.code}", size * 0.85, True, self.colour, True))
        if self.info.hotline:
            lines.append((f"监督电话：{self.info.hotline}", g.hotline_size, True, self.colour, False))
        small = [f"{self.info.issuer}　{self.info.date_text}", *self.info.meta]
        if total > 1:
            small.append(f"第{number}张/共{total}张")
        if number > 1:  # the title on a line of its own: with the 核验码 line the block is tight
            lines.append((self.info.title, size * 0.8, False, self.muted, True))
        lines.append((_ITEM_BREAK.join(small), size * 0.8, False, self.muted, True))
        if self.info.signoffs:  # who reviewed it, in small type, as on the posters
            lines.append(
                (self.info.signoffs.replace(FOOTER_SEPARATOR, _ITEM_BREAK), size * 0.7, False, self.muted, True)
            )
        return lines

    def footer_items(self, number: int, total: int) -> list:
        """QR code and its block on the inner side of the bottom margin, opposite the page number."""
        g = self.geometry
        matrix = qr_matrix(self.info.url)
        module = g.qr / len(matrix)
        qr_y = max(g.edge - QUIET_ZONE * module, g.bottom - 1.0 * PT_PER_MM * g.scale - g.qr)
        gap = g.char * 0.4
        block_width = g.text_width - g.qr - gap - self._page_number_room()
        odd = number % 2 == 1
        qr_x = g.left - QUIET_ZONE * module if odd else g.right - g.qr + QUIET_ZONE * module
        items: list = [QRItem(qr_x, qr_y, g.qr, matrix, self.info.url)]
        lines = self._footer_lines(number, total)
        sans = self._font("sans")
        factor = 1.0  # the small lines give way, down to 3/4, before the block outgrows the code
        while True:
            wrapped = [
                (piece, size * (factor if shrinks else 1.0), bold, colour)
                for text, size, bold, colour, shrinks in lines
                for piece in _wrap_items(text, block_width, size * (factor if shrinks else 1.0), sans, bold)
            ]
            height = sum(size * FOOTER_LEADING for _, size, _, _ in wrapped)
            if height <= g.qr or factor <= 0.75:
                break
            factor *= 0.95
        widest = max(sans.width(t, size, b) for t, size, b, _ in wrapped)
        x = qr_x + g.qr - QUIET_ZONE * module + gap if odd else qr_x + QUIET_ZONE * module - gap - widest
        y = qr_y + (g.qr + height) / 2
        for text, text_size, bold, colour in wrapped:
            step = text_size * FOOTER_LEADING
            items.append(TextItem(x, y - (step - text_size) / 2 - ASCENT * text_size, text, text_size, bold, colour))
            y -= step
        return items

    def lay_out(self, blocks: list) -> list[Sheet]:
        pages = self.paginate(self.units(blocks))
        total = len(pages)
        sheets = []
        for number, page in enumerate(pages, start=1):
            items = self.body_items(page) + self.page_number_items(number) + self.footer_items(number, total)
            sheets.append(Sheet(self.geometry.width, self.geometry.height, items, number, total, self.geometry.size))
        return sheets


def _wrap_items(text: str, width: float, size: float, stack: FontStack, bold: bool) -> list[str]:
    """wrap, breaking between the small line's items where it can: never 「2026」 and 「年2月20日」."""
    lines: list[str] = []
    for item in text.split(_ITEM_BREAK):
        joined = f"{lines[-1]}{FOOTER_SEPARATOR}{item}" if lines else item
        if lines and stack.width(joined, size, bold) <= width + 1e-6:
            lines[-1] = joined
        else:
            lines += wrap(item, width, size, stack, bold)
    return lines or [""]


class _Widest:
    """Measures like a FontStack, taking the widest of several: for breaking mixed-typeface lines."""

    def __init__(self, stacks: list[FontStack]):
        self.stacks = stacks

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return max(stack.width(text, size, bold) for stack in self.stacks)

    def char_width(self, char: str, size: float, bold: bool = False) -> float:
        return max(stack.char_width(char, size, bold) for stack in self.stacks)


def _wide(char: str) -> bool:
    return ord(char) >= 0x2E80  # CJK and full-width forms: a gap may open beside them


def _gap_allowed(before: str, after: str) -> bool:
    """May justification open a gap between these two characters? Never inside 「日，」 or 「（见」."""
    if after in CLOSING or before in OPENING:
        return False
    return _wide(before) or _wide(after)


def compress_punctuation(chars: list[str], widths: list[float], size: float) -> tuple[list[float], list[float]]:
    """(advance, shift) per character after 标点挤压.

    A closing mark (，。、；：！？ and closing brackets, whose ink sits in the left half of the
    em in Chinese fonts) followed by any full-width mark gives up its blank right half: 「）。」
    and 「。」」 take one and a half em, not two. An opening bracket that follows another opening
    bracket gives up its blank left half: it is drawn half an em to the left (shift) and
    advances half an em. Only full-width glyphs are compressed.
    """
    advances = list(widths)
    shifts = [0.0] * len(chars)
    for i, char in enumerate(chars):
        if widths[i] < 0.9 * size:
            continue
        if char in CLOSING and i + 1 < len(chars) and chars[i + 1] in PUNCTUATION:
            advances[i] = widths[i] / 2
        elif char in OPENING and i > 0 and chars[i - 1] in OPENING:
            shifts[i] = -widths[i] / 2
            advances[i] = widths[i] / 2
    return advances, shifts


def lay_out_document(blocks: list, info: SheetInfo, design: Design, stack: FontStack, paper: str) -> list[Sheet]:
    """Sheets for a GB/T 9704 document; never shrinks the type, flows onto more pages instead."""
    return DocumentTemplate(info, design, stack, paper).lay_out(blocks)
