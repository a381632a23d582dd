"""The workbench under Django's test client: one workspace per test session (Django's settings are
made once per process), put back to the sample town before every test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "town"
PASSWORD = "gongkai-Lan-2026"
FINANCE = "2026q1-finance"  # its reviews are taken out of the file, so the workbench must sign it


@pytest.fixture(scope="session")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workbench") / "town"
    shutil.copytree(SAMPLES, root)
    from django.test.utils import setup_test_environment

    from noticeboard.web import settings as web

    web.configure(root, "127.0.0.1", os.environ.get("NOTICEBOARD_DATABASE") or None)
    from django.conf import settings

    # signing in for real is tested where it matters; elsewhere a million PBKDF2 rounds only cost minutes
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    web.migrate()
    return root


def reset(root: Path) -> None:
    from django.core.management import call_command

    for name in ("notices", "signoffs", "out", ".workbench/previews"):
        shutil.rmtree(root / name, ignore_errors=True)
    shutil.copytree(SAMPLES / "notices", root / "notices")
    shutil.copy(SAMPLES / "noticeboard.yaml", root / "noticeboard.yaml")
    notice = root / "notices" / f"{FINANCE}.yaml"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text[: text.index("reviews:")], encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def town(workbench: Path) -> Path:
    reset(workbench)
    return workbench


def account(name: str, *roles: str, password: str = PASSWORD):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=name, password=password)
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return user


def client_for(user=None, **kwargs):
    from django.test import Client

    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def audit_actions() -> list[tuple[str, str, str]]:
    from noticeboard.web.models import AuditEntry

    return [(e.user, e.action, e.notice) for e in AuditEntry.objects.all()]
