"""Page templates: one interface, one LaidOut per notice per build, problems as values."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from noticeboard import pipeline, templates
from noticeboard.layout import fit as fit_module
from noticeboard.layout import letter as letter_layout
from noticeboard.load.workspace import load_workspace
from noticeboard.render import letters as render_letters
from noticeboard.templates import letter as letter_template
from noticeboard.templates import poster

NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
POSTER = "2026q1-finance"
LETTER = "2026-election-letter"


def test_every_sample_composition_names_a_registered_template(town: Path):
    loaded = load_workspace(town)
    names = {loaded.kinds[n.kind].compose(n).layout for n in loaded.workspace.notices if n.content is not None}
    assert names <= set(templates.registry())
    assert {"poster", "document", "letter"} <= names


def test_the_pipeline_names_no_template_and_no_kind():
    source = Path(pipeline.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not strings & (set(templates.registry()) | {"receipts", "-receipts"})
    modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [m for m in modules if "letter" in m or "receipts" in m or m in ("layout.fit", "layout.document")]


def test_a_poster_is_fitted_once_per_build_tiles_included(town: Path, monkeypatch):
    calls = []
    real = fit_module.fit

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(poster, "fit", counting)
    assert pipeline.build(town, ids=[POSTER], now=NOW, tile_sheet="A4").ok
    assert len(calls) == 1


def test_a_letter_run_that_fits_lays_each_letter_out_once(town: Path, monkeypatch):
    calls = []
    real = letter_layout.letter_page

    def counting(plan, household):
        calls.append(household)
        return real(plan, household)

    monkeypatch.setattr(render_letters, "letter_page", counting)
    monkeypatch.setattr(letter_template, "letter_page", counting)
    assert pipeline.build(town, ids=[LETTER], now=NOW).ok
    loaded = load_workspace(town)
    notice = next(n for n in loaded.workspace.notices if n.id == LETTER)
    households = loaded.kinds[notice.kind].compose(notice).letters.households
    assert len(calls) == len(households) + 1  # and the online specimen's one letter


def test_laid_out_carries_code_qr_boxes_and_no_problems(town: Path):
    loaded = load_workspace(town)
    notice = next(n for n in loaded.workspace.notices if n.id == POSTER)
    laid = pipeline.laid_out(notice, loaded)
    assert laid.problems == [] and laid.code and len(laid.qr_boxes) == len(laid.sheets)
    assert all(len(boxes) >= 1 for boxes in laid.qr_boxes)
    letters = pipeline.laid_out(next(n for n in loaded.workspace.notices if n.id == LETTER), loaded)
    assert letters.code == "" and not letters.tileable and "-receipts" in letters.print_suffixes
    assert len(list(letters.sheets)) == len(letters.sheets) > 0


def test_a_letter_too_long_is_a_problem_value_and_the_api_raises_it(town: Path):
    path = town / "notices" / f"{LETTER}.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "body: |\n"
    assert marker in text
    filler = "  村民选举委员会特向您家送达这封信，请您和家人按时参加投票，珍惜民主权利。\n" * 80
    path.write_text(text.replace(marker, marker + filler, 1), encoding="utf-8")
    loaded = load_workspace(town)
    notice = next(n for n in loaded.workspace.notices if n.id == LETTER)
    laid = pipeline.laid_out(notice, loaded)
    assert [p.message[:6] for p in laid.problems] == ["信的正文太长"]
    with pytest.raises(templates.Unprintable) as caught:
        pipeline.render(notice, loaded)
    assert caught.value.problems == laid.problems
