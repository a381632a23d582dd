"""The kind protocol. Each kind is one module exposing ``KIND``; ``kinds.registry`` lists them.

A kind knows its columns and extra keys, turns its table into its own model,
checks its own rules, and composes its sheet from the shared layout blocks.
Kinds never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Generic, Protocol, TypeVar

from ..dates import chinese_date, notice_display_period
from ..layout.blocks import NOTE, SIGNATURE, Block, Paragraph
from ..layout.letter import LetterRun
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec
from ..models import Notice, Settings, Table, Text, Workspace
from ..problems import Problem


@dataclass
class Composition:
    """What a kind hands to layout: the body blocks and the header's meta items.

    ``layout`` names the sheet template: "poster" (red header band, QR footer) or another
    template a kind needs ("document": GB/T 9704; "letter": one sheet per household, where
    ``letters`` carries the run and ``blocks`` are what the online copy shows). ``columns`` overrides the design's
    number of body columns; "auto" asks for as many as the narrowest block allows.

    The checks walk the composition: each block's ``printed()`` strings, then ``printed``, the user's
    strings a template prints outside the blocks (a letter run: its fixed words and each household's values).
    """

    blocks: list[Block]
    meta: list[str]
    layout: str = "poster"
    columns: int | str | None = None
    letters: LetterRun | None = None  # a letter run is set per household, not fitted
    printed: list[Text] = field(default_factory=list)

    def texts(self) -> Iterator[Text]:
        """Every user string the composition prints, each once, at its place."""
        seen: set[Text] = set()
        for text in chain((t for block in self.blocks for t in block.printed()), self.printed):
            if text not in seen:  # a name in a table and in its chart, or in a heading and its （续）
                seen.add(text)
                yield text


C = TypeVar("C")


class KindSpec(Generic[C]):
    """A kind: its keys and columns, and what it does with a notice whose content ``C`` loaded.

    ``load`` turns the notice's keys and table into ``C`` (or None, with the reasons as problems);
    ``compose`` is only ever given content that loaded, and ``check`` is given it where there is
    some, so no kind has to guess what ``notice.content`` holds.
    """

    def __init__(
        self,
        *,
        name: str,
        label: str,
        design: str,
        options: Schema,
        content: type[C],
        columns: list[ColumnSpec] | None,
        load: Callable[[Notice, Values, Table | None, Settings], tuple[C | None, list[Problem]]],
        check: Callable[[Notice, C | None, Workspace], list[Problem]],
        compose: Callable[[Notice, C], Composition],
        masks_cells: bool = False,
        masks: str | None = None,
        open_columns: bool = False,
    ):
        self.name = name
        self.label = label  # shown to users, e.g. 财政收支
        self.design = design  # the layouts/<design>.yaml it is drawn with
        self.options = options  # the kind's own notice keys
        self.content_type = content
        self.columns = columns  # None: the kind takes no data table
        self._load, self._check, self._compose = load, check, compose
        # the kind masks every number in its cells itself (roster); else the load masks typo'd IDs
        self.masks_cells = masks_cells
        # what its ``mask:`` key masks: privacy.MASK_COLUMNS or MASK_ALL; None: it has none
        self.masks = masks
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

    def load(
        self, notice: Notice, values: Values, table: Table | None, settings: Settings
    ) -> tuple[C | None, list[Problem]]:
        return self._load(notice, values, table, settings)

    def check(self, notice: Notice, workspace: Workspace) -> list[Problem]:
        return self._check(notice, self.loaded(notice), workspace)

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
    blocks: list[Block] = [
        Paragraph(note.value, size="notes.size", keep_with_next=bool(table.signatures), role=NOTE, sources=(note,))
        for note in table.notes
    ]
    if table.signatures:
        blocks.append(
            Paragraph(
                "　　".join(s.value for s in table.signatures),
                size="notes.size",
                align="right",
                role=SIGNATURE,
                sources=tuple(table.signatures),
            )
        )
    return blocks
