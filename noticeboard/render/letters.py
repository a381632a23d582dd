"""A letter run as one PDF, page by page, without holding the pages' layout in memory.

What is the same on every letter (title, footer, each run of paragraphs without a
placeholder) is drawn once as a form XObject and placed on every page; per page only the
household's own lines and its QR code are drawn. The QR code is drawn as a 1-bit stencil
mask, one sample per module: the exact grid, filled in the text colour, in about 300 bytes
of page content where a path of rectangles takes 4 KB (10,000 letters must stay well under
200 MB). Renderers never smooth a stencil mask, so module edges stay sharp on any printer.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics

from ..layout.fonts import FontStack
from ..layout.letter import LetterPlan, letter_page
from ..layout.paper import page_size
from ..layout.qr import QUIET_ZONE, letter_coder, version_modules
from ..layout.sheet import TextItem
from ..publish import atomic
from .pdf import draw_items, draw_text, draw_watermark, new_canvas

CHUNK_SHEETS = 500  # sheets per reportlab document before joining: bounds memory, costs little


def _stencil(rows: str, count: int, x: float, y: float, side: float) -> str:
    """PDF operators drawing ``count`` × ``count`` modules, given as hex rows, as an inline image mask."""
    return (
        f"q 0 g {side:.3f} 0 0 {side:.3f} {x:.3f} {y:.3f} cm\n"
        f"BI /W {count} /H {count} /BPC 1 /IM true /D [1 0] /F /AHx ID\n{rows}>\nEI Q"
    )


def _qr(plan: LetterPlan, url: str, dx: float) -> str:
    quiet = plan.qr_side * QUIET_ZONE / version_modules(plan.qr_version)
    coder = letter_coder(plan.qr_version)
    return _stencil(
        coder.stencil_hex(url), coder.count, plan.qr_x + quiet + dx, plan.qr_y + quiet, plan.qr_side - 2 * quiet
    )


def cut_and_stack(count: int) -> list[tuple[int, int | None]]:
    """Pairs of letter indexes for 2-up sheets, so that the cut piles stacked keep the order.

    Sheet k carries letter k on the left and letter k + half on the right: cut the pile down
    the middle, put the right-hand pile under the left-hand one, and the letters are in order.
    """
    half = (count + 1) // 2
    return [(k, k + half if k + half < count else None) for k in range(half)]


def write_letters(
    target: Path,
    plan: LetterPlan,
    households: list,
    stack: FontStack,
    *,
    two_up: bool,
    title: str,
    author: str,
    subject: str,
    watermark: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Every household's letter, in order, one page each (two per A4 sheet with ``two_up``), into ``target``.

    reportlab holds all of a document's pages until it saves, and saving needs as much again:
    10,000 letters would take over 100 MB. So a long run is made CHUNK_SHEETS sheets at a time,
    each chunk a PDF in a temporary file, and pdfium joins the chunks, copying pages without
    decoding them, straight into the target file. A run of one chunk is reportlab's own file.
    Raises layout.letter.LetterOverflow for a household whose values do not fit the sheet.
    """
    if two_up:
        sheets = [
            [households[left]] + ([households[right]] if right is not None else [])
            for left, right in cut_and_stack(len(households))
        ]
    else:
        sheets = [[household] for household in households]
    meta = {"title": title, "author": author, "subject": subject}
    if len(sheets) <= CHUNK_SHEETS:
        atomic.write_bytes(target, _render_chunk(plan, sheets, stack, two_up, meta, watermark, progress))
        return
    starts = list(range(0, len(sheets), CHUNK_SHEETS))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".letters-", dir=target.parent) as folder:
        paths: list[Path] = []
        for start, end in zip(starts, [*starts[1:], len(sheets)], strict=True):
            path = Path(folder) / f"{start}.pdf"
            path.write_bytes(
                _render_chunk(plan, sheets[start:end], stack, two_up, meta, watermark, progress, chunk=len(paths))
            )
            paths.append(path)
        pdfium_c.FSDK_SetTimeFunction(_FIXED_CLOCK)  # the new file's CreationDate: fixed, as reportlab's
        try:
            joined = pdfium.PdfDocument.new()  # joining into the first chunk instead costs 20 MB more
        finally:
            pdfium_c.FSDK_SetTimeFunction(_SYSTEM_CLOCK)
        try:
            for path in paths:
                chunk = pdfium.PdfDocument(path)
                joined.import_pages(chunk)
                chunk.close()
            whole = Path(folder) / "letters.pdf"
            joined.save(whole)
        finally:
            joined.close()
        _settle_id(whole)
        atomic.publish(whole, target)


# pdfium stamps a new document with the time of day; these letters are stamped with reportlab's
# invariant date (2000-01-01) instead, so that the same letters give the same bytes
_FIXED_CLOCK = pdfium_c.FSDK_SetTimeFunction.argtypes[0](lambda: 946684800)
_SYSTEM_CLOCK = pdfium_c.FSDK_SetTimeFunction.argtypes[0]()  # NULL: pdfium's own clock
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def _settle_id(path: Path) -> None:
    """Make the joined file's bytes depend on the letters only.

    pdfium writes random file identifiers on every save. They become the MD5 of everything
    before the trailer, as qpdf's deterministic identifiers are, the same in both places
    (PDF 32000 §14.4: a file not edited since it was made); same length, so the
    cross-reference offsets stay right.
    """
    with path.open("r+b") as stream:
        tail_start = max(stream.seek(0, 2) - 4096, 0)
        stream.seek(tail_start)
        found = list(_TRAILER_ID.finditer(stream.read()))
        if not found or not len(found[-1].group(1)) == len(found[-1].group(2)) == 32:
            return
        trailer = found[-1]
        digest = hashlib.md5(usedforsecurity=False)
        stream.seek(0)
        remaining = tail_start + trailer.start()
        while remaining:  # in pieces: the file can be tens of megabytes
            piece = stream.read(min(remaining, 1 << 20))
            digest.update(piece)
            remaining -= len(piece)
        for group in (1, 2):
            stream.seek(tail_start + trailer.start(group))
            stream.write(digest.hexdigest().upper().encode())


def render_letters(plan: LetterPlan, households: list, stack: FontStack, **options) -> bytes:
    """``write_letters`` into memory: for a few letters (the online specimen, tests)."""
    with tempfile.TemporaryDirectory(prefix="noticeboard-letters-") as folder:
        target = Path(folder) / "letters.pdf"
        write_letters(target, plan, households, stack, **options)
        return target.read_bytes()


def _render_chunk(
    plan: LetterPlan,
    sheets: list[list],
    stack: FontStack,
    two_up: bool,
    meta: dict[str, str],
    watermark: str | None,
    progress: Callable[[int], None] | None,
    chunk: int = 0,
) -> bytes:
    size = page_size("A4", "landscape") if two_up else (plan.width, plan.height)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, stack, **meta)
    for segment in [plan.head, plan.foot, *plan.segments]:
        canvas.beginForm(segment.name)
        draw_items(canvas, segment.items, stack)
        if segment is plan.foot and not plan.qr_per_household:
            canvas.addLiteral(_qr(plan, plan.qr_url, 0))
        canvas.endForm()
    for letters in sheets:
        for index, household in enumerate(letters):
            dx = index * plan.width
            page = letter_page(plan, household)
            canvas.saveState()
            if dx:
                canvas.translate(dx, 0)
            for part in page.parts:
                if isinstance(part, TextItem):
                    draw_text(canvas, part, stack)
                    continue
                name, dy = part
                if dy:
                    canvas.saveState()
                    canvas.translate(0, dy)
                    canvas.doForm(name)
                    canvas.restoreState()
                else:
                    canvas.doForm(name)
            canvas.restoreState()
            if page.qr_url is not None:
                canvas.addLiteral(_qr(plan, page.qr_url, dx))
        if two_up:
            _cut_line(canvas, plan)
        if watermark:
            draw_watermark(canvas, size[0], size[1], watermark, stack)
        canvas.showPage()
        if progress is not None:
            progress(len(letters))
    with _subset_names(stack, chunk):
        canvas.save()
    return buffer.getvalue()


@contextmanager
def _subset_names(stack: FontStack, chunk: int):
    """Font subsets named apart from other chunks': AAAAAA+NotoSansSC-Regular-2 in the second.

    reportlab names a document's subsets AAAAAA+, AAAAAB+ …; in a file joined from chunks two
    different subsets would share a name, and a RIP or preflight tool that goes by the name
    could print the wrong characters. The name is read when reportlab saves, so it is set
    around the save only.
    """
    fonts = [
        pdfmetrics.getFont(face.name).face
        for face in {id(f): f for f in stack.regular + stack.bold}.values()
        if face.loaded
    ]  # a face nothing was drawn in has no subsets to name
    saved = [font.subfontNameX for font in fonts]
    try:
        if chunk:
            for font, name in zip(fonts, saved, strict=True):
                font.subfontNameX = name + b"-%d" % (chunk + 1)
        yield
    finally:
        for font, name in zip(fonts, saved, strict=True):
            font.subfontNameX = name


def _cut_line(canvas, plan: LetterPlan) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HexColor(plan.colours["cut_line"]))
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(plan.width, 0, plan.width, plan.height)
    canvas.restoreState()
