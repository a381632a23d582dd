"""The parts every printed sheet carries (SPEC §3): header band, meta line, footer with QR.

Their sizes come from the design's preferred sizes for the paper, not from the
fitted body size, so the title and the QR code never shrink with a long table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import PT_PER_MM, Ctx, Paragraph
from .design import Design, PaperScale
from .fonts import FontStack
from .paper import QR_MINIMUM_MM
from .qr import qr_matrix, qr_side
from .sheet import ImageItem, LineItem, QRItem, RectItem, TextItem
from .text import balanced_wrap, wrap

QR_CAPTION = "扫码查看网上公开版本"
META_GAP = "　　"
TITLE_MIN_SCALE = 0.8  # a title may shrink this far to stay on one line before it wraps


@dataclass
class SheetInfo:
    """What the header and footer print; the kind supplies it, the toolkit draws it."""

    title: str
    meta: list[str]  # e.g. ["发布日期：2026年4月12日", "公示期：…", "单位：万元"]
    issuer: str
    date_text: str
    hotline: str | None
    url: str
    signoffs: str | None = None
    code: str | None = None  # the 核验码 (while laying out, a placeholder as wide as any code)


@dataclass
class Frame:
    """Body frames of a sheet and the fixed geometry around them."""

    width: float
    height: float
    margin: float
    header_height: float
    footer_height: float
    columns: list[tuple[float, float, float, float]]  # (x, top, width, height) per body column


class SheetTemplate:
    def __init__(
        self, info: SheetInfo, design: Design, stack: FontStack, paper: str, size: tuple[float, float], orientation: str
    ):
        self.info = info
        self.design = design
        self.stack = stack
        self.scale: PaperScale = design.paper(paper)
        self.paper = paper
        self.width, self.height = size
        self.margin = self.scale.margin * PT_PER_MM
        self.inner_width = self.width - 2 * self.margin
        self.ctx = Ctx(stack, design, self.scale.body)  # header and footer use the preferred size
        self.orientation = orientation
        self._title = self._layout_title()
        self.header_height = self._header_height()
        self.footer_height = self._footer_height()

    # -- header -----------------------------------------------------------------------
    def _band_padding(self) -> float:
        return float(self.design.get("header.band_padding")) * self.scale.title

    def _emblem_side(self) -> float:
        return float(self.design.get("header.emblem_size")) * self.scale.title

    def _title_room(self) -> tuple[float, float]:
        """(inset on each side, width) for the title inside the band; an emblem gets room on both sides
        so that the title stays centred on the sheet."""
        inset = self.scale.title * 0.8
        if self.design.image("header.emblem"):
            inset += self._emblem_side() + self.scale.title * 0.4
        return inset, self.inner_width - 2 * inset

    def _layout_title(self) -> tuple[float, list[str]]:
        """A long title is first set a little smaller to stay on one line, then wrapped into even lines."""
        _, width = self._title_room()
        size = self.scale.title
        natural = self.stack.width(self.info.title, size, True)
        if natural <= width:
            return size, [self.info.title]
        if natural * TITLE_MIN_SCALE <= width:
            return size * width / natural, [self.info.title]
        return size, balanced_wrap(self.info.title, width, size, self.stack, bold=True)

    def _band_height(self) -> float:
        size, lines = self._title
        return len(lines) * size * 1.25 + 2 * self._band_padding()

    def _meta_lines(self) -> list[str]:
        """Meta items (发布日期：…, 公示期：…) stay whole: a line breaks between items, not inside a date."""
        size = self.ctx.em(float(self.design.get("header.meta_size")))
        lines: list[str] = []
        for item in self.info.meta:
            joined = f"{lines[-1]}{META_GAP}{item}" if lines else item
            if lines and self.stack.width(joined, size) <= self.inner_width:
                lines[-1] = joined
            else:
                lines.extend(wrap(item, self.inner_width, size, self.stack))
        return lines

    def _header_height(self) -> float:
        size = self.ctx.em(float(self.design.get("header.meta_size")))
        meta = len(self._meta_lines()) * size * self.ctx.line_height
        return self._band_height() + size * 0.6 + meta + size * 0.9

    def header_items(self, number: int, total: int) -> list:
        colours = self.design.get("colours")
        items: list = []
        top = self.height - self.margin
        band = self._band_height()
        items.append(RectItem(self.margin, top - band, self.inner_width, band, fill=colours["band"]))
        emblem = self.design.image("header.emblem")
        if emblem:
            side = self._emblem_side()
            items.append(
                ImageItem(self.margin + self.scale.title * 0.8, top - band + (band - side) / 2, side, side, str(emblem))
            )
        inset, width = self._title_room()
        size, lines = self._title
        baseline = top - self._band_padding() - size * 0.95
        for line in lines:
            line_width = self.stack.width(line, size, True)
            items.append(
                TextItem(
                    self.margin + inset + (width - line_width) / 2, baseline, line, size, True, colours["band_text"]
                )
            )
            baseline -= size * 1.25
        meta_size = self.ctx.em(float(self.design.get("header.meta_size")))
        y = top - band - meta_size * 0.6
        meta_lines = self._meta_lines()
        meta = Paragraph(
            "", float(self.design.get("header.meta_size")), colour=colours["muted"], align="center", lines=meta_lines
        )
        items += meta.place(self.ctx, self.margin, y, self.inner_width)
        y -= len(meta_lines) * meta_size * self.ctx.line_height + meta_size * 0.35
        rule = float(self.design.get("header.rule_width")) * PT_PER_MM
        items.append(LineItem(self.margin, y, self.width - self.margin, y, colours["rule"], rule))
        items.append(
            LineItem(self.margin, y - rule * 2, self.width - self.margin, y - rule * 2, colours["rule"], rule / 3)
        )
        return items

    # -- footer -----------------------------------------------------------------------
    def _footer_size(self) -> float:
        return max(self.ctx.em(float(self.design.get("footer.size"))), self._footer_least())

    def _footer_least(self) -> float:
        """The smallest type in the footer, in points: its small lines are read from the same metre."""
        return float(self.design.get("footer.least", 0.0))

    def _small(self, factor: float) -> float:
        """A footer line set ``factor`` × the footer size (the address, the sign-offs), never below the least."""
        return max(self._footer_size() * factor, self._footer_least())

    def _qr_side(self) -> float:
        """The paper's QR size, grown for a dense code: a long address must not shrink the modules."""
        minimum = max(self.scale.qr, QR_MINIMUM_MM.get(self.paper, 0.0))
        return qr_side(minimum, self.info.url) * PT_PER_MM

    def _right_block(self, number: int, total: int) -> list[tuple[str, bool]]:
        lines = [(self.info.issuer, True), (self.info.date_text, False)]
        if self.info.hotline:
            lines.insert(0, (f"监督电话：{self.info.hotline}", True))
        if total > 1:
            lines.append((f"第{number}张/共{total}张", False))
        return lines

    def _split_widths(self) -> tuple[float, float, float]:
        """(QR side, width of the text beside the QR, width of the right-hand block)."""
        size = self._footer_size()
        right = max(self.stack.width(text, size, bold) for text, bold in self._right_block(999, 999)) + size
        right = min(right, self.inner_width * 0.45)
        qr = self._qr_side()
        middle = self.inner_width - qr - right - size * 1.5
        return qr, middle, right

    def _qr_text_lines(self) -> list[tuple[str, bool]]:
        size = self._footer_size()
        _, middle, _ = self._split_widths()
        lines = [(line, True) for line in wrap(QR_CAPTION, middle, size, self.stack, True)]
        lines += [(line, False) for line in wrap(self.info.url, middle, self._small(0.85), self.stack)]
        if self.info.code:  # beside the QR code, so the paper can be compared with the page it opens
            lines.append((f"核验码：{self.info.code}", True))
        return lines

    def _signoff_lines(self) -> list[str]:
        if not self.info.signoffs:
            return []
        return wrap(self.info.signoffs, self.inner_width, self._small(0.75), self.stack)

    def _footer_height(self) -> float:
        size = self._footer_size()
        gap = float(self.design.get("footer.gap")) * size
        right_lines = len(self._right_block(999, 999))
        text_height = max(len(self._qr_text_lines()), right_lines) * size * self.ctx.line_height
        signoffs = len(self._signoff_lines()) * self._small(0.75) * self.ctx.line_height
        return gap + max(self._qr_side(), text_height) + signoffs + gap * 0.5

    def footer_items(self, number: int, total: int) -> list:
        colours = self.design.get("colours")
        items: list = []
        size = self._footer_size()
        gap = float(self.design.get("footer.gap")) * size
        top = self.margin + self.footer_height
        rule = float(self.design.get("header.rule_width")) * PT_PER_MM
        items.append(LineItem(self.margin, top, self.width - self.margin, top, colours["rule"], rule / 2))
        qr_side, _, _ = self._split_widths()
        qr_top = top - gap
        matrix = qr_matrix(self.info.url)
        items.append(QRItem(self.margin, qr_top - qr_side, qr_side, matrix, self.info.url))
        text_x = self.margin + qr_side + size * 0.5
        line_step = size * self.ctx.line_height
        baseline = qr_top - size * 1.1
        for text, bold in self._qr_text_lines():
            text_size = size if bold else self._small(0.85)
            items.append(TextItem(text_x, baseline, text, text_size, bold, colours["text" if bold else "muted"]))
            baseline -= line_step
        baseline = qr_top - size * 1.1
        right_edge = self.width - self.margin
        for text, bold in self._right_block(number, total):
            width = self.stack.width(text, size, bold)
            items.append(TextItem(right_edge - width, baseline, text, size, bold, colours["text"]))
            baseline -= line_step
        signoff_size = self._small(0.75)
        baseline = self.margin + gap * 0.5 + (len(self._signoff_lines()) - 1) * signoff_size * self.ctx.line_height
        for line in self._signoff_lines():
            items.append(TextItem(self.margin, baseline, line, signoff_size, False, colours["muted"]))
            baseline -= signoff_size * self.ctx.line_height
        return items

    # -- body -------------------------------------------------------------------------
    def column_setting(self) -> int | str:
        """The design's body columns for this orientation: a count, or "auto" (as many as fit)."""
        setting = self.design.get(f"body.columns.{self.orientation}", 1)
        return "auto" if str(setting).strip().lower() == "auto" else int(setting)

    def column_width(self, count: int) -> float:
        gap = self.ctx.em(float(self.design.get("body.column_gap")))
        return (self.inner_width - gap * (count - 1)) / count

    def frame(self, count: int | None = None) -> Frame:
        """The body columns; ``count`` overrides the design (fitting decides it for "auto")."""
        if count is None:
            setting = self.column_setting()
            count = 1 if isinstance(setting, str) else setting
        gap = self.ctx.em(float(self.design.get("body.column_gap")))
        spacing = self.ctx.em(float(self.design.get("body.block_gap")))
        top = self.height - self.margin - self.header_height - spacing
        bottom = self.margin + self.footer_height + spacing
        column_width = self.column_width(count)
        columns = [(self.margin + i * (column_width + gap), top, column_width, top - bottom) for i in range(count)]
        return Frame(self.width, self.height, self.margin, self.header_height, self.footer_height, columns)
