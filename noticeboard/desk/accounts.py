"""The roles an account may hold in a workspace, and where the web app keeps its accounts."""

from __future__ import annotations

from pathlib import Path

from ..load.workspace import (
    SETTINGS_FILE,
    load_settings,
)
from ..problems import Problem, UnreadableInput
from .common import ADMIN, OFFICER


def roles(root: Path) -> list[str]:
    """Every role an account may hold in this workspace: 信息员, 管理员, then each review role of
    noticeboard.yaml's reviews and of every catalogue entry's own chain, in order, without repeats."""
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    found = [OFFICER, ADMIN, *settings.reviews]
    for entry in settings.catalogue:
        found += entry.reviews or []
    return list(dict.fromkeys(found))


def database_url(root: Path) -> str | None:
    """noticeboard.yaml ``workbench: {database: postgresql://user@host:5432/name}`` (declared in the
    settings schema, validated with its line), or None for the SQLite default. The web layer lets
    the environment variable NOTICEBOARD_DATABASE override it; a password is never written here
    (libpq's PGPASSWORD / .pgpass supply it)."""
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    wrong = [p for p in problems if p.is_error and p.where.file == SETTINGS_FILE and "数据库" in p.message]
    if wrong:  # never fall back to SQLite without a word: the accounts would seem to vanish
        raise UnreadableInput(wrong[0])
    return settings.database_url
