"""The GB/T 9704 document (公告、通知): red 版头, never shrunk, flowing onto as many pages as it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout.document import lay_out_document
from .base import LaidOut, SheetsLaidOut, sheets_laid_out

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


class Document:
    name: str = "document"
    laid_out: type[LaidOut] = SheetsLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> SheetsLaidOut:
        return sheets_laid_out(
            notice,
            loaded,
            composition,
            lambda info, design: lay_out_document(composition.blocks, info, design, loaded.fonts, notice.paper),
        )


TEMPLATE = Document()
