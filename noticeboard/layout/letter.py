"""Letters: one sheet per household, laid out once per run and re-laid only where it differs.

A run of 10,000 letters must go at printer speed, so the template is laid out once: each run
of paragraphs without a placeholder becomes a *segment* drawn once (a PDF form XObject) and
placed on every page; only the paragraphs that hold a placeholder, the addressee line and
the per-household QR address are set per letter (``letter_page``). A placeholder paragraph
that takes more lines on one letter moves the segments below it down on that letter only.

The body size is chosen once for the run: the design's size, or smaller down to the floor,
so that the letter with the widest values still fits. A letter that does not fit even so is
an error (``LetterOverflow``): a letter is one sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from .blocks import PT_PER_MM
from .design import Design
from .fonts import FontStack
from .paper import page_size
from .qr import QUIET_ZONE, qr_version, version_modules
from .sheet import LineItem, QRItem, Sheet, TextItem
from .text import balanced_wrap, wrap

QR_CAPTION = "扫码查看网上公开版本"
INDENT = "\u3000"  # a first-line indent is set as ideographic spaces, as Paragraph does
SIZE_STEP = 0.5


@dataclass
class LetterRun:
    """What the letter kind hands to layout: the template and the households, in print order.

    ``paragraphs`` hold segments of text and placeholders (``fill(values)``, ``slots``, ``role``);
    ``households`` hold ``values`` by column key (household, head, group, address, …).
    """

    paragraphs: list
    households: list
    headers: dict[str, str]  # column key -> header as written (户主, 地址 …)
    qr_per_household: bool = False
    imposition: str | None = None


@dataclass
class NamedHousehold:
    """A stand-in household whose values name the placeholders: the online specimen letter."""

    values: dict[str, str]
    where: object = None
    number: str = ""


@dataclass
class Segment:
    """Items drawn once for the run and placed on every page, shifted down by ``dy`` on some."""

    name: str
    items: list = field(default_factory=list)


@dataclass
class _Variable:
    paragraph: object
    top: float  # where it starts when every placeholder paragraph above it is empty


@dataclass
class LetterPlan:
    """Everything fixed for the run; ``letter_page`` adds what differs per household."""

    width: float
    height: float
    paper: str
    fixed: Segment  # title, footer rule, QR caption, hotline; the QR itself when shared
    segments: list[Segment]
    flow: list  # Segment | _Variable, in reading order
    size: float  # body type size
    step: float  # body line pitch
    gap: float  # between paragraphs
    x: float  # body left
    width_body: float
    bottom: float  # no body line may go below this baseline
    small: float  # addressee and footer type size
    addressee_top: float  # baseline of the first addressee line
    qr_x: float
    qr_y: float
    qr_side: float  # quiet zone included
    qr_version: int
    url_x: float
    url_y: float
    url_width: float
    qr_url: str  # the shared address; per household, the base of ?h=
    qr_per_household: bool
    colours: dict
    stack: FontStack = field(repr=False)
    _cache: dict = field(default_factory=dict, repr=False)


@dataclass
class LetterPage:
    """One household's letter: segments with their downward shift, its own lines, its QR address."""

    segments: list[tuple[str, float]]
    items: list[TextItem]
    qr_url: str | None  # None: the shared QR in the fixed segment


class LetterOverflow(Exception):
    def __init__(self, household, lines_over: int):
        super().__init__(household)
        self.household = household
        self.lines_over = lines_over


class TemplateTooLong(Exception):
    """The letter does not fit one sheet even at the floor size, before any household is filled in."""

    def __init__(self, lines_over: int):
        super().__init__(lines_over)
        self.lines_over = lines_over


def _indent(role: str) -> int:
    return 0 if role in ("salutation", "flush") else 2


def _lines(text: str, role: str, size: float, width: float, stack: FontStack) -> list[str]:
    return wrap(INDENT * _indent(role) + text, width, size, stack, role == "heading")


def household_url(base: str, number: str) -> str:
    """The per-household address: the online copy with ?h=<户号>, the number URL-encoded."""
    return f"{base}?h={quote(number, safe='')}"


def addressee(household) -> str:
    """The line that tells the group leader whose letter this is: 第一村民小组　0101003号　张三户　小庄村一组12号"""
    values = household.values
    parts = [values.get("group", ""), f"户号 {values.get('household', '')}", f"户主 {values.get('head', '')}",
             values.get("address", "")]
    return "送：" + "　".join(p for p in parts if p.strip())


class _Geometry:
    def __init__(self, design: Design, stack: FontStack, paper: str):
        self.design = design
        self.stack = stack
        self.paper = paper
        self.width, self.height = page_size(paper, "portrait")
        values = design.get(f"letter.papers.{paper}")
        self.top = float(values["top"]) * PT_PER_MM
        self.bottom = float(values["bottom"]) * PT_PER_MM
        self.side = float(values["side"]) * PT_PER_MM
        self.title_size = float(values["title"])
        self.body_size = float(values["body"])
        self.floor = float(values["floor"])
        self.small = float(values["small"])
        self.qr_min = float(values["qr"]) * PT_PER_MM
        self.inner = self.width - 2 * self.side
        self.line_height = design.number("letter.line_height")


def _widest(households: list, key: str, stack: FontStack) -> str:
    best, best_width = "", -1.0
    for household in households:
        value = household.values.get(key, "")
        width = stack.width(value, 10)
        if width > best_width:
            best, best_width = value, width
    return best


def plan_letters(run: LetterRun, design: Design, stack: FontStack, paper: str, *, title: str, issuer: str,
                 date_text: str, hotline: str | None, url: str) -> LetterPlan:
    """Lay out the template once. Raises TemplateTooLong when it cannot fit one sheet."""
    g = _Geometry(design, stack, paper)
    colours = design.get("colours")
    fixed = Segment("fixed")

    # -- addressee lines (top margin), then the title --------------------------------------
    small_step = g.small * 1.35
    addressees = [addressee(h) for h in run.households]
    widest = max(addressees, key=lambda a: stack.width(a, g.small)) if addressees else ""
    addressee_lines = len(wrap(widest, g.inner, g.small, stack))
    addressee_top = g.height - g.top + g.small * 0.2
    y = addressee_top - (addressee_lines - 1) * small_step - g.small * 0.9
    title_lines = balanced_wrap(title, g.inner, g.title_size, stack, True)
    for line in title_lines:
        y -= g.title_size * 1.25
        width = stack.width(line, g.title_size, True)
        fixed.items.append(TextItem(g.side + (g.inner - width) / 2, y, line, g.title_size, True, colours["title"]))
    body_top = y - float(design.get("letter.title_gap")) * g.title_size

    # -- footer: rule, QR on the left, caption, address and hotline beside it -----------------
    longest = _longest_url(run, url) if run.qr_per_household else url
    version = qr_version(longest)  # one version for the run: every letter's code is the same size
    modules = version_modules(version)
    side = g.qr_min * modules / (modules - 2 * QUIET_ZONE)  # the code itself, without its quiet zone, meets the minimum
    quiet = side * QUIET_ZONE / modules
    qr_x, qr_y = g.side - quiet, g.bottom - quiet  # the quiet zone may reach into the margin: it is white
    text_x = g.side + side - 2 * quiet + g.small
    text_width = g.width - g.side - text_x
    footer_top = qr_y + side - quiet
    rule_y = footer_top + float(design.get("letter.footer_gap")) * PT_PER_MM * 0.5
    fixed.items.append(LineItem(g.side, rule_y, g.width - g.side, rule_y, colours["rule"], 0.6))
    url_size = g.small * 0.9
    url_lines = wrap(longest, text_width, url_size, stack)
    baseline = footer_top - g.small
    fixed.items.append(TextItem(text_x, baseline, QR_CAPTION, g.small, True, colours["text"]))
    url_y = baseline - small_step
    baseline = url_y
    for line in url_lines:
        if not run.qr_per_household:  # per household, letter_page sets the address
            fixed.items.append(TextItem(text_x, baseline, line, url_size, False, colours["muted"]))
        baseline -= url_size * 1.3
    if hotline:
        fixed.items.append(TextItem(text_x, baseline - small_step + url_size * 1.3, f"监督电话：{hotline}", g.small,
                                    True, colours["text"]))
    body_bottom = rule_y + float(design.get("letter.footer_gap")) * PT_PER_MM * 0.5

    # -- the body: the largest size at which the widest household still fits --------------------
    widest_values = {key: _widest(run.households, key, stack)
                     for key in {s.key for p in run.paragraphs for s in p.slots}}
    size = g.body_size
    while True:
        over = _overrun(run.paragraphs, widest_values, size, g, body_top, body_bottom, issuer, date_text)
        if over <= 0 or size - SIZE_STEP < g.floor - 1e-6:
            break
        size -= SIZE_STEP
    if over > 0:
        raise TemplateTooLong(over)
    plan = LetterPlan(
        width=g.width, height=g.height, paper=paper, fixed=fixed, segments=[], flow=[], size=size,
        step=size * g.line_height, gap=float(design.get("letter.paragraph_gap")) * size, x=g.side,
        width_body=g.inner, bottom=body_bottom, small=g.small, addressee_top=addressee_top,
        qr_x=qr_x, qr_y=qr_y, qr_side=side, qr_version=version, url_x=text_x, url_y=url_y, url_width=text_width,
        qr_url=url, qr_per_household=run.qr_per_household, colours=colours, stack=stack,
    )
    _build_flow(plan, run.paragraphs, body_top, issuer, date_text, design)
    return plan


def _longest_url(run: LetterRun, base: str) -> str:
    numbers = [h.values.get("household", "") for h in run.households] or [""]
    return household_url(base, max(numbers, key=lambda n: len(household_url(base, n).encode("utf-8"))))


def _signature_lines(issuer: str, date_text: str, size: float, width: float, stack: FontStack) -> list[str]:
    return wrap(issuer, width * 0.6, size, stack) + [date_text]


def _overrun(paragraphs: list, values: dict[str, str], size: float, g: _Geometry, top: float, bottom: float,
             issuer: str, date_text: str) -> float:
    """How far (points) the letter with these values runs below the body's bottom; ≤ 0 when it fits."""
    step = size * g.line_height
    gap = float(g.design.get("letter.paragraph_gap")) * size
    height = 0.0
    for paragraph in paragraphs:
        height += len(_lines(paragraph.fill(values), paragraph.role, size, g.inner, g.stack)) * step + gap
    height += float(g.design.get("letter.signature_gap")) * size
    height += len(_signature_lines(issuer, date_text, size, g.inner, g.stack)) * step
    return height - (top - bottom)


def _build_flow(plan: LetterPlan, paragraphs: list, top: float, issuer: str, date_text: str, design: Design) -> None:
    """Segments at their places when every placeholder paragraph is empty; variables in between."""
    y = top
    segment: Segment | None = None
    colour = plan.colours["text"]
    for paragraph in paragraphs:
        if paragraph.slots:
            segment = None
            plan.flow.append(_Variable(paragraph, y))
            y -= plan.gap
            continue
        if segment is None:
            segment = Segment(f"seg{len(plan.segments)}")
            plan.segments.append(segment)
            plan.flow.append(segment)
        for line in _lines(paragraph.fill({}), paragraph.role, plan.size, plan.width_body, plan.stack):
            y -= plan.step
            segment.items.append(TextItem(plan.x, y + plan.step * 0.3, line, plan.size, paragraph.role == "heading", colour))
        y -= plan.gap
    if segment is None:
        segment = Segment(f"seg{len(plan.segments)}")
        plan.segments.append(segment)
        plan.flow.append(segment)
    y -= float(design.get("letter.signature_gap")) * plan.size
    right = plan.x + plan.width_body - plan.size  # one character in from the right, room for a seal
    for line in _signature_lines(issuer, date_text, plan.size, plan.width_body, plan.stack):
        y -= plan.step
        width = plan.stack.width(line, plan.size)
        segment.items.append(TextItem(right - width, y + plan.step * 0.3, line, plan.size, False, colour))
    plan.flow.append(("end", y))


def letter_page(plan: LetterPlan, household) -> LetterPage:
    """The page of one household. Raises LetterOverflow when its values push the body off the sheet."""
    colour = plan.colours["text"]
    items: list[TextItem] = []
    placed: list[tuple[str, float]] = []
    shift = 0.0  # how much lower than the template everything now sits
    lowest = 0.0
    for part in plan.flow:
        if isinstance(part, Segment):
            placed.append((part.name, -shift))
        elif isinstance(part, _Variable):
            paragraph = part.paragraph
            text = paragraph.fill(household.values)
            key = (id(paragraph), text)
            lines = plan._cache.get(key)
            if lines is None:
                lines = _lines(text, paragraph.role, plan.size, plan.width_body, plan.stack)
                if len(plan._cache) < 4096:
                    plan._cache[key] = lines
            y = part.top - shift
            for line in lines:
                y -= plan.step
                items.append(TextItem(plan.x, y + plan.step * 0.3, line, plan.size, paragraph.role == "heading", colour))
            shift += len(lines) * plan.step
        else:
            lowest = part[1] - shift
    if lowest < plan.bottom - 1e-6:
        raise LetterOverflow(household, int((plan.bottom - lowest) // plan.step) + 1)
    line = addressee(household)
    for index, text in enumerate(wrap(line, plan.width_body, plan.small, plan.stack)):
        items.append(TextItem(plan.x, plan.addressee_top - index * plan.small * 1.35, text, plan.small, False,
                              plan.colours["muted"]))
    qr_url = None
    if plan.qr_per_household:
        qr_url = household_url(plan.qr_url, household.values.get("household", ""))
        size = plan.small * 0.9
        for index, text in enumerate(wrap(qr_url, plan.url_width, size, plan.stack)):
            items.append(TextItem(plan.url_x, plan.url_y - index * size * 1.3, text, size, False, plan.colours["muted"]))
    return LetterPage(placed, items, qr_url)


def pages(plan: LetterPlan, households: list) -> Iterator[LetterPage]:
    for household in households:
        yield letter_page(plan, household)


def letter_sheets(plan: LetterPlan, households: list) -> list[Sheet]:
    """The letters as plain sheets of positioned items, for callers that inspect a layout (tests, tools).

    The renderer does not use this: it draws the segments once and places them (render/letters.py).
    """
    from .qr import fast_matrix

    segments = {segment.name: segment for segment in [plan.fixed] + plan.segments}
    sheets = []
    for household in households:
        page = letter_page(plan, household)
        sheet = Sheet(plan.width, plan.height)
        sheet.items += plan.fixed.items
        for name, dy in page.segments:
            sheet.items += [replace(item, y=item.y + dy) if isinstance(item, TextItem) else item
                            for item in segments[name].items]
        sheet.items += page.items
        url = page.qr_url or plan.qr_url
        modules = fast_matrix(url, plan.qr_version)
        blank = [False] * (len(modules) + 2 * QUIET_ZONE)
        matrix = [blank] * QUIET_ZONE + [[False] * QUIET_ZONE + list(row) + [False] * QUIET_ZONE for row in modules] \
            + [blank] * QUIET_ZONE
        sheet.items.append(QRItem(plan.qr_x, plan.qr_y, plan.qr_side, matrix, url))
        sheet.body_size = plan.size
        sheets.append(sheet)
    return sheets
