"""The poster: red header band, body blocks fitted to the paper at the largest legible size, QR footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout.fit import LayoutOverflow, fit
from ..layout.frame import SheetInfo, SheetTemplate
from ..layout.paper import page_size
from ..layout.sheet import Sheet
from ..problems import Problem, warning
from .base import LaidOut, SheetsLaidOut, sheets_laid_out

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..layout.design import Design
    from ..load.workspace import Loaded
    from ..models import Notice

# more A4 sheets than this for one notice, and the board reads badly: a villager walks from sheet to
# sheet reading type set for a desk; A3 (twice the area, larger type) is then suggested
A4_SHEETS_AT_MOST = 2


class Poster:
    name: str = "poster"
    laid_out: type[LaidOut] = SheetsLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> SheetsLaidOut:
        drawn: list[tuple[SheetInfo, Design]] = []

        def draw(info: SheetInfo, design: Design) -> list[Sheet]:
            drawn.append((info, design))
            return _draw(notice, loaded, composition, info, design, notice.paper)

        laid = sheets_laid_out(notice, loaded, composition, draw)
        if notice.paper == "A4" and len(laid.sheets) > A4_SHEETS_AT_MOST and drawn:
            advice = a3_advice(notice, loaded, composition, laid.sheets, *drawn[0])
            if advice is not None:
                laid.problems.append(advice)
        return laid


def _draw(
    notice: Notice, loaded: Loaded, composition: Composition, info: SheetInfo, design: Design, paper: str
) -> list[Sheet]:
    size = page_size(paper, notice.orientation)
    template = SheetTemplate(info, design, loaded.fonts, paper, size, notice.orientation)
    return fit(composition.blocks, template, composition.columns)


def a3_advice(
    notice: Notice, loaded: Loaded, composition: Composition, sheets: list[Sheet], info: SheetInfo, design: Design
) -> Problem | None:
    """A warning that suggests A3 for a notice that takes too many A4 sheets, saying what A3 would take;
    None when A3 would be no better (as many sheets at no larger type) or cannot set it."""
    try:
        on_a3 = _draw(notice, loaded, composition, info, design, "A3")
    except LayoutOverflow:
        return None
    size, size_a3 = sheets[0].body_size, on_a3[0].body_size
    if not (len(on_a3) < len(sheets) or (len(on_a3) == len(sheets) and size_a3 > size)):
        return None
    reduced = size < design.paper("A4").body - 1e-6
    how = "（paper: A3）" if "paper" in notice.key_lines else "（在通知文件里加一行 paper: A3）"
    if reduced:
        why = f"字号已降到 {size:g} 磅：贴在公开栏上 1 米外看不清，村民还要一张张找着读"
    else:
        why = f"字号 {size:g} 磅：贴在公开栏上，村民要一张张找着读"
    return warning(
        notice.at("paper"),
        f"在 A4 纸上要印 {len(sheets)} 张，{why}；建议改用 A3{how}，只要 {len(on_a3)} 张，字号 {size_a3:g} 磅。",
    )


TEMPLATE = Poster()
