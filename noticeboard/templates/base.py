"""The page-template interface and ``LaidOut``, the value every writer works from.

A template turns a notice's Composition into a LaidOut once per build. The pipeline then
writes the print files, the preview, the tiles and the online PDF from that value without
knowing which template made it; what a template prints besides its main PDF, and what of
it goes online, into the register and onto the screen, the template declares here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from ..checks.limits import longest_cell
from ..dates import chinese_date
from ..layout.design import Design
from ..layout.fit import LayoutOverflow
from ..layout.frame import SheetInfo
from ..layout.qr import QUIET_ZONE
from ..layout.sheet import QRItem, Sheet
from ..problems import Problem, error, has_errors
from ..publish import verification
from ..render.tile import Box

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..layout.fonts import FontStack
    from ..load.workspace import Loaded
    from ..models import Notice, Settings

DRAFT_MARK = "草稿"
TILES_SUFFIX = "-tiles"  # print/<id>-tiles.pdf, written by the pipeline for a template that allows tiling


class Progress:
    """Told how far a long render has got; the CLI shows a bar, everything else ignores it."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


class Unprintable(Exception):
    """Raised by the Python API's ``lay_out`` and ``render`` for a notice that cannot be set; the build
    and check report the same ``problems`` instead."""

    def __init__(self, problems: list[Problem]):
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


class LaidOut:
    """One notice laid out by its template: what every writer draws from (cf. WeasyPrint's Document).

    ``sheets`` are the positioned sheets (for a streamed template, a sequence laid out sheet by sheet
    as it is read); ``code`` the 核验码 printed on them ("" for none); ``qr_boxes`` where each sheet's
    QR codes are (quiet zone excluded), so that tiling needs no second layout; ``problems`` what stops
    printing, as located Chinese messages. The class attributes are the template's declarations.
    """

    print_suffixes: ClassVar[tuple[str, ...]] = ("",)  # print/<id><suffix>.pdf that ``write_prints`` makes
    tileable: ClassVar[bool] = False  # may be tiled onto smaller sheets (print/<id>-tiles.pdf)
    online_label: ClassVar[str | None] = None  # the site's link text for the online PDF, when not the default

    def __init__(self, notice: Notice, fonts: FontStack, problems: list[Problem], code: str = ""):
        self.notice = notice
        self.fonts = fonts
        self.code = code
        self._problems = problems

    @property
    def sheets(self) -> Sequence[Sheet]:
        raise NotImplementedError

    @property
    def qr_boxes(self) -> list[list[Box]]:
        return []

    @property
    def problems(self) -> list[Problem]:
        return self._problems

    @property
    def warnings(self) -> list[Problem]:
        """What laying out found that does not stop printing (a larger paper would read better), known
        without drawing: unlike ``problems`` it never walks a streamed template's sheets."""
        return [p for p in self._problems if not p.is_error]

    @property
    def printable(self) -> bool:
        """No problem found so far stops it; a streamed template may still find one while writing."""
        return not has_errors(self._problems)

    def pdf(self, draft: bool = False) -> bytes:
        """The main print PDF in memory (``noticeboard.render``)."""
        raise NotImplementedError

    def write_pdf(self, target: Path, draft: bool = False, progress: Progress | None = None) -> bool:
        """The main print PDF into ``target``; False (and ``problems`` say why) when it cannot be printed."""
        raise NotImplementedError

    def write_prints(self, folder: Path, draft: bool = False, progress: Progress | None = None) -> list[Path] | None:
        """Every print file of the template into ``folder``, the main PDF first; None when it cannot be printed."""
        target = folder / f"{self.notice.id}.pdf"
        return [target] if self.write_pdf(target, draft, progress) else None

    def online_pdf(self, draft: bool = False) -> bytes:
        """What goes online (site/<id>/<id>.pdf); after ``write_prints``."""
        return self.pdf(draft)


class Template(Protocol):
    """A page template: "poster", "document", "letter" (``Composition.layout`` names one)."""

    name: str
    laid_out: type[LaidOut]  # the kind of value it lays out, with its declarations

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> LaidOut:
        """Lay the notice out once; problems come back in the value, never as exceptions."""
        ...


class SheetsLaidOut(LaidOut):
    """A template whose sheets are all laid out at once and drawn with render/pdf.py (poster, document)."""

    tileable = True

    def __init__(self, notice: Notice, fonts: FontStack, sheets: list[Sheet], problems: list[Problem], code: str = ""):
        super().__init__(notice, fonts, problems, code)
        self._sheets = sheets
        self._pdf: dict[bool, bytes] = {}  # drawn once per watermark: print, preview, tiles and site share it

    @property
    def sheets(self) -> list[Sheet]:
        return self._sheets

    @property
    def qr_boxes(self) -> list[list[Box]]:
        def square(item: QRItem) -> Box:  # quiet zone excluded: a seam there does no harm
            inset = item.size * QUIET_ZONE / len(item.matrix)
            return Box(item.x + inset, item.y + inset, item.x + item.size - inset, item.y + item.size - inset)

        return [[square(i) for i in sheet.items if isinstance(i, QRItem)] for sheet in self._sheets]

    def pdf(self, draft: bool = False) -> bytes:
        from ..render.pdf import render_pdf

        if not self.printable:
            raise Unprintable(self.problems)
        if draft not in self._pdf:
            notice = self.notice
            self._pdf[draft] = render_pdf(
                self._sheets,
                self.fonts,
                title=notice.title.value,
                author=notice.issuer.value,
                subject=notice.url,
                watermark=DRAFT_MARK if draft else None,
            )
        return self._pdf[draft]

    def write_pdf(self, target: Path, draft: bool = False, progress: Progress | None = None) -> bool:
        from ..publish import atomic

        if not self.printable:
            return False
        atomic.write_bytes(target, self.pdf(draft))
        return True


def signoffs(notice: Notice, settings: Settings) -> str:
    """初审：王小红 2026-04-10　审核：…, in the order of its chain (the catalogue entry's own, else
    noticeboard.yaml's), whatever the notice file's order."""
    order = {role: index for index, role in enumerate(settings.review_chain(notice.catalogue)[0])}
    reviews = sorted(notice.reviews, key=lambda r: order.get(r.role, len(order)))
    return "　".join(f"{r.role}：{r.by.value}" + (f" {r.date.isoformat()}" if r.date else "") for r in reviews)


def sheet_info(notice: Notice, loaded: Loaded, composition: Composition) -> SheetInfo:
    return SheetInfo(
        title=notice.title.value,
        meta=composition.meta,
        issuer=notice.issuer.value,
        date_text=chinese_date(notice.date),
        hotline=notice.hotline.value if notice.hotline else None,
        url=notice.url,
        signoffs=signoffs(notice, loaded.workspace.settings) or None,
    )


def sheets_laid_out(
    notice: Notice, loaded: Loaded, composition: Composition, draw: Callable[[SheetInfo, Design], list[Sheet]]
) -> SheetsLaidOut:
    """What the poster and the document share: the header's facts with a 核验码 placeholder, the sheets
    ``draw`` sets from them, the code stamped on them, and a block that cannot be set as a problem."""
    design = loaded.designs[loaded.kinds[notice.kind].design]
    info = replace(sheet_info(notice, loaded, composition), code=verification.PLACEHOLDER)
    try:
        sheets = draw(info, design)
    except LayoutOverflow:
        return SheetsLaidOut(notice, loaded.fonts, [], [does_not_fit(notice, loaded)])
    return SheetsLaidOut(notice, loaded.fonts, sheets, [], verification.stamp(sheets) or "")


def does_not_fit(notice: Notice, loaded: Loaded) -> Problem:
    """A block too big for an empty column at the floor size: said at the notice's longest cell when
    that is long, the likeliest thing to shorten."""
    found = longest_cell(notice, loaded.kinds[notice.kind])
    if found is not None:
        cell, unbroken = found
        run = f"，其中一串不能断行的字母或数字有 {unbroken} 个" if unbroken >= 20 else ""
        return error(
            cell.where,
            (
                f"这一格有 {len(cell.value)} 个字{run}，在最小字号下连一整栏都放不下。"
                "请缩短这一格（或把这段话写进正文），或改用更大的纸张（paper）。"
            ),
        )
    return error(
        notice.where,
        "有一块内容在最小字号下连一整栏都放不下，请改用更大的纸张（paper），"
        "或缩短其中太长的一行（例如一长串没有空格的字母或数字）。",
    )
