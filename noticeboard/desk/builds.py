"""The final build (the CLI's own) and the files it wrote that a clerk takes to the printer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import pipeline
from ..pipeline import Result


def final_build(root: Path, notice_ids: list[str] | None = None, tile_sheet: str | None = None) -> Result:
    """`noticeboard build` (not --draft) of these notices, or of all: the same function the CLI calls.
    ``tile_sheet`` (A4 or A3): also the tiles of every poster bigger than that sheet (`build --tile`)."""
    return pipeline.build(root, ids=notice_ids or None, tile_sheet=tile_sheet)


@dataclass
class Download:
    label: str  # 印刷版 PDF、签收登记表、A4 拼贴 …
    path: Path  # under out/


def downloads(root: Path, notice_id: str) -> list[Download]:
    """What the last final build wrote for this notice that a clerk takes to the printer."""
    found = []
    folder = root / "out" / "print"
    for suffix, label in DOWNLOADS:
        path = folder / f"{notice_id}{suffix}.pdf"
        if path.is_file():
            found.append(Download(label, path))
    return found


DOWNLOADS = (("", "印刷版 PDF"), ("-receipts", "签收登记表"), ("-tiles", "拼贴打印 PDF"))
