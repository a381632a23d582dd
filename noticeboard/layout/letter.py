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

import math
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from urllib.parse import quote

from .blocks import PT_PER_MM
from .design import Design
from .fonts import FontStack
from .paper import QR_MINIMUM_MM, page_size
from .qr import QUIET_ZONE, qr_version, side_for_version, version_modules
from .sheet import LineItem, QRItem, Sheet, TextItem
from .text import balanced_wrap, wrap

QR_CAPTION = "扫码查看网上公开版本"
INDENT = "\u3000"  # a first-line indent is set as ideographic spaces, as Paragraph does
SIZE_STEP = 0.5
NAMED_SLOT = "〔{}〕"  # a placeholder where no household fills it: the online specimen letter
ADDRESSEE_MOST_LINES = 3  # a 送：line longer than this is an error at the household's row


@dataclass
class LetterRun:
    """What the letter kind hands to layout: the template and the households, in print order.

    ``paragraphs`` hold segments of text and placeholders (``fill(values)``, ``slots``, ``role``);
    ``households`` hold ``values`` by column key (household, head, group, address, …).
    """

    paragraphs: list
    households: list
    labels: dict[str, str]  # column key -> what the letter calls it (户主, 地址 …), for the online specimen
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


class LetterParagraph(Protocol):
    """What the letter layout needs of a paragraph of the kind's template (kinds/letter.py)."""

    role: str
    slots: Any  # the placeholders, each with a ``key``

    def fill(self, values: dict[str, str]) -> str: ...


@dataclass
class _Variable:
    """A paragraph with a placeholder. Its lines before the one the first placeholder falls on
    are the same in every letter (line breaking is greedy: a line's end depends only on the
    text before it), so they go in the segment above; per letter only ``lead`` (that line's
    fixed start) plus the filled rest is broken into lines."""

    paragraph: LetterParagraph
    top: float  # where its first varying line starts when every placeholder paragraph above is empty
    prefix: int  # characters of the paragraph before its first placeholder
    lead: str  # the line the first placeholder falls on, up to the placeholder (indent included)


@dataclass
class LetterPlan:
    """Everything fixed for the run; ``letter_page`` adds what differs per household."""

    width: float
    height: float
    paper: str
    head: Segment  # the title
    foot: Segment  # footer rule, QR caption, hotline; the QR itself when shared (drawn by the renderer)
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
    addressee_lines: int  # lines kept for it above the title
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
    _cache: dict[tuple[int, str], list[str]] = field(default_factory=dict, repr=False)


@dataclass
class LetterPage:
    """One household's letter in reading order: segments as (name, downward shift) and its own lines.

    Drawn in this order, the PDF's text reads as the letter does (addressee, title, body, footer).
    """

    parts: list  # (segment name, dy) | TextItem
    qr_url: str | None  # None: the shared QR in the foot segment


class LetterOverflow(Exception):
    """A household's letter does not fit its sheet: its body (``part`` "body") or its 送：line ("addressee")."""

    def __init__(self, household, lines_over: int, part: str = "body"):
        super().__init__(household)
        self.household = household
        self.lines_over = lines_over
        self.part = part


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
    parts = [
        values.get("group", ""),
        f"户号 {values.get('household', '')}",
        f"户主 {values.get('head', '')}",
        values.get("address", ""),
    ]
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


def plan_letters(
    run: LetterRun,
    design: Design,
    stack: FontStack,
    paper: str,
    *,
    title: str,
    issuer: str,
    date_text: str,
    hotline: str | None,
    url: str,
) -> LetterPlan:
    """Lay out the template once. Raises TemplateTooLong when it cannot fit one sheet."""
    g = _Geometry(design, stack, paper)
    colours = design.get("colours")
    head, foot = Segment("head"), Segment("foot")

    # -- addressee lines (top margin), then the title --------------------------------------
    small_step = g.small * 1.35
    addressees = [addressee(h) for h in run.households]
    widest = max(addressees, key=lambda a: stack.width(a, g.small)) if addressees else ""
    # room for the longest 送：line, up to a limit: one absurd address must not squeeze every letter
    addressee_lines = min(len(wrap(widest, g.inner, g.small, stack)), ADDRESSEE_MOST_LINES)
    addressee_top = g.height - g.top + g.small * 0.2
    y = addressee_top - (addressee_lines - 1) * small_step - g.small * 0.9
    title_lines = balanced_wrap(title, g.inner, g.title_size, stack, True)
    for line in title_lines:
        y -= g.title_size * 1.25
        width = stack.width(line, g.title_size, True)
        head.items.append(TextItem(g.side + (g.inner - width) / 2, y, line, g.title_size, True, colours["title"]))
    body_top = y - float(design.get("letter.title_gap")) * g.title_size

    # -- footer: rule, QR on the left, caption, address and hotline beside it -----------------
    longest = _longest_url(run, url) if run.qr_per_household else url
    version = qr_version(longest)  # one version for the run: every letter's code is the same size
    modules = version_modules(version)
    # the code itself, without its quiet zone, meets the letter's minimum; a dense code (per household
    # addresses often pass version 5) grows by SPEC §3 instead, so that no module is below minimum / 37
    minimum = max(g.qr_min, QR_MINIMUM_MM.get(paper, 0.0) * PT_PER_MM)
    side = max(minimum * modules / (modules - 2 * QUIET_ZONE), side_for_version(minimum, version))
    quiet = side * QUIET_ZONE / modules
    qr_x, qr_y = g.side - quiet, g.bottom - quiet  # the quiet zone may reach into the margin: it is white
    text_x = g.side + side - 2 * quiet + g.small
    text_width = g.width - g.side - text_x
    footer_top = qr_y + side - quiet
    rule_y = footer_top + float(design.get("letter.footer_gap")) * PT_PER_MM * 0.5
    foot.items.append(LineItem(g.side, rule_y, g.width - g.side, rule_y, colours["rule"], 0.6))
    url_size = g.small * 0.9
    url_lines = wrap(longest, text_width, url_size, stack)
    baseline = footer_top - g.small
    foot.items.append(TextItem(text_x, baseline, QR_CAPTION, g.small, True, colours["text"]))
    url_y = baseline - small_step
    baseline = url_y
    for line in url_lines:
        if not run.qr_per_household:  # per household, letter_page sets the address
            foot.items.append(TextItem(text_x, baseline, line, url_size, False, colours["muted"]))
        baseline -= url_size * 1.3
    if hotline:
        foot.items.append(
            TextItem(
                text_x, baseline - small_step + url_size * 1.3, f"监督电话：{hotline}", g.small, True, colours["text"]
            )
        )
    body_bottom = rule_y + float(design.get("letter.footer_gap")) * PT_PER_MM * 0.5

    # -- the body: the largest size at which the widest household still fits --------------------
    keys = {s.key for p in run.paragraphs for s in p.slots}
    size, over = _fit_size(
        run.paragraphs,
        {key: _widest(run.households, key, stack) for key in keys},
        g,
        body_top,
        body_bottom,
        issuer,
        date_text,
    )
    if over > 0:  # not even at the floor: one household's value may be to blame, not the letter
        over = _overrun(run.paragraphs, {}, size, g, body_top, body_bottom, issuer, date_text)
        if over > 0:
            raise TemplateTooLong(math.ceil(over / (g.floor * g.line_height)))
        # at the floor, letter_page names each household whose letter still does not fit, by its row
    plan = LetterPlan(
        width=g.width,
        height=g.height,
        paper=paper,
        head=head,
        foot=foot,
        segments=[],
        flow=[],
        size=size,
        step=size * g.line_height,
        gap=float(design.get("letter.paragraph_gap")) * size,
        x=g.side,
        width_body=g.inner,
        bottom=body_bottom,
        small=g.small,
        addressee_top=addressee_top,
        addressee_lines=addressee_lines,
        qr_x=qr_x,
        qr_y=qr_y,
        qr_side=side,
        qr_version=version,
        url_x=text_x,
        url_y=url_y,
        url_width=text_width,
        qr_url=url,
        qr_per_household=run.qr_per_household,
        colours=colours,
        stack=stack,
    )
    _build_flow(plan, run.paragraphs, body_top, issuer, date_text, design)
    return plan


def _longest_url(run: LetterRun, base: str) -> str:
    numbers = [h.values.get("household", "") for h in run.households] or [""]
    return household_url(base, max(numbers, key=lambda n: len(household_url(base, n).encode("utf-8"))))


def _prefix(paragraph) -> str:
    """The paragraph's text before its first placeholder."""
    text = ""
    for segment in paragraph.segments:
        if not isinstance(segment, str):
            break
        text += segment
    return text


def _signature_lines(issuer: str, date_text: str, size: float, width: float, stack: FontStack) -> list[str]:
    return wrap(issuer, width * 0.6, size, stack) + [date_text]


def _fit_size(
    paragraphs: list, values: dict[str, str], g: _Geometry, top: float, bottom: float, issuer: str, date_text: str
) -> tuple[float, float]:
    """The largest body size (design size down to the floor) at which these values fit, and the overrun there."""
    size = g.body_size
    while True:
        over = _overrun(paragraphs, values, size, g, top, bottom, issuer, date_text)
        if over <= 0 or size - SIZE_STEP < g.floor - 1e-6:
            return size, over
        size -= SIZE_STEP


def _overrun(
    paragraphs: list,
    values: dict[str, str],
    size: float,
    g: _Geometry,
    top: float,
    bottom: float,
    issuer: str,
    date_text: str,
) -> float:
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
            prefix = _prefix(paragraph)
            lines = _lines(prefix, paragraph.role, plan.size, plan.width_body, plan.stack) if prefix else []
            if len(lines) > 1:  # the lines before the first placeholder's line are fixed: draw them once
                if segment is None:
                    segment = Segment(f"seg{len(plan.segments)}")
                    plan.segments.append(segment)
                    plan.flow.append(segment)
                for line in lines[:-1]:
                    y -= plan.step
                    segment.items.append(
                        TextItem(plan.x, y + plan.step * 0.3, line, plan.size, paragraph.role == "heading", colour)
                    )
            lead = lines[-1] if lines else INDENT * _indent(paragraph.role)
            segment = None
            plan.flow.append(_Variable(paragraph, y, len(prefix), lead))
            y -= plan.gap
            continue
        if segment is None:
            segment = Segment(f"seg{len(plan.segments)}")
            plan.segments.append(segment)
            plan.flow.append(segment)
        for line in _lines(paragraph.fill({}), paragraph.role, plan.size, plan.width_body, plan.stack):
            y -= plan.step
            segment.items.append(
                TextItem(plan.x, y + plan.step * 0.3, line, plan.size, paragraph.role == "heading", colour)
            )
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
    muted = plan.colours["muted"]
    lines = wrap(addressee(household), plan.width_body, plan.small, plan.stack)
    if len(lines) > plan.addressee_lines:
        raise LetterOverflow(household, len(lines) - plan.addressee_lines, "addressee")
    parts: list = [
        TextItem(plan.x, plan.addressee_top - index * plan.small * 1.35, text, plan.small, False, muted)
        for index, text in enumerate(lines)
    ]
    parts.append((plan.head.name, 0.0))
    shift = 0.0  # how much lower than the template everything now sits
    lowest = 0.0
    for part in plan.flow:
        if isinstance(part, Segment):
            parts.append((part.name, -shift))
        elif isinstance(part, _Variable):
            paragraph = part.paragraph
            text = part.lead + paragraph.fill(household.values)[part.prefix :]
            key = (id(paragraph), text)
            wrapped = plan._cache.get(key)
            if wrapped is None:
                wrapped = wrap(text, plan.width_body, plan.size, plan.stack, paragraph.role == "heading")
                if len(plan._cache) < 4096:
                    plan._cache[key] = wrapped
            y = part.top - shift
            for line in wrapped:
                y -= plan.step
                parts.append(
                    TextItem(plan.x, y + plan.step * 0.3, line, plan.size, paragraph.role == "heading", colour)
                )
            shift += len(wrapped) * plan.step
        else:
            lowest = part[1] - shift
    if lowest < plan.bottom - 1e-6:
        raise LetterOverflow(household, int((plan.bottom - lowest) // plan.step) + 1)
    parts.append((plan.foot.name, 0.0))
    qr_url = None
    if plan.qr_per_household:
        qr_url = household_url(plan.qr_url, household.values.get("household", ""))
        size = plan.small * 0.9
        for index, text in enumerate(wrap(qr_url, plan.url_width, size, plan.stack)):
            parts.append(TextItem(plan.url_x, plan.url_y - index * size * 1.3, text, size, False, muted))
    return LetterPage(parts, qr_url)


def letter_sheets(plan: LetterPlan, households: list) -> list[Sheet]:
    """The letters as plain sheets of positioned items, for callers that inspect a layout (tests, tools).

    The renderer does not use this: it draws the segments once and places them (render/letters.py).
    """
    from .qr import fast_matrix

    segments = {segment.name: segment for segment in [plan.head, plan.foot] + plan.segments}
    sheets = []
    for household in households:
        page = letter_page(plan, household)
        sheet = Sheet(plan.width, plan.height)
        for part in page.parts:
            if isinstance(part, TextItem):
                sheet.items.append(part)
                continue
            name, dy = part
            sheet.items += [
                replace(item, y=item.y + dy) if isinstance(item, TextItem) else item for item in segments[name].items
            ]
        url = page.qr_url or plan.qr_url
        modules = fast_matrix(url, plan.qr_version)
        blank = [False] * (len(modules) + 2 * QUIET_ZONE)
        matrix = (
            [blank] * QUIET_ZONE
            + [[False] * QUIET_ZONE + list(row) + [False] * QUIET_ZONE for row in modules]
            + [blank] * QUIET_ZONE
        )
        sheet.items.append(QRItem(plan.qr_x, plan.qr_y, plan.qr_side, matrix, url))
        sheet.body_size = plan.size
        sheets.append(sheet)
    return sheets
