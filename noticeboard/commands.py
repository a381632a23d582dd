"""The commands beside the build, as library functions: ``plan``, ``tile`` and the register's
exports. Each does the file work of its command and hands back values; ``cli.py`` only parses
arguments, calls these and prints (the build itself is ``pipeline.py``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .dates import local_time
from .kinds.registry import registry
from .load.workspace import SETTINGS_FILE, Loaded, load_workspace
from .pipeline import laid_out, year_figures
from .pipeline import publications as read_publications
from .problems import Problem, UnreadableInput, Where, error, has_errors, os_reason, warning
from .publish import atomic, register
from .render import boards as board_pictures
from .render import tile
from .schedule.plan import ALERTS, Outcome, assess, on_boards

PLAN_FOLDER = "plan"
REGISTER_SHOWN = f"out/{register.REGISTER_FILE}"  # where messages say the register is


def make_plan(
    root: Path | str, on: dt.date | None = None, year: int | None = None, write: bool = True, xlsx_file: bool = False
) -> Outcome:
    """``noticeboard plan``: the content plan on ``on`` (default today), with ``write`` the board
    pictures and out/plan/index.html, with ``xlsx_file`` also out/plan/catalogue-YEAR.xlsx (the
    year's catalogue with its status, for 督查; ``year`` defaults to ``on``'s). The paths written
    are in ``Outcome.written``; a register that cannot be read raises ``UnreadableInput``."""
    root = Path(root)
    on = on or dt.date.today()
    if xlsx_file and year is None:
        year = on.year
    loaded = load_workspace(root)
    out = root / "out"
    publications = register.read_reported(out / register.REGISTER_FILE, REGISTER_SHOWN)
    outcome = assess(loaded, publications, on, year, sheet_counts(loaded, on))
    settings = loaded.workspace.settings
    if write:
        title = settings.issuer.value if settings.issuer else ""
        outcome.written = board_pictures.write(
            out, outcome.plan, outcome.boards, [p.message for p in outcome.problems], title
        )
    if xlsx_file and outcome.years is not None and year is not None:
        from .render import xlsx  # loaded where used: openpyxl takes a fifth of a second, only the xlsx files need it

        path = out / PLAN_FOLDER / f"catalogue-{year}.xlsx"
        outcome.written.append(xlsx.plan_workbook(path, settings, outcome.plan, outcome.years, year, ALERTS))
    return outcome


def sheet_counts(loaded: Loaded, on: dt.date) -> dict[str, int]:
    """How many sheets each notice that goes on a board prints on ``on``: laid out as build would
    (nothing drawn, a few hundredths of a second a notice), so the plan counts what will be printed
    even before the first build. A notice that cannot be laid out is left to count as one sheet, and
    so is every notice while a shared file other than noticeboard.yaml (a layout) has an error."""
    counts: dict[str, int] = {}
    notice_files = loaded.all_notice_files
    if any(p.is_error and p.where.file not in notice_files | {SETTINGS_FILE} for p in loaded.problems):
        return counts
    for notice in on_boards(loaded.workspace.settings, loaded.workspace.notices, on):
        own = [p for p in loaded.problems if p.where.file in loaded.notice_files.get(notice.id, set())]
        if notice.content is None or has_errors(own):
            continue
        laid = laid_out(notice, loaded)
        if laid.printable:
            counts[notice.id] = len(laid.sheets)
    return counts


@dataclass
class Tiled:
    """What ``tile_file`` did. ``problems``: QR codes across a seam (warnings), or why it did not
    tile (a poster no larger than the sheet: an error) or could not write the output (unreadable)."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    grids: list[tile.Grid] = field(default_factory=list)  # one per poster page
    qr_checked: bool | None = None  # False: zxing-cpp is not installed, seams were not checked for QR codes

    @property
    def tile_count(self) -> int:
        return sum(len(g.tiles) for g in self.grids)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def tile_file(
    pdf: Path | str, output: Path | str, sheet: str, overlap_mm: float = tile.DEFAULT_OVERLAP_MM, scale: float = 1.0
) -> Tiled:
    """``noticeboard tile``: a large poster PDF as A4 or A3 tiles with an assembly map, written to ``output``.

    A PDF that cannot be read or tiled as asked raises ``UnreadableInput``."""
    pdf, output = Path(pdf), Path(output)
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise UnreadableInput(error(Where(str(pdf)), f"无法读取这个文件（{os_reason(exc)}）。")) from exc
    try:
        result = tile.tile_pdf(data, sheet.upper(), overlap_mm, scale, title=None, fallback_title=pdf.stem)
    except tile.TileRefused as exc:
        return Tiled([error(Where(str(pdf)), str(exc))])
    except tile.TileError as exc:
        raise UnreadableInput(error(Where(str(pdf)), str(exc))) from exc
    tiled = Tiled(
        [warning(Where(str(pdf)), message) for message in result.warnings],
        grids=result.grids,
        qr_checked=result.qr_checked,
    )
    try:
        atomic.write_bytes(output, result.data)
    except OSError as exc:  # after the warnings: they still hold for the next try
        message = f"无法写入（{os_reason(exc)}）。请换一个位置（-o）。"
        tiled.problems.append(Problem("error", Where(str(output)), message, unreadable=True))
        return tiled
    tiled.written.append(output)
    return tiled


REGISTER_FORMATS = ("csv", "xlsx")


def export_register(root: Path | str, year: int | None = None, file_format: str = "xlsx") -> Path:
    """``noticeboard register --format csv|xlsx``: the year's (default this year's) publications as
    out/register-YEAR.csv, or its figures and publications as out/register-YEAR.xlsx; the path written."""
    if file_format not in REGISTER_FORMATS:
        raise ValueError(f"file_format is one of {REGISTER_FORMATS}, not {file_format!r}")
    root = Path(root)
    chosen = year if year is not None else dt.date.today().year
    publications = read_publications(root)
    labels = {name: kind.label for name, kind in registry().items()}
    path = root / "out" / f"register-{chosen}.{file_format}"
    if file_format == "csv":
        rows: list[list] = [
            ["发布日期", "公示期至", "编号", "版次", "类型", "目录项", "标题", "签批", "核验码", "生成时间", "SHA-256"]
        ]
        rows += [
            [
                p.date.isoformat(),
                p.display_end.isoformat() if p.display_end else "",
                p.id,
                p.revision,
                labels.get(p.kind, p.kind),
                p.catalogue or "",
                p.title,
                p.reviewers,
                p.code or "",
                local_time(p.built_at),
                p.sha256,
            ]
            for p in publications
            if p.date.year == chosen
        ]
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        atomic.write_bytes(path, text.getvalue().encode("utf-8-sig"))  # the BOM makes Excel read it as UTF-8
        return path
    from .render import xlsx  # as in make_plan: only the xlsx export loads openpyxl

    names = dict(labels)
    if (root / SETTINGS_FILE).is_file():
        names |= {e.id: e.title for e in load_workspace(root).workspace.settings.catalogue}
    return xlsx.register_workbook(path, year_figures(root, chosen), publications, names, chosen)
