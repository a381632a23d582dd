"""The workbench's tests again, against a real PostgreSQL (issue 21: CI runs them on both). Django's
settings are made once per process, so tests/test_web.py runs in a process of its own, pointed at a
scratch database by NOTICEBOARD_DATABASE, exactly as a county server would point the workbench."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pg import postgres_url, scratch_database

__all__ = ["postgres_url"]  # the fixture, imported so pytest finds it here

REPO = Path(__file__).resolve().parent.parent


def test_the_workbench_tests_pass_against_postgresql(postgres_url: str):
    with scratch_database(postgres_url) as url:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_web.py", "-p", "no:cacheprovider", "-x"],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "NOTICEBOARD_DATABASE": url},
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary
