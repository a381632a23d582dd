"""The Python API does what the command line does: init, plan, tile and the register exports."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import pdf_pages, run

import noticeboard
from noticeboard.publish import register
from noticeboard.resources import samples_dir
from noticeboard.schedule import plan

DAY = dt.date(2026, 7, 1)


def test_init_workspace_copies_the_sample_town(tmp_path: Path) -> None:
    started = noticeboard.init_workspace(tmp_path / "两城镇")
    assert started.problems == []
    root = tmp_path / "两城镇"
    assert root / "noticeboard.yaml" in started.files
    assert all(p.is_file() and root in p.parents for p in started.files)
    shipped = sorted(
        p.relative_to(samples_dir() / "town")
        for p in (samples_dir() / "town").rglob("*.yaml")
        if "out" not in p.relative_to(samples_dir() / "town").parts
    )
    assert shipped and all((root / p).is_file() for p in shipped)
    assert not (root / "out").exists()
    assert noticeboard.check(root).ok


def test_init_workspace_refuses_a_directory_that_holds_anything(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    started = noticeboard.init_workspace(tmp_path)
    assert started.files == []
    assert [str(p) for p in started.problems] == [
        f"{tmp_path}: 错误: 这个目录不是空的。请换一个新目录名，以免覆盖已有文件。"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_init_workspace_is_what_the_cli_does(tmp_path: Path) -> None:
    result = run("init", tmp_path / "cli")
    assert result.exit_code == 0, result.output
    started = noticeboard.init_workspace(tmp_path / "api")
    assert [p.relative_to(tmp_path / "api") for p in started.files] == sorted(
        p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*") if p.is_file()
    )


def test_plan_assess_is_a_value_of_loaded_data(town: Path) -> None:
    loaded = noticeboard.load_workspace(town)
    outcome = plan.assess(loaded, [], DAY)
    assert outcome.plan.on == DAY and outcome.plan.source == "notices"
    assert outcome.plan.rows and outcome.written == []
    assert [b.board.id for b in outcome.boards] == [b.id for b in loaded.workspace.settings.boards]
    assert not (town / "out").exists()  # nothing written
    yearly = plan.assess(loaded, [], DAY, year=2026)
    assert yearly.years is not None and yearly.years[-1].title == "合计"


def test_make_plan_writes_the_boards_and_the_page(town: Path) -> None:
    outcome = noticeboard.make_plan(town, DAY)
    folder = town / "out" / "plan"
    expected = [folder / f"{b.board.id}.png" for b in outcome.boards] + [folder / "index.html"]
    assert outcome.written == expected
    assert all(p.is_file() and p.stat().st_size for p in expected)
    assert outcome.years is None
    same = plan.assess(noticeboard.load_workspace(town), [], DAY)
    assert [r.as_json() for r in outcome.plan.rows] == [r.as_json() for r in same.plan.rows]
    assert outcome.exit_code == same.exit_code


def test_make_plan_without_writing_and_with_the_catalogue_workbook(town: Path) -> None:
    outcome = noticeboard.make_plan(town, DAY, write=False)
    assert outcome.written == [] and not (town / "out").exists()
    outcome = noticeboard.make_plan(town, DAY, write=False, xlsx_file=True)
    assert outcome.written == [town / "out" / "plan" / "catalogue-2026.xlsx"]  # the year defaults to the day's
    assert outcome.written[0].is_file() and outcome.years is not None


def test_make_plan_reports_a_damaged_register_as_unreadable(town: Path) -> None:
    (town / "out").mkdir()
    (town / "out" / register.REGISTER_FILE).write_bytes(b"not a database")
    with pytest.raises(noticeboard.UnreadableInput) as raised:
        noticeboard.make_plan(town, DAY)
    assert str(raised.value.problem).startswith(f"out/{register.REGISTER_FILE}: 错误: ")


@pytest.fixture(scope="module")
def a1_poster(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("api-tile") / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    notice = root / "notices" / "2026-org.yaml"
    notice.write_text(re.sub(r"(?m)^paper: .*$", "paper: A1", notice.read_text(encoding="utf-8")), encoding="utf-8")
    result = noticeboard.build(root, ids=["2026-org"])
    assert result.ok, [str(p) for p in result.problems]
    return root / "out" / "print" / "2026-org.pdf"


def test_tile_file_writes_the_tiles_and_says_how_many(a1_poster: Path, tmp_path: Path) -> None:
    output = tmp_path / "tiles.pdf"
    tiled = noticeboard.tile_file(a1_poster, output, "a4")
    assert tiled.ok and tiled.written == [output]
    assert [g.rows * g.columns for g in tiled.grids] == [tiled.tile_count]
    pages = pdf_pages(output)
    assert len(pages) == tiled.tile_count + 1  # the assembly map first
    cli = run("tile", a1_poster, "--sheet", "A4", "-o", tmp_path / "cli.pdf")
    assert f"共{tiled.tile_count}张 A4" in cli.output


def test_tile_file_refuses_a_poster_no_larger_than_the_sheet(a1_poster: Path, tmp_path: Path) -> None:
    tiled = noticeboard.tile_file(a1_poster, tmp_path / "t.pdf", "A4", scale=0.2)
    assert not tiled.ok and tiled.written == [] and tiled.grids == []
    assert len(tiled.problems) == 1 and "不用拼贴" in tiled.problems[0].message
    assert not tiled.problems[0].unreadable and not (tmp_path / "t.pdf").exists()


def test_tile_file_raises_for_a_file_that_is_no_pdf(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"hello")
    with pytest.raises(noticeboard.UnreadableInput):
        noticeboard.tile_file(tmp_path / "x.pdf", tmp_path / "t.pdf", "A3")


def test_tile_file_that_cannot_write_is_an_unreadable_problem(a1_poster: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    tiled = noticeboard.tile_file(a1_poster, tmp_path / "taken", "A3")
    assert not tiled.ok and tiled.written == []
    assert [p.unreadable for p in tiled.problems if p.is_error] == [True]


def test_export_register_csv_of_an_empty_register(town: Path) -> None:
    path = noticeboard.export_register(town, 2026, "csv")
    assert path == town / "out" / "register-2026.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["发布日期", "公示期至", "编号", "版次", "类型", "目录项", "标题", "签批", "核验码", "生成时间", "SHA-256"]
    ]
    with pytest.raises(ValueError):
        noticeboard.export_register(town, 2026, "pdf")
