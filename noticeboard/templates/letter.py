"""The household letter: one sheet per household, streamed, with its receipt register and online specimen.

The template is laid out once for the run (``plan_letters``); each household's page is set as it
is drawn, so ten thousand letters never sit in memory together. Besides the letters the template
prints the 签收登记表 (print/<id>-receipts.pdf); online goes one specimen letter whose placeholders
are named, not filled, and the register records the letters themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

from .. import memory
from ..dates import chinese_date
from ..layout.letter import (
    ADDRESSEE_MOST_LINES,
    NAMED_SLOT,
    LetterOverflow,
    LetterPlan,
    LetterRun,
    NamedHousehold,
    TemplateTooLong,
    letter_page,
    letter_sheets,
    plan_letters,
)
from ..layout.receipts import ReceiptGroup, ReceiptRow, lay_out_receipts
from ..layout.sheet import Sheet
from ..problems import Problem, error
from ..publish import atomic
from .base import DRAFT_MARK, LaidOut, Progress, Unprintable, sheet_info

if TYPE_CHECKING:
    from ..kinds import Composition
    from ..load.workspace import Loaded
    from ..models import Notice


def plan_for(notice: Notice, loaded: Loaded, run: LetterRun) -> LetterPlan:
    """The run's template laid out for this notice. Raises TemplateTooLong."""
    return plan_letters(
        run,
        loaded.designs[loaded.kinds[notice.kind].design],
        loaded.fonts,
        notice.paper,
        title=notice.title.value,
        issuer=notice.issuer.value,
        date_text=chinese_date(notice.date),
        hotline=notice.hotline.value if notice.hotline else None,
        url=notice.url,
    )


def _too_long(notice: Notice, over: int) -> Problem:
    return error(
        notice.at("body"),
        (
            f"信的正文太长：字号缩到最小也放不进一张 {notice.paper} 纸（还多出约 {over} 行）。"
            "一封信只印一张纸，请删减正文。"
        ),
    )


def _overflow(notice: Notice, exc: LetterOverflow) -> Problem:
    if exc.part == "addressee":
        return error(
            exc.household.where,
            (
                f"户号「{exc.household.number}」这一户信顶上的「送：」一行（村民小组、户号、户主、地址）超过了 "
                f"{ADDRESSEE_MOST_LINES} 行。请缩短这一户的地址或户主。"
            ),
        )
    return error(
        exc.household.where,
        (
            f"户号「{exc.household.number}」这一户的信放不进一张 {notice.paper} 纸（多出约 {exc.lines_over} 行）："
            "这一行填进正文的内容太长。请缩短这一格，或删减正文。"
        ),
    )


def _specimen(run: LetterRun) -> LetterRun:
    """The run's one online letter: each placeholder named, not filled, and the shared QR code."""
    named = {key: NAMED_SLOT.format(label) for key, label in run.labels.items()}
    return LetterRun(run.paragraphs, [NamedHousehold(named)], run.labels)


class LetterSheets(Sequence[Sheet]):
    """The letters as plain sheets, each laid out when it is read: for callers that inspect a layout.

    The writer does not read these: it draws the plan's segments once and places them (render/letters.py).
    """

    def __init__(self, plan: LetterPlan | None, households: list):
        self._plan = plan
        self._households = households if plan is not None else []

    def __len__(self) -> int:
        return len(self._households)

    @overload
    def __getitem__(self, index: int) -> Sheet: ...

    @overload
    def __getitem__(self, index: slice) -> list[Sheet]: ...

    def __getitem__(self, index: int | slice) -> Sheet | list[Sheet]:
        assert self._plan is not None or not self._households
        if isinstance(index, slice):
            return letter_sheets(self._plan, self._households[index])  # type: ignore[arg-type]
        return letter_sheets(self._plan, [self._households[index]])[0]  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Sheet]:
        for household in self._households:
            yield letter_sheets(self._plan, [household])[0]  # type: ignore[arg-type]


class LettersLaidOut(LaidOut):
    """A letter run: the plan, the households it streams, and the problems of any household that does not fit.

    Reading ``problems`` lays every letter out without drawing it (``check``); writing finds the
    same problems on the way, so a build that fits lays each letter out once, as it is drawn.
    """

    print_suffixes = ("", "-receipts")
    online_label = "样信 PDF（占位处为〔列名〕，不含任何一户的信息）"

    def __init__(
        self,
        notice: Notice,
        loaded: Loaded,
        composition: Composition,
        run: LetterRun,
        plan: LetterPlan | None,
        problems: list[Problem],
    ):
        super().__init__(notice, loaded.fonts, problems)
        self._loaded = loaded
        self._composition = composition
        self.run = run
        self.plan = plan
        self._walked: list[Problem] | None = None

    @property
    def sheets(self) -> LetterSheets:
        return LetterSheets(self.plan, self.run.households)

    @property
    def problems(self) -> list[Problem]:
        if self.plan is None:
            return self._problems
        if self._walked is None:
            self._walked = []
            for household in self.run.households:
                try:
                    letter_page(self.plan, household)
                except LetterOverflow as exc:
                    self._walked.append(_overflow(self.notice, exc))
        return self._problems + self._walked

    def _meta(self, draft: bool) -> dict:
        return {
            "title": self.notice.title.value,
            "author": self.notice.issuer.value,
            "subject": self.notice.url,
            "watermark": DRAFT_MARK if draft else None,
        }

    def pdf(self, draft: bool = False) -> bytes:
        from ..render.letters import render_letters

        if self.plan is None:
            raise Unprintable(self.problems)
        try:
            return render_letters(
                self.plan, self.run.households, self.fonts, two_up=self.run.imposition == "2up", **self._meta(draft)
            )
        except LetterOverflow:
            raise Unprintable(self.problems) from None

    def write_pdf(self, target: Path, draft: bool = False, progress: Progress | None = None) -> bool:
        from ..render.letters import write_letters

        if self.plan is None:
            return False
        if progress is not None:
            progress.start(len(self.run.households), self.notice.id)
        try:
            write_letters(
                target,
                self.plan,
                self.run.households,
                self.fonts,
                two_up=self.run.imposition == "2up",
                progress=progress.advance if progress is not None else None,
                **self._meta(draft),
            )
        except LetterOverflow:
            target.unlink(missing_ok=True)
            return False
        finally:
            if progress is not None:
                progress.finish()
        return True

    def write_prints(self, folder: Path, draft: bool = False, progress: Progress | None = None) -> list[Path] | None:
        if self.plan is None:
            return None
        receipts = self._receipts(draft)  # the register first, so its layout is let go before the letters are drawn
        memory.release()
        letters = folder / f"{self.notice.id}.pdf"
        written = self.write_pdf(letters, draft, progress or Progress())
        memory.release()  # the drawn batches are gone: the preview and the share image reuse their pages
        if not written:
            return None
        atomic.write_bytes(folder / f"{self.notice.id}-receipts.pdf", receipts)
        return [letters, folder / f"{self.notice.id}-receipts.pdf"]

    def _receipts(self, draft: bool) -> bytes:
        from ..render.pdf import render_pdf

        groups: dict[str, list] = {}
        for household in self.run.households:
            values = household.values
            groups.setdefault(values.get("group", ""), []).append(
                ReceiptRow(values.get("household", ""), values.get("head", ""), values.get("address", ""))
            )
        notice, loaded = self.notice, self._loaded
        sheets = lay_out_receipts(
            notice.title.value,
            [ReceiptGroup(name, rows) for name, rows in groups.items()],
            sheet_info(notice, loaded, self._composition),
            loaded.designs[loaded.kinds[notice.kind].design],
            loaded.fonts,
        )
        return render_pdf(
            sheets,
            loaded.fonts,
            title=f"{notice.title.value}发放签收登记表",
            author=notice.issuer.value,
            subject=notice.url,
            watermark=DRAFT_MARK if draft else None,
        )

    def online_pdf(self, draft: bool = False) -> bytes:
        from ..render.letters import render_letters

        specimen = _specimen(self.run)
        return render_letters(
            plan_for(self.notice, self._loaded, specimen),
            specimen.households,
            self.fonts,
            two_up=False,
            **self._meta(draft),
        )


class Letters:
    name: str = "letter"
    laid_out: type[LaidOut] = LettersLaidOut

    def lay_out(self, notice: Notice, loaded: Loaded, composition: Composition) -> LettersLaidOut:
        run = composition.letters
        assert run is not None, "a letter composition carries its run"
        try:
            plan = plan_for(notice, loaded, run)
        except TemplateTooLong as exc:
            return LettersLaidOut(notice, loaded, composition, run, None, [_too_long(notice, exc.lines_over)])
        return LettersLaidOut(notice, loaded, composition, run, plan, [])


TEMPLATE = Letters()
