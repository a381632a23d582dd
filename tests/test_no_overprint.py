"""Nothing prints text over text: every print PDF, every tile PDF and every board plan of the town.

The glyph boxes come from the PDFs themselves (tests/overlap.py, pypdfium2); the board plans are
pictures, so they are checked on the layout that draws them (render/boards.py ``layout``).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import shutil
from pathlib import Path

import pytest
from conftest import run
from overlap import glyphs, overprints_of, page_objects, pdf_overprints, report
from reportlab.lib.colors import Color, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from noticeboard.commands import sheet_counts
from noticeboard.load.workspace import load_workspace
from noticeboard.render import boards, tile
from noticeboard.resources import samples_dir
from noticeboard.schedule import plan

NOTICES = sorted(p.stem for p in (samples_dir() / "town" / "notices").glob("*.yaml"))
PLAN_DAYS = ("2026-03-01", "2026-04-10", "2026-07-31")  # the courtyard holds the Q1 finance, then the Q2


# --- the helper itself, on PDFs made here ---------------------------------------------------------


def _pdf(draw) -> bytes:
    from noticeboard.layout.fonts import build_stack

    stack, _ = build_stack([])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200 * mm, 100 * mm))
    draw(canvas, stack.primary.name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_two_lines_set_over_each_other_are_found() -> None:
    def draw(canvas: Canvas, font: str) -> None:
        canvas.setFont(font, 12)
        canvas.drawString(20, 100, "共8张 A4 纸（横放）")
        canvas.drawString(30, 104, "第1列")  # 4 pt higher: a different line, through the first

    found = pdf_overprints(_pdf(draw))
    assert found and {o.a.char for o in found} | {o.b.char for o in found} >= {"第", "张"}
    assert "压在" in report(found)


def test_neighbours_on_a_line_and_lines_at_normal_leading_are_not() -> None:
    def draw(canvas: Canvas, font: str) -> None:
        canvas.setFont(font, 12)
        canvas.drawString(20, 100, "两城镇机构设置、部门职能")
        canvas.drawString(20, 86, "领导成员及联系电话 0537-1234567")  # 14 pt below: 1.17 leading
        text = canvas.beginText(20, 60)
        text.setCharSpace(-1.5)  # tightly kerned: glyphs of one line may touch
        text.textOut("财政收支情况公示")
        canvas.drawText(text)

    assert pdf_overprints(_pdf(draw)) == []


def test_an_opaque_box_painted_between_knocks_the_first_text_out() -> None:
    def draw(opaque: bool):
        def paint(canvas: Canvas, font: str) -> None:
            canvas.setFont(font, 12)
            canvas.drawString(20, 100, "收支明细表中的摘要")
            canvas.setFillColor(white if opaque else Color(1, 1, 1, alpha=0.85))
            canvas.rect(30, 95, 40, 20, stroke=0, fill=1)
            canvas.setFillColor(Color(0.8, 0, 0))
            canvas.drawString(40, 103, "3")

        return paint

    assert pdf_overprints(_pdf(draw(True))) == []
    assert pdf_overprints(_pdf(draw(False)))  # seen through: both are read at once


def test_text_clipped_short_of_a_label_does_not_reach_it() -> None:
    def draw(canvas: Canvas, font: str) -> None:
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(0, 0, 100, 200)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.setFont(font, 20)
        canvas.drawString(60, 100, "建设和意识形态")  # runs past the clip's edge at x = 100
        canvas.restoreState()
        canvas.setFont(font, 6)
        canvas.drawString(102, 104, "右边10毫米是粘贴区")

    assert pdf_overprints(_pdf(draw)) == []
    # without the clip the same glyph boxes do cross
    from pypdfium2 import PdfDocument

    document = PdfDocument(_pdf(draw))
    page = document[0]
    textpage = page.get_textpage()
    assert overprints_of(glyphs(textpage))  # no clips given
    assert not overprints_of(glyphs(textpage, page_objects(page).clips), page_objects(page))
    textpage.close()
    page.close()
    document.close()


# --- the town ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def a0_town(tmp_path_factory) -> Path:
    """The town with its tasks poster set on A0, the largest paper, built alone."""
    root = tmp_path_factory.mktemp("a0") / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    path = root / "notices" / "2026q2-tasks.yaml"
    path.write_text(re.sub(r"(?m)^paper: .*$", "paper: A0", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run("build", "-w", root, "2026q2-tasks")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("notice", NOTICES)
def test_no_print_pdf_prints_text_over_text(built_town: Path, notice: str) -> None:
    prints = sorted((built_town / "out" / "print").glob(f"{notice}*.pdf"))
    prints = [p for p in prints if p.stem == notice or p.stem == f"{notice}-receipts"]
    assert prints
    for path in prints:
        found = pdf_overprints(path)
        assert not found, f"{path.name}\n{report(found)}"


def _posters(built_town: Path, a0_town: Path) -> list[Path]:
    posters = [built_town / "out" / "print" / f"{notice}.pdf" for notice in NOTICES if "letter" not in notice]
    return [*posters, a0_town / "out" / "print" / "2026q2-tasks.pdf"]


@pytest.mark.parametrize("sheet", tile.SHEETS)
def test_no_tile_pdf_prints_text_over_text(built_town: Path, a0_town: Path, sheet: str) -> None:
    """Each poster bigger than the sheet, tiled as ``noticeboard tile`` does: the map and every tile."""
    tiled = 0
    for path in _posters(built_town, a0_town):
        data = path.read_bytes()
        try:
            result = tile.tile_pdf(data, sheet, title=path.stem)
        except tile.TileRefused:
            continue  # it prints whole on this sheet
        tiled += 1
        found = pdf_overprints(result.data)
        assert not found, f"{path.parent.parent.parent.name}/{path.name} on {sheet}\n{report(found)}"
    assert tiled >= (6 if sheet == "A3" else 10)  # A2, A1 and the A0 at least (and the A3s on A4)


def _drawn_boxes(drawn: boards.Drawn) -> list[tuple[str, boards.Px]]:
    return [*zip(drawn.label_lines, drawn.line_boxes), *zip(drawn.title_lines, drawn.title_boxes)]


def _inside(inner: boards.Px, outer: boards.Px) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _crossing(a: boards.Px, b: boards.Px) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("day", PLAN_DAYS)
def test_no_board_plan_prints_text_over_text(built_town: Path, day: str) -> None:
    """Every label on a board's picture sits in its own sheet's opaque band (so over nothing of the
    sheet), inside the sheet, and no two pieces of text on the picture cross."""
    loaded = load_workspace(built_town)
    on = dt.date.fromisoformat(day)
    outcome = plan.assess(loaded, [], on, sheet_counts=sheet_counts(loaded, on))
    assert outcome.boards
    for board in outcome.boards:
        for pictured in (None, set()):  # with every sheet pictured, and with none (titles shown)
            drawn = boards.layout(board, pictured)
            assert len(drawn) == len(board.placed)
            texts = []
            for item in drawn:
                assert _inside(item.label_box, item.box), item.placed.label
                for _line, box in zip(item.label_lines, item.line_boxes):
                    assert _inside(box, item.label_box), (item.placed.label, _line)
                for _line, box in zip(item.title_lines, item.title_boxes):
                    assert _inside(box, item.box) and box[3] < item.label_box[1], (item.placed.label, _line)
                texts += [(item.placed.label, text, box) for text, box in _drawn_boxes(item)]
            for (sheet_a, text_a, a), (sheet_b, text_b, b) in itertools.combinations(texts, 2):
                assert not _crossing(a, b), f"{board.board.id}: {sheet_a}「{text_a}」压在 {sheet_b}「{text_b}」上"
        assert boards.board_png(board, built_town / "out").startswith(b"\x89PNG")
