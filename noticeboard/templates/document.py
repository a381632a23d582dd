"""The GB/T 9704 document (公告、通知): red 版头, never shrunk, flowing onto as many pages as it needs."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..layout.document import lay_out_document
from ..layout.fit import LayoutOverflow
from ..publish import verification
from .base import LaidOut, SheetsLaidOut, does_not_fit, sheet_info

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


class Document:
    name: str = "document"
    laid_out: type[LaidOut] = SheetsLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> SheetsLaidOut:
        design = loaded.designs[loaded.kinds[notice.kind].design]
        info = replace(sheet_info(notice, loaded, composition), code=verification.PLACEHOLDER)
        try:
            sheets = lay_out_document(composition.blocks, info, design, loaded.fonts, notice.paper)
        except LayoutOverflow:
            return SheetsLaidOut(notice, loaded.fonts, [], [does_not_fit(notice, loaded)])
        return SheetsLaidOut(notice, loaded.fonts, sheets, [], verification.stamp(sheets) or "")


TEMPLATE = Document()
