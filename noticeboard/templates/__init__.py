"""Page templates: each turns a notice's Composition into a LaidOut, the value every writer draws from.

``Composition.layout`` names the template. Adding one is a module here with a ``TEMPLATE`` and a
line in ``registry``; the pipeline knows none of them by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    DRAFT_MARK,
    TILES_SUFFIX,
    LaidOut,
    Progress,
    SheetsLaidOut,
    Template,
    Unprintable,
    does_not_fit,
    sheet_info,
    signoffs,
)

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


def registry() -> dict[str, Template]:
    from . import document, letter, poster

    return {template.name: template for template in (poster.TEMPLATE, document.TEMPLATE, letter.TEMPLATE)}


def for_composition(composition: Composition) -> Template:
    return registry()[composition.layout]


def lay_out(notice: Notice, loaded: Loaded, composition: Composition) -> LaidOut:
    """The notice laid out by the template its composition names."""
    return for_composition(composition).lay_out(notice, loaded, composition)


def print_suffixes() -> set[str]:
    """Every print/<id><suffix>.pdf any template makes, tiles included: what a withdrawn notice leaves."""
    return {suffix for template in registry().values() for suffix in template.laid_out.print_suffixes} | {TILES_SUFFIX}


__all__ = [
    "DRAFT_MARK",
    "TILES_SUFFIX",
    "LaidOut",
    "Progress",
    "SheetsLaidOut",
    "Template",
    "Unprintable",
    "does_not_fit",
    "for_composition",
    "lay_out",
    "print_suffixes",
    "registry",
    "sheet_info",
    "signoffs",
]
