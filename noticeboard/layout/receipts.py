"""The receipt register (签收登记表) of a letter run: a ruled A4 form per 村民小组 for households to sign.

Each group starts on a new sheet, so that a group leader takes just his group's sheets round.
Rows are tall enough to sign in with a pen, grow when a 户主 or 地址 wraps, and are never split
between sheets. The QR code sits at the top right beside the heading lines, where it costs no
table rows. Everything is black on white: the form is photocopied.

The work is linear in the rows: each row's cells are measured once and wrapped only when they do
not fit; the heading of a group and the QR matrix are built once and shared by its sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import PT_PER_MM
from .design import Design
from .fonts import FontStack
from .frame import QR_CAPTION, SheetInfo
from .paper import QR_MINIMUM_MM, page_size
from .qr import qr_matrix, qr_side
from .sheet import LineItem, QRItem, Sheet, TextItem
from .text import balanced_wrap, wrap

GAP = "　"  # between the items of a heading line
COLUMNS = ("number", "household", "head", "group", "address", "signature", "date")
LABELS = {
    "number": "序号",
    "household": "户号",
    "head": "户主",
    "group": "村民小组",
    "address": "地址",
    "signature": "签收人（签字）",
    "date": "签收日期",
}
CENTRED = {"number", "household"}
UNNAMED = "（未填）"  # the group of households whose 村民小组 is blank, beside named groups
FLEX_LEAST = 4.0  # × body size: the column that gives way to a long 户号 keeps four characters
ASCENT = 0.88  # × type size: Noto Sans SC's ascender, from the baseline
DESCENT = 0.12  # × type size
CJK_MIDDLE = 0.38  # × type size: the visual middle of a CJK line above its baseline
SLACK = 1e-6
WIDOW = 3  # fewest rows on a group's last sheet, when it has to have one of its own


@dataclass
class ReceiptRow:
    household: str  # 户号
    head: str  # 户主
    address: str  # 地址, "" when the data has no such column


@dataclass
class ReceiptGroup:
    name: str  # 村民小组; "" when the data has no group column (one group, no group heading)
    rows: list[ReceiptRow]


class _Style:
    """The design's receipts.* values, read once, lengths in points."""

    def __init__(self, design: Design):
        def mm(key: str) -> float:
            return design.number(f"receipts.{key}") * PT_PER_MM

        def pt(key: str) -> float:
            return design.number(f"receipts.{key}")

        self.margin, self.qr, self.qr_gap = mm("margin"), mm("qr"), mm("qr_gap")
        self.title, self.group, self.meta, self.caption = (
            pt("title_size"),
            pt("group_size"),
            pt("meta_size"),
            pt("caption_size"),
        )
        self.footer, self.signoff = pt("footer_size"), pt("signoff_size")
        self.line_height = pt("line_height")
        self.table_gap = mm("table_gap")
        self.body, self.label = pt("body_size"), pt("label_size")
        self.row, self.label_row = mm("row_height"), mm("label_row_height")
        self.pad_x, self.pad_y = mm("cell_pad_x"), mm("cell_pad_y")
        self.rule, self.frame_rule = mm("rule"), mm("frame_rule")
        self.shares = {key: float(design.number(f"receipts.columns.{key}")) for key in COLUMNS}
        self.shares_without_address = {
            key: float(design.number(f"receipts.columns_without_address.{key}")) for key in COLUMNS if key != "address"
        }
        # the group is in each sheet's heading too; the column keeps it on each row, as SPEC §2 lists it
        self.totals_gap, self.totals = mm("totals_gap"), pt("totals_size")
        self.signing_gap, self.blank, self.signature_blank = mm("signing_gap"), mm("blank"), mm("signature_blank")
        self.text = str(design.get("receipts.text"))
        self.muted = str(design.get("receipts.muted"))
        self.grid = str(design.get("receipts.grid"))


@dataclass
class _Row:
    """One row as measured, or one piece of a row too tall for a whole sheet."""

    cells: dict[str, list[str]]
    widths: dict[str, list[float]]  # of each line, for centred cells
    height: float


def _cell(text: str, width: float, size: float, stack: FontStack, bold: bool = False) -> tuple[list[str], list[float]]:
    """Lines of a cell and their widths; only text wider than the cell goes through the line breaker."""
    if not text:
        return [], []
    if "\n" not in text:
        natural = stack.width(text, size, bold)
        if natural <= width + SLACK:
            return [text], [natural]
    lines = wrap(text, width, size, stack, bold)
    return lines, [stack.width(line, size, bold) for line in lines]


def _join_items(items: list[str], width: float, size: float, stack: FontStack, bold: bool) -> list[str]:
    """Items on as few lines as fit; a line breaks between items, and inside one only when it alone is too wide."""
    lines: list[str] = []
    for item in items:
        joined = f"{lines[-1]}{GAP}{item}" if lines else item
        if lines and stack.width(joined, size, bold) <= width + SLACK:
            lines[-1] = joined
        else:
            lines.extend(wrap(item, width, size, stack, bold))
    return lines


class _Register:
    def __init__(
        self, letter_title: str, groups: list[ReceiptGroup], info: SheetInfo, design: Design, stack: FontStack
    ):
        self.s = _Style(design)
        self.stack = stack
        self.info = info
        self.width, self.height = page_size("A4")
        self.inner = self.width - 2 * self.s.margin
        self.groups = groups or [ReceiptGroup("", [])]
        if any(group.name for group in self.groups):  # households with a blank 村民小组 among named groups
            self.groups = [group if group.name else ReceiptGroup(UNNAMED, group.rows) for group in self.groups]
        self.has_address = any(row.address for group in self.groups for row in group.rows)
        self.has_group = any(group.name for group in self.groups)
        self.matrix = qr_matrix(info.url)  # one matrix for every sheet: the URL is the same
        # the A4 size for a version-3 code, larger for a denser one (SPEC §3)
        self.qr = qr_side(max(self.s.qr, QR_MINIMUM_MM["A4"] * PT_PER_MM), info.url)
        self.text_width = self.inner - self.qr - self.s.qr_gap
        title = f"《{letter_title.strip().strip('《》')}》发放签收登记表"
        if stack.width(title, self.s.title, True) <= self.text_width:
            self.title_lines = [title]
        else:
            self.title_lines = balanced_wrap(title, self.text_width, self.s.title, stack, bold=True)
        meta = [f"发放单位：{info.issuer}", f"日期：{info.date_text}"]
        if info.hotline:
            meta.append(f"监督电话：{info.hotline}")
        self.meta_lines = _join_items(meta, self.text_width, self.s.meta, stack, False)
        self.caption_lines = [(line, True) for line in wrap(QR_CAPTION, self.text_width, self.s.caption, stack, True)]
        self.caption_lines += [(line, False) for line in wrap(info.url, self.text_width, self.s.caption, stack)]
        self._columns()
        self._footer_geometry()

    # -- columns ------------------------------------------------------------------
    def _columns(self) -> None:
        s, stack = self.s, self.stack
        keys = [key for key in COLUMNS if (key != "address" or self.has_address) and (key != "group" or self.has_group)]
        shares = s.shares if self.has_address else s.shares_without_address  # no empty 地址 column
        total = sum(shares[key] for key in keys) or 1.0
        widths = {key: self.inner * shares[key] / total for key in keys}
        flex = "address" if self.has_address else "head"
        most_rows = max(len(group.rows) for group in self.groups)
        needs = {
            "number": stack.width(str(max(most_rows, 1)), s.body),
            "household": max(
                (stack.width(row.household, s.body) for group in self.groups for row in group.rows), default=0.0
            ),
        }
        if self.has_group:  # 第十一村民小组 reads as one name: the column widens rather than wrap it
            needs["group"] = max(stack.width(group.name, s.body) for group in self.groups)
        for (
            key,
            need,
        ) in needs.items():  # 序号, 户号 and 村民小组 never wrap: they widen, taken from the flexible column
            need += 2 * s.pad_x
            if need > widths[key]:
                give = min(need - widths[key], widths[flex] - s.body * FLEX_LEAST - 2 * s.pad_x)
                if give > 0:
                    widths[key] += give
                    widths[flex] -= give
        self.keys = keys
        self.col_width = widths
        self.col_x = {}
        x = s.margin
        for key in keys:
            self.col_x[key] = x
            x += widths[key]
        self.label_cells = {}
        label_lines = 1
        for key in keys:
            room = widths[key] - 2 * s.pad_x
            label = LABELS[key]
            if stack.width(label, s.label, True) <= room:
                lines = [label]
            else:
                lines = balanced_wrap(label, room, s.label, stack, bold=True)
            self.label_cells[key] = lines
            label_lines = max(label_lines, len(lines))
        self.label_height = max(s.label_row, label_lines * s.label * s.line_height + 2 * s.pad_y)

    # -- heading ------------------------------------------------------------------
    def _group_lines(self, group: ReceiptGroup, continued: bool) -> list[str]:
        count = f"本组共 {len(group.rows)} 户" if group.name else f"共 {len(group.rows)} 户"
        items = ([f"村民小组：{group.name}"] if group.name else []) + [count] + (["续表"] if continued else [])
        return _join_items(items, self.text_width, self.s.group, self.stack, True)

    def _heading_lines(self, group_lines: list[str]) -> list[tuple[str, float, bool, str]]:
        s = self.s
        return (
            [(line, s.title, True, s.text) for line in self.title_lines]
            + [(line, s.group, True, s.text) for line in group_lines]
            + [(line, s.meta, False, s.text) for line in self.meta_lines]
        )

    def _heading_height(self, group_lines: list[str]) -> float:
        s = self.s
        top = sum(size * s.line_height for _, size, _, _ in self._heading_lines(group_lines))
        caption = len(self.caption_lines) * s.caption * s.line_height
        return max(self.qr, top + s.caption * 0.5 + caption)

    def _heading_items(self, group_lines: list[str], height: float) -> list:
        s = self.s
        items: list = []
        top = self.height - s.margin
        left = s.margin
        cursor = top
        for text, size, bold, colour in self._heading_lines(group_lines):  # each line a box of size × line_height
            items.append(
                TextItem(left, cursor - (s.line_height - 1) / 2 * size - size * ASCENT, text, size, bold, colour)
            )
            cursor -= size * s.line_height
        # caption lines sit at the foot of the heading, right-aligned against the QR they describe
        right = left + self.text_width
        baseline = top - height + (s.line_height - 1) / 2 * s.caption + s.caption * DESCENT
        for text, bold in reversed(self.caption_lines):
            width = self.stack.width(text, s.caption, bold)
            items.append(TextItem(right - width, baseline, text, s.caption, bold, s.text if bold else s.muted))
            baseline += s.caption * s.line_height
        # level with the caption at the foot; a taller heading (a long title) leaves it lower than the title
        items.append(QRItem(self.width - s.margin - self.qr, top - height, self.qr, self.matrix, self.info.url))
        return items

    # -- footer -------------------------------------------------------------------
    def _footer_geometry(self) -> None:
        s = self.s
        number_width = self.stack.width("第9999张/共9999张", s.footer)
        room = self.inner - number_width - s.footer * 2
        self.signoff_lines = wrap(self.info.signoffs, room, s.signoff, self.stack) if self.info.signoffs else []
        self.footer_height = max(s.footer * s.line_height, len(self.signoff_lines) * s.signoff * s.line_height)

    def _footer_items(self, number: int, total: int) -> list:
        s = self.s
        items: list = []
        text = f"第{number}张/共{total}张"
        base = s.margin + s.footer * DESCENT
        items.append(
            TextItem(self.width - s.margin - self.stack.width(text, s.footer), base, text, s.footer, False, s.text)
        )
        baseline = s.margin + s.signoff * DESCENT + (len(self.signoff_lines) - 1) * s.signoff * s.line_height
        for line in self.signoff_lines:
            items.append(TextItem(s.margin, baseline, line, s.signoff, False, s.muted))
            baseline -= s.signoff * s.line_height
        return items

    # -- rows ---------------------------------------------------------------------
    def _measure(self, number: int, row: ReceiptRow, group: str) -> _Row:
        s, stack, width = self.s, self.stack, self.col_width
        cells: dict[str, list[str]] = {}
        widths: dict[str, list[float]] = {}
        cells["number"], widths["number"] = _cell(str(number), width["number"] - 2 * s.pad_x, s.body, stack)
        cells["household"], widths["household"] = _cell(row.household, width["household"] - 2 * s.pad_x, s.body, stack)
        cells["head"], widths["head"] = _cell(row.head, width["head"] - 2 * s.pad_x, s.body, stack)
        if self.has_group:
            cells["group"], widths["group"] = _cell(group, width["group"] - 2 * s.pad_x, s.body, stack)
        if self.has_address:
            cells["address"], widths["address"] = _cell(row.address, width["address"] - 2 * s.pad_x, s.body, stack)
        lines = max(1, max(len(value) for value in cells.values()))
        height = max(s.row, lines * s.body * s.line_height + 2 * s.pad_y)
        return _Row(cells, widths, height)

    def _pieces(self, row: _Row, room: float) -> list[_Row]:
        """A row taller than a whole sheet's table (a huge address) is cut between its lines: never cut off."""
        if row.height <= room + SLACK:
            return [row]
        step = self.s.body * self.s.line_height
        per_piece = max(1, int((room - 2 * self.s.pad_y) // step))
        count = max(len(lines) for lines in row.cells.values())
        pieces = []
        for start in range(0, count, per_piece):
            cells = {key: lines[start : start + per_piece] for key, lines in row.cells.items()}
            widths = {key: values[start : start + per_piece] for key, values in row.widths.items()}
            for key in CENTRED:  # 序号 and 户号 again on each piece, so that no piece is anonymous
                cells[key], widths[key] = row.cells[key][:per_piece], row.widths[key][:per_piece]
            lines = max(1, max(len(value) for value in cells.values()))
            pieces.append(_Row(cells, widths, max(self.s.row, lines * step + 2 * self.s.pad_y)))
        return pieces

    def _row_items(self, row: _Row, top: float, first: bool) -> list:
        s = self.s
        items: list = []
        if not first:  # the rule above the first row is the label row's
            items.append(LineItem(s.margin, top, s.margin + self.inner, top, s.grid, s.rule))
        middle = top - row.height / 2
        step = s.body * s.line_height
        for key, lines in row.cells.items():
            if not lines:
                continue
            x = self.col_x[key] + s.pad_x
            baseline = middle + (len(lines) - 1) / 2 * step - s.body * CJK_MIDDLE
            centred = key in CENTRED
            room = self.col_width[key] - 2 * s.pad_x
            for line, width in zip(lines, row.widths[key]):
                items.append(TextItem(x + (room - width) / 2 if centred else x, baseline, line, s.body, False, s.text))
                baseline -= step
        return items

    # -- table frame --------------------------------------------------------------
    def _label_items(self, top: float) -> list:
        s = self.s
        items: list = []
        middle = top - self.label_height / 2
        step = s.label * s.line_height
        for key in self.keys:
            lines = self.label_cells[key]
            baseline = middle + (len(lines) - 1) / 2 * step - s.label * CJK_MIDDLE
            for line in lines:
                width = self.stack.width(line, s.label, True)
                items.append(
                    TextItem(self.col_x[key] + (self.col_width[key] - width) / 2, baseline, line, s.label, True, s.text)
                )
                baseline -= step
        left, right = s.margin - s.frame_rule / 2, s.margin + self.inner + s.frame_rule / 2
        items.append(LineItem(left, top, right, top, s.grid, s.frame_rule))
        below = top - self.label_height
        items.append(LineItem(s.margin, below, s.margin + self.inner, below, s.grid, s.frame_rule))
        return items

    def _close_items(self, top: float, bottom: float) -> list:
        s = self.s
        left, right = s.margin, s.margin + self.inner
        items: list = [
            LineItem(left - s.frame_rule / 2, bottom, right + s.frame_rule / 2, bottom, s.grid, s.frame_rule)
        ]
        for index, key in enumerate(self.keys):
            if index:
                x = self.col_x[key]
                items.append(LineItem(x, top, x, bottom, s.grid, s.rule))
        items.append(LineItem(left, top, left, bottom, s.grid, s.frame_rule))
        items.append(LineItem(right, top, right, bottom, s.grid, s.frame_rule))
        return items

    def _totals_height(self) -> float:
        s = self.s
        return s.totals_gap + s.totals * ASCENT + s.signing_gap + s.totals * DESCENT

    def _totals_items(self, group: ReceiptGroup, table_bottom: float) -> list:
        s, stack = self.s, self.stack
        items: list = []
        size = s.totals
        baseline = table_bottom - s.totals_gap - size * ASCENT
        rule_y = baseline - size * DESCENT
        count = f"本组共 {len(group.rows)} 户，已签收" if group.name else f"共 {len(group.rows)} 户，已签收"
        x = s.margin
        for text, blank in ((count, s.blank), ("户", 0.0)):
            items.append(TextItem(x, baseline, text, size, False, s.text))
            x += stack.width(text, size)
            if blank:
                items.append(LineItem(x + size * 0.3, rule_y, x + size * 0.3 + blank, rule_y, s.grid, s.rule))
                x += blank + size * 0.6
        baseline -= s.signing_gap
        rule_y = baseline - size * DESCENT
        half = self.inner / 2
        for index, label in enumerate(("发放人（签字）：", "核对人（签字）：")):
            x = s.margin + index * half
            items.append(TextItem(x, baseline, label, size, False, s.text))
            start = x + stack.width(label, size)
            end = min(start + s.signature_blank, x + half - size * 1.5)
            items.append(LineItem(start, rule_y, end, rule_y, s.grid, s.rule))
        return items

    # -- sheets -------------------------------------------------------------------
    @staticmethod
    def _paginate(rows: list[_Row], room: float, totals: float) -> list[list[_Row]]:
        """Rows per sheet, filled in order; the group's totals stay with its last row, and the last
        sheet gets a few rows rather than one row alone (the sheet count stays the same)."""
        pages: list[list[_Row]] = [[]]
        used = 0.0
        for index, row in enumerate(rows):
            need = row.height + (totals if index == len(rows) - 1 else 0.0)
            if pages[-1] and used + need > room + SLACK:
                pages.append([])
                used = 0.0
            pages[-1].append(row)
            used += row.height
        if used + totals > room + SLACK:  # a last row that fills a sheet by itself: totals on a sheet of their own
            pages.append([])
        if len(pages) > 1:
            last, previous = pages[-1], pages[-2]
            used = sum(row.height for row in last) + totals
            while last and len(last) < WIDOW and len(previous) > WIDOW and used + previous[-1].height <= room + SLACK:
                used += previous[-1].height
                last.insert(0, previous.pop())
        return pages

    def sheets(self) -> list[Sheet]:
        s = self.s
        sheets: list[Sheet] = []
        bottom = s.margin + self.footer_height + s.table_gap
        totals = self._totals_height()
        for group in self.groups:
            first_lines, later_lines = self._group_lines(group, False), self._group_lines(group, True)
            heading = max(self._heading_height(first_lines), self._heading_height(later_lines))
            table_top = self.height - s.margin - heading - s.table_gap
            rows_top = table_top - self.label_height
            headings = (self._heading_items(first_lines, heading), self._heading_items(later_lines, heading))
            labels = self._label_items(table_top)
            rows: list[_Row] = []
            for number, row in enumerate(group.rows, 1):
                rows += self._pieces(self._measure(number, row, group.name), rows_top - bottom)
            for index, page in enumerate(self._paginate(rows, rows_top - bottom, totals)):
                sheet = Sheet(self.width, self.height, list(headings[index > 0]) + list(labels), body_size=s.body)
                y = rows_top
                for position, piece in enumerate(page):
                    sheet.items += self._row_items(piece, y, position == 0)
                    y -= piece.height
                sheet.items += self._close_items(table_top, y)
                sheets.append(sheet)
            sheet.items += self._totals_items(group, y)
        total = len(sheets)
        for number, sheet in enumerate(sheets, 1):
            sheet.number, sheet.total = number, total
            sheet.items += self._footer_items(number, total)
        return sheets


def lay_out_receipts(
    letter_title: str, groups: list[ReceiptGroup], info: SheetInfo, design: Design, stack: FontStack
) -> list[Sheet]:
    """The register's sheets, numbered 第N张/共M张 through all groups; 序号 restarts in each group."""
    return _Register(letter_title, groups, info, design, stack).sheets()
