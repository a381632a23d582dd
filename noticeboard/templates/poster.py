"""The poster: red header band, body blocks fitted to the paper at the largest legible size, QR footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout.fit import fit
from ..layout.frame import SheetTemplate
from ..layout.paper import page_size
from .base import LaidOut, SheetsLaidOut, sheets_laid_out

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


class Poster:
    name: str = "poster"
    laid_out: type[LaidOut] = SheetsLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> SheetsLaidOut:
        size = page_size(notice.paper, notice.orientation)

        def draw(info, design):
            template = SheetTemplate(info, design, loaded.fonts, notice.paper, size, notice.orientation)
            return fit(composition.blocks, template, composition.columns)

        return sheets_laid_out(notice, loaded, composition, draw)


TEMPLATE = Poster()
