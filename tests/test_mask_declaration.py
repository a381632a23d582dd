"""One privacy path: the pure finder and masker, the scanner in checks/, and each kind declaring what it masks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import noticeboard
from noticeboard import privacy
from noticeboard.kinds.registry import registry

PACKAGE = Path(noticeboard.__file__).parent


@pytest.mark.parametrize("name", sorted(registry()))
def test_a_kind_declares_what_its_mask_key_masks(name: str) -> None:
    kind = registry()[name]
    assert kind.masks in (None, privacy.MASK_COLUMNS, privacy.MASK_ALL)
    assert ("mask" in kind.keys) == (kind.masks is not None)
    if kind.masks == privacy.MASK_COLUMNS:
        assert kind.columns is not None  # a list of columns needs a table
    if kind.masks == privacy.MASK_ALL:
        assert kind.columns is None
    if kind.masks_cells:
        assert kind.masks == privacy.MASK_COLUMNS


def test_the_finder_and_masker_is_pure() -> None:
    tree = ast.parse((PACKAGE / "privacy.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))
    assert imported <= {"__future__", "collections.abc", "datetime", "re", "unicodedata", "dataclasses", "typing"}


def test_no_kind_scans_again_what_the_scanner_scans() -> None:
    for path in (PACKAGE / "kinds").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "checks" not in {
            node.module.split(".")[0]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module
        }, path.name


def test_a_problem_is_masked_when_it_is_made() -> None:
    problem = noticeboard.Problem("warning", noticeboard.Where("a.csv", 2), "手机 13905371234")
    assert problem.message == "手机 139****1234"
