"""Where the shipped fonts, layouts and sample town live.

In a wheel they are packaged under ``noticeboard/_data/``; in a source checkout
(and an editable install) they are the top-level folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"noticeboard is installed without its {name}/ folder")


def fonts_dir() -> Path:
    return shipped("fonts")


def layouts_dir() -> Path:
    return shipped("layouts")


def samples_dir() -> Path:
    return shipped("samples")
