"""Issue 8: a large poster printed as A4/A3 tiles, glued together on the board."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import findable, pdf_pages, pdf_text, run
from reportlab.lib.units import mm

from noticeboard.render import tile
from noticeboard.resources import samples_dir

A4 = (210 * mm, 297 * mm)
A1 = (594 * mm, 841 * mm)
POSTER = "2026-org"


def _set_paper(path: Path, paper: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^paper: .*$", f"paper: {paper}", text), encoding="utf-8")


@pytest.fixture(scope="module")
def a1_poster(tmp_path_factory) -> Path:
    """The sample town's organisation notice, built as an A1 poster."""
    root = tmp_path_factory.mktemp("tile") / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    _set_paper(root / "notices" / f"{POSTER}.yaml", "A1")
    result = run("build", "-w", root, POSTER)
    assert result.exit_code == 0, result.output
    return root / "out" / "print" / f"{POSTER}.pdf"


@pytest.fixture(scope="module")
def a1_tiles(a1_poster: Path) -> Path:
    out = a1_poster.parent / "tiles.pdf"
    result = run("tile", a1_poster, "--sheet", "A4", "-o", out)
    assert result.exit_code == 0, result.output
    assert ": 警告:" not in result.output
    return out


def _fewest_tiles(poster: tuple[float, float], sheet: tuple[float, float], overlap: float) -> int:
    """Counted by trying every grid, not by the formula the code uses."""
    best = None
    for width, height in (sheet, sheet[::-1]):
        window_w, window_h = width - 10 * mm, height - 10 * mm
        columns = next(n for n in range(1, 100) if n * window_w - (n - 1) * overlap >= poster[0] - 1e-6)
        rows = next(n for n in range(1, 100) if n * window_h - (n - 1) * overlap >= poster[1] - 1e-6)
        best = min(best or rows * columns, rows * columns)
    return best


def _placements(path: Path) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """Each tile page's clip rectangle (x0, y0, x1, y1) and its poster matrix, read back from the PDF."""
    placements = []
    with pikepdf.open(path) as pdf:
        for page in list(pdf.pages)[1:]:
            ops = pikepdf.parse_content_stream(page)
            rect = next(list(map(float, o)) for o, op in ops if str(op) == "re")
            matrix = next(tuple(map(float, o)) for o, op in ops if str(op) == "cm")
            assert [str(op) for _, op in ops[:6]] == ["q", "re", "W", "n", "cm", "Do"]  # drawn once, by reference
            placements.append(((rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]), matrix))
    return placements


def test_a1_onto_a4_uses_the_fewest_tiles_each_exactly_a4(a1_poster: Path, a1_tiles: Path) -> None:
    expected = _fewest_tiles(A1, A4, 10 * mm)
    assert expected == 12
    pages = pdf_pages(a1_tiles)
    assert len(pages) == 1 + expected  # the assembly map, then the tiles
    for width, height in pages:
        assert {round(width, 2), round(height, 2)} == {round(A4[0], 2), round(A4[1], 2)}


def test_a1_viewports_cover_the_poster_with_the_stated_overlap(a1_tiles: Path) -> None:
    columns: dict[float, tuple[float, float]] = {}
    rows: dict[float, tuple[float, float]] = {}
    for (x0, y0, x1, y1), (a, b, c, d, e, f) in _placements(a1_tiles):
        assert b == c == 0 and a == d == 1  # 100%, not rotated
        # content stays out of the outer 5 mm of the sheet; each tile prints only its own strip
        assert x0 >= 5 * mm - 0.01 and y0 >= 5 * mm - 0.01
        assert x1 <= A4[0] - 5 * mm + 0.01 and y1 <= A4[1] - 5 * mm + 0.01
        # the strip's white is cut off or covered: against the window's left edge (first column)
        # or its right, its foot (last row) or its top
        assert x0 == pytest.approx(5 * mm, abs=0.01) or x1 == pytest.approx(A4[0] - 5 * mm, abs=0.01)
        assert y0 == pytest.approx(5 * mm, abs=0.01) or y1 == pytest.approx(A4[1] - 5 * mm, abs=0.01)
        view = ((x0 - e) / a, (y0 - f) / d, (x1 - e) / a, (y1 - f) / d)  # the poster's own coordinates
        columns[round(view[0], 1)] = (view[0], view[2])
        rows[round(view[1], 1)] = (view[1], view[3])
    for spans, length in ((sorted(columns.values()), A1[0]), (sorted(rows.values()), A1[1])):
        # the grid is exactly the poster (not the poster centred in a larger grid), cut in equal strips
        assert spans[0][0] == pytest.approx(0, abs=0.01) and spans[-1][1] == pytest.approx(length, abs=0.01)
        assert max(b - a for a, b in spans) - min(b - a for a, b in spans) < 0.01
        for before, after in itertools.pairwise(spans):
            assert before[1] - after[0] == pytest.approx(10 * mm, abs=0.01)
    assert len(columns) * len(rows) == 12


def test_tiles_keep_every_string_of_the_poster_as_vector_text(a1_poster: Path, a1_tiles: Path) -> None:
    tiles_text = pdf_text(a1_tiles)
    lines = [line.strip() for line in pdf_text(a1_poster).splitlines() if line.strip()]
    assert len(lines) > 20
    missing = [line for line in lines if not findable(line, tiles_text)]
    assert not missing


def test_output_size_is_bounded(a1_poster: Path, a1_tiles: Path) -> None:
    size_in, size_out = a1_poster.stat().st_size, a1_tiles.stat().st_size
    assert size_out <= 1.5 * size_in + 4096 * 12, (size_in, size_out)
    with pikepdf.open(a1_tiles) as pdf:  # one copy of the poster, shared by all pages
        forms = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"]
        assert len(forms) == 1


def test_the_map_and_labels_say_where_each_tile_goes(a1_tiles: Path) -> None:
    text = pdf_text(a1_tiles)
    assert "拼贴示意图" in text and "两城镇机构设置" in text
    assert findable("第6张（第2行第2列），共12张", text)
    assert findable("A4纸（竖放）：3行×4列", text)


def test_landscape_sheets_when_they_need_fewer_tiles() -> None:
    grid = tile.plan_grid(841 * mm, 594 * mm, "A4", 10 * mm)  # an A1 poster set landscape
    assert grid.rows * grid.columns == _fewest_tiles((841 * mm, 594 * mm), A4, 10 * mm) == 12
    assert grid.landscape


def test_scale_shrinks_before_tiling(a1_poster: Path, tmp_path: Path) -> None:
    out = tmp_path / "half.pdf"
    result = run("tile", a1_poster, "--sheet", "A3", "--scale", "0.5", "-o", out)
    assert result.exit_code == 0, result.output
    assert len(pdf_pages(out)) == 1 + _fewest_tiles((A1[0] / 2, A1[1] / 2), (297 * mm, 420 * mm), 10 * mm)


def _qr_square(poster: Path) -> tile.Box:
    [[qr]] = tile._find_qr_codes(poster.read_bytes(), [tile.Box(0, 0, *A1)])
    return qr


def _crossed(grid: tile.Grid, qr: tile.Box) -> bool:
    """A seam through the middle half of the code, computed here from the grid's viewports."""
    quarter_x, quarter_y = (qr.x1 - qr.x0) / 4, (qr.y1 - qr.y0) / 4
    xs = {t.viewport.x0 for t in grid.tiles if t.column > 1}
    ys = {t.viewport.y0 for t in grid.tiles if t.row < grid.rows}
    return any(qr.x0 + quarter_x < x < qr.x1 - quarter_x for x in xs) or any(
        qr.y0 + quarter_y < y < qr.y1 - quarter_y for y in ys
    )


def test_qr_across_a_seam_is_a_warning_naming_the_tiles(a1_poster: Path, tmp_path: Path) -> None:
    qr = _qr_square(a1_poster)
    # a scale that puts a seam through the middle of the code
    scale = next(
        s / 100
        for s in range(50, 250)  # equal strips keep the seams off this code up to 1.8 times
        if _crossed(tile.plan_grid(A1[0] * s / 100, A1[1] * s / 100, "A4", 10 * mm), qr.scaled(s / 100))
    )
    grid = tile.plan_grid(A1[0] * scale, A1[1] * scale, "A4", 10 * mm)
    scaled = qr.scaled(scale)
    under = [
        t.number
        for t in grid.tiles
        if grid.visible(t).x0 < scaled.x1
        and scaled.x0 < grid.visible(t).x1
        and grid.visible(t).y0 < scaled.y1
        and scaled.y0 < grid.visible(t).y1
    ]
    assert len(under) >= 2
    result = run("tile", a1_poster, "--sheet", "A4", "--scale", scale, "-o", tmp_path / "t.pdf")
    assert result.exit_code == 0, result.output
    assert f"{a1_poster}: 警告: 二维码跨过了第{'、'.join(map(str, under))}张之间的拼缝" in result.output


def test_build_tile_writes_tiles_for_posters_bigger_than_the_sheet(town: Path) -> None:
    _set_paper(town / "notices" / f"{POSTER}.yaml", "A1")
    _set_paper(town / "notices" / "2026q2-finance.yaml", "A4")
    result = run("build", "-w", town, "--tile", "A4", POSTER, "2026q2-finance")
    assert result.exit_code == 0, result.output
    # the one warning is the A4 finance's suggestion of A3 (issue 19), nothing about tiles
    assert [line for line in result.output.splitlines() if ": 警告:" in line and "建议改用 A3" not in line] == []
    print_dir = town / "out" / "print"
    tiles = print_dir / f"{POSTER}-tiles.pdf"
    assert tiles.is_file() and f"已生成 {tiles}" in result.output
    assert not (print_dir / "2026q2-finance-tiles.pdf").exists()  # A4 already: nothing to tile
    assert len(pdf_pages(tiles)) == 1 + _fewest_tiles(A1, A4, 10 * mm)


def test_build_warns_when_its_own_qr_falls_on_a_seam(a1_poster: Path, town: Path, monkeypatch) -> None:
    # build knows where it drew the QR (no zxing-cpp needed); move the seams onto it with the scale
    # (no glue width does: the A1's equal strips keep every seam off the code)
    from noticeboard import pipeline

    _set_paper(town / "notices" / f"{POSTER}.yaml", "A1")
    qr = _qr_square(a1_poster)
    scale = next(
        s / 100
        for s in range(50, 250)
        if _crossed(tile.plan_grid(A1[0] * s / 100, A1[1] * s / 100, "A4", 10 * mm), qr.scaled(s / 100))
    )
    original = tile.tile_pdf
    monkeypatch.setattr(pipeline.tile, "tile_pdf", lambda pdf, sheet, **kw: original(pdf, sheet, 10.0, scale, **kw))
    monkeypatch.setattr(tile, "_find_qr_codes", lambda *a: pytest.fail("build must not need to look for the QR"))
    result = run("build", "-w", town, "--tile", "A4", POSTER)
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"notices/{POSTER}\.yaml(:\d+)?: 警告: 按 A4 拼贴时，二维码跨过了第[0-9、]+张之间的拼缝", result.output
    ), result.output


# --- bad input: a clear message and exit 2 --------------------------------------------------------


def _tile_fails(path: Path, tmp_path: Path, *options: str, code: int = 2) -> str:
    out = tmp_path / "out.pdf"
    result = run("tile", path, "--sheet", "A4", *options, "-o", out)
    assert result.exit_code == code, result.output
    assert not out.exists()
    assert "Traceback" not in result.output
    return result.output


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    path.write_text("科目编码,科目名称\n", encoding="utf-8")
    assert _tile_fails(path, tmp_path).startswith(f"{path}: 错误: 这不是 PDF 文件。")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.pdf"
    assert _tile_fails(path, tmp_path).startswith(f"{path}: 错误: 无法读取这个文件（路径不存在）。")


def test_encrypted_pdf(a1_poster: Path, tmp_path: Path) -> None:
    for user in ("1234", ""):  # an open password, or only a permissions password
        path = tmp_path / f"locked{user}.pdf"
        with pikepdf.open(a1_poster) as pdf:
            pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="5678"))
        output = _tile_fails(path, tmp_path)
        assert output.startswith(
            f"{path}: 错误: 这个 PDF 设了打开密码，无法读取。"
            if user
            else f"{path}: 错误: 这个 PDF 已加密（设有权限密码），不能拆开重排。"
        )


def test_damaged_pdf(a1_poster: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(a1_poster.read_bytes()[:4000])
    assert _tile_fails(path, tmp_path).startswith(f"{path}: 错误: 这个 PDF 已损坏，无法读取。")


def test_sheet_larger_than_the_poster(a1_poster: Path, tmp_path: Path) -> None:
    output = _tile_fails(a1_poster, tmp_path, "--scale", "0.3", code=1)  # 178 × 252 mm fits on A4: a refusal
    assert output.startswith(f"{a1_poster}: 错误: 海报（178 × 252 毫米）不比 A4 纸大，不用拼贴")


def test_overlap_of_half_the_sheet(a1_poster: Path, tmp_path: Path) -> None:
    output = _tile_fails(a1_poster, tmp_path, "--overlap", "105")
    assert output.startswith(f"{a1_poster}: 错误: 重叠宽度 105 毫米太大：要小于纸张短边的一半（A4 为 105 毫米）")


def test_unknown_sheet(a1_poster: Path, tmp_path: Path) -> None:
    result = run("tile", a1_poster, "--sheet", "A2", "-o", tmp_path / "o.pdf")
    assert result.exit_code == 2 and "「sheet」不能是「A2」，只能是：A4、A3。" in result.output


def test_no_edge_tile_is_mostly_blank() -> None:
    """Every tile's strip is at least half its window each way: the poster fills the grid."""
    for poster in ((420 * mm, 594 * mm), A1, (841 * mm, 1189 * mm), (594 * mm, 420 * mm)):
        for sheet in ("A4", "A3"):
            grid = tile.plan_grid(*poster, sheet, 10 * mm)
            extent = grid.extent
            assert (extent.x0, extent.y0, extent.x1, extent.y1) == pytest.approx((0, 0, *poster), abs=1e-6)
            for t in grid.tiles:
                view = t.on_sheet
                assert view.x1 - view.x0 >= grid.window_w / 2 or grid.columns == 1
                assert view.y1 - view.y0 >= grid.window_h / 2 or grid.rows == 1
                assert view.x0 >= tile.BORDER - 0.01 and view.x1 <= grid.sheet_w - tile.BORDER + 0.01
                assert view.y0 >= tile.BORDER - 0.01 and view.y1 <= grid.sheet_h - tile.BORDER + 0.01


def test_white_beside_a_strip_is_trimmed_or_covered() -> None:
    """A strip sits where its sheet's white is cut off or lies under the neighbour glued over it."""
    grid = tile.plan_grid(420 * mm, 594 * mm, "A4", 10 * mm)  # A2: 4 rows x 2 columns of landscape A4
    assert (grid.rows, grid.columns, grid.landscape) == (4, 2, True)
    b = tile.BORDER
    for t in grid.tiles:
        view = t.on_sheet
        if t.column == 1:
            assert view.x0 == pytest.approx(b)  # the outer edge keeps only the printer's border
        else:
            assert view.x1 == pytest.approx(grid.sheet_w - b)  # the white on the left is trimmed
        if t.row == grid.rows:
            assert view.y0 == pytest.approx(b)
        else:
            assert view.y1 == pytest.approx(grid.sheet_h - b)  # the white below is trimmed
        # the white to the right of column 1 (and above the last row) lies under the neighbour
        strip_w, strip_h = view.x1 - view.x0, view.y1 - view.y0
        assert strip_w - grid.overlap + b >= grid.sheet_w - view.x1
        assert strip_h - grid.overlap + b >= grid.sheet_h - view.y1


def test_the_map_reserves_its_header_and_badges_are_opaque_boxes_inside_the_poster() -> None:
    from noticeboard.layout.fonts import build_stack

    stack, _ = build_stack([])
    for poster in ((420 * mm, 594 * mm), A1, (841 * mm, 1189 * mm), (594 * mm, 420 * mm)):
        for sheet in ("A4", "A3"):
            grid = tile.plan_grid(*poster, sheet, 10 * mm)
            long_title = "两城镇2026年第二季度重点工作目标完成情况及下半年工作安排的公示（第二次修订稿）" * 2
            header = tile._map_header(stack, grid, long_title, "第1页 ", 1.0, 180 * mm)
            place = tile._map_placement(grid, header.bottom)
            grid_top = place.gy + place.k * grid.poster_h
            headings_top = grid_top + 2.5 * mm + tile.MAP_HEADINGS
            assert headings_top <= place.sheet_h - header.bottom - 1 * mm  # 第1列 stays below the sentence
            assert place.gy >= tile.MAP_STEPS_BAND - 0.01  # and the picture above the steps
            for _, badge, _size in tile.map_badges(grid, place):
                assert place.gx <= badge.x0 and badge.x1 <= place.gx + place.k * grid.poster_w
                assert place.gy <= badge.y0 and badge.y1 <= grid_top
