"""The poster: red header band, body blocks fitted to the paper at the largest legible size, QR footer."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..layout.fit import LayoutOverflow, fit
from ..layout.frame import SheetTemplate
from ..layout.paper import page_size
from ..publish import verification
from .base import LaidOut, SheetsLaidOut, does_not_fit, sheet_info

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


class Poster:
    name: str = "poster"
    laid_out: type[LaidOut] = SheetsLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> SheetsLaidOut:
        design = loaded.designs[loaded.kinds[notice.kind].design]
        info = replace(sheet_info(notice, loaded, composition), code=verification.PLACEHOLDER)
        template = SheetTemplate(
            info, design, loaded.fonts, notice.paper, page_size(notice.paper, notice.orientation), notice.orientation
        )
        try:
            sheets = fit(composition.blocks, template, composition.columns)
        except LayoutOverflow:
            return SheetsLaidOut(notice, loaded.fonts, [], [does_not_fit(notice, loaded)])
        return SheetsLaidOut(notice, loaded.fonts, sheets, [], verification.stamp(sheets) or "")


TEMPLATE = Poster()
