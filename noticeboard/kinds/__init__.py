"""The registry of notice kinds. Each kind is one module exposing ``KIND``.

A kind knows its columns and extra keys, turns its table into its own model,
checks its own rules, and composes its sheet from the shared layout blocks.
Kinds never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ..dates import chinese_date, notice_display_period
from ..layout.blocks import Block, Paragraph
from ..models import Notice, Settings, Table, Text, Workspace
from ..options import Schema, Values
from ..problems import Problem
from ..tables import ColumnSpec


@dataclass
class Composition:
    """What a kind hands to layout: the body blocks and the header's meta items.

    ``layout`` names the sheet template: "poster" (red header band, QR footer) or another
    template a kind needs ("document": GB/T 9704; "letter": one sheet per household, where
    ``letters`` carries the run and ``blocks`` are what the online copy shows). ``columns`` overrides the design's
    number of body columns; "auto" asks for as many as the narrowest block allows.
    """

    blocks: list[Block]
    meta: list[str]
    layout: str = "poster"
    columns: int | str | None = None
    letters: object = None  # layout.letter.LetterRun: a letter run is set per household, not fitted


C = TypeVar("C")


class KindSpec(Generic[C]):
    """A kind: its keys and columns, and what it does with a notice whose content ``C`` loaded.

    ``load`` turns the notice's keys and table into ``C`` (or None, with the reasons as problems);
    ``texts`` and ``compose`` are only ever given content that loaded, and ``check`` is given it
    where there is some, so no kind has to guess what ``notice.content`` holds.
    """

    def __init__(self, *, name: str, label: str, design: str, options: Schema, content: type[C],
                 columns: list[ColumnSpec] | None,
                 load: Callable[[Notice, Values, Table | None, Settings], tuple[C | None, list[Problem]]],
                 check: Callable[[Notice, C | None, Workspace], list[Problem]],
                 texts: Callable[[Notice, C], Iterable[Text]],
                 compose: Callable[[Notice, C], Composition],
                 masks_cells: bool = False, open_columns: bool = False):
        self.name = name
        self.label = label  # shown to users, e.g. 财政收支
        self.design = design  # the layouts/<design>.yaml it is drawn with
        self.options = options  # the kind's own notice keys
        self.content_type = content
        self.columns = columns  # None: the kind takes no data table
        self._load, self._check, self._texts, self._compose = load, check, texts, compose
        # the kind masks every number in its cells itself (roster); else the load masks typo'd IDs
        self.masks_cells = masks_cells
        # prints columns the notice names (roster, letter); else other columns are warned of
        self.open_columns = open_columns

    @property
    def keys(self) -> dict[str, str]:
        """The kind's own notice keys, each with its Chinese label."""
        return self.options.keys

    def loaded(self, notice: Notice) -> C | None:
        """The notice's content, if it loaded."""
        return notice.content if isinstance(notice.content, self.content_type) else None

    def content(self, notice: Notice) -> C:
        """The content of a notice that loaded; asking for one that did not is a mistake in the caller."""
        content = self.loaded(notice)
        if content is None:
            raise ValueError(f"{notice.file}: notice {notice.id!r} has no loaded {self.name} content")
        return content

    def load(self, notice: Notice, values: Values, table: Table | None,
             settings: Settings) -> tuple[C | None, list[Problem]]:
        return self._load(notice, values, table, settings)

    def check(self, notice: Notice, workspace: Workspace) -> list[Problem]:
        return self._check(notice, self.loaded(notice), workspace)

    def texts(self, notice: Notice) -> Iterable[Text]:
        content = self.loaded(notice)
        return self._texts(notice, content) if content is not None else ()

    def compose(self, notice: Notice) -> Composition:
        return self._compose(notice, self.content(notice))


def dates_meta(notice: Notice) -> list[str]:
    """The header's 发布日期 and, where there is one, 公示期: the same words on every kind's sheet."""
    meta = [f"发布日期：{chinese_date(notice.date)}"]
    if (period := notice_display_period(notice)) is not None:
        meta.append(f"公示期：{period}")
    return meta


class HasNotes(Protocol):
    notes: list[Text]
    signatures: list[Text]


def table_notes(table: HasNotes) -> list[Block]:
    """The clerk's 注：… and 制表人：… lines, printed under the table as written."""
    # the notes keep to the signature line, so that 制表人 never opens a sheet on its own
    blocks: list[Block] = [Paragraph(note.value, size="notes.size", keep_with_next=bool(table.signatures))
                           for note in table.notes]
    if table.signatures:
        blocks.append(Paragraph("　　".join(s.value for s in table.signatures), size="notes.size", align="right"))
    return blocks


def table_texts(table: HasNotes) -> Iterable[Text]:
    """What table_notes prints, for the glyph and privacy checks."""
    yield from table.notes
    yield from table.signatures


def registry() -> dict[str, KindSpec[Any]]:
    from . import contacts, finance, guide, ledger, letter, notice, roster, tasks

    return {kind.name: kind for kind in (finance.KIND, contacts.KIND, tasks.KIND, roster.KIND, notice.KIND, ledger.KIND,
                                         letter.KIND, guide.KIND)}
